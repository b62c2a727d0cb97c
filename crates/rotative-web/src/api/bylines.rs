//! Bylines and their profiles through the API: everyone reads and describes their own, editors
//! list, add and describe every byline, agencies' and guests' included: the newsroom's
//! « Mon profil » and « Signatures » pages, under the same rules.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use rotative_domain::{AuthorId, ProfileDraft, ProfileForm};
use rotative_newsroom::Refusal;
use rotative_render::author_url;
use rotative_store::BylineRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, params::Params, write::body_or_default};
use crate::{AppError, AppState, error::Problem, messages};

/// A byline's portrait.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PhotoView {
    /// The library image's key (`media:KEY` in a story's text).
    key: String,
    alt: String,
    width: u32,
    height: u32,
}

/// A byline with its profile, as the newsroom manages it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedByline {
    id: i64,
    name: String,
    slug: String,
    /// The byline's public page.
    url: String,
    job_title: Option<String>,
    /// Markdown.
    bio: Option<String>,
    photo: Option<PhotoView>,
    website: Option<String>,
    email: Option<String>,
    /// Shown with `rel="me"`.
    fediverse: Option<String>,
    /// The name of the account that signs with it; none for agencies and guests.
    account: Option<String>,
    /// Stories it signs, in any state.
    stories: u64,
    published: u64,
}

impl ManagedByline {
    fn of(record: BylineRecord, state: &AppState) -> Self {
        let author = record.author;
        let url = state.site().absolute(&author_url(&author));
        let profile = author.profile;
        Self {
            id: record.id.0,
            name: author.name.to_string(),
            slug: author.slug.to_string(),
            url,
            job_title: profile.job_title,
            bio: author.bio,
            photo: profile.photo.map(|photo| PhotoView {
                key: photo.key,
                alt: photo.alt.to_string(),
                width: photo.width,
                height: photo.height,
            }),
            website: profile.links.website,
            email: profile.links.email.map(|email| email.to_string()),
            fediverse: profile.links.fediverse,
            account: record.account,
            stories: record.stories,
            published: record.published,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ManagedBylines {
    /// By name, 200 at most: a search finds the others.
    bylines: Vec<ManagedByline>,
}

/// A profile as set: every field but the name may be empty (or absent) for none.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ProfileInput {
    /// As it signs stories. The byline's address stays what it was.
    name: String,
    job_title: String,
    /// Markdown, 2000 characters at most.
    bio: String,
    website: String,
    email: String,
    /// `@name@server`, or the account's address.
    fediverse: String,
    /// A library image's key (`media:KEY` is taken too).
    photo: String,
    /// Required with a photo.
    photo_alt: String,
}

impl ProfileInput {
    fn draft(&self) -> Result<ProfileDraft, AppError> {
        ProfileDraft::parse(ProfileForm {
            name: &self.name,
            job_title: &self.job_title,
            bio: &self.bio,
            website: &self.website,
            email: &self.email,
            fediverse: &self.fediverse,
            photo: &self.photo,
            photo_alt: &self.photo_alt,
        })
        .map_err(|problems| AppError::Invalid(messages::profile_problems(&problems)))
    }
}

fn byline_named(id: &str) -> Result<AuthorId, AppError> {
    id.parse()
        .map(AuthorId)
        .map_err(|_| rotative_newsroom::NewsroomError::Refused(Refusal::NoSuchByline).into())
}

fn input(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<ProfileDraft, AppError> {
    let input: Option<ProfileInput> = body_or_default(headers, body)?;
    input
        .ok_or(AppError::BadJson(messages::api::NO_PROFILE.to_owned()))?
        .draft()
}

async fn byline_answer(
    state: &AppState,
    caller: &Caller,
    id: AuthorId,
    status: StatusCode,
) -> Result<Response, AppError> {
    let record = state.newsroom().byline(&caller.user, id).await?;
    let mut answer = json(&ManagedByline::of(record, state));
    *answer.status_mut() = status;
    Ok(answer)
}

/// Bylines whose name holds `q`, by name, with their profiles and counts (editors).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/bylines",
    operation_id = "list_bylines",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("q" = Option<String>, Query, description = "Des lettres du nom.")),
    responses(
        (status = 200, description = "Les signatures.", body = ManagedBylines),
        (status = 400, description = "Paramètre inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les signatures des autres.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params = Params::read(query.as_deref(), &["q"])?.checked()?;
    let found = state
        .newsroom()
        .bylines(&caller.actor(), params.text("q").unwrap_or_default())
        .await?;
    Ok(json(&ManagedBylines {
        bylines: found
            .into_iter()
            .map(|record| ManagedByline::of(record, &state))
            .collect(),
    }))
}

/// Adds a byline for someone without an account, an agency or a guest (editors).
#[utoipa::path(
    post,
    path = "/api/v1/newsroom/bylines",
    operation_id = "create_byline",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = ProfileInput, content_type = "application/json"),
    responses(
        (status = 201, description = "La signature.", body = ManagedByline),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne gère pas les signatures des autres, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Une signature de ce nom existe déjà.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé (photo sans description, lien qui n'est pas une adresse web…), ou une photo absente de la médiathèque.", body = Problem, content_type = "application/problem+json"),
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
    let draft = input(&headers, body)?;
    let id = state.newsroom().add_byline(&actor, &draft).await?;
    byline_answer(&state, &caller, id, StatusCode::CREATED).await
}

/// The byline the token's account signs with, with its profile.
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/bylines/me",
    operation_id = "own_byline",
    tag = "Rédaction",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "La signature du compte.", body = ManagedByline),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un autre compte signe déjà sous le nom de celui-ci.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn own(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let id = state.newsroom().own_byline(&caller.user).await?;
    byline_answer(&state, &caller, id, StatusCode::OK).await
}

/// A byline with its profile (editors, or the account that signs with it).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/bylines/{id}",
    operation_id = "get_byline",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "La signature.")),
    responses(
        (status = 200, description = "La signature.", body = ManagedByline),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "La signature d'un autre, pour un rôle qui ne gère que la sienne.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de telle signature.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = byline_named(&id)?;
    byline_answer(&state, &caller, id, StatusCode::OK).await
}

/// Sets a byline's name and profile (editors, or the account that signs with it). Its page
/// and its stories' pages show the change at once.
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/bylines/{id}",
    operation_id = "change_byline",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "La signature.")),
    request_body(content = ProfileInput, content_type = "application/json"),
    responses(
        (status = 200, description = "La signature, changée.", body = ManagedByline),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "La signature d'un autre, pour un rôle qui ne gère que la sienne, ou un jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de telle signature.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ refusé (photo sans description, lien qui n'est pas une adresse web…), ou une photo absente de la médiathèque.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    caller.writer()?;
    let id = byline_named(&id)?;
    let draft = input(&headers, body)?;
    state
        .newsroom()
        .describe_byline(&caller.user, id, &draft)
        .await?;
    byline_answer(&state, &caller, id, StatusCode::OK).await
}
