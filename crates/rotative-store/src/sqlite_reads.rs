//! SQLite reads on the request's own thread.
//!
//! sqlx runs each SQLite connection on a thread of its own: every statement, every row of its
//! answer and the ping of a connection given back to the pool is a hand-over between threads.
//! A story's page, five reads, made 88 thread switches, a fifth of its time. The reads a page
//! makes one after another (`Reads`) go through rusqlite on the request's thread instead, and
//! their rows become sqlx's `AnyRow`: every row type is decoded one way on both back ends. They
//! share one read transaction, ended when the connection is given back.
//!
//! The statements are short look-ups along indexes on a memory-mapped file, well under the time
//! a request may hold its thread. `AnyArguments`' values and `AnyRow`'s parts are public but
//! outside sqlx's promises: `sqlx-core` is pinned to the version this was written for.

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use rusqlite::{Connection, OpenFlags, types::ValueRef};
use sqlx_core::{
    any::{AnyArguments, AnyColumn, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue, AnyValueKind},
    ext::ustr::UStr,
};

use crate::StoreError;

/// Statements each connection keeps prepared: the story page's, with their variants (the number
/// of subjects or of ids changes the text), and the transaction's `BEGIN` and `COMMIT`.
const PREPARED_STATEMENTS: usize = 64;
/// Connections kept open between requests; more are opened when more requests read at once.
const KEPT_CONNECTIONS: usize = 16;

/// The SQLite file's read connections, opened when first needed and kept for the next request.
#[derive(Debug)]
pub(crate) struct SqliteReaders {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Set by `Store::close`, as sqlx's pool is: no more reads, no connection kept.
    closed: AtomicBool,
}

impl SqliteReaders {
    pub(crate) fn new(path: PathBuf) -> Arc<Self> {
        Arc::new(Self {
            path,
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        })
    }

    /// Closes every kept connection; reading afterwards is an error, as with a closed pool.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    pub(crate) fn take(self: &Arc<Self>) -> Result<SqliteReader, StoreError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        let kept = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let connection = match kept {
            Some(connection) => connection,
            None => self.open()?,
        };
        // The reads share one transaction: each statement no longer takes and gives back the
        // file's read lock (a tenth of a story page's reads), and all see the same state.
        connection.prepare_cached("BEGIN")?.execute([])?;
        Ok(SqliteReader {
            connection: Some(connection),
            home: Arc::clone(self),
        })
    }

    /// A connection that can only read, with the writers' settings that matter to readers: the
    /// file read through a memory map, and a wait rather than an error while a writer
    /// checkpoints.
    fn open(&self) -> Result<Connection, StoreError> {
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.execute_batch(
            "PRAGMA query_only = ON; PRAGMA busy_timeout = 10000;
             PRAGMA mmap_size = 1073741824;",
        )?;
        connection.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        Ok(connection)
    }
}

/// One read connection, given back when dropped.
pub(crate) struct SqliteReader {
    connection: Option<Connection>,
    home: Arc<SqliteReaders>,
}

impl std::fmt::Debug for SqliteReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteReader").finish_non_exhaustive()
    }
}

impl Drop for SqliteReader {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        // SQLite may have ended the transaction itself (some errors roll it back); a connection
        // whose transaction could not end is not lent again.
        if !connection.is_autocommit()
            && connection
                .prepare_cached("COMMIT")
                .and_then(|mut commit| commit.execute([]))
                .is_err()
        {
            return;
        }
        let mut idle = self
            .home
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if idle.len() < KEPT_CONNECTIONS && !self.home.closed.load(Ordering::Acquire) {
            idle.push(connection);
        }
    }
}

