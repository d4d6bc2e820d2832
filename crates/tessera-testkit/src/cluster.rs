//! The throwaway PostgreSQL cluster of a test process, from the system's server binaries.

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A PostgreSQL cluster started from the system binaries for this test process.
#[derive(Debug)]
pub struct PgCluster {
    port: u16,
    bin: PathBuf,
}

/// Whether missing PostgreSQL must fail the tests (CI) instead of skipping them (laptops).
pub fn pg_required() -> bool {
    std::env::var("TESSERA_REQUIRE_PG").is_ok_and(|v| v == "1")
}

/// A port that was free a moment ago; callers must tolerate losing the race for it.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

impl PgCluster {
    /// The one cluster of this test process, started on first use (initdb + pg_ctl start).
    /// Returns None (after printing a loud warning to stderr, once) when no PostgreSQL server
    /// binaries exist on the machine — unless the environment variable TESSERA_REQUIRE_PG=1,
    /// in which case it panics with a clear message.
    /// Also panics with a clear message (including the postgres log tail) if the binaries
    /// exist but the cluster cannot start.
    pub fn shared() -> Option<&'static PgCluster> {
        // The failure is cached too, so a broken setup fails every test at once instead of
        // retrying the whole start-up in each of them.
        static SHARED: OnceLock<Result<Option<PgCluster>, String>> = OnceLock::new();
        match SHARED.get_or_init(init) {
            Ok(cluster) => cluster.as_ref(),
            Err(msg) => panic!("{msg}"),
        }
    }

    /// Creates a fresh, uniquely named empty database in the cluster and returns its URL,
    /// e.g. "postgres://postgres@127.0.0.1:PORT/t_<unique>". Safe to call from many
    /// threads/tests at once.
    pub fn create_database(&self) -> String {
        self.create_database_from(None)
    }

    /// Like [`PgCluster::create_database`], but a copy of a database on which Tessera's
    /// migrations have already run (made once per test process): the server's migrations
    /// then find nothing to do.
    pub fn create_migrated_database(&self) -> String {
        static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
        let template = TEMPLATE.get_or_init(|| crate::template::migrated_pg_template(self));
        match template {
            Ok(name) => self.create_database_from(Some(name)),
            Err(msg) => panic!("{msg}"),
        }
    }

    fn create_database_from(&self, template: Option<&str>) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("t_{}_{n}_{nanos}", std::process::id());
        let mut psql = Command::new(self.bin.join("psql"));
        psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.admin_url())
            .arg("-c")
            .arg(match template {
                // FILE_COPY copies the template's files instead of writing them through the
                // WAL (15's default): measured here 60-340 ms a database instead of 250-330,
                // where an empty database plus the migrations takes 200-580 ms.
                Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t} STRATEGY FILE_COPY"),
                None => format!("CREATE DATABASE {name}"),
            });
        if let Err(e) = run(&mut psql) {
            panic!("creating test database {name} failed: {e}");
        }
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// postgres://postgres@127.0.0.1:PORT/postgres
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

fn init() -> Result<Option<PgCluster>, String> {
    match find_bin_dir()? {
        Some(bin) => start_cluster(bin).map(Some),
        None if pg_required() => Err("TESSERA_REQUIRE_PG=1 but no PostgreSQL server binaries \
             (initdb, pg_ctl, postgres, psql) were found in /usr/lib/postgresql/*/bin; \
             install PostgreSQL or point TESSERA_PG_BIN at its bin directory"
            .into()),
        None => {
            eprintln!(
                "\n##########################################################################\n\
                 WARNING: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin and \n\
                 TESSERA_PG_BIN is unset: tests that need PostgreSQL are SKIPPED.\n\
                 Set TESSERA_REQUIRE_PG=1 to make this an error.\n\
                 ##########################################################################\n"
            );
            Ok(None)
        }
    }
}

