//! Redirects in the newsroom, for editors: every redirect (from imports, from sections' former
//! addresses, made by hand) with how often readers followed it in the last 30 days, a search,
//! additions and removals; administrators choose the other sites redirects may lead to.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_newsroom::REDIRECT_HITS_DAYS;
use rotative_store::{RedirectOrigin, RedirectRecord};
use serde::{Deserialize, Serialize};

use super::{Refused, render};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
};

const LIST: &str = "/redaction/redirections";
/// Redirects a page lists: an import makes thousands.
const PAGE: u32 = 50;

#[derive(Serialize)]
struct RedirectRow {
    old: String,
    target: String,
    origin: &'static str,
    hits: u64,
}

impl From<RedirectRecord> for RedirectRow {
    fn from(record: RedirectRecord) -> Self {
        Self {
            old: record.old,
            target: record.target,
            origin: match record.origin {
                RedirectOrigin::Import => "Import",
                RedirectOrigin::Manual => "À la main",
                RedirectOrigin::Section => "Rubrique",
                RedirectOrigin::Story => "Article",
            },
            hits: record.hits,
        }
    }
}

/// The list's search and where its page starts.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    q: String,
    /// The old address the page starts after.
    #[serde(default)]
    apres: String,
}

/// A redirect as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct RedirectForm {
    #[serde(default)]
    old: String,
    #[serde(default)]
    target: String,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    query: &ListQuery,
    form: &RedirectForm,
    refused: Refused,
) -> Result<Response, AppError> {
    let newsroom = state.newsroom();
    let rows: Vec<RedirectRow> = newsroom
        .redirects(&who.actor(), &query.q, &query.apres, PAGE + 1)
        .await?
        .into_iter()
        .map(RedirectRow::from)
        .collect();
    let more = rows.len() > PAGE as usize;
    let rows: Vec<RedirectRow> = rows.into_iter().take(PAGE as usize).collect();
    let next = more
        .then(|| rows.last().map(|row| row.old.clone()))
        .flatten();
    let html = render(
        state,
        who,
        "newsroom/redirects.html",
        minijinja::context! {
            redirects => rows,
            q => query.q.trim(),
            first_page => query.apres.is_empty(),
            next => next,
            days => REDIRECT_HITS_DAYS,
            hosts => newsroom.redirect_hosts().await?.join("\n"),
            form => form,
            refused => refused,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let form = RedirectForm::default();
    page(
        &state,
        &who,
        StatusCode::OK,
        &query,
        &form,
        Refused::default(),
    )
    .await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<RedirectForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    let site_url = state.site().base_url.clone();
    let added = state
        .newsroom()
        .add_redirect(&who.actor(), &form.old, &form.target, &site_url)
        .await
        .map_err(AppError::from);
    let Err(error) = added else {
        return Ok(Redirect::to(LIST).into_response());
    };
    let (status, refused) = Refused::of(error)?;
    let query = ListQuery::default();
    page(&state, &who, status, &query, &form, refused).await
}

#[derive(Deserialize)]
pub(crate) struct RemovalForm {
    #[serde(default)]
    old: String,
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<RemovalForm>,
) -> Result<Response, AppError> {
    state
        .newsroom()
        .remove_redirect(&who.actor(), form.old.trim())
        .await?;
    Ok(Redirect::to(LIST).into_response())
}

#[derive(Deserialize)]
pub(crate) struct HostsForm {
    #[serde(default)]
    hosts: String,
}

pub(crate) async fn allow_hosts(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<HostsForm>,
) -> Result<Response, AppError> {
    state
        .newsroom()
        .allow_redirect_hosts(&who.actor(), &form.hosts)
        .await?;
    Ok(Redirect::to(LIST).into_response())
}
