//! The vendor's own checks before the cloud is connected (E7), for a product that runs the
//! agent beside it: programs named in agent.toml (`checks`), each run with the sync data
//! directory as its argument. A check prints a JSON array of findings on standard output
//! (`[{"collection": "dispensers", "id": "disp-1", "problem": "vehicle_identification_off",
//! "message": "…"}]`; nothing or `[]` when all is well) and exits 0. A check that cannot
//! be run, exits otherwise, prints something else or runs longer than a minute is itself a
//! finding (`check_failed`): a broken check never lets data through unchecked.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tessera_client::{Finding, LocalRecord, VendorCheck};

/// How long a check may run.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// One of the vendor's check programs, over the agent's sync data directory.
pub struct CommandCheck {
    pub program: PathBuf,
    pub data_dir: PathBuf,
}

/// A finding as a check program prints it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Printed {
    collection: String,
    id: String,
    problem: String,
    message: String,
}

impl VendorCheck for CommandCheck {
    fn check(&self, _records: &[LocalRecord]) -> Vec<Finding> {
        match self.run() {
            Ok(found) => found,
            Err(why) => vec![Finding::vendor(
                "checks",
                self.program.display().to_string(),
                "check_failed",
                format!("the vendor check {} failed: {why}", self.program.display()),
            )],
        }
    }
}

impl CommandCheck {
    fn run(&self) -> Result<Vec<Finding>, String> {
        let mut child = Command::new(&self.program)
            .arg(&self.data_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("it could not be started: {e}"))?;
        // Read while it runs, so a check printing much never blocks on a full pipe.
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            stdout.read_to_end(&mut out).map(|_| out)
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if started.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("it ran longer than {} s", TIME_LIMIT.as_secs()));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = reader
            .join()
            .map_err(|_| "its output could not be read".to_owned())?
            .map_err(|e| format!("its output could not be read: {e}"))?;
        if !status.success() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let first = err.lines().next().unwrap_or("").trim();
            return Err(format!("it exited with {status}: {first}"));
        }
        parse(&out)
    }
}

/// A check's standard output as findings.
fn parse(out: &[u8]) -> Result<Vec<Finding>, String> {
    let text = std::str::from_utf8(out).map_err(|_| "it printed something not UTF-8".to_owned())?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let printed: Vec<Printed> = serde_json::from_str(text)
        .map_err(|e| format!("it printed something other than a JSON array of findings: {e}"))?;
    Ok(printed
        .into_iter()
        .map(|p| Finding::vendor(p.collection, p.id, p.problem, p.message))
        .collect())
}

/// The configured checks, over `data_dir`.
pub fn configured(programs: &[PathBuf], data_dir: &Path) -> Vec<CommandCheck> {
    programs
        .iter()
        .map(|program| CommandCheck {
            program: program.clone(),
            data_dir: data_dir.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_findings_are_read_and_anything_else_is_refused() {
        assert!(parse(b"").unwrap().is_empty());
        assert!(parse(b" []\n").unwrap().is_empty());
        let found = parse(
            br#"[{"collection": "dispensers", "id": "disp-1", "problem": "vehicle_identification_off", "message": "dispenser disp-1 does not identify vehicles"}]"#,
        )
        .unwrap();
        assert_eq!(
            (found[0].id.as_str(), found[0].problem.as_str()),
            ("disp-1", "vehicle_identification_off")
        );
        assert!(parse(b"all fine").unwrap_err().contains("JSON array"));
        assert!(parse(br#"[{"id": "x"}]"#).is_err());
    }
}
