//! Feeds for feed readers: Atom 1.0, RSS 2.0 and JSON Feed 1.1, for the whole site and for each
//! section, tag and author, from the same data as the pages.

use jiff::{Timestamp, tz::TimeZone};
use quick_xml::{
    Writer,
    events::{BytesDecl, BytesText, Event},
};
use rotative_domain::ArticleSummary;
use serde_json::{Value, json};

use crate::{RenderError, SharedImage, Site, dates::DateView, views::author_url};

/// The three formats, each at `…/feed.EXT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

impl FeedFormat {
    pub const ALL: [Self; 3] = [Self::Atom, Self::Rss, Self::Json];

    /// The format a feed file name asks for (`feed.atom`, `feed.rss`, `feed.json`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| format.file_name() == name)
    }

    pub fn file_name(self) -> &'static str {
        match self {
            Self::Atom => "feed.atom",
            Self::Rss => "feed.rss",
            Self::Json => "feed.json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Atom => "application/atom+xml; charset=utf-8",
            Self::Rss => "application/rss+xml; charset=utf-8",
            Self::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// What a feed is about: its title and the page it mirrors (`/`, `/monde/`, `/sujet/x/`…).
#[derive(Debug, Clone)]
pub struct FeedChannel {
    pub title: String,
    pub description: String,
    pub page_path: String,
}

impl FeedChannel {
    pub fn feed_path(&self, format: FeedFormat) -> String {
        format!("{}{}", self.page_path, format.file_name())
    }
}

/// One story in a feed.
#[derive(Debug, Clone, Copy)]
pub struct FeedEntry<'a> {
    pub summary: &'a ArticleSummary,
    pub body_html: &'a str,
    pub updated_at: Timestamp,
}

/// Bodies link to `/media/…` and `/…`; feed readers need absolute addresses.
/// Feed readers show entries away from the site: every link and image address, including each
/// candidate of a `srcset`, is made absolute.
fn absolute_links(site: &Site, html: &str) -> String {
    let base = &site.base_url;
    html.replace(" src=\"/", &format!(" src=\"{base}/"))
        .replace(" href=\"/", &format!(" href=\"{base}/"))
        .replace(" srcset=\"/", &format!(" srcset=\"{base}/"))
        .replace("w, /media/", &format!("w, {base}/media/"))
}

fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    DateView::new(at, tz).iso
}

