//! The newsroom under `/redaction/`: signing in, writing, reviewing, publishing, correcting.
//! Every action is checked on the server against the domain's workflow rules.

mod accounts;
pub(crate) mod bylines;
mod front_page;
pub(crate) mod history;
pub(crate) mod library;
pub(crate) mod notifications;
mod pages;
pub(crate) mod password_links;
mod redirects;
mod second_step;
mod sections;
pub(crate) mod security;
pub(crate) mod service;
mod session;
mod settings;
pub(crate) mod stories;
mod tokens;
pub(crate) mod two_factor;
mod webhooks;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, Method, header},
    routing::{MethodRouter, get, post},
};
use minijinja::context;
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{AppError, AppState, auth::SignedIn, policy, uploads::UploadLimits};

/// Forms carry Markdown text, never files: a few megabytes is far more than any story needs.
const FORM_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// Every newsroom route, as (method, path, handler). The router is built from this list and
/// the authorization test walks it, so a route added here without a row in the test's table of
/// who may call it fails that test.
fn routes(limits: UploadLimits) -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    // The upload route takes the configured file size plus the form around it; every other
    // route, forms of Markdown text only.
    let upload_limit =
        usize::try_from(limits.max_bytes.saturating_add(64 * 1024)).unwrap_or(usize::MAX);
    let mut routes = vec![
        (Method::GET, "/redaction", get(stories::to_dashboard)),
        (Method::GET, "/redaction/", get(stories::dashboard)),
        (
            Method::GET,
            "/redaction/articles/nouveau",
            get(stories::new_story),
        ),
        (Method::POST, "/redaction/articles", post(stories::create)),
        (Method::GET, "/redaction/articles/{id}", get(stories::edit)),
        (
            Method::POST,
            "/redaction/articles/{id}",
            post(stories::save),
        ),
        (
            Method::POST,
            "/redaction/articles/{id}/action",
            post(stories::act),
        ),
        (
            Method::POST,
            "/redaction/articles/{id}/autosave",
            post(stories::autosave),
        ),
        (Method::POST, "/redaction/apercu", post(stories::preview)),
        (
            Method::GET,
            "/redaction/articles/{id}/apercu",
            get(stories::full_preview),
        ),
        (
            Method::POST,
            "/redaction/articles/{id}/corrections",
            post(stories::correct),
        ),
        (
            Method::POST,
            "/redaction/articles/{id}/adresse",
            post(stories::change_slug),
        ),
        (
            Method::GET,
            "/redaction/articles/{id}/historique",
            get(history::revisions),
        ),
        (
            Method::POST,
            "/redaction/articles/{id}/historique/{revision}/restaurer",
            post(history::restore),
        ),
        (Method::GET, "/redaction/journal", get(history::audit_log)),
        (Method::GET, "/redaction/medias", get(library::list)),
        (
            Method::POST,
            "/redaction/medias",
            post(library::upload).layer(DefaultBodyLimit::max(upload_limit)),
        ),
        (Method::GET, "/redaction/medias/{id}", get(library::show)),
        (
            Method::POST,
            "/redaction/medias/{id}",
            post(library::describe),
        ),
    ];
    routes.extend(account_routes());
    routes.extend(notification_routes());
    routes.extend(site_routes());
    routes
}

