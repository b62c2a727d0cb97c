//! What search engines fetch: `robots.txt`, the sitemap index, its sitemaps, the news sitemap.

use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::Response,
    routing::get,
};
use jiff::{SignedDuration, Timestamp};
use rotative_render::{
    SITEMAP_MAX_URLS, SitemapEntry, news_sitemap, robots_txt, sitemap, sitemap_index,
};

use crate::{
    AppError, AppState,
    page_cache::{Shown, Shows},
};

const XML: &str = "application/xml; charset=utf-8";
/// Google News reads the stories of the last two days, a thousand at most.
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_MAX: u32 = 1000;
/// How long the news sitemap is kept: a story leaves it at most this late.
const NEWS_FRESH_FOR: std::time::Duration = std::time::Duration::from_mins(1);

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(index))
        .route("/sitemaps/{file}", get(one_sitemap))
        .route("/news-sitemap.xml", get(news))
}

/// Sitemaps list every story with its date: any change to a story may change them.
fn xml(body: String) -> Response {
    Shows::new(vec![Shown::EveryStory]).on(([(header::CONTENT_TYPE, XML)], body))
}

/// Made of the site's settings alone, which drop every cached page when they change.
async fn robots(State(state): State<AppState>) -> Response {
    Shows::default().on((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        robots_txt(&state.site()),
    ))
}

fn entry(path: String) -> SitemapEntry {
    SitemapEntry {
        path,
        last_modified: None,
    }
}

/// The index: the listing pages' sitemap, then the stories' sitemaps, each a run of
/// `SITEMAP_MAX_URLS` ids that holds published stories.
async fn index(State(state): State<AppState>) -> Result<Response, AppError> {
    let numbers = state.store.sitemap_numbers(SITEMAP_MAX_URLS).await?;
    let mut sitemaps = vec![entry("/sitemaps/pages.xml".into())];
    sitemaps.extend(
        numbers
            .into_iter()
            .map(|n| entry(format!("/sitemaps/articles-{n}.xml"))),
    );
    Ok(xml(sitemap_index(&state.site(), &sitemaps)?))
}

async fn one_sitemap(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    if file == "pages.xml" {
        return pages(&state).await;
    }
    // Only the numbers the index writes (`articles-2.xml`, never `-02`, `-+2` or `-0`): one
    // address per sitemap, so the page cache keeps each once.
    let number = file
        .strip_prefix("articles-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or(AppError::NotFound)?;
    let paths = state.store.sitemap(number, SITEMAP_MAX_URLS).await?;
    if paths.is_empty() {
        return Err(AppError::NotFound);
    }
    let urls: Vec<SitemapEntry> = paths
        .into_iter()
        .map(|(path, at)| SitemapEntry {
            path: path.to_string(),
            last_modified: Some(at),
        })
        .collect();
    Ok(xml(sitemap(&state.site(), &urls)?))
}

/// Home, sections, subjects and authors with published stories, corrections.
async fn pages(state: &AppState) -> Result<Response, AppError> {
    let mut urls = vec![entry("/".into()), entry("/corrections/".into())];
    urls.extend(
        state
            .published_sections()
            .await?
            .stored
            .iter()
            .map(|(_, s)| entry(format!("/{}/", s.slug))),
    );
    let (tags, authors) = state.store.listed_tags_and_authors().await?;
    urls.extend(
        tags.into_iter()
            .map(|slug| entry(format!("/sujet/{slug}/"))),
    );
    urls.extend(
        authors
            .into_iter()
            .map(|slug| entry(format!("/auteur/{slug}/"))),
    );
    Ok(xml(sitemap(&state.site(), &urls)?))
}

async fn news(State(state): State<AppState>) -> Result<Response, AppError> {
    let since = Timestamp::now() - NEWS_WINDOW;
    let stories = state.store.published_since(since, NEWS_MAX).await?;
    let mut response = xml(news_sitemap(&state.site(), &stories)?);
    // Stories leave the two-day window with time alone, which the change log cannot say.
    if let Some(shows) = response.extensions_mut().get_mut::<Shows>() {
        shows.fresh_for = Some(NEWS_FRESH_FOR);
    }
    Ok(response)
}
