//! A NUL in every string field, path parameter and query parameter of every operation is
//! refused at the edge with 422 `CONTROL_CHARACTER` naming it — never a 5xx, on either
//! backend (PostgreSQL cannot store NUL in text).

use std::collections::HashMap;

use reqwest::StatusCode;
use tessera_api::ActivationResponse;
use tessera_core::Clock;

use super::*;
use crate::fixtures::{IT_VATS, account_login, activate, fp, product_with_keys, register};
use crate::harness::*;

both_backends!(a_nul_anywhere_is_refused_at_the_edge with payments);

const SECRET: &str = "the provider's secret";

/// Billing set up, so no route answers 503 for want of it; payment callbacks are checked
/// (signed with [`SECRET`]) before their body is read.
fn payments(config: &mut Config) {
    config.billing.payment_secret = Some(SECRET.into());
    config.billing.seller_name = Some("Vendor S.p.A.".into());
    config.billing.seller_country = Some("IT".into());
}

/// Sends `body` signed as the payment provider would (other routes ignore the header).
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    url: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = app.http.request(method, format!("{}{url}", app.base));
    if let Some(body) = body {
        let raw = serde_json::to_vec(body).unwrap();
        let t = app.clock.now().as_second();
        request = request
            .header("content-type", "application/json")
            .header(
                "tessera-signature",
                tessera_core::payment::sign(SECRET.as_bytes(), t, &raw),
            )
            .body(raw);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// A bearer token for each security scheme the stories can reach.
async fn tokens(app: &TestApp) -> HashMap<&'static str, String> {
    let keys = product_with_keys(app, "crm", 1, 0).await;
    register(app, "jack", "jack@example.com", IT_VATS[0], &keys[0]).await;
    let activated: ActivationResponse = ok(
        activate(app, "jack@example.com", &keys[0], &fp('a')).await,
        StatusCode::CREATED,
    )
    .await;
    HashMap::from([
        ("operator_token", app.token().to_owned()),
        ("account_token", account_login(app, "jack").await),
        ("site_token", activated.site_token),
    ])
}

/// One request with a NUL in one place, and the field the answer must name.
struct Probe {
    path: String,
    query: Option<String>,
    body: Option<Value>,
    field: String,
}

fn probes(doc: &Value, op: &Operation) -> Vec<Probe> {
    let path_params: Vec<&str> = op
        .parameters
        .iter()
        .filter(|p| p["in"] == "path")
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let fill = |nul_in: Option<&str>| {
        path_params.iter().fold(op.path.clone(), |path, name| {
            let value = if nul_in == Some(name) { "a%00b" } else { "1" };
            path.replace(&format!("{{{name}}}"), value)
        })
    };
    let body = op.body.as_ref().map(|schema| sample(doc, schema));
    let mut probes = Vec::new();
    for name in &path_params {
        probes.push(Probe {
            path: fill(Some(name)),
            query: None,
            body: body.clone(),
            field: (*name).into(),
        });
    }
    for p in op.parameters.iter().filter(|p| p["in"] == "query") {
        let name = p["name"].as_str().unwrap();
        probes.push(Probe {
            path: fill(None),
            query: Some(format!("{name}=a%00b")),
            body: body.clone(),
            field: name.into(),
        });
    }
    if let Some(body) = &body {
        let mut fields = Vec::new();
        string_paths(body, "", &mut fields);
        for field in fields {
            let body = with_string(body, &field, "a\u{0}b");
            probes.push(Probe {
                path: fill(None),
                query: None,
                body: Some(body),
                field,
            });
        }
    }
    probes
}

async fn a_nul_anywhere_is_refused_at_the_edge(app: TestApp) {
    let doc = document();
    let tokens = tokens(&app).await;
    let (mut sent, mut wrong) = (0, Vec::new());
    for op in operations(&doc) {
        let token = op.scheme.as_deref().and_then(|s| tokens.get(s));
        let reachable = op.scheme.is_none() || token.is_some();
        for probe in probes(&doc, &op) {
            let url = match &probe.query {
                Some(q) => format!("{}?{q}", probe.path),
                None => probe.path.clone(),
            };
            let resp = send(
                &app,
                op.method.clone(),
                &url,
                probe.body.as_ref(),
                token.map(String::as_str),
            )
            .await;
            sent += 1;
            let status = resp.status();
            let body: Value = resp.json().await.unwrap_or_default();
            let refused_here = status == StatusCode::UNPROCESSABLE_ENTITY
                && body["code"] == "CONTROL_CHARACTER"
                && (probe.field.is_empty() || body["field"] == probe.field.as_str());
            if status.is_server_error() || (reachable && !refused_here) {
                wrong.push(format!(
                    "{} {url} [{}]: {status} {body}",
                    op.method, probe.field
                ));
            }
        }
    }
    assert!(
        sent > 100,
        "only {sent} probes: the document lost its operations?"
    );
    assert!(
        wrong.is_empty(),
        "{} of {sent} probes:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
