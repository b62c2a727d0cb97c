//! The outbox: letters waiting to be handed over. A letter is written in the transaction of
//! what it tells of (an invitation and its account), so neither exists without the other; every
//! instance takes part in sending, each letter claimed by one at a time.

use rotative_domain::LetterId;
use sqlx::{AnyConnection, FromRow};

use crate::{Store, StoreError, now_seconds};

/// A letter to queue.
#[derive(Debug, Clone, Copy)]
pub struct NewLetter<'a> {
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The link the letter is about, logged when letters are written as files.
    pub link: Option<&'a str>,
}

/// A letter claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct QueuedLetter {
    #[sqlx(try_from = "i64")]
    pub id: LetterId,
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    #[sqlx(rename = "text_body")]
    pub text: String,
    #[sqlx(rename = "html_body")]
    pub html: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub attempts: i64,
    /// Until when this instance holds it: what it records must still find its claim.
    pub claimed_until: i64,
}

/// A letter given up on, for the newsroom to see.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UndeliveredLetter {
    #[sqlx(try_from = "i64")]
    pub id: LetterId,
    pub to_address: String,
    pub subject: String,
    pub created_at: i64,
    pub attempts: i64,
    pub given_up_at: i64,
    pub last_error: String,
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterOutcome<'a> {
    Sent,
    /// Failed; tried again at this time.
    RetryAt(i64, &'a str),
    /// Failed for good.
    GivenUp(&'a str),
}

/// Queues a letter inside the caller's transaction, to be sent at once.
pub(crate) async fn queue_letter(
    conn: &mut AnyConnection,
    letter: &NewLetter<'_>,
) -> Result<LetterId, StoreError> {
    let now = now_seconds();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (to_name, to_address, subject, text_body, html_body, link,
             created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(letter.to_name)
    .bind(letter.to_address)
    .bind(letter.subject)
    .bind(letter.text)
    .bind(letter.html)
    .bind(letter.link)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(LetterId(id))
}

impl Store {
    /// Queues a letter on its own.
    pub async fn queue_letter(&self, letter: &NewLetter<'_>) -> Result<LetterId, StoreError> {
        let mut conn = self.pool.acquire().await?;
        queue_letter(&mut conn, letter).await
    }

    /// Claims up to `limit` letters due now for `seconds`: another instance leaves them alone
    /// until then (an instance that dies mid-send lets the claim lapse, and the letter goes
    /// again).
    pub async fn claim_due_letters(
        &self,
        seconds: i64,
        limit: u32,
    ) -> Result<Vec<QueuedLetter>, StoreError> {
        let now = now_seconds();
        let candidates: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM outbox
             WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1
               AND (claimed_until IS NULL OR claimed_until < $1)
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for id in candidates {
            // Checked again: another instance may have claimed or rescheduled it meanwhile.
            let letter: Option<QueuedLetter> = sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1
                 WHERE id = $2 AND sent_at IS NULL AND given_up_at IS NULL
                   AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3)
                 RETURNING id, to_name, to_address, subject, text_body, html_body, link,
                     created_at, attempts, claimed_until",
            )
            .bind(now.saturating_add(seconds))
            .bind(id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            claimed.extend(letter);
        }
        Ok(claimed)
    }

    /// Records an attempt at a claimed letter and releases the claim, unless the claim lapsed
    /// meanwhile (another instance then holds the letter, and records its own attempt). A
    /// letter sent keeps only who it went to and its subject. Returns whether it was recorded.
    pub async fn record_letter(
        &self,
        letter: &QueuedLetter,
        outcome: LetterOutcome<'_>,
    ) -> Result<bool, StoreError> {
        let now = now_seconds();
        // Each statement reads a time ($1), the letter and its claim ($2, $3), an error ($4).
        let (statement, at, error) = match outcome {
            LetterOutcome::Sent => (
                "UPDATE outbox SET attempts = attempts + 1, sent_at = $1, claimed_until = NULL,
                     text_body = '', html_body = '', link = NULL, last_error = $4
                 WHERE id = $2 AND claimed_until = $3",
                now,
                "",
            ),
            LetterOutcome::RetryAt(at, error) => (
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1,
                     claimed_until = NULL, last_error = $4
                 WHERE id = $2 AND claimed_until = $3",
                at,
                error,
            ),
            LetterOutcome::GivenUp(error) => (
                "UPDATE outbox SET attempts = attempts + 1, given_up_at = $1,
                     claimed_until = NULL, last_error = $4, text_body = '', html_body = '',
                     link = NULL
                 WHERE id = $2 AND claimed_until = $3",
                now,
                error,
            ),
        };
        let query = sqlx::query(statement)
            .bind(at)
            .bind(letter.id.0)
            .bind(letter.claimed_until)
            .bind(error);
        Ok(query.execute(&self.pool).await?.rows_affected() == 1)
    }

    /// The letters given up on, the latest first.
    pub async fn undelivered_letters(
        &self,
        limit: u32,
    ) -> Result<Vec<UndeliveredLetter>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, to_address, subject, created_at, attempts, given_up_at, last_error
             FROM outbox WHERE given_up_at IS NOT NULL ORDER BY given_up_at DESC, id DESC
             LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }
}
