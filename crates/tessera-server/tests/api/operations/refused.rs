//! I1: refused activations are on record with their code, and for the account and
//! installation of the key they named, so its owner sees attempts against it; an attempt on
//! a key registered to nobody is seen by operators only.

use reqwest::Response;

use super::*;

both_backends!(refused_activations_reach_the_keys_owner,);

const ACTIVATE: &str = "POST /api/v1/activations";

async fn activate_by_vat(app: &TestApp, vat: &str, key: &str) -> Response {
    let body = tessera_api::ActivationRequest {
        email: None,
        vat_number: Some(vat.into()),
        product_key: key.into(),
        fingerprint: fp('a'),
        installation: None,
    };
    app.call(
        Method::POST,
        "/api/v1/activations",
        Some(&serde_json::to_value(body).unwrap()),
        None,
    )
    .await
}

/// The code of a refused answer.
async fn code_of(resp: Response) -> String {
    assert!(resp.status().is_client_error(), "{}", resp.status());
    let body: Value = resp.json().await.unwrap();
    body["code"].as_str().unwrap().to_owned()
}

/// (code, account, site) of the refused activations in `entries`, oldest first.
fn refused_activations(
    entries: &[Operation],
) -> Vec<(Option<String>, Option<i64>, Option<String>)> {
    let mut found: Vec<_> = entries
        .iter()
        .filter(|o| o.operation == ACTIVATE && o.outcome == "refused")
        .map(|o| (o.code.clone(), o.account_id, o.site_id.clone()))
        .collect();
    found.reverse();
    found
}

async fn refused_activations_reach_the_keys_owner(app: TestApp) {
    let keys = product_with_keys(&app, "fleet", 4, 0).await;
    let anna = register(&app, "anna", "anna@example.com", IT_VATS[0], &keys[0]).await;
    let token_a = account_login(&app, "anna").await;
    add_key(&app, &token_a, &keys[1]).await;
    register(&app, "bruno", "bruno@example.com", IT_VATS[1], &keys[2]).await;
    let token_b = account_login(&app, "bruno").await;
    let site = anna.installations[0].site_id.clone();
    let vat = format!("IT{}", IT_VATS[0]);

    // Two installations of the product under one VAT number: a choice is required.
    let choose = code_of(activate_by_vat(&app, &vat, &keys[0]).await).await;
    assert_eq!(choose, "INSTALLATION_CHOICE_REQUIRED");
    // Bound, then asked for by another machine (no transfers allowed).
    let bound = activate(&app, "anna@example.com", &keys[0], &fp('a')).await;
    assert_eq!(bound.status(), StatusCode::CREATED);
    let elsewhere = code_of(activate(&app, "anna@example.com", &keys[0], &fp('b')).await).await;
    // Anna's key named with Bruno's account: refused, and it is Anna's key that was tried.
    let misnamed = code_of(activate(&app, "bruno@example.com", &keys[0], &fp('c')).await).await;
    assert_eq!(misnamed, "KEY_INVALID");
    // A key registered to nobody: the same answer, and no account to tell.
    let nobodys = code_of(activate(&app, "bruno@example.com", &keys[3], &fp('d')).await).await;
    assert_eq!(nobodys, "KEY_INVALID");

    let anna_site = |code: &str| (Some(code.to_owned()), Some(anna.id), Some(site.clone()));
    let expected = vec![
        anna_site(&choose),
        anna_site(&elsewhere),
        anna_site(&misnamed),
    ];
    let mut everything = expected.clone();
    everything.push((Some(nobodys), None, None));
    assert_eq!(refused_activations(&ops(&app, "").await), everything);
    assert_eq!(
        refused_activations(&own_ops(&app, &token_a).await),
        expected
    );
    assert_eq!(refused_activations(&own_ops(&app, &token_b).await), []);
}
