//! The second step of signing in, for an account with a second factor, or whose role requires one
//! it has not set up yet: the password was right, and a signed cookie says so for fifteen minutes;
//! the code from the app (or a recovery code) opens the session. Wrong codes are counted per
//! account, apart from passwords.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use jiff::Timestamp;
use minijinja::context;
use rotative_domain::UserId;
use rotative_newsroom::{Actor, CODE_ATTEMPTS, CODE_WINDOW_SECONDS, NewsroomError, Refusal};
use rotative_store::User;
use serde::Deserialize;

use super::{
    session::{anonymous_form_from_here, anonymous_form_token, open_session, secure},
    two_factor::{Setup, recovery_codes_page, second_factor},
};
use crate::{
    AppError, AppState,
    auth::{
        SECOND_STEP_COOKIE, cookie, new_recovery_codes, pending_totp_secret, recovery_code_hash,
        safe_next, second_step_claim, second_step_signed, second_step_token, set_cookie,
    },
    messages,
};

/// How long the second step waits for its code after the password (time enough to install an
/// app when a role requires one).
const SECOND_STEP_SECONDS: i64 = 15 * 60;
const PATH: &str = "/redaction/connexion/code";

/// After the right password: the cookie of the second step, and on to it.
pub(super) async fn begin(state: &AppState, user: &User, next: &str) -> Result<Response, AppError> {
    let until = Timestamp::now().as_second() + SECOND_STEP_SECONDS;
    let password_hash = user.password_hash.as_deref().unwrap_or_default();
    let token = second_step_token(state.signing_key().await?, user.id.0, until, password_hash);
    let cookie = set_cookie(
        SECOND_STEP_COOKIE,
        &token,
        SECOND_STEP_SECONDS,
        secure(state),
    );
    let to = format!("{PATH}?suite={}", urlencode(next));
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|pair| pair.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// The account whose password was right, if the second step's cookie is the server's and fresh,
/// with the key it sets up if it has no second factor yet.
async fn pending_account(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(User, Option<Setup>)>, AppError> {
    let Some(token) = cookie(headers, SECOND_STEP_COOKIE) else {
        return Ok(None);
    };
    let key = state.signing_key().await?;
    let now = Timestamp::now().as_second();
    let Some(id) = second_step_claim(token, now) else {
        return Ok(None);
    };
    let Some(user) = state.store.user(UserId(id)).await? else {
        return Ok(None);
    };
    let Some(password_hash) = user.password_hash.as_deref() else {
        return Ok(None);
    };
    if !second_step_signed(key, token, password_hash) {
        return Ok(None);
    }
    let setup = match state.newsroom().two_factor(&Actor::from(&user)).await? {
        Some(_) => None,
        None => Some(Setup::with_secret(
            state,
            &user,
            &pending_totp_secret(key, token),
        )),
    };
    Ok(Some((user, setup)))
}

/// What the page holds besides its form.
struct Shown<'a> {
    status: StatusCode,
    setup: Option<&'a Setup>,
    required: bool,
    error: Option<&'a str>,
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    shown: Shown<'_>,
) -> Result<Response, AppError> {
    let (csrf, cookie) = anonymous_form_token(state, headers).await?;
    let html = state.theme.render(
        "newsroom/second_step.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            page => context! {
                csrf => &csrf,
                action => PATH,
                next => next,
                setup => shown.setup,
                required => shown.required,
                error => shown.error,
                back => "/redaction/connexion",
                back_label => messages::BACK_TO_SIGN_IN,
            },
        },
    )?;
    Ok((shown.status, cookie, Html(html)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    suite: Option<String>,
}

pub(crate) async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(query.suite.as_deref()).to_owned();
    let Some((_, setup)) = pending_account(&state, &headers).await? else {
        return Ok(Redirect::to("/redaction/connexion").into_response());
    };
    let shown = Shown {
        status: StatusCode::OK,
        setup: setup.as_ref(),
        required: setup.is_some(),
        error: None,
    };
    page(&state, &headers, &next, shown).await
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    csrf: String,
    code: String,
    suite: Option<String>,
}

pub(crate) async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if !anonymous_form_from_here(&state, &headers, &form.csrf).await? {
        return Err(AppError::Csrf);
    }
    let next = safe_next(form.suite.as_deref()).to_owned();
    // The key set up is the server's, made from the step's cookie: a secret a form sends back is
    // never taken, so a password alone never chooses a second factor.
    let Some((user, setup)) = pending_account(&state, &headers).await? else {
        return Ok(Redirect::to("/redaction/connexion").into_response());
    };
    let newsroom = state.newsroom();
    let refused = |status: StatusCode, error: &'static str| Shown {
        status,
        setup: setup.as_ref(),
        required: setup.is_some(),
        error: Some(error),
    };
    let attempts = state
        .store
        .count_attempt(&format!("second step {}", user.id), CODE_WINDOW_SECONDS)
        .await?;
    if attempts > CODE_ATTEMPTS {
        let shown = refused(StatusCode::TOO_MANY_REQUESTS, messages::TOO_MANY_CODES);
        return page(&state, &headers, &next, shown).await;
    }
    let passed = match &setup {
        Some(setup) => {
            let codes = new_recovery_codes();
            let hashes: Vec<String> = codes.iter().map(|code| recovery_code_hash(code)).collect();
            match newsroom
                .enable_two_factor(
                    &Actor::from(&user),
                    &setup.secret,
                    &form.code,
                    &hashes,
                    None,
                )
                .await
            {
                Ok(()) => Some(codes),
                Err(NewsroomError::Refused(Refusal::WrongCode)) => None,
                Err(other) => return Err(other.into()),
            }
        }
        None => newsroom
            .check_second_factor(
                user.id,
                second_factor(&form.code, &recovery_code_hash(&form.code)),
            )
            .await?
            .then(Vec::new),
    };
    let Some(new_codes) = passed else {
        let shown = refused(StatusCode::UNPROCESSABLE_ENTITY, messages::WRONG_CODE);
        return page(&state, &headers, &next, shown).await;
    };
    state
        .store
        .forget_attempts(&format!("second step {}", user.id))
        .await?;
    let mut response = open_session(&state, &headers, &user, &next).await?;
    if !new_codes.is_empty() {
        // Set up just now: the recovery codes, shown once, before going on.
        let session_cookies: Vec<HeaderValue> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        response = recovery_codes_page(
            &state,
            None,
            &new_codes,
            &next,
            Some(messages::TWO_FACTOR_READY_AT_SIGN_IN),
        )?;
        for value in session_cookies {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SECOND_STEP_COOKIE, "", 0, secure(&state)),
    );
    Ok(response)
}
