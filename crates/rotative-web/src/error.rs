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
use rotative_domain::RevisionId;
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

/// A problem with one field of a form (or one parameter of an API request), said in French.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    #[schema(value_type = String)]
    pub field: Cow<'static, str>,
    pub message: String,
}

/// An error as the API answers it: problem details (RFC 9457), in French.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    /// Each field or parameter that is wrong, when the request's content is the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

impl Problem {
    /// Media type of problem details.
    pub(crate) const MEDIA_TYPE: &'static str = "application/problem+json";
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
    /// An API request without a live token where one is needed.
    #[error("no valid token")]
    Unauthorized,
    /// A read-only API token asked to change something.
    #[error("read-only token")]
    ReadOnlyToken,
    /// A request body over its route's limit.
    #[error("body too large")]
    BodyTooLarge,
    /// An API request whose body is not JSON.
    #[error("not JSON")]
    NotJson,
    /// An API request whose JSON cannot be read as expected (serde's words, in English).
    #[error("bad JSON: {0}")]
    BadJson(String),
    /// An API edit whose `If-Match` names a revision that is no longer the story's own; the
    /// edit, when it could be read, is kept as the revision `kept`.
    #[error("stale revision")]
    Stale {
        current: RevisionId,
        kept: Option<RevisionId>,
    },
    /// An API edit without `If-Match`: it could overwrite a change it never saw.
    #[error("no If-Match")]
    PreconditionRequired,
    /// Content over its limit, said of its field.
    #[error("too large: {0:?}")]
    TooLarge(Vec<FieldError>),
    #[error("forbidden")]
    Forbidden,
    /// Forbidden, for a reason the person can act on.
    #[error("forbidden: {0}")]
    ForbiddenBecause(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Unprocessable(String),
    /// A form's fields, each with what is wrong with it; the form is shown again with them.
    #[error("invalid form: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Parameters of a request's address that cannot be read (an API filter, say).
    #[error("bad parameters: {0:?}")]
    BadParameters(Vec<FieldError>),
    /// Something the request names does not exist; the message says which.
    #[error("missing: {0}")]
    Missing(String),
    #[error("too many sign-in attempts")]
    TooManyAttempts,
    /// An API token over its allowance: it may call again after this wait.
    #[error("rate limited for {0:?}")]
    RateLimited(std::time::Duration),
    #[error("too many wrong current passwords")]
    TooManyPasswordAttempts,
    #[error("too many wrong second-factor codes")]
    TooManyCodes,
    /// The account already has work of this kind under way (renders, uploads): try again.
    #[error("too busy")]
    Busy,
    /// Something of ours failed (an answer that could not be written): said in the log.
    #[error("internal: {0}")]
    Internal(String),
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
            NewsroomError::Refused(
                refusal @ (Refusal::TokenName
                | Refusal::WebhookNotWeb
                | Refusal::WebhookThisSite
                | Refusal::WebhookWithoutEvents
                | Refusal::SlugEmpty
                | Refusal::PageTwiceInFooter
                | Refusal::TwiceOnFrontPage
                | Refusal::SectionTwiceOnFrontPage
                | Refusal::LeavesInThePast
                | Refusal::WrongCode),
            ) => Self::Unprocessable(messages::refusal(&refusal)),
            NewsroomError::Refused(Refusal::TooManyCodes) => Self::TooManyCodes,
            NewsroomError::Refused(Refusal::PhotoNotInLibrary(key)) => {
                Self::Invalid(vec![FieldError {
                    field: "photo".into(),
                    message: messages::photo_not_in_library(&key),
                }])
            }
            NewsroomError::Refused(Refusal::Redirect(problems)) => {
                Self::Invalid(messages::redirect_problems(&problems))
            }
            NewsroomError::Refused(
                refusal @ (Refusal::NoSuchToken
                | Refusal::NoSuchWebhook
                | Refusal::NoSuchNotification
                | Refusal::NoSuchSection
                | Refusal::NoSuchPage
                | Refusal::NoSuchRedirect
                | Refusal::NoSuchByline),
            ) => Self::Missing(messages::refusal(&refusal)),
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

/// What a reader is told, attached to the response for `render_error_pages`: a sentence, and
/// each field in question.
#[derive(Debug, Clone)]
struct ReaderMessage {
    message: Cow<'static, str>,
    fields: Vec<FieldError>,
}

impl AppError {
    /// A refusal the person can act on where they are (their form shown again, with the
    /// reason beside the field), rather than an error page: the content or the story's state is
    /// the problem, not their rights or our service.
    pub(crate) fn refusal(&self) -> Option<(StatusCode, String)> {
        matches!(
            self,
            Self::BadRequest(_) | Self::Conflict(_) | Self::Unprocessable(_) | Self::Invalid(_)
        )
        .then(|| {
            let (status, message) = self.status_and_message();
            (status, message.into_owned())
        })
    }

    fn status_and_message(&self) -> (StatusCode, Cow<'static, str>) {
        let (status, message): (StatusCode, Cow<'static, str>) = match self {
            Self::NotFound | Self::Store(StoreError::NotFound(_)) => {
                (StatusCode::NOT_FOUND, messages::NOT_FOUND.into())
            }
            Self::Gone => (StatusCode::GONE, messages::STORY_WITHDRAWN.into()),
            Self::OldPageGone => (StatusCode::GONE, messages::OLD_PAGE_GONE.into()),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, (*message).into()),
            Self::Csrf => (StatusCode::FORBIDDEN, messages::FORM_EXPIRED.into()),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, messages::api::NO_TOKEN.into()),
            Self::ReadOnlyToken => (StatusCode::FORBIDDEN, messages::api::READ_ONLY_TOKEN.into()),
            Self::BodyTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                messages::api::BODY_TOO_LARGE.into(),
            ),
            Self::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                messages::api::NOT_JSON.into(),
            ),
            Self::BadJson(error) => (
                StatusCode::BAD_REQUEST,
                messages::api::bad_json(error).into(),
            ),
            Self::Stale { current, kept } => (
                StatusCode::PRECONDITION_FAILED,
                messages::api::stale(*current, *kept).into(),
            ),
            Self::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                messages::api::IF_MATCH_REQUIRED.into(),
            ),
            Self::TooLarge(fields) => (StatusCode::PAYLOAD_TOO_LARGE, sentences(fields).into()),
            Self::Forbidden => (StatusCode::FORBIDDEN, messages::ROLE_FORBIDS.into()),
            Self::ForbiddenBecause(message) => (StatusCode::FORBIDDEN, message.clone().into()),
            Self::Conflict(message) => (StatusCode::CONFLICT, message.clone().into()),
            Self::Unprocessable(message) => {
                (StatusCode::UNPROCESSABLE_ENTITY, message.clone().into())
            }
            Self::Invalid(fields) => (StatusCode::UNPROCESSABLE_ENTITY, sentences(fields).into()),
            Self::BadParameters(fields) => (StatusCode::BAD_REQUEST, sentences(fields).into()),
            Self::Missing(message) => (StatusCode::NOT_FOUND, message.clone().into()),
            Self::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::TOO_MANY_SIGN_INS.into(),
            ),
            Self::TooManyPasswordAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::TOO_MANY_WRONG_PASSWORDS.into(),
            ),
            Self::TooManyCodes => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::TOO_MANY_CODES.into(),
            ),
            Self::Busy => (StatusCode::TOO_MANY_REQUESTS, messages::BUSY.into()),
            Self::RateLimited(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                messages::api::rate_limited(retry_after(*wait)).into(),
            ),
            Self::Upload(refusal) => upload_refusal(refusal),
            Self::Store(StoreError::AlreadyExists(taken)) => (
                StatusCode::CONFLICT,
                match taken {
                    Taken::AccountEmail => messages::EMAIL_IN_USE,
                    Taken::StoryAddress => messages::ADDRESS_IN_USE,
                    Taken::SectionSlug => messages::SECTION_ADDRESS_IN_USE,
                    Taken::RedirectSource => messages::REDIRECT_SOURCE_IN_USE,
                    Taken::BylineSlug => messages::BYLINE_ADDRESS_IN_USE,
                }
                .into(),
            ),
            Self::Store(_)
            | Self::Render(_)
            | Self::Media(_)
            | Self::Search(_)
            | Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                messages::OUR_FAULT.into(),
            ),
        };
        (status, message)
    }
}

