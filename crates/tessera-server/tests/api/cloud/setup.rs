//! The cloud stories' set-up: a catalog with a cloud plan, a customer with activated sites.

use tessera_api::{
    ActivationRequest, BundleRef, CreateProduct, NewEntry, NewPlan, NewSize, SiteData,
};

use super::*;

/// Product `ssm2` with editions std < pro and size s10; a plan `cloud-s10` covering std/s10
/// at 300.00 EUR per site and year, trial 6 months for 3 sites; `n` std keys and one pro key
/// (the last).
pub(crate) async fn catalog(app: &TestApp, n: u32) -> Vec<String> {
    let entry = |code: &str, name: &str| NewEntry {
        code: code.into(),
        name: name.into(),
    };
    let api = app.api();
    api.create_product(&CreateProduct {
        code: "ssm2".into(),
        name: "SSM 2.0".into(),
        editions: vec![entry("std", "Standard"), entry("pro", "Professional")],
        sizes: vec![NewSize {
            code: "s10".into(),
            name: "10 vehicles".into(),
            limits: [("vehicles".to_owned(), 10)].into(),
        }],
        modules: vec![],
        grace_days: None,
        max_transfers: None,
    })
    .await
    .unwrap();
    let mut keys = batch_keys(app, "ssm2", "std", "s10", n).await;
    keys.extend(batch_keys(app, "ssm2", "pro", "s10", 1).await);
    api.create_plan(&NewPlan {
        code: "cloud-s10".into(),
        service: "cloud".into(),
        name: "SSM 2.0 Cloud".into(),
        article_code: "F00772540".into(),
        price: 30000,
        currency: "EUR".into(),
        period_months: 12,
        trial_months: 6,
        trial_sites: 3,
        product: "ssm2".into(),
        bundles: vec![BundleRef {
            edition: "std".into(),
            size: "s10".into(),
        }],
    })
    .await
    .unwrap();
    keys
}

/// Registers `username` with all `keys`, activates each on its own machine and sends site
/// data naming `rep<i>@<username>.example` as representative; returns the portal token and
/// the site ids in key order.
pub(crate) async fn customer(
    app: &TestApp,
    username: &str,
    vat: &str,
    keys: &[String],
) -> (String, Vec<String>) {
    let email = format!("{username}@example.com");
    register(app, username, &email, vat, &keys[0]).await;
    let token = account_login(app, username).await;
    for key in &keys[1..] {
        add_key(app, &token, key).await;
    }
    let mut sites = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let machine = char::from_digit(i as u32 + 1, 16).unwrap();
        let done = app
            .api_as(None)
            .activate(&ActivationRequest {
                email: Some(email.clone()),
                vat_number: None,
                product_key: key.clone(),
                fingerprint: fp(machine),
                installation: None,
            })
            .await
            .unwrap();
        app.api_as(Some(&done.site_token))
            .put_site_data(&site_data(i, username))
            .await
            .unwrap();
        sites.push(done.site_id);
    }
    (token, sites)
}

/// The data of the `i`-th site, naming `rep<i>@<username>.example` as representative.
fn site_data(i: usize, username: &str) -> SiteData {
    SiteData {
        company: "Rossi Trasporti".into(),
        branch: Some(format!("Depot {i}")),
        address: "Via Emilia 4".into(),
        zip: "20121".into(),
        locality: "Milano".into(),
        province: "MI".into(),
        nation: "IT".into(),
        representative_name: "Nicola".into(),
        representative_surname: "Luzzara".into(),
        representative_email: format!("rep{i}@{username}.example"),
    }
}
