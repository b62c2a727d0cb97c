use crate::{
    Store, StoreError,
    users::{Audit, insert_audit},
};

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?,
        )
    }

    /// Sets `key` only if no one has: of several instances starting at once, one gets `true`
    /// and does the one-time work the setting stands for.
    pub async fn claim_setting(&self, key: &str, value: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Sets several settings and writes the audit line, in one transaction.
    pub async fn change_settings(
        &self,
        values: &[(&str, &str)],
        audit: Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for (key, value) in values {
            sqlx::query(
                "INSERT INTO site_settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
