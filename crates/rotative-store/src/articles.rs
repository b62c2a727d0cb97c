use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rotative_domain::{
    After, AltText, Article, ArticleId, ArticlePath, ArticleSummary, Author, AuthorId, Correction,
    Figure, MediaId, RelatedCandidate, SectionId, Source, SubjectId, Tag,
};
use sqlx::{
    Any, FromRow,
    any::{AnyArguments, AnyRow},
    pool::PoolConnection,
};

use crate::{
    Store, StoreError, now_seconds,
    rows::{
        self, ClaimColumns, SEARCH_AND_SOCIAL_COLUMNS, SearchAndSocialColumns, SectionColumns,
        StoryText, StoryTextColumns,
    },
    sqlite_reads::SqliteReader,
    statement::{self, Statement},
};

/// A published story as feeds carry it: its summary, its body and when it last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    pub summary: ArticleSummary,
    pub body_html: String,
    pub updated_at: Timestamp,
}

/// A published story as its page shows it: the story, its corrections (newest first), and the
/// story as related-story ranking sees it.
#[derive(Debug, Clone)]
pub struct StoryPage {
    pub article: Article,
    pub corrections: Vec<Correction>,
    pub ranking: RelatedCandidate,
}

/// The stories that might be related to one: see `Store::related_candidates`.
#[derive(Debug, Clone)]
pub struct RelatedPool {
    pub candidates: Vec<RelatedCandidate>,
    /// Whether the site's most recent stories were added for want of enough in the same
    /// section or sharing a subject.
    pub site_wide: bool,
}

/// A published story as the API gives it: as its page shows it, and its text as written.
#[derive(Debug, Clone)]
pub struct PublishedStory {
    pub page: StoryPage,
    pub body_markdown: String,
}

/// Which published stories a client asks for: each filter given narrows the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoryQuery {
    pub section: Option<SectionId>,
    pub subject: Option<SubjectId>,
    pub author: Option<AuthorId>,
    /// Only the stories changed at or after this moment.
    pub updated_since: Option<Timestamp>,
}

/// A published story in a list given to clients: its summary, and when it last changed.
#[derive(Debug, Clone)]
pub struct ListedStory {
    pub summary: ArticleSummary,
    pub updated_at: Timestamp,
}

/// Which published stories a listing page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    Everything,
    Section(SectionId),
    Tag(SubjectId),
    Author(AuthorId),
}

const SUMMARY_COLUMNS: &str =
    "a.id, a.path, a.headline, a.standfirst, a.kind, a.published_at, a.updated_at,
    s.slug AS section_slug, s.name AS section_name,
    a.lead_media_id, a.lead_alt, a.lead_caption, a.lead_credit, m.storage_key, m.width, m.height,
    CAST(m.animated AS BIGINT) AS animated";

const SUMMARY_FROM: &str = " FROM articles a
    JOIN sections s ON s.id = a.section_id
    LEFT JOIN media m ON m.id = a.lead_media_id";

/// "Readers may see it now" (the time bound follows) for a query that finds its stories along
/// another index than the state's: `|| ''` and `+ 0` keep SQLite, which plans without
/// statistics, from walking every published story on `(status, published_at)` instead.
const PUBLISHED_BY_OTHER_INDEX: &str = "a.status || '' = 'published' AND a.published_at + 0 <= ";

/// Starts a query over the stories `a` readers may see now, optionally narrowed to one listing.
/// `select_from` names what is read and from where (`articles a` and any joins). The site's
/// pages are in no listing: both listing indexes hold `is_page` before the date.
fn published<'a>(select_from: &str, now: i64, listing: Listing) -> Statement<'a> {
    let mut query = readable(select_from, now);
    query.push(" AND a.is_page = 0");
    narrow(&mut query, listing);
    query
}

/// Starts a query over the stories and pages `a` readers may see now.
fn readable<'a>(select_from: &str, now: i64) -> Statement<'a> {
    let mut query = Statement::new(select_from);
    query.push(" WHERE a.status = 'published' AND a.published_at <= ");
    query.push_bind(now);
    query
}

