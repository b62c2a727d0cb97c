//! The JSON API under `/api/v1/`, for apps, partners and scripts: what readers see, through
//! the same store and page cache as the pages. Errors are problem details (`error.rs`); the
//! OpenAPI document is generated from the handlers themselves, at `/api/v1/openapi.json`.

mod admin;
mod bylines;
mod caller;
mod desk;
mod edit;
mod front_page;
mod limits;
mod media;
mod notifications;
mod pages;
mod params;
mod read;
mod redirects;
mod reference;
mod sections;
mod sessions;
mod views;
mod webhooks;
mod write;

use std::sync::Arc;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Method, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Serialize;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    set_header::SetResponseHeaderLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

pub(crate) use edit::revision_tag;
pub use limits::{RateLimit, RateLimiter};
pub(crate) use views::CorrectionView;

use crate::{AppState, page_cache};

const JSON: &str = "application/json; charset=utf-8";
/// The most a JSON body may weigh: a long story is a few hundred kilobytes.
const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;

/// The API's description; its paths come from the handlers' `#[utoipa::path]`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rotative",
        description = "L'API du site : les articles publiés, les rubriques, les sujets, les auteurs, les corrections et le journal des changements. Réponses en JSON ; erreurs au format « problem details » (RFC 9457).",
        license(name = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "Lecture", description = "Ce que les lecteurs voient, sans authentification."),
        (name = "Compte", description = "Avec un jeton d'API (`Authorization: Bearer …`), qui agit au nom d'un compte de la rédaction, avec les droits de son rôle."),
        (name = "Rédaction", description = "Ce que fait la rédaction, avec un jeton « lecture et écriture » et selon les droits du rôle du compte, comme dans ses formulaires."),
        (name = "Administration", description = "Ce que font les administrateurs du site : ses comptes, ses réglages, ses webhooks."),
    ),
    modifiers(&BearerTokens)
)]
struct ApiDoc;

/// Declares the token scheme the authenticated routes name.
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, document: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        document
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "jeton",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

/// A stored time (seconds) as the API writes it.
pub(crate) fn at(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(seconds).unwrap_or_default()
}

/// A value as the API answers it: JSON in UTF-8.
pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(header::CONTENT_TYPE, JSON)], body).into_response(),
        Err(error) => crate::AppError::Internal(error.to_string()).into_response(),
    }
}

/// The API's routes and the OpenAPI document they make: the readers' routes (the same answer
/// for everyone, kept in the page cache like pages), then the routes that act as an account.
struct Documented {
    readers: Router<AppState>,
    accounts: Router<AppState>,
    /// Uploads, whose bodies are files rather than JSON.
    uploads: Router<AppState>,
    document: utoipa::openapi::OpenApi,
}

fn documented() -> Documented {
    let (readers, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(read::stories))
        .routes(routes!(read::story))
        .routes(routes!(read::sections))
        .routes(routes!(read::subjects))
        .routes(routes!(read::authors))
        .routes(routes!(read::corrections))
        .routes(routes!(read::changes))
        .split_for_parts();
    let (accounts, of_accounts) = OpenApiRouter::new()
        .routes(routes!(caller::me))
        .routes(routes!(desk::tokens))
        .routes(routes!(desk::revoke))
        .routes(routes!(sessions::list, sessions::end_all))
        .routes(routes!(sessions::end))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(
            notifications::settings,
            notifications::change_settings
        ))
        .routes(routes!(desk::stories))
        .routes(routes!(desk::preview))
        .routes(routes!(desk::audit))
        .routes(routes!(write::create))
        .routes(routes!(write::act))
        .routes(routes!(write::correct))
        .routes(routes!(write::change_slug))
        .routes(routes!(edit::editable))
        .routes(routes!(edit::edit))
        .routes(routes!(edit::revisions))
        .routes(routes!(edit::revision))
        .routes(routes!(edit::diff))
        .routes(routes!(edit::restore))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::remove))
        .routes(routes!(media::show, media::describe))
        .routes(routes!(media::library))
        .routes(routes!(admin::accounts, admin::add_account))
        .routes(routes!(admin::change_account))
        .routes(routes!(admin::invite_account))
        .routes(routes!(admin::invite_inactive_accounts))
        .routes(routes!(admin::remove_two_factor))
        .routes(routes!(admin::two_factor_roles, admin::require_two_factor))
        .routes(routes!(admin::settings, admin::change_settings))
        .routes(routes!(bylines::list, bylines::create))
        .routes(routes!(bylines::own))
        .routes(routes!(bylines::show, bylines::change))
        .routes(routes!(sections::list, sections::create))
        .routes(routes!(sections::order))
        .routes(routes!(sections::change, sections::remove))
        .routes(routes!(sections::merge))
        .routes(routes!(pages::list, pages::create))
        .routes(routes!(pages::footer))
        .routes(routes!(front_page::show, front_page::arrange))
        .routes(routes!(
            redirects::list,
            redirects::create,
            redirects::remove
        ))
        .routes(routes!(redirects::allow_hosts))
        .split_for_parts();
    let (uploads, of_uploads) = OpenApiRouter::new()
        .routes(routes!(media::upload))
        .split_for_parts();
    document.merge(of_accounts);
    document.merge(of_uploads);
    in_french(&mut document);
    Documented {
        readers,
        accounts,
        uploads,
        document,
    }
}

