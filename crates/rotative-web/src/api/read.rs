//! What readers see, for programs: stories, sections, subjects, authors, corrections, and the
//! change log that lets a client keep an exact copy of the site.

use std::collections::HashMap;

use axum::{
    extract::{Path, RawQuery, State},
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{After, ArticleId, Slug};
use rotative_search::SearchQuery;
use rotative_store::{Changed, StoryQuery, Visibility};

use super::{
    json,
    params::{DEFAULT_LIMIT, Params},
    views::{
        AuthorList, AuthorView, ChangeList, ChangeView, CorrectionEntryView, CorrectionList,
        SectionList, SectionView, Story, StoryItem, StoryList, SubjectList, SubjectView,
        story_href,
    },
};
use crate::{
    AppError, AppState,
    error::Problem,
    messages::api as messages,
    page_cache::{Shown, Shows},
};

/// How deep a search may page: scoring gets dearer the further the results go, and nobody
/// reads the thousandth hit of a search.
const MAX_SEARCH_OFFSET: usize = 1_000;
/// Changes read from the log per answer.
const CHANGES_PER_ANSWER: u32 = 500;

/// The address of the next page: this endpoint with the same parameters, the limit unless it
/// is the default, and a new cursor.
fn next_page(
    state: &AppState,
    path: &str,
    kept: &[(&str, &str)],
    limit: u32,
    cursor: &str,
) -> String {
    let limit = limit.to_string();
    let mut pairs: Vec<(&str, &str)> = kept
        .iter()
        .copied()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    if limit != DEFAULT_LIMIT.to_string() {
        pairs.push(("limit", &limit));
    }
    pairs.push(("cursor", cursor));
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    state.site().absolute(&format!("{path}?{query}"))
}

/// A page read with one item more than asked for, so that whether another page follows is known
/// without an empty last page: the page, and whether another follows.
fn one_page<T>(mut found: Vec<T>, limit: u32) -> (Vec<T>, bool) {
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    (found, more)
}

fn slug_or(value: &str, missing: impl FnOnce(&str) -> String) -> Result<Slug, AppError> {
    Slug::parse(value).map_err(|_| AppError::Missing(missing(value)))
}

/// Published stories, newest first, or the best matches of a search (`q`).
#[utoipa::path(
    get,
    path = "/api/v1/stories",
    tag = "Lecture",
    params(
        ("section" = Option<String>, Query, description = "Identifiant d'une rubrique (`monde`)."),
        ("subject" = Option<String>, Query, description = "Identifiant d'un sujet."),
        ("author" = Option<String>, Query, description = "Identifiant d'un auteur ou d'une autrice."),
        ("q" = Option<String>, Query, description = "Mots cherchés, avec la recherche en français du site (les résultats viennent alors par pertinence ; se combine seulement avec `section`)."),
        ("updated_since" = Option<String>, Query, description = "Seulement les articles modifiés depuis cette date (RFC 3339)."),
        ("limit" = Option<u32>, Query, description = "Articles par page, de 1 à 100 (20 par défaut)."),
        ("cursor" = Option<String>, Query, description = "Où reprendre : la valeur donnée dans `next`."),
    ),
    responses(
        (status = 200, description = "Une page d'articles.", body = StoryList),
        (status = 400, description = "Un paramètre est inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "La rubrique, le sujet ou l'auteur n'existe pas.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn stories(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    const KNOWN: &[&str] = &[
        "section",
        "subject",
        "author",
        "q",
        "updated_since",
        "limit",
        "cursor",
    ];
    let mut params = Params::read(query.as_deref(), KNOWN)?;
    let limit = params.limit();
    let updated_since = params.parsed(
        "updated_since",
        |value| value.parse::<Timestamp>().ok(),
        || messages::UPDATED_SINCE.to_owned(),
    );
    if params.text("q").is_some() {
        return search(&state, params, limit).await;
    }
    let after = params.parsed(
        "cursor",
        |value| After::<ArticleId>::parse(value).ok(),
        || messages::CURSOR.to_owned(),
    );
    let params = params.checked()?;
    let mut filter = StoryQuery {
        updated_since,
        ..StoryQuery::default()
    };
    if let Some(value) = params.text("section") {
        let slug = slug_or(value, messages::no_such_section)?;
        let sections = state.published_sections().await?;
        let found = sections
            .stored
            .iter()
            .find(|(_, section)| section.slug == slug);
        filter.section = Some(
            found
                .map(|(id, _)| *id)
                .ok_or_else(|| AppError::Missing(messages::no_such_section(value)))?,
        );
    }
    if let Some(value) = params.text("subject") {
        let slug = slug_or(value, messages::no_such_subject)?;
        let (id, _) = state
            .store
            .tag_by_slug(&slug)
            .await?
            .ok_or_else(|| AppError::Missing(messages::no_such_subject(value)))?;
        filter.subject = Some(id);
    }
    if let Some(value) = params.text("author") {
        let slug = slug_or(value, messages::no_such_author)?;
        let (id, _) = state
            .store
            .author_by_slug(&slug)
            .await?
            .ok_or_else(|| AppError::Missing(messages::no_such_author(value)))?;
        filter.author = Some(id);
    }
    let found = state.store.published_page(filter, after, limit + 1).await?;
    let (found, more) = one_page(found, limit);
    let site = state.site();
    let next = found.last().filter(|_| more).map(|last| {
        let cursor = After {
            at: last.summary.published_at,
            id: last.summary.id,
        };
        let kept = ["section", "subject", "author", "updated_since"]
            .map(|name| (name, params.text(name).unwrap_or_default()));
        next_page(&state, "/api/v1/stories", &kept, limit, &cursor.to_string())
    });
    let list = StoryList {
        stories: found
            .iter()
            .map(|listed| StoryItem::new(&site, listed))
            .collect(),
        next,
    };
    let shows = Shows::listing(
        rotative_store::Listing::Everything,
        found.iter().map(|listed| listed.summary.id),
    );
    Ok(shows.on(json(&list)))
}

/// A search through the API: the site's French search, by relevance; the cursor is how many
/// results come before the page.
async fn search(state: &AppState, mut params: Params, limit: u32) -> Result<Response, AppError> {
    if ["subject", "author", "updated_since"]
        .iter()
        .any(|name| params.text(name).is_some())
    {
        params.refuse("q", messages::SEARCH_FILTERS);
    }
    let offset = params
        .parsed(
            "cursor",
            |value| {
                value
                    .parse::<usize>()
                    .ok()
                    .filter(|offset| *offset <= MAX_SEARCH_OFFSET)
            },
            || messages::CURSOR.to_owned(),
        )
        .unwrap_or_default();
    let params = params.checked()?;
    let text: String = params
        .text("q")
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let section = match params.text("section") {
        Some(value) => Some(slug_or(value, messages::no_such_section)?),
        None => None,
    };
    let query = SearchQuery {
        text: text.clone(),
        section: section.clone(),
        from: None,
        to: None,
        offset,
        limit: limit as usize,
    };
    let searching = state.clone();
    let results = tokio::task::spawn_blocking(move || searching.search.search(&query))
        .await
        .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?;
    let ids: Vec<ArticleId> = results.hits.iter().map(|hit| hit.id).collect();
    let found = state.store.listed_by_ids(&ids).await?;
    let site = state.site();
    let reached = offset + results.hits.len();
    let next = (reached < results.total && reached <= MAX_SEARCH_OFFSET).then(|| {
        let section = section
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let kept = [("q", text.as_str()), ("section", section.as_str())];
        next_page(state, "/api/v1/stories", &kept, limit, &reached.to_string())
    });
    Ok(json(&StoryList {
        stories: found
            .iter()
            .map(|listed| StoryItem::new(&site, listed))
            .collect(),
        next,
    }))
}

/// One published story, whole: its text as HTML and as written, its image's every file, its
/// sources, claim and corrections.
#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}",
    tag = "Lecture",
    params(("id" = i64, Path, description = "L'identifiant de l'article.")),
    responses(
        (status = 200, description = "L'article.", body = Story),
        (status = 404, description = "Aucun article publié n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let missing = || AppError::Missing(messages::NO_SUCH_STORY.to_owned());
    let id = id.parse::<i64>().map(ArticleId).map_err(|_| missing())?;
    let story = state.store.published_story(id).await?.ok_or_else(missing)?;
    let view = Story::new(&state.site(), &story);
    Ok(Shows::new(vec![Shown::Story(id)]).on(json(&view)))
}

/// The sections that hold a published story, in the navigation's order.
#[utoipa::path(
    get,
    path = "/api/v1/sections",
    tag = "Lecture",
    responses((status = 200, description = "Les rubriques.", body = SectionList))
)]
pub(crate) async fn sections(State(state): State<AppState>) -> Result<Response, AppError> {
    let site = state.site();
    let sections = state.published_sections().await?;
    let list = SectionList {
        sections: sections
            .stored
            .iter()
            .map(|section| SectionView::new(&site, section, sections.description(section.0)))
            .collect(),
    };
    // Sections come and go with site-wide changes, which empty the whole cache.
    Ok(Shows::default().on(json(&list)))
}

/// Reads the `limit` and `cursor` of a list ordered by slug.
fn slug_page(query: Option<&str>) -> Result<(u32, Option<Slug>), AppError> {
    let mut params = Params::read(query, &["limit", "cursor"])?;
    let limit = params.limit();
    let after = params.parsed(
        "cursor",
        |value| Slug::parse(value).ok(),
        || messages::CURSOR.to_owned(),
    );
    params.checked()?;
    Ok((limit, after))
}

/// The next page of a list ordered by slug, if another follows.
fn next_by_slug(state: &AppState, path: &str, limit: u32, last: Option<&Slug>) -> Option<String> {
    last.map(|slug| next_page(state, path, &[], limit, slug.as_ref()))
}

/// The subjects that hold a published story, by identifier.
#[utoipa::path(
    get,
    path = "/api/v1/subjects",
    tag = "Lecture",
    params(
        ("limit" = Option<u32>, Query, description = "Sujets par page, de 1 à 100 (20 par défaut)."),
        ("cursor" = Option<String>, Query, description = "Où reprendre : la valeur donnée dans `next`."),
    ),
    responses(
        (status = 200, description = "Une page de sujets.", body = SubjectList),
        (status = 400, description = "Un paramètre est inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn subjects(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (limit, after) = slug_page(query.as_deref())?;
    let found = state
        .store
        .published_subjects(after.as_ref(), limit + 1)
        .await?;
    let (found, more) = one_page(found, limit);
    let site = state.site();
    let last = found.last().filter(|_| more).map(|(_, tag)| &tag.slug);
    let list = SubjectList {
        next: next_by_slug(&state, "/api/v1/subjects", limit, last),
        subjects: found
            .iter()
            .map(|tag| SubjectView::new(&site, tag))
            .collect(),
    };
    Ok(Shows::new(vec![Shown::EveryStory]).on(json(&list)))
}

/// The authors with a published story, by identifier.
#[utoipa::path(
    get,
    path = "/api/v1/authors",
    tag = "Lecture",
    params(
        ("limit" = Option<u32>, Query, description = "Auteurs par page, de 1 à 100 (20 par défaut)."),
        ("cursor" = Option<String>, Query, description = "Où reprendre : la valeur donnée dans `next`."),
    ),
    responses(
        (status = 200, description = "Une page d'auteurs.", body = AuthorList),
        (status = 400, description = "Un paramètre est inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn authors(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (limit, after) = slug_page(query.as_deref())?;
    let found = state
        .store
        .published_authors(after.as_ref(), limit + 1)
        .await?;
    let (found, more) = one_page(found, limit);
    let site = state.site();
    let last = found
        .last()
        .filter(|_| more)
        .map(|(_, author)| &author.slug);
    let list = AuthorList {
        next: next_by_slug(&state, "/api/v1/authors", limit, last),
        authors: found
            .iter()
            .map(|(_, author)| AuthorView::new(&site, author))
            .collect(),
    };
    Ok(Shows::new(vec![Shown::EveryStory]).on(json(&list)))
}

/// Corrections and updates on every published story, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/corrections",
    tag = "Lecture",
    params(
        ("limit" = Option<u32>, Query, description = "Notes par page, de 1 à 100 (20 par défaut)."),
        ("cursor" = Option<String>, Query, description = "Où reprendre : la valeur donnée dans `next`."),
    ),
    responses(
        (status = 200, description = "Une page de corrections.", body = CorrectionList),
        (status = 400, description = "Un paramètre est inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn corrections(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(query.as_deref(), &["limit", "cursor"])?;
    let limit = params.limit();
    let after = params.parsed(
        "cursor",
        |value| After::parse(value).ok(),
        || messages::CURSOR.to_owned(),
    );
    params.checked()?;
    let found = state.store.corrections(after, limit + 1).await?;
    let (found, more) = one_page(found, limit);
    let site = state.site();
    let next = found.last().filter(|_| more).map(|last| {
        let cursor = After {
            at: last.correction.at,
            id: last.id,
        };
        next_page(
            &state,
            "/api/v1/corrections",
            &[],
            limit,
            &cursor.to_string(),
        )
    });
    let list = CorrectionList {
        corrections: found
            .iter()
            .map(|entry| CorrectionEntryView::new(&site, entry))
            .collect(),
        next,
    };
    Ok(Shows::new(vec![Shown::EveryStory]).on(json(&list)))
}

/// What changed after position `since`, oldest first: start at 0 to copy the whole site, then
/// follow `next`. Stories readers never saw are left out; a story changed several times within
/// one answer appears once, at its last change.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "Lecture",
    params(("since" = Option<i64>, Query, description = "La position déjà lue (0 pour tout reprendre) : la valeur donnée dans `next`.")),
    responses(
        (status = 200, description = "Les changements suivants.", body = ChangeList),
        (status = 400, description = "Un paramètre est inconnu ou illisible.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn changes(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let mut params = Params::read(query.as_deref(), &["since"])?;
    let since = params
        .parsed(
            "since",
            |value| value.parse::<i64>().ok().filter(|seq| *seq >= 0),
            || messages::SINCE.to_owned(),
        )
        .unwrap_or_default();
    params.checked()?;
    let changes = state.store.changes_since(since, CHANGES_PER_ANSWER).await?;
    let stories: Vec<ArticleId> = changes
        .iter()
        .filter_map(rotative_store::Change::story)
        .collect();
    let visibility: HashMap<ArticleId, Visibility> = state.store.visibility(&stories).await?;
    // A story changed several times in this stretch is fetched once: only its last change is
    // given (and the last of the site-wide ones).
    let last_of: HashMap<Option<ArticleId>, i64> = changes
        .iter()
        .filter(|change| !matches!(change.changed, Changed::Listing(_)))
        .map(|change| (change.story(), change.seq))
        .collect();
    let site = state.site();
    let views = changes
        .iter()
        .filter(|change| last_of.get(&change.story()) == Some(&change.seq))
        .filter_map(|change| {
            let (event, story) = match change.changed {
                Changed::Site => ("site.updated", None),
                // Listings follow from their stories' own changes.
                Changed::Listing(_) => return None,
                Changed::Story { id, .. } => match visibility.get(&id)? {
                    Visibility::Public => ("story.updated", Some(id)),
                    Visibility::Withdrawn => ("story.removed", Some(id)),
                    Visibility::Private => return None,
                },
            };
            Some(ChangeView {
                seq: change.seq,
                event,
                story: story.map(|id| id.0),
                href: story
                    .filter(|_| event == "story.updated")
                    .map(|id| story_href(&site, id)),
            })
        })
        .collect();
    let last = changes.last().map_or(since, |change| change.seq);
    let list = ChangeList {
        changes: views,
        next: site.absolute(&format!("/api/v1/changes?since={last}")),
    };
    Ok(json(&list))
}
