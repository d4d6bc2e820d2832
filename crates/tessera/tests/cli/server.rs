//! `tessera serve` in a process of its own, and the operator commands run against it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use crate::BIN;

pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
    /// What the server printed before its address (a generated operator password).
    pub(crate) first_line: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Ends the server as `kill -9` does (SIGKILL): no shutdown, no flush.
    pub(crate) fn kill_9(mut self) {
        self.child.kill().expect("the server is killed");
        self.child.wait().unwrap();
    }
}

/// Starts `tessera serve` on a port the system picks and reads the address it prints.
pub(crate) fn serve(
    dir: &Path,
    database_url: Option<&str>,
    admin_password: Option<&str>,
) -> Server {
    serve_at("127.0.0.1:0", dir, database_url, admin_password)
}

/// Starts `tessera serve` listening on `listen` and reads the address it prints.
pub(crate) fn serve_at(
    listen: &str,
    dir: &Path,
    database_url: Option<&str>,
    admin_password: Option<&str>,
) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", listen, "--data-dir"])
        .arg(dir)
        .current_dir(dir)
        .env_remove("TESSERA_ADMIN_PASSWORD")
        .env_remove("TESSERA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    if let Some(p) = admin_password {
        cmd.env("TESSERA_ADMIN_PASSWORD", p);
    }
    let mut child = cmd.spawn().expect("tessera serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first_line = None;
    let mut url = None;
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("Tessera listening on ") {
            url = Some(u.trim().to_owned());
            break;
        }
        first_line.get_or_insert(line);
    }
    let url = url.expect("tessera serve printed its address");
    Server {
        child,
        url,
        first_line: first_line.unwrap_or_default(),
    }
}

pub(crate) fn run(server: &Server, token: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("TESSERA_SERVER", &server.url)
        .env_remove("TESSERA_TOKEN");
    if let Some(t) = token {
        cmd.env("TESSERA_TOKEN", t);
    }
    cmd.output().expect("tessera runs")
}

pub(crate) fn success(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
