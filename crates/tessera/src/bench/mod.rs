//! `tessera bench …`: load generators that drive a running server over real HTTP, with
//! keep-alive connections, and report throughput and latency percentiles.
//!
//! Each mode is a [`load::RequestSource`] plus a subcommand whose arguments flatten the
//! shared [`LoadArgs`].

pub mod fleet;
pub mod load;
pub mod pages;
pub mod slowloris;
pub mod sync;
pub mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use clap::{Args, Subcommand};

use load::{LoadPlan, Report, RequestSource};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// GET /healthz as fast as the server answers: the cost of the HTTP stack alone.
    Healthz(HealthzArgs),
    /// Set up accounts with activated sites, then POST /api/v1/validations, with /healthz
    /// measured in the same run as the baseline. The server's rate limits must be off.
    Validate(validate::ValidateArgs),
    /// Set up one account with many sites, sign it in once per connection, then load each
    /// web page in turn. The server's rate limits must be off.
    Pages(pages::PagesArgs),
    /// Set up a fleet of 100 000 sites and a year of daily figures (written straight into the
    /// server's database), sign in as an operator once per connection, then load the fleet
    /// dashboard and its charts. The server's rate limits must be off.
    Fleet(fleet::FleetArgs),
    /// Cloud data sync: first syncs and restores of many records through the client
    /// library, then many sites pushing and pulling at once while validations run. The
    /// server's rate limits must be off.
    Sync(sync::SyncArgs),
    /// Hold half-sent requests from 127.0.0.1 while probing /healthz from 127.0.0.2: how many
    /// the server lets one client hold, and how it answers others meanwhile.
    Slowloris(slowloris::SlowlorisArgs),
}

#[derive(Args)]
pub struct HealthzArgs {
    #[command(flatten)]
    pub load: LoadArgs,
}

/// The arguments every bench mode shares.
#[derive(Args, Clone, Debug)]
pub struct LoadArgs {
    /// The server: http://HOST:PORT, HOST a literal IP address or localhost.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Keep-alive connections, each sending its requests one after the other.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub connections: u16,
    /// Length of the measured window (e.g. 10s, 500ms, 2m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Load sent before the measured window and not counted.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub warmup: Duration,
    /// Client threads, each driving its share of the connections (default: one per core).
    /// The client shares the machine with the server; fewer threads leave it more CPU.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Open loop: send this many requests per second in all, on a fixed schedule spread over
    /// the connections, and count a late request's latency from when it was due (as wrk2
    /// does). Without it: closed loop, as fast as the server answers.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: Option<u32>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

impl LoadArgs {
    /// Resolves the URL into the plan of a run.
    pub async fn plan(&self) -> anyhow::Result<LoadPlan> {
        anyhow::ensure!(!self.duration.is_zero(), "--duration must not be zero");
        let (host, port) = parse_url(&self.url)?;
        let addr = resolve(&host, port).await?;
        Ok(LoadPlan {
            addr,
            connections: usize::from(self.connections),
            duration: self.duration,
            warmup: self.warmup,
            threads: self.threads.map(usize::from),
            rate: self.rate.and_then(std::num::NonZeroU32::new),
        })
    }

