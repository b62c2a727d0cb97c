//! The site's pages (about, legal notice, contact): stories in every other way, but at
//! `/{slug}/`, in no listing, and in the footer in the order editors choose.

use std::collections::BTreeSet;

use jiff::Timestamp;
use rotative_domain::{ArticleId, ArticlePath, ArticleStatus, Headline, PageLink, Slug};
use sqlx::FromRow;

use crate::{Audit, Store, StoreError, now_seconds, rows, users::insert_audit};

/// A page as the newsroom lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    pub id: ArticleId,
    pub headline: String,
    pub status: ArticleStatus,
    /// Its address once published.
    pub path: Option<ArticlePath>,
    /// Its place in the footer, from 1; none: not there.
    pub footer_position: Option<u32>,
    pub updated_at: Timestamp,
}

#[derive(FromRow)]
struct PageRow {
    id: i64,
    headline: String,
    status: String,
    path: Option<String>,
    footer_position: Option<i64>,
    updated_at: i64,
}

impl TryFrom<PageRow> for PageRecord {
    type Error = StoreError;

    fn try_from(row: PageRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: ArticleId(row.id),
            headline: row.headline,
            status: rows::status(&row.status)?,
            path: row.path.map(ArticlePath::from_stored),
            footer_position: row
                .footer_position
                .and_then(|position| u32::try_from(position).ok()),
            updated_at: rows::timestamp(row.updated_at)?,
        })
    }
}

impl Store {
    /// Every page, those in the footer first in its order, then the others by headline.
    pub async fn pages(&self) -> Result<Vec<PageRecord>, StoreError> {
        let rows: Vec<PageRow> = sqlx::query_as(
            "SELECT id, headline, status, path, footer_position, updated_at FROM articles
             WHERE is_page = 1
             ORDER BY CASE WHEN footer_position IS NULL THEN 1 ELSE 0 END, footer_position,
                      headline, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(PageRecord::try_from).collect()
    }

    /// The footer's links: the published pages editors put there, in their order.
    pub async fn footer(&self) -> Result<Vec<PageLink>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT headline, path FROM articles
             WHERE is_page = 1 AND footer_position IS NOT NULL AND status = 'published'
                 AND published_at <= $1 AND path IS NOT NULL
             ORDER BY footer_position, id",
        )
        .bind(now_seconds())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(headline, path)| {
                Ok(PageLink {
                    title: Headline::parse(&headline)
                        .map_err(|e| StoreError::corrupt("headline", e))?,
                    path: ArticlePath::from_stored(path),
                })
            })
            .collect()
    }

    /// Puts these pages in the footer, in this order, and every other page out of it. Returns
    /// false, changing nothing, when one of them is not a page.
    pub async fn arrange_footer(
        &self,
        pages: &[ArticleId],
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        for id in pages {
            let is_page: Option<i64> =
                sqlx::query_scalar("SELECT is_page FROM articles WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if is_page != Some(1) {
                return Ok(false);
            }
        }
        sqlx::query("UPDATE articles SET footer_position = NULL WHERE is_page = 1 AND footer_position IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        for (position, id) in (1_i64..).zip(pages) {
            sqlx::query("UPDATE articles SET footer_position = $1 WHERE id = $2")
                .bind(position)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether a page has the address `/{slug}/`, which a section then cannot take.
    pub async fn is_page_slug(&self, slug: &Slug) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM articles WHERE is_page = 1 AND slug = $1")
                .bind(slug.as_ref())
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// The first segments sections answer at, now or since a rename: a page cannot take one.
    pub async fn section_addresses(&self) -> Result<BTreeSet<Slug>, StoreError> {
        let slugs: Vec<String> = sqlx::query_scalar(
            "SELECT slug FROM sections UNION SELECT old_slug FROM section_moves",
        )
        .fetch_all(&self.pool)
        .await?;
        slugs.iter().map(|slug| rows::slug(slug)).collect()
    }
}
