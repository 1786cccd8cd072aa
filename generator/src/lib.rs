//! Turns an OpenAPI 3.0/3.1 document into a typed Rust client crate.
//!
//! The pipeline, one module a step:
//! [`load`] (YAML/JSON to a JSON value) → [`bundle`] (`$ref`s into other files pulled in) →
//! [`normalize`] (3.1 to the 3.0 model) →
//! [`lower`] (the document to the [`model`]) → [`emit`] (the model to tokens) →
//! [`mod@format`] (tokens to text) → [`mod@write`] (all files or none).
//!
//! Every problem is a [`diagnostics::Diagnostic`] naming the JSON pointer of the place in the
//! document; generation never panics on a document.

pub mod bundle;
pub mod config;
pub mod coverage;
pub mod diagnostics;
mod document_model;
pub mod emit;
mod examples;
pub mod format;
pub mod json_schema;
pub mod keys;
pub mod load;
pub mod lower;
pub mod model;
pub mod normalize;
pub mod overlay;
pub mod pointer;
pub mod surface;
pub mod tokens;
pub mod write;

use std::collections::BTreeMap;

use diagnostics::Diagnostics;
use serde_json::Value;

/// What the document cannot say about the crate (see [`config::ConfigFile`] for the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The package name of the generated crate, e.g. `kajabi-client`.
    pub crate_name: String,
    /// Its version.
    pub crate_version: String,
    /// Which operations to generate.
    pub operations: config::OperationFilter,
    /// Rust types for schema `format`s, overriding the defaults.
    pub formats: BTreeMap<String, model::Ty>,
    /// How list operations are paginated.
    pub pagination: Option<config::PaginationConfig>,
    /// The document's OAuth 2.0 token operations, for the client's token provider.
    pub oauth2: Option<config::OAuth2Config>,
    /// The path of the document: `$ref`s into other files are read relative to it (only
    /// files in its directory or below). Without it, such references are errors.
    pub document: Option<std::path::PathBuf>,
    /// Every degradation is an error: nothing is generated in a lesser form.
    pub strict: bool,
    /// The header parameter carrying an idempotency key, besides `Idempotency-Key`.
    pub idempotency_header: Option<String>,
    /// Whether structs keep the properties their schema does not list.
    pub unknown_fields: config::UnknownFields,
    /// Type names by the JSON pointer (`#/...`) of the schema each is made for; the type is
    /// shared by every place of the same structure.
    pub names: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            crate_name: "api-client".to_owned(),
            crate_version: "0.1.0".to_owned(),
            operations: Default::default(),
            formats: Default::default(),
            pagination: None,
            oauth2: None,
            document: None,
            strict: false,
            idempotency_header: None,
            unknown_fields: config::UnknownFields::Ignore,
            names: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The crate name and version go into `Cargo.toml`: only what Cargo accepts gets there.
    pub fn validate(&self) -> Result<(), String> {
        let name_ok = !self.crate_name.is_empty()
            && self.crate_name.len() <= 64
            && self
                .crate_name
                .starts_with(|c: char| c.is_ascii_alphabetic())
            && self
                .crate_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            return Err(format!(
                "crate.name: `{}` is not a valid package name",
                self.crate_name
            ));
        }
        let version_ok = self
            .crate_version
            .split(['-', '+'])
            .next()
            .is_some_and(|core| {
                let parts: Vec<&str> = core.split('.').collect();
                parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            })
            && self
                .crate_version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c));
        if !version_ok {
            return Err(format!(
                "crate.version: `{}` is not a semantic version",
                self.crate_version
            ));
        }
        for (at, name) in &self.names {
            if !at.starts_with("#/") {
                return Err(format!(
                    "names.\"{at}\": not a JSON pointer into the document (write `#/components/schemas/...`)"
                ));
            }
            let ident = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric());
            if !ident || lower::names::pascal(name) != *name {
                return Err(format!(
                    "names.\"{at}\": `{name}` is not a type name (write it in PascalCase, e.g. `{}`)",
                    lower::names::pascal(name)
                ));
            }
        }
        Ok(())
    }
}

