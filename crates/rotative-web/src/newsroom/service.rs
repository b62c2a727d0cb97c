//! What newsroom actions do, between the form and the store: turning a form into story content,
//! moving a story through the workflow, publishing what fell due.

use std::collections::HashMap;

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};
use rotative_domain::{
    AltText, ArticleKind, ArticlePath, ArticleStatus, Author, Claim, ClaimMismatch, ClaimRating,
    Headline, MediaId, Name, Ownership, Section, Slug, Source, Standfirst, StoryAction, Tag,
    WorkflowError, authorize, check_claim, workflow::can_manage_taxonomy,
};
use rotative_render::{RenderError, StoredImage, figure_sources, render_body};
use rotative_store::{EditableStory, NewLeadImage, StoryContent};
use serde::{Deserialize, Serialize};

use crate::{AppError, AppState, auth::SignedIn};

/// The body's size limit, in bytes of Markdown: far above any real story, low enough to keep
/// rendering and storage cheap.
pub(crate) const MAX_BODY_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct StoryForm {
    #[serde(default)]
    pub csrf: String,
    pub base_revision: Option<i64>,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub standfirst: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub authors: String,
    #[serde(default)]
    pub kind: String,
    /// One source a line: `Label | https://…`.
    #[serde(default)]
    pub sources: String,
    /// Fact-checks only: the claim examined, who made it, the verdict.
    #[serde(default)]
    pub claim_text: String,
    #[serde(default)]
    pub claim_author: String,
    #[serde(default)]
    pub claim_rating: String,
    #[serde(default)]
    pub intent: String,
}

impl StoryForm {
    pub(crate) fn from_story(story: &EditableStory) -> Self {
        let names = |names: Vec<String>| names.join(", ");
        Self {
            csrf: String::new(),
            base_revision: Some(story.current_revision_id),
            headline: story.headline.to_string(),
            standfirst: story
                .standfirst
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            body: story.body_markdown.clone(),
            section: story.section.name.to_string(),
            tags: names(story.tags.iter().map(|t| t.name.to_string()).collect()),
            authors: names(story.authors.iter().map(|a| a.name.to_string()).collect()),
            kind: story.kind.as_str().to_owned(),
            sources: story
                .sources
                .iter()
                .map(|source| format!("{} | {}", source.label, source.url))
                .collect::<Vec<_>>()
                .join("\n"),
            claim_text: story
                .claim
                .as_ref()
                .map(|c| c.text.clone())
                .unwrap_or_default(),
            claim_author: story
                .claim
                .as_ref()
                .and_then(|c| c.author.clone())
                .unwrap_or_default(),
            claim_rating: story
                .claim
                .as_ref()
                .map(|c| c.rating.as_str().to_owned())
                .unwrap_or_default(),
            intent: String::new(),
        }
    }
}

/// A problem with one field, said to the writer in French.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn names<T>(
    list: &str,
    make: impl Fn(Name) -> Result<T, rotative_domain::ParseError>,
) -> Result<Vec<T>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            Name::parse(name)
                .and_then(&make)
                .map_err(|_| format!("« {name} » n'est pas un nom valable."))
        })
        .collect()
}

