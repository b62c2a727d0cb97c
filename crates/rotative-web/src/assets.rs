//! Files readers' browsers fetch besides pages: the theme's stylesheet and script at
//! content-hashed URLs, cached for a year and never revalidated; the emblem; stored media (see
//! `media`).

use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use rotative_render::EMBLEM_PATH;

use crate::{AppError, AppState};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/theme/{file}", get(theme_asset))
        .route("/media/{key}", get(crate::media::serve))
        .route(EMBLEM_PATH, get(emblem))
}

/// The theme's stylesheet and the newsroom's script, at their content-hashed addresses.
async fn theme_asset(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let asset = state
        .theme
        .asset(&format!("/theme/{file}"))
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        asset.body.clone(),
    ))
}

/// The emblem's address is fixed (structured data names it), so it is cached for a day only.
async fn emblem(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        state.emblem.clone(),
    )
}
