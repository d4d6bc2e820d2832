//! `tessera releases`: a product's releases and its minimum supported version (X6).

use clap::Subcommand;
use comfy_table::Table;
use tessera_api::{NewRelease, Release, ReleaseList};

use super::output::{emit, table};
use super::{Client, Server};

#[derive(Subcommand)]
pub enum ReleasesCommand {
    /// List a product's releases, newest version first, with its minimum version.
    List {
        #[command(flatten)]
        server: Server,
        /// The product's code.
        product: String,
    },
    /// Publish a release: licences and validations of the editions it is for name it as
    /// the latest when it is the newest stable one.
    Publish {
        #[command(flatten)]
        server: Server,
        product: String,
        /// A semantic version: 1.2.11.
        #[arg(long)]
        version: String,
        /// Where it is downloaded (https://…).
        #[arg(long)]
        url: String,
        /// The file's SHA-256, 64 hex digits.
        #[arg(long)]
        sha256: Option<String>,
        /// `stable` unless given (e.g. `beta`).
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
        /// An edition it is for; repeat for more; none: every edition.
        #[arg(long = "edition")]
        editions: Vec<String>,
    },
    /// Withdraw a release (a broken build): it stays listed here with when and why, but no
    /// licence names it as the latest any more and no account's downloads list it.
    Withdraw {
        #[command(flatten)]
        server: Server,
        product: String,
        /// The release's version.
        version: String,
        /// Why, for the record.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Offer a withdrawn release again (a withdrawal by mistake).
    Restore {
        #[command(flatten)]
        server: Server,
        product: String,
        version: String,
    },
    /// Set the product's minimum supported version (programs below it report
    /// UPDATE_REQUIRED), or clear it with --clear. With --cloud: the version the program
    /// needs at least to connect to the cloud (the code exchange refuses one below it).
    SetMinimum {
        #[command(flatten)]
        server: Server,
        product: String,
        #[arg(required_unless_present = "clear")]
        version: Option<String>,
        #[arg(long, conflicts_with = "version")]
        clear: bool,
        /// The minimum for connecting to the cloud, not the program's.
        #[arg(long)]
        cloud: bool,
    },
}

const COLUMNS: [&str; 7] = [
    "version",
    "channel",
    "editions",
    "published",
    "url",
    "sha256",
    "withdrawn",
];

fn releases_table(list: &ReleaseList) -> Table {
    let mut t = table(COLUMNS);
    for r in &list.releases {
        t.add_row(row(r));
    }
    t
}

fn one(r: &Release) -> Table {
    let mut t = table(COLUMNS);
    t.add_row(row(r));
    t
}

fn row(r: &Release) -> [String; 7] {
    [
        r.version.clone(),
        r.channel.clone(),
        if r.editions.is_empty() {
            "all".into()
        } else {
            r.editions.join(", ")
        },
        r.published_at.clone(),
        r.url.clone(),
        r.sha256.clone().unwrap_or_default(),
        match (&r.withdrawn_at, r.withdrawn_reason.as_deref()) {
            (None, _) => String::new(),
            (Some(at), None | Some("")) => at.clone(),
            (Some(at), Some(reason)) => format!("{at}: {reason}"),
        },
    ]
}

/// The releases, then a row each for the program's minimum and the cloud's, in the first
/// column (the version's).
fn with_minimum(list: &ReleaseList) -> Table {
    let mut t = releases_table(list);
    for (what, minimum) in [
        ("minimum", &list.minimum_version),
        ("cloud minimum", &list.cloud_minimum_version),
    ] {
        let mut row: [String; 7] = Default::default();
        row[0] = format!("{what}: {}", minimum.as_deref().unwrap_or("none"));
        t.add_row(row);
    }
    t
}

pub fn releases(command: ReleasesCommand) -> anyhow::Result<()> {
    match command {
        ReleasesCommand::List { server, product } => {
            let list: ReleaseList = Client::new(&server)
                .authed("GET /api/v1/products/{product}/releases", async |api| {
                    api.releases(&product).await
                })?;
            emit(&server, &list, with_minimum)
        }
        ReleasesCommand::Publish {
            server,
            product,
            version,
            url,
            sha256,
            channel,
            notes,
            editions,
        } => {
            let body = NewRelease {
                version,
                channel,
                notes,
                url,
                sha256,
                editions,
            };
            let release: Release = Client::new(&server)
                .authed("POST /api/v1/products/{product}/releases", async |api| {
                    api.publish_release(&product, &body).await
                })?;
            emit(&server, &release, one)
        }
        ReleasesCommand::Restore {
            server,
            product,
            version,
        } => {
            let release: Release = Client::new(&server).authed(
                "POST /api/v1/products/{product}/releases/{version}/restore",
                async |api| api.restore_release(&product, &version).await,
            )?;
            emit(&server, &release, one)
        }
        ReleasesCommand::Withdraw {
            server,
            product,
            version,
            reason,
        } => {
            let release: Release = Client::new(&server).authed(
                "POST /api/v1/products/{product}/releases/{version}/withdraw",
                async |api| api.withdraw_release(&product, &version, &reason).await,
            )?;
            emit(&server, &release, one)
        }
        ReleasesCommand::SetMinimum {
            server,
            product,
            version,
            clear,
            cloud,
        } => {
            let minimum = if clear { None } else { version };
            let client = Client::new(&server);
            let list: ReleaseList = if cloud {
                client.authed(
                    "PUT /api/v1/products/{product}/cloud-minimum-version",
                    async |api| {
                        api.set_cloud_minimum_version(&product, minimum.as_deref())
                            .await
                    },
                )?
            } else {
                client.authed(
                    "PUT /api/v1/products/{product}/minimum-version",
                    async |api| api.set_minimum_version(&product, minimum.as_deref()).await,
                )?
            };
            emit(&server, &list, with_minimum)
        }
    }
}
