//! The story form: what the editor sends, read into story content through the newsroom's
//! operations (`rotative-newsroom`), with every problem said in French next to its field.

use std::borrow::Cow;

use rotative_domain::{
    ArticleKind, Author, Claim, ClaimMismatch, ClaimRating, Headline, Name, RevisionId,
    SearchAndSocial, Section, Source, Standfirst, Tag, check_claim, workflow::can_manage_taxonomy,
};
use rotative_newsroom::{Actor, BodyImages, NewsroomError};
use rotative_store::{EditableStory, StoryContent, User};
use serde::{Deserialize, Serialize};

pub(crate) use crate::error::FieldError;
use crate::{AppError, AppState, messages};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct StoryForm {
    pub base_revision: Option<RevisionId>,
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
    /// Optional words for search engines and shared links (`SearchAndSocial`).
    #[serde(default)]
    pub search_headline: String,
    #[serde(default)]
    pub social_headline: String,
    #[serde(default)]
    pub social_description: String,
    #[serde(default)]
    pub intent: String,
    /// Set by the server, never sent: the form writes a page of the site (`as_page`).
    #[serde(skip)]
    pub page: bool,
}

impl StoryForm {
    pub(crate) fn from_story(story: &EditableStory) -> Self {
        let names = |names: Vec<String>| names.join(", ");
        Self {
            base_revision: Some(story.current_revision_id),
            headline: story.headline.to_string(),
            standfirst: text_of(story.standfirst.as_ref()),
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
            search_headline: text_of(story.search_and_social.search_headline.as_ref()),
            social_headline: text_of(story.search_and_social.social_headline.as_ref()),
            social_description: text_of(story.search_and_social.social_description.as_ref()),
            intent: String::new(),
            page: story.is_page,
        }
    }
}

impl StoryForm {
    /// The form of a page of the site, which has none of a story's section, kind, subjects,
    /// bylines, sources or claim: what the rules of a page (`as_page`) set, so it reads.
    pub(crate) fn into_page(self) -> Self {
        Self {
            section: Section::for_pages().name.to_string(),
            kind: ArticleKind::News.as_str().to_owned(),
            tags: String::new(),
            authors: String::new(),
            sources: String::new(),
            claim_text: String::new(),
            claim_author: String::new(),
            claim_rating: String::new(),
            page: true,
            ..self
        }
    }
}

fn text_of(text: Option<&impl ToString>) -> String {
    text.map(ToString::to_string).unwrap_or_default()
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
                .map_err(|_| messages::unreadable_name(name))
        })
        .collect()
}

/// Turns the editor's form into story content, or says what to fix. Images in the body refer to
/// media already stored (`media:KEY`).
pub(crate) async fn content_from_form(
    state: &AppState,
    form: &StoryForm,
    account: &User,
) -> Result<StoryContent, AppError> {
    let default_author = &account.name;
    let mut errors = Vec::new();
    let mut fail =
        |field: Cow<'static, str>, message: String| errors.push(FieldError { field, message });
    let headline = Headline::parse(&form.headline)
        .map_err(|_| fail("headline".into(), headline_rule()))
        .ok();
    let standfirst = parse_standfirst(&form.standfirst)
        .map_err(|message| fail("standfirst".into(), message))
        .ok()
        .flatten();
    let section = match form_section(state, form, account).await {
        Ok(section) => Some(section),
        Err(AppError::Invalid(problems)) => {
            for problem in problems {
                fail(problem.field, problem.message);
            }
            None
        }
        Err(other) => return Err(other),
    };
    let tags = names(&form.tags, Tag::named)
        .map_err(|m| fail("tags".into(), m))
        .ok();
    let mut authors = names(&form.authors, Author::named)
        .map_err(|m| fail("authors".into(), m))
        .ok();
    if authors.as_ref().is_some_and(Vec::is_empty) {
        authors = Author::named(default_author.clone()).ok().map(|a| vec![a]);
    }
    let kind = ArticleKind::parse(&form.kind)
        .map_err(|_| fail("kind".into(), messages::CHOOSE_KIND.into()))
        .ok();
    let sources = parse_sources(&form.sources)
        .map_err(|message| fail("sources".into(), message))
        .ok();
    let claim = parse_claim(form, kind)
        .map_err(|message| fail("claim_text".into(), message))
        .ok()
        .flatten();
    let search_and_social = search_and_social(form)
        .map_err(|problems| problems.into_iter().for_each(|p| fail(p.field, p.message)))
        .ok();
    if form.body.trim().is_empty() {
        fail("body".into(), messages::EMPTY_BODY.into());
    }
    let found = match state.newsroom().body_images(&form.body).await {
        Ok(found) => found,
        Err(NewsroomError::Body(problem)) => {
            fail("body".into(), messages::body_problem(&problem));
            BodyImages::default()
        }
        Err(other) => return Err(other.into()),
    };
    let (
        Some(headline),
        Some(section),
        Some(tags),
        Some(authors),
        Some(kind),
        Some(sources),
        Some(search_and_social),
        true,
    ) = (
        headline,
        section,
        tags,
        authors,
        kind,
        sources,
        search_and_social,
        errors.is_empty(),
    )
    else {
        return Err(AppError::Invalid(errors));
    };
    let body_html = state
        .newsroom()
        .render(&Actor::from(account), &form.body, found.images)
        .await
        .map_err(body_invalid)?;
    Ok(StoryContent {
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
        search_and_social,
    })
}

