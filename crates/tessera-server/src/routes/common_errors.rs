//! The answers every operation can give before its handler decides anything, added to the
//! OpenAPI document from what the operation takes: a token (401), a JSON body (400, 413,
//! 415, 422), path or query parameters (422). Written once here, so the document says what
//! the extractors do on every route, and a new route is described without repeating them.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Adds the answers of the edge to every operation that does not describe them itself.
pub fn add(openapi: &mut OpenApi) {
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
