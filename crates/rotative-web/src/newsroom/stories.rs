//! The dashboard and the story editor.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{
    ArticleId, ArticleKind, ArticleStatus, CorrectionKind, PageNumber, RevisionId, StoryAction,
    local_input, local_time, workflow::state_fr,
};
use rotative_newsroom::{Act, MAX_BODY_BYTES, NewsroomError, Refusal};
use rotative_store::{
    EditableStory, MediaRecord, SaveKind, SaveOutcome, StoryContent, StoryFilter, User,
};
use serde::{Deserialize, Serialize};

use super::{
    history::{DiffSegment, compare},
    notifications::NoticeView,
    render,
    service::{FieldError, StoryForm, content_from_form},
    when,
};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    messages,
};

/// Stories a dashboard page lists; older ones are on the next pages.
pub(crate) const DASHBOARD_PAGE: u32 = 50;
/// Unread notifications the dashboard shows above the stories.
const DASHBOARD_NOTICES: u32 = 5;

pub(crate) async fn to_dashboard() -> Redirect {
    Redirect::permanent("/redaction/")
}

#[derive(Deserialize)]
pub(crate) struct DashboardQuery {
    etat: Option<String>,
    q: Option<String>,
    rubrique: Option<String>,
    auteur: Option<String>,
    page: Option<String>,
}

/// Authors the dashboard's filter offers, by name.
const AUTHOR_FILTER_SIZE: u32 = 2_000;

#[derive(Serialize)]
struct DashboardRow {
    id: ArticleId,
    headline: String,
    status: &'static str,
    status_label: &'static str,
    section: String,
    mine: bool,
    path: Option<String>,
    authors: String,
    updated: String,
    last_editor: Option<String>,
    scheduled: Option<String>,
}

impl DashboardRow {
    fn new(state: &AppState, me: rotative_domain::UserId, row: rotative_store::StoryRow) -> Self {
        Self {
            id: row.id,
            mine: row.created_by == Some(me),
            headline: row.headline,
            status: row.status.as_str(),
            status_label: state_fr(row.status),
            section: row.section,
            path: row.path.filter(|_| row.status == ArticleStatus::Published),
            authors: row.authors.join(", "),
            updated: when(state, row.updated_at.as_second()),
            last_editor: row.last_editor,
            scheduled: row
                .scheduled_at
                .filter(|_| row.status == ArticleStatus::Scheduled)
                .map(|at| when(state, at.as_second())),
        }
    }
}

