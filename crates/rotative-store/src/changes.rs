//! The change log: what changed, in order, for whatever keeps a copy (the search index, caches).

use crate::{Store, StoreError};

/// One entry of the change log: this story changed (created, edited, moved in the workflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub article_id: i64,
}

impl Store {
    /// Changes after `seq`, oldest first.
    pub async fn changes_since(&self, seq: i64, limit: u32) -> Result<Vec<Change>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT seq, article_id FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, article_id)| Change { seq, article_id })
            .collect())
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
    pub async fn article_ids(&self, after: i64, limit: u32) -> Result<Vec<i64>, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_scalar("SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?,
        )
    }

    pub async fn count_articles(&self) -> Result<u64, StoreError> {
        let pool = &self.pool;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
            .fetch_one(pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }
}
