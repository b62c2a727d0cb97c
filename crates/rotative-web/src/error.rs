//! The one place where failures become HTTP responses. Handlers return `AppError`; its response
//! carries what went wrong, and `render_error_pages` turns that into a French page in the theme.
//! Internal details are logged once, never shown.

use std::borrow::Cow;

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use rotative_media::MediaError;
use rotative_newsroom::{Busy, NewsroomError, Refusal};
use rotative_render::RenderError;
use rotative_search::SearchError;
use rotative_store::{StoreError, Taken};
use thiserror::Error;

use crate::{AppState, messages, uploads::UploadError};

fn upload_refusal(error: &UploadError) -> (StatusCode, Cow<'static, str>) {
    match error {
        UploadError::TooLarge { limit } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            messages::upload_too_large(limit / (1024 * 1024)).into(),
        ),
        UploadError::UnsupportedType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            messages::NOT_AN_IMAGE.into(),
        ),
        UploadError::TooManyPixels {
            width,
            height,
            limit,
        } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::too_many_pixels(*width, *height, limit / 1_000_000).into(),
        ),
        UploadError::Corrupt(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::DAMAGED_IMAGE.into(),
        ),
        UploadError::NoFile => (StatusCode::UNPROCESSABLE_ENTITY, messages::NO_FILE.into()),
    }
}

/// A problem with one field of a form, said to the writer in French.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    /// An address of the replaced site that nothing here took the place of.
    #[error("old page gone")]
    OldPageGone,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Unprocessable(String),
    /// A form's fields, each with what is wrong with it; the form is shown again with them.
    #[error("invalid form: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("too many sign-in attempts")]
    TooManyAttempts,
    #[error("too many wrong current passwords")]
    TooManyPasswordAttempts,
    /// The account already has work of this kind under way (renders, uploads): try again.
    #[error("too busy")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("upload refused: {0}")]
    Upload(#[from] UploadError),
}

impl From<NewsroomError> for AppError {
    fn from(error: NewsroomError) -> Self {
        match error {
            NewsroomError::Forbidden => Self::Forbidden,
            NewsroomError::Workflow(illegal) => Self::Conflict(messages::workflow(illegal)),
            NewsroomError::Body(problem) => Self::Unprocessable(messages::body_problem(&problem)),
            NewsroomError::Refused(Refusal::NoScheduledTime) => {
                Self::BadRequest(messages::NO_PUBLICATION_TIME)
            }
            NewsroomError::Refused(Refusal::NoteLength) => Self::BadRequest(messages::NOTE_LENGTH),
            NewsroomError::Refused(refusal) => Self::Conflict(messages::refusal(&refusal)),
            NewsroomError::Busy(_) => Self::Busy,
            NewsroomError::Store(error) => Self::Store(error),
            NewsroomError::Render(error) => Self::Render(error),
        }
    }
}

impl From<Busy> for AppError {
    fn from(_: Busy) -> Self {
        Self::Busy
    }
}

/// What a reader is told, attached to the response for `render_error_pages`.
#[derive(Debug, Clone)]
struct ReaderMessage(Cow<'static, str>);

impl AppError {
    fn status_and_message(&self) -> (StatusCode, Cow<'static, str>) {
        let (status, message): (StatusCode, Cow<'static, str>) = match self {
            Self::NotFound | Self::Store(StoreError::NotFound(_)) => {
                (StatusCode::NOT_FOUND, messages::NOT_FOUND.into())
            }
            Self::Gone => (StatusCode::GONE, messages::STORY_WITHDRAWN.into()),
            Self::OldPageGone => (StatusCode::GONE, messages::OLD_PAGE_GONE.into()),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, (*message).into()),
            Self::Csrf => (StatusCode::FORBIDDEN, messages::FORM_EXPIRED.into()),
            Self::Forbidden => (StatusCode::FORBIDDEN, messages::ROLE_FORBIDS.into()),
            Self::Conflict(message) => (StatusCode::CONFLICT, message.clone().into()),
            Self::Unprocessable(message) => {
                (StatusCode::UNPROCESSABLE_ENTITY, message.clone().into())
            }
            Self::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                fields
                    .iter()
                    .map(|field| field.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into(),
            ),
            Self::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::TOO_MANY_SIGN_INS.into(),
            ),
            Self::TooManyPasswordAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::TOO_MANY_WRONG_PASSWORDS.into(),
            ),
            Self::Busy => (StatusCode::TOO_MANY_REQUESTS, messages::BUSY.into()),
            Self::Upload(refusal) => upload_refusal(refusal),
            Self::Store(StoreError::AlreadyExists(taken)) => (
                StatusCode::CONFLICT,
                match taken {
                    Taken::AccountEmail => messages::EMAIL_IN_USE,
                    Taken::StoryAddress => messages::ADDRESS_IN_USE,
                }
                .into(),
            ),
            Self::Store(_) | Self::Render(_) | Self::Media(_) | Self::Search(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                messages::OUR_FAULT.into(),
            ),
        };
        (status, message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = self.status_and_message();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ReaderMessage(message));
        response
    }
}

/// Gives every error response a page in the site's theme and language.
pub(crate) async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let Some(ReaderMessage(message)) = response.extensions().get::<ReaderMessage>().cloned() else {
        return response;
    };
    let status = response.status();
    // The page lists sections to help readers on, as other pages last read them; if even that
    // fails, a plain page still answers.
    let nav = state.nav().await.unwrap_or_default();
    let mut page = match state
        .pages(&state.site(), &nav)
        .error(status.as_u16(), &message)
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "error page failed to render");
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response()
        }
    };
    // What the answer said of itself stays true of its page: a newsroom error is still
    // `no-store`, a refusal still says when to retry.
    let (parts, _) = response.into_parts();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_that_are_about_the_request_say_so() {
        let status = |error: AppError| error.status_and_message().0;
        assert_eq!(
            status(AppError::Store(StoreError::NotFound("story"))),
            StatusCode::NOT_FOUND
        );
        let taken = AppError::Store(StoreError::AlreadyExists(Taken::StoryAddress));
        assert_eq!(taken.status_and_message().0, StatusCode::CONFLICT);
        assert!(taken.status_and_message().1.contains("adresse"));
        assert_eq!(
            status(AppError::Store(StoreError::SqliteOnly("backup"))),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
