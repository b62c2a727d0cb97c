//! Readers' pages kept in memory, ready to send: each page once rendered is answered from
//! memory, already compressed, until a change to something it shows drops it.
//!
//! Exact invalidation: every cached page lists what it shows (`Shown`): the stories on it, the
//! listings whose order it follows. The change log says what changed; `follow` turns each change
//! into the `Shown` items it affects and drops those pages, and only those, on every instance.
//! One render per page at a time: the first reader to miss renders, the others wait for it.

mod encoding;
pub(crate) mod follow;
pub(crate) mod layer;

use rotative_domain::ArticleId;
use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex, MutexGuard, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Instant, SystemTime},
};

use axum::http::{HeaderMap, HeaderValue};
use bytes::Bytes;
use rotative_store::Listing;
use tokio::sync::watch;

pub(crate) use encoding::{Encoding, etag, etag_matches};

/// What a page shows, as far as changes are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Shown {
    /// The story itself (its headline, summary, body or dates appear on the page).
    Story(ArticleId),
    /// The order of a listing: the page changes when a story enters, leaves or moves in it.
    Listing(Listing),
    /// Something of every story (sitemaps' dates, the corrections page): any change to any story.
    EveryStory,
}

/// What a handler says of the page it answered, so the page can be cached; a response without
/// it is never cached.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shows {
    pub(crate) items: Vec<Shown>,
    /// For pages that change with time alone (the news sitemap's two-day window).
    pub(crate) fresh_for: Option<std::time::Duration>,
    /// A listing split into numbered pages: only such pages are kept under `?page=N`.
    pub(crate) paged: bool,
}

impl Shows {
    pub(crate) fn new(items: Vec<Shown>) -> Self {
        Self {
            items,
            fresh_for: None,
            paged: false,
        }
    }

    /// Marks the page as one of a numbered listing.
    pub(crate) fn paged(mut self) -> Self {
        self.paged = true;
        self
    }

    /// The response, marked as a page the cache may keep.
    pub(crate) fn on(
        self,
        response: impl axum::response::IntoResponse,
    ) -> axum::response::Response {
        let mut response = response.into_response();
        response.extensions_mut().insert(self);
        response
    }

    /// The stories of a listing page or feed, and the listing's order.
    pub(crate) fn listing(listing: Listing, stories: impl IntoIterator<Item = ArticleId>) -> Self {
        let mut items = vec![Shown::Listing(listing)];
        items.extend(stories.into_iter().map(Shown::Story));
        Self::new(items)
    }
}

/// A page ready to send in each encoding a reader may accept, each compressed the first time a
/// reader asks for it: most pages of an archive are read once, by one reader wanting one.
#[derive(Debug)]
pub(crate) struct CachedPage {
    /// The handler's headers (content type, a story's own security policy).
    headers: HeaderMap,
    identity: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    etag: HeaderValue,
    last_modified: SystemTime,
    /// `last_modified` as sent, written once rather than on every hit.
    last_modified_header: HeaderValue,
    shows: Box<[Shown]>,
    expires: Option<Instant>,
    /// The cache's clock at the last hit, for evicting the least recently read pages first.
    last_read: AtomicU64,
}

impl CachedPage {
    /// Fingerprints the body; compressing waits for a reader to ask.
    pub(crate) fn new(headers: HeaderMap, body: Bytes, shows: Shows) -> Self {
        let etag = encoding::etag(&body);
        // HTTP dates have whole seconds; a page made now is not newer than a date the
        // reader was given within the same second.
        let last_modified = encoding::whole_seconds(SystemTime::now());
        Self {
            headers,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            identity: body,
            etag,
            last_modified,
            last_modified_header: encoding::http_date(last_modified),
            shows: shows.items.into_boxed_slice(),
            expires: shows.fresh_for.map(|fresh| Instant::now() + fresh),
            last_read: AtomicU64::new(0),
        }
    }

    /// What the page costs in memory, roughly: its body, and room for both compressed ones
    /// (a page compresses to well under a quarter of its size each way). Fixed when the page
    /// is kept, so the cache's count stays right as encodings are added.
    fn weight(&self) -> usize {
        self.identity.len() + self.identity.len() / 2 + 256
    }

