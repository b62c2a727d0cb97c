//! Writing a story's content: a new story with its first revision, and what every save shares
//! (the section, subjects, authors, sources and images it names, created when new; the revision).
//! Reads live in `articles` (readers) and `newsroom` (the newsroom).

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::Timestamp;
use rotative_domain::{
    AltText, ArticleId, ArticleKind, ArticlePath, ArticleStatus, Author, Claim, Headline,
    RevisionId, SearchAndSocial, Section, Slug, Source, Standfirst, Tag, UserId,
};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::{
    NewMedia, Store, StoreError, Taken,
    front_page::place_in_free_slot,
    media::record_media,
    now_seconds,
    statement::{Statement, in_statements},
    taxonomy,
    users::{Audit, insert_audit},
};

/// The lead image of a story: its figure, shown on lists, social cards and JSON-LD.
#[derive(Debug, Clone)]
pub struct NewLeadImage {
    /// One of the story's `media`, or a file already in the library.
    pub storage_key: String,
    pub alt: AltText,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// What a writer controls in a story: every field already parsed, the body already rendered.
/// Each save of this is a revision.
#[derive(Debug, Clone)]
pub struct StoryContent {
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    pub body_markdown: String,
    pub body_html: String,
    pub kind: ArticleKind,
    /// Created with the story if new, like its tags and authors.
    pub section: Section,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    /// Image files the body uses, recorded with the story.
    pub media: Vec<NewMedia>,
    pub lead_image: Option<NewLeadImage>,
    /// Storage keys of every library image the body shows.
    pub media_keys: Vec<String>,
    pub sources: Vec<Source>,
    /// Only for fact-checks.
    pub claim: Option<Claim>,
    pub search_and_social: SearchAndSocial,
}

impl StoryContent {
    /// A digest of everything a writer chose (not what is derived from it, such as the HTML):
    /// two saves with the same fingerprint bring the same story. Each part is length-prefixed,
    /// so no two different contents can share their bytes.
    pub fn fingerprint(&self) -> String {
        let mut digest = Sha256::new();
        let mut part = |text: &str| {
            digest.update((text.len() as u64).to_le_bytes());
            digest.update(text.as_bytes());
        };
        part(self.headline.as_ref());
        part(self.standfirst.as_ref().map_or("", AsRef::as_ref));
        part(&self.body_markdown);
        part(self.kind.as_str());
        part(self.section.name.as_ref());
        for (label, names) in [
            (
                "tags",
                self.tags
                    .iter()
                    .map(|t| t.name.as_ref())
                    .collect::<Vec<&str>>(),
            ),
            (
                "authors",
                self.authors.iter().map(|a| a.name.as_ref()).collect(),
            ),
        ] {
            part(label);
            part(&names.len().to_string());
            names.into_iter().for_each(&mut part);
        }
        part(&self.sources.len().to_string());
        for source in &self.sources {
            part(&source.label);
            part(&source.url);
        }
        if let Some(claim) = &self.claim {
            part(&claim.text);
            part(claim.author.as_deref().unwrap_or_default());
            part(claim.rating.as_str());
        }
        // Only when written, so the fingerprints stored before these existed still hold.
        if !self.search_and_social.is_empty() {
            part("search_and_social");
            for text in self.search_and_social.texts() {
                part(text.unwrap_or_default());
            }
        }
        hex::encode(digest.finalize())
    }
}

/// A new story: its content, and where it stands in the workflow.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: Slug,
    /// Set once the story is published; drafts have no public address.
    pub path: Option<ArticlePath>,
    pub status: ArticleStatus,
    pub published_at: Option<Timestamp>,
    /// For a scheduled story: when it goes live.
    pub scheduled_at: Option<Timestamp>,
    /// The newsroom account that created it (none for imports and demo content).
    pub created_by: Option<UserId>,
    /// When it last changed, for stories brought in with their history; else its publication.
    pub updated_at: Option<Timestamp>,
    /// Put in the first free slot of the front page once stored, if it is published (a
    /// WordPress sticky post).
    pub on_front_page: bool,
    pub content: StoryContent,
    /// A page of the site (at `/{slug}/`, in no listing) rather than a story.
    pub is_page: bool,
    /// A page's place in every page's footer, from 1; none: not there.
    pub footer_position: Option<u32>,
}

