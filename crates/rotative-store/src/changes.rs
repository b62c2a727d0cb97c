//! The change log: what changed, in order, for whatever keeps a copy (the search index, caches).

use std::collections::HashMap;

use sqlx::postgres::PgListener;

use rotative_domain::{ArticleId, AuthorId, SectionId, SubjectId};

use crate::{
    Listing, Store, StoreError, now_seconds,
    statement::{Statement, in_statements},
};

/// The channel the change log's trigger announces each change on (PostgreSQL only).
const CHANGES_CHANNEL: &str = "rotative_changes";

/// Hears of changes other processes log, as they commit, so a follower of the change log need
/// not wait for its next poll.
pub struct ChangeListener(PgListener);

impl ChangeListener {
    /// Waits for the next change. The connection is remade if it drops; changes announced
    /// meanwhile are missed, which the follower's regular poll makes up for.
    pub async fn changed(&mut self) -> Result<(), StoreError> {
        self.0.recv().await?;
        Ok(())
    }
}

/// What one entry of the change log says changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// A story was created or edited; `moved` when it entered, left or moved within its
    /// listings (its status, publication date or section changed).
    Story { id: ArticleId, moved: bool },
    /// A listing gained or lost a published story: a subject or a byline added or taken away, a
    /// story moved to another section.
    Listing(Listing),
    /// Something every page shows: the site's settings, its sections, a name.
    Site,
}

/// One entry of the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub changed: Changed,
}

impl Change {
    /// The story this change is about, if it is about one.
    pub fn story(&self) -> Option<ArticleId> {
        match self.changed {
            Changed::Story { id, .. } => Some(id),
            Changed::Listing(_) | Changed::Site => None,
        }
    }
}

/// What readers can see of a story now, for clients that keep a copy of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Published: readers see it.
    Public,
    /// It had a public address and readers no longer see it (taken down, sent back to draft).
    Withdrawn,
    /// Never shown to readers.
    Private,
}

impl Store {
    /// What readers can see now of each of these stories (those that do not exist are left out).
    pub async fn visibility(
        &self,
        ids: &[ArticleId],
    ) -> Result<HashMap<ArticleId, Visibility>, StoreError> {
        let mut found = HashMap::with_capacity(ids.len());
        let now = now_seconds();
        for run in in_statements(ids, 1) {
            let mut query =
                Statement::new("SELECT id, status, published_at, path FROM articles WHERE id IN (");
            query.push_binds(run.iter().map(|id| id.0));
            query.push(")");
            let (sql, arguments) = query.finish()?;
            let rows: Vec<(i64, String, Option<i64>, Option<String>)> =
                sqlx::query_as_with(&sql, arguments)
                    .fetch_all(&self.pool)
                    .await?;
            found.extend(rows.into_iter().map(|(id, status, published_at, path)| {
                let public = status == "published" && published_at.is_some_and(|at| at <= now);
                let visibility = match (public, path.is_some()) {
                    (true, _) => Visibility::Public,
                    (false, true) => Visibility::Withdrawn,
                    (false, false) => Visibility::Private,
                };
                (ArticleId(id), visibility)
            }));
        }
        Ok(found)
    }

    /// A listener for changes, on PostgreSQL; SQLite has no notifications (its followers poll).
    pub async fn listen_for_changes(&self) -> Result<Option<ChangeListener>, StoreError> {
        let Some(url) = &self.postgres_url else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// Changes after `seq`, oldest first.
    pub async fn changes_since(&self, seq: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT seq, subject, subject_id, moved FROM change_log
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(seq, subject, id, moved)| {
                let changed = match subject.as_str() {
                    "article" => Changed::Story {
                        id: ArticleId(id),
                        moved: moved != 0,
                    },
                    "section" => Changed::Listing(Listing::Section(SectionId(id))),
                    "tag" => Changed::Listing(Listing::Tag(SubjectId(id))),
                    "author" => Changed::Listing(Listing::Author(AuthorId(id))),
                    // The front page follows the whole site's listing.
                    "front" => Changed::Listing(Listing::Everything),
                    "site" => Changed::Site,
                    other => return Err(StoreError::corrupt("change log subject", other)),
                };
                Ok(Change { seq, changed })
            })
            .collect()
    }

    /// The newest position in the change log (0 when empty).
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        let pool = &self.pool;
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM change_log")
            .fetch_one(pool)
            .await?;
        Ok(seq.unwrap_or_default())
    }

    /// Ids of every story, in id order, a page at a time, for rebuilding copies from scratch.
    pub async fn article_ids(
        &self,
        after: Option<ArticleId>,
        limit: u32,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let pool = &self.pool;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after.map_or(0, |id| id.0))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    pub async fn count_articles(&self) -> Result<u64, StoreError> {
        let pool = &self.pool;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }
}