/// A generated crate, held in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// File contents by path relative to the crate root (`src/lib.rs`, `Cargo.toml`, ...).
    pub files: BTreeMap<String, String>,
    /// Warnings: things the generator handled in a way the reader should know about.
    pub warnings: Diagnostics,
    /// The model the files were generated from.
    pub api: model::Api,
    /// What each overlay changed.
    pub overlays: Vec<overlay::Applied>,
    /// How much of the document was generated as written.
    pub coverage: coverage::Coverage,
    /// What changed in the API since the crate on disk, once
    /// [`GeneratedCrate::add_change_report`] has compared them.
    pub change_report: Option<String>,
    /// The files of a split document read besides the root one (or tried: a missing one is
    /// listed too), so that a caller can tell when the inputs change.
    pub files_read: Vec<std::path::PathBuf>,
}

impl GeneratedCrate {
    /// Adds `api-surface.json` and `API_CHANGES.md`, comparing with what the crate in `out`
    /// had. Returns this run's report and changes, when there was a previous surface.
    pub fn add_change_report(
        &mut self,
        out: &std::path::Path,
    ) -> Option<(String, Vec<surface::Change>)> {
        let read = |name: &str| std::fs::read_to_string(out.join(name)).ok();
        let previous_surface =
            read(surface::SURFACE_FILE).and_then(|t| surface::Surface::from_json(&t).ok());
        let previous_changes = read(surface::CHANGES_FILE);
        let new = surface::Surface::of(&self.api);
        let (changes_file, report) =
            surface::changes_file(previous_changes.as_deref(), previous_surface.as_ref(), &new);
        self.files
            .insert(surface::SURFACE_FILE.to_owned(), new.to_json());
        self.files
            .insert(surface::CHANGES_FILE.to_owned(), changes_file);
        self.change_report = report.as_ref().map(|(text, _)| text.clone());
        report
    }
}

/// Parses and normalizes a document into the `openapiv3` model.
pub fn load_document(text: &str) -> Result<(openapiv3::OpenAPI, Value, Diagnostics), Diagnostics> {
    load_document_with(text, &[]).map(|(doc, value, diags, _)| (doc, value, diags))
}

type Loaded = (
    openapiv3::OpenAPI,
    Value,
    Diagnostics,
    Vec<overlay::Applied>,
);

/// Parses a document, applies overlays in order, and normalizes it.
pub fn load_document_with(
    text: &str,
    overlays: &[overlay::OverlaySource],
) -> Result<Loaded, Diagnostics> {
    load_document_at(text, None, overlays)
}

/// Parses the document at `path` (whose text is `text`), pulls in the files its `$ref`s
/// name, applies overlays in order, and normalizes it.
pub fn load_document_at(
    text: &str,
    path: Option<&std::path::Path>,
    overlays: &[overlay::OverlaySource],
) -> Result<Loaded, Diagnostics> {
    load_bundled(text, path, overlays).map(|(doc, value, mut diags, applied, sources)| {
        diags.relocate(&sources);
        (doc, value, diags, applied)
    })
}

type Bundled = (
    openapiv3::OpenAPI,
    Value,
    Diagnostics,
    Vec<overlay::Applied>,
    bundle::SourceMap,
);

