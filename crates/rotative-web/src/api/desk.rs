//! The rest of the newsroom through the API: its dashboard's list of stories in every state,
//! the editor's preview, the audit log, and the account's own API tokens.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use jiff::Timestamp;
use rotative_domain::{ArticleStatus, PageNumber, TokenId};
use rotative_newsroom::NewsroomError;
use rotative_store::StoryFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{at, caller::Caller, json, params::Params, write::body_or_default};
use crate::{
    AppError, AppState, FieldError,
    error::Problem,
    messages::{self, api as api_messages},
    newsroom::stories::DASHBOARD_PAGE,
};

/// A story as the dashboard lists it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeskStory {
    id: i64,
    headline: String,
    /// `draft`, `in_review`, `scheduled`, `published` or `unpublished`.
    status: &'static str,
    section: String,
    /// Written by the token's account.
    mine: bool,
    /// Its page, once published.
    url: Option<String>,
    /// The bylines, in order.
    authors: Vec<String>,
    /// Last saved (RFC 3339).
    updated_at: String,
    /// Who saved the current text; none for an imported story.
    last_editor: Option<String>,
    /// When a scheduled story goes out (RFC 3339).
    scheduled_at: Option<String>,
}

/// How many stories the account sees in one state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StateCount {
    status: &'static str,
    count: u64,
}

/// A page of the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeskPage {
    /// The account's own stories first, then the newest.
    stories: Vec<DeskStory>,
    counts: Vec<StateCount>,
    /// The next page, if another follows.
    next: Option<String>,
}

