//! The JSON API under `/api/v1/`, for apps, partners and scripts: what readers see, through
//! the same store and page cache as the pages. Errors are problem details (`error.rs`); the
//! OpenAPI document is generated from the handlers themselves, at `/api/v1/openapi.json`.

mod params;
mod read;
mod views;

use std::sync::Arc;

use axum::{
    Router,
    http::{HeaderName, Method, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{AppState, page_cache};

const JSON: &str = "application/json; charset=utf-8";

/// The API's description; its paths come from the handlers' `#[utoipa::path]`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rotative",
        description = "L'API du site : les articles publiés, les rubriques, les sujets, les auteurs, les corrections et le journal des changements. Réponses en JSON ; erreurs au format « problem details » (RFC 9457).",
        license(name = "AGPL-3.0-or-later")
    ),
    tags((name = "Lecture", description = "Ce que les lecteurs voient, sans authentification."))
)]
struct ApiDoc;

/// A value as the API answers it: JSON in UTF-8.
pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(header::CONTENT_TYPE, JSON)], body).into_response(),
        Err(error) => {
            tracing::error!(%error, "an API answer could not be written");
            crate::AppError::BadRequest(crate::messages::UNREADABLE_ADDRESS).into_response()
        }
    }
}

/// The handlers and the OpenAPI document they make.
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(read::stories))
        .routes(routes!(read::story))
        .routes(routes!(read::sections))
        .routes(routes!(read::subjects))
        .routes(routes!(read::authors))
        .routes(routes!(read::corrections))
        .routes(routes!(read::changes))
        .split_for_parts()
}

/// The method and path of every API route, for the tests that must cover them all.
#[must_use]
pub fn route_list() -> Vec<(Method, String)> {
    let (_, document) = documented();
    let mut routes = vec![(Method::GET, "/api/v1/openapi.json".to_owned())];
    for (path, item) in document.paths.paths {
        let methods = [
            (item.get.is_some(), Method::GET),
            (item.post.is_some(), Method::POST),
            (item.put.is_some(), Method::PUT),
            (item.patch.is_some(), Method::PATCH),
            (item.delete.is_some(), Method::DELETE),
        ];
        routes.extend(
            methods
                .into_iter()
                .filter(|(present, _)| *present)
                .map(|(_, method)| (method, path.clone())),
        );
    }
    routes
}

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let (routes, document) = documented();
    let document: Arc<[u8]> = serde_json::to_vec(&document).unwrap_or_default().into();
    routes
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, JSON)], document.to_vec()) }),
        )
        // Answers the same for everyone are kept like pages, and dropped by the same changes.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer::serve,
        ))
        .layer(
            // Any site's scripts may read what any reader may: the API holds nothing private.
            CorsLayer::new()
                .allow_origin(AllowOrigin::any())
                .allow_methods([Method::GET, Method::HEAD])
                .allow_headers([header::IF_NONE_MATCH, header::IF_MODIFIED_SINCE])
                .expose_headers([
                    header::ETAG,
                    header::LAST_MODIFIED,
                    HeaderName::from_static("x-request-id"),
                ])
                .max_age(std::time::Duration::from_hours(24)),
        )
}
