//! Leases on background jobs, so that several instances sharing one database run each job once.
//!
//! A lease is a row saying who holds a job until when, taken or renewed by one conditional
//! upsert: atomic on both back ends, and nothing stays locked while the job runs (a lock held
//! across a job would pin a connection and die with its transaction instead of expiring).

use crate::{Store, StoreError, now_seconds};

impl Store {
    /// Takes the lease on `job` for `holder` for `seconds`, or renews it if `holder` has it
    /// already; fails (returns false) while another holder's lease runs. A holder that stops
    /// renewing loses the job when its lease runs out.
    pub async fn take_lease(
        &self,
        job: &str,
        holder: &str,
        seconds: i64,
    ) -> Result<bool, StoreError> {
        let now = now_seconds();
        let held: Option<String> = sqlx::query_scalar(
            "INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (job) DO UPDATE SET holder = excluded.holder,
                 expires_at = excluded.expires_at
             WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < $4
             RETURNING holder",
        )
        .bind(job)
        .bind(holder)
        .bind(now.saturating_add(seconds))
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(held.is_some())
    }

    /// Gives a job up at once (a clean stop), so another instance takes it without waiting.
    pub async fn release_lease(&self, job: &str, holder: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM job_leases WHERE job = $1 AND holder = $2")
            .bind(job)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
