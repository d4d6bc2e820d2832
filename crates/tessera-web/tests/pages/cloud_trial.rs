//! The free trial as the seed's wizard (E1): the registry data, the terms, a summary at
//! 0.00, the confirmation and its mail; once only, said in words.

use reqwest::StatusCode;
use tessera_testkit::{Backend, spawn_app};

use crate::cloud_given::{billing, customer, signed_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trial_wizard_goes_from_the_registry_to_a_summary_at_zero_to_the_confirmation() {
    let app = spawn_app(Backend::Sqlite, billing).await.unwrap();
    customer(&app, 2).await;
    let mut v = signed_in(&app, "ib50").await;

    let step1 = v.get("/cloud/trial").await;
    assert_eq!(step1.status, StatusCode::OK);
    for shown in [
        "ib50",
        "office@ib50.example",
        "Rossi Trasporti S.r.l.",
        "IT00743110157",
    ] {
        assert!(step1.text.contains(shown), "registry data {shown}");
    }
    assert!(step1.text.contains("value=\"cloud-s10\""));
    assert!(step1.text.contains("6 months, up to 3 sites"));
    assert!(step1.text.contains("aria-current=\"step\">1. Choose"));

    // The terms must be accepted to go on.
    let unaccepted = v.get("/cloud/trial/summary?plan=cloud-s10").await;
    assert_eq!(unaccepted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unaccepted.text.contains("Accept the terms"),
        "{}",
        unaccepted.text
    );

    let step2 = v.get("/cloud/trial/summary?plan=cloud-s10&terms=yes").await;
    assert_eq!(step2.status, StatusCode::OK, "{}", step2.text);
    assert!(step2.text.contains("aria-current=\"step\">2. Summary"));
    assert!(step2.text.contains(">TRIAL<") && step2.text.contains("SSM 2.0 Cloud"));
    assert!(
        step2.text.contains("<strong>0.00 EUR</strong>"),
        "total 0.00"
    );
    assert!(step2.text.contains("2026-11-23"), "today");

    let csrf = step2.hidden("csrf").unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("plan", "cloud-s10"),
        ("terms", "yes"),
    ];
    let started = v.post("/cloud/trial", &form).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    assert_eq!(started.location(), "/cloud/trial/started");
    let step3 = v.get("/cloud/trial/started").await;
    assert!(step3.text.contains("aria-current=\"step\">3. Confirmation"));
    assert!(
        step3
            .text
            .contains("It runs until 2027-05-23, for up to 3 sites.")
    );
    let mails = app.mail_to("office@ib50.example").await;
    assert!(
        mails.iter().any(|m| m.kind == "trial.started"),
        "the use case mails the start"
    );

    // Once only: said in words, on the summary.
    let again = v.post("/cloud/trial", &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.text.contains("used its free trial already"),
        "{}",
        again.text
    );
    assert!(again.text.contains("2. Summary"));

    // In German too.
    v.headers.insert("accept-language", "de".parse().unwrap());
    let german = v.post("/cloud/trial", &form).await;
    assert!(german.text.contains("kostenlosen Test bereits genutzt"));
}
