//! Accounts, for administrators: who works in the newsroom, with which role.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{Email, Name, Role, UserId};
use rotative_newsroom::{NewAccount, NewsroomError, Refusal};
use serde::{Deserialize, Serialize};

use super::render;
use crate::{
    AppError, AppState,
    auth::{CsrfForm, MIN_PASSWORD_CHARS, SignedIn, hash_password},
    messages,
};

#[derive(Serialize)]
struct AccountRow {
    id: UserId,
    name: String,
    email: String,
    role: &'static str,
    is_me: bool,
    /// Imported accounts wait for an admin to give them a first password.
    inactive: bool,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let accounts: Vec<AccountRow> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|user| AccountRow {
            id: user.id,
            name: user.name.to_string(),
            email: user.email.to_string(),
            role: user.role.as_str(),
            is_me: user.id == who.user.id,
            inactive: user.password_hash.is_none(),
        })
        .collect();
    let roles: Vec<(&str, &str)> = Role::ALL
        .into_iter()
        .map(|r| (r.as_str(), r.label_fr()))
        .collect();
    let html = render(
        state,
        who,
        "newsroom/accounts.html",
        minijinja::context! {
            accounts => accounts,
            roles => roles,
            error => error,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    page(&state, &who, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub(crate) struct AccountForm {
    email: String,
    name: String,
    role: String,
    password: String,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<AccountForm>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    let parsed = (
        Email::parse(&form.email),
        Name::parse(&form.name),
        Role::parse(&form.role),
    );
    let (Ok(email), Ok(name), Ok(role)) = parsed else {
        let error = messages::ACCOUNT_FIELDS;
        return page(&state, &who, StatusCode::UNPROCESSABLE_ENTITY, Some(error)).await;
    };
    if form.password.chars().count() < MIN_PASSWORD_CHARS {
        let error = messages::PROVISIONAL_PASSWORD_TOO_SHORT;
        return page(&state, &who, StatusCode::UNPROCESSABLE_ENTITY, Some(error)).await;
    }
    let hash = hash_password(&form.password)
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?;
    let account = NewAccount {
        email: &email,
        name: &name,
        role,
        password_hash: &hash,
    };
    match state.newsroom().add_account(&who.actor(), account).await {
        Ok(_) => Ok(Redirect::to("/redaction/comptes").into_response()),
        Err(NewsroomError::Refused(refusal @ Refusal::EmailTaken)) => {
            let error = messages::refusal(&refusal);
            page(&state, &who, StatusCode::CONFLICT, Some(&error)).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct RoleChange {
    role: String,
}

pub(crate) async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    CsrfForm { who, form }: CsrfForm<RoleChange>,
) -> Result<Redirect, AppError> {
    who.actor().administers()?;
    let role = Role::parse(&form.role).map_err(|_| AppError::BadRequest(messages::UNKNOWN_ROLE))?;
    state.newsroom().change_role(&who.actor(), id, role).await?;
    Ok(Redirect::to("/redaction/comptes"))
}

#[derive(Deserialize)]
pub(crate) struct Activation {
    password: String,
}

/// Gives an account that has none (an imported author) a provisional password, which its owner
/// changes at first sign-in like any provisional password.
pub(crate) async fn activate(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    CsrfForm { who, form }: CsrfForm<Activation>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    if form.password.chars().count() < MIN_PASSWORD_CHARS {
        let error = messages::PROVISIONAL_PASSWORD_TOO_SHORT;
        return page(&state, &who, StatusCode::UNPROCESSABLE_ENTITY, Some(error)).await;
    }
    let hash = hash_password(&form.password)
        .map_err(|_| AppError::BadRequest(messages::UNREADABLE_PASSWORD))?;
    state
        .newsroom()
        .activate_account(&who.actor(), id, &hash)
        .await?;
    Ok(Redirect::to("/redaction/comptes").into_response())
}