/// Signing in and out, choosing a password by link, and the account's own security.
fn account_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            Method::GET,
            "/redaction/connexion",
            get(session::sign_in_form),
        ),
        (Method::POST, "/redaction/connexion", post(session::sign_in)),
        (
            Method::GET,
            "/redaction/connexion/code",
            get(second_step::form),
        ),
        (
            Method::POST,
            "/redaction/connexion/code",
            post(second_step::check),
        ),
        (
            Method::POST,
            "/redaction/deconnexion",
            post(session::sign_out),
        ),
        (
            Method::GET,
            "/redaction/invitation/{token}",
            get(password_links::show_invitation),
        ),
        (
            Method::POST,
            "/redaction/invitation/{token}",
            post(password_links::accept_invitation),
        ),
        (
            Method::GET,
            "/redaction/mot-de-passe-oublie",
            get(password_links::forgotten_form),
        ),
        (
            Method::POST,
            "/redaction/mot-de-passe-oublie",
            post(password_links::request_reset),
        ),
        (
            Method::GET,
            "/redaction/nouveau-mot-de-passe/{token}",
            get(password_links::show_reset),
        ),
        (
            Method::POST,
            "/redaction/nouveau-mot-de-passe/{token}",
            post(password_links::reset),
        ),
        (Method::GET, "/redaction/securite", get(security::page)),
        (
            Method::POST,
            "/redaction/securite/sessions",
            post(security::end),
        ),
        (
            Method::GET,
            "/redaction/securite/double-authentification",
            get(two_factor::setup_form),
        ),
        (
            Method::POST,
            "/redaction/securite/double-authentification",
            post(two_factor::enable),
        ),
        (
            Method::POST,
            "/redaction/securite/codes-de-secours",
            post(two_factor::new_codes),
        ),
        (
            Method::POST,
            "/redaction/securite/double-authentification/desactivation",
            post(two_factor::disable),
        ),
        (
            Method::GET,
            "/redaction/mot-de-passe",
            get(session::password_form),
        ),
        (
            Method::POST,
            "/redaction/mot-de-passe",
            post(session::change_password),
        ),
    ]
}

/// The person's notifications and what they want by email.
fn notification_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            Method::GET,
            "/redaction/notifications",
            get(notifications::page),
        ),
        (
            Method::GET,
            "/redaction/notifications/{id}",
            get(notifications::open),
        ),
        (
            Method::POST,
            "/redaction/notifications/lues",
            post(notifications::mark_all_read),
        ),
        (
            Method::POST,
            "/redaction/notifications/reglages",
            post(notifications::save_settings),
        ),
    ]
}

/// The routes that run the site rather than its stories: accounts, tokens, webhooks, settings,
/// and what shapes the site.
fn site_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    let mut routes = vec![
        (Method::GET, "/redaction/comptes", get(accounts::list)),
        (Method::POST, "/redaction/comptes", post(accounts::create)),
        (
            Method::POST,
            "/redaction/comptes/{id}/role",
            post(accounts::change_role),
        ),
        (
            Method::POST,
            "/redaction/comptes/{id}/invitation",
            post(accounts::invite_again),
        ),
        (
            Method::POST,
            "/redaction/comptes/{id}/double-authentification/retrait",
            post(accounts::remove_two_factor),
        ),
        (
            Method::POST,
            "/redaction/comptes/double-authentification",
            post(accounts::require_two_factor),
        ),
        (
            Method::POST,
            "/redaction/comptes/invitations",
            post(accounts::invite_inactive),
        ),
        (Method::GET, "/redaction/jetons", get(tokens::list)),
        (Method::POST, "/redaction/jetons", post(tokens::create)),
        (
            Method::POST,
            "/redaction/jetons/{id}/revocation",
            post(tokens::revoke),
        ),
        (Method::GET, "/redaction/webhooks", get(webhooks::list)),
        (Method::POST, "/redaction/webhooks", post(webhooks::create)),
        (Method::GET, "/redaction/webhooks/{id}", get(webhooks::log)),
        (
            Method::POST,
            "/redaction/webhooks/{id}/suppression",
            post(webhooks::remove),
        ),
        (Method::GET, "/redaction/reglages", get(settings::show)),
        (Method::POST, "/redaction/reglages", post(settings::save)),
    ];
    routes.extend(shape_routes());
    routes
}

