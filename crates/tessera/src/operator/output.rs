//! How operator commands print and write: a table by default, the API's JSON with `--json`;
//! amounts as people read them; query strings; spinners for waits of unknown length; files
//! that hold secrets or personal data readable by their owner only.

use std::fmt::Display;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use comfy_table::Table;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tessera_api_client::encode_query;

use super::Server;

/// `value` as pretty JSON on standard output.
pub(crate) fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The server's answer: as JSON with `--json` (the API's type, unchanged), otherwise as the
/// table `table` makes of it.
pub(crate) fn emit<T: Serialize>(
    server: &Server,
    value: &T,
    table: impl FnOnce(&T) -> Table,
) -> anyhow::Result<()> {
    if server.json {
        print_json(value)
    } else {
        println!("{}", table(value));
        Ok(())
    }
}

/// One thing shown as a two-column table of its fields.
pub(crate) fn record<'a>(fields: impl IntoIterator<Item = (&'a str, String)>) -> Table {
    let mut table = Table::new();
    table.set_header(["field", "value"]);
    for (name, value) in fields {
        table.add_row([name.to_owned(), value]);
    }
    table
}

/// A table with this header.
pub(crate) fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.set_header(header);
    table
}

/// An optional value as a cell: empty when absent.
pub(crate) fn opt(value: &Option<impl Display>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// `30000` EUR as `300.00 EUR`.
pub(crate) fn money(minor: i64, currency: &str) -> String {
    tessera_core::money::money(minor, currency)
}

/// An amount as typed (`300`, `300.00`, `300,5`) in `currency`'s minor unit, refused here
/// when it is none: the API takes minor units, which nobody should have to type.
pub(crate) fn parse_amount(flag: &str, typed: &str, currency: &str) -> anyhow::Result<i64> {
    tessera_core::money::parse_amount(typed, currency).with_context(|| {
        format!(
            "--{flag} '{typed}' is not an amount in {currency} \
             (digits with at most {} decimals, like 300.00)",
            tessera_core::money::decimals(currency)
        )
    })
}

/// Says on standard error how to ask for the next page, when there is one.
pub(crate) fn more(flag: &str, next: Option<i64>) {
    if let Some(next) = next {
        eprintln!("more: --{flag} {next}");
    }
}

/// A query string built from the filters given: `?a=1&b=x`, or empty.
#[derive(Default)]
pub(crate) struct Query(Vec<String>);

impl Query {
    pub(crate) fn with(mut self, name: &str, value: Option<impl Display>) -> Self {
        if let Some(v) = value {
            self.0
                .push(format!("{name}={}", encode_query(&v.to_string())));
        }
        self
    }

    pub(crate) fn string(&self) -> String {
        if self.0.is_empty() {
            String::new()
        } else {
            format!("?{}", self.0.join("&"))
        }
    }
}

/// A spinner on standard error while something of unknown length runs (hidden when
/// standard error is not a terminal, as indicatif does).
pub(crate) fn spinner(message: impl Into<String>) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    bar.set_message(message.into());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Runs `work` under a spinner saying `message`, cleared when it ends either way.
pub(crate) fn spin<T>(message: impl Into<String>, work: impl FnOnce() -> T) -> T {
    let bar = spinner(message);
    let out = work();
    bar.finish_and_clear();
    out
}

/// Written readable by the owner only: key lists are secrets until sold, the operations log
/// holds people's names and addresses.
pub(crate) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The records of a CSV text after its header: line breaks inside quoted cells do not count.
pub(crate) fn csv_records(text: &str) -> usize {
    let mut quoted = false;
    let mut breaks = 0;
    for c in text.trim_end_matches(['\n', '\r']).chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => breaks += 1,
            _ => {}
        }
    }
    if text.trim().is_empty() { 0 } else { breaks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_carry_the_filters_given_encoded() {
        let q = Query::default()
            .with("account", Some(7))
            .with("site", None::<&str>)
            .with("actor", Some("operator:admin"));
        assert_eq!(q.string(), "?account=7&actor=operator%3Aadmin");
        assert_eq!(Query::default().with("a", None::<i64>).string(), "");
    }

    #[test]
    fn csv_records_skip_the_header_and_breaks_in_quotes() {
        assert_eq!(csv_records("a,b\n1,2\n3,4\n"), 2);
        assert_eq!(csv_records("a,b\r\n1,\"x\ny\"\r\n"), 1);
        assert_eq!(csv_records("a,b\n"), 0);
        assert_eq!(csv_records(""), 0);
    }

    #[test]
    fn amounts_are_refused_with_the_flag_named() {
        assert_eq!(parse_amount("price", "300.00", "EUR").unwrap(), 30_000);
        let err = parse_amount("price", "300.001", "EUR").unwrap_err();
        assert!(err.to_string().contains("--price '300.001'"), "{err}");
    }
}
