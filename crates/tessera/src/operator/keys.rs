//! `tessera keys`: batches generated with a progress bar, their keys, one key's look-up,
//! history, revocation and edition.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use comfy_table::Table;
use indicatif::{ProgressBar, ProgressStyle};
use tessera_api::{
    Batch, BatchList, ChangeEdition, CreateBatch, FillBatch, KeyHistory, KeyInfo, KeyPage,
    RevokeKey,
};

use super::output::{emit, more, opt, record, table, write_private};
use super::{Client, Server};

/// Keys generated per request: big enough to be fast, small enough for a smooth progress bar.
const FILL_CHUNK: u32 = 10_000;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Issue a batch of keys for product + edition + size, with a progress bar.
    Generate(GenerateArgs),
    /// List key batches.
    Batches(Server),
    /// Show one batch and how far it is generated.
    Batch {
        #[command(flatten)]
        server: Server,
        id: i64,
    },
    /// List a batch's keys with their state, a page at a time.
    List {
        #[command(flatten)]
        server: Server,
        batch: i64,
        /// Keys after this one (the "more" value a page prints).
        #[arg(long)]
        after: Option<i64>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Write a batch's keys as CSV.
    Export {
        #[command(flatten)]
        server: Server,
        batch: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Show one key.
    Show {
        #[command(flatten)]
        server: Server,
        key: String,
    },
    /// Revoke a key.
    Revoke {
        #[command(flatten)]
        server: Server,
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// Move a key to another edition of its product (an upgrade).
    SetEdition {
        #[command(flatten)]
        server: Server,
        key: String,
        edition: String,
    },
    /// Show what happened to a key, with who and when.
    History {
        #[command(flatten)]
        server: Server,
        key: String,
    },
    /// Import keys sold under an earlier system from a CSV file with a header of the columns
    /// key, product, edition, size and optionally customer (an account's email) and site (its
    /// installation's name). All or nothing; the same file again changes nothing
    /// (docs/key-import.md).
    Import {
        #[command(flatten)]
        server: Server,
        /// The CSV file (UTF-8, comma or semicolon separated).
        file: PathBuf,
        /// Only check the lines; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    server: Server,
    #[arg(long, required_unless_present = "resume")]
    product: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    edition: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    size: Option<String>,
    #[arg(long, required_unless_present = "resume")]
    count: Option<u32>,
    #[arg(long)]
    note: Option<String>,
    /// Also write the keys to this CSV file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Continue filling an interrupted batch instead of ordering a new one.
    #[arg(long, conflicts_with_all = ["product", "edition", "size", "count"])]
    resume: Option<i64>,
}

pub fn keys(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Generate(args) => generate(args),
        KeysCommand::Batches(server) => {
            let list: BatchList = Client::new(&server)
                .authed("GET /api/v1/key-batches", async |api| api.batches().await)?;
            emit(&server, &list, |list| batches(&list.batches))
        }
        KeysCommand::Batch { server, id } => {
            let batch: Batch = Client::new(&server)
                .authed("GET /api/v1/key-batches/{id}", async |api| {
                    api.batch(id).await
                })?;
            emit(&server, &batch, |b| batches(std::slice::from_ref(b)))
        }
        KeysCommand::List {
            server,
            batch,
            after,
            limit,
        } => {
            let page: KeyPage = Client::new(&server)
                .authed("GET /api/v1/key-batches/{id}/keys", async |api| {
                    api.batch_keys(batch, after, limit).await
                })?;
            emit(&server, &page, |page| {
                let mut t = table(["key", "edition", "size", "status", "updated"]);
                for k in &page.keys {
                    t.add_row([&k.key, &k.edition, &k.size, &k.status, &k.updated_at]);
                }
                t
            })?;
            more("after", page.next_after);
            Ok(())
        }
        KeysCommand::Export { server, batch, out } => {
            let csv = Client::new(&server)
                .authed("GET keys.csv", async |api| api.batch_csv(batch).await)?;
            write_private(&out, &csv)?;
            eprintln!(
                "Wrote {} keys to {}",
                csv.lines().count().saturating_sub(1),
                out.display()
            );
            Ok(())
        }
        KeysCommand::Show { server, key } => {
            let key = compact(&key)?;
            let k: KeyInfo =
                Client::new(&server).authed("GET /api/v1/keys", async |api| api.key(&key).await)?;
            emit(&server, &k, key_record)
        }
        KeysCommand::Revoke {
            server,
            key,
            reason,
        } => {
            let key = compact(&key)?;
            let k: KeyInfo = Client::new(&server).authed("POST revoke", async |api| {
                api.revoke_key(&key, &RevokeKey { reason }).await
            })?;
            emit(&server, &k, key_record)
        }
        KeysCommand::SetEdition {
            server,
            key,
            edition,
        } => {
            let key = compact(&key)?;
            let k: KeyInfo = Client::new(&server).authed("POST edition", async |api| {
                api.change_edition(&key, &ChangeEdition { edition }).await
            })?;
            emit(&server, &k, key_record)
        }
        KeysCommand::Import {
            server,
            file,
            dry_run,
        } => import(&server, &file, dry_run),
        KeysCommand::History { server, key } => {
            let key = compact(&key)?;
            let h: KeyHistory = Client::new(&server)
                .authed("GET history", async |api| api.key_history(&key).await)?;
            if server.json {
                return super::output::print_json(&h);
            }
            let mut t = table(["at", "who", "what", "detail"]);
            for e in h.events {
                t.add_row([e.at, e.actor, e.action, e.detail.unwrap_or_default()]);
            }
            println!("{}\n{t}", h.key);
            Ok(())
        }
    }
}

fn batches(list: &[Batch]) -> Table {
    let mut t = table([
        "id", "product", "edition", "size", "keys", "status", "note", "by", "created",
    ]);
    for b in list {
        t.add_row([
            b.id.to_string(),
            b.product.clone(),
            b.edition.clone(),
            b.size.clone(),
            format!("{}/{}", b.generated, b.requested),
            b.status.clone(),
            opt(&b.note),
            b.created_by.clone(),
            b.created_at.clone(),
        ]);
    }
    t
}

fn key_record(k: &KeyInfo) -> Table {
    record([
        ("key", k.key.clone()),
        ("status", k.status.clone()),
        ("product", k.product.clone()),
        ("edition", k.edition.clone()),
        ("size", k.size.clone()),
        ("batch", k.batch_id.to_string()),
        ("created", k.created_at.clone()),
        ("updated", k.updated_at.clone()),
    ])
}

fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.server);
    client.auth()?;
    let started = Instant::now();
    let mut batch: Batch = match args.resume {
        Some(id) => client.authed("GET batch", async |api| api.batch(id).await)?,
        None => {
            let request = CreateBatch {
                product: args.product.unwrap_or_default(),
                edition: args.edition.unwrap_or_default(),
                size: args.size.unwrap_or_default(),
                count: args.count.unwrap_or_default(),
                note: args.note,
            };
            client.open("POST /api/v1/key-batches", async |api| {
                api.create_batch(&request).await
            })?
        }
    };
    let bar = ProgressBar::new(u64::from(batch.requested));
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} batch {msg} [{bar:40}] {pos}/{len} keys ({per_sec}, {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(batch.id.to_string());
    bar.set_position(u64::from(batch.generated));
    while batch.generated < batch.requested {
        let id = batch.id;
        batch = client
            .open("POST fill", async |api| {
                api.fill_batch(id, &FillBatch { count: FILL_CHUNK }).await
            })
            .map_err(|e| {
                bar.abandon();
                e.context(format!(
                "batch {} stopped at {}/{} keys; continue with `tessera keys generate --resume {}`",
                batch.id, batch.generated, batch.requested, batch.id
            ))
            })?;
        bar.set_position(u64::from(batch.generated));
    }
    bar.finish();
    eprintln!(
        "Batch {}: {} keys for {} {} {} in {:.2} s",
        batch.id,
        batch.generated,
        batch.product,
        batch.edition,
        batch.size,
        started.elapsed().as_secs_f64()
    );
    if let Some(out) = args.out {
        let id = batch.id;
        let csv = client.authed("GET keys.csv", async |api| api.batch_csv(id).await)?;
        write_private(&out, &csv)?;
        eprintln!("Wrote {}", out.display());
    }
    if args.server.json {
        return super::output::print_json(&batch);
    }
    println!("{}", batch.id);
    Ok(())
}

/// A typed key, checked here first so that only letters and digits go into the URL: one of
/// Tessera's own, or else one in an earlier system's spelling (the server knows whether it
/// holds it); neither is refused with the reason a Tessera key would be.
fn compact(key: &str) -> anyhow::Result<String> {
    use tessera_core::ProductKey;
    let typed = ProductKey::parse(key)
        .or_else(|native| ProductKey::any_format(key).map_err(|_| native))
        .with_context(|| format!("'{key}'"))?;
    Ok(typed.compact().to_owned())
}

fn import(server: &Server, file: &std::path::Path, dry_run: bool) -> anyhow::Result<()> {
    let csv = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let started = Instant::now();
    let report = Client::new(server).authed("POST /api/v1/keys/import", async |api| {
        api.import_keys(csv.clone(), name.as_deref(), dry_run).await
    })?;
    if server.json {
        super::output::print_json(&report)?;
    } else {
        if !report.refused.is_empty() {
            let mut t = table(["line", "key", "code", "why"]);
            for r in &report.refused {
                t.add_row([
                    r.line.to_string(),
                    r.key.clone(),
                    r.code.clone(),
                    r.message.clone(),
                ]);
            }
            println!("{t}");
        }
        let batches: Vec<String> = report.batches.iter().map(i64::to_string).collect();
        println!(
            "{} lines: {} new, {} unchanged, {} registered to customers{}{} ({:.1} s)",
            report.lines,
            report.new,
            report.unchanged,
            report.registered,
            if batches.is_empty() {
                String::new()
            } else {
                format!("; batches {}", batches.join(", "))
            },
            if report.written {
                ""
            } else {
                "; nothing written"
            },
            started.elapsed().as_secs_f64()
        );
    }
    match report.message {
        Some(refused) if !dry_run => anyhow::bail!(refused),
        _ => Ok(()),
    }
}
