//! Editing through the API: a story as the newsroom holds it, in any state, with the revision
//! it stands at as its `ETag`; changes sent under `If-Match` of that revision, so an edit made
//! from an older text is refused (412) and kept in the history, never applied over a newer one;
//! the revisions, their comparison and restoring one, as on the story's history page.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State, rejection::BytesRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{ArticleStatus, RevisionId};
use rotative_store::{EditableStory, SaveKind, SaveOutcome};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{
    caller::Caller,
    json,
    params::Params,
    write::{
        ClaimInput, SourceInput, StoryInput, body_or_default, in_api_words, no_such_story,
        story_named,
    },
};
use crate::{
    AppError, AppState,
    error::Problem,
    messages::{self, api as api_messages},
    newsroom::{
        history::{DiffSegment, RevisionDiff, restore_revision, revision_diff},
        stories::{Checked, check_save},
    },
};

/// The entity tag of a story's revision: what an edit's `If-Match` names.
pub(crate) fn revision_tag(revision: RevisionId) -> HeaderValue {
    HeaderValue::try_from(format!("\"rev-{revision}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// What an edit's `If-Match` asks of the story.
enum Expected {
    /// `*`: whatever the story's text is now.
    Current,
    /// Any of these revisions (the first is the base of an edit that no longer matches).
    Revisions(Vec<RevisionId>),
    /// Tags that name no revision: they cannot match.
    Nothing,
}

fn expected(headers: &HeaderMap) -> Result<Expected, AppError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?
        .to_str()
        .unwrap_or_default()
        .trim();
    if value == "*" {
        return Ok(Expected::Current);
    }
    // Only a strong tag matches (RFC 9110, 13.1.1); a list matches if any of its tags does.
    let revisions: Vec<RevisionId> = value
        .split(',')
        .filter_map(|tag| {
            tag.trim()
                .strip_prefix("\"rev-")?
                .strip_suffix('"')?
                .parse()
                .ok()
                .map(RevisionId)
        })
        .collect();
    Ok(if revisions.is_empty() {
        Expected::Nothing
    } else {
        Expected::Revisions(revisions)
    })
}

/// A story as the newsroom edits it, in any state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EditableView {
    id: i64,
    /// `draft`, `in_review`, `scheduled`, `published` or `unpublished`.
    status: &'static str,
    /// The revision the text stands at, also given as the `ETag` an edit sends in `If-Match`.
    revision: i64,
    /// Its page, once published.
    url: Option<String>,
    /// On the front page, in one of its slots (`pin` makes it the lead, `unpin` takes it off).
    pinned: bool,
    #[schema(value_type = Option<String>, format = DateTime)]
    published_at: Option<Timestamp>,
    #[serde(flatten)]
    story: StoryInput,
}

fn editable_answer(state: &AppState, story: &EditableStory) -> Response {
    let mut answer = json(&EditableView {
        id: story.id.0,
        status: story.status.as_str(),
        revision: story.current_revision_id.0,
        url: story
            .path
            .as_ref()
            .filter(|_| story.status == ArticleStatus::Published)
            .map(|path| state.site().absolute(path.as_ref())),
        pinned: story.front_page_slot.is_some(),
        published_at: story.published_at,
        story: StoryInput::from(story),
    });
    answer
        .headers_mut()
        .insert(header::ETAG, revision_tag(story.current_revision_id));
    answer
}

/// The story, if the account may open it in the newsroom: stories it may edit, and its own.
async fn story_for(state: &AppState, caller: &Caller, id: &str) -> Result<EditableStory, AppError> {
    let story = story_named(state, id).await?;
    let actor = caller.actor();
    if actor.may_edit(&story) || actor.may_see_history(&story) {
        Ok(story)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A story as the newsroom holds it, in any state (drafts included): its fields as `POST
/// /api/v1/stories` takes them, its state, and the revision it stands at (`ETag`).
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}/editable",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'article.")),
    responses(
        (status = 200, description = "L'article tel que la rédaction le modifie ; l'en-tête `ETag` nomme sa version.", body = EditableView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne lui permet pas d'ouvrir cet article.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn editable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let story = story_for(&state, &caller, &id).await?;
    Ok(editable_answer(&state, &story))
}

/// A field an edit may leave out (kept), send as `null` (removed) or give (replaced).
#[derive(Debug, Default)]
enum Change<T> {
    #[default]
    Keep,
    Remove,
    Set(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Set(value),
            None => Self::Remove,
        })
    }
}

impl<T> Change<T> {
    fn apply_to(self, field: &mut Option<T>) {
        match self {
            Self::Keep => {}
            Self::Remove => *field = None,
            Self::Set(value) => *field = Some(value),
        }
    }
}

fn replace<T>(field: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *field = value;
    }
}

