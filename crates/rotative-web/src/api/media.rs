//! The media library through the API: uploading an image (multipart, with the same checks as
//! the newsroom's form), reading one, and changing its description under the newsroom's rules.

use axum::{
    body::Bytes,
    extract::{Multipart, Path, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{MediaId, PageNumber};
use rotative_render::ImageFile;
use rotative_store::{MediaQuery, MediaRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, params::Params, views::ImageFileView, write::body_or_default};
use crate::{
    AppError, AppState,
    error::Problem,
    media::{ingest, receive_file},
    messages,
    newsroom::library::description,
    uploads::UploadError,
};

/// An image of the library, with every file it is offered as.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MediaView {
    id: i64,
    /// What a story's body names it by: `![alt](media:KEY "caption — credit")`.
    key: String,
    /// The Markdown that places it in a story's body.
    markdown: String,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    width: u32,
    height: u32,
    /// Each resized copy, smallest first, then the original (copies are made in the background
    /// after an upload, and on demand meanwhile).
    files: Vec<ImageFileView>,
    #[schema(value_type = String, format = DateTime)]
    uploaded_at: Timestamp,
}

fn media_answer(state: &AppState, media: &MediaRecord) -> Response {
    json(&media_view(state, media))
}

fn media_view(state: &AppState, media: &MediaRecord) -> MediaView {
    let site = state.site();
    MediaView {
        id: media.id.0,
        key: media.storage_key.clone(),
        markdown: format!(
            "![{}](media:{})",
            media.description.alt.as_deref().unwrap_or_default(),
            media.storage_key
        ),
        alt: media.description.alt.clone(),
        caption: media.description.caption.clone(),
        credit: media.description.credit.clone(),
        width: media.width,
        height: media.height,
        files: ImageFile::of_image(
            &media.storage_key,
            media.width,
            media.height,
            media.animated,
        )
        .into_iter()
        .map(|file| ImageFileView {
            url: site.absolute(&file.url),
            width: file.width,
            height: file.height,
            media_type: file.media_type,
        })
        .collect(),
        uploaded_at: super::at(media.created_at),
    }
}

/// Images a page of the library lists, as the newsroom's does.
const LIBRARY_PAGE: u32 = 48;

/// A page of the media library.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MediaList {
    /// Newest first.
    media: Vec<MediaView>,
    /// How many images match.
    total: u64,
    /// The next page, if another follows.
    next: Option<String>,
}