/// Narrows a query over stories `a` to one listing's.
fn narrow(query: &mut Statement<'_>, listing: Listing) {
    match listing {
        Listing::Everything => {}
        Listing::Section(id) => {
            query.push(" AND a.section_id = ").push_bind(id.0);
        }
        Listing::Tag(id) => {
            query
                .push(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = ")
                .push_bind(id.0)
                .push(")");
        }
        Listing::Author(id) => {
            query
                .push(" AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = ")
                .push_bind(id.0)
                .push(")");
        }
    }
}

/// A story's lead image: its own columns and the library's (none when it has no lead image).
#[derive(FromRow)]
struct LeadImageColumns {
    lead_media_id: Option<i64>,
    lead_alt: Option<String>,
    lead_caption: Option<String>,
    lead_credit: Option<String>,
    storage_key: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
    animated: Option<i64>,
}

impl TryFrom<LeadImageColumns> for Option<Figure> {
    type Error = StoreError;

    fn try_from(columns: LeadImageColumns) -> Result<Self, StoreError> {
        let Some(media) = columns.lead_media_id else {
            return Ok(None);
        };
        let missing = |what: &'static str| StoreError::corrupt(what, "missing for a lead image");
        let alt = columns.lead_alt.ok_or_else(|| missing("alt text"))?;
        Ok(Some(Figure {
            media: MediaId(media),
            key: columns.storage_key.ok_or_else(|| missing("image"))?,
            width: rows::dimension(columns.width.ok_or_else(|| missing("image size"))?)?,
            height: rows::dimension(columns.height.ok_or_else(|| missing("image size"))?)?,
            animated: columns.animated.is_some_and(|flag| flag != 0),
            alt: AltText::parse(&alt).map_err(|e| StoreError::corrupt("alt text", e))?,
            caption: columns.lead_caption,
            credit: columns.lead_credit,
        }))
    }
}

/// A published story as lists show it (`SUMMARY_COLUMNS`).
#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    path: Option<String>,
    published_at: Option<i64>,
    updated_at: i64,
    #[sqlx(flatten)]
    text: StoryTextColumns,
    #[sqlx(flatten)]
    section: SectionColumns,
    #[sqlx(flatten)]
    lead: LeadImageColumns,
}

impl SummaryRow {
    fn into_listed(self, authors: Vec<Author>) -> Result<ListedStory, StoreError> {
        let text = StoryText::try_from(self.text)?;
        let missing = |what: &'static str| StoreError::corrupt(what, "missing");
        let summary = ArticleSummary {
            id: ArticleId(self.id),
            path: ArticlePath::from_stored(self.path.ok_or_else(|| missing("path"))?),
            headline: text.headline,
            standfirst: text.standfirst,
            kind: text.kind,
            section: self.section.try_into()?,
            authors,
            lead_image: self.lead.try_into()?,
            published_at: rows::timestamp(
                self.published_at.ok_or_else(|| missing("published_at"))?,
            )?,
        };
        Ok(ListedStory {
            summary,
            updated_at: rows::timestamp(self.updated_at)?,
        })
    }
}

/// A published story as its page shows it.
#[derive(FromRow)]
struct ArticleRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    section_id: i64,
    slug: String,
    status: String,
    body_html: String,
    #[sqlx(flatten)]
    claim: ClaimColumns,
    #[sqlx(flatten)]
    search_and_social: SearchAndSocialColumns,
    is_page: i64,
}

/// A published story as feeds carry it.
#[derive(FromRow)]
struct FeedRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    body_html: String,
}

/// A story as related-story ranking sees it, one row per subject (none when it has none).
#[derive(FromRow)]
struct CandidateRow {
    id: i64,
    section_id: i64,
    published_at: Option<i64>,
    tag_id: Option<i64>,
}

/// Candidates from their rows, in the order their first rows came.
fn candidates(rows: Vec<CandidateRow>) -> Result<Vec<RelatedCandidate>, StoreError> {
    let mut found: Vec<RelatedCandidate> = Vec::new();
    let mut at: HashMap<i64, usize> = HashMap::new();
    for row in rows {
        let index = if let Some(&index) = at.get(&row.id) {
            index
        } else {
            at.insert(row.id, found.len());
            found.push(RelatedCandidate {
                id: ArticleId(row.id),
                tag_ids: Vec::new(),
                section_id: SectionId(row.section_id),
                published_at: rows::timestamp(row.published_at.unwrap_or_default())?,
                similarity: 0.0,
            });
            found.len() - 1
        };
        if let Some(tag) = row.tag_id {
            found[index].tag_ids.push(SubjectId(tag));
        }
    }
    Ok(found)
}

