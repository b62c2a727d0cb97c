//! What imports leave behind: redirects from a replaced site's addresses, and which source item
//! became which story.

use std::collections::HashMap;

use jiff::Timestamp;
use rotative_domain::{ArticleId, RevisionId};
use sqlx::AnyConnection;

use crate::{
    NewArticle, Store, StoreError,
    front_page::{arranged_by_editors, place_in_free_slot},
    now_seconds,
    statement::{Statement, in_statements},
    writes::{apply_content, insert_articles, insert_revision},
};

/// A story brought in from another system, with what identifies it there.
#[derive(Debug, Clone)]
pub struct ImportedStory {
    pub article: NewArticle,
    /// The system it came from (`wordpress`) and its id there.
    pub source: String,
    pub source_id: String,
    /// A digest of the item as the source gave it: a rerun updates the story when it differs.
    pub fingerprint: String,
    /// Old addresses (paths with their query) that lead to the story once it is published.
    pub redirects: Vec<String>,
}

/// What an earlier import of an item left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    /// The story it became (none if that story was deleted since).
    pub article_id: Option<ArticleId>,
    pub fingerprint: String,
    /// The revision the import wrote; none for imports made before revisions were recorded.
    pub revision_id: Option<RevisionId>,
}

/// What became of an address of the site Rotative replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldAddress {
    /// It lives at this address now.
    Moved(String),
    /// Nothing here took its place.
    Gone,
}

/// What a rerun did to a story whose source changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportUpdate {
    Updated,
    /// The newsroom saved a revision since the import: its work is kept, the source's ignored.
    EditedSince,
    /// The story is gone (or the item was never imported): nothing to update.
    Missing,
}

impl Store {
    /// Remembers that `old` (a path with its query) now lives at `target`. A second import of
    /// the same address keeps the first target: links already followed keep working.
    pub async fn add_redirect(&self, old: &str, target: &str) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let done = sqlx::query(
            "INSERT INTO redirects (old, target) VALUES ($1, $2) ON CONFLICT (old) DO NOTHING",
        )
        .bind(old)
        .bind(target)
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Remembers that `old` leads nowhere on this site (an archive no published story uses),
    /// unless it already leads somewhere.
    pub async fn add_gone(&self, old: &str) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let done = sqlx::query(
            "INSERT INTO gone (old) SELECT $1
             WHERE NOT EXISTS (SELECT 1 FROM redirects WHERE old = $2)
             ON CONFLICT (old) DO NOTHING",
        )
        .bind(old)
        .bind(old)
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What became of an old address, if an import said so.
    pub async fn redirect(&self, old: &str) -> Result<Option<OldAddress>, StoreError> {
        let pool = &self.pool;
        let target: Option<Option<String>> = sqlx::query_scalar(
            "SELECT target FROM redirects WHERE old = $1
             UNION ALL SELECT NULL FROM gone WHERE old = $2",
        )
        .bind(old)
        .bind(old)
        .fetch_optional(pool)
        .await?;
        Ok(target.map(|target| target.map_or(OldAddress::Gone, OldAddress::Moved)))
    }

    /// What an earlier import of this item of `source` left, if it was imported before.
    pub async fn imported_item(
        &self,
        source: &str,
        source_id: &str,
    ) -> Result<Option<ImportRecord>, StoreError> {
        Ok(self
            .imported_items(source, &[source_id])
            .await?
            .remove(source_id))
    }

    /// What earlier imports of these items of `source` left, by item, for those imported
    /// before: one query for a whole batch of an export.
    pub async fn imported_items(
        &self,
        source: &str,
        source_ids: &[&str],
    ) -> Result<HashMap<String, ImportRecord>, StoreError> {
        let mut records = HashMap::new();
        let mut conn = self.pool.acquire().await?;
        for run in in_statements(source_ids, 1) {
            let mut select = Statement::new(
                "SELECT source_id, article_id, fingerprint, revision_id FROM imported_items
                 WHERE source = ",
            );
            select.push_bind(source).push(" AND source_id IN (");
            select.push_binds(run.iter().copied()).push(")");
            let (sql, arguments) = select.finish()?;
            let rows: Vec<(String, Option<i64>, String, Option<i64>)> =
                sqlx::query_as_with(&sql, arguments)
                    .fetch_all(&mut *conn)
                    .await?;
            records.extend(rows.into_iter().map(
                |(source_id, article_id, fingerprint, revision_id)| {
                    let record = ImportRecord {
                        article_id: article_id.map(ArticleId),
                        fingerprint,
                        revision_id: revision_id.map(RevisionId),
                    };
                    (source_id, record)
                },
            ));
        }
        Ok(records)
    }

    /// Stores a story brought in from another system, with its redirects and the record of
    /// where it came from, in one transaction: an import stopped at any moment leaves each item
    /// either wholly imported or not at all, and a rerun skips it.
    #[tracing::instrument(skip(self, story), fields(slug = %story.article.slug))]
    pub async fn create_imported_article(
        &self,
        story: &ImportedStory,
    ) -> Result<ArticleId, StoreError> {
        self.create_imported_articles(std::slice::from_ref(story))
            .await?
            .pop()
            .ok_or(StoreError::NotFound("story"))
    }

