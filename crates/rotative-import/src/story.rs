//! Story files: one story per file, TOML front matter between `+++` lines, then the Markdown body.
//! Images are referenced as `media:NAME`, NAME being a file next to the story file.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::{
    ArticleId, ArticleKind, ArticlePath, ArticleStatus, Author, Claim, ClaimRating, Headline, Name,
    ParseError, SearchAndSocial, Section, Slug, Source, Standfirst, Tag, check_claim,
};
use rotative_media::{MediaError, MediaStorage, PixelLimit, StorageKey, clean};
use rotative_render::{
    FigureSource, RenderError, StoredImage, Theme, figure_sources, rename_figures, render_body,
};
use rotative_store::{MediaText, NewArticle, NewMedia, Store, StoreError, StoryContent};
use serde::Deserialize;
use thiserror::Error;

use rotative_newsroom::{LibraryImage, as_page, lead_image, page_slug, story_slug};

/// What can be wrong with a story file, said in one line that names the field or image at fault.
#[derive(Debug, Error)]
pub enum StoryError {
    #[error(
        "not a story file: it must start with a `+++` line, then TOML front matter, then a closing `+++` line"
    )]
    NoFrontMatter,
    #[error("front matter, line {line}: {message}")]
    Toml { line: usize, message: String },
    #[error("field `{field}`: {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
    #[error("image `{name}`: {problem}")]
    Image { name: String, problem: String },
    #[error("body: {0}")]
    Body(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("media storage: {0}")]
    Media(#[from] MediaError),
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("theme: {0}")]
    Render(RenderError),
}

impl From<RenderError> for StoryError {
    fn from(error: RenderError) -> Self {
        match error {
            RenderError::ExternalImage(_)
            | RenderError::MissingAlt(_)
            | RenderError::InvalidAlt { .. }
            | RenderError::UnknownImage(_)
            | RenderError::TooDeep { .. } => Self::Body(error.to_string()),
            other => Self::Render(other),
        }
    }
}

fn field(field: &'static str) -> impl Fn(ParseError) -> StoryError {
    move |e| StoryError::Field {
        field,
        problem: e.to_string(),
    }
}

/// A story file's status: files add stories, the newsroom moves them through review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryStatus {
    Draft,
    Published,
}

/// A story file, every field checked.
#[derive(Debug, Clone)]
pub struct StoryFile {
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    pub section: Section,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    pub kind: ArticleKind,
    pub status: StoryStatus,
    pub published_at: Option<Timestamp>,
    pub slug: Option<Slug>,
    pub sources: Vec<Source>,
    pub claim: Option<Claim>,
    pub search_and_social: SearchAndSocial,
    /// A page of the site (`page = true`: at `/{slug}/`, in no listing) rather than a story.
    pub is_page: bool,
    /// A page's place in the footer, from 1 (`footer = 1`).
    pub footer_position: Option<u32>,
    pub body: String,
    pub figures: Vec<FigureSource>,
}

/// TOML accepts dates quoted (as in our examples) or bare (TOML's own datetime type).
#[derive(Deserialize)]
#[serde(untagged)]
enum DateValue {
    Text(String),
    Toml(toml::value::Datetime),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    headline: Option<String>,
    standfirst: Option<String>,
    section: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    published_at: Option<DateValue>,
    slug: Option<String>,
    #[serde(default)]
    sources: Vec<SourceEntry>,
    claim: Option<ClaimEntry>,
    search_headline: Option<String>,
    social_headline: Option<String>,
    social_description: Option<String>,
    #[serde(default)]
    page: bool,
    footer: Option<u32>,
}

/// For fact-checks: `claim = { text = "…", author = "…", rating = "false" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimEntry {
    text: String,
    author: Option<String>,
    rating: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    label: String,
    url: String,
}

/// Splits `+++\nTOML\n+++\nbody`, returning the TOML and the body.
fn split_front_matter(text: &str) -> Result<(&str, &str), StoryError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or(StoryError::NoFrontMatter)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(StoryError::NoFrontMatter)
}

/// A publication date with its offset, quoted or as a TOML datetime.
fn parse_date(value: DateValue) -> Result<Timestamp, StoryError> {
    let text = match value {
        DateValue::Text(text) => text,
        DateValue::Toml(datetime) => datetime.to_string(),
    };
    text.parse::<Timestamp>().map_err(|_| StoryError::Field {
        field: "published_at",
        problem: format!(
            "`{text}` is not a date with a time and a UTC offset, like 2026-11-24T08:00:00+01:00"
        ),
    })
}

