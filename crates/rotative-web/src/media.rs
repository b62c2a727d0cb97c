//! Images: taking an upload in (checked, cleaned, stored, recorded), making its resized copies
//! once, and serving files with ranges and forever-cache headers.

use rotative_domain::UserId;
use std::io::Write;

use axum::{
    body::Body,
    extract::{Path, State, multipart::Field},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use rotative_media::{
    ByteRange, CleanImage, MediaError, PixelLimit, ReadOutcome, StorageKey, clean, decoded_size,
    variants,
};
use rotative_newsroom::LibraryImage;
use rotative_store::{Audit, MediaRecord, MediaText};
use tokio::sync::OwnedSemaphorePermit;

use crate::{AppError, AppState, messages, uploads::UploadError};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Copies a form's file field to a temporary file, refusing it as soon as it passes the limit,
/// so memory stays flat whatever a client sends.
pub(crate) async fn receive_file(
    mut field: Field<'_>,
    limit: u64,
) -> Result<Option<tempfile::NamedTempFile>, AppError> {
    let mut file = tokio::task::spawn_blocking(tempfile::NamedTempFile::new)
        .await
        .map_err(|e| MediaError::Io(std::io::Error::other(e)))?
        .map_err(MediaError::Io)?;
    let mut received: u64 = 0;
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(UploadError::TooLarge { limit }.into());
            }
            Err(_) => {
                return Err(AppError::BadRequest(messages::UPLOAD_INCOMPLETE));
            }
        };
        received += chunk.len() as u64;
        if received > limit {
            return Err(UploadError::TooLarge { limit }.into());
        }
        file.write_all(&chunk).map_err(MediaError::Io)?;
    }
    Ok((received > 0).then_some(file))
}

fn refusal(error: MediaError) -> AppError {
    match error {
        MediaError::UnsupportedType => UploadError::UnsupportedType.into(),
        MediaError::TooManyPixels {
            width,
            height,
            limit,
        } => UploadError::TooManyPixels {
            width,
            height,
            limit,
        }
        .into(),
        MediaError::Corrupt(problem) => UploadError::Corrupt(problem).into(),
        other => other.into(),
    }
}

/// Reserves room in the decoding budget for an image, sized from its header.
async fn reserve_decoding(
    state: &AppState,
    bytes: &[u8],
    pixels: PixelLimit,
) -> Result<OwnedSemaphorePermit, AppError> {
    let decoded = decoded_size(bytes, pixels).map_err(refusal)?;
    let needed = (bytes.len() as u64).saturating_add(decoded.saturating_mul(2));
    Ok(state.decode_budget().reserve(needed).await?)
}

/// Checks, cleans, stores and records an uploaded file, then asks for its copies. The database
/// row is written only once the file is safely stored.
pub(crate) async fn ingest(
    state: &AppState,
    file: tempfile::NamedTempFile,
    original_name: Option<String>,
    description: MediaText,
    uploaded_by: UserId,
) -> Result<MediaRecord, AppError> {
    let pixels = state.upload_limits.pixels;
    let bytes = tokio::fs::read(file.path()).await.map_err(MediaError::Io)?;
    drop(file);
    let room = reserve_decoding(state, &bytes, pixels).await?;
    let image: CleanImage = state
        .cpu_work()
        .run(uploaded_by, move || {
            let image = clean(&bytes, pixels);
            drop(room);
            image
        })
        .await?
        .map_err(refusal)?;
    let mut image = LibraryImage::new(image, original_name, description);
    image.record.uploaded_by = Some(uploaded_by);
    state.storage.put(&image.key, image.bytes).await?;
    let audit = Audit::by(Some(uploaded_by), "media_upload").detail(&image.record.storage_key);
    let record = state.store.record_upload(&image.record, audit).await?;
    if !record.variants_ready {
        state.variants.wake();
    }
    Ok(record)
}