impl Store {
    /// The slug itself if no story has it yet, else the first free `slug-N`; `reserved` slugs
    /// count as taken.
    #[tracing::instrument(skip(self, reserved))]
    pub async fn free_article_slug(
        &self,
        base: &Slug,
        reserved: &BTreeSet<Slug>,
    ) -> Result<Slug, StoreError> {
        // `base-…` as a range of the unique index (slugs are `[a-z0-9-]`, and `.` follows `-`):
        // a `LIKE` would read every story, and imports call this once per item.
        let sql = "SELECT slug FROM articles WHERE slug = $1 OR (slug > $2 AND slug < $3)";
        let taken: Vec<String> = {
            let pool = &self.pool;
            sqlx::query_scalar(sql)
                .bind(base.as_ref())
                .bind(format!("{base}-"))
                .bind(format!("{base}."))
                .fetch_all(pool)
                .await?
        };
        let free = |candidate: &Slug| {
            !reserved.contains(candidate) && !taken.iter().any(|s| s == candidate.as_ref())
        };
        if free(base) {
            return Ok(base.clone());
        }
        Ok((2..=u32::MAX)
            .map(|n| base.with_suffix(n))
            .find(free)
            .unwrap_or_else(|| base.clone()))
    }

    /// Those of `slugs` that no story has yet: one query for a whole batch of new stories.
    pub async fn free_slugs(&self, slugs: &[Slug]) -> Result<BTreeSet<Slug>, StoreError> {
        let mut free: BTreeSet<Slug> = slugs.iter().cloned().collect();
        let mut conn = self.pool.acquire().await?;
        for run in in_statements(slugs, 1) {
            let mut select = Statement::new("SELECT slug FROM articles WHERE slug IN (");
            select.push_binds(run.iter().map(AsRef::as_ref)).push(")");
            let (sql, arguments) = select.finish()?;
            let taken: HashSet<String> = sqlx::query_scalar_with(&sql, arguments)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
            free.retain(|slug| !taken.contains(slug.as_ref()));
        }
        Ok(free)
    }

    /// Stores a new story with its first revision, its media records, any section, tag or
    /// author it names that is new, and the audit line of the person who wrote it (imports have
    /// none), in one transaction: a failure or a crash leaves all or nothing.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn create_article(
        &self,
        new: &NewArticle,
        audit: Option<Audit<'_>>,
    ) -> Result<ArticleId, StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let (id, _) = insert_article(&mut tx, new).await?;
        if let Some(audit) = audit {
            insert_audit(&mut tx, Some(id), audit).await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}

/// Inserts a story with its first revision and everything it names, inside the caller's
/// transaction. Returns the story's id and its revision's.
pub(crate) async fn insert_article(
    conn: &mut AnyConnection,
    new: &NewArticle,
) -> Result<(ArticleId, RevisionId), StoreError> {
    insert_articles(conn, &[new])
        .await?
        .pop()
        .ok_or(StoreError::NotFound("story"))
}

/// Columns of a story's row that its content and workflow fill, in the order bound below.
const ARTICLE_COLUMNS: &str = "slug, path, section_id, kind, status, headline, standfirst,
    body_markdown, body_html, lead_media_id, lead_alt, lead_caption, lead_credit, published_at,
    created_at, updated_at, created_by, claim_text, claim_author, claim_rating, scheduled_at,
    content_fingerprint, is_page, footer_position, search_headline, social_headline,
    social_description";
const ARTICLE_WIDTH: usize = 27;

