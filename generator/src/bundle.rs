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

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{pointer, Diagnostics};
use crate::keys::Keys;

/// Objects and arrays nested deeper than this are refused (the walk would overflow the stack).
const MAX_NESTING: usize = 256;

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

/// Resolves every `$ref` into another file, and inlines the references that stand where
/// OpenAPI allows none (a whole `content` or `properties` map, an operation, a `description`
/// naming a Markdown file), as the tools that write split documents do. `document` is the
/// path of the root document (its directory bounds what may be read); without it, references
/// into other files are errors. Returns where the content pulled in was written, for messages.
pub fn bundle(root: &mut Value, document: Option<&Path>, diags: &mut Diagnostics) -> SourceMap {
    let (root_file, allowed) = match document {
        None => (PathBuf::new(), None),
        Some(document) => match document.canonicalize() {
            Ok(p) => {
                let dir = p.parent().map(Path::to_path_buf);
                (p, dir)
            }
            Err(e) => {
                diags.error(
                    "#",
                    format!(
                        "cannot resolve the document's path `{}`: {e}",
                        document.display()
                    ),
                );
                return SourceMap::default();
            }
        },
    };
    // Local references where OpenAPI takes none are copied in first, so that what they copy
    // is walked in its new place like the rest.
    let mut sites = Vec::new();
    let mut survey = Survey::default();
    local_sites_in(root, Place::Document, &[], &mut sites, &mut survey);
    // A document in one file, its references written plainly and each where OpenAPI takes
    // one, is bundled already: the walk below would change nothing and find nothing.
    if sites.is_empty() && !survey.to_rewrite && survey.depth <= MAX_NESTING {
        return SourceMap::default();
    }
    inline_local(root, sites, diags);
    let mut bundler = Bundler {
        root_file: root_file.clone(),
        allowed,
        files: HashMap::default(),
        texts: HashMap::default(),
        placed: HashMap::default(),
        taken: HashMap::default(),
        additions: Vec::new(),
        local_sites: Vec::new(),
        sources: SourceMap::default(),
        failed: false,
        diags,
    };
    // Names already used in the document's own components.
    if let Some(Value::Object(components)) = root.get("components") {
        for (kind, entries) in components {
            if let Value::Object(entries) = entries {
                bundler
                    .taken
                    .entry(kind.clone())
                    .or_default()
                    .extend(entries.keys().cloned());
            }
        }
    }
    let mut path = Vec::new();
    bundler.walk(root, Place::Document, &root_file, &mut path, 0);
    // Nodes pulled in are walked as they are added, so additions may grow while we go.
    let mut next = 0;
    while next < bundler.additions.len() {
        let addition = &bundler.additions[next];
        let (place, file) = (addition.place, addition.file.clone());
        let mut node = std::mem::take(&mut bundler.additions[next].node);
        let mut path = vec![
            "components".to_owned(),
            addition_kind(place).to_owned(),
            bundler.additions[next].name.clone(),
        ];
        bundler.walk(&mut node, place, &file, &mut path, 0);
        bundler.additions[next].node = node;
        next += 1;
    }
    let additions = std::mem::take(&mut bundler.additions);
    let local_sites = std::mem::take(&mut bundler.local_sites);
    let mut sources = std::mem::take(&mut bundler.sources);
    sources.read = bundler
        .files
        .keys()
        .chain(bundler.texts.keys())
        .cloned()
        .collect();
    sources.read.sort();
    sources.read.dedup();
    if let Value::Object(root_map) = root {
        if !additions.is_empty() {
            let components = root_map
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if !components.is_object() {
                *components = Value::Object(Map::new());
            }
            if let Value::Object(components) = components {
                for addition in additions {
                    let entries = components
                        .entry(addition_kind(addition.place))
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(entries) = entries {
                        entries.insert(addition.name, addition.node);
                    }
                }
            }
        }
    }
    inline_local(root, local_sites, diags);
    sources
}

/// Where pulled-in content came from: for each place in the bundled document, the file and
/// pointer it was written at.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    entries: Vec<Source>,
    /// Every file bundling read or tried to read (beside the root document), sorted.
    read: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
