//! `rotative serve`

use anyhow::Context;
use rotative_web::{AppState, Services};
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
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let public = site.site(&args.site, &format!("http://{address}"));
    let store = site.store.clone();
    let state = AppState::new(Services {
        store: site.store,
        storage: site.storage,
        theme,
        page_size: site.settings.page_size,
        site: public,
    });
    tracing::info!("listening on http://{address}");
    axum::serve(listener, rotative_web::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
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