/// The routes that shape the site: sections, the front page, pages and the footer, bylines,
/// redirects.
fn shape_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/redaction/rubriques", get(sections::list)),
        (Method::POST, "/redaction/rubriques", post(sections::create)),
        (
            Method::GET,
            "/redaction/rubriques/{id}",
            get(sections::show),
        ),
        (
            Method::POST,
            "/redaction/rubriques/{id}",
            post(sections::save),
        ),
        (
            Method::POST,
            "/redaction/rubriques/{id}/ordre",
            post(sections::shift),
        ),
        (
            Method::POST,
            "/redaction/rubriques/{id}/fusion",
            post(sections::merge),
        ),
        (
            Method::POST,
            "/redaction/rubriques/{id}/suppression",
            post(sections::remove),
        ),
        (Method::GET, "/redaction/une", get(front_page::show)),
        (Method::POST, "/redaction/une", post(front_page::arrange)),
        (Method::GET, "/redaction/pages", get(pages::list)),
        (
            Method::GET,
            "/redaction/pages/nouvelle",
            get(stories::new_page),
        ),
        (Method::POST, "/redaction/pages", post(stories::create_page)),
        (
            Method::POST,
            "/redaction/pages/pied-de-page",
            post(pages::arrange_footer),
        ),
        (Method::GET, "/redaction/profil", get(bylines::own)),
        (Method::GET, "/redaction/signatures", get(bylines::list)),
        (Method::POST, "/redaction/signatures", post(bylines::create)),
        (
            Method::GET,
            "/redaction/signatures/{id}",
            get(bylines::show),
        ),
        (
            Method::POST,
            "/redaction/signatures/{id}",
            post(bylines::save),
        ),
        (Method::GET, "/redaction/redirections", get(redirects::list)),
        (
            Method::POST,
            "/redaction/redirections",
            post(redirects::create),
        ),
        (
            Method::POST,
            "/redaction/redirections/suppression",
            post(redirects::remove),
        ),
        (
            Method::POST,
            "/redaction/redirections/sites",
            post(redirects::allow_hosts),
        ),
    ]
}

/// The method and path of every newsroom route, for the tests that must cover them all.
#[must_use]
pub fn route_list() -> Vec<(Method, &'static str)> {
    routes(UploadLimits::default())
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

pub(crate) fn router(limits: UploadLimits) -> Router<AppState> {
    routes(limits)
        .into_iter()
        // Two handlers on one path (GET and POST) merge into one route.
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
        // A page may set its own policy (« voir en grand » frames its embeds, as readers' pages
        // do); every other one gets this.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            // The newsroom runs its own script (never inline) and talks only to this site.
            policy::content_security_policy(policy::Allowed {
                scripts: true,
                connect: true,
                frames: &[],
            }),
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
    unread: i64,
    /// The menu's count of unread notifications, if any.
    unread_label: Option<String>,
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
        unread: who.unread_notifications,
        unread_label: notifications::unread_label(who.unread_notifications),
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

/// The ids numbered in a form's `{prefix}{id}` fields, in the order of their numbers (from 1;
/// empty: left out; the same number twice keeps the form's order), and each number that is not
/// a whole number from 1, refused beside its field with `message`.
fn numbered<T>(
    typed: &[(String, String)],
    prefix: &str,
    message: &str,
    id: impl Fn(i64) -> T,
) -> (Vec<T>, Vec<crate::error::FieldError>) {
    let mut placed = Vec::new();
    let mut problems = Vec::new();
    for (field, value) in typed {
        let Some(number) = field.strip_prefix(prefix).and_then(|n| n.parse().ok()) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match value.parse::<u32>() {
            Ok(place) if place >= 1 => placed.push((place, id(number))),
            _ => problems.push(crate::error::FieldError {
                field: field.clone().into(),
                message: message.to_owned(),
            }),
        }
    }
    placed.sort_by_key(|(place, _)| *place);
    (placed.into_iter().map(|(_, id)| id).collect(), problems)
}

/// Why a form was refused, for its page shown again with what was typed: a sentence, or what
/// is wrong with each field.
#[derive(Serialize, Default)]
struct Refused {
    message: Option<String>,
    fields: Vec<crate::error::FieldError>,
}

impl Refused {
    /// A refusal the person can act on, with its status; any other error as it is.
    fn of(error: AppError) -> Result<(axum::http::StatusCode, Self), AppError> {
        if let AppError::Invalid(fields) = error {
            let refused = Self {
                message: None,
                fields,
            };
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, refused));
        }
        let (status, message) = error.refusal().ok_or(error)?;
        let refused = Self {
            message: Some(message),
            fields: Vec::new(),
        };
        Ok((status, refused))
    }
}

/// A moment as the newsroom's lists show it: day and time in the site's zone.
fn when(state: &AppState, seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|at| {
            at.to_zoned(state.site().time_zone.clone())
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
