//! « Sécurité »: the account's password, its second factor, and its open sessions, each named by
//! the browser it was opened from, which its owner can end one by one or all but the one in use.

use axum::{
    extract::{Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_store::Ending;
use serde::{Deserialize, Serialize};

use super::{render, session::secure, when};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SESSION_COOKIE, SESSION_LIMITS, SignedIn, set_cookie},
    messages,
};

/// A session as the page lists it.
#[derive(Serialize)]
struct SessionView {
    token_hash: String,
    device: String,
    opened: String,
    last_seen: String,
    current: bool,
}

#[derive(Serialize)]
struct SecurityPage {
    sessions: Vec<SessionView>,
    done: Option<&'static str>,
    /// Whether the account signs in with a second factor.
    two_factor: bool,
    recovery_codes_left: i64,
    /// Whether the account's role requires it (it cannot be turned off).
    two_factor_required: bool,
    /// Why the code typed to change the second factor was refused.
    error: Option<&'static str>,
}

/// What a browser's user agent says it is, in words: « Firefox sous Linux ».
pub(crate) fn device(user_agent: &str) -> String {
    const UNKNOWN: &str = "UNKNOWN";
    match woothee::parser::Parser::new().parse(user_agent) {
        Some(found) if found.name != UNKNOWN && found.os != UNKNOWN => {
            format!("{} sous {}", found.name, found.os)
        }
        Some(found) if found.name != UNKNOWN => found.name.to_owned(),
        _ if user_agent.is_empty() => messages::UNKNOWN_DEVICE.to_owned(),
        _ => user_agent.chars().take(60).collect(),
    }
}

#[derive(Deserialize)]
pub(crate) struct DoneQuery {
    fermee: Option<String>,
    fermees: Option<String>,
    #[serde(rename = "sans-double-authentification")]
    without_two_factor: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let done = match (query.fermee, query.fermees, query.without_two_factor) {
        (Some(_), _, _) => Some(messages::SESSION_ENDED),
        (_, Some(_), _) => Some(messages::OTHER_SESSIONS_ENDED),
        (_, _, Some(_)) => Some(messages::TWO_FACTOR_OFF),
        _ => None,
    };
    security_page(&state, &who, done, None).await
}

/// « Sécurité », with what was just done, or why the code typed to change the second factor
/// was refused (and the status that says so).
pub(crate) async fn security_page(
    state: &AppState,
    who: &SignedIn,
    done: Option<&'static str>,
    refused: Option<(StatusCode, &'static str)>,
) -> Result<Response, AppError> {
    let sessions = state
        .newsroom()
        .open_sessions(&who.actor(), SESSION_LIMITS)
        .await?
        .into_iter()
        .map(|session| SessionView {
            device: device(&session.user_agent),
            opened: when(state, session.created_at),
            last_seen: when(state, session.last_seen_at),
            current: session.token_hash == who.token_hash,
            token_hash: session.token_hash,
        })
        .collect();
    let newsroom = state.newsroom();
    let two_factor = newsroom.two_factor(&who.actor()).await?;
    let two_factor_required = newsroom.two_factor_roles().await?.contains(&who.user.role);
    let html = render(
        state,
        who,
        "newsroom/security.html",
        SecurityPage {
            sessions,
            done,
            two_factor: two_factor.is_some(),
            recovery_codes_left: two_factor.map_or(0, |on| on.recovery_codes_left),
            two_factor_required,
            error: refused.map(|(_, message)| message),
        },
    )?;
    let status = refused.map_or(StatusCode::OK, |(status, _)| status);
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct EndForm {
    /// The token hash of the session to end, or « autres » for every one but this.
    session: String,
}

pub(crate) async fn end(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<EndForm>,
) -> Result<Response, AppError> {
    let (ending, done) = if form.session == "autres" {
        (
            Ending::AllBut(&who.token_hash),
            "/redaction/securite?fermees",
        )
    } else {
        (Ending::One(&form.session), "/redaction/securite?fermee")
    };
    state
        .newsroom()
        .end_sessions(&who.actor(), ending, SESSION_LIMITS)
        .await?;
    // Ending the session in use signs out, as « Se déconnecter » does: its cookie goes too.
    if form.session == who.token_hash {
        let forget = set_cookie(SESSION_COOKIE, "", 0, secure(&state));
        return Ok((
            [(header::SET_COOKIE, forget)],
            Redirect::to("/redaction/connexion"),
        )
            .into_response());
    }
    Ok(Redirect::to(done).into_response())
}
