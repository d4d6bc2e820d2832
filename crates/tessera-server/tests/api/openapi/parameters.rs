//! Parameters are where they are sent: a path parameter is in the path's template, every
//! template name is a path parameter, filters are query parameters.

use super::*;

#[test]
fn path_parameters_are_in_the_path_and_filters_in_the_query() {
    let doc = document();
    let mut wrong = Vec::new();
    for op in operations(&doc) {
        let mut in_path = Vec::new();
        for p in &op.parameters {
            let name = p["name"].as_str().unwrap();
            let template = op.path.contains(&format!("{{{name}}}"));
            match p["in"].as_str().unwrap() {
                "path" if !template => wrong.push(format!(
                    "{} {}: {name} is not in the path",
                    op.method, op.path
                )),
                "path" => in_path.push(name.to_owned()),
                _ if template => {
                    wrong.push(format!("{} {}: {name} is in the path", op.method, op.path))
                }
                _ => {}
            }
        }
        for segment in op.path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && !in_path.iter().any(|p| p == name)
            {
                wrong.push(format!(
                    "{} {}: {name} is not described",
                    op.method, op.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
