//! Redirects through the API, for editors: the same list, additions and removals as the
//! newsroom's « Redirections » page, under the same rules; administrators set the other sites
//! redirects may lead to.

use axum::{
    body::Bytes,
    extract::{RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use rotative_store::{RedirectOrigin, RedirectRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, params::Params, write::body_or_default};
use crate::{AppError, AppState, error::Problem, messages};

/// Redirects an answer lists.
const PAGE: u32 = 100;

/// One redirect.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RedirectView {
    /// The address readers ask for.
    old: String,
    /// Where they are sent, with a 301.
    target: String,
    /// `import`, `manual`, `story` (a story's former address) or `section` (a section's
    /// former address, and every one under it).
    origin: &'static str,
    /// Times readers followed it in the last 30 days.
    hits_30_days: u64,
}

impl From<RedirectRecord> for RedirectView {
    fn from(record: RedirectRecord) -> Self {
        Self {
            old: record.old,
            target: record.target,
            origin: match record.origin {
                RedirectOrigin::Import => "import",
                RedirectOrigin::Manual => "manual",
                RedirectOrigin::Section => "section",
                RedirectOrigin::Story => "story",
            },
            hits_30_days: record.hits,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RedirectList {
    /// By old address.
    redirects: Vec<RedirectView>,
    /// The next page's `after`, if there is one.
    next: Option<String>,
    /// The other sites redirects may lead to.
    allowed_hosts: Vec<String>,
}

/// The site's redirects, 100 a page by old address, those whose addresses hold `q` (editors).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/redirects",
    operation_id = "list_redirects",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("q" = Option<String>, Query, description = "Des mots de l'ancienne ou de la nouvelle adresse."),
        ("after" = Option<String>, Query, description = "L'ancienne adresse après laquelle la page commence (le `next` de la page d'avant)."),
    ),
    responses(
        (status = 200, description = "Une page des redirections.", body = RedirectList),
        (status = 400, description = "Paramètre inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les redirections.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::read(query.as_deref(), &["q", "after"])?.checked()?;
    let newsroom = state.newsroom();
    let mut found = newsroom
        .redirects(
            &caller.actor(),
            params.text("q").unwrap_or_default(),
            params.text("after").unwrap_or_default(),
            PAGE + 1,
        )
        .await?;
    let next = (found.len() > PAGE as usize)
        .then(|| {
            found.truncate(PAGE as usize);
            found.last().map(|record| record.old.clone())
        })
        .flatten();
    Ok(json(&RedirectList {
        redirects: found.into_iter().map(RedirectView::from).collect(),
        next,
        allowed_hosts: newsroom.redirect_hosts().await?,
    }))
}

/// A redirect to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedirectInput {
    /// A path of this site (`/2019/05/ancien-article/`), or its whole address.
    old: String,
    /// A path of this site, or an address on an allowed host.
    target: String,
}

/// A redirect added.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AddedRedirect {
    old: String,
    /// Where it leads: where the target asked for led, if it was itself redirected.
    target: String,
}

/// Adds a redirect (editors). Its target is followed to where it leads, and redirects that led
/// to its old address now lead there: no redirect ever leads to another.
#[utoipa::path(
    post,
    path = "/api/v1/newsroom/redirects",
    operation_id = "create_redirect",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = RedirectInput, content_type = "application/json"),
    responses(
        (status = 201, description = "La redirection.", body = AddedRedirect),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les redirections, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'adresse est déjà redirigée, un article y est publié, ou la cible y ramène.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une adresse qui n'en est pas une, ou un site qui n'est pas permis.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<RedirectInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_REDIRECT.to_owned()))?;
    let site_url = state.site().base_url.clone();
    let added = state
        .newsroom()
        .add_redirect(&actor, &input.old, &input.target, &site_url)
        .await?;
    let mut answer = json(&AddedRedirect {
        old: added.old,
        target: added.target,
    });
    *answer.status_mut() = StatusCode::CREATED;
    Ok(answer)
}

/// Removes the redirect from `old` (editors).
#[utoipa::path(
    delete,
    path = "/api/v1/newsroom/redirects",
    operation_id = "remove_redirect",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("old" = String, Query, description = "L'ancienne adresse de la redirection.")),
    responses(
        (status = 204, description = "La redirection est supprimée."),
        (status = 400, description = "Paramètre inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les redirections, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de redirection depuis cette adresse.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let mut params = Params::read(query.as_deref(), &["old"])?;
    let old = params.text("old").unwrap_or_default().to_owned();
    if old.is_empty() {
        params.refuse("old", messages::api::NO_REDIRECT_SOURCE);
    }
    params.checked()?;
    state.newsroom().remove_redirect(&actor, &old).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The other sites redirects may lead to.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllowedHosts {
    /// Host names (`archives.example.fr`).
    allowed_hosts: Vec<String>,
}

/// Sets the other sites redirects may lead to (administrators).
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/redirects/hosts",
    operation_id = "allow_redirect_hosts",
    tag = "Administration",
    security(("jeton" = [])),
    request_body(content = AllowedHosts, content_type = "application/json"),
    responses(
        (status = 200, description = "Les sites permis, tels qu'enregistrés.", body = AllowedHosts),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn allow_hosts(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<AllowedHosts> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_HOSTS.to_owned()))?;
    let allowed_hosts = state
        .newsroom()
        .allow_redirect_hosts(&actor, &input.allowed_hosts.join("\n"))
        .await?;
    Ok(json(&AllowedHosts { allowed_hosts }))
}