/// Inserts stories with their first revisions and everything they name, inside the caller's
/// transaction, in a few multi-row statements whatever their number (an import writes them by
/// hundreds). Returns each story's id and its revision's, in the order given.
pub(crate) async fn insert_articles(
    conn: &mut AnyConnection,
    articles: &[&NewArticle],
) -> Result<Vec<(ArticleId, RevisionId)>, StoreError> {
    let now = now_seconds();
    let refs = Refs::ensure(conn, articles).await?;
    let mut ids = Vec::with_capacity(articles.len());
    for run in in_statements(articles, ARTICLE_WIDTH) {
        let mut insert =
            Statement::new(format!("INSERT INTO articles ({ARTICLE_COLUMNS}) VALUES "));
        let mut missing_lead = false;
        insert.push_rows(run, |row, new| {
            let content = &new.content;
            let lead = content.lead_image.as_ref();
            let lead_id = lead.map(|l| refs.media.get(&l.storage_key).copied());
            missing_lead |= lead_id == Some(None);
            row.value(new.slug.as_ref())
                .value(new.path.as_ref().map(AsRef::as_ref))
                .value(refs.sections.get(content.section.slug.as_ref()).copied())
                .value(content.kind.as_str())
                .value(new.status.as_str())
                .value(content.headline.as_ref())
                .value(content.standfirst.as_ref().map(AsRef::as_ref))
                .value(content.body_markdown.as_str())
                .value(content.body_html.as_str())
                .value(lead_id.flatten())
                .value(lead.map(|l| l.alt.as_ref()))
                .value(lead.and_then(|l| l.caption.as_deref()))
                .value(lead.and_then(|l| l.credit.as_deref()))
                .value(new.published_at.map(Timestamp::as_second))
                .value(now)
                // A new story has not been updated: its last change is its publication.
                .value(
                    new.updated_at
                        .or(new.published_at)
                        .map_or(now, Timestamp::as_second),
                )
                .value(new.created_by.map(|user| user.0))
                .value(content.claim.as_ref().map(|c| c.text.as_str()))
                .value(content.claim.as_ref().and_then(|c| c.author.as_deref()))
                .value(content.claim.as_ref().map(|c| c.rating.as_str()))
                .value(new.scheduled_at.map(Timestamp::as_second))
                // A first save from the editor that changes nothing is then known as such.
                .value(content.fingerprint())
                .value(i64::from(new.is_page))
                .value(new.footer_position.map(i64::from));
            for text in content.search_and_social.texts() {
                row.value(text);
            }
        });
        if missing_lead {
            return Err(StoreError::NotFound("lead image"));
        }
        // Rows come back in no promised order: each is known by its slug, unique.
        insert.push(" RETURNING slug, id");
        let (sql, arguments) = insert.finish()?;
        let by_slug: HashMap<String, i64> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| StoreError::on_unique(e, Taken::StoryAddress))?
            .into_iter()
            .collect();
        for new in run {
            let id = by_slug
                .get(new.slug.as_ref())
                .ok_or(StoreError::NotFound("story"))?;
            ids.push(ArticleId(*id));
        }
    }
    let stories: Vec<(ArticleId, &NewArticle)> =
        ids.iter().copied().zip(articles.iter().copied()).collect();
    link_new(conn, &stories, &refs).await?;
    // Sticky posts take the free slots newest first, as WordPress lists them.
    let mut sticky: Vec<&(ArticleId, &NewArticle)> = stories
        .iter()
        .filter(|(_, new)| {
            new.on_front_page && new.status == ArticleStatus::Published && !new.is_page
        })
        .collect();
    sticky.sort_by_key(|(_, new)| std::cmp::Reverse(new.published_at));
    for (id, _) in sticky {
        place_in_free_slot(conn, *id).await?;
    }
    let revisions = insert_first_revisions(conn, &stories, now).await?;
    Ok(ids.into_iter().zip(revisions).collect())
}

/// The ids of what new stories point at: sections, subjects and bylines (created when new),
/// lead images (recorded with the story's media or already in the library), by slug or key.
struct Refs {
    sections: HashMap<String, i64>,
    tags: HashMap<String, i64>,
    authors: HashMap<String, i64>,
    media: HashMap<String, i64>,
}

