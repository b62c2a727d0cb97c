//! Newsroom notifications: written in the transaction of the act they tell of, read and marked
//! read by their owner, and handed to the mail round, each once.

use rotative_domain::{ArticleId, NoticeKind, NotificationId, UserId};
use sqlx::{AnyConnection, FromRow};

use crate::{
    NewLetter, Store, StoreError, now_seconds,
    outbox::queue_letter,
    statement::{Statement, in_statements},
};

/// An event to tell these accounts of, written with the act that makes it.
#[derive(Debug, Clone, Copy)]
pub struct NewNotice<'a> {
    pub kind: NoticeKind,
    pub article_id: ArticleId,
    /// Who did it; none for the scheduler.
    pub actor: Option<UserId>,
    pub recipients: &'a [UserId],
}

/// A notification as its owner reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NoticeKind,
    pub article_id: ArticleId,
    pub headline: String,
    pub actor_name: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

/// What an account wants by email: every kind but those turned off, one letter each or all
/// together once a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationSettings {
    pub mail_off: Vec<NoticeKind>,
    pub digest: bool,
}

/// A notification the mail round has not handled yet, with what it needs to decide and word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNotice {
    pub notification: Notification,
    pub user_id: UserId,
    pub to_name: String,
    pub to_address: String,
    /// Whether the account can sign in (an account without a password reads no newsroom).
    pub active: bool,
    /// Whether its owner wants this kind by email.
    pub wanted: bool,
    pub digest: bool,
}

/// Written inside the caller's transaction: one row for each recipient.
pub(crate) async fn insert_notices(
    conn: &mut AnyConnection,
    notice: &NewNotice<'_>,
) -> Result<(), StoreError> {
    let now = now_seconds();
    for recipients in in_statements(notice.recipients, 5) {
        let mut insert = Statement::new(
            "INSERT INTO notifications (user_id, kind, article_id, actor_id, created_at) VALUES ",
        );
        insert.push_rows(recipients, |row, recipient| {
            row.value(recipient.0)
                .value(notice.kind.as_str())
                .value(notice.article_id.0)
                .value(notice.actor.map(|actor| actor.0))
                .value(now);
        });
        let (sql, arguments) = insert.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Which of an account's notifications to mark read.
#[derive(Debug, Clone, Copy)]
pub enum Marking<'a> {
    These(&'a [NotificationId]),
    /// Every one up to this one: those the person was shown, not one that came since.
    UpTo(NotificationId),
    All,
}

/// The most unread notifications counted: a menu says « 99+ » past it, and the count stays
/// cheap on every page.
pub const UNREAD_COUNTED: i64 = 100;

/// How many of an account's notifications are unread, counted up to `UNREAD_COUNTED`, as a
/// subquery on the account `u`.
pub(crate) const UNREAD_SUBQUERY: &str = "(SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
    WHERE n.user_id = u.id AND n.read_at IS NULL LIMIT 100) unread)";

#[derive(FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    article_id: i64,
    headline: String,
    actor_name: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoreError;

    fn try_from(row: NotificationRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: NotificationId(row.id),
            kind: NoticeKind::parse(&row.kind)
                .map_err(|error| StoreError::corrupt("notification kind", error))?,
            article_id: ArticleId(row.article_id),
            headline: row.headline,
            actor_name: row.actor_name,
            created_at: row.created_at,
            read: row.read_at.is_some(),
        })
    }
}

#[derive(FromRow)]
struct PendingRow {
    #[sqlx(flatten)]
    notification: NotificationRow,
    user_id: i64,
    to_name: String,
    to_address: String,
    active: i64,
    mail_off: i64,
    digest: i64,
}

/// The columns of a `NotificationRow`, from `notifications n`, `articles a` and the actor `u`.
const NOTIFICATION_COLUMNS: &str = "n.id, n.kind, n.article_id, a.headline,
    u.name AS actor_name, n.created_at, n.read_at";
const NOTIFICATION_JOINS: &str = "FROM notifications n JOIN articles a ON a.id = n.article_id
    LEFT JOIN users u ON u.id = n.actor_id";

impl Store {
    /// An account's notifications, newest first, from before `before` (the next page), only
    /// the unread ones if asked.
    pub async fn notifications_of(
        &self,
        user: UserId,
        unread_only: bool,
        before: Option<NotificationId>,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        let mut query = Statement::new(format!(
            "SELECT {NOTIFICATION_COLUMNS} {NOTIFICATION_JOINS} WHERE n.user_id = "
        ));
        query.push_bind(user.0);
        if unread_only {
            query.push(" AND n.read_at IS NULL");
        }
        if let Some(before) = before {
            query.push(" AND n.id < ").push_bind(before.0);
        }
        query
            .push(" ORDER BY n.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let (sql, arguments) = query.finish()?;
        let rows: Vec<NotificationRow> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Notification::try_from).collect()
    }