/// [`load_document_at`], and where bundled content came from; problems are already placed
/// in the user's files.
fn load_bundled(
    text: &str,
    path: Option<&std::path::Path>,
    overlays: &[overlay::OverlaySource],
) -> Result<Bundled, Diagnostics> {
    let mut value = load::parse_document(text)?;
    let mut bundled = Diagnostics::default();
    let sources = bundle::bundle(&mut value, path, &mut bundled);
    if bundled.has_errors() {
        return Err(bundled);
    }
    let mut applied = Vec::new();
    let mut overlay_errors = Diagnostics::default();
    for source in overlays {
        match overlay::apply(&mut value, source) {
            Ok(a) => applied.push(a),
            Err(d) => overlay_errors.extend(d),
        }
    }
    if overlay_errors.has_errors() {
        return Err(overlay_errors);
    }
    // What bundling degraded goes on with the rest.
    let mut diags = bundled;
    normalize::normalize_document(&mut value, &mut diags);
    if diags.has_errors() {
        diags.relocate(&sources);
        return Err(diags);
    }
    // The common case, a document the model reads whole, is read without its example values
    // (see `examples`) and with its schemas read straight from the value (`document_model`),
    // else by serde without its example values; any error is looked for below with the
    // document as it is.
    let read = match document_model::read(&mut value) {
        Some(doc) => Ok(doc),
        None => {
            let set_aside = examples::set_aside(&mut value);
            let read = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value);
            examples::restore(&mut value, set_aside);
            read
        }
    };
    if let Ok(doc) = read {
        return Ok((doc, value, diags, applied, sources));
    }
    // A part the model cannot read (a schema, an operation, a component) is degraded and
    // the rest read again; what is broken at the level of the document stays an error.
    const ROUNDS: usize = 8;
    for _ in 0..ROUNDS {
        // Plain deserializing is faster; the path of an error is only tracked when there is one.
        if let Ok(doc) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
            return Ok((doc, value, diags, applied, sources));
        }
        let e = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
            Ok(doc) => return Ok((doc, value, diags, applied, sources)),
            Err(e) => e,
        };
        // The whole-document error often stops at an untagged or flattened level (such as
        // `#/paths`); deserializing each part on its own names the exact place, and finds
        // every broken part rather than the first.
        let mut found = Diagnostics::default();
        locate_model_errors(&value, &mut found);
        if found.errors().count() == 0 {
            found.error(path_to_pointer(e.path()), e.inner().to_string());
        }
        let mut hard = false;
        for d in found.errors() {
            match degrade_part(&mut value, &d.pointer) {
                Some((part, what)) if part == d.pointer => {
                    diags.degraded(part, format!("{}; {what}", d.message))
                }
                Some((part, what)) => diags.degraded(
                    d.pointer.clone(),
                    format!("{}; {what} (`{part}`)", d.message),
                ),
                None => {
                    hard = true;
                    diags.error(d.pointer.clone(), d.message.clone());
                }
            }
        }
        if hard {
            break;
        }
    }
    if !diags.has_errors() {
        diags.error(
            "#",
            "the document cannot be read even with its broken parts left out",
        );
    }
    diags.relocate(&sources);
    Err(diags)
}

/// Makes the part of the document around `pointer` readable by leaving it out: the schema
/// that holds it becomes any value, else the operation, path item or component that holds it
/// is removed. Returns the pointer of the part and what was done; `None` when the problem is
/// at the level of the document.
fn degrade_part(doc: &mut Value, at: &str) -> Option<(String, &'static str)> {
    use bundle::Place;
    let places = bundle::places_along(doc, at);
    // The innermost schema: the rest of the schemas around it keep their types.
    let schema = places.iter().rfind(|(_, p)| *p == Place::Schema);
    if let Some((schema_at, _)) = schema {
        let slot = doc.pointer_mut(schema_at.trim_start_matches('#'))?;
        *slot = serde_json::json!({});
        return Some((
            schema_at.clone(),
            "the schema that holds it is typed as `serde_json::Value`",
        ));
    }
    let (part_at, what) = places.iter().rev().find_map(|(p, place)| match place {
        Place::Operation => Some((p.clone(), crate::coverage::OPERATION_UNREADABLE)),
        Place::PathItem => Some((p.clone(), "the path item that holds it is not generated")),
        _ => {
            let depth = p.matches('/').count();
            (p.starts_with("#/components/") && depth == 3)
                .then(|| (p.clone(), "the component that holds it is left out"))
        }
    })?;
    let (parent, key) = part_at.rsplit_once('/')?;
    let key = crate::pointer::unescape(key);
    match doc.pointer_mut(parent.trim_start_matches('#'))? {
        Value::Object(map) => {
            map.shift_remove(&key);
        }
        _ => return None,
    }
    Some((part_at, what))
}

fn check_part<T: serde::de::DeserializeOwned>(value: &Value, at: &str, diags: &mut Diagnostics) {
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
        let mut pointer = at.to_owned();
        let inner = path_to_pointer(e.path());
        pointer.push_str(inner.trim_start_matches('#'));
        diags.error(pointer, e.inner().to_string());
    }
}

