//! Keys sold before, imported in the console (X5): the product's key format set (a bad one
//! refused at its field), a file checked, refused lines listed with nothing written, the file
//! imported and its batch linked, the same file again unchanged.

use reqwest::StatusCode;
use tessera_testkit::scenarios::product_with_keys;
use tessera_testkit::{Backend, spawn_app};

use crate::operator::operator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_imports_keys_sold_before() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        product_with_keys(&app, "crm", 1, 0).await;
        let mut v = operator(&app).await;
        let keys = v.get("/operator/keys").await;
        assert!(keys.text.contains("href=\"/operator/keys/import\""));
        let page = v.get("/operator/keys/import").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(
            page.text.contains("data-fills=\"csv\""),
            "the file fills the box"
        );
        assert!(page.text.contains("none: only Tessera keys"));
        let csrf = page.hidden("csrf").unwrap();

        let format = |pattern: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("product", "crm".to_owned()),
                ("pattern", pattern.to_owned()),
            ]
        };
        let refused = v
            .post_form("/operator/keys/import/format", &format("U[0-9"))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error_at("format-pattern").is_some(),
            "{}",
            refused.text
        );
        assert!(refused.text.contains("value=\"U[0-9\""), "typed kept");
        let done = v
            .post_form("/operator/keys/import/format", &format("U[0-9A-F]{15}"))
            .await;
        assert_eq!(done.location(), "/operator/keys/import?done=format");
        let page = v.get("/operator/keys/import?done=format").await;
        assert!(page.text.contains("The key format is set."));
        assert!(page.text.contains("U[0-9A-F]{15}"));

        let import = |csv: &str, dry_run: bool| {
            let mut form = vec![("csrf", csrf.clone()), ("csv", csv.to_owned())];
            if dry_run {
                form.push(("dry_run", "on".to_owned()));
            }
            form
        };
        let good = "key;product;edition;size\nU107-3D27-309C-F484;crm;std;s10\nu1073d27309cf485;crm;std;s10\n";
        let checked = v
            .post_form("/operator/keys/import", &import(good, true))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text);
        assert!(
            checked
                .text
                .contains("Checked, nothing written: 2 lines, 2 would be new"),
            "{}",
            checked.text
        );
        let bad = format!("{good}X107-3D27-309C-F486;crm;std;s10\n");
        let refused = v
            .post_form("/operator/keys/import", &import(&bad, false))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text
                .contains("1 of 3 lines refused; nothing was imported")
        );
        assert!(
            refused
                .text
                .contains("<tr data-line=\"4\" data-code=\"KEY_FORMAT_MISMATCH\">"),
            "{}",
            refused.text
        );
        assert!(
            refused.text.contains("X107-3D27-309C-F486"),
            "the file kept to mend"
        );
        let not_csv = v
            .post_form(
                "/operator/keys/import",
                &import("key,product\nA,b\n", false),
            )
            .await;
        assert_eq!(not_csv.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(not_csv.error_at("csv").is_some(), "{}", not_csv.text);

        let done = v
            .post_form("/operator/keys/import", &import(good, false))
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert!(done.text.contains("2 lines: 2 keys imported, 0 unchanged"));
        assert!(
            done.text.contains("href=\"/operator/keys/batches/2\""),
            "{}",
            done.text
        );
        let again = v
            .post_form("/operator/keys/import", &import(good, false))
            .await;
        assert!(again.text.contains("2 lines: 0 keys imported, 2 unchanged"));
        let key = v
            .get("/operator/keys/find?key=u107%203d27%20309c%20f484")
            .await;
        assert_eq!(key.location(), "/operator/keys/U107-3D27-309C-F484");
    }
}
