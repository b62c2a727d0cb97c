//! Moving stories through the workflow: who acts, what they may do, saving and restoring text,
//! public notes, publishing now, later, or when the time comes.

use std::collections::BTreeSet;

use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::{
    ArticleId, ArticlePath, ArticleStatus, CorrectionKind, Headline, NoticeKind, Ownership,
    RevisionId, Role, Slug, StoryAction, UserId, authorize, without_controls,
};
use rotative_store::{
    Audit, EditableStory, NewArticle, NewNotice, SaveKind, SaveOutcome, Store, StoreError,
    StoryContent, StoryMove, StorySave, User,
};

use crate::{Newsroom, NewsroomError, Refusal, as_page};

/// Who does something in the newsroom: every operation is checked against, and audited as, an
/// actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub role: Role,
}

impl From<&User> for Actor {
    /// The account as it acts now: its current role.
    fn from(account: &User) -> Self {
        Self {
            id: account.id,
            role: account.role,
        }
    }
}

impl Actor {
    /// Whether the story is the actor's own work.
    pub fn ownership(&self, story: &EditableStory) -> Ownership {
        if story.created_by == Some(self.id) {
            Ownership::Own
        } else {
            Ownership::Others
        }
    }

    /// Whether the actor may change the story's text as it stands now.
    pub fn may_edit(&self, story: &EditableStory) -> bool {
        self.may(StoryAction::Edit, story).is_ok()
    }

    /// Whose stories the actor's dashboard lists: a contributor sees only their own (`Some`),
    /// everyone else the whole newsroom's.
    pub fn dashboard_scope(&self) -> Option<rotative_domain::UserId> {
        (self.role == rotative_domain::Role::Contributor).then_some(self.id)
    }

    /// Whether the actor may open the story in the newsroom: their own, or one they may edit.
    pub fn may_open(&self, story: &EditableStory) -> bool {
        self.may_edit(story) || self.ownership(story) == Ownership::Own
    }

    /// Whether the actor may read the audit log: those who edit others' work.
    pub fn may_read_audit_log(&self) -> bool {
        rotative_domain::workflow::can_manage_taxonomy(self.role)
    }

    /// Whether the actor may read the story's revisions: their own story's, or any if they
    /// edit others' work.
    pub fn may_see_history(&self, story: &EditableStory) -> bool {
        self.ownership(story) == Ownership::Own
            || rotative_domain::workflow::can_manage_taxonomy(self.role)
    }

    /// The state `action` takes the story to, if the actor may take it there. A page of the site
    /// is no story: it never leads the home page.
    pub fn may(
        &self,
        action: StoryAction,
        story: &EditableStory,
    ) -> Result<ArticleStatus, NewsroomError> {
        let to = authorize(self.role, action, self.ownership(story), story.status)?;
        if action == StoryAction::Pin && story.is_page {
            return Err(NewsroomError::Refused(Refusal::PageNotPinned));
        }
        Ok(to)
    }

    /// The states in which the actor may edit this story: checked again inside a save, so an
    /// edit sent before the story moved does not land after.
    pub fn editable_states(&self, story: &EditableStory) -> Vec<ArticleStatus> {
        ArticleStatus::ALL
            .into_iter()
            .filter(|&status| {
                authorize(self.role, StoryAction::Edit, self.ownership(story), status).is_ok()
            })
            .collect()
    }
}

/// A workflow action as asked: the action, the time typed for scheduling, and the revision the
/// person read (a story saved since is not published or scheduled).
#[derive(Debug, Clone, Copy)]
pub struct Act {
    pub action: StoryAction,
    pub scheduled_for: Option<Timestamp>,
    pub reviewed: Option<RevisionId>,
}

