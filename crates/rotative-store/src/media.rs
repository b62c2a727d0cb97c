use std::collections::HashMap;

use rotative_domain::{ArticleId, MediaId, UserId};
use sqlx::{AnyConnection, FromRow};

use crate::{
    Store, StoreError, now_seconds, rows,
    statement::{Statement, in_statements},
    users::{Audit, insert_audit},
};

/// An image file the media layer has stored and measured, with the description it came with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewMedia {
    pub storage_key: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub original_name: Option<String>,
    pub animated: bool,
    pub description: MediaText,
    pub uploaded_by: Option<UserId>,
}

/// What the library says of an image; stories use it where they give none of their own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaText {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRecord {
    pub id: MediaId,
    pub storage_key: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub original_name: Option<String>,
    pub animated: bool,
    pub variants_ready: bool,
    pub description: MediaText,
    pub created_at: i64,
}

const COLUMNS: &str = "id, storage_key, content_type, width, height, byte_size, original_name, \
                       CAST(animated AS BIGINT) AS animated,
                       CAST(variants_ready AS BIGINT) AS variants_ready, alt, caption, credit,
                       created_at";

/// A row of `media` (`COLUMNS`).
#[derive(FromRow)]
struct MediaRow {
    id: i64,
    storage_key: String,
    content_type: String,
    width: i64,
    height: i64,
    byte_size: i64,
    original_name: Option<String>,
    animated: i64,
    variants_ready: i64,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    created_at: i64,
}

impl TryFrom<MediaRow> for MediaRecord {
    type Error = StoreError;

    fn try_from(row: MediaRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: MediaId(row.id),
            storage_key: row.storage_key,
            content_type: row.content_type,
            width: rows::dimension(row.width)?,
            height: rows::dimension(row.height)?,
            byte_size: u64::try_from(row.byte_size)
                .map_err(|e| StoreError::corrupt("file size", e))?,
            original_name: row.original_name,
            animated: row.animated != 0,
            variants_ready: row.variants_ready != 0,
            description: MediaText {
                alt: row.alt,
                caption: row.caption,
                credit: row.credit,
            },
            created_at: row.created_at,
        })
    }
}

