//! The site's side: `tessera agent` with its config file, run as a command or as a service.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::BIN;

/// The agent of one site: its config file, naming the servers in order.
pub(crate) struct Agent {
    pub(crate) config: PathBuf,
}

impl Agent {
    pub(crate) fn new(dir: &Path, servers: &[&str]) -> Agent {
        let config = dir.join("agent.toml");
        let list: Vec<String> = servers.iter().map(|s| format!("{s:?}")).collect();
        std::fs::write(
            &config,
            format!(
                "servers = [{}]\npublic_keys = \"keys/public-keys.json\"\n\
                 vendor_salt = \"acme-crm-salt\"\nstate_file = \"state/license.state\"\n\
                 machine_id = \"agent-test-machine\"\nstartup_jitter_secs = 0\n\
                 connect_timeout_secs = 1\ntimeout_secs = 5\n",
                list.join(", ")
            ),
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("keys")).unwrap();
        std::fs::create_dir_all(dir.join("state")).unwrap();
        Agent { config }
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("agent")
            .args(args)
            .env("TESSERA_AGENT_CONFIG", &self.config);
        cmd
    }

    pub(crate) fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out: Output = self.command(args).output().expect("tessera runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Runs a command that must end with `code`; returns its stdout.
    pub(crate) fn expect(&self, code: i32, args: &[&str]) -> String {
        let (got, out, err) = self.run(args);
        assert_eq!(got, code, "tessera agent {args:?}\n{out}\n{err}");
        out
    }

    pub(crate) fn status_json(&self, code: i32) -> Value {
        serde_json::from_str(&self.expect(code, &["status", "--json"])).unwrap()
    }
}

/// `tessera agent run` validates at start-up (jitter 0 here) and logs the outcome.
pub(crate) fn run_as_a_service(agent: &Agent, url: &str) {
    let mut child = agent
        .command(&["run"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(|l| l.ok()) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(30)).expect("a line");
    assert!(first.starts_with("tessera agent: site "), "{first}");
    let logged = rx.recv_timeout(Duration::from_secs(30)).expect("a line");
    assert!(
        logged.starts_with(&format!("validation: {url} answered valid; valid, ")),
        "{logged}"
    );
    // SIGTERM, as systemd stops it.
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(5)).unwrap(),
        "tessera agent: stopping"
    );
}
