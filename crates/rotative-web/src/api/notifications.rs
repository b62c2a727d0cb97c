//! The account's notifications through the API, as « Notifications » shows them: a newsroom
//! app lists them, opens their stories, marks them read and sets what comes by email.

use axum::{
    body::Bytes,
    extract::{RawQuery, State, rejection::BytesRejection},
    http::HeaderMap,
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{NoticeKind, NotificationId, Role};
use rotative_store::{Marking, Notification, NotificationSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{at, caller::Caller, json, params::Params, write::body_or_default};
use crate::{AppError, AppState, FieldError, error::Problem, messages::api as messages};

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NotificationView {
    id: i64,
    /// `submitted`, `returned`, `published`, `scheduled`, `scheduled_published`, `unpublished`
    /// or `corrected`.
    kind: &'static str,
    /// What happened, in a French sentence.
    text: String,
    story: i64,
    headline: String,
    /// Who did it; `null` for the site itself (scheduled publishing).
    by: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    read: bool,
}

impl From<&Notification> for NotificationView {
    fn from(notice: &Notification) -> Self {
        Self {
            id: notice.id.0,
            kind: notice.kind.as_str(),
            text: notice
                .kind
                .sentence_fr(notice.actor_name.as_deref(), &notice.headline),
            story: notice.article_id.0,
            headline: notice.headline.clone(),
            by: notice.actor_name.clone(),
            at: at(notice.created_at),
            read: notice.read,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NotificationList {
    /// Newest first, 50 at most.
    notifications: Vec<NotificationView>,
    /// How many of the account's notifications are unread.
    unread: i64,
    /// The next page's `before`, when older notifications follow.
    next_before: Option<i64>,
}

/// The account's notifications, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    operation_id = "list_notifications",
    tag = "Compte",
    security(("jeton" = [])),
    params(
        ("unread" = Option<bool>, Query, description = "`true` : seulement les notifications non lues."),
        ("before" = Option<i64>, Query, description = "Seulement celles d'avant cet identifiant (la page suivante : `next_before`)."),
    ),
    responses(
        (status = 200, description = "Les notifications.", body = NotificationList),
        (status = 400, description = "Paramètre inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(query.as_deref(), &["unread", "before"])?;
    let unread_only = params
        .parsed(
            "unread",
            |value| value.parse::<bool>().ok(),
            || messages::UNREAD.to_owned(),
        )
        .unwrap_or(false);
    let before = params.parsed(
        "before",
        |value| value.parse::<i64>().ok().map(NotificationId),
        || messages::BEFORE.to_owned(),
    );
    params.checked()?;
    let actor = caller.actor();
    let newsroom = state.newsroom();
    let notices = newsroom
        .notifications(
            &actor,
            unread_only,
            before,
            rotative_newsroom::NOTIFICATIONS_LISTED,
        )
        .await?;
    let full = notices.len() == rotative_newsroom::NOTIFICATIONS_LISTED as usize;
    Ok(json(&NotificationList {
        next_before: notices.last().filter(|_| full).map(|last| last.id.0),
        notifications: notices.iter().map(NotificationView::from).collect(),
        unread: newsroom.unread_notifications(&actor).await?,
    }))
}

/// The most notifications one call marks by name.
const MAX_IDS: usize = 300;

/// Which notifications to mark read.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadInput {
    /// These notifications (300 at most); all of them when left out.
    ids: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Marked {
    /// How many were unread.
    marked: u64,
    /// How many remain unread.
    unread: i64,
}

/// Marks the account's notifications read: those named, or all.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read",
    operation_id = "mark_notifications_read",
    tag = "Compte",
    security(("jeton" = [])),
    request_body(content = ReadInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Combien l'ont été.", body = Marked),
        (status = 400, description = "JSON illisible ou champ inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Plus de 300 identifiants.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: ReadInput = body_or_default(&headers, body)?;
    if input.ids.as_ref().is_some_and(|ids| ids.len() > MAX_IDS) {
        return Err(AppError::Invalid(vec![FieldError {
            field: "ids".into(),
            message: messages::too_many_ids(MAX_IDS),
        }]));
    }
    let ids: Option<Vec<NotificationId>> = input
        .ids
        .map(|ids| ids.into_iter().map(NotificationId).collect());
    let which = ids.as_deref().map_or(Marking::All, Marking::These);
    let newsroom = state.newsroom();
    let marked = newsroom.mark_read(&actor, which).await?;
    Ok(json(&Marked {
        marked,
        unread: newsroom.unread_notifications(&actor).await?,
    }))
}

/// What the account receives by email.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EmailSettings {
    /// The kinds sent by email, among those the account's role hears of (the others are only
    /// shown in the newsroom); kinds the role never hears of keep their choice.
    email: Vec<String>,
    /// `true`: one letter a day, at 7 in the morning, with all of them.
    daily_digest: bool,
}

impl EmailSettings {
    /// The account's choices among the kinds its role hears of.
    fn of(settings: &NotificationSettings, role: Role) -> Self {
        Self {
            email: NoticeKind::ALL
                .into_iter()
                .filter(|kind| kind.heard_by(role) && !settings.mail_off.contains(kind))
                .map(|kind| kind.as_str().to_owned())
                .collect(),
            daily_digest: settings.digest,
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/notifications/settings",
    operation_id = "notification_settings",
    tag = "Compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les choix du compte.", body = EmailSettings),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let actor = caller.actor();
    let settings = state.newsroom().notification_settings(&actor).await?;
    Ok(json(&EmailSettings::of(&settings, actor.role)))
}

/// Sets what the account receives by email, as the form of « Notifications » does.
#[utoipa::path(
    put,
    path = "/api/v1/notifications/settings",
    operation_id = "change_notification_settings",
    tag = "Compte",
    security(("jeton" = [])),
    request_body(content = EmailSettings, content_type = "application/json"),
    responses(
        (status = 200, description = "Les choix, changés.", body = EmailSettings),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un genre de notification inconnu.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change_settings(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let wanted: Option<EmailSettings> = body_or_default(&headers, body)?;
    let wanted = wanted.ok_or(AppError::BadJson(
        messages::NO_NOTIFICATION_SETTINGS.to_owned(),
    ))?;
    let mut by_email = Vec::new();
    for name in &wanted.email {
        by_email.push(NoticeKind::parse(name).map_err(|_| {
            AppError::Invalid(vec![FieldError {
                field: "email".into(),
                message: messages::unknown_notification_kind(name),
            }])
        })?);
    }
    let settings = state
        .newsroom()
        .set_notification_settings(&actor, &by_email, wanted.daily_digest)
        .await?;
    Ok(json(&EmailSettings::of(&settings, actor.role)))
}
