//! Site settings administrators change from the newsroom (the name, the description, how many
//! stories a listing page shows, whether feeds carry whole stories): kept in the database, they
//! override the settings file, on every instance.

use rotative_domain::Name;
use rotative_render::Site;
use rotative_store::{Audit, Store, StoreError};

use crate::{Actor, Newsroom, NewsroomError};

const NAME: &str = "site.name";
const DESCRIPTION: &str = "site.description";
const PAGE_SIZE: &str = "site.page_size";
const FEED_FULL_TEXT: &str = "site.feed_full_text";

/// The settings administrators change, each checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    pub name: Name,
    pub description: String,
    pub page_size: u32,
    pub feed_full_text: bool,
}

impl SiteSettings {
    pub const MAX_DESCRIPTION_CHARS: usize = 300;
    pub const MAX_PAGE_SIZE: u32 = 100;

    /// The settings as typed, or `None` when one of them is out of bounds.
    pub fn parse(
        name: &str,
        description: &str,
        page_size: &str,
        feed_full_text: bool,
    ) -> Option<Self> {
        let name = Name::parse(name).ok()?;
        let page_size = page_size
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=Self::MAX_PAGE_SIZE).contains(n))?;
        let description = description.trim();
        (description.chars().count() <= Self::MAX_DESCRIPTION_CHARS).then(|| Self {
            name,
            description: description.to_owned(),
            page_size,
            feed_full_text,
        })
    }

    /// The site with these settings.
    pub fn applied_to(&self, mut site: Site) -> Site {
        site.name = self.name.to_string();
        site.description.clone_from(&self.description);
        site.page_size = self.page_size;
        site.feed_full_text = self.feed_full_text;
        site
    }
}

/// The configured site with whatever administrators changed since.
pub async fn with_stored_settings(store: &Store, mut site: Site) -> Result<Site, StoreError> {
    if let Some(name) = store.setting(NAME).await? {
        site.name = name;
    }
    if let Some(description) = store.setting(DESCRIPTION).await? {
        site.description = description;
    }
    if let Some(size) = store.setting(PAGE_SIZE).await?.and_then(|s| s.parse().ok()) {
        site.page_size = size;
    }
    if let Some(full) = store.setting(FEED_FULL_TEXT).await? {
        site.feed_full_text = full == "true";
    }
    Ok(site)
}

impl Newsroom {
    /// Stores the settings an administrator set, with the audit line, in one transaction.
    pub async fn change_settings(
        &self,
        actor: &Actor,
        settings: &SiteSettings,
    ) -> Result<(), NewsroomError> {
        actor.administers()?;
        let page_size = settings.page_size.to_string();
        let values = [
            (NAME, settings.name.as_ref()),
            (DESCRIPTION, settings.description.as_str()),
            (PAGE_SIZE, page_size.as_str()),
            (
                FEED_FULL_TEXT,
                if settings.feed_full_text {
                    "true"
                } else {
                    "false"
                },
            ),
        ];
        let audit = Audit::by(Some(actor.id), "settings").detail(settings.name.as_ref());
        Ok(self.store.change_settings(&values, audit).await?)
    }
}
