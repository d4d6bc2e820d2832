//! Every route that needs a token refuses requests without one or with a forged one.
// Raw JSON: every route gets the same `{}`, whatever its type; the token check comes first.

use serde_json::json;

use super::*;

both_backends!(operator_routes_need_a_token);

/// Every route the OpenAPI document marks as needing a token (operator, account or site)
/// refuses requests without one or with a forged one, so a new route cannot forget the check unnoticed.
async fn operator_routes_need_a_token(app: TestApp) {
    let openapi = serde_json::to_value(tessera_server::routes::openapi()).unwrap();
    let anon = reqwest::Client::new();
    let mut checked = 0;
    for (path, item) in openapi["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op["security"].as_array().is_none_or(|s| s.is_empty()) {
                continue;
            }
            let concrete = path
                .replace("{product}", "fuelmaster")
                .replace("{id}", "1")
                .replace("{key}", "AAAA-AAAA-AAAA-AAAA")
                .replace("{site_id}", "0123456789abcdef0123456789abcdef")
                .replace("{key_id}", "0123456789abcdef");
            for token in [None, Some("forged-token")] {
                let url = format!("{}{concrete}", app.base);
                let mut req = match method.as_str() {
                    "get" => anon.get(url),
                    "post" => anon.post(url).json(&json!({})),
                    "put" => anon.put(url).json(&json!({})),
                    "delete" => anon.delete(url),
                    other => panic!("unexpected method {other}"),
                };
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                let resp = req.send().await.unwrap();
                assert_eq!(
                    resp.status(),
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {token:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 16,
        "only {checked} operator routes found in the OpenAPI document"
    );
}