    /// Runs `source` with these arguments and prints the report, as one line or as JSON.
    pub async fn run_and_print(
        &self,
        label: &str,
        source: Arc<dyn RequestSource>,
    ) -> anyhow::Result<Report> {
        let plan = self.plan().await?;
        let report = load::run(&plan, source).await?;
        if self.json {
            let mut json = report.to_json();
            json["mode"] = label.into();
            json["url"] = self.url.as_str().into();
            json["duration_s"] = self.duration.as_secs_f64().into();
            json["warmup_s"] = self.warmup.as_secs_f64().into();
            json["rate"] = self.rate.into();
            println!("{}", serde_json::to_string_pretty(&json)?);
        } else {
            let label = match self.rate {
                Some(rate) => format!("{label}@{rate}/s"),
                None => label.to_owned(),
            };
            println!("{}", report.line(&label));
        }
        Ok(report)
    }
}

pub fn run(command: BenchCommand) -> anyhow::Result<()> {
    // The sync bench drives the blocking client library and runs its own load phases.
    let command = match command {
        BenchCommand::Sync(args) => return sync::run(args),
        other => other,
    };
    // Set-up is blocking HTTP; it runs before the async runtime exists.
    let mut sessions = None;
    let mut fleet_prepared = None;
    let sites = match &command {
        BenchCommand::Validate(args) => {
            let base = args.load.url.trim_end_matches('/');
            eprintln!("setting up {} activated sites…", args.sites);
            let started = std::time::Instant::now();
            let made = validate::set_up(
                base,
                &args.admin_password,
                args.sites,
                args.sites_per_account,
            )?;
            eprintln!("set up in {:.1} s", started.elapsed().as_secs_f64());
            made.sites
        }
        BenchCommand::Pages(args) => {
            eprintln!(
                "setting up one account with {} activated sites…",
                args.sites
            );
            let started = std::time::Instant::now();
            sessions = Some(pages::set_up(args)?);
            eprintln!("set up in {:.1} s", started.elapsed().as_secs_f64());
            Vec::new()
        }
        BenchCommand::Fleet(args) => {
            eprintln!("creating {} keys and a plan…", args.sites);
            let started = std::time::Instant::now();
            fleet_prepared = Some(fleet::prepare(args)?);
            eprintln!("created in {:.1} s", started.elapsed().as_secs_f64());
            Vec::new()
        }
        BenchCommand::Healthz(_) | BenchCommand::Slowloris(_) | BenchCommand::Sync(_) => Vec::new(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        match command {
            BenchCommand::Slowloris(args) => slowloris::run(args).await?,
            BenchCommand::Sync(_) => unreachable!("run before the runtime"),
            BenchCommand::Pages(args) => {
                let sessions = sessions.context("sessions were set up")?;
                let site = format!("/sites/{}", sessions.site_id);
                let all = pages::PAGES
                    .iter()
                    .map(|(label, path, htmx)| (*label, (*path).to_owned(), *htmx))
                    .chain([("site", site, false)]);
                for (label, path, htmx) in all {
                    let source = pages::source(&path, htmx, &sessions.tokens)?;
                    args.load.run_and_print(label, source).await?;
                }
            }
            BenchCommand::Fleet(args) => {
                let prepared = fleet_prepared.context("the fleet was prepared")?;
                let started = std::time::Instant::now();
                let sites = fleet::seed(&args, &prepared).await?;
                eprintln!(
                    "wrote {sites} sites, {} accounts and {} days of figures in {:.1} s",
                    args.accounts,
                    args.days,
                    started.elapsed().as_secs_f64()
                );
                for (label, path) in fleet::PAGES {
                    let source = fleet::source(path, &prepared.tokens)?;
                    args.load.run_and_print(label, source).await?;
                }
            }
            BenchCommand::Healthz(args) => {
                args.load
                    .run_and_print("healthz", Arc::new(Healthz))
                    .await?;
            }
            BenchCommand::Validate(args) => {
                let baseline = if args.no_baseline {
                    None
                } else {
                    Some(
                        args.load
                            .run_and_print("healthz", Arc::new(Healthz))
                            .await?,
                    )
                };
                let source = validate::sources(&sites, usize::from(args.load.connections));
                let report = args.load.run_and_print("validate", source).await?;
                if let Some(b) = baseline
                    && b.per_second > 0.0
                {
                    println!(
                        "validate / healthz: {:.0}%",
                        100.0 * report.per_second / b.per_second
                    );
                }
            }
        }
        Ok(())
    })
}

/// `GET /healthz`.
struct Healthz;

impl RequestSource for Healthz {
    fn make(&self, _worker: usize, _seq: u64) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = http::Uri::from_static("/healthz");
        request
    }
}

