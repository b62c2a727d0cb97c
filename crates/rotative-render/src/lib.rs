//! Rotative's rendering: what readers' browsers receive.
//! Owns: the theme (templates, stylesheet), Markdown bodies and sanitising, page models, JSON-LD.
//! Never: I/O beyond reading an operator's theme folder; it is handed data and returns text.

mod body;
mod dates;
mod error;
mod feeds;
mod jsonld;
mod pages;
mod picture;
mod profile;
mod sanitize;
mod sitemaps;
mod theme;
mod views;

pub use body::{
    FigureSource, StoredImage, embed_origins, figure_sources, rename_figures, render_body,
};
pub use dates::DateView;
pub use error::RenderError;
pub use feeds::{FeedChannel, FeedEntry, FeedFormat, render_feed};
pub use pages::{
    ApiGroup, ApiOperation, ApiParameter, ApiReference, HomeSection, ListingKind, Pages,
    SearchHitView, SearchPage, SiteNav,
};
pub use picture::{ImageFile, PictureView, SharedImage};
pub use profile::{BylineView, bio_html, bio_text};
pub use sitemaps::{
    SITEMAP_MAX_URLS, SitemapEntry, news_sitemap, robots_txt, sitemap, sitemap_index,
};
pub use theme::{Asset, LetterText, Theme, escaped};
pub use views::{Site, author_url, section_url, tag_url};

/// The editor's Markdown reader and writer, bundled for Node.js by build.rs: the tests run every
/// body through it to hold the rich mode to Markdown as stored.
#[doc(hidden)]
pub const EDITOR_ROUND_TRIP_MODULE: &str =
    include_str!(concat!(env!("OUT_DIR"), "/editor-round-trip.mjs"));

/// Where the site's emblem (its logo for structured data and previews) is served, and its size.
pub const EMBLEM_PATH: &str = "/logo.png";
pub const EMBLEM_SIZE: u32 = 512;

/// Where a stored media file is served: one rule, shared by bodies, pages and the media route.
pub fn media_url(key: &str) -> String {
    format!("/media/{key}")
}
