//! Stories as the newsroom handles them: saved as revisions (with conflict detection), moved
//! through the workflow, corrected in public, scheduled.

use jiff::Timestamp;
use rotative_domain::{
    After, ArticleId, ArticleKind, ArticlePath, ArticleStatus, Author, Claim, Correction,
    CorrectionId, CorrectionKind, Headline, NoticeKind, RevisionId, SearchAndSocial, Section, Slug,
    Source, Standfirst, Tag, UserId,
};
use sqlx::{AnyConnection, FromRow};

use crate::{
    NewLeadImage, NewNotice, Store, StoreError, StoryContent,
    notifications::insert_notices,
    now_seconds,
    rows::{
        self, ClaimColumns, SEARCH_AND_SOCIAL_COLUMNS, SearchAndSocialColumns, SectionColumns,
        StoryText, StoryTextColumns,
    },
    statement::Statement,
    users::{Audit, insert_audit},
    writes::{apply_content, insert_revision},
};

/// A story's move through the workflow, as `Store::move_story` makes it.
#[derive(Debug, Clone, Copy)]
pub struct StoryMove<'a> {
    pub id: ArticleId,
    pub from: ArticleStatus,
    /// The revision the person read: the move happens only if it is still the story's text.
    pub reviewed: Option<RevisionId>,
    pub to: ArticleStatus,
    /// The public address it gets (a story keeps the one it had).
    pub path: Option<&'a ArticlePath>,
    pub published_at: Option<Timestamp>,
    pub scheduled_at: Option<Timestamp>,
    pub audit: Audit<'a>,
}

/// A story with everything the editor form shows.
#[derive(Debug, Clone)]
pub struct EditableStory {
    pub id: ArticleId,
    pub slug: Slug,
    pub status: ArticleStatus,
    pub path: Option<ArticlePath>,
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    pub body_markdown: String,
    pub kind: ArticleKind,
    pub section: Section,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    pub sources: Vec<Source>,
    pub claim: Option<Claim>,
    pub search_and_social: SearchAndSocial,
    pub created_by: Option<UserId>,
    pub current_revision_id: RevisionId,
    pub published_at: Option<Timestamp>,
    /// When a scheduled story goes out.
    pub scheduled_at: Option<Timestamp>,
    /// The front page's slot it is in (0: the lead).
    pub front_page_slot: Option<usize>,
    /// A page of the site rather than a story.
    pub is_page: bool,
}

/// What happened to a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The content is the story's current revision: this one, or the one already saved when
    /// the same content came again (then nothing was written).
    Saved { revision_id: RevisionId },
    /// The story moved (published, say) since the writer's permission was checked, to a state
    /// they may not edit it in: nothing was written.
    StateChanged { status: ArticleStatus },
    /// Someone saved since the writer loaded the story: their text is kept as a revision, not
    /// applied, and the newsroom shows both.
    Conflict {
        kept_revision_id: RevisionId,
        current_revision_id: RevisionId,
    },
}

/// A save of a story's content by someone.
#[derive(Debug, Clone, Copy)]
pub struct StorySave<'a> {
    pub id: ArticleId,
    /// The revision the writer started from: a newer one makes the save a conflict.
    pub base_revision_id: RevisionId,
    pub content: &'a StoryContent,
    pub user_id: UserId,
    /// The states the writer may edit the story in, checked again inside the save: an autosave
    /// sent before an editor published changes nothing once the story is public.
    pub editable_in: &'a [ArticleStatus],
    pub kind: SaveKind,
}

/// How a save reached the store, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// The writer asked to save: one audit line each.
    Edit,
    /// The editor saved while the writer typed: one audit line for a writer's autosaves of a
    /// story within ten minutes, counting them.
    Autosave,
    /// An earlier revision's text, brought back.
    Restore { revision_id: RevisionId },
}

/// How long a run of autosaves by one writer shares one audit line.
const AUTOSAVE_GROUP_SECONDS: i64 = 10 * 60;