/// A fact-check's claim: required for fact-checks, refused for other kinds.
fn parse_claim(entry: Option<ClaimEntry>, kind: ArticleKind) -> Result<Option<Claim>, StoryError> {
    let claim = entry
        .map(|entry| {
            let rating = ClaimRating::parse(&entry.rating)?;
            Claim::parse(&entry.text, entry.author.as_deref(), rating)
        })
        .transpose()
        .map_err(field("claim"))?;
    check_claim(kind, claim.as_ref()).map_err(|e| StoryError::Field {
        field: "claim",
        problem: e.to_string(),
    })?;
    Ok(claim)
}

/// Where a story file is filed: its section, or the pages' for a page of the site, whose place in
/// the footer counts from 1.
fn filed_under(
    page: bool,
    footer: Option<u32>,
    section: Option<&str>,
) -> Result<Section, StoryError> {
    let problem = |field: &'static str, problem: &str| StoryError::Field {
        field,
        problem: problem.into(),
    };
    if page {
        return match footer {
            Some(0) => Err(problem("footer", "counts from 1")),
            _ => Ok(Section::for_pages()),
        };
    }
    if footer.is_some() {
        return Err(problem(
            "footer",
            "is for a page of the site only (page = true)",
        ));
    }
    let label = section.ok_or_else(|| problem("section", "is missing"))?;
    Section::from_label(label).map_err(field("section"))
}

/// Parses and checks a story file's text; nothing is stored.
pub fn parse_story(text: &str) -> Result<StoryFile, StoryError> {
    let (toml_text, body) = split_front_matter(text)?;
    let front: FrontMatter = toml::from_str(toml_text).map_err(|e| StoryError::Toml {
        // +1 for the opening `+++` line, +1 because lines count from one.
        line: e
            .span()
            .map_or(1, |span| toml_text[..span.start].lines().count().max(1))
            + 1,
        message: e.message().to_owned(),
    })?;
    let missing = |name: &'static str| StoryError::Field {
        field: name,
        problem: "is missing".into(),
    };
    let headline = Headline::parse(&front.headline.ok_or_else(|| missing("headline"))?)
        .map_err(field("headline"))?;
    let standfirst = front
        .standfirst
        .filter(|s| !s.trim().is_empty())
        .map(|s| Standfirst::parse(&s))
        .transpose()
        .map_err(field("standfirst"))?;
    let section = filed_under(front.page, front.footer, front.section.as_deref())?;
    let tags = front
        .tags
        .iter()
        .map(|t| Name::parse(t).and_then(Tag::named))
        .collect::<Result<_, _>>()
        .map_err(field("tags"))?;
    let authors = front
        .authors
        .iter()
        .map(|a| Name::parse(a).and_then(Author::named))
        .collect::<Result<_, _>>()
        .map_err(field("authors"))?;
    let kind = front
        .kind
        .as_deref()
        .map_or(Ok(ArticleKind::News), ArticleKind::parse)
        .map_err(field("type"))?;
    let status = match front.status.as_deref() {
        None | Some("published") => StoryStatus::Published,
        Some("draft") => StoryStatus::Draft,
        Some(other) => {
            return Err(StoryError::Field {
                field: "status",
                problem: format!("`{other}` is not one of: draft, published"),
            });
        }
    };
    let published_at = front.published_at.map(parse_date).transpose()?;
    let slug = front
        .slug
        .as_deref()
        .map(Slug::parse)
        .transpose()
        .map_err(field("slug"))?;
    let sources = front
        .sources
        .iter()
        .map(|entry| Source::parse(&entry.label, &entry.url))
        .collect::<Result<_, _>>()
        .map_err(field("sources"))?;
    let claim = parse_claim(front.claim, kind)?;
    let search_and_social = SearchAndSocial::parse(
        front.search_headline.as_deref().unwrap_or_default(),
        front.social_headline.as_deref().unwrap_or_default(),
        front.social_description.as_deref().unwrap_or_default(),
    )
    .map_err(|mut problems| {
        // The first is enough: a file is fixed and imported again.
        let (which, problem) = problems.swap_remove(0);
        field(which.name())(problem)
    })?;
    let body = body.trim();
    if body.is_empty() {
        return Err(StoryError::Body("is empty".into()));
    }
    let figures = figure_sources(body)?;
    if let Some(figure) = figures.iter().find(|figure| figure.alt.is_none()) {
        return Err(RenderError::MissingAlt(figure.name.clone()).into());
    }
    Ok(StoryFile {
        headline,
        standfirst,
        section,
        tags,
        authors,
        kind,
        status,
        published_at,
        slug,
        sources,
        claim,
        search_and_social,
        is_page: front.page,
        footer_position: front.footer,
        body: body.to_owned(),
        figures,
    })
}