    fn is_fresh(&self, now: Instant) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }

    /// The page's size before compressing.
    pub(crate) fn size(&self) -> usize {
        self.identity.len()
    }

    /// Whether the body in this encoding is ready to send.
    pub(crate) fn is_made(&self, encoding: Encoding) -> bool {
        match encoding {
            Encoding::Brotli => self.brotli.get().is_some(),
            Encoding::Gzip => self.gzip.get().is_some(),
            Encoding::Identity => true,
        }
    }

    pub(crate) fn body(&self, encoding: Encoding) -> &Bytes {
        match encoding {
            Encoding::Brotli => self.brotli.get_or_init(|| encoding::brotli(&self.identity)),
            Encoding::Gzip => self.gzip.get_or_init(|| encoding::gzip(&self.identity)),
            Encoding::Identity => &self.identity,
        }
    }
}

/// Where a render in progress stands, for the readers waiting on it.
#[derive(Debug, Clone)]
pub(crate) enum Flight {
    Rendering,
    /// The page, or `None` when the answer was not a page to keep (an error, a redirect): the
    /// waiters then render it themselves.
    Done(Option<Arc<CachedPage>>),
}

enum Slot {
    Ready(Arc<CachedPage>),
    Rendering {
        id: u64,
        flight: watch::Receiver<Flight>,
    },
}

/// What a reader gets on asking the cache for a page.
pub(crate) enum Lookup {
    Hit(Arc<CachedPage>),
    /// Another reader is rendering it: wait for their result.
    Wait(watch::Receiver<Flight>),
    /// Render it and hand the result to `Render::finish`.
    Render(Render),
}

#[derive(Default)]
struct Inner {
    slots: HashMap<Box<str>, Slot>,
    /// Which cached pages show each item.
    pages_showing: HashMap<Shown, HashSet<Box<str>>>,
    bytes: usize,
    clock: u64,
    next_flight: u64,
}

impl Inner {
    /// The page kept under `key` if it is ready and fresh, marked as read now.
    fn read(&mut self, key: &str, now: Instant) -> Option<Arc<CachedPage>> {
        let Some(Slot::Ready(page)) = self.slots.get(key) else {
            return None;
        };
        if !page.is_fresh(now) {
            return None;
        }
        self.clock += 1;
        page.last_read.store(self.clock, Ordering::Relaxed);
        Some(Arc::clone(page))
    }

    /// Takes a page out, with its entries in the reverse index.
    fn remove(&mut self, key: &str) {
        let Some(slot) = self.slots.remove(key) else {
            return;
        };
        if let Slot::Ready(page) = slot {
            self.bytes = self.bytes.saturating_sub(page.weight());
            for shown in &page.shows {
                if let Some(keys) = self.pages_showing.get_mut(shown) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.pages_showing.remove(shown);
                    }
                }
            }
        }
    }

    /// Renders under way may have read what just changed: they are forgotten, so the next
    /// reader renders afresh (their own waiters still get their result).
    fn forget_renders(&mut self) {
        self.slots
            .retain(|_, slot| !matches!(slot, Slot::Rendering { .. }));
    }
}

/// Counts for operators (`/metrics`) and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub pages: usize,
    pub bytes: usize,
}

pub struct PageCache {
    inner: Mutex<Inner>,
    /// Memory the cached pages may take; the least recently read go first beyond it.
    budget_bytes: usize,
}

impl PageCache {
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            inner: Mutex::default(),
            budget_bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves maps that are still consistent enough to use:
        // every update is a few map operations.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page kept under `key` if it is ready and fresh; unlike [`Self::lookup`], a miss
    /// leaves no mark.
    pub(crate) fn hit(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.lock().read(key, Instant::now())
    }

    pub(crate) fn lookup(self: &Arc<Self>, key: &str) -> Lookup {
        let mut inner = self.lock();
        if let Some(page) = inner.read(key, Instant::now()) {
            return Lookup::Hit(page);
        }
        match inner.slots.get(key) {
            Some(Slot::Rendering { flight, .. }) => return Lookup::Wait(flight.clone()),
            Some(Slot::Ready(_)) => inner.remove(key),
            None => {}
        }
        inner.next_flight += 1;
        let id = inner.next_flight;
        let (sender, receiver) = watch::channel(Flight::Rendering);
        inner.slots.insert(
            key.into(),
            Slot::Rendering {
                id,
                flight: receiver,
            },
        );
        Lookup::Render(Render {
            cache: Arc::clone(self),
            key: key.into(),
            id,
            sender,
            finished: false,
        })
    }

