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
pub use imports::{ImportRecord, ImportUpdate, ImportedStory};
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

    /// What the database's own consistency checks find wrong (pages, indexes, references): an
    /// empty list for a sound database. Reads every page, so it is for `rotative check`, not for
    /// health probes.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        match &self.db {
            Db::Sqlite(pool) => {
                let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(pool)
                    .await?;
                problems.retain(|line| line != "ok");
                let orphans: Vec<(String, Option<i64>, String)> =
                    sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                        .fetch_all(pool)
                        .await?;
                problems.extend(orphans.into_iter().map(|(table, row, parent)| {
                    let row = row.map_or_else(String::new, |row| format!(" row {row}"));
                    format!("{table}{row} points to a missing {parent}")
                }));
                Ok(problems)
            }
        }
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