pub(crate) async fn dashboard(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<DashboardQuery>,
) -> Result<Html<String>, AppError> {
    let status = query
        .etat
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| ArticleStatus::parse(s).ok());
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let section = query.rubrique.as_deref().filter(|s| !s.is_empty());
    let author = query.auteur.as_deref().filter(|s| !s.is_empty());
    let page_number = match query.page.as_deref() {
        None | Some("") => PageNumber::FIRST,
        Some(typed) => PageNumber::parse(typed).map_err(|_| AppError::NotFound)?,
    };
    // Contributors see only their own work; everyone sees their own first.
    let only_own = who.actor().dashboard_scope();
    let filter = StoryFilter {
        status,
        headline_contains: search,
        created_by: only_own,
        section,
        author,
        first_by: Some(who.user.id),
    };
    let offset = page_number.offset(DASHBOARD_PAGE);
    // One more than a page, to know whether another follows.
    let mut rows = state
        .store
        .newsroom_stories(&filter, DASHBOARD_PAGE + 1, offset)
        .await?;
    let more = rows.len() > DASHBOARD_PAGE as usize;
    rows.truncate(DASHBOARD_PAGE as usize);
    if rows.is_empty() && page_number != PageNumber::FIRST {
        return Err(AppError::NotFound);
    }
    let rows: Vec<DashboardRow> = rows
        .into_iter()
        .map(|row| DashboardRow::new(&state, who.user.id, row))
        .collect();
    let counts: Vec<_> = state
        .store
        .count_by_status(only_own)
        .await?
        .into_iter()
        .map(|(status, count)| {
            minijinja::context! { value => status.as_str(), label => state_fr(status), count => count }
        })
        .collect();
    let page_url = |n: u32| {
        let kept: Vec<(&str, String)> = [
            ("etat", status.map(|s| s.as_str().to_owned())),
            ("q", search.map(str::to_owned)),
            ("rubrique", section.map(str::to_owned)),
            ("auteur", author.map(str::to_owned)),
            ("page", (n > 1).then(|| n.to_string())),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
        match serde_urlencoded::to_string(kept).unwrap_or_default() {
            query if query.is_empty() => "/redaction/".to_owned(),
            query => format!("/redaction/?{query}"),
        }
    };
    let n = page_number.get();
    // The state tabs keep the other filters.
    let other_filters: Vec<(&str, &str)> =
        [("q", search), ("rubrique", section), ("auteur", author)]
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| (name, value)))
            .collect();
    let other_filters = serde_urlencoded::to_string(other_filters).unwrap_or_default();
    let notices: Vec<NoticeView> = if who.unread_notifications > 0 {
        let unread = state
            .newsroom()
            .notifications(&who.actor(), true, None, DASHBOARD_NOTICES)
            .await?;
        unread
            .iter()
            .map(|notice| NoticeView::new(&state, notice))
            .collect()
    } else {
        Vec::new()
    };
    let page = minijinja::context! {
        notices => notices,
        rows => rows,
        counts => counts,
        selected => status.map(ArticleStatus::as_str),
        q => search,
        sections => state.store.sections().await?.into_iter()
            .map(|(_, s)| (s.slug.to_string(), s.name.to_string())).collect::<Vec<_>>(),
        section => section,
        authors => state.store.byline_names(AUTHOR_FILTER_SIZE).await?,
        author => author,
        number => n,
        all_url => if other_filters.is_empty() { "/redaction/".to_owned() } else { format!("/redaction/?{other_filters}") },
        filters => if other_filters.is_empty() { String::new() } else { format!("&{other_filters}") },
        previous => (n > 1).then(|| page_url(n - 1)),
        next => more.then(|| page_url(n + 1)),
    };
    Ok(Html(render(&state, &who, "newsroom/dashboard.html", page)?))
}

#[derive(Serialize)]
struct ActionButton {
    value: &'static str,
    label: &'static str,
    needs_time: bool,
}

/// What the editor writes: a story, or a page of the site (no section, kind, subjects, bylines
/// or claim).
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Writing {
    Story,
    Page,
}

#[derive(Serialize)]
struct EditorPage<'a> {
    id: Option<ArticleId>,
    writing: Writing,
    form: &'a StoryForm,
    errors: &'a [FieldError],
    kinds: Vec<(&'static str, &'static str)>,
    ratings: Vec<(&'static str, &'static str)>,
    sections: Vec<String>,
    /// Editors may type a new section; others choose from the list.
    can_create_sections: bool,
    known_tags: Vec<String>,
    status_label: Option<&'static str>,
    path: Option<String>,
    actions: Vec<ActionButton>,
    can_correct: bool,
    preview_html: Option<String>,
    conflict: Option<Vec<DiffSegment>>,
    /// What the last save or action did, said once it went through.
    done: Option<&'static str>,
    /// The errors are why an action (not a save) was refused.
    action_refused: bool,
    /// A public note or a publication time as typed, shown again beside why it was refused.
    note: Option<String>,
    scheduled_at: Option<String>,
    /// « 2 décembre 2026 à 7 h 00 », for a scheduled story.
    scheduled_for: Option<String>,
    /// Images the text shows without alt text: publication waits for them.
    missing_alt: Option<String>,
    uploaded: Option<UploadedImage>,
    max_upload_megabytes: u64,
    /// The story's slug, or the one typed and refused; none where the actor may not change it.
    slug: Option<String>,
}

/// What the editor shows besides the form, depending on how it was reached.
#[derive(Default)]
struct Extras {
    preview_html: Option<String>,
    conflict: Option<Vec<DiffSegment>>,
    done: Option<&'static str>,
    action_refused: bool,
    note: Option<String>,
    scheduled_at: Option<String>,
    /// An image just uploaded from the editor, to be placed in the text.
    uploaded: Option<MediaRecord>,
    /// A slug as typed, shown again beside why it was refused.
    slug: Option<String>,
}