    /// Drops every page showing any of `items`.
    pub(crate) fn invalidate(&self, items: &[Shown]) {
        let mut inner = self.lock();
        let keys: Vec<Box<str>> = items
            .iter()
            .filter_map(|item| inner.pages_showing.get(item))
            .flatten()
            .cloned()
            .collect();
        for key in keys {
            inner.remove(&key);
        }
        inner.forget_renders();
    }

    /// Drops every page (the site's settings or its sections changed).
    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        *inner = Inner {
            clock: inner.clock,
            next_flight: inner.next_flight,
            ..Inner::default()
        };
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            pages: inner
                .slots
                .values()
                .filter(|slot| matches!(slot, Slot::Ready(_)))
                .count(),
            bytes: inner.bytes,
        }
    }

    /// Stores a finished page if its render is still the current one for its address.
    fn store(&self, key: &str, id: u64, page: Option<&Arc<CachedPage>>) {
        let mut inner = self.lock();
        let current = matches!(inner.slots.get(key), Some(Slot::Rendering { id: current, .. }) if *current == id);
        if !current {
            return;
        }
        inner.slots.remove(key);
        let Some(page) = page else {
            return;
        };
        // Kept now is read now: pages no one has read yet go in the order they came.
        inner.clock += 1;
        page.last_read.store(inner.clock, Ordering::Relaxed);
        inner.bytes += page.weight();
        for shown in &page.shows {
            inner
                .pages_showing
                .entry(*shown)
                .or_default()
                .insert(key.into());
        }
        inner
            .slots
            .insert(key.into(), Slot::Ready(Arc::clone(page)));
        if inner.bytes > self.budget_bytes {
            Self::evict(&mut inner, self.budget_bytes / 10 * 9);
        }
    }

    /// Drops the least recently read pages until the cache is within `target` bytes: a sort of
    /// every page, paid once per tenth of the budget filled.
    fn evict(inner: &mut Inner, target: usize) {
        let mut by_age: Vec<(u64, Box<str>)> = inner
            .slots
            .iter()
            .filter_map(|(key, slot)| match slot {
                Slot::Ready(page) => Some((page.last_read.load(Ordering::Relaxed), key.clone())),
                Slot::Rendering { .. } => None,
            })
            .collect();
        by_age.sort_unstable();
        for (_, key) in by_age {
            if inner.bytes <= target {
                break;
            }
            inner.remove(&key);
        }
    }
}

/// The right, and the duty, to render one page: readers asking meanwhile wait for it. Dropped
/// unfinished (the reader went away), it lets the next reader render instead.
pub(crate) struct Render {
    cache: Arc<PageCache>,
    key: Box<str>,
    id: u64,
    sender: watch::Sender<Flight>,
    finished: bool,
}

impl Render {
    /// Keeps the page (unless a change came while it was being made) and hands it to the readers
    /// waiting for it; `None` tells them to render for themselves.
    pub(crate) fn finish(mut self, page: Option<Arc<CachedPage>>) {
        self.finished = true;
        self.cache.store(&self.key, self.id, page.as_ref());
        self.sender.send_replace(Flight::Done(page));
    }
}

