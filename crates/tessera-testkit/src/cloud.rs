//! The cloud service as the web pages' tests start from, set up through the JSON API as an
//! operator and the sites' programs would: a product with editions Standard < Professional
//! < Enterprise in one size, a cloud plan covering all three, the vendor's billing settings
//! (the test payment provider on), and the account `ib50` with Standard sites activated and
//! their site data sent.

use tessera_api::{
    ActivationRequest, AddKey, BundleRef, CreateProduct, NewEntry, NewPlan, NewSize, SiteData,
};
use tessera_server::Config;

use crate::app::TestApp;
use crate::fixtures::{IT_VATS, reseller};
use crate::scenarios::{account_login, batch_keys, fp, register};

/// The secret the payment provider shares.
pub const SECRET: &str = "shared with the payment provider";

/// The vendor's invoicing and payments, the test provider on.
pub fn billing(config: &mut Config) {
    let b = &mut config.billing;
    b.seller_name = Some("Vendor S.p.A.".into());
    b.seller_address = vec!["Via Roma 1".into(), "42100 Reggio Emilia".into()];
    b.seller_country = Some("IT".into());
    b.seller_vat_number = Some("IT00743110157".into());
    b.vat_rates = [("IT".to_owned(), 2200), ("DE".to_owned(), 1900)].into();
    b.payment_secret = Some(SECRET.into());
    b.test_payments = true;
}

/// Product `ssm2` (Standard < Professional < Enterprise, size s10) and plan `cloud-s10`
/// covering all three at 300.00 EUR a site and year, trial 6 months for 3 sites; `n`
/// Standard keys.
pub async fn catalog(app: &TestApp, n: u32) -> Vec<String> {
    let entry = |code: &str, name: &str| NewEntry {
        code: code.into(),
        name: name.into(),
    };
    let api = app.api();
    api.create_product(&CreateProduct {
        code: "ssm2".into(),
        name: "SSM 2.0".into(),
        editions: vec![
            entry("std", "Standard"),
            entry("pro", "Professional"),
            entry("ent", "Enterprise"),
        ],
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
    let keys = batch_keys(app, "ssm2", "std", "s10", n).await;
    let bundle = |edition: &str| BundleRef {
        edition: edition.into(),
        size: "s10".into(),
    };
    api.create_plan(&NewPlan {
        code: "cloud-s10".into(),
        service: "cloud".into(),
        name: "SSM 2.0 Cloud".into(),
        article_code: "F00772540".into(),
        price: 30_000,
        currency: "EUR".into(),
        period_months: 12,
        trial_months: 6,
        trial_sites: 3,
        product: "ssm2".into(),
        bundles: vec![bundle("std"), bundle("pro"), bundle("ent")],
    })
    .await
    .unwrap();
    keys
}

/// Account `ib50` (`office@ib50.example`) with `n` Standard sites, each activated by its
/// program; all but the last sent their site data naming `rep<i>@ib50.example`, the last
/// none (it has no email for its codes). The portal token and the site ids.
pub async fn customer(app: &TestApp, n: u32) -> (String, Vec<String>) {
    let keys = catalog(app, n).await;
    let email = "office@ib50.example";
    register(app, "ib50", email, IT_VATS[0], &keys[0]).await;
    let token = account_login(app, "ib50").await;
    let mut sites = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            let add = AddKey {
                product_key: key.clone(),
                reseller: reseller(),
            };
            app.api_as(Some(&token)).add_key(&add).await.unwrap();
        }
        let machine = char::from_digit(i as u32 + 1, 16).unwrap();
        let done = app
            .api_as(None)
            .activate(&ActivationRequest {
                email: Some(email.into()),
                vat_number: None,
                product_key: key.clone(),
                fingerprint: fp(machine),
                installation: None,
            })
            .await
            .unwrap();
        if i + 1 < keys.len() {
            app.api_as(Some(&done.site_token))
                .put_site_data(&site_data(i))
                .await
                .unwrap();
        }
        sites.push(done.site_id);
    }
    (token, sites)
}

fn site_data(i: usize) -> SiteData {
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
        representative_email: format!("rep{i}@ib50.example"),
    }
}

/// Starts the trial of `cloud-s10` through the JSON API.
pub async fn trial(app: &TestApp, token: &str) {
    let plan = tessera_api::StartTrial {
        plan: "cloud-s10".into(),
        terms_accepted: true,
    };
    app.api_as(Some(token)).start_trial(&plan).await.unwrap();
}

/// Seed 000's fuel collections (the sync's stories share them).
pub use crate::sync::fuel_collections;

/// The cloud codes last mailed to `email` (the site's representative) for its site, read
/// from the mail outbox: `(activation_code, site_code)`.
pub async fn mailed_codes(app: &TestApp, email: &str) -> (String, String) {
    let mail = app
        .mail_to(email)
        .await
        .into_iter()
        .rev()
        .find(|m| m.body.contains("Activation code:"))
        .unwrap_or_else(|| panic!("no cloud codes mailed to {email}"));
    let after = |label: &str| {
        mail.body
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label:?} in {}", mail.body))
            .trim()
            .to_owned()
    };
    (after("Activation code:"), after("Site code:"))
}
