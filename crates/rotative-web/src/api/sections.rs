//! Sections through the API, for editors: the same list, additions, changes, order, merges and
//! removals as the newsroom's « Rubriques » pages, under the same rules.

use axum::{
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use rotative_domain::{SectionDraft, SectionId};
use rotative_newsroom::Refusal;
use rotative_store::SectionRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, write::body_or_default};
use crate::{AppError, AppState, error::Problem, messages};

/// A section as editors manage it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedSection {
    id: i64,
    name: String,
    /// The section's address is `/{slug}/`.
    slug: String,
    /// Shown on the section's page and in its feeds; empty for none.
    description: String,
    /// Whether the site's navigation lists it.
    in_navigation: bool,
    /// Stories filed in it, in any state.
    stories: u64,
    published: u64,
}

impl From<SectionRecord> for ManagedSection {
    fn from(record: SectionRecord) -> Self {
        Self {
            id: record.id.0,
            name: record.section.name.to_string(),
            slug: record.section.slug.to_string(),
            description: record.description,
            in_navigation: record.in_navigation,
            stories: record.stories,
            published: record.published,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedSections {
    /// In the navigation's order.
    sections: Vec<ManagedSection>,
}

/// A section as an editor sets it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionInput {
    name: String,
    /// Empty or absent: made from the name. Capitals, accents and spaces are folded
    /// (`Économie verte` → `economie-verte`); `/` and `.` are refused.
    #[serde(default)]
    slug: String,
    /// 300 characters at most.
    #[serde(default)]
    description: String,
    #[serde(default = "listed")]
    in_navigation: bool,
}

fn listed() -> bool {
    true
}

impl SectionInput {
    fn draft(&self) -> Result<SectionDraft, AppError> {
        SectionDraft::parse(
            &self.name,
            &self.slug,
            &self.description,
            self.in_navigation,
        )
        .map_err(|problems| AppError::Invalid(messages::section_problems(&problems)))
    }
}

fn section_named(id: &str) -> Result<SectionId, AppError> {
    id.parse()
        .map(SectionId)
        .map_err(|_| rotative_newsroom::NewsroomError::Refused(Refusal::NoSuchSection).into())
}

async fn list_answer(state: &AppState, caller: &Caller) -> Result<Response, AppError> {
    let sections = state.newsroom().sections(&caller.actor()).await?;
    Ok(json(&ManagedSections {
        sections: sections.into_iter().map(ManagedSection::from).collect(),
    }))
}

async fn section_answer(
    state: &AppState,
    caller: &Caller,
    id: SectionId,
    status: StatusCode,
) -> Result<Response, AppError> {
    let section = state.newsroom().section(&caller.actor(), id).await?;
    let mut answer = json(&ManagedSection::from(section));
    *answer.status_mut() = status;
    Ok(answer)
}

/// Every section, those without a published story too, with their counts (editors).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/sections",
    operation_id = "list_managed_sections",
    tag = "Rédaction",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les rubriques, dans l'ordre de la navigation.", body = ManagedSections),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    list_answer(&state, &caller).await
}

/// Adds a section, last in the navigation (editors).
#[utoipa::path(
    post,
    path = "/api/v1/newsroom/sections",
    operation_id = "create_section",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = SectionInput, content_type = "application/json"),
    responses(
        (status = 201, description = "La rubrique.", body = ManagedSection),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une autre rubrique a cette adresse.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nom, adresse ou description refusés.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.manages_sections()?;
    let input: Option<SectionInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_SECTION.to_owned()))?;
    let id = state
        .newsroom()
        .add_section(&actor, &input.draft()?)
        .await?;
    section_answer(&state, &caller, id, StatusCode::CREATED).await
}

/// Changes a section (editors). A new slug keeps every old address alive: the section's pages,
/// its feeds and its stories answer 301 with their new address.
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/sections/{id}",
    operation_id = "change_section",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "La rubrique.")),
    request_body(content = SectionInput, content_type = "application/json"),
    responses(
        (status = 200, description = "La rubrique, changée.", body = ManagedSection),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de telle rubrique.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une autre rubrique a cette adresse.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nom, adresse ou description refusés.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.manages_sections()?;
    let id = section_named(&id)?;
    let input: Option<SectionInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_SECTION.to_owned()))?;
    state
        .newsroom()
        .change_section(&actor, id, &input.draft()?)
        .await?;
    section_answer(&state, &caller, id, StatusCode::OK).await
}

/// Removes a section that files no story (editors); one that does can only be merged.
#[utoipa::path(
    delete,
    path = "/api/v1/newsroom/sections/{id}",
    operation_id = "remove_section",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "La rubrique.")),
    responses(
        (status = 204, description = "La rubrique est supprimée."),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de telle rubrique.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "La rubrique contient des articles : fusionnez-la.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let id = section_named(&id)?;
    state.newsroom().remove_section(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Where a section's stories go.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeInput {
    /// The section that receives the stories, and the merged one's addresses.
    into: i64,
}

/// Merges a section into another (editors): its stories move there, it disappears, and its
/// addresses (pages, feeds, stories) answer 301 with the other's.
#[utoipa::path(
    post,
    path = "/api/v1/newsroom/sections/{id}/merge",
    operation_id = "merge_section",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "La rubrique fusionnée, qui disparaît.")),
    request_body(content = MergeInput, content_type = "application/json"),
    responses(
        (status = 200, description = "La rubrique qui a reçu les articles.", body = ManagedSection),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de telle rubrique.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une rubrique fusionnée dans elle-même.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.manages_sections()?;
    let from = section_named(&id)?;
    let input: Option<MergeInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_MERGE_TARGET.to_owned()))?;
    let into = SectionId(input.into);
    state.newsroom().merge_section(&actor, from, into).await?;
    section_answer(&state, &caller, into, StatusCode::OK).await
}

/// The navigation's order.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrderInput {
    /// Section ids, first to last; those not named follow in their order of before.
    sections: Vec<i64>,
}

/// Puts the sections in this order in the navigation (editors).
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/sections/order",
    operation_id = "order_sections",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = OrderInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Les rubriques, dans leur nouvel ordre.", body = ManagedSections),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les rubriques, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn order(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<OrderInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_ORDER.to_owned()))?;
    let order: Vec<SectionId> = input.sections.into_iter().map(SectionId).collect();
    state.newsroom().reorder_sections(&actor, &order).await?;
    list_answer(&state, &caller).await
}
