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
            format!(
                "Le fichier dépasse la taille maximale de {} Mo. Réduisez l'image avant de l'envoyer.",
                limit / (1024 * 1024)
            )
            .into(),
        ),
        UploadError::UnsupportedType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Ce fichier n'est pas une image JPEG, PNG, WebP ou GIF. Les images SVG et les autres fichiers ne sont pas acceptés.".into(),
        ),
        UploadError::TooManyPixels { width, height, limit } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "L'image mesure {width} × {height} pixels, au-delà de la limite de {} mégapixels.",
                limit / 1_000_000
            )
            .into(),
        ),
        UploadError::Corrupt(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "L'image est endommagée ou incomplète : elle ne peut pas être lue. Envoyez le fichier d'origine.".into(),
        ),
        UploadError::NoFile => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choisissez un fichier image à envoyer.".into(),
        ),
    }
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
                Self::BadRequest("Indiquez la date et l'heure de publication.")
            }
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
            Self::NotFound | Self::Store(StoreError::NotFound(_)) => (
                StatusCode::NOT_FOUND,
                "Cette page n'existe pas ou n'existe plus. Elle a peut-être été déplacée, ou l'adresse contient une faute de frappe.".into(),
            ),
            Self::Gone => (
                StatusCode::GONE,
                "Cet article a été retiré par la rédaction. Il n'est plus disponible.".into(),
            ),
            Self::OldPageGone => (
                StatusCode::GONE,
                "Cette page de l'ancien site n'existe plus : aucun article publié ne s'y rattachait.".into(),
            ),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, (*message).into()),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.".into(),
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "Votre rôle ne permet pas cette action.".into(),
            ),
            Self::Conflict(message) => (StatusCode::CONFLICT, message.clone().into()),
            Self::Unprocessable(message) => {
                (StatusCode::UNPROCESSABLE_ENTITY, message.clone().into())
            }
            Self::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de tentatives de connexion échouées. Réessayez dans quinze minutes.".into(),
            ),
            Self::TooManyPasswordAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de mots de passe actuels erronés. Réessayez dans quinze minutes.".into(),
            ),
            Self::Busy => (
                StatusCode::TOO_MANY_REQUESTS,
                "Votre compte a déjà un traitement en cours. Réessayez dans un instant.".into(),
            ),
            Self::Upload(refusal) => upload_refusal(refusal),
            Self::Store(StoreError::AlreadyExists(taken)) => (
                StatusCode::CONFLICT,
                match taken {
                    Taken::AccountEmail => "Un compte utilise déjà cette adresse électronique.",
                    Taken::StoryAddress => "Un autre article occupe déjà cette adresse.",
                }
                .into(),
            ),
            Self::Store(_) | Self::Render(_) | Self::Media(_) | Self::Search(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Une erreur s'est produite de notre côté. Elle a été enregistrée ; réessayez dans un instant.".into(),
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
    let nav = state.nav_for_errors().await.unwrap_or_default();
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
