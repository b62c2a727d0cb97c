//! Bylines in the newsroom: everyone's own profile (« Mon profil »), and for editors the list
//! of every byline, agencies' and guests' included, with a form to add one. Every refusal shows
//! the form again, as typed.

use axum::{
    extract::{Path, Query, RawQuery, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{AuthorId, ProfileDraft, ProfileForm as TypedProfile};
use rotative_render::{BylineView, PictureView};
use rotative_store::BylineRecord;
use serde::{Deserialize, Serialize};

use super::{Refused, render};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    messages,
};

const LIST: &str = "/redaction/signatures";
/// The query a saved profile's page is shown with, to say it was saved.
const SAVED: &str = "enregistre";

fn page_of(id: AuthorId) -> String {
    format!("{LIST}/{}", id.0)
}

/// A byline as the newsroom's list shows it.
#[derive(Serialize)]
struct BylineRow {
    id: AuthorId,
    name: String,
    job_title: Option<String>,
    account: Option<String>,
    stories: u64,
    published: u64,
    url: String,
    described: bool,
}

impl From<&BylineRecord> for BylineRow {
    fn from(record: &BylineRecord) -> Self {
        let view = BylineView::of(&record.author);
        Self {
            id: record.id,
            name: view.name.clone(),
            job_title: view.job_title.clone(),
            account: record.account.clone(),
            stories: record.stories,
            published: record.published,
            described: view.is_described(),
            url: view.url,
        }
    }
}

/// The fields of a profile's form, as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ProfileForm {
    name: String,
    job_title: String,
    bio: String,
    website: String,
    email: String,
    fediverse: String,
    /// The library image's key, as the library gives it to paste.
    photo: String,
    photo_alt: String,
}

impl ProfileForm {
    fn of(record: &BylineRecord) -> Self {
        let author = &record.author;
        let profile = &author.profile;
        let links = &profile.links;
        Self {
            name: author.name.to_string(),
            job_title: profile.job_title.clone().unwrap_or_default(),
            bio: author.bio.clone().unwrap_or_default(),
            website: links.website.clone().unwrap_or_default(),
            email: links
                .email
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            fediverse: links.fediverse.clone().unwrap_or_default(),
            photo: profile
                .photo
                .as_ref()
                .map(|photo| format!("media:{}", photo.key))
                .unwrap_or_default(),
            photo_alt: profile
                .photo
                .as_ref()
                .map(|photo| photo.alt.to_string())
                .unwrap_or_default(),
        }
    }

    pub(crate) fn typed(&self) -> TypedProfile<'_> {
        TypedProfile {
            name: &self.name,
            job_title: &self.job_title,
            bio: &self.bio,
            website: &self.website,
            email: &self.email,
            fediverse: &self.fediverse,
            photo: &self.photo,
            photo_alt: &self.photo_alt,
        }
    }

    fn draft(&self) -> Result<ProfileDraft, AppError> {
        ProfileDraft::parse(self.typed())
            .map_err(|problems| AppError::Invalid(messages::profile_problems(&problems)))
    }
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    search: &str,
    status: StatusCode,
    form: &ProfileForm,
    refused: Refused,
) -> Result<Response, AppError> {
    let records = state.newsroom().bylines(&who.actor(), search).await?;
    let bylines: Vec<BylineRow> = records.iter().map(BylineRow::from).collect();
    let html = render(
        state,
        who,
        "newsroom/bylines.html",
        minijinja::context! {
            bylines => bylines,
            search => search,
            limit => rotative_newsroom::BYLINES_LISTED,
            form => form,
            refused => refused,
            limits => limits(),
        },
    )?;
    Ok((status, Html(html)).into_response())
}

fn limits() -> minijinja::Value {
    minijinja::context! {
        job_title => ProfileDraft::MAX_JOB_TITLE_CHARS,
        bio => ProfileDraft::MAX_BIO_CHARS,
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &who,
        &query.q,
        StatusCode::OK,
        &ProfileForm::default(),
        Refused::default(),
    )
    .await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<ProfileForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    let added = match form.draft() {
        Ok(draft) => state
            .newsroom()
            .add_byline(&who.actor(), &draft)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match added {
        Ok(id) => Ok(Redirect::to(&page_of(id)).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            list_page(&state, &who, "", status, &form, refused).await
        }
    }
}

/// « Mon profil »: the page of the byline the account signs with.
pub(crate) async fn own(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let id = state.newsroom().own_byline(&who.user).await?;
    Ok(Redirect::to(&page_of(id)).into_response())
}

async fn byline_page(
    state: &AppState,
    who: &SignedIn,
    id: AuthorId,
    status: StatusCode,
    form: Option<ProfileForm>,
    refused: Refused,
    saved: bool,
) -> Result<Response, AppError> {
    let record = state.newsroom().byline(&who.user, id).await?;
    let stored = record.author.profile.photo.as_ref();
    let photo = stored.map(PictureView::of);
    let photo_alt = stored.map(|photo| photo.alt.to_string());
    let row = BylineRow::from(&record);
    let form = form.unwrap_or_else(|| ProfileForm::of(&record));
    let html = render(
        state,
        who,
        "newsroom/byline.html",
        minijinja::context! {
            byline => row,
            photo => photo,
            photo_alt => photo_alt,
            form => form,
            refused => refused,
            limits => limits(),
            saved => saved,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let refused = Refused::default();
    let saved = query.as_deref() == Some(SAVED);
    byline_page(
        &state,
        &who,
        AuthorId(id),
        StatusCode::OK,
        None,
        refused,
        saved,
    )
    .await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { who, form }: CsrfForm<ProfileForm>,
) -> Result<Response, AppError> {
    let id = AuthorId(id);
    let saved = match form.draft() {
        Ok(draft) => state
            .newsroom()
            .describe_byline(&who.user, id, &draft)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("{}?{SAVED}", page_of(id))).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            byline_page(&state, &who, id, status, Some(form), refused, false).await
        }
    }
}