/// Makes and stores the resized copies of one image, then marks it done.
async fn make_variants_of(state: &AppState, media: &MediaRecord) -> Result<(), AppError> {
    let key = StorageKey::parse(&media.storage_key)?;
    let original = state
        .storage
        .get(&key)
        .await?
        .ok_or(MediaError::InvalidKey(media.storage_key.clone()))?;
    let pixels = state.upload_limits.pixels;
    let room = reserve_decoding(state, &original, pixels).await?;
    let image = CleanImage {
        kind: key.kind(),
        width: media.width,
        height: media.height,
        animated: media.animated,
        bytes: original.to_vec(),
    };
    let made = tokio::task::spawn_blocking(move || {
        let made = variants(&image, pixels);
        drop(room);
        made
    })
    .await
    .map_err(|e| MediaError::Io(std::io::Error::other(e)))??;
    for variant in made {
        state
            .storage
            .put(&key.variant(variant.width, variant.kind), variant.bytes)
            .await?;
    }
    state.store.mark_variants_ready(media.id).await?;
    Ok(())
}

/// Makes the copies every image still lacks. Run by the background job at start, after each
/// upload, and by the media route when a page asks for a copy first.
pub async fn make_pending_variants(state: &AppState) -> Result<usize, AppError> {
    let _one_maker = state.variants.making.lock().await;
    let mut made = 0;
    loop {
        let pending = state.store.media_without_variants(8).await?;
        if pending.is_empty() {
            return Ok(made);
        }
        let mut failed = false;
        for media in &pending {
            match make_variants_of(state, media).await {
                Ok(()) => made += 1,
                Err(error) => {
                    // Left pending (storage may be briefly unreachable): retried at the next
                    // wake-up, after the images behind it in this round.
                    tracing::error!(key = %media.storage_key, %error, "could not make an image's copies");
                    failed = true;
                }
            }
        }
        if failed {
            return Ok(made);
        }
    }
}

/// Reads a `Range` header: one range of bytes. Several ranges, or one we cannot read, are
/// answered with the whole file, as HTTP allows.
fn requested_range(headers: &HeaderMap) -> Option<ByteRange> {
    let spec = headers
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.trim().split_once('-')?;
    match (start.parse::<u64>().ok(), end.parse::<u64>().ok()) {
        (Some(start), Some(end_inclusive)) => Some(ByteRange::Bounded {
            start,
            end_inclusive,
        }),
        (Some(start), None) if end.is_empty() => Some(ByteRange::From(start)),
        (None, Some(count)) if start.is_empty() => Some(ByteRange::Last(count)),
        _ => None,
    }
}

/// A stored image or one of its copies. A copy a page asks for before the background job made
/// it is made on the spot.
pub(crate) async fn serve(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let key = StorageKey::parse(&key).map_err(|_| AppError::NotFound)?;
    let etag = format!("\"{key}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|known| known.as_bytes() == etag.as_bytes())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let range = requested_range(&headers);
    let mut outcome = state.storage.read(&key, range).await?;
    if matches!(outcome, ReadOutcome::Missing) && make_missing_variant(&state, &key).await? {
        outcome = state.storage.read(&key, range).await?;
    }
    let read = match outcome {
        ReadOutcome::Found(read) => read,
        ReadOutcome::Missing => return Err(AppError::NotFound),
        ReadOutcome::RangeNotSatisfiable(size) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response());
        }
    };
    let partial = range.is_some();
    let mut response = Response::new(Body::from_stream(read.body.map_err(std::io::Error::other)));
    *response.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(key.kind().content_type()),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(read.range.end - read.range.start),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    if partial {
        let content_range = format!(
            "bytes {}-{}/{}",
            read.range.start,
            read.range.end - 1,
            read.total_size
        );
        if let Ok(value) = HeaderValue::from_str(&content_range) {
            headers.insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response)
}

/// Whether `key` names a copy of a known image whose copies were not made yet, now made.
async fn make_missing_variant(state: &AppState, key: &StorageKey) -> Result<bool, AppError> {
    let Some((hash, _)) = key.as_ref().split_once('-') else {
        return Ok(false);
    };
    match state.store.media_by_hash(hash).await? {
        Some(media) if !media.variants_ready => {
            make_pending_variants(state).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
