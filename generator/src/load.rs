//! Step 1: read a YAML or JSON document into a JSON value.

use serde_json::{Map, Number, Value};

use crate::diagnostics::Diagnostics;

/// Parses `text` as JSON when it looks like JSON, as YAML otherwise.
pub fn parse_document(text: &str) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    if text.trim_start().starts_with('{') {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(e) => {
                diags.error(
                    "#",
                    format!(
                        "not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                );
                return Err(diags);
            }
        }
    }
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let place = e
                .location()
                .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
                .unwrap_or_default();
            diags.error("#", format!("not valid YAML{place}: {e}"));
            return Err(diags);
        }
    };
    let value = yaml_to_json(yaml, "#", &mut diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(value)
    }
}

/// YAML is wider than JSON: keys may be numbers or booleans (`200:` for a response), and
/// tags may appear. Scalar keys become strings; anything JSON cannot hold is an error.
fn yaml_to_json(value: serde_yaml::Value, at: &str, diags: &mut Diagnostics) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                match n.as_f64().and_then(Number::from_f64) {
                    Some(f) => Value::Number(f),
                    None => {
                        diags.error(at, format!("the number {n} cannot be represented in JSON"));
                        Value::Null
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{at}/{i}"), diags))
                .collect(),
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        diags.error(at, format!("a mapping key must be a scalar, found {other:?}"));
                        continue;
                    }
                };
                let child = crate::diagnostics::pointer(at, &key);
                let v = yaml_to_json(v, &child, diags);
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at, diags),
    }
}