/// Counts an autosave on the story's latest audit line when that line is the same writer's
/// autosaves of the last minutes; otherwise starts a new line.
async fn audit_autosave(
    conn: &mut AnyConnection,
    user_id: UserId,
    article_id: ArticleId,
) -> Result<(), StoreError> {
    let now = now_seconds();
    let grouped = sqlx::query(
        "UPDATE audit_log SET at = $1, detail = CAST(CAST(detail AS INTEGER) + 1 AS TEXT)
         WHERE id = (SELECT MAX(id) FROM audit_log WHERE article_id = $2)
           AND action = 'autosave' AND user_id = $3 AND at > $4",
    )
    .bind(now)
    .bind(article_id.0)
    .bind(user_id.0)
    .bind(now - AUTOSAVE_GROUP_SECONDS)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if grouped {
        crate::webhooks::note_event(conn, article_id, "autosave").await?;
    } else {
        insert_audit(
            conn,
            Some(article_id),
            Audit::by(Some(user_id), "autosave").detail("1"),
        )
        .await?;
    }
    Ok(())
}

/// A line of a story's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSummary {
    pub id: RevisionId,
    pub at: i64,
    pub user_name: Option<String>,
    pub headline: String,
    pub conflict: bool,
}

/// The text of one revision.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RevisionText {
    #[sqlx(try_from = "i64")]
    pub id: RevisionId,
    pub headline: String,
    pub standfirst: Option<String>,
    pub body_markdown: String,
}

/// A story in the newsroom's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRow {
    pub id: ArticleId,
    pub headline: String,
    pub status: ArticleStatus,
    pub section: String,
    pub created_by: Option<UserId>,
    pub path: Option<String>,
    /// The bylines' names, in order.
    pub authors: Vec<String>,
    pub updated_at: Timestamp,
    /// Who saved the current text (none for an import).
    pub last_editor: Option<String>,
    pub scheduled_at: Option<Timestamp>,
}

/// A public note with the story it belongs to, for the corrections page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionEntry {
    pub id: CorrectionId,
    pub article_id: ArticleId,
    pub correction: Correction,
    pub headline: String,
    pub path: Option<String>,
}

/// Which stories the newsroom's dashboard lists, filtered in the query itself so that every
/// page of a large archive holds what the filter asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoryFilter<'a> {
    pub status: Option<ArticleStatus>,
    pub headline_contains: Option<&'a str>,
    /// Only the stories this account created (a contributor sees no one else's).
    pub created_by: Option<UserId>,
    /// Only this section's stories (its slug).
    pub section: Option<&'a str>,
    /// Only the stories this author signs (the author's slug).
    pub author: Option<&'a str>,
    /// This account's stories come first.
    pub first_by: Option<UserId>,
}

/// Whose stories a part of the dashboard lists.
#[derive(Debug, Clone, Copy)]
enum Whose {
    Anyone,
    By(UserId),
    NotBy(UserId),
}

impl StoryFilter<'_> {
    /// The filter as conditions on `articles a`, each one a column an index leads with.
    fn push_conditions(&self, query: &mut Statement<'_>, whose: Whose) {
        if let Some(status) = self.status {
            query.push(" AND a.status = ").push_bind(status.as_str());
        }
        if let Some(section) = self.section {
            query
                .push(" AND a.section_id = (SELECT id FROM sections WHERE slug = ")
                .push_bind(section.to_owned())
                .push(")");
        }
        if let Some(author) = self.author {
            query
                .push(
                    " AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = \
                     (SELECT id FROM authors WHERE slug = ",
                )
                .push_bind(author.to_owned())
                .push("))");
        }
        if let Some(words) = self.headline_contains {
            let pattern = format!("%{}%", words.replace(['%', '_'], ""));
            query.push(" AND a.headline LIKE ").push_bind(pattern);
        }
        match whose {
            Whose::Anyone => {}
            Whose::By(user) => {
                query.push(" AND a.created_by = ").push_bind(user.0);
            }
            Whose::NotBy(user) => {
                query
                    .push(" AND (a.created_by IS NULL OR a.created_by <> ")
                    .push_bind(user.0)
                    .push(")");
            }
        }
    }
}

#[derive(FromRow)]
struct ListedRow {
    id: i64,
    headline: String,
    status: String,
    section_name: String,
    created_by: Option<i64>,
    path: Option<String>,
    updated_at: i64,
    scheduled_at: Option<i64>,
    last_editor: Option<String>,
}

impl ListedRow {
    fn into_story_row(self, authors: Vec<String>) -> Result<StoryRow, StoreError> {
        Ok(StoryRow {
            id: ArticleId(self.id),
            headline: self.headline,
            status: rows::status(&self.status)?,
            section: self.section_name,
            created_by: self.created_by.map(UserId),
            path: self.path,
            authors,
            updated_at: rows::timestamp(self.updated_at)?,
            last_editor: self.last_editor,
            scheduled_at: rows::timestamp_opt(self.scheduled_at)?,
        })
    }
}

