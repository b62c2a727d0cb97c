//! Accepting connections. Like `axum::serve`, with the limits a public server needs against
//! clients that hold connections open or send too much: a deadline for the request's head, a
//! cap on its size, and a drain on shutdown.

use std::{convert::Infallible, future::Future, net::SocketAddr, pin::pin, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch, task::JoinSet};
use tower::ServiceExt;

/// How long a client has to send its request line and headers. A slow client (one byte every
/// few seconds, as in a slow-loris attack) is disconnected then, whatever it has sent.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head (request line and headers) read: beyond it the answer is `431`.
/// Browsers send a few kilobytes; the largest cookie jars stay well under this.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most headers read in one request; beyond it the answer is `431` too.
pub const MAX_HEADERS: usize = 100;

/// Answers on `listener` with `app` until `shutdown` resolves; connections then finish the
/// answer they are giving and close. Each request carries the client's address (`ConnectInfo`).
/// A failed accept (out of file descriptors, say) is logged and retried.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once rather than waiting for more to fill a packet.
        let _ = stream.set_nodelay(true);
        connections.spawn(answer(stream, client, app.clone(), stopping.clone()));
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    drop(stopping);
    stop.send_replace(());
    while connections.join_next().await.is_some() {}
}

/// Serves one connection until the client closes it, or until shutdown once its answer is out.
async fn answer(
    stream: tokio::net::TcpStream,
    client: SocketAddr,
    app: Router,
    mut stopping: watch::Receiver<()>,
) {
    let service = app.map_request(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(client));
        request
    });
    let service = TowerToHyperService::new(service.map_err(|never: Infallible| match never {}));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS);
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, %client, "connection ended");
            }
            return;
        }
        _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
    }
    if let Err(error) = connection.await {
        tracing::debug!(%error, %client, "connection ended while stopping");
    }
}