/// What a story names besides its own row: bylines, subjects, sources and corrections.
#[derive(Default)]
pub(crate) struct StoryDetails {
    pub authors: Vec<Author>,
    pub subjects: Vec<(SubjectId, Tag)>,
    pub sources: Vec<Source>,
    pub corrections: Vec<Correction>,
}

/// One line of `STORY_DETAILS`: what `kind` says, in the columns that kind uses.
#[derive(FromRow)]
struct DetailRow {
    kind: String,
    /// The subject's id; the correction's, which breaks ties of `at`.
    ref_id: i64,
    first: String,
    second: String,
    bio: Option<String>,
    at: Option<i64>,
    /// A byline's profile (`rows::profile_columns!`); empty on other lines.
    #[sqlx(flatten)]
    profile: rows::ProfileColumns,
}

/// A story's bylines with their profiles, subjects and sources in the writer's order, and its
/// latest corrections: one query, so a story page is one round trip for its row and one for all
/// it names.
const STORY_DETAILS: &str = concat!(
    "
    SELECT 'author' AS kind, aa.position AS position, CAST(0 AS BIGINT) AS ref_id,
        au.slug AS first, au.name AS second, au.bio AS bio, CAST(NULL AS BIGINT) AS at, ",
    rows::profile_columns!(),
    "
        FROM article_authors aa JOIN authors au ON au.id = aa.author_id
        LEFT JOIN media m ON m.id = au.photo_id WHERE aa.article_id = $1
    UNION ALL SELECT 'subject', at.position, t.id, t.slug, t.name, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = $1
    UNION ALL SELECT 'source', position, 0, label, url, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM article_sources WHERE article_id = $1
    UNION ALL SELECT 'correction', 0, c.id, c.kind, c.note, NULL, c.at,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM (SELECT id, kind, note, at FROM corrections WHERE article_id = $1
              ORDER BY at DESC, id DESC LIMIT 50) c
    ORDER BY kind, position"
);

impl StoryDetails {
    fn from_rows(rows: Vec<DetailRow>) -> Result<Self, StoreError> {
        let mut details = Self::default();
        let mut corrections = Vec::new();
        for row in rows {
            match row.kind.as_str() {
                "author" => details.authors.push(rows::described_author(
                    &row.first,
                    &row.second,
                    row.bio,
                    row.profile,
                )?),
                "subject" => details
                    .subjects
                    .push((SubjectId(row.ref_id), rows::tag(&row.first, &row.second)?)),
                "source" => details.sources.push(Source {
                    label: row.first,
                    url: row.second,
                }),
                _ => {
                    let at = row
                        .at
                        .ok_or_else(|| StoreError::corrupt("correction", "no date"))?;
                    let correction = rows::correction(&row.first, row.second, at)?;
                    corrections.push((at, row.ref_id, correction));
                }
            }
        }
        corrections.sort_by_key(|(at, id, _)| std::cmp::Reverse((*at, *id)));
        details.corrections = corrections.into_iter().map(|(.., c)| c).collect();
        Ok(details)
    }
}

/// How many of the section's newest stories (the story itself aside), and of each subject's
/// latest, may be related: four are shown, ranked by subjects shared first. Thirty and twenty
/// (up to ninety candidates for a story with three subjects) made comparing them and reading
/// them a third of an uncached story page.
const RELATED_FROM_SECTION: i64 = 12;
const RELATED_PER_SUBJECT: i64 = 8;

impl Store {
    /// The published story at this address, if readers may see it now.
    pub async fn published_article(
        &self,
        path: &ArticlePath,
    ) -> Result<Option<Article>, StoreError> {
        Ok(self.story_page(path).await?.map(|page| page.article))
    }

