//! Tests derived from the OpenAPI document: every operation, every parameter, every field
//! of every request body, as a generated client would send them.

mod control_chars;
mod parameters;
mod responses;

use serde_json::{Map, Value, json};

/// The document the server serves.
pub fn document() -> Value {
    serde_json::to_value(tessera_server::routes::openapi()).unwrap()
}

/// One operation: its method, path template, parameters and request body schema.
pub struct Operation {
    pub method: reqwest::Method,
    pub path: String,
    pub parameters: Vec<Value>,
    pub body: Option<Value>,
    /// The security scheme it names (`operator_token`, …), if any.
    pub scheme: Option<String>,
}

pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse() else {
                continue;
            };
            let scheme = op["security"][0]
                .as_object()
                .and_then(|s| s.keys().next().cloned());
            all.push(Operation {
                method,
                path: path.clone(),
                parameters: op["parameters"].as_array().cloned().unwrap_or_default(),
                body: op["requestBody"]["content"]["application/json"]["schema"]
                    .as_object()
                    .map(|s| Value::Object(s.clone())),
                scheme,
            });
        }
    }
    all
}

/// `schema` with `$ref`s to `#/components/schemas/…` followed.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A value the schema accepts, as far as types go (strings `"x"`, numbers 1, the first of
/// an enum, one item per array, every property of an object).
pub fn sample(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(first) = schema["enum"].get(0) {
        return first.clone();
    }
    for combined in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[combined].as_array() {
            if combined == "allOf" {
                let mut merged = Map::new();
                for part in parts {
                    if let Value::Object(o) = sample(doc, part) {
                        merged.extend(o);
                    }
                }
                return Value::Object(merged);
            }
            let chosen = parts
                .iter()
                .find(|p| p["type"] != "null")
                .unwrap_or(&parts[0]);
            return sample(doc, chosen);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .cloned()
            .unwrap_or_default(),
        kind => kind.clone(),
    };
    match kind.as_str() {
        Some("string") => json!("x"),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([sample(doc, &schema["items"])]),
        Some("object") | None => {
            let mut object = Map::new();
            if let Some(props) = schema["properties"].as_object() {
                for (name, prop) in props {
                    object.insert(name.clone(), sample(doc, prop));
                }
            }
            if object.is_empty() && schema["additionalProperties"].is_object() {
                object.insert("k".into(), sample(doc, &schema["additionalProperties"]));
            }
            Value::Object(object)
        }
        Some(_) => Value::Null,
    }
}

/// The paths (`a.b[0]`) of every string in `value`.
pub fn string_paths(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at.to_owned()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_paths(item, &format!("{at}[{i}]"), out);
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                let step = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                string_paths(item, &step, out);
            }
        }
        _ => {}
    }
}

/// `value` with the string at `path` replaced by `text`.
pub fn with_string(value: &Value, path: &str, text: &str) -> Value {
    let mut value = value.clone();
    let mut at = &mut value;
    for step in path.split('.') {
        let (name, index) = match step.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (step, None),
        };
        if !name.is_empty() {
            at = &mut at[name];
        }
        if let Some(i) = index {
            at = &mut at[i];
        }
    }
    *at = json!(text);
    value
}
