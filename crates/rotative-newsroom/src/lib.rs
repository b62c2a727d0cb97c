//! Rotative's application layer: the newsroom's operations, the same whichever way they are
//! asked for (the newsroom's pages, the importers, the command line, background jobs).
//! Owns: what a body's images resolve to and which one leads, a new story's slug, rendering
//! bodies off the threads that answer requests, saving and restoring text, workflow actions,
//! public notes and scheduled publishing, the library record a cleaned image becomes
//! (`LibraryImage`) and what a library edit renders again, accounts, site settings, sections,
//! redirects, bylines' profiles, the site's pages and its footer, an account's sessions,
//! invitations, forgotten passwords and the letters that carry their links (the outbox, sent through a `rotative_mail::Postman`), notifications of what happens to stories and their letters. Each action is checked against
//! the `Actor` doing it and audited in its own transaction.
//! Never: HTTP, forms, file formats, French copy (errors are data; each way in words them).

mod accounts;
mod bodies;
mod cpu_work;
mod error;
mod front_page;
mod invitations;
mod library_image;
mod mail;
mod notifications;
mod pages;
mod password_resets;
mod profiles;
mod redirects;
mod sections;
mod sessions;
mod settings;
mod tokens;
mod two_factor;
mod webhooks;
mod workflow;

use std::sync::Arc;

use rotative_render::Theme;
use rotative_store::Store;

pub use bodies::{BodyImages, MAX_BODY_BYTES, lead_image};
pub use cpu_work::{Busy, CpuWork};
pub use error::{BodyProblem, NewsroomError, Refusal};
pub use invitations::AccountLink;
pub use library_image::LibraryImage;
pub use notifications::{MailRound, NOTIFICATIONS_LISTED};
pub use pages::{as_page, page_slug};
pub use profiles::BYLINES_LISTED;
pub use redirects::{REDIRECT_HITS_DAYS, redirect_hits_day};
pub use sections::Shift;
pub use sessions::SessionLimits;
pub use settings::{SiteSettings, with_stored_settings};
pub use two_factor::{
    CODE_ATTEMPTS, CODE_WINDOW_SECONDS, SecondFactor, base32_secret, enrollment_url,
};
pub use webhooks::{DELIVERY_LOG_LENGTH, WebhookRequest, checked_webhook, webhook_origin};
pub use workflow::{Act, Actor, BatchSlugs, MAX_NOTE_CHARS, public_path, story_slug};

/// The newsroom's operations over one site's store and theme. Cheap to share: the store is a
/// pool, the theme is shared.
pub struct Newsroom {
    store: Store,
    theme: Arc<Theme>,
    cpu_work: CpuWork,
}

impl Newsroom {
    pub fn new(store: Store, theme: Arc<Theme>) -> Self {
        Self {
            store,
            theme,
            cpu_work: CpuWork::default(),
        }
    }

    /// Where CPU-heavy newsroom work runs (diffs, image decoding), as bodies are rendered.
    pub fn cpu_work(&self) -> &CpuWork {
        &self.cpu_work
    }
}
