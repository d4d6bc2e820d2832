//! Control characters are refused in every text a request carries — JSON strings (values
//! and keys), path parameters, query parameters — before any handler sees it, the same way
//! on both backends (PostgreSQL cannot store NUL in text; SQLite would). Tab, line feed and
//! carriage return pass here; fields of one line refuse them by their own rules.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Whether `c` is refused in text: a C0 or C1 control other than tab, LF and CR.
pub fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a refused character.
pub fn in_text(text: &str) -> bool {
    text.chars().any(refused)
}

/// Whether a JSON body may hold a refused character: only one with a backslash (an escape),
/// DEL or a C1 lead byte can (JSON itself refuses raw C0 controls in strings). Bodies
/// without one are read without looking further.
pub fn might_hold(body: &[u8]) -> bool {
    body.iter().any(|&b| b == b'\\' || b == 0x7f || b == 0xc2)
}

/// A JSON body read as `T` with its text checked: Ok(None) when it does not parse as `T`
/// (the caller reports that error), Err with the field's path (`installation.name`,
/// `lines[2]`, `""` for the whole body) when a string the server reads — a known field's
/// value or a map's key — holds a refused character. Fields the server ignores are not
/// looked at.
pub fn read_checked<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Ok(None);
    };
    let mut ignored = Vec::new();
    // A body that is not a `T` is refused for that (what was ignored is known only once
    // all of it was read).
    let Ok(read) = serde_ignored::deserialize(&value, |path| ignored.push(steps(&path))) else {
        return Ok(None);
    };
    let mut at = Vec::new();
    if find(&value, &mut at, &ignored) {
        return Err(display(&at));
    }
    Ok(Some(read))
}

/// One step into a JSON value: a field or map key, or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &serde_ignored::Path<'_>) -> Vec<Step> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut steps = steps(parent);
            steps.push(Step::Index(*index));
            steps
        }
        Path::Map { parent, key } => {
            let mut steps = steps(parent);
            steps.push(Step::Key(key.clone()));
            steps
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => steps(parent),
    }
}

fn display(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Whether `value` at `at` (not under an ignored path) holds a refused character; `at` is
/// left at the first one found.
fn find(value: &Value, at: &mut Vec<Step>, ignored: &[Vec<Step>]) -> bool {
    if ignored.iter().any(|i| i == at) {
        return false;
    }
    match value {
        Value::String(s) => in_text(s),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .any(|(i, item)| within(at, Step::Index(i), |at| find(item, at, ignored))),
        Value::Object(fields) => fields.iter().any(|(key, item)| {
            within(at, Step::Key(key.clone()), |at| {
                !ignored.iter().any(|i| i == at) && in_text(key) || find(item, at, ignored)
            })
        }),
        _ => false,
    }
}

/// Runs `f` with `step` pushed onto `at`; keeps it there when `f` found something.
fn within(at: &mut Vec<Step>, step: Step, f: impl FnOnce(&mut Vec<Step>) -> bool) -> bool {
    at.push(step);
    let found = f(at);
    if !found {
        at.pop();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Input {
        name: Option<String>,
        note: Option<String>,
        a: Option<Inner>,
        limits: Option<std::collections::BTreeMap<String, u32>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        b: Vec<String>,
    }

    #[test]
    fn controls_are_found_with_their_field() {
        let cases = [
            (r#"{"name":"a\u0000b"}"#, Some("name")),
            (r#"{"a":{"b":["ok","x\u001f"]}}"#, Some("a.b[1]")),
            (r#"{"note":"del \u007f"}"#, Some("note")),
            ("{\"note\":\"raw del \u{7f}\"}", Some("note")),
            (r#"{"note":"c1 \u0085"}"#, Some("note")),
            (r#"{"limits":{"k\u0001":1}}"#, Some("limits.k\u{1}")),
            (r#"{"note":"two\nlines\tand\r"}"#, None),
            (r#"{"note":"a backslash \\u0000 is text"}"#, None),
            (r#"{"name":"Zürich, Città"}"#, None),
            // What the server does not read is not looked at.
            (r#"{"unknown":"x\u0000","k\u0001":{"y":"\u0002"}}"#, None),
        ];
        for (body, field) in cases {
            let found = read_checked::<Input>(body.as_bytes()).err();
            assert_eq!(found.as_deref(), field, "{body}");
        }
        assert!(
            read_checked::<Input>(b"not json \\u0000")
                .unwrap()
                .is_none()
        );
        assert!(read_checked::<Input>(br#"{"name":1}"#).unwrap().is_none());
        let read = read_checked::<Input>(br#"{"name":"\u00e9"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(read.name.as_deref(), Some("é"));
    }

    #[test]
    fn tab_and_line_ends_pass_every_other_control_is_refused() {
        for c in ('\0'..='\u{a0}').filter(|c| c.is_control()) {
            assert_eq!(refused(c), !"\t\n\r".contains(c), "{:?}", c);
        }
        assert!(!refused('a') && !refused('é') && !refused('\u{2028}'));
    }
}
