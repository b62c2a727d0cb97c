//! Webhooks, managed by administrators: the addresses told when readers' stories change, and
//! what came of each delivery.

use rotative_domain::{WebhookEvent, WebhookId, WebhookUrlProblem, check_webhook_url};
use rotative_store::{Audit, Delivery, NewWebhook, Webhook};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// Deliveries a webhook's log shows.
pub const DELIVERY_LOG_LENGTH: u32 = 100;

/// A webhook to add, as asked.
#[derive(Debug, Clone, Copy)]
pub struct WebhookRequest<'a> {
    pub url: &'a str,
    pub events: &'a [WebhookEvent],
    /// The secret that signs deliveries (made by the way in, shown once).
    pub secret: &'a str,
}

/// The webhook to record, once its address (`site_url` is the site's own, refused) and its
/// events are checked; `by` is none for the command line.
pub fn checked_webhook<'a>(
    request: WebhookRequest<'a>,
    site_url: &str,
    by: Option<&Actor>,
) -> Result<NewWebhook<'a>, NewsroomError> {
    let url = request.url.trim();
    check_webhook_url(url, site_url).map_err(|problem| {
        NewsroomError::Refused(match problem {
            WebhookUrlProblem::NotWeb => Refusal::WebhookNotWeb,
            WebhookUrlProblem::ThisSite => Refusal::WebhookThisSite,
        })
    })?;
    if request.events.is_empty() {
        return Err(NewsroomError::Refused(Refusal::WebhookWithoutEvents));
    }
    Ok(NewWebhook {
        url,
        secret: request.secret,
        events: request.events,
        created_by: by.map(|actor| actor.id),
    })
}

/// What the audit log says of a webhook's address: its scheme and host, never its path or query,
/// which often hold a secret of the receiver's.
pub fn webhook_origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}://{host}")
}

impl Newsroom {
    /// Adds a webhook, after checking its address (`site_url` is the site's own, refused) and
    /// that it asks for at least one event.
    pub async fn add_webhook(
        &self,
        actor: &Actor,
        request: WebhookRequest<'_>,
        site_url: &str,
    ) -> Result<WebhookId, NewsroomError> {
        actor.administers()?;
        let webhook = checked_webhook(request, site_url, Some(actor))?;
        let detail = webhook_origin(webhook.url);
        let audit = Audit::by(Some(actor.id), "webhook_add").detail(&detail);
        Ok(self.store.create_webhook(webhook, audit).await?)
    }

    pub async fn webhooks(&self, actor: &Actor) -> Result<Vec<Webhook>, NewsroomError> {
        actor.administers()?;
        Ok(self.store.webhooks().await?)
    }

    /// A webhook and its latest deliveries, newest first.
    pub async fn webhook_log(
        &self,
        actor: &Actor,
        id: WebhookId,
    ) -> Result<(Webhook, Vec<Delivery>), NewsroomError> {
        actor.administers()?;
        let webhook = self
            .store
            .webhook(id)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoSuchWebhook))?;
        let deliveries = self.store.deliveries(id, DELIVERY_LOG_LENGTH).await?;
        Ok((webhook, deliveries))
    }

    /// Removes a webhook: nothing more is sent to it, and its log goes with it.
    pub async fn remove_webhook(&self, actor: &Actor, id: WebhookId) -> Result<(), NewsroomError> {
        actor.administers()?;
        let detail = id.to_string();
        let audit = Audit::by(Some(actor.id), "webhook_remove").detail(&detail);
        if self.store.remove_webhook(id, audit).await? {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSuchWebhook))
        }
    }
}
