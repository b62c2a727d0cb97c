//! Signing in and out, and changing one's password.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use minijinja::context;
use rotative_domain::Email;
use serde::Deserialize;

use crate::{
    AppError, AppState,
    auth::{
        ClientAddress, IDLE_SECONDS, MIN_PASSWORD_CHARS, SESSION_COOKIE, SIGN_IN_COOKIE, SignedIn,
        cookie, hash_password, new_token, safe_next, set_cookie, token_hash, verify_nothing,
        verify_password,
    },
};

/// Failed sign-ins allowed per account and per address in `WINDOW_SECONDS`.
const MAX_FAILURES: u32 = 5;
const WINDOW_SECONDS: i64 = 15 * 60;

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    suite: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    csrf: String,
    suite: Option<String>,
}

fn secure(state: &AppState) -> bool {
    state.site().base_url.starts_with("https://")
}

fn sign_in_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    // A fresh token for the form, echoed in a cookie: a form posted from elsewhere cannot match.
    let token = new_token();
    let html = state.theme.render(
        "newsroom/sign_in.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            csrf => &token,
            next => next,
            email => email,
            error => error,
        },
    )?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            set_cookie(SIGN_IN_COOKIE, &token, 3600, secure(state)),
        )],
        Html(html),
    )
        .into_response())
}

pub(crate) async fn sign_in_form(
    State(state): State<AppState>,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    sign_in_page(
        &state,
        StatusCode::OK,
        safe_next(query.suite.as_deref()),
        "",
        None,
    )
}

pub(crate) async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    if cookie(&headers, SIGN_IN_COOKIE) != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        return Err(AppError::Csrf);
    }
    let next = safe_next(form.suite.as_deref()).to_owned();
    let email_key = form.email.trim().to_lowercase();
    let (by_email, by_address) = state
        .store
        .recent_sign_in_failures(&email_key, &address, WINDOW_SECONDS)
        .await?;
    if by_email >= MAX_FAILURES || by_address >= MAX_FAILURES {
        return Err(AppError::TooManyAttempts);
    }
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    if user
        .as_ref()
        .and_then(|u| u.password_hash.as_ref())
        .is_none()
    {
        verify_nothing(&form.password);
    }
    let verified = user.filter(|user| {
        user.password_hash
            .as_deref()
            .is_some_and(|hash| verify_password(hash, &form.password))
    });
    let Some(user) = verified else {
        state
            .store
            .record_sign_in_failure(&email_key, &address)
            .await?;
        let message = "Adresse ou mot de passe incorrect.";
        return sign_in_page(
            &state,
            StatusCode::UNAUTHORIZED,
            &next,
            form.email.trim(),
            Some(message),
        );
    };
    let token = new_token();
    state
        .store
        .create_session(&token_hash(&token), user.id, &new_token())
        .await?;
    state
        .store
        .audit(Some(user.id), None, "sign_in", "")
        .await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, &token, IDLE_SECONDS * 12, secure(&state)),
        )],
        Redirect::to(&next),
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    csrf: String,
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    who.check_csrf(&form.csrf)?;
    state.store.end_session(&who.token_hash).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", 0, secure(&state)),
        )],
        Redirect::to("/redaction/connexion"),
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    confirm: String,
}

pub(crate) async fn password_form(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, AppError> {
    Ok(Html(super::render(
        &state,
        &who,
        "newsroom/password.html",
        context! {},
    )?))
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    who.check_csrf(&form.csrf)?;
    let current_ok = who
        .user
        .password_hash
        .as_deref()
        .is_some_and(|hash| verify_password(hash, &form.current));
    let error = if !current_ok {
        Some("Le mot de passe actuel est incorrect.")
    } else if form.new.chars().count() < MIN_PASSWORD_CHARS {
        Some("Le nouveau mot de passe doit compter au moins dix caractères.")
    } else if form.new != form.confirm {
        Some("Les deux saisies du nouveau mot de passe diffèrent.")
    } else {
        None
    };
    if let Some(error) = error {
        let html = super::render(
            &state,
            &who,
            "newsroom/password.html",
            context! { error => error },
        )?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let hash =
        hash_password(&form.new).map_err(|_| AppError::BadRequest("Mot de passe illisible."))?;
    state.store.set_password(who.user.id, &hash).await?;
    state
        .store
        .audit(Some(who.user.id), None, "change_password", "")
        .await?;
    Ok(Redirect::to("/redaction/connexion").into_response())
}
