use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rotative_domain::{
    AltText, Article, ArticleKind, ArticlePath, ArticleStatus, ArticleSummary, Author, Figure,
    Headline, MediaId, RelatedCandidate, Standfirst, Tag,
};
use sqlx::{Row, any::AnyRow};

use crate::{Store, StoreError, now_seconds, rows, statement::Statement};

/// A published story as feeds carry it: its summary, its body and when it last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    pub summary: ArticleSummary,
    pub body_html: String,
    pub updated_at: Timestamp,
}

/// The stories that might be related to one: see `Store::related_candidates`.
#[derive(Debug, Clone)]
pub struct RelatedPool {
    pub story: RelatedCandidate,
    pub candidates: Vec<RelatedCandidate>,
    /// Whether the site's most recent stories were added for want of enough in the same
    /// section or sharing a subject.
    pub site_wide: bool,
}

/// Which published stories a listing page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    Everything,
    Section(i64),
    Tag(i64),
    Author(i64),
}

const SUMMARY_COLUMNS: &str = "a.id, a.path, a.headline, a.standfirst, a.kind, a.published_at,
    s.slug AS section_slug, s.name AS section_name,
    a.lead_media_id, a.lead_alt, a.lead_caption, a.lead_credit, m.storage_key, m.width, m.height,
    CAST(m.animated AS BIGINT) AS animated";

const SUMMARY_FROM: &str = " FROM articles a
    JOIN sections s ON s.id = a.section_id
    LEFT JOIN media m ON m.id = a.lead_media_id";

