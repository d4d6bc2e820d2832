//! The operator console: an operator signs in on its own page and keeps the catalog (a
//! product, its editions, sizes and modules) and the plans; refusals come back at their
//! field. Sessions never cross: a customer's or a site user's session opens no console
//! page, and an operator's none of the customers'.

use reqwest::StatusCode;
use tessera_api::NewSiteUser;
use tessera_testkit::fixtures::PASSWORD;
use tessera_testkit::{ADMIN_PASSWORD, Backend, TestApp, spawn_app};

use crate::site::account_with_data;
use crate::visitor::Visitor;

/// Every page of the console (its sign-in aside; `/operator` leads to the fleet dashboard).
const CONSOLE: [&str; 8] = [
    "/operator/fleet",
    "/operator/jobs/mail",
    "/operator/offline",
    "/operator/fleet/charts.json",
    "/operator/catalog",
    "/operator/catalog/crm",
    "/operator/catalog/crm/releases",
    "/operator/plans",
];

/// Signs in on the console's page as `admin`.
pub async fn operator(app: &TestApp) -> Visitor {
    let mut v = Visitor::new(app);
    let csrf = v.get("/operator/sign-in").await.hidden("csrf").unwrap();
    let form = [
        ("login", "admin"),
        ("password", ADMIN_PASSWORD),
        ("csrf", csrf.as_str()),
    ];
    let signed = v.post("/operator/sign-in", &form).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_keeps_the_catalog_and_the_plans() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = spawn_app(backend, |_| {}).await else {
            continue;
        };
        let mut v = Visitor::new(&app);
        let first = v.get("/operator/catalog").await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        assert_eq!(first.location(), "/operator/sign-in?next=/operator/catalog");
        let wrong = v
            .post(
                "/operator/sign-in",
                &[("login", "admin"), ("password", "not it")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text.contains("The sign-in data is not right"));

        let form = [("login", "admin"), ("password", ADMIN_PASSWORD)];
        let signed = v.post("/operator/sign-in?next=/x", &form).await;
        assert_eq!(signed.location(), "/operator/fleet");
        let cookie = signed.headers["set-cookie"].to_str().unwrap().to_owned();
        for part in [
            "tessera_operator=",
            "HttpOnly",
            "SameSite=Lax",
            "Path=/operator",
        ] {
            assert!(cookie.contains(part), "{cookie}");
        }

        let catalog = v.get("/operator/catalog").await;
        assert_eq!(catalog.status, StatusCode::OK, "{}", catalog.text);
        assert!(catalog.text.contains("There are no products yet."));
        let csrf = catalog.hidden("csrf").unwrap();

        // A refusal at its field, what was typed kept; then the product.
        let product = |code: &'static str, name: &'static str, grace: &'static str| {
            [
                ("csrf", csrf.clone()),
                ("code", code.to_owned()),
                ("name", name.to_owned()),
                ("grace_days", grace.to_owned()),
                ("max_transfers", String::new()),
            ]
        };
        let refused = v
            .post_form(
                "/operator/catalog",
                &product("Fuel Master!", "FuelMaster", "12"),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("code").is_some(), "{}", refused.text);
        assert!(refused.text.contains("value=\"FuelMaster\""));
        let refused = v
            .post_form(
                "/operator/catalog",
                &product("fuelmaster", "FuelMaster", "400"),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("grace_days").is_some(), "{}", refused.text);
        let created = v
            .post_form(
                "/operator/catalog",
                &product("fuelmaster", "<b>FuelMaster</b>", "12"),
            )
            .await;
        assert_eq!(created.location(), "/operator/catalog/fuelmaster");

        let add = async |v: &mut Visitor, part: &str, fields: &[(&str, &str)]| {
            let mut form = vec![("csrf", csrf.as_str())];
            form.extend_from_slice(fields);
            v.post(&format!("/operator/catalog/fuelmaster/{part}"), &form)
                .await
        };
        for (code, name) in [("standard", "Standard"), ("premium", "Premium")] {
            let added = add(&mut v, "editions", &[("code", code), ("name", name)]).await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
        }
        let bad = [("code", "s5"), ("name", "Up to 5"), ("limits", "drivers")];
        let refused = add(&mut v, "sizes", &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.error_at("size-limits").is_some(),
            "{}",
            refused.text
        );
        assert!(refused.text.contains("value=\"drivers\""), "kept as typed");
        let size = [
            ("code", "s5"),
            ("name", "Up to 5"),
            ("limits", "drivers=5, users=10"),
        ];
        assert_eq!(
            add(&mut v, "sizes", &size).await.status,
            StatusCode::SEE_OTHER
        );
        let twice = add(
            &mut v,
            "editions",
            &[("code", "standard"), ("name", "Again")],
        )
        .await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.text);
        let module = [("code", "mail"), ("name", "Mail")];
        assert_eq!(
            add(&mut v, "modules", &module).await.status,
            StatusCode::SEE_OTHER
        );

        let page = v.get("/operator/catalog/fuelmaster?done=module").await;
        assert!(page.text.contains("The module was added."));
        assert!(page.text.contains("&#60;b&#62;FuelMaster&#60;/b&#62;"));
        assert!(!page.text.contains("<b>FuelMaster"), "escaped");
        assert!(page.text.contains("drivers 5 · users 10"));
        assert!(page.text.contains("Locks after 12 days without a check"));
        let stored = app.api().product("fuelmaster").await.unwrap();
        let editions: Vec<_> = stored.editions.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(editions, ["standard", "premium"], "lowest first");
        assert_eq!(stored.sizes[0].limits["users"], 10);
        assert_eq!(stored.grace_days, 12);

        // A plan for it.
        let plans = v.get("/operator/plans").await;
        assert!(plans.text.contains("There are no plans yet."));
        let plan = |price: &'static str| {
            [
                ("csrf", csrf.clone()),
                ("code", "fm-cloud".to_owned()),
                ("name", "FuelMaster Cloud".to_owned()),
                ("service", "cloud".to_owned()),
                ("article_code", "F00772540".to_owned()),
                ("price", price.to_owned()),
                ("currency", "eur".to_owned()),
                ("period_months", "12".to_owned()),
                ("trial_months", "6".to_owned()),
                ("trial_sites", "3".to_owned()),
                ("product", "fuelmaster".to_owned()),
                ("bundles", "standard/s5, premium/s5".to_owned()),
            ]
        };
        let refused = v.post_form("/operator/plans", &plan("3.000,00")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.error_at("price").is_some(), "{}", refused.text);
        let added = v.post_form("/operator/plans", &plan("300.5")).await;
        assert_eq!(
            added.location(),
            "/operator/plans?done=plan",
            "{}",
            added.text
        );
        let plans = v.get("/operator/plans?done=plan").await;
        assert!(
            plans.text.contains("300.50 EUR per site for 12 months"),
            "{}",
            plans.text
        );
        assert!(plans.text.contains("6 months, up to 3 sites"));
        let stored = app.api().plans().await.unwrap().plans;
        assert_eq!((stored[0].price, stored[0].bundles.len()), (30_050, 2));

        // Signed out, the console asks again.
        let out = v.post("/operator/sign-out", &[("csrf", &csrf)]).await;
        assert_eq!(out.location(), "/operator/sign-in");
        assert_eq!(v.get("/operator/plans").await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_never_cross_between_the_console_and_the_customers_pages() {
    let app = spawn_app(Backend::Sqlite, |_| {}).await.unwrap();
    let (sites, admin) = account_with_data(&app, 1).await;
    let code = crate::site_users::enabled(&app, &admin, &sites[0]).await;
    let user = NewSiteUser {
        username: "admin".into(),
        password: PASSWORD.into(),
        groups: Vec::new(),
    };
    app.api_as(Some(&admin))
        .create_site_user(&sites[0], &user)
        .await
        .unwrap();

    let mut account = Visitor::new(&app);
    account.sign_in("ib50", PASSWORD).await;
    let mut site_user = Visitor::new(&app);
    site_user.sign_in_site("admin", PASSWORD, &code).await;
    for mut customer in [account, site_user] {
        let token = customer.cookies["tessera_session"].clone();
        assert_eq!(customer.get("/sites").await.status, StatusCode::OK);
        // Its own cookie, and the same token put into the console's cookie by hand.
        for forged in [false, true] {
            if forged {
                customer
                    .cookies
                    .insert("tessera_operator".into(), token.clone());
            }
            for path in CONSOLE {
                let page = customer.get(path).await;
                assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.text);
                assert!(
                    page.location().starts_with("/operator/sign-in"),
                    "{path} → {}",
                    page.location()
                );
            }
            let csrf = customer.get("/sites").await.hidden("csrf").unwrap();
            let post = customer
                .post(
                    "/operator/catalog",
                    &[("csrf", &csrf), ("code", "x"), ("name", "X")],
                )
                .await;
            assert_eq!(post.status, StatusCode::SEE_OTHER, "{}", post.text);
            assert!(post.location().starts_with("/operator/sign-in"));
            assert!(app.api().product("x").await.is_err(), "no product made");
        }
    }

    // The operator's session opens no customer page.
    let mut op = operator(&app).await;
    let token = op.cookies["tessera_operator"].clone();
    op.cookies.insert("tessera_session".into(), token);
    for path in ["/sites", "/cloud", "/users", "/operations", "/invoices"] {
        let page = op.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location().starts_with("/sign-in"), "{path}");
    }
}
