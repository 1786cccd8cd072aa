//! Step 2a: JSON Schema 2019-09/2020-12 references, as 3.1 documents use them, brought to
//! what the 3.0 model reads: `$ref`s to components.
//!
//! - `$defs` (and draft-07 `definitions`) anywhere in the document become components, and
//!   every reference into them (`#/$defs/X`, resolved against the nearest enclosing schema
//!   that defines `X`, as schemas embedded from other tools mean it; or a full pointer such
//!   as `#/components/schemas/A/$defs/X`) points there. A definition identical to a component
//!   of its name is that component.
//! - `$anchor`/`$dynamicAnchor` names (`$ref: '#node'`, `$dynamicRef: '#node'`) and
//!   `$recursiveRef: '#'` (the enclosing schema resource, or the nearest enclosing schema with
//!   `$recursiveAnchor: true`) become `$ref`s to the schema they name: a node that refers to
//!   its enclosing schema becomes a recursive type.

use rustc_hash::FxHashMap as HashMap;

use serde_json::{Map, Value};

use crate::diagnostics::{pointer, pointer_to, Diagnostics};

const DEF_KEYWORDS: &[&str] = &["$defs", "definitions"];

/// Keys whose values are data, not schemas or document structure.
fn is_data(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key.as_bytes(),
            b"example" | b"examples" | b"default" | b"enum" | b"const"
        )
}

/// A definition found in the document.
struct Def {
    /// The pointer of the schema that holds `$defs`.
    owner: String,
    keyword: &'static str,
    name: String,
    value: Value,
}

pub fn resolve(doc: &mut Value, diags: &mut Diagnostics) {
    // Most documents have none of these keywords: one walk over the keys tells, before the
    // walks that build pointers.
    if !mentions_keywords(doc, 0) {
        return;
    }
    let mut defs = Vec::new();
    let mut anchors = Vec::new();
    collect(
        doc,
        &mut String::from("#"),
        None,
        &mut defs,
        &mut anchors,
        0,
    );
    let has_dynamic = contains_dynamic(doc, 0);
    if defs.is_empty() && anchors.is_empty() && !has_dynamic {
        return;
    }
    // Names for the definitions, as components.
    let mut taken: HashMap<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), comparable(v))).collect())
        .unwrap_or_default();
    // (owner, keyword, name) and full pointers of definitions, to their new reference.
    let mut scoped: HashMap<(String, &'static str, String), String> = HashMap::default();
    let mut absolute: Vec<(String, String)> = Vec::new();
    let mut hoisted: Vec<(String, usize)> = Vec::new();
    for (index, def) in defs.iter().enumerate() {
        let owner_component = def
            .owner
            .strip_prefix("#/components/schemas/")
            .filter(|rest| !rest.contains('/'))
            .map(|c| crate::lower::names::pascal(&crate::pointer::unescape(c)));
        let wanted = comparable(&def.value);
        let mut candidates = vec![def.name.clone()];
        if let Some(owner) = &owner_component {
            candidates.push(format!("{owner}{}", crate::lower::names::pascal(&def.name)));
        }
        let mut chosen = None;
        for n in 0.. {
            let candidate = match candidates.get(n) {
                Some(c) => c.clone(),
                None => format!("{}{}", def.name, n - candidates.len() + 2),
            };
            match taken.get(&candidate) {
                Some(existing) if *existing == wanted => {
                    chosen = Some((candidate, false));
                    break;
                }
                Some(_) => continue,
                None => {
                    chosen = Some((candidate, true));
                    break;
                }
            }
        }
        let Some((name, new)) = chosen else { continue };
        if new {
            taken.insert(name.clone(), wanted);
            hoisted.push((name.clone(), index));
        }
        let reference = format!("#/components/schemas/{}", crate::pointer::escape(&name));
        scoped.insert(
            (def.owner.clone(), def.keyword, def.name.clone()),
            reference.clone(),
        );
        let full = pointer_to(&def.owner, &[def.keyword, &def.name]);
        absolute.push((full, reference));
    }
    // Longest pointers first, so that a nested definition wins over its owner.
    absolute.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let anchors: HashMap<(String, String), String> = anchors
        .into_iter()
        .map(|(root, name, at)| ((root, name), at))
        .collect();
    let rewrite = Rewrite {
        scoped: &scoped,
        absolute: &absolute,
        anchors: &anchors,
    };
    let mut scope = Scope::default();
    rewrite.walk(doc, "#", &mut scope, diags, 0);
    // The definitions' own references were rewritten in place; now they move, innermost
    // first (so an outer one is taken without the inner ones).
    let full = |d: &Def| pointer_to(&d.owner, &[d.keyword, &d.name]);
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(full(&defs[*i]).len()));
    let mut taken_values: HashMap<usize, Value> = HashMap::default();
    for i in order {
        if let Some(slot) = doc.pointer_mut(full(&defs[i]).trim_start_matches('#')) {
            taken_values.insert(i, std::mem::take(slot));
        }
    }
    let mut hoisted: Vec<(String, Value)> = hoisted
        .into_iter()
        .map(|(name, i)| (name, taken_values.remove(&i).unwrap_or(Value::Null)))
        .collect();
    strip_taken(doc, 0);
    for (_, value) in &mut hoisted {
        strip_taken(value, 0);
    }
    if hoisted.is_empty() {
        return;
    }
    let Value::Object(root) = doc else { return };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(schemas) = schemas else {
        return;
    };
    for (name, value) in hoisted {
        schemas.insert(name, value);
    }
}

