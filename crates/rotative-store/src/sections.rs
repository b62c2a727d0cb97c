//! Sections as editors manage them: names, slugs, descriptions, the navigation's order, merges.
//! A slug a section gives up (a rename, a merge) is kept in `section_moves`, so every address
//! under it answers 301 with the address under the section's slug of now; the stories' own
//! addresses, and the import's redirects that led to them, are rewritten in the same
//! transaction, so no redirect ever leads to another.

use rotative_domain::{Section, SectionId, Slug};
use sqlx::{AnyConnection, FromRow};

use crate::{Store, StoreError, Taken, rows, users::insert_audit};

/// A section with what the newsroom shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRecord {
    pub id: SectionId,
    pub section: Section,
    /// Shown on the section's page and in its feeds; empty for none.
    pub description: String,
    /// Whether the site's navigation lists it.
    pub in_navigation: bool,
    /// Stories filed in it, in any state: a section holding some cannot be removed.
    pub stories: u64,
    pub published: u64,
}

/// What an editor sets of a section.
#[derive(Debug, Clone, Copy)]
pub struct SectionFields<'a> {
    pub section: &'a Section,
    pub description: &'a str,
    pub in_navigation: bool,
}

/// Why a section was not removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionRemoval {
    Removed,
    NotFound,
    /// It still files stories: they must be merged into another section first.
    HoldsStories,
}

#[derive(FromRow)]
struct RecordRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    in_navigation: i64,
    stories: i64,
    published: i64,
}

impl TryFrom<RecordRow> for SectionRecord {
    type Error = StoreError;

    fn try_from(row: RecordRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: SectionId(row.id),
            section: rows::section(&row.slug, &row.name)?,
            description: row.description,
            in_navigation: row.in_navigation != 0,
            stories: u64::try_from(row.stories).unwrap_or_default(),
            published: u64::try_from(row.published).unwrap_or_default(),
        })
    }
}

/// Sections with their counts, in the navigation's order: all of them when `$1` is 0, else
/// the one whose id is `$2`.
const RECORDS: &str = "SELECT s.id, s.slug, s.name, s.description, s.in_navigation,
        COALESCE(c.stories, 0) AS stories, COALESCE(c.published, 0) AS published
    FROM sections s LEFT JOIN (
        SELECT section_id, COUNT(*) AS stories,
               SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END) AS published
        FROM articles GROUP BY section_id) c ON c.section_id = s.id
    WHERE $1 = 0 OR s.id = $2
    ORDER BY s.position, s.name";

/// The slug of now of the section that had `old_slug` before a rename or a merge.
pub(crate) async fn moved_to(
    conn: &mut AnyConnection,
    old_slug: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT s.slug FROM section_moves m JOIN sections s ON s.id = m.section_id
         WHERE m.old_slug = $1",
    )
    .bind(old_slug)
    .fetch_optional(conn)
    .await?)
}

async fn slug_of(conn: &mut AnyConnection, id: SectionId) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT slug FROM sections WHERE id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?,
    )
}

/// Every address under `/{old}/` now lives under the section `to`'s slug `new`: the old slug is
/// remembered for it, a move that pointed at the slug it takes now is dropped (it is live
/// again), and the stories' addresses and the redirects that led to them are rewritten.
async fn move_addresses(
    conn: &mut AnyConnection,
    from: SectionId,
    old: &str,
    to: SectionId,
    new: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM section_moves WHERE old_slug = $1")
        .bind(new)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO section_moves (old_slug, section_id) VALUES ($1, $2)
         ON CONFLICT (old_slug) DO UPDATE SET section_id = excluded.section_id",
    )
    .bind(old)
    .bind(to.0)
    .execute(&mut *conn)
    .await?;
    let old_prefix = format!("/{old}/");
    let new_prefix = format!("/{new}/");
    let kept_from = i64::try_from(old_prefix.len() + 1).unwrap_or(i64::MAX);
    let prefix_length = i64::try_from(old_prefix.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "UPDATE articles SET section_id = $1, path = $2 || substr(path, CAST($3 AS INTEGER))
         WHERE section_id = $4 AND substr(path, 1, CAST($5 AS INTEGER)) = $6",
    )
    .bind(to.0)
    .bind(&new_prefix)
    .bind(kept_from)
    .bind(from.0)
    .bind(prefix_length)
    .bind(&old_prefix)
    .execute(&mut *conn)
    .await?;
    if from != to {
        // Stories never published have no address to move.
        sqlx::query("UPDATE articles SET section_id = $1 WHERE section_id = $2")
            .bind(to.0)
            .bind(from.0)
            .execute(&mut *conn)
            .await?;
    }
    // After the stories moved: a redirect to a story still living under the old slug (filed
    // in another section since it was published, its address kept) stays as it is.
    sqlx::query(
        "UPDATE redirects SET target = $1 || substr(target, CAST($2 AS INTEGER))
         WHERE substr(target, 1, CAST($3 AS INTEGER)) = $4
           AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.path = redirects.target)",
    )
    .bind(&new_prefix)
    .bind(kept_from)
    .bind(prefix_length)
    .bind(&old_prefix)
    .execute(&mut *conn)
    .await?;
    // A redirect the rewrite made lead to itself (`/{new}/x` to `/{old}/x`) leads nowhere.
    sqlx::query("DELETE FROM redirects WHERE old = target")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Tells the page caches and the search index that every story of the section changed: they
