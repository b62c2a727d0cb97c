//! `rotative webhook add URL --events …`, `list` and `remove ID`: the addresses told when
//! readers' stories change. `add` prints the signing secret once.

use anyhow::bail;
use rotative_domain::{WebhookEvent, WebhookId};
use rotative_newsroom::{NewsroomError, Refusal, WebhookRequest, checked_webhook, webhook_origin};
use rotative_store::Audit;
use rotative_web::auth::new_webhook_secret;

use crate::{cli::SiteArgs, site::OpenSite};

/// The site's address when neither the flag nor the settings give one: the server's default.
const DEFAULT_SITE_URL: &str = "http://127.0.0.1:8080";

pub async fn add(url: &str, events: &str, args: &SiteArgs) -> anyhow::Result<()> {
    let events = events
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| WebhookEvent::parse(name).map_err(|e| anyhow::anyhow!("--events: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let site = OpenSite::open(args).await?;
    let site_url = site.site(args, DEFAULT_SITE_URL).base_url;
    let secret = new_webhook_secret();
    let request = WebhookRequest {
        url,
        events: &events,
        secret: &secret,
    };
    let webhook = match checked_webhook(request, &site_url, None) {
        Ok(webhook) => webhook,
        Err(NewsroomError::Refused(Refusal::WebhookThisSite)) => {
            bail!("{url} is this site's own address ({site_url}): a webhook tells another server")
        }
        Err(NewsroomError::Refused(Refusal::WebhookWithoutEvents)) => {
            bail!("--events: name at least one event")
        }
        Err(_) => bail!("`{url}` is not an http or https address on one line"),
    };
    let id = site
        .store
        .create_webhook(
            webhook,
            Audit::by(None, "webhook_add").detail(&webhook_origin(webhook.url)),
        )
        .await?;
    site.store.close().await;
    eprintln!(
        "webhook {id} for {}: its signing secret, shown once:",
        webhook_origin(url)
    );
    println!("{secret}");
    Ok(())
}

pub async fn list(args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    for webhook in site.store.webhooks().await? {
        let events: Vec<&str> = webhook.events.iter().map(|event| event.as_str()).collect();
        println!(
            "{}\t{}\t{}\t{} pending, {} failed",
            webhook.id,
            webhook.url,
            events.join(","),
            webhook.pending,
            webhook.failed
        );
    }
    site.store.close().await;
    Ok(())
}

pub async fn remove(id: i64, args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    let detail = id.to_string();
    let removed = site
        .store
        .remove_webhook(
            WebhookId(id),
            Audit::by(None, "webhook_remove").detail(&detail),
        )
        .await?;
    site.store.close().await;
    if !removed {
        bail!("no webhook has the id {id}");
    }
    eprintln!("webhook {id} removed");
    Ok(())
}