/// Removes the `$defs` maps whose definitions were all taken out (left as `null`).
fn strip_taken(value: &mut Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(map) => {
            map.retain(|k, v| {
                !(DEF_KEYWORDS.contains(&k.as_str())
                    && v.as_object()
                        .is_some_and(|m| m.values().all(Value::is_null)))
            });
            for (k, v) in map.iter_mut() {
                if !is_data(k) {
                    strip_taken(v, depth + 1);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_taken(v, depth + 1)),
        _ => {}
    }
}

/// A definition as compared with a component of its name: references into `$defs` read as
/// references into the components.
fn comparable(value: &Value) -> Value {
    let text = value
        .to_string()
        .replace("\"#/$defs/", "\"#/components/schemas/")
        .replace("\"#/definitions/", "\"#/components/schemas/");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Whether the node is a schema resource root: a component schema, or a schema with `$id`.
fn is_resource_root(at: &str, map: &Map<String, Value>) -> bool {
    map.contains_key("$id")
        || at
            .strip_prefix("#/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'))
        || at.ends_with("/schema")
}

fn collect(
    value: &Value,
    at: &mut String,
    root: Option<&str>,
    defs: &mut Vec<Def>,
    anchors: &mut Vec<(String, String, String)>,
    depth: usize,
) {
    if depth > 256 {
        return;
    }
    // `at` is one buffer for the whole walk: each child's segment is pushed and taken off.
    let len = at.len();
    match value {
        Value::Object(map) => {
            let own_root;
            let root = if is_resource_root(at, map) {
                own_root = at.clone();
                Some(own_root.as_str())
            } else {
                root
            };
            for keyword in ["$anchor", "$dynamicAnchor"] {
                if let (Some(Value::String(name)), Some(root)) = (map.get(keyword), root) {
                    anchors.push((root.to_owned(), name.clone(), at.clone()));
                }
            }
            let under_properties =
                at.ends_with("/properties") || at.ends_with("/patternProperties");
            for (key, child) in map {
                if is_data(key) {
                    continue;
                }
                if let Some(keyword) = DEF_KEYWORDS.iter().find(|k| **k == key) {
                    if let (Value::Object(entries), false) = (child, under_properties) {
                        for (name, def) in entries {
                            if def.is_object() || def.is_boolean() {
                                defs.push(Def {
                                    owner: at.clone(),
                                    keyword,
                                    name: name.clone(),
                                    value: def.clone(),
                                });
                            }
                        }
                    }
                }
                at.push('/');
                crate::pointer::push_escaped(at, key);
                collect(child, at, root, defs, anchors, depth + 1);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(at, "/{i}");
                collect(item, at, root, defs, anchors, depth + 1);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether any keyword this step reads (definitions, anchors, dynamic and recursive
/// references) is a key outside data, at the depths the other walks go to.
fn mentions_keywords(value: &Value, depth: usize) -> bool {
    if depth > 256 {
        return false;
    }
    match value {
        Value::Object(map) => map.iter().any(|(key, child)| {
            matches!(
                key.as_bytes(),
                b"$defs"
                    | b"definitions"
                    | b"$anchor"
                    | b"$dynamicAnchor"
                    | b"$dynamicRef"
                    | b"$recursiveRef"
            ) || !is_data(key) && mentions_keywords(child, depth + 1)
        }),
        Value::Array(items) => items.iter().any(|v| mentions_keywords(v, depth + 1)),
        _ => false,
    }
}

fn contains_dynamic(value: &Value, depth: usize) -> bool {
    if depth > 256 {
        return false;
    }
    match value {
        Value::Object(map) => {
            map.contains_key("$recursiveRef")
                || map.contains_key("$dynamicRef")
                || map
                    .iter()
                    .any(|(k, v)| !is_data(k) && contains_dynamic(v, depth + 1))
        }
        Value::Array(items) => items.iter().any(|v| contains_dynamic(v, depth + 1)),
        _ => false,
    }
}

/// The enclosing schemas of the node being rewritten.
#[derive(Default)]
struct Scope {
    /// Schemas that hold definitions: their pointer and keywords.
    owners: Vec<(String, Vec<(&'static str, String)>)>,
    /// Resource roots (component schemas, schemas with `$id`), innermost last.
    roots: Vec<String>,
    /// Schemas with `$recursiveAnchor: true`.
    recursive: Vec<String>,
}

struct Rewrite<'a> {
    scoped: &'a HashMap<(String, &'static str, String), String>,
    absolute: &'a [(String, String)],
    anchors: &'a HashMap<(String, String), String>,
}

impl Rewrite<'_> {
    fn walk(
        &self,
        value: &mut Value,
        at: &str,
        scope: &mut Scope,
        diags: &mut Diagnostics,
        depth: usize,
    ) {
        if depth > 256 {
            return;
        }
        match value {
            Value::Object(map) => {
                let (mut pushed_owner, mut pushed_root, mut pushed_recursive) =
                    (false, false, false);
                let names: Vec<(&'static str, String)> = DEF_KEYWORDS
                    .iter()
                    .filter_map(|k| map.get(*k).and_then(Value::as_object).map(|m| (*k, m)))
                    .flat_map(|(k, m)| m.keys().map(move |n| (k, n.clone())))
                    .collect();
                if !names.is_empty() {
                    scope.owners.push((at.to_owned(), names));
                    pushed_owner = true;
                }
                if is_resource_root(at, map) {
                    scope.roots.push(at.to_owned());
                    pushed_root = true;
                }
                if map.get("$recursiveAnchor") == Some(&Value::Bool(true)) {
                    scope.recursive.push(at.to_owned());
                    pushed_recursive = true;
                }
                self.rewrite_node(map, at, scope, diags);
                for (key, child) in map.iter_mut() {
                    if is_data(key) {
                        continue;
                    }
                    if key == "mapping" && at.ends_with("/discriminator") {
                        if let Value::Object(mapping) = child {
                            for target in mapping.values_mut() {
                                if let Value::String(s) = target {
                                    if let Some(new) = self.reference(s, scope) {
                                        *s = new;
                                    }
                                }
                            }
                        }
                        continue;
                    }
                    self.walk(child, &pointer(at, key), scope, diags, depth + 1);
                }
                if pushed_owner {
                    scope.owners.pop();
                }
                if pushed_root {
                    scope.roots.pop();
                }
                if pushed_recursive {
                    scope.recursive.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(
                        item,
                        &crate::diagnostics::pointer_index(at, i),
                        scope,
                        diags,
                        depth + 1,
                    );
                }
            }
            _ => {}
        }
    }

    fn rewrite_node(
        &self,
        map: &mut Map<String, Value>,
        at: &str,
        scope: &Scope,
        diags: &mut Diagnostics,
    ) {
        if let Some(Value::String(r)) = map.get("$ref") {
            if let Some(new) = self.reference(r, scope) {
                map.insert("$ref".to_owned(), Value::String(new));
            }
        }
        if let Some(Value::String(r)) = map.get("$recursiveRef").cloned() {
            // `#`: the enclosing resource, or the outermost enclosing schema marked
            // `$recursiveAnchor: true` when the resource is marked too.
            let target = if r == "#" {
                let root = scope.roots.last().cloned();
                match (&root, scope.recursive.first()) {
                    (Some(root), Some(outer)) if scope.recursive.contains(root) => {
                        Some(outer.clone())
                    }
                    _ => root,
                }
            } else {
                self.reference(&r, scope).or(Some(r.clone()))
            };
            self.replace(map, "$recursiveRef", &r, target, at, diags);
        }
        if let Some(Value::String(r)) = map.get("$dynamicRef").cloned() {
            let target = self
                .reference(&r, scope)
                .or_else(|| r.starts_with("#/").then(|| r.clone()));
            self.replace(map, "$dynamicRef", &r, target, at, diags);
        }
    }

    fn replace(
        &self,
        map: &mut Map<String, Value>,
        keyword: &str,
        written: &str,
        target: Option<String>,
        at: &str,
        diags: &mut Diagnostics,
    ) {
        match target {
            Some(target) => {
                map.remove(keyword);
                let target = self.absolute_target(&target).unwrap_or(target);
                // A `$ref` beside it stays: both apply, which `allOf` says.
                match map.remove("$ref") {
                    Some(existing) => {
                        let all_of = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(members) = all_of {
                            members.push(serde_json::json!({ "$ref": existing }));
                            members.push(serde_json::json!({ "$ref": target }));
                        }
                    }
                    None => {
                        map.insert("$ref".to_owned(), Value::String(target));
                    }
                }
            }
            None => diags.degraded(
                pointer(at, keyword),
                format!("`{keyword}: {written}` names no enclosing schema; typed as `serde_json::Value`"),
            ),
        }
    }

    /// The new form of a reference, when it names a definition or an anchor.
    fn reference(&self, reference: &str, scope: &Scope) -> Option<String> {
        let fragment = reference.strip_prefix('#')?;
        if !fragment.starts_with('/') {
            // A plain-name fragment: an `$anchor` or `$dynamicAnchor` of the resource.
            if fragment.is_empty() {
                return scope.roots.last().cloned();
            }
            for root in scope.roots.iter().rev() {
                if let Some(at) = self.anchors.get(&(root.clone(), fragment.to_owned())) {
                    return Some(self.absolute_target(at).unwrap_or_else(|| at.clone()));
                }
            }
            return None;
        }
        for keyword in DEF_KEYWORDS {
            let prefix = format!("/{keyword}/");
            if let Some(rest) = fragment.strip_prefix(&prefix) {
                let (name, tail) = rest
                    .split_once('/')
                    .map(|(n, t)| (n, format!("/{t}")))
                    .unwrap_or((rest, String::new()));
                let name = crate::pointer::unescape(name);
                for (owner, names) in scope.owners.iter().rev() {
                    if names.iter().any(|(k, n)| k == keyword && *n == name) {
                        if let Some(new) = self.scoped.get(&(owner.clone(), *keyword, name.clone()))
                        {
                            return Some(format!("{new}{tail}"));
                        }
                    }
                }
            }
        }
        self.absolute_target(reference)
    }

    /// A full pointer into a definition, rewritten to its component.
    fn absolute_target(&self, reference: &str) -> Option<String> {
        self.absolute.iter().find_map(|(full, new)| {
            let rest = reference.strip_prefix(full.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{new}{rest}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definitions_become_components_and_references_follow() {
        let mut doc = json!({
            "components": {"schemas": {
                "Kept": {"type": "string"},
                "A": {
                    "type": "object",
                    "properties": {"k": {"$ref": "#/$defs/Kept"}, "n": {"$ref": "#/$defs/Node"}},
                    "$defs": {
                        "Kept": {"type": "string"},
                        "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}
                    }
                },
                "B": {"$ref": "#/components/schemas/A/$defs/Node/properties/next"}
            }}
        });
        resolve(&mut doc, &mut Diagnostics::default());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["k"]["$ref"],
            "#/components/schemas/Kept"
        );
        assert_eq!(
            schemas["A"]["properties"]["n"]["$ref"],
            "#/components/schemas/Node"
        );
        assert_eq!(
            schemas["Node"]["properties"]["next"]["$ref"],
            "#/components/schemas/Node"
        );
        assert_eq!(
            schemas["B"]["$ref"],
            "#/components/schemas/Node/properties/next"
        );
        assert!(schemas["A"].get("$defs").is_none());
    }

    #[test]
    fn recursive_and_dynamic_references_name_their_schema() {
        let mut doc = json!({
            "components": {"schemas": {
                "Tree": {"$dynamicAnchor": "node", "type": "object", "properties": {
                    "children": {"type": "array", "items": {"$dynamicRef": "#node"}}
                }},
                "Old": {"$recursiveAnchor": true, "type": "object", "properties": {
                    "parent": {"$recursiveRef": "#"}
                }},
                "Anchored": {"type": "object", "properties": {"x": {"$ref": "#leaf"}}, "$defs": {"leaf": {"$anchor": "leaf", "type": "integer"}}}
            }}
        });
        resolve(&mut doc, &mut Diagnostics::default());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Tree"]["properties"]["children"]["items"],
            json!({"$ref": "#/components/schemas/Tree"})
        );
        assert_eq!(
            schemas["Old"]["properties"]["parent"],
            json!({"$ref": "#/components/schemas/Old"})
        );
        assert_eq!(
            schemas["Anchored"]["properties"]["x"]["$ref"],
            "#/components/schemas/leaf"
        );
    }
}
