//! `rotative import wordpress`: a WordPress export brought in, each old address answering with a
//! permanent redirect to its new one.
//!
//! The file is read twice, as a stream both times: first to check all of it and learn its
//! authors and categories (nothing is written if it is broken), then to import each item in its
//! own transaction, with its redirects and the record that it was imported — so a run stopped
//! at any point resumes where it stopped, and a second run changes nothing.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    fs::File,
    io::BufReader,
    path::{Path, PathBuf},
    sync::LazyLock,
};

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};
use regex::Regex;
use rotative_domain::{
    AltText, ArticleKind, ArticlePath, ArticleStatus, Author, Headline, Name, Section, Slug,
    Standfirst, Tag,
};
use rotative_media::MediaStorage;
use rotative_render::{Theme, render_body};
use rotative_store::{NewArticle, NewLeadImage, Store, StoreError, StoryContent};
use thiserror::Error;

use crate::{
    wp_content::convert,
    wp_images::{ImagePlacer, PlacedImages, uploads_path},
    wxr::{Entry, Taxonomy, WpItem, WxrProblem, WxrReader, locate},
};

const SOURCE: &str = "wordpress";

#[derive(Debug, Error)]
pub enum WordPressError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {problem}")]
    Xml {
        path: PathBuf,
        line: u64,
        column: u64,
        problem: WxrProblem,
    },
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("media storage: {0}")]
    Media(#[from] rotative_media::MediaError),
}

/// What a run did, item by item, for the report printed at the end.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: usize,
    /// Imported by an earlier run, left as they are.
    pub unchanged: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub scheduled: usize,
    pub sticky: usize,
    pub comments: usize,
    pub redirects: usize,
    pub unknown_shortcodes: BTreeSet<String>,
    pub images_left_out: BTreeSet<String>,
}

/// What the first pass learns: who wrote, what the categories are, where the site lived.
#[derive(Default)]
struct Survey {
    authors: HashMap<String, String>,
    categories: HashMap<String, (String, String)>,
    /// Attachment ids and the addresses of their files, for galleries and featured images.
    attachments: HashMap<u64, String>,
    /// Attachment pages by the uploads path of their file, so they lead to the stored image.
    attachment_pages: HashMap<String, String>,
    items: usize,
}

pub struct WordPressImporter<'a> {
    pub store: &'a Store,
    pub storage: &'a MediaStorage,
    pub theme: &'a Theme,
    pub time_zone: &'a TimeZone,
    /// A copy of the old site's `wp-content/uploads`, where its images are read from.
    pub uploads: Option<&'a Path>,
}