/// An image just added to the library, with the Markdown that places it in a story.
#[derive(Serialize)]
pub(crate) struct UploadedImage {
    pub key: String,
    pub markdown: String,
    pub edit_url: String,
}

impl From<&MediaRecord> for UploadedImage {
    fn from(media: &MediaRecord) -> Self {
        Self {
            key: media.storage_key.clone(),
            markdown: format!(
                "![{}](media:{})",
                media.description.alt.as_deref().unwrap_or_default(),
                media.storage_key
            ),
            edit_url: format!("/redaction/medias/{}", media.id.0),
        }
    }
}

/// The preview beside the text: there when the story opens, with or without JavaScript
/// (`body_html` when the body was just rendered). A body the renderer refuses has none: the
/// errors say why.
async fn preview_beside(
    state: &AppState,
    who: &SignedIn,
    form: &StoryForm,
    body_html: Option<String>,
) -> Result<Option<String>, AppError> {
    let body_html = match body_html {
        Some(html) => html,
        None if form.body.trim().is_empty() => return Ok(None),
        // Whatever keeps the preview from being made (a body the renderer refuses, a busy
        // renderer) leaves the page without it, never without the editor and its text.
        None => match state.newsroom().preview(&who.actor(), &form.body).await {
            Ok(html) => html,
            Err(NewsroomError::Body(_)) => return Ok(None),
            Err(other) => {
                tracing::warn!(error = %other, "no preview beside the editor");
                return Ok(None);
            }
        },
    };
    render(
        state,
        who,
        "newsroom/preview.html",
        PreviewView::new(form, &body_html),
    )
    .map(Some)
}

async fn editor_page(
    state: &AppState,
    who: &SignedIn,
    story: Option<&EditableStory>,
    form: &StoryForm,
    errors: &[FieldError],
    extras: Extras,
) -> Result<String, AppError> {
    let missing_alt = state.newsroom().images_without_alt(&form.body).await?;
    let actor = who.actor();
    let writing = if story.map_or(form.page, |story| story.is_page) {
        Writing::Page
    } else {
        Writing::Story
    };
    let actions = story
        .map(|story| {
            // A story on the front page but not leading may be made the lead or taken off.
            let (may_lead, may_leave) = match story.front_page_slot {
                Some(0) => (false, true),
                Some(_) => (true, true),
                None => (true, false),
            };
            [
                (StoryAction::Submit, true),
                (StoryAction::ReturnToDraft, true),
                (StoryAction::Publish, true),
                (StoryAction::Schedule, true),
                (StoryAction::Unpublish, true),
                (StoryAction::Pin, may_lead),
                (StoryAction::Unpin, may_leave),
            ]
            .into_iter()
            .filter(|(_, offered)| *offered)
            .map(|(action, _)| action)
            .filter(|action| actor.may(*action, story).is_ok())
            .map(|action| ActionButton {
                value: action.as_str(),
                label: action.label_fr(),
                needs_time: action == StoryAction::Schedule,
            })
            .collect()
        })
        .unwrap_or_default();
    let can_correct = story.is_some_and(|story| actor.may(StoryAction::Correct, story).is_ok());
    let preview_html = preview_beside(state, who, form, extras.preview_html).await?;
    let page = EditorPage {
        id: story.map(|s| s.id),
        writing,
        form,
        errors,
        ratings: rotative_domain::ClaimRating::ALL
            .into_iter()
            .map(|r| (r.as_str(), r.label_fr()))
            .collect(),
        kinds: ArticleKind::ALL
            .into_iter()
            .map(|k| (k.as_str(), k.label_fr()))
            .collect(),
        sections: state
            .store
            .sections()
            .await?
            .into_iter()
            .filter(|(_, s)| !s.has_reserved_slug())
            .map(|(_, s)| s.name.to_string())
            .collect(),
        can_create_sections: rotative_domain::workflow::can_manage_taxonomy(who.user.role),
        known_tags: state.store.tag_names(200).await?,
        status_label: story.map(|s| state_fr(s.status)),
        path: story.and_then(|s| {
            s.path
                .as_ref()
                .filter(|_| s.status == ArticleStatus::Published)
                .map(ToString::to_string)
        }),
        actions,
        can_correct,
        preview_html,
        conflict: extras.conflict,
        done: extras.done,
        action_refused: extras.action_refused,
        note: extras.note,
        // The time a scheduled story goes out: said in words, and ready in the date field.
        scheduled_for: story
            .filter(|s| s.status == ArticleStatus::Scheduled)
            .and_then(|s| s.scheduled_at)
            .map(|at| rotative_render::DateView::new(at, &state.site().time_zone).display),
        scheduled_at: extras.scheduled_at.or_else(|| {
            story
                .and_then(|s| s.scheduled_at)
                .map(|at| local_input(at, &state.site().time_zone))
        }),
        // Said once: not again when it is already why an action or a save was refused.
        missing_alt: (!missing_alt.is_empty())
            .then(|| messages::missing_alt(&missing_alt))
            .filter(|warning| errors.iter().all(|error| error.message != *warning)),
        uploaded: extras.uploaded.as_ref().map(UploadedImage::from),
        max_upload_megabytes: state.upload_limits.max_bytes / (1024 * 1024),
        slug: story
            .filter(|story| actor.may_edit(story))
            .map(|story| extras.slug.unwrap_or_else(|| story.slug.to_string())),
    };
    render(state, who, "newsroom/editor.html", page)
}