    /// Stores stories brought in from another system (each item once, none imported before),
    /// as `create_imported_article` does one, all in one transaction and a few statements
    /// whatever their number: the bulk path of imports. If one cannot be stored (an address
    /// already taken), none is. Returns their ids in the order given.
    #[tracing::instrument(skip_all, fields(stories = stories.len()))]
    pub async fn create_imported_articles(
        &self,
        stories: &[ImportedStory],
    ) -> Result<Vec<ArticleId>, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let articles: Vec<&NewArticle> = stories.iter().map(|story| &story.article).collect();
        let ids = insert_articles(&mut tx, &articles).await?;
        let records: Vec<Recorded<'_>> = stories
            .iter()
            .zip(&ids)
            .map(|(story, &(article_id, revision_id))| Recorded {
                story,
                article_id,
                revision_id,
                path: story.article.path.as_ref().map(AsRef::as_ref),
            })
            .collect();
        record_imports(&mut tx, &records).await?;
        tx.commit().await?;
        Ok(ids.into_iter().map(|(id, _)| id).collect())
    }

    /// Brings the source's new version of an imported story in as a new revision, with its
    /// dates, unless the newsroom worked on the story since the import. The story keeps
    /// its slug and, once it has one, its public address; a story not yet published takes the
    /// source's state (a draft published at the source since is published), a published one
    /// stays published. One transaction.
    #[tracing::instrument(skip(self, story), fields(source_id = %story.source_id))]
    pub async fn update_imported_article(
        &self,
        story: &ImportedStory,
    ) -> Result<ImportUpdate, StoreError> {
        let mut tx = self.begin_write().await?;
        // Any newsroom action (a save, a publish, a pin) is in the revisions or the audit log.
        let sql = format!(
            "SELECT a.id, a.current_revision_id, i.revision_id,
                 (SELECT COUNT(*) FROM audit_log l WHERE l.article_id = a.id) AS actions
             FROM imported_items i JOIN articles a ON a.id = i.article_id
             WHERE i.source = $1 AND i.source_id = $2{}",
            self.for_update()
        );
        let found: Option<(i64, Option<i64>, Option<i64>, i64)> = sqlx::query_as(&sql)
            .bind(&story.source)
            .bind(&story.source_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id, current, imported, actions)) = found else {
            return Ok(ImportUpdate::Missing);
        };
        let id = ArticleId(id);
        if actions > 0 || imported.is_none() || current != imported {
            return Ok(ImportUpdate::EditedSince);
        }
        let article = &story.article;
        let updated_at = article
            .updated_at
            .map_or_else(now_seconds, Timestamp::as_second);
        let fingerprint = article.content.fingerprint();
        apply_content(&mut tx, id, &article.content, &fingerprint, updated_at).await?;
        sqlx::query(
            "UPDATE articles SET
                 scheduled_at = CASE WHEN status = 'published' THEN scheduled_at ELSE $4 END,
                 status = CASE WHEN status = 'published' THEN status ELSE $1 END,
                 path = COALESCE(path, $2), published_at = COALESCE(published_at, $3)
             WHERE id = $5",
        )
        .bind(article.status.as_str())
        .bind(article.path.as_ref().map(AsRef::as_ref))
        .bind(article.published_at.map(Timestamp::as_second))
        .bind(article.scheduled_at.map(Timestamp::as_second))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if article.on_front_page && !arranged_by_editors(&mut tx).await? {
            place_in_free_slot(&mut tx, id).await?;
        }
        let base = current.map(RevisionId);
        let revision_id = insert_revision(&mut tx, id, &article.content, None, base, false).await?;
        let path: Option<String> = sqlx::query_scalar("SELECT path FROM articles WHERE id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let recorded = Recorded {
            story,
            article_id: id,
            revision_id,
            path: path.as_deref(),
        };
        record_imports(&mut tx, &[recorded]).await?;
        tx.commit().await?;
        Ok(ImportUpdate::Updated)
    }
}

/// Which story (and revision) an item became, and where it is public, if it is.
struct Recorded<'a> {
    story: &'a ImportedStory,
    article_id: ArticleId,
    revision_id: RevisionId,
    path: Option<&'a str>,
}

/// Records which story (and revision) each item became and, once it is public, its old
/// addresses.
async fn record_imports(
    conn: &mut AnyConnection,
    records: &[Recorded<'_>],
) -> Result<(), StoreError> {
    for run in in_statements(records, 5) {
        let mut insert = Statement::new(
            "INSERT INTO imported_items (source, source_id, article_id, fingerprint, revision_id)
             VALUES ",
        );
        insert.push_rows(run, |row, recorded| {
            row.value(recorded.story.source.as_str())
                .value(recorded.story.source_id.as_str())
                .value(recorded.article_id.0)
                .value(recorded.story.fingerprint.as_str())
                .value(recorded.revision_id.0);
        });
        insert.push(
            " ON CONFLICT (source, source_id) DO UPDATE SET article_id = excluded.article_id,
                 fingerprint = excluded.fingerprint, revision_id = excluded.revision_id",
        );
        let (sql, arguments) = insert.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    let redirects: Vec<(&str, &str)> = records
        .iter()
        .filter_map(|recorded| Some((recorded.path?, &recorded.story.redirects)))
        .flat_map(|(target, olds)| olds.iter().map(move |old| (old.as_str(), target)))
        // A page keeps the address it had (`/about/`): no redirect to itself.
        .filter(|(old, target)| old != target)
        .collect();
    for run in in_statements(&redirects, 2) {
        let mut insert = Statement::new("INSERT INTO redirects (old, target) VALUES ");
        insert.push_rows(run, |row, &(old, target)| {
            row.value(old).value(target);
        });
        insert.push(" ON CONFLICT (old) DO NOTHING");
        let (sql, arguments) = insert.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
