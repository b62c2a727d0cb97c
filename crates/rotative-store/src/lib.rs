//! Rotative's persistence: one repository API, whatever database is behind it.
//! Owns: schemas and migrations, every query, the mapping between rows and domain types.
//! Never: HTTP, rendering, file storage; callers never see SQL or a back end's types.

mod account_links;
mod articles;
mod changes;
mod error;
mod front_page;
mod imports;
mod leases;
mod media;
mod newsroom;
mod notifications;
mod outbox;
mod pages;
mod profiles;
mod redirects;
mod rows;
mod sections;
mod settings;
mod sqlite_reads;
mod statement;
mod taxonomy;
mod tokens;
mod two_factor;
mod users;
mod webhooks;
mod wordpress;
mod writes;

use std::{
    collections::BTreeSet,
    path::Path,
    sync::{Arc, Once},
};

use sqlite_reads::SqliteReaders;
use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
};

pub use account_links::{Invitee, LinkPurpose, NewLink};
pub use articles::{
    FeedItem, ListedStory, Listing, PublishedStory, Reads, RelatedPool, StoryPage, StoryQuery,
};
pub use changes::{Change, ChangeListener, Changed, Visibility};
pub use error::{StoreError, Taken};
pub use front_page::{
    ArrangementRefused, FRONT_PAGE_ARRANGED, FRONT_PAGE_SLOTS, FrontPage, FrontPageArrangement,
    Placement,
};
pub use imports::{ImportRecord, ImportUpdate, ImportedStory, OldAddress};
pub use media::{MediaQuery, MediaRecord, MediaText, NewMedia};
pub use newsroom::{
    CorrectionEntry, EditableStory, RevisionSummary, RevisionText, SaveKind, SaveOutcome,
    StoryFilter, StoryMove, StoryRow, StorySave,
};
pub use notifications::{
    Marking, NewNotice, Notification, NotificationSettings, PendingNotice, UNREAD_COUNTED,
};
pub use outbox::{LetterOutcome, NewLetter, QueuedLetter, UndeliveredLetter};
pub use pages::PageRecord;
pub use profiles::{BylineRecord, ProfileFields};
pub use redirects::{RedirectAdded, RedirectOrigin, RedirectRecord};
pub use sections::{SectionFields, SectionRecord, SectionRemoval};
pub use taxonomy::ShownSection;
pub use tokens::{ApiToken, NewToken, TokenHolder};
pub use two_factor::TwoFactorSecret;
pub use users::{Audit, AuditEntry, Ending, OpenSession, Session, User};
pub use webhooks::{
    Attempt, AttemptNext, Delivery, DeliveryStatus, DueDelivery, NewWebhook, Webhook,
};
pub use wordpress::{WpFilter, WpPost};
pub use writes::{NewArticle, NewLeadImage, StoryContent};

/// Which database is behind the store. Queries both dialects accept are written once; the few
/// that differ ask which one this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The repository: cheap to clone (a pool inside), shared by every request and command.
///
/// One code path for both back ends goes through sqlx's `Any` driver: every value the schema
/// holds is an integer or text (times are Unix seconds, flags 0 or 1), which `Any` carries alike.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Kept to open the connection that listens for other instances' changes.
    postgres_url: Option<Arc<str>>,
    /// An SQLite file's connections for reads on the request's thread (`Store::reads`).
    sqlite_readers: Option<Arc<SqliteReaders>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Per-connection SQLite settings: WAL lets readers go on while the one writer commits, and a
/// writer waits for another rather than failing at once. Pages are read through a memory map
/// (up to 1 GiB of the file), shared by every connection and by the system's file cache, rather
/// than copied into each connection's own page cache by a system call per page.
const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA mmap_size = 1073741824;";

fn install_drivers() {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
}

