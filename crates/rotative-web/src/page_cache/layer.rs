//! The page cache in front of readers' routes: a hit is answered without touching the database
//! or the templates; a miss renders once, however many readers ask at the same moment.

use std::sync::Arc;

use axum::{
    body::{Body, to_bytes},
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, Method, StatusCode, Uri, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{CachedPage, Encoding, Flight, Lookup, Shows, encoding};
use crate::{
    AppError, AppState,
    metrics::{CacheResult, RouteTag},
};

/// Browsers keep a page half a minute, shared caches (a CDN) a minute, and both may serve it
/// stale for five while they revalidate (a `304` from here), or for a day if this site is down.
pub(crate) const PAGE_CACHE_CONTROL: &str =
    "public, max-age=30, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400";
/// Pages and feeds are far smaller; a body beyond this is answered without being kept.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;
/// Pages up to this size are fingerprinted and compressed on the reader's thread (a story's page:
/// tens of microseconds to fingerprint, under a millisecond to compress; a hand-over to the
/// blocking pool costs about as much). Larger ones, a sitemap's megabytes, take milliseconds:
/// they are made off the threads that answer readers.
const MADE_INLINE: usize = 64 * 1024;

/// The address a page is kept under: its path, and its page number if any, written as the
/// site writes it (`?page=2`, never `?page=02` nor `?page=1`). Other query strings are answered
/// without the cache, so made-up parameters cannot fill it.
fn cache_key(uri: &Uri) -> Option<&str> {
    let canonical_page = |n: &str| {
        n.len() <= 6
            && n.bytes().all(|b| b.is_ascii_digit())
            && !n.starts_with('0')
            && !n.is_empty()
            && n != "1"
    };
    match uri.query() {
        None => Some(uri.path()),
        Some(query) if query.strip_prefix("page=").is_some_and(canonical_page) => uri
            .path_and_query()
            .map(axum::http::uri::PathAndQuery::as_str),
        Some(_) => None,
    }
}

/// What the answer depends on in the request: the encodings accepted and the version held.
struct Asked {
    encoding: Encoding,
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
}

impl Asked {
    fn of(request: &Request) -> Self {
        let headers = request.headers();
        Self {
            encoding: Encoding::negotiate(headers),
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
        }
    }

    /// A large page compressed in the encoding asked for, off the threads that answer readers,
    /// when no reader has asked for it in that encoding yet (readers asking meanwhile wait for
    /// the same compression: `OnceLock`).
    async fn make(&self, page: &Arc<CachedPage>) {
        if page.size() <= MADE_INLINE || page.is_made(self.encoding) {
            return;
        }
        let encoding = self.encoding;
        let making = Arc::clone(page);
        // Should the task fail, `answer` makes the body on this thread.
        let _ = tokio::task::spawn_blocking(move || {
            making.body(encoding);
        })
        .await;
    }

    /// A `304` when the reader holds this version, otherwise the page in the encoding asked for.
    async fn answer(&self, page: Arc<CachedPage>) -> Response {
        let held = (self.if_none_match.as_ref(), self.if_modified_since.as_ref());
        let mut response = if encoding::not_modified(held, &page.etag, page.last_modified) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            self.make(&page).await;
            let mut response = Body::from(page.body(self.encoding).clone()).into_response();
            let headers = response.headers_mut();
            for (name, value) in &page.headers {
                headers.insert(name, value.clone());
            }
            if let Some(value) = self.encoding.header() {
                headers.insert(header::CONTENT_ENCODING, value);
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, page.etag.clone());
        headers.insert(header::LAST_MODIFIED, page.last_modified_header.clone());
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PAGE_CACHE_CONTROL),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    }
}

/// How the cache may take a request.
enum Asking<'a> {
    /// A reader's page, kept under this key.
    Page(&'a str),
    /// Not a read (a form sent, say): for the routes alone.
    NotARead,
    /// An escaped address: never a reader's (`/monde/`, never `/%6Donde/`).
    Escaped,
    /// A query other than a page number: answered without the cache.
    OtherQuery,
}

/// Answers other sites' scripts may read get their CORS headers from a layer inside their routes:
/// their hits are answered by [`serve`], within it, never by [`answer_hits`].
const CROSS_ORIGIN: [&str; 2] = ["/api/", "/wp-json/"];

impl<'a> Asking<'a> {
    fn of(method: &Method, uri: &'a Uri) -> Self {
        if !matches!(*method, Method::GET | Method::HEAD) {
            Self::NotARead
        } else if uri.path().contains('%') {
            Self::Escaped
        } else {
            cache_key(uri).map_or(Self::OtherQuery, Self::Page)
        }
    }
}

/// In front of the whole stack but the request id, the access log, the count and the route's
/// matching: a page the cache holds is answered at once, with the headers every answer gets and
/// counted under its route. The time limit, compression (a kept page is compressed already) and
/// the error pages are for everything else.
pub(crate) async fn answer_hits(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let page = match Asking::of(request.method(), request.uri()) {
        Asking::Page(key) if !CROSS_ORIGIN.iter().any(|prefix| key.starts_with(prefix)) => {
            state.page_cache().hit(key)
        }
        _ => None,
    };
    let Some(page) = page else {
        return next.run(request).await;
    };
    state.metrics().page_cache(CacheResult::Hit);
    let mut response = Asked::of(&request).answer(page).await;
    state.security_headers().apply(response.headers_mut());
    if let Some(route) = request.extensions().get::<MatchedPath>() {
        response.extensions_mut().insert(RouteTag(route.clone()));
    }
    response
}

