//! The media library: every image the newsroom uploaded, searchable by its description, each
//! with the alt text, caption and credit that stories use unless they give their own.

use axum::{
    Json,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{AltText, MediaId};
use rotative_newsroom::{NewsroomError, Refusal};
use rotative_render::PictureView;
use rotative_store::{MediaQuery, MediaRecord, MediaText};
use serde::{Deserialize, Serialize};

use super::{render, stories::UploadedImage};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    media::{ingest, receive_file},
    messages,
    uploads::UploadError,
};

const PAGE_SIZE: u32 = 48;
const MAX_TEXT_CHARS: usize = 500;

#[derive(Serialize)]
struct LibraryItem {
    id: i64,
    /// What a story's body names it by: `media:KEY`.
    key: String,
    picture: PictureView,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    name: Option<String>,
    width: u32,
    height: u32,
    kilobytes: u64,
}

impl From<MediaRecord> for LibraryItem {
    fn from(media: MediaRecord) -> Self {
        Self {
            id: media.id.0,
            key: media.storage_key.clone(),
            picture: PictureView::new(
                &media.storage_key,
                media.width,
                media.height,
                media.animated,
            ),
            alt: media.description.alt,
            caption: media.description.caption,
            credit: media.description.credit,
            name: media.original_name,
            width: media.width,
            height: media.height,
            kilobytes: media.byte_size.div_ceil(1024),
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct LibraryQuery {
    q: Option<String>,
    page: Option<u32>,
}

/// The library, as a page or, for the editor's picker (`Accept: application/json`), as data.
pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    Query(query): Query<LibraryQuery>,
) -> Result<Response, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let text = query.q.filter(|q| !q.trim().is_empty());
    let (items, total) = state
        .store
        .media_library(&MediaQuery {
            text: text.clone(),
            limit: PAGE_SIZE,
            offset: (page - 1).saturating_mul(PAGE_SIZE),
        })
        .await?;
    let items: Vec<LibraryItem> = items.into_iter().map(LibraryItem::from).collect();
    let more = u64::from(page) * u64::from(PAGE_SIZE) < total;
    if wants_json(&headers) {
        return Ok(Json(minijinja::context! {
            items => items,
            total => total,
            next_page => more.then_some(page + 1),
        })
        .into_response());
    }
    let context = minijinja::context! {
        items => items,
        total => total,
        q => text,
        page => page,
        next_page => more.then_some(page + 1),
        previous_page => (page > 1).then(|| page - 1),
        max_megabytes => state.upload_limits.max_bytes / (1024 * 1024),
    };
    Ok(Html(render(&state, &who, "newsroom/library.html", context)?).into_response())
}

/// Optional text from a form: trimmed, empty meaning none, refused when too long.
fn optional_text(value: &str) -> Result<Option<String>, ()> {
    let value = rotative_domain::without_controls(value);
    let value = value.trim();
    if value.chars().count() > MAX_TEXT_CHARS {
        return Err(());
    }
    Ok(Some(value.to_owned()).filter(|v| !v.is_empty()))
}

pub(crate) fn description(alt: &str, caption: &str, credit: &str) -> Result<MediaText, String> {
    let alt = match alt.trim() {
        "" => None,
        typed => Some(
            AltText::parse(typed)
                .map_err(|_| messages::ALT_TOO_LONG.to_owned())?
                .to_string(),
        ),
    };
    let too_long = || messages::caption_too_long(MAX_TEXT_CHARS);
    Ok(MediaText {
        alt,
        caption: optional_text(caption).map_err(|()| too_long())?,
        credit: optional_text(credit).map_err(|()| too_long())?,
    })
}

#[derive(Default)]
struct UploadForm {
    csrf_checked: bool,
    return_to: Option<String>,
    alt: String,
    caption: String,
    credit: String,
    file: Option<(tempfile::NamedTempFile, Option<String>)>,
}

/// Reads the upload form field by field. The token must come before the file, so nothing is
/// written to disk for a forged request.
async fn read_upload_form(
    state: &AppState,
    who: &SignedIn,
    mut multipart: Multipart,
) -> Result<UploadForm, AppError> {
    let mut form = UploadForm::default();
    let malformed = || AppError::BadRequest(messages::MALFORMED_UPLOAD);
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::from(UploadError::TooLarge {
                limit: state.upload_limits.max_bytes,
            })
        } else {
            malformed()
        }
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if !form.csrf_checked {
                return Err(AppError::Csrf);
            }
            let original_name = field.file_name().map(|n| n.chars().take(200).collect());
            form.file = receive_file(field, state.upload_limits.max_bytes)
                .await?
                .map(|file| (file, original_name));
            continue;
        }
        let value = field.text().await.map_err(|_| malformed())?;
        match name.as_str() {
            "csrf" => {
                who.check_csrf(&value)?;
                form.csrf_checked = true;
            }
            "return_to" => form.return_to = editor_path(&value),
            "alt" => form.alt = value,
            "caption" => form.caption = value,
            "credit" => form.credit = value,
            _ => {}
        }
    }
    if !form.csrf_checked {
        return Err(AppError::Csrf);
    }
    Ok(form)
}

