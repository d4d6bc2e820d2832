//! `tessera agent offline …`: activation, revalidation and deactivation by file (X1), for a
//! machine without internet access. The request file goes to the vendor's web application
//! (the account's superadmin) or an operator; the response file comes back and is imported.
//! A deactivation deletes the licence here as it is written; uploaded, it releases the
//! installation, and nothing comes back.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};
use tessera_client::{AccountRef, Client, OfflineMode};

use super::Outcome;
use super::commands::{failed, print_status, standing_code};

#[derive(Subcommand)]
pub enum OfflineCommand {
    /// Write a request file for this machine (activation, --revalidate for the licence it
    /// holds, or --deactivate to give the licence up so the key can move). The newest
    /// request is the one whose answer can be imported.
    Request(RequestArgs),
    /// Import the response file the vendor's web application or an operator gave.
    Import {
        /// The response file.
        file: PathBuf,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("account").args(["email", "vat_number"])))]
pub struct RequestArgs {
    /// Renew the licence this machine got by file (the account and key it named are kept).
    #[arg(long, conflicts_with_all = ["email", "vat_number", "key", "deactivate"])]
    revalidate: bool,
    /// Give up the licence this machine got by file: it is deleted here now, and the file,
    /// uploaded, releases the installation for another machine. Asked again, the same file
    /// is written.
    #[arg(long, conflicts_with_all = ["email", "vat_number", "key"])]
    deactivate: bool,
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
    key: Option<String>,
    /// Where to write the request file.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub fn run(client: &Client, command: OfflineCommand) -> Outcome {
    match command {
        OfflineCommand::Request(a) => request(client, a),
        OfflineCommand::Import { file } => import(client, &file),
    }
}

fn request(client: &Client, a: RequestArgs) -> Outcome {
    let written = if a.revalidate {
        client.offline_revalidation_request()
    } else if a.deactivate {
        client.offline_deactivation_request()
    } else {
        let account = match (a.email, a.vat_number) {
            (Some(email), _) => AccountRef::Email(email),
            (None, Some(vat_number)) => AccountRef::VatNumber {
                vat_number,
                installation: a.installation,
            },
            (None, None) => anyhow::bail!("name the account with --email or --vat-number"),
        };
        let Some(key) = a.key else {
            anyhow::bail!("give the product key with --key");
        };
        client.offline_activation_request(account, &key)
    };
    let bytes = match written {
        Ok(b) => b,
        Err(e) => return Ok(failed(&e)),
    };
    std::fs::write(&a.out, &bytes)
        .map_err(|e| anyhow::anyhow!("request file {}: {e}", a.out.display()))?;
    if a.deactivate {
        println!(
            "deactivation written to {}; the licence on this machine is deleted. Upload the \
             file in the web application (Activation by file) to release the installation",
            a.out.display()
        );
        return Ok(0);
    }
    println!(
        "request written to {}: upload it in the web application (Activation by file) and \
         import the response with `tessera agent offline import FILE`",
        a.out.display()
    );
    Ok(0)
}

fn import(client: &Client, file: &std::path::Path) -> Outcome {
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("response file {}: {e}", file.display()))?;
    match client.import_offline_response(&bytes) {
        Ok(done) => {
            let terms = match (done.terms.policy, done.terms.revalidate_by) {
                (OfflineMode::Perpetual, _) => "perpetual, no revalidation".to_owned(),
                (OfflineMode::Periodic, Some(by)) => format!("periodic, revalidate before {by}"),
                (OfflineMode::Periodic, None) => "periodic".to_owned(),
            };
            println!(
                "imported: {} by file, site {} ({terms})",
                done.kind.as_str(),
                done.site_id
            );
            print_status(client, &done.status, false)?;
            Ok(standing_code(&done.status))
        }
        Err(e) => Ok(failed(&e)),
    }
}
