//! What the API answers, as JSON: the site's records with absolute addresses, dates in RFC 3339,
//! and nothing of the newsroom's (no drafts, no accounts' email addresses).

use jiff::Timestamp;
use rotative_domain::{
    ArticleSummary, Author, Correction, Figure, Section, SectionId, Source, SubjectId, Tag,
};
use rotative_render::{ImageFile, Site, author_url, section_url, tag_url};
use rotative_store::{CorrectionEntry, ListedStory, PublishedStory};
use serde::Serialize;
use utoipa::ToSchema;

/// The API's own address for a story.
pub(crate) fn story_href(site: &Site, id: rotative_domain::ArticleId) -> String {
    site.absolute(&format!("/api/v1/stories/{id}"))
}

/// A page of a list, and the address of the next one (none on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoryList {
    pub stories: Vec<StoryItem>,
    pub next: Option<String>,
}

/// A published story as lists give it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoryItem {
    pub id: i64,
    /// The story's page, for readers.
    pub url: String,
    /// The whole story, from this API.
    pub href: String,
    pub headline: String,
    pub standfirst: Option<String>,
    /// `news`, `analysis`, `opinion`, `interview`, `report`, `explainer` or `factcheck`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub section: SectionRef,
    pub authors: Vec<AuthorRef>,
    pub lead_image: Option<Image>,
    #[schema(value_type = String, format = DateTime)]
    pub published_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl StoryItem {
    pub(crate) fn new(site: &Site, listed: &ListedStory) -> Self {
        Self::of(site, &listed.summary, listed.updated_at)
    }

    fn of(site: &Site, summary: &ArticleSummary, updated_at: Timestamp) -> Self {
        Self {
            id: summary.id.0,
            url: site.absolute(summary.path.as_ref()),
            href: story_href(site, summary.id),
            headline: summary.headline.to_string(),
            standfirst: summary.standfirst.as_ref().map(ToString::to_string),
            kind: summary.kind.as_str(),
            section: SectionRef::new(site, &summary.section),
            authors: summary
                .authors
                .iter()
                .map(|author| AuthorRef::new(site, author))
                .collect(),
            lead_image: summary
                .lead_image
                .as_ref()
                .map(|figure| Image::new(site, figure)),
            published_at: summary.published_at,
            updated_at,
        }
    }
}

/// A published story, whole.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Story {
    #[serde(flatten)]
    pub item: StoryItem,
    pub subjects: Vec<SubjectRef>,
    /// The body as the page shows it.
    pub body_html: String,
    /// The body as it was written.
    pub body_markdown: String,
    pub sources: Vec<SourceView>,
    /// The claim a fact-check examines, with its verdict.
    pub claim: Option<ClaimView>,
    /// Corrections and updates, newest first.
    pub corrections: Vec<CorrectionView>,
    /// The headline search engines show (the page's `<title>`): the headline unless the
    /// newsroom wrote one for them.
    pub search_headline: String,
    /// The headline and description of the card a shared link makes (Open Graph).
    pub social_headline: String,
    pub social_description: Option<String>,
}