/// Parses `http://HOST[:PORT][/]` into the host (an IP address without brackets, or
/// `localhost`) and the port (80 when absent).
fn parse_url(url: &str) -> anyhow::Result<(String, u16)> {
    let rest = url
        .strip_prefix("http://")
        .with_context(|| format!("{url:?}: only plain http://HOST:PORT URLs are supported"))?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    anyhow::ensure!(
        !authority.contains(['/', '?', '#', '@']),
        "{url:?}: give only http://HOST:PORT, without a path"
    );
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6
            .split_once(']')
            .with_context(|| format!("{url:?}: unclosed '['"))?;
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .with_context(|| format!("{url:?}: expected ':PORT' after ']'"))?,
            ),
        };
        anyhow::ensure!(
            host.parse::<std::net::Ipv6Addr>().is_ok(),
            "{url:?}: {host:?} is not an IPv6 address"
        );
        (host, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        anyhow::ensure!(
            port.is_none_or(|p| !p.contains(':')),
            "{url:?}: write an IPv6 address in brackets: http://[::1]:PORT"
        );
        (host, port)
    };
    anyhow::ensure!(
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok(),
        "{url:?}: the host must be a literal IP address or localhost"
    );
    let port = match port {
        None => 80,
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .with_context(|| format!("{url:?}: {port:?} is not a port"))?,
    };
    Ok((host.to_owned(), port))
}

/// The address of `host`; when a name has several (`localhost`: ::1 and 127.0.0.1), the first
/// one that accepts a connection.
async fn resolve(host: &str, port: u16) -> anyhow::Result<SocketAddr> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .with_context(|| format!("resolving {host}"))?
        .collect();
    anyhow::ensure!(!addrs.is_empty(), "{host} has no address");
    if addrs.len() > 1 {
        for &addr in &addrs {
            let probe = tokio::net::TcpStream::connect(addr);
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(1), probe).await {
                return Ok(addr);
            }
        }
    }
    Ok(addrs[0])
}

/// Parses durations such as `10s`, `500ms`, `2m`, `1.5s`, `1h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("{text:?}: add a unit: ms, s, m or h (e.g. 10s)"))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?}: {number:?} is not a number"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => return Err(format!("{text:?}: unknown unit {other:?} (ms, s, m or h)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration(" 3 s "), Ok(Duration::from_secs(3)));
        for bad in ["", "10", "s", "10x", "1..5s", "-1s", "ms10"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn urls() {
        let ok = |url: &str| parse_url(url).unwrap();
        assert_eq!(ok("http://127.0.0.1:8080"), ("127.0.0.1".into(), 8080));
        assert_eq!(ok("http://127.0.0.1:8080/"), ("127.0.0.1".into(), 8080));
        assert_eq!(ok("http://localhost:3000"), ("localhost".into(), 3000));
        assert_eq!(ok("http://127.0.0.1"), ("127.0.0.1".into(), 80));
        assert_eq!(ok("http://[::1]:9000"), ("::1".into(), 9000));
        assert_eq!(ok("http://[::1]"), ("::1".into(), 80));
        for bad in [
            "https://127.0.0.1:8080",
            "127.0.0.1:8080",
            "http://example.com:80",
            "http://127.0.0.1:8080/healthz",
            "http://127.0.0.1:0",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:",
            "http://::1:8080",
            "http://[::1:8080",
            "http://[::1]8080",
            "http://[nope]:80",
            "http://user@127.0.0.1:80",
        ] {
            assert!(parse_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[tokio::test]
    async fn plans_resolve_localhost() {
        let args = LoadArgs {
            url: "http://localhost:8080".into(),
            connections: 3,
            duration: Duration::from_secs(1),
            warmup: Duration::ZERO,
            threads: Some(1),
            rate: None,
            json: false,
        };
        let plan = args.plan().await.unwrap();
        assert!(plan.addr.ip().is_loopback());
        assert_eq!(plan.addr.port(), 8080);
        assert_eq!(plan.connections, 3);
        assert_eq!(plan.threads, Some(1));
    }

    #[test]
    fn the_command_line_parses() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(subcommand)]
            command: BenchCommand,
        }
        let cli = Cli::try_parse_from([
            "bench",
            "healthz",
            "--url",
            "http://127.0.0.1:1234",
            "--connections",
            "8",
            "--duration",
            "500ms",
            "--json",
        ])
        .unwrap();
        let BenchCommand::Healthz(args) = cli.command else {
            panic!("parsed as another mode");
        };
        assert_eq!(args.load.connections, 8);
        assert_eq!(args.load.duration, Duration::from_millis(500));
        assert_eq!(args.load.warmup, Duration::from_secs(2));
        assert!(args.load.json);
        assert!(Cli::try_parse_from(["bench", "healthz", "--connections", "0"]).is_err());
    }
}