/// The fields an edit changes; the others stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoryPatch {
    headline: Option<String>,
    /// `null` or `""` removes it.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    standfirst: Change<String>,
    /// Markdown.
    body: Option<String>,
    section: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    subjects: Option<Vec<String>>,
    authors: Option<Vec<String>>,
    sources: Option<Vec<SourceInput>>,
    /// `null` removes it (a fact-check must then change its `type`).
    #[serde(default)]
    #[schema(value_type = Option<ClaimInput>)]
    claim: Change<ClaimInput>,
    /// `null` or `""` removes it: the headline stands in.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    search_headline: Change<String>,
    /// `null` or `""` removes it: the headline stands in.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    social_headline: Change<String>,
    /// `null` or `""` removes it: the standfirst stands in.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    social_description: Change<String>,
}

impl StoryPatch {
    fn apply_to(self, story: &mut StoryInput) {
        let Self {
            headline,
            standfirst,
            body,
            section,
            kind,
            subjects,
            authors,
            sources,
            claim,
            search_headline,
            social_headline,
            social_description,
        } = self;
        replace(&mut story.headline, headline);
        standfirst.apply_to(&mut story.standfirst);
        replace(&mut story.body, body);
        replace(&mut story.section, section);
        if kind.is_some() {
            story.kind = kind;
        }
        replace(&mut story.subjects, subjects);
        replace(&mut story.authors, authors);
        replace(&mut story.sources, sources);
        claim.apply_to(&mut story.claim);
        search_headline.apply_to(&mut story.search_headline);
        social_headline.apply_to(&mut story.social_headline);
        social_description.apply_to(&mut story.social_description);
    }
}

/// Changes a story's fields, as the editor's « Enregistrer » does, from the revision named by
/// `If-Match` (its `ETag`, or `*`). If the story changed since, nothing is applied: 412, with
/// the current revision's `ETag`, and the sent text kept as a revision in the history.
#[utoipa::path(
    patch,
    path = "/api/v1/stories/{id}",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("id" = i64, Path, description = "L'identifiant de l'article."),
        ("If-Match" = String, Header, description = "L'ETag de la version lue (`\"rev-12\"`), ou `*`."),
    ),
    request_body(content = StoryPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "L'article modifié ; l'en-tête `ETag` nomme sa nouvelle version.", body = EditableView),
        (status = 400, description = "JSON illisible, champ inconnu ou de mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte, ou un jeton en lecture seule, ne le permet pas.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'article a changé d'état entre-temps ; rien n'est enregistré.", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "L'article a changé depuis la version lue : le texte envoyé est gardé dans l'historique, pas appliqué.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le corps dépasse 2 Mo, ou le texte 512 Ko.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ est invalide (chacun est nommé dans `errors`).", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "L'en-tête `If-Match` manque.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let expected = expected(&headers)?;
    let patch: Option<StoryPatch> = body_or_default(&headers, body)?;
    let patch = patch.ok_or(AppError::BadJson(api_messages::NO_STORY.to_owned()))?;
    let story = story_named(&state, &id).await?;
    // Rights first: a refused edit learns nothing of the story's revisions.
    actor.may(rotative_domain::StoryAction::Edit, &story)?;
    let base = match expected {
        Expected::Current => story.current_revision_id,
        Expected::Revisions(revisions) if revisions.contains(&story.current_revision_id) => {
            story.current_revision_id
        }
        Expected::Revisions(revisions) => revisions[0],
        Expected::Nothing => {
            return Err(AppError::Stale {
                current: story.current_revision_id,
                kept: None,
            });
        }
    };
    let mut input = StoryInput::from(&story);
    patch.apply_to(&mut input);
    let form = input.into_form()?;
    let (story, content) = match check_save(&state, &caller.user, story, &form).await? {
        Checked::Ready(story, content) => (story, content),
        Checked::Refused(_, StatusCode::PAYLOAD_TOO_LARGE, fields) => {
            return Err(in_api_words(AppError::TooLarge(fields)));
        }
        Checked::Refused(_, _, fields) => return Err(in_api_words(AppError::Invalid(fields))),
    };
    match state
        .newsroom()
        .save(&actor, &story, &content, base, SaveKind::Edit)
        .await?
    {
        SaveOutcome::Saved { .. } => {
            let story = state
                .store
                .story_for_edit(story.id)
                .await?
                .ok_or_else(no_such_story)?;
            Ok(editable_answer(&state, &story))
        }
        SaveOutcome::StateChanged { .. } => {
            Err(AppError::Conflict(messages::STATE_CHANGED.to_owned()))
        }
        SaveOutcome::Conflict {
            kept_revision_id,
            current_revision_id,
        } => Err(AppError::Stale {
            current: current_revision_id,
            kept: Some(kept_revision_id),
        }),
    }
}

/// One revision in a story's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RevisionEntry {
    id: i64,
    #[schema(value_type = String, format = DateTime)]
    at: Timestamp,
    /// Who saved it; `null` for an imported text.
    by: Option<String>,
    headline: String,
    /// A text saved from an older revision than the story's: kept, not applied.
    conflict: bool,
    /// The story's text now.
    current: bool,
}

/// A story's revisions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RevisionList {
    revisions: Vec<RevisionEntry>,
}

