//! Who calls the API: the account an `Authorization: Bearer` token acts as, with what the token
//! allows. A missing, unknown or revoked token is a 401 that says nothing of why, so a guess
//! learns nothing.

use axum::{extract::FromRequestParts, http::header, http::request::Parts, response::Response};
use rotative_domain::TokenScope;
use rotative_newsroom::Actor;
use rotative_store::User;
use serde::Serialize;
use utoipa::ToSchema;

use super::json;
use crate::{AppError, AppState, auth::token_hash, error::Problem};

pub(crate) struct Caller {
    pub user: User,
    pub scope: TokenScope,
    /// The token the request came with.
    pub token: rotative_domain::TokenId,
}

impl Caller {
    /// The account as the newsroom's operations know it.
    pub(crate) fn actor(&self) -> Actor {
        Actor::from(&self.user)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            // The scheme's name is case-insensitive (RFC 9110, 11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let holder = state
            .store
            .token_holder(&token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        state
            .api_limiter()
            .check(holder.token, std::time::Instant::now())
            .map_err(AppError::RateLimited)?;
        Ok(Self {
            user: holder.user,
            scope: holder.scope,
            token: holder.token,
        })
    }
}

/// The account a token acts as.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    pub id: i64,
    pub name: String,
    /// `contributor`, `journalist`, `editor` or `admin`: what the account may do.
    pub role: &'static str,
    /// `read` or `write`: what the token may do of it.
    pub scope: &'static str,
}

/// The account the token acts as, its role and the token's scope: how a client checks its
/// token before relying on it.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "Compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Le compte du jeton.", body = Me),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn me(caller: Caller) -> Response {
    json(&Me {
        id: caller.user.id.0,
        name: caller.user.name.to_string(),
        role: caller.user.role.as_str(),
        scope: caller.scope.as_str(),
    })
}
