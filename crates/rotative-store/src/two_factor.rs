//! Two-factor sign-in as stored: an account's TOTP secret, the last time step a code was
//! accepted for, its recovery codes (hashes only), and the roles that must use it.

use rotative_domain::{Role, UserId};

use crate::{
    Audit, Store, StoreError, now_seconds,
    users::{end_all_sessions, insert_audit},
};

/// The setting that lists the roles required to sign in with a second factor.
const REQUIRED_ROLES: &str = "accounts.two_factor_roles";

/// An account's second factor, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactorSecret {
    /// The shared secret, in base 32 as authenticator apps take it.
    pub secret: String,
    /// The recovery codes not yet used.
    pub recovery_codes_left: i64,
}

async fn replace_codes(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    code_hashes: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user.0)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The account's second factor, if it turned one on.
    pub async fn two_factor(&self, user: UserId) -> Result<Option<TwoFactorSecret>, StoreError> {
        let secret: Option<Option<String>> =
            sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        let Some(secret) = secret.flatten() else {
            return Ok(None);
        };
        let recovery_codes_left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(TwoFactorSecret {
            secret,
            recovery_codes_left,
        }))
    }

    /// Turns the second factor on with its secret, the step of the code that confirmed it and
    /// fresh recovery codes; the account's other sessions end (`keep`: the one turning it on).
    /// False when the account has one already: only turning it off replaces it.
    pub async fn enable_two_factor(
        &self,
        user: UserId,
        secret: &str,
        confirmed_step: i64,
        code_hashes: &[String],
        keep: Option<&str>,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let enabled = sqlx::query(
            "UPDATE users SET totp_secret = $1, totp_last_step = $2
             WHERE id = $3 AND totp_secret IS NULL",
        )
        .bind(secret)
        .bind(confirmed_step)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !enabled {
            return Ok(false);
        }
        replace_codes(&mut tx, user, code_hashes).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.0)
            .bind(keep.unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a code of this time step served; false when one of this step or a later one
    /// already did (a code seen once, by anybody, serves no more).
    pub async fn use_code_step(&self, user: UserId, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1
             WHERE id = $2 AND totp_secret IS NOT NULL
               AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses one of the account's recovery codes; false when it has no such unused code.
    pub async fn use_recovery_code(
        &self,
        user: UserId,
        code_hash: &str,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let used = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now_seconds())
        .bind(user.0)
        .bind(code_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if used {
            insert_audit(&mut tx, None, audit).await?;
        }
        tx.commit().await?;
        Ok(used)
    }

    /// Replaces the account's recovery codes; false when it has no second factor.
    pub async fn replace_recovery_codes(
        &self,
        user: UserId,
        code_hashes: &[String],
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let enabled: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND totp_secret IS NOT NULL")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?;
        if enabled.is_none() {
            return Ok(false);
        }
        replace_codes(&mut tx, user, code_hashes).await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Turns the account's second factor off, with its recovery codes; its sessions end unless
    /// `keep` names the one asking. False when it had none.
    pub async fn disable_two_factor(
        &self,
        user: UserId,
        keep: Option<&str>,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let disabled = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_last_step = NULL
             WHERE id = $1 AND totp_secret IS NOT NULL",
        )
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !disabled {
            return Ok(false);
        }
        replace_codes(&mut tx, user, &[]).await?;
        match keep {
            Some(keep) => {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user.0)
                    .bind(keep)
                    .execute(&mut *tx)
                    .await?;
            }
            None => end_all_sessions(&mut tx, user).await?,
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The accounts that sign in with a second factor.
    pub async fn accounts_with_two_factor(&self) -> Result<Vec<UserId>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE totp_secret IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// The roles that must sign in with a second factor.
    pub async fn two_factor_roles(&self) -> Result<Vec<Role>, StoreError> {
        Ok(self
            .setting(REQUIRED_ROLES)
            .await?
            .unwrap_or_default()
            .split(',')
            .filter_map(|role| Role::parse(role).ok())
            .collect())
    }

    /// Sets the roles that must sign in with a second factor; the sessions of accounts of those
    /// roles without one end, so they set it up at their next sign-in. One transaction.
    pub async fn set_two_factor_roles(
        &self,
        roles: &[Role],
        audit: Audit<'_>,
    ) -> Result<(), StoreError> {
        let listed: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(REQUIRED_ROLES)
        .bind(listed.join(","))
        .execute(&mut *tx)
        .await?;
        for role in listed {
            sqlx::query(
                "DELETE FROM sessions WHERE user_id IN
                     (SELECT id FROM users WHERE role = $1 AND totp_secret IS NULL)",
            )
            .bind(role)
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
