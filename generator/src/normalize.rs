//! Step 2: bring an OpenAPI 3.1 document (JSON Schema 2020-12 schemas) into the 3.0 shape of the
//! `openapiv3` model, without losing meaning.
//!
//! | 3.1 construct | becomes |
//! |---|---|
//! | `type: [T, 'null']` | `type: T`, `nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A, ...}, {type: B, ...}]` |
//! | `type: 'null'` alone | `nullable: true`, `x-null: true` (a value that is always null) |
//! | `oneOf`/`anyOf` with a `{type: 'null'}` member | the member removed, `nullable: true` |
//! | `const: v` | `enum: [v]`, `x-const: v` |
//! | `oneOf`/`anyOf` of one inline member, beside annotations | the member, with the schema's annotations |
//! | `oneOf`/`anyOf` of enum values (`const`s, `enum`s, a member allowing any value of their type) | `enum` of the values, one-value members' `title`s as `x-enum-varnames`, their descriptions as `x-enum-descriptions` |
//! | `examples: [a, ...]` | `example: a`, all of them kept in `x-examples` |
//! | `exclusiveMinimum: n` (number) | `minimum: n`, `exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` with the siblings beside it |
//! | `true` / `false` schemas | `{}` / `{not: {}}` |
//! | annotations 3.0 lacks (`$comment`, `contentMediaType`, `prefixItems`, ...) | kept as `x-oas31-<keyword>` extensions |
//!
//! | `items: [A, B]` (drafts 4-7) | `prefixItems: [A, B]`, `additionalItems` as `items` |
//! | `unevaluatedProperties` | also `additionalProperties`, when that is absent |
//! | `contentEncoding: base64` / `contentMediaType` of a non-text type | `format: byte` / `format: binary` |
//!
//! `$defs` and dynamic references were resolved before ([`crate::json_schema`]). Keywords
//! that constrain a value in ways the types cannot express (`if`/`then`/`else`,
//! `dependentSchemas`) are kept and reported as degradations; a dynamic reference that names
//! nothing, or a schema that is not one, is `serde_json::Value`, said the same way.
//! The 3.0-style `nullable: true`, which some 3.1 documents still use, is kept as it is.

use serde_json::{json, Map, Value};

use crate::diagnostics::{pointer, Diagnostics};
use crate::keys::Keys;

/// JSON Schema keywords that 3.0 lacks and that do not change which Rust type fits a value.
/// They are kept under `x-oas31-<keyword>` so that no information is dropped.
const KEPT_AS_EXTENSION: &[&str] = &[
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$defs",
    "definitions",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "patternProperties",
    "prefixItems",
];

/// Keywords that constrain a value in ways the generated types do not express: the value is
/// typed by the rest of its schema, the keywords are kept as `x-oas31-<keyword>` and named in
/// the rustdoc, and a degradation says so.
const CONDITIONAL: &[&str] = &["if", "then", "else", "dependentSchemas"];

/// References that only a dynamic scope resolves: those `json_schema` could not turn into a
/// `$ref` make the schema `serde_json::Value`.
const DYNAMIC: &[&str] = &["$dynamicRef", "$recursiveRef"];

/// Keywords a schema may carry in the 3.0 model, besides extensions.
const KNOWN_30: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

/// Normalizes a whole document in place. The `openapi` version must be 3.0.x or 3.1.x.
pub fn normalize_document(doc: &mut Value, diags: &mut Diagnostics) {
    let Some(root) = doc.as_object_mut() else {
        diags.error("#", "the document is not an object");
        return;
    };
    match root.find("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        Some(v) => diags.error(
            "#/openapi",
            format!("OpenAPI version {v} is not supported (3.0.x and 3.1.x are)"),
        ),
        None => {
            let what = if root.has("swagger") {
                "this is a Swagger 2.0 document; only OpenAPI 3.0.x and 3.1.x are supported"
            } else {
                "missing `openapi` version field"
            };
            diags.error("#/openapi", what);
        }
    }
    // 3.1 makes `paths` optional (a document may hold only webhooks or components), and
    // an operation's `responses` too.
    root.entry("paths").or_insert_with(|| json!({}));
    if let Some(Value::Object(paths)) = root.find_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    op.entry("responses").or_insert_with(|| json!({}));
                }
            }
        }
    }
    set_aside_mutual_tls(root);
    crate::json_schema::resolve(doc, diags);
    walk(doc, "#", Mode::Document, diags);
}