/// Turns the editor's form into story content, or says what to fix. Images in the body refer to
/// media already stored (`media:KEY`).
pub(crate) async fn content_from_form(
    state: &AppState,
    form: &StoryForm,
    who: &SignedIn,
) -> Result<Result<StoryContent, Vec<FieldError>>, AppError> {
    let default_author = &who.user.name;
    let mut errors = Vec::new();
    let mut fail =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let headline = Headline::parse(&form.headline)
        .map_err(|_| {
            fail(
                "headline",
                format!(
                    "Le titre est obligatoire et tient sur une ligne de {} caractères au plus.",
                    Headline::MAX_CHARS
                ),
            );
        })
        .ok();
    let standfirst = if form.standfirst.trim().is_empty() {
        None
    } else {
        Standfirst::parse(&form.standfirst)
            .map_err(|_| {
                fail(
                    "standfirst",
                    format!(
                        "Le chapeau compte {} caractères au plus.",
                        Standfirst::MAX_CHARS
                    ),
                );
            })
            .ok()
    };
    let section = section_from_form(state, who, &form.section)
        .await?
        .map_err(|problem| fail("section", problem))
        .ok();
    let tags = names(&form.tags, Tag::named)
        .map_err(|m| fail("tags", m))
        .ok();
    let mut authors = names(&form.authors, Author::named)
        .map_err(|m| fail("authors", m))
        .ok();
    if authors.as_ref().is_some_and(Vec::is_empty) {
        authors = Author::named(default_author.clone()).ok().map(|a| vec![a]);
    }
    let kind = ArticleKind::parse(&form.kind)
        .map_err(|_| fail("kind", "Choisissez un type d'article.".into()))
        .ok();
    let sources = parse_sources(&form.sources)
        .map_err(|message| fail("sources", message))
        .ok();
    let claim = parse_claim(form, kind)
        .map_err(|message| fail("claim_text", message))
        .ok()
        .flatten();
    if form.body.trim().is_empty() {
        fail("body", "Le texte de l'article est vide.".into());
    }
    let found = match body_images(state, &form.body).await? {
        Ok(found) => found,
        Err(message) => {
            fail("body", message);
            BodyImages::default()
        }
    };
    let (Some(headline), Some(section), Some(tags), Some(authors), Some(kind), Some(sources), true) = (
        headline,
        section,
        tags,
        authors,
        kind,
        sources,
        errors.is_empty(),
    ) else {
        return Ok(Err(errors));
    };
    let body_html = match render(state, who, &form.body, found.images).await? {
        Ok(html) => html,
        Err(message) => {
            return Ok(Err(vec![FieldError {
                field: "body",
                message,
            }]));
        }
    };
    Ok(Ok(StoryContent {
        headline,
        standfirst,
        body_markdown: form.body.clone(),
        body_html,
        kind,
        section,
        tags,
        authors,
        media: Vec::new(),
        lead_image: found.lead,
        media_keys: found.keys,
        sources,
        claim,
    }))
}

/// The section a form names. Only editors create sections: for anyone else, one that does not
/// exist yet is refused, so a draft cannot add an entry to the site's navigation.
async fn section_from_form(
    state: &AppState,
    who: &SignedIn,
    label: &str,
) -> Result<Result<Section, String>, AppError> {
    let Ok(section) = Section::from_label(label) else {
        return Ok(Err("Choisissez ou nommez une rubrique.".into()));
    };
    if can_manage_taxonomy(who.user.role)
        || state.store.section_by_slug(&section.slug).await?.is_some()
    {
        return Ok(Ok(section));
    }
    Ok(Err(format!(
        "La rubrique « {} » n'existe pas : choisissez-en une dans la liste. Seuls les chefs d'édition créent des rubriques.",
        section.name
    )))
}

/// The body alone, rendered as readers will see it, or what is wrong with it.
pub(crate) async fn preview_body(
    state: &AppState,
    who: &SignedIn,
    body: &str,
) -> Result<Result<String, String>, AppError> {
    match body_images(state, body).await? {
        Ok(found) => render(state, who, body, found.images).await,
        Err(message) => Ok(Err(message)),
    }
}

/// Why a body nesting elements too deep is refused.
fn too_deep_fr(limit: usize) -> String {
    format!(
        "Le texte imbrique plus de {limit} niveaux de citations, de listes ou de balises : simplifiez sa structure. Il n'a pas été enregistré."
    )
}

/// Renders a body on the blocking pool, within the account's share of renders; a body whose
/// structure is refused says why, in French.
async fn render(
    state: &AppState,
    who: &SignedIn,
    markdown: &str,
    images: HashMap<String, StoredImage>,
) -> Result<Result<String, String>, AppError> {
    let owned = (state.clone(), markdown.to_owned());
    let rendered = state
        .cpu_work()
        .run(who.user.id, move || {
            let (state, markdown) = owned;
            render_body(&state.theme, &markdown, &images)
        })
        .await?;
    match rendered {
        Ok(html) => Ok(Ok(html)),
        Err(RenderError::TooDeep { limit }) => Ok(Err(too_deep_fr(limit))),
        Err(other) => Err(other.into()),
    }
}

