//! Webhooks and their deliveries. A delivery row is written for each address subscribed to an
//! event in the same transaction as the change that makes the event (through the audit line
//! every newsroom change writes), so an event is neither lost nor recorded twice; instances
//! then claim due deliveries one by one, for a while, so each is sent by one of them.

use rotative_domain::{ArticleId, CorrectionId, DeliveryId, UserId, WebhookEvent, WebhookId};
use sqlx::{AnyConnection, FromRow};

use crate::{
    Store, StoreError, now_seconds,
    users::{Audit, insert_audit},
};

/// A webhook as the newsroom lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created_at: i64,
    pub created_by: Option<String>,
    /// Deliveries waiting for their next attempt.
    pub pending: i64,
    /// Deliveries given up on.
    pub failed: i64,
}

/// A webhook to record.
#[derive(Debug, Clone, Copy)]
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a [WebhookEvent],
    pub created_by: Option<UserId>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up on after a day of failures.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    fn parse(value: &str) -> Result<Self, StoreError> {
        match value {
            "pending" => Ok(Self::Pending),
            "delivered" => Ok(Self::Delivered),
            "failed" => Ok(Self::Failed),
            other => Err(StoreError::corrupt("delivery status", other)),
        }
    }
}

/// One event for one webhook, with its last attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook_id: WebhookId,
    pub event: WebhookEvent,
    pub article_id: ArticleId,
    pub created_at: i64,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_attempt_at: Option<i64>,
    /// The receiver's HTTP status, if it answered.
    pub last_status: Option<i64>,
    /// Why the last attempt failed without an answer (time-out, refused connection…).
    pub last_error: Option<String>,
}

/// A delivery this instance has claimed, with what it needs to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: DeliveryId,
    pub url: String,
    pub secret: String,
    pub event: WebhookEvent,
    pub article_id: ArticleId,
    /// The note a `correction.added` tells of.
    pub correction: Option<CorrectionId>,
    pub created_at: i64,
    pub attempts: i64,
    /// The body of the first attempt: every retry sends the same, so signatures and ids match.
    pub payload: Option<String>,
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub payload: &'a str,
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    /// Delivered, or to try again at a time, or given up.
    pub next: AttemptNext,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptNext {
    Delivered,
    RetryAt(i64),
    GiveUp,
}

#[derive(FromRow)]
struct WebhookRow {
    id: i64,
    url: String,
    created_at: i64,
    created_by: Option<String>,
    events: String,
    pending: i64,
    failed: i64,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;

    fn try_from(row: WebhookRow) -> Result<Self, StoreError> {
        let mut events = row
            .events
            .split(' ')
            .filter(|name| !name.is_empty())
            .map(event)
            .collect::<Result<Vec<_>, _>>()?;
        // In the order the newsroom lists them, whatever the database's.
        events.sort_unstable();
        Ok(Self {
            id: WebhookId(row.id),
            url: row.url,
            events,
            created_at: row.created_at,
            created_by: row.created_by,
            pending: row.pending,
            failed: row.failed,
        })
    }
}

fn event(name: &str) -> Result<WebhookEvent, StoreError> {
    WebhookEvent::parse(name).map_err(|e| StoreError::corrupt("webhook event", e))
}

#[derive(FromRow)]
struct DeliveryRow {
    id: i64,
    webhook_id: i64,
    event: String,
    article_id: i64,
    created_at: i64,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_attempt_at: Option<i64>,
    last_status: Option<i64>,
    last_error: Option<String>,
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = StoreError;

    fn try_from(row: DeliveryRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: DeliveryId(row.id),
            webhook_id: WebhookId(row.webhook_id),
            event: event(&row.event)?,
            article_id: ArticleId(row.article_id),
            created_at: row.created_at,
            status: DeliveryStatus::parse(&row.status)?,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_attempt_at: row.last_attempt_at,
            last_status: row.last_status,
            last_error: row.last_error,
        })
    }
}

#[derive(FromRow)]
struct DueRow {
    id: i64,
    url: String,
    secret: String,
    event: String,
    article_id: i64,
    correction_id: Option<i64>,
    created_at: i64,
    attempts: i64,
    payload: Option<String>,
}

/// How long an edit's event waits for the edits that follow it.
const EDITS_SETTLE_SECONDS: i64 = 30;

