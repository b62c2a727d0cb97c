//! The search page, `/recherche?q=…&rubrique=…&du=…&au=…&page=…`.

use axum::{
    Router,
    extract::{Query, State, rejection::QueryRejection},
    response::Html,
    routing::get,
};
use jiff::ToSpan;
use rotative_domain::{PageNumber, Pagination, Slug, day_start};
use rotative_render::{SearchHitView, SearchPage};
use rotative_search::SearchQuery;
use rotative_store::Listing;
use serde::Deserialize;

use crate::{AppError, AppState, messages};

const PER_PAGE: u32 = 10;
const LATEST_WHEN_NOTHING: u32 = 6;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/recherche", get(search))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    rubrique: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    page: Option<String>,
}

fn url(params: &[(&str, &str)]) -> String {
    let kept: Vec<_> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    format!(
        "/recherche?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let Query(params) = params.map_err(|_| AppError::BadRequest(messages::UNREADABLE_SEARCH))?;
    let page = match params.page.as_deref() {
        None | Some("") => PageNumber::FIRST,
        Some(page) => PageNumber::parse(page).map_err(|_| AppError::NotFound)?,
    };
    let section = Slug::parse(params.rubrique.trim()).ok();
    let zone = state.site().time_zone.clone();
    let from = day_start(&zone, &params.du);
    // "Up to" a day includes all of it.
    let to = day_start(&zone, &params.au).map(|start| start + 24.hours() - 1.second());
    let text: String = params.q.trim().chars().take(200).collect();
    let query = SearchQuery {
        text: text.clone(),
        section: section.clone(),
        from,
        to,
        offset: usize::try_from(page.offset(PER_PAGE)).unwrap_or(usize::MAX),
        limit: PER_PAGE as usize,
    };
    // Scoring and highlighting take milliseconds of CPU on a large archive: on the blocking pool,
    // so the readers this worker serves are not held up meanwhile.
    let searching = state.clone();
    let results = tokio::task::spawn_blocking(move || searching.search.search(&query))
        .await
        .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?;
    let pagination = Pagination::new(
        page,
        PER_PAGE,
        u64::try_from(results.total).unwrap_or(u64::MAX),
    );
    if pagination.is_out_of_range() {
        return Err(AppError::NotFound);
    }
    let section_value = section
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (du, au) = (
        if from.is_some() { params.du.trim() } else { "" },
        if to.is_some() { params.au.trim() } else { "" },
    );
    let page_url = |n: u32| {
        let n = n.to_string();
        url(&[
            ("q", &text),
            ("rubrique", &section_value),
            ("du", du),
            ("au", au),
            ("page", if n == "1" { "" } else { &n }),
        ])
    };
    let latest = if results.hits.is_empty() {
        state
            .store
            .published_summaries(Listing::Everything, LATEST_WHEN_NOTHING, 0)
            .await?
    } else {
        Vec::new()
    };
    let filtered = section.is_some() || from.is_some() || to.is_some();
    let view = SearchPage {
        query: text.clone(),
        section: section.map(|s| s.to_string()),
        from: from.map(|_| du.to_owned()),
        to: to.map(|_| au.to_owned()),
        total: results.total,
        page: pagination.page,
        total_pages: pagination.total_pages,
        prev: pagination.previous().map(page_url),
        next: pagination.next().map(page_url),
        hits: results
            .hits
            .into_iter()
            .map(|hit| SearchHitView {
                url: hit.path,
                section_url: format!("/{}/", hit.section_slug),
                headline: hit.headline,
                standfirst: hit.standfirst,
                section_name: hit.section_name,
                published_at: hit.published_at,
                snippet_html: hit.snippet_html,
            })
            .collect(),
        latest,
        unfiltered: filtered.then(|| url(&[("q", &text)])),
    };
    let nav = state.nav().await?;
    Ok(Html(state.pages(&state.site(), &nav).search(&view)?))
}
