//! Sending the outbox's letters: each instance claims the letters due, hands them to the
//! postman, and records what came of it. A temporary failure is tried again later, each time
//! after a longer wait; a letter not sent within a day is given up and shown to administrators.

use rotative_mail::{Failure, Letter, Postman};
use rotative_store::{LetterOutcome, QueuedLetter, UndeliveredLetter};

use crate::{Actor, Newsroom, NewsroomError};

/// Letters one round sends at most, each claimed just before it goes, for longer than the
/// slowest exchange an SMTP server may drag out (a timeout on each of its steps).
const LETTERS_PER_ROUND: u32 = 20;
const CLAIM_SECONDS: i64 = 600;
/// A letter still not sent this long after it was queued is given up.
const GIVE_UP_AFTER_SECONDS: i64 = 24 * 60 * 60;
/// Letters given up on that the accounts page lists.
const UNDELIVERED_LISTED: u32 = 20;

/// The wait, in seconds, after a failure when no waits are given.
const DEFAULT_RETRY_SECONDS: u64 = 60;

/// How long to wait after the `attempts`-th failure (0: the first).
fn retry_delay(attempts: i64, waits: &[u64]) -> i64 {
    let index = usize::try_from(attempts).unwrap_or(0);
    let wait = waits
        .get(index)
        .or_else(|| waits.last())
        .copied()
        .unwrap_or(DEFAULT_RETRY_SECONDS);
    i64::try_from(wait).unwrap_or(i64::MAX)
}

/// What comes of an attempt made at `now` on a letter, after its earlier attempts.
fn outcome<'a>(
    result: &'a Result<(), Failure>,
    now: i64,
    letter: &QueuedLetter,
    waits: &[u64],
) -> LetterOutcome<'a> {
    match result {
        Ok(()) => LetterOutcome::Sent,
        Err(Failure::Permanent(error)) => LetterOutcome::GivenUp(error),
        Err(Failure::Temporary(error)) => {
            let next = now.saturating_add(retry_delay(letter.attempts, waits));
            if next.saturating_sub(letter.created_at) > GIVE_UP_AFTER_SECONDS {
                LetterOutcome::GivenUp(error)
            } else {
                LetterOutcome::RetryAt(next, error)
            }
        }
    }
}

impl Newsroom {
    /// Hands over the letters due, waiting `waits` (in seconds, the last repeating) after
    /// temporary failures; returns how many went.
    pub async fn send_due_letters(
        &self,
        postman: &Postman,
        waits: &[u64],
    ) -> Result<usize, NewsroomError> {
        let mut sent = 0;
        for _ in 0..LETTERS_PER_ROUND {
            let Some(queued) = self.store.claim_due_letters(CLAIM_SECONDS, 1).await?.pop() else {
                break;
            };
            let letter = Letter {
                to_name: queued.to_name.clone(),
                to_address: queued.to_address.clone(),
                subject: queued.subject.clone(),
                text: queued.text.clone(),
                html: queued.html.clone(),
            };
            let result = postman
                .send(
                    &letter,
                    &format!("rotative.letter-{}.{}", queued.id, queued.created_at),
                )
                .await;
            let now = jiff::Timestamp::now().as_second();
            match &result {
                Ok(()) if postman.writes_files() => {
                    sent += 1;
                    tracing::info!(
                        letter = %queued.id,
                        to = %queued.to_address,
                        link = queued.link.as_deref().unwrap_or(""),
                        folder = %postman.destination(),
                        "letter written as a file"
                    );
                }
                Ok(()) => {
                    sent += 1;
                    tracing::info!(letter = %queued.id, to = %queued.to_address, "letter sent");
                }
                Err(error) => {
                    tracing::warn!(letter = %queued.id, %error, "letter not sent");
                }
            }
            self.store
                .record_letter(&queued, outcome(&result, now, &queued, waits))
                .await?;
        }
        Ok(sent)
    }

    /// The letters given up on, the latest first (administrators).
    pub async fn undelivered_letters(
        &self,
        actor: &Actor,
    ) -> Result<Vec<UndeliveredLetter>, NewsroomError> {
        actor.administers()?;
        Ok(self.store.undelivered_letters(UNDELIVERED_LISTED).await?)
    }
}

#[cfg(test)]
mod tests {
    use rotative_domain::LetterId;

    use super::*;

    fn queued(created_at: i64, attempts: i64) -> QueuedLetter {
        QueuedLetter {
            id: LetterId(1),
            to_name: String::new(),
            to_address: String::new(),
            subject: String::new(),
            text: String::new(),
            html: String::new(),
            link: None,
            created_at,
            attempts,
            claimed_until: 0,
        }
    }

    #[test]
    fn failures_wait_longer_each_time_and_are_given_up_after_a_day() {
        let waits = &[60, 300, 900, 3600];
        assert_eq!(
            [0, 1, 2, 3, 40].map(|attempts| retry_delay(attempts, waits)),
            [60, 300, 900, 3600, 3600]
        );
        let down = Err(Failure::Temporary("connexion refusée".into()));
        assert_eq!(
            outcome(&down, 1_000, &queued(1_000, 0), waits),
            LetterOutcome::RetryAt(1_060, "connexion refusée")
        );
        let late = 1_000 + GIVE_UP_AFTER_SECONDS;
        assert_eq!(
            outcome(&down, late, &queued(1_000, 30), waits),
            LetterOutcome::GivenUp("connexion refusée")
        );
        let refused = Err(Failure::Permanent("adresse inconnue".into()));
        assert_eq!(
            outcome(&refused, 1_000, &queued(1_000, 0), waits),
            LetterOutcome::GivenUp("adresse inconnue")
        );
        assert_eq!(
            outcome(&Ok(()), 1_000, &queued(1_000, 0), waits),
            LetterOutcome::Sent
        );
    }
}