impl Newsroom {
    /// Applies a workflow action, after checking role, ownership and state; `time_zone` dates a
    /// new public address.
    pub async fn act(
        &self,
        actor: &Actor,
        story: &EditableStory,
        act: Act,
        time_zone: &TimeZone,
    ) -> Result<(), NewsroomError> {
        let Act {
            action,
            scheduled_for,
            reviewed,
        } = act;
        let to = actor.may(action, story)?;
        if matches!(action, StoryAction::Pin | StoryAction::Unpin) {
            let audit = Audit::by(Some(actor.id), action.as_str());
            return match action {
                StoryAction::Pin if self.store.lead_front_page(story.id, audit).await? => Ok(()),
                StoryAction::Pin => Err(NewsroomError::Refused(Refusal::AlreadyLeads)),
                _ if self.store.leave_front_page(story.id, audit).await? => Ok(()),
                _ => Err(NewsroomError::Refused(Refusal::NotOnFrontPage)),
            };
        }
        let going_public = matches!(to, ArticleStatus::Published | ArticleStatus::Scheduled);
        if going_public {
            let missing = self.images_without_alt(&story.body_markdown).await?;
            if !missing.is_empty() {
                return Err(NewsroomError::Refused(Refusal::ImagesWithoutAlt(missing)));
            }
        }
        let now = Timestamp::now();
        let (path, published_at, scheduled_at) = match action {
            StoryAction::Publish => {
                let published_at = story.published_at.unwrap_or(now);
                (
                    Some(public_path(story, published_at, time_zone)),
                    Some(published_at),
                    None,
                )
            }
            StoryAction::Schedule => {
                let at = scheduled_for.ok_or(NewsroomError::Refused(Refusal::NoScheduledTime))?;
                if at <= now {
                    return Err(NewsroomError::Refused(Refusal::ScheduledInThePast));
                }
                (None, None, Some(at))
            }
            _ => (None, None, None),
        };
        let detail = scheduled_at.map(|at| at.to_string()).unwrap_or_default();
        let kind = NoticeKind::of_action(action, story.status);
        let told = match kind {
            Some(kind) => self.audience(kind, story, Some(actor.id)).await?,
            None => Vec::new(),
        };
        let notice = kind.map(|kind| NewNotice {
            kind,
            article_id: story.id,
            actor: Some(actor.id),
            recipients: &told,
        });
        let moved = self
            .store
            .move_story_and_notify(
                &StoryMove {
                    id: story.id,
                    from: story.status,
                    reviewed: reviewed.filter(|_| going_public),
                    to,
                    path: path.as_ref(),
                    published_at,
                    scheduled_at,
                    audit: Audit::by(Some(actor.id), action.as_str()).detail(&detail),
                },
                notice.as_ref(),
            )
            .await?;
        if moved {
            Ok(())
        } else if going_public && reviewed.is_some_and(|r| r != story.current_revision_id) {
            Err(NewsroomError::Refused(Refusal::EditedSinceRead))
        } else {
            Err(NewsroomError::Refused(Refusal::ChangedMeanwhile))
        }
    }

    /// Publishes every scheduled story whose time has come (each once, even with several
    /// instances: the move only happens from `scheduled`). Returns how many went live.
    pub async fn publish_due(&self, time_zone: &TimeZone) -> Result<usize, NewsroomError> {
        let mut published = 0;
        for (id, at) in self.store.due_scheduled().await? {
            let Some(story) = self.store.story_for_edit(id).await? else {
                continue;
            };
            let path = public_path(&story, at, time_zone);
            let told = self
                .audience(NoticeKind::ScheduledPublished, &story, None)
                .await?;
            let notice = NewNotice {
                kind: NoticeKind::ScheduledPublished,
                article_id: id,
                actor: None,
                recipients: &told,
            };
            let moved = self
                .store
                .move_story_and_notify(
                    &StoryMove {
                        id,
                        from: ArticleStatus::Scheduled,
                        reviewed: None,
                        to: ArticleStatus::Published,
                        path: Some(&path),
                        published_at: Some(at),
                        scheduled_at: None,
                        audit: Audit::by(None, "publish").detail("scheduled"),
                    },
                    Some(&notice),
                )
                .await?;
            if moved {
                tracing::info!(story = %id, path = %path, "scheduled story published");
                published += 1;
            }
        }
        Ok(published)
    }

