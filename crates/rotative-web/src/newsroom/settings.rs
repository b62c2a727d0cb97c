//! Site settings administrators change from the newsroom: the name, the description, how many
//! stories a listing page shows, whether feeds carry whole stories. They are kept in the
//! database and override the settings file.

use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_newsroom::SiteSettings;
use serde::{Deserialize, Serialize};

use super::render;
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    messages,
};

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct SettingsForm {
    name: String,
    description: String,
    page_size: String,
    /// A checkbox: present when ticked.
    feed_full_text: Option<String>,
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
    who.actor().administers()?;
    let site = state.site();
    let form = SettingsForm {
        name: site.name.clone(),
        description: site.description.clone(),
        page_size: site.page_size.to_string(),
        feed_full_text: site.feed_full_text.then(|| "on".to_owned()),
    };
    page(&state, &who, &form, StatusCode::OK, None)
}

pub(crate) async fn save(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    let full_text = form.feed_full_text.is_some();
    let Some(settings) =
        SiteSettings::parse(&form.name, &form.description, &form.page_size, full_text)
    else {
        let message = messages::SETTINGS_BOUNDS;
        return page(
            &state,
            &who,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
        );
    };
    state
        .newsroom()
        .change_settings(&who.actor(), &settings)
        .await?;
    state.set_site(settings.applied_to((*state.site()).clone()));
    Ok(Redirect::to("/redaction/reglages").into_response())
}