/// The columns of a story as the editor opens it.
#[derive(FromRow)]
struct EditableRow {
    slug: String,
    status: String,
    path: Option<String>,
    body_markdown: String,
    #[sqlx(flatten)]
    text: StoryTextColumns,
    #[sqlx(flatten)]
    section: SectionColumns,
    created_by: Option<i64>,
    current_revision_id: Option<i64>,
    published_at: Option<i64>,
    scheduled_at: Option<i64>,
    #[sqlx(flatten)]
    claim: ClaimColumns,
    #[sqlx(flatten)]
    search_and_social: SearchAndSocialColumns,
    front_page_slot: Option<i64>,
    is_page: i64,
}

#[derive(FromRow)]
struct RevisionRow {
    id: i64,
    created_at: i64,
    user_name: Option<String>,
    headline: String,
    conflict: i64,
}

impl From<RevisionRow> for RevisionSummary {
    fn from(row: RevisionRow) -> Self {
        Self {
            id: RevisionId(row.id),
            at: row.created_at,
            user_name: row.user_name,
            headline: row.headline,
            conflict: row.conflict != 0,
        }
    }
}

#[derive(FromRow)]
struct CorrectionRow {
    id: i64,
    article_id: i64,
    kind: String,
    note: String,
    at: i64,
    headline: String,
    path: Option<String>,
}

impl TryFrom<CorrectionRow> for CorrectionEntry {
    type Error = StoreError;

    fn try_from(row: CorrectionRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: CorrectionId(row.id),
            article_id: ArticleId(row.article_id),
            correction: rows::correction(&row.kind, row.note, row.at)?,
            headline: row.headline,
            path: row.path,
        })
    }
}

impl Store {
    /// A story in any state, for the newsroom.
    pub async fn story_for_edit(&self, id: ArticleId) -> Result<Option<EditableStory>, StoreError> {
        let pool = &self.pool;
        let row: Option<EditableRow> = sqlx::query_as(&format!(
            "SELECT a.slug, a.status, a.path, a.headline, a.standfirst, a.body_markdown, a.kind,
                    s.slug AS section_slug, s.name AS section_name, a.created_by, a.current_revision_id,
                    a.published_at, a.scheduled_at, a.claim_text, a.claim_author, a.claim_rating,
                    {SEARCH_AND_SOCIAL_COLUMNS},
                    (SELECT f.position FROM front_page_stories f WHERE f.article_id = a.id)
                        AS front_page_slot,
                    a.is_page
             FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1",
        ))
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let text = StoryText::try_from(row.text)?;
        let details = self.story_details(id).await?;
        Ok(Some(EditableStory {
            id,
            slug: rows::slug(&row.slug)?,
            status: rows::status(&row.status)?,
            path: row.path.map(ArticlePath::from_stored),
            headline: text.headline,
            standfirst: text.standfirst,
            body_markdown: row.body_markdown,
            kind: text.kind,
            section: row.section.try_into()?,
            tags: details.subjects.into_iter().map(|(_, tag)| tag).collect(),
            authors: details.authors,
            sources: details.sources,
            claim: row.claim.try_into()?,
            search_and_social: row.search_and_social.try_into()?,
            created_by: row.created_by.map(UserId),
            current_revision_id: RevisionId(row.current_revision_id.unwrap_or_default()),
            published_at: rows::timestamp_opt(row.published_at)?,
            scheduled_at: rows::timestamp_opt(row.scheduled_at)?,
            front_page_slot: row
                .front_page_slot
                .and_then(|slot| usize::try_from(slot).ok()),
            is_page: row.is_page != 0,
        }))
    }

