//! OpenAPI Overlay Specification 1.0: a document of `actions`, each a JSONPath `target`
//! (RFC 9535) with an `update` to merge in or `remove: true`, applied to the API document before
//! anything else looks at it. An action whose target matches nothing is an error naming the
//! action, never a silent no-op.

use serde::Deserialize;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::Diagnostics;

/// One overlay document, as read from disk.
#[derive(Debug, Clone)]
pub struct OverlaySource {
    /// How to name the overlay in messages, usually its file name.
    pub name: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayDoc {
    overlay: String,
    info: OverlayInfo,
    #[serde(default)]
    extends: Option<String>,
    actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
struct OverlayInfo {
    title: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    target: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    update: Option<Value>,
    #[serde(default)]
    remove: bool,
}

/// What applying an overlay did, for the codegen report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: String,
    /// `info.title` and `info.version` of the overlay.
    pub title: String,
    /// The document the overlay says it was written for (`extends`), if it says.
    pub extends: Option<String>,
    /// Per action: its description (or target) and how many nodes it changed.
    pub actions: Vec<(String, usize)>,
}

/// Applies `overlay` to `doc`. All problems are reported; the document is changed only if
/// there are none.
pub fn apply(doc: &mut Value, overlay: &OverlaySource) -> Result<Applied, Diagnostics> {
    let mut diags = Diagnostics::default();
    let at = |i: usize| format!("{}#/actions/{i}", overlay.name);
    let value = crate::load::parse_document(&overlay.text).map_err(|d| {
        let mut out = Diagnostics::default();
        for e in d.iter() {
            out.error(format!("{}{}", overlay.name, e.pointer), e.message.clone());
        }
        out
    })?;
    let parsed: OverlayDoc = match serde_path_to_error::deserialize(&value) {
        Ok(p) => p,
        Err(e) => {
            diags.error(
                format!(
                    "{}#/{}",
                    overlay.name,
                    e.path().to_string().replace('.', "/")
                ),
                e.inner().to_string(),
            );
            return Err(diags);
        }
    };
    if !parsed.overlay.starts_with("1.") {
        diags.error(
            format!("{}#/overlay", overlay.name),
            format!(
                "overlay version {} is not supported (1.x is)",
                parsed.overlay
            ),
        );
    }
    let mut working = doc.clone();
    let mut report = Vec::new();
    for (i, action) in parsed.actions.iter().enumerate() {
        let label = action
            .description
            .clone()
            .unwrap_or_else(|| action.target.clone());
        let path = match JsonPath::parse(&action.target) {
            Ok(p) => p,
            Err(e) => {
                diags.error(
                    format!("{}/target", at(i)),
                    format!("`{}` is not a valid JSONPath: {e}", action.target),
                );
                continue;
            }
        };
        let pointers: Vec<String> = path
            .query_located(&working)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            diags.error(
                format!("{}/target", at(i)),
                format!(
                    "action \"{label}\": target `{}` matches nothing in the document",
                    action.target
                ),
            );
            continue;
        }
        match (&action.update, action.remove) {
            (Some(_), true) => {
                diags.error(
                    at(i),
                    format!("action \"{label}\" has both `update` and `remove`"),
                );
                continue;
            }
            (None, false) => {
                diags.error(
                    at(i),
                    format!("action \"{label}\" has neither `update` nor `remove: true`"),
                );
                continue;
            }
            (Some(update), false) => {
                for pointer in &pointers {
                    let Some(node) = working.pointer_mut(pointer) else {
                        continue;
                    };
                    match node {
                        Value::Object(target) => match update {
                            Value::Object(update) => merge(target, update),
                            _ => diags.error(
                                format!("{}/update", at(i)),
                                format!("action \"{label}\": an object target (#{pointer}) needs an object `update`"),
                            ),
                        },
                        Value::Array(items) => items.push(update.clone()),
                        _ => diags.error(
                            format!("{}/target", at(i)),
                            format!("action \"{label}\": #{pointer} is neither an object nor an array, so it cannot be updated"),
                        ),
                    }
                }
            }
            (None, true) => {
                // Remove from the deepest and last first, so earlier pointers stay valid.
                let mut sorted = pointers.clone();
                sorted.sort_by(|a, b| b.cmp(a));
                for pointer in &sorted {
                    if !remove(&mut working, pointer) {
                        diags.error(
                            format!("{}/target", at(i)),
                            format!("action \"{label}\": the document root cannot be removed"),
                        );
                    }
                }
            }
        }
        report.push((label, pointers.len()));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    *doc = working;
    Ok(Applied {
        name: overlay.name.clone(),
        title: format!("{} {}", parsed.info.title, parsed.info.version),
        extends: parsed.extends,
        actions: report,
    })
}

/// Overlay merge: objects merge property by property, recursively; anything else replaces.
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(incoming)) => merge(existing, incoming),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn remove(doc: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let last = crate::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&last);
            true
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = last.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
            true
        }
        _ => true,
    }
}
