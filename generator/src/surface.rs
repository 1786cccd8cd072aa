//! The API surface a Rust caller sees, taken from the model, and the changes between two of
//! them: what `cargo xtask codegen` reports when a document changes.
//!
//! The surface is stored in the generated crate (`api-surface.json`) so the next run can
//! compare; the report is prepended to `API_CHANGES.md` there.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::{Api, Location, StatusSpec, Ty, TypeKind, Types};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    pub title: String,
    pub version: String,
    /// By `METHOD /path`.
    pub operations: BTreeMap<String, OperationSurface>,
    /// By Rust name.
    pub types: BTreeMap<String, TypeSurface>,
    /// The types the document deprecates.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub deprecated_types: BTreeSet<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    pub method_name: String,
    /// By `location wire-name`, e.g. `query page[number]`.
    pub params: BTreeMap<String, ParamSurface>,
    pub body: Option<String>,
    /// Status (`200`, `4XX`, `default`) to the Rust type of its body.
    pub responses: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSurface {
    pub rust_name: String,
    pub ty: String,
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeSurface {
    Struct {
        fields: BTreeMap<String, FieldSurface>,
    },
    Enum {
        values: BTreeSet<String>,
    },
    /// An integer with named values: each constant's name and value.
    Constants {
        repr: String,
        values: BTreeMap<String, i64>,
    },
    Union {
        variants: Vec<String>,
    },
    Alias {
        ty: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSurface {
    pub rust_name: String,
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// The Rust spelling of a type, as the generated code writes it.
pub fn rust_type(types: &Types, ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::U32 => "u32".into(),
        Ty::U64 => "u64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::String => "String".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Upload => "Upload".into(),
        Ty::ByteStream => "ByteStream".into(),
        Ty::Value => "serde_json::Value".into(),
        Ty::Unit => "()".into(),
        Ty::Named(id) => types.name(*id).to_owned(),
        Ty::Vec(t) => format!("Vec<{}>", rust_type(types, t)),
        Ty::Map(t) => format!("Map<String, {}>", rust_type(types, t)),
        Ty::Option(t) => format!("Option<{}>", rust_type(types, t)),
        Ty::Boxed(t) => rust_type(types, t),
        Ty::Tuple(items) => format!(
            "({})",
            items
                .iter()
                .map(|t| rust_type(types, t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn status_key(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(c) => c.to_string(),
        StatusSpec::Range(r) => format!("{r}XX"),
        StatusSpec::Default => "default".into(),
    }
}

impl Surface {
    pub fn of(api: &Api) -> Surface {
        let mut operations = BTreeMap::new();
        for op in api.paths.iter().flat_map(|g| &g.operations) {
            let params = op
                .path_params
                .iter()
                .chain(&op.params)
                .map(|p| {
                    let location = match p.location {
                        Location::Path => "path",
                        Location::Query => "query",
                        Location::Header => "header",
                        Location::Cookie => "cookie",
                    };
                    (
                        format!("{location} {}", p.wire_name),
                        ParamSurface {
                            rust_name: p.rust_name.clone(),
                            ty: rust_type(&api.types, &p.ty),
                            required: p.required,
                            deprecated: p.deprecated,
                        },
                    )
                })
                .collect();
            let responses = op
                .responses
                .iter()
                .map(|r| {
                    let ty = r
                        .content
                        .as_ref()
                        .map(|c| rust_type(&api.types, &c.ty))
                        .unwrap_or_else(|| "()".into());
                    (status_key(r.status), ty)
                })
                .collect();
            operations.insert(
                format!("{} {}", op.method.as_str(), op.path),
                OperationSurface {
                    method_name: op.rust_name.clone(),
                    params,
                    body: op.body.as_ref().map(|b| rust_type(&api.types, &b.ty)),
                    responses,
                    deprecated: op.deprecated,
                },
            );
        }
        let types = api
            .types
            .iter()
            .map(|t| {
                let surface = match &t.kind {
                    TypeKind::Struct(s) => TypeSurface::Struct {
                        fields: s
                            .fields
                            .iter()
                            .map(|f| {
                                (
                                    f.wire_name.clone(),
                                    FieldSurface {
                                        rust_name: f.rust_name.clone(),
                                        ty: rust_type(&api.types, &f.ty),
                                        required: f.required,
                                        nullable: f.nullable,
                                        deprecated: f.deprecated,
                                    },
                                )
                            })
                            .collect(),
                    },
                    TypeKind::StringEnum(vs) => TypeSurface::Enum {
                        values: vs.iter().map(|v| v.wire_value.clone()).collect(),
                    },
                    TypeKind::IntegerEnum { repr, values } => TypeSurface::Constants {
                        repr: rust_type(&api.types, repr),
                        values: values
                            .iter()
                            .map(|v| (v.rust_name.clone(), v.value))
                            .collect(),
                    },
                    TypeKind::Union(vs) => TypeSurface::Union {
                        variants: vs
                            .iter()
                            .map(|v| format!("{}({})", v.rust_name, rust_type(&api.types, &v.ty)))
                            .collect(),
                    },
                    TypeKind::Tagged {
                        property, variants, ..
                    } => TypeSurface::Union {
                        variants: variants
                            .iter()
                            .map(|v| match v.tags.is_empty() {
                                true => {
                                    format!("{}({})", v.rust_name, rust_type(&api.types, &v.ty))
                                }
                                false => format!(
                                    "{}({}) when {property} is {}",
                                    v.rust_name,
                                    rust_type(&api.types, &v.ty),
                                    v.tags.join(" or ")
                                ),
                            })
                            .collect(),
                    },
                    TypeKind::Alias(ty) => TypeSurface::Alias {
                        ty: rust_type(&api.types, ty),
                    },
                };
                (t.name.clone(), surface)
            })
            .collect();
        Surface {
            title: api.title.clone(),
            version: api.version.clone(),
            operations,
            types,
            deprecated_types: api
                .types
                .iter()
                .filter(|t| t.deprecated)
                .map(|t| t.name.clone())
                .collect(),
        }
    }

    /// For each type, the methods of the operations that use it (through their parameters,
    /// body or responses, directly or inside other types).
    pub fn users(&self) -> BTreeMap<String, BTreeSet<String>> {
        let names_in = |ty: &str| -> Vec<String> {
            ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| self.types.contains_key(*w))
                .map(str::to_owned)
                .collect()
        };
        let inner: BTreeMap<&String, Vec<String>> = self
            .types
            .iter()
            .map(|(name, t)| {
                let tys: Vec<String> = match t {
                    TypeSurface::Struct { fields } => {
                        fields.values().flat_map(|f| names_in(&f.ty)).collect()
                    }
                    TypeSurface::Union { variants } => {
                        variants.iter().flat_map(|v| names_in(v)).collect()
                    }
                    TypeSurface::Alias { ty } => names_in(ty),
                    TypeSurface::Enum { .. } | TypeSurface::Constants { .. } => Vec::new(),
                };
                (name, tys)
            })
            .collect();
        let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for op in self.operations.values() {
            let mut stack: Vec<String> = op
                .params
                .values()
                .map(|p| p.ty.as_str())
                .chain(op.body.as_deref())
                .chain(op.responses.values().map(String::as_str))
                .flat_map(names_in)
                .collect();
            let mut seen = BTreeSet::new();
            while let Some(ty) = stack.pop() {
                if seen.insert(ty.clone()) {
                    stack.extend(inner.get(&ty).into_iter().flatten().cloned());
                }
            }
            for ty in seen {
                users.entry(ty).or_default().insert(op.method_name.clone());
            }
        }
        users
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Surface, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// One change, as a Rust caller of the generated crate sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub breaking: bool,
    /// Something callers may still use is deprecated (or no longer is): not breaking, and
    /// listed on its own.
    pub deprecation: bool,
    /// Where: an operation (`list_customers (GET /v1/customers)`) or a type.
    pub subject: String,
    pub what: String,
}

/// Replaces whole type names in a Rust type spelling.
fn rename_in(ty: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return ty.to_owned();
    }
    let mut out = String::with_capacity(ty.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(
            renames
                .get(word.as_str())
                .map(String::as_str)
                .unwrap_or(word),
        );
        word.clear();
    };
    for ch in ty.chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == ':' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn renamed_type(t: &TypeSurface, renames: &BTreeMap<String, String>) -> TypeSurface {
    match t {
        TypeSurface::Struct { fields } => TypeSurface::Struct {
            fields: fields
                .iter()
                .map(|(k, f)| {
                    (
                        k.clone(),
                        FieldSurface {
                            ty: rename_in(&f.ty, renames),
                            ..f.clone()
                        },
                    )
                })
                .collect(),
        },
        TypeSurface::Union { variants } => TypeSurface::Union {
            variants: variants.iter().map(|v| rename_in(v, renames)).collect(),
        },
        TypeSurface::Alias { ty } => TypeSurface::Alias {
            ty: rename_in(ty, renames),
        },
        other => other.clone(),
    }
}

/// Types that disappeared while a type of the same shape appeared, once the renames found
/// so far are applied (so a renamed struct holding a renamed enum is found too).
fn find_renames(old: &Surface, new: &Surface) -> BTreeMap<String, String> {
    let removed: Vec<&String> = old
        .types
        .keys()
        .filter(|k| !new.types.contains_key(*k))
        .collect();
    let added: Vec<&String> = new
        .types
        .keys()
        .filter(|k| !old.types.contains_key(*k))
        .collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut found = false;
        for name in &removed {
            if renames.contains_key(*name) {
                continue;
            }
            let shape = renamed_type(&old.types[*name], &renames);
            let taken: BTreeSet<&String> = renames.values().collect();
            if let Some(target) = added
                .iter()
                .find(|a| !taken.contains(**a) && new.types[**a] == shape)
            {
                renames.insert((*name).clone(), (*target).clone());
                found = true;
            }
        }
        if !found {
            return renames;
        }
    }
}

/// Everything that differs between two surfaces, breaking changes first.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let renames = find_renames(old, new);
    let mut deprecations: Vec<Change> = Vec::new();
    let mut deprecated = |subject: &str, what: &str, was: bool, is: bool| {
        if was != is {
            deprecations.push(Change {
                breaking: false,
                deprecation: true,
                subject: subject.to_owned(),
                what: match is {
                    true => format!("{what} deprecated"),
                    false => format!("{what} no longer deprecated"),
                },
            });
        }
    };
    let mut changes: Vec<Change> = Vec::new();
    let mut add = |breaking: bool, subject: &str, what: String| {
        changes.push(Change {
            breaking,
            deprecation: false,
            subject: subject.to_owned(),
            what,
        })
    };

    for (key, op) in &old.operations {
        let subject = format!("`{}` ({key})", op.method_name);
        let Some(new_op) = new.operations.get(key) else {
            add(true, &subject, "operation removed".into());
            continue;
        };
        deprecated(&subject, "operation", op.deprecated, new_op.deprecated);
        if new_op.method_name != op.method_name {
            add(
                true,
                &subject,
                format!("method renamed to `{}`", new_op.method_name),
            );
        }
        for (name, p) in &op.params {
            match new_op.params.get(name) {
                None => add(true, &subject, format!("parameter `{name}` removed")),
                Some(q) => {
                    deprecated(
                        &subject,
                        &format!("parameter `{name}`"),
                        p.deprecated,
                        q.deprecated,
                    );
                    if q.ty != rename_in(&p.ty, &renames) {
                        add(
                            true,
                            &subject,
                            format!("parameter `{name}` retyped: `{}` → `{}`", p.ty, q.ty),
                        );
                    }
                    if q.required && !p.required {
                        add(true, &subject, format!("parameter `{name}` made required"));
                    } else if !q.required && p.required {
                        add(
                            true,
                            &subject,
                            format!(
                                "parameter `{name}` made optional (its field becomes an `Option`)"
                            ),
                        );
                    }
                }
            }
        }
        for (name, q) in &new_op.params {
            if !op.params.contains_key(name) {
                if q.required {
                    add(true, &subject, format!("required parameter `{name}` added"));
                } else {
                    add(
                        false,
                        &subject,
                        format!("optional parameter `{name}` added"),
                    );
                }
            }
        }
        if op.body.as_deref().map(|b| rename_in(b, &renames)) != new_op.body {
            let show = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".into());
            add(
                true,
                &subject,
                format!(
                    "request body retyped: `{}` → `{}`",
                    show(&op.body),
                    show(&new_op.body)
                ),
            );
        }
        for (status, ty) in &op.responses {
            match new_op.responses.get(status) {
                None => add(true, &subject, format!("response {status} removed")),
                Some(t) if *t != rename_in(ty, &renames) => add(
                    true,
                    &subject,
                    format!("response {status} retyped: `{ty}` → `{t}`"),
                ),
                _ => {}
            }
        }
        for status in new_op.responses.keys() {
            if !op.responses.contains_key(status) {
                // The error enum is `#[non_exhaustive]`: a new error is a new variant callers
                // already handle with their `_` arm. A new success may change the result type.
                let success = status.starts_with('2');
                add(success, &subject, format!("response {status} added"));
            }
        }
    }
    for (key, op) in &new.operations {
        if !old.operations.contains_key(key) {
            add(
                false,
                &format!("`{}` ({key})", op.method_name),
                "operation added".into(),
            );
        }
    }

    // Types: a removed type with the same shape as an added one was renamed.
    for name in old.types.keys().filter(|k| !new.types.contains_key(*k)) {
        match renames.get(name) {
            Some(target) => add(
                true,
                &format!("type `{name}`"),
                format!("renamed to `{target}`"),
            ),
            None => add(true, &format!("type `{name}`"), "type removed".into()),
        }
    }
    let renamed_to: BTreeSet<&String> = renames.values().collect();
    for name in new.types.keys().filter(|k| !old.types.contains_key(*k)) {
        if !renamed_to.contains(name) {
            add(false, &format!("type `{name}`"), "type added".into());
        }
    }
    for (name, old_type) in &old.types {
        let Some(new_type) = new.types.get(name) else {
            continue;
        };
        let subject = format!("type `{name}`");
        deprecated(
            &subject,
            "type",
            old.deprecated_types.contains(name),
            new.deprecated_types.contains(name),
        );
        match (old_type, new_type) {
            (TypeSurface::Struct { fields: a }, TypeSurface::Struct { fields: b }) => {
                for (wire, f) in a {
                    match b.get(wire) {
                        None => add(true, &subject, format!("field `{wire}` removed")),
                        Some(g) => {
                            deprecated(
                                &subject,
                                &format!("field `{wire}`"),
                                f.deprecated,
                                g.deprecated,
                            );
                            if !f.nullable && g.nullable {
                                add(true, &subject, format!("field `{wire}` became nullable"));
                            } else if f.nullable && !g.nullable {
                                add(
                                    g.ty != f.ty,
                                    &subject,
                                    format!("field `{wire}` is no longer nullable"),
                                );
                            }
                            if f.required != g.required {
                                let what = if g.required {
                                    "made required"
                                } else {
                                    "made optional"
                                };
                                add(true, &subject, format!("field `{wire}` {what}"));
                            }
                            if g.ty != rename_in(&f.ty, &renames)
                                && f.nullable == g.nullable
                                && f.required == g.required
                            {
                                add(
                                    true,
                                    &subject,
                                    format!("field `{wire}` retyped: `{}` → `{}`", f.ty, g.ty),
                                );
                            }
                        }
                    }
                }
                for (wire, g) in b {
                    if !a.contains_key(wire) {
                        if g.required {
                            add(true, &subject, format!("required field `{wire}` added"));
                        } else {
                            add(false, &subject, format!("optional field `{wire}` added"));
                        }
                    }
                }
            }
            (TypeSurface::Enum { values: a }, TypeSurface::Enum { values: b }) => {
                for v in a.difference(b) {
                    add(true, &subject, format!("enum value `{v}` removed"));
                }
                for v in b.difference(a) {
                    // The enum is `#[non_exhaustive]`: callers' matches have a `_` arm. Values
                    // that decoded as `Unknown` decode as the new variant.
                    add(
                        false,
                        &subject,
                        format!("enum value `{v}` added (it decoded as `Unknown` before)"),
                    );
                }
            }
            (
                TypeSurface::Constants {
                    repr: ra,
                    values: a,
                },
                TypeSurface::Constants {
                    repr: rb,
                    values: b,
                },
            ) if ra == rb => {
                for (name, value) in a {
                    match b.get(name) {
                        None => add(true, &subject, format!("constant `{name}` removed")),
                        Some(v) if v != value => add(
                            true,
                            &subject,
                            format!("constant `{name}` changed: {value} → {v}"),
                        ),
                        Some(_) => {}
                    }
                }
                for (name, value) in b {
                    if !a.contains_key(name) {
                        // Any integer decodes: the value decoded before, now it has a name.
                        add(
                            false,
                            &subject,
                            format!("constant `{name}` ({value}) added"),
                        );
                    }
                }
            }
            (a, b) if a != b => add(true, &subject, "definition changed".into()),
            _ => {}
        }
    }
    changes.extend(deprecations);
    changes.sort();
    changes.sort_by_key(|c| (!c.breaking, !c.deprecation));
    changes
}

/// The report as Markdown, under a heading naming both versions.
pub fn report(old: &Surface, new: &Surface, changes: &[Change]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {} {} → {}\n", new.title, old.version, new.version);
    if changes.is_empty() {
        out.push_str("No change to the API surface.\n");
        return out;
    }
    let (old_users, new_users) = (old.users(), new.users());
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let deprecations = changes.iter().filter(|c| c.deprecation).count();
    let _ = writeln!(
        out,
        "{breaking} breaking, {deprecations} deprecations, {} non-breaking.\n",
        changes.len() - breaking - deprecations
    );
    for (title, is_breaking, is_deprecation) in [
        ("Breaking", true, false),
        ("Deprecated", false, true),
        ("Non-breaking", false, false),
    ] {
        let items: Vec<&Change> = changes
            .iter()
            .filter(|c| c.breaking == is_breaking && c.deprecation == is_deprecation)
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in items {
            let _ = write!(out, "- {}: {}", c.subject, c.what);
            // A type's change reaches the callers of every operation that uses it.
            let ty = c
                .subject
                .strip_prefix("type `")
                .and_then(|s| s.strip_suffix('`'));
            let ops = ty.and_then(|t| new_users.get(t).or_else(|| old_users.get(t)));
            if let Some(ops) = ops.filter(|o| !o.is_empty()) {
                let shown: Vec<String> = ops.iter().take(6).map(|o| format!("`{o}`")).collect();
                let more = match ops.len().saturating_sub(6) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                let _ = write!(out, " (affects {}{more})", shown.join(", "));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

pub const CHANGES_FILE: &str = "API_CHANGES.md";
pub const SURFACE_FILE: &str = "api-surface.json";
const CHANGES_HEADER: &str = "# API changes\n\nWhat each regeneration changed in this crate's API, newest first. Written by `cargo xtask codegen`.\n\n";

/// The new `API_CHANGES.md`, given the old one and the old surface, and the report of this
/// run (`None` when there was nothing to compare with).
pub fn changes_file(
    previous_file: Option<&str>,
    previous_surface: Option<&Surface>,
    new: &Surface,
) -> (String, Option<(String, Vec<Change>)>) {
    let history = previous_file
        .and_then(|f| f.strip_prefix(CHANGES_HEADER))
        .unwrap_or("")
        .to_owned();
    match previous_surface {
        None => {
            let first = if history.is_empty() {
                format!("## {} {}\n\nFirst generation.\n", new.title, new.version)
            } else {
                history
            };
            (format!("{CHANGES_HEADER}{first}"), None)
        }
        Some(old) => {
            let changes = compare(old, new);
            let text = report(old, new, &changes);
            if changes.is_empty() {
                let kept = if history.is_empty() {
                    format!("## {} {}\n\nFirst generation.\n", new.title, new.version)
                } else {
                    history
                };
                (format!("{CHANGES_HEADER}{kept}"), Some((text, changes)))
            } else {
                (
                    format!("{CHANGES_HEADER}{text}\n{history}"),
                    Some((text, changes)),
                )
            }
        }
    }
}