    /// The story with this id, if readers may see it now.
    pub async fn published_article_by_id(
        &self,
        id: ArticleId,
    ) -> Result<Option<Article>, StoreError> {
        let pool = &self.pool;
        let path: Option<Option<String>> =
            sqlx::query_scalar("SELECT path FROM articles WHERE id = $1")
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
        match path.flatten() {
            Some(path) => {
                self.published_article(&ArticlePath::from_stored(path))
                    .await
            }
            None => Ok(None),
        }
    }

    /// Published stories of a listing, newest first. The page's ids come first, from the
    /// listing's index alone (the stories skipped to reach a deep page are index entries, not
    /// rows), then their summaries by id: page 500 of a section costs about what page 1 does.
    #[tracing::instrument(skip(self))]
    pub async fn published_summaries(
        &self,
        listing: Listing,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let pool = &self.pool;
        let mut query = published("SELECT a.id FROM articles a", now_seconds(), listing);
        query
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let ids: Vec<i64> = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_scalar_with(&sql, arguments)
                .fetch_all(pool)
                .await?
        };
        let ids: Vec<ArticleId> = ids.into_iter().map(ArticleId).collect();
        self.published_summaries_by_ids(&ids).await
    }

    /// Published stories as a client asks for them, newest first, from after `after`: the ids
    /// come first along the listing's index, then their summaries by id, as for listing pages.
    #[tracing::instrument(skip(self))]
    pub async fn published_page(
        &self,
        query: StoryQuery,
        after: Option<After<ArticleId>>,
        limit: u32,
    ) -> Result<Vec<ListedStory>, StoreError> {
        let pool = &self.pool;
        let mut statement = published(
            "SELECT a.id FROM articles a",
            now_seconds(),
            Listing::Everything,
        );
        let listings = [
            query.section.map(Listing::Section),
            query.subject.map(Listing::Tag),
            query.author.map(Listing::Author),
        ];
        for listing in listings.into_iter().flatten() {
            narrow(&mut statement, listing);
        }
        if let Some(since) = query.updated_since {
            statement
                .push(" AND a.updated_at >= ")
                .push_bind(since.as_second());
        }
        if let Some(after) = after {
            statement.push_after("a.published_at", "a.id", after.at.as_second(), after.id.0);
        }
        statement
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let ids: Vec<i64> = {
            let (sql, arguments) = statement.finish()?;
            sqlx::query_scalar_with(&sql, arguments)
                .fetch_all(pool)
                .await?
        };
        let ids: Vec<ArticleId> = ids.into_iter().map(ArticleId).collect();
        self.listed_by_ids(&ids).await
    }

    /// The published story with this id, if readers may see it now, with its Markdown.
    pub async fn published_story(
        &self,
        id: ArticleId,
    ) -> Result<Option<PublishedStory>, StoreError> {
        let found: Option<(Option<String>, String)> =
            sqlx::query_as("SELECT path, body_markdown FROM articles WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        let Some((Some(path), body_markdown)) = found else {
            return Ok(None);
        };
        Ok(self
            .story_page(&ArticlePath::from_stored(path))
            .await?
            .map(|page| PublishedStory {
                page,
                body_markdown,
            }))
    }

    /// The newest published stories of a listing, with their bodies, for feeds.
    #[tracing::instrument(skip(self))]
    pub async fn published_feed_items(
        &self,
        listing: Listing,
        limit: u32,
    ) -> Result<Vec<FeedItem>, StoreError> {
        let pool = &self.pool;
        let select = format!("SELECT {SUMMARY_COLUMNS}, a.body_html{SUMMARY_FROM}");
        let mut query = published(&select, now_seconds(), listing);
        query
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<FeedRow> = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_as_with(&sql, arguments).fetch_all(pool).await?
        };
        let mut bodies = Vec::with_capacity(rows.len());
        let mut summaries = Vec::with_capacity(rows.len());
        for row in rows {
            bodies.push(row.body_html);
            summaries.push(row.summary);
        }
        let listed = self.with_bylines(summaries).await?;
        Ok(listed
            .into_iter()
            .zip(bodies)
            .map(|(listed, body_html)| FeedItem {
                summary: listed.summary,
                body_html,
                updated_at: listed.updated_at,
            })
            .collect())
    }

    /// The sitemaps that hold at least one published story, by number (from 1): sitemap `n`
    /// lists the published stories whose ids are among the `n`th run of `size` ids, so it never
    /// holds more than `size`. One look-up for the last id, then one index seek a sitemap.
    pub async fn sitemap_numbers(&self, size: u32) -> Result<Vec<u64>, StoreError> {
        let pool = &self.pool;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM articles")
            .fetch_one(pool)
            .await?;
        let runs = u64::try_from(last.unwrap_or_default())
            .unwrap_or_default()
            .div_ceil(u64::from(size));
        let mut numbers = Vec::new();
        let sql = sitemap_run("a.id", " LIMIT 1");
        for number in 1..=runs {
            let Some(ids) = sitemap_ids(number, size) else {
                break;
            };
            let any: Option<i64> = sqlx::query_scalar(&sql)
                .bind(ids.start())
                .bind(ids.end())
                .bind(now_seconds())
                .fetch_optional(pool)
                .await?;
            if any.is_some() {
                numbers.push(number);
            }
        }
        Ok(numbers)
    }

    /// Sitemap `number` (see `sitemap_numbers`): its published stories' addresses with their
    /// last change, in the order of their ids; read from the sitemap's index alone.
    pub async fn sitemap(
        &self,
        number: u64,
        size: u32,
    ) -> Result<Vec<(ArticlePath, Timestamp)>, StoreError> {
        let Some(ids) = sitemap_ids(number, size) else {
            return Ok(Vec::new());
        };
        let sql = sitemap_run("a.path, a.updated_at", " ORDER BY a.id");
        let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
            .bind(ids.start())
            .bind(ids.end())
            .bind(now_seconds())
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(path, at)| Ok((ArticlePath::from_stored(path), rows::timestamp(at)?)))
            .collect()
    }

    /// Stories published since `since`, newest first (the news sitemap's two days).
    pub async fn published_since(
        &self,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let pool = &self.pool;
        let mut query = published(
            &format!("SELECT {SUMMARY_COLUMNS}{SUMMARY_FROM}"),
            now_seconds(),
            Listing::Everything,
        );
        query
            .push(" AND a.published_at >= ")
            .push_bind(since.as_second())
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows: Vec<SummaryRow> = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_as_with(&sql, arguments).fetch_all(pool).await?
        };
        self.summaries(rows).await
    }

    /// How many published stories a listing has, for pagination.
    pub async fn count_published(&self, listing: Listing) -> Result<u64, StoreError> {
        let pool = &self.pool;
        // The stories alone, no section or image joined: counted on the listing's index.
        let query = published("SELECT COUNT(*) FROM articles a", now_seconds(), listing);
        let (sql, arguments) = query.finish()?;
        let count: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(pool)
            .await?;
        u64::try_from(count).map_err(|e| StoreError::corrupt("count", e))
    }

    /// Published stories with these ids, in the order given (ids that are not published are left out).
    pub async fn published_summaries_by_ids(
        &self,
        ids: &[ArticleId],
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        self.reads().await?.published_summaries_by_ids(ids).await
    }

    /// The listings a story is in once published: its section, its subjects and its bylines
    /// (the whole site's listing aside).
    pub async fn story_listings(&self, id: ArticleId) -> Result<Vec<Listing>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT 'section', section_id FROM articles WHERE id = $1
             UNION ALL SELECT 'tag', tag_id FROM article_tags WHERE article_id = $1
             UNION ALL SELECT 'author', author_id FROM article_authors WHERE article_id = $1",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, id)| match kind.as_str() {
                "section" => Listing::Section(SectionId(id)),
                "tag" => Listing::Tag(SubjectId(id)),
                _ => Listing::Author(AuthorId(id)),
            })
            .collect())
    }

    async fn summaries(&self, rows: Vec<SummaryRow>) -> Result<Vec<ArticleSummary>, StoreError> {
        Ok(self
            .with_bylines(rows)
            .await?
            .into_iter()
            .map(|listed| listed.summary)
            .collect())
    }

    /// The published story at this address as its page shows it, if readers may see it now
    /// (`Reads::story_page`).
    pub async fn story_page(&self, path: &ArticlePath) -> Result<Option<StoryPage>, StoreError> {
        self.reads().await?.story_page(path).await
    }

    /// What a story names besides its own row (`Reads::story_details`).
    pub(crate) async fn story_details(&self, id: ArticleId) -> Result<StoryDetails, StoreError> {
        self.reads().await?.story_details(id).await
    }

    /// Published stories with these ids as lists give them to clients, in the order given.
    pub async fn listed_by_ids(&self, ids: &[ArticleId]) -> Result<Vec<ListedStory>, StoreError> {
        self.reads().await?.listed_by_ids(ids).await
    }

    /// The published stories that might be related to `story` (`Reads::related_candidates`).
    pub async fn related_candidates(
        &self,
        story: &RelatedCandidate,
        enough: usize,
    ) -> Result<RelatedPool, StoreError> {
        self.reads().await?.related_candidates(story, enough).await
    }

    async fn with_bylines(&self, rows: Vec<SummaryRow>) -> Result<Vec<ListedStory>, StoreError> {
        self.reads().await?.with_bylines(rows).await
    }

    pub(crate) async fn authors_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<Author>>, StoreError> {
        self.reads().await?.authors_of(ids).await
    }

    /// One connection for several reads (`Reads`).
    pub async fn reads(&self) -> Result<Reads, StoreError> {
        let on = match &self.sqlite_readers {
            Some(readers) => ReadsOn::Sqlite(readers.take()?),
            None => ReadsOn::Pool(self.pool.acquire().await?),
        };
        Ok(Reads { on })
    }
}

