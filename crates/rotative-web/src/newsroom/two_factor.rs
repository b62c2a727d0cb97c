//! Two-factor sign-in on « Sécurité »: turning it on (a QR code the server draws as SVG, the key
//! in text, confirmed by a first code), new recovery codes, turning it off; and what the second
//! step of sign-in shares with it.

use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use minijinja::context;
use qrcode::{QrCode, render::svg};
use rotative_newsroom::{NewsroomError, Refusal, SecondFactor, enrollment_url};
use rotative_store::User;
use serde::{Deserialize, Serialize};

use super::{render, security::security_page};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn, new_recovery_codes, new_totp_secret, recovery_code_hash},
    messages,
};

const PATH: &str = "/redaction/securite/double-authentification";

/// What an app needs to set up an account: its key, in groups of four and drawn as a QR code.
#[derive(Serialize)]
pub(crate) struct Setup {
    pub secret: String,
    secret_grouped: String,
    qr_svg: String,
}

impl Setup {
    /// A new key for this account.
    pub(crate) fn new(state: &AppState, user: &User) -> Self {
        Self::with_secret(state, user, &new_totp_secret())
    }

    /// The key a form sent back (on a wrong code, the page shows it again).
    pub(crate) fn with_secret(state: &AppState, user: &User, secret: &str) -> Self {
        let url = enrollment_url(secret, user.email.as_ref(), &state.site().name);
        let qr_svg = url
            .and_then(|url| QrCode::new(url.as_bytes()).ok())
            .map(|code| {
                let drawn = code
                    .render::<svg::Color<'_>>()
                    .min_dimensions(200, 200)
                    .quiet_zone(true)
                    .build();
                // Inline in the page: without the XML declaration, named for screen readers.
                let start = drawn.find("<svg").unwrap_or(0);
                drawn[start..].replacen(
                    "<svg",
                    &format!(
                        "<svg role=\"img\" aria-label=\"{}\"",
                        messages::QR_CODE_LABEL
                    ),
                    1,
                )
            })
            .unwrap_or_default();
        let secret_grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            secret: secret.to_owned(),
            secret_grouped,
            qr_svg,
        }
    }
}

/// What was typed at the second step: six digits are the app's code; anything else, a recovery
/// code (`recovery_hash`, its hash).
pub(crate) fn second_factor<'a>(typed: &'a str, recovery_hash: &'a str) -> SecondFactor<'a> {
    let digits = typed.chars().filter(|c| !c.is_whitespace()).count();
    if digits == 6
        && typed
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        SecondFactor::Code(typed)
    } else {
        SecondFactor::RecoveryCodeHash(recovery_hash)
    }
}

/// The page that shows new recovery codes once, then leads on to `next`; with the newsroom's
/// menu when signed in.
pub(crate) fn recovery_codes_page(
    state: &AppState,
    who: Option<&SignedIn>,
    codes: &[String],
    next: &str,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let page = context! { codes => codes, next => next, notice => notice };
    let html = match who {
        Some(who) => render(state, who, "newsroom/recovery_codes.html", page)?,
        None => state.theme.render(
            "newsroom/recovery_codes.html",
            &context! {
                site_name => &state.site().name,
                stylesheet => &state.theme.stylesheet().url,
                page => page,
            },
        )?,
    };
    Ok(Html(html).into_response())
}

fn setup_page(
    state: &AppState,
    who: &SignedIn,
    setup: &Setup,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let html = render(
        state,
        who,
        "newsroom/second_step.html",
        context! {
            csrf => &who.csrf_token,
            action => PATH,
            setup => setup,
            required => false,
            error => error,
            back => "/redaction/securite",
            back_label => messages::BACK_TO_SECURITY,
        },
    )?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn setup_form(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    if state.newsroom().two_factor(&who.actor()).await?.is_some() {
        return Ok(Redirect::to("/redaction/securite").into_response());
    }
    setup_page(&state, &who, &Setup::new(&state, &who.user), None)
}

#[derive(Deserialize)]
pub(crate) struct SetupForm {
    secret: String,
    code: String,
}

pub(crate) async fn enable(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<SetupForm>,
) -> Result<Response, AppError> {
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|code| recovery_code_hash(code)).collect();
    match state
        .newsroom()
        .enable_two_factor(
            &who.actor(),
            &form.secret,
            &form.code,
            &hashes,
            Some(&who.token_hash),
        )
        .await
    {
        Ok(()) => recovery_codes_page(
            &state,
            Some(&who),
            &codes,
            "/redaction/securite",
            Some(messages::TWO_FACTOR_READY),
        ),
        Err(NewsroomError::Refused(Refusal::WrongCode)) => {
            let setup = Setup::with_secret(&state, &who.user, &form.secret);
            setup_page(&state, &who, &setup, Some(messages::WRONG_CODE))
        }
        Err(other) => Err(other.into()),
    }
}

/// The code typed on « Sécurité » to confirm a change to the second factor.
#[derive(Deserialize)]
pub(crate) struct ConfirmForm {
    #[serde(default)]
    code: String,
}

/// « Sécurité » again, saying why a code was refused; other errors as they are.
async fn refused(
    state: &AppState,
    who: &SignedIn,
    error: NewsroomError,
) -> Result<Response, AppError> {
    let refused = match error {
        NewsroomError::Refused(Refusal::WrongCode) => {
            (StatusCode::UNPROCESSABLE_ENTITY, messages::WRONG_CODE)
        }
        NewsroomError::Refused(Refusal::TooManyCodes) => {
            (StatusCode::TOO_MANY_REQUESTS, messages::TOO_MANY_CODES)
        }
        other => return Err(other.into()),
    };
    security_page(state, who, None, Some(refused)).await
}

/// New recovery codes, once a current code confirms it.
pub(crate) async fn new_codes(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|code| recovery_code_hash(code)).collect();
    let typed_hash = recovery_code_hash(&form.code);
    let confirmation = second_factor(&form.code, &typed_hash);
    if let Err(error) = state
        .newsroom()
        .replace_recovery_codes(&who.actor(), confirmation, &hashes)
        .await
    {
        return refused(&state, &who, error).await;
    }
    recovery_codes_page(
        &state,
        Some(&who),
        &codes,
        "/redaction/securite",
        Some(messages::NEW_RECOVERY_CODES),
    )
}

/// Turns the second factor off, once a current code confirms it.
pub(crate) async fn disable(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    let typed_hash = recovery_code_hash(&form.code);
    let confirmation = second_factor(&form.code, &typed_hash);
    if let Err(error) = state
        .newsroom()
        .disable_two_factor(
            &who.actor(),
            who.user.id,
            Some(&who.token_hash),
            Some(confirmation),
        )
        .await
    {
        return refused(&state, &who, error).await;
    }
    Ok(Redirect::to("/redaction/securite?sans-double-authentification").into_response())
}
