//! The catalog's commands (plans, products' editions, sizes and modules, services), keys'
//! batches and editions, and who is signed in.

use tessera_api::{
    Batch, CollectionList, KeyImport, KeyPage, PlanList, Product, ReleaseList, Service,
    ServiceList, WebhookList, WhoAmI,
};

use super::{Cli, assert_row};

/// `plans add` with every field of NewPlan, at `price`.
fn plan_args<'a>(code: &'a str, price: &'a str) -> Vec<&'a str> {
    vec![
        "plans",
        "add",
        "--code",
        code,
        "--service",
        "backup",
        "--name",
        "Backup",
        "--article-code",
        "F00999",
        "--price",
        price,
        "--currency",
        "EUR",
        "--period-months",
        "24",
        "--trial-months",
        "0",
        "--trial-sites",
        "0",
        "--product",
        "ssm2",
        "--bundle",
        "pro:s10",
        "--bundle",
        "ent:s10",
    ]
}

pub(super) fn commands(cli: &Cli) {
    // Plans: the testkit's `cloud-s10` and one added here with every flag.
    let added = cli.ok(&plan_args("backup-s10", "120.50"));
    assert_row(
        &added,
        &[
            "backup-s10",
            "120.50 EUR",
            "24 months",
            "none",
            "pro:s10, ent:s10",
        ],
    );
    cli.row(
        &["plans", "list"],
        &["cloud-s10", "300.00 EUR", "12 months", "6 months, 3 sites"],
    );
    let plans: PlanList = cli.json(&["plans", "list"]);
    let backup = plans.plans.iter().find(|p| p.code == "backup-s10").unwrap();
    assert_eq!(
        (backup.price, backup.period_months, backup.trial_months),
        (12_050, 24, 0)
    );
    assert_eq!(backup.bundles.len(), 2);
    cli.refused(&plan_args("backup-s10", "120.50"), "409 PLAN_EXISTS");
    let err = cli.fails(&plan_args("backup-x", "120.505"));
    assert!(err.contains("--price '120.505'"), "refused here: {err}");
    let mut unknown = plan_args("backup-y", "1");
    *unknown.last_mut().unwrap() = "gold:s10";
    cli.refused(&unknown, "404 EDITION_NOT_FOUND");

    // Products: an edition above the others, a size with its limits, a module.
    let shown = cli.ok(&[
        "products",
        "add-edition",
        "ssm2",
        "--code",
        "gold",
        "--name",
        "Gold",
    ]);
    assert!(shown.contains("4. gold (Gold)"), "{shown}");
    cli.ok(&[
        "products",
        "add-size",
        "ssm2",
        "--code",
        "s50",
        "--name",
        "50 vehicles",
        "--limit",
        "vehicles=50",
        "--limit",
        "users=20",
    ]);
    cli.row(
        &[
            "products",
            "add-module",
            "ssm2",
            "--code",
            "sync",
            "--name",
            "Sync",
        ],
        &["modules", "sync (Sync)"],
    );
    let product: Product = cli.json(&["products", "show", "ssm2"]);
    assert_eq!(product.editions.last().unwrap().code, "gold");
    let s50 = product.sizes.iter().find(|s| s.code == "s50").unwrap();
    assert_eq!(
        (s50.limits["vehicles"], s50.limits["users"]),
        (50, 20),
        "{s50:?}"
    );
    cli.row(&["products", "list"], &["ssm2", "std, pro, ent, gold"]);
    cli.refused(
        &[
            "products",
            "add-module",
            "nosuch",
            "--code",
            "x",
            "--name",
            "X",
        ],
        "404 PRODUCT_NOT_FOUND",
    );
    let err = cli.fails(&[
        "products", "add-size", "ssm2", "--code", "s9", "--name", "9", "--limit", "vehicles",
    ]);
    assert!(err.contains("NAME=N"), "{err}");

    // Releases and the minimum version (X6).
    let published = cli.ok(&[
        "releases",
        "publish",
        "ssm2",
        "--version",
        "1.2.11",
        "--url",
        "https://downloads.vendor.example/ssm2-1.2.11.exe",
        "--sha256",
        &"0f".repeat(32),
        "--edition",
        "std",
    ]);
    assert_row(&published, &["1.2.11", "stable", "std"]);
    cli.ok(&[
        "releases",
        "publish",
        "ssm2",
        "--version",
        "1.3.0-beta.1",
        "--channel",
        "beta",
        "--url",
        "https://downloads.vendor.example/ssm2-1.3.0-beta.1.exe",
    ]);
    cli.refused(
        &[
            "releases",
            "publish",
            "ssm2",
            "--version",
            "1.2.11",
            "--url",
            "https://downloads.vendor.example/again.exe",
        ],
        "409 RELEASE_EXISTS",
    );
    cli.refused(
        &["releases", "set-minimum", "ssm2", "1.2"],
        "422 VERSION_INVALID",
    );
    cli.row(
        &["releases", "set-minimum", "ssm2", "1.2.11"],
        &["minimum: 1.2.11"],
    );
    let list: ReleaseList = cli.json(&["releases", "list", "ssm2"]);
    let versions: Vec<&str> = list.releases.iter().map(|r| r.version.as_str()).collect();
    assert_eq!(versions, ["1.3.0-beta.1", "1.2.11"]);
    assert_eq!(list.minimum_version.as_deref(), Some("1.2.11"));
    // The cloud's minimum (seed 000: the cloud needs 1.2.11), beside the program's.
    cli.refused(
        &["releases", "set-minimum", "ssm2", "1.2", "--cloud"],
        "422 VERSION_INVALID",
    );
    cli.row(
        &["releases", "set-minimum", "ssm2", "--cloud", "1.2.11"],
        &["cloud minimum: 1.2.11"],
    );
    let list: ReleaseList = cli.json(&["releases", "list", "ssm2"]);
    assert_eq!(
        (
            list.minimum_version.as_deref(),
            list.cloud_minimum_version.as_deref()
        ),
        (Some("1.2.11"), Some("1.2.11")),
        "--cloud leaves the program's minimum as it was"
    );
    // A row each, in the version's column.
    let table = cli.row(
        &["releases", "set-minimum", "ssm2", "--clear"],
        &["cloud minimum: 1.2.11"],
    );
    let program = |table: &str, want: &str| {
        assert!(
            table
                .lines()
                .any(|l| l.contains(want) && !l.contains("cloud")),
            "no row {want:?} of its own in\n{table}"
        )
    };
    program(&table, "minimum: none");
    let list: ReleaseList = cli.json(&["releases", "list", "ssm2"]);
    assert_eq!(
        (list.minimum_version, list.cloud_minimum_version.as_deref()),
        (None, Some("1.2.11"))
    );
    let table = cli.row(
        &["releases", "set-minimum", "ssm2", "--clear", "--cloud"],
        &["cloud minimum: none"],
    );
    program(&table, "minimum: none");
    let withdrawn = cli.ok(&[
        "releases",
        "withdraw",
        "ssm2",
        "1.3.0-beta.1",
        "--reason",
        "crashes at start",
    ]);
    assert!(withdrawn.contains("crashes at start"), "{withdrawn}");
    let list: ReleaseList = cli.json(&["releases", "list", "ssm2"]);
    assert!(list.releases[0].withdrawn_at.is_some());
    assert!(list.releases[1].withdrawn_at.is_none());
    cli.refused(
        &["releases", "withdraw", "ssm2", "9.9.9"],
        "404 RELEASE_NOT_FOUND",
    );
    let back = cli.ok(&["releases", "restore", "ssm2", "1.3.0-beta.1"]);
    assert_row(&back, &["1.3.0-beta.1", "beta"]);
    let list: ReleaseList = cli.json(&["releases", "list", "ssm2"]);
    assert!(list.releases.iter().all(|r| r.withdrawn_at.is_none()));

    // Webhooks (X7): an endpoint with its secret shown once, listed, its deliveries, gone.
    let added = cli.ok(&[
        "webhooks",
        "add",
        "--url",
        "https://erp.vendor.example/tessera",
        "--event",
        "order.paid",
        "--event",
        "site.activated",
    ]);
    assert!(added.contains("whsec_"), "{added}");
    let list: WebhookList = cli.json(&["webhooks", "list"]);
    let id = list.webhooks[0].id.to_string();
    assert_eq!(list.webhooks[0].events, ["order.paid", "site.activated"]);
    assert!(list.webhooks[0].secret.is_none());
    cli.ok(&["webhooks", "deliveries", &id]);
    cli.refused(
        &[
            "webhooks",
            "add",
            "--url",
            "http://erp.vendor.example/",
            "--event",
            "*",
        ],
        "422 WEBHOOK_URL_INVALID",
    );
    cli.refused(
        &["webhooks", "replay", "999999"],
        "404 WEBHOOK_DELIVERY_NOT_FOUND",
    );
    assert!(cli.ok(&["webhooks", "delete", &id]).contains("deleted"));
    cli.refused(&["webhooks", "delete", &id], "404 WEBHOOK_NOT_FOUND");

    // The collections the product's client syncs (docs/sync.md), declared from a file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("collections.json");
    let path = file.to_str().unwrap();
    std::fs::write(
        &file,
        r#"[{"name": "drivers", "scope": "account", "unique": ["ibutton"], "required": ["ibutton", "name"]},
            {"name": "transactions", "scope": "site", "required": ["litres"]}]"#,
    )
    .unwrap();
    let declared = cli.ok(&["products", "declare-collections", "ssm2", "--file", path]);
    assert_row(
        &declared,
        &["drivers", "account", "ibutton", "ibutton, name"],
    );
    assert_row(&declared, &["transactions", "site", "", "litres"]);
    std::fs::write(
        &file,
        r#"{"name": "users", "scope": "account", "unique": ["nickname"], "web_user_field": "web_user"}"#,
    )
    .unwrap();
    cli.ok(&["products", "declare-collections", "ssm2", "--file", path]);
    let list: CollectionList = cli.json(&["products", "collections", "ssm2"]);
    let names: Vec<&str> = list.collections.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["drivers", "transactions", "users"]);
    cli.row(
        &["products", "collections", "ssm2"],
        &["users", "account", "nickname", "", "web_user"],
    );
    std::fs::write(&file, r#"[{"name": "pumps", "scope": "galaxy"}]"#).unwrap();
    cli.refused(
        &["products", "declare-collections", "ssm2", "--file", path],
        "422 COLLECTION_INVALID",
    );
    std::fs::write(&file, r#"[{"name": "pumps", "scope": "site"}, 7]"#).unwrap();
    let err = cli.fails(&["products", "declare-collections", "ssm2", "--file", path]);
    assert!(err.contains("collection 2 of the file"), "{err}");
    let list: CollectionList = cli.json(&["products", "collections", "ssm2"]);
    assert_eq!(list.collections.len(), 3, "a bad file declares nothing");

    // Monthly services.
    let service = [
        "services",
        "add",
        "--code",
        "support247",
        "--name",
        "24/7 support",
        "--monthly-price",
        "49",
        "--currency",
        "EUR",
    ];
    let added: Service = cli.json(&service);
    assert_eq!(added.monthly_price, 4900);
    cli.row(
        &["services", "list"],
        &["support247", "24/7 support", "49.00 EUR"],
    );
    let services: ServiceList = cli.json(&["services", "list"]);
    assert_eq!(services.services.len(), 1);
    cli.refused(&service, "409 SERVICE_EXISTS");

    cli.row(&["whoami"], &["username", "admin"]);
    let me: WhoAmI = cli.json(&["whoami"]);
    assert_eq!(me.username, "admin");
}

/// A batch shown and paged, a key moved to another edition.
pub(super) fn keys(cli: &Cli) {
    let generate = [
        "keys",
        "generate",
        "--product",
        "ssm2",
        "--edition",
        "std",
        "--size",
        "s10",
        "--count",
        "3",
    ];
    let batch: Batch = cli.json(&generate);
    let id = batch.id.to_string();
    cli.row(&["keys", "batch", &id], &[&id, "ssm2", "3/3", "complete"]);
    let page: KeyPage = cli.json(&["keys", "list", &id, "--limit", "2"]);
    assert_eq!(page.keys.len(), 2);
    let next = page.next_after.expect("a next page").to_string();
    let listed = cli.output(&["keys", "list", &id, "--limit", "2"]);
    let more = String::from_utf8_lossy(&listed.stderr);
    assert!(more.contains(&format!("more: --after {next}")), "{more}");
    let last: KeyPage = cli.json(&["keys", "list", &id, "--after", &next]);
    assert_eq!((last.keys.len(), last.next_after), (1, None));

    let key = &page.keys[0].key;
    cli.row(&["keys", "set-edition", key, "pro"], &["edition", "pro"]);
    cli.refused(
        &["keys", "set-edition", key, "pro"],
        "409 EDITION_UNCHANGED",
    );
    cli.refused(&["keys", "batch", "999"], "404 BATCH_NOT_FOUND");
}

/// Keys of an earlier system imported from CSV (X5): the product's key format set, a dry run,
/// the import, the same file again, a file with a refused line failing with its table.
pub(super) fn key_import(cli: &Cli) {
    cli.row(
        &["products", "key-format", "ssm2", "S[0-9]{7}"],
        &["key format", "S[0-9]{7}"],
    );
    cli.row(
        &["products", "key-format", "ssm2"],
        &["key format", "S[0-9]{7}"],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old-keys.csv");
    std::fs::write(
        &file,
        "Key;Product;Edition;Size\ns000-0001;ssm2;std;s10\ns0000002;ssm2;pro;s10\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry: KeyImport = cli.json(&["keys", "import", path, "--dry-run"]);
    assert_eq!((dry.new, dry.written), (2, false));
    let out = cli.ok(&["keys", "import", path]);
    assert!(out.contains("2 lines: 2 new, 0 unchanged"), "{out}");
    let again: KeyImport = cli.json(&["keys", "import", path]);
    assert_eq!((again.new, again.unchanged), (0, 2));
    cli.row(&["keys", "show", "S000-0001"], &["status", "issued"]);

    std::fs::write(&file, "key,product,edition,size\nX0000003,ssm2,std,s10\n").unwrap();
    let out = cli.output(&["keys", "import", path]);
    assert!(!out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert_row(&table, &["2", "X000-0003", "KEY_FORMAT_MISMATCH"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 of 1 lines refused"), "{err}");
    cli.row(
        &["products", "key-format", "ssm2", "--clear"],
        &["key format", "none"],
    );
}