    /// Saves a story's content as its new current revision, unless someone saved since the
    /// writer's base revision (the text is then kept as a conflict revision) or the story moved
    /// to a state the writer may not edit it in. Checked and written in one transaction, with
    /// the audit line.
    #[tracing::instrument(skip_all, fields(story = save.id.0))]
    pub async fn save_story(&self, save: &StorySave<'_>) -> Result<SaveOutcome, StoreError> {
        // The check and the write see the same latest revision and state.
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT current_revision_id, status, content_fingerprint FROM articles WHERE id = $1{}",
            self.for_update()
        );
        let found: Option<(Option<i64>, String, Option<String>)> = sqlx::query_as(&sql)
            .bind(save.id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let (current, status, saved_fingerprint) = found.ok_or(StoreError::NotFound("story"))?;
        let current = RevisionId(current.unwrap_or_default());
        let status = rows::status(&status)?;
        if !save.editable_in.contains(&status) {
            return Ok(SaveOutcome::StateChanged { status });
        }
        // The same content again (a page's save on leaving after its form's post, a second
        // click): nothing to write, and nothing to conflict with, whatever revision it came from.
        let fingerprint = save.content.fingerprint();
        if saved_fingerprint.is_some_and(|saved| saved == fingerprint) {
            return Ok(SaveOutcome::Saved {
                revision_id: current,
            });
        }
        if current != save.base_revision_id {
            let kept = insert_revision(
                &mut tx,
                save.id,
                save.content,
                Some(save.user_id),
                Some(save.base_revision_id),
                true,
            )
            .await?;
            tx.commit().await?;
            return Ok(SaveOutcome::Conflict {
                kept_revision_id: kept,
                current_revision_id: current,
            });
        }
        apply_content(&mut tx, save.id, save.content, &fingerprint, now_seconds()).await?;
        let revision_id = insert_revision(
            &mut tx,
            save.id,
            save.content,
            Some(save.user_id),
            Some(save.base_revision_id),
            false,
        )
        .await?;
        match save.kind {
            SaveKind::Edit => {
                insert_audit(
                    &mut tx,
                    Some(save.id),
                    Audit::by(Some(save.user_id), "edit"),
                )
                .await?;
            }
            SaveKind::Autosave => audit_autosave(&mut tx, save.user_id, save.id).await?,
            SaveKind::Restore { revision_id } => {
                let detail = revision_id.to_string();
                let audit = Audit::by(Some(save.user_id), "restore").detail(&detail);
                insert_audit(&mut tx, Some(save.id), audit).await?;
            }
        }
        tx.commit().await?;
        Ok(SaveOutcome::Saved { revision_id })
    }