/// Every revision of a story, newest first, as its history page lists them (its own writer,
/// editors and administrators).
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}/revisions",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'article.")),
    responses(
        (status = 200, description = "Les versions, de la plus récente à la plus ancienne.", body = RevisionList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne lui permet pas de lire cet historique.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn revisions(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let story = history_of(&state, &caller, &id).await?;
    let revisions = state
        .store
        .revisions(story.id)
        .await?
        .into_iter()
        .map(|revision| RevisionEntry {
            id: revision.id.0,
            at: super::at(revision.at),
            by: revision.user_name,
            headline: revision.headline,
            conflict: revision.conflict,
            current: revision.id == story.current_revision_id,
        })
        .collect();
    Ok(json(&RevisionList { revisions }))
}

async fn history_of(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<EditableStory, AppError> {
    let story = story_named(state, id).await?;
    if caller.actor().may_see_history(&story) {
        Ok(story)
    } else {
        Err(AppError::Forbidden)
    }
}

fn no_such_revision() -> AppError {
    AppError::Missing(api_messages::NO_SUCH_REVISION.to_owned())
}

fn revision_named(revision: &str) -> Result<RevisionId, AppError> {
    revision
        .parse()
        .map(RevisionId)
        .map_err(|_| no_such_revision())
}

/// The text of one revision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RevisionView {
    id: i64,
    headline: String,
    standfirst: Option<String>,
    /// Markdown.
    body: String,
}

/// One revision's text.
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}/revisions/{revision}",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("id" = i64, Path, description = "L'identifiant de l'article."),
        ("revision" = i64, Path, description = "L'identifiant de la version."),
    ),
    responses(
        (status = 200, description = "Le texte de la version.", body = RevisionView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne lui permet pas de lire cet historique.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article ou aucune version n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn revision(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, revision)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let story = history_of(&state, &caller, &id).await?;
    let text = state
        .store
        .revision(story.id, revision_named(&revision)?)
        .await?
        .ok_or_else(no_such_revision)?;
    Ok(json(&RevisionView {
        id: text.id.0,
        headline: text.headline,
        standfirst: text.standfirst,
        body: text.body_markdown,
    }))
}

/// How a revision differs from another, word by word, field by field.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DiffView {
    from: i64,
    to: i64,
    headline: Vec<DiffSegment>,
    standfirst: Vec<DiffSegment>,
    body: Vec<DiffSegment>,
}

/// What changed from one revision to another (by default, from the one before), word by word,
/// as the history page shows it.
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}/revisions/{revision}/diff",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("id" = i64, Path, description = "L'identifiant de l'article."),
        ("revision" = i64, Path, description = "La version comparée."),
        ("from" = Option<i64>, Query, description = "La version plus ancienne ; par défaut, la précédente."),
    ),
    responses(
        (status = 200, description = "Les passages communs, retirés et ajoutés.", body = DiffView),
        (status = 400, description = "Paramètre inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte ne lui permet pas de lire cet historique.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article ou aucune version n'a cet identifiant, ou la version n'a pas de précédente.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, revision)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(query.as_deref(), &["from"])?;
    let from = params.parsed(
        "from",
        |value| value.parse().ok().map(RevisionId),
        || api_messages::NO_SUCH_REVISION.to_owned(),
    );
    params.checked()?;
    let story = history_of(&state, &caller, &id).await?;
    let to = revision_named(&revision)?;
    let from = match from {
        Some(from) => from,
        None => state
            .store
            .revisions(story.id)
            .await?
            .iter()
            .map(|revision| revision.id)
            .find(|&earlier| earlier < to)
            .ok_or_else(no_such_revision)?,
    };
    let text = |revision| {
        let state = &state;
        async move {
            state
                .store
                .revision(story.id, revision)
                .await?
                .ok_or_else(no_such_revision)
        }
    };
    let (old, new) = (text(from).await?, text(to).await?);
    let RevisionDiff {
        headline,
        standfirst,
        body,
    } = revision_diff(&state, caller.user.id, old, new).await?;
    Ok(json(&DiffView {
        from: from.0,
        to: to.0,
        headline,
        standfirst,
        body,
    }))
}

/// Makes a revision's text the story's again, as a new revision (its section, subjects and
/// authors stay), as the history page's « Restaurer » does.
#[utoipa::path(
    post,
    path = "/api/v1/stories/{id}/revisions/{revision}/restore",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("id" = i64, Path, description = "L'identifiant de l'article."),
        ("revision" = i64, Path, description = "La version à restaurer."),
    ),
    responses(
        (status = 200, description = "L'article, avec le texte restauré comme nouvelle version.", body = EditableView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte, ou un jeton en lecture seule, ne le permet pas.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article ou aucune version n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le texte de cette version ne peut plus être restauré, ou l'article a changé entre-temps.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, revision)): Path<(String, String)>,
) -> Result<Response, AppError> {
    caller.writer()?;
    let story = story_named(&state, &id).await?;
    let revision = revision_named(&revision)?;
    if state.store.revision(story.id, revision).await?.is_none() {
        // Said before the rights, as for a story: whether it exists is no secret to an account.
        return Err(no_such_revision());
    }
    restore_revision(&state, &caller.user, &story, revision).await?;
    let story = state
        .store
        .story_for_edit(story.id)
        .await?
        .ok_or_else(no_such_story)?;
    Ok(editable_answer(&state, &story))
}
