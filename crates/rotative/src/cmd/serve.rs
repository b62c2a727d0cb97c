//! `rotative serve`

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use rotative_search::SearchIndex;
use rotative_web::{AppState, Services, UploadLimits, VariantQueue};
use tokio::net::TcpListener;

use crate::{cli::ServeArgs, demo, site::OpenSite};

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(&args.site).await?;
    let theme = OpenSite::theme(args.theme.as_deref())?;
    if !args.no_demo {
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
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let public = site.site(&args.site, &format!("http://{address}"));
    let store = site.store.clone();
    let public = rotative_web::with_stored_settings(&site.store, public).await?;
    let emblem = rotative_media::illustration::emblem(rotative_render::EMBLEM_SIZE)?;
    let state = AppState::new(Services {
        emblem,
        search,
        store: site.store,
        storage: site.storage,
        upload_limits: UploadLimits {
            max_bytes: args.max_upload_mb.saturating_mul(1024 * 1024),
            ..UploadLimits::default()
        },
        variants: VariantQueue::default(),
        theme,
        configured_site: public,
    });
    let scheduler = tokio::spawn(publish_scheduled(state.clone()));
    let indexer = tokio::spawn(follow_changes(state.clone()));
    let resizer = tokio::spawn(make_variants(state.clone()));
    tracing::info!("listening on http://{address}");
    let app = rotative_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    scheduler.abort();
    indexer.abort();
    resizer.abort();
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Publishes scheduled stories when their time comes, checking every second, starting with any
/// that fell due while the server was down.
async fn publish_scheduled(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = rotative_web::publish_due(&state).await {
            tracing::error!(?error, "scheduled publishing failed; retrying");
        }
    }
}

/// Keeps the search index up to date with the change log: a story published, edited or
/// unpublished by any process is found (or no longer found) within a second or two.
async fn follow_changes(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = state.search.catch_up(&state.store).await {
            tracing::error!(?error, "search indexing failed; retrying");
        }
    }
}

/// Makes the resized copies of new images: at start (images imported while the server was
/// down), after each upload, and every minute for anything a failure left behind.
async fn make_variants(state: AppState) {
    loop {
        match rotative_web::make_pending_variants(&state).await {
            Ok(0) => {}
            Ok(made) => tracing::info!(images = made, "resized copies made"),
            Err(error) => tracing::error!(?error, "making resized copies failed; retrying"),
        }
        let _ = tokio::time::timeout(Duration::from_mins(1), state.variants.wanted()).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
