//! `rotative serve`

use std::{
    collections::hash_map::RandomState,
    hash::{BuildHasher, Hasher},
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use rotative_mail::Postman;
use rotative_search::SearchIndex;
use rotative_web::webhooks::DeliveryPolicy;
use rotative_web::{AppError, AppSettings, AppState, ConnectionLimits, UploadLimits};
use tokio::net::TcpListener;

use crate::{cli::ServeArgs, demo, site::OpenSite};

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(&args.site).await?;
    let theme = OpenSite::theme(args.theme.as_deref())?;
    if args.wants_demo() {
        demo::load_if_new(&site, &theme)
            .await
            .context("cannot load demo content")?;
    }
    let search = SearchIndex::open(&args.site.data.join("search-index"))
        .context("cannot open the search index")?;
    let caught_up = search
        .catch_up(&site.store)
        .await
        .context("cannot update the search index")?;
    tracing::info!(changes = caught_up, "search index up to date");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let listeners = rotative_web::bind_shared(args.listen, threads)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listeners[0].local_addr()?;
    let public = site.site(&args.site, &format!("http://{address}"));
    let postman = postman(&args, &public)?;
    if postman.writes_files() {
        tracing::warn!(
            folder = %postman.destination(),
            "no --smtp: letters are written as files there, and their links logged"
        );
    }
    let store = site.store.clone();
    let state = AppState::build(AppSettings {
        theme,
        upload_limits: UploadLimits {
            max_bytes: args.max_upload_mb.saturating_mul(1024 * 1024),
            ..UploadLimits::default()
        },
        page_cache_bytes: args.page_cache_mb.saturating_mul(1024 * 1024),
        trusted_proxies: args.trusted_proxy.clone(),
        api_rate_limit: rotative_web::RateLimit {
            per_minute: args.api_requests_per_minute,
            burst: args.api_burst,
        },
        ..AppSettings::new(site.store, site.storage, public, search)
    })
    .await
    .context("cannot start the site")?;
    let instance: Arc<str> = instance_name().into();
    tracing::info!(%instance, "instance started");
    let jobs = spawn_jobs(&state, &instance, postman, &args)?;
    let metrics = match args.metrics_listen {
        Some(at) => Some(serve_metrics(at, &state).await?),
        None => None,
    };
    let shutdown = shutdown_signal();
    tracing::info!("listening on http://{address}");
    let limits = ConnectionLimits {
        max_connections: args.max_connections,
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        ..ConnectionLimits::default()
    }
    .within_open_file_limit();
    tracing::info!(
        max_connections = limits.max_connections,
        threads,
        "connection cap"
    );
    let answer_threads = rotative_web::serve_on_threads(
        listeners,
        rotative_web::router(state.clone()),
        shutdown,
        limits,
    )
    .await
    .context("cannot start the threads that answer")?;
    for job in jobs {
        job.abort();
    }
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    hand_over(&state, &store, &instance).await;
    // Joining the threads waits for their runtimes to end: not on a thread that runs tasks.
    let _ = tokio::task::spawn_blocking(move || drop(answer_threads)).await;
    tracing::info!("stopped");
    Ok(())
}

/// Starts the background jobs: scheduled publishing, notification letters, search indexing,
/// image variants, mail, webhooks and redirect counts.
fn spawn_jobs(
    state: &AppState,
    instance: &Arc<str>,
    postman: Postman,
    args: &ServeArgs,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let deliverer = rotative_web::webhooks::Deliverer::new(DeliveryPolicy {
        retry_delays: args
            .webhook_retry_seconds
            .iter()
            .copied()
            .map(Duration::from_secs)
            .collect(),
        allow_internal: args.webhook_allow_internal,
        ..DeliveryPolicy::default()
    })?;
    Ok(vec![
        tokio::spawn(publish_scheduled(state.clone(), instance.clone())),
        tokio::spawn(mail_notifications(state.clone(), instance.clone())),
        tokio::spawn(follow_changes(state.clone())),
        tokio::spawn(make_variants(state.clone(), instance.clone())),
        tokio::spawn(send_mail(
            state.clone(),
            postman,
            args.mail_retry_seconds.clone(),
        )),
        tokio::spawn(send_webhooks(state.clone(), deliverer)),
        tokio::spawn(count_redirects(state.clone())),
    ])
}