fn rfc2822(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

fn last_change(entries: &[FeedEntry<'_>]) -> Timestamp {
    entries
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Renders a feed in `format`. With `full_text`, entries carry the whole story; without, its
/// standfirst only (a site setting).
pub fn render_feed(
    site: &Site,
    format: FeedFormat,
    channel: &FeedChannel,
    entries: &[FeedEntry<'_>],
    full_text: bool,
) -> Result<String, RenderError> {
    match format {
        FeedFormat::Atom => atom(site, channel, entries, full_text),
        FeedFormat::Rss => rss(site, channel, entries, full_text),
        FeedFormat::Json => Ok(json_feed(site, channel, entries, full_text).to_string()),
    }
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn atom(
    site: &Site,
    channel: &FeedChannel,
    entries: &[FeedEntry<'_>],
    full_text: bool,
) -> Result<String, RenderError> {
    let tz = &site.time_zone;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", "fr"))
        .write_inner_content(|w| {
            text_element(w, "title", &channel.title)?;
            text_element(w, "subtitle", &channel.description)?;
            text_element(w, "id", &site.absolute(&channel.page_path))?;
            let page = site.absolute(&channel.page_path);
            let feed = site.absolute(&channel.feed_path(FeedFormat::Atom));
            w.create_element("link")
                .with_attributes([
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", page.as_str()),
                ])
                .write_empty()?;
            w.create_element("link")
                .with_attributes([
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", feed.as_str()),
                ])
                .write_empty()?;
            text_element(w, "updated", &rfc3339(last_change(entries), tz))?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", &site.name))?;
            text_element(w, "generator", "Rotative")?;
            for entry in entries {
                let story = entry.summary;
                let url = site.absolute(story.path.as_ref());
                w.create_element("entry").write_inner_content(|w| {
                    text_element(w, "title", story.headline.as_ref())?;
                    w.create_element("link")
                        .with_attributes([
                            ("rel", "alternate"),
                            ("type", "text/html"),
                            ("href", url.as_str()),
                        ])
                        .write_empty()?;
                    text_element(w, "id", &url)?;
                    text_element(w, "published", &rfc3339(story.published_at, tz))?;
                    text_element(w, "updated", &rfc3339(entry.updated_at, tz))?;
                    for author in &story.authors {
                        let uri = site.absolute(&author_url(author));
                        w.create_element("author").write_inner_content(|w| {
                            text_element(w, "name", author.name.as_ref())?;
                            text_element(w, "uri", &uri)
                        })?;
                    }
                    w.create_element("category")
                        .with_attributes([
                            ("term", story.section.slug.as_ref()),
                            ("label", story.section.name.as_ref()),
                        ])
                        .write_empty()?;
                    if let Some(standfirst) = &story.standfirst {
                        w.create_element("summary")
                            .with_attribute(("type", "text"))
                            .write_text_content(BytesText::new(standfirst.as_ref()))?;
                    }
                    if full_text {
                        w.create_element("content")
                            .with_attribute(("type", "html"))
                            .write_text_content(BytesText::new(&absolute_links(
                                site,
                                entry.body_html,
                            )))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(String::from_utf8_lossy(&w.into_inner()).into_owned())
}

fn rss(
    site: &Site,
    channel: &FeedChannel,
    entries: &[FeedEntry<'_>],
    full_text: bool,
) -> Result<String, RenderError> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.create_element("rss")
        .with_attributes([
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
        ])
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text_element(w, "title", &channel.title)?;
                text_element(w, "link", &site.absolute(&channel.page_path))?;
                text_element(w, "description", &channel.description)?;
                text_element(w, "language", "fr")?;
                text_element(w, "lastBuildDate", &rfc2822(last_change(entries)))?;
                let feed = site.absolute(&channel.feed_path(FeedFormat::Rss));
                w.create_element("atom:link")
                    .with_attributes([
                        ("href", feed.as_str()),
                        ("rel", "self"),
                        ("type", "application/rss+xml"),
                    ])
                    .write_empty()?;
                text_element(w, "generator", "Rotative")?;
                for entry in entries {
                    let story = entry.summary;
                    let url = site.absolute(story.path.as_ref());
                    w.create_element("item").write_inner_content(|w| {
                        text_element(w, "title", story.headline.as_ref())?;
                        text_element(w, "link", &url)?;
                        w.create_element("guid")
                            .with_attribute(("isPermaLink", "true"))
                            .write_text_content(BytesText::new(&url))?;
                        text_element(w, "pubDate", &rfc2822(story.published_at))?;
                        for author in &story.authors {
                            text_element(w, "dc:creator", author.name.as_ref())?;
                        }
                        text_element(w, "category", story.section.name.as_ref())?;
                        let description = story.standfirst.as_ref().map_or("", AsRef::as_ref);
                        text_element(w, "description", description)?;
                        if full_text {
                            text_element(
                                w,
                                "content:encoded",
                                &absolute_links(site, entry.body_html),
                            )?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(String::from_utf8_lossy(&w.into_inner()).into_owned())
}

fn json_feed(
    site: &Site,
    channel: &FeedChannel,
    entries: &[FeedEntry<'_>],
    full_text: bool,
) -> Value {
    let tz = &site.time_zone;
    let items: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let story = entry.summary;
            let url = site.absolute(story.path.as_ref());
            let authors: Vec<Value> = story
                .authors
                .iter()
                .map(|a| json!({ "name": a.name.as_ref(), "url": site.absolute(&author_url(a)) }))
                .collect();
            let mut item = json!({
                "id": url,
                "url": url,
                "title": story.headline.as_ref(),
                "date_published": rfc3339(story.published_at, tz),
                "date_modified": rfc3339(entry.updated_at, tz),
                "authors": authors,
                "tags": [story.section.name.as_ref()],
                "language": "fr",
            });
            if let Some(standfirst) = &story.standfirst {
                item["summary"] = json!(standfirst.as_ref());
            }
            if full_text {
                item["content_html"] = json!(absolute_links(site, entry.body_html));
            } else {
                item["content_text"] = json!(story.standfirst.as_ref().map_or("", AsRef::as_ref));
            }
            if let Some(image) = &story.lead_image {
                item["image"] = json!(site.absolute(&SharedImage::of(image).path));
            }
            item
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel.title,
        "home_page_url": site.absolute(&channel.page_path),
        "feed_url": site.absolute(&channel.feed_path(FeedFormat::Json)),
        "description": channel.description,
        "language": "fr",
        "authors": [{ "name": site.name }],
        "items": items,
    })
}
