//! Control characters are refused in every text a request carries — JSON strings (values
//! and keys), path parameters, query parameters — before any handler sees it, the same way
//! on both backends (PostgreSQL cannot store NUL in text; SQLite would). Tab, line feed and
//! carriage return pass here; fields of one line refuse them by their own rules.

use serde_json::Value;

/// Whether `c` is refused in text: a C0 or C1 control other than tab, LF and CR.
pub fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a refused character.
pub fn in_text(text: &str) -> bool {
    text.chars().any(refused)
}

/// Where a JSON body holds a string with a refused character: the field's path
/// (`installation.name`, `lines[2]`), `""` for the whole body. None when it holds none.
/// Bodies without a backslash, DEL or C1 lead byte cannot hold one (JSON itself refuses raw
/// C0 controls in strings) and are passed without parsing.
pub fn in_json(body: &[u8]) -> Option<String> {
    if !body.iter().any(|&b| b == b'\\' || b == 0x7f || b == 0xc2) {
        return None;
    }
    // A body that does not parse is refused later with its syntax error.
    let value: Value = serde_json::from_slice(body).ok()?;
    let mut path = String::new();
    find(&value, &mut path).then_some(path)
}

fn find(value: &Value, path: &mut String) -> bool {
    match value {
        Value::String(s) => in_text(s),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .any(|(i, item)| within(path, &format!("[{i}]"), |path| find(item, path))),
        Value::Object(fields) => fields.iter().any(|(key, item)| {
            let step = if path.is_empty() {
                key.clone()
            } else {
                format!(".{key}")
            };
            in_text(key) || within(path, &step, |path| find(item, path))
        }),
        _ => false,
    }
}

/// Runs `f` with `step` appended to `path`; keeps it there when `f` found something.
fn within(path: &mut String, step: &str, f: impl FnOnce(&mut String) -> bool) -> bool {
    let len = path.len();
    path.push_str(step);
    let found = f(path);
    if !found {
        path.truncate(len);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_found_with_their_field() {
        let cases = [
            (r#"{"name":"a\u0000b"}"#, Some("name")),
            (r#"{"a":{"b":["ok","x\u001f"]}}"#, Some("a.b[1]")),
            (r#"{"note":"del \u007f"}"#, Some("note")),
            ("{\"note\":\"raw del \u{7f}\"}", Some("note")),
            (r#"{"note":"c1 \u0085"}"#, Some("note")),
            (r#"{"k\u0001":"v"}"#, Some("")),
            (r#""\u0000""#, Some("")),
            (r#"{"note":"two\nlines\tand\r"}"#, None),
            (r#"{"note":"a backslash \\u0000 is text"}"#, None),
            (r#"{"name":"Zürich, Città"}"#, None),
            ("not json \\u0000", None),
        ];
        for (body, field) in cases {
            assert_eq!(in_json(body.as_bytes()).as_deref(), field, "{body}");
        }
    }

    #[test]
    fn tab_and_line_ends_pass_every_other_control_is_refused() {
        for c in ('\0'..='\u{a0}').filter(|c| c.is_control()) {
            assert_eq!(refused(c), !"\t\n\r".contains(c), "{:?}", c);
        }
        assert!(!refused('a') && !refused('é') && !refused('\u{2028}'));
    }
}