/// Where the `mutualTLS` security schemes (OpenAPI 3.1) are kept, by name, in `components`:
/// the typed model knows only the 3.0 scheme types, and a client certificate is a property
/// of the connection, which requests do not send.
pub const MUTUAL_TLS_SCHEMES: &str = "x-openapi-rust-generator-mutual-tls";

fn set_aside_mutual_tls(root: &mut serde_json::Map<String, Value>) {
    let Some(Value::Object(components)) = root.find_mut("components") else {
        return;
    };
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    if names.is_empty() {
        return;
    }
    let mut aside = serde_json::Map::new();
    for name in names {
        if let Some(scheme) = schemes.shift_remove(&name) {
            aside.insert(name, scheme);
        }
    }
    components.insert(MUTUAL_TLS_SCHEMES.to_owned(), Value::Object(aside));
}

/// What the keys of the object being walked are.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Keys are OpenAPI field names.
    Document,
    /// Keys are names chosen by the author (paths, response codes, media types, ...); values
    /// are ordinary objects.
    Names,
    /// Keys are names; values are schemas.
    Schemas,
    /// Keys are callback names; values are maps from expressions to path items.
    Callbacks,
}

fn walk(value: &mut Value, at: &str, mode: Mode, diags: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                // A string, number or boolean holds nothing to walk into, unless it stands
                // where a schema does (a boolean schema, or one to degrade): its pointer is
                // not made.
                let scalar = !matches!(child, Value::Object(_) | Value::Array(_));
                if scalar && mode != Mode::Schemas && (mode != Mode::Document || key != "schema") {
                    continue;
                }
                // Extensions and example values are data, not places of the document.
                if mode == Mode::Document
                    && (key.starts_with("x-")
                        || matches!(
                            key.as_bytes(),
                            b"example" | b"examples" | b"default" | b"enum"
                        ))
                {
                    continue;
                }
                let here = pointer(at, key);
                match mode {
                    Mode::Schemas => normalize_schema(child, &here, diags),
                    Mode::Names => walk(child, &here, Mode::Document, diags),
                    Mode::Callbacks => walk(child, &here, Mode::Names, diags),
                    Mode::Document => {
                        let child_mode = match key.as_bytes() {
                            b"schema" => {
                                normalize_schema(child, &here, diags);
                                continue;
                            }
                            b"schemas" if at == "#/components" => Mode::Schemas,
                            b"callbacks" => Mode::Callbacks,
                            _ if at == "#/components" => Mode::Names,
                            b"paths" | b"webhooks" | b"responses" | b"content" | b"headers"
                            | b"links" | b"encoding" | b"variables" | b"scopes" | b"mapping" => {
                                Mode::Names
                            }
                            _ => Mode::Document,
                        };
                        walk(child, &here, child_mode, diags);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if matches!(item, Value::Object(_) | Value::Array(_)) {
                    walk(
                        item,
                        &crate::diagnostics::pointer_index(at, i),
                        Mode::Document,
                        diags,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Normalizes one schema and every schema inside it.
pub fn normalize_schema(value: &mut Value, at: &str, diags: &mut Diagnostics) {
    let map = match value {
        Value::Bool(true) => {
            *value = json!({});
            return;
        }
        Value::Bool(false) => {
            *value = json!({ "not": {} });
            return;
        }
        Value::Object(map) => map,
        _ => {
            diags.degraded(
                at,
                "a schema must be an object or a boolean; typed as `serde_json::Value`",
            );
            *value = json!({});
            return;
        }
    };
    if let Some(keyword) = DYNAMIC.iter().find(|k| map.has(k)) {
        diags.degraded(
            pointer(at, keyword),
            format!("`{keyword}` resolves only in a dynamic scope this schema does not have; typed as `serde_json::Value`"),
        );
        *value = json!({});
        return;
    }
    // Draft 4-7 tuples: `items: [A, B]` with `additionalItems`.
    if let Some(Value::Array(_)) = map.find("items") {
        if !map.has("prefixItems") {
            if let Some(items) = map.remove("items") {
                map.insert("prefixItems".to_owned(), items);
            }
            if let Some(additional) = map.remove("additionalItems") {
                map.insert("items".to_owned(), additional);
            }
        }
    }

    // Children first, so that `x-null` markers are in place when unions look at them.
    normalize_children(map, at, diags);

    if map.has("$ref") && map.keys().any(|k| k != "$ref" && !k.starts_with("x-")) {
        if let Some(reference) = map.remove("$ref") {
            let all_of = map
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(members) = all_of {
                members.insert(0, json!({ "$ref": reference }));
            }
        }
    }

    normalize_type(map, at, diags);

    // `unevaluatedProperties` of a schema whose parts are merged into one struct is that
    // struct's `additionalProperties`.
    if !map.has("additionalProperties") {
        if let Some(unevaluated) = map.find("unevaluatedProperties").cloned() {
            map.insert("additionalProperties".to_owned(), unevaluated);
        }
    }
    // A string of another media type: binary, or text in an encoding (`base64`).
    if !map.has("format") && map.find("type").and_then(Value::as_str) == Some("string") {
        match (
            map.find("contentMediaType"),
            map.find("contentEncoding").and_then(Value::as_str),
        ) {
            (_, Some(encoding)) if encoding.eq_ignore_ascii_case("base64") => {
                map.insert("format".to_owned(), json!("byte"));
            }
            (Some(Value::String(media)), None)
                if !media.starts_with("text/") && !media.contains("json") =>
            {
                map.insert("format".to_owned(), json!("binary"));
            }
            _ => {}
        }
    }
    let conditional: Vec<&str> = CONDITIONAL.iter().copied().filter(|k| map.has(k)).collect();
    if !conditional.is_empty() {
        let names: Vec<String> = conditional.iter().map(|k| format!("`{k}`")).collect();
        diags.degraded(
            pointer(at, conditional[0]),
            format!("{} not expressed in the types: the value is typed by the rest of the schema, and the server checks the rest", names.join("/")),
        );
    }

    if let Some(constant) = map.remove("const") {
        if !map.has("enum") {
            map.insert("enum".to_owned(), Value::Array(vec![constant.clone()]));
        }
        map.insert("x-const".to_owned(), constant);
    }

    if let Some(examples) = map.remove("examples") {
        match &examples {
            Value::Array(items) if !items.is_empty() && !map.has("example") => {
                map.insert("example".to_owned(), items[0].clone());
            }
            _ => {}
        }
        map.insert("x-examples".to_owned(), examples);
    }

    normalize_exclusive_bound(map, "exclusiveMinimum", "minimum", at, diags);
    normalize_exclusive_bound(map, "exclusiveMaximum", "maximum", at, diags);

    for union in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.find_mut(union) {
            let before = members.len();
            members.retain(|m| m.get("x-null") != Some(&Value::Bool(true)));
            if members.len() != before {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    }
    enum_union(map);
    refinement_union(map);
    single_member_union(map);

    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        if key.starts_with("x-") || KNOWN_30.contains(&key.as_str()) {
            continue;
        }
        if let Some(v) = map.remove(&key) {
            let kept = if KEPT_AS_EXTENSION.contains(&key.as_str())
                || CONDITIONAL.contains(&key.as_str())
            {
                format!("x-oas31-{}", key.trim_start_matches('$'))
            } else {
                // Not a JSON Schema keyword at all: an author's own annotation.
                format!("x-unknown-{key}")
            };
            map.insert(kept, v);
        }
    }
}

/// A union of enum values is that enum. Its members each allow one value and only annotate
/// it (`oneOf: [{const: 0, title: DEFAULT, description: ...}, ...]`, a common way to give
/// enum values names and docs), or list several (`{type: string, enum: [a, b]}`), or allow
/// any value of the type (`anyOf: [{type: string, enum: [gpt-4o, ...]}, {type: string}]`, an
/// open enum: the generated enums keep unknown values anyway). The values go in `enum`, the
/// one-value members' titles (or a member's own `x-enum-varnames`) in `x-enum-varnames`, their
/// descriptions in `x-enum-descriptions` (both `null` where a member has none). Only when
/// every value is of one JSON type (strings, or integers), that type agrees with every `type`
/// given, and the schema has no `enum` of its own; a `null` member makes the schema nullable.
/// Runs on normalized members (`const` already `enum: [v]`).
fn enum_union(map: &mut Map<String, Value>) {
    /// Keys a member may have besides its values: annotations only, and the constraints a
    /// string member that allows other values may keep.
    fn allowed(key: &str) -> bool {
        key.starts_with("x-")
            || matches!(
                key.as_bytes(),
                b"title"
                    | b"description"
                    | b"type"
                    | b"format"
                    | b"deprecated"
                    | b"example"
                    | b"nullable"
                    | b"enum"
                    | b"pattern"
                    | b"minLength"
                    | b"maxLength"
            )
    }
    if map.has("enum") {
        return;
    }
    let Some(key) = ["oneOf", "anyOf"].into_iter().find(|k| map.has(k)) else {
        return;
    };
    if map.has(if key == "oneOf" { "anyOf" } else { "oneOf" }) {
        return;
    }
    let Some(Value::Array(members)) = map.find(key) else {
        return;
    };
    let mut values = Vec::new();
    let mut names = Vec::new();
    let mut docs = Vec::new();
    let mut nullable = false;
    for member in members {
        let Some(member) = member.as_object() else {
            return;
        };
        if !member.keys().all(|k| allowed(k)) {
            return;
        }
        let text = |k: &str| member.get(k).and_then(Value::as_str).map(str::to_owned);
        let list = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| member.get(*k).and_then(Value::as_array))
                .map(|items| {
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_else(Vec::new)
        };
        nullable |= member.get("nullable") == Some(&Value::Bool(true));
        match member
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            None => {
                // Any value of its type: it must name one, and one the enum can hold.
                let plain = matches!(text("type").as_deref(), Some("string" | "integer"))
                    && !matches!(text("format").as_deref(), Some("binary" | "byte"));
                if !plain {
                    return;
                }
            }
            Some([]) => return,
            Some([value]) => {
                if value.is_null() {
                    nullable = true;
                    continue;
                }
                values.push(value.clone());
                names.push(text("title"));
                docs.push(text("description"));
            }
            Some(several) => {
                let (given, described) = (
                    list(&["x-enum-varnames", "x-enumNames"]),
                    list(&["x-enum-descriptions", "x-enumDescriptions"]),
                );
                for (i, value) in several.iter().enumerate() {
                    if value.is_null() {
                        nullable = true;
                        continue;
                    }
                    values.push(value.clone());
                    names.push(given.get(i).cloned().flatten());
                    docs.push(described.get(i).cloned().flatten());
                }
            }
        }
    }
    let kind = match values.first() {
        Some(Value::String(_)) if values.iter().all(Value::is_string) => "string",
        Some(v) if v.is_i64() && values.iter().all(Value::is_i64) => "integer",
        _ => return,
    };
    let member_types = members
        .iter()
        .filter_map(|m| m.get("type").and_then(Value::as_str));
    let declared = map.find("type").and_then(Value::as_str).map(str::to_owned);
    if member_types
        .chain(declared.as_deref())
        .any(|t| t != kind && !(t == "number" && kind == "integer"))
    {
        return;
    }
    let optional = |items: Vec<Option<String>>| match items.iter().any(Option::is_some) {
        true => Some(Value::Array(
            items
                .into_iter()
                .map(|i| i.map_or(Value::Null, Value::String))
                .collect(),
        )),
        false => None,
    };
    let format = members
        .iter()
        .filter(|m| m.get("enum").is_some())
        .find_map(|m| m.get("format").cloned())
        .filter(|_| !map.has("format"));
    let description = members
        .iter()
        .filter(|m| {
            m.get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.len() > 1)
        })
        .find_map(|m| m.get("description").cloned())
        .filter(|_| !map.has("description"));
    map.remove(key);
    if declared.is_none() {
        map.insert("type".to_owned(), json!(kind));
    }
    if let Some(format) = format {
        map.insert("format".to_owned(), format);
    }
    if let Some(description) = description {
        map.insert("description".to_owned(), description);
    }
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    if let Some(names) = optional(names) {
        map.entry("x-enum-varnames").or_insert(names);
    }
    if let Some(docs) = optional(docs) {
        map.entry("x-enum-descriptions").or_insert(docs);
    }
    map.insert("enum".to_owned(), Value::Array(values));
}

/// A union whose members only refine a scalar `type` the schema gives is a value of that
/// type (`type: string, anyOf: [{format: date-time}, {format: date}]`; `type: integer, oneOf:
/// [{maximum: 10}, {minimum: 100}]`): members without a type of their own accept any value
/// alone, so as a union they would read as one. The members go to `x-refinements` (keyword
/// and members) for the rustdoc; a format they all give is the schema's.
fn refinement_union(map: &mut Map<String, Value>) {
    let Some(t) = map.find("type").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    if !matches!(t.as_str(), "string" | "integer" | "number" | "boolean") {
        return;
    }
    let refines = |member: &Value| match member {
        Value::Object(m) => {
            !m.is_empty()
                && m.keys().all(|k| {
                    k.starts_with("x-")
                        || matches!(k.as_str(), "title" | "description" | "example" | "default")
                        || (k != "enum" && keyword_applies(&t, k))
                })
        }
        _ => false,
    };
    let Some(key) = ["oneOf", "anyOf"].into_iter().find(|k| {
        matches!(map.find(k), Some(Value::Array(members)) if !members.is_empty() && members.iter().all(refines))
    }) else {
        return;
    };
    let Some(Value::Array(members)) = map.remove(key) else {
        return;
    };
    let formats: Vec<Option<&Value>> = members.iter().map(|m| m.get("format")).collect();
    if let Some(Some(format)) = formats.first() {
        if formats.iter().all(|f| f == &Some(*format)) && !map.has("format") {
            map.insert("format".to_owned(), (*format).clone());
        }
    }
    map.insert(
        "x-refinements".to_owned(),
        serde_json::json!({ "keyword": key, "members": members }),
    );
}

/// A `oneOf`/`anyOf` of one inline member, beside annotations only, is that member
/// (`Digest: {oneOf: [{type: object, ...}]}` is the object, not an alias of a type named after
/// it); the schema's own annotations win over the member's.
fn single_member_union(map: &mut Map<String, Value>) {
    fn annotation(key: &str) -> bool {
        key.starts_with("x-")
            || matches!(
                key.as_bytes(),
                b"title"
                    | b"description"
                    | b"nullable"
                    | b"deprecated"
                    | b"example"
                    | b"default"
                    | b"externalDocs"
                    | b"readOnly"
                    | b"writeOnly"
            )
    }
    let Some(key) = ["oneOf", "anyOf"].into_iter().find(|k| map.has(k)) else {
        return;
    };
    if !map.keys().all(|k| k == key || annotation(k)) {
        return;
    }
    let member = match map.find(key) {
        Some(Value::Array(members)) if members.len() == 1 => match &members[0] {
            Value::Object(m) if !m.contains_key("$ref") => m.clone(),
            _ => return,
        },
        _ => return,
    };
    map.remove(key);
    for (k, v) in member {
        if k == "nullable" && v == Value::Bool(true) {
            map.insert(k, v);
        } else {
            map.entry(k).or_insert(v);
        }
    }
}

fn normalize_children(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    for key in [
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
    ] {
        if let Some(Value::Object(props)) = map.find_mut(key) {
            let here = pointer(at, key);
            for (name, schema) in props.iter_mut() {
                normalize_schema(schema, &pointer(&here, name), diags);
            }
        }
    }
    for key in [
        "items",
        "not",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "if",
        "then",
        "else",
    ] {
        if let Some(child @ (Value::Object(_) | Value::Bool(_))) = map.find_mut(key) {
            normalize_schema(child, &pointer(at, key), diags)
        }
    }
    for key in ["additionalProperties", "unevaluatedProperties"] {
        if let Some(child @ Value::Object(_)) = map.find_mut(key) {
            normalize_schema(child, &pointer(at, key), diags);
        }
    }
    for key in ["allOf", "oneOf", "anyOf", "prefixItems"] {
        if let Some(Value::Array(members)) = map.find_mut(key) {
            let here = pointer(at, key);
            for (i, member) in members.iter_mut().enumerate() {
                normalize_schema(member, &crate::diagnostics::pointer_index(&here, i), diags);
            }
        }
    }
}

/// Type arrays and the `null` type.
fn normalize_type(map: &mut Map<String, Value>, at: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match map.find("type") {
        None => return,
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(items)) => {
            let mut names = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(t) => names.push(t.to_owned()),
                    None => diags.degraded(
                        crate::diagnostics::pointer_index(&pointer(at, "type"), i),
                        "a type name must be a string; it is left out",
                    ),
                }
            }
            names
        }
        Some(_) => {
            diags.degraded(
                pointer(at, "type"),
                "`type` must be a string or an array of strings; the value is not typed by it",
            );
            map.remove("type");
            return;
        }
    };
    let known = |t: &str| {
        matches!(
            t.as_bytes(),
            b"null" | b"string" | b"number" | b"integer" | b"boolean" | b"object" | b"array"
        )
    };
    for t in &types {
        if !known(t) {
            diags.degraded(
                pointer(at, "type"),
                format!("unknown type `{t}`; the value is not typed by it"),
            );
        }
    }
    let types: Vec<String> = types.into_iter().filter(|t| known(t)).collect();
    if types.is_empty() {
        map.remove("type");
        return;
    }
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match rest.as_slice() {
        [] => {
            map.remove("type");
            if nullable {
                map.insert("x-null".to_owned(), Value::Bool(true));
            }
        }
        [one] => {
            map.insert("type".to_owned(), Value::String((*one).clone()));
        }
        several => {
            // Each branch gets the type and every keyword; keywords that do not apply to a
            // type are ignored for it, as JSON Schema itself does.
            let mut template = map.clone();
            for k in [
                "type",
                "nullable",
                "description",
                "title",
                "default",
                "example",
                "examples",
            ] {
                template.remove(k);
            }
            let branches: Vec<Value> = several
                .iter()
                .map(|t| {
                    let mut branch = Map::new();
                    branch.insert("type".to_owned(), Value::String((*t).clone()));
                    for (k, v) in &template {
                        if keyword_applies(t, k) {
                            branch.insert(k.clone(), v.clone());
                        }
                    }
                    Value::Object(branch)
                })
                .collect();
            let keep: Vec<String> = map
                .keys()
                .filter(|k| {
                    k.starts_with("x-")
                        || matches!(
                            k.as_bytes(),
                            b"nullable"
                                | b"description"
                                | b"title"
                                | b"default"
                                | b"example"
                                | b"examples"
                                | b"readOnly"
                                | b"writeOnly"
                                | b"deprecated"
                        )
                })
                .cloned()
                .collect();
            map.retain(|k, _| keep.contains(k));
            map.insert("anyOf".to_owned(), Value::Array(branches));
        }
    }
}

