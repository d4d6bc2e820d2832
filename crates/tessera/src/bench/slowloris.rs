//! `tessera bench slowloris`: one client holds as many half-sent requests as it can (each
//! connection sends a request head without its end, and is opened again when the server
//! closes it), while another client asks `/healthz` at a steady pace; reports how many
//! connections the server let the slow client hold and how `/healthz` answered meanwhile.
//! The slow client connects from 127.0.0.1, the prober from 127.0.0.2 (both this machine),
//! so the server's per-client cap sees two clients.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use super::{parse_duration, parse_url, resolve};

#[derive(Args)]
pub struct SlowlorisArgs {
    /// The server: http://HOST:PORT on this machine.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Half-sent requests the slow client tries to hold at once.
    #[arg(long, default_value_t = 2000)]
    pub connections: usize,
    /// How long to hold them.
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Time between two `/healthz` probes.
    #[arg(long, default_value = "10ms", value_parser = parse_duration)]
    pub probe_every: Duration,
}

/// What the slow client saw.
#[derive(Default)]
struct Held {
    /// Connections the server holds now: open for over half a second after the half request.
    open: AtomicU64,
    /// The most the server held at once.
    peak: AtomicU64,
    /// Connections the server closed within half a second (over a cap).
    refused: AtomicU64,
    /// Connections the server held and closed later (the header timeout).
    timed_out: AtomicU64,
    /// Connections that could not be opened at all.
    failed: AtomicU64,
}

/// A connection still open this long after its half request is one the server holds.
const HELD_AFTER: Duration = Duration::from_millis(500);

pub async fn run(args: SlowlorisArgs) -> anyhow::Result<()> {
    let (host, port) = parse_url(&args.url)?;
    let addr = resolve(&host, port).await?;
    let held = Arc::new(Held::default());
    let until = Instant::now() + args.duration;
    for _ in 0..args.connections {
        tokio::spawn(hold(addr, held.clone(), until));
    }
    let probes = probe(addr, args.probe_every, until).await;
    let (answered, failed) = (
        probes.iter().filter(|p| p.is_some()).count(),
        probes.iter().filter(|p| p.is_none()).count(),
    );
    let mut latencies: Vec<Duration> = probes.into_iter().flatten().collect();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "slow client: {} connections kept trying; the server held at most {} at once, closed {} \
         at once (over a cap) and {} after holding them (header timeout); {} not opened",
        args.connections,
        held.peak.load(Ordering::Relaxed),
        held.refused.load(Ordering::Relaxed),
        held.timed_out.load(Ordering::Relaxed),
        held.failed.load(Ordering::Relaxed),
    );
    println!(
        "/healthz meanwhile: {answered} answered, {failed} failed; p50 {:.2} ms, p99 {:.2} ms, \
         max {:.2} ms",
        at(0.5),
        at(0.99),
        latencies
            .last()
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0),
    );
    Ok(())
}

/// Keeps one half-sent request open until `until`, opening it again when the server closes it.
async fn hold(addr: SocketAddr, held: Arc<Held>, until: Instant) {
    while Instant::now() < until {
        let Ok(mut tcp) = TcpStream::connect(addr).await else {
            held.failed.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let mut byte = [0u8; 64];
        let written = tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
        let quick = tokio::time::timeout(HELD_AFTER, tcp.read(&mut byte)).await;
        if written.is_err() || quick.is_ok() {
            held.refused.fetch_add(1, Ordering::Relaxed);
            // Not at once again: a real attacker is slowed by its round trips too.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        }
        let open = held.open.fetch_add(1, Ordering::Relaxed) + 1;
        held.peak.fetch_max(open, Ordering::Relaxed);
        let left = until.saturating_duration_since(Instant::now());
        let closed = tokio::time::timeout(left, tcp.read(&mut byte))
            .await
            .is_ok();
        held.open.fetch_sub(1, Ordering::Relaxed);
        if closed {
            held.timed_out.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// `/healthz` from another address every `every` until `until`: each answer's latency, or
/// None for a probe that failed or took over 5 s.
async fn probe(addr: SocketAddr, every: Duration, until: Instant) -> Vec<Option<Duration>> {
    let mut results = Vec::new();
    let mut tick = tokio::time::interval(every);
    while Instant::now() < until {
        tick.tick().await;
        let started = Instant::now();
        let answer = tokio::time::timeout(Duration::from_secs(5), healthz(addr)).await;
        results.push(matches!(answer, Ok(Ok(true))).then(|| started.elapsed()));
    }
    results
}

async fn healthz(addr: SocketAddr) -> std::io::Result<bool> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)), 0))?;
    let mut tcp = socket.connect(addr).await?;
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await?;
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).await?;
    Ok(answer.starts_with(b"HTTP/1.1 200"))
}
