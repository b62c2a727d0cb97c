//! Newsroom accounts, their sessions, sign-in throttling and the audit log.

use rotative_domain::{ArticleId, Author, Email, Name, Role, UserId};
use sqlx::{AnyConnection, FromRow};

use crate::{Store, StoreError, Taken, notifications::UNREAD_SUBQUERY, now_seconds};

/// An account as the newsroom needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: Name,
    pub role: Role,
    /// None until a password is set (imported accounts, for example).
    pub password_hash: Option<String>,
}

/// A signed-in session: whose it is, and the token every form must echo back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub last_seen_at: i64,
    /// How many of the account's notifications are unread, up to `UNREAD_COUNTED` (the
    /// newsroom's menu shows it).
    pub unread_notifications: i64,
}

/// One line of the audit log, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub user_name: Option<String>,
    pub article_id: Option<ArticleId>,
    pub headline: Option<String>,
    pub action: String,
    pub detail: String,
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.password_hash";

/// A line of the audit log, with who and which story.
#[derive(FromRow)]
struct AuditRow {
    at: i64,
    user_name: Option<String>,
    article_id: Option<i64>,
    headline: Option<String>,
    action: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        Self {
            at: row.at,
            user_name: row.user_name,
            article_id: row.article_id.map(ArticleId),
            headline: row.headline,
            action: row.action,
            detail: row.detail,
        }
    }
}

/// An account's row (`USER_COLUMNS`).
#[derive(FromRow)]
pub(crate) struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: UserId(row.id),
            email: Email::parse(&row.email).map_err(|e| StoreError::corrupt("email", e))?,
            name: Name::parse(&row.name).map_err(|e| StoreError::corrupt("user name", e))?,
            role: Role::parse(&row.role).map_err(|e| StoreError::corrupt("role", e))?,
            password_hash: row.password_hash,
        })
    }
}

/// A session as its owner's list shows it. Its token hash names it in forms: the token itself,
/// which the cookie carries, cannot be made from it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OpenSession {
    pub token_hash: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// Which of an account's sessions to end.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// The one with this token hash.
    One(&'a str),
    /// Every one but the one with this token hash (the session asking).
    AllBut(&'a str),
}

/// A session with its account.
#[derive(FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    unread_notifications: i64,
}

/// Ends every session of an account, inside the transaction that changed its rights or password.
pub(crate) async fn end_all_sessions(
    conn: &mut AnyConnection,
    user_id: UserId,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Who did what, for the audit log: written in the same transaction as the change it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audit<'a> {
    /// The account that acted; none for the site's own jobs (scheduled publishing) and imports.
    pub user: Option<UserId>,
    pub action: &'a str,
    pub detail: &'a str,
}

impl<'a> Audit<'a> {
    pub fn by(user: Option<UserId>, action: &'a str) -> Self {
        Self {
            user,
            action,
            detail: "",
        }
    }

    #[must_use]
    pub fn detail(self, detail: &'a str) -> Self {
        Self { detail, ..self }
    }
}

pub(crate) async fn insert_audit(
    conn: &mut AnyConnection,
    article_id: Option<ArticleId>,
    audit: Audit<'_>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (user_id, article_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(audit.user.map(|user| user.0))
        .bind(article_id.map(|article| article.0))
        .bind(audit.action)
        .bind(audit.detail)
        .bind(now_seconds())
        .execute(&mut *conn)
        .await?;
    if let Some(article_id) = article_id {
        crate::webhooks::note_event(conn, article_id, audit.action).await?;
    }
    Ok(())
}

