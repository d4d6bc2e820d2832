//! The operator's story: signing in with the generated password, a product from a file, a
//! big key batch generated, shown, revoked and resumed.

use crate::customer::customer_commands;
use crate::server::{run, serve, success};

pub(crate) fn operator_story(database_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), database_url, None);
    let password = server
        .first_line
        .strip_prefix("Created the operator account 'admin' with the password: ")
        .unwrap_or_else(|| panic!("first line: {}", server.first_line))
        .trim()
        .to_owned();

    let wrong = run(&server, None, &["login", "--password", "definitely not it"]);
    assert!(!wrong.status.success());
    let wrong_err = String::from_utf8_lossy(&wrong.stderr);
    assert!(wrong_err.contains("401 UNAUTHENTICATED"), "{wrong_err}");

    let login = success(run(&server, None, &["login", "--password", &password]));
    let token = login
        .trim()
        .strip_prefix("export TESSERA_TOKEN=")
        .expect("export line")
        .to_owned();

    let product = dir.path().join("product.json");
    std::fs::write(
        &product,
        r#"{"code":"crm","name":"CRM","editions":[{"code":"base","name":"Base"},{"code":"pro","name":"Pro"}],
            "sizes":[{"code":"u10","name":"10 users","limits":{"users":10}}],"modules":[{"code":"mail","name":"Mail"}]}"#,
    )
    .unwrap();
    success(run(
        &server,
        Some(&token),
        &["products", "create", "--file", product.to_str().unwrap()],
    ));
    let list = success(run(&server, Some(&token), &["products", "list"]));
    assert!(list.contains("base, pro"), "{list}");

    let csv = dir.path().join("keys.csv");
    let args = [
        "keys",
        "generate",
        "--product",
        "crm",
        "--edition",
        "pro",
        "--size",
        "u10",
        "--count",
        "12345",
        "--out",
        csv.to_str().unwrap(),
    ];
    let batch = success(run(&server, Some(&token), &args));
    assert_eq!(batch.trim(), "1", "prints the batch id");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 12_346);
    let key = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();

    let shown = success(run(
        &server,
        Some(&token),
        &["keys", "show", &key.to_lowercase()],
    ));
    assert!(
        shown
            .lines()
            .any(|l| l.contains("| status ") && l.contains("issued")),
        "{shown}"
    );
    success(run(
        &server,
        Some(&token),
        &["keys", "revoke", &key, "--reason", "test"],
    ));
    let history = success(run(&server, Some(&token), &["keys", "history", &key]));
    assert!(
        history.contains("key.revoked") && history.contains("operator:admin"),
        "{history}"
    );
    // Resuming a complete batch has nothing left to do and says which batch it was.
    let resumed = success(run(
        &server,
        Some(&token),
        &["keys", "generate", "--resume", "1"],
    ));
    assert_eq!(resumed.trim(), "1");
    let typo = run(&server, Some(&token), &["keys", "show", &key[..18]]);
    assert!(
        String::from_utf8_lossy(&typo.stderr).contains("16 symbols"),
        "refused locally"
    );
    let batches = success(run(&server, Some(&token), &["keys", "batches"]));
    assert!(batches.contains("12345/12345"), "{batches}");

    let unauthenticated = run(&server, None, &["keys", "batches"]);
    assert!(String::from_utf8_lossy(&unauthenticated.stderr).contains("no operator token"));

    customer_commands(
        &server,
        &token,
        text.lines().nth(2).unwrap().split(',').next().unwrap(),
    );
}
