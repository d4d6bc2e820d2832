//! `tessera offline`: activation by file for sites without internet access (X1): answer a
//! request file a site wrote, and set a product's offline policy.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use tessera_api::{Product, SetOfflinePolicy};

use super::output::{emit, opt, record};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum OfflineCommand {
    /// Answer a request file (`tessera agent offline request` wrote it) with a response
    /// file to carry back to the site. The same request again gets the same answer.
    Answer {
        #[command(flatten)]
        server: Server,
        /// The request file.
        request: PathBuf,
        /// Where to write the response file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Set a product's offline policy: none (no activation by file), periodic (renew by
    /// file within --check-days) or perpetual.
    Policy {
        #[command(flatten)]
        server: Server,
        /// The product's code.
        product: String,
        #[arg(long, value_parser = ["none", "periodic", "perpetual"])]
        policy: String,
        /// Days between revalidations by file (periodic only).
        #[arg(long, required_if_eq("policy", "periodic"))]
        check_days: Option<u32>,
    },
}

pub fn offline(command: OfflineCommand) -> anyhow::Result<()> {
    match command {
        OfflineCommand::Answer {
            server,
            request,
            out,
        } => {
            let bytes = std::fs::read(&request)
                .with_context(|| format!("request file {}", request.display()))?;
            let (new, response) = Client::new(&server)
                .authed("POST /api/v1/offline/answers", async |api| {
                    api.answer_offline_request(&bytes).await
                })?;
            std::fs::write(&out, &response)
                .with_context(|| format!("response file {}", out.display()))?;
            let again = if new {
                ""
            } else {
                " (answered before: the same response)"
            };
            match serde_json::from_str::<tessera_core::offline::ReleaseReceipt>(&response) {
                // A deactivation: the installation is released, the file is its receipt.
                Ok(r) if r.format == tessera_core::offline::RELEASE_FORMAT => eprintln!(
                    "site {} released from its machine; receipt written to {}{again}",
                    r.site_id,
                    out.display()
                ),
                _ => eprintln!("response written to {}{again}", out.display()),
            }
            Ok(())
        }
        OfflineCommand::Policy {
            server,
            product,
            policy,
            check_days,
        } => {
            let body = SetOfflinePolicy {
                offline_policy: policy,
                offline_check_days: check_days,
            };
            let product: Product = Client::new(&server).authed(
                "PUT /api/v1/products/{product}/offline-policy",
                async |api| api.set_offline_policy(&product, &body).await,
            )?;
            emit(&server, &product, |p| {
                record([
                    ("product", p.code.clone()),
                    ("offline_policy", p.offline_policy.clone()),
                    ("offline_check_days", opt(&p.offline_check_days)),
                ])
            })
        }
    }
}
