use thiserror::Error;

/// What went wrong in the store, in the caller's terms.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not apply database migrations")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored {what} is not valid: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0} already exists")]
    AlreadyExists(Taken),
    #[error("{0} is done on SQLite databases only")]
    SqliteOnly(&'static str),
}

/// What a unique rule keeps to one, when a write would make a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Taken {
    #[error("an account with this email")]
    AccountEmail,
    #[error("a story with this address")]
    StoryAddress,
    #[error("a section with this slug")]
    SectionSlug,
    #[error("a redirect from this address")]
    RedirectSource,
    #[error("a byline with this address")]
    BylineSlug,
}

impl StoreError {
    pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }

    /// Turns a unique-constraint violation into `AlreadyExists`, leaving other errors as they are.
    pub(crate) fn on_unique(error: sqlx::Error, what: Taken) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::AlreadyExists(what),
            _ => Self::Database(error),
        }
    }
}
