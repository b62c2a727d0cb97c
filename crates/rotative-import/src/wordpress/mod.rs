//! `rotative import wordpress`: a WordPress export brought in, each old address answering with a
//! permanent redirect to its new one.
//!
//! The file is read twice, as a stream both times: first to check all of it and learn its
//! authors and categories (nothing is written if it is broken), then to import its items by
//! batches of new stories, each batch in one transaction with its redirects and the record that
//! each item was imported — so a run stopped at any point resumes where it stopped, and a second
//! run changes nothing.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    fs::File,
    io::BufReader,
    path::Path,
};

use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::{
    ArticleKind, ArticlePath, ArticleStatus, Author, Email, Headline, Name, Role, SearchAndSocial,
    Section, Slug, Standfirst, Tag, is_reserved_section_slug, local_time,
};
use rotative_media::MediaStorage;
use rotative_newsroom::{BatchSlugs, lead_image};
use rotative_render::{Theme, figure_sources, render_body};
use rotative_store::{
    EditableStory, ImportRecord, ImportUpdate, ImportedStory, NewArticle, NewLeadImage, Store,
    StoreError, StoryContent,
};
use sha2::{Digest, Sha256};

pub mod content;
mod error;
mod images;

pub use error::WordPressError;

use crate::wxr::{Entry, Taxonomy, WpItem, WxrReader, locate};
use content::{convert, without_tags};
use images::{ImagePlacer, PlacedImages, uploads_path};

const SOURCE: &str = "wordpress";

/// What a run did, item by item, for the report printed at the end.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: usize,
    /// Imported by an earlier run and changed at the source since: brought up to date.
    pub updated: usize,
    /// Imported by an earlier run, left as they are.
    pub unchanged: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub scheduled: usize,
    /// Sticky posts, put in the front page's free slots.
    pub sticky: usize,
    pub comments: usize,
    /// Authors given an account that waits for an admin to activate it.
    pub accounts: usize,
    /// Authors without a usable email address: bylines only.
    pub authors_without_account: Vec<String>,
    pub redirects: usize,
    pub unknown_shortcodes: BTreeSet<String>,
    pub images_left_out: BTreeSet<String>,
}

/// An author of the export: the byline's name, and the address their account is made with.
struct SurveyedAuthor {
    name: String,
    email: String,
}

/// What the first pass learns: who wrote, what the categories are, where the site lived.
#[derive(Default)]
struct Survey {
    /// By login.
    authors: HashMap<String, SurveyedAuthor>,
    categories: HashMap<String, (String, String)>,
    /// Tag slugs, used or not.
    tags: Vec<String>,
    /// Attachment ids and the addresses of their files, for galleries and featured images.
    attachments: HashMap<u64, String>,
    /// Attachment pages by the uploads path of their file, so they lead to the stored image.
    attachment_pages: HashMap<String, String>,
    items: usize,
}

