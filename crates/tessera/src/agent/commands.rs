//! One function per `tessera agent` command, each a call to the client library and a print.

use std::path::Path;

use clap::{ArgGroup, Args};
use tessera_client::{AccountRef, Client, ClientError, SiteData, Status};

use super::report::StatusReport;
use super::{AgentConfig, EXIT_ERROR, EXIT_LOCKED, EXIT_NOT_ACTIVATED, Outcome};

#[derive(Args)]
#[command(group(ArgGroup::new("account").required(true).args(["email", "vat_number"])))]
pub struct ActivateArgs {
    /// The account's email.
    #[arg(long)]
    email: Option<String>,
    /// The account's VAT number (with several installations, add --installation).
    #[arg(long)]
    vat_number: Option<String>,
    /// The site id to activate, when the VAT number's account has several.
    #[arg(long, requires = "vat_number")]
    installation: Option<String>,
    /// The product key.
    #[arg(long)]
    key: String,
}

/// Opens the client on the configured state file (verifying it).
pub fn open(cfg: &AgentConfig) -> anyhow::Result<Client> {
    let client_cfg = cfg.client_config()?;
    Client::open(client_cfg).map_err(|e| anyhow::anyhow!("{}: {e}", e.code()))
}

/// Prints a library error with its stable code; the exit code says what kind it was.
pub fn failed(e: &ClientError) -> u8 {
    eprintln!("error: {}: {e}", e.code());
    if let ClientError::InstallationChoiceRequired(list) = e {
        for i in list {
            eprintln!(
                "  --installation {}   {:?} {}/{} {}",
                i.site_id, i.label, i.product, i.edition, i.status
            );
        }
    }
    match e {
        ClientError::NotActivated => EXIT_NOT_ACTIVATED,
        _ => EXIT_ERROR,
    }
}

/// The exit code a status ends with.
pub fn standing_code(status: &Status) -> u8 {
    if status.may_run() {
        0
    } else if status.entitlement.is_none() {
        EXIT_NOT_ACTIVATED
    } else {
        EXIT_LOCKED
    }
}

pub fn print_status(client: &Client, status: &Status, json: bool) -> anyhow::Result<()> {
    let report = StatusReport::new(client, status);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for line in report.lines() {
            println!("{line}");
        }
    }
    Ok(())
}

pub fn activate(client: &Client, a: ActivateArgs) -> Outcome {
    let account = match (a.email, a.vat_number) {
        (Some(email), _) => AccountRef::Email(email),
        (None, Some(vat_number)) => AccountRef::VatNumber {
            vat_number,
            installation: a.installation,
        },
        (None, None) => unreachable!("clap requires one"),
    };
    match client.activate(account, &a.key) {
        Ok(done) => {
            println!(
                "{}: site {} on {}",
                done.activation, done.site_id, done.server
            );
            if done.site_data_required {
                println!("the server asks for the site data: `tessera agent site-data --file …`");
            }
            print_status(client, &done.status, false)?;
            Ok(standing_code(&done.status))
        }
        Err(e) => Ok(failed(&e)),
    }
}

pub fn status(client: &Client, json: bool) -> Outcome {
    let status = client.status();
    print_status(client, &status, json)?;
    Ok(standing_code(&status))
}

pub fn validate(client: &Client, json: bool) -> Outcome {
    match client.validate_now() {
        Ok(v) => {
            if json {
                print_status(client, &v.status, true)?;
            } else {
                println!(
                    "{} answered {} at {}",
                    v.server,
                    v.state.as_str(),
                    v.server_time
                );
                print_status(client, &v.status, false)?;
            }
            Ok(standing_code(&v.status))
        }
        Err(e) => Ok(failed(&e)),
    }
}

pub fn servers(client: &Client, select: Option<&str>) -> Outcome {
    if let Some(url) = select {
        if let Err(e) = client.select_server(url) {
            return Ok(failed(&e));
        }
        if client.status().entitlement.is_none() {
            eprintln!(
                "note: not activated, so the choice is not saved (the state file keeps it); \
                 activation tries the servers in list order"
            );
        }
    }
    let chosen = client.current_server();
    for (i, url) in client.servers().urls().iter().enumerate() {
        let role = if i == 0 { "primary" } else { "backup" };
        let mark = if *url == chosen { "  (chosen)" } else { "" };
        println!("{}  {role:<8} {url}{mark}", i + 1);
    }
    Ok(0)
}

pub fn test_connection(client: &Client, url: Option<String>) -> Outcome {
    let urls = match url {
        Some(u) => vec![u],
        None => client.servers().urls().to_vec(),
    };
    let mut code = 0;
    for url in urls {
        match client.test_connection(&url) {
            Ok(t) if t.trusted_key_published => println!(
                "ok    {}  {} ms, publishes a trusted vendor key",
                t.server,
                t.round_trip.as_millis()
            ),
            Ok(t) => {
                println!(
                    "FAIL  {}  {} ms, UNTRUSTED_SERVER: answers, but publishes no key this \
                     agent trusts",
                    t.server,
                    t.round_trip.as_millis()
                );
                code = EXIT_ERROR;
            }
            Err(e) => {
                println!("FAIL  {url}  {}: {e}", e.code());
                code = EXIT_ERROR;
            }
        }
    }
    Ok(code)
}

pub fn deactivate(client: &Client) -> Outcome {
    let site = client.status().entitlement.map(|e| e.site_id.clone());
    match client.deactivate() {
        Ok(()) => {
            println!(
                "deactivated: site {} released on the server; local state removed",
                site.unwrap_or_default()
            );
            Ok(0)
        }
        Err(e) => Ok(failed(&e)),
    }
}

pub fn site_data(client: &Client, file: &Path) -> Outcome {
    let text = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("site data file {}: {e}", file.display()))?;
    let data: SiteData = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("site data file {}: {e}", file.display()))?;
    match client.send_site_data(&data) {
        Ok(()) => {
            println!("site data sent");
            Ok(0)
        }
        Err(e) => Ok(failed(&e)),
    }
}