/// Records a stored file. The key is the content's hash, so the same bytes uploaded twice are one
/// record; a second upload fills in only what the library did not know yet.
pub(crate) async fn record_media(
    conn: &mut AnyConnection,
    media: &NewMedia,
) -> Result<MediaRecord, StoreError> {
    let sql = format!(
        "INSERT INTO media
             (storage_key, content_type, width, height, byte_size, original_name, animated,
              alt, caption, credit, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (storage_key) DO UPDATE SET
             alt = COALESCE(media.alt, excluded.alt),
             caption = COALESCE(media.caption, excluded.caption),
             credit = COALESCE(media.credit, excluded.credit)
         RETURNING {COLUMNS}"
    );
    let byte_size =
        i64::try_from(media.byte_size).map_err(|e| StoreError::corrupt("file size", e))?;
    let row: MediaRow = sqlx::query_as(&sql)
        .bind(&media.storage_key)
        .bind(&media.content_type)
        .bind(i64::from(media.width))
        .bind(i64::from(media.height))
        .bind(byte_size)
        .bind(media.original_name.as_deref())
        .bind(i64::from(media.animated))
        .bind(media.description.alt.as_deref())
        .bind(media.description.caption.as_deref())
        .bind(media.description.credit.as_deref())
        .bind(media.uploaded_by.map(|user| user.0))
        .bind(now_seconds())
        .fetch_one(conn)
        .await?;
    row.try_into()
}

/// Remembers which library images a story shows, replacing what it showed before.
pub(crate) async fn link_media(
    conn: &mut AnyConnection,
    article_id: i64,
    keys: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM article_media WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for key in keys {
        sqlx::query(
            "INSERT INTO article_media (article_id, media_id)
             SELECT $1, id FROM media WHERE storage_key = $2
             ON CONFLICT DO NOTHING",
        )
        .bind(article_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Links new stories to the library images they show, given as (story, storage key); keys
/// naming no image are passed over, as in `link_media`.
pub(crate) async fn link_new_media(
    conn: &mut AnyConnection,
    shown: &[(i64, &str)],
) -> Result<(), StoreError> {
    for run in in_statements(shown, 2) {
        let mut insert = Statement::new("WITH shown (article_id, storage_key) AS (VALUES ");
        insert.push_rows(run, |row, &(article_id, key)| {
            row.value(article_id).value(key);
        });
        insert.push(
            ") INSERT INTO article_media (article_id, media_id)
             SELECT shown.article_id, media.id FROM shown, media
             WHERE media.storage_key = shown.storage_key
             ON CONFLICT DO NOTHING",
        );
        let (sql, arguments) = insert.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The ids of the library's images with these storage keys, by key (keys not there are left out).
pub(crate) async fn ids_by_key(
    conn: &mut AnyConnection,
    keys: &[&str],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut ids = HashMap::with_capacity(keys.len());
    for run in in_statements(keys, 1) {
        let mut select = Statement::new("SELECT storage_key, id FROM media WHERE storage_key IN (");
        select.push_binds(run.iter().copied());
        select.push(")");
        let (sql, arguments) = select.finish()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&mut *conn)
            .await?;
        ids.extend(rows);
    }
    Ok(ids)
}

/// The library's search: words found in the alt text, caption, credit or file name.
#[derive(Debug, Clone, Default)]
pub struct MediaQuery {
    pub text: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

fn push_library_filter(query: &mut Statement<'_>, text: Option<&str>) {
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        query.push(" WHERE ");
        for (i, column) in ["alt", "caption", "credit", "original_name"]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                query.push(" OR ");
            }
            query
                .push(&format!("lower({column}) LIKE lower("))
                .push_bind(pattern.clone())
                .push(") ESCAPE '\\'");
        }
    }
}

impl Store {
    #[tracing::instrument(skip(self))]
    pub async fn record_media(&self, media: &NewMedia) -> Result<MediaRecord, StoreError> {
        let pool = &self.pool;
        record_media(&mut *pool.acquire().await?, media).await
    }

    /// Records an image someone sent to the library, with its audit line, in one transaction.
    pub async fn record_upload(
        &self,
        media: &NewMedia,
        audit: Audit<'_>,
    ) -> Result<MediaRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let record = record_media(&mut tx, media).await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub async fn media_by_key(&self, key: &str) -> Result<Option<MediaRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE storage_key = $1");
        let row: Option<MediaRow> = {
            let pool = &self.pool;
            sqlx::query_as(&sql).bind(key).fetch_optional(pool).await?
        };
        row.map(MediaRecord::try_from).transpose()
    }

    pub async fn media_by_id(&self, id: MediaId) -> Result<Option<MediaRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE id = $1");
        let row: Option<MediaRow> = {
            let pool = &self.pool;
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        };
        row.map(MediaRecord::try_from).transpose()
    }

    /// The original a variant was made from: the key sharing its content hash.
    pub async fn media_by_hash(&self, hash: &str) -> Result<Option<MediaRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE substr(storage_key, 1, 32) = $1");
        let row: Option<MediaRow> = {
            let pool = &self.pool;
            sqlx::query_as(&sql).bind(hash).fetch_optional(pool).await?
        };
        row.map(MediaRecord::try_from).transpose()
    }

    /// The library page: newest first, filtered by words in its descriptions.
    pub async fn media_library(
        &self,
        query: &MediaQuery,
    ) -> Result<(Vec<MediaRecord>, u64), StoreError> {
        let pool = &self.pool;
        let mut count = Statement::new("SELECT COUNT(*) FROM media");
        push_library_filter(&mut count, query.text.as_deref());
        let (sql, arguments) = count.finish()?;
        let total: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(pool)
            .await?;
        let mut list = Statement::new(format!("SELECT {COLUMNS} FROM media"));
        push_library_filter(&mut list, query.text.as_deref());
        list.push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(query.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(query.offset));
        let (sql, arguments) = list.finish()?;
        let rows: Vec<MediaRow> = sqlx::query_as_with(&sql, arguments).fetch_all(pool).await?;
        let records = rows
            .into_iter()
            .map(MediaRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok((records, u64::try_from(total).unwrap_or_default()))
    }

    /// Changes what the library says of an image.
    pub async fn describe_media(
        &self,
        id: MediaId,
        text: &MediaText,
        audit: Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query("UPDATE media SET alt = $2, caption = $3, credit = $4 WHERE id = $1")
                .bind(id.0)
                .bind(text.alt.as_deref())
                .bind(text.caption.as_deref())
                .bind(text.credit.as_deref())
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("image"));
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Images whose resized copies are still to be made, oldest first.
    pub async fn media_without_variants(&self, limit: u32) -> Result<Vec<MediaRecord>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM media WHERE variants_ready = 0 ORDER BY id LIMIT $1");
        let pool = &self.pool;
        let rows: Vec<MediaRow> = sqlx::query_as(&sql)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
        rows.into_iter().map(MediaRecord::try_from).collect()
    }

    pub async fn mark_variants_ready(&self, id: MediaId) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("UPDATE media SET variants_ready = 1 WHERE id = $1")
            .bind(id.0)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// The stories that show an image, so its new description can reach them.
    pub async fn stories_using_media(&self, id: MediaId) -> Result<Vec<ArticleId>, StoreError> {
        let pool = &self.pool;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT article_id FROM article_media WHERE media_id = $1 ORDER BY article_id",
        )
        .bind(id.0)
        .fetch_all(pool)
        .await?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// Images that stories show under a name other than their library key, as story files
    /// imported before bodies named images by key did: `(story, name, key)`.
    pub async fn images_named_otherwise(
        &self,
    ) -> Result<Vec<(ArticleId, String, String)>, StoreError> {
        let pool = &self.pool;
        let found: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT am.article_id, m.original_name, m.storage_key
             FROM article_media am JOIN media m ON m.id = am.media_id
             WHERE m.original_name IS NOT NULL AND m.original_name <> m.storage_key
             ORDER BY am.article_id",
        )
        .fetch_all(pool)
        .await?;
        Ok(found
            .into_iter()
            .map(|(article, name, key)| (ArticleId(article), name, key))
            .collect())
    }

    /// Rewrites the Markdown of a story and of each of its revisions as `rewrite` says, in one
    /// transaction; returns how many texts changed. Rendered HTML is left as it is: this changes
    /// how a body is written, not what readers see.
    pub async fn rewrite_markdown(
        &self,
        article: ArticleId,
        rewrite: impl Fn(&str) -> String,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut changed = 0;
        // The story's text, then every revision's.
        for (select, update) in [
            (
                "SELECT id, body_markdown FROM articles WHERE id = $1",
                // The fingerprint named the text before: the next save is written whatever it holds.
                "UPDATE articles SET body_markdown = $1, content_fingerprint = NULL WHERE id = $2",
            ),
            (
                "SELECT id, body_markdown FROM revisions WHERE article_id = $1",
                "UPDATE revisions SET body_markdown = $1 WHERE id = $2",
            ),
        ] {
            let texts: Vec<(i64, String)> = sqlx::query_as(select)
                .bind(article.0)
                .fetch_all(&mut *tx)
                .await?;
            for (id, text) in texts {
                let rewritten = rewrite(&text);
                if rewritten != text {
                    sqlx::query(update)
                        .bind(rewritten)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    changed += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(changed)
    }
}