/// Records, for each webhook subscribed to it, the event a newsroom action on a story makes, if
/// it makes one; inside the action's transaction. A story edited again before the last edit's
/// event was first sent is told of once.
pub(crate) async fn note_event(
    conn: &mut AnyConnection,
    article_id: ArticleId,
    action: &str,
) -> Result<(), StoreError> {
    let edit = matches!(action, "edit" | "restore" | "autosave");
    let published = if edit {
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM articles WHERE id = $1")
                .bind(article_id.0)
                .fetch_optional(&mut *conn)
                .await?;
        status.as_deref() == Some("published")
    } else {
        false
    };
    let Some(event) = WebhookEvent::of_action(action, published) else {
        return Ok(());
    };
    let now = now_seconds();
    // An edit waits a little before it is sent, so a run of saves (the editor saves every few
    // seconds) is told of once; an event already being sent does not take later edits in.
    let due = if event == WebhookEvent::StoryUpdated {
        now + EDITS_SETTLE_SECONDS
    } else {
        now
    };
    sqlx::query(
        "INSERT INTO webhook_deliveries
             (webhook_id, event, article_id, correction_id, created_at, status, next_attempt_at)
         SELECT s.webhook_id, s.event, $1,
                CASE WHEN s.event = 'correction.added'
                     THEN (SELECT MAX(c.id) FROM corrections c WHERE c.article_id = $1) END,
                $2, 'pending', $3
         FROM webhook_subscriptions s
         WHERE s.event = $4 AND NOT (s.event = 'story.updated' AND EXISTS (
             SELECT 1 FROM webhook_deliveries d
             WHERE d.article_id = $1 AND d.event = s.event AND d.status = 'pending'
               AND d.webhook_id = s.webhook_id AND d.attempts = 0
               AND (d.claimed_until IS NULL OR d.claimed_until < $2)))",
    )
    .bind(article_id.0)
    .bind(now)
    .bind(due)
    .bind(event.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    pub async fn create_webhook(
        &self,
        webhook: NewWebhook<'_>,
        audit: Audit<'_>,
    ) -> Result<WebhookId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhooks (url, secret, created_by, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(webhook.url)
        .bind(webhook.secret)
        .bind(webhook.created_by.map(|user| user.0))
        .bind(now_seconds())
        .fetch_one(&mut *tx)
        .await?;
        for event in webhook.events {
            sqlx::query(
                "INSERT INTO webhook_subscriptions (webhook_id, event) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(event.as_str())
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(WebhookId(id))
    }

    /// Every webhook, oldest first, with its events and how its deliveries stand.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        self.webhooks_where("TRUE", None).await
    }

    pub async fn webhook(&self, id: WebhookId) -> Result<Option<Webhook>, StoreError> {
        Ok(self
            .webhooks_where("w.id = $1", Some(id))
            .await?
            .into_iter()
            .next())
    }

    async fn webhooks_where(
        &self,
        condition: &str,
        id: Option<WebhookId>,
    ) -> Result<Vec<Webhook>, StoreError> {
        let sql = format!(
            "SELECT w.id, w.url, w.created_at, u.name AS created_by, '' AS events,
                 (SELECT COUNT(*) FROM webhook_deliveries d
                  WHERE d.webhook_id = w.id AND d.status = 'pending') AS pending,
                 (SELECT COUNT(*) FROM webhook_deliveries d
                  WHERE d.webhook_id = w.id AND d.status = 'failed') AS failed
             FROM webhooks w LEFT JOIN users u ON u.id = w.created_by
             WHERE {condition} ORDER BY w.id"
        );
        let mut query = sqlx::query_as::<_, WebhookRow>(&sql);
        if let Some(id) = id {
            query = query.bind(id.0);
        }
        let mut rows = query.fetch_all(&self.pool).await?;
        let subscriptions: Vec<(i64, String)> = sqlx::query_as(
            "SELECT webhook_id, event FROM webhook_subscriptions ORDER BY webhook_id, event",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in &mut rows {
            row.events = subscriptions
                .iter()
                .filter(|(webhook, _)| *webhook == row.id)
                .map(|(_, event)| event.as_str())
                .collect::<Vec<_>>()
                .join(" ");
        }
        rows.into_iter().map(Webhook::try_from).collect()
    }

    /// Removes a webhook, its subscriptions and its deliveries; false if there was none.
    pub async fn remove_webhook(
        &self,
        id: WebhookId,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        for table in ["webhook_deliveries", "webhook_subscriptions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE webhook_id = $1"))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        let removed = sqlx::query("DELETE FROM webhooks WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if removed {
            insert_audit(&mut tx, None, audit).await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// A webhook's latest deliveries, newest first.
    pub async fn deliveries(
        &self,
        webhook: WebhookId,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT id, webhook_id, event, article_id, created_at, status, attempts,
                    next_attempt_at, last_attempt_at, last_status, last_error
             FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(webhook.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Delivery::try_from).collect()
    }

    /// Claims up to `limit` deliveries that are due, for `seconds`: another instance skips them
    /// meanwhile, and takes them back if this one stops before recording its attempt.
    pub async fn claim_due_deliveries(
        &self,
        seconds: i64,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let now = now_seconds();
        let candidates: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt_at <= $1
               AND (claimed_until IS NULL OR claimed_until < $1)
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for id in candidates {
            let ours = sqlx::query(
                "UPDATE webhook_deliveries SET claimed_until = $1
                 WHERE id = $2 AND status = 'pending'
                   AND (claimed_until IS NULL OR claimed_until < $3)",
            )
            .bind(now.saturating_add(seconds))
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected()
                == 1;
            if ours {
                claimed.push(id);
            }
        }
        let mut due = Vec::with_capacity(claimed.len());
        for id in claimed {
            let row: DueRow = sqlx::query_as(
                "SELECT d.id, w.url, w.secret, d.event, d.article_id, d.correction_id,
                        d.created_at, d.attempts, d.payload
                 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE d.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            due.push(DueDelivery {
                id: DeliveryId(row.id),
                url: row.url,
                secret: row.secret,
                event: event(&row.event)?,
                article_id: ArticleId(row.article_id),
                correction: row.correction_id.map(CorrectionId),
                created_at: row.created_at,
                attempts: row.attempts,
                payload: row.payload,
            });
        }
        Ok(due)
    }

    /// Records an attempt at a claimed delivery and releases the claim.
    pub async fn record_attempt(
        &self,
        id: DeliveryId,
        attempt: Attempt<'_>,
    ) -> Result<(), StoreError> {
        let now = now_seconds();
        let (status, next) = match attempt.next {
            AttemptNext::Delivered => (DeliveryStatus::Delivered, now),
            AttemptNext::RetryAt(at) => (DeliveryStatus::Pending, at),
            AttemptNext::GiveUp => (DeliveryStatus::Failed, now),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $1,
                 last_status = $2, last_error = $3, payload = COALESCE(payload, $4),
                 status = $5, next_attempt_at = $6, claimed_until = NULL
             WHERE id = $7",
        )
        .bind(now)
        .bind(attempt.status.map(i64::from))
        .bind(attempt.error)
        .bind(attempt.payload)
        .bind(status.as_str())
        .bind(next)
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
