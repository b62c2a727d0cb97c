//! Links that let a person set their password without being signed in: the invitation to a new
//! account (or to an imported one that has no password), and the link of a forgotten password.
//! Only a hash of the link's token is kept; a link serves once, before it expires.

use rotative_domain::{Email, Name, Role, UserId};

use crate::{
    Audit, Store, StoreError, Taken, User, now_seconds,
    outbox::{NewLetter, queue_letter},
    users::{USER_COLUMNS, UserRow, end_all_sessions, insert_audit},
};

/// What a link lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Set the first password of an account.
    Invitation,
    /// Choose a new password for an account whose owner forgot theirs.
    PasswordReset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// The accounts such a link serves, as SQL after `WHERE id = $1`: an invitation, one without
    /// a password yet; a forgotten password's, one with a password (an account an import brought
    /// in stays closed until an administrator invites it).
    fn accounts_served(self) -> &'static str {
        match self {
            Self::Invitation => " AND password_hash IS NULL",
            Self::PasswordReset => " AND password_hash IS NOT NULL",
        }
    }

    /// The audit line of a password set through such a link.
    fn audit_action(self) -> &'static str {
        match self {
            Self::Invitation => "invitation_accept",
            Self::PasswordReset => "password_reset",
        }
    }
}

/// A link to record: the hash of its token, what it is for and until when.
#[derive(Debug, Clone, Copy)]
pub struct NewLink<'a> {
    pub token_hash: &'a str,
    pub purpose: LinkPurpose,
    pub expires_at: i64,
}

/// An account to create, reached by invitation.
#[derive(Debug, Clone, Copy)]
pub struct Invitee<'a> {
    pub email: &'a Email,
    pub name: &'a Name,
    pub role: Role,
}

/// Retires the account's unused links of the new link's kind (one may have gone astray), then
/// records the new link, its letter and the audit line.
async fn replace_links(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    link: &NewLink<'_>,
    letter: &NewLetter<'_>,
    audit: Audit<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE account_links SET used_at = $1
         WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(now_seconds())
    .bind(user.0)
    .bind(link.purpose.as_str())
    .execute(&mut *conn)
    .await?;
    insert_link(conn, user, link).await?;
    queue_letter(conn, letter).await?;
    insert_audit(conn, None, audit).await?;
    Ok(())
}

async fn insert_link(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    link: &NewLink<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_links (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(link.token_hash)
    .bind(user.0)
    .bind(link.purpose.as_str())
    .bind(now_seconds())
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Creates an account without a password, its invitation link and the letter carrying it,
    /// in one transaction; an address already in use is `AlreadyExists`.
    pub async fn invite_user(
        &self,
        invitee: Invitee<'_>,
        link: NewLink<'_>,
        letter: &NewLetter<'_>,
        audit: Audit<'_>,
    ) -> Result<UserId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, NULL, $4) RETURNING id",
        )
        .bind(invitee.email.as_ref())
        .bind(invitee.name.as_ref())
        .bind(invitee.role.as_str())
        .bind(now_seconds())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::AccountEmail))?;
        insert_link(&mut tx, UserId(id), &link).await?;
        queue_letter(&mut tx, letter).await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    /// Invites again an account that has no password yet (imported, or whose invitation
    /// expired): a new link and its letter; its earlier links serve no more (one may have gone
    /// astray). Returns false when the account has a password.
    pub async fn invite_again(
        &self,
        user: UserId,
        link: NewLink<'_>,
        letter: &NewLetter<'_>,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        if !self
            .lock_account(&mut tx, user, " AND password_hash IS NULL")
            .await?
        {
            return Ok(false);
        }
        replace_links(&mut tx, user, &link, letter, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records the link of a forgotten password and the letter carrying it, in one transaction;
    /// the account's earlier links of that kind serve no more. Returns false when the account is
    /// gone or has no password yet (an import's, an invitation's: an administrator invites it).
    pub async fn request_password_reset(
        &self,
        user: UserId,
        link: NewLink<'_>,
        letter: &NewLetter<'_>,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let served = LinkPurpose::PasswordReset.accounts_served();
        if !self.lock_account(&mut tx, user, served).await? {
            return Ok(false);
        }
        replace_links(&mut tx, user, &link, letter, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Locks the account's row, so that two links given or used at once take turns; false when
    /// no account has this id and meets `condition` (SQL after `WHERE id = $1`).
    async fn lock_account(
        &self,
        conn: &mut sqlx::AnyConnection,
        user: UserId,
        condition: &str,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM users WHERE id = $1{condition}{}",
            self.for_update()
        ))
        .bind(user.0)
        .fetch_optional(conn)
        .await?;
        Ok(found.is_some())
    }

    /// The account a link opens, if the link exists, has not served and has not expired.
    pub async fn link_account(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM account_links l JOIN users u ON u.id = l.user_id
             WHERE l.token_hash = $1 AND l.purpose = $2 AND l.used_at IS NULL
               AND l.expires_at > $3"
        ))
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now_seconds())
        .fetch_optional(&self.pool)
        .await?;
        row.map(User::try_from).transpose()
    }

    /// Sets an account's password through a valid link, which then serves no more (nor does
    /// any other link of the account), and ends the account's sessions: one transaction.
    /// Returns the account, or none when the link is not valid or the account is not one the
    /// link serves (`LinkPurpose::accounts_served`). The account's row is locked first, as `invite_again`
    /// does, so two links used at once take turns.
    pub async fn set_password_by_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password_hash: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let now = now_seconds();
        let mut tx = self.begin_write().await?;
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM account_links WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(owner) = owner else {
            return Ok(None);
        };
        let may_set = self
            .lock_account(&mut tx, UserId(owner), purpose.accounts_served())
            .await?;
        let serves: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM account_links
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let (true, Some(user)) = (may_set, serves.map(UserId)) else {
            return Ok(None);
        };
        sqlx::query("UPDATE account_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        end_all_sessions(&mut tx, user).await?;
        insert_audit(&mut tx, None, Audit::by(Some(user), purpose.audit_action())).await?;
        tx.commit().await?;
        Ok(Some(user))
    }
}