/// The stories of the newsroom in every state, as the dashboard lists them: a contributor's own
/// only, everyone else's too for the other roles; the account's own first.
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/stories",
    operation_id = "newsroom_stories",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("status" = Option<String>, Query, description = "`draft`, `in_review`, `scheduled`, `published` ou `unpublished`."),
        ("q" = Option<String>, Query, description = "Des mots du titre."),
        ("section" = Option<String>, Query, description = "Le slug d’une rubrique."),
        ("author" = Option<String>, Query, description = "Le slug d’un auteur signataire."),
        ("page" = Option<u32>, Query, description = "La page, à partir de 1 (50 articles par page)."),
    ),
    responses(
        (status = 200, description = "Une page du tableau de bord.", body = DeskPage),
        (status = 400, description = "Paramètre inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn stories(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(
        query.as_deref(),
        &["status", "q", "section", "author", "page"],
    )?;
    let status = params.parsed(
        "status",
        |value| ArticleStatus::parse(value).ok(),
        || api_messages::UNKNOWN_STATUS.to_owned(),
    );
    let page = params
        .parsed(
            "page",
            |value| PageNumber::parse(value).ok(),
            || api_messages::PAGE.to_owned(),
        )
        .unwrap_or(PageNumber::FIRST);
    let params = params.checked()?;
    let search = params.text("q");
    let (section, author) = (params.text("section"), params.text("author"));
    let actor = caller.actor();
    let filter = StoryFilter {
        status,
        headline_contains: search,
        created_by: actor.dashboard_scope(),
        section,
        author,
        first_by: Some(actor.id),
    };
    let mut rows = state
        .store
        .newsroom_stories(&filter, DASHBOARD_PAGE + 1, page.offset(DASHBOARD_PAGE))
        .await?;
    let more = rows.len() > DASHBOARD_PAGE as usize;
    rows.truncate(DASHBOARD_PAGE as usize);
    let site = state.site();
    let next = more.then(|| {
        let kept: Vec<(&str, String)> = [
            ("status", status.map(|s| s.as_str().to_owned())),
            ("q", search.map(str::to_owned)),
            ("section", section.map(str::to_owned)),
            ("author", author.map(str::to_owned)),
            ("page", Some((page.get() + 1).to_string())),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
        site.absolute(&format!(
            "/api/v1/newsroom/stories?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        ))
    });
    let counts = state
        .store
        .count_by_status(actor.dashboard_scope())
        .await?
        .into_iter()
        .map(|(status, count)| StateCount {
            status: status.as_str(),
            count,
        })
        .collect();
    Ok(json(&DeskPage {
        stories: rows
            .into_iter()
            .map(|row| DeskStory {
                id: row.id.0,
                mine: row.created_by == Some(actor.id),
                headline: row.headline,
                status: row.status.as_str(),
                section: row.section,
                url: row
                    .path
                    .filter(|_| row.status == ArticleStatus::Published)
                    .map(|path| site.absolute(&path)),
                authors: row.authors,
                updated_at: row.updated_at.to_string(),
                last_editor: row.last_editor,
                scheduled_at: row
                    .scheduled_at
                    .filter(|_| row.status == ArticleStatus::Scheduled)
                    .map(|at| at.to_string()),
            })
            .collect(),
        counts,
        next,
    }))
}

/// A body to preview.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PreviewInput {
    /// Markdown, with `media:KEY` images from the library.
    body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PreviewView {
    /// The body as readers will see it.
    html: String,
}

/// A body as readers will see it, as the editor's live preview shows it; nothing is stored.
#[utoipa::path(
    post,
    path = "/api/v1/preview",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = PreviewInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Le texte mis en page.", body = PreviewView),
        (status = 400, description = "JSON illisible, champ inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le texte dépasse 512 Ko.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Le texte cite une image absente de la médiathèque, ou est illisible.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let input: PreviewInput = body_or_default(&headers, body)?;
    if input.body.len() > rotative_newsroom::MAX_BODY_BYTES {
        return Err(AppError::TooLarge(vec![FieldError {
            field: "body".into(),
            message: messages::body_too_large(rotative_newsroom::MAX_BODY_BYTES / 1024),
        }]));
    }
    match state.newsroom().preview(&caller.actor(), &input.body).await {
        Ok(html) => Ok(json(&PreviewView { html })),
        Err(NewsroomError::Body(problem)) => Err(AppError::Invalid(vec![FieldError {
            field: "body".into(),
            message: messages::body_problem(&problem),
        }])),
        Err(other) => Err(other.into()),
    }
}

/// A line of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditLine {
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    /// Who acted; `null` for the site itself (scheduled publishing, imports).
    by: Option<String>,
    /// What was done (`publish`, `edit`, `token_add`…).
    action: String,
    /// The same, in French.
    label: String,
    detail: String,
    story: Option<i64>,
    headline: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditLog {
    /// The latest 300 lines, newest first.
    lines: Vec<AuditLine>,
}

/// The audit log: who did what, when (editors and administrators), as « Journal » shows it.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "Rédaction",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les dernières lignes du journal.", body = AuditLog),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne lui permet pas de lire le journal.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn audit(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    if !caller.actor().may_read_audit_log() {
        return Err(AppError::Forbidden);
    }
    let lines = state
        .store
        .audit_entries(None, 300)
        .await?
        .into_iter()
        .map(|entry| AuditLine {
            at: at(entry.at),
            by: entry.user_name,
            label: messages::audit_action(&entry.action),
            action: entry.action,
            detail: entry.detail,
            story: entry.article_id.map(|id| id.0),
            headline: entry.headline,
        })
        .collect();
    Ok(json(&AuditLog { lines }))
}

/// An API token, never the token itself.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenView {
    id: i64,
    name: String,
    /// The account it acts as.
    account: String,
    /// `read` or `write`.
    scope: &'static str,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_used_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    revoked_at: Option<Timestamp>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenList {
    tokens: Vec<TokenView>,
}

/// The account's API tokens (an administrator's: everybody's), newest first, as « Jetons
/// d'API » lists them. New tokens are made in the newsroom or by `rotative token add`: a token
/// cannot make another.
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    operation_id = "list_tokens",
    tag = "Compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les jetons.", body = TokenList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let tokens = state.newsroom().tokens(&caller.actor()).await?;
    Ok(json(&TokenList {
        tokens: tokens
            .into_iter()
            .map(|token| TokenView {
                id: token.id.0,
                name: token.name,
                account: token.owner_name.to_string(),
                scope: token.scope.as_str(),
                created_at: at(token.created_at),
                last_used_at: token.last_used_at.map(at),
                revoked_at: token.revoked_at.map(at),
            })
            .collect(),
    }))
}

/// Revokes a token the account may see (its own; an administrator's, anybody's): it stops at
/// once, on every instance. A `read` token may revoke itself only.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    operation_id = "revoke_token",
    tag = "Compte",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du jeton.")),
    responses(
        (status = 204, description = "Révoqué."),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Un jeton en lecture seule ne révoque que lui-même.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun jeton vivant à la portée du compte n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = id.parse().map(TokenId).map_err(|_| {
        AppError::Missing(messages::refusal(&rotative_newsroom::Refusal::NoSuchToken))
    })?;
    // A token that may only read may still give itself up, and nothing else.
    let actor = if id == caller.token {
        caller.actor()
    } else {
        caller.writer()?
    };
    state.newsroom().revoke_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
