//! Webhooks in the newsroom, for administrators: the addresses told when readers' stories
//! change, a new one's secret shown once, and each webhook's delivery log.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{WebhookEvent, WebhookId};
use rotative_newsroom::{NewsroomError, WebhookRequest};
use rotative_store::{Delivery, DeliveryStatus, Webhook};
use serde::{Deserialize, Serialize};

use super::{render, when};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, NoFields, SignedIn, new_webhook_secret},
    messages,
};

#[derive(Serialize)]
struct EventChoice {
    name: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct WebhookRow {
    id: WebhookId,
    url: String,
    events: Vec<&'static str>,
    created: String,
    created_by: Option<String>,
    pending: i64,
    failed: i64,
}

impl WebhookRow {
    fn of(state: &AppState, webhook: Webhook) -> Self {
        Self {
            id: webhook.id,
            url: webhook.url,
            events: webhook
                .events
                .iter()
                .map(|event| event.label_fr())
                .collect(),
            created: when(state, webhook.created_at),
            created_by: webhook.created_by,
            pending: webhook.pending,
            failed: webhook.failed,
        }
    }
}

/// A webhook just added: the only time its secret is shown.
#[derive(Serialize)]
struct Created<'a> {
    url: &'a str,
    secret: &'a str,
}

fn choices() -> Vec<EventChoice> {
    WebhookEvent::ALL
        .into_iter()
        .map(|event| EventChoice {
            name: event.as_str(),
            label: event.label_fr(),
        })
        .collect()
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    created: Option<Created<'_>>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let webhooks: Vec<WebhookRow> = state
        .newsroom()
        .webhooks(&who.actor())
        .await?
        .into_iter()
        .map(|webhook| WebhookRow::of(state, webhook))
        .collect();
    let html = render(
        state,
        who,
        "newsroom/webhooks.html",
        minijinja::context! {
            webhooks => webhooks,
            events => choices(),
            created => created,
            error => error,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    page(&state, &who, StatusCode::OK, None, None).await
}

/// The form: the address, and a box for each event (named as the event).
#[derive(Deserialize)]
pub(crate) struct WebhookForm {
    #[serde(default)]
    url: String,
    #[serde(rename = "story.published")]
    published: Option<String>,
    #[serde(rename = "story.updated")]
    updated: Option<String>,
    #[serde(rename = "story.unpublished")]
    unpublished: Option<String>,
    #[serde(rename = "correction.added")]
    correction: Option<String>,
}

impl WebhookForm {
    fn events(&self) -> Vec<WebhookEvent> {
        [
            (&self.published, WebhookEvent::StoryPublished),
            (&self.updated, WebhookEvent::StoryUpdated),
            (&self.unpublished, WebhookEvent::StoryUnpublished),
            (&self.correction, WebhookEvent::CorrectionAdded),
        ]
        .into_iter()
        .filter(|(checked, _)| checked.is_some())
        .map(|(_, event)| event)
        .collect()
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<WebhookForm>,
) -> Result<Response, AppError> {
    let secret = new_webhook_secret();
    let events = form.events();
    let request = WebhookRequest {
        url: &form.url,
        events: &events,
        secret: &secret,
    };
    let site_url = state.site().base_url.clone();
    match state
        .newsroom()
        .add_webhook(&who.actor(), request, &site_url)
        .await
    {
        Ok(_) => {
            let created = Created {
                url: form.url.trim(),
                secret: &secret,
            };
            page(&state, &who, StatusCode::CREATED, Some(created), None).await
        }
        Err(NewsroomError::Refused(refusal)) => {
            let error = messages::refusal(&refusal);
            page(
                &state,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&error),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Serialize)]
struct DeliveryRow {
    event: &'static str,
    story: i64,
    created: String,
    status: &'static str,
    failed: bool,
    attempts: i64,
    last_attempt: Option<String>,
    answer: Option<String>,
    next_attempt: Option<String>,
}

impl DeliveryRow {
    fn of(state: &AppState, delivery: &Delivery) -> Self {
        Self {
            event: delivery.event.as_str(),
            story: delivery.article_id.0,
            created: when(state, delivery.created_at),
            status: match delivery.status {
                DeliveryStatus::Pending if delivery.attempts == 0 => "À envoyer",
                DeliveryStatus::Pending => "Nouvel essai prévu",
                DeliveryStatus::Delivered => "Reçu",
                DeliveryStatus::Failed => "Abandonné",
            },
            failed: delivery.status == DeliveryStatus::Failed,
            attempts: delivery.attempts,
            last_attempt: delivery.last_attempt_at.map(|at| when(state, at)),
            answer: delivery
                .last_status
                .map(|code| format!("HTTP {code}"))
                .or_else(|| delivery.last_error.clone()),
            next_attempt: (delivery.status == DeliveryStatus::Pending)
                .then(|| when(state, delivery.next_attempt_at)),
        }
    }
}

pub(crate) async fn log(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<WebhookId>,
) -> Result<Response, AppError> {
    let (webhook, deliveries) = state.newsroom().webhook_log(&who.actor(), id).await?;
    let deliveries: Vec<DeliveryRow> = deliveries
        .iter()
        .map(|delivery| DeliveryRow::of(&state, delivery))
        .collect();
    let html = render(
        &state,
        &who,
        "newsroom/webhook.html",
        minijinja::context! {
            webhook => WebhookRow::of(&state, webhook),
            deliveries => deliveries,
            shown => rotative_newsroom::DELIVERY_LOG_LENGTH,
        },
    )?;
    Ok(Html(html).into_response())
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<WebhookId>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Redirect, AppError> {
    state.newsroom().remove_webhook(&who.actor(), id).await?;
    Ok(Redirect::to("/redaction/webhooks"))
}