impl Story {
    pub(crate) fn new(site: &Site, story: &PublishedStory) -> Self {
        let article = &story.page.article;
        let summary = ArticleSummary {
            id: article.id,
            path: article.path.clone(),
            headline: article.headline.clone(),
            standfirst: article.standfirst.clone(),
            kind: article.kind,
            section: article.section.clone(),
            authors: article.authors.clone(),
            lead_image: article.lead_image.clone(),
            published_at: article.published_at.unwrap_or(article.updated_at),
        };
        Self {
            item: StoryItem::of(site, &summary, article.updated_at),
            subjects: article
                .tags
                .iter()
                .map(|tag| SubjectRef::new(site, tag))
                .collect(),
            body_html: article.body_html.clone(),
            body_markdown: story.body_markdown.clone(),
            sources: article.sources.iter().map(SourceView::from).collect(),
            claim: article.claim.as_ref().map(|claim| ClaimView {
                text: claim.text.clone(),
                author: claim.author.clone(),
                rating: claim.rating.as_str(),
            }),
            corrections: story
                .page
                .corrections
                .iter()
                .map(CorrectionView::from)
                .collect(),
            search_headline: article.search_headline().to_owned(),
            social_headline: article.social_headline().to_owned(),
            social_description: article.social_description().map(str::to_owned),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SectionRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

impl SectionRef {
    fn new(site: &Site, section: &Section) -> Self {
        Self {
            slug: section.slug.to_string(),
            name: section.name.to_string(),
            url: site.absolute(&section_url(section)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubjectRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

impl SubjectRef {
    fn new(site: &Site, tag: &Tag) -> Self {
        Self {
            slug: tag.slug.to_string(),
            name: tag.name.to_string(),
            url: site.absolute(&tag_url(tag)),
        }
    }
}

/// A byline: the author's name and profile page.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuthorRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

impl AuthorRef {
    fn new(site: &Site, author: &Author) -> Self {
        Self {
            slug: author.slug.to_string(),
            name: author.name.to_string(),
            url: site.absolute(&author_url(author)),
        }
    }
}

/// An image with its description and every file it is offered as.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Image {
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: u32,
    pub height: u32,
    /// Each resized copy, smallest first, in its own format and in WebP, then the original.
    pub files: Vec<ImageFileView>,
}

impl Image {
    fn new(site: &Site, figure: &Figure) -> Self {
        Self {
            alt: figure.alt.to_string(),
            caption: figure.caption.clone(),
            credit: figure.credit.clone(),
            width: figure.width,
            height: figure.height,
            files: ImageFile::all_of(figure)
                .into_iter()
                .map(|file| ImageFileView {
                    url: site.absolute(&file.url),
                    width: file.width,
                    height: file.height,
                    media_type: file.media_type,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImageFileView {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub media_type: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceView {
    pub label: String,
    pub url: String,
}

impl From<&Source> for SourceView {
    fn from(source: &Source) -> Self {
        Self {
            label: source.label.clone(),
            url: source.url.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClaimView {
    pub text: String,
    pub author: Option<String>,
    /// `false`, `mostly_false`, `misleading`, `mixed`, `mostly_true`, `true` or `unproven`.
    pub rating: &'static str,
}

/// A public note on a story: a correction of an error, or an update.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CorrectionView {
    /// `correction` or `update`.
    pub kind: &'static str,
    pub note: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

impl From<&Correction> for CorrectionView {
    fn from(correction: &Correction) -> Self {
        Self {
            kind: correction.kind.as_str(),
            note: correction.note.clone(),
            at: correction.at,
        }
    }
}

/// The site's sections, in the order its navigation shows them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SectionList {
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SectionView {
    pub slug: String,
    pub name: String,
    /// What the section's editors wrote of it, as its page shows it.
    pub description: Option<String>,
    pub url: String,
    /// The section's Atom feed.
    pub feed_url: String,
    /// The section's stories, from this API.
    pub stories: String,
}

impl SectionView {
    pub(crate) fn new(
        site: &Site,
        (_, section): &(SectionId, Section),
        description: Option<&str>,
    ) -> Self {
        let url = section_url(section);
        Self {
            slug: section.slug.to_string(),
            name: section.name.to_string(),
            description: description.map(str::to_owned),
            url: site.absolute(&url),
            feed_url: site.absolute(&format!("{url}feed.atom")),
            stories: site.absolute(&format!("/api/v1/stories?section={}", section.slug)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubjectList {
    pub subjects: Vec<SubjectView>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubjectView {
    pub slug: String,
    pub name: String,
    pub url: String,
    /// The subject's stories, from this API.
    pub stories: String,
}

impl SubjectView {
    pub(crate) fn new(site: &Site, (_, tag): &(SubjectId, Tag)) -> Self {
        Self {
            slug: tag.slug.to_string(),
            name: tag.name.to_string(),
            url: site.absolute(&tag_url(tag)),
            stories: site.absolute(&format!("/api/v1/stories?subject={}", tag.slug)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuthorList {
    pub authors: Vec<AuthorView>,
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuthorView {
    pub slug: String,
    pub name: String,
    pub bio: Option<String>,
    /// The author's profile page.
    pub url: String,
    /// The author's stories, from this API.
    pub stories: String,
}

impl AuthorView {
    pub(crate) fn new(site: &Site, author: &Author) -> Self {
        Self {
            slug: author.slug.to_string(),
            name: author.name.to_string(),
            bio: author.bio.clone(),
            url: site.absolute(&author_url(author)),
            stories: site.absolute(&format!("/api/v1/stories?author={}", author.slug)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CorrectionList {
    pub corrections: Vec<CorrectionEntryView>,
    pub next: Option<String>,
}

/// A public note with the story it is on.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CorrectionEntryView {
    pub id: i64,
    #[serde(flatten)]
    pub correction: CorrectionView,
    pub story: StoryLink,
}

impl CorrectionEntryView {
    pub(crate) fn new(site: &Site, entry: &CorrectionEntry) -> Self {
        Self {
            id: entry.id.0,
            correction: CorrectionView::from(&entry.correction),
            story: StoryLink {
                id: entry.article_id.0,
                headline: entry.headline.clone(),
                url: entry.path.as_deref().map(|path| site.absolute(path)),
                href: story_href(site, entry.article_id),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoryLink {
    pub id: i64,
    pub headline: String,
    pub url: Option<String>,
    pub href: String,
}

/// What changed on the site, oldest first, and where to ask for what follows.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChangeList {
    pub changes: Vec<ChangeView>,
    /// Ask this address for later changes (the same position when nothing changed).
    pub next: String,
}

/// One change: a story published or changed (fetch it again), withdrawn from readers (forget
/// it), or something every page shows (sections, the site's name: fetch the lists again).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChangeView {
    pub seq: i64,
    /// `story.updated`, `story.removed` or `site.updated`.
    pub event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}
