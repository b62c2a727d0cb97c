//! Metrics over HTTP: each answer counted by route and status, and `GET /metrics` for
//! Prometheus on the metrics listen address.

use std::time::Instant;

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{AppState, metrics::RouteTag};

/// Inside the router: notes which route answered.
pub(crate) async fn tag_route(path: MatchedPath, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(RouteTag(path));
    response
}

/// Around everything: counts each answer by route and status, and times it.
pub(crate) async fn record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let route = response
        .extensions_mut()
        .remove::<RouteTag>()
        .map_or_else(|| "unmatched".to_owned(), |tag| tag.0.as_str().to_owned());
    state
        .metrics()
        .answered(route, response.status().as_u16(), started.elapsed());
    response
}

/// `GET /metrics` in Prometheus's text format, for the metrics listen address only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(exposition))
        .with_state(state)
}

async fn exposition(State(state): State<AppState>) -> Response {
    let search_lag = match (state.store.last_change().await, state.search.position()) {
        (Ok(last), Ok(indexed)) => Some(last.saturating_sub(indexed).max(0)),
        _ => None,
    };
    let cached = state.page_cache().stats();
    match state
        .metrics()
        .exposition(search_lag, (cached.pages, cached.bytes))
    {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