/// The media library, newest first, or the images whose description holds words (`q`), as
/// « Médiathèque » lists them.
#[utoipa::path(
    get,
    path = "/api/v1/media",
    operation_id = "media_library",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("q" = Option<String>, Query, description = "Des mots de la description (texte alternatif, légende, crédit) ou du nom du fichier."),
        ("page" = Option<u32>, Query, description = "La page, à partir de 1 (48 images par page)."),
    ),
    responses(
        (status = 200, description = "Une page de la médiathèque.", body = MediaList),
        (status = 400, description = "Paramètre inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn library(
    State(state): State<AppState>,
    _caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(query.as_deref(), &["q", "page"])?;
    let page = params
        .parsed(
            "page",
            |value| PageNumber::parse(value).ok(),
            || crate::messages::api::PAGE.to_owned(),
        )
        .unwrap_or(PageNumber::FIRST);
    let params = params.checked()?;
    let text = params.text("q").map(str::to_owned);
    let (items, total) = state
        .store
        .media_library(&MediaQuery {
            text: text.clone(),
            limit: LIBRARY_PAGE,
            offset: u32::try_from(page.offset(LIBRARY_PAGE)).unwrap_or(u32::MAX),
        })
        .await?;
    let more = page.offset(LIBRARY_PAGE) + u64::from(LIBRARY_PAGE) < total;
    let next = more.then(|| {
        let kept: Vec<(&str, String)> = [("q", text), ("page", Some((page.get() + 1).to_string()))]
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| (name, value)))
            .collect();
        state.site().absolute(&format!(
            "/api/v1/media?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        ))
    });
    Ok(json(&MediaList {
        media: items
            .iter()
            .map(|media| media_view(&state, media))
            .collect(),
        total,
        next,
    }))
}

/// The form an upload sends.
#[derive(ToSchema)]
#[allow(
    dead_code,
    reason = "describes the multipart form for the OpenAPI document"
)]
pub(crate) struct MediaUpload {
    /// The image: JPEG, PNG, GIF or WebP.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// What the image shows, for those who cannot see it: required before a story showing it
    /// is published.
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// Adds an image to the media library, as the newsroom's upload does: the same size and pixel
/// limits, the same cleaning (metadata removed, checked as the image it says it is).
#[utoipa::path(
    post,
    path = "/api/v1/media",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = MediaUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "L'image, dans la médiathèque.", body = MediaView),
        (status = 400, description = "Formulaire illisible, ou sans fichier.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Un jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le fichier dépasse la taille permise.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Ce n'est pas une image JPEG, PNG, GIF ou WebP.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Image illisible, trop de pixels, ou description trop longue.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let limit = state.upload_limits.max_bytes;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit + 64 * 1024) {
        return Err(UploadError::TooLarge { limit }.into());
    }
    let mut multipart = multipart.map_err(|_| AppError::BadRequest(messages::MALFORMED_UPLOAD))?;
    let malformed = || AppError::BadRequest(messages::MALFORMED_UPLOAD);
    let (mut alt, mut caption, mut credit) = (String::new(), String::new(), String::new());
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|error| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::from(UploadError::TooLarge { limit })
        } else {
            malformed()
        }
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let original_name = field.file_name().map(|n| n.chars().take(200).collect());
            file = receive_file(field, limit)
                .await?
                .map(|received| (received, original_name));
            continue;
        }
        let value = field.text().await.map_err(|_| malformed())?;
        match name.as_str() {
            "alt" => alt = value,
            "caption" => caption = value,
            "credit" => credit = value,
            _ => {}
        }
    }
    let text = description(&alt, &caption, &credit).map_err(AppError::Unprocessable)?;
    let (file, original_name) = file.ok_or(UploadError::NoFile)?;
    let media = ingest(&state, file, original_name, text, actor.id).await?;
    let mut answer = media_answer(&state, &media);
    *answer.status_mut() = StatusCode::CREATED;
    Ok(answer)
}

async fn media_named(state: &AppState, id: &str) -> Result<MediaRecord, AppError> {
    let missing = || AppError::Missing(crate::messages::api::NO_SUCH_MEDIA.to_owned());
    let id = id.parse().map(MediaId).map_err(|_| missing())?;
    state.store.media_by_id(id).await?.ok_or_else(missing)
}

/// One image of the library, as every account of the newsroom sees it.
#[utoipa::path(
    get,
    path = "/api/v1/media/{id}",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'image.")),
    responses(
        (status = 200, description = "L'image et ses fichiers.", body = MediaView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune image n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let media = media_named(&state, &id).await?;
    Ok(media_answer(&state, &media))
}

/// An image's description: what stories show unless they give their own. A field left out
/// stays as it is; an empty one is removed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DescriptionInput {
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
}

/// Changes an image's description, as its page in the newsroom does: the stories showing it
/// are rendered again. An image shown in a story the account may not edit is refused (403).
#[utoipa::path(
    patch,
    path = "/api/v1/media/{id}",
    operation_id = "describe_media",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'image.")),
    request_body(content = DescriptionInput, content_type = "application/json"),
    responses(
        (status = 200, description = "L'image, décrite.", body = MediaView),
        (status = 400, description = "JSON illisible, champ inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "L'image figure dans un article que le compte ne peut pas modifier, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucune image n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un texte trop long.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn describe(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: DescriptionInput = body_or_default(&headers, body)?;
    let media = media_named(&state, &id).await?;
    let kept = |given: Option<String>, current: &Option<String>| {
        given.unwrap_or_else(|| current.clone().unwrap_or_default())
    };
    let text = description(
        &kept(input.alt, &media.description.alt),
        &kept(input.caption, &media.description.caption),
        &kept(input.credit, &media.description.credit),
    )
    .map_err(AppError::Unprocessable)?;
    state
        .newsroom()
        .describe_image(&actor, &media, &text)
        .await
        .map_err(|error| match error {
            rotative_newsroom::NewsroomError::Refused(
                refusal @ rotative_newsroom::Refusal::ShownInStoryOutOfReach(_),
            ) => AppError::ForbiddenBecause(messages::refusal(&refusal)),
            other => other.into(),
        })?;
    let media = media_named(&state, &id).await?;
    Ok(media_answer(&state, &media))
}