pub(crate) async fn new_story(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, AppError> {
    let form = StoryForm {
        kind: ArticleKind::News.as_str().into(),
        authors: who.user.name.to_string(),
        ..StoryForm::default()
    };
    Ok(Html(
        editor_page(&state, &who, None, &form, &[], Extras::default()).await?,
    ))
}

/// Checks the size limit first, so an oversized body is refused with the text kept in the form.
pub(crate) fn too_large(form: &StoryForm) -> Option<FieldError> {
    (form.body.len() > MAX_BODY_BYTES).then(|| FieldError {
        field: "body".into(),
        message: messages::body_too_large(MAX_BODY_BYTES / 1024),
    })
}

async fn form_problem(
    state: &AppState,
    who: &SignedIn,
    story: Option<&EditableStory>,
    form: &StoryForm,
    status: StatusCode,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let html = editor_page(state, who, story, form, errors, Extras::default()).await?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<StoryForm>,
) -> Result<Response, AppError> {
    create_draft(&state, &who, form).await
}

/// « Nouvelle page »: the editor, for a page of the site.
pub(crate) async fn new_page(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, AppError> {
    who.actor().manages_sections()?;
    let form = StoryForm::default().into_page();
    Ok(Html(
        editor_page(&state, &who, None, &form, &[], Extras::default()).await?,
    ))
}

pub(crate) async fn create_page(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<StoryForm>,
) -> Result<Response, AppError> {
    who.actor().manages_sections()?;
    create_draft(&state, &who, form.into_page()).await
}

/// Stores a new story, or (`form.page`) page, from its form: or shows the form again with what
/// to fix.
async fn create_draft(
    state: &AppState,
    who: &SignedIn,
    form: StoryForm,
) -> Result<Response, AppError> {
    let shown = |status, errors: Vec<FieldError>, preview_html| {
        let form = &form;
        async move {
            let extras = Extras {
                preview_html,
                ..Extras::default()
            };
            let html = editor_page(state, who, None, form, &errors, extras).await?;
            Ok::<_, AppError>((status, Html(html)).into_response())
        }
    };
    if let Some(error) = too_large(&form) {
        return shown(StatusCode::PAYLOAD_TOO_LARGE, vec![error], None).await;
    }
    let content = match content_from_form(state, &form, &who.user).await {
        Ok(content) => content,
        Err(AppError::Invalid(errors)) => {
            return shown(StatusCode::UNPROCESSABLE_ENTITY, errors, None).await;
        }
        Err(other) => return Err(other),
    };
    if form.intent == "preview" {
        return shown(StatusCode::OK, Vec::new(), Some(content.body_html)).await;
    }
    let id = if form.page {
        state.newsroom().create_page(&who.actor(), content).await?
    } else {
        state.newsroom().create_draft(&who.actor(), content).await?
    };
    Ok(confirmed(id, StoryAction::Edit))
}

/// Back to the editor, which confirms what was just done.
fn confirmed(id: ArticleId, action: StoryAction) -> Response {
    Redirect::to(&format!(
        "/redaction/articles/{id}?fait={}",
        action.as_str()
    ))
    .into_response()
}

async fn story_or_404(state: &AppState, id: ArticleId) -> Result<EditableStory, AppError> {
    state
        .store
        .story_for_edit(id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub(crate) struct EditQuery {
    /// Set after a save or an action went through: which one, to confirm it.
    fait: Option<String>,
    /// Set after an upload from the editor without JavaScript: the image to place in the text.
    image: Option<String>,
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<ArticleId>,
    Query(query): Query<EditQuery>,
) -> Result<Html<String>, AppError> {
    let story = story_to_open(&state, &who, id).await?;
    let form = StoryForm::from_story(&story);
    let uploaded = match query.image {
        Some(key) => state.store.media_by_key(&key).await?,
        None => None,
    };
    let done = query
        .fait
        .as_deref()
        .and_then(|action| StoryAction::parse(action).ok())
        .map(messages::action_done);
    let extras = Extras {
        done,
        uploaded,
        ..Extras::default()
    };
    Ok(Html(
        editor_page(&state, &who, Some(&story), &form, &[], extras).await?,
    ))
}

/// Whether the editor opens on this story for this person: those who may edit it, and its
/// writer (who reads it while it waits for review, say).
/// The story, if `who` may open it in the editor (or see it whole with « voir en grand »).
async fn story_to_open(
    state: &AppState,
    who: &SignedIn,
    id: ArticleId,
) -> Result<EditableStory, AppError> {
    let story = story_or_404(state, id).await?;
    if !who.actor().may_open(&story) {
        return Err(AppError::Forbidden);
    }
    Ok(story)
}

/// A save request, checked: either content ready to store, or why it is refused.
#[expect(
    clippy::large_enum_variant,
    reason = "one short-lived value per request"
)]
pub(crate) enum Checked {
    Ready(EditableStory, StoryContent),
    Refused(EditableStory, StatusCode, Vec<FieldError>),
}

/// What every save shares (the editor's, the autosave, the API's): permission, size, images,
/// fields.
pub(crate) async fn check_save(
    state: &AppState,
    account: &User,
    story: EditableStory,
    form: &StoryForm,
) -> Result<Checked, AppError> {
    rotative_newsroom::Actor::from(account).may(StoryAction::Edit, &story)?;
    let page_form;
    let form = if story.is_page {
        page_form = form.clone().into_page();
        &page_form
    } else {
        form
    };
    if let Some(error) = too_large(form) {
        return Ok(Checked::Refused(
            story,
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![error],
        ));
    }
    if matches!(
        story.status,
        ArticleStatus::Published | ArticleStatus::Scheduled
    ) {
        let missing = state
            .newsroom()
            .newly_undescribed(&story.body_markdown, &form.body)
            .await?;
        if !missing.is_empty() {
            let error = FieldError {
                field: "body".into(),
                message: messages::missing_alt(&missing),
            };
            return Ok(Checked::Refused(
                story,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![error],
            ));
        }
    }
    match content_from_form(state, form, account).await {
        Ok(content) => Ok(Checked::Ready(story, content)),
        Err(AppError::Invalid(errors)) => Ok(Checked::Refused(
            story,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )),
        Err(other) => Err(other),
    }
}

/// Stores checked content as the writer's save, from the revision their form was written from;
/// the store checks again, inside the save, that the story is still theirs to edit.
async fn store_save(
    state: &AppState,
    who: &SignedIn,
    story: &EditableStory,
    form: &StoryForm,
    content: &StoryContent,
    kind: SaveKind,
) -> Result<SaveOutcome, AppError> {
    let base = form.base_revision.unwrap_or(story.current_revision_id);
    Ok(state
        .newsroom()
        .save(&who.actor(), story, content, base, kind)
        .await?)
}

pub(crate) async fn save(
    State(state): State<AppState>,
    Path(id): Path<ArticleId>,
    CsrfForm { who, form }: CsrfForm<StoryForm>,
) -> Result<Response, AppError> {
    let (story, content) =
        match check_save(&state, &who.user, story_or_404(&state, id).await?, &form).await? {
            Checked::Ready(story, content) => (story, content),
            Checked::Refused(story, status, errors) => {
                return form_problem(&state, &who, Some(&story), &form, status, &errors).await;
            }
        };
    if form.intent == "preview" {
        let extra = Extras {
            preview_html: Some(content.body_html),
            ..Extras::default()
        };
        let html = editor_page(&state, &who, Some(&story), &form, &[], extra).await?;
        return Ok(Html(html).into_response());
    }
    match store_save(&state, &who, &story, &form, &content, SaveKind::Edit).await? {
        SaveOutcome::Saved { .. } => Ok(confirmed(id, StoryAction::Edit)),
        SaveOutcome::StateChanged { .. } => {
            // The text stays in the form: nothing typed is lost.
            let current = story_or_404(&state, id).await?;
            let error = FieldError {
                field: "body".into(),
                message: messages::STATE_CHANGED.into(),
            };
            form_problem(
                &state,
                &who,
                Some(&current),
                &form,
                StatusCode::CONFLICT,
                &[error],
            )
            .await
        }
        SaveOutcome::Conflict { .. } => {
            // Show the current text with what this person typed, as a diff; their text is kept.
            let current = story_or_404(&state, id).await?;
            let [diff] = compare(
                &state,
                who.user.id,
                [(current.body_markdown.clone(), form.body.clone())],
            )
            .await?;
            let mut form = form;
            form.base_revision = Some(current.current_revision_id);
            let html = editor_page(
                &state,
                &who,
                Some(&current),
                &form,
                &[],
                Extras {
                    conflict: Some(diff),
                    ..Extras::default()
                },
            )
            .await?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
    }
}

/// What the editor's script learns from an autosave.
#[derive(Serialize)]
struct AutosaveReply {
    status: &'static str,
    base_revision: Option<RevisionId>,
    messages: Vec<String>,
}

/// Saves in the background while someone writes (the editor's script calls it every few
/// seconds and when the page is left). Same checks as a save; answers JSON.
pub(crate) async fn autosave(
    State(state): State<AppState>,
    Path(id): Path<ArticleId>,
    CsrfForm { who, form }: CsrfForm<StoryForm>,
) -> Result<Response, AppError> {
    let reply = |status: StatusCode,
                 name: &'static str,
                 base_revision: Option<RevisionId>,
                 messages: Vec<String>| {
        (
            status,
            Json(AutosaveReply {
                status: name,
                base_revision,
                messages,
            }),
        )
            .into_response()
    };
    let (story, content) =
        match check_save(&state, &who.user, story_or_404(&state, id).await?, &form).await? {
            Checked::Ready(story, content) => (story, content),
            Checked::Refused(_, status, errors) => {
                return Ok(reply(
                    status,
                    "invalid",
                    None,
                    errors.into_iter().map(|e| e.message).collect(),
                ));
            }
        };
    Ok(
        match store_save(&state, &who, &story, &form, &content, SaveKind::Autosave).await? {
            SaveOutcome::Saved { revision_id } => {
                reply(StatusCode::OK, "saved", Some(revision_id), Vec::new())
            }
            SaveOutcome::StateChanged { .. } => reply(
                StatusCode::CONFLICT,
                "invalid",
                None,
                vec![messages::STATE_CHANGED.into()],
            ),
            SaveOutcome::Conflict {
                current_revision_id,
                ..
            } => reply(
                StatusCode::CONFLICT,
                "conflict",
                Some(current_revision_id),
                Vec::new(),
            ),
        },
    )
}

/// The body as readers will see it, for the editor's live preview.
#[derive(Deserialize)]
pub(crate) struct PreviewQuery {
    /// Present when the editor writes a page of the site.
    page: Option<String>,
}

pub(crate) async fn preview(
    State(state): State<AppState>,
    Query(query): Query<PreviewQuery>,
    CsrfForm { who, mut form }: CsrfForm<StoryForm>,
) -> Result<Response, AppError> {
    // Only how the preview looks: a save never takes its kind of text from the client.
    form.page = query.page.is_some();
    if too_large(&form).is_some() {
        return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    }
    Ok(
        match state.newsroom().preview(&who.actor(), &form.body).await {
            Ok(body_html) => Html(render(
                &state,
                &who,
                "newsroom/preview.html",
                PreviewView::new(&form, &body_html),
            )?)
            .into_response(),
            Err(NewsroomError::Body(problem)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(vec![messages::body_problem(&problem)]),
            )
                .into_response(),
            Err(other) => return Err(other.into()),
        },
    )
}

/// « Voir en grand »: the whole page as readers will see it once published, from the story's
/// saved text, without publishing it.
pub(crate) async fn full_preview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<ArticleId>,
) -> Result<Response, AppError> {
    let story = story_to_open(&state, &who, id).await?;
    let body_html = state
        .newsroom()
        .preview(&who.actor(), &story.body_markdown)
        .await?;
    let site = state.site();
    let now = jiff::Timestamp::now();
    let article = rotative_domain::Article {
        id: story.id,
        path: rotative_newsroom::public_path(&story, now, &site.time_zone),
        is_page: story.is_page,
        slug: story.slug,
        headline: story.headline,
        standfirst: story.standfirst,
        body_html,
        kind: story.kind,
        status: story.status,
        section: story.section,
        tags: story.tags,
        authors: story.authors,
        lead_image: None,
        sources: story.sources,
        claim: story.claim,
        search_and_social: story.search_and_social,
        published_at: story.published_at,
        updated_at: now,
    };
    let nav = state.nav().await?;
    let html = state
        .pages(&site, &nav)
        .article_preview(&article, &format!("/redaction/articles/{id}"))?;
    // Embeds load on a click, as on the published page: their frames, and nothing else.
    let policy = crate::policy::content_security_policy(crate::policy::Allowed {
        scripts: true,
        connect: false,
        frames: &rotative_render::embed_origins(&article.body_html),
    });
    Ok(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response())
}

/// The story as readers will see its top and its text: what the preview beside the editor shows.
#[derive(Serialize)]
struct PreviewView<'a> {
    /// A page of the site: no kind, section or byline.
    is_page: bool,
    kind: &'static str,
    kind_label: &'static str,
    section: &'a str,
    headline: &'a str,
    standfirst: &'a str,
    authors: Vec<&'a str>,
    claim_text: &'a str,
    claim_author: &'a str,
    claim_rating: Option<&'static str>,
    body_html: &'a str,
}

impl<'a> PreviewView<'a> {
    fn new(form: &'a StoryForm, body_html: &'a str) -> Self {
        let kind = ArticleKind::parse(&form.kind).unwrap_or(ArticleKind::News);
        let is_fact_check = kind == ArticleKind::FactCheck;
        Self {
            is_page: form.page,
            kind: kind.as_str(),
            kind_label: kind.label_fr(),
            section: form.section.trim(),
            headline: form.headline.trim(),
            standfirst: form.standfirst.trim(),
            authors: form
                .authors
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .collect(),
            claim_text: if is_fact_check {
                form.claim_text.trim()
            } else {
                ""
            },
            claim_author: form.claim_author.trim(),
            claim_rating: rotative_domain::ClaimRating::parse(&form.claim_rating)
                .ok()
                .filter(|_| is_fact_check)
                .map(rotative_domain::ClaimRating::label_fr),
            body_html,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct ActionForm {
    action: String,
    #[serde(default)]
    scheduled_at: String,
    /// The revision the person read before acting: publishing goes ahead only if it is still
    /// the story's text.
    revision: Option<RevisionId>,
}

pub(crate) async fn act(
    State(state): State<AppState>,
    Path(id): Path<ArticleId>,
    CsrfForm { who, form }: CsrfForm<ActionForm>,
) -> Result<Response, AppError> {
    let story = story_or_404(&state, id).await?;
    let action = StoryAction::parse(&form.action)
        .map_err(|_| AppError::BadRequest(messages::UNKNOWN_ACTION))?;
    if matches!(action, StoryAction::Edit | StoryAction::Correct) {
        return Err(AppError::BadRequest(messages::UNKNOWN_ACTION));
    }
    let time_zone = state.site().time_zone.clone();
    let act = Act {
        action,
        scheduled_for: local_time(&time_zone, &form.scheduled_at),
        reviewed: form.revision,
    };
    let done = state
        .newsroom()
        .act(&who.actor(), &story, act, &time_zone)
        .await;
    let kept = Extras {
        scheduled_at: Some(form.scheduled_at),
        ..Extras::default()
    };
    after_action(&state, &who, id, action, done, kept).await
}

/// Once an action was tried: the editor with its confirmation, or with why it was refused and
/// what the person typed for it (`kept`).
async fn after_action(
    state: &AppState,
    who: &SignedIn,
    id: ArticleId,
    action: StoryAction,
    done: Result<(), NewsroomError>,
    kept: Extras,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(confirmed(id, action)),
        Err(error) => {
            let field = refused_field(&error);
            refused_in_editor(state, who, id, error.into(), field, kept).await
        }
    }
}

/// Where the editor shows why an action was refused: beside the field or the images it
/// concerns, or with the workflow's buttons.
fn refused_field(error: &NewsroomError) -> &'static str {
    match error {
        NewsroomError::Body(_) | NewsroomError::Refused(Refusal::ImagesWithoutAlt(_)) => "body",
        NewsroomError::Refused(Refusal::ScheduledInThePast | Refusal::NoScheduledTime) => {
            "scheduled_at"
        }
        NewsroomError::Refused(Refusal::NoteLength) => "note",
        _ => "etapes",
    }
}

/// The editor again, as the story now stands, with the reason an action was refused beside
/// what it concerns and what the person typed for it; anything that is not the story's or the
/// request's fault (rights, our service) stays an error page.
async fn refused_in_editor(
    state: &AppState,
    who: &SignedIn,
    id: ArticleId,
    error: AppError,
    field: &'static str,
    kept: Extras,
) -> Result<Response, AppError> {
    let Some((status, message)) = error.refusal() else {
        return Err(error);
    };
    let story = story_or_404(state, id).await?;
    if !who.actor().may_open(&story) {
        return Err(error);
    }
    let form = StoryForm::from_story(&story);
    let errors = [FieldError {
        field: field.into(),
        message,
    }];
    let extras = Extras {
        action_refused: true,
        ..kept
    };
    let html = editor_page(state, who, Some(&story), &form, &errors, extras).await?;
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct CorrectionForm {
    kind: String,
    note: String,
}

#[derive(Deserialize)]
pub(crate) struct SlugForm {
    #[serde(default)]
    slug: String,
}

/// A story's new slug: once published, its address changes and the former one answers 301.
pub(crate) async fn change_slug(
    State(state): State<AppState>,
    Path(id): Path<ArticleId>,
    CsrfForm { who, form }: CsrfForm<SlugForm>,
) -> Result<Response, AppError> {
    let story = story_or_404(&state, id).await?;
    match state
        .newsroom()
        .change_slug(&who.actor(), &story, &form.slug)
        .await
    {
        Ok(_) => Ok(confirmed(id, StoryAction::Edit)),
        Err(error) => {
            let kept = Extras {
                slug: Some(form.slug),
                ..Extras::default()
            };
            refused_in_editor(&state, &who, id, error.into(), "slug", kept).await
        }
    }
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<ArticleId>,
    CsrfForm { who, form }: CsrfForm<CorrectionForm>,
) -> Result<Response, AppError> {
    let story = story_or_404(&state, id).await?;
    who.actor().may(StoryAction::Correct, &story)?;
    let kind = CorrectionKind::parse(&form.kind)
        .ok_or(AppError::BadRequest(messages::UNKNOWN_NOTE_KIND))?;
    let done = state
        .newsroom()
        .correct(&who.actor(), &story, kind, &form.note)
        .await;
    let kept = Extras {
        note: Some(form.note),
        ..Extras::default()
    };
    after_action(&state, &who, id, StoryAction::Correct, done, kept).await
}
