//! What search engines read: `robots.txt`, the sitemap index and its sitemaps (sitemaps.org 0.9),
//! and the Google News sitemap of the last two days.

use jiff::Timestamp;
use quick_xml::{
    Writer,
    events::{BytesDecl, BytesText, Event},
};
use rotative_domain::ArticleSummary;

use crate::{RenderError, Site, dates::DateView};

/// The most URLs one sitemap may list (sitemaps.org).
pub const SITEMAP_MAX_URLS: u32 = 50_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One address in a sitemap (or one sitemap in the index).
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub path: String,
    pub last_modified: Option<Timestamp>,
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn document(
    root: &str,
    namespaces: &[(&str, &str)],
    body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>,
) -> Result<String, RenderError> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element(root)
        .with_attributes(namespaces.iter().copied())
        .write_inner_content(body)?;
    Ok(String::from_utf8_lossy(&w.into_inner()).into_owned())
}

fn entries(
    site: &Site,
    w: &mut Writer<Vec<u8>>,
    element: &str,
    list: &[SitemapEntry],
) -> std::io::Result<()> {
    for entry in list {
        w.create_element(element).write_inner_content(|w| {
            text(w, "loc", &site.absolute(&entry.path))?;
            if let Some(at) = entry.last_modified {
                text(w, "lastmod", &DateView::new(at, &site.time_zone).iso)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The sitemap index: one line per sitemap.
pub fn sitemap_index(site: &Site, sitemaps: &[SitemapEntry]) -> Result<String, RenderError> {
    document("sitemapindex", &[("xmlns", SITEMAP_NS)], |w| {
        entries(site, w, "sitemap", sitemaps)
    })
}

/// One sitemap: up to `SITEMAP_MAX_URLS` addresses.
pub fn sitemap(site: &Site, urls: &[SitemapEntry]) -> Result<String, RenderError> {
    document("urlset", &[("xmlns", SITEMAP_NS)], |w| {
        entries(site, w, "url", urls)
    })
}

/// The Google News sitemap: stories published in the last two days.
pub fn news_sitemap(site: &Site, stories: &[ArticleSummary]) -> Result<String, RenderError> {
    document(
        "urlset",
        &[("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)],
        |w| {
            for story in stories {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &site.absolute(story.path.as_ref()))?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication")
                            .write_inner_content(|w| {
                                text(w, "news:name", &site.name)?;
                                text(w, "news:language", "fr")
                            })?;
                        text(
                            w,
                            "news:publication_date",
                            &DateView::new(story.published_at, &site.time_zone).iso,
                        )?;
                        text(w, "news:title", story.headline.as_ref())
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        },
    )
}

/// `robots.txt`: everything public may be crawled, the newsroom may not; where the sitemaps are.
pub fn robots_txt(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /redaction/\n\nSitemap: {}\nSitemap: {}\n",
        site.absolute("/sitemap.xml"),
        site.absolute("/news-sitemap.xml")
    )
}
