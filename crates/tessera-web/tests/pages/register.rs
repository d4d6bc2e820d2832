//! Registration through the pages (B1): the product key checked first, with its format
//! explained before anything is typed; the form with every field; refusals beside their
//! field in the reader's language, the form kept as typed but for the passwords; the
//! confirmation mail queued; and the new account signs in.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use tessera_testkit::fixtures::{IT_VATS, PASSWORD};
use tessera_testkit::scenarios::{account_login, product_with_keys, register};
use tessera_testkit::{Backend, spawn_app};

use crate::visitor::Visitor;

/// Every field of a registration, filled in as a person would, for `key`.
fn filled(username: &str, email: &str, vat: &str, key: &str) -> Vec<(&'static str, String)> {
    [
        ("product_key", key),
        ("username", username),
        ("email", email),
        ("email_confirm", email),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("language", "de"),
        ("company.name", "Rossi Trasporti S.r.l."),
        ("company.country", "IT"),
        ("company.region", "Lombardia"),
        ("company.city", "Milano"),
        ("company.street", "Via Rossini"),
        ("company.number", "12"),
        ("company.postcode", "20121"),
        ("company.vat_number", vat),
        ("company.sector", "transport"),
        ("company.tanks", "2"),
        ("company.drivers", "5"),
        ("company.vehicles", "7"),
        ("company.fax", "0039 02 123456"),
        ("company.company_email", "amministrazione@rossi.example"),
        ("company.commercial_info", "on"),
        ("contact.first_name", "Jack"),
        ("contact.last_name", "White"),
        ("contact.mobile", "0039 348 96666"),
        ("contact.phone", "0039 859 62626"),
        ("reseller.company_name", "Company s.p.a."),
        ("reseller.country", "it"),
        ("reseller.region", "Milano"),
        ("reseller.city", "Milan"),
        ("reseller.street", ""),
        ("reseller.postcode", "20100"),
        ("privacy_accepted", "on"),
        ("newsletter", "on"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// `form` with `name` set to `value` (or left out when None), as a browser would send it.
fn with(
    form: &[(&'static str, String)],
    name: &str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    form.iter()
        .filter_map(|(k, v)| match (*k == name, value) {
            (false, _) => Some((*k, v.clone())),
            (true, Some(new)) => Some((*k, new.to_owned())),
            (true, None) => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_registers_through_the_pages_and_signs_in() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let keys = product_with_keys(&app, "crm", 1, 0).await;
        let mut v = Visitor::new(&app);

        let sign_in = v.get("/sign-in").await;
        assert!(
            sign_in.text.contains("href=\"/register\""),
            "{}",
            sign_in.text
        );

        // Step 1 explains the key before anything is typed.
        let start = v.get("/register").await;
        assert_eq!(start.status, StatusCode::OK);
        for said in [
            "16 symbols in four groups of four",
            "without I, L and O",
            "check symbol",
            "7K3M-Q9TX-4HWP-B2RK",
        ] {
            assert!(start.text.contains(said), "{said}: {}", start.text);
        }
        assert!(start.text.contains("<label for=\"product_key\">"));
        let help = start.text.find("id=\"key-help\"").unwrap();
        let field = start.text.find("name=\"product_key\"").unwrap();
        assert!(help < field, "explained before the field");

        // Typed in small letters without dashes: checked, and carried on in its own form.
        let typed = keys[0].replace('-', "").to_lowercase();
        let form = v
            .post("/register/key-check", &[("product_key", &typed)])
            .await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        assert_eq!(
            form.hidden("product_key").as_deref(),
            Some(keys[0].as_str())
        );
        assert!(form.text.contains("This product key can be registered"));
        for name in [
            "username",
            "password_confirm",
            "email_confirm",
            "company.fax",
            "company.company_email",
            "company.commercial_info",
            "company.vehicles",
            "contact.mobile",
            "reseller.postcode",
            "privacy_accepted",
            "newsletter",
            "language",
        ] {
            let id = name.replace('.', "-");
            assert!(
                form.text.contains(&format!("id=\"{id}\" name=\"{name}\"")),
                "{name} missing"
            );
            assert!(
                form.text.contains(&format!("for=\"{id}\"")),
                "{name} unlabelled"
            );
        }
        assert!(
            form.text.contains("<option value=\"en\" selected>"),
            "mail in the page's language by default"
        );
        assert!(
            form.text.contains("127.0.0.1"),
            "the address kept with the consent"
        );

        let done = v
            .post_form(
                "/register",
                &filled("jack", "Jack@Example.com", IT_VATS[0], &keys[0]),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text);
        assert!(
            done.text
                .contains("A confirmation mail was sent to jack@example.com"),
            "{}",
            done.text
        );
        assert!(done.text.contains("href=\"/sign-in\""));
        let kinds: Vec<String> = app
            .mail_to("jack@example.com")
            .await
            .into_iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(kinds, ["account.registered"]);

        // The account is what was typed, and it signs in on the pages.
        let token = account_login(&app, "jack").await;
        let account = app.api_as(Some(&token)).own_account().await.unwrap();
        assert_eq!(account.language, "de");
        assert!(account.newsletter);
        assert_eq!(account.company.vat_number, "IT00743110157");
        assert_eq!(account.company.vehicles, 7);
        assert_eq!(account.company.fax.as_deref(), Some("0039 02 123456"));
        assert!(account.company.commercial_info);
        assert_eq!(account.privacy_ip, "127.0.0.1");
        assert_eq!(account.installations[0].product_key, keys[0]);
        let signed = v.sign_in("jack", PASSWORD).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
        let sites = v.get("/sites").await;
        assert!(sites.text.contains("One site"), "{}", sites.text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_sold_before_is_taken_in_its_old_spelling() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        product_with_keys(&app, "crm", 1, 0).await;
        let api = app.api();
        api.set_key_format("crm", Some("U[0-9A-F]{15}"))
            .await
            .unwrap();
        let file = b"key,product,edition,size\nU107-3D27-309C-F484,crm,std,s10\n".to_vec();
        assert_eq!(api.import_keys(file, None, false).await.unwrap().new, 1);
        let mut v = Visitor::new(&app);
        let start = v.get("/register").await;
        assert!(
            start
                .text
                .contains("A key bought before may look different"),
            "{}",
            start.text
        );
        let form = v
            .post(
                "/register/key-check",
                &[("product_key", "u107 3d27 309c f484")],
            )
            .await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        assert_eq!(
            form.hidden("product_key").as_deref(),
            Some("U107-3D27-309C-F484")
        );
        // Not held: refused as a mistyped key of Tessera's own would be.
        let wrong = v
            .post(
                "/register/key-check",
                &[("product_key", "U107-3D27-309C-F485")],
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.text
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_key_is_refused_in_the_readers_language() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    let mut v = Visitor::new(&app);
    v.headers.insert(
        "accept-language",
        HeaderValue::from_static("de-DE,de;q=0.9"),
    );
    // The check symbol swapped for another: the key is refused before any lookup.
    let mut mistyped: Vec<char> = keys[0].chars().collect();
    let last = mistyped.len() - 1;
    mistyped[last] = if mistyped[last] == '2' { '3' } else { '2' };
    let mistyped: String = mistyped.into_iter().collect();
    let page = v
        .post("/register/key-check", &[("product_key", &mistyped)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("<html lang=\"de\">"));
    let shown = page
        .error_at("product_key")
        .expect("the error beside the key");
    assert!(shown.contains("Prüfzeichen passt nicht"), "{shown}");
    assert!(page.text.contains("role=\"alert\""));
    assert!(page.text.contains("href=\"#product_key\""), "{}", page.text);
    assert!(page.text.contains("aria-invalid=\"true\""));
    assert!(
        page.text
            .contains("aria-describedby=\"product_key-hint product_key-error\"")
    );
    assert!(
        page.text.contains(&format!("value=\"{mistyped}\"")),
        "typed key kept"
    );

    // Not a key at all, and a key nobody issued or that is registered: each its own words.
    let short = v
        .post("/register/key-check", &[("product_key", "ABC")])
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short.text.contains("Das ist kein Product Key"),
        "{}",
        short.text
    );
    register(&app, "taken", "taken@example.com", IT_VATS[1], &keys[0]).await;
    let taken = v
        .post("/register/key-check", &[("product_key", &keys[0])])
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.text.contains("kann nicht registriert werden"),
        "{}",
        taken.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_keeps_the_form_as_typed_but_never_the_password() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 2, 0).await;
    register(&app, "taken", "taken@example.com", IT_VATS[1], &keys[1]).await;
    let mut v = Visitor::new(&app);
    let form = filled("jack", "jack@example.com", "IT123", &keys[0]);

    let page = v.post_form("/register", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = page
        .error_at("company-vat_number")
        .expect("beside the VAT number");
    assert!(
        shown.contains("not a VAT number of the chosen country"),
        "{shown}"
    );
    assert!(page.text.contains("role=\"alert\""));
    assert!(page.text.contains("href=\"#company-vat_number\""));
    assert!(
        page.text
            .contains("aria-describedby=\"company-vat_number-hint company-vat_number-error\""),
        "{}",
        page.text
    );
    for kept in [
        "value=\"jack\"",
        "value=\"Rossi Trasporti S.r.l.\"",
        "value=\"IT123\"",
        "value=\"0039 02 123456\"",
        "value=\"amministrazione@rossi.example\"",
        "value=\"Company s.p.a.\"",
        "<option value=\"IT\" selected>",
        "<option value=\"de\" selected>",
    ] {
        assert!(page.text.contains(kept), "{kept} not kept");
    }
    assert!(
        page.text.contains("checked"),
        "the ticked boxes stay ticked"
    );
    assert!(
        !page.text.contains(PASSWORD),
        "a password is never sent back"
    );
    assert_eq!(
        page.hidden("product_key").as_deref(),
        Some(keys[0].as_str())
    );

    // Each refusal lands at its own field.
    let cases = [
        (
            with(&form, "password_confirm", Some("another passphrase")),
            "password_confirm",
            "The two passwords differ",
        ),
        (
            with(&form, "email_confirm", Some("jack@example.org")),
            "email_confirm",
            "The two email addresses differ",
        ),
        (
            with(&form, "company.drivers", Some("five")),
            "company-drivers",
            "A whole number",
        ),
        (
            with(&form, "contact.first_name", Some("  ")),
            "contact-first_name",
            "Please fill in this field",
        ),
        (
            with(&form, "username", Some("taken")),
            "username",
            "This username is taken",
        ),
    ];
    for (sent, id, said) in cases {
        let sent = with(&sent, "company.vat_number", Some(IT_VATS[0]));
        let page = v.post_form("/register", &sent).await;
        assert!(page.status.is_client_error(), "{id}: {}", page.status);
        let shown = page
            .error_at(id)
            .unwrap_or_else(|| panic!("{id}: {}", page.text));
        assert!(shown.contains(said), "{id}: {shown}");
        assert!(!page.text.contains(PASSWORD));
        assert!(!page.text.contains("another passphrase"));
    }
    assert!(app.mail_to("jack@example.com").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_privacy_policy_must_be_accepted() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    let mut v = Visitor::new(&app);
    v.headers
        .insert("accept-language", HeaderValue::from_static("it"));
    let form = filled("jack", "jack@example.com", IT_VATS[0], &keys[0]);
    let page = v
        .post_form("/register", &with(&form, "privacy_accepted", None))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = page.error_at("privacy_accepted").expect("beside the box");
    assert!(shown.contains("informativa sulla privacy"), "{shown}");
    assert!(
        page.text
            .contains("id=\"privacy_accepted\" name=\"privacy_accepted\" value=\"on\" required")
    );
    // Nothing was registered: the key is still free, and no mail went out.
    assert!(app.mail_to("jack@example.com").await.is_empty());
    let again = v
        .post("/register/key-check", &[("product_key", &keys[0])])
        .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_checks_are_throttled_and_the_page_says_how_long_to_wait() {
    let app = spawn_app(Backend::Sqlite, |c| {
        c.rate_limits.key_lookups_per_ip = 2;
    })
    .await
    .unwrap();
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    let mut v = Visitor::new(&app);
    for _ in 0..2 {
        let page = v
            .post("/register/key-check", &[("product_key", &keys[0])])
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = v
        .post("/register/key-check", &[("product_key", &keys[0])])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = page.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        page.text.contains(&format!("Wait {secs} seconds")),
        "{}",
        page.text
    );
    assert!(page.text.contains("name=\"product_key\""), "still the form");
}

/// Every page of this file's flows, in every language, has all its texts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_its_texts_in_every_language() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let keys = product_with_keys(&app, "crm", 1, 0).await;
    for lang in ["en", "de", "it"] {
        let mut v = Visitor::new(&app);
        v.headers
            .insert("accept-language", HeaderValue::from_str(lang).unwrap());
        let pages = [
            v.get("/register").await,
            v.post("/register/key-check", &[("product_key", &keys[0])])
                .await,
            v.get("/password-reset").await,
            v.get("/password-reset/confirm").await,
            v.post("/password-reset", &[("email", "x@example.com")])
                .await,
        ];
        for page in pages {
            assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.text);
            assert!(page.text.contains(&format!("<html lang=\"{lang}\">")));
            assert!(
                !page.text.contains("Unknown localization"),
                "{lang}: {}",
                page.text
            );
        }
    }
}
