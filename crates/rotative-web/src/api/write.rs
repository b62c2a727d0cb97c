//! What an account does through the API, with a `write` token: the same operations as the
//! newsroom's forms (`rotative-newsroom`), under the same rules.

use axum::{
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{ArticleId, CorrectionKind, RevisionId, StoryAction, TokenScope};
use rotative_newsroom::Act;
use rotative_store::EditableStory;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

use super::{caller::Caller, json, views::CorrectionView};
use crate::{
    AppError, AppState, FieldError,
    error::Problem,
    messages::api as messages,
    newsroom::{
        service::{StoryForm, content_from_form},
        stories::too_large,
    },
};

impl Caller {
    /// The account, if the token may act for it.
    pub(super) fn writer(&self) -> Result<rotative_newsroom::Actor, AppError> {
        match self.scope {
            TokenScope::Write => Ok(self.actor()),
            TokenScope::Read => Err(AppError::ReadOnlyToken),
        }
    }
}

/// A JSON body, or the type's default when there is none. Anything else than JSON is a 415;
/// JSON that does not fit, a 400 that says where.
pub(super) fn body_or_default<T: DeserializeOwned + Default>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, AppError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BodyTooLarge
        } else {
            AppError::BadJson(rejection.body_text())
        }
    })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(AppError::NotJson);
    }
    serde_json::from_slice(&body).map_err(|error| AppError::BadJson(error.to_string()))
}

pub(super) fn no_such_story() -> AppError {
    AppError::Missing(messages::NO_SUCH_STORY_FOR_ACCOUNT.to_owned())
}

/// The story an address names by its id, in any state.
pub(super) async fn story_named(state: &AppState, id: &str) -> Result<EditableStory, AppError> {
    let id = id
        .parse::<i64>()
        .map(ArticleId)
        .map_err(|_| no_such_story())?;
    state
        .store
        .story_for_edit(id)
        .await?
        .ok_or_else(no_such_story)
}

/// What an action may carry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionRequest {
    /// When to publish (`schedule` only), RFC 3339.
    #[schema(value_type = Option<String>, format = DateTime)]
    scheduled_at: Option<Timestamp>,
    /// The revision the person read (`publish`, `schedule`): the move happens only if it is
    /// still the story's text.
    revision: Option<i64>,
}

/// Where the story stands after the action.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoryState {
    pub id: i64,
    /// `draft`, `in_review`, `scheduled`, `published` or `unpublished`.
    pub status: &'static str,
    /// Its page, once it has one.
    pub url: Option<String>,
}

/// Moves a story through the workflow, as the newsroom's buttons do: `submit` (for review),
/// `return` (to draft), `publish`, `schedule`, `unpublish`, `pin` and `unpin` (the front page).
#[utoipa::path(
    post,
    path = "/api/v1/stories/{id}/actions/{action}",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(
        ("id" = i64, Path, description = "L'identifiant de l'article."),
        ("action" = String, Path, description = "`submit`, `return`, `publish`, `schedule`, `unpublish`, `pin` ou `unpin`."),
    ),
    request_body(content = Option<ActionRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "L'article après l'action.", body = StoryState),
        (status = 400, description = "Corps illisible, ou action inconnue.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte, ou un jeton en lecture seule, ne permet pas cette action.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le corps dépasse 2 Mo.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'article n'est pas dans un état où l'action s'applique, ou a changé entre-temps.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let action = match action.as_str() {
        "return" => StoryAction::ReturnToDraft,
        "edit" | "correct" | "return_to_draft" => {
            return Err(AppError::Missing(messages::unknown_action(&action)));
        }
        other => StoryAction::parse(other)
            .map_err(|_| AppError::Missing(messages::unknown_action(&action)))?,
    };
    let request: ActionRequest = body_or_default(&headers, body)?;
    let story = story_named(&state, &id).await?;
    let id = story.id;
    let act = Act {
        action,
        scheduled_for: request.scheduled_at,
        reviewed: request.revision.map(RevisionId),
    };
    let time_zone = state.site().time_zone.clone();
    state
        .newsroom()
        .act(&actor, &story, act, &time_zone)
        .await?;
    story_state(&state, id).await
}

/// Where the story stands now, as the actions answer it.
async fn story_state(state: &AppState, id: ArticleId) -> Result<Response, AppError> {
    let story = state
        .store
        .story_for_edit(id)
        .await?
        .ok_or_else(no_such_story)?;
    Ok(json(&StoryState {
        id: story.id.0,
        status: story.status.as_str(),
        url: story
            .path
            .as_ref()
            .filter(|_| story.status == rotative_domain::ArticleStatus::Published)
            .map(|path| state.site().absolute(path.as_ref())),
    }))
}

/// A story's new slug.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlugInput {
    /// The words that end its address, as a slug or as a title (`Le port rouvre` →
    /// `le-port-rouvre`).
    slug: String,
}