impl SqliteReader {
    /// Every row `sql` answers with `arguments` bound, as the `Any` driver would give them.
    pub(crate) fn fetch_all(
        &mut self,
        sql: &str,
        arguments: AnyArguments<'_>,
    ) -> Result<Vec<AnyRow>, StoreError> {
        // Only `drop` takes the connection out: a reader without one is closed, never empty.
        let connection = self
            .connection
            .as_ref()
            .ok_or(StoreError::Database(sqlx::Error::PoolClosed))?;
        let mut statement = connection.prepare_cached(sql)?;
        bind(&mut statement, arguments)?;
        let names: Vec<UStr> = statement
            .column_names()
            .into_iter()
            .map(|name| UStr::from(name.to_owned()))
            .collect();
        let by_name: Arc<sqlx_core::HashMap<UStr, usize>> = Arc::new(
            names
                .iter()
                .enumerate()
                .map(|(ordinal, name)| (name.clone(), ordinal))
                .collect(),
        );
        let mut found = Vec::new();
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            let mut any = AnyRow {
                column_names: Arc::clone(&by_name),
                columns: Vec::with_capacity(names.len()),
                values: Vec::with_capacity(names.len()),
            };
            for (ordinal, name) in names.iter().enumerate() {
                let kind = value(row.get_ref(ordinal)?)?;
                any.columns.push(AnyColumn {
                    ordinal,
                    name: name.clone(),
                    type_info: AnyTypeInfo {
                        kind: type_of(&kind),
                    },
                });
                any.values.push(AnyValue { kind });
            }
            found.push(any);
        }
        Ok(found)
    }
}

/// Binds each `$n` of the statement to the n-th value (a `$n` written twice is one parameter).
fn bind(
    statement: &mut rusqlite::CachedStatement<'_>,
    arguments: AnyArguments<'_>,
) -> Result<(), StoreError> {
    let values = arguments.values.0;
    for index in 1..=statement.parameter_count() {
        let number = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|number| number.parse::<usize>().ok())
            .ok_or_else(|| StoreError::corrupt("statement", "a parameter is not $n"))?;
        let value = values
            .get(number.wrapping_sub(1))
            .ok_or_else(|| StoreError::corrupt("statement", "a parameter has no value"))?;
        match value {
            AnyValueKind::Null(_) => statement.raw_bind_parameter(index, rusqlite::types::Null),
            AnyValueKind::Bool(flag) => statement.raw_bind_parameter(index, flag),
            AnyValueKind::SmallInt(number) => statement.raw_bind_parameter(index, number),
            AnyValueKind::Integer(number) => statement.raw_bind_parameter(index, number),
            AnyValueKind::BigInt(number) => statement.raw_bind_parameter(index, number),
            AnyValueKind::Real(number) => statement.raw_bind_parameter(index, f64::from(*number)),
            AnyValueKind::Double(number) => statement.raw_bind_parameter(index, number),
            AnyValueKind::Text(text) => statement.raw_bind_parameter(index, text.as_ref()),
            AnyValueKind::Blob(bytes) => statement.raw_bind_parameter(index, bytes.as_ref()),
            _ => {
                return Err(StoreError::corrupt(
                    "statement",
                    "a value of an unknown kind",
                ));
            }
        }?;
    }
    Ok(())
}

/// A value as the `Any` driver gives SQLite's: by what the value is, not the column's type.
fn value(value: ValueRef<'_>) -> Result<AnyValueKind<'static>, StoreError> {
    Ok(match value {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(number) => AnyValueKind::BigInt(number),
        ValueRef::Real(number) => AnyValueKind::Double(number),
        ValueRef::Text(text) => AnyValueKind::Text(
            String::from_utf8(text.to_vec())
                .map_err(|e| StoreError::corrupt("text", e))?
                .into(),
        ),
        ValueRef::Blob(bytes) => AnyValueKind::Blob(bytes.to_vec().into()),
    })
}

fn type_of(kind: &AnyValueKind<'_>) -> AnyTypeInfoKind {
    match kind {
        AnyValueKind::BigInt(_) => AnyTypeInfoKind::BigInt,
        AnyValueKind::Double(_) => AnyTypeInfoKind::Double,
        AnyValueKind::Text(_) => AnyTypeInfoKind::Text,
        AnyValueKind::Blob(_) => AnyTypeInfoKind::Blob,
        _ => AnyTypeInfoKind::Null,
    }
}
