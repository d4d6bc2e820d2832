//! What the edge does, written into the OpenAPI document once for every operation: the
//! answers it can give before a handler decides anything, from what the operation takes — a
//! token (401), a JSON body (400, 413, 415, 422), path or query parameters (422) — and its
//! rule for text (no control characters but tab and line ends) as a pattern on every string.
//! A new route is described without repeating them.

use std::collections::BTreeSet;

use serde_json::Value;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Adds the edge's answers and its text rule to the document.
pub fn add(openapi: &mut OpenApi) {
    add_answers(openapi);
    let mut json = serde_json::to_value(&*openapi).expect("the document serializes");
    text_rule(&mut json);
    *openapi = serde_json::from_value(json).expect("the document reads back");
}

/// Puts [`TEXT_PATTERN`] on every string a request carries: parameters, request bodies and
/// the component schemas they use (answers may quote anything and are left alone).
fn text_rule(doc: &mut Value) {
    let mut used = BTreeSet::new();
    let mut pending = Vec::new();
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            for part in ["parameters", "requestBody"] {
                if let Some(part) = operation.get_mut(part) {
                    refs(part, &mut pending);
                    text_pattern(part);
                }
            }
        }
    }
    while let Some(name) = pending.pop() {
        if used.insert(name.clone()) {
            refs(&doc["components"]["schemas"][&name], &mut pending);
        }
    }
    for name in used {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            text_pattern(schema);
        }
    }
}

/// The component schemas `value` refers to.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                out.push(name.to_owned());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// Text without C0/C1 controls other than tab, LF and CR (`control_chars::refused`).
const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// Every string schema without a format, an enum or a pattern of its own gets [`TEXT_PATTERN`].
fn text_pattern(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let string = match map.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            };
            let free = ["format", "enum", "pattern", "const"]
                .iter()
                .all(|k| !map.contains_key(*k));
            if string && free {
                map.insert("pattern".into(), TEXT_PATTERN.into());
            }
            unsigned_range(map);
            map.values_mut().for_each(text_pattern);
        }
        Value::Array(items) => items.iter_mut().for_each(text_pattern),
        _ => {}
    }
}

/// utoipa describes a `u32` as `int32` from 0, which puts 2^31 and up outside the schema
/// though the server takes them: say the range it takes, 0 to 2^32 − 1.
fn unsigned_range(map: &mut serde_json::Map<String, Value>) {
    let int32 = map.get("format").is_some_and(|f| f == "int32");
    let unsigned = map
        .get("minimum")
        .and_then(Value::as_f64)
        .is_some_and(|m| m >= 0.0);
    if int32 && unsigned {
        map.insert("format".into(), "int64".into());
        map.entry("maximum").or_insert_with(|| u32::MAX.into());
    }
}

/// Adds the answers of the edge to every operation that does not describe them itself.
fn add_answers(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_to(operation);
        }
    }
}

fn add_to(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let takes = |place: ParameterIn| {
        operation
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == place)
    };
    let (path, query) = (takes(ParameterIn::Path), takes(ParameterIn::Query));
    let mut invalid = Vec::new();
    if has_body {
        invalid.push("INVALID_FIELD (a field of the wrong type or missing)");
    }
    if has_body || path || query {
        invalid.push("CONTROL_CHARACTER (a control character in a text)");
    }
    if path {
        invalid.push("INVALID_PATH");
    }
    if query {
        invalid.push("INVALID_QUERY");
    }
    let responses = &mut operation.responses.responses;
    let mut answer = |status: &str, description: String| {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| error(&description));
    };
    if secured {
        answer(
            "401",
            "UNAUTHENTICATED: no token, or not a valid one".into(),
        );
    }
    if has_body {
        answer("400", "MALFORMED_JSON: the body is not JSON".into());
        answer("413", "BODY_TOO_LARGE".into());
        answer(
            "415",
            "UNSUPPORTED_MEDIA_TYPE: the body is not sent as application/json".into(),
        );
    }
    if !invalid.is_empty() {
        answer("422", invalid.join(", "));
    }
}

fn error(description: &str) -> RefOr<Response> {
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content("application/json", body)
            .build(),
    )
}
