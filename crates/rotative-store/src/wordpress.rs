//! What the WordPress REST API (`/wp-json/wp/v2/`) reads: published stories in WordPress's
//! terms (posts, and pages: the site's pages), counted for its
//! page numbers, each with the id it had on WordPress when it was imported from there.

use std::collections::HashMap;

use jiff::Timestamp;
use rotative_domain::{ArticleId, AuthorId, MediaId, SectionId, SubjectId};
use sqlx::FromRow;

use crate::{Store, StoreError, now_seconds, statement::Statement};

/// The import's name for WordPress in `imported_items`.
const WORDPRESS: &str = "wordpress";

/// Which published stories a WordPress client asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct WpFilter<'a> {
    /// Pages (the « Pages » section) rather than posts (every other).
    pub pages: bool,
    /// Only these stories (a search's results).
    pub among: Option<&'a [ArticleId]>,
    pub slug: Option<&'a str>,
    /// In any of these sections.
    pub sections: &'a [SectionId],
    /// Under any of these subjects.
    pub subjects: &'a [SubjectId],
    /// Published after this.
    pub after: Option<Timestamp>,
}

/// A published story with what a WordPress post carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WpPost {
    pub id: ArticleId,
    /// Its id on the WordPress site it was imported from.
    pub wordpress_id: Option<i64>,
    pub slug: String,
    pub path: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body_html: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub section: SectionId,
    pub lead_media: Option<MediaId>,
    pub authors: Vec<AuthorId>,
    pub subjects: Vec<SubjectId>,
}

#[derive(FromRow)]
struct WpPostRow {
    id: i64,
    wordpress_id: Option<String>,
    slug: String,
    path: String,
    headline: String,
    standfirst: Option<String>,
    body_html: String,
    published_at: i64,
    updated_at: i64,
    section_id: i64,
    lead_media_id: Option<i64>,
}

fn filtered<'q>(select: &str, filter: &WpFilter<'q>, now: i64) -> Statement<'q> {
    let mut statement = Statement::new(select);
    statement
        .push(" WHERE a.status = 'published' AND a.published_at <= ")
        .push_bind(now)
        .push(if filter.pages {
            " AND a.is_page = 1"
        } else {
            " AND a.is_page = 0"
        });
    if let Some(among) = filter.among {
        if among.is_empty() {
            statement.push(" AND 1 = 0");
        } else {
            statement
                .push(" AND a.id IN (")
                .push_binds(among.iter().map(|id| id.0))
                .push(")");
        }
    }
    if let Some(slug) = filter.slug {
        statement.push(" AND a.slug = ").push_bind(slug);
    }
    if !filter.sections.is_empty() {
        statement
            .push(" AND a.section_id IN (")
            .push_binds(filter.sections.iter().map(|id| id.0))
            .push(")");
    }
    if !filter.subjects.is_empty() {
        statement
            .push(" AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id IN (")
            .push_binds(filter.subjects.iter().map(|id| id.0))
            .push("))");
    }
    if let Some(after) = filter.after {
        statement
            .push(" AND a.published_at > ")
            .push_bind(after.as_second());
    }
    statement
}

impl Store {
    /// A page of published posts or pages, newest first, and how many there are in all.
    pub async fn wordpress_posts(
        &self,
        filter: &WpFilter<'_>,
        offset: u64,
        limit: u32,
    ) -> Result<(u64, Vec<WpPost>), StoreError> {
        let now = now_seconds();
        let total: i64 = {
            let (sql, arguments) =
                filtered("SELECT COUNT(*) FROM articles a", filter, now).finish()?;
            sqlx::query_scalar_with(&sql, arguments)
                .fetch_one(&self.pool)
                .await?
        };
        let mut page = filtered(
            "SELECT a.id, i.source_id AS wordpress_id, a.slug, a.path, a.headline, a.standfirst,
                    a.body_html, a.published_at, a.updated_at, a.section_id, a.lead_media_id
             FROM articles a LEFT JOIN imported_items i
               ON i.article_id = a.id AND i.source = 'wordpress'",
            filter,
            now,
        );
        page.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let rows: Vec<WpPostRow> = {
            let (sql, arguments) = page.finish()?;
            sqlx::query_as_with(&sql, arguments)
                .fetch_all(&self.pool)
                .await?
        };
        let mut posts = Vec::with_capacity(rows.len());
        for row in rows {
            let id = ArticleId(row.id);
            let authors: Vec<i64> = sqlx::query_scalar(
                "SELECT author_id FROM article_authors WHERE article_id = $1 ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(&self.pool)
            .await?;
            let subjects: Vec<i64> = sqlx::query_scalar(
                "SELECT tag_id FROM article_tags WHERE article_id = $1 ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(&self.pool)
            .await?;
            posts.push(WpPost {
                id,
                wordpress_id: row.wordpress_id.and_then(|source| source.parse().ok()),
                slug: row.slug,
                path: row.path,
                headline: row.headline,
                standfirst: row.standfirst,
                body_html: row.body_html,
                published_at: row.published_at,
                updated_at: row.updated_at,
                section: SectionId(row.section_id),
                lead_media: row.lead_media_id.map(MediaId),
                authors: authors.into_iter().map(AuthorId).collect(),
                subjects: subjects.into_iter().map(SubjectId).collect(),
            });
        }
        Ok((u64::try_from(total).unwrap_or(0), posts))
    }

    /// How many published stories each section and each subject holds.
    pub async fn published_counts(
        &self,
    ) -> Result<(HashMap<SectionId, u64>, HashMap<SubjectId, u64>), StoreError> {
        let now = now_seconds();
        let sections: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT section_id, COUNT(*) FROM articles
             WHERE status = 'published' AND is_page = 0 AND published_at <= $1
             GROUP BY section_id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let subjects: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT at.tag_id, COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
             WHERE a.status = 'published' AND a.published_at <= $1 GROUP BY at.tag_id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok((
            sections
                .into_iter()
                .map(|(id, n)| (SectionId(id), count(n)))
                .collect(),
            subjects
                .into_iter()
                .map(|(id, n)| (SubjectId(id), count(n)))
                .collect(),
        ))
    }

    /// The lead images of published stories, newest story first, each once.
    pub async fn published_lead_media(&self) -> Result<Vec<MediaId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT lead_media_id FROM articles
             WHERE status = 'published' AND published_at <= $1 AND lead_media_id IS NOT NULL
             GROUP BY lead_media_id ORDER BY MAX(published_at) DESC",
        )
        .bind(now_seconds())
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(MediaId).collect())
    }

    /// The story imported from the WordPress post or page with this id, if any.
    pub async fn imported_from_wordpress(
        &self,
        wordpress_id: i64,
    ) -> Result<Option<ArticleId>, StoreError> {
        let id: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT article_id FROM imported_items WHERE source = $1 AND source_id = $2",
        )
        .bind(WORDPRESS)
        .bind(wordpress_id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.flatten().map(ArticleId))
    }
}