    /// Replaces a story's rendered body and lead image after something it shows changed outside
    /// it (an image's description in the library). The text is unchanged, so no revision.
    pub async fn refresh_rendering(
        &self,
        id: ArticleId,
        body_html: &str,
        lead: Option<&NewLeadImage>,
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let lead_media_id: Option<i64> = match lead {
            Some(lead) => {
                sqlx::query_scalar("SELECT id FROM media WHERE storage_key = $1")
                    .bind(&lead.storage_key)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        sqlx::query(
            "UPDATE articles SET body_html = $2, lead_media_id = $3, lead_alt = $4,
                 lead_caption = $5, lead_credit = $6
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(body_html)
        .bind(lead_media_id)
        .bind(lead.map(|l| l.alt.as_ref()))
        .bind(lead.and_then(|l| l.caption.as_deref()))
        .bind(lead.and_then(|l| l.credit.as_deref()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a story as `story_move` says, if it is still in the state it moves from (two
    /// editors clicking at once move it once) and, when `reviewed` names a revision, still at
    /// that revision (an editor publishes the text they read, not one saved meanwhile); writes
    /// the audit line in the same transaction. Returns whether it moved.
    pub async fn move_story(&self, story_move: &StoryMove<'_>) -> Result<bool, StoreError> {
        self.move_story_and_notify(story_move, None).await
    }

    /// Moves a story as `move_story` does and, if it moved, writes the notifications of the
    /// move in the same transaction.
    pub async fn move_story_and_notify(
        &self,
        story_move: &StoryMove<'_>,
        notice: Option<&NewNotice<'_>>,
    ) -> Result<bool, StoreError> {
        let StoryMove {
            id,
            from,
            reviewed,
            to,
            path,
            published_at,
            scheduled_at,
            audit,
        } = *story_move;
        let pool = &self.pool;
        let mut tx = pool.begin().await?;
        let moved = sqlx::query(
            "UPDATE articles SET status = $1, path = COALESCE($2, path),
                 published_at = COALESCE($3, published_at), scheduled_at = $4
             WHERE id = $5 AND status = $6 AND ($7 IS NULL OR current_revision_id = $8)",
        )
        .bind(to.as_str())
        .bind(path.map(AsRef::as_ref))
        .bind(published_at.map(Timestamp::as_second))
        .bind(scheduled_at.map(Timestamp::as_second))
        .bind(id.0)
        .bind(from.as_str())
        .bind(reviewed.map(|revision| revision.0))
        .bind(reviewed.map(|revision| revision.0))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if moved {
            insert_audit(&mut tx, Some(id), audit).await?;
            if let Some(notice) = notice {
                insert_notices(&mut tx, notice).await?;
            }
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// Scheduled stories whose time has come, oldest first.
    pub async fn due_scheduled(&self) -> Result<Vec<(ArticleId, Timestamp)>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, scheduled_at FROM articles WHERE status = 'scheduled' AND scheduled_at <= $1
             ORDER BY scheduled_at",
        )
        .bind(now_seconds())
        .fetch_all(pool)
        .await?;
        rows.into_iter()
            .map(|(id, at)| Ok((ArticleId(id), rows::timestamp(at)?)))
            .collect()
    }

    /// Stories for the newsroom dashboard, newest change first, optionally narrowed.
    /// A page of the newsroom's dashboard: with `first_by`, that account's stories first, then
    /// everyone else's; each part newest change first. Two reads along the dashboard's indexes,
    /// rather than one sort of the whole archive.
    pub async fn newsroom_stories(
        &self,
        filter: &StoryFilter<'_>,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<StoryRow>, StoreError> {
        let parts = match (filter.created_by, filter.first_by) {
            (Some(only), _) => vec![Whose::By(only)],
            (None, Some(first)) => vec![Whose::By(first), Whose::NotBy(first)],
            (None, None) => vec![Whose::Anyone],
        };
        let mut found = Vec::new();
        let mut skip = offset;
        for (n, whose) in parts.iter().enumerate() {
            let wanted = u64::from(limit).saturating_sub(found.len() as u64);
            if wanted == 0 {
                break;
            }
            let rows = self.listed(filter, *whose, wanted, skip).await?;
            let fell_short = (rows.len() as u64) < wanted;
            found.extend(rows);
            if fell_short && n + 1 < parts.len() {
                // The next part starts where this one ends: skip what is left of the offset.
                let here = if skip == 0 {
                    0
                } else {
                    self.count_listed(filter, *whose).await?
                };
                skip = skip.saturating_sub(here);
            }
        }
        let ids: Vec<i64> = found.iter().map(|row| row.id).collect();
        let mut bylines = self.authors_of(&ids).await?;
        found
            .into_iter()
            .map(|row| {
                let names = bylines
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|author| author.name.to_string())
                    .collect();
                row.into_story_row(names)
            })
            .collect()
    }

    async fn listed(
        &self,
        filter: &StoryFilter<'_>,
        whose: Whose,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<ListedRow>, StoreError> {
        let mut query = Statement::new(
            "SELECT a.id, a.headline, a.status, s.name AS section_name, a.created_by, a.path,
                    a.updated_at, a.scheduled_at, u.name AS last_editor
             FROM articles a JOIN sections s ON s.id = a.section_id
             LEFT JOIN revisions r ON r.id = a.current_revision_id
             LEFT JOIN users u ON u.id = r.user_id WHERE 1 = 1",
        );
        filter.push_conditions(&mut query, whose);
        query
            .push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let (sql, arguments) = query.finish()?;
        Ok(sqlx::query_as_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn count_listed(
        &self,
        filter: &StoryFilter<'_>,
        whose: Whose,
    ) -> Result<u64, StoreError> {
        let mut query = Statement::new("SELECT COUNT(*) FROM articles a WHERE 1 = 1");
        filter.push_conditions(&mut query, whose);
        let (sql, arguments) = query.finish()?;
        let count: i64 = sqlx::query_scalar_with(&sql, arguments)
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// How many stories are in each state (only those `created_by` made, when given), from
    /// the counts the database keeps as stories move.
    pub async fn count_by_status(
        &self,
        created_by: Option<UserId>,
    ) -> Result<Vec<(ArticleStatus, u64)>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, CAST(SUM(stories) AS BIGINT) FROM story_counts
             WHERE ($1 IS NULL OR created_by = $1) GROUP BY status",
        )
        .bind(created_by.map(|user| user.0))
        .fetch_all(pool)
        .await?;
        Ok(ArticleStatus::ALL
            .into_iter()
            .map(|status| {
                let count = rows
                    .iter()
                    .find(|(s, _)| s == status.as_str())
                    .map_or(0, |(_, n)| *n);
                (status, u64::try_from(count).unwrap_or_default())
            })
            .collect())
    }

    pub async fn revisions(
        &self,
        article_id: ArticleId,
    ) -> Result<Vec<RevisionSummary>, StoreError> {
        let pool = &self.pool;
        let rows: Vec<RevisionRow> = sqlx::query_as(
            "SELECT r.id, r.created_at, u.name AS user_name, r.headline,
                    CAST(r.conflict AS BIGINT) AS conflict
             FROM revisions r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.article_id = $1 ORDER BY r.id DESC",
        )
        .bind(article_id.0)
        .fetch_all(pool)
        .await?;
        Ok(rows.into_iter().map(RevisionSummary::from).collect())
    }

    pub async fn revision(
        &self,
        article_id: ArticleId,
        revision_id: RevisionId,
    ) -> Result<Option<RevisionText>, StoreError> {
        let pool = &self.pool;
        Ok(sqlx::query_as(
            "SELECT id, headline, standfirst, body_markdown FROM revisions WHERE article_id = $1 AND id = $2",
        )
        .bind(article_id.0)
        .bind(revision_id.0)
        .fetch_optional(pool)
        .await?)
    }

    /// Adds a public note to a story and moves its updated date, with the audit line.
    pub async fn add_correction(
        &self,
        article_id: ArticleId,
        kind: CorrectionKind,
        note: &str,
        user_id: UserId,
    ) -> Result<(), StoreError> {
        self.add_correction_and_notify(article_id, kind, note, user_id, &[])
            .await
    }

    /// Adds a public note as `add_correction` does, and tells these accounts of it in the same
    /// transaction.
    pub async fn add_correction_and_notify(
        &self,
        article_id: ArticleId,
        kind: CorrectionKind,
        note: &str,
        user_id: UserId,
        recipients: &[UserId],
    ) -> Result<(), StoreError> {
        let pool = &self.pool;
        let now = now_seconds();
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT INTO corrections (article_id, kind, note, user_id, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(article_id.0)
            .bind(kind.as_str())
            .bind(note)
            .bind(user_id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE articles SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(article_id.0)
            .execute(&mut *tx)
            .await?;
        let audit = Audit::by(Some(user_id), "correct").detail(kind.as_str());
        insert_audit(&mut tx, Some(article_id), audit).await?;
        let notice = NewNotice {
            kind: NoticeKind::Corrected,
            article_id,
            actor: Some(user_id),
            recipients,
        };
        insert_notices(&mut tx, &notice).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The public notes on every published story, newest first, from after `after` (one story's
    /// own come with its page: `Store::story_page`).
    pub async fn corrections(
        &self,
        after: Option<After<CorrectionId>>,
        limit: u32,
    ) -> Result<Vec<CorrectionEntry>, StoreError> {
        let mut query = Statement::new(
            "SELECT c.id, c.article_id, c.kind, c.note, c.at, a.headline, a.path
             FROM corrections c JOIN articles a ON a.id = c.article_id
             WHERE a.status = 'published'",
        );
        if let Some(after) = after {
            query.push_after("c.at", "c.id", after.at.as_second(), after.id.0);
        }
        query
            .push(" ORDER BY c.at DESC, c.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let (sql, arguments) = query.finish()?;
        let rows: Vec<CorrectionRow> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(CorrectionEntry::try_from).collect()
    }

    /// One public note, whatever its story's state now.
    pub async fn correction(
        &self,
        id: CorrectionId,
    ) -> Result<Option<CorrectionEntry>, StoreError> {
        let row: Option<CorrectionRow> = sqlx::query_as(
            "SELECT c.id, c.article_id, c.kind, c.note, c.at, a.headline, a.path
             FROM corrections c JOIN articles a ON a.id = c.article_id WHERE c.id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(CorrectionEntry::try_from).transpose()
    }

    /// Whether a path belonged to a story that was taken down, so it answers 410 Gone.
    pub async fn is_unpublished_path(&self, path: &ArticlePath) -> Result<bool, StoreError> {
        let pool = &self.pool;
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM articles WHERE path = $1 AND status = 'unpublished'",
        )
        .bind(path.as_ref())
        .fetch_optional(pool)
        .await?;
        Ok(found.is_some())
    }
}
