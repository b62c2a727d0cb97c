//! Sending webhooks: each due delivery, claimed by this instance, is sent (`POST`) as JSON signed the
//! Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`), and tried
//! again with growing delays for a day while the receiver fails, times out or cannot be reached.

use std::time::Duration;

use jiff::Timestamp;
use rotative_domain::{ArticleStatus, WebhookEvent};
use rotative_store::{Attempt, AttemptNext, DueDelivery};
use serde::Serialize;

use crate::{AppError, AppState, api::CorrectionView, secrets::webhook_signature};

/// When to try again and when to give up.
#[derive(Debug, Clone)]
pub struct DeliveryPolicy {
    /// The wait after each failed attempt, in order; past the last, the delivery is given up.
    pub retry_delays: Vec<Duration>,
    /// How long after the event a delivery is still tried.
    pub give_up_after: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// Whether receivers on this machine or a private network may be sent to (a receiver beside
    /// the site, tests); off, a webhook reaches only the public internet.
    pub allow_internal: bool,
}

impl Default for DeliveryPolicy {
    /// The schedule Standard Webhooks suggests: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, so a
    /// receiver down for most of a day still gets every event.
    fn default() -> Self {
        let minutes = |n: u64| Duration::from_secs(60 * n);
        Self {
            retry_delays: vec![
                Duration::from_secs(5),
                minutes(5),
                minutes(30),
                minutes(2 * 60),
                minutes(5 * 60),
                minutes(10 * 60),
                minutes(10 * 60),
            ],
            give_up_after: Duration::from_hours(24),
            timeout: Duration::from_secs(15),
            allow_internal: false,
        }
    }
}

/// Deliveries one round claims at most, and sends side by side.
const ROUND: u32 = 16;

/// Sends webhooks for one instance.
#[derive(Debug, Clone)]
pub struct Deliverer {
    client: reqwest::Client,
    policy: DeliveryPolicy,
}

impl Deliverer {
    /// # Errors
    /// When the HTTP client cannot be made (its TLS set-up).
    pub fn new(policy: DeliveryPolicy) -> Result<Self, reqwest::Error> {
        let mut client = reqwest::Client::builder();
        if !policy.allow_internal {
            client = client.dns_resolver(PublicOnly);
        }
        let client = client
            .timeout(policy.timeout)
            // A redirect could point the site at itself, or elsewhere than the address an
            // administrator gave: it counts as a failure, said in the log.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Rotative-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, policy })
    }

    /// Sends what is due; returns how many deliveries were attempted.
    ///
    /// # Errors
    /// When the store cannot be read or written.
    pub async fn deliver_due(&self, state: &AppState) -> Result<usize, AppError> {
        // A claim outlives the slowest attempt, so no other instance sends it meanwhile.
        let claim = i64::try_from(self.policy.timeout.as_secs())
            .unwrap_or(60)
            .saturating_mul(2)
            .saturating_add(30);
        let due = state.store.claim_due_deliveries(claim, ROUND).await?;
        let attempted = due.len();
        let sent = due
            .into_iter()
            .map(|delivery| self.attempt(state, delivery));
        for result in futures_util::future::join_all(sent).await {
            result?;
        }
        Ok(attempted)
    }

    async fn attempt(&self, state: &AppState, delivery: DueDelivery) -> Result<(), AppError> {
        let payload = match delivery.payload.clone() {
            Some(payload) => payload,
            None => serde_json::to_string(&payload(state, &delivery).await?)
                .map_err(|error| AppError::Internal(error.to_string()))?,
        };
        let message_id = format!("msg_{}", delivery.id);
        let timestamp = Timestamp::now().as_second();
        let signature =
            webhook_signature(&delivery.secret, &message_id, timestamp, payload.as_bytes())
                .unwrap_or_default();
        let answer = if self.policy.allow_internal || public_target(&delivery.url) {
            self.client
                .post(&delivery.url)
                .header("content-type", "application/json")
                .header("webhook-id", &message_id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature)
                .body(payload.clone())
                .send()
                .await
                .map_err(|error| describe(&error))
        } else {
            Err(INTERNAL_REFUSED.to_owned())
        };
        let (status, error) = match answer {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(error) => (None, Some(error)),
        };
        let delivered = status.is_some_and(|code| (200..300).contains(&code));
        let next = if delivered {
            AttemptNext::Delivered
        } else {
            self.retry(&delivery, timestamp)
        };
        if !delivered {
            // The address may hold a secret of the receiver's: the log names the delivery only.
            tracing::warn!(
                delivery = %delivery.id,
                status,
                error,
                "webhook delivery failed"
            );
        }
        state
            .store
            .record_attempt(
                delivery.id,
                Attempt {
                    payload: &payload,
                    status,
                    error: error.as_deref(),
                    next,
                },
            )
            .await?;
        Ok(())
    }

