//! « La une », the front page as editors arrange it: story slots (0 is the lead, then the row of
//! secondary stories), each story with the time it may leave, and the sections given a block,
//! in their order. Slots left empty take the newest stories, so the page is never empty.

use jiff::Timestamp;
use rotative_domain::{ArticleId, ArticleSummary, SectionId};
use sqlx::AnyConnection;

use crate::{Audit, Listing, Store, StoreError, now_seconds, rows, users::insert_audit};

/// The audit log's action for an arrangement saved on « La une ».
pub const FRONT_PAGE_ARRANGED: &str = "front_page";

/// Story slots on the front page: the lead and four secondary stories.
pub const FRONT_PAGE_SLOTS: usize = 5;

/// A story an editor put in a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub story: ArticleId,
    /// When it leaves the front page (its slot then takes the newest story); none: it stays.
    pub leaves_at: Option<Timestamp>,
}

/// The front page as editors arranged it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontPageArrangement {
    /// One entry a slot, the lead first; none: the slot takes the newest story.
    pub slots: [Option<Placement>; FRONT_PAGE_SLOTS],
    /// The sections given a block, in order.
    pub sections: Vec<SectionId>,
}

/// What readers see: the story of each slot, the lead first, and the sections' blocks.
#[derive(Debug, Clone)]
pub struct FrontPage {
    /// One entry a slot; none when the site has fewer stories than slots.
    pub slots: [Option<ArticleSummary>; FRONT_PAGE_SLOTS],
    pub sections: Vec<SectionId>,
}

impl FrontPage {
    /// The stories at the top of the page, in order.
    pub fn stories(&self) -> impl Iterator<Item = &ArticleSummary> {
        self.slots.iter().flatten()
    }
}

/// Why an arrangement was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrangementRefused {
    /// Only a published story (not a page of the site) goes on the front page.
    NotAPublishedStory(ArticleId),
    NoSuchSection(SectionId),
}

/// A transaction of the store, whichever the back end.
type Transaction = sqlx::Transaction<'static, sqlx::Any>;

impl Store {
    /// The front page readers see now: each slot's story, unless it has left or readers can no
    /// longer see it; the slots left take the newest stories not already shown.
    pub async fn front_page(&self) -> Result<FrontPage, StoreError> {
        let placed = placements(&mut *self.pool.acquire().await?, now_seconds()).await?;
        let ids: Vec<ArticleId> = placed
            .iter()
            .map(|(_, placement)| placement.story)
            .collect();
        let mut slots: [Option<ArticleSummary>; FRONT_PAGE_SLOTS] = Default::default();
        for summary in self.published_summaries_by_ids(&ids).await? {
            if let Some((slot, _)) = placed.iter().find(|(_, p)| p.story == summary.id) {
                slots[*slot] = Some(summary);
            }
        }
        let wanted = u32::try_from(FRONT_PAGE_SLOTS + ids.len()).unwrap_or(u32::MAX);
        let mut newest = self
            .published_summaries(Listing::Everything, wanted, 0)
            .await?
            .into_iter()
            .filter(|story| !ids.contains(&story.id));
        for slot in slots.iter_mut().filter(|slot| slot.is_none()) {
            *slot = newest.next();
        }
        Ok(FrontPage {
            slots,
            sections: self.front_page_sections().await?,
        })
    }

    /// The front page as editors arranged it (stories whose time to leave has come are gone).
    pub async fn front_page_arrangement(&self) -> Result<FrontPageArrangement, StoreError> {
        let mut arrangement = FrontPageArrangement {
            sections: self.front_page_sections().await?,
            ..FrontPageArrangement::default()
        };
        let placed = placements(&mut *self.pool.acquire().await?, now_seconds()).await?;
        for (slot, placement) in placed {
            arrangement.slots[slot] = Some(placement);
        }
        Ok(arrangement)
    }