/// Whether a keyword constrains values of JSON type `t`.
fn keyword_applies(t: &str, keyword: &str) -> bool {
    match keyword.as_bytes() {
        b"minLength" | b"maxLength" | b"pattern" | b"format" => t == "string",
        b"minimum" | b"maximum" | b"exclusiveMinimum" | b"exclusiveMaximum" | b"multipleOf" => {
            t == "number" || t == "integer"
        }
        b"items" | b"minItems" | b"maxItems" | b"uniqueItems" | b"prefixItems" => t == "array",
        b"properties"
        | b"required"
        | b"additionalProperties"
        | b"minProperties"
        | b"maxProperties"
        | b"patternProperties" => t == "object",
        b"enum" | b"readOnly" | b"writeOnly" | b"deprecated" => true,
        other => other.starts_with(b"x-"),
    }
}

/// 3.1's numeric `exclusiveMinimum: n` is 3.0's `minimum: n` with `exclusiveMinimum: true`.
fn normalize_exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    at: &str,
    diags: &mut Diagnostics,
) {
    let Some(Value::Number(bound)) = map.find(exclusive).cloned() else {
        return;
    };
    let Some(bound_f) = bound.as_f64() else {
        diags.error(pointer(at, exclusive), "bound is not a number");
        return;
    };
    let is_min = inclusive == "minimum";
    let inclusive_is_stricter = match map.find(inclusive).and_then(Value::as_f64) {
        Some(other) => {
            if is_min {
                other > bound_f
            } else {
                other < bound_f
            }
        }
        None => false,
    };
    if inclusive_is_stricter {
        map.remove(exclusive);
    } else {
        map.insert(inclusive.to_owned(), Value::Number(bound));
        map.insert(exclusive.to_owned(), Value::Bool(true));
    }
}
