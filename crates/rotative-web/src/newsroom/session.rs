//! Signing in and out, and changing one's password.

use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{AppendHeaders, Html, IntoResponse, Redirect, Response},
};
use minijinja::context;
use rotative_domain::Email;
use rotative_store::Audit;
use serde::Deserialize;

use crate::{
    AppError, AppState,
    auth::{
        ClientAddress, CsrfForm, DEVICE_COOKIE, IDLE_SECONDS, MIN_PASSWORD_CHARS, NoFields,
        SESSION_COOKIE, SIGN_IN_COOKIE, SignedIn, cookie, hash_password, new_token, safe_next,
        set_cookie, sign_in_form_token, sign_in_token_matches, token_hash, verify_nothing,
        verify_password,
    },
    messages,
};

/// Sign-in attempts counted in `WINDOW_SECONDS`, before the password is checked: for one
/// account from one address, for one account from anywhere (guesses spread over many
/// addresses), and from one address for any account (one client trying many accounts).
const PAIR_ATTEMPTS: u32 = 5;
const ACCOUNT_ATTEMPTS: u32 = 50;
const ADDRESS_ATTEMPTS: u32 = 200;
const WINDOW_SECONDS: i64 = 15 * 60;
/// A browser the account signed in from before still gets this many attempts a minute while the
/// account is throttled: its owner is slowed down, not locked out by someone else's failures.
const KNOWN_DEVICE_ATTEMPTS: u32 = 3;
const KNOWN_DEVICE_WINDOW_SECONDS: i64 = 60;
/// Wrong current passwords allowed in the password-change form in `WINDOW_SECONDS`.
const PASSWORD_CHANGE_ATTEMPTS: u32 = 5;
/// What a session keeps of its browser's user agent: enough to name it on « Sécurité ».
const MAX_USER_AGENT_CHARS: usize = 300;
/// How long a browser stays known after it signed in.
const DEVICE_SECONDS: i64 = 365 * 24 * 60 * 60;

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    suite: Option<String>,
    /// Set when an invitation's link has just set the password.
    bienvenue: Option<String>,
    /// Set when a forgotten password's link has just set a new one.
    renouvele: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    csrf: String,
    suite: Option<String>,
}

pub(super) fn secure(state: &AppState) -> bool {
    state.site().base_url.starts_with("https://")
}

/// What the sign-in page says above its form: why the last attempt failed, or news.
#[derive(Clone, Copy)]
enum Said<'a> {
    Nothing,
    Error(&'a str),
    Notice(&'a str),
}

/// The token that ties a form shown before sign-in to this browser: the one in its cookie when
/// it has one (a sign-in page left open in another tab, or come back to, still works), else a
/// fresh one. The cookie carries the token and the form its signature: a form posted from
/// elsewhere, or a cookie tossed in from elsewhere, cannot match.
pub(super) async fn anonymous_form_token(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(String, [(header::HeaderName, HeaderValue); 1]), AppError> {
    let token = cookie(headers, SIGN_IN_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(new_token, str::to_owned);
    let signed = sign_in_form_token(state.signing_key().await?, &token);
    let set = set_cookie(SIGN_IN_COOKIE, &token, 3600, secure(state));
    Ok((signed, [(header::SET_COOKIE, set)]))
}

/// Whether a form posted before sign-in came from a page this site gave this browser.
pub(super) async fn anonymous_form_from_here(
    state: &AppState,
    headers: &HeaderMap,
    form_token: &str,
) -> Result<bool, AppError> {
    let key = state.signing_key().await?;
    Ok(cookie(headers, SIGN_IN_COOKIE)
        .is_some_and(|token| sign_in_token_matches(key, token, form_token)))
}

async fn sign_in_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    email: &str,
    said: Said<'_>,
) -> Result<Response, AppError> {
    let (error, notice) = match said {
        Said::Nothing => (None, None),
        Said::Error(error) => (Some(error), None),
        Said::Notice(notice) => (None, Some(notice)),
    };
    let (csrf, cookie) = anonymous_form_token(state, headers).await?;
    let html = state.theme.render(
        "newsroom/sign_in.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            csrf => &csrf,
            next => next,
            email => email,
            error => error,
            notice => notice,
        },
    )?;
    Ok((status, cookie, Html(html)).into_response())
}

pub(crate) async fn sign_in_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let said = if query.bienvenue.is_some() {
        Said::Notice(messages::PASSWORD_CHOSEN)
    } else if query.renouvele.is_some() {
        Said::Notice(messages::NEW_PASSWORD_CHOSEN)
    } else {
        Said::Nothing
    };
    sign_in_page(
        &state,
        &headers,
        StatusCode::OK,
        safe_next(query.suite.as_deref()),
        "",
        said,
    )
    .await
}

/// Whether a sign-in attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admitted {
    WithinLimits,
    /// Over the limits, but from a browser this account signed in from before: slowly.
    KnownDevice,
    Refused,
}

