//! Webhooks through the API, for administrators: the same list, additions, delivery logs and
//! removals as the newsroom's « Webhooks » page, under the same rules.

use axum::{
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use jiff::Timestamp;
use rotative_domain::{WebhookEvent, WebhookId};
use rotative_newsroom::WebhookRequest;
use rotative_store::{Delivery, Webhook};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{at, caller::Caller, json, write::body_or_default};
use crate::{
    AppError, AppState, FieldError, auth::new_webhook_secret, error::Problem,
    messages::api as messages,
};

/// A webhook: where events go, which, and how its deliveries stand.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WebhookView {
    id: i64,
    url: String,
    /// Among `story.published`, `story.updated`, `story.unpublished`, `correction.added`.
    #[schema(value_type = Vec<String>)]
    events: Vec<WebhookEvent>,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    /// Deliveries waiting for their next attempt.
    pending: i64,
    /// Deliveries given up on.
    failed: i64,
}

impl From<Webhook> for WebhookView {
    fn from(webhook: Webhook) -> Self {
        Self {
            id: webhook.id.0,
            url: webhook.url,
            events: webhook.events,
            created_at: at(webhook.created_at),
            pending: webhook.pending,
            failed: webhook.failed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WebhookList {
    webhooks: Vec<WebhookView>,
}

/// The site's webhooks (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    operation_id = "list_webhooks",
    tag = "Administration",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les webhooks, du plus ancien au plus récent.", body = WebhookList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let webhooks = state.newsroom().webhooks(&caller.actor()).await?;
    Ok(json(&WebhookList {
        webhooks: webhooks.into_iter().map(WebhookView::from).collect(),
    }))
}

/// A webhook to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WebhookInput {
    /// Where to send events: `http` or `https`, not the site itself.
    url: String,
    /// Among `story.published`, `story.updated`, `story.unpublished`, `correction.added`.
    events: Vec<String>,
}

/// A webhook just added, with its signing secret: the only time it is given.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedWebhook {
    #[serde(flatten)]
    webhook: WebhookView,
    /// `whsec_…`: the key the receiver checks `webhook-signature` with.
    secret: String,
}

/// Adds a webhook (administrators), as the newsroom's form does; answers its secret, once.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    operation_id = "create_webhook",
    tag = "Administration",
    security(("jeton" = [])),
    request_body(content = WebhookInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Le webhook, avec son secret de signature.", body = CreatedWebhook),
        (status = 400, description = "JSON illisible, champ inconnu, événement inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Adresse qui n'est pas http(s), qui vise le site lui-même, ou aucun événement.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<WebhookInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::NO_WEBHOOK.to_owned()))?;
    let events = input
        .events
        .iter()
        .map(|name| {
            WebhookEvent::parse(name).map_err(|_| FieldError {
                field: "events".into(),
                message: messages::unknown_event(name),
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|problem| AppError::BadParameters(vec![problem]))?;
    let secret = new_webhook_secret();
    let site_url = state.site().base_url.clone();
    let request = WebhookRequest {
        url: &input.url,
        events: &events,
        secret: &secret,
    };
    let id = state
        .newsroom()
        .add_webhook(&actor, request, &site_url)
        .await?;
    let webhook = state.store.webhook(id).await?.ok_or(AppError::NotFound)?;
    let mut answer = json(&CreatedWebhook {
        webhook: webhook.into(),
        secret,
    });
    *answer.status_mut() = StatusCode::CREATED;
    Ok(answer)
}

fn webhook_named(id: &str) -> Result<WebhookId, AppError> {
    id.parse()
        .map(WebhookId)
        .map_err(|_| AppError::Missing(messages::NO_SUCH_WEBHOOK.to_owned()))
}

/// One attempt-tracked delivery of an event to a webhook.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryView {
    /// The `webhook-id` the receiver sees.
    id: String,
    #[schema(value_type = String)]
    event: WebhookEvent,
    story: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    /// `pending`, `delivered` or `failed` (given up).
    status: &'static str,
    attempts: i64,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_attempt_at: Option<Timestamp>,
    /// The receiver's last HTTP status, if it answered.
    last_status: Option<i64>,
    /// Why the last attempt got no answer.
    last_error: Option<String>,
    /// When the next attempt is due, while pending.
    #[schema(value_type = Option<String>, format = DateTime)]
    next_attempt_at: Option<Timestamp>,
}

impl From<Delivery> for DeliveryView {
    fn from(delivery: Delivery) -> Self {
        let pending = delivery.status == rotative_store::DeliveryStatus::Pending;
        Self {
            id: format!("msg_{}", delivery.id),
            event: delivery.event,
            story: delivery.article_id.0,
            created_at: at(delivery.created_at),
            status: delivery.status.as_str(),
            attempts: delivery.attempts,
            last_attempt_at: delivery.last_attempt_at.map(at),
            last_status: delivery.last_status,
            last_error: delivery.last_error,
            next_attempt_at: pending.then(|| at(delivery.next_attempt_at)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeliveryLog {
    webhook: WebhookView,
    /// The latest deliveries, newest first.
    deliveries: Vec<DeliveryView>,
}

/// A webhook's latest deliveries, newest first, as its page in the newsroom shows them.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    operation_id = "webhook_deliveries",
    tag = "Administration",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du webhook.")),
    responses(
        (status = 200, description = "Le webhook et ses derniers envois.", body = DeliveryLog),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun webhook n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (webhook, deliveries) = state
        .newsroom()
        .webhook_log(&caller.actor(), webhook_named(&id)?)
        .await?;
    Ok(json(&DeliveryLog {
        webhook: webhook.into(),
        deliveries: deliveries.into_iter().map(DeliveryView::from).collect(),
    }))
}

/// Removes a webhook and its delivery log: nothing more is sent to it.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    operation_id = "remove_webhook",
    tag = "Administration",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du webhook.")),
    responses(
        (status = 204, description = "Supprimé."),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun webhook n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    state
        .newsroom()
        .remove_webhook(&actor, webhook_named(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