/// A story's words for search engines and shared links, each problem named by its field.
fn search_and_social(form: &StoryForm) -> Result<SearchAndSocial, Vec<FieldError>> {
    SearchAndSocial::parse(
        &form.search_headline,
        &form.social_headline,
        &form.social_description,
    )
    .map_err(|problems| {
        problems
            .into_iter()
            .map(|(field, _)| FieldError {
                field: field.name().into(),
                message: messages::search_and_social_rule(field),
            })
            .collect()
    })
}

fn headline_rule() -> String {
    messages::headline_rule(Headline::MAX_CHARS)
}

/// The standfirst, optional.
fn parse_standfirst(text: &str) -> Result<Option<Standfirst>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Standfirst::parse(text)
        .map(Some)
        .map_err(|_| messages::standfirst_rule(Standfirst::MAX_CHARS))
}

/// Where the form files its story: the section typed, or the pages' for a page of the site.
async fn form_section(
    state: &AppState,
    form: &StoryForm,
    account: &User,
) -> Result<Section, AppError> {
    if form.page {
        Ok(Section::for_pages())
    } else {
        section_from_form(state, account, &form.section).await
    }
}

/// The section a form names. Only editors create sections: for anyone else, one that does not
/// exist yet is refused, so a draft cannot add an entry to the site's navigation; and no new
/// section takes the address of one of the site's own pages.
async fn section_from_form(
    state: &AppState,
    account: &User,
    label: &str,
) -> Result<Section, AppError> {
    let invalid = |message: String| {
        AppError::Invalid(vec![FieldError {
            field: "section".into(),
            message,
        }])
    };
    let Ok(section) = Section::from_label(label) else {
        return Err(invalid(messages::CHOOSE_SECTION.into()));
    };
    // Before looking it up: the section the site's pages are filed under is theirs alone.
    if section.has_reserved_slug() {
        return Err(invalid(messages::section_address_reserved(&section)));
    }
    if state.store.section_by_slug(&section.slug).await?.is_some() {
        return Ok(section);
    }
    if state.store.is_page_slug(&section.slug).await? {
        return Err(invalid(messages::section_address_of_a_page(&section)));
    }
    if can_manage_taxonomy(account.role) {
        return Ok(section);
    }
    Err(invalid(messages::unknown_section(section.name.as_ref())))
}

/// A body that cannot be rendered as a field error of the form; other failures stay errors.
pub(crate) fn body_invalid(error: NewsroomError) -> AppError {
    match error {
        NewsroomError::Body(problem) => AppError::Invalid(vec![FieldError {
            field: "body".into(),
            message: messages::body_problem(&problem),
        }]),
        other => other.into(),
    }
}

/// A fact-check's claim from the form: required for fact-checks, refused for other kinds.
fn parse_claim(form: &StoryForm, kind: Option<ArticleKind>) -> Result<Option<Claim>, String> {
    let typed = !form.claim_text.trim().is_empty();
    let claim = if typed {
        let rating = ClaimRating::parse(&form.claim_rating)
            .map_err(|_| messages::CHOOSE_VERDICT.to_owned())?;
        Some(
            Claim::parse(&form.claim_text, Some(&form.claim_author), rating)
                .map_err(|_| messages::CLAIM_TOO_LONG.to_owned())?,
        )
    } else {
        None
    };
    match kind.map(|kind| check_claim(kind, claim.as_ref())) {
        Some(Err(ClaimMismatch::FactCheckWithoutClaim)) => {
            Err(messages::FACT_CHECK_WITHOUT_CLAIM.into())
        }
        Some(Err(ClaimMismatch::ClaimWithoutFactCheck)) => {
            Err(messages::CLAIM_WITHOUT_FACT_CHECK.into())
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
            Source::parse(label, url).map_err(|_| messages::unreadable_source(line))
        })
        .collect()
}
