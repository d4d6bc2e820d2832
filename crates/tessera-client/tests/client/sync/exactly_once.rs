//! Exactly once in effect: changes recorded by a program killed (SIGKILL) before it sent
//! them, or after it sent them but before it took the answer, are sent by the next process
//! and land once; a resend after a lost answer is the same batch and changes nothing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tessera_client::{ClientConfig, MachineId, ServerList};

use super::*;

/// A TCP relay in front of the server that, while `lose` is set, lets each request through
/// and drops its answer as it starts: the server did the work, the client never hears.
pub struct LossyProxy {
    pub url: String,
    lose: Arc<AtomicBool>,
    lost: Arc<AtomicUsize>,
}

impl LossyProxy {
    pub fn start(target: &str) -> LossyProxy {
        let target = target.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let lose = Arc::new(AtomicBool::new(true));
        let lost = Arc::new(AtomicUsize::new(0));
        let (l, n) = (lose.clone(), lost.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().map_while(Result::ok) {
                let (target, l, n) = (target.clone(), l.clone(), n.clone());
                std::thread::spawn(move || relay(client, &target, &l, &n));
            }
        });
        LossyProxy { url, lose, lost }
    }

    pub fn lose_answers(&self, on: bool) {
        self.lose.store(on, Ordering::SeqCst);
    }

    pub fn lost(&self) -> usize {
        self.lost.load(Ordering::SeqCst)
    }
}

fn relay(client: TcpStream, target: &str, lose: &AtomicBool, lost: &AtomicUsize) {
    let Ok(server) = TcpStream::connect(target) else {
        return;
    };
    let (mut from_client, mut to_server) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let (mut from_server, mut to_client) = (server, client);
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = match from_server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if lose.load(Ordering::SeqCst) {
            lost.fetch_add(1, Ordering::SeqCst);
            let _ = to_client.shutdown(Shutdown::Both);
            let _ = from_server.shutdown(Shutdown::Both);
            return;
        }
        if to_client.write_all(&buf[..n]).is_err() {
            break;
        }
    }
}

/// A first-synced site 0 (and a connected site 1 to look at the cloud's data).
fn world(backend: Backend) -> Option<CloudWorld> {
    let w = CloudWorld::start(backend, 2)?;
    w.connect(0);
    w.connect(1);
    w.sites[0].client.first_sync(&mut Host::default()).unwrap();
    w.sites[1].client.first_sync(&mut Host::default()).unwrap();
    Some(w)
}

fn a_resend_after_a_lost_answer_changes_nothing(backend: Backend) {
    let Some(mut w) = world(backend) else {
        return;
    };
    let proxy = LossyProxy::start(&w.server.base);
    let mut cfg = w.sites[0].machine.config(&[&proxy.url], &w.trust);
    cfg.sync.batch_changes = 50;
    let through_proxy = Client::open(cfg).unwrap();
    w.sites[0].client = through_proxy;
    let a = &w.sites[0].client;
    a.record_all(&fuel_records("lost", 120)).unwrap();

    let e = a.push(&mut Host::default()).unwrap_err();
    assert!(
        matches!(e.code(), "SERVER_UNREACHABLE" | "SERVER_BAD_RESPONSE"),
        "{e:?}"
    );
    assert_eq!(proxy.lost(), 1);
    assert_eq!(a.outbox_pending().unwrap(), 120, "nothing left the outbox");
    assert_eq!(
        w.latest_version(1),
        50,
        "the server applied the first batch"
    );

    proxy.lose_answers(false);
    let mut host = Host::default();
    let report = a.push(&mut host).unwrap();
    assert_eq!(report.batches, 3);
    assert_eq!(
        report.replayed, 1,
        "the first batch again, same id: its kept answer"
    );
    assert_eq!(report.applied, 120);
    assert_eq!(host.pushed.len(), 120);
    assert_eq!(w.latest_version(1), 120, "each change once");
    let mut b = Host::default();
    assert_eq!(w.sites[1].client.pull(&mut b).unwrap().records, 90);
}

#[test]
fn a_resend_after_a_lost_answer_changes_nothing_on_sqlite() {
    a_resend_after_a_lost_answer_changes_nothing(Backend::Sqlite);
}

#[test]
fn a_resend_after_a_lost_answer_changes_nothing_on_postgres() {
    a_resend_after_a_lost_answer_changes_nothing(Backend::Postgres);
}

const CHILD: &str = "sync::exactly_once::host_program";

