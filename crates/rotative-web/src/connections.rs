//! Accepting connections. Like `axum::serve`, with the limits a public server needs against
//! clients that hold connections open or send too much: a deadline for the request's head (which
//! also closes idle kept-alive connections), a cap on its size, a deadline for clients that stop
//! reading, a cap on open connections with room kept for health probes, and a drain on shutdown
//! that ends within a grace period.

use std::{
    convert::Infallible,
    future::Future,
    io,
    net::SocketAddr,
    pin::pin,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode, header},
    response::{IntoResponse, Response},
};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    net::{TcpListener, TcpSocket},
    sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch},
    task::JoinSet,
};
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;

/// How long a client has to send its request line and headers. A slow client (one byte every
/// few seconds, as in a slow-loris attack) is disconnected then, whatever it has sent.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head (request line and headers) read: beyond it the answer is `431`.
/// Browsers send a few kilobytes; the largest cookie jars stay well under this.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most headers read in one request; beyond it the answer is `431` too.
pub const MAX_HEADERS: usize = 100;

/// How long an answer may wait for a client that reads nothing: a client that stops reading
/// (as in a slow-read attack) is disconnected then, so it cannot hold a connection for ever.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections beyond the cap that may still ask `/healthz` or `/readyz`: a saturated instance
/// tells its load balancer so instead of looking dead.
const HEALTH_RESERVE: usize = 16;
/// File descriptors kept for the database, the search index and logs, outside the connections'
/// share.
const FILES_KEPT: u64 = 64;
/// Connections a listening socket queues before they are accepted, as Tokio's `bind` sets.
const BACKLOG: u32 = 1024;
/// Most one line a while about connections refused at the cap, however many there are.
const REFUSAL_LOG_EVERY: Duration = Duration::from_secs(10);

/// How many connections an instance holds open, and how long it lets them finish at shutdown.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections answered at once; more wait in the kernel's queue or, beyond the health
    /// reserve, are closed at once.
    pub max_connections: usize,
    /// After a stop signal, how long answers in flight have to finish before they are cut.
    pub shutdown_grace: Duration,
    /// How long an answer waits on a client that reads nothing ([`WRITE_TIMEOUT`]).
    pub write_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            shutdown_grace: Duration::from_secs(10),
            write_timeout: WRITE_TIMEOUT,
        }
    }
}

impl ConnectionLimits {
    /// The cap lowered, if need be, to what the open-file limit allows: each connection may hold
    /// two descriptors (its socket and a media file it streams). The soft limit is raised to the
    /// hard one first, as servers do.
    #[must_use]
    pub fn within_open_file_limit(self) -> Self {
        let files = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(u64::MAX);
        let room = files.saturating_sub(FILES_KEPT) / 2;
        let room = usize::try_from(room)
            .unwrap_or(usize::MAX)
            .saturating_sub(HEALTH_RESERVE)
            .max(1);
        Self {
            max_connections: self.max_connections.min(room),
            ..self
        }
    }
}

/// Sockets listening on `address`, `count` of them sharing its port (`SO_REUSEPORT`): the
/// kernel spreads new connections among them. Port 0 picks one free port for all. Called
/// inside a Tokio runtime.
///
/// # Errors
/// The address cannot be listened on (in use, not this machine's, not allowed).
pub fn bind_shared(address: SocketAddr, count: usize) -> io::Result<Vec<std::net::TcpListener>> {
    // A port shared this way could also be shared with another instance started on it by
    // mistake, which would take half its readers: a plain socket is refused where one listens.
    if address.port() != 0 {
        drop(std::net::TcpListener::bind(address)?);
    }
    let mut address = address;
    let mut listeners = Vec::with_capacity(count.max(1));
    for _ in 0..count.max(1) {
        let socket = if address.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        socket.set_reuseport(true)?;
        socket.bind(address)?;
        // Listening goes through Tokio (inside its runtime), then the socket is handed back to
        // be given to the thread that will accept on it.
        let listener = socket.listen(BACKLOG)?.into_std()?;
        address = listener.local_addr()?;
        listeners.push(listener);
    }
    Ok(listeners)
}

/// Answers on each of `listeners` from a thread of its own, with a single-threaded runtime, as
/// nginx's workers do: a connection is accepted, read, answered and written by one thread,
/// without waking another (with one shared runtime, half the time of a cached page went to
/// threads waking each other). The connection cap is shared by all. Returns once `shutdown`
/// has resolved and every thread has drained its connections; the threads stay until the
/// returned [`AnswerThreads`] is dropped, because database connections opened while answering
/// belong to their runtime. Connections still open at shutdown finish the answer they are
/// giving and close, within the grace period. Each request carries the client's address
/// (`ConnectInfo`). A failed accept (out of file descriptors, say) is logged and retried.
///
/// # Errors
/// A thread or its runtime cannot be started.
pub async fn serve_on_threads(
    listeners: Vec<std::net::TcpListener>,
    app: Router,
    shutdown: impl Future<Output = ()>,
    limits: ConnectionLimits,
) -> io::Result<AnswerThreads> {
    let places = Places::new(limits.max_connections);
    let (stop, stopping) = watch::channel(false);
    let (release, released) = watch::channel(false);
    let mut threads = Vec::with_capacity(listeners.len());
    let mut drained = Vec::with_capacity(listeners.len());
    for (n, listener) in listeners.into_iter().enumerate() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let (done, finished) = oneshot::channel::<()>();
        let (app, places) = (app.clone(), places.clone());
        let (mut stopping, mut released) = (stopping.clone(), released.clone());
        let thread = std::thread::Builder::new()
            .name(format!("answers-{n}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let stopped = async move {
                        let _ = stopping.wait_for(|stop| *stop).await;
                    };
                    accept(listener, app, stopped, limits, places).await;
                    let _ = done.send(());
                    let _ = released.wait_for(|release| *release).await;
                });
                // Work still running on this runtime's blocking pool does not hold the
                // process up.
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        threads.push(thread);
        drained.push(finished);
    }
    // Should this future be dropped before the end (a test's runtime ending), dropping these
    // stops the threads too.
    let threads = AnswerThreads {
        stop,
        release,
        threads,
    };
    shutdown.await;
    threads.stop.send_replace(true);
    for finished in drained {
        let _ = finished.await;
    }
    Ok(threads)
}

