//! The vendor's server: a real `tessera serve` in a process of its own, and an address where
//! nothing listens (the dead backup).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::{ADMIN_PASSWORD, BIN};

pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(dir: &Path, database_url: Option<&str>) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .current_dir(dir)
        .env("TESSERA_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("TESSERA_RATE_LIMITS__VALIDATIONS_PER_SITE", "0")
        .env("TESSERA_RATE_LIMITS__ACTIVATIONS_PER_KEY", "0")
        .env_remove("TESSERA_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    let mut child = cmd.spawn().expect("tessera serve starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let url = stdout
        .lines()
        .map_while(|l| l.ok())
        .find_map(|l| {
            l.strip_prefix("Tessera listening on ")
                .map(|u| u.trim().to_owned())
        })
        .expect("tessera serve printed its address");
    Server { child, url }
}

/// An address where nothing listens.
pub(crate) fn dead_server() -> String {
    format!("http://127.0.0.1:{}", tessera_testkit::free_port())
}