/// Answers Prometheus at `at`, apart from the public address.
async fn serve_metrics(
    at: std::net::SocketAddr,
    state: &AppState,
) -> anyhow::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let listener = TcpListener::bind(at)
        .await
        .with_context(|| format!("cannot listen on {at} for metrics"))?;
    tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
    let app = rotative_web::metrics_router(state.clone());
    Ok(tokio::spawn(
        async move { axum::serve(listener, app).await },
    ))
}

/// What an instance leaves behind as it stops: the last counts of followed redirects, and its
/// jobs, which another instance takes over at once rather than when the leases run out.
async fn hand_over(state: &AppState, store: &rotative_store::Store, instance: &str) {
    if let Err(error) = state.flush_redirect_hits().await {
        tracing::warn!(
            ?error,
            "cannot keep the last minute's count of followed redirects"
        );
    }
    for job in [SCHEDULER_JOB, NOTIFICATIONS_JOB, VARIANTS_JOB] {
        if let Err(error) = store.release_lease(job, instance).await {
            tracing::warn!(?error, job, "cannot release the job's lease");
        }
    }
    store.close().await;
}

/// Background jobs that several instances sharing a database must not run side by side: each
/// runs on the instance holding its lease, renewed as it works.
const SCHEDULER_JOB: &str = "publish-scheduled";
const NOTIFICATIONS_JOB: &str = "notification-letters";
const VARIANTS_JOB: &str = "media-variants";
/// How long a lease outlives its last renewal: the delay before another instance takes over
/// the job of one that died.
const SCHEDULER_LEASE_SECONDS: i64 = 10;
const VARIANTS_LEASE_SECONDS: i64 = 180;

/// A name for this process among the instances sharing a database: its host, its process id
/// and a random part, since process ids repeat across machines and restarts.
fn instance_name() -> String {
    let random = RandomState::new().build_hasher().finish();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "rotative".into());
    format!("{host}-{}-{random:016x}", std::process::id())
}

/// Publishes scheduled stories when their time comes, and takes off the front page the stories
/// whose time to leave it has come, checking every second, starting with any that fell due
/// while the server was down; on the one instance holding the job's lease.
async fn publish_scheduled(state: AppState, instance: Arc<str>) {
    every_second_leased(
        &state,
        &instance,
        SCHEDULER_JOB,
        "scheduled publishing failed; retrying",
        |state| async move {
            let time_zone = state.site().time_zone.clone();
            // Each job runs even when the other fails.
            let published = state.newsroom().publish_due(&time_zone).await;
            let left = state.newsroom().leave_front_page_due().await;
            Ok(published?.saturating_add(usize::try_from(left?).unwrap_or(usize::MAX)))
        },
    )
    .await;
}

/// Words the letters of new notifications (and each morning the daily digests) into the
/// outbox, every second, on the one instance holding the job's lease.
async fn mail_notifications(state: AppState, instance: Arc<str>) {
    every_second_leased(
        &state,
        &instance,
        NOTIFICATIONS_JOB,
        "notification letters failed; retrying",
        |state| async move {
            let site = state.site();
            let round = state
                .newsroom()
                .mail_notifications(&site, jiff::Timestamp::now())
                .await?;
            Ok(round.letters)
        },
    )
    .await;
}

/// Runs `round` every second on the instance holding `job`'s lease (`SCHEDULER_LEASE_SECONDS`),
/// logging `failed` when a round fails.
async fn every_second_leased<F>(
    state: &AppState,
    instance: &str,
    job: &str,
    failed: &str,
    round: impl Fn(AppState) -> F,
) where
    F: Future<Output = Result<usize, AppError>>,
{
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let done = leased_round(state, instance, (job, SCHEDULER_LEASE_SECONDS), || {
            round(state.clone())
        })
        .await;
        if let Err(error) = done {
            tracing::error!(?error, "{failed}");
        }
    }
}

/// Runs one round of a background job if this instance holds its lease (taking or renewing
/// it), and counts it; does nothing (0) while another instance holds it.
async fn leased_round<F>(
    state: &AppState,
    instance: &str,
    (job, lease_seconds): (&str, i64),
    round: impl FnOnce() -> F,
) -> Result<usize, AppError>
where
    F: Future<Output = Result<usize, AppError>>,
{
    if !state.store.take_lease(job, instance, lease_seconds).await? {
        return Ok(0);
    }
    let done = round().await;
    state.metrics().job_ran(job, done.is_err());
    done
}

