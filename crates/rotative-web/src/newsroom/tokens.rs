//! API tokens in the newsroom: each person makes, sees and revokes their own; administrators
//! see and revoke everybody's. A new token is shown once, on the page that answers its creation.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{TokenId, TokenScope};
use rotative_newsroom::NewsroomError;
use rotative_store::NewToken;
use serde::{Deserialize, Serialize};

use super::{render, when};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, NoFields, SignedIn, new_api_token, token_hash},
    messages,
};

#[derive(Serialize)]
struct TokenRow {
    id: TokenId,
    name: String,
    owner: String,
    scope: &'static str,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

/// A token just made: the only time its secret is shown.
#[derive(Serialize)]
struct Created<'a> {
    name: &'a str,
    secret: &'a str,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    created: Option<Created<'_>>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let tokens: Vec<TokenRow> = state
        .newsroom()
        .tokens(&who.actor())
        .await?
        .into_iter()
        .map(|token| TokenRow {
            id: token.id,
            name: token.name,
            owner: token.owner_name.to_string(),
            scope: token.scope.label_fr(),
            created: when(state, token.created_at),
            last_used: token.last_used_at.map(|at| when(state, at)),
            revoked: token.revoked_at.map(|at| when(state, at)),
        })
        .collect();
    let html = render(
        state,
        who,
        "newsroom/tokens.html",
        minijinja::context! {
            tokens => tokens,
            created => created,
            error => error,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    page(&state, &who, StatusCode::OK, None, None).await
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let Ok(scope) = TokenScope::parse(&form.scope) else {
        let error = messages::TOKEN_SCOPE;
        return page(
            &state,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(error),
        )
        .await;
    };
    let secret = new_api_token();
    let hash = token_hash(&secret);
    let token = NewToken {
        owner: who.user.id,
        name: form.name.trim(),
        scope,
        token_hash: &hash,
    };
    match state.newsroom().issue_token(&who.actor(), token).await {
        Ok(_) => {
            let created = Created {
                name: form.name.trim(),
                secret: &secret,
            };
            page(&state, &who, StatusCode::CREATED, Some(created), None).await
        }
        Err(NewsroomError::Refused(refusal)) => {
            let error = messages::refusal(&refusal);
            page(
                &state,
                &who,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&error),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<TokenId>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Redirect, AppError> {
    state.newsroom().revoke_token(&who.actor(), id).await?;
    Ok(Redirect::to("/redaction/jetons"))
}