impl Store {
    /// Creates an account; an address already in use is `AlreadyExists`.
    #[tracing::instrument(skip(self, password_hash))]
    pub async fn create_user(
        &self,
        email: &Email,
        name: &Name,
        role: Role,
        password_hash: Option<&str>,
        audit: Audit<'_>,
    ) -> Result<UserId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email.as_ref())
        .bind(name.as_ref())
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_seconds())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::AccountEmail))?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let pool = &self.pool;
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1"
        ))
        .bind(email.as_ref())
        .fetch_optional(pool)
        .await?;
        row.map(User::try_from).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
        ))
        .fetch_all(pool)
        .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// Gives an account another role; its sessions end, so the new rights apply at once.
    pub async fn set_role(
        &self,
        user_id: UserId,
        role: Role,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let changed = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        end_all_sessions(&mut tx, user_id).await?;
        if changed {
            insert_audit(&mut tx, None, audit).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Creates, if no account has this address yet, an account that cannot sign in until an
    /// admin activates it, tied to its byline. Returns whether it was created.
    pub async fn create_inactive_user(
        &self,
        email: &Email,
        name: &Name,
        role: Role,
        byline: &Author,
    ) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let author_id = crate::taxonomy::ensure_author(&mut tx, byline).await?;
        let created = sqlx::query(
            "INSERT INTO users (email, name, role, password_hash, author_id, created_at)
             VALUES ($1, $2, $3, NULL, $4, $5) ON CONFLICT (email) DO NOTHING",
        )
        .bind(email.as_ref())
        .bind(name.as_ref())
        .bind(role.as_str())
        .bind(author_id)
        .bind(now_seconds())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(created)
    }

    /// Sets a new password and ends every session of the account, so a stolen session dies with
    /// the old password.
    pub async fn set_password(
        &self,
        user_id: UserId,
        password_hash: &str,
        audit: Audit<'_>,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id.0)
            .execute(&mut *tx)
            .await?;
        end_all_sessions(&mut tx, user_id).await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a session; `user_agent` is what the browser said it is, for its owner's list.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: UserId,
        csrf_token: &str,
        user_agent: &str,
        audit: Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_seconds();
        sqlx::query(
            "INSERT INTO sessions
                 (token_hash, user_id, csrf_token, created_at, last_seen_at, user_agent)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id.0)
        .bind(csrf_token)
        .bind(now)
        .bind(user_agent)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session with this token hash if it was used within `idle_seconds` and began within
    /// `lifetime_seconds`; one idle or too old is deleted. A live session's last use is refreshed
    /// (at most once a minute, to spare writes).
    pub async fn live_session(
        &self,
        token_hash: &str,
        idle_seconds: i64,
        lifetime_seconds: i64,
    ) -> Result<Option<Session>, StoreError> {
        let pool = &self.pool;
        let now = now_seconds();
        let row: Option<SessionRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.created_at, s.last_seen_at,
                 {UNREAD_SUBQUERY} AS unread_notifications
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (last_seen_at, created_at) = (row.last_seen_at, row.created_at);
        if now - last_seen_at > idle_seconds || now - created_at > lifetime_seconds {
            self.end_session(token_hash).await?;
            return Ok(None);
        }
        if now - last_seen_at > 60 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await?;
        }
        Ok(Some(Session {
            user: row.user.try_into()?,
            csrf_token: row.csrf_token,
            last_seen_at,
            unread_notifications: row.unread_notifications,
        }))
    }

    /// An account's sessions still alive (see `live_session`), the most recently used first.
    pub async fn sessions_of(
        &self,
        user: UserId,
        idle_seconds: i64,
        lifetime_seconds: i64,
    ) -> Result<Vec<OpenSession>, StoreError> {
        let now = now_seconds();
        Ok(sqlx::query_as(
            "SELECT token_hash, user_agent, created_at, last_seen_at FROM sessions
             WHERE user_id = $1 AND last_seen_at >= $2 AND created_at >= $3
             ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(user.0)
        .bind(now - idle_seconds)
        .bind(now - lifetime_seconds)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends sessions of one account: the one with this token hash, or every one but it
    /// (`Ending::AllBut`). Returns how many ended; another account's session is never touched.
    pub async fn end_sessions_of(
        &self,
        user: UserId,
        ending: Ending<'_>,
        audit: Audit<'_>,
    ) -> Result<u64, StoreError> {
        let (condition, token_hash) = match ending {
            Ending::One(token_hash) => ("=", token_hash),
            Ending::AllBut(token_hash) => ("<>", token_hash),
        };
        let mut tx = self.pool.begin().await?;
        let ended = sqlx::query(&format!(
            "DELETE FROM sessions WHERE user_id = $1 AND token_hash {condition} $2"
        ))
        .bind(user.0)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ended > 0 {
            insert_audit(&mut tx, None, audit).await?;
        }
        tx.commit().await?;
        Ok(ended)
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Counts one more attempt under `key` within a window of `window` seconds (a new window
    /// starts once the last one is over) and returns the attempts in the window, this one
    /// included. One statement: attempts made in parallel are each counted, so a limit checked
    /// on the result cannot be raced.
    pub async fn count_attempt(&self, key: &str, window: i64) -> Result<u32, StoreError> {
        let pool = &self.pool;
        let now = now_seconds();
        let attempts: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (key, window_start, attempts) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
                 attempts = CASE WHEN sign_in_attempts.window_start <= $3 THEN 1
                                 ELSE sign_in_attempts.attempts + 1 END,
                 window_start = CASE WHEN sign_in_attempts.window_start <= $4 THEN $5
                                     ELSE sign_in_attempts.window_start END
             RETURNING attempts",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .bind(now - window)
        .bind(now)
        .fetch_one(pool)
        .await?;
        Ok(u32::try_from(attempts).unwrap_or(u32::MAX))
    }

    /// Forgets the attempts counted under `key` (after a successful sign-in).
    pub async fn forget_attempts(&self, key: &str) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("DELETE FROM sign_in_attempts WHERE key = $1")
            .bind(key)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// Remembers a browser the account signed in from, by its token's hash.
    pub async fn remember_device(
        &self,
        token_hash: &str,
        user_id: UserId,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, last_used_at) VALUES ($1, $2, $3)
             ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at",
        )
        .bind(token_hash)
        .bind(user_id.0)
        .bind(now_seconds())
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Whether the browser with this token's hash signed in to the account of `email` before.
    pub async fn is_known_device(&self, token_hash: &str, email: &str) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM known_devices d JOIN users u ON u.id = d.user_id
             WHERE d.token_hash = $1 AND u.email = $2",
        )
        .bind(token_hash)
        .bind(email)
        .fetch_optional(pool)
        .await?;
        Ok(known.is_some())
    }

    /// The secret called `name`, made by `make` and kept if no instance made it before: every
    /// instance ends up with the same one.
    pub async fn shared_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        let pool = &self.pool;
        sqlx::query(
            "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .execute(pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?,
        )
    }

    /// The newest audit entries, optionally for one story.
    pub async fn audit_entries(
        &self,
        article_id: Option<ArticleId>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT l.at, u.name AS user_name, l.article_id, a.headline, l.action, l.detail
             FROM audit_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN articles a ON a.id = l.article_id
             WHERE ($1 IS NULL OR l.article_id = $1)
             ORDER BY l.id DESC LIMIT $2",
        )
        .bind(article_id.map(|article| article.0))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}