impl Refs {
    async fn ensure(
        conn: &mut AnyConnection,
        articles: &[&NewArticle],
    ) -> Result<Self, StoreError> {
        let contents = || articles.iter().map(|new| &new.content);
        for media in contents().flat_map(|content| &content.media) {
            record_media(conn, media).await?;
        }
        let mut sections = HashMap::new();
        for section in contents().map(|content| &content.section) {
            if !sections.contains_key(section.slug.as_ref()) {
                let id = taxonomy::ensure_section(conn, section).await?;
                sections.insert(section.slug.to_string(), id);
            }
        }
        let tags: Vec<&Tag> = contents().flat_map(|content| &content.tags).collect();
        let authors: Vec<&Author> = contents().flat_map(|content| &content.authors).collect();
        let keys: Vec<&str> = contents()
            .filter_map(|content| content.lead_image.as_ref())
            .map(|lead| lead.storage_key.as_str())
            .collect();
        Ok(Self {
            sections,
            tags: taxonomy::ensure_tags(conn, &tags).await?,
            authors: taxonomy::ensure_authors(conn, &authors).await?,
            media: crate::media::ids_by_key(conn, &keys).await?,
        })
    }
}

/// Links new stories to their subjects and bylines in order (each named once), their sources,
/// and the library images their bodies show.
async fn link_new(
    conn: &mut AnyConnection,
    stories: &[(ArticleId, &NewArticle)],
    refs: &Refs,
) -> Result<(), StoreError> {
    for linked in [Linked::Subjects, Linked::Bylines] {
        let mut links: Vec<(i64, i64, i64)> = Vec::new();
        for (id, new) in stories {
            let content = &new.content;
            let named: Vec<i64> = match linked {
                Linked::Subjects => content
                    .tags
                    .iter()
                    .filter_map(|t| refs.tags.get(t.slug.as_ref()))
                    .copied()
                    .collect(),
                Linked::Bylines => content
                    .authors
                    .iter()
                    .filter_map(|a| refs.authors.get(a.slug.as_ref()))
                    .copied()
                    .collect(),
            };
            let mut seen = HashSet::new();
            links.extend(
                named
                    .into_iter()
                    .filter(|linked_id| seen.insert(*linked_id))
                    .zip(0_i64..)
                    .map(|(linked_id, position)| (id.0, linked_id, position)),
            );
        }
        let (table, column) = linked.table_and_column();
        for run in in_statements(&links, 3) {
            let mut insert = Statement::new(format!(
                "INSERT INTO {table} (article_id, {column}, position) VALUES "
            ));
            insert.push_rows(run, |row, &(article_id, linked_id, position)| {
                row.value(article_id).value(linked_id).value(position);
            });
            let (sql, arguments) = insert.finish()?;
            sqlx::query_with(&sql, arguments)
                .execute(&mut *conn)
                .await?;
        }
    }
    let sources: Vec<(i64, i64, &Source)> = stories
        .iter()
        .flat_map(|(id, new)| {
            (0_i64..)
                .zip(&new.content.sources)
                .map(move |(position, source)| (id.0, position, source))
        })
        .collect();
    for run in in_statements(&sources, 4) {
        let mut insert = Statement::new(
            "INSERT INTO article_sources (article_id, position, label, url) VALUES ",
        );
        insert.push_rows(run, |row, &(article_id, position, source)| {
            row.value(article_id)
                .value(position)
                .value(source.label.as_str())
                .value(source.url.as_str());
        });
        let (sql, arguments) = insert.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    let shown: Vec<(i64, &str)> = stories
        .iter()
        .flat_map(|(id, new)| {
            new.content
                .media_keys
                .iter()
                .map(|key| (id.0, key.as_str()))
        })
        .collect();
    crate::media::link_new_media(conn, &shown).await
}

/// Records the first revision of each new story and makes it the story's current one.
async fn insert_first_revisions(
    conn: &mut AnyConnection,
    stories: &[(ArticleId, &NewArticle)],
    now: i64,
) -> Result<Vec<RevisionId>, StoreError> {
    let mut revisions: HashMap<i64, i64> = HashMap::with_capacity(stories.len());
    for run in in_statements(stories, 8) {
        let mut insert = Statement::new(
            "INSERT INTO revisions (article_id, headline, standfirst, body_markdown, body_html,
                 created_at, user_id, conflict) VALUES ",
        );
        insert.push_rows(run, |row, (id, new)| {
            let content = &new.content;
            row.value(id.0)
                .value(content.headline.as_ref())
                .value(content.standfirst.as_ref().map(AsRef::as_ref))
                .value(content.body_markdown.as_str())
                .value(content.body_html.as_str())
                .value(now)
                .value(new.created_by.map(|user| user.0))
                .value(0_i64);
        });
        insert.push(" RETURNING article_id, id");
        let (sql, arguments) = insert.finish()?;
        let rows: Vec<(i64, i64)> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&mut *conn)
            .await?;
        revisions.extend(rows);
        let mut current = Statement::new(
            "UPDATE articles SET current_revision_id =
                 (SELECT MAX(r.id) FROM revisions r WHERE r.article_id = articles.id)
             WHERE id IN (",
        );
        current.push_binds(run.iter().map(|(id, _)| id.0));
        current.push(")");
        let (sql, arguments) = current.finish()?;
        sqlx::query_with(&sql, arguments)
            .execute(&mut *conn)
            .await?;
    }
    stories
        .iter()
        .map(|(id, _)| {
            revisions
                .get(&id.0)
                .map(|revision| RevisionId(*revision))
                .ok_or(StoreError::NotFound("revision"))
        })
        .collect()
}

