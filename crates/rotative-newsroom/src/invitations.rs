//! Invitations: an administrator (or the operator, at the command line) opens an account for
//! someone, who receives a link to choose their password; the link serves once, within seven
//! days. An account without a password (imported from WordPress, or whose invitation expired)
//! can be invited again.

use jiff::Timestamp;
use rotative_domain::UserId;
use rotative_render::{DateView, LetterText, Site};
use rotative_store::{Audit, Invitee, LinkPurpose, NewLetter, NewLink, StoreError, User};
use serde::Serialize;

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// How long an invitation's link serves.
const INVITATION_SECONDS: i64 = 7 * 24 * 60 * 60;

/// A link a way in made: the hash of its token (stored) and its address (sent).
#[derive(Debug, Clone)]
pub struct AccountLink {
    pub token_hash: String,
    pub url: String,
}

/// What the invitation letter says.
#[derive(Serialize)]
struct InvitationWords<'a> {
    site_name: &'a str,
    name: &'a str,
    inviter: Option<&'a str>,
    role: &'static str,
    link: &'a str,
    expires: String,
}

/// An invitation ready to store: its letter, its link and its audit line's detail.
struct Prepared {
    words: LetterText,
    expires_at: i64,
    detail: String,
}

impl Prepared {
    fn letter<'a>(&'a self, invitee: &Invitee<'a>, url: &'a str) -> NewLetter<'a> {
        NewLetter {
            to_name: invitee.name.as_ref(),
            to_address: invitee.email.as_ref(),
            subject: &self.words.subject,
            text: &self.words.text,
            html: &self.words.html,
            link: Some(url),
        }
    }

    fn link<'a>(&self, link: &'a AccountLink) -> NewLink<'a> {
        NewLink {
            token_hash: &link.token_hash,
            purpose: LinkPurpose::Invitation,
            expires_at: self.expires_at,
        }
    }
}

impl Newsroom {
    /// Opens an account for `invitee` and queues the letter with its link, in one
    /// transaction. `by`: the administrator, or none for the operator at the command line.
    pub async fn invite(
        &self,
        by: Option<&Actor>,
        invitee: Invitee<'_>,
        link: &AccountLink,
        site: &Site,
    ) -> Result<UserId, NewsroomError> {
        let prepared = self.prepare_invitation(by, &invitee, link, site).await?;
        let audit = Audit::by(by.map(|actor| actor.id), "user_invite").detail(&prepared.detail);
        let invited = self
            .store
            .invite_user(
                invitee,
                prepared.link(link),
                &prepared.letter(&invitee, &link.url),
                audit,
            )
            .await;
        match invited {
            Err(StoreError::AlreadyExists(_)) => Err(NewsroomError::Refused(Refusal::EmailTaken)),
            other => Ok(other?),
        }
    }

    /// Invites again an account that has no password yet: a new link, a new letter.
    pub async fn invite_again(
        &self,
        by: Option<&Actor>,
        account: UserId,
        link: &AccountLink,
        site: &Site,
    ) -> Result<(), NewsroomError> {
        if let Some(actor) = by {
            actor.administers()?;
        }
        let user = self
            .store
            .user(account)
            .await?
            .ok_or(StoreError::NotFound("account"))?;
        let invitee = Invitee {
            email: &user.email,
            name: &user.name,
            role: user.role,
        };
        let prepared = self.prepare_invitation(by, &invitee, link, site).await?;
        let audit = Audit::by(by.map(|actor| actor.id), "user_invite").detail(&prepared.detail);
        let invited = user.password_hash.is_none()
            && self
                .store
                .invite_again(
                    account,
                    prepared.link(link),
                    &prepared.letter(&invitee, &link.url),
                    audit,
                )
                .await?;
        if invited {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::AlreadyActive))
        }
    }

    /// Invites again every account that has no password yet, each with a link of its own;
    /// returns how many were invited.
    pub async fn invite_inactive(
        &self,
        by: Option<&Actor>,
        mut links: impl FnMut() -> AccountLink,
        site: &Site,
    ) -> Result<usize, NewsroomError> {
        if let Some(actor) = by {
            actor.administers()?;
        }
        let mut invited = 0;
        for user in self.store.users().await? {
            if user.password_hash.is_some() {
                continue;
            }
            match self.invite_again(by, user.id, &links(), site).await {
                Ok(()) => invited += 1,
                // Its owner chose a password meanwhile.
                Err(NewsroomError::Refused(Refusal::AlreadyActive)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(invited)
    }

    /// The account a link opens, if the link still serves.
    pub async fn link_account(
        &self,
        purpose: LinkPurpose,
        token_hash: &str,
    ) -> Result<Option<User>, NewsroomError> {
        Ok(self.store.link_account(token_hash, purpose).await?)
    }

    /// Sets the account's password through a link, which then serves no more, nor does any
    /// other link of the account; the account's sessions end.
    pub async fn choose_password(
        &self,
        purpose: LinkPurpose,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<UserId, NewsroomError> {
        self.store
            .set_password_by_link(token_hash, purpose, password_hash)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::LinkNotValid))
    }

    /// Checks the administrator inviting, and words the letter.
    async fn prepare_invitation(
        &self,
        by: Option<&Actor>,
        invitee: &Invitee<'_>,
        link: &AccountLink,
        site: &Site,
    ) -> Result<Prepared, NewsroomError> {
        let inviter = match by {
            Some(actor) => {
                actor.administers()?;
                self.store.user(actor.id).await?
            }
            None => None,
        };
        let expires_at = Timestamp::now().as_second() + INVITATION_SECONDS;
        let expires = Timestamp::from_second(expires_at)
            .map(|at| DateView::new(at, &site.time_zone).display)
            .unwrap_or_default();
        let words = InvitationWords {
            site_name: &site.name,
            name: invitee.name.as_ref(),
            inviter: inviter.as_ref().map(|user| user.name.as_ref()),
            role: invitee.role.label_fr(),
            link: &link.url,
            expires,
        };
        Ok(Prepared {
            words: self.theme.render_letter("invitation", &words)?,
            expires_at,
            detail: format!("{} ({})", invitee.email, invitee.role.as_str()),
        })
    }
}
