//! The listener: accepts connections, caps how many are open (in all and per client), and
//! serves each over HTTP/1 with a timeout on reading a request's head. A client that sends
//! half a request, or opens connections by the thousand, cannot hold the server's sockets
//! nor use up its file descriptors (`[connections]` in the config; docs/operations.md).

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, header};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::config::ConnectionLimits;
use crate::rate_limit::network;

/// Raises the soft limit on open files to the hard limit, so the connection caps, not the
/// kernel, decide when connections are refused. Returns the limit now in force.
pub fn raise_open_files_limit() -> std::io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (for at most the request timeout).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let gate = Gate::new(limits);
    let http = http1(limits);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: give connections a moment to
                    // close instead of spinning on the error.
                    gate.warnings.accept_failed(&e);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(pass) = gate.admit(peer.ip()) else {
            continue; // dropping the stream closes it
        };
        let body_timeout = Duration::from_secs(limits.request_timeout_secs);
        serve_one(
            &http,
            &graceful,
            tcp,
            peer,
            router.clone(),
            pass,
            body_timeout,
        );
    }
    drop(listener);
    let grace = Duration::from_secs(limits.request_timeout_secs);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {grace:?} at shutdown: closed");
    }
}

fn http1(limits: &ConnectionLimits) -> hyper::server::conn::http1::Builder {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_timeout_secs))
        .keep_alive(true);
    http
}

fn serve_one(
    http: &hyper::server::conn::http1::Builder,
    graceful: &GracefulShutdown,
    tcp: TcpStream,
    peer: SocketAddr,
    router: Router,
    pass: Pass,
    body_timeout: Duration,
) {
    // Answers go out as soon as they are written, not held back for the previous one's ACK.
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "TCP_NODELAY refused");
    }
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let (request, read) = Watched::wrap(request, body_timeout);
        let answer = router.clone().oneshot(request);
        async move {
            let mut response = answer.await?;
            if read.is_some_and(|read| !read.load(Ordering::Relaxed)) {
                // The handler answered without reading the whole body (a 401 before a large
                // upload, a body over the limit): the rest is still on the wire, so this
                // connection cannot carry another request. Say so, or the client's next
                // request on it fails.
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok::<_, Infallible>(response)
        }
    });
    let connection = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "connection ended with an error");
        }
        drop(pass);
    });
}

/// A request body that records whether it was read to its end, and that fails with
/// [`BodyTimeout`] when it has waited for the client longer than the request timeout. The
/// timer starts only when the body is not there yet: a body that came with its head (every
/// validation) costs no timer.
struct Watched {
    body: Incoming,
    read: Arc<AtomicBool>,
    timeout: Duration,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The client sent the body too slowly (answered `408 REQUEST_TIMEOUT`).
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within the request timeout")]
pub struct BodyTimeout;

impl Watched {
    /// The request with its body watched, and the flag that tells whether it was read to its
    /// end; None when there is no body to read.
    fn wrap(
        request: hyper::Request<Incoming>,
        timeout: Duration,
    ) -> (hyper::Request<Watched>, Option<Arc<AtomicBool>>) {
        let (parts, body) = request.into_parts();
        let read = Arc::new(AtomicBool::new(body.is_end_stream()));
        let flag = (!body.is_end_stream()).then(|| read.clone());
        let watched = Watched {
            body,
            read,
            timeout,
            deadline: None,
        };
        (hyper::Request::from_parts(parts, watched), flag)
    }
}

impl Body for Watched {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::BoxError>>> {
        let this = &mut *self;
        let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) else {
            let timeout = this.timeout;
            let deadline = this
                .deadline
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
            if deadline.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Some(Err(BodyTimeout.into())));
            }
            return Poll::Pending;
        };
        if frame.is_none() || this.body.is_end_stream() {
            this.read.store(true, Ordering::Relaxed);
        }
        Poll::Ready(frame.map(|f| f.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Connections open per client network.
type OpenPerClient = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// Who may open another connection: a permit from the total and a count per client.
struct Gate {
    total: Arc<Semaphore>,
    per_client: Option<(usize, OpenPerClient)>,
    warnings: Warnings,
}

/// A connection's place under the caps, given back when it is dropped.
struct Pass {
    _permit: OwnedSemaphorePermit,
    client: Option<(IpAddr, OpenPerClient)>,
}

impl Drop for Pass {
    fn drop(&mut self) {
        if let Some((ip, counts)) = &self.client {
            let mut counts = counts.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = counts.get_mut(ip) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(ip);
                }
            }
        }
    }
}

impl Gate {
    fn new(limits: &ConnectionLimits) -> Self {
        let per_client = (limits.max_connections_per_client > 0)
            .then(|| (limits.max_connections_per_client, Arc::default()));
        Gate {
            total: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            per_client,
            warnings: Warnings::default(),
        }
    }

    /// A pass for a connection from `ip`, or None (and a warning) when a cap is reached.
    fn admit(&self, ip: IpAddr) -> Option<Pass> {
        let Ok(permit) = self.total.clone().try_acquire_owned() else {
            self.warnings.refused("max_connections", ip);
            return None;
        };
        let Some((cap, counts)) = &self.per_client else {
            return Some(Pass {
                _permit: permit,
                client: None,
            });
        };
        let client = network(ip);
        let mut open = counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(client).or_default();
        if *n >= *cap {
            drop(open);
            self.warnings.refused("max_connections_per_client", ip);
            return None;
        }
        *n += 1;
        Some(Pass {
            _permit: permit,
            client: Some((client, counts.clone())),
        })
    }
}

/// Warnings at most once every ten seconds, with how many were held back, so a flood of
/// refused connections does not become a flood of log lines.
#[derive(Default)]
struct Warnings {
    last: Mutex<Option<Instant>>,
    held_back: AtomicU64,
}

const WARN_EVERY: Duration = Duration::from_secs(10);

impl Warnings {
    fn due(&self) -> Option<u64> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|at| at.elapsed() < WARN_EVERY) {
            self.held_back.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        *last = Some(Instant::now());
        Some(self.held_back.swap(0, Ordering::Relaxed))
    }

    fn refused(&self, cap: &'static str, ip: IpAddr) {
        metrics::counter!("tessera_connections_refused_total", "cap" => cap).increment(1);
        if let Some(more) = self.due() {
            tracing::warn!(
                client = %ip,
                cap,
                more_refusals_not_logged = more,
                "connection refused: the [connections] {cap} limit is reached"
            );
        }
    }

    fn accept_failed(&self, e: &std::io::Error) {
        if let Some(more) = self.due() {
            tracing::warn!(error = %e, more_not_logged = more, "accepting a connection failed");
        }
    }
}