    /// When to try a failed delivery again, if still within the day.
    fn retry(&self, delivery: &DueDelivery, now: i64) -> AttemptNext {
        let made = usize::try_from(delivery.attempts).unwrap_or(usize::MAX);
        let Some(delay) = self.policy.retry_delays.get(made) else {
            return AttemptNext::GiveUp;
        };
        let at = now.saturating_add(i64::try_from(delay.as_secs()).unwrap_or(i64::MAX));
        let deadline = delivery
            .created_at
            .saturating_add(i64::try_from(self.policy.give_up_after.as_secs()).unwrap_or(0));
        if now >= deadline {
            AttemptNext::GiveUp
        } else {
            // The last attempt is at the deadline if the schedule would pass it.
            AttemptNext::RetryAt(at.min(deadline))
        }
    }
}

/// What the log says of an attempt the site would not make: to this machine or a private
/// network.
const INTERNAL_REFUSED: &str = "adresse interne refusée";

/// Why a name could not be used: it leads only to internal addresses.
#[derive(Debug, thiserror::Error)]
#[error("{INTERNAL_REFUSED}")]
struct InternalAddress;

/// Resolves receivers' names to their public addresses only, at the moment of connecting, so a
/// name cannot lead a webhook into the site's own network (nor change its answer in between).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let public: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| rotative_domain::is_public_address(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(Box::new(InternalAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Whether an address written as an IP (which no resolver sees) is public; names are checked
/// as they resolve.
fn public_target(url: &str) -> bool {
    match url::Url::parse(url)
        .ok()
        .and_then(|url| url.host().map(|host| host.to_owned()))
    {
        Some(url::Host::Ipv4(ip)) => rotative_domain::is_public_address(ip.into()),
        Some(url::Host::Ipv6(ip)) => rotative_domain::is_public_address(ip.into()),
        Some(url::Host::Domain(_)) => true,
        None => false,
    }
}

/// Why an attempt got no answer, in the log's words.
fn describe(error: &reqwest::Error) -> String {
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(inner) = cause {
        if inner.is::<InternalAddress>() {
            return INTERNAL_REFUSED.to_owned();
        }
        cause = inner.source();
    }
    if error.is_timeout() {
        "délai dépassé".to_owned()
    } else if error.is_connect() {
        "connexion impossible".to_owned()
    } else if error.is_redirect() {
        "redirection refusée".to_owned()
    } else {
        "erreur réseau".to_owned()
    }
}

/// What a delivery says: the event, when, and the story as it is when first sent.
#[derive(Debug, Serialize)]
struct Payload {
    #[serde(rename = "type")]
    event: WebhookEvent,
    timestamp: Timestamp,
    data: StoryEvent,
}

#[derive(Debug, Serialize)]
struct StoryEvent {
    id: i64,
    headline: Option<String>,
    /// `published`, `unpublished`…: where the story stands when the event is sent.
    status: Option<&'static str>,
    /// Its page, for a published story; where it was, for one taken down.
    url: Option<String>,
    /// Where the API gives it whole (published stories).
    api_url: String,
    /// The note added, for `correction.added`.
    correction: Option<CorrectionView>,
}

async fn payload(state: &AppState, delivery: &DueDelivery) -> Result<Payload, AppError> {
    let site = state.site();
    let story = state.store.story_for_edit(delivery.article_id).await?;
    let correction = match delivery.correction {
        Some(id) => state
            .store
            .correction(id)
            .await?
            .map(|entry| CorrectionView::from(&entry.correction)),
        None => None,
    };
    // What readers may no longer see is not told: a story taken down since keeps its id only.
    let shown = story
        .as_ref()
        .filter(|story| story.status == ArticleStatus::Published);
    Ok(Payload {
        event: delivery.event,
        timestamp: Timestamp::from_second(delivery.created_at).unwrap_or_default(),
        data: StoryEvent {
            id: delivery.article_id.0,
            headline: shown.map(|story| story.headline.to_string()),
            status: story.as_ref().map(|story| story.status.as_str()),
            url: story
                .as_ref()
                .filter(|story| {
                    matches!(
                        story.status,
                        ArticleStatus::Published | ArticleStatus::Unpublished
                    )
                })
                .and_then(|story| story.path.as_ref())
                .map(|path| site.absolute(path.as_ref())),
            api_url: site.absolute(&format!("/api/v1/stories/{}", delivery.article_id)),
            correction,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_written_as_internal_ips_are_not_sent_to() {
        assert!(!public_target("http://127.0.0.1:9000/hook"));
        assert!(!public_target("http://[::1]/hook"));
        assert!(!public_target("http://169.254.169.254/latest/meta-data"));
        assert!(public_target("https://93.184.216.34/hook"));
        assert!(public_target("https://partenaire.example/hook"));
    }

    #[test]
    fn the_default_schedule_lasts_a_day() {
        let policy = DeliveryPolicy::default();
        let seconds: Vec<u64> = policy.retry_delays.iter().map(Duration::as_secs).collect();
        assert_eq!(
            seconds,
            [5, 300, 1800, 7200, 18000, 36000, 36000],
            "as `rotative serve --webhook-retry-seconds` says"
        );
        let total: Duration = policy.retry_delays.iter().sum();
        assert!(total > Duration::from_hours(24));
        let before_last = total.checked_sub(*policy.retry_delays.last().unwrap());
        assert!(before_last.unwrap() < Duration::from_hours(24));
    }
}