/// An explicit TESSERA_PG_BIN that is wrong is a configuration error, not a reason to skip.
fn find_bin_dir() -> Result<Option<PathBuf>, String> {
    let complete = |d: &Path| {
        ["initdb", "pg_ctl", "postgres", "psql"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    if let Some(dir) = std::env::var_os("TESSERA_PG_BIN") {
        let dir = PathBuf::from(dir);
        return match complete(&dir) {
            true => Ok(Some(dir)),
            false => Err(format!(
                "TESSERA_PG_BIN={} lacks one of initdb, pg_ctl, postgres, psql",
                dir.display()
            )),
        };
    }
    let entries = fs::read_dir("/usr/lib/postgresql").into_iter().flatten();
    let versions = entries.flatten().filter_map(|entry| {
        let name = entry.file_name().into_string().ok()?;
        let version: Vec<u32> = name
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let bin = entry.path().join("bin");
        complete(&bin).then_some((version, bin))
    });
    Ok(versions.max().map(|(_, bin)| bin))
}

fn start_cluster(bin: PathBuf) -> Result<PgCluster, String> {
    let dir = tempfile::Builder::new()
        .prefix("tessera-pg-")
        .tempdir()
        .map_err(|e| format!("cannot create a temp dir for PostgreSQL: {e}"))?
        .keep();
    // Spawned before anything can fail, so that even a failed start leaves nothing behind.
    spawn_reaper(&bin, &dir)?;
    let data = dir.join("data");
    let sock = dir.join("sock");
    let log = dir.join("postgres.log");
    let template = template_dir(&bin)?;
    run(Command::new("cp").arg("-a").arg(&template).arg(&data))?;
    fs::create_dir(&sock).map_err(|e| format!("mkdir {}: {e}", sock.display()))?;
    chown_to_postgres(&dir)?;

    let mut attempt = 1;
    loop {
        let port = free_port();
        let log_offset = fs::metadata(&log).map_or(0, |m| m.len() as usize);
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=300 -c shared_buffers=64MB",
            sh_quote(&sock)
        );
        let mut pg_ctl = pg_command(&bin.join("pg_ctl"));
        pg_ctl
            .current_dir(&dir)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log);
        pg_ctl.args(["-w", "-t", "60", "-o", &opts, "start"]);
        let Err(err) = run(&mut pg_ctl) else {
            return Ok(PgCluster { port, bin });
        };
        let log_text = fs::read(&log).unwrap_or_default();
        let new_log = String::from_utf8_lossy(log_text.get(log_offset..).unwrap_or_default());
        // Another process may grab the port between free_port() and the server's bind().
        if attempt < 5 && new_log.contains("Address already in use") {
            attempt += 1;
            continue;
        }
        let tail: Vec<&str> = new_log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "PostgreSQL from {} failed to start in {}: {err}\n--- postgres log tail ---\n{}",
            bin.display(),
            data.display(),
            tail.join("\n")
        ));
    }
}

/// initdb costs 1–2 s of a 2-core machine, so it runs once per machine, version and user
/// into a cached template that each cluster copies. The template appears by an atomic
/// rename, so concurrent test processes never see a half-written one.
fn template_dir(bin: &Path) -> Result<PathBuf, String> {
    let version_out = run(Command::new(bin.join("pg_ctl")).arg("--version"))?;
    let version = version_out.split_whitespace().nth(2).unwrap_or("unknown");
    let name = format!("tessera-pg-template-{version}-{}", euid());
    let template = std::env::temp_dir().join(&name);
    let valid = |t: &Path| t.join("global/pg_control").is_file();
    if valid(&template) {
        return Ok(template);
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!("{name}.staging-"))
        .tempdir()
        .map_err(|e| format!("cannot create a temp dir for initdb: {e}"))?
        .keep();
    let initdb = chown_to_postgres(&staging).and_then(|()| {
        let mut initdb = pg_command(&bin.join("initdb"));
        initdb.current_dir(&staging).arg("-D").arg(&staging);
        initdb.args(["--auth=trust", "--username=postgres", "--encoding=UTF8"]);
        initdb.args(["--locale=C", "--no-sync"]);
        run(&mut initdb)
    });
    // A failed rename means another process won the race; its template is as good as ours.
    if initdb.is_err() || fs::rename(&staging, &template).is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    initdb.map_err(|e| format!("initdb failed: {e}"))?;
    match valid(&template) {
        true => Ok(template),
        false => Err(format!(
            "{} exists but is not a valid PostgreSQL data dir; delete it",
            template.display()
        )),
    }
}

/// Statics are never dropped and the test process may be killed, so a separate process
/// outlives it to stop the cluster and delete its files. Its own process group keeps it
/// out of reach of the Ctrl-C or timeout signal that ends the test process.
fn spawn_reaper(bin: &Path, dir: &Path) -> Result<(), String> {
    let as_postgres = if euid() == 0 {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         {as_postgres}{pg_ctl} -D {data} -m immediate stop; rm -rf {dir}",
        pid = std::process::id(),
        pg_ctl = sh_quote(&bin.join("pg_ctl")),
        data = sh_quote(&dir.join("data")),
        dir = sh_quote(dir),
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot spawn the cluster reaper: {e}"))
}

/// initdb and postgres refuse to run as root, so under root they run as `postgres`.
fn pg_command(program: &Path) -> Command {
    if euid() != 0 {
        return Command::new(program);
    }
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "postgres", "--"]).arg(program);
    cmd
}

fn chown_to_postgres(dir: &Path) -> Result<(), String> {
    if euid() != 0 {
        return Ok(());
    }
    run(Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(dir))
    .map(drop)
}

/// Read from /proc rather than calling geteuid(), which would need `unsafe`.
fn euid() -> u32 {
    static EUID: OnceLock<u32> = OnceLock::new();
    *EUID.get_or_init(|| {
        let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
        let from_proc = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1)?.parse().ok());
        from_proc
            .or_else(|| {
                let out = Command::new("id").arg("-u").output().ok()?;
                String::from_utf8(out.stdout).ok()?.trim().parse().ok()
            })
            .expect("cannot determine the effective uid")
    })
}

/// Runs a command to completion, returning its stdout or a message with its stderr.
fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} exited with {}:\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}
