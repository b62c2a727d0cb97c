//! Statements assembled piece by piece (listing filters, `IN (…)` lists, multi-row inserts).
//!
//! sqlx's `QueryBuilder` writes `?` placeholders for its `Any` driver, which PostgreSQL does not
//! read; this writes numbered ones (`$1`, `$2`…), which both back ends read.

use std::fmt::Write as _;

use sqlx::{Any, Arguments, Encode, Type, any::AnyArguments, error::BoxDynError};

use crate::StoreError;

/// The most values one multi-row statement binds, far under SQLite's limit (32,766) and
/// PostgreSQL's (65,535): SQLite's driver finds each value's place by walking the statement's
/// list of parameters, so binding takes time in the square of their number (at 11,000 values,
/// half an import's time went there); at a few hundred it costs less than the round trip.
const MAX_BINDS: usize = 300;

/// Adds a value to a statement's arguments, bound as the next `$n`.
pub(crate) fn add<'q, T>(arguments: &mut AnyArguments<'q>, value: T) -> Result<(), StoreError>
where
    T: 'q + Encode<'q, Any> + Type<Any>,
{
    arguments
        .add(value)
        .map_err(|error| StoreError::Database(sqlx::Error::Encode(error)))
}

/// Cuts `rows` into runs that one statement can bind, `width` values a row.
pub(crate) fn in_statements<T>(rows: &[T], width: usize) -> std::slice::Chunks<'_, T> {
    rows.chunks((MAX_BINDS / width.max(1)).max(1))
}

pub(crate) struct Statement<'q> {
    sql: String,
    arguments: AnyArguments<'q>,
    /// The first value that could not be bound, reported by `finish`.
    error: Option<BoxDynError>,
}

impl<'q> Statement<'q> {
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            arguments: AnyArguments::default(),
            error: None,
        }
    }

    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if let Err(error) = self.arguments.add(value) {
            self.error.get_or_insert(error);
        }
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "${}", self.arguments.len());
        self
    }

    /// Keeps, of a list sorted newest first by (`at_column`, `id_column`), what comes after the
    /// item at (`at`, `id`): older, or as old with a smaller id. Both back ends read it along an
    /// index on those columns.
    pub(crate) fn push_after(
        &mut self,
        at_column: &str,
        id_column: &str,
        at: i64,
        id: i64,
    ) -> &mut Self {
        let _ = write!(self.sql, " AND ({at_column} < ");
        self.push_bind(at);
        let _ = write!(self.sql, " OR ({at_column} = ");
        self.push_bind(at);
        let _ = write!(self.sql, " AND {id_column} < ");
        self.push_bind(id);
        self.sql.push_str("))");
        self
    }

    /// Appends placeholders for `values`, separated by commas (for `IN (…)`).
    pub(crate) fn push_binds<T>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(value);
        }
        self
    }

    /// Appends `(…), (…)`: one parenthesised row of placeholders for each of `rows`, whose
    /// values `bind` pushes with `Row::value`.
    pub(crate) fn push_rows<R>(
        &mut self,
        rows: impl IntoIterator<Item = R>,
        mut bind: impl FnMut(&mut Row<'_, 'q>, R),
    ) -> &mut Self {
        for (i, row) in rows.into_iter().enumerate() {
            self.sql.push_str(if i == 0 { "(" } else { ", (" });
            bind(
                &mut Row {
                    statement: self,
                    first: true,
                },
                row,
            );
            self.sql.push(')');
        }
        self
    }

    /// The statement's text and its values, for `sqlx::query_with` and its siblings.
    pub(crate) fn finish(self) -> Result<(String, AnyArguments<'q>), StoreError> {
        match self.error {
            Some(error) => Err(StoreError::Database(sqlx::Error::Encode(error))),
            None => Ok((self.sql, self.arguments)),
        }
    }
}

/// One row of a multi-row insert, being bound.
pub(crate) struct Row<'s, 'q> {
    statement: &'s mut Statement<'q>,
    first: bool,
}

impl<'q> Row<'_, 'q> {
    /// Appends a placeholder for the row's next value.
    pub(crate) fn value<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if !self.first {
            self.statement.push(", ");
        }
        self.first = false;
        self.statement.push_bind(value);
        self
    }
}