    /// Stores a new draft the actor wrote, its slug made from its headline, with its audit line
    /// in the same transaction. Returns its id.
    pub async fn create_draft(
        &self,
        actor: &Actor,
        content: StoryContent,
    ) -> Result<ArticleId, NewsroomError> {
        let slug = self.new_slug(&content.headline).await?;
        self.insert_draft(actor, slug, content, false).await
    }

    /// Stores a new draft (a story, or a page of the site) under `slug`, with its audit line.
    pub(crate) async fn insert_draft(
        &self,
        actor: &Actor,
        slug: Slug,
        content: StoryContent,
        is_page: bool,
    ) -> Result<ArticleId, NewsroomError> {
        let draft = NewArticle {
            slug,
            path: None,
            status: ArticleStatus::Draft,
            published_at: None,
            scheduled_at: None,
            created_by: Some(actor.id),
            updated_at: None,
            on_front_page: false,
            content,
            is_page,
            footer_position: None,
        };
        let action = if is_page { "page_create" } else { "create" };
        Ok(self
            .store
            .create_article(&draft, Some(Audit::by(Some(actor.id), action)))
            .await?)
    }

    /// A new story's slug: from its headline, made unique.
    pub async fn new_slug(&self, headline: &Headline) -> Result<Slug, NewsroomError> {
        Ok(story_slug(&self.store, None, headline.as_ref()).await?)
    }
}

/// A new story's slug, the one rule of every way in: the one asked for (a story file's `slug`,
/// a WordPress post's name) or else one made from its title, made unique among the site's
/// stories.
pub async fn story_slug(
    store: &Store,
    wanted: Option<&Slug>,
    title: &str,
) -> Result<Slug, StoreError> {
    store
        .free_article_slug(&slug_base(wanted, title), &BTreeSet::new())
        .await
}

/// The slug a story asks for before it is made unique.
fn slug_base(wanted: Option<&Slug>, title: &str) -> Slug {
    wanted.cloned().unwrap_or_else(|| Slug::for_headline(title))
}

/// Slugs for new stories written together (an import's batch), by the rule of `story_slug`:
/// those the batch took count as taken, and which of the batch's slugs are free is asked once
/// for all of them rather than once a story.
#[derive(Debug, Default)]
pub struct BatchSlugs {
    taken: BTreeSet<Slug>,
    /// Known free in the database, and not taken by the batch.
    free: BTreeSet<Slug>,
}

impl BatchSlugs {
    /// Learns which of the slugs these stories ask for (by wanted slug or title) are free.
    pub async fn look_ahead<'a>(
        &mut self,
        store: &Store,
        stories: impl IntoIterator<Item = (Option<&'a Slug>, &'a str)>,
    ) -> Result<(), StoreError> {
        let bases: Vec<Slug> = stories
            .into_iter()
            .map(|(wanted, title)| slug_base(wanted, title))
            .filter(|base| !self.taken.contains(base))
            .collect();
        self.free.extend(store.free_slugs(&bases).await?);
        Ok(())
    }

    /// A new story's slug, taken for the batch.
    pub async fn take(
        &mut self,
        store: &Store,
        wanted: Option<&Slug>,
        title: &str,
    ) -> Result<Slug, StoreError> {
        let base = slug_base(wanted, title);
        let slug = if self.free.remove(&base) {
            base
        } else {
            store.free_article_slug(&base, &self.taken).await?
        };
        self.taken.insert(slug.clone());
        Ok(slug)
    }
}