/// Sends the webhooks that are due, every second. Every instance takes part: each delivery is
/// claimed by one of them before it is sent.
async fn send_webhooks(state: AppState, deliverer: rotative_web::webhooks::Deliverer) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let round = deliverer.deliver_due(&state).await;
        state.metrics().job_ran("webhooks", round.is_err());
        if let Err(error) = round {
            tracing::error!(?error, "webhook deliveries failed; retrying");
        }
    }
}

/// Who hands letters over: the SMTP server `--smtp` names, or `.eml` files under DATA/outbox/;
/// signed with DKIM when `--dkim-key` is given.
fn postman(args: &ServeArgs, site: &rotative_render::Site) -> anyhow::Result<Postman> {
    let from = args
        .mail_from
        .clone()
        .unwrap_or_else(|| Postman::default_sender(&site.base_url));
    let postman = match &args.smtp {
        Some(url) => Postman::smtp(url, &from, &site.name).context("--smtp")?,
        None => Postman::files(args.site.data.join("outbox"), &from, &site.name)
            .context("--mail-from")?,
    };
    let Some(key_file) = &args.dkim_key else {
        return Ok(postman);
    };
    let key = std::fs::read_to_string(key_file)
        .with_context(|| format!("--dkim-key: cannot read {}", key_file.display()))?;
    postman
        .signing_with(&key, &args.dkim_selector)
        .context("--dkim-key")
}

/// Hands the outbox's letters over, every second. Every instance takes part: each letter is
/// claimed by one of them before it is sent.
async fn send_mail(state: AppState, postman: Postman, waits: Vec<u64>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let round = state.newsroom().send_due_letters(&postman, &waits).await;
        state.metrics().job_ran("mail", round.is_err());
        if let Err(error) = round {
            tracing::error!(?error, "sending letters failed; retrying");
        }
    }
}

/// Adds the redirects this instance followed to the store's counts, every minute.
async fn count_redirects(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_mins(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let flushed = state.flush_redirect_hits().await;
        state.metrics().job_ran("redirect-counts", flushed.is_err());
        if let Err(error) = flushed {
            tracing::error!(
                ?error,
                "cannot add the counts of followed redirects; retrying"
            );
        }
    }
}

/// Keeps the page cache and the search index up to date with the change log: a story
/// published, edited or unpublished by any process is shown (or no longer shown, or found) within
/// a second. On PostgreSQL the
/// change log's notifications wake it at once; the poll every second is the fallback.
async fn follow_changes(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut listener = state
        .store
        .listen_for_changes()
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(?error, "cannot listen for changes; polling every second");
            None
        });
    loop {
        match &mut listener {
            Some(changes) => {
                tokio::select! {
                    _ = tick.tick() => {}
                    heard = changes.changed() => {
                        if let Err(error) = heard {
                            tracing::warn!(?error, "stopped listening for changes; polling");
                            listener = None;
                        }
                    }
                }
            }
            None => {
                tick.tick().await;
            }
        }
        let cached = state.follow_changes().await;
        state.metrics().job_ran("page-cache", cached.is_err());
        if let Err(error) = cached {
            tracing::error!(?error, "page cache could not follow changes; retrying");
        }
        let round = state.search.catch_up(&state.store).await;
        state.metrics().job_ran("search-index", round.is_err());
        if let Err(error) = round {
            tracing::error!(?error, "search indexing failed; retrying");
        }
    }
}

/// Makes the resized copies of new images: at start (images imported while the server was
/// down), after each upload, and every minute for anything a failure left behind; on the one
/// instance holding the job's lease (pages ask for a missing copy on demand meanwhile).
async fn make_variants(state: AppState, instance: Arc<str>) {
    loop {
        let round = leased_round(
            &state,
            &instance,
            (VARIANTS_JOB, VARIANTS_LEASE_SECONDS),
            || rotative_web::make_pending_variants(&state),
        )
        .await;
        match round {
            Ok(0) => {}
            Ok(made) => tracing::info!(images = made, "resized copies made"),
            Err(error) => tracing::error!(?error, "making resized copies failed; retrying"),
        }
        let _ = tokio::time::timeout(Duration::from_mins(1), state.variants.wanted()).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
/// The signals are taken over when this is called, not when the future is first polled: a
/// SIGTERM that arrives just after "listening on" is logged still stops the server cleanly.
fn shutdown_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let watched = [SignalKind::interrupt(), SignalKind::terminate()].map(|kind| {
        signal(kind)
            .inspect_err(|error| tracing::error!(%error, ?kind, "cannot listen for the signal"))
            .ok()
    });
    async move {
        let [interrupt, terminate] = watched.map(|signal| async move {
            match signal {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        });
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