/// Reads made one after another on one connection. From the pool, it is asked for once (a
/// connection given back is first pinged); on an SQLite file, the reads run on the request's
/// thread, in one transaction (`sqlite_reads`).
pub struct Reads {
    on: ReadsOn,
}

enum ReadsOn {
    Pool(PoolConnection<Any>),
    Sqlite(SqliteReader),
}

/// `values` bound as `$1`, `$2`….
fn values(values: &[i64]) -> Result<AnyArguments<'static>, StoreError> {
    let mut arguments = AnyArguments::default();
    for value in values {
        statement::add(&mut arguments, *value)?;
    }
    Ok(arguments)
}

impl Reads {
    /// Every row of `sql` with `arguments` bound.
    async fn fetch_all<T>(
        &mut self,
        sql: &str,
        arguments: AnyArguments<'_>,
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
    {
        match &mut self.on {
            ReadsOn::Pool(connection) => Ok(sqlx::query_as_with(sql, arguments)
                .fetch_all(&mut **connection)
                .await?),
            ReadsOn::Sqlite(reader) => reader
                .fetch_all(sql, arguments)?
                .iter()
                .map(|row| T::from_row(row).map_err(StoreError::from))
                .collect(),
        }
    }

    /// Published stories with these ids, in the order given (ids that are not published are left out).
    pub async fn published_summaries_by_ids(
        &mut self,
        ids: &[ArticleId],
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        Ok(self
            .listed_by_ids(ids)
            .await?
            .into_iter()
            .map(|listed| listed.summary)
            .collect())
    }

    /// The published story at this address as its page shows it, if readers may see it now:
    /// its row, then everything it names in one more query.
    #[tracing::instrument(skip(self))]
    pub async fn story_page(
        &mut self,
        path: &ArticlePath,
    ) -> Result<Option<StoryPage>, StoreError> {
        let mut query = readable(
            &format!(
                "SELECT {SUMMARY_COLUMNS}, a.section_id, a.slug, a.status, a.body_html,
                 a.claim_text, a.claim_author, a.claim_rating, a.is_page,
                 {SEARCH_AND_SOCIAL_COLUMNS}{SUMMARY_FROM}"
            ),
            now_seconds(),
        );
        query.push(" AND a.path = ").push_bind(path.as_ref());
        let (sql, arguments) = query.finish()?;
        let Some(row): Option<ArticleRow> = self.fetch_all(&sql, arguments).await?.pop() else {
            return Ok(None);
        };
        let details = self.story_details(ArticleId(row.summary.id)).await?;
        let ListedStory {
            summary,
            updated_at,
        } = row.summary.into_listed(details.authors)?;
        let ranking = RelatedCandidate {
            id: summary.id,
            tag_ids: details.subjects.iter().map(|(id, _)| *id).collect(),
            section_id: SectionId(row.section_id),
            published_at: summary.published_at,
            similarity: 0.0,
        };
        let article = Article {
            id: summary.id,
            slug: rows::slug(&row.slug)?,
            path: summary.path,
            headline: summary.headline,
            standfirst: summary.standfirst,
            body_html: row.body_html,
            kind: summary.kind,
            status: rows::status(&row.status)?,
            section: summary.section,
            tags: details.subjects.into_iter().map(|(_, tag)| tag).collect(),
            authors: summary.authors,
            lead_image: summary.lead_image,
            sources: details.sources,
            claim: row.claim.try_into()?,
            search_and_social: row.search_and_social.try_into()?,
            published_at: Some(summary.published_at),
            updated_at,
            is_page: row.is_page != 0,
        };
        Ok(Some(StoryPage {
            article,
            corrections: details.corrections,
            ranking,
        }))
    }

    /// What a story names besides its own row (see `STORY_DETAILS`).
    pub(crate) async fn story_details(
        &mut self,
        id: ArticleId,
    ) -> Result<StoryDetails, StoreError> {
        let rows: Vec<DetailRow> = self.fetch_all(STORY_DETAILS, values(&[id.0])?).await?;
        StoryDetails::from_rows(rows)
    }

    /// Published stories with these ids as lists give them to clients, in the order given.
    pub async fn listed_by_ids(
        &mut self,
        ids: &[ArticleId],
    ) -> Result<Vec<ListedStory>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Found by their keys, not by the state's index (every published story, 24 ms at
        // 100,000 stories, for four).
        let mut query = Statement::new(format!("SELECT {SUMMARY_COLUMNS}{SUMMARY_FROM}"));
        query.push(" WHERE a.id IN (");
        query.push_binds(ids.iter().map(|id| id.0));
        query.push(") AND ").push(PUBLISHED_BY_OTHER_INDEX);
        query.push_bind(now_seconds());
        let rows: Vec<SummaryRow> = {
            let (sql, arguments) = query.finish()?;
            self.fetch_all(&sql, arguments).await?
        };
        let mut found = self.with_bylines(rows).await?;
        found.sort_by_key(|listed| ids.iter().position(|id| *id == listed.summary.id));
        Ok(found)
    }

