//! Rotative's HTTP surface: the public site, the newsroom and the API.
//! Owns: routes, extractors, response headers, and the one place where errors become responses.
//! Never: SQL, HTML built by hand, or rules that belong to the domain.

mod api;
mod app;
mod assets;
pub mod auth;
mod caching;
mod connections;
mod crawlers;
mod error;
mod health;
mod media;
mod messages;
mod metrics;
mod metrics_endpoint;
mod newsroom;
mod page_cache;
mod policy;
mod public;
mod redirects;
mod search;
mod secrets;
mod state;
mod uploads;
pub mod webhooks;
mod wordpress_api;

use std::{
    hash::{BuildHasher, Hasher, RandomState},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    http::{HeaderName, HeaderValue, StatusCode},
    middleware,
};
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use api::{RateLimit, route_list as api_routes};
pub use app::AppSettings;
pub use connections::{
    AnswerThreads, ConnectionLimits, HEAD_TIMEOUT, MAX_HEAD_BYTES, MAX_HEADERS, WRITE_TIMEOUT,
    bind_shared, serve_on_threads,
};
pub use error::{AppError, FieldError};
pub use media::make_pending_variants;
pub use metrics::Metrics;
pub use metrics_endpoint::metrics_router;
pub use newsroom::{password_links::invitation_link, route_list as newsroom_routes};
pub use state::{AppState, Services};
pub use uploads::{UploadLimits, VariantQueue};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Ids for requests that come without one: a random prefix drawn once per process, then a
/// count. Unique across instances like a UUID, without drawing randomness for every request.
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let random = RandomState::new().build_hasher().finish();
        Self {
            prefix: format!("{random:016x}").into(),
            next: Arc::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// The whole site: every route, then the layers every response goes through.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(assets::router())
        .merge(
            newsroom::router(state.upload_limits).layer(middleware::from_fn_with_state(
                state.clone(),
                page_cache::layer::after_write,
            )),
        )
        .merge(search::router())
        .merge(api::router(&state))
        .merge(wordpress_api::router(&state))
        .merge(
            Router::new()
                .merge(crawlers::router())
                .merge(public::router())
                .route_layer(middleware::from_fn_with_state(
                    state.clone(),
                    page_cache::layer::serve,
                )),
        )
        .route_layer(middleware::from_fn(metrics_endpoint::tag_route))
        .fallback(|| async { AppError::NotFound })
        // Inside the error pages: an old address that is gone gets the site's page too.
        .layer(middleware::from_fn_with_state(state.clone(), redirects::old_addresses))
        .layer(middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(middleware::from_fn(caching::validators))
        // Pages, feeds and stylesheets travel compressed (brotli or gzip, as the client accepts).
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(middleware::from_fn_with_state(state.clone(), policy::security_headers))
        // Before everything else but the request id, the access log and the count, after the
        // route is matched (a layer of the router's wraps each route).
        .layer(middleware::from_fn_with_state(state.clone(), page_cache::layer::answer_hits))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        // One line per answer (status, time taken) in the request's span: the access log.
        .layer(TraceLayer::new_for_http().on_response(DefaultOnResponse::new().level(Level::INFO)).make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), uri = %logged_uri(request.uri()), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds::default()))
        .layer(middleware::from_fn_with_state(state.clone(), metrics_endpoint::record))
        .with_state(state)
}

/// A request's address as the access log keeps it: an invitation's or a new password's link
/// opens an account, so its token is left out.
fn logged_uri(uri: &axum::http::Uri) -> std::borrow::Cow<'_, str> {
    const WITH_TOKEN: [&str; 2] = ["/redaction/invitation/", "/redaction/nouveau-mot-de-passe/"];
    match WITH_TOKEN
        .iter()
        .find(|prefix| uri.path().starts_with(*prefix))
    {
        Some(prefix) => format!("{prefix}…").into(),
        None => uri.to_string().into(),
    }
}
