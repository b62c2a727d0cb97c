//! Prometheus metrics for operators: requests by route and status, answer times, background
//! jobs, how far the search index lags behind the database. `metrics_endpoint` counts requests
//! and serves them on a listen address of its own (`serve --metrics-listen`), never on the
//! public one.

use axum::extract::MatchedPath;
use prometheus_client::{
    encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The route's pattern (`/{section}/{year}/{month}/{day}/{slug}`), not the address, so the
    /// number of series stays small; `unmatched` for addresses no route knows.
    route: String,
    status: u16,
}

/// How the page cache answered a request for a readers' page.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub(crate) enum CacheResult {
    /// Answered from memory.
    Hit,
    /// Rendered (and kept, if it was a page).
    Miss,
    /// Answered with the page another request was rendering at the same moment.
    Waited,
    /// Not a page the cache keeps (an unknown query string, an error page).
    Bypass,
}

impl EncodeLabelValue for CacheResult {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> Result<(), std::fmt::Error> {
        let name = match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Waited => "waited",
            Self::Bypass => "bypass",
        };
        EncodeLabelValue::encode(&name, encoder)
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    result: CacheResult,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: String,
}

/// The route a request matched, carried from inside the router (where axum knows it) to the
/// layer that counts the answer; a reference count, not a copy of the pattern.
#[derive(Clone)]
pub(crate) struct RouteTag(pub MatchedPath);

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histogram,
    job_runs: Family<JobLabels, Counter>,
    job_failures: Family<JobLabels, Counter>,
    search_lag: Gauge,
    cache_lookups: Family<CacheLabels, Counter>,
    cache_pages: Gauge,
    cache_bytes: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("rotative");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route and status",
            requests.clone(),
        );
        // 0.25 ms to 4 s, doubling.
        let latency = Histogram::new(exponential_buckets(0.000_25, 2.0, 15));
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request",
            latency.clone(),
        );
        let job_runs = Family::<JobLabels, Counter>::default();
        registry.register("job_runs", "Background job rounds run", job_runs.clone());
        let job_failures = Family::<JobLabels, Counter>::default();
        registry.register(
            "job_failures",
            "Background job rounds that failed",
            job_failures.clone(),
        );
        let search_lag = Gauge::default();
        registry.register(
            "search_index_lag_changes",
            "Changes in the database's change log the search index has not taken in yet",
            search_lag.clone(),
        );
        let cache_lookups = Family::<CacheLabels, Counter>::default();
        registry.register(
            "page_cache_requests",
            "Readers' page requests by how the page cache answered them",
            cache_lookups.clone(),
        );
        let cache_pages = Gauge::default();
        registry.register(
            "page_cache_pages",
            "Pages held in the page cache",
            cache_pages.clone(),
        );
        let cache_bytes = Gauge::default();
        registry.register(
            "page_cache_bytes",
            "Memory taken by the pages in the page cache (all encodings)",
            cache_bytes.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            job_runs,
            job_failures,
            search_lag,
            cache_lookups,
            cache_pages,
            cache_bytes,
        }
    }
}

impl Metrics {
    /// Counts an answer by route and status, and times it.
    pub(crate) fn answered(&self, route: String, status: u16, elapsed: std::time::Duration) {
        self.requests
            .get_or_create(&RequestLabels { route, status })
            .inc();
        self.latency.observe(elapsed.as_secs_f64());
    }

    /// Every metric in Prometheus's text format, with the gauges read just before.
    pub(crate) fn exposition(
        &self,
        search_lag: Option<i64>,
        cached: (usize, usize),
    ) -> Result<String, std::fmt::Error> {
        if let Some(lag) = search_lag {
            self.search_lag.set(lag);
        }
        let (pages, bytes) = cached;
        self.cache_pages
            .set(i64::try_from(pages).unwrap_or(i64::MAX));
        self.cache_bytes
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
        let mut body = String::new();
        encode(&mut body, &self.registry)?;
        Ok(body)
    }

    pub(crate) fn page_cache(&self, result: CacheResult) {
        self.cache_lookups
            .get_or_create(&CacheLabels { result })
            .inc();
    }

    /// Counts one round of a background job, and whether it failed.
    pub fn job_ran(&self, job: &str, failed: bool) {
        let labels = JobLabels {
            job: job.to_owned(),
        };
        self.job_runs.get_or_create(&labels).inc();
        if failed {
            self.job_failures.get_or_create(&labels).inc();
        }
    }
}