/// The threads that answered connections, kept after they stopped accepting: the database
/// connections they opened are driven by their runtimes until this is dropped.
pub struct AnswerThreads {
    stop: watch::Sender<bool>,
    release: watch::Sender<bool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for AnswerThreads {
    fn drop(&mut self) {
        self.stop.send_replace(true);
        self.release.send_replace(true);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The places for connections, shared by every accept loop of an instance.
#[derive(Clone)]
struct Places {
    regular: Arc<Semaphore>,
    reserve: Arc<Semaphore>,
}

impl Places {
    fn new(max_connections: usize) -> Self {
        Self {
            regular: Arc::new(Semaphore::new(max_connections)),
            reserve: Arc::new(Semaphore::new(HEALTH_RESERVE)),
        }
    }
}

async fn accept(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    limits: ConnectionLimits,
    places: Places,
) {
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    let mut refusals = Refusals::default();
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    refusals.accept_failed(&error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let admission = if let Ok(place) = Arc::clone(&places.regular).try_acquire_owned() {
            Admission {
                _place: place,
                health_only: false,
            }
        } else {
            refusals.over_cap(limits.max_connections);
            match Arc::clone(&places.reserve).try_acquire_owned() {
                Ok(place) => Admission {
                    _place: place,
                    health_only: true,
                },
                Err(_) => continue,
            }
        };
        // Small answers go out at once rather than waiting for more to fill a packet.
        let _ = stream.set_nodelay(true);
        connections.spawn(answer(
            stream,
            client,
            app.clone(),
            admission,
            limits.write_timeout,
            stopping.clone(),
        ));
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    drop(stopping);
    stop.send_replace(());
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "answers still in flight after the grace period: cut"
        );
        connections.shutdown().await;
    }
}

/// A connection's place, held while it is open, and what it may ask.
struct Admission {
    _place: OwnedSemaphorePermit,
    /// Over the cap: health probes are answered, anything else gets `503`.
    health_only: bool,
}

/// Counts connections refused or failing to be accepted, and says so in the log now and then
/// rather than once each.
#[derive(Default)]
struct Refusals {
    over_cap: u64,
    failed: u64,
    said: Option<Instant>,
}

impl Refusals {
    fn over_cap(&mut self, cap: usize) {
        self.over_cap += 1;
        if self.due() {
            tracing::warn!(
                cap,
                refused = self.over_cap,
                "connection cap reached: connections over it get health probes only"
            );
            self.over_cap = 0;
        }
    }

    fn accept_failed(&mut self, error: &std::io::Error) {
        self.failed += 1;
        if self.due() {
            tracing::warn!(%error, failures = self.failed, "cannot accept connections");
            self.failed = 0;
        }
    }

    fn due(&mut self) -> bool {
        let now = Instant::now();
        let due = self
            .said
            .is_none_or(|said| now.duration_since(said) >= REFUSAL_LOG_EVERY);
        if due {
            self.said = Some(now);
        }
        due
    }
}

fn is_health_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz")
}

/// Serves one connection until the client closes it, or until shutdown once its answer is out.
async fn answer(
    stream: tokio::net::TcpStream,
    client: SocketAddr,
    app: Router,
    admission: Admission,
    write_timeout: Duration,
    mut stopping: watch::Receiver<()>,
) {
    let health_only = admission.health_only;
    let service = tower::service_fn(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(client));
        let app = app.clone();
        async move {
            if health_only && !is_health_probe(request.uri().path()) {
                return Ok::<_, Infallible>(over_capacity());
            }
            app.oneshot(request).await
        }
    });
    let service = TowerToHyperService::new(service);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .keep_alive(!health_only);
    let mut stream = TimeoutStream::new(stream);
    stream.set_write_timeout(Some(write_timeout));
    let io = TokioIo::new(Box::pin(stream));
    let mut connection = pin!(builder.serve_connection(io, service));
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, %client, "connection ended");
            }
            drop(admission);
            return;
        }
        _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
    }
    if let Err(error) = connection.await {
        tracing::debug!(%error, %client, "connection ended while stopping");
    }
    drop(admission);
}

/// The answer to a request on a connection over the cap.
fn over_capacity() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "5"),
            (header::CONNECTION, "close"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        crate::messages::TOO_MANY_VISITORS,
    )
        .into_response()
}