impl Survey {
    /// The category at the top of `slug`'s family: the one that becomes a section.
    fn top_category(&self, slug: &str) -> String {
        let mut current = slug.to_owned();
        for _ in 0..16 {
            match self.categories.get(&current) {
                Some((_, parent)) if !parent.is_empty() => current.clone_from(parent),
                _ => break,
            }
        }
        current
    }
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

/// Whether the item is a post or a page: what becomes a story.
fn is_story(item: &WpItem) -> bool {
    matches!(item.post_type.as_str(), "post" | "page" | "")
}

/// The item's title as a headline, or its first words for a post without one.
fn headline(item: &WpItem) -> Option<Headline> {
    Headline::parse(&item.title)
        .or_else(|_| untitled(item))
        .ok()
}

/// WordPress allows a post without a title; its first words stand in for one.
fn untitled(item: &WpItem) -> Result<Headline, rotative_domain::ParseError> {
    let text = without_tags(&item.content);
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

/// When the item was published.
fn timestamp(item: &WpItem, zone: &TimeZone) -> Option<Timestamp> {
    wordpress_time(&item.date_gmt, &item.date, zone)
}

/// When the item was last changed.
fn modified(item: &WpItem, zone: &TimeZone) -> Option<Timestamp> {
    wordpress_time(&item.modified_gmt, &item.modified, zone)
}

/// WordPress dates are `YYYY-MM-DD HH:MM:SS`, in UTC (`_gmt`) or in the site's zone; drafts
/// carry `0000-00-00 00:00:00` in UTC.
fn wordpress_time(utc: &str, local: &str, zone: &TimeZone) -> Option<Timestamp> {
    if !utc.starts_with("0000")
        && let Some(at) = local_time(&TimeZone::UTC, utc)
    {
        return Some(at);
    }
    local_time(zone, local)
}

/// An excerpt as a standfirst: text only, cut at a word when too long.
fn standfirst(excerpt: &str) -> Option<Standfirst> {
    let text = without_tags(excerpt);
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
    /// The first segments of addresses sections answer at: those stored, and those the export's
    /// categories make (a section's slug comes from its name).
    async fn section_addresses(&self, survey: &Survey) -> Result<BTreeSet<Slug>, WordPressError> {
        let mut addresses = self.store.section_addresses().await?;
        addresses.insert(Section::for_pages().slug);
        for (slug, (name, _)) in &survey.categories {
            addresses.extend(Slug::parse(slug).ok());
            addresses.extend(named(name, Section::named).map(|section| section.slug));
        }
        addresses.extend(named("Articles", Section::named).map(|section| section.slug));
        Ok(addresses)
    }

    /// Imports every post and page of the export at `path`; `progress` hears about each item.
    pub async fn import(
        &self,
        path: &Path,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportReport, WordPressError> {
        let survey = Self::survey(path)?;
        let section_addresses = self.section_addresses(&survey).await?;
        let mut report = ImportReport::default();
        self.accounts(&survey, &mut report).await?;
        let mut reader = open(path)?;
        let mut archives: HashSet<(String, String)> = HashSet::new();
        let mut batch = Vec::with_capacity(Pending::BATCH);
        let mut seen = 0;
        loop {
            let entry = reader.next_entry().map_err(|e| xml_error(path, e))?;
            let done = entry.is_none();
            if let Some(Entry::Item(item)) = entry {
                batch.push(*item);
            }
            if batch.len() == Pending::BATCH || (done && !batch.is_empty()) {
                let mut run = Run {
                    survey: &survey,
                    section_addresses: &section_addresses,
                    report: &mut report,
                    archives: &mut archives,
                    pending: Pending::default(),
                };
                self.import_batch(&batch, &mut run, |n| progress(seen + n, survey.items))
                    .await?;
                seen += batch.len();
                batch.clear();
            }
            if done {
                break;
            }
        }
        for (old, target) in &archives {
            if self.store.add_redirect(old, target).await? {
                report.redirects += 1;
            }
        }
        self.unused_archives(&survey, &archives, &mut report)
            .await?;
        // The stories are in: a vacuum that fails leaves them slower to list, not missing.
        if let Err(error) = self.store.after_bulk_load().await {
            tracing::warn!(%error, "the imported tables could not be vacuumed");
        }
        Ok(report)
    }

    /// Archives of the old site that no published post used: a category leads to its family's
    /// section when that section has published stories; anything else is gone (410), never a
    /// 404.
    async fn unused_archives(
        &self,
        survey: &Survey,
        archives: &HashSet<(String, String)>,
        report: &mut ImportReport,
    ) -> Result<(), WordPressError> {
        let used: HashSet<&str> = archives.iter().map(|(old, _)| old.as_str()).collect();
        let shown: HashSet<String> = self
            .store
            .published_sections()
            .await?
            .into_iter()
            .map(|shown| shown.section.slug.to_string())
            .collect();
        let mut unused: Vec<(String, Option<String>)> = Vec::new();
        for slug in survey.categories.keys() {
            let section = survey
                .categories
                .get(&survey.top_category(slug))
                .and_then(|(name, _)| named(name, Section::named))
                .map(|section| section.slug.to_string())
                .filter(|section| shown.contains(section));
            unused.push((
                format!("/category/{slug}/"),
                section.map(|s| format!("/{s}/")),
            ));
        }
        unused.extend(
            survey
                .tags
                .iter()
                .map(|slug| (format!("/tag/{slug}/"), None)),
        );
        for (old, target) in unused {
            if used.contains(old.as_str()) {
                continue;
            }
            for (old, target) in [
                (
                    format!("{old}feed/"),
                    target.as_ref().map(|t| format!("{t}feed.atom")),
                ),
                (old, target),
            ] {
                let added = match &target {
                    Some(target) => self.store.add_redirect(&old, target).await?,
                    None => self.store.add_gone(&old).await?,
                };
                if added {
                    report.redirects += 1;
                }
            }
        }
        Ok(())
    }

    /// Gives each author an account without a password, tied to their byline, for an admin to
    /// activate; an author without a valid address keeps only the byline.
    async fn accounts(
        &self,
        survey: &Survey,
        report: &mut ImportReport,
    ) -> Result<(), WordPressError> {
        let mut logins: Vec<&String> = survey.authors.keys().collect();
        logins.sort();
        for login in logins {
            let author = &survey.authors[login];
            let parsed = (Email::parse(&author.email), Name::parse(&author.name));
            let (Ok(email), Ok(name)) = parsed else {
                report.authors_without_account.push(author.name.clone());
                continue;
            };
            let Ok(byline) = Author::named(name.clone()) else {
                report.authors_without_account.push(author.name.clone());
                continue;
            };
            if self
                .store
                .create_inactive_user(&email, &name, Role::Journalist, &byline)
                .await?
            {
                report.accounts += 1;
            }
        }
        Ok(())
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
                    let email = author.email;
                    survey
                        .authors
                        .insert(author.login, SurveyedAuthor { name, email });
                }
                Entry::Term(term) if term.taxonomy == Taxonomy::Category => {
                    survey
                        .categories
                        .insert(term.slug, (term.name, term.parent));
                }
                Entry::Term(term) if term.taxonomy == Taxonomy::Tag => {
                    survey.tags.push(term.slug);
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

    /// Imports a batch of items: what earlier runs made of them and which slugs they may take
    /// are asked once for all, and their new stories are written together at the end.
    async fn import_batch(
        &self,
        items: &[WpItem],
        run: &mut Run<'_>,
        mut progress: impl FnMut(usize),
    ) -> Result<(), WordPressError> {
        let keys: Vec<String> = items.iter().map(source_key).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let records = self.store.imported_items(SOURCE, &keys).await?;
        let stories: Vec<&WpItem> = items.iter().filter(|item| is_story(item)).collect();
        let headlines: Vec<Option<Headline>> = stories.iter().map(|item| headline(item)).collect();
        let wanted: Vec<Option<Slug>> = stories
            .iter()
            .map(|item| Slug::parse(&item.slug).ok())
            .collect();
        run.pending
            .slugs
            .look_ahead(
                self.store,
                wanted
                    .iter()
                    .zip(&headlines)
                    .filter_map(|(wanted, headline)| {
                        Some((wanted.as_ref(), headline.as_ref()?.as_ref()))
                    }),
            )
            .await?;
        for (done, item) in items.iter().enumerate() {
            let key = source_key(item);
            let record = if run.pending.source_ids.contains(&key) {
                // The same item twice in one export: the second finds what the first became.
                self.write_pending(run).await?;
                self.store.imported_item(SOURCE, &key).await?
            } else {
                // Not taken out: an export may hold the same item twice.
                records.get(&key).cloned()
            };
            self.import_item(item, record, run).await?;
            progress(done + 1);
        }
        self.write_pending(run).await
    }

    async fn import_item(
        &self,
        item: &WpItem,
        record: Option<ImportRecord>,
        run: &mut Run<'_>,
    ) -> Result<(), WordPressError> {
        let label = format!("#{} « {} »", item.id, item.title);
        if !is_story(item) {
            let reason = match item.post_type.as_str() {
                "attachment" => "image file: imported with the stories that show it".to_owned(),
                other => format!("{other}: not a story"),
            };
            run.report.skipped.push((label, reason));
            return Ok(());
        }
        let status = match item.status.as_str() {
            "publish" => ArticleStatus::Published,
            "draft" | "pending" | "private" => ArticleStatus::Draft,
            "future" => {
                run.report.scheduled += 1;
                ArticleStatus::Scheduled
            }
            other => {
                run.report
                    .skipped
                    .push((label, format!("status « {other} »")));
                return Ok(());
            }
        };
        run.report.comments += item.comments;
        run.report.sticky += usize::from(item.sticky);
        let fingerprint = fingerprint(item);
        let earlier = match record {
            None => None,
            // Imports made before fingerprints were kept cannot tell a change: left alone.
            Some(record) if record.fingerprint == fingerprint || record.revision_id.is_none() => {
                run.report.unchanged += 1;
                return Ok(());
            }
            Some(record) => match record.article_id {
                Some(id) => self.store.story_for_edit(id).await?,
                None => None,
            },
        };
        let story = Prepared {
            item,
            status,
            fingerprint,
            earlier: earlier.as_ref(),
            label: label.clone(),
        };
        match self.story(&story, run).await {
            Ok(ItemOutcome::Queued) => {}
            Ok(ItemOutcome::Updated) => run.report.updated += 1,
            Ok(ItemOutcome::KeptNewsroomVersion) => run.report.skipped.push((
                label,
                "changed at the source, but worked on in the newsroom since the last import: \
                 the newsroom's version is kept"
                    .into(),
            )),
            Err(ItemError::Unusable(reason)) => run.report.failed.push((label, reason)),
            Err(ItemError::Import(error)) => return Err(error),
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
    ) -> Result<Body, ItemError> {
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
        let html = render_body(self.theme, &placed.body, &placed.images)
            .map_err(|error| ItemError::Unusable(format!("content: {error}")))?;
        let figures = figure_sources(&placed.body).unwrap_or_default();
        let lead = lead_image(
            figures
                .iter()
                .filter_map(|figure| Some((figure, placed.images.get(&figure.name)?))),
        );
        Ok(Body { placed, html, lead })
    }

    /// Builds and stores one story, or brings an earlier import of it up to date.
    async fn story(
        &self,
        prepared: &Prepared<'_>,
        run: &mut Run<'_>,
    ) -> Result<ItemOutcome, ItemError> {
        let Prepared {
            item,
            status,
            earlier,
            ..
        } = *prepared;
        let headline =
            headline(item).ok_or_else(|| ItemError::Unusable("no usable title".into()))?;
        let survey = run.survey;
        let is_page = item.post_type == "page";
        let (section, mut tags) = placement(item, survey, is_page);
        // A page of the site is signed by no one.
        let authors: Vec<Author> = survey
            .authors
            .get(&item.creator)
            .map(|author| &author.name)
            .or(Some(&item.creator))
            .filter(|_| !is_page)
            .and_then(|name| named(name, Author::named))
            .into_iter()
            .collect();
        tags.extend(
            item.terms
                .iter()
                .filter(|t| t.taxonomy == Taxonomy::Tag && !is_page)
                .filter_map(|t| named(&t.name, Tag::named)),
        );
        tags.dedup_by(|a, b| a.slug == b.slug);
        let Body { placed, html, lead } = self.body(item, survey, run.report, run.archives).await?;
        let published_at = timestamp(item, self.time_zone).unwrap_or_else(Timestamp::now);
        let slug = if let Some(story) = earlier {
            story.slug.clone()
        } else {
            self.new_slug(item, &headline, is_page, run).await?
        };
        let published = status == ArticleStatus::Published
            || earlier.is_some_and(|story| story.status == ArticleStatus::Published);
        let path = published.then(|| {
            earlier
                .and_then(|story| story.path.clone())
                .unwrap_or_else(|| {
                    if is_page {
                        ArticlePath::page(&slug)
                    } else {
                        ArticlePath::new(&section.slug, &slug, published_at, self.time_zone)
                    }
                })
        });
        let redirects = old_addresses(item, is_page);
        if published && !is_page {
            note_archives(item, survey, (&section, &tags, &authors), run.archives);
        }
        let new = NewArticle {
            slug,
            path,
            status,
            published_at: published.then_some(published_at),
            // A scheduled post goes live at its date (at once if that passed while moving).
            scheduled_at: (status == ArticleStatus::Scheduled).then_some(published_at),
            created_by: None,
            updated_at: modified(item, self.time_zone).filter(|at| *at > published_at),
            on_front_page: item.sticky,
            content: StoryContent {
                headline,
                standfirst: standfirst(&item.excerpt),
                body_markdown: placed.body,
                body_html: html,
                kind: ArticleKind::News,
                section,
                tags,
                authors,
                media: Vec::new(),
                lead_image: lead,
                media_keys: placed.keys,
                sources: Vec::new(),
                claim: None,
                search_and_social: search_and_social(item),
            },
            is_page,
            footer_position: None,
        };
        let imported = ImportedStory {
            article: new,
            source: SOURCE.to_owned(),
            source_id: source_key(item),
            fingerprint: prepared.fingerprint.clone(),
            redirects,
        };
        if earlier.is_none() {
            run.pending.add(imported, prepared.label.clone());
            return Ok(ItemOutcome::Queued);
        }
        self.update_story(&imported, published, run.report).await
    }

    /// Writes the source's new version over the story an earlier run made of the same item.
    async fn update_story(
        &self,
        imported: &ImportedStory,
        published: bool,
        report: &mut ImportReport,
    ) -> Result<ItemOutcome, ItemError> {
        match self.store.update_imported_article(imported).await? {
            ImportUpdate::Updated => {
                if published {
                    report.redirects += imported.redirects.len();
                }
                Ok(ItemOutcome::Updated)
            }
            ImportUpdate::EditedSince => Ok(ItemOutcome::KeptNewsroomVersion),
            ImportUpdate::Missing => Err(ItemError::Unusable("its story is gone".into())),
        }
    }

    /// A new story's slug, taken for the batch: the item's own, or one made from its headline.
    /// A page lives at `/{slug}/`: never where a section or the site answers.
    async fn new_slug(
        &self,
        item: &WpItem,
        headline: &Headline,
        is_page: bool,
        run: &mut Run<'_>,
    ) -> Result<Slug, StoreError> {
        let mut wanted = Slug::parse(&item.slug).ok();
        if is_page {
            let slug = wanted.unwrap_or_else(|| Slug::for_headline(headline.as_ref()));
            let free = |slug: &Slug| {
                !run.section_addresses.contains(slug) && !is_reserved_section_slug(slug)
            };
            wanted = std::iter::once(slug.clone())
                .chain((2..=u32::MAX).map(|n| slug.with_suffix(n)))
                .find(free);
        }
        run.pending
            .slugs
            .take(self.store, wanted.as_ref(), headline.as_ref())
            .await
    }

    /// Writes the new stories waiting in `pending`, all in one transaction; if one of them
    /// cannot be stored (its address is taken), each is written on its own so the others go in
    /// and that one is reported.
    async fn write_pending(&self, run: &mut Run<'_>) -> Result<(), WordPressError> {
        let Pending {
            stories, labels, ..
        } = std::mem::take(&mut run.pending);
        let report = &mut *run.report;
        let written = match self.store.create_imported_articles(&stories).await {
            Ok(_) => vec![true; stories.len()],
            Err(StoreError::AlreadyExists(_)) => {
                let mut written = Vec::with_capacity(stories.len());
                for (story, label) in stories.iter().zip(&labels) {
                    match self.store.create_imported_article(story).await {
                        Ok(_) => written.push(true),
                        Err(StoreError::AlreadyExists(what)) => {
                            report
                                .failed
                                .push((label.clone(), format!("{what} already exists")));
                            written.push(false);
                        }
                        Err(other) => return Err(other.into()),
                    }
                }
                written
            }
            Err(other) => return Err(other.into()),
        };
        for (story, written) in stories.iter().zip(written) {
            if written {
                report.imported += 1;
                if story.article.path.is_some() {
                    report.redirects += story.redirects.len();
                }
            }
        }
        Ok(())
    }
}

/// What importing a batch of items reads and adds to.
struct Run<'a> {
    survey: &'a Survey,
    /// The addresses sections answer at, stored or made by this import: a page cannot take one.
    section_addresses: &'a BTreeSet<Slug>,
    report: &'a mut ImportReport,
    archives: &'a mut HashSet<(String, String)>,
    pending: Pending,
}

/// New stories prepared but not yet written: an import writes them by batches, each in one
/// transaction of a few statements, rather than one transaction of twenty statements a story.
#[derive(Default)]
struct Pending {
    stories: Vec<ImportedStory>,
    /// Each story's item, as the report names it.
    labels: Vec<String>,
    /// Slugs the stories took, no longer free for the next items.
    slugs: BatchSlugs,
    /// The items they came from.
    source_ids: HashSet<String>,
}

impl Pending {
    /// Stories written at once: a batch of a few megabytes, whatever the export's size.
    const BATCH: usize = 500;

    fn add(&mut self, story: ImportedStory, label: String) {
        self.source_ids.insert(story.source_id.clone());
        self.stories.push(story);
        self.labels.push(label);
    }
}

/// The addresses an item answered on: its link, its permanent identifier, and the `?p=` and
/// `?page_id=` forms WordPress answers whatever the permalink structure.
fn old_addresses(item: &WpItem, is_page: bool) -> Vec<String> {
    let mut addresses: Vec<String> = [item.link.as_str(), item.guid.as_str()]
        .into_iter()
        .filter_map(old_path)
        .collect();
    if item.id > 0 {
        addresses.push(format!("/?p={}", item.id));
        if is_page {
            addresses.push(format!("/?page_id={}", item.id));
        }
    }
    addresses.dedup();
    addresses
}

/// One item on its way in: what the source says, and what an earlier run made of it.
struct Prepared<'a> {
    item: &'a WpItem,
    status: ArticleStatus,
    fingerprint: String,
    /// The story an earlier run made of this item, now changed at the source.
    earlier: Option<&'a EditableStory>,
    /// The item as the report names it.
    label: String,
}

/// What became of an item that was not refused.
enum ItemOutcome {
    /// New: waiting to be written with the next batch.
    Queued,
    Updated,
    KeptNewsroomVersion,
}

/// Why an item stops: it cannot be imported (it is reported and the import goes on), or the
/// import itself cannot go on.
enum ItemError {
    Unusable(String),
    Import(WordPressError),
}

impl From<WordPressError> for ItemError {
    fn from(error: WordPressError) -> Self {
        Self::Import(error)
    }
}

impl From<StoreError> for ItemError {
    fn from(error: StoreError) -> Self {
        Self::Import(error.into())
    }
}

/// A story's body as the import stores it: converted, its images placed, rendered.
struct Body {
    placed: PlacedImages,
    html: String,
    lead: Option<NewLeadImage>,
}

/// Where Yoast SEO keeps the words an editor wrote for search engines and shared links.
const YOAST_FIELDS: [&str; 3] = [
    "_yoast_wpseo_title",
    "_yoast_wpseo_opengraph-title",
    "_yoast_wpseo_opengraph-description",
];

/// The item's Yoast SEO words, as written: a template (`%%title%% %%sep%%`) is WordPress's,
/// not words, and is left out.
fn yoast_words(item: &WpItem) -> [&str; 3] {
    YOAST_FIELDS.map(|key| {
        item.meta(key)
            .map(str::trim)
            .filter(|words| !words.contains("%%"))
            .unwrap_or_default()
    })
}

/// The story's headlines for search engines and shared links, from Yoast SEO's: each kept only
/// if it holds in its place (a headline too long for a search result is left out, not cut).
fn search_and_social(item: &WpItem) -> SearchAndSocial {
    let [search, social, description] = yoast_words(item);
    let kept = |search, social, description| {
        SearchAndSocial::parse(search, social, description).unwrap_or_default()
    };
    SearchAndSocial {
        search_headline: kept(search, "", "").search_headline,
        social_headline: kept("", social, "").social_headline,
        social_description: kept("", "", description).social_description,
    }
}

/// A digest of everything the import reads from an item, to tell on a rerun whether the source
/// changed it since.
fn fingerprint(item: &WpItem) -> String {
    let mut hasher = Sha256::new();
    let terms = item
        .terms
        .iter()
        .map(|t| format!("{:?}/{}/{}", t.taxonomy, t.slug, t.name));
    let fields = [
        item.title.as_str(),
        &item.link,
        &item.guid,
        &item.creator,
        &item.content,
        &item.excerpt,
        &item.post_type,
        &item.status,
        &item.slug,
        &item.date,
        &item.date_gmt,
        &item.modified,
        &item.modified_gmt,
        if item.sticky { "sticky" } else { "" },
        item.meta("_thumbnail_id").unwrap_or_default(),
    ]
    .into_iter()
    // Only when there are some, so the digests of items without them stay those stored before.
    .chain(
        Some(yoast_words(item))
            .filter(|words| words.iter().any(|w| !w.is_empty()))
            .into_iter()
            .flatten(),
    )
    .map(str::to_owned)
    .chain(terms);
    for field in fields {
        // The length first, so no two different lists of fields hash alike.
        hasher.update(field.len().to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// A post's section is its first category's top ancestor; the categories under it become
/// subjects. Pages are filed apart, with no subject.
fn placement(item: &WpItem, survey: &Survey, is_page: bool) -> (Section, Vec<Tag>) {
    let fallback = || named("Articles", Section::named).into_iter().next();
    if is_page {
        return (Section::for_pages(), Vec::new());
    }
    let categories: Vec<&str> = item
        .terms
        .iter()
        .filter(|t| t.taxonomy == Taxonomy::Category)
        .map(|t| t.slug.as_str())
        .collect();
    let top = |slug: &str| survey.top_category(slug);
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
