//! `tessera agent trust --from URL`: the one explicit step that fetches the vendor's public
//! keys over the network. It prints the key ids so the site can compare them with the ones
//! the vendor published out of band (`--expect-key` does it for scripts), and writes the file
//! the config's `public_keys` names. At run time the agent only reads that file: a key is
//! never trusted because a server offered it.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tessera_api::PublicKeys;
use tessera_client::TrustStore;

use super::{AgentConfig, Outcome};

#[derive(Args)]
pub struct TrustArgs {
    /// The server to fetch `GET /api/v1/public-keys` from.
    #[arg(long, value_name = "URL")]
    from: String,
    /// Fail unless the server publishes this key id (repeatable).
    #[arg(long, value_name = "KEY_ID")]
    expect_key: Vec<String>,
    /// Overwrite an existing public keys file.
    #[arg(long)]
    replace: bool,
}

pub fn run(config: &Path, args: TrustArgs) -> Outcome {
    let cfg = AgentConfig::load(config)?;
    let target = &cfg.public_keys;
    anyhow::ensure!(
        args.replace || !target.exists(),
        "{} exists; add --replace to overwrite it",
        target.display()
    );
    let base = tessera_client::servers::normalize(&args.from).map_err(|e| anyhow::anyhow!(e))?;
    let url = format!("{base}/api/v1/public-keys");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let json = agent
        .get(&url)
        .call()
        .and_then(|mut r| r.body_mut().read_to_string())
        .with_context(|| format!("GET {url}"))?;
    // Checked as the agent will read it: every key id must match its key.
    let store = TrustStore::from_published_json(&json)
        .map_err(|e| anyhow::anyhow!("{url}: {}: {e}", e.code()))?;
    for want in &args.expect_key {
        anyhow::ensure!(
            store.get(want).is_some(),
            "{url} does not publish the expected key {want}; nothing written"
        );
    }
    let published: PublicKeys = serde_json::from_str(&json)?;
    std::fs::write(target, &json).with_context(|| format!("writing {}", target.display()))?;
    println!("trusted keys from {base}, written to {}:", target.display());
    for k in &published.keys {
        let note = match (&k.retired_at, k.active) {
            (Some(at), _) => format!("retired {at} (not trusted)"),
            (None, true) => "active".into(),
            (None, false) => "older, still verifies".into(),
        };
        println!("  {}  {note}", k.key_id);
    }
    println!("compare these key ids with the ones your vendor published");
    Ok(0)
}
