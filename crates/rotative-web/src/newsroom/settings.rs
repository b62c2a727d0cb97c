//! Site settings administrators change from the newsroom: the name, the description, how many
//! stories a listing page shows, whether feeds carry whole stories. They are kept in the
//! database and override the settings file.

use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{Name, workflow::can_manage_users};
use rotative_render::Site;
use rotative_store::{Store, StoreError};
use serde::{Deserialize, Serialize};

use super::render;
use crate::{AppError, AppState, auth::SignedIn};

const NAME: &str = "site.name";
const DESCRIPTION: &str = "site.description";
const PAGE_SIZE: &str = "site.page_size";
const FEED_FULL_TEXT: &str = "site.feed_full_text";
const MAX_DESCRIPTION: usize = 300;
const MAX_PAGE_SIZE: u32 = 100;

/// The configured site with whatever administrators changed since.
pub async fn with_stored_settings(store: &Store, mut site: Site) -> Result<Site, StoreError> {
    if let Some(name) = store.setting(NAME).await? {
        site.name = name;
    }
    if let Some(description) = store.setting(DESCRIPTION).await? {
        site.description = description;
    }
    if let Some(size) = store.setting(PAGE_SIZE).await?.and_then(|s| s.parse().ok()) {
        site.page_size = size;
    }
    if let Some(full) = store.setting(FEED_FULL_TEXT).await? {
        site.feed_full_text = full == "true";
    }
    Ok(site)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    csrf: String,
    name: String,
    description: String,
    page_size: String,
    /// A checkbox: present when ticked.
    feed_full_text: Option<String>,
}

fn admin_only(who: &SignedIn) -> Result<(), AppError> {
    if can_manage_users(who.user.role) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn page(
    state: &AppState,
    who: &SignedIn,
    form: &SettingsForm,
    status: StatusCode,
    message: Option<&str>,
) -> Result<Response, AppError> {
    let html = render(
        state,
        who,
        "newsroom/settings.html",
        minijinja::context! { form => form, message => message, error => !status.is_success() },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    admin_only(&who)?;
    let site = state.site();
    let form = SettingsForm {
        csrf: String::new(),
        name: site.name.clone(),
        description: site.description.clone(),
        page_size: site.page_size.to_string(),
        feed_full_text: site.feed_full_text.then(|| "on".to_owned()),
    };
    page(&state, &who, &form, StatusCode::OK, None)
}

pub(crate) async fn save(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    who.check_csrf(&form.csrf)?;
    admin_only(&who)?;
    let name = Name::parse(&form.name);
    let page_size = form
        .page_size
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_PAGE_SIZE).contains(n));
    let description = form.description.trim();
    let (Ok(name), Some(page_size), true) = (
        name,
        page_size,
        description.chars().count() <= MAX_DESCRIPTION,
    ) else {
        let message = "Le nom est obligatoire (120 caractères au plus), la description compte 300 caractères au plus, et une page montre de 1 à 100 articles.";
        return page(
            &state,
            &who,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
        );
    };
    let full_text = form.feed_full_text.is_some();
    state.store.set_setting(NAME, name.as_ref()).await?;
    state.store.set_setting(DESCRIPTION, description).await?;
    state
        .store
        .set_setting(PAGE_SIZE, &page_size.to_string())
        .await?;
    state
        .store
        .set_setting(FEED_FULL_TEXT, if full_text { "true" } else { "false" })
        .await?;
    let mut site = (*state.site()).clone();
    site.name = name.to_string();
    site.description = description.to_owned();
    site.page_size = page_size;
    site.feed_full_text = full_text;
    state.set_site(site);
    state
        .store
        .audit(Some(who.user.id), None, "settings", name.as_ref())
        .await?;
    Ok(Redirect::to("/redaction/reglages").into_response())
}
