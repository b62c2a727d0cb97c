//! Forgotten passwords: whoever asks with an account's address gets, at that address, a link to
//! choose a new password; the link serves once, within the hour. Asking with an address no
//! account has changes nothing, and the way in answers the same either way.

use jiff::Timestamp;
use rotative_domain::Email;
use rotative_render::{DateView, Site};
use rotative_store::{Audit, LinkPurpose, NewLetter, NewLink};
use serde::Serialize;

use crate::{AccountLink, Newsroom, NewsroomError};

/// How long the link of a forgotten password serves.
const RESET_SECONDS: i64 = 60 * 60;

/// What the letter of a forgotten password says.
#[derive(Serialize)]
struct ResetWords<'a> {
    site_name: &'a str,
    name: &'a str,
    link: &'a str,
    expires: String,
}

impl Newsroom {
    /// Queues the letter with a link to choose a new password, when an account with a password
    /// has this address; returns whether one was queued. The caller must not let the asker tell.
    pub async fn request_password_reset(
        &self,
        email: &Email,
        link: &AccountLink,
        site: &Site,
    ) -> Result<bool, NewsroomError> {
        let Some(user) = self.store.user_by_email(email).await? else {
            return Ok(false);
        };
        let expires_at = Timestamp::now().as_second() + RESET_SECONDS;
        let expires = Timestamp::from_second(expires_at)
            .map(|at| DateView::new(at, &site.time_zone).display)
            .unwrap_or_default();
        let words = self.theme.render_letter(
            "password_reset",
            &ResetWords {
                site_name: &site.name,
                name: user.name.as_ref(),
                link: &link.url,
                expires,
            },
        )?;
        let letter = NewLetter {
            to_name: user.name.as_ref(),
            to_address: user.email.as_ref(),
            subject: &words.subject,
            text: &words.text,
            html: &words.html,
            link: Some(&link.url),
        };
        let new_link = NewLink {
            token_hash: &link.token_hash,
            purpose: LinkPurpose::PasswordReset,
            expires_at,
        };
        // Anybody may ask: the line names the account asked for, not who asked.
        let audit = Audit::by(None, "password_reset_request").detail(user.email.as_ref());
        Ok(self
            .store
            .request_password_reset(user.id, new_link, &letter, audit)
            .await?)
    }
}
