//! Addresses of a site Rotative replaced (a WordPress import records them), and those under a
//! section's former slug, answered with a permanent redirect, so old links, bookmarks and
//! search results keep working; those that lead nowhere now are answered `410 Gone`, so search
//! engines drop them.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use rotative_store::OldAddress;

use crate::{AppError, AppState};

/// Where this address is redirected, if it is; a redirect followed is counted.
async fn new_address(state: &AppState, path: &str, query: Option<&str>) -> Option<OldAddress> {
    let (old, became) = redirected(state, path, query).await?;
    if matches!(became, OldAddress::Moved(_)) {
        state.count_redirect(&old);
    }
    Some(became)
}

/// The redirect for this address, looked up in the forms readers' requests take
/// (`requested_forms`), with the address it starts from (as the newsroom lists it).
async fn redirected(
    state: &AppState,
    path: &str,
    query: Option<&str>,
) -> Option<(String, OldAddress)> {
    let requested = query.map_or_else(|| path.to_owned(), |query| format!("{path}?{query}"));
    for candidate in rotative_domain::requested_forms(&requested) {
        match state.store.redirect(&candidate).await {
            Ok(Some(target)) => return Some((candidate, target)),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "redirect lookup failed");
                return None;
            }
        }
    }
    moved_section(state, path, query).await
}

/// An address under the slug a section had before a rename or a merge: the same address
/// under its slug of now, query kept (a listing's `?page=2`).
async fn moved_section(
    state: &AppState,
    path: &str,
    query: Option<&str>,
) -> Option<(String, OldAddress)> {
    let under_root = path.strip_prefix('/')?;
    let (old_slug, rest) = under_root.split_once('/').unwrap_or((under_root, ""));
    if old_slug.is_empty() {
        return None;
    }
    let slug = match state.store.moved_section(old_slug).await {
        Ok(slug) => slug?,
        Err(error) => {
            tracing::error!(%error, "section move lookup failed");
            return None;
        }
    };
    let mut target = format!("/{slug}/{rest}");
    if let Some(query) = query {
        target.push('?');
        target.push_str(query);
    }
    Some((format!("/{old_slug}/"), OldAddress::Moved(target)))
}

fn answer(became: &OldAddress) -> Response {
    match became {
        OldAddress::Moved(target) => moved(target),
        OldAddress::Gone => AppError::OldPageGone.into_response(),
    }
}

fn moved(target: &str) -> Response {
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(location) = HeaderValue::from_str(target) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        // An hour, not longer: editors change and remove redirects, and a browser keeping an
        // old one could go round in circles after a change back.
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// WordPress's query addresses (`/?p=19`, `/?page_id=2`, `/?cat=3`) reach the home page, so
/// they are looked up first; any other address only when this site has nothing there.
pub(crate) async fn old_addresses(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    // A reference count, not a copy: most requests never look at it again.
    let uri = request.uri().clone();
    if uri.path() == "/"
        && uri.query().is_some()
        && let Some(became) = new_address(&state, uri.path(), uri.query()).await
    {
        return answer(&became);
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND
        && let Some(became) = new_address(&state, uri.path(), uri.query()).await
    {
        return answer(&became);
    }
    response
}