/// Starts a query over the stories readers may see now, optionally narrowed to one listing.
fn published<'a>(select: &str, now: i64, listing: Listing) -> Statement<'a> {
    let mut query = Statement::new(select);
    query.push(SUMMARY_FROM);
    query.push(" WHERE a.status = 'published' AND a.published_at <= ");
    query.push_bind(now);
    match listing {
        Listing::Everything => {}
        Listing::Section(id) => {
            query.push(" AND a.section_id = ").push_bind(id);
        }
        Listing::Tag(id) => {
            query
                .push(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = ")
                .push_bind(id)
                .push(")");
        }
        Listing::Author(id) => {
            query
                .push(" AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = ")
                .push_bind(id)
                .push(")");
        }
    }
    query
}

fn lead_image(row: &AnyRow) -> Result<Option<Figure>, StoreError> {
    let Some(media) = row.try_get::<Option<i64>, _>("lead_media_id")? else {
        return Ok(None);
    };
    let alt: String = row.try_get("lead_alt")?;
    let dimension = |column: &str| -> Result<u32, StoreError> {
        let value: i64 = row.try_get(column)?;
        u32::try_from(value).map_err(|e| StoreError::corrupt("image size", e))
    };
    Ok(Some(Figure {
        media: MediaId(media),
        key: row.try_get("storage_key")?,
        width: dimension("width")?,
        height: dimension("height")?,
        animated: crate::flag(row, "animated")?,
        alt: AltText::parse(&alt).map_err(|e| StoreError::corrupt("alt text", e))?,
        caption: row.try_get("lead_caption")?,
        credit: row.try_get("lead_credit")?,
    }))
}

fn summary(row: &AnyRow, authors: Vec<Author>) -> Result<ArticleSummary, StoreError> {
    let headline: String = row.try_get("headline")?;
    let standfirst: Option<String> = row.try_get("standfirst")?;
    let kind: String = row.try_get("kind")?;
    let path: Option<String> = row.try_get("path")?;
    let published_at: Option<i64> = row.try_get("published_at")?;
    Ok(ArticleSummary {
        id: row.try_get("id")?,
        path: ArticlePath::from_stored(path.ok_or_else(|| StoreError::corrupt("path", "missing"))?),
        headline: Headline::parse(&headline).map_err(|e| StoreError::corrupt("headline", e))?,
        standfirst: standfirst
            .map(|s| Standfirst::parse(&s))
            .transpose()
            .map_err(|e| StoreError::corrupt("standfirst", e))?,
        kind: ArticleKind::parse(&kind).map_err(|e| StoreError::corrupt("kind", e))?,
        section: rows::section(row.try_get("section_slug")?, row.try_get("section_name")?)?,
        authors,
        lead_image: lead_image(row)?,
        published_at: rows::timestamp(
            published_at.ok_or_else(|| StoreError::corrupt("published_at", "missing"))?,
        )?,
    })
}

impl Store {
    /// The published story at this address, if readers may see it now.
    #[tracing::instrument(skip(self))]
    pub async fn published_article(
        &self,
        path: &ArticlePath,
    ) -> Result<Option<Article>, StoreError> {
        let pool = &self.pool;
        let mut query = published(
            &format!(
                "SELECT {SUMMARY_COLUMNS}, a.slug, a.status, a.body_html, a.updated_at,
                 a.claim_text, a.claim_author, a.claim_rating"
            ),
            now_seconds(),
            Listing::Everything,
        );
        query.push(" AND a.path = ").push_bind(path.as_ref());
        let (sql, arguments) = query.finish()?;
        let Some(row) = sqlx::query_with(&sql, arguments)
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let authors = self
            .authors_of(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let tags = self.tags_of(id).await?;
        let summary = summary(&row, authors)?;
        let status: String = row.try_get("status")?;
        Ok(Some(Article {
            id,
            slug: rows::slug(row.try_get("slug")?)?,
            path: summary.path,
            headline: summary.headline,
            standfirst: summary.standfirst,
            body_html: row.try_get("body_html")?,
            kind: summary.kind,
            status: ArticleStatus::parse(&status).map_err(|e| StoreError::corrupt("status", e))?,
            section: summary.section,
            tags,
            authors: summary.authors,
            lead_image: summary.lead_image,
            sources: self.sources_of(id).await?,
            claim: rows::claim(&row)?,
            published_at: Some(summary.published_at),
            updated_at: rows::timestamp(row.try_get("updated_at")?)?,
        }))
    }

    /// The story with this id, if readers may see it now.
    pub async fn published_article_by_id(&self, id: i64) -> Result<Option<Article>, StoreError> {
        let pool = &self.pool;
        let path: Option<Option<String>> =
            sqlx::query_scalar("SELECT path FROM articles WHERE id = $1")
                .bind(id)
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

    /// Published stories of a listing, newest first.
    #[tracing::instrument(skip(self))]
    pub async fn published_summaries(
        &self,
        listing: Listing,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let pool = &self.pool;
        let mut query = published(&format!("SELECT {SUMMARY_COLUMNS}"), now_seconds(), listing);
        query
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let rows = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        };
        self.summaries(&rows).await
    }

    /// The top of the home page: pinned stories, newest pin first, then the newest stories.
    /// Two queries on indexes rather than one sort of every story by a computed key.
    #[tracing::instrument(skip(self))]
    pub async fn front_page(&self, limit: u32) -> Result<Vec<ArticleSummary>, StoreError> {
        let pool = &self.pool;
        let now = now_seconds();
        let mut pinned = published(
            &format!("SELECT {SUMMARY_COLUMNS}"),
            now,
            Listing::Everything,
        );
        pinned
            .push(" AND a.pinned_at IS NOT NULL ORDER BY a.pinned_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let mut rows = {
            let (sql, arguments) = pinned.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        };
        let mut latest = published(
            &format!("SELECT {SUMMARY_COLUMNS}"),
            now,
            Listing::Everything,
        );
        latest
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        for row in {
            let (sql, arguments) = latest.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        } {
            let id: i64 = row.try_get("id")?;
            let already = rows
                .iter()
                .any(|shown| shown.try_get::<i64, _>("id").is_ok_and(|shown| shown == id));
            if !already {
                rows.push(row);
            }
        }
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        self.summaries(&rows).await
    }

    /// The newest published stories of a listing, with their bodies, for feeds.
    #[tracing::instrument(skip(self))]
    pub async fn published_feed_items(
        &self,
        listing: Listing,
        limit: u32,
    ) -> Result<Vec<FeedItem>, StoreError> {
        let pool = &self.pool;
        let select = format!("SELECT {SUMMARY_COLUMNS}, a.body_html, a.updated_at");
        let mut query = published(&select, now_seconds(), listing);
        query
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        };
        let summaries = self.summaries(&rows).await?;
        rows.iter()
            .zip(summaries)
            .map(|(row, summary)| {
                Ok(FeedItem {
                    summary,
                    body_html: row.try_get("body_html")?,
                    updated_at: rows::timestamp(row.try_get("updated_at")?)?,
                })
            })
            .collect()
    }

    /// Addresses of published stories with their last change, oldest first, for sitemaps.
    pub async fn published_paths(
        &self,
        offset: u64,
        limit: u32,
    ) -> Result<Vec<(ArticlePath, Timestamp)>, StoreError> {
        let pool = &self.pool;
        let mut query = published(
            "SELECT a.path, a.updated_at",
            now_seconds(),
            Listing::Everything,
        );
        query
            .push(" ORDER BY a.published_at, a.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let (sql, arguments) = query.finish()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql, arguments).fetch_all(pool).await?;
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
            &format!("SELECT {SUMMARY_COLUMNS}"),
            now_seconds(),
            Listing::Everything,
        );
        query
            .push(" AND a.published_at >= ")
            .push_bind(since.as_second())
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        };
        self.summaries(&rows).await
    }

    /// How many published stories a listing has, for pagination.
    pub async fn count_published(&self, listing: Listing) -> Result<u64, StoreError> {
        let pool = &self.pool;
        let (sql, arguments) = published("SELECT COUNT(*)", now_seconds(), listing).finish()?;
        let count: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(pool)
            .await?;
        u64::try_from(count).map_err(|e| StoreError::corrupt("count", e))
    }

    /// Published stories with these ids, in the order given (ids that are not published are left out).
    pub async fn published_summaries_by_ids(
        &self,
        ids: &[i64],
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let pool = &self.pool;
        let mut query = published(
            &format!("SELECT {SUMMARY_COLUMNS}"),
            now_seconds(),
            Listing::Everything,
        );
        query.push(" AND a.id IN (");
        query.push_binds(ids.iter().copied());
        query.push(")");
        let rows = {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        };
        let mut found = self.summaries(&rows).await?;
        found.sort_by_key(|s| ids.iter().position(|id| *id == s.id));
        Ok(found)
    }

    /// The story as ranking sees it, and the published stories that might be related to it:
    /// those sharing a tag or the section, bounded so big sites stay fast. Only when these are
    /// fewer than `enough` do the site's most recent stories join them: a page cache then knows
    /// which listings a story's related block depends on.
    #[tracing::instrument(skip(self))]
    pub async fn related_candidates(
        &self,
        article_id: i64,
        enough: usize,
    ) -> Result<Option<RelatedPool>, StoreError> {
        let pool = &self.pool;
        let now = now_seconds();
        let article =
            sqlx::query("SELECT id, section_id, published_at FROM articles WHERE id = $1")
                .bind(article_id)
                .fetch_optional(pool)
                .await?;
        let Some(article) = article else {
            return Ok(None);
        };
        let mut rows = sqlx::query(
            "SELECT id, section_id, published_at FROM articles a
             WHERE a.status = 'published' AND a.published_at <= $1 AND a.id <> $2
               AND (a.section_id = $3 OR a.id IN (
                   SELECT t.article_id FROM article_tags t
                   WHERE t.tag_id IN (SELECT tag_id FROM article_tags WHERE article_id = $2)))
             ORDER BY published_at DESC LIMIT 300",
        )
        .bind(now)
        .bind(article_id)
        .bind(article.try_get::<i64, _>("section_id")?)
        .fetch_all(pool)
        .await?;
        let site_wide = rows.len() < enough;
        if site_wide {
            let recent = sqlx::query(
                "SELECT id, section_id, published_at FROM articles
                 WHERE status = 'published' AND published_at <= $1 AND id <> $2
                 ORDER BY published_at DESC LIMIT 20",
            )
            .bind(now)
            .bind(article_id)
            .fetch_all(pool)
            .await?;
            let mut known: HashSet<i64> = rows
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<Result<_, _>>()?;
            for row in recent {
                if known.insert(row.try_get("id")?) {
                    rows.push(row);
                }
            }
        }
        let mut ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        ids.push(article_id);
        let mut tags = self.tag_ids_of(&ids).await?;
        let mut candidate = |row: &AnyRow| -> Result<RelatedCandidate, StoreError> {
            let id: i64 = row.try_get("id")?;
            Ok(RelatedCandidate {
                id,
                tag_ids: tags.remove(&id).unwrap_or_default(),
                section_id: row.try_get("section_id")?,
                published_at: rows::timestamp(
                    row.try_get::<Option<i64>, _>("published_at")?
                        .unwrap_or_default(),
                )?,
                similarity: 0.0,
            })
        };
        let story = candidate(&article)?;
        let candidates = rows.iter().map(&mut candidate).collect::<Result<_, _>>()?;
        Ok(Some(RelatedPool {
            story,
            candidates,
            site_wide,
        }))
    }

    /// The listings a story is in once published: its section, its subjects and its bylines
    /// (the whole site's listing aside).
    pub async fn story_listings(&self, id: i64) -> Result<Vec<Listing>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT 'section', section_id FROM articles WHERE id = $1
             UNION ALL SELECT 'tag', tag_id FROM article_tags WHERE article_id = $1
             UNION ALL SELECT 'author', author_id FROM article_authors WHERE article_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, id)| match kind.as_str() {
                "section" => Listing::Section(id),
                "tag" => Listing::Tag(id),
                _ => Listing::Author(id),
            })
            .collect())
    }

    async fn summaries(&self, rows: &[AnyRow]) -> Result<Vec<ArticleSummary>, StoreError> {
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let mut authors = self.authors_of(&ids).await?;
        rows.iter()
            .zip(&ids)
            .map(|(row, id)| summary(row, authors.remove(id).unwrap_or_default()))
            .collect()
    }

    pub(crate) async fn authors_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<Author>>, StoreError> {
        let mut by_article: HashMap<i64, Vec<Author>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_article);
        }
        let pool = &self.pool;
        let mut query = Statement::new(
            "SELECT aa.article_id, au.slug, au.name, au.bio FROM article_authors aa
             JOIN authors au ON au.id = aa.author_id WHERE aa.article_id IN (",
        );
        query.push_binds(ids.iter().copied());
        query.push(") ORDER BY aa.article_id, aa.position");
        for row in {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        } {
            by_article
                .entry(row.try_get("article_id")?)
                .or_default()
                .push(rows::author(
                    row.try_get("slug")?,
                    row.try_get("name")?,
                    row.try_get("bio")?,
                )?);
        }
        Ok(by_article)
    }

    pub(crate) async fn tags_of(&self, id: i64) -> Result<Vec<Tag>, StoreError> {
        let pool = &self.pool;
        let rows = sqlx::query(
            "SELECT t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
             WHERE at.article_id = $1 ORDER BY at.position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| rows::tag(r.try_get("slug")?, r.try_get("name")?))
            .collect()
    }

    async fn tag_ids_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        let pool = &self.pool;
        let mut query =
            Statement::new("SELECT article_id, tag_id FROM article_tags WHERE article_id IN (");
        query.push_binds(ids.iter().copied());
        query.push(")");
        let mut by_article: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in {
            let (sql, arguments) = query.finish()?;
            sqlx::query_with(&sql, arguments).fetch_all(pool).await?
        } {
            by_article
                .entry(row.try_get("article_id")?)
                .or_default()
                .push(row.try_get("tag_id")?);
        }
        Ok(by_article)
    }
}
