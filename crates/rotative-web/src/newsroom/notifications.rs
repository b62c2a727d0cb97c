//! « Notifications »: what the person was told of the stories they write or review, newest
//! first, each opening its story (and read from then on), and what they want by email.

use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{Html, Redirect},
};
use rotative_domain::{NoticeKind, NotificationId};
use rotative_newsroom::NOTIFICATIONS_LISTED;
use rotative_store::{Marking, Notification, UNREAD_COUNTED};
use serde::{Deserialize, Serialize};

use super::{render, when};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    messages,
};

/// A notification as the newsroom lists it.
#[derive(Serialize)]
pub(crate) struct NoticeView {
    id: NotificationId,
    sentence: String,
    at: String,
    read: bool,
}

impl NoticeView {
    pub(crate) fn new(state: &AppState, notice: &Notification) -> Self {
        Self {
            id: notice.id,
            sentence: notice
                .kind
                .sentence_fr(notice.actor_name.as_deref(), &notice.headline),
            at: when(state, notice.created_at),
            read: notice.read,
        }
    }
}

/// The menu's count of unread notifications: « 99+ » past what is counted.
pub(crate) fn unread_label(unread: i64) -> Option<String> {
    match unread {
        0 => None,
        n if n >= UNREAD_COUNTED => Some("99+".to_owned()),
        n => Some(n.to_string()),
    }
}

/// A kind of notification in the email preferences form.
#[derive(Serialize)]
struct KindChoice {
    value: &'static str,
    label: &'static str,
    by_email: bool,
}

#[derive(Serialize)]
struct NotificationsPage {
    notices: Vec<NoticeView>,
    /// Whether this is an older page (then an empty one says so, not that there are none).
    older_page: bool,
    /// The next page's address, if older notifications follow.
    older: Option<String>,
    /// The newest notification shown: « Tout marquer comme lu » goes up to it.
    newest: Option<NotificationId>,
    kinds: Vec<KindChoice>,
    digest: bool,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    avant: Option<String>,
    lues: Option<String>,
    enregistre: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let newsroom = state.newsroom();
    let actor = who.actor();
    // An older page is named by the last notification of the one before.
    let before = match query.avant.as_deref() {
        None | Some("") => None,
        Some(typed) => Some(NotificationId(
            typed.parse().map_err(|_| AppError::NotFound)?,
        )),
    };
    let notices = newsroom
        .notifications(&actor, false, before, NOTIFICATIONS_LISTED)
        .await?;
    let older = (notices.len() == NOTIFICATIONS_LISTED as usize)
        .then(|| notices.last())
        .flatten()
        .map(|last| format!("/redaction/notifications?avant={}", last.id));
    let settings = newsroom.notification_settings(&actor).await?;
    let kinds = NoticeKind::ALL
        .into_iter()
        .filter(|kind| kind.heard_by(who.user.role))
        .map(|kind| KindChoice {
            value: kind.as_str(),
            label: kind.label_fr(),
            by_email: !settings.mail_off.contains(&kind),
        })
        .collect();
    let done = match (query.lues, query.enregistre) {
        (Some(_), _) => Some(messages::NOTIFICATIONS_READ),
        (_, Some(_)) => Some(messages::NOTIFICATION_SETTINGS_SAVED),
        _ => None,
    };
    Ok(Html(render(
        &state,
        &who,
        "newsroom/notifications.html",
        NotificationsPage {
            newest: notices.first().map(|notice| notice.id),
            notices: notices
                .iter()
                .map(|notice| NoticeView::new(&state, notice))
                .collect(),
            older_page: before.is_some(),
            older,
            kinds,
            digest: settings.digest,
            done,
        },
    )?))
}

/// Whether a request to open a notification is the person's own doing: a link followed from
/// another site, or a page the browser fetches ahead, reads nothing.
fn asked_by_the_person(headers: &HeaderMap) -> bool {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    header("sec-fetch-site") != "cross-site"
        && !header("sec-purpose").contains("prefetch")
        && !header("purpose").contains("prefetch")
}

/// Opens a notification's story; the notification is read from then on.
pub(crate) async fn open(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Redirect, AppError> {
    let story = state
        .newsroom()
        .open_notification(
            &who.actor(),
            NotificationId(id),
            asked_by_the_person(&headers),
        )
        .await?;
    Ok(Redirect::to(&format!("/redaction/articles/{story}")))
}

#[derive(Deserialize)]
pub(crate) struct MarkForm {
    /// The newest notification the page showed.
    #[serde(default)]
    jusqua: Option<i64>,
}

/// « Tout marquer comme lu »: every notification the page showed, and older ones; not one that
/// came since.
pub(crate) async fn mark_all_read(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<MarkForm>,
) -> Result<Redirect, AppError> {
    let which = form
        .jusqua
        .map_or(Marking::All, |last| Marking::UpTo(NotificationId(last)));
    state.newsroom().mark_read(&who.actor(), which).await?;
    Ok(Redirect::to("/redaction/notifications?lues"))
}

/// The preferences form: a `courriel` field for each kind wanted by email, and `rythme`
/// (« immediat » or « quotidien »).
pub(crate) async fn save_settings(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Redirect, AppError> {
    let mut wanted = Vec::new();
    let mut digest = false;
    for (field, value) in &form {
        match field.as_str() {
            "courriel" => wanted.push(
                NoticeKind::parse(value)
                    .map_err(|_| AppError::BadRequest(messages::UNKNOWN_NOTIFICATION_KIND))?,
            ),
            "rythme" => digest = value == "quotidien",
            _ => {}
        }
    }
    state
        .newsroom()
        .set_notification_settings(&who.actor(), &wanted, digest)
        .await?;
    Ok(Redirect::to("/redaction/notifications?enregistre"))
}
