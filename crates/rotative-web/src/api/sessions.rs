//! The account's newsroom sessions through the API, as « Sécurité » lists and ends them: a
//! program that manages an account (a password manager, an IT script) can sign out a lost
//! laptop. A token is not a session: it is listed and revoked under `/api/v1/tokens`.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use jiff::Timestamp;
use rotative_store::Ending;
use serde::Serialize;
use utoipa::ToSchema;

use super::{at, caller::Caller, json};
use crate::{
    AppError, AppState, auth::SESSION_LIMITS, error::Problem, messages, newsroom::security::device,
};

/// A session open in a browser.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionView {
    /// Names the session to end it (a hash of its cookie's token, which cannot be made from it).
    id: String,
    /// The browser, in words (« Firefox sous Linux »).
    browser: String,
    /// What the browser said it is.
    user_agent: String,
    #[schema(value_type = String, format = DateTime)]
    opened_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    last_seen_at: Timestamp,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionList {
    sessions: Vec<SessionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionsEnded {
    /// How many sessions ended.
    ended: u64,
}

#[utoipa::path(
    get,
    path = "/api/v1/sessions",
    operation_id = "list_sessions",
    tag = "Compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les sessions ouvertes.", body = SessionList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let sessions = state
        .newsroom()
        .open_sessions(&caller.actor(), SESSION_LIMITS)
        .await?;
    Ok(json(&SessionList {
        sessions: sessions
            .into_iter()
            .map(|session| SessionView {
                browser: device(&session.user_agent),
                id: session.token_hash,
                user_agent: session.user_agent,
                opened_at: at(session.created_at),
                last_seen_at: at(session.last_seen_at),
            })
            .collect(),
    }))
}

#[utoipa::path(
    delete,
    path = "/api/v1/sessions/{id}",
    operation_id = "end_session",
    tag = "Compte",
    security(("jeton" = [])),
    params(("id" = String, Path, description = "L'identifiant de la session.")),
    responses(
        (status = 204, description = "Fermée."),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune session ouverte du compte n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn end(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ended = state
        .newsroom()
        .end_sessions(&caller.writer()?, Ending::One(&id), SESSION_LIMITS)
        .await?;
    if ended == 0 {
        return Err(AppError::Missing(messages::NO_SUCH_SESSION.into()));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(
    delete,
    path = "/api/v1/sessions",
    operation_id = "end_sessions",
    tag = "Compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Combien de sessions ont été fermées.", body = SessionsEnded),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn end_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    // No session asks here: every one ends.
    let ended = state
        .newsroom()
        .end_sessions(&caller.writer()?, Ending::AllBut(""), SESSION_LIMITS)
        .await?;
    Ok(json(&SessionsEnded { ended }))
}
