//! Validators for answers the page cache does not keep (search results, say): a successful GET
//! of a textual answer carries a weak `ETag` (a hash of its body), and a request that already has
//! that version (by the same weak, list-aware comparison as cached pages) gets
//! `304 Not Modified` with no body. They may be kept as cached pages are.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::page_cache::{etag, etag_matches, layer::PAGE_CACHE_CONTROL};

/// Pages and feeds are small; anything larger than this is passed through untouched.
const MAX_HASHED_BYTES: usize = 8 * 1024 * 1024;

pub(crate) async fn validators(request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let known = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    let textual = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/") || kind.starts_with("application/"));
    if response.status() != StatusCode::OK
        || !textual
        || response.headers().contains_key(header::ETAG)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_HASHED_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag(&bytes);
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts.headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PAGE_CACHE_CONTROL),
        );
    }
    parts.headers.insert(header::ETAG, etag.clone());
    if known.is_some_and(|known| etag_matches(&known, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}