    /// The published stories that might be related to `story` (as `story_page` gives it): the
    /// newest of its section and the latest of each of its subjects, each read along an index,
    /// so the cost does not grow with the archive. A candidate carries the subjects it was
    /// picked for (those it shares with the story: what ranking counts). Only when these are
    /// fewer than `enough` do the site's most recent stories join them: a page cache then knows
    /// which listings a story's related block depends on.
    #[tracing::instrument(skip_all, fields(story = story.id.0))]
    pub async fn related_candidates(
        &mut self,
        story: &RelatedCandidate,
        enough: usize,
    ) -> Result<RelatedPool, StoreError> {
        let article_id = story.id;
        let now = now_seconds();
        // The section's newest others are read along its index (on SQLite, from the index
        // alone: the id is the row's key). The subjects' picks come next, each story then found by its key: the
        // planner never walks every published story to test it against them. `UNION ALL`, one
        // row per pick and no grouping: nothing to sort.
        let mut query = Statement::new(
            "SELECT id, section_id, published_at, tag_id FROM
                 (SELECT id, section_id, published_at, CAST(NULL AS BIGINT) AS tag_id
                  FROM articles WHERE section_id = ",
        );
        query
            .push_bind(story.section_id.0)
            .push(" AND status = 'published' AND is_page = 0 AND published_at <= ")
            .push_bind(now)
            .push(" AND id <> ")
            .push_bind(article_id.0)
            .push(" ORDER BY published_at DESC LIMIT ")
            .push_bind(RELATED_FROM_SECTION)
            .push(") AS newest");
        if !story.tag_ids.is_empty() {
            query
                .push(" UNION ALL SELECT a.id, a.section_id, a.published_at, picked.tag_id FROM (");
            for (n, subject) in story.tag_ids.iter().enumerate() {
                if n > 0 {
                    query.push(" UNION ALL ");
                }
                query
                    .push(
                        "SELECT article_id AS id, tag_id FROM (SELECT article_id, tag_id
                         FROM article_tags WHERE tag_id = ",
                    )
                    .push_bind(subject.0)
                    .push(" ORDER BY article_id DESC LIMIT ")
                    .push_bind(RELATED_PER_SUBJECT)
                    .push(&format!(") AS subject_{n}"));
            }
            // `CROSS JOIN` keeps the picks as SQLite's outer loop (PostgreSQL plans it as any
            // join): tested the other way round, every published story was read (219 ms at
            // 100,000 stories).
            query.push(
                ") AS picked CROSS JOIN articles a
                 WHERE a.id = picked.id AND a.status = 'published' AND a.published_at <= ",
            );
            query
                .push_bind(now)
                .push(" AND a.id <> ")
                .push_bind(article_id.0);
        }
        let rows: Vec<CandidateRow> = {
            let (sql, arguments) = query.finish()?;
            self.fetch_all(&sql, arguments).await?
        };
        let mut candidates = candidates(rows)?;
        let site_wide = candidates.len() < enough;
        if site_wide {
            let recent: Vec<CandidateRow> = self
                .fetch_all(
                    "SELECT id, section_id, published_at, CAST(NULL AS BIGINT) AS tag_id
                     FROM articles WHERE status = 'published' AND is_page = 0
                         AND published_at <= $1 AND id <> $2
                     ORDER BY published_at DESC LIMIT 20",
                    values(&[now, article_id.0])?,
                )
                .await?;
            let known: HashSet<ArticleId> = candidates.iter().map(|c| c.id).collect();
            candidates.extend(
                self::candidates(recent)?
                    .into_iter()
                    .filter(|c| !known.contains(&c.id)),
            );
        }
        Ok(RelatedPool {
            candidates,
            site_wide,
        })
    }

    async fn with_bylines(
        &mut self,
        rows: Vec<SummaryRow>,
    ) -> Result<Vec<ListedStory>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut authors = self.authors_of(&ids).await?;
        rows.into_iter()
            .map(|row| {
                let bylines = authors.remove(&row.id).unwrap_or_default();
                row.into_listed(bylines)
            })
            .collect()
    }