pub(crate) async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let key = match Asking::of(request.method(), &uri) {
        Asking::Page(key) => key,
        Asking::NotARead => return next.run(request).await,
        // An escaped address is not another name for a page, which would be kept a second
        // time. Old addresses of a replaced site that were escaped still reach their redirect,
        // which is looked up after a 404.
        Asking::Escaped => {
            state.metrics().page_cache(CacheResult::Bypass);
            return AppError::NotFound.into_response();
        }
        Asking::OtherQuery => {
            state.metrics().page_cache(CacheResult::Bypass);
            return next.run(request).await;
        }
    };
    let asked = Asked::of(&request);
    loop {
        match state.page_cache().lookup(key) {
            Lookup::Hit(page) => {
                state.metrics().page_cache(CacheResult::Hit);
                return asked.answer(page).await;
            }
            Lookup::Wait(mut flight) => {
                let done = flight
                    .wait_for(|flight| matches!(flight, Flight::Done(_)))
                    .await
                    .map(|flight| flight.clone());
                match done {
                    Ok(Flight::Done(Some(page))) => {
                        state.metrics().page_cache(CacheResult::Waited);
                        return asked.answer(page).await;
                    }
                    // Not a page to keep (a 404, say): this reader's own answer will do.
                    Ok(_) => {
                        state.metrics().page_cache(CacheResult::Bypass);
                        return next.run(request).await;
                    }
                    // The reader rendering it went away: ask again, perhaps to render it.
                    Err(_) => {}
                }
            }
            Lookup::Render(render) => {
                state.metrics().page_cache(CacheResult::Miss);
                let response = next.run(request).await;
                return match keep(response, uri.query().is_some()).await {
                    Ok(page) => {
                        render.finish(Some(Arc::clone(&page)));
                        asked.answer(page).await
                    }
                    Err(response) => {
                        render.finish(None);
                        response
                    }
                };
            }
        }
    }
}

/// The page to keep, if the answer is one: a `200` whose handler said what it shows, and, when
/// a page number was asked for, a page of a listing (others ignore the number: kept under it,
/// `/?page=2`, `/?page=3`… would each be a copy of the home page pushing real pages out).
async fn keep(response: Response, numbered: bool) -> Result<Arc<CachedPage>, Response> {
    let keepable = response
        .extensions()
        .get::<Shows>()
        .is_some_and(|shows| shows.paged || !numbered);
    if response.status() != StatusCode::OK || !keepable {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let Some(shows) = parts.extensions.remove::<Shows>() else {
        return Err(Response::from_parts(parts, body));
    };
    let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let headers = std::mem::take(&mut parts.headers);
    // Only the page's fingerprint is computed now: compressing waits for a reader who asks.
    if bytes.len() <= MADE_INLINE {
        return Ok(Arc::new(CachedPage::new(headers, bytes, shows)));
    }
    tokio::task::spawn_blocking(move || Arc::new(CachedPage::new(headers, bytes, shows)))
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// After a write from the newsroom, this instance's cache catches up before answering: the
/// editor who published a story sees it on the site at once.
pub(crate) async fn after_write(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let write = request.method() != Method::GET && request.method() != Method::HEAD;
    let response = next.run(request).await;
    if write && let Err(error) = state.follow_changes().await {
        tracing::warn!(?error, "page cache could not catch up after a write");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_kept_by_path_and_page_number_only() {
        let key = |uri: &str| cache_key(&uri.parse().unwrap()).map(str::to_owned);
        assert_eq!(key("/monde/").as_deref(), Some("/monde/"));
        assert_eq!(key("/monde/?page=2").as_deref(), Some("/monde/?page=2"));
        assert_eq!(key("/monde/?page="), None);
        assert_eq!(key("/monde/?page=02"), None);
        assert_eq!(key("/monde/?page=1"), None);
        assert_eq!(key("/monde/?page=1000000"), None);
        assert_eq!(key("/monde/?page=2&x=1"), None);
        assert_eq!(key("/monde/?utm_source=x"), None);
    }

    fn page_of(bytes: usize) -> Arc<CachedPage> {
        let line = "<url><loc>https://journal.example/</loc></url>\n";
        Arc::new(CachedPage::new(
            axum::http::HeaderMap::new(),
            axum::body::Bytes::from(line.repeat(bytes / line.len() + 1)),
            Shows::new(vec![]),
        ))
    }

    fn asking(encoding: Encoding, etag: Option<HeaderValue>) -> Asked {
        Asked {
            encoding,
            if_none_match: etag,
            if_modified_since: None,
        }
    }

    #[tokio::test]
    async fn a_large_page_is_compressed_beforehand_in_the_encoding_asked_for() {
        let large = page_of(MADE_INLINE * 4);
        asking(Encoding::Gzip, None).make(&large).await;
        assert!(large.is_made(Encoding::Gzip));
        assert!(
            !large.is_made(Encoding::Brotli),
            "only the encoding asked for"
        );
        let small = page_of(MADE_INLINE / 4);
        asking(Encoding::Gzip, None).make(&small).await;
        assert!(
            !small.is_made(Encoding::Gzip),
            "a small page is made as it is sent"
        );
    }

    #[tokio::test]
    async fn a_large_page_is_sent_as_made_and_not_compressed_for_a_304() {
        let page = page_of(MADE_INLINE * 4);
        let unchanged = asking(Encoding::Brotli, Some(page.etag.clone()))
            .answer(Arc::clone(&page))
            .await;
        assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
        assert!(
            !page.is_made(Encoding::Brotli),
            "nothing to compress for a 304"
        );
        let response = asking(Encoding::Gzip, None).answer(Arc::clone(&page)).await;
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let sent = to_bytes(response.into_body(), MAX_PAGE_BYTES)
            .await
            .unwrap();
        assert_eq!(&sent, page.body(Encoding::Gzip));
        assert!(sent.len() < page.size() / 10);
    }
}
