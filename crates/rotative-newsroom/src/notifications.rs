//! Notifications: who hears of what a person does to a story (the editors of a story waiting for
//! review, its writers of the rest, those of them who may open it; never the person who did it),
//! what each account reads and marks read, what it wants by email, and the mail round that
//! words the letters, one for each notification or, for those who chose it, one a day with all
//! of them.

use std::collections::BTreeMap;

use jiff::{Timestamp, ToSpan};
use rotative_domain::{
    ArticleId, Audience, NoticeKind, NotificationId, UserId, digest_hour_before, recipients,
};
use rotative_render::{DateView, Site};
use rotative_store::{
    EditableStory, Marking, NewLetter, Notification, NotificationSettings, PendingNotice,
};
use serde::Serialize;

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// Notifications a page of the list holds.
pub const NOTIFICATIONS_LISTED: u32 = 50;
/// Notifications one mail round handles at most.
const NOTICES_PER_ROUND: u32 = 200;
/// How long a notification is kept once read.
const READ_KEPT_DAYS: i64 = 90;

/// One notification as a letter tells it.
#[derive(Serialize)]
struct NoticeLine {
    sentence: String,
    link: String,
    at: String,
}

/// What a notification's letter, or a digest, says.
#[derive(Serialize)]
struct NoticeWords<'a> {
    site_name: &'a str,
    name: &'a str,
    subject: String,
    notices: Vec<NoticeLine>,
    settings_link: String,
}

/// What the mail round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MailRound {
    /// Letters queued.
    pub letters: usize,
    /// Notifications set aside because their letter could not be worded (the theme's error is
    /// logged); they stay in the newsroom.
    pub unworded: usize,
}

impl Newsroom {
    /// Who hears of `kind` on the story, done by `actor` (none: the scheduler): the editors, or
    /// the story's writers who may open it.
    pub(crate) async fn audience(
        &self,
        kind: NoticeKind,
        story: &EditableStory,
        actor: Option<UserId>,
    ) -> Result<Vec<UserId>, NewsroomError> {
        let writers = match kind.audience() {
            Audience::Editors => Vec::new(),
            Audience::Writers => self.store.story_writers(story.id).await?,
        };
        // An account that cannot sign in yet (imported, invited) reads nothing in the newsroom.
        let accounts = self.store.users().await?.into_iter().filter(|account| {
            account.password_hash.is_some()
                && match kind.audience() {
                    Audience::Editors => kind.heard_by(account.role),
                    Audience::Writers => {
                        writers.contains(&account.id) && Actor::from(account).may_open(story)
                    }
                }
        });
        Ok(recipients(accounts.map(|account| account.id), actor))
    }

    /// The actor's notifications, newest first, from before `before`, `limit` at most (up to
    /// `NOTIFICATIONS_LISTED`); only the unread ones if asked.
    pub async fn notifications(
        &self,
        actor: &Actor,
        unread_only: bool,
        before: Option<NotificationId>,
        limit: u32,
    ) -> Result<Vec<Notification>, NewsroomError> {
        let limit = limit.min(NOTIFICATIONS_LISTED);
        Ok(self
            .store
            .notifications_of(actor.id, unread_only, before, limit)
            .await?)
    }

    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64, NewsroomError> {
        Ok(self.store.unread_notifications(actor.id).await?)
    }

    /// Marks some of the actor's notifications read. Returns how many were unread.
    pub async fn mark_read(&self, actor: &Actor, which: Marking<'_>) -> Result<u64, NewsroomError> {
        Ok(self.store.mark_notifications_read(actor.id, which).await?)
    }