/// A fact-check's claim from the form: required for fact-checks, refused for other kinds.
fn parse_claim(form: &StoryForm, kind: Option<ArticleKind>) -> Result<Option<Claim>, String> {
    let typed = !form.claim_text.trim().is_empty();
    let claim = if typed {
        let rating = ClaimRating::parse(&form.claim_rating)
            .map_err(|_| "Choisissez un verdict.".to_owned())?;
        Some(
            Claim::parse(&form.claim_text, Some(&form.claim_author), rating)
                .map_err(|_| "L'affirmation vérifiée compte 500 caractères au plus.".to_owned())?,
        )
    } else {
        None
    };
    match kind.map(|kind| check_claim(kind, claim.as_ref())) {
        Some(Err(ClaimMismatch::FactCheckWithoutClaim)) => {
            Err("Une vérification indique l'affirmation vérifiée et son verdict.".into())
        }
        Some(Err(ClaimMismatch::ClaimWithoutFactCheck)) => {
            Err("Seule une vérification porte une affirmation et un verdict : videz ces champs ou changez le type.".into())
        }
        _ => Ok(claim),
    }
}

/// One source a line, `Label | https://…`.
fn parse_sources(text: &str) -> Result<Vec<Source>, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (label, url) = line.rsplit_once('|').unwrap_or(("", line));
            Source::parse(label, url).map_err(|_| {
                format!("Source « {line} » : écrivez un libellé, une barre verticale, puis une adresse https://…")
            })
        })
        .collect()
}

/// What a body's images resolve to in the library.
#[derive(Default)]
struct BodyImages {
    /// Keyed by the name after `media:`.
    images: HashMap<String, StoredImage>,
    /// The first image, shown on lists, social cards and JSON-LD; none while it lacks alt text.
    lead: Option<NewLeadImage>,
    keys: Vec<String>,
    /// Images neither the story nor the library describes: they block publication.
    missing_alt: Vec<String>,
}

/// The stored images a body refers to (`media:KEY`), each with the story's description or,
/// where the story gives none, the library's; or what is wrong with them.
async fn body_images(state: &AppState, body: &str) -> Result<Result<BodyImages, String>, AppError> {
    let figures = match figure_sources(body) {
        Ok(figures) => figures,
        Err(error) => return Ok(Err(image_problem_fr(&error))),
    };
    let mut found = BodyImages::default();
    for (position, figure) in figures.iter().enumerate() {
        let Some(media) = state.store.media_by_key(&figure.name).await? else {
            return Ok(Err(format!(
                "L'image « {} » n'est pas dans la médiathèque.",
                figure.name
            )));
        };
        let alt = figure.alt.clone().or_else(|| {
            media
                .description
                .alt
                .as_deref()
                .and_then(|alt| AltText::parse(alt).ok())
        });
        match &alt {
            None if !found.missing_alt.contains(&figure.name) => {
                found.missing_alt.push(figure.name.clone());
            }
            Some(alt) if position == 0 => {
                found.lead = Some(NewLeadImage {
                    storage_key: media.storage_key.clone(),
                    alt: alt.clone(),
                    caption: figure.caption.clone().or(media.description.caption.clone()),
                    credit: figure.credit.clone().or(media.description.credit.clone()),
                });
            }
            _ => {}
        }
        found.keys.push(media.storage_key.clone());
        found.images.insert(
            figure.name.clone(),
            StoredImage {
                key: media.storage_key,
                width: media.width,
                height: media.height,
                animated: media.animated,
                alt: media.description.alt,
                caption: media.description.caption,
                credit: media.description.credit,
            },
        );
    }
    Ok(Ok(found))
}

/// Why a body cannot reach readers yet: the images it shows without alt text.
pub(crate) async fn images_without_alt(
    state: &AppState,
    body: &str,
) -> Result<Vec<String>, AppError> {
    Ok(body_images(state, body)
        .await?
        .map(|found| found.missing_alt)
        .unwrap_or_default())
}