/// The story's public address: the one it already had, or one dated by its publication in the
/// site's time zone (a page's: its slug at the root of the site).
pub fn public_path(
    story: &EditableStory,
    published_at: Timestamp,
    time_zone: &TimeZone,
) -> ArticlePath {
    story.path.clone().unwrap_or_else(|| {
        if story.is_page {
            ArticlePath::page(&story.slug)
        } else {
            ArticlePath::new(&story.section.slug, &story.slug, published_at, time_zone)
        }
    })
}

impl Newsroom {
    /// Gives a story a new slug, typed as a title or as a slug, for whoever may edit it (a
    /// published story: the editors). A published story's address changes with it; the former
    /// one answers 301, and so do the redirects that led to it.
    pub async fn change_slug(
        &self,
        actor: &Actor,
        story: &EditableStory,
        typed: &str,
    ) -> Result<Slug, NewsroomError> {
        actor.may(StoryAction::Edit, story)?;
        let slug = Slug::from_title(typed.trim())
            .map_err(|_| NewsroomError::Refused(Refusal::SlugEmpty))?;
        if slug == story.slug {
            return Ok(slug);
        }
        if story.is_page {
            self.check_page_slug(&slug).await?;
        }
        let taken = || NewsroomError::Refused(Refusal::SlugTaken(slug.to_string()));
        if self
            .store
            .free_article_slug(&slug, &BTreeSet::new())
            .await?
            != slug
        {
            return Err(taken());
        }
        let path = story.path.as_ref().map(|path| path.with_slug(&slug));
        let detail = format!("{} → {slug}", story.slug);
        let audit = Audit::by(Some(actor.id), "slug").detail(&detail);
        match self
            .store
            .change_story_slug(story.id, &slug, path.as_ref(), audit)
            .await
        {
            Ok(Some(())) => Ok(slug),
            Ok(None) => Err(NewsroomError::Refused(Refusal::ChangedMeanwhile)),
            Err(StoreError::AlreadyExists(_)) => Err(taken()),
            Err(other) => Err(other.into()),
        }
    }
}

/// The longest public note (a correction or an update) a story may carry.
pub const MAX_NOTE_CHARS: usize = 2000;

impl Newsroom {
    /// Saves an actor's text of a story, written from revision `base`: checked again inside the
    /// save against the states the actor may edit it in, so an edit sent before the story moved
    /// does not land after; a text written from an older revision is kept as a conflict.
    pub async fn save(
        &self,
        actor: &Actor,
        story: &EditableStory,
        content: &StoryContent,
        base: RevisionId,
        kind: SaveKind,
    ) -> Result<SaveOutcome, NewsroomError> {
        actor.may(StoryAction::Edit, story)?;
        let page;
        let content = if story.is_page {
            page = as_page(content.clone());
            &page
        } else {
            content
        };
        let mut editable_in = actor.editable_states(story);
        // A published or scheduled story changes only when its writer says so: what readers
        // get, now or at the set time, is never a text saved while it was being typed.
        if kind == SaveKind::Autosave {
            editable_in.retain(|state| {
                !matches!(state, ArticleStatus::Published | ArticleStatus::Scheduled)
            });
        }
        Ok(self
            .store
            .save_story(&StorySave {
                id: story.id,
                base_revision_id: base,
                content,
                user_id: actor.id,
                editable_in: &editable_in,
                kind,
            })
            .await?)
    }

    /// Adds a public note to a published story: what was wrong, or what changed since.
    pub async fn correct(
        &self,
        actor: &Actor,
        story: &EditableStory,
        kind: CorrectionKind,
        note: &str,
    ) -> Result<(), NewsroomError> {
        actor.may(StoryAction::Correct, story)?;
        let note = without_controls(note);
        let note = note.trim();
        if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
            return Err(NewsroomError::Refused(Refusal::NoteLength));
        }
        let told = self
            .audience(NoticeKind::Corrected, story, Some(actor.id))
            .await?;
        Ok(self
            .store
            .add_correction_and_notify(story.id, kind, note, actor.id, &told)
            .await?)
    }
}