fn open(path: &Path) -> Result<WxrReader<BufReader<File>>, WordPressError> {
    let file = File::open(path).map_err(|source| WordPressError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(WxrReader::new(BufReader::with_capacity(64 * 1024, file)))
}

fn xml_error(path: &Path, error: crate::wxr::WxrError) -> WordPressError {
    let (line, column) = File::open(path)
        .and_then(|file| locate(file, error.offset))
        .unwrap_or((0, 0));
    WordPressError::Xml {
        path: path.to_owned(),
        line,
        column,
        problem: error.problem,
    }
}

/// The path (and query) of an address on the old site: `https://site.example/a/?p=1` → `/a/?p=1`.
fn old_path(link: &str) -> Option<String> {
    let rest = link.split_once("://")?.1;
    let path = rest.find('/').map_or("/", |at| &rest[at..]);
    let path = path.split('#').next().unwrap_or(path);
    (!path.is_empty()).then(|| path.to_owned())
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap_or_else(|_| unreachable!("a fixed pattern")));
/// WordPress allows a post without a title; its first words stand in for one.
fn untitled(item: &WpItem) -> Result<Headline, rotative_domain::ParseError> {
    let text = TAG.replace_all(&item.content, " ");
    let words: Vec<&str> = text.split_whitespace().take(10).collect();
    if words.is_empty() {
        Headline::parse(&format!("Sans titre ({})", item.id))
    } else {
        Headline::parse(&format!("{}…", words.join(" ")))
    }
}

/// What identifies an item across runs: its WordPress id, or, in exports written without ids,
/// its permanent identifier or address.
fn source_key(item: &WpItem) -> String {
    if item.id > 0 {
        item.id.to_string()
    } else if !item.guid.is_empty() {
        item.guid.clone()
    } else {
        format!("{}|{}", item.link, item.title)
    }
}

/// WordPress dates are `YYYY-MM-DD HH:MM:SS`, in UTC (`_gmt`) or in the site's zone.
fn timestamp(item: &WpItem, zone: &TimeZone) -> Option<Timestamp> {
    let parse = |text: &str| text.replace(' ', "T").parse::<DateTime>().ok();
    if let Some(utc) = parse(&item.date_gmt).filter(|_| !item.date_gmt.starts_with("0000")) {
        return utc.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    parse(&item.date)?
        .to_zoned(zone.clone())
        .ok()
        .map(|z| z.timestamp())
}

/// An excerpt as a standfirst: text only, cut at a word when too long.
fn standfirst(excerpt: &str) -> Option<Standfirst> {
    let text = TAG.replace_all(excerpt, " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    let mut cut = String::new();
    for word in text.split(' ') {
        if cut.chars().count() + word.chars().count() + 2 > Standfirst::MAX_CHARS {
            cut.push('…');
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    Standfirst::parse(&cut).ok()
}

fn named<T>(
    name: &str,
    make: impl Fn(Name) -> Result<T, rotative_domain::ParseError>,
) -> Option<T> {
    Name::parse(name).ok().and_then(|name| make(name).ok())
}

impl WordPressImporter<'_> {
    /// Imports every post and page of the export at `path`; `progress` hears about each item.
    pub async fn import(
        &self,
        path: &Path,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportReport, WordPressError> {
        let survey = Self::survey(path)?;
        let mut reader = open(path)?;
        let mut report = ImportReport::default();
        let mut archives: HashSet<(String, String)> = HashSet::new();
        let mut seen = 0;
        while let Some(entry) = reader.next_entry().map_err(|e| xml_error(path, e))? {
            let Entry::Item(item) = entry else { continue };
            seen += 1;
            progress(seen, survey.items);
            self.import_item(&item, &survey, &mut report, &mut archives)
                .await?;
        }
        for (old, target) in archives {
            if self.store.add_redirect(&old, &target).await? {
                report.redirects += 1;
            }
        }
        Ok(report)
    }

    /// Reads the whole file once, checking it and learning its authors and categories.
    fn survey(path: &Path) -> Result<Survey, WordPressError> {
        let mut reader = open(path)?;
        let mut survey = Survey::default();
        while let Some(entry) = reader.next_entry().map_err(|e| xml_error(path, e))? {
            match entry {
                Entry::Author(author) => {
                    let name = if author.display_name.is_empty() {
                        author.login.clone()
                    } else {
                        author.display_name
                    };
                    survey.authors.insert(author.login, name);
                }
                Entry::Term(term) if term.taxonomy == Taxonomy::Category => {
                    survey
                        .categories
                        .insert(term.slug, (term.name, term.parent));
                }
                Entry::Term(_) => {}
                Entry::Item(item) => {
                    survey.items += 1;
                    if item.post_type == "attachment" && !item.attachment_url.is_empty() {
                        if let (Some(file), Some(page)) =
                            (uploads_path(&item.attachment_url), old_path(&item.link))
                        {
                            survey.attachment_pages.insert(file, page);
                        }
                        survey.attachments.insert(item.id, item.attachment_url);
                    }
                }
            }
        }
        Ok(survey)
    }

    async fn import_item(
        &self,
        item: &WpItem,
        survey: &Survey,
        report: &mut ImportReport,
        archives: &mut HashSet<(String, String)>,
    ) -> Result<(), WordPressError> {
        let label = format!("#{} « {} »", item.id, item.title);
        if !matches!(item.post_type.as_str(), "post" | "page" | "") {
            let reason = match item.post_type.as_str() {
                "attachment" => "image file: imported with the stories that show it".to_owned(),
                other => format!("{other}: not a story"),
            };
            report.skipped.push((label, reason));
            return Ok(());
        }
        let status = match item.status.as_str() {
            "publish" => ArticleStatus::Published,
            "draft" | "pending" | "private" => ArticleStatus::Draft,
            "future" => {
                report.scheduled += 1;
                ArticleStatus::Scheduled
            }
            other => {
                report.skipped.push((label, format!("status « {other} »")));
                return Ok(());
            }
        };
        if self
            .store
            .imported_item(SOURCE, &source_key(item))
            .await?
            .is_some()
        {
            report.unchanged += 1;
            return Ok(());
        }
        report.comments += item.comments;
        report.sticky += usize::from(item.sticky);
        match self.story(item, survey, status, report, archives).await? {
            Ok(()) => report.imported += 1,
            Err(reason) => report.failed.push((label, reason)),
        }
        Ok(())
    }

    /// The story's body: converted, its images placed, rendered; and its lead image.
    async fn body(
        &self,
        item: &WpItem,
        survey: &Survey,
        report: &mut ImportReport,
        archives: &mut HashSet<(String, String)>,
    ) -> Result<Result<(PlacedImages, String, Option<NewLeadImage>), String>, WordPressError> {
        let converted = convert(&item.content);
        report
            .unknown_shortcodes
            .extend(converted.unknown_shortcodes.iter().cloned());
        let placer = ImagePlacer {
            store: self.store,
            storage: self.storage,
            uploads: self.uploads,
            attachments: &survey.attachments,
            attachment_pages: &survey.attachment_pages,
        };
        let featured = item
            .meta("_thumbnail_id")
            .and_then(|id| id.trim().parse().ok());
        let placed = placer
            .place_all(&converted.body, featured, &mut report.images_left_out)
            .await?;
        for (old, new) in &placed.redirects {
            archives.insert((old.clone(), new.clone()));
        }
        let body_html = match render_body(self.theme, &placed.body, &placed.images) {
            Ok(html) => html,
            Err(error) => return Ok(Err(format!("content: {error}"))),
        };
        let lead_image = placed.keys.iter().find_map(|key| {
            let image = &placed.images[key];
            Some(NewLeadImage {
                storage_key: key.clone(),
                alt: AltText::parse(image.alt.as_deref()?).ok()?,
                caption: image.caption.clone(),
                credit: image.credit.clone(),
            })
        });
        Ok(Ok((placed, body_html, lead_image)))
    }

    /// Builds and stores one story; the inner error is why this item could not be imported.
    async fn story(
        &self,
        item: &WpItem,
        survey: &Survey,
        status: ArticleStatus,
        report: &mut ImportReport,
        archives: &mut HashSet<(String, String)>,
    ) -> Result<Result<(), String>, WordPressError> {
        let Ok(headline) = Headline::parse(&item.title).or_else(|_| untitled(item)) else {
            return Ok(Err("no usable title".into()));
        };
        let is_page = item.post_type == "page";
        let (section, mut tags) = placement(item, survey, is_page);
        let authors: Vec<Author> = survey
            .authors
            .get(&item.creator)
            .or(Some(&item.creator))
            .and_then(|name| named(name, Author::named))
            .into_iter()
            .collect();
        tags.extend(
            item.terms
                .iter()
                .filter(|t| t.taxonomy == Taxonomy::Tag)
                .filter_map(|t| named(&t.name, Tag::named)),
        );
        tags.dedup_by(|a, b| a.slug == b.slug);
        let (placed, body_html, lead_image) =
            match self.body(item, survey, report, archives).await? {
                Ok(body) => body,
                Err(reason) => return Ok(Err(reason)),
            };
        let published_at = timestamp(item, self.time_zone).unwrap_or_else(Timestamp::now);
        let base_slug = Slug::parse(&item.slug)
            .or_else(|_| Slug::from_title(&item.title))
            .map_err(|e| e.to_string());
        let Ok(base_slug) = base_slug else {
            return Ok(Err("no usable address".into()));
        };
        let slug = self.store.free_article_slug(&base_slug).await?;
        let published = status == ArticleStatus::Published;
        let path =
            published.then(|| ArticlePath::new(&section.slug, &slug, published_at, self.time_zone));
        let mut redirects: Vec<String> = [item.link.as_str(), item.guid.as_str()]
            .into_iter()
            .filter_map(old_path)
            .collect();
        if item.id > 0 {
            redirects.push(format!("/?p={}", item.id));
            if is_page {
                redirects.push(format!("/?page_id={}", item.id));
            }
        }
        redirects.dedup();
        if published {
            note_archives(item, survey, (&section, &tags, &authors), archives);
        }
        let new = NewArticle {
            slug,
            path,
            status,
            published_at: published.then_some(published_at),
            // A scheduled post goes live at its date (at once if that passed while moving).
            scheduled_at: (status == ArticleStatus::Scheduled).then_some(published_at),
            created_by: None,
            content: StoryContent {
                headline,
                standfirst: standfirst(&item.excerpt),
                body_markdown: placed.body,
                body_html,
                kind: if is_page {
                    ArticleKind::Explainer
                } else {
                    ArticleKind::News
                },
                section,
                tags,
                authors,
                media: Vec::new(),
                lead_image,
                media_keys: placed.keys,
                sources: Vec::new(),
                claim: None,
            },
        };
        let stored = self
            .store
            .create_imported_article(&new, (SOURCE, &source_key(item)), &redirects)
            .await;
        match stored {
            Ok(_) => {
                if published {
                    report.redirects += redirects.len();
                }
                Ok(Ok(()))
            }
            Err(StoreError::AlreadyExists(what)) => Ok(Err(format!("{what} already exists"))),
            Err(other) => Err(other.into()),
        }
    }
}

/// A post's section is its first category's top ancestor; the categories under it become
/// subjects. Pages go to a section of their own.
fn placement(item: &WpItem, survey: &Survey, is_page: bool) -> (Section, Vec<Tag>) {
    let fallback = || named("Articles", Section::named).into_iter().next();
    if is_page && let Some(section) = named("Pages", Section::named) {
        return (section, Vec::new());
    }
    let categories: Vec<&str> = item
        .terms
        .iter()
        .filter(|t| t.taxonomy == Taxonomy::Category)
        .map(|t| t.slug.as_str())
        .collect();
    let top = |slug: &str| {
        let mut current = slug.to_owned();
        for _ in 0..16 {
            match survey.categories.get(&current) {
                Some((_, parent)) if !parent.is_empty() => current.clone_from(parent),
                _ => break,
            }
        }
        current
    };
    let name_of = |slug: &str| {
        survey
            .categories
            .get(slug)
            .map(|(name, _)| name.clone())
            .or_else(|| {
                item.terms
                    .iter()
                    .find(|t| t.slug == slug)
                    .map(|t| t.name.clone())
            })
            .unwrap_or_else(|| slug.to_owned())
    };
    let section = categories
        .first()
        .and_then(|first| named(&name_of(&top(first)), Section::named))
        .or_else(fallback);
    let tags = categories
        .iter()
        .filter(|slug| top(slug) != **slug)
        .filter_map(|slug| named(&name_of(slug), Tag::named))
        .collect();
    match section {
        Some(section) => (section, tags),
        None => (
            Section::from_label("Articles").unwrap_or_else(|_| unreachable!("a valid name")),
            tags,
        ),
    }
}

/// The archive addresses a published story makes meaningful on the new site: its
/// categories, tags and author, and their feeds.
fn note_archives(
    item: &WpItem,
    survey: &Survey,
    (section, tags, authors): (&Section, &[Tag], &[Author]),
    archives: &mut HashSet<(String, String)>,
) {
    for term in &item.terms {
        let (old_base, new_base) = match term.taxonomy {
            Taxonomy::Category => {
                let is_top = survey
                    .categories
                    .get(&term.slug)
                    .is_none_or(|(_, parent)| parent.is_empty());
                let target = if is_top {
                    format!("/{}/", section.slug)
                } else {
                    match named(&term.name, Tag::named) {
                        Some(tag) if tags.iter().any(|t| t.slug == tag.slug) => {
                            format!("/sujet/{}/", tag.slug)
                        }
                        _ => format!("/{}/", section.slug),
                    }
                };
                (format!("/category/{}/", term.slug), target)
            }
            Taxonomy::Tag => match named(&term.name, Tag::named) {
                Some(tag) => (
                    format!("/tag/{}/", term.slug),
                    format!("/sujet/{}/", tag.slug),
                ),
                None => continue,
            },
            Taxonomy::Other => continue,
        };
        archives.insert((format!("{old_base}feed/"), format!("{new_base}feed.atom")));
        archives.insert((old_base, new_base));
    }
    if let Some(author) = authors.first() {
        let old = format!("/author/{}/", item.creator);
        let new = format!("/auteur/{}/", author.slug);
        archives.insert((format!("{old}feed/"), format!("{new}feed.atom")));
        archives.insert((old, new));
    }
    archives.insert(("/feed/".into(), "/feed.atom".into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_addresses_keep_their_path_and_query() {
        assert_eq!(
            old_path("https://wp-themes.com/?p=19").as_deref(),
            Some("/?p=19")
        );
        assert_eq!(
            old_path("http://site.example/2008/10/boat/#more").as_deref(),
            Some("/2008/10/boat/")
        );
        assert_eq!(old_path("https://site.example").as_deref(), Some("/"));
        assert_eq!(old_path("not a link"), None);
    }

    #[test]
    fn excerpts_become_standfirsts_cut_at_a_word() {
        assert_eq!(
            standfirst("<p>Un <b>court</b> résumé.</p>")
                .unwrap()
                .as_ref(),
            "Un court résumé."
        );
        let long = "mot ".repeat(400);
        let cut = standfirst(&long).unwrap();
        assert!(
            cut.as_ref().ends_with('…') && cut.as_ref().chars().count() <= Standfirst::MAX_CHARS
        );
        assert_eq!(standfirst("  "), None);
    }
}