/// Says what each operation does in French, as the rest of the document does: the handlers'
/// own comments are for the code's readers.
fn in_french(document: &mut utoipa::openapi::OpenApi) {
    for (path, item) in &mut document.paths.paths {
        let operations = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                operation.summary =
                    crate::messages::api::operation_summary(method, path).map(str::to_owned);
                operation.description = None;
            }
        }
    }
}

/// The method and path of every API route, for the tests that must cover them all.
#[must_use]
pub fn route_list() -> Vec<(Method, String)> {
    let mut routes = vec![
        (Method::GET, "/api/v1/openapi.json".to_owned()),
        (Method::GET, "/api/v1/".to_owned()),
    ];
    for (path, item) in documented().document.paths.paths {
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

/// Routes that act as an account: what they answer is the account's own (kept by no cache),
/// and after a change this instance's pages catch up before the answer, as after a newsroom form.
fn as_an_account(
    state: &AppState,
    routes: Router<AppState>,
    body_limit: usize,
) -> Router<AppState> {
    routes
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer::after_write,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(body_limit))
}

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let Documented {
        readers,
        accounts,
        uploads,
        document,
    } = documented();
    // An upload is the configured file size plus the form around it.
    let upload_limit = usize::try_from(state.upload_limits.max_bytes.saturating_add(64 * 1024))
        .unwrap_or(usize::MAX);
    let document = serde_json::to_value(&document).unwrap_or_default();
    let reference = Arc::new(reference::reference(&document));
    let document: Arc<[u8]> = serde_json::to_vec(&document).unwrap_or_default().into();
    let reference_page = get(move |state: axum::extract::State<AppState>| {
        reference::page(state, Arc::clone(&reference))
    });
    readers
        .route("/api/v1/", reference_page.clone())
        .route("/api/v1", reference_page.clone())
        .route("/api", reference_page.clone())
        .route("/api/", reference_page)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, JSON)], document.to_vec()) }),
        )
        // Answers the same for everyone are kept like pages, and dropped by the same changes.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::layer::serve,
        ))
        .merge(as_an_account(state, accounts, MAX_JSON_BYTES))
        .merge(as_an_account(state, uploads, upload_limit))
        .layer(
            // Any site's scripts may read what any reader may: the API holds nothing private
            // that a token does not open, and a browser sends no token of its own accord.
            CorsLayer::new()
                .allow_origin(AllowOrigin::any())
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PATCH,
                    Method::PUT,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::IF_MATCH,
                    header::IF_NONE_MATCH,
                    header::IF_MODIFIED_SINCE,
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                ])
                .expose_headers([
                    header::ETAG,
                    header::LAST_MODIFIED,
                    HeaderName::from_static("x-request-id"),
                ])
                .max_age(std::time::Duration::from_hours(24)),
        )
}