/// Gives a story a new slug, as the editor's « Changer l'adresse » does (whoever may edit the
/// story; a published one, the editors). A published story's address changes with it: the
/// former one answers 301 with the new one, and so do the redirects that led to it.
#[utoipa::path(
    post,
    path = "/api/v1/stories/{id}/slug",
    operation_id = "change_slug",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'article.")),
    request_body(content = SlugInput, content_type = "application/json"),
    responses(
        (status = 200, description = "L'article, à sa nouvelle adresse.", body = StoryState),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte, ou un jeton en lecture seule, ne le permet pas.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un autre article a déjà cette adresse.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Une adresse sans lettre ni chiffre.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change_slug(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<SlugInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::NO_SLUG.to_owned()))?;
    let story = story_named(&state, &id).await?;
    state
        .newsroom()
        .change_slug(&actor, &story, &input.slug)
        .await?;
    story_state(&state, story.id).await
}

/// A source of a story: what it is, and where.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceInput {
    pub label: String,
    pub url: String,
}

/// The claim a fact-check examines.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClaimInput {
    pub text: String,
    pub author: Option<String>,
    /// `false`, `mostly_false`, `misleading`, `mixed`, `mostly_true`, `true` or `unproven`.
    pub rating: String,
}

/// A story as a client writes it: the fields of a story file, and its body in Markdown.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoryInput {
    pub headline: String,
    pub standfirst: Option<String>,
    /// Markdown; images are `![alt](media:KEY "caption — credit")` from the media library.
    pub body: String,
    /// A section's name (`Monde`) or identifier; only editors create new sections.
    pub section: String,
    /// `news` (the default), `analysis`, `opinion`, `interview`, `report`, `explainer` or
    /// `factcheck`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Bylines; the account's name when none is given.
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub sources: Vec<SourceInput>,
    /// Fact-checks (`type`: `factcheck`) only.
    pub claim: Option<ClaimInput>,
    /// The page's `<title>` and structured data's headline, when the headline does not suit
    /// search engines (110 characters at most); the headline otherwise.
    #[serde(default)]
    pub search_headline: Option<String>,
    /// The headline of the card a shared link makes (110 characters at most).
    #[serde(default)]
    pub social_headline: Option<String>,
    /// The description of that card (300 characters at most); the standfirst otherwise.
    #[serde(default)]
    pub social_description: Option<String>,
}

/// The API's names for the newsroom form's fields, so a problem names what the client sent.
fn api_field(field: &str) -> &'static str {
    match field {
        "headline" => "headline",
        "standfirst" => "standfirst",
        "body" => "body",
        "section" => "section",
        "tags" => "subjects",
        "authors" => "authors",
        "kind" => "type",
        "sources" => "sources",
        "claim_text" => "claim.text",
        "claim_author" => "claim.author",
        "claim_rating" => "claim.rating",
        "search_headline" => "search_headline",
        "social_headline" => "social_headline",
        "social_description" => "social_description",
        _ => "story",
    }
}

impl From<&EditableStory> for StoryInput {
    fn from(story: &EditableStory) -> Self {
        Self {
            headline: story.headline.to_string(),
            standfirst: story.standfirst.as_ref().map(ToString::to_string),
            body: story.body_markdown.clone(),
            section: story.section.name.to_string(),
            kind: Some(story.kind.as_str().to_owned()),
            subjects: story.tags.iter().map(|tag| tag.name.to_string()).collect(),
            authors: story
                .authors
                .iter()
                .map(|author| author.name.to_string())
                .collect(),
            sources: story
                .sources
                .iter()
                .map(|source| SourceInput {
                    label: source.label.clone(),
                    url: source.url.clone(),
                })
                .collect(),
            claim: story.claim.as_ref().map(|claim| ClaimInput {
                text: claim.text.clone(),
                author: claim.author.clone(),
                rating: claim.rating.as_str().to_owned(),
            }),
            search_headline: text_of(story.search_and_social.search_headline.as_ref()),
            social_headline: text_of(story.search_and_social.social_headline.as_ref()),
            social_description: text_of(story.search_and_social.social_description.as_ref()),
        }
    }
}

fn text_of(text: Option<&impl ToString>) -> Option<String> {
    text.map(ToString::to_string)
}

/// Names the newsroom form's fields in the API's words, so a problem names what the client sent.
pub(super) fn in_api_words(error: AppError) -> AppError {
    let rename = |fields: Vec<FieldError>| {
        fields
            .into_iter()
            .map(|field| FieldError {
                field: api_field(&field.field).into(),
                message: field.message,
            })
            .collect()
    };
    match error {
        AppError::Invalid(fields) => AppError::Invalid(rename(fields)),
        AppError::TooLarge(fields) => AppError::TooLarge(rename(fields)),
        other => other,
    }
}

