//! Readers' pages: home, articles, and the section, tag and author listings.

use axum::{
    Router,
    extract::{OriginalUri, Path, Query, State, rejection::QueryRejection},
    response::{Html, Redirect},
    routing::get,
};
use rotative_domain::{
    ArticlePath, ArticleSummary, ArticleUrlParts, PageNumber, Pagination, Slug, rank_related,
};
use rotative_render::{HomeSection, ListingKind};
use rotative_store::Listing;
use serde::Deserialize;

use crate::{AppError, AppState};

const RELATED_COUNT: usize = 4;
const HOME_TOP_COUNT: u32 = 5;
const HOME_SECTION_COUNT: u32 = 4;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/corrections/", get(corrections))
        .route("/sujet/{slug}/", get(tag))
        .route("/sujet/{slug}", get(add_trailing_slash))
        .route("/auteur/{slug}/", get(author))
        .route("/auteur/{slug}", get(add_trailing_slash))
        .route("/{section}/", get(section))
        .route("/{section}", get(add_trailing_slash))
        .route("/{section}/{year}/{month}/{day}/{slug}", get(article))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

/// The page asked for; a malformed or absurd number is a page that does not exist.
fn page_number(query: Result<Query<PageQuery>, QueryRejection>) -> Result<PageNumber, AppError> {
    match query {
        Ok(Query(PageQuery { page: None })) => Ok(PageNumber::FIRST),
        Ok(Query(PageQuery { page: Some(page) })) => {
            PageNumber::parse(&page).map_err(|_| AppError::NotFound)
        }
        Err(_) => Err(AppError::BadRequest(
            "L'adresse demandée contient des paramètres illisibles.",
        )),
    }
}

fn slug(value: &str) -> Result<Slug, AppError> {
    Slug::parse(value).map_err(|_| AppError::NotFound)
}

/// `/monde` → `/monde/`: one address per page, for readers and search engines alike.
async fn add_trailing_slash(OriginalUri(uri): OriginalUri) -> Result<Redirect, AppError> {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    slug(last)?;
    let target = match uri.query() {
        Some(query) => format!("{path}/?{query}"),
        None => format!("{path}/"),
    };
    Ok(Redirect::permanent(&target))
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let top = state
        .store
        .published_summaries(Listing::Everything, HOME_TOP_COUNT, 0)
        .await?;
    let sections = state.store.sections().await?;
    let mut blocks = Vec::with_capacity(sections.len());
    for (id, section) in &sections {
        let candidates = state
            .store
            .published_summaries(
                Listing::Section(*id),
                HOME_TOP_COUNT + HOME_SECTION_COUNT,
                0,
            )
            .await?;
        let stories = candidates
            .into_iter()
            .filter(|story| top.iter().all(|t| t.id != story.id))
            .take(HOME_SECTION_COUNT as usize)
            .collect();
        blocks.push(HomeSection {
            section: section.clone(),
            stories,
        });
    }
    let nav: Vec<_> = sections.into_iter().map(|(_, section)| section).collect();
    Ok(Html(state.pages(&nav).home(&top, &blocks)?))
}

async fn article(
    State(state): State<AppState>,
    Path((section, year, month, day, slug)): Path<(String, String, String, String, String)>,
) -> Result<Html<String>, AppError> {
    let parts = ArticleUrlParts {
        section: &section,
        year: &year,
        month: &month,
        day: &day,
        slug: &slug,
    };
    let path = ArticlePath::from_parts(parts).map_err(|_| AppError::NotFound)?;
    let Some(article) = state.store.published_article(&path).await? else {
        // A story taken down keeps its address, which says so: 410, not 404.
        return Err(if state.store.is_unpublished_path(&path).await? {
            AppError::Gone
        } else {
            AppError::NotFound
        });
    };
    let related = related(&state, article.id).await?;
    let corrections: Vec<_> = state
        .store
        .corrections(Some(article.id), 50)
        .await?
        .into_iter()
        .map(|entry| entry.correction)
        .collect();
    let nav = state.nav().await?;
    Ok(Html(state.pages(&nav).article(
        &article,
        &related,
        &corrections,
    )?))
}

async fn corrections(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let entries: Vec<_> = state
        .store
        .corrections(None, 200)
        .await?
        .into_iter()
        .filter_map(|entry| {
            entry
                .path
                .map(|path| (entry.correction, entry.headline, path))
        })
        .collect();
    let nav = state.nav().await?;
    Ok(Html(state.pages(&nav).corrections(&entries)?))
}

/// Stories sharing the most tags, then the section, then the newest; never the story itself.
async fn related(state: &AppState, id: i64) -> Result<Vec<ArticleSummary>, AppError> {
    let Some((article, candidates)) = state.store.related_candidates(id).await? else {
        return Ok(Vec::new());
    };
    let ids = rank_related(&article, &candidates, RELATED_COUNT);
    Ok(state.store.published_summaries_by_ids(&ids).await?)
}

async fn listing(
    state: &AppState,
    kind: ListingKind<'_>,
    listing: Listing,
    page: PageNumber,
) -> Result<Html<String>, AppError> {
    let total = state.store.count_published(listing).await?;
    let pagination = Pagination::new(page, state.page_size, total);
    if pagination.is_out_of_range() {
        return Err(AppError::NotFound);
    }
    let stories = state
        .store
        .published_summaries(listing, pagination.per_page, pagination.offset())
        .await?;
    let nav = state.nav().await?;
    Ok(Html(state.pages(&nav).listing(
        kind,
        &stories,
        &pagination,
    )?))
}

async fn section(
    State(state): State<AppState>,
    Path(section): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let page = page_number(query)?;
    let (id, section) = state
        .store
        .section_by_slug(&slug(&section)?)
        .await?
        .ok_or(AppError::NotFound)?;
    listing(
        &state,
        ListingKind::Section(&section),
        Listing::Section(id),
        page,
    )
    .await
}

async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let page = page_number(query)?;
    let (id, tag) = state
        .store
        .tag_by_slug(&slug(&tag)?)
        .await?
        .ok_or(AppError::NotFound)?;
    listing(&state, ListingKind::Tag(&tag), Listing::Tag(id), page).await
}

async fn author(
    State(state): State<AppState>,
    Path(author): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let page = page_number(query)?;
    let (id, author) = state
        .store
        .author_by_slug(&slug(&author)?)
        .await?
        .ok_or(AppError::NotFound)?;
    listing(
        &state,
        ListingKind::Author(&author),
        Listing::Author(id),
        page,
    )
    .await
}