/// Ids that a story's content points at, created in the same transaction when new.
pub(crate) struct ContentRefs {
    pub section_id: i64,
    pub lead_media_id: Option<i64>,
}

pub(crate) async fn content_refs(
    conn: &mut AnyConnection,
    content: &StoryContent,
) -> Result<ContentRefs, StoreError> {
    for media in &content.media {
        record_media(conn, media).await?;
    }
    let section_id = taxonomy::ensure_section(conn, &content.section).await?;
    let lead_media_id = match &content.lead_image {
        Some(lead) => Some(
            sqlx::query_scalar("SELECT id FROM media WHERE storage_key = $1")
                .bind(&lead.storage_key)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound("lead image"))?,
        ),
        None => None,
    };
    Ok(ContentRefs {
        section_id,
        lead_media_id,
    })
}

/// Links an edited story to its tags, authors (creating new ones) and sources, in the order
/// given, in place of what it was linked to.
async fn link_details(
    conn: &mut AnyConnection,
    article_id: i64,
    content: &StoryContent,
) -> Result<(), StoreError> {
    let mut tag_ids = Vec::with_capacity(content.tags.len());
    for tag in &content.tags {
        tag_ids.push(taxonomy::ensure_tag(conn, tag).await?);
    }
    let mut author_ids = Vec::with_capacity(content.authors.len());
    for author in &content.authors {
        author_ids.push(taxonomy::ensure_author(conn, author).await?);
    }
    replace_in_order(conn, article_id, Linked::Subjects, &tag_ids).await?;
    replace_in_order(conn, article_id, Linked::Bylines, &author_ids).await?;
    sqlx::query("DELETE FROM article_sources WHERE article_id = $1")
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    for (position, source) in (0_i64..).zip(&content.sources) {
        sqlx::query("INSERT INTO article_sources (article_id, position, label, url) VALUES ($1, $2, $3, $4)")
            .bind(article_id)
            .bind(position)
            .bind(&source.label)
            .bind(&source.url)
            .execute(&mut *conn)
            .await?;
    }
    crate::media::link_media(conn, article_id, &content.media_keys).await
}

/// What a story is linked to in order: its subjects or its bylines.
#[derive(Debug, Clone, Copy)]
enum Linked {
    Subjects,
    Bylines,
}

impl Linked {
    /// The link table and the column naming what is linked.
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Self::Subjects => ("article_tags", "tag_id"),
            Self::Bylines => ("article_authors", "author_id"),
        }
    }
}

