//! Choosing a password before any sign-in, through a link a letter carried: an invitation's, or
//! a forgotten password's, asked for on « Mot de passe oublié ? ». A link that served, expired or
//! never existed gets a page saying so (410), and nothing changes.

use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use minijinja::context;
use rotative_domain::Email;
use rotative_newsroom::{AccountLink, NewsroomError, Refusal};
use rotative_render::Site;
use rotative_store::{LinkPurpose, User};
use serde::{Deserialize, Serialize};

use super::session::{anonymous_form_from_here, anonymous_form_token, new_password_problem};
use crate::{
    AppError, AppState,
    auth::{ClientAddress, hash_password, new_token, token_hash},
    messages,
};

/// Requests for a new password counted in `RESET_WINDOW_SECONDS`: for one address (a letter box
/// is not to be flooded), and from one client for any address.
const RESETS_PER_ADDRESS: u32 = 3;
const RESETS_PER_CLIENT: u32 = 20;
const RESET_WINDOW_SECONDS: i64 = 60 * 60;

/// Where each kind of link leads, before its token.
fn link_path(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::Invitation => "/redaction/invitation/",
        LinkPurpose::PasswordReset => "/redaction/nouveau-mot-de-passe/",
    }
}

/// A new link: a random token, of which the database keeps only the hash, in the address the
/// letter carries.
fn new_link(site: &Site, purpose: LinkPurpose) -> AccountLink {
    let token = new_token();
    AccountLink {
        token_hash: token_hash(&token),
        url: site.absolute(&format!("{}{token}", link_path(purpose))),
    }
}

/// A new invitation link.
#[must_use]
pub fn invitation_link(site: &Site) -> AccountLink {
    new_link(site, LinkPurpose::Invitation)
}

/// The account as the page shows it.
#[derive(Serialize)]
struct AccountView {
    name: String,
    email: String,
}

fn page(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
    account: Option<&User>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let status = match (account, error) {
        (None, _) => StatusCode::GONE,
        (Some(_), Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        (Some(_), None) => StatusCode::OK,
    };
    let html = state.theme.render(
        "newsroom/password_link.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            purpose => match purpose {
                LinkPurpose::Invitation => "invitation",
                LinkPurpose::PasswordReset => "reset",
            },
            action => format!("{}{token}", link_path(purpose)),
            account => account.map(|user| AccountView {
                name: user.name.to_string(),
                email: user.email.to_string(),
            }),
            error => error,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

async fn show(state: &AppState, purpose: LinkPurpose, token: &str) -> Result<Response, AppError> {
    let account = state
        .newsroom()
        .link_account(purpose, &token_hash(token))
        .await?;
    page(state, purpose, token, account.as_ref(), None)
}

pub(crate) async fn show_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show(&state, LinkPurpose::Invitation, &token).await
}

pub(crate) async fn show_reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show(&state, LinkPurpose::PasswordReset, &token).await
}

#[derive(Deserialize)]
pub(crate) struct ChosenPassword {
    new: String,
    confirm: String,
}

async fn choose(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
    form: ChosenPassword,
) -> Result<Response, AppError> {
    let hash = token_hash(token);
    let Some(account) = state.newsroom().link_account(purpose, &hash).await? else {
        return page(state, purpose, token, None, None);
    };
    if let Some(error) = new_password_problem(&form.new, &form.confirm) {
        return page(state, purpose, token, Some(&account), Some(error));
    }
    let password = form.new;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?;
    match state
        .newsroom()
        .choose_password(purpose, &hash, &password_hash)
        .await
    {
        Ok(_) => Ok(Redirect::to(match purpose {
            LinkPurpose::Invitation => "/redaction/connexion?bienvenue",
            LinkPurpose::PasswordReset => "/redaction/connexion?renouvele",
        })
        .into_response()),
        // Used by another tab meanwhile.
        Err(NewsroomError::Refused(Refusal::LinkNotValid)) => {
            page(state, purpose, token, None, None)
        }
        Err(other) => Err(other.into()),
    }
}

pub(crate) async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<ChosenPassword>,
) -> Result<Response, AppError> {
    choose(&state, LinkPurpose::Invitation, &token, form).await
}

pub(crate) async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<ChosenPassword>,
) -> Result<Response, AppError> {
    choose(&state, LinkPurpose::PasswordReset, &token, form).await
}

#[derive(Deserialize)]
pub(crate) struct SentQuery {
    envoye: Option<String>,
}

async fn forgotten_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: &str,
    error: Option<&str>,
    sent: bool,
) -> Result<Response, AppError> {
    let (csrf, cookie) = anonymous_form_token(state, headers).await?;
    let html = state.theme.render(
        "newsroom/forgotten_password.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            csrf => &csrf,
            email => email,
            error => error,
            sent => sent,
        },
    )?;
    Ok((status, cookie, Html(html)).into_response())
}

pub(crate) async fn forgotten_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SentQuery>,
) -> Result<Response, AppError> {
    let sent = query.envoye.is_some();
    forgotten_page(&state, &headers, StatusCode::OK, "", None, sent).await
}

#[derive(Deserialize)]
pub(crate) struct ForgottenForm {
    email: String,
    csrf: String,
}

/// Asks for a link to choose a new password. The answer is the same, and as quick, whether an
/// account has the address or not: the letter is prepared after the answer has left.
pub(crate) async fn request_reset(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<ForgottenForm>,
) -> Result<Response, AppError> {
    if !anonymous_form_from_here(&state, &headers, &form.csrf).await? {
        return Err(AppError::Csrf);
    }
    let typed = form.email.trim();
    let Ok(email) = Email::parse(typed) else {
        return forgotten_page(
            &state,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed,
            Some(messages::RESET_EMAIL_INVALID),
            false,
        )
        .await;
    };
    let store = &state.store;
    // Both counts go up on every request, so that a refusal tells nothing of the account.
    let for_address = store
        .count_attempt(&format!("reset {email}"), RESET_WINDOW_SECONDS)
        .await?;
    let for_client = store
        .count_attempt(&format!("reset from {client}"), RESET_WINDOW_SECONDS)
        .await?;
    if for_address > RESETS_PER_ADDRESS || for_client > RESETS_PER_CLIENT {
        return forgotten_page(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            typed,
            Some(messages::TOO_MANY_RESETS),
            false,
        )
        .await;
    }
    let site = state.site();
    tokio::spawn(async move {
        let link = new_link(&site, LinkPurpose::PasswordReset);
        if let Err(error) = state
            .newsroom()
            .request_password_reset(&email, &link, &site)
            .await
        {
            tracing::error!(%error, "a forgotten password's letter could not be prepared");
        }
    });
    Ok(Redirect::to("/redaction/mot-de-passe-oublie?envoye").into_response())
}