/// A stored story and where readers find it (drafts have no address yet).
#[derive(Debug, Clone)]
pub struct ImportedStory {
    pub id: ArticleId,
    pub path: Option<ArticlePath>,
}

/// Imports stories into one site.
pub struct Importer<'a> {
    pub store: &'a Store,
    pub storage: &'a MediaStorage,
    pub theme: &'a Theme,
    pub time_zone: &'a TimeZone,
}

/// A figure's file name must name a file beside the story, never a path elsewhere.
fn image_file_name(name: &str) -> Result<&str, StoryError> {
    let plain = !name.is_empty()
        && !name.contains(['/', '\\'])
        && name != "."
        && name != ".."
        && !name.starts_with('.');
    if plain {
        Ok(name)
    } else {
        Err(StoryError::Image {
            name: name.to_owned(),
            problem: "must be the name of a file next to the story file".into(),
        })
    }
}

impl Importer<'_> {
    /// Reads a story file and the images it names from its folder, checks all of it, then stores it.
    pub async fn import_file(&self, path: &Path) -> Result<ImportedStory, StoryError> {
        let read_error = |path: &Path| {
            let path = path.to_owned();
            move |source| StoryError::Read { path, source }
        };
        let text = tokio::fs::read_to_string(path)
            .await
            .map_err(read_error(path))?;
        let story = parse_story(&text)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut images = HashMap::new();
        for figure in &story.figures {
            let name = image_file_name(&figure.name)?;
            if images.contains_key(name) {
                continue;
            }
            let bytes =
                tokio::fs::read(folder.join(name))
                    .await
                    .map_err(|e| StoryError::Image {
                        name: name.to_owned(),
                        problem: if e.kind() == std::io::ErrorKind::NotFound {
                            format!(
                                "file not found next to the story ({})",
                                folder.join(name).display()
                            )
                        } else {
                            e.to_string()
                        },
                    })?;
            images.insert(name.to_owned(), bytes);
        }
        self.import(story, &images).await
    }

    /// Stores a checked story with the bytes of the images it names. Images are checked and the
    /// body rendered before anything is written; the database write is one transaction.
    #[tracing::instrument(skip_all, fields(headline = %story.headline))]
    pub async fn import(
        &self,
        story: StoryFile,
        images: &HashMap<String, Vec<u8>>,
    ) -> Result<ImportedStory, StoryError> {
        let ImageFiles {
            stored: stored_images,
            files,
            media,
        } = image_files(&story.figures, images)?;
        // The stored body names each image by its library key, as every body does: the editor
        // and every later save resolve it in the library, where the file's name means nothing.
        let keys: HashMap<String, String> = stored_images
            .iter()
            .map(|(name, image)| (name.clone(), image.key.clone()))
            .collect();
        let body = rename_figures(&story.body, &keys);
        let by_key: HashMap<String, StoredImage> = stored_images
            .values()
            .map(|image| (image.key.clone(), image.clone()))
            .collect();
        let body_html = render_body(self.theme, &body, &by_key)?;
        let media_keys = by_key.keys().cloned().collect();
        let lead_image = lead_image(
            story
                .figures
                .iter()
                .map(|figure| (figure, &stored_images[&figure.name])),
        );
        let slug = if story.is_page {
            page_slug(self.store, story.slug.as_ref(), story.headline.as_ref()).await?
        } else {
            story_slug(self.store, story.slug.as_ref(), story.headline.as_ref()).await?
        };
        let (status, published_at) = match story.status {
            StoryStatus::Draft => (ArticleStatus::Draft, None),
            StoryStatus::Published => (
                ArticleStatus::Published,
                Some(story.published_at.unwrap_or_else(Timestamp::now)),
            ),
        };
        let path = published_at.map(|at| {
            if story.is_page {
                ArticlePath::page(&slug)
            } else {
                ArticlePath::new(&story.section.slug, &slug, at, self.time_zone)
            }
        });
        let content = StoryContent {
            headline: story.headline,
            standfirst: story.standfirst,
            body_markdown: body,
            body_html,
            kind: story.kind,
            section: story.section,
            tags: story.tags,
            authors: story.authors,
            media,
            lead_image,
            media_keys,
            sources: story.sources,
            claim: story.claim,
            search_and_social: story.search_and_social,
        };
        for (key, bytes) in files {
            self.storage.put(&key, bytes).await?;
        }
        let id = self
            .store
            .create_article(
                &NewArticle {
                    slug,
                    path: path.clone(),
                    status,
                    published_at,
                    scheduled_at: None,
                    created_by: None,
                    updated_at: None,
                    on_front_page: false,
                    content: if story.is_page {
                        as_page(content)
                    } else {
                        content
                    },
                    is_page: story.is_page,
                    footer_position: story.footer_position,
                },
                None,
            )
            .await?;
        Ok(ImportedStory { id, path })
    }
}

