//! The site's redirects as editors manage them: those imports made, those made by hand, and the
//! slugs sections gave up, each with how often readers followed it lately. The table stays
//! flat: a new redirect leads where its target leads, and those that led to its old address now
//! lead to its target, so no redirect ever leads to another.

use rotative_domain::{ArticleId, ArticlePath, Slug, matched_as, requested_forms};
use sqlx::{AnyConnection, FromRow};

use crate::{
    Audit, Store, StoreError, Taken, now_seconds, sections::moved_to, users::insert_audit,
};

/// Where a redirect came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectOrigin {
    /// A WordPress import: the old site's addresses.
    Import,
    /// An editor's.
    Manual,
    /// A section's former slug: every address under `/{old}/`.
    Section,
    /// A story's former address, from a change of its slug.
    Story,
}

impl RedirectOrigin {
    fn parse(value: &str) -> Self {
        match value {
            "manual" => Self::Manual,
            "section" => Self::Section,
            "story" => Self::Story,
            _ => Self::Import,
        }
    }
}

/// One redirect: from `old`, an address as readers ask for it, to `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectRecord {
    pub old: String,
    pub target: String,
    pub origin: RedirectOrigin,
    /// Times readers followed it since the day asked for.
    pub hits: u64,
}

#[derive(FromRow)]
struct RecordRow {
    old: String,
    target: String,
    origin: String,
    hits: i64,
}

/// Why a redirect was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectAdded {
    /// Added, leading to this target (the one asked for, or where it leads).
    Added(String),
    /// Its target leads back to it.
    Loop,
    /// The site answers this address itself (a story's, a section's page): readers would never
    /// be redirected.
    LivePage,
}

/// A story's, a section's and the section moves' part of a path: the slug of its first segment.
fn first_segment(path: &str) -> Option<&str> {
    let under_root = path.strip_prefix('/')?;
    under_root
        .split(['/', '?'])
        .next()
        .filter(|s| !s.is_empty())
}

/// Where a request for `address` is redirected, looked up as readers' requests are.
async fn redirect_from(
    conn: &mut AnyConnection,
    address: &str,
) -> Result<Option<String>, StoreError> {
    for candidate in requested_forms(address) {
        let onward: Option<String> =
            sqlx::query_scalar("SELECT target FROM redirects WHERE old = $1")
                .bind(&candidate)
                .fetch_optional(&mut *conn)
                .await?;
        if onward.is_some() {
            return Ok(onward);
        }
    }
    Ok(None)
}

/// The most steps followed from a target to where it leads: the table is kept flat, so one is
/// the rule, a section's former slug may add one.
const MAX_STEPS: usize = 8;

/// Where `target` leads now: a story's address leads to itself; otherwise through a redirect
/// that starts there, or a section's former slug, step after step. `None` when the way leads
/// back to `old` (a loop).
async fn final_target(
    conn: &mut AnyConnection,
    old: &str,
    target: &str,
) -> Result<Option<String>, StoreError> {
    let mut at = target.to_owned();
    for _ in 0..MAX_STEPS {
        if matched_as(&at) == matched_as(old) {
            return Ok(None);
        }
        if story_at(conn, &at).await? {
            return Ok(Some(at));
        }
        let onward = redirect_from(conn, &at).await?;
        let next = match (onward, first_segment(&at)) {
            (Some(onward), _) => onward,
            (None, Some(old_slug)) => match moved_to(conn, old_slug).await? {
                Some(slug) => format!("/{slug}{}", &at[1 + old_slug.len()..]),
                None => return Ok(Some(at)),
            },
            (None, None) => return Ok(Some(at)),
        };
        at = next;
    }
    Ok(Some(at))
}

/// Whether a story (in any state) has this address.
async fn story_at(conn: &mut AnyConnection, path: &str) -> Result<bool, StoreError> {
    let story: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE path = $1")
        .bind(path)
        .fetch_optional(conn)
        .await?;
    Ok(story.is_some())
}

/// Whether the site answers this address itself (a story's, published or withdrawn, or a
/// section's page): a redirect from it would never be followed.
async fn answered_here(conn: &mut AnyConnection, old: &str) -> Result<bool, StoreError> {
    if story_at(conn, old).await? {
        return Ok(true);
    }
    let Some(slug) = first_segment(old).filter(|slug| matched_as(old) == format!("/{slug}/"))
    else {
        return Ok(false);
    };
    let section: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(section.is_some())
}

