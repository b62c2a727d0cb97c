use std::collections::HashMap;
use std::sync::{
    Arc, PoisonError, RwLock,
    atomic::{AtomicU64, Ordering},
};

use rotative_domain::{PageLink, Section, SectionId};
use rotative_media::MediaStorage;
use rotative_newsroom::{CpuWork, Newsroom, with_stored_settings};
use rotative_render::{Pages, Site, SiteNav, Theme};
use rotative_search::SearchIndex;
use rotative_store::{ShownSection, Store, StoreError};

use crate::{
    metrics::Metrics,
    page_cache::{PageCache, follow::Follower},
    uploads::{DecodeBudget, UploadLimits, VariantQueue},
};

/// What the site runs on, built once at start (`AppState::build`).
pub struct Services {
    pub store: Store,
    pub storage: MediaStorage,
    pub upload_limits: UploadLimits,
    /// Resized copies waiting to be made.
    pub variants: VariantQueue,
    pub theme: Arc<Theme>,
    /// The site as configured at start, with the settings administrators had stored then; what
    /// pages use is `AppState::site`, which follows their changes while the site runs.
    pub configured_site: Site,
    /// This instance's search index, following the store's change log.
    pub search: SearchIndex,
    /// The site's emblem as a PNG, drawn once at start.
    pub emblem: Vec<u8>,
    /// Memory readers' pages may take in the page cache.
    pub page_cache_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); from any
    /// other peer the header is ignored, so a client cannot choose the address it is throttled
    /// under.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How often each API token may call, on this instance.
    pub api_rate_limit: crate::api::RateLimit,
}

/// Shared by every request; cloning is one reference count (each middleware layer clones it
/// for every request).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

struct Shared {
    services: Services,
    site: RwLock<Arc<Site>>,
    metrics: Metrics,
    page_cache: Arc<PageCache>,
    cache_follower: Follower,
    newsroom: Newsroom,
    decode_budget: DecodeBudget,
    signing_key: tokio::sync::OnceCell<Vec<u8>>,
    /// The sections with a published story, as pages list them: held in memory so a page not
    /// in the cache (or a flood of 404s) does not ask the database, and dropped whenever the
    /// change log moves.
    sections: RwLock<Option<Sections>>,
    /// Counts the drops, so a read that started before a change is not kept after it.
    sections_generation: AtomicU64,
    api_limiter: crate::api::RateLimiter,
    security_headers: crate::policy::SecurityHeaders,
    /// Redirects followed since the last flush, by the address they start from: a number per
    /// address, nothing of who followed them.
    redirect_hits: std::sync::Mutex<HashMap<String, u64>>,
}

impl AppState {
    pub(crate) fn new(services: Services) -> Self {
        let newsroom = Newsroom::new(services.store.clone(), Arc::clone(&services.theme));
        let api_limiter = crate::api::RateLimiter::new(services.api_rate_limit);
        let security_headers = crate::policy::SecurityHeaders::for_site(&services.configured_site);
        Self(Arc::new(Shared {
            site: RwLock::new(Arc::new(services.configured_site.clone())),
            page_cache: Arc::new(PageCache::new(services.page_cache_bytes)),
            services,
            metrics: Metrics::default(),
            cache_follower: Follower::default(),
            newsroom,
            decode_budget: DecodeBudget::default(),
            signing_key: tokio::sync::OnceCell::new(),
            sections: RwLock::new(None),
            sections_generation: AtomicU64::new(0),
            api_limiter,
            security_headers,
            redirect_hits: std::sync::Mutex::default(),
        }))
    }

    /// The headers every answer carries.
    pub(crate) fn security_headers(&self) -> &crate::policy::SecurityHeaders {
        &self.0.security_headers
    }

    /// Counts one more reader sent on by the redirect from `old`.
    pub(crate) fn count_redirect(&self, old: &str) {
        let mut hits = self
            .0
            .redirect_hits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *hits.entry(old.to_owned()).or_default() += 1;
    }