/// The site setting that records that story bodies name their images by library key.
const IMAGES_BY_KEY: &str = "bodies_name_images_by_key";

/// Story files imported before bodies named images by their library key kept the file's name
/// (`media:pont.jpg`), which the newsroom cannot find in the library, so such a story could not
/// be saved. Renames them, in every revision, once in a site's life; returns how many texts
/// changed.
pub async fn name_images_by_key(store: &Store) -> Result<usize, StoreError> {
    if store.setting(IMAGES_BY_KEY).await?.is_some() {
        return Ok(0);
    }
    let mut by_story: HashMap<ArticleId, HashMap<String, String>> = HashMap::new();
    for (story, name, key) in store.images_named_otherwise().await? {
        by_story.entry(story).or_default().insert(name, key);
    }
    let mut changed = 0;
    for (story, renamed) in by_story {
        changed += store
            .rewrite_markdown(story, |body| rename_figures(body, &renamed))
            .await?;
    }
    store.set_setting(IMAGES_BY_KEY, "done").await?;
    Ok(changed)
}

/// Story images checked, cleaned of metadata and keyed, ready to store.
struct ImageFiles {
    stored: HashMap<String, StoredImage>,
    files: Vec<(StorageKey, Vec<u8>)>,
    media: Vec<NewMedia>,
}