/// Runs [`host_program`] in a child process (this test binary again) and kills it with
/// SIGKILL once it printed `wait_for`.
fn run_and_kill(w: &CloudWorld, server: &str, keys: &std::path::Path, mode: &str, wait_for: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            CHILD,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TESSERA_HOST_MODE", mode)
        .env("TESSERA_HOST_STATE", w.sites[0].machine.state_path())
        .env("TESSERA_HOST_MACHINE", &w.sites[0].machine.machine_id)
        .env("TESSERA_HOST_SERVER", server)
        .env("TESSERA_HOST_KEYS", keys)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap());
    let seen = lines
        .lines()
        .map_while(Result::ok)
        .any(|l| l.ends_with(wait_for));
    child.kill().unwrap(); // SIGKILL, and never left running if it did not get there
    let status = child.wait().unwrap();
    assert!(seen, "the host program never printed {wait_for:?}");
    assert_eq!(status.signal(), Some(9), "{status:?}");
}

fn changes_of_a_killed_program_land_once(backend: Backend) {
    let Some(mut w) = world(backend) else {
        return;
    };
    let keys = w.sites[0].machine.dir.path().join("public-keys.json");
    let published = w
        .server
        .block_on(w.server.api().anonymous().get_text("/api/v1/public-keys"))
        .unwrap();
    std::fs::write(&keys, published).unwrap();
    // This process lets go of site 0's outbox: the program is another process now.
    w.reopen(0);
    let before = w.latest_version(1);

    // Killed after recording, before sending.
    run_and_kill(&w, &w.server.base, &keys, "record", "recorded 150");
    // Killed after its first batch reached the cloud, before it took the answer.
    let proxy = LossyProxy::start(&w.server.base);
    run_and_kill(&w, &proxy.url, &keys, "record-and-push", "answer lost");
    assert_eq!(proxy.lost(), 1);
    assert_eq!(
        w.latest_version(1),
        before + 150,
        "the first batch of the second run"
    );

    // The next run of the program sends what the killed ones left.
    w.reopen(0);
    let a = &w.sites[0].client;
    assert_eq!(a.outbox_pending().unwrap(), 300);
    let report = a.push(&mut Host::default()).unwrap();
    assert_eq!(report.replayed, 1);
    assert_eq!(report.applied, 300);
    assert_eq!(w.latest_version(1), before + 300, "each change once");
    let mut b = Host::default();
    w.sites[1].client.pull(&mut b).unwrap();
    for tag in ["k1", "k2"] {
        let of_run = b
            .records
            .keys()
            .filter(|(_, id)| id.starts_with(tag))
            .count();
        assert_eq!(of_run, 113, "{tag}: 150 records, 113 of them the account's");
    }
}

#[test]
fn changes_of_a_killed_program_land_once_on_sqlite() {
    changes_of_a_killed_program_land_once(Backend::Sqlite);
}

#[test]
fn changes_of_a_killed_program_land_once_on_postgres() {
    changes_of_a_killed_program_land_once(Backend::Postgres);
}

/// The host program of `changes_of_a_killed_program_land_once`, run as a child process:
/// it records 150 changes one by one (each on disk when `record` returns), and with
/// `record-and-push` pushes them through a proxy that loses the answer; then it waits to be
/// killed.
#[test]
#[ignore = "the child process of changes_of_a_killed_program_land_once"]
fn host_program() {
    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set"));
    let mode = env("TESSERA_HOST_MODE");
    let keys = std::fs::read_to_string(env("TESSERA_HOST_KEYS")).unwrap();
    let mut cfg = ClientConfig::new(
        ServerList::new([env("TESSERA_HOST_SERVER")]).unwrap(),
        TrustStore::from_published_json(&keys).unwrap(),
        SALT,
        env("TESSERA_HOST_STATE"),
    );
    cfg.machine_id = MachineId::Explicit(env("TESSERA_HOST_MACHINE"));
    // The server's clock is the tests' start time.
    cfg.clock = std::sync::Arc::new(tessera_client::ManualClock::new(start_time()));
    cfg.sync.batch_changes = 150;
    let client = Client::open(cfg).unwrap();
    let tag = if mode == "record" { "k1" } else { "k2" };
    for change in fuel_records(tag, 150) {
        client.record(change).unwrap();
    }
    println!("recorded 150");
    if mode == "record-and-push" {
        let e = client.push(&mut Host::default()).unwrap_err();
        eprintln!("host program: {e}");
        println!("answer lost");
    }
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