/// Links a story to `ids` in their order, removing its links to anything else. Links it keeps
/// stay in place, so the change log names only the subjects and bylines that really changed.
async fn replace_in_order(
    conn: &mut AnyConnection,
    article_id: i64,
    linked: Linked,
    ids: &[i64],
) -> Result<(), StoreError> {
    let (table, column) = linked.table_and_column();
    let mut statement = Statement::new(format!("DELETE FROM {table} WHERE article_id = "));
    statement.push_bind(article_id);
    if !ids.is_empty() {
        statement.push(&format!(" AND {column} NOT IN ("));
        statement.push_binds(ids.iter().copied());
        statement.push(")");
    }
    let (sql, arguments) = statement.finish()?;
    sqlx::query_with(&sql, arguments)
        .execute(&mut *conn)
        .await?;
    let upsert = format!(
        "INSERT INTO {table} (article_id, {column}, position) VALUES ($1, $2, $3)
         ON CONFLICT (article_id, {column}) DO UPDATE SET position = excluded.position"
    );
    for (position, id) in (0_i64..).zip(ids) {
        sqlx::query(&upsert)
            .bind(article_id)
            .bind(id)
            .bind(position)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Writes a story's content, whose `fingerprint` the caller computed, over its row and its
/// links (tags, bylines, sources), inside the caller's transaction; the caller adds the revision.
pub(crate) async fn apply_content(
    conn: &mut AnyConnection,
    id: ArticleId,
    content: &StoryContent,
    fingerprint: &str,
    updated_at: i64,
) -> Result<(), StoreError> {
    let refs = content_refs(conn, content).await?;
    let lead = content.lead_image.as_ref();
    let [search_headline, social_headline, social_description] = content.search_and_social.texts();
    sqlx::query(
        "UPDATE articles SET headline = $1, standfirst = $2, body_markdown = $3, body_html = $4,
             kind = $5, section_id = $6, lead_media_id = $7, lead_alt = $8, lead_caption = $9,
             lead_credit = $10, updated_at = $11, claim_text = $13, claim_author = $14,
             claim_rating = $15, content_fingerprint = $16, search_headline = $17,
             social_headline = $18, social_description = $19
         WHERE id = $12",
    )
    .bind(content.headline.as_ref())
    .bind(content.standfirst.as_ref().map(AsRef::as_ref))
    .bind(&content.body_markdown)
    .bind(&content.body_html)
    .bind(content.kind.as_str())
    .bind(refs.section_id)
    .bind(refs.lead_media_id)
    .bind(lead.map(|l| l.alt.as_ref()))
    .bind(lead.and_then(|l| l.caption.as_deref()))
    .bind(lead.and_then(|l| l.credit.as_deref()))
    .bind(updated_at)
    .bind(id.0)
    .bind(content.claim.as_ref().map(|c| c.text.as_str()))
    .bind(content.claim.as_ref().and_then(|c| c.author.as_deref()))
    .bind(content.claim.as_ref().map(|c| c.rating.as_str()))
    .bind(fingerprint)
    .bind(search_headline)
    .bind(social_headline)
    .bind(social_description)
    .execute(&mut *conn)
    .await?;
    link_details(conn, id.0, content).await
}

/// Records a revision; unless it is a conflict, it becomes the story's current one.
pub(crate) async fn insert_revision(
    conn: &mut AnyConnection,
    article_id: ArticleId,
    content: &StoryContent,
    user_id: Option<UserId>,
    base_revision_id: Option<RevisionId>,
    conflict: bool,
) -> Result<RevisionId, StoreError> {
    let revision_id: i64 = sqlx::query_scalar(
        "INSERT INTO revisions (article_id, headline, standfirst, body_markdown, body_html, created_at,
             user_id, base_revision_id, conflict)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(article_id.0)
    .bind(content.headline.as_ref())
    .bind(content.standfirst.as_ref().map(AsRef::as_ref))
    .bind(&content.body_markdown)
    .bind(&content.body_html)
    .bind(now_seconds())
    .bind(user_id.map(|user| user.0))
    .bind(base_revision_id.map(|revision| revision.0))
    .bind(i64::from(conflict))
    .fetch_one(&mut *conn)
    .await?;
    if !conflict {
        sqlx::query("UPDATE articles SET current_revision_id = $1 WHERE id = $2")
            .bind(revision_id)
            .bind(article_id.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(RevisionId(revision_id))
}
