use rotative_domain::MediaId;
use sqlx::{Row, SqliteConnection};

use crate::{Db, Store, StoreError, now_seconds};

/// An image file the media layer has stored and measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    pub storage_key: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub original_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRecord {
    pub id: MediaId,
    pub storage_key: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
}

fn record(row: &sqlx::sqlite::SqliteRow) -> Result<MediaRecord, StoreError> {
    let dimension = |column: &str| -> Result<u32, StoreError> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|e| StoreError::corrupt("image size", e))
    };
    Ok(MediaRecord {
        id: MediaId(row.try_get("id")?),
        storage_key: row.try_get("storage_key")?,
        content_type: row.try_get("content_type")?,
        width: dimension("width")?,
        height: dimension("height")?,
    })
}

/// Records a stored file. The key is the content's hash, so the same bytes uploaded twice are one
/// record.
pub(crate) async fn record_media(
    conn: &mut SqliteConnection,
    media: &NewMedia,
) -> Result<MediaRecord, StoreError> {
    let sql = "INSERT INTO media
                   (storage_key, content_type, width, height, byte_size, original_name, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (storage_key) DO UPDATE SET storage_key = excluded.storage_key
               RETURNING id, storage_key, content_type, width, height";
    let byte_size =
        i64::try_from(media.byte_size).map_err(|e| StoreError::corrupt("file size", e))?;
    let row = sqlx::query(sql)
        .bind(&media.storage_key)
        .bind(&media.content_type)
        .bind(i64::from(media.width))
        .bind(i64::from(media.height))
        .bind(byte_size)
        .bind(media.original_name.as_deref())
        .bind(now_seconds())
        .fetch_one(conn)
        .await?;
    record(&row)
}

impl Store {
    #[tracing::instrument(skip(self))]
    pub async fn record_media(&self, media: &NewMedia) -> Result<MediaRecord, StoreError> {
        let Db::Sqlite(pool) = &self.db;
        record_media(&mut *pool.acquire().await?, media).await
    }

    pub async fn media_by_key(&self, key: &str) -> Result<Option<MediaRecord>, StoreError> {
        let sql =
            "SELECT id, storage_key, content_type, width, height FROM media WHERE storage_key = $1";
        let row = match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql).bind(key).fetch_optional(pool).await?,
        };
        row.as_ref().map(record).transpose()
    }
}