/// Uploads from the editor go back to it; any other address is ignored (no open redirect).
fn editor_path(value: &str) -> Option<String> {
    let id = value.strip_prefix("/redaction/articles/")?;
    (!id.is_empty() && id.len() < 20 && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.to_owned())
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// Takes an image from the library page or the editor. From a script (drag and drop) the
/// answer is JSON with the Markdown to insert; from a plain form, a redirect.
pub(crate) async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    if let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        // The form's other fields are small: a body far above the file limit is refused unread.
        if length > state.upload_limits.max_bytes + 64 * 1024 {
            return Err(UploadError::TooLarge {
                limit: state.upload_limits.max_bytes,
            }
            .into());
        }
    }
    let form = read_upload_form(&state, &who, multipart).await?;
    let description =
        description(&form.alt, &form.caption, &form.credit).map_err(AppError::Unprocessable)?;
    let (file, original_name) = form.file.ok_or(UploadError::NoFile)?;
    let media = ingest(&state, file, original_name, description, who.user.id).await?;
    if wants_json(&headers) {
        return Ok(Json(UploadedImage::from(&media)).into_response());
    }
    let target = match form.return_to {
        Some(path) => format!("{path}?image={}", media.storage_key),
        None => format!("/redaction/medias/{}", media.id.0),
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct DescriptionForm {
    #[serde(default)]
    alt: String,
    #[serde(default)]
    caption: String,
    #[serde(default)]
    credit: String,
}

async fn media_or_404(state: &AppState, id: MediaId) -> Result<MediaRecord, AppError> {
    state.store.media_by_id(id).await?.ok_or(AppError::NotFound)
}

async fn media_page(
    state: &AppState,
    who: &SignedIn,
    media: MediaRecord,
    form: &DescriptionForm,
    status: StatusCode,
    message: Option<&str>,
) -> Result<Response, AppError> {
    let used_by = state.store.stories_using_media(media.id).await?.len();
    let uploaded = UploadedImage::from(&media);
    let context = minijinja::context! {
        item => LibraryItem::from(media),
        uploaded => uploaded,
        form => form,
        used_by => used_by,
        message => message,
        error => !status.is_success(),
    };
    let html = render(state, who, "newsroom/media.html", context)?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<MediaId>,
) -> Result<Response, AppError> {
    let media = media_or_404(&state, id).await?;
    let form = DescriptionForm {
        alt: media.description.alt.clone().unwrap_or_default(),
        caption: media.description.caption.clone().unwrap_or_default(),
        credit: media.description.credit.clone().unwrap_or_default(),
    };
    media_page(&state, &who, media, &form, StatusCode::OK, None).await
}

/// Saves an image's description and renders again every story that shows it.
pub(crate) async fn describe(
    State(state): State<AppState>,
    Path(id): Path<MediaId>,
    CsrfForm { who, form }: CsrfForm<DescriptionForm>,
) -> Result<Response, AppError> {
    let media = media_or_404(&state, id).await?;
    let text = match description(&form.alt, &form.caption, &form.credit) {
        Ok(text) => text,
        Err(message) => {
            return media_page(
                &state,
                &who,
                media,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&message),
            )
            .await;
        }
    };
    let described = state
        .newsroom()
        .describe_image(&who.actor(), &media, &text)
        .await;
    if let Err(NewsroomError::Refused(refusal @ Refusal::ShownInStoryOutOfReach(_))) = described {
        let message = messages::refusal(&refusal);
        return media_page(
            &state,
            &who,
            media,
            &form,
            StatusCode::FORBIDDEN,
            Some(&message),
        )
        .await;
    }
    described?;
    Ok(Redirect::to(&format!("/redaction/medias/{id}")).into_response())
}