/// Whole seconds to wait, rounded up, as `Retry-After` says them.
fn retry_after(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn sentences(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|field| field.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = self.status_and_message();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = status.into_response();
        match &self {
            Self::Unauthorized => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer realm=\"rotative\""),
                );
            }
            Self::RateLimited(wait) => {
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    axum::http::HeaderValue::from(retry_after(*wait)),
                );
            }
            // The codes are counted over fifteen minutes: at most that long.
            Self::TooManyCodes => {
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    axum::http::HeaderValue::from(rotative_newsroom::CODE_WINDOW_SECONDS),
                );
            }
            Self::Stale { current, .. } => {
                response
                    .headers_mut()
                    .insert(header::ETAG, crate::api::revision_tag(*current));
            }
            _ => {}
        }
        let fields = match self {
            Self::Invalid(fields) | Self::BadParameters(fields) | Self::TooLarge(fields) => fields,
            _ => Vec::new(),
        };
        response
            .extensions_mut()
            .insert(ReaderMessage { message, fields });
        response
    }
}

/// Whether a request is the API's, whose errors are problem details rather than pages.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn problem(status: StatusCode, message: Cow<'static, str>, fields: Vec<FieldError>) -> Response {
    let problem = Problem {
        kind: "about:blank",
        title: messages::api::problem_title(status.as_u16()),
        status: status.as_u16(),
        detail: message.into_owned(),
        errors: fields,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, Problem::MEDIA_TYPE)], body).into_response()
}

/// Gives every error response a page in the site's theme and language.
pub(crate) async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = is_api(request.uri().path());
    let response = next.run(request).await;
    let Some(ReaderMessage { message, fields }) =
        response.extensions().get::<ReaderMessage>().cloned()
    else {
        return response;
    };
    let status = response.status();
    if api {
        let mut answer = problem(status, message, fields);
        keep_headers(&response, &mut answer);
        return answer;
    }
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
    keep_headers(&response, &mut page);
    page
}

/// What the answer said of itself stays true of its page: a newsroom error is still
/// `no-store`, a refusal still says when to retry.
fn keep_headers(answer: &Response, page: &mut Response) {
    for (name, value) in answer.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
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