impl Store {
    /// Gives a story a new slug, and its new address when it has one: its former address
    /// answers 301 with the new one, and so do the redirects that led to the former one. `None`
    /// when there is no such story.
    pub async fn change_story_slug(
        &self,
        id: ArticleId,
        slug: &Slug,
        path: Option<&ArticlePath>,
        audit: Audit<'_>,
    ) -> Result<Option<()>, StoreError> {
        let mut tx = self.begin_write().await?;
        let former: Option<Option<String>> =
            sqlx::query_scalar("SELECT path FROM articles WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(former) = former else {
            return Ok(None);
        };
        let new_path = path.map(AsRef::as_ref);
        sqlx::query("UPDATE articles SET slug = $1, path = $2 WHERE id = $3")
            .bind(slug.as_ref())
            .bind(new_path)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::on_unique(e, Taken::StoryAddress))?;
        if let (Some(former), Some(new_path)) = (former, new_path)
            && former != new_path
        {
            sqlx::query(
                "INSERT INTO redirects (old, target, origin, created_at) VALUES ($1, $2, 'story', $3)
                 ON CONFLICT (old) DO UPDATE SET target = excluded.target, origin = 'story'",
            )
            .bind(&former)
            .bind(new_path)
            .bind(now_seconds())
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE redirects SET target = $1 WHERE target = $2")
                .bind(new_path)
                .bind(&former)
                .execute(&mut *tx)
                .await?;
            // The new address is the story's: a redirect from it (the story had it before)
            // would now lead to itself.
            sqlx::query("DELETE FROM redirects WHERE old = $1")
                .bind(new_path)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, Some(id), audit).await?;
        tx.commit().await?;
        Ok(Some(()))
    }

    /// Redirects by their old address from after `after`, those whose addresses hold `words`
    /// (any case), with the times each was followed since `since_day` (days since 1970).
    pub async fn redirect_records(
        &self,
        words: &str,
        after: &str,
        limit: u32,
        since_day: i64,
    ) -> Result<Vec<RedirectRecord>, StoreError> {
        let escaped = words
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let found: Vec<RecordRow> = sqlx::query_as(
            "SELECT a.old, a.target, a.origin,
                    CAST(COALESCE((SELECT SUM(h.hits) FROM redirect_hits h
                                   WHERE h.old = a.old AND h.day >= $1), 0) AS BIGINT) AS hits
             FROM (SELECT old, target, origin FROM redirects
                   UNION ALL
                   SELECT '/' || m.old_slug || '/', '/' || s.slug || '/', 'section'
                   FROM section_moves m JOIN sections s ON s.id = m.section_id) a
             WHERE a.old > $2
               AND (lower(a.old) LIKE $3 ESCAPE '\\' OR lower(a.target) LIKE $4 ESCAPE '\\')
             ORDER BY a.old LIMIT $5",
        )
        .bind(since_day)
        .bind(after)
        .bind(&pattern)
        .bind(&pattern)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(found
            .into_iter()
            .map(|row| RedirectRecord {
                old: row.old,
                target: row.target,
                origin: RedirectOrigin::parse(&row.origin),
                hits: u64::try_from(row.hits).unwrap_or_default(),
            })
            .collect())
    }

    /// Adds an editor's redirect from `old` to where `target` leads now; those that led to
    /// `old` lead there too. An address that has one already is `AlreadyExists`.
    pub async fn add_manual_redirect(
        &self,
        old: &str,
        target: &str,
        audit: Audit<'_>,
    ) -> Result<RedirectAdded, StoreError> {
        let mut tx = self.begin_write().await?;
        if answered_here(&mut tx, old).await? {
            return Ok(RedirectAdded::LivePage);
        }
        let Some(target) = final_target(&mut tx, old, target).await? else {
            return Ok(RedirectAdded::Loop);
        };
        sqlx::query(
            "INSERT INTO redirects (old, target, origin, created_at) VALUES ($1, $2, 'manual', $3)",
        )
        .bind(old)
        .bind(&target)
        .bind(now_seconds())
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::RedirectSource))?;
        sqlx::query("UPDATE redirects SET target = $1 WHERE target = $2")
            .bind(&target)
            .bind(old)
            .execute(&mut *tx)
            .await?;
        // One that led here from the target's own address would now lead to itself.
        sqlx::query("DELETE FROM redirects WHERE old = target")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM gone WHERE old = $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(RedirectAdded::Added(target))
    }

    /// Removes the redirect from `old` (a section's former slug when `old` is `/{slug}/`).
    /// `false` when there was none.
    pub async fn remove_redirect(&self, old: &str, audit: Audit<'_>) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut removed = sqlx::query("DELETE FROM redirects WHERE old = $1")
            .bind(old)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0
            && let Some(slug) = old
                .strip_prefix('/')
                .and_then(|rest| rest.strip_suffix('/'))
                .filter(|slug| !slug.contains('/'))
        {
            removed = sqlx::query("DELETE FROM section_moves WHERE old_slug = $1")
                .bind(slug)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        if removed == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM redirect_hits WHERE old = $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds the times each redirect was followed on `day` (days since 1970), and forgets the
    /// counts of days before `keep_from`.
    pub async fn add_redirect_hits(
        &self,
        hits: &[(String, u64)],
        day: i64,
        keep_from: i64,
    ) -> Result<(), StoreError> {
        if hits.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (old, count) in hits {
            sqlx::query(
                "INSERT INTO redirect_hits (old, day, hits) VALUES ($1, $2, $3)
                 ON CONFLICT (old, day) DO UPDATE SET hits = redirect_hits.hits + excluded.hits",
            )
            .bind(old)
            .bind(day)
            .bind(i64::try_from(*count).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM redirect_hits WHERE day < $1")
            .bind(keep_from)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::first_segment;

    #[test]
    fn the_first_segment_of_a_path_is_its_section_slug() {
        assert_eq!(first_segment("/monde/2026/01/02/x"), Some("monde"));
        assert_eq!(first_segment("/monde/"), Some("monde"));
        assert_eq!(first_segment("/monde?page=2"), Some("monde"));
        assert_eq!(first_segment("/"), None);
        assert_eq!(first_segment("monde/"), None);
    }
}