    /// How many of an account's notifications are unread, up to `UNREAD_COUNTED`.
    pub async fn unread_notifications(&self, user: UserId) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&format!(
            "SELECT {UNREAD_SUBQUERY} FROM users u WHERE u.id = $1"
        ))
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or_default())
    }

    /// Marks an account's notifications read; another account's are never touched. Returns
    /// how many were unread.
    pub async fn mark_notifications_read(
        &self,
        user: UserId,
        which: Marking<'_>,
    ) -> Result<u64, StoreError> {
        let mut query = Statement::new("UPDATE notifications SET read_at = ");
        query
            .push_bind(now_seconds())
            .push(" WHERE read_at IS NULL AND user_id = ")
            .push_bind(user.0);
        match which {
            Marking::These([]) => return Ok(0),
            Marking::These(ids) => {
                query
                    .push(" AND id IN (")
                    .push_binds(ids.iter().map(|id| id.0))
                    .push(")");
            }
            Marking::UpTo(last) => {
                query.push(" AND id <= ").push_bind(last.0);
            }
            Marking::All => {}
        }
        let (sql, arguments) = query.finish()?;
        Ok(sqlx::query_with(&sql, arguments)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// The story one of an account's notifications is about (none: the account has no such
    /// notification), marking it read if asked.
    pub async fn open_notification(
        &self,
        user: UserId,
        id: NotificationId,
        mark_read: bool,
    ) -> Result<Option<ArticleId>, StoreError> {
        let article: Option<i64> = if mark_read {
            sqlx::query_scalar(
                "UPDATE notifications SET read_at = COALESCE(read_at, $1)
                 WHERE id = $2 AND user_id = $3 RETURNING article_id",
            )
            .bind(now_seconds())
            .bind(id.0)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?
        } else {
            sqlx::query_scalar(
                "SELECT article_id FROM notifications WHERE id = $1 AND user_id = $2",
            )
            .bind(id.0)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?
        };
        Ok(article.map(ArticleId))
    }

    /// Deletes the notifications read before `before`; returns how many. Asked every second,
    /// it writes only when there is something to delete: on SQLite a write, even of no row,
    /// takes the database's one write lock from the newsroom's saves.
    pub async fn prune_read_notifications(&self, before: i64) -> Result<u64, StoreError> {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM notifications WHERE read_at IS NOT NULL AND read_at < $1 LIMIT 1",
        )
        .bind(before)
        .fetch_optional(&self.pool)
        .await?;
        if due.is_none() {
            return Ok(0);
        }
        Ok(
            sqlx::query("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    pub async fn notification_settings(
        &self,
        user: UserId,
    ) -> Result<NotificationSettings, StoreError> {
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT kind FROM notification_mail_off WHERE user_id = $1")
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
        let digest: Option<i64> =
            sqlx::query_scalar("SELECT notification_digest FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        let mut mail_off: Vec<NoticeKind> = kinds
            .iter()
            .filter_map(|kind| NoticeKind::parse(kind).ok())
            .collect();
        mail_off.sort_unstable();
        Ok(NotificationSettings {
            mail_off,
            digest: digest.ok_or(StoreError::NotFound("account"))? != 0,
        })
    }

    /// Replaces what an account wants by email.
    pub async fn set_notification_settings(
        &self,
        user: UserId,
        settings: &NotificationSettings,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let found = sqlx::query("UPDATE users SET notification_digest = $1 WHERE id = $2")
            .bind(i64::from(settings.digest))
            .bind(user.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if found == 0 {
            return Err(StoreError::NotFound("account"));
        }
        sqlx::query("DELETE FROM notification_mail_off WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        for kind in &settings.mail_off {
            sqlx::query("INSERT INTO notification_mail_off (user_id, kind) VALUES ($1, $2)")
                .bind(user.0)
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The accounts that wrote a story: the one that made it, and those whose byline it
    /// carries.
    pub async fn story_writers(&self, article: ArticleId) -> Result<Vec<UserId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT created_by FROM articles WHERE id = $1 AND created_by IS NOT NULL
             UNION
             SELECT u.id FROM users u JOIN article_authors aa ON aa.author_id = u.author_id
             WHERE aa.article_id = $1",
        )
        .bind(article.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// The notifications the mail round has not handled, oldest first; of accounts that chose
    /// the daily digest, only those written before `digest_since` (the latest digest hour: the
    /// others wait for the next one).
    pub async fn pending_notices(
        &self,
        digest_since: i64,
        limit: u32,
    ) -> Result<Vec<PendingNotice>, StoreError> {
        let rows: Vec<PendingRow> = sqlx::query_as(&format!(
            "SELECT {NOTIFICATION_COLUMNS}, n.user_id, r.name AS to_name, r.email AS to_address,
                 CAST(CASE WHEN r.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS active,
                 (SELECT COUNT(*) FROM notification_mail_off o
                  WHERE o.user_id = n.user_id AND o.kind = n.kind) AS mail_off,
                 r.notification_digest AS digest
             {NOTIFICATION_JOINS} JOIN users r ON r.id = n.user_id
             WHERE n.mail_pending = 1 AND (r.notification_digest = 0 OR n.created_at < $1)
             ORDER BY n.id LIMIT $2"
        ))
        .bind(digest_since)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(PendingNotice {
                    notification: row.notification.try_into()?,
                    user_id: UserId(row.user_id),
                    to_name: row.to_name,
                    to_address: row.to_address,
                    active: row.active != 0,
                    wanted: row.mail_off == 0,
                    digest: row.digest != 0,
                })
            })
            .collect()
    }

    /// Marks notifications handled by the mail round and queues the letter that tells of them
    /// (none: they are not to be mailed), in one transaction. Nothing is written if another
    /// instance handled any of them first: returns whether this one did.
    pub async fn mail_notices(
        &self,
        ids: &[NotificationId],
        letter: Option<&NewLetter<'_>>,
    ) -> Result<bool, StoreError> {
        if ids.is_empty() {
            return Ok(false);
        }
        let mut tx = self.pool.begin().await?;
        let mut handled = 0;
        for batch in in_statements(ids, 1) {
            let mut query = Statement::new(
                "UPDATE notifications SET mail_pending = 0 WHERE mail_pending = 1 AND id IN (",
            );
            query.push_binds(batch.iter().map(|id| id.0)).push(")");
            let (sql, arguments) = query.finish()?;
            handled += sqlx::query_with(&sql, arguments)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        if usize::try_from(handled).ok() != Some(ids.len()) {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(letter) = letter {
            queue_letter(&mut tx, letter).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