/// Counts this attempt against every limit it falls under, before any password is checked.
async fn admit_attempt(
    state: &AppState,
    email: &str,
    address: &str,
    device: Option<&str>,
) -> Result<Admitted, AppError> {
    let store = &state.store;
    // An address over its own limits for the account does not count towards the account's.
    let within = store
        .count_attempt(&format!("pair {email} {address}"), WINDOW_SECONDS)
        .await?
        <= PAIR_ATTEMPTS
        && store
            .count_attempt(&format!("account {email}"), WINDOW_SECONDS)
            .await?
            <= ACCOUNT_ATTEMPTS
        && store
            .count_attempt(&format!("address {address}"), WINDOW_SECONDS)
            .await?
            <= ADDRESS_ATTEMPTS;
    if within {
        return Ok(Admitted::WithinLimits);
    }
    let Some(device) = device else {
        return Ok(Admitted::Refused);
    };
    let slowly = store.is_known_device(device, email).await?
        && store
            .count_attempt(&format!("device {device}"), KNOWN_DEVICE_WINDOW_SECONDS)
            .await?
            <= KNOWN_DEVICE_ATTEMPTS;
    Ok(if slowly {
        Admitted::KnownDevice
    } else {
        Admitted::Refused
    })
}

/// Checks a password against its hash on the blocking pool (argon2 takes tens of
/// milliseconds of CPU by design); with no hash, spends the same time on a decoy.
async fn password_matches(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        if let Some(hash) = hash {
            verify_password(&hash, &password)
        } else {
            verify_nothing(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

pub(crate) async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    if !anonymous_form_from_here(&state, &headers, &form.csrf).await? {
        return Err(AppError::Csrf);
    }
    let next = safe_next(form.suite.as_deref()).to_owned();
    let email_key = form.email.trim().to_lowercase();
    let device = cookie(&headers, DEVICE_COOKIE).map(token_hash);
    let admitted = admit_attempt(&state, &email_key, &address, device.as_deref()).await?;
    if admitted == Admitted::Refused {
        return Err(AppError::TooManyAttempts);
    }
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = password_matches(hash, form.password).await;
    let Some(user) = user.filter(|_| matches) else {
        let message = messages::WRONG_SIGN_IN;
        return sign_in_page(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            &next,
            form.email.trim(),
            Said::Error(message),
        )
        .await;
    };
    // The address's count starts again, unless the known browser came in over it: others
    // sharing that address (behind the same proxy) stay throttled.
    if admitted == Admitted::WithinLimits {
        state
            .store
            .forget_attempts(&format!("pair {email_key} {address}"))
            .await?;
    }
    let actor = rotative_newsroom::Actor::from(&user);
    let newsroom = state.newsroom();
    if newsroom.two_factor(&actor).await?.is_some()
        || newsroom.must_set_up_two_factor(user.id, user.role).await?
    {
        return super::second_step::begin(&state, &user, &next).await;
    }
    open_session(&state, &headers, &user, &next).await
}

/// Signs the account in: a new session, its cookie and the browser's, then on to `next`.
pub(super) async fn open_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &rotative_store::User,
    next: &str,
) -> Result<Response, AppError> {
    let token = new_token();
    let user_agent: String = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(MAX_USER_AGENT_CHARS)
        .collect();
    state
        .store
        .create_session(
            &token_hash(&token),
            user.id,
            &new_token(),
            &user_agent,
            Audit::by(Some(user.id), "sign_in"),
        )
        .await?;
    let device_token = new_token();
    state
        .store
        .remember_device(&token_hash(&device_token), user.id)
        .await?;
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, IDLE_SECONDS * 12, secure(state)),
            ),
            (
                header::SET_COOKIE,
                set_cookie(DEVICE_COOKIE, &device_token, DEVICE_SECONDS, secure(state)),
            ),
        ]),
        Redirect::to(next),
    )
        .into_response())
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Response, AppError> {
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

/// What is wrong with a new password typed twice, if anything.
pub(super) fn new_password_problem(new: &str, confirm: &str) -> Option<&'static str> {
    if new.chars().count() < MIN_PASSWORD_CHARS {
        Some(messages::NEW_PASSWORD_TOO_SHORT)
    } else if new != confirm {
        Some(messages::NEW_PASSWORDS_DIFFER)
    } else {
        None
    }
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
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
    CsrfForm { who, form }: CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let attempts = state
        .store
        .count_attempt(&format!("password {}", who.user.id), WINDOW_SECONDS)
        .await?;
    if attempts > PASSWORD_CHANGE_ATTEMPTS {
        return Err(AppError::TooManyPasswordAttempts);
    }
    let current_ok = password_matches(who.user.password_hash.clone(), form.current).await;
    let error = if current_ok {
        new_password_problem(&form.new, &form.confirm)
    } else {
        Some(messages::WRONG_CURRENT_PASSWORD)
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
    let hash = hash_password(&form.new)
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?;
    state
        .store
        .set_password(
            who.user.id,
            &hash,
            Audit::by(Some(who.user.id), "change_password"),
        )
        .await?;
    Ok(Redirect::to("/redaction/connexion").into_response())
}
