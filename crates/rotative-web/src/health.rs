//! Probes for load balancers and supervisors.

use axum::{Router, extract::State, http::StatusCode, routing::get};

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up and answering.
async fn healthz() -> &'static str {
    "ok"
}

/// The database and media storage answer too: this instance can serve readers.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let database = state.store.ping().await;
    let storage = state.storage.check().await;
    match (database, storage) {
        (Ok(()), Ok(())) => (StatusCode::OK, "ready"),
        (database, storage) => {
            tracing::warn!(?database, ?storage, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready")
        }
    }
}