struct Source {
    /// The place in the bundled document (`#/components/schemas/Pet`).
    at: String,
    file: PathBuf,
    /// The file as messages name it, relative to the root document's directory.
    shown: String,
    /// The pointer inside the file (`/Pet`, or empty for the whole file).
    fragment: String,
}

impl SourceMap {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The files besides the root document that bundling read or tried to read (one that
    /// did not exist is listed too: creating it changes the result).
    pub fn files_read(&self) -> &[PathBuf] {
        &self.read
    }

    /// The file, pointer and line where the user wrote what `pointer` (in the bundled
    /// document) names; `None` when it is the root document's own content.
    pub fn locate(&self, pointer: &str) -> Option<(String, Option<usize>)> {
        let source = self
            .entries
            .iter()
            .filter(|s| {
                pointer == s.at
                    || pointer
                        .strip_prefix(s.at.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|s| s.at.len())?;
        let rest = &pointer[source.at.len()..];
        let inner = format!("{}{rest}", source.fragment);
        let line = std::fs::read_to_string(&source.file).ok().and_then(|text| {
            // The node, or its parent when a message names a key that is not there (`/$ref`
            // of a reference that failed, a required name): never a line further off.
            let exact = crate::load::line_of(&text, &format!("#{inner}"));
            exact.or_else(|| {
                let parent = &inner[..inner.rfind('/')?];
                crate::load::line_of(&text, &format!("#{parent}"))
            })
        });
        Some((format!("{}#{inner}", source.shown), line))
    }
}

/// What a node is, by its place in an OpenAPI document: it decides what a `$ref` there names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Document,
    Components,
    /// A map whose every value is the given place (`paths`, `properties`, `responses`, ...).
    Map(&'static Place),
    PathItem,
    Operation,
    ParameterList,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Header,
    Schema,
    SchemaList,
    Example,
    Link,
    SecurityScheme,
    /// A callback: a map of expressions to path items.
    Callback,
    /// Data (examples, defaults, enums, extensions): a `$ref` there is a value, never followed.
    Literal,
    /// Anything else (`info`, `tags`, `servers`, descriptions, ...).
    Other,
}

impl Place {
    /// The place of the value under `key` of an object at this place.
    pub(crate) fn child(self, key: &str, value: &Value) -> Place {
        use Place::*;
        if key.starts_with("x-") {
            return Literal;
        }
        match self {
            Literal => Literal,
            Map(item) => *item,
            Document => match key.as_bytes() {
                b"paths" | b"webhooks" => Map(&PathItem),
                b"components" => Components,
                _ => Other,
            },
            Components => match key.as_bytes() {
                b"schemas" => Map(&Schema),
                b"parameters" => Map(&Parameter),
                b"responses" => Map(&Response),
                b"requestBodies" => Map(&RequestBody),
                b"headers" => Map(&Header),
                b"examples" => Map(&Example),
                b"links" => Map(&Link),
                b"securitySchemes" => Map(&SecurityScheme),
                b"callbacks" => Map(&Callback),
                b"pathItems" => Map(&PathItem),
                _ => Other,
            },
            PathItem => match key.as_bytes() {
                b"get" | b"put" | b"post" | b"delete" | b"options" | b"head" | b"patch"
                | b"trace" => Operation,
                b"parameters" => ParameterList,
                _ => Other,
            },
            Operation => match key.as_bytes() {
                b"parameters" => ParameterList,
                b"requestBody" => RequestBody,
                b"responses" => Map(&Response),
                b"callbacks" => Map(&Callback),
                _ => Other,
            },
            Parameter | Header => match key.as_bytes() {
                b"schema" => Schema,
                b"content" => Map(&MediaType),
                b"examples" => Map(&Example),
                b"example" => Literal,
                _ => Other,
            },
            RequestBody => match key.as_bytes() {
                b"content" => Map(&MediaType),
                _ => Other,
            },
            Response => match key.as_bytes() {
                b"headers" => Map(&Header),
                b"content" => Map(&MediaType),
                b"links" => Map(&Link),
                _ => Other,
            },
            MediaType => match key.as_bytes() {
                b"schema" => Schema,
                b"examples" => Map(&Example),
                b"example" => Literal,
                b"encoding" => Map(&Encoding),
                _ => Other,
            },
            Encoding => match key.as_bytes() {
                b"headers" => Map(&Header),
                _ => Other,
            },
            Schema => match key.as_bytes() {
                b"properties" | b"patternProperties" | b"$defs" | b"definitions"
                | b"dependentSchemas" => Map(&Schema),
                b"items" if value.is_array() => SchemaList,
                b"items"
                | b"additionalProperties"
                | b"not"
                | b"contains"
                | b"propertyNames"
                | b"if"
                | b"then"
                | b"else"
                | b"unevaluatedItems"
                | b"unevaluatedProperties"
                | b"additionalItems" => Schema,
                b"allOf" | b"anyOf" | b"oneOf" | b"prefixItems" => SchemaList,
                b"example" | b"examples" | b"default" | b"enum" | b"const" => Literal,
                _ => Other,
            },
            Example => match key.as_bytes() {
                b"value" => Literal,
                _ => Other,
            },
            Callback => PathItem,
            SchemaList | ParameterList | Link | SecurityScheme | Other => Other,
        }
    }

    /// The place of the items of an array at this place.
    pub(crate) fn item(self) -> Place {
        match self {
            Place::SchemaList => Place::Schema,
            Place::ParameterList => Place::Parameter,
            Place::Literal => Place::Literal,
            _ => Place::Other,
        }
    }

    /// The component kind a `$ref` at this place names; `None` where the reference is
    /// resolved in place.
    fn component_kind(self) -> Option<&'static str> {
        Some(match self {
            Place::Schema => "schemas",
            Place::Parameter => "parameters",
            Place::RequestBody => "requestBodies",
            Place::Response => "responses",
            Place::Header => "headers",
            Place::Example => "examples",
            Place::Link => "links",
            Place::SecurityScheme => "securitySchemes",
            _ => return None,
        })
    }

    /// Whether a local `$ref` to `fragment` can stay here as it is: OpenAPI allows one, and
    /// what reads it follows it (a schema anywhere, a parameter, response, ... in its own
    /// kind of component). Others are copied in: OpenAPI allows a parameter's `$ref` to
    /// name `#/paths/~1pets/get/parameters/0`, and tools write them.
    fn takes_local_ref(self, fragment: &str) -> bool {
        match self.component_kind() {
            Some("schemas") => true,
            Some(kind) => fragment
                .strip_prefix("/components/")
                .and_then(|rest| rest.strip_prefix(kind))
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| !name.is_empty() && !name.contains('/')),
            None => self == Place::PathItem,
        }
    }
}

fn addition_kind(place: Place) -> &'static str {
    place.component_kind().unwrap_or("schemas")
}

