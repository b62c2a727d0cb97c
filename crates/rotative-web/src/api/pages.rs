//! The site's pages through the API, for editors: the same list, new pages and footer as the
//! newsroom's « Pages » screen, under the same rules. A page is then read, changed, published
//! and corrected through the stories' routes, as in the editor.

use axum::{
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::HeaderMap,
    response::Response,
};
use rotative_domain::ArticleId;
use rotative_store::PageRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    caller::Caller,
    json,
    write::{StoryState, body_or_default, create_draft},
};
use crate::{AppError, AppState, error::Problem, messages, newsroom::service::StoryForm};

/// A page of the site, as editors manage it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedPage {
    /// Its id: the stories' routes read, change and publish it.
    id: i64,
    headline: String,
    /// `draft`, `in_review`, `scheduled`, `published`, `unpublished`.
    status: &'static str,
    /// Its address once published, at the root of the site (`/a-propos/`).
    path: Option<String>,
    /// Its place in the footer, from 1; none when it is not there.
    footer_position: Option<u32>,
    #[schema(value_type = String, format = DateTime)]
    updated_at: jiff::Timestamp,
}

impl From<PageRecord> for ManagedPage {
    fn from(record: PageRecord) -> Self {
        Self {
            id: record.id.0,
            headline: record.headline,
            status: record.status.as_str(),
            path: record.path.map(|path| path.to_string()),
            footer_position: record.footer_position,
            updated_at: record.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedPages {
    /// Those in the footer first, in its order; then the others by headline.
    pages: Vec<ManagedPage>,
}

/// A page as a client writes it: a story's words, without what only a story has.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageInput {
    headline: String,
    standfirst: Option<String>,
    /// Markdown; images are `![alt](media:KEY "caption — credit")` from the media library.
    body: String,
    /// The page's `<title>`, when the headline does not suit search engines (110 characters at
    /// most).
    #[serde(default)]
    search_headline: Option<String>,
    /// The headline of the card a shared link makes (110 characters at most).
    #[serde(default)]
    social_headline: Option<String>,
    /// The description of that card (300 characters at most); the standfirst otherwise.
    #[serde(default)]
    social_description: Option<String>,
}

impl PageInput {
    /// The newsroom form this input fills in, so both are read by the same rules.
    fn into_form(self) -> StoryForm {
        StoryForm {
            headline: self.headline,
            standfirst: self.standfirst.unwrap_or_default(),
            body: self.body,
            search_headline: self.search_headline.unwrap_or_default(),
            social_headline: self.social_headline.unwrap_or_default(),
            social_description: self.social_description.unwrap_or_default(),
            ..StoryForm::default()
        }
        .into_page()
    }
}

/// The footer's pages, in their order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FooterInput {
    /// Page ids; every page not named leaves the footer. An empty list empties it.
    pages: Vec<i64>,
}

async fn list_answer(state: &AppState, caller: &Caller) -> Result<Response, AppError> {
    let pages = state.newsroom().pages(&caller.actor()).await?;
    Ok(json(&ManagedPages {
        pages: pages.into_iter().map(ManagedPage::from).collect(),
    }))
}

/// Every page of the site, in any state (editors).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/pages",
    operation_id = "list_pages",
    tag = "Rédaction",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les pages du site, celles du pied de page d'abord.", body = ManagedPages),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les pages.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    list_answer(&state, &caller).await
}

/// Writes a new page as a draft (editors).
#[utoipa::path(
    post,
    path = "/api/v1/newsroom/pages",
    operation_id = "create_page",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = PageInput, content_type = "application/json"),
    responses(
        (status = 201, description = "La page, en brouillon.", body = StoryState),
        (status = 400, description = "JSON illisible, champ inconnu ou de mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les pages, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le corps dépasse 2 Mo, ou le texte 512 Ko.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ est invalide (chacun est nommé dans `errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    // Refused before the body is read: a read-only token, or a role that does not manage pages.
    caller.writer()?.manages_sections()?;
    let input: Option<PageInput> = body_or_default(&headers, body)?;
    let form = input
        .ok_or(AppError::BadJson(messages::api::NO_PAGE.to_owned()))?
        .into_form();
    create_draft(&state, &caller, &form).await
}

/// Sets which pages the footer of every page lists, in this order (editors).
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/pages/footer",
    operation_id = "arrange_footer",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = FooterInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Les pages du site, dans le nouvel ordre.", body = ManagedPages),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les pages, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Un des identifiants n'est pas celui d'une page du site.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une page est nommée deux fois.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn footer(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<FooterInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_FOOTER.to_owned()))?;
    let order: Vec<ArticleId> = input.pages.into_iter().map(ArticleId).collect();
    state.newsroom().arrange_footer(&actor, &order).await?;
    list_answer(&state, &caller).await
}
