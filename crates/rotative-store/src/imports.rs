//! What imports leave behind: redirects from a replaced site's addresses, and which source item
//! became which story.

use crate::{Db, Store, StoreError};

impl Store {
    /// Remembers that `old` (a path with its query) now lives at `target`. A second import of
    /// the same address keeps the first target: links already followed keep working.
    pub async fn add_redirect(&self, old: &str, target: &str) -> Result<bool, StoreError> {
        let Db::Sqlite(pool) = &self.db;
        let done = sqlx::query(
            "INSERT INTO redirects (old, target) VALUES ($1, $2) ON CONFLICT (old) DO NOTHING",
        )
        .bind(old)
        .bind(target)
        .execute(pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Where an old address now lives, if an import said so.
    pub async fn redirect(&self, old: &str) -> Result<Option<String>, StoreError> {
        let Db::Sqlite(pool) = &self.db;
        Ok(
            sqlx::query_scalar("SELECT target FROM redirects WHERE old = $1")
                .bind(old)
                .fetch_optional(pool)
                .await?,
        )
    }

    /// The story an item of `source` became, if it was imported before.
    pub async fn imported_item(
        &self,
        source: &str,
        source_id: &str,
    ) -> Result<Option<Option<i64>>, StoreError> {
        let Db::Sqlite(pool) = &self.db;
        Ok(sqlx::query_scalar(
            "SELECT article_id FROM imported_items WHERE source = $1 AND source_id = $2",
        )
        .bind(source)
        .bind(source_id)
        .fetch_optional(pool)
        .await?)
    }
}
