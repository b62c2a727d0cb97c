//! Rotative's persistence: one repository API, whatever database is behind it.
//! Owns: schemas and migrations, every query, the mapping between rows and domain types.
//! Never: HTTP, rendering, file storage; callers never see SQL or a back end's types.

mod articles;
mod changes;
mod error;
mod imports;
mod media;
mod newsroom;
mod rows;
mod settings;
mod taxonomy;
mod users;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use articles::{FeedItem, Listing, NewArticle, NewLeadImage, StoryContent};
pub use changes::Change;
pub use error::StoreError;
pub use media::{MediaQuery, MediaRecord, MediaText, NewMedia};
pub use newsroom::{
    CorrectionEntry, EditableStory, RevisionSummary, RevisionText, SaveOutcome, StoryRow,
};
pub use users::{AuditEntry, Session, User};

/// The database behind the store. Each variant is one back end; queries that both dialects accept
/// are written once, the others get one arm per back end.
#[derive(Debug, Clone)]
enum Db {
    Sqlite(SqlitePool),
}

/// The repository: cheap to clone (a pool inside), shared by every request and command.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

impl Store {
    /// Opens (creating it if needed) the SQLite database at `path`, in WAL mode, and applies
    /// pending migrations. WAL lets readers go on while the one writer commits.
    #[tracing::instrument]
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Self::connect_sqlite(options, 8).await
    }

    /// A private in-memory database, for tests and throwaway runs.
    pub async fn open_sqlite_in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to `:memory:` would be a different database.
        Self::connect_sqlite(options, 1).await
    }

    async fn connect_sqlite(options: SqliteConnectOptions, max: u32) -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Self {
            db: Db::Sqlite(pool),
        })
    }

    /// Answers whether the database is reachable, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await?,
        };
        Ok(())
    }

    /// Whether the site has any story at all; a new site gets demo content.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let count: i64 = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM articles")
                    .fetch_one(pool)
                    .await?
            }
        };
        Ok(count == 0)
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(pool) => pool.close().await,
        }
    }
}

/// Now, in the unit the schema stores.
fn now_seconds() -> i64 {
    jiff::Timestamp::now().as_second()
}