    /// The story one of the actor's notifications is about, marking it read if asked.
    pub async fn open_notification(
        &self,
        actor: &Actor,
        id: NotificationId,
        mark_read: bool,
    ) -> Result<ArticleId, NewsroomError> {
        self.store
            .open_notification(actor.id, id, mark_read)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoSuchNotification))
    }

    /// What the actor receives by email.
    pub async fn notification_settings(
        &self,
        actor: &Actor,
    ) -> Result<NotificationSettings, NewsroomError> {
        Ok(self.store.notification_settings(actor.id).await?)
    }

    /// Sets which kinds the actor receives by email, among those the role hears of (the others
    /// keep their choice, for a change of role), and whether as a daily digest.
    pub async fn set_notification_settings(
        &self,
        actor: &Actor,
        by_email: &[NoticeKind],
        digest: bool,
    ) -> Result<NotificationSettings, NewsroomError> {
        let before = self.store.notification_settings(actor.id).await?;
        let settings = NotificationSettings {
            mail_off: NoticeKind::ALL
                .into_iter()
                .filter(|kind| {
                    if kind.heard_by(actor.role) {
                        !by_email.contains(kind)
                    } else {
                        before.mail_off.contains(kind)
                    }
                })
                .collect(),
            digest,
        };
        self.store
            .set_notification_settings(actor.id, &settings)
            .await?;
        Ok(settings)
    }

    /// Words the letters of the notifications not mailed yet and queues them, each
    /// notification once: one letter each, or one digest a day, after the digest hour, for the
    /// accounts that chose it; none for the kinds an account turned off, nor for an account
    /// that cannot sign in. `now` decides whose digest is due. Also forgets notifications read
    /// long ago.
    pub async fn mail_notifications(
        &self,
        site: &Site,
        now: Timestamp,
    ) -> Result<MailRound, NewsroomError> {
        let digest_since = digest_hour_before(now, &site.time_zone).as_second();
        let pending = self
            .store
            .pending_notices(digest_since, NOTICES_PER_ROUND)
            .await?;
        // A full round may hold only part of the last account's digest: it waits for the next
        // round, which starts with it, rather than go in two letters.
        let cut_short = (pending.len() == NOTICES_PER_ROUND as usize)
            .then(|| {
                pending
                    .last()
                    .filter(|last| last.digest)
                    .map(|last| last.user_id)
            })
            .flatten();
        let mut digests: BTreeMap<UserId, Vec<PendingNotice>> = BTreeMap::new();
        let mut round = MailRound::default();
        for notice in pending {
            if !notice.active || !notice.wanted {
                self.store
                    .mail_notices(&[notice.notification.id], None)
                    .await?;
            } else if notice.digest {
                digests.entry(notice.user_id).or_default().push(notice);
            } else {
                self.queue_notice_letter(site, &[notice], false, &mut round)
                    .await?;
            }
        }
        let several = digests.len() > 1;
        for (user, notices) in digests {
            if several && Some(user) == cut_short {
                continue;
            }
            self.queue_notice_letter(site, &notices, true, &mut round)
                .await?;
        }
        let long_ago = now - (READ_KEPT_DAYS * 24).hours();
        self.store
            .prune_read_notifications(long_ago.as_second())
            .await?;
        Ok(round)
    }

    /// Queues the letter telling one account of these notifications (a digest: of the day's).
    /// A letter the theme cannot word is logged, and its notifications are not mailed.
    async fn queue_notice_letter(
        &self,
        site: &Site,
        notices: &[PendingNotice],
        digest: bool,
        round: &mut MailRound,
    ) -> Result<(), NewsroomError> {
        let Some(first) = notices.first() else {
            return Ok(());
        };
        let ids: Vec<NotificationId> = notices.iter().map(|n| n.notification.id).collect();
        let line = |pending: &PendingNotice| {
            let notice = &pending.notification;
            NoticeLine {
                sentence: notice
                    .kind
                    .sentence_fr(notice.actor_name.as_deref(), &notice.headline),
                // Through the notification, which is then read in the newsroom too.
                link: site.absolute(&format!("/redaction/notifications/{}", notice.id)),
                at: Timestamp::from_second(notice.created_at)
                    .map(|at| DateView::new(at, &site.time_zone).display)
                    .unwrap_or_default(),
            }
        };
        let subject = if digest {
            format!("Vos notifications – {}", site.name)
        } else {
            let notice = &first.notification;
            notice.kind.subject_fr(&notice.headline)
        };
        let words = NoticeWords {
            site_name: &site.name,
            name: &first.to_name,
            subject,
            notices: notices.iter().map(line).collect(),
            settings_link: site.absolute("/redaction/notifications"),
        };
        let text = match self.theme.render_letter("notification", &words) {
            Ok(text) => text,
            Err(error) => {
                tracing::error!(%error, to = %first.to_address, "a notification's letter could not be worded");
                self.store.mail_notices(&ids, None).await?;
                round.unworded += ids.len();
                return Ok(());
            }
        };
        let letter = NewLetter {
            to_name: &first.to_name,
            to_address: &first.to_address,
            subject: &text.subject,
            text: &text.text,
            html: &text.html,
            link: None,
        };
        if self.store.mail_notices(&ids, Some(&letter)).await? {
            round.letters += 1;
        }
        Ok(())
    }
}