impl Drop for Render {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let mut inner = self.cache.lock();
        if matches!(inner.slots.get(&self.key), Some(Slot::Rendering { id, .. }) if *id == self.id)
        {
            inner.slots.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rotative_domain::SubjectId;

    fn page(body: &str, shows: Vec<Shown>) -> Arc<CachedPage> {
        Arc::new(CachedPage::new(
            HeaderMap::new(),
            Bytes::from(body.to_owned()),
            Shows::new(shows),
        ))
    }

    fn render(cache: &Arc<PageCache>, key: &str) -> Render {
        match cache.lookup(key) {
            Lookup::Render(render) => render,
            Lookup::Hit(_) => panic!("{key} was cached"),
            Lookup::Wait(_) => panic!("{key} was being rendered"),
        }
    }

    fn is_hit(cache: &Arc<PageCache>, key: &str) -> bool {
        matches!(cache.lookup(key), Lookup::Hit(_))
    }

    fn cache_with(pages: &[(&str, Vec<Shown>)]) -> Arc<PageCache> {
        let cache = Arc::new(PageCache::new(1 << 20));
        for (key, shows) in pages {
            render(&cache, key).finish(Some(page(key, shows.clone())));
        }
        cache
    }

    #[test]
    fn a_change_drops_the_pages_that_show_it_and_only_those() {
        let cache = cache_with(&[
            (
                "/a",
                vec![Shown::Story(ArticleId(1)), Shown::Story(ArticleId(2))],
            ),
            ("/b", vec![Shown::Story(ArticleId(2))]),
            (
                "/c",
                vec![
                    Shown::Story(ArticleId(3)),
                    Shown::Listing(Listing::Tag(SubjectId(7))),
                ],
            ),
        ]);
        cache.invalidate(&[Shown::Story(ArticleId(1))]);
        assert!(!is_hit(&cache, "/a"));
        assert!(is_hit(&cache, "/b"));
        assert!(is_hit(&cache, "/c"));
        cache.invalidate(&[Shown::Listing(Listing::Tag(SubjectId(7)))]);
        assert!(!is_hit(&cache, "/c"));
        assert!(is_hit(&cache, "/b"));
    }

    #[test]
    fn readers_wait_for_the_render_under_way_and_get_its_page() {
        let cache = Arc::new(PageCache::new(1 << 20));
        let first = render(&cache, "/a");
        let Lookup::Wait(mut waiting) = cache.lookup("/a") else {
            panic!("a second reader should wait");
        };
        first.finish(Some(page("A", vec![])));
        let Flight::Done(Some(page)) = waiting.borrow_and_update().clone() else {
            panic!("the waiting reader should get the page");
        };
        assert_eq!(page.body(Encoding::Identity).as_ref(), b"A");
        assert!(is_hit(&cache, "/a"));
    }

    #[test]
    fn a_render_that_overlapped_a_change_is_not_kept() {
        let cache = Arc::new(PageCache::new(1 << 20));
        let stale = render(&cache, "/a");
        cache.invalidate(&[Shown::Story(ArticleId(1))]);
        stale.finish(Some(page("old", vec![Shown::Story(ArticleId(1))])));
        assert!(!is_hit(&cache, "/a"));
    }

    #[test]
    fn an_abandoned_render_lets_the_next_reader_render() {
        let cache = Arc::new(PageCache::new(1 << 20));
        drop(render(&cache, "/a"));
        drop(render(&cache, "/a"));
    }

    #[test]
    fn answers_that_are_not_pages_are_not_kept() {
        let cache = Arc::new(PageCache::new(1 << 20));
        render(&cache, "/missing").finish(None);
        drop(render(&cache, "/missing"));
    }

    #[test]
    fn the_least_recently_read_pages_go_first_beyond_the_budget() {
        let one = page("x".repeat(1000).as_str(), vec![]).weight();
        let cache = Arc::new(PageCache::new(one * 3));
        for key in ["/a", "/b", "/c"] {
            render(&cache, key).finish(Some(page(&"x".repeat(1000), vec![])));
        }
        assert!(is_hit(&cache, "/a"));
        render(&cache, "/d").finish(Some(page(&"x".repeat(1000), vec![])));
        assert!(is_hit(&cache, "/a"), "read recently, kept");
        assert!(!is_hit(&cache, "/b"), "read least recently, evicted");
        assert!(cache.stats().bytes <= one * 3);
    }

    #[test]
    fn pages_no_one_has_read_go_in_the_order_they_came() {
        let one = page("x".repeat(1000).as_str(), vec![]).weight();
        let cache = Arc::new(PageCache::new(one * 3));
        for key in ["/c", "/b", "/a", "/d"] {
            render(&cache, key).finish(Some(page(&"x".repeat(1000), vec![])));
        }
        let kept: Vec<_> = ["/a", "/b", "/c", "/d"]
            .into_iter()
            .filter(|key| cache.hit(key).is_some())
            .collect();
        assert_eq!(kept, ["/a", "/d"], "the first two kept went first");
    }

    #[test]
    fn clearing_drops_everything() {
        let cache = cache_with(&[("/a", vec![]), ("/b", vec![Shown::EveryStory])]);
        assert_eq!(cache.stats().pages, 2);
        cache.clear();
        assert_eq!(cache.stats(), CacheStats::default());
    }
}
