//! Notifications: who hears of what a person does to a story (the editors of a story waiting for
//! review, its writers of the rest; never the person who did it), what each account reads and
//! marks read, what it wants by email, and the mail round that words the letters, one for each
//! notification or, for those who chose it, one a day with all of them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rotative_domain::{
    ArticleId, Audience, NoticeKind, NotificationId, UserId, digest_hour_before, recipients,
};
use rotative_render::{DateView, Site};
use rotative_store::{NewLetter, Notification, NotificationSettings, PendingNotice};
use serde::Serialize;

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// Notifications a page of the list holds.
pub const NOTIFICATIONS_LISTED: u32 = 50;
/// Notifications one mail round handles at most.
const NOTICES_PER_ROUND: u32 = 200;

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

impl Newsroom {
    /// Who hears of `kind` on the story, done by `actor` (none: the scheduler).
    pub(crate) async fn audience(
        &self,
        kind: NoticeKind,
        story: ArticleId,
        actor: Option<UserId>,
    ) -> Result<Vec<UserId>, NewsroomError> {
        let accounts = match kind.audience() {
            Audience::Editors => self
                .store
                .users()
                .await?
                .into_iter()
                .filter(|account| account.password_hash.is_some() && kind.heard_by(account.role))
                .map(|account| account.id)
                .collect(),
            Audience::Writers => self.store.story_writers(story).await?,
        };
        Ok(recipients(accounts, actor))
    }

    /// The actor's notifications, newest first, from before `before`; only the unread ones if
    /// asked.
    pub async fn notifications(
        &self,
        actor: &Actor,
        unread_only: bool,
        before: Option<NotificationId>,
    ) -> Result<Vec<Notification>, NewsroomError> {
        Ok(self
            .store
            .notifications_of(actor.id, unread_only, before, NOTIFICATIONS_LISTED)
            .await?)
    }

    pub async fn unread_notifications(&self, actor: &Actor) -> Result<i64, NewsroomError> {
        Ok(self.store.unread_notifications(actor.id).await?)
    }

    /// Marks the actor's notifications read: these, or every one. Returns how many were unread.
    pub async fn mark_read(
        &self,
        actor: &Actor,
        which: Option<&[NotificationId]>,
    ) -> Result<u64, NewsroomError> {
        Ok(self.store.mark_notifications_read(actor.id, which).await?)
    }

    /// Marks one of the actor's notifications read; gives the story it is about.
    pub async fn open_notification(
        &self,
        actor: &Actor,
        id: NotificationId,
    ) -> Result<ArticleId, NewsroomError> {
        self.store
            .open_notification(actor.id, id)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoSuchNotification))
    }

    pub async fn notification_settings(
        &self,
        actor: &Actor,
    ) -> Result<NotificationSettings, NewsroomError> {
        Ok(self.store.notification_settings(actor.id).await?)
    }

    pub async fn set_notification_settings(
        &self,
        actor: &Actor,
        settings: &NotificationSettings,
    ) -> Result<(), NewsroomError> {
        let mut settings = settings.clone();
        settings.mail_off.sort_unstable();
        settings.mail_off.dedup();
        Ok(self
            .store
            .set_notification_settings(actor.id, &settings)
            .await?)
    }

    /// Words the letters of the notifications not mailed yet and queues them, each
    /// notification once: one letter each, or one digest a day for the accounts that chose it;
    /// none for the kinds an account turned off, nor for an account that cannot sign in.
    /// Returns how many letters were queued. `now` decides whose digest is due.
    pub async fn mail_notifications(
        &self,
        site: &Site,
        now: Timestamp,
    ) -> Result<usize, NewsroomError> {
        let digest_since = digest_hour_before(now, &site.time_zone).as_second();
        let mut digests: BTreeMap<UserId, Vec<PendingNotice>> = BTreeMap::new();
        let mut letters = 0;
        for pending in self
            .store
            .pending_notices(digest_since, NOTICES_PER_ROUND)
            .await?
        {
            let id = pending.notification.id;
            if !pending.active || !pending.wanted {
                self.store.mail_notices(&[id], None, None).await?;
            } else if pending.digest {
                digests.entry(pending.user_id).or_default().push(pending);
            } else if self.queue_notice_letter(site, &[pending], false).await? {
                letters += 1;
            }
        }
        for notices in digests.into_values() {
            if self.queue_notice_letter(site, &notices, true).await? {
                letters += 1;
            }
        }
        Ok(letters)
    }

    /// Queues the letter telling one account of these notifications (a digest: of the day's).
    async fn queue_notice_letter(
        &self,
        site: &Site,
        notices: &[PendingNotice],
        digest: bool,
    ) -> Result<bool, NewsroomError> {
        let Some(first) = notices.first() else {
            return Ok(false);
        };
        let line = |pending: &PendingNotice| {
            let notice = &pending.notification;
            NoticeLine {
                sentence: notice
                    .kind
                    .sentence_fr(notice.actor_name.as_deref(), &notice.headline),
                link: site.absolute(&format!("/redaction/articles/{}", notice.article_id)),
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
        let text = self.theme.render_letter("notification", &words)?;
        let letter = NewLetter {
            to_name: &first.to_name,
            to_address: &first.to_address,
            subject: &text.subject,
            text: &text.text,
            html: &text.html,
            link: None,
        };
        let ids: Vec<NotificationId> = notices.iter().map(|n| n.notification.id).collect();
        Ok(self
            .store
            .mail_notices(&ids, Some(&letter), digest.then_some(first.user_id))
            .await?)
    }
}
