//! Statements assembled piece by piece (listing filters, `IN (…)` lists, multi-row inserts).
//!
//! sqlx's `QueryBuilder` writes `?` placeholders for its `Any` driver, which PostgreSQL does not
//! read; this writes numbered ones (`$1`, `$2`…), which both back ends read.

use std::fmt::Write as _;

use sqlx::{Any, Arguments, Encode, Type, any::AnyArguments, error::BoxDynError};

use crate::StoreError;

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

    /// The statement's text and its values, for `sqlx::query_with` and its siblings.
    pub(crate) fn finish(self) -> Result<(String, AnyArguments<'q>), StoreError> {
        match self.error {
            Some(error) => Err(StoreError::Database(sqlx::Error::Encode(error))),
            None => Ok((self.sql, self.arguments)),
        }
    }
}
