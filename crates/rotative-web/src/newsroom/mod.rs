//! The newsroom under `/redaction/`: signing in, writing, reviewing, publishing, correcting.
//! Every action is checked on the server against the domain's workflow rules.

mod accounts;
mod history;
mod library;
mod service;
mod session;
mod settings;
mod stories;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, header},
    routing::{get, post},
};
use minijinja::context;
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;

pub use service::publish_due;
pub use settings::with_stored_settings;

use crate::{AppError, AppState, auth::SignedIn, media::UploadLimits};

/// The newsroom runs its own script (never inline), talks only to this site.
const NEWSROOM_POLICY: &str = "default-src 'self'; script-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Forms carry Markdown text, never files: a few megabytes is far more than any story needs.
const FORM_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// The upload route has its own body limit: the configured file size plus the form around it.
fn uploads(limits: UploadLimits) -> Router<AppState> {
    let body_limit =
        usize::try_from(limits.max_bytes.saturating_add(64 * 1024)).unwrap_or(usize::MAX);
    Router::new()
        .route(
            "/redaction/medias",
            get(library::list).post(library::upload),
        )
        .layer(DefaultBodyLimit::max(body_limit))
}

pub(crate) fn router(limits: UploadLimits) -> Router<AppState> {
    Router::new()
        .route(
            "/redaction/connexion",
            get(session::sign_in_form).post(session::sign_in),
        )
        .route("/redaction/deconnexion", post(session::sign_out))
        .route(
            "/redaction/mot-de-passe",
            get(session::password_form).post(session::change_password),
        )
        .route("/redaction", get(stories::to_dashboard))
        .route("/redaction/", get(stories::dashboard))
        .route("/redaction/articles/nouveau", get(stories::new_story))
        .route("/redaction/articles", post(stories::create))
        .route(
            "/redaction/articles/{id}",
            get(stories::edit).post(stories::save),
        )
        .route("/redaction/articles/{id}/action", post(stories::act))
        .route("/redaction/articles/{id}/autosave", post(stories::autosave))
        .route("/redaction/apercu", post(stories::preview))
        .route(
            "/redaction/articles/{id}/corrections",
            post(stories::correct),
        )
        .route(
            "/redaction/articles/{id}/historique",
            get(history::revisions),
        )
        .route(
            "/redaction/articles/{id}/historique/{revision}/restaurer",
            post(history::restore),
        )
        .route("/redaction/journal", get(history::audit_log))
        .route(
            "/redaction/comptes",
            get(accounts::list).post(accounts::create),
        )
        .route("/redaction/comptes/{id}/role", post(accounts::change_role))
        .route(
            "/redaction/comptes/{id}/activation",
            post(accounts::activate),
        )
        .route(
            "/redaction/reglages",
            get(settings::show).post(settings::save),
        )
        .route(
            "/redaction/medias/{id}",
            get(library::show).post(library::describe),
        )
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
        .merge(uploads(limits))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(NEWSROOM_POLICY),
        ))
        // Newsroom pages are private: no browser or shared cache keeps them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[derive(Serialize)]
struct Viewer<'a> {
    name: &'a str,
    role: &'static str,
    is_editor: bool,
    is_admin: bool,
    csrf: &'a str,
}

/// Renders a newsroom template with the signed-in person and the site.
fn render<S: Serialize>(
    state: &AppState,
    who: &SignedIn,
    template: &str,
    page: S,
) -> Result<String, AppError> {
    let viewer = Viewer {
        name: who.user.name.as_ref(),
        role: who.user.role.label_fr(),
        is_editor: rotative_domain::workflow::can_manage_taxonomy(who.user.role),
        is_admin: rotative_domain::workflow::can_manage_users(who.user.role),
        csrf: &who.csrf_token,
    };
    Ok(state.theme.render(
        template,
        &context! {
            site_name => &state.site().name,
            stylesheet => &state.theme.stylesheet().url,
            script => &state.theme.editor_script().url,
            viewer => viewer,
            page => page,
        },
    )?)
}
