//! What templates receive: plain data with URLs built and dates formatted, so templates hold no
//! logic beyond layout.

use jiff::tz::TimeZone;
use rotative_domain::{ArticleSummary, Author, Figure, Section, Tag};
use serde::Serialize;

use crate::{dates::DateView, picture::PictureView};

/// The site's identity and settings, from configuration.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    /// Absolute origin for canonical links and feeds, without a trailing slash.
    pub base_url: String,
    pub description: String,
    pub time_zone: TimeZone,
    /// Whether feeds carry whole stories (or only their standfirst).
    pub feed_full_text: bool,
    /// Stories per listing page.
    pub page_size: u32,
}

impl Site {
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub url: String,
}

pub fn section_url(section: &Section) -> String {
    format!("/{}/", section.slug)
}

pub fn tag_url(tag: &Tag) -> String {
    format!("/sujet/{}/", tag.slug)
}

pub fn author_url(author: &Author) -> String {
    format!("/auteur/{}/", author.slug)
}

impl From<&Section> for LinkView {
    fn from(section: &Section) -> Self {
        Self {
            name: section.name.to_string(),
            url: section_url(section),
        }
    }
}

impl From<&Tag> for LinkView {
    fn from(tag: &Tag) -> Self {
        Self {
            name: tag.name.to_string(),
            url: tag_url(tag),
        }
    }
}

impl From<&Author> for LinkView {
    fn from(author: &Author) -> Self {
        Self {
            name: author.name.to_string(),
            url: author_url(author),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    #[serde(flatten)]
    pub picture: PictureView,
    pub alt: String,
}

impl From<&Figure> for ImageView {
    fn from(figure: &Figure) -> Self {
        Self {
            picture: PictureView::of(figure),
            alt: figure.alt.to_string(),
        }
    }
}

/// A story in a list.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    pub url: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub section: LinkView,
    pub authors: Vec<LinkView>,
    pub published: DateView,
    pub image: Option<ImageView>,
}

impl CardView {
    pub fn new(summary: &ArticleSummary, tz: &TimeZone) -> Self {
        Self {
            url: summary.path.to_string(),
            headline: summary.headline.to_string(),
            standfirst: summary.standfirst.as_ref().map(ToString::to_string),
            kind: summary.kind.as_str(),
            kind_label: summary.kind.label_fr(),
            section: (&summary.section).into(),
            authors: summary.authors.iter().map(LinkView::from).collect(),
            published: DateView::new(summary.published_at, tz),
            image: summary.lead_image.as_ref().map(ImageView::from),
        }
    }
}

/// A `<link rel="alternate">` to one of a page's feeds.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub href: String,
    pub media_type: &'static str,
}

/// The three feeds of a listing, for the head of its page.
pub fn feed_links(title: &str, page_path: &str) -> Vec<FeedLink> {
    [
        ("Atom", "feed.atom", "application/atom+xml"),
        ("RSS", "feed.rss", "application/rss+xml"),
        ("JSON Feed", "feed.json", "application/feed+json"),
    ]
    .into_iter()
    .map(|(format, file, media_type)| FeedLink {
        title: format!("{title} ({format})"),
        href: format!("{page_path}{file}"),
        media_type,
    })
    .collect()
}

/// Head-of-page metadata shared by every page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Feeds of this page's listing, besides the site's own.
    pub feeds: Vec<FeedLink>,
}
