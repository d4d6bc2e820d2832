//! Every operator command the API's operator routes call for, run as the real binary against
//! one server of the testkit per backend (in this process, so the story can move its clock
//! and pay orders as the provider would): the catalog, keys, billing and the machinery. Each
//! group checks a row of its table, its `--json` read as the API's type, and a refusal that
//! exits non-zero with the server's code.

mod billing;
mod catalog;
mod machinery;

use std::process::{Command, Output};

use serde::de::DeserializeOwned;
use tessera_testkit::{Backend, BlockingApp, DataPlace, cloud};

use crate::BIN;

pub(crate) fn story(backend: Backend) {
    let Some(place) = DataPlace::new(backend) else {
        return;
    };
    let app = BlockingApp::start(&place, cloud::billing);
    let dir = tempfile::tempdir().unwrap();
    let (account_token, sites) = app.block_on(cloud::customer(&app, 2));
    let account = app
        .block_on(app.api_as(Some(&account_token)).own_account())
        .unwrap();
    let cli = Cli::new(&app.base, app.token());

    catalog::commands(&cli);
    catalog::keys(&cli);
    catalog::key_import(&cli);
    let customer = billing::Customer {
        token: account_token,
        id: account.id,
        sites,
    };
    billing::commands(&app, &cli, &customer, dir.path());
    machinery::commands(&cli, &customer, dir.path());
    // Last, as they end or outlive the session: the month's billing, signing out.
    let cli = billing::monthly_lines(&app, &cli, &customer);
    cli.ok(&["logout"]);
    cli.refused(&["whoami"], "401 UNAUTHENTICATED");
}

/// The binary run against one server with one operator token.
pub(crate) struct Cli {
    url: String,
    token: String,
}

impl Cli {
    pub(crate) fn new(url: &str, token: &str) -> Cli {
        Cli {
            url: url.to_owned(),
            token: token.to_owned(),
        }
    }

    pub(crate) fn with_token(&self, token: &str) -> Cli {
        Cli::new(&self.url, token)
    }

    pub(crate) fn output(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("TESSERA_SERVER", &self.url)
            .env("TESSERA_TOKEN", &self.token)
            .output()
            .expect("tessera runs")
    }

    /// Standard output of a run that must succeed.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "tessera {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The run's table has a line holding every one of `cells`; the table.
    pub(crate) fn row(&self, args: &[&str], cells: &[&str]) -> String {
        let table = self.ok(args);
        assert_row(&table, cells);
        table
    }

    /// The run with `--json`, read as the API type it prints.
    pub(crate) fn json<T: DeserializeOwned>(&self, args: &[&str]) -> T {
        let args = [args, &["--json"]].concat();
        let text = self.ok(&args);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("tessera {args:?} printed no {e}: {text}"))
    }

    /// Standard error of a run that must fail.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let out = self.output(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "tessera {args:?} succeeded: {err}");
        err
    }

    /// A run the server refuses: non-zero exit, the status and code on standard error.
    pub(crate) fn refused(&self, args: &[&str], status_and_code: &str) {
        let err = self.fails(args);
        assert!(
            err.contains(&format!("error: {status_and_code}: ")),
            "tessera {args:?} did not say {status_and_code}: {err}"
        );
    }
}

pub(crate) fn assert_row(table: &str, cells: &[&str]) {
    assert!(
        table.lines().any(|l| cells.iter().all(|c| l.contains(c))),
        "no row with {cells:?} in\n{table}"
    );
}