fn image_files(
    figures: &[FigureSource],
    images: &HashMap<String, Vec<u8>>,
) -> Result<ImageFiles, StoryError> {
    let mut stored_images = HashMap::new();
    let mut files: Vec<(StorageKey, Vec<u8>)> = Vec::new();
    let mut media = Vec::new();
    for figure in figures {
        if stored_images.contains_key(&figure.name) {
            continue;
        }
        let image_error = |problem: String| StoryError::Image {
            name: figure.name.clone(),
            problem,
        };
        let bytes = images
            .get(&figure.name)
            .ok_or_else(|| image_error("file not found next to the story".into()))?;
        let image = clean(bytes, PixelLimit::default()).map_err(|e| image_error(e.to_string()))?;
        let description = MediaText {
            alt: figure.alt.as_ref().map(ToString::to_string),
            caption: figure.caption.clone(),
            credit: figure.credit.clone(),
        };
        let entry = LibraryImage::new(image, Some(figure.name.clone()), description);
        stored_images.insert(figure.name.clone(), entry.stored);
        media.push(entry.record);
        files.push((entry.key, entry.bytes));
    }
    Ok(ImageFiles {
        stored: stored_images,
        files,
        media,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"+++
headline = "Minsk sous pression"
standfirst = "Des officiers écrivent au président."
section = "monde"
tags = ["Bélarus", "Russie"]
authors = ["Claire Dubois"]
type = "analysis"
status = "published"
published_at = "2026-11-24T08:00:00+01:00"
+++
Premier paragraphe.

![Une place enneigée](media:minsk.jpg "La place — Illustration Rotative")
"#;

    #[test]
    fn parses_a_complete_story() {
        let story = parse_story(GOOD).unwrap();
        assert_eq!(story.headline.as_ref(), "Minsk sous pression");
        assert_eq!(
            (story.section.name.as_ref(), story.section.slug.as_ref()),
            ("Monde", "monde")
        );
        assert_eq!(story.tags[0].slug.as_ref(), "belarus");
        assert_eq!(story.kind, ArticleKind::Analysis);
        assert_eq!(story.status, StoryStatus::Published);
        assert_eq!(
            story.published_at.unwrap().to_string(),
            "2026-11-24T07:00:00Z"
        );
        assert_eq!(story.figures[0].name, "minsk.jpg");
    }

    #[test]
    fn bare_toml_dates_are_accepted() {
        let text = GOOD.replace("\"2026-11-24T08:00:00+01:00\"", "2026-11-24T08:00:00+01:00");
        assert!(parse_story(&text).unwrap().published_at.is_some());
    }

    #[test]
    fn each_problem_is_one_line_naming_the_field() {
        let cases: [(String, &str); 11] = [
            (
                GOOD.replace("headline = \"Minsk sous pression\"\n", ""),
                "field `headline`: is missing",
            ),
            (
                GOOD.replace("Minsk sous pression", "  "),
                "field `headline`: is empty",
            ),
            (
                GOOD.replace("2026-11-24T08:00:00+01:00", "hier"),
                "field `published_at`: `hier` is not a date",
            ),
            (
                GOOD.replace("type = \"analysis\"", "colour = \"red\""),
                "unknown field `colour`",
            ),
            (
                GOOD.replace("type = \"analysis\"", "type = \"rumour\""),
                "field `type`: `rumour` is not one of",
            ),
            (
                GOOD.replace("status = \"published\"", "status = \"maybe\""),
                "field `status`",
            ),
            (
                GOOD.replace("tags = [\"Bélarus\", \"Russie\"]", "tags = [\"Bélarus\""),
                "front matter, line 5",
            ),
            (
                GOOD.replace("section = \"monde\"\n", ""),
                "field `section`: is missing",
            ),
            (GOOD.replace("+++\nPremier", "Premier"), "not a story file"),
            (
                GOOD.replace("media:minsk.jpg", "https://pixel.example/p.gif"),
                "body: image `https://pixel.example/p.gif` must be an uploaded file",
            ),
            (
                GOOD.replace("Une place enneigée", ""),
                "body: image `minsk.jpg` has no alt text",
            ),
        ];
        for (text, expected) in cases {
            let message = parse_story(&text).unwrap_err().to_string();
            assert!(
                message.contains(expected),
                "expected `{expected}` in `{message}`"
            );
            assert!(!message.contains('\n'), "one line: {message}");
        }
    }

    #[test]
    fn fact_checks_carry_their_claim() {
        let fact_check = GOOD.replace("type = \"analysis\"", "type = \"factcheck\"\nclaim = { text = \"Minsk a tout nié.\", author = \"Un porte-parole\", rating = \"misleading\" }");
        let story = parse_story(&fact_check).unwrap();
        assert_eq!(story.claim.unwrap().rating, ClaimRating::Misleading);
        let without = GOOD.replace("type = \"analysis\"", "type = \"factcheck\"");
        assert!(
            parse_story(&without)
                .unwrap_err()
                .to_string()
                .contains("field `claim`: a fact-check needs")
        );
        let stray = GOOD.replace(
            "type = \"analysis\"",
            "claim = { text = \"x\", rating = \"true\" }",
        );
        assert!(
            parse_story(&stray)
                .unwrap_err()
                .to_string()
                .contains("only a fact-check")
        );
    }

    #[test]
    fn words_for_search_and_sharing_are_optional_and_checked() {
        assert!(parse_story(GOOD).unwrap().search_and_social.is_empty());
        let written = GOOD.replace(
            "type = \"analysis\"",
            "type = \"analysis\"\nsearch_headline = \"Bélarus : des officiers écrivent\"\nsocial_description = \"Une lettre rare.\"",
        );
        let story = parse_story(&written).unwrap();
        let sharing = story.search_and_social;
        assert_eq!(
            sharing.search_headline.unwrap().as_ref(),
            "Bélarus : des officiers écrivent"
        );
        assert_eq!(
            sharing.social_description.unwrap().as_ref(),
            "Une lettre rare."
        );
        let long = GOOD.replace(
            "type = \"analysis\"",
            &format!(
                "type = \"analysis\"\nsocial_headline = \"{}\"",
                "x".repeat(111)
            ),
        );
        let refused = parse_story(&long).unwrap_err().to_string();
        assert!(refused.contains("field `social_headline`"), "{refused}");
    }

    #[test]
    fn figure_names_stay_in_the_story_folder() {
        for bad in ["../secret.jpg", "/etc/passwd", "a/b.jpg", ".hidden.jpg", ""] {
            assert!(image_file_name(bad).is_err(), "{bad}");
        }
        assert_eq!(image_file_name("photo-1.jpg").unwrap(), "photo-1.jpg");
    }
}
