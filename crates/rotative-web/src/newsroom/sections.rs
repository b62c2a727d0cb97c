//! Sections in the newsroom, for editors: the navigation's list and order, a new section, and
//! each section's page (rename, new address, description, hidden from the navigation, merge
//! into another, removal of an empty one). Every refusal shows the form again, as typed.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{SectionDraft, SectionId};
use rotative_newsroom::{NewsroomError, Shift};
use rotative_store::SectionRecord;
use serde::{Deserialize, Serialize};

use super::{Refused, render};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, NoFields, SignedIn},
    error::FieldError,
    messages,
};

const LIST: &str = "/redaction/rubriques";

/// A section as the newsroom's pages show it.
#[derive(Serialize)]
struct SectionRow {
    id: SectionId,
    name: String,
    slug: String,
    description: String,
    in_navigation: bool,
    stories: u64,
    published: u64,
}

impl From<SectionRecord> for SectionRow {
    fn from(record: SectionRecord) -> Self {
        Self {
            id: record.id,
            name: record.section.name.to_string(),
            slug: record.section.slug.to_string(),
            description: record.description,
            in_navigation: record.in_navigation,
            stories: record.stories,
            published: record.published,
        }
    }
}

/// The fields of a section's form, as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct SectionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    description: String,
    /// A checkbox: present when ticked.
    in_navigation: Option<String>,
}

impl SectionForm {
    fn of(row: &SectionRow) -> Self {
        Self {
            name: row.name.clone(),
            slug: row.slug.clone(),
            description: row.description.clone(),
            in_navigation: row.in_navigation.then(|| "on".to_owned()),
        }
    }

    fn draft(&self) -> Result<SectionDraft, AppError> {
        SectionDraft::parse(
            &self.name,
            &self.slug,
            &self.description,
            self.in_navigation.is_some(),
        )
        .map_err(|problems| AppError::Invalid(messages::section_problems(&problems)))
    }
}

async fn rows(state: &AppState, who: &SignedIn) -> Result<Vec<SectionRow>, AppError> {
    Ok(state
        .newsroom()
        .sections(&who.actor())
        .await?
        .into_iter()
        .map(SectionRow::from)
        .collect())
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    form: &SectionForm,
    refused: Refused,
) -> Result<Response, AppError> {
    let sections = rows(state, who).await?;
    let html = render(
        state,
        who,
        "newsroom/sections.html",
        minijinja::context! { sections => sections, form => form, refused => refused },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, AppError> {
    let form = SectionForm {
        in_navigation: Some("on".to_owned()),
        ..SectionForm::default()
    };
    list_page(&state, &who, StatusCode::OK, &form, Refused::default()).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<SectionForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    let added = match form.draft() {
        Ok(draft) => state
            .newsroom()
            .add_section(&who.actor(), &draft)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match added {
        Ok(_) => Ok(Redirect::to(LIST).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            list_page(&state, &who, status, &form, refused).await
        }
    }
}

async fn section_page(
    state: &AppState,
    who: &SignedIn,
    id: SectionId,
    status: StatusCode,
    form: Option<&SectionForm>,
    refused: Refused,
) -> Result<Response, AppError> {
    let sections = rows(state, who).await?;
    let Some(section) = sections.iter().find(|row| row.id == id) else {
        return Err(NewsroomError::Refused(rotative_newsroom::Refusal::NoSuchSection).into());
    };
    let others: Vec<&SectionRow> = sections.iter().filter(|row| row.id != id).collect();
    let form = form.map_or_else(
        || SectionForm::of(section),
        |typed| SectionForm {
            name: typed.name.clone(),
            slug: typed.slug.clone(),
            description: typed.description.clone(),
            in_navigation: typed.in_navigation.clone(),
        },
    );
    let html = render(
        state,
        who,
        "newsroom/section.html",
        minijinja::context! {
            section => section,
            others => others,
            form => form,
            refused => refused,
            max_description => SectionDraft::MAX_DESCRIPTION_CHARS,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    section_page(
        &state,
        &who,
        SectionId(id),
        StatusCode::OK,
        None,
        Refused::default(),
    )
    .await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { who, form }: CsrfForm<SectionForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    let id = SectionId(id);
    let saved = match form.draft() {
        Ok(draft) => state
            .newsroom()
            .change_section(&who.actor(), id, &draft)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(LIST).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            section_page(&state, &who, id, status, Some(&form), refused).await
        }
    }
}

/// « Monter » or « Descendre » in the navigation.
#[derive(Deserialize)]
pub(crate) struct ShiftForm {
    #[serde(default)]
    direction: String,
}

pub(crate) async fn shift(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { who, form }: CsrfForm<ShiftForm>,
) -> Result<Response, AppError> {
    let shift = match form.direction.as_str() {
        "earlier" => Shift::Earlier,
        "later" => Shift::Later,
        _ => return Err(AppError::BadRequest(messages::UNKNOWN_DIRECTION)),
    };
    state
        .newsroom()
        .shift_section(&who.actor(), SectionId(id), shift)
        .await?;
    Ok(Redirect::to(LIST).into_response())
}

#[derive(Deserialize)]
pub(crate) struct MergeForm {
    #[serde(default)]
    into: String,
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { who, form }: CsrfForm<MergeForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    let from = SectionId(id);
    let merged = match form.into.trim().parse::<i64>() {
        Ok(into) => state
            .newsroom()
            .merge_section(&who.actor(), from, SectionId(into))
            .await
            .map_err(AppError::from),
        Err(_) => Err(AppError::Invalid(vec![FieldError {
            field: "into".into(),
            message: messages::CHOOSE_MERGE_TARGET.to_owned(),
        }])),
    };
    match merged {
        Ok(()) => Ok(Redirect::to(LIST).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            section_page(&state, &who, from, status, None, refused).await
        }
    }
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let id = SectionId(id);
    match state.newsroom().remove_section(&who.actor(), id).await {
        Ok(()) => Ok(Redirect::to(LIST).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error.into())?;
            section_page(&state, &who, id, status, None, refused).await
        }
    }
}