impl StoryInput {
    /// The newsroom form this input fills in, so both are read by the same rules. Lists the form
    /// separates by commas or lines cannot hold those in an item: refused, not split.
    pub(super) fn into_form(self) -> Result<StoryForm, AppError> {
        let mut problems = Vec::new();
        let mut joined = |field: &'static str, items: &[String]| {
            if items.iter().any(|item| item.contains(',')) {
                problems.push(FieldError {
                    field: field.into(),
                    message: messages::COMMA_IN_LIST.to_owned(),
                });
            }
            items.join(", ")
        };
        let tags = joined("subjects", &self.subjects);
        let authors = joined("authors", &self.authors);
        if self
            .sources
            .iter()
            .any(|source| source.label.contains(['|', '\n']) || source.url.contains(['|', '\n']))
        {
            problems.push(FieldError {
                field: "sources".into(),
                message: messages::BAR_IN_SOURCE.to_owned(),
            });
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let claim = self.claim.unwrap_or(ClaimInput {
            text: String::new(),
            author: None,
            rating: String::new(),
        });
        Ok(StoryForm {
            headline: self.headline,
            standfirst: self.standfirst.unwrap_or_default(),
            body: self.body,
            section: self.section,
            tags,
            authors,
            kind: self.kind.unwrap_or_else(|| "news".to_owned()),
            sources: self
                .sources
                .iter()
                .map(|source| format!("{} | {}", source.label, source.url))
                .collect::<Vec<_>>()
                .join("\n"),
            claim_text: claim.text,
            claim_author: claim.author.unwrap_or_default(),
            claim_rating: claim.rating,
            search_headline: self.search_headline.unwrap_or_default(),
            social_headline: self.social_headline.unwrap_or_default(),
            social_description: self.social_description.unwrap_or_default(),
            ..StoryForm::default()
        })
    }
}

/// Writes a new draft, as « Nouvel article » does; it is the account's own.
#[utoipa::path(
    post,
    path = "/api/v1/stories",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = StoryInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Le brouillon, créé.", body = StoryState),
        (status = 400, description = "JSON illisible, champ inconnu ou de mauvais type.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Un jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Le corps dépasse 2 Mo, ou le texte 512 Ko.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un champ est invalide (chacun est nommé dans `errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    // A read-only token is refused before its body is read.
    caller.writer()?;
    let input: Option<StoryInput> = body_or_default(&headers, body)?;
    let form = input
        .ok_or(AppError::BadJson(messages::NO_STORY.to_owned()))?
        .into_form()?;
    create_draft(&state, &caller, &form).await
}

/// Writes a new draft from its form, a story or (`form.page`) a page of the site, as « Nouvel
/// article » and « Nouvelle page » do: `201` with where it stands.
pub(super) async fn create_draft(
    state: &AppState,
    caller: &Caller,
    form: &StoryForm,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    if let Some(problem) = too_large(form) {
        return Err(in_api_words(AppError::TooLarge(vec![problem])));
    }
    let content = content_from_form(state, form, &caller.user)
        .await
        .map_err(in_api_words)?;
    let id = if form.page {
        state.newsroom().create_page(&actor, content).await?
    } else {
        state.newsroom().create_draft(&actor, content).await?
    };
    let mut answer = json(&StoryState {
        id: id.0,
        status: rotative_domain::ArticleStatus::Draft.as_str(),
        url: None,
    });
    *answer.status_mut() = StatusCode::CREATED;
    Ok(answer)
}

/// A public note on a story.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorrectionInput {
    /// `correction` (an error is put right) or `update` (a new fact is added).
    kind: String,
    /// What readers read under the story.
    note: String,
}

/// Adds a correction or an update to a published story, shown to readers under it and on the
/// site's corrections page, as the newsroom's form does (editors and administrators).
#[utoipa::path(
    post,
    path = "/api/v1/stories/{id}/corrections",
    tag = "Rédaction",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant de l'article.")),
    request_body(content = CorrectionInput, content_type = "application/json"),
    responses(
        (status = 201, description = "La note, publiée.", body = CorrectionView),
        (status = 400, description = "JSON illisible, note vide ou trop longue, type de note inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte, ou un jeton en lecture seule, ne le permet pas.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun article n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "L'article n'est pas publié.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<CorrectionInput> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::NO_CORRECTION.to_owned()))?;
    let kind =
        CorrectionKind::parse(&input.kind).ok_or(AppError::BadParameters(vec![FieldError {
            field: "kind".into(),
            message: crate::messages::UNKNOWN_NOTE_KIND.to_owned(),
        }]))?;
    let story = story_named(&state, &id).await?;
    let id = story.id;
    state
        .newsroom()
        .correct(&actor, &story, kind, &input.note)
        .await?;
    let page = state
        .store
        .published_story(id)
        .await?
        .ok_or_else(no_such_story)?;
    let note = page.page.corrections.first().ok_or_else(no_such_story)?;
    let mut answer = json(&CorrectionView::from(note));
    *answer.status_mut() = StatusCode::CREATED;
    Ok(answer)
}
