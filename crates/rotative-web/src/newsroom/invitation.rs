//! The page an invitation's link opens, before any sign-in: the person chooses their password,
//! then signs in. A link that served, expired or never existed gets a page saying so (410), and
//! nothing changes.

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use minijinja::context;
use rotative_newsroom::{AccountLink, NewsroomError, Refusal};
use rotative_render::Site;
use rotative_store::User;
use serde::{Deserialize, Serialize};

use super::session::new_password_problem;
use crate::{
    AppError, AppState,
    auth::{hash_password, new_token, token_hash},
    messages,
};

/// A new invitation link: a random token, of which the database keeps only the hash, in the
/// address the letter carries.
#[must_use]
pub fn invitation_link(site: &Site) -> AccountLink {
    let token = new_token();
    AccountLink {
        token_hash: token_hash(&token),
        url: site.absolute(&format!("/redaction/invitation/{token}")),
    }
}

/// The account as the page shows it.
#[derive(Serialize)]
struct AccountView {
    name: String,
    email: String,
}

fn page(
    state: &AppState,
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
        "newsroom/invitation.html",
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            token => token,
            account => account.map(|user| AccountView {
                name: user.name.to_string(),
                email: user.email.to_string(),
            }),
            error => error,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let account = state
        .newsroom()
        .invited_account(&token_hash(&token))
        .await?;
    page(&state, &token, account.as_ref(), None)
}

#[derive(Deserialize)]
pub(crate) struct ChosenPassword {
    new: String,
    confirm: String,
}

pub(crate) async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<ChosenPassword>,
) -> Result<Response, AppError> {
    let hash = token_hash(&token);
    let Some(account) = state.newsroom().invited_account(&hash).await? else {
        return page(&state, &token, None, None);
    };
    if let Some(error) = new_password_problem(&form.new, &form.confirm) {
        return page(&state, &token, Some(&account), Some(error));
    }
    let password = form.new;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?;
    match state
        .newsroom()
        .accept_invitation(&hash, &password_hash)
        .await
    {
        Ok(_) => Ok(Redirect::to("/redaction/connexion?bienvenue").into_response()),
        // Used by another tab meanwhile.
        Err(NewsroomError::Refused(Refusal::LinkNotValid)) => page(&state, &token, None, None),
        Err(other) => Err(other.into()),
    }
}