/// show its name and its address.
async fn log_stories_of(conn: &mut AnyConnection, section: SectionId) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO change_log (subject, subject_id, moved, at)
         SELECT 'article', id, 0, $1 FROM articles WHERE section_id = $2",
    )
    .bind(crate::now_seconds())
    .bind(section.0)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Every section with its story counts, in the navigation's order.
    pub async fn section_records(&self) -> Result<Vec<SectionRecord>, StoreError> {
        let found: Vec<RecordRow> = sqlx::query_as(RECORDS)
            .bind(0_i64)
            .bind(0_i64)
            .fetch_all(&self.pool)
            .await?;
        found.into_iter().map(SectionRecord::try_from).collect()
    }

    pub async fn section_record(&self, id: SectionId) -> Result<Option<SectionRecord>, StoreError> {
        let found: Option<RecordRow> = sqlx::query_as(RECORDS)
            .bind(id.0)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        found.map(SectionRecord::try_from).transpose()
    }

    /// A new section, last in the navigation. Its slug, if a section had it before, is its own
    /// from now on.
    pub async fn create_section(
        &self,
        fields: SectionFields<'_>,
        audit: crate::Audit<'_>,
    ) -> Result<SectionId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sections (slug, name, description, in_navigation, position)
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM sections))
             RETURNING id",
        )
        .bind(fields.section.slug.as_ref())
        .bind(fields.section.name.as_ref())
        .bind(fields.description)
        .bind(i64::from(fields.in_navigation))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::SectionSlug))?;
        sqlx::query("DELETE FROM section_moves WHERE old_slug = $1")
            .bind(fields.section.slug.as_ref())
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(SectionId(id))
    }

    /// Changes a section; a new slug takes every address of the old one with it. `false` when
    /// there is no such section.
    pub async fn change_section(
        &self,
        id: SectionId,
        fields: SectionFields<'_>,
        audit: crate::Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let named: Option<(String, String)> =
            sqlx::query_as("SELECT slug, name FROM sections WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((old_slug, old_name)) = named else {
            return Ok(false);
        };
        let new_slug = fields.section.slug.as_ref();
        sqlx::query(
            "UPDATE sections SET slug = $1, name = $2, description = $3, in_navigation = $4
             WHERE id = $5",
        )
        .bind(new_slug)
        .bind(fields.section.name.as_ref())
        .bind(fields.description)
        .bind(i64::from(fields.in_navigation))
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::SectionSlug))?;
        if old_slug != new_slug {
            move_addresses(&mut tx, id, &old_slug, id, new_slug).await?;
        }
        if old_slug != new_slug || old_name != fields.section.name.as_ref() {
            log_stories_of(&mut tx, id).await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Puts the sections in this order in the navigation; those not named follow, in their
    /// order of before.
    pub async fn reorder_sections(
        &self,
        order: &[SectionId],
        audit: crate::Audit<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let current: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM sections ORDER BY position, name")
                .fetch_all(&mut *tx)
                .await?;
        let named = order
            .iter()
            .map(|id| id.0)
            .filter(|id| current.contains(id));
        let mut seen = std::collections::HashSet::new();
        let rest = current
            .iter()
            .copied()
            .filter(|id| !order.contains(&SectionId(*id)));
        for (position, id) in named.chain(rest).filter(|id| seen.insert(*id)).enumerate() {
            sqlx::query("UPDATE sections SET position = $1 WHERE id = $2")
                .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Files every story of `from` in `into` and removes `from`; its addresses, and those it
    /// had before, lead to `into`'s. `false` when either section does not exist.
    pub async fn merge_section(
        &self,
        from: SectionId,
        into: SectionId,
        audit: crate::Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let (Some(from_slug), Some(into_slug)) =
            (slug_of(&mut tx, from).await?, slug_of(&mut tx, into).await?)
        else {
            return Ok(false);
        };
        sqlx::query("UPDATE section_moves SET section_id = $1 WHERE section_id = $2")
            .bind(into.0)
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
        move_addresses(&mut tx, from, &from_slug, into, &into_slug).await?;
        sqlx::query("DELETE FROM sections WHERE id = $1")
            .bind(from.0)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes a section that files no story, with the slugs it had before.
    pub async fn remove_section(
        &self,
        id: SectionId,
        audit: crate::Audit<'_>,
    ) -> Result<SectionRemoval, StoreError> {
        let mut tx = self.begin_write().await?;
        if slug_of(&mut tx, id).await?.is_none() {
            return Ok(SectionRemoval::NotFound);
        }
        let holds: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM articles WHERE section_id = $1 LIMIT 1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if holds.is_some() {
            return Ok(SectionRemoval::HoldsStories);
        }
        sqlx::query("DELETE FROM section_moves WHERE section_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sections WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(SectionRemoval::Removed)
    }

    /// The slug of now of the section that had `old_slug` before a rename or a merge.
    pub async fn moved_section(&self, old_slug: &str) -> Result<Option<Slug>, StoreError> {
        let slug = moved_to(&mut *self.pool.acquire().await?, old_slug).await?;
        slug.map(|slug| rows::slug(&slug)).transpose()
    }
}