pub(crate) fn missing_alt_fr(names: &[String]) -> String {
    let list = names
        .iter()
        .map(|name| format!("« {name} »"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Sans texte alternatif, une image n'est pas lisible par tous : décrivez ce que montre {list} (dans le texte ou dans la médiathèque) avant de publier."
    )
}

/// The headline of a story showing this image that the person may not edit, if there is one:
/// an image's description is part of every story showing it, so changing it takes the same right
/// as editing each of them.
pub(crate) async fn story_out_of_reach(
    state: &AppState,
    who: &SignedIn,
    media: MediaId,
) -> Result<Option<String>, AppError> {
    for id in state.store.stories_using_media(media).await? {
        let Some(story) = state.store.story_for_edit(id).await? else {
            continue;
        };
        if authorize(
            who.user.role,
            StoryAction::Edit,
            ownership(who, &story),
            story.status,
        )
        .is_err()
        {
            return Ok(Some(story.headline.to_string()));
        }
    }
    Ok(None)
}

/// Renders again the stories that show an image whose library description changed, so pages
/// show the new alt text, caption and credit.
pub(crate) async fn refresh_stories_using(
    state: &AppState,
    who: &SignedIn,
    media: MediaId,
) -> Result<usize, AppError> {
    let ids = state.store.stories_using_media(media).await?;
    for &id in &ids {
        let Some(story) = state.store.story_for_edit(id).await? else {
            continue;
        };
        let Ok(found) = body_images(state, &story.body_markdown).await? else {
            continue;
        };
        let Ok(html) = render(state, who, &story.body_markdown, found.images).await? else {
            continue;
        };
        state
            .store
            .refresh_rendering(id, &html, found.lead.as_ref())
            .await?;
    }
    Ok(ids.len())
}

fn image_problem_fr(error: &RenderError) -> String {
    match error {
        RenderError::ExternalImage(url) => {
            format!(
                "L'image « {url} » vient d'un autre site : seules les images de la médiathèque sont publiées."
            )
        }
        RenderError::MissingAlt(name) => missing_alt_fr(std::slice::from_ref(name)),
        RenderError::InvalidAlt { name, .. } => {
            format!("Le texte alternatif de l'image « {name} » est trop long.")
        }
        other => other.to_string(),
    }
}

/// Why a save was refused because the story moved meanwhile (an editor published it, say).
pub(crate) const STATE_CHANGED: &str = "L'article a changé d'état entre-temps et vous ne pouvez plus le modifier : votre texte n'a pas été enregistré. Copiez-le, puis rechargez la page.";

/// The states in which this person may edit this story: checked again inside the save, so an
/// edit sent before the story moved does not land after.
pub(crate) fn editable_states(who: &SignedIn, story: &EditableStory) -> Vec<ArticleStatus> {
    ArticleStatus::ALL
        .into_iter()
        .filter(|&status| {
            authorize(
                who.user.role,
                StoryAction::Edit,
                ownership(who, story),
                status,
            )
            .is_ok()
        })
        .collect()
}

pub(crate) fn ownership(who: &SignedIn, story: &EditableStory) -> Ownership {
    if story.created_by == Some(who.user.id) {
        Ownership::Own
    } else {
        Ownership::Others
    }
}

pub(crate) fn workflow_error(error: WorkflowError) -> AppError {
    match error {
        WorkflowError::NotAllowed => AppError::Forbidden,
        illegal @ WorkflowError::IllegalMove { .. } => AppError::Conflict(illegal.to_string()),
    }
}

/// Reads a date and time typed in the site's time zone (`2026-11-30T08:00`). Around
/// daylight-saving changes, a time the spring change skips moves forward by the gap (02:30 is
/// 03:30), and a time the autumn change repeats is its first occurrence.
pub(crate) fn local_time(time_zone: &TimeZone, typed: &str) -> Option<Timestamp> {
    let civil: DateTime = typed.trim().parse().ok()?;
    civil
        .to_zoned(time_zone.clone())
        .ok()
        .map(|zoned| zoned.timestamp())
}

/// Applies a workflow action, after checking role, ownership and state. `reviewed` is the
/// revision the person read: a story saved since is not published or scheduled.
pub(crate) async fn act(
    state: &AppState,
    who: &SignedIn,
    story: &EditableStory,
    action: StoryAction,
    (scheduled_for, reviewed): (Option<&str>, Option<i64>),
) -> Result<(), AppError> {
    let to = authorize(who.user.role, action, ownership(who, story), story.status)
        .map_err(workflow_error)?;
    if matches!(action, StoryAction::Pin | StoryAction::Unpin) {
        let pin = action == StoryAction::Pin;
        return if state
            .store
            .set_pinned(story.id, pin, (Some(who.user.id), action.as_str()))
            .await?
        {
            Ok(())
        } else {
            Err(AppError::Conflict(if pin {
                "L'article est déjà à la une.".into()
            } else {
                "L'article n'est pas à la une.".into()
            }))
        };
    }
    if matches!(to, ArticleStatus::Published | ArticleStatus::Scheduled) {
        let missing = images_without_alt(state, &story.body_markdown).await?;
        if !missing.is_empty() {
            return Err(AppError::Conflict(missing_alt_fr(&missing)));
        }
    }
    let now = Timestamp::now();
    let (path, published_at, scheduled_at) = match action {
        StoryAction::Publish => {
            let published_at = story.published_at.unwrap_or(now);
            (
                Some(public_path(state, story, published_at)),
                Some(published_at),
                None,
            )
        }
        StoryAction::Schedule => {
            let at = scheduled_for
                .and_then(|typed| local_time(&state.site().time_zone, typed))
                .ok_or(AppError::BadRequest(
                    "Indiquez la date et l'heure de publication.",
                ))?;
            if at <= now {
                return Err(AppError::Conflict(
                    "L'heure de publication programmée est déjà passée.".into(),
                ));
            }
            (None, None, Some(at))
        }
        _ => (None, None, None),
    };
    let detail = scheduled_at.map(|at| at.to_string()).unwrap_or_default();
    let going_public = matches!(to, ArticleStatus::Published | ArticleStatus::Scheduled);
    let moved = state
        .store
        .move_story(
            story.id,
            (story.status, reviewed.filter(|_| going_public)),
            to,
            path.as_ref(),
            published_at,
            scheduled_at,
            (Some(who.user.id), action.as_str(), &detail),
        )
        .await?;
    if moved {
        Ok(())
    } else if going_public && reviewed.is_some_and(|r| r != story.current_revision_id) {
        Err(AppError::Conflict(
            "L'article a été modifié depuis que vous l'avez ouvert : relisez la dernière version avant de le publier.".into(),
        ))
    } else {
        Err(AppError::Conflict(
            "L'article a changé d'état ou de texte entre-temps : rechargez la page et relisez-le."
                .into(),
        ))
    }
}

/// The story's public address: the one it already had, or one dated by its publication.
fn public_path(state: &AppState, story: &EditableStory, published_at: Timestamp) -> ArticlePath {
    story.path.clone().unwrap_or_else(|| {
        ArticlePath::new(
            &story.section.slug,
            &story.slug,
            published_at,
            &state.site().time_zone,
        )
    })
}

/// Publishes every scheduled story whose time has come (each once, even with several
/// instances: the move only happens from `scheduled`). Returns how many went live.
pub async fn publish_due(state: &AppState) -> Result<usize, AppError> {
    let mut published = 0;
    for (id, at) in state.store.due_scheduled().await? {
        let Some(story) = state.store.story_for_edit(id).await? else {
            continue;
        };
        let path = public_path(state, &story, at);
        let moved = state
            .store
            .move_story(
                id,
                (ArticleStatus::Scheduled, None),
                ArticleStatus::Published,
                Some(&path),
                Some(at),
                None,
                (None, "publish", "scheduled"),
            )
            .await?;
        if moved {
            tracing::info!(story = id, path = %path, "scheduled story published");
            published += 1;
        }
    }
    Ok(published)
}

/// A new story's slug: from its headline, made unique.
pub(crate) async fn new_slug(state: &AppState, headline: &Headline) -> Result<Slug, AppError> {
    // A headline of punctuation only still needs an address.
    let base = Slug::from_title(headline.as_ref())
        .or_else(|_| Slug::parse("article"))
        .map_err(|_| AppError::BadRequest("Titre illisible."))?;
    Ok(state.store.free_article_slug(&base).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_times_are_read_in_the_site_zone_across_daylight_saving() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let cases = [
            ("2026-12-01T08:00", "2026-12-01T07:00:00Z"),
            ("2026-07-01T08:00", "2026-07-01T06:00:00Z"),
            ("2026-03-29T02:30", "2026-03-29T01:30:00Z"),
            ("2026-10-25T02:30", "2026-10-25T00:30:00Z"),
            ("2026-11-30T08:00:30", "2026-11-30T07:00:30Z"),
        ];
        for (typed, utc) in cases {
            assert_eq!(
                local_time(&paris, typed).unwrap().to_string(),
                utc,
                "{typed}"
            );
        }
        assert_eq!(local_time(&paris, "demain matin"), None);
    }
}