fn locate_model_errors(doc: &Value, diags: &mut Diagnostics) {
    use diagnostics::pointer;
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    if let Some(info) = doc.get("info") {
        check_part::<openapiv3::Info>(info, "#/info", diags);
    } else {
        diags.error("#/info", "missing `info`");
    }
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            let item_at = pointer("#/paths", path);
            let Value::Object(fields) = item else {
                diags.error(item_at, "a path item must be an object");
                continue;
            };
            for (key, part) in fields {
                let at = pointer(&item_at, key);
                if METHODS.contains(&key.as_str()) {
                    check_part::<openapiv3::Operation>(part, &at, diags);
                } else if key == "parameters" {
                    check_part::<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>>(
                        part, &at, diags,
                    );
                }
            }
        }
    }
    if let Some(Value::Object(components)) = doc.get("components") {
        for (kind, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, entry) in entries {
                let at = diagnostics::pointer_to("#/components", &[kind, name]);
                match kind.as_str() {
                    "schemas" => {
                        check_part::<openapiv3::ReferenceOr<openapiv3::Schema>>(entry, &at, diags)
                    }
                    "parameters" => check_part::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                        entry, &at, diags,
                    ),
                    "responses" => {
                        check_part::<openapiv3::ReferenceOr<openapiv3::Response>>(entry, &at, diags)
                    }
                    "requestBodies" => {
                        check_part::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                            entry, &at, diags,
                        )
                    }
                    "securitySchemes" => check_part::<
                        openapiv3::ReferenceOr<openapiv3::SecurityScheme>,
                    >(entry, &at, diags),
                    "headers" => {
                        check_part::<openapiv3::ReferenceOr<openapiv3::Header>>(entry, &at, diags)
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Lowers a document into the generator's model of the API, with the default configuration.
pub fn build_model(text: &str) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let (doc, value, mut diags) = load_document(text)?;
    let api = lower::lower(&doc, &value, &Config::default(), &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((api, diags))
}

/// Generates the crate for the document `text`.
pub fn generate(text: &str, config: &Config) -> Result<GeneratedCrate, Diagnostics> {
    generate_with_overlays(text, &[], config)
}

/// Generates the crate for the document `text` with `overlays` applied to it first.
pub fn generate_with_overlays(
    text: &str,
    overlays: &[overlay::OverlaySource],
    config: &Config,
) -> Result<GeneratedCrate, Diagnostics> {
    if let Err(e) = config.validate() {
        let mut diags = Diagnostics::default();
        diags.error("codegen.toml", e);
        return Err(diags);
    }
    let (doc, value, mut warnings, applied, sources) =
        load_bundled(text, config.document.as_deref(), overlays)?;
    let mut lowered = Diagnostics::default();
    let api = lower::lower(&doc, &value, config, &mut lowered);
    warnings.extend(lowered);
    // Measured on the bundled document's pointers, before they name the user's files.
    let coverage = coverage::Coverage::of(&api, &warnings);
    warnings.relocate(&sources);
    let files_read = sources.files_read().to_vec();
    if config.strict {
        warnings.escalate_degraded();
    }
    if warnings.has_errors() {
        return Err(warnings);
    }
    let files = emit::emit_crate(&api, config);
    Ok(GeneratedCrate {
        files,
        warnings,
        api,
        overlays: applied,
        coverage,
        change_report: None,
        files_read,
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out = diagnostics::pointer(&out, key),
            Segment::Enum { variant } => out = diagnostics::pointer(&out, variant),
            Segment::Unknown => out.push_str("/?"),
        }
    }
    out
}

/// The documents tests read: each document the corpus's manifest lists (`../shared/specs`,
/// beside the repository; a split document by its root file) and the repository's own
/// `openapi.yaml`.
#[cfg(test)]
pub(crate) fn corpus_documents() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs = root.join("../shared/specs");
    let manifest = std::fs::read_to_string(specs.join("MANIFEST.tsv"))
        .expect("the corpus manifest is in ../shared/specs, beside the repository");
    let mut documents: Vec<std::path::PathBuf> = manifest
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
        .map(|file| specs.join(file))
        .collect();
    assert!(documents.len() >= 26, "the manifest lists the corpus");
    documents.push(root.join("openapi.yaml"));
    documents
}
