use std::sync::Arc;

use rotative_domain::Section;
use rotative_media::LocalStorage;
use rotative_render::{Pages, Site, Theme};
use rotative_search::SearchIndex;
use rotative_store::{Store, StoreError};

/// What the site runs on, built once at start by the binary.
pub struct Services {
    pub store: Store,
    pub storage: LocalStorage,
    pub theme: Theme,
    pub site: Site,
    /// This instance's search index, following the store's change log.
    pub search: SearchIndex,
    /// The site's emblem as a PNG, drawn once at start.
    pub emblem: Vec<u8>,
    /// Stories per listing page.
    pub page_size: u32,
}

/// Shared by every request; cloning is one reference count.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }

    /// The sections every page lists in its navigation.
    pub(crate) async fn nav(&self) -> Result<Vec<Section>, StoreError> {
        Ok(self
            .store
            .sections()
            .await?
            .into_iter()
            .map(|(_, section)| section)
            .collect())
    }

    pub(crate) fn pages<'a>(&'a self, nav: &'a [Section]) -> Pages<'a> {
        Pages::new(&self.theme, &self.site, nav)
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}
