//! Step 1b: pull `$ref`s into other files into the document, so that every later step sees
//! one document whose references all start with `#`.
//!
//! A reference such as `./schemas/pet.yaml` or `common.yaml#/components/parameters/limit` is
//! read relative to the file that holds it (so chains of relative references work), and the
//! node it names is added to the document's `components` under the kind its place calls for
//! (`schemas` inside a schema, `parameters` in a parameter list, `responses`, `requestBodies`,
//! `headers`, `examples`, `links`): as the key it has in its own file when it is a component
//! there, else as its last pointer segment, else as the file's name. The reference is
//! rewritten to point there. Path items and callbacks, which the 3.0 model holds only in
//! place, are copied into place. Each node is added once however often it is named, and cycles
//! between files are kept as cycles.
//!
//! Only files in the root document's directory or below are read: a document cannot make the
//! generator read anything else. References to URLs are not fetched.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{pointer, Diagnostics};

/// Files larger than this are refused rather than read.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Component kinds a referenced node can be filed under.
const KINDS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
];

/// Resolves every `$ref` into another file. `document` is the path of the root document
/// (its directory bounds what may be read); without it, such references are errors.
pub fn bundle(root: &mut Value, document: Option<&Path>, diags: &mut Diagnostics) {
    if !has_external_ref(root) {
        return;
    }
    let Some(document) = document else {
        let mut sites = Vec::new();
        external_sites(root, "#", &mut sites);
        for (at, reference) in sites {
            diags.error(
                at,
                format!("`$ref: {reference}` points into another file, which needs the document's own path to be read (generate from a file)"),
            );
        }
        return;
    };
    let root_file = match document.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            diags.error("#", format!("cannot resolve the document's path `{}`: {e}", document.display()));
            return;
        }
    };
    let Some(allowed) = root_file.parent().map(Path::to_path_buf) else { return };
    let mut bundler = Bundler {
        root_file: root_file.clone(),
        allowed,
        files: HashMap::new(),
        placed: HashMap::new(),
        taken: HashMap::new(),
        additions: Vec::new(),
        diags,
    };
    // Names already used in the document's own components.
    if let Some(Value::Object(components)) = root.get("components") {
        for (kind, entries) in components {
            if let Value::Object(entries) = entries {
                bundler.taken.entry(kind.clone()).or_default().extend(entries.keys().cloned());
            }
        }
    }
    let mut path = Vec::new();
    bundler.walk(root, &root_file, &mut path, "#", 0);
    // Nodes pulled in are walked as they are added, so additions may grow while we go.
    let mut next = 0;
    while next < bundler.additions.len() {
        let (kind, name, file, mut node, origin) = bundler.additions[next].clone();
        let mut path = vec!["components".to_owned(), kind.clone(), name.clone()];
        bundler.walk(&mut node, &file, &mut path, &origin, 0);
        bundler.additions[next].3 = node;
        next += 1;
    }
    let additions = std::mem::take(&mut bundler.additions);
    let Value::Object(root_map) = root else { return };
    let components = root_map
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else { return };
    for (kind, name, _, node, _) in additions {
        let entries = components
            .entry(kind)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(entries) = entries {
            entries.insert(name, node);
        }
    }
}

type Addition = (String, String, PathBuf, Value, String);

struct Bundler<'d> {
    root_file: PathBuf,
    allowed: PathBuf,
    /// Parsed files by canonical path (`None` when the file could not be read).
    files: HashMap<PathBuf, Option<Value>>,
    /// (file, pointer) to the local reference it was given.
    placed: HashMap<(PathBuf, String), String>,
    /// Names in use per component kind.
    taken: HashMap<String, HashSet<String>>,
    /// Nodes to add: kind, name, the file they came from, the node, and where it came from.
    additions: Vec<Addition>,
    diags: &'d mut Diagnostics,
}