impl Store {
    /// Opens (creating it if needed) the SQLite database at `path`, in WAL mode, and applies
    /// pending migrations.
    #[tracing::instrument]
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        // The path goes into a URL, where `%`, `?` and `#` mean something: escaped, any folder
        // name works.
        let escaped = path
            .display()
            .to_string()
            .replace('%', "%25")
            .replace('?', "%3F")
            .replace('#', "%23");
        let url = format!("sqlite://{escaped}?mode=rwc");
        let mut store = Self::connect(&url, Backend::Sqlite, 8).await?;
        store.sqlite_readers = Some(SqliteReaders::new(path.to_owned()));
        Ok(store)
    }

    /// A private in-memory database, for tests and throwaway runs.
    pub async fn open_sqlite_in_memory() -> Result<Self, StoreError> {
        // One connection: every connection to `:memory:` would be a different database.
        Self::connect("sqlite::memory:", Backend::Sqlite, 1).await
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://…`) and applies pending
    /// migrations, under PostgreSQL's advisory lock: ten instances starting at once apply each
    /// migration once.
    #[tracing::instrument(skip(url))]
    pub async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        Self::connect(url, Backend::Postgres, 16).await
    }

    async fn connect(url: &str, backend: Backend, max: u32) -> Result<Self, StoreError> {
        install_drivers();
        let options: AnyConnectOptions = url.parse()?;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SETUP).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let postgres_url = (backend == Backend::Postgres).then(|| url.into());
        Ok(Self {
            pool,
            backend,
            postgres_url,
            sqlite_readers: None,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers whether the database is reachable, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Brings the planner's view of the tables up to date after many rows were written at once
    /// (an import). On PostgreSQL, `VACUUM (ANALYZE)`: until the rows are marked visible, every
    /// index-only read (a section's count, the sitemaps) also reads the table, 117 ms instead of
    /// 5 ms for a section page at 100,000 stories, and nothing says autovacuum runs on the
    /// operator's server. SQLite needs nothing: its plans are steered by the queries themselves.
    pub async fn after_bulk_load(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query(
                "VACUUM (ANALYZE) articles, revisions, article_tags, article_authors,
                     article_sources, article_media, sections, tags, authors, media, users,
                     redirects, gone, imported_items, change_log, story_counts",
            )
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Writes a copy of the whole database to `path` (a new file), consistent as of one moment,
    /// while the site goes on reading and writing: SQLite's `VACUUM INTO` reads one snapshot.
    /// PostgreSQL sites are copied by `pg_dump`, which does the same there.
    pub async fn copy_to(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::SqliteOnly("copying the database to a file"));
        }
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::corrupt("copy destination", "the path is not UTF-8"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// What the database's own consistency checks find wrong (pages, indexes, references): an
    /// empty list for a sound database. Reads every page, so it is for `rotative check`, not for
    /// health probes. PostgreSQL checks references as it writes: nothing to add there.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        if self.backend == Backend::Postgres {
            return Ok(Vec::new());
        }
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        problems.retain(|line| line != "ok");
        let orphans: Vec<(String, Option<i64>, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(&self.pool)
                .await?;
        problems.extend(orphans.into_iter().map(|(table, row, parent)| {
            let row = row.map_or_else(String::new, |row| format!(" row {row}"));
            format!("{table}{row} points to a missing {parent}")
        }));
        Ok(problems)
    }

    /// Every (table, column) of the schema, bookkeeping tables aside: both back ends must give
    /// the same set.
    pub async fn schema_columns(&self) -> Result<BTreeSet<(String, String)>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE '_sqlx%'"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT)
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'"
            }
        };
        let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().collect())
    }

    /// Whether the site has any story at all; a new site gets demo content.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(&self.pool)
            .await?;
        Ok(count == 0)
    }

    pub async fn close(&self) {
        if let Some(readers) = &self.sqlite_readers {
            readers.close();
        }
        self.pool.close().await;
    }

    /// Starts a transaction that writes after it reads: SQLite takes its write lock at once
    /// (so the read and the write see the same data), PostgreSQL relies on the caller's
    /// `FOR UPDATE` (see [`Store::for_update`]).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// The row lock a read inside [`Store::begin_write`] takes on PostgreSQL.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// The row lock a read inside [`Store::begin_write`] takes on PostgreSQL to keep what it
    /// read true until the transaction ends, without writing the row.
    fn for_share(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR SHARE",
        }
    }
}

/// Now, in the unit the schema stores.
fn now_seconds() -> i64 {
    jiff::Timestamp::now().as_second()
}