struct Addition {
    place: Place,
    name: String,
    file: PathBuf,
    node: Value,
}

struct Bundler<'d> {
    root_file: PathBuf,
    /// The root document's directory: only files below it are read. `None` when the
    /// document has no path.
    allowed: Option<PathBuf>,
    /// Parsed files by canonical path (`None` when the file could not be read).
    files: HashMap<PathBuf, Option<Value>>,
    /// Files read as text (Markdown descriptions).
    texts: HashMap<PathBuf, Option<String>>,
    /// (file, pointer) to the local reference it was given.
    placed: HashMap<(PathBuf, String), String>,
    /// Names in use per component kind.
    taken: HashMap<String, HashSet<String>>,
    /// Nodes to add to the components.
    additions: Vec<Addition>,
    /// Local references in places that take none: (path of the site, place, fragment).
    local_sites: Vec<(Vec<String>, Place, String)>,
    sources: SourceMap,
    /// Set when the last reference resolved could not be.
    failed: bool,
    diags: &'d mut Diagnostics,
}

fn path_pointer(path: &[String]) -> String {
    let mut out = String::from("#");
    for segment in path {
        out = pointer(&out, segment);
    }
    out
}

impl Bundler<'_> {
    /// Walks `node`, found in `file` and placed at `path` in the root document; rewrites the
    /// references it holds.
    fn walk(
        &mut self,
        node: &mut Value,
        place: Place,
        file: &Path,
        path: &mut Vec<String>,
        depth: usize,
    ) {
        if place == Place::Literal {
            return;
        }
        if depth > MAX_NESTING {
            let at = path_pointer(path);
            self.diags.error(at, "the document nests too deeply");
            return;
        }
        match node {
            // Most objects are no reference: their children are walked where they are.
            Value::Object(map) if !map.has("$ref") => {
                for (key, child) in map.iter_mut() {
                    let child_place = place.child(key, child);
                    if child_place == Place::Literal || !(child.is_object() || child.is_array()) {
                        continue;
                    }
                    path.push(key.clone());
                    self.walk(child, child_place, file, path, depth + 1);
                    path.pop();
                }
            }
            Value::Object(map) => {
                // The keys to walk are the node's own: what a reference copies in has been
                // walked already, relative to its own file.
                let keys: Vec<String> = map.keys().filter(|k| *k != "$ref").cloned().collect();
                if let Some(Value::String(reference)) = map.find("$ref") {
                    let reference = reference.clone();
                    let local = file == self.root_file && reference.starts_with('#');
                    if local {
                        // A reference is a URI: its fragment may be percent-encoded
                        // (`#/components/schemas/Pet%20Info`, `~1pets~1%7Bid%7D`). It is
                        // written decoded, the one form every later step reads.
                        let fragment = percent_decode(&reference[1..]);
                        if let std::borrow::Cow::Owned(decoded) = &fragment {
                            map.insert("$ref".to_owned(), Value::String(format!("#{decoded}")));
                        }
                        if !place.takes_local_ref(&fragment) {
                            self.local_sites
                                .push((path.clone(), place, fragment.into_owned()));
                        }
                    } else if let Some(replacement) = {
                        self.failed = false;
                        let resolved = self.resolve(&reference, place, file, path, depth);
                        if self.failed && place == Place::Schema {
                            // Typed as any value, as the degradation says.
                            map.remove("$ref");
                        }
                        resolved
                    } {
                        match replacement {
                            Resolved::Ref(local) => {
                                map.insert("$ref".to_owned(), Value::String(local));
                            }
                            Resolved::Inline(value) => {
                                map.remove("$ref");
                                match value {
                                    Value::Object(inlined) => {
                                        // Keys written beside the reference win.
                                        for (k, v) in inlined {
                                            map.entry(k).or_insert(v);
                                        }
                                    }
                                    other => {
                                        *node = other;
                                        return;
                                    }
                                }
                            }
                        }
                    }
                }
                let Value::Object(map) = node else { return };
                for key in keys {
                    if let Some(child) = map.get_mut(&key) {
                        let child_place = place.child(&key, child);
                        if child_place == Place::Literal || !(child.is_object() || child.is_array())
                        {
                            continue;
                        }
                        path.push(key);
                        self.walk(child, child_place, file, path, depth + 1);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                let item_place = place.item();
                for (i, item) in items.iter_mut().enumerate() {
                    if !(item.is_object() || item.is_array()) {
                        continue;
                    }
                    path.push(i.to_string());
                    self.walk(item, item_place, file, path, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn resolve(
        &mut self,
        reference: &str,
        place: Place,
        file: &Path,
        path: &[String],
        depth: usize,
    ) -> Option<Resolved> {
        // Named at its place in the bundled document, which messages map back to the file
        // and line where it was written.
        let at = pointer(&path_pointer(path), "$ref");
        let at = at.as_str();
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if self.allowed.is_none() {
            self.fail(
                place,
                at,
                format!("`$ref: {reference}` points into another file, which needs the document's own path to be read (generate from a file)"),
            );
            return None;
        }
        if file_part.contains("://") || file_part.starts_with("//") {
            self.fail(place, at, format!("`$ref: {reference}` points at a URL, which is not fetched; download it beside the document and refer to the file"));
            return None;
        }
        let target_file = if file_part.is_empty() {
            file.to_path_buf()
        } else {
            let relative = percent_decode(file_part);
            let joined = file
                .parent()
                .unwrap_or(Path::new("."))
                .join(relative.as_ref());
            match self.confine(&joined) {
                Ok(p) => p,
                Err(why) => {
                    self.fail(place, at, format!("`$ref: {reference}`: {why}"));
                    return None;
                }
            }
        };
        let fragment = percent_decode(fragment).into_owned();
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.fail(
                place,
                at,
                format!("`$ref: {reference}` has a fragment that is not a JSON pointer"),
            );
            return None;
        }
        let kind = place.component_kind();
        if target_file == self.root_file && place.takes_local_ref(&fragment) {
            // Back into the root document: a plain local reference, decoded as every
            // local reference is.
            return Some(Resolved::Ref(format!("#{fragment}")));
        }
        if target_file == self.root_file {
            // A place that takes no reference, pointing back into the root document: inlined
            // once the walk is done.
            self.local_sites.push((path.to_vec(), place, fragment));
            return None;
        }
        let key = (target_file.clone(), fragment.clone());
        if kind.is_some() {
            if let Some(local) = self.placed.get(&key) {
                return Some(Resolved::Ref(local.clone()));
            }
        }
        // A description (or any other text) may name a Markdown or text file: its text.
        if kind.is_none() && is_text_file(&target_file) {
            if !fragment.is_empty() {
                self.fail(
                    place,
                    at,
                    format!("`$ref: {reference}`: a text file has no JSON pointer `#{fragment}`"),
                );
                return None;
            }
            return self
                .text(&target_file, at, place)
                .map(|t| Resolved::Inline(Value::String(t)));
        }
        let node = self.node(&target_file, &fragment, reference, at, place)?;
        let shown = self.display(&target_file);
        match kind {
            None => {
                // An operation, a path item, a whole `content` or `properties` map: copied
                // into place, its own references resolved from its file.
                self.sources.entries.push(Source {
                    at: path_pointer(path),
                    file: target_file.clone(),
                    shown,
                    fragment: fragment.clone(),
                });
                let mut node = node;
                let mut inner_path = path.to_vec();
                self.walk(&mut node, place, &target_file, &mut inner_path, depth + 1);
                Some(Resolved::Inline(node))
            }
            Some(kind) => {
                let segments: Vec<&str> = fragment.split('/').skip(1).collect();
                let (kind, base, place) = match segments.as_slice() {
                    ["components", k, name] if KINDS.contains(k) && *k == kind => {
                        (kind, crate::pointer::unescape(name), place)
                    }
                    _ => {
                        let base = segments
                            .last()
                            .map(|s| crate::pointer::unescape(s))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| file_stem(&target_file));
                        (kind, base, place)
                    }
                };
                let name = self.claim(kind, &base);
                let local = format!("#/components/{kind}/{}", crate::pointer::escape(&name));
                self.placed.insert(key, local.clone());
                let mut node = node;
                // Where the node came from, for the reader (not beside a `$ref`, whose
                // siblings mean something).
                let annotated = matches!(
                    kind,
                    "schemas" | "parameters" | "responses" | "requestBodies" | "headers"
                );
                if let Value::Object(map) = &mut node {
                    if annotated && !map.has("$ref") {
                        map.entry("x-bundled-from")
                            .or_insert(Value::String(format!("{shown}#{fragment}")));
                    }
                }
                self.sources.entries.push(Source {
                    at: local.clone(),
                    file: target_file.clone(),
                    shown,
                    fragment,
                });
                self.additions.push(Addition {
                    place,
                    name,
                    file: target_file,
                    node,
                });
                Some(Resolved::Ref(local))
            }
        }
    }

    /// The text of a file, read once.
    fn text(&mut self, file: &Path, at: &str, place: Place) -> Option<String> {
        if !self.texts.contains_key(file) {
            let text = self.read_text(file, at, place);
            self.texts.insert(file.to_path_buf(), text);
        }
        let text = self.texts.get(file).cloned().flatten();
        self.failed |= text.is_none();
        text
    }

    /// The node at `fragment` in `file`, read once.
    fn node(
        &mut self,
        file: &Path,
        fragment: &str,
        reference: &str,
        at: &str,
        place: Place,
    ) -> Option<Value> {
        if !self.files.contains_key(file) {
            let parsed = self.read(file, at, place);
            self.files.insert(file.to_path_buf(), parsed);
        }
        let Some(document) = self.files.get(file).and_then(Option::as_ref) else {
            // Said when the file was read.
            self.failed = true;
            return None;
        };
        match document.pointer(fragment) {
            Some(node) => Some(node.clone()),
            None => {
                let message = format!(
                    "`$ref: {reference}` points at nothing in `{}`",
                    self.display(file)
                );
                self.fail(place, at, message);
                None
            }
        }
    }

    fn read_text(&mut self, file: &Path, at: &str, place: Place) -> Option<String> {
        let shown = self.display(file);
        let meta = match std::fs::metadata(file) {
            Ok(m) => m,
            Err(e) => {
                self.fail(place, at, format!("cannot read `{shown}`: {e}"));
                return None;
            }
        };
        if !meta.is_file() {
            self.fail(place, at, format!("`{shown}` is not a file"));
            return None;
        }
        if meta.len() > MAX_FILE_BYTES {
            self.fail(
                place,
                at,
                format!("`{shown}` is larger than {MAX_FILE_BYTES} bytes"),
            );
            return None;
        }
        match std::fs::read_to_string(file) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(place, at, format!("cannot read `{shown}`: {e}"));
                None
            }
        }
    }

    fn read(&mut self, file: &Path, at: &str, place: Place) -> Option<Value> {
        let shown = self.display(file);
        let text = self.read_text(file, at, place)?;
        match crate::load::parse_document(&text) {
            Ok(v) => Some(v),
            Err(errors) => {
                for d in errors.iter() {
                    let inner = d.pointer.trim_start_matches('#');
                    self.fail(place, at, format!("in `{shown}#{inner}`: {}", d.message));
                }
                None
            }
        }
    }

    /// A reference that cannot be resolved: a degradation. At a schema the schema becomes
    /// any value; elsewhere the reference stays, and what holds it is left out.
    fn fail(&mut self, place: Place, at: &str, message: String) {
        let outcome = if place == Place::Schema {
            "the schema is typed as `serde_json::Value`"
        } else {
            "what holds it is not generated"
        };
        self.diags.degraded(at, format!("{message}; {outcome}"));
        self.failed = true;
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
        let allowed = self.allowed.as_deref().unwrap_or(Path::new("/nonexistent"));
        if !canonical.starts_with(allowed) {
            return Err(format!(
                "`{}` is outside the document's directory `{}`; only files there or below are read",
                path.display(),
                allowed.display()
            ));
        }
        Ok(canonical)
    }

    fn display(&self, file: &Path) -> String {
        self.allowed
            .as_deref()
            .and_then(|dir| file.strip_prefix(dir).ok())
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

/// The place of each node along `pointer` (`#/a/b`) in `root`: the root's first, then one
/// per segment, as far as the nodes exist.
pub(crate) fn places_along(root: &Value, pointer: &str) -> Vec<(String, Place)> {
    let mut out = vec![("#".to_owned(), Place::Document)];
    let mut node = root;
    let mut place = Place::Document;
    let mut at = String::from("#");
    for segment in pointer.trim_start_matches('#').split('/').skip(1) {
        let key = crate::pointer::unescape(segment);
        let next = match node {
            Value::Object(map) => map.get(&key).map(|child| (place.child(&key, child), child)),
            Value::Array(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|child| (place.item(), child)),
            _ => None,
        };
        let Some((child_place, child)) = next else {
            break;
        };
        at = format!("{at}/{segment}");
        out.push((at.clone(), child_place));
        node = child;
        place = child_place;
    }
    out
}

/// Files a `$ref` may name for their text: Markdown, HTML and plain text.
fn is_text_file(file: &Path) -> bool {
    matches!(
        file.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "txt" | "html" | "htm")
    )
}

/// Local references where OpenAPI takes none (`content: {$ref: '#/...'}`): the node they name,
/// copied in. What is copied may hold more of them, so this repeats, a bounded number of
/// times (a cycle of such references cannot be copied out).
fn inline_local(
    root: &mut Value,
    mut sites: Vec<(Vec<String>, Place, String)>,
    diags: &mut Diagnostics,
) {
    const ROUNDS: usize = 16;
    const MAX_COPIED_NODES: usize = 1_000_000;
    let mut copied = 0;
    for _ in 0..ROUNDS {
        if sites.is_empty() {
            return;
        }
        for (path, _, fragment) in &sites {
            let at = path_pointer(path);
            // A reference inside what it names would copy itself without end.
            let site = at.trim_start_matches('#');
            if site == fragment
                || site
                    .strip_prefix(fragment.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
                || fragment.is_empty()
            {
                diags.degraded(pointer(&at, "$ref"), format!("`$ref: #{fragment}` stands where OpenAPI takes no reference and names a node that holds it; it is left out"));
                if let Some(Value::Object(map)) = root.pointer_mut(site) {
                    map.remove("$ref");
                }
                continue;
            }
            let size = root
                .pointer(fragment)
                .map(crate::load::count_nodes)
                .unwrap_or(0);
            copied += size;
            if copied > MAX_COPIED_NODES {
                diags.error(
                    pointer(&at, "$ref"),
                    "references where OpenAPI takes none copy in more than a million nodes",
                );
                return;
            }
            let Some(target) = root.pointer(fragment).cloned() else {
                diags.error(
                    pointer(&at, "$ref"),
                    format!("`$ref: #{fragment}` points at nothing"),
                );
                continue;
            };
            let json_pointer: String = at.trim_start_matches('#').to_owned();
            let Some(site) = root.pointer_mut(&json_pointer) else {
                continue;
            };
            match (site, target) {
                (Value::Object(map), Value::Object(inlined)) => {
                    map.remove("$ref");
                    for (k, v) in inlined {
                        map.entry(k).or_insert(v);
                    }
                }
                (site, target) => *site = target,
            }
        }
        // What was copied in may hold references of its own in such places.
        let mut again = Vec::new();
        for (path, place, _) in &sites {
            if let Some(node) = root.pointer(path_pointer(path).trim_start_matches('#')) {
                local_sites_in(node, *place, path, &mut again, &mut Survey::default());
            }
        }
        sites = again;
    }
    for (path, _, fragment) in sites {
        diags.error(
            pointer(&path_pointer(&path), "$ref"),
            format!("`$ref: #{fragment}` stands where OpenAPI takes no reference, and copying it in never ends (a cycle)"),
        );
    }
}

/// A step of the path `local_sites_in` is at: borrowed from the document, made into text
/// only for the sites it finds.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// What [`local_sites_in`] saw besides the sites: whether the bundler's walk has work.
#[derive(Default)]
struct Survey {
    /// A `$ref` into another file, or one whose fragment is percent-encoded (written decoded).
    to_rewrite: bool,
    /// The deepest object or array, in steps from where the walk began.
    depth: usize,
}

/// The places under `node` (at `path`) whose `$ref` to this document stands where OpenAPI
/// takes no reference, with the path to each.
fn local_sites_in(
    node: &Value,
    place: Place,
    path: &[String],
    out: &mut Vec<(Vec<String>, Place, String)>,
    survey: &mut Survey,
) {
    fn walk<'v>(
        node: &'v Value,
        place: Place,
        base: &[String],
        steps: &mut Vec<Step<'v>>,
        out: &mut Vec<(Vec<String>, Place, String)>,
        survey: &mut Survey,
    ) {
        if place == Place::Literal {
            return;
        }
        match node {
            Value::Object(map) => {
                survey.depth = survey.depth.max(steps.len());
                if let Some(Value::String(r)) = map.find("$ref") {
                    match r.strip_prefix('#') {
                        Some(fragment) => {
                            let fragment = percent_decode(fragment);
                            survey.to_rewrite |= matches!(fragment, std::borrow::Cow::Owned(_));
                            if !place.takes_local_ref(&fragment) {
                                let path = base
                                    .iter()
                                    .cloned()
                                    .chain(steps.iter().map(|step| match step {
                                        Step::Key(k) => (*k).to_owned(),
                                        Step::Index(i) => i.to_string(),
                                    }))
                                    .collect();
                                out.push((path, place, fragment.into_owned()));
                            }
                        }
                        None => survey.to_rewrite = true,
                    }
                }
                for (k, v) in map {
                    if k != "$ref" {
                        steps.push(Step::Key(k));
                        walk(v, place.child(k, v), base, steps, out, survey);
                        steps.pop();
                    }
                }
            }
            Value::Array(items) => {
                survey.depth = survey.depth.max(steps.len());
                for (i, v) in items.iter().enumerate() {
                    steps.push(Step::Index(i));
                    walk(v, place.item(), base, steps, out, survey);
                    steps.pop();
                }
            }
            _ => {}
        }
    }
    walk(node, place, path, &mut Vec::new(), out, survey);
}

fn file_stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "External".to_owned())
}

/// `text` with its `%XX` escapes decoded (borrowed when it has none).
fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('%') {
        return std::borrow::Cow::Borrowed(text);
    }
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
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(path: &str) -> Place {
        let mut place = Place::Document;
        let mut node = serde_json::json!({});
        for segment in path.split('/') {
            if let Ok(i) = segment.parse::<usize>() {
                if matches!(place, Place::SchemaList | Place::ParameterList) {
                    place = place.item();
                    continue;
                }
                let _ = i;
            }
            if segment == "items[]" {
                node = serde_json::json!([]);
                place = place.child("items", &node);
                continue;
            }
            place = place.child(segment, &node);
            node = serde_json::json!({});
        }
        place
    }

    #[test]
    fn the_place_of_a_reference_says_what_it_names() {
        assert_eq!(place("paths/~1pets"), Place::PathItem);
        assert_eq!(place("paths/~1pets/get"), Place::Operation);
        assert_eq!(place("paths/~1pets/get/parameters/0"), Place::Parameter);
        assert_eq!(place("paths/~1pets/get/requestBody"), Place::RequestBody);
        assert_eq!(place("paths/~1pets/get/responses/200"), Place::Response);
        assert_eq!(place("paths/~1pets/get/responses/default"), Place::Response);
        assert_eq!(
            place("paths/~1pets/get/responses/200/headers/X-Rate"),
            Place::Header
        );
        assert_eq!(
            place("paths/~1pets/get/responses/200/content"),
            Place::Map(&Place::MediaType)
        );
        assert_eq!(
            place("paths/~1pets/get/responses/200/content/application~1json/schema"),
            Place::Schema
        );
        assert_eq!(
            place("components/schemas/Pet/properties"),
            Place::Map(&Place::Schema)
        );
        assert_eq!(
            place("components/schemas/Pet/properties/parameters"),
            Place::Schema
        );
        assert_eq!(
            place("components/schemas/Pet/properties/responses/items"),
            Place::Schema
        );
        assert_eq!(place("components/schemas/Pet/items[]/0"), Place::Schema);
        assert_eq!(
            place("components/schemas/Pet/$defs/a/allOf/1"),
            Place::Schema
        );
        assert_eq!(place("components/schemas/Pet/example"), Place::Literal);
        assert_eq!(place("components/schemas/Pet/x-anything"), Place::Literal);
        assert_eq!(place("components/parameters/limit"), Place::Parameter);
        assert_eq!(
            place("paths/~1pets/post/callbacks/onEvent"),
            Place::Callback
        );
        assert_eq!(
            place("paths/~1pets/post/callbacks/onEvent/{$request.body#~1url}"),
            Place::PathItem
        );
        assert_eq!(place("tags/0/description"), Place::Other);
        assert_eq!(place("components/examples/a/value"), Place::Literal);
    }

    #[test]
    fn percent_escapes_in_paths_are_decoded() {
        assert_eq!(percent_decode("my%20pet.yaml"), "my pet.yaml");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%é1"), "%é1");
    }

    /// A document in one file whose references are plain and where OpenAPI takes them is
    /// left as it is, with no error; nesting past the limit is an error whether or not the
    /// document has references to resolve.
    #[test]
    fn a_document_in_one_file_is_bundled_as_it_is_within_the_nesting_limit() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/pets": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
            }}}}},
            "components": {"schemas": {"Pet": {"type": "object"}}}
        });
        let mut bundled = document.clone();
        let mut diags = Diagnostics::default();
        let sources = bundle(&mut bundled, None, &mut diags);
        assert_eq!(bundled, document);
        assert!(diags.is_empty() && sources.is_empty() && sources.files_read().is_empty());

        let mut deep = serde_json::json!({"type": "string"});
        for _ in 0..MAX_NESTING {
            deep = serde_json::json!({"type": "array", "items": deep});
        }
        let mut nested =
            serde_json::json!({"openapi": "3.0.3", "components": {"schemas": {"Deep": deep}}});
        let mut diags = Diagnostics::default();
        bundle(&mut nested, None, &mut diags);
        let messages: Vec<&str> = diags.errors().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["the document nests too deeply"]);
    }
}