    pub(crate) async fn authors_of(
        &mut self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<Author>>, StoreError> {
        let mut by_article: HashMap<i64, Vec<Author>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_article);
        }
        let mut query = Statement::new(
            "SELECT aa.article_id, au.slug, au.name, au.bio FROM article_authors aa
             JOIN authors au ON au.id = aa.author_id WHERE aa.article_id IN (",
        );
        query.push_binds(ids.iter().copied());
        query.push(") ORDER BY aa.article_id, aa.position");
        let bylines: Vec<(i64, String, String, Option<String>)> = {
            let (sql, arguments) = query.finish()?;
            self.fetch_all(&sql, arguments).await?
        };
        for (article, slug, name, bio) in bylines {
            by_article
                .entry(article)
                .or_default()
                .push(rows::author(&slug, &name, bio)?);
        }
        Ok(by_article)
    }
}

/// `select` of the stories readers see among one run of ids (`$1` its first id, `$2` its last,
/// `$3` now), then `rest`.
fn sitemap_run(select: &str, rest: &str) -> String {
    format!(
        "SELECT {select} FROM articles a
         WHERE a.id >= $1 AND a.id <= $2 AND {PUBLISHED_BY_OTHER_INDEX}$3{rest}"
    )
}

/// The ids sitemap `number` (from 1) covers, if they are ids at all.
fn sitemap_ids(number: u64, size: u32) -> Option<std::ops::RangeInclusive<i64>> {
    let first = number
        .checked_sub(1)?
        .checked_mul(u64::from(size))?
        .checked_add(1)?;
    let last = first.checked_add(u64::from(size.max(1)) - 1)?;
    Some(i64::try_from(first).ok()?..=i64::try_from(last).ok()?)
}
