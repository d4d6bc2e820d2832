//! docs/api.md lists every error code under its status; the enum is the same list.

use std::collections::BTreeMap;

use tessera_api::ErrorCode;

/// The codes of each status row of the table under "## Errors" in docs/api.md.
fn documented() -> BTreeMap<String, u16> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md"))
        .expect("docs/api.md");
    let mut codes = BTreeMap::new();
    for line in doc.lines() {
        let Some(rest) = line.strip_prefix("| ") else {
            continue;
        };
        let Some((status, cells)) = rest.split_once(" | ") else {
            continue;
        };
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        // Codes are the backticked upper-case words; notes may backtick other things.
        for code in cells.split('`').skip(1).step_by(2) {
            if code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                let earlier = codes.insert(code.to_owned(), status);
                assert_eq!(earlier, None, "{code} is listed twice");
            }
        }
    }
    codes
}

#[test]
fn every_code_is_documented_with_its_status_and_nothing_else_is() {
    let documented = documented();
    let enumerated: BTreeMap<String, u16> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.status()))
        .collect();
    assert!(enumerated.len() > 100, "the table was not found");
    assert_eq!(documented, enumerated);
}