    /// Adds the redirects followed since the last flush to today's counts in the store, where
    /// every instance adds its own; counts older than the newsroom shows are forgotten.
    pub async fn flush_redirect_hits(&self) -> Result<(), StoreError> {
        let mut hits: Vec<(String, u64)> = std::mem::take(
            &mut *self
                .0
                .redirect_hits
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
        .into_iter()
        .collect();
        // In one order on every instance, so two flushing at once never wait on each other.
        hits.sort_unstable();
        let today = rotative_newsroom::redirect_hits_day();
        let keep_from = today - rotative_newsroom::REDIRECT_HITS_DAYS;
        let added = self.store.add_redirect_hits(&hits, today, keep_from).await;
        if added.is_err() {
            // Kept for the next flush rather than lost.
            for (old, count) in hits {
                *self
                    .0
                    .redirect_hits
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(old)
                    .or_default() += count;
            }
        }
        added
    }

    /// The key this site signs its sign-in forms' tokens with, the same on every instance.
    pub(crate) async fn signing_key(&self) -> Result<&[u8], StoreError> {
        self.0
            .signing_key
            .get_or_try_init(|| async {
                let key = self
                    .store
                    .shared_secret("sign-in", crate::secrets::new_token)
                    .await?;
                Ok(key.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }

    /// Memory images being decoded may take at once.
    pub(crate) fn decode_budget(&self) -> &DecodeBudget {
        &self.0.decode_budget
    }

    /// The newsroom's operations, the same for every way in.
    pub fn newsroom(&self) -> &Newsroom {
        &self.0.newsroom
    }

    /// Where the newsroom's CPU work runs, off the threads that answer requests.
    pub(crate) fn cpu_work(&self) -> &CpuWork {
        self.0.newsroom.cpu_work()
    }

    /// Readers' pages kept ready to send.
    pub(crate) fn page_cache(&self) -> &Arc<PageCache> {
        &self.0.page_cache
    }

    /// Brings the page cache up to date with the change log: pages showing what changed since,
    /// in any process, are dropped, and settings an administrator changed on another instance
    /// are taken in. Returns how many changes were applied.
    pub async fn follow_changes(&self) -> Result<usize, StoreError> {
        let caught = self
            .0
            .cache_follower
            .catch_up(&self.store, &self.0.page_cache)
            .await?;
        if caught.changes > 0 {
            self.forget_sections();
        }
        if caught.site_changed {
            let site = with_stored_settings(&self.store, self.configured_site.clone()).await?;
            self.set_site(site);
        }
        Ok(caught.changes)
    }

    /// This instance's counters, for `/metrics` on the metrics listen address.
    /// Each API token's allowance on this instance.
    pub(crate) fn api_limiter(&self) -> &crate::api::RateLimiter {
        &self.0.api_limiter
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// The site's identity and settings as they are now.
    pub fn site(&self) -> Arc<Site> {
        self.0.site.read().map_or_else(
            |poisoned| Arc::clone(&poisoned.into_inner()),
            |site| Arc::clone(&site),
        )
    }

    /// Replaces the site's settings for every request from now on.
    pub(crate) fn set_site(&self, site: Site) {
        match self.0.site.write() {
            Ok(mut current) => *current = Arc::new(site),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(site),
        }
        self.0.page_cache.clear();
    }

    /// The sections with a published story, with their ids, in navigation order.
    pub(crate) async fn published_sections(&self) -> Result<Sections, StoreError> {
        let kept = self.0.sections.read().map_or_else(
            |poisoned| poisoned.into_inner().clone(),
            |kept| kept.clone(),
        );
        if let Some(sections) = kept {
            return Ok(sections);
        }
        let generation = self.0.sections_generation.load(Ordering::Acquire);
        let read = Sections::new(
            self.store.published_sections().await?,
            self.store.footer().await?,
        );
        let mut kept = self
            .0
            .sections
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if self.0.sections_generation.load(Ordering::Acquire) == generation {
            *kept = Some(read.clone());
        }
        Ok(read)
    }

    /// What every page links to: the sections, and the site's pages in the footer.
    pub(crate) async fn nav(&self) -> Result<Arc<SiteNav>, StoreError> {
        Ok(self.published_sections().await?.nav)
    }

    fn forget_sections(&self) {
        let mut kept = self
            .0
            .sections
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        self.0.sections_generation.fetch_add(1, Ordering::AcqRel);
        *kept = None;
    }

    pub(crate) fn pages<'a>(&'a self, site: &'a Site, nav: &'a SiteNav) -> Pages<'a> {
        Pages::new(&self.theme, site, nav)
    }
}

/// The sections with a published story: with their ids for listings, and as the navigation
/// (with the footer's pages).
#[derive(Clone)]
pub(crate) struct Sections {
    /// Every section with a published story, in the navigation's order.
    pub stored: Arc<[(SectionId, Section)]>,
    /// What every page links to: the sections the navigation lists, the footer's pages.
    pub nav: Arc<SiteNav>,
    /// What editors wrote of each, for its page and feeds; none when empty.
    pub descriptions: Arc<HashMap<SectionId, String>>,
}

impl Sections {
    pub fn description(&self, id: SectionId) -> Option<&str> {
        self.descriptions.get(&id).map(String::as_str)
    }

    /// Whether readers can reach this section's page: it holds a published story.
    pub fn is_shown(&self, id: SectionId) -> bool {
        self.stored.iter().any(|(shown, _)| *shown == id)
    }

    fn new(shown: Vec<ShownSection>, footer: Vec<PageLink>) -> Self {
        Self {
            nav: Arc::new(SiteNav {
                sections: shown
                    .iter()
                    .filter(|s| s.in_navigation)
                    .map(|s| s.section.clone())
                    .collect(),
                footer,
            }),
            descriptions: Arc::new(
                shown
                    .iter()
                    .filter(|s| !s.description.is_empty())
                    .map(|s| (s.id, s.description.clone()))
                    .collect(),
            ),
            stored: shown.into_iter().map(|s| (s.id, s.section)).collect(),
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0.services
    }
}