impl Bundler<'_> {
    /// Walks `node`, found in `file` at `at` (a place for messages), and placed at `path` in
    /// the root document; rewrites the references it holds.
    fn walk(&mut self, node: &mut Value, file: &Path, path: &mut Vec<String>, at: &str, depth: usize) {
        if depth > 256 {
            self.diags.error(at, "the document nests too deeply");
            return;
        }
        match node {
            Value::Object(map) => {
                // The keys to walk are the node's own: what a reference copies in has been
                // walked already, relative to its own file.
                let keys: Vec<String> = map
                    .iter()
                    .filter(|(k, v)| *k != "$ref" && !is_literal(path, k, v))
                    .map(|(k, _)| k.clone())
                    .collect();
                if let Some(Value::String(reference)) = map.get("$ref").cloned() {
                    let local_file = file == self.root_file;
                    if !(local_file && reference.starts_with('#')) {
                        let at_ref = pointer(at, "$ref");
                        if let Some(replacement) = self.resolve(&reference, file, path, &at_ref, depth) {
                            match replacement {
                                Resolved::Ref(local) => {
                                    map.insert("$ref".to_owned(), Value::String(local));
                                }
                                Resolved::Inline(value) => {
                                    map.remove("$ref");
                                    if let Value::Object(inlined) = value {
                                        for (k, v) in inlined {
                                            map.entry(k).or_insert(v);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                for key in keys {
                    if let Some(child) = map.get_mut(&key) {
                        path.push(key.clone());
                        let child_at = pointer(at, &key);
                        self.walk(child, file, path, &child_at, depth + 1);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    path.push(i.to_string());
                    self.walk(item, file, path, &format!("{at}/{i}"), depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn resolve(&mut self, reference: &str, file: &Path, path: &[String], at: &str, depth: usize) -> Option<Resolved> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") || file_part.starts_with("//") {
            self.diags.error(at, format!("`$ref: {reference}` points at a URL, which is not fetched; download it beside the document and refer to the file"));
            return None;
        }
        let target_file = if file_part.is_empty() {
            file.to_path_buf()
        } else {
            let relative = percent_decode(file_part);
            let joined = file.parent().unwrap_or(Path::new(".")).join(relative);
            match self.confine(&joined) {
                Ok(p) => p,
                Err(why) => {
                    self.diags.error(at, format!("`$ref: {reference}`: {why}"));
                    return None;
                }
            }
        };
        let fragment = percent_decode(fragment);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.diags.error(at, format!("`$ref: {reference}` has a fragment that is not a JSON pointer"));
            return None;
        }
        if target_file == self.root_file {
            // Back into the root document: a plain local reference.
            return Some(Resolved::Ref(format!("#{}", encode_fragment(&fragment))));
        }
        let kind = place_kind(path);
        let key = (target_file.clone(), fragment.clone());
        if kind.is_some() {
            if let Some(local) = self.placed.get(&key) {
                return Some(Resolved::Ref(local.clone()));
            }
        }
        let node = self.node(&target_file, &fragment, reference, at)?;
        let origin = format!("{}#{}", self.display(&target_file), fragment);
        match kind {
            None => {
                // A path item: copied into place, its own references resolved from its file.
                let mut node = node;
                let mut inner_path = path.to_vec();
                self.walk(&mut node, &target_file, &mut inner_path, &origin, depth + 1);
                Some(Resolved::Inline(node))
            }
            Some(place) => {
                let segments: Vec<&str> = fragment.split('/').skip(1).collect();
                let (kind, base) = match segments.as_slice() {
                    ["components", k, name] if KINDS.contains(k) => ((*k).to_owned(), unescape(name)),
                    _ => {
                        let base = segments
                            .last()
                            .map(|s| unescape(s))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| file_stem(&target_file));
                        (place.to_owned(), base)
                    }
                };
                let name = self.claim(&kind, &base);
                let local = format!("#/components/{kind}/{}", escape(&name));
                self.placed.insert(key, local.clone());
                let mut node = node;
                // Where the node came from, for the reader (not beside a `$ref`, whose
                // siblings mean something, nor in a callback, whose keys are expressions).
                let annotated = matches!(kind.as_str(), "schemas" | "parameters" | "responses" | "requestBodies" | "headers");
                if let Value::Object(map) = &mut node {
                    if annotated && !map.contains_key("$ref") {
                        map.entry("x-bundled-from").or_insert(Value::String(origin.clone()));
                    }
                }
                self.additions.push((kind, name, target_file, node, origin));
                Some(Resolved::Ref(local))
            }
        }
    }

    /// The node at `fragment` in `file`, read once.
    fn node(&mut self, file: &Path, fragment: &str, reference: &str, at: &str) -> Option<Value> {
        if !self.files.contains_key(file) {
            let parsed = self.read(file, at);
            self.files.insert(file.to_path_buf(), parsed);
        }
        let document = self.files.get(file)?.as_ref()?;
        match document.pointer(fragment) {
            Some(node) => Some(node.clone()),
            None => {
                self.diags.error(at, format!("`$ref: {reference}` points at nothing in `{}`", self.display(file)));
                None
            }
        }
    }

    fn read(&mut self, file: &Path, at: &str) -> Option<Value> {
        let shown = self.display(file);
        let meta = match std::fs::metadata(file) {
            Ok(m) => m,
            Err(e) => {
                self.diags.error(at, format!("cannot read `{shown}`: {e}"));
                return None;
            }
        };
        if !meta.is_file() {
            self.diags.error(at, format!("`{shown}` is not a file"));
            return None;
        }
        if meta.len() > MAX_FILE_BYTES {
            self.diags.error(at, format!("`{shown}` is larger than {MAX_FILE_BYTES} bytes"));
            return None;
        }
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                self.diags.error(at, format!("cannot read `{shown}`: {e}"));
                return None;
            }
        };
        match crate::load::parse_document(&text) {
            Ok(v) => Some(v),
            Err(errors) => {
                for d in errors.iter() {
                    let place = d.pointer.trim_start_matches('#');
                    self.diags.error(at, format!("in `{shown}#{place}`: {}", d.message));
                }
                None
            }
        }
    }

    /// The canonical path of a referenced file, when it lies under the root document's
    /// directory.
    fn confine(&self, path: &Path) -> Result<PathBuf, String> {
        // Refuse absolute paths and drive prefixes before touching the file system.
        if path.components().any(|c| matches!(c, Component::Prefix(_))) {
            return Err("a path with a drive prefix is not read".to_owned());
        }
        let canonical = path
            .canonicalize()
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if !canonical.starts_with(&self.allowed) {
            return Err(format!(
                "`{}` is outside the document's directory `{}`; only files there or below are read",
                path.display(),
                self.allowed.display()
            ));
        }
        Ok(canonical)
    }

    fn display(&self, file: &Path) -> String {
        file.strip_prefix(&self.allowed)
            .unwrap_or(file)
            .display()
            .to_string()
    }

    /// A free name for a new component of `kind`, based on `base`.
    fn claim(&mut self, kind: &str, base: &str) -> String {
        let taken = self.taken.entry(kind.to_owned()).or_default();
        let mut name = base.to_owned();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    }
}

enum Resolved {
    Ref(String),
    Inline(Value),
}

/// The component kind a reference at `path` (keys from the root of the document) names;
/// `None` for a path item, which is copied into place.
fn place_kind(path: &[String]) -> Option<&'static str> {
    let n = path.len();
    let last = path.last().map(String::as_str).unwrap_or("");
    let second = if n >= 2 { path[n - 2].as_str() } else { "" };
    let third = if n >= 3 { path[n - 3].as_str() } else { "" };
    // Inside a schema a property may be called `parameters` or `responses`; what follows
    // `properties` is always a schema.
    let in_properties = matches!(third, "properties" | "patternProperties" | "$defs" | "definitions");
    if n == 2 && path[0] == "paths" {
        return None;
    }
    if n == 2 && path[0] == "webhooks" {
        return None;
    }
    if n == 3 && path[0] == "components" {
        if second == "callbacks" {
            return None;
        }
        return KINDS.iter().copied().find(|k| *k == second).or(Some("schemas"));
    }
    if n >= 4 && third == "callbacks" {
        // callbacks/<name>/<expression> is a path item.
        return None;
    }
    if in_properties {
        return Some("schemas");
    }
    match second {
        "parameters" if last.chars().all(|c| c.is_ascii_digit()) && !last.is_empty() => Some("parameters"),
        "responses" if last == "default" || last.len() == 3 => Some("responses"),
        "headers" => Some("headers"),
        "examples" => Some("examples"),
        "links" => Some("links"),
        // The 3.0 model holds callbacks in place only: copied in, like path items.
        "callbacks" => None,
        _ if last == "requestBody" => Some("requestBodies"),
        _ => Some("schemas"),
    }
}

/// Whether `key` of an object at `path` holds data rather than document structure: example
/// values, defaults, enums, constants and extensions may contain a `$ref` key that is just
/// data (GitHub's SCIM examples do).
fn is_literal(path: &[String], key: &str, value: &Value) -> bool {
    let parent_is_examples = path.len() >= 2 && path[path.len() - 2] == "examples";
    // Under `properties` a key is a property's name, whatever it is; under `responses`,
    // `default` is the response for any other status.
    if matches!(
        path.last().map(String::as_str),
        Some("properties" | "patternProperties" | "$defs" | "definitions" | "responses")
    ) {
        return false;
    }
    matches!(key, "example" | "default" | "enum" | "const")
        || key.starts_with("x-")
        || (key == "examples" && value.is_array())
        || (key == "value" && parent_is_examples)
}

fn has_external_ref(value: &Value) -> bool {
    let mut sites = Vec::new();
    external_sites(value, "#", &mut sites);
    !sites.is_empty()
}

fn external_sites(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    fn walk(value: &Value, at: &str, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    if !r.starts_with('#') {
                        out.push((pointer(at, "$ref"), r.clone()));
                    }
                }
                for (k, v) in map {
                    if k != "$ref" && !is_literal(path, k, v) {
                        path.push(k.clone());
                        walk(v, &pointer(at, k), path, out);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(v, &format!("{at}/{i}"), path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    walk(value, at, &mut Vec::new(), out);
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "External".to_owned())
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `#/a b` as it goes back into a `$ref`: spaces and percent signs encoded.
fn encode_fragment(fragment: &str) -> String {
    fragment.replace('%', "%25").replace(' ', "%20")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<&'static str> {
        let path: Vec<String> = path.split('/').map(str::to_owned).collect();
        place_kind(&path)
    }

    #[test]
    fn the_place_of_a_reference_says_what_it_names() {
        assert_eq!(kind("paths/~1pets"), None);
        assert_eq!(kind("paths/~1pets/get/parameters/0"), Some("parameters"));
        assert_eq!(kind("paths/~1pets/get/requestBody"), Some("requestBodies"));
        assert_eq!(kind("paths/~1pets/get/responses/200"), Some("responses"));
        assert_eq!(kind("paths/~1pets/get/responses/default"), Some("responses"));
        assert_eq!(kind("paths/~1pets/get/responses/200/headers/X-Rate"), Some("headers"));
        assert_eq!(kind("paths/~1pets/get/responses/200/content/application~1json/schema"), Some("schemas"));
        assert_eq!(kind("components/schemas/Pet/properties/parameters"), Some("schemas"));
        assert_eq!(kind("components/schemas/Pet/properties/responses/items"), Some("schemas"));
        assert_eq!(kind("components/schemas/Pet/properties/parameters/items"), Some("schemas"));
        assert_eq!(kind("components/parameters/limit"), Some("parameters"));
        assert_eq!(kind("paths/~1pets/post/callbacks/onEvent/{$request.body#~1url}"), None);
        assert_eq!(kind("paths/~1pets/post/callbacks/onEvent"), None);
    }

    #[test]
    fn percent_escapes_in_paths_are_decoded() {
        assert_eq!(percent_decode("my%20pet.yaml"), "my pet.yaml");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%é1"), "%é1");
    }
}