    /// Stores the front page as arranged, with its audit line, in one transaction.
    pub async fn arrange_front_page(
        &self,
        arrangement: &FrontPageArrangement,
        audit: Audit<'_>,
    ) -> Result<Result<(), ArrangementRefused>, StoreError> {
        let mut tx = self.begin_write().await?;
        // Rows first, then the tables: the order every writer of the front page locks in.
        for placement in arrangement.slots.iter().flatten() {
            if !self.is_published_story(&mut tx, placement.story).await? {
                return Ok(Err(ArrangementRefused::NotAPublishedStory(placement.story)));
            }
        }
        for section in &arrangement.sections {
            let found: Option<i64> = sqlx::query_scalar(&format!(
                "SELECT id FROM sections WHERE id = $1{}",
                self.for_share()
            ))
            .bind(section.0)
            .fetch_optional(&mut *tx)
            .await?;
            if found.is_none() {
                return Ok(Err(ArrangementRefused::NoSuchSection(*section)));
            }
        }
        lock_front_page(&mut tx).await?;
        write_slots(&mut tx, &arrangement.slots).await?;
        sqlx::query("DELETE FROM front_page_sections")
            .execute(&mut *tx)
            .await?;
        for (position, section) in (1_i64..).zip(&arrangement.sections) {
            sqlx::query("INSERT INTO front_page_sections (position, section_id) VALUES ($1, $2)")
                .bind(position)
                .bind(section.0)
                .execute(&mut *tx)
                .await?;
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Makes a published story the lead, keeping the time it leaves if it had one: the stories
    /// before it on the front page move one slot down, up to the first empty slot (the last one
    /// leaves when none is). Returns false when it is not a published story or already leads.
    pub async fn lead_front_page(
        &self,
        id: ArticleId,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        if !self.is_published_story(&mut tx, id).await? {
            return Ok(false);
        }
        lock_front_page(&mut tx).await?;
        let mut slots = [None; FRONT_PAGE_SLOTS];
        for (slot, placement) in placements(&mut tx, now_seconds()).await? {
            slots[slot] = Some(placement);
        }
        if slots[0].is_some_and(|lead| lead.story == id) {
            return Ok(false);
        }
        let mut leaves_at = None;
        for slot in &mut slots {
            if let Some(placed) = slot.filter(|placed| placed.story == id) {
                leaves_at = placed.leaves_at;
                *slot = None;
            }
        }
        let mut moving = Some(Placement {
            story: id,
            leaves_at,
        });
        for slot in &mut slots {
            moving = std::mem::replace(slot, moving);
            if moving.is_none() {
                break;
            }
        }
        write_slots(&mut tx, &slots).await?;
        insert_audit(&mut tx, Some(id), audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Takes a story off the front page. Returns false when it was not there.
    pub async fn leave_front_page(
        &self,
        id: ArticleId,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let left = sqlx::query("DELETE FROM front_page_stories WHERE article_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if left {
            insert_audit(&mut tx, Some(id), audit).await?;
        }
        tx.commit().await?;
        Ok(left)
    }

    /// Takes off the front page the stories whose time to leave has come; their slots take the
    /// newest stories. Returns how many left.
    pub async fn leave_front_page_due(&self) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("DELETE FROM front_page_stories WHERE leaves_at <= $1")
                .bind(now_seconds())
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    async fn front_page_sections(&self) -> Result<Vec<SectionId>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT section_id FROM front_page_sections ORDER BY position")
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().map(SectionId).collect())
    }

    /// Whether the story is published and no page of the site; on PostgreSQL its row stays so
    /// until the transaction ends (a story unpublished meanwhile waits, then leaves the page).
    async fn is_published_story(
        &self,
        tx: &mut Transaction,
        id: ArticleId,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM articles WHERE id = $1 AND status = 'published' AND is_page = 0{}",
            self.for_share()
        ))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(found.is_some())
    }
}

/// On PostgreSQL, makes the transaction the only writer of the front page until it ends: each
/// writer reads the slots and writes them whole (the triggers that unpublish a story or give a
/// new section its block wait too). SQLite's writers already take turns (`BEGIN IMMEDIATE`).
async fn lock_front_page(conn: &mut AnyConnection) -> Result<(), StoreError> {
    if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        sqlx::query(
            "LOCK TABLE front_page_stories, front_page_sections IN SHARE ROW EXCLUSIVE MODE",
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The stories in the slots, unless their time to leave has come.
async fn placements(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<Vec<(usize, Placement)>, StoreError> {
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT position, article_id, leaves_at FROM front_page_stories
         WHERE leaves_at IS NULL OR leaves_at > $1 ORDER BY position",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .filter_map(|(position, id, leaves_at)| {
            let slot = usize::try_from(position)
                .ok()
                .filter(|slot| *slot < FRONT_PAGE_SLOTS)?;
            Some(rows::timestamp_opt(leaves_at).map(|leaves_at| {
                (
                    slot,
                    Placement {
                        story: ArticleId(id),
                        leaves_at,
                    },
                )
            }))
        })
        .collect()
}

async fn write_slots(
    tx: &mut Transaction,
    slots: &[Option<Placement>; FRONT_PAGE_SLOTS],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM front_page_stories")
        .execute(&mut **tx)
        .await?;
    for (position, placement) in (0_i64..).zip(slots) {
        let Some(placement) = placement else {
            continue;
        };
        sqlx::query(
            "INSERT INTO front_page_stories (position, article_id, leaves_at) VALUES ($1, $2, $3)",
        )
        .bind(position)
        .bind(placement.story.0)
        .bind(placement.leaves_at.map(Timestamp::as_second))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Whether editors ever arranged the front page on « La une »: from then on, a story's sticky
/// flag at the source no longer brings it back when it is imported again.
pub(crate) async fn arranged_by_editors(conn: &mut AnyConnection) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM audit_log WHERE action = $1 LIMIT 1")
            .bind(FRONT_PAGE_ARRANGED)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Puts a published story in the first free slot of the front page, unless it is there already
/// or no slot is free (an imported sticky post).
pub(crate) async fn place_in_free_slot(
    conn: &mut AnyConnection,
    id: ArticleId,
) -> Result<(), StoreError> {
    lock_front_page(conn).await?;
    let taken: Vec<(i64, i64)> =
        sqlx::query_as("SELECT position, article_id FROM front_page_stories")
            .fetch_all(&mut *conn)
            .await?;
    if taken.iter().any(|(_, story)| *story == id.0) {
        return Ok(());
    }
    let free = (0_i64..)
        .take(FRONT_PAGE_SLOTS)
        .find(|position| taken.iter().all(|(taken, _)| taken != position));
    if let Some(free) = free {
        sqlx::query(
            "INSERT INTO front_page_stories (position, article_id)
             SELECT $1, id FROM articles WHERE id = $2 AND status = 'published' AND is_page = 0",
        )
        .bind(free)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
