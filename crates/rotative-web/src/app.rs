//! Building what one instance answers with, the same way for `rotative serve` and for the
//! tests: the settings administrators stored applied over the configured site, the emblem drawn,
//! the page cache following the change log from the start.

use std::{net::IpAddr, sync::Arc};

use rotative_media::MediaStorage;
use rotative_newsroom::with_stored_settings;
use rotative_render::{Site, Theme};
use rotative_search::SearchIndex;
use rotative_store::Store;

use crate::{AppError, AppState, Services, UploadLimits, VariantQueue};

/// Memory for readers' pages by default: 64 MiB.
const PAGE_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// What an instance is built from.
pub struct AppSettings {
    pub store: Store,
    pub storage: MediaStorage,
    /// The site as configured (settings file, flags).
    pub site: Site,
    pub search: SearchIndex,
    pub theme: Theme,
    pub upload_limits: UploadLimits,
    /// Memory readers' pages may take in the page cache.
    pub page_cache_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<IpAddr>,
    /// How often each API token may call, on each instance.
    pub api_rate_limit: crate::api::RateLimit,
}

impl AppSettings {
    /// What every site has, with the usual defaults for the rest: the embedded theme, uploads up
    /// to 25 MB, 64 MiB of page cache, no proxy trusted.
    pub fn new(store: Store, storage: MediaStorage, site: Site, search: SearchIndex) -> Self {
        Self {
            store,
            storage,
            site,
            search,
            theme: Theme::embedded(),
            upload_limits: UploadLimits::default(),
            page_cache_bytes: PAGE_CACHE_BYTES,
            trusted_proxies: Vec::new(),
            api_rate_limit: crate::api::RateLimit::default(),
        }
    }
}

impl AppState {
    /// The app for these settings, ready to answer.
    pub async fn build(settings: AppSettings) -> Result<Self, AppError> {
        let configured_site = with_stored_settings(&settings.store, settings.site).await?;
        let emblem = rotative_media::illustration::emblem(rotative_render::EMBLEM_SIZE)?;
        let state = Self::new(Services {
            store: settings.store,
            storage: settings.storage,
            upload_limits: settings.upload_limits,
            variants: VariantQueue::default(),
            theme: Arc::new(settings.theme),
            configured_site,
            search: settings.search,
            emblem,
            page_cache_bytes: settings.page_cache_bytes,
            trusted_proxies: settings.trusted_proxies,
            api_rate_limit: settings.api_rate_limit,
        });
        state.follow_changes().await?;
        Ok(state)
    }
}
