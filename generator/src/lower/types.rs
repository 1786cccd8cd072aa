//! Schema lowering: the type space that owns every named type, gives inline schemas stable
//! names derived from where they appear, and reuses one type for identical inline schemas.

use std::borrow::Cow;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::names::{pascal, snake, Scope};
use super::sharing::{self, Sharing, Sites};
use crate::diagnostics::{pointer, pointer_index, Diagnostics};
use crate::model::{
    EnumVariant, Field, IntegerValue, JsonKind, MemberShape, StructDef, Ty, TypeDef, TypeId,
    TypeKind, Types, UnionVariant,
};

/// The name the flattened map of unlisted properties gets in every struct.
pub const EXTRA_FIELD: &str = "additional_properties";

/// A schema's shape, with the many spellings `openapiv3` allows folded together; what the
/// schema holds is borrowed, only the pieces made up for `SchemaKind::Any` are owned.
enum Shape<'a> {
    String {
        format: Option<String>,
        values: Vec<Value>,
    },
    Integer {
        format: Option<String>,
        values: Vec<Value>,
    },
    Number {
        format: Option<String>,
        values: Vec<Value>,
    },
    Boolean,
    Object {
        properties: Cow<'a, IndexMap<String, ReferenceOr<Box<Schema>>>>,
        required: Cow<'a, [String]>,
        additional: Option<Cow<'a, AdditionalProperties>>,
    },
    Array {
        items: Option<Cow<'a, ReferenceOr<Box<Schema>>>>,
    },
    OneOf(Cow<'a, [ReferenceOr<Schema>]>),
    AllOf(Cow<'a, [ReferenceOr<Schema>]>),
    Null,
    Any,
}

fn format_of<T: serde::Serialize>(format: &T) -> Option<String> {
    match serde_json::to_value(format) {
        Ok(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

fn strings(values: &[Option<String>]) -> Vec<Value> {
    values
        .iter()
        .map(|v| v.clone().map(Value::String).unwrap_or(Value::Null))
        .collect()
}

fn shape_of(schema: &Schema) -> Shape<'_> {
    if schema.schema_data.extensions.get("x-null") == Some(&Value::Bool(true)) {
        return Shape::Null;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: format_of(&s.format),
            values: strings(&s.enumeration),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_of(&i.format),
            values: i.enumeration.iter().map(|v| serde_json::json!(v)).collect(),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: format_of(&n.format),
            values: n.enumeration.iter().map(|v| serde_json::json!(v)).collect(),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: Cow::Borrowed(&o.properties),
            required: Cow::Borrowed(&o.required),
            additional: o.additional_properties.as_ref().map(Cow::Borrowed),
        },
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref().map(Cow::Borrowed),
        },
        SchemaKind::OneOf { one_of } => Shape::OneOf(Cow::Borrowed(one_of)),
        SchemaKind::AnyOf { any_of } => Shape::OneOf(Cow::Borrowed(any_of)),
        SchemaKind::AllOf { all_of } => Shape::AllOf(Cow::Borrowed(all_of)),
        SchemaKind::Not { .. } => Shape::Any,
        SchemaKind::Any(any) => {
            let has_object_part = !any.properties.is_empty() || any.additional_properties.is_some();
            let object_part = || {
                ReferenceOr::Item(Schema {
                    schema_data: Default::default(),
                    schema_kind: SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                        properties: any.properties.clone(),
                        required: any.required.clone(),
                        additional_properties: any.additional_properties.clone(),
                        ..Default::default()
                    })),
                })
            };
            if !any.all_of.is_empty() {
                let mut members = any.all_of.clone();
                if has_object_part {
                    members.push(object_part());
                }
                return Shape::AllOf(Cow::Owned(members));
            }
            let union: Vec<_> = any.one_of.iter().chain(&any.any_of).cloned().collect();
            if !union.is_empty() {
                // `additionalProperties` or `required` beside a union, with no properties,
                // say nothing its members do not.
                if has_object_part && !any.properties.is_empty() {
                    // Properties beside `oneOf` apply to every member.
                    return Shape::AllOf(Cow::Owned(vec![
                        object_part(),
                        ReferenceOr::Item(Schema {
                            schema_data: Default::default(),
                            schema_kind: SchemaKind::OneOf { one_of: union },
                        }),
                    ]));
                }
                return Shape::OneOf(Cow::Owned(union));
            }
            let values = any.enumeration.clone();
            match any.typ.as_deref() {
                Some("string") => Shape::String {
                    format: any.format.clone(),
                    values,
                },
                Some("integer") => Shape::Integer {
                    format: any.format.clone(),
                    values,
                },
                Some("number") => Shape::Number {
                    format: any.format.clone(),
                    values,
                },
                Some("boolean") => Shape::Boolean,
                Some("array") => Shape::Array {
                    items: any.items.as_ref().map(Cow::Borrowed),
                },
                Some("object") => Shape::Object {
                    properties: Cow::Borrowed(&any.properties),
                    required: Cow::Borrowed(&any.required),
                    additional: any.additional_properties.as_ref().map(Cow::Borrowed),
                },
                _ if has_object_part => Shape::Object {
                    properties: Cow::Borrowed(&any.properties),
                    required: Cow::Borrowed(&any.required),
                    additional: any.additional_properties.as_ref().map(Cow::Borrowed),
                },
                _ if any.items.is_some() => Shape::Array {
                    items: any.items.as_ref().map(Cow::Borrowed),
                },
                _ if !values.is_empty() && values.iter().all(|v| v.is_string() || v.is_null()) => {
                    Shape::String {
                        format: None,
                        values,
                    }
                }
                _ => Shape::Any,
            }
        }
    }
}

/// The values a property schema allows (`enum`, or `const` after normalization), when it
/// lists them: strings, or integers written in decimal (`true` in the second place).
fn allowed_values(prop: &Schema) -> Option<(Vec<String>, bool)> {
    let (values, numeric): (Vec<String>, bool) = match &prop.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            (s.enumeration.iter().flatten().cloned().collect(), false)
        }
        SchemaKind::Type(Type::Integer(i)) => (
            i.enumeration.iter().flatten().map(i64::to_string).collect(),
            true,
        ),
        SchemaKind::Any(any) if any.enumeration.iter().all(Value::is_string) => (
            any.enumeration
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            false,
        ),
        SchemaKind::Any(any) if any.enumeration.iter().all(|v| v.as_i64().is_some()) => (
            any.enumeration
                .iter()
                .filter_map(Value::as_i64)
                .map(|i| i.to_string())
                .collect(),
            true,
        ),
        _ => return None,
    };
    (!values.is_empty()).then_some((values, numeric))
}

/// A description with the schema's `default` value added: `Default: `25`.`
pub fn with_default_note(doc: Option<String>, schema: &Schema) -> Option<String> {
    let Some(default) = &schema.schema_data.default else {
        return doc;
    };
    let mut text = default.to_string();
    if text.len() > 200 {
        return doc;
    }
    text = text.replace('`', "'");
    let note = format!("Default: `{text}`.");
    Some(match doc {
        Some(d) => format!("{}\n\n{note}", d.trim_end()),
        None => note,
    })
}

fn doc_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let doc = data
        .description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty());
    let notes = keyword_notes(schema);
    if notes.is_empty() {
        return doc;
    }
    let notes = notes.join(" ");
    Some(match doc {
        Some(d) => format!("{}\n\n{notes}", d.trim_end()),
        None => notes,
    })
}

/// What JSON Schema keywords that do not change the Rust type say about the value, for the
/// rustdoc (they are kept as `x-oas31-<keyword>` by normalization).
fn keyword_notes(schema: &Schema) -> Vec<String> {
    let ext = &schema.schema_data.extensions;
    // Every note comes from a keyword normalization kept; most schemas have none.
    if !ext
        .keys()
        .any(|k| k.starts_with("x-oas31-") || k == "x-refinements")
    {
        return Vec::new();
    }
    let quote = |v: &Value| {
        format!(
            "`{}`",
            v.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string())
                .replace('`', "'")
        )
    };
    let mut notes = Vec::new();
    if let Some(Value::Object(deps)) = ext.get("x-oas31-dependentRequired") {
        for (property, required) in deps {
            let names: Vec<String> = required
                .as_array()
                .into_iter()
                .flatten()
                .map(quote)
                .collect();
            if !names.is_empty() {
                notes.push(format!(
                    "When `{property}` is present, {} must be too.",
                    names.join(", ")
                ));
            }
        }
    }
    if let Some(names) = ext.get("x-oas31-propertyNames") {
        match names.get("pattern") {
            Some(pattern) => notes.push(format!("Property names match {}.", quote(pattern))),
            None => notes
                .push("Property names follow a schema of their own (`propertyNames`).".to_owned()),
        }
    }
    match (
        ext.get("x-oas31-contentMediaType"),
        ext.get("x-oas31-contentEncoding"),
    ) {
        (Some(media), Some(encoding)) => notes.push(format!(
            "Content: {}, {}-encoded.",
            quote(media),
            quote(encoding)
        )),
        (Some(media), None) => notes.push(format!("Content: {}.", quote(media))),
        (None, Some(encoding)) => notes.push(format!("Content: {}-encoded.", quote(encoding))),
        (None, None) => {}
    }
    if ext.contains_key("x-oas31-prefixItems")
        && !matches!(&schema.schema_kind, SchemaKind::Type(Type::Array(a)) if a.min_items.is_some() && a.min_items == a.max_items)
    {
        notes.push(
            "The first items have schemas of their own, by position (`prefixItems`).".to_owned(),
        );
    }
    if let Some(refinements) = ext.get("x-refinements") {
        // `type: string, anyOf: [{format: date-time}, {format: date}]`, typed as the string.
        let keyword = refinements["keyword"].as_str().unwrap_or("anyOf");
        let each: Vec<String> = refinements["members"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|m| {
                let constraints: Vec<String> = m
                    .iter()
                    .filter(|(k, _)| !k.starts_with("x-") && *k != "title" && *k != "description")
                    .map(|(k, v)| {
                        format!(
                            "{k}: {}",
                            v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                        )
                    })
                    .collect();
                format!("`{}`", constraints.join(", ").replace('`', "'"))
            })
            .collect();
        let which = if keyword == "oneOf" {
            "Exactly one"
        } else {
            "At least one"
        };
        notes.push(format!(
            "{which} of these holds (`{keyword}`, which these types do not check): {}.",
            each.join("; ")
        ));
    }
    if ext.contains_key("x-oas31-contains") {
        notes.push("Holds at least one item of a given schema (`contains`).".to_owned());
    }
    let conditional: Vec<&str> = ["if", "then", "else", "dependentSchemas"]
        .into_iter()
        .filter(|k| ext.contains_key(&format!("x-oas31-{k}")))
        .collect();
    if !conditional.is_empty() {
        let names: Vec<String> = conditional.iter().map(|k| format!("`{k}`")).collect();
        notes.push(format!(
            "Conditions ({}) apply that these types do not check.",
            names.join(", ")
        ));
    }
    notes
}

/// Owns every named type of the generated crate.
pub struct TypeSpace<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    raw: &'a Value,
    names: Scope,
    /// Component key to Rust name.
    component_names: HashMap<String, String>,
    /// Components whose schema allows `null`.
    nullable_components: HashSet<String>,
    /// The serialized form of an inline schema, to the type already made for it.
    inline: HashMap<String, Ty>,
    /// `$ref`s that point somewhere other than `#/components/schemas/<name>`.
    deep_refs: HashMap<String, Ty>,
    /// The type each inline schema got, by its pointer: a `$ref` to that place (as
    /// json-schema-ref-parser's bundles write, `#/paths/~1pets/get/.../schema`) is the
    /// same type, not a copy.
    at_pointer: HashMap<String, Ty>,
    types: Types,
    /// The id of each name handed out, and the name of each id.
    ids: HashMap<String, TypeId>,
    id_names: Vec<String>,
    /// Rust types chosen by configuration for schema formats.
    formats: std::collections::BTreeMap<String, Ty>,
    /// A hint whose type is made afresh rather than shared with an identical schema.
    unshared: Option<String>,
    /// Lowering a `multipart/form-data` body: binary strings are files.
    binary_as_upload: bool,
    /// Properties a schema leaves open are kept in an `additional_properties` map.
    keep_unknown: bool,
    /// First pass: every place each structure of inline schema was met.
    sites: Option<IndexMap<String, Sites, rustc_hash::FxBuildHasher>>,
    /// Second pass: which structures share one type, and its name.
    plan: Option<HashMap<String, Sharing>>,
    /// Names given by configuration, by JSON pointer.
    renames: &'a std::collections::BTreeMap<String, String>,
    /// The pointers of `renames` met, and names that were taken.
    renamed: HashSet<String>,
    rename_clashes: Vec<(String, String)>,
    /// Names an element's singular name must not take: those the plan gives shared types,
    /// those configured, and the hints of every object's properties (`raw_role` beside
    /// `raw_roles`), so that no other type is numbered for it.
    not_for_elements: HashSet<String>,
}

impl<'a> TypeSpace<'a> {
    pub fn new(
        components: &'a IndexMap<String, ReferenceOr<Schema>>,
        raw: &'a Value,
        formats: std::collections::BTreeMap<String, Ty>,
        keep_unknown: bool,
        renames: &'a std::collections::BTreeMap<String, String>,
    ) -> Self {
        let mut names = Scope::for_types();
        let mut component_names = HashMap::default();
        let mut nullable_components = HashSet::default();
        let mut renamed = HashSet::default();
        let mut rename_clashes = Vec::new();
        // Components named by configuration first, so that they get exactly that name.
        for key in components.keys() {
            let at = pointer("#/components/schemas", key);
            if let Some(name) = renames.get(&at) {
                renamed.insert(at.clone());
                let claimed = names.claim(name.clone());
                if claimed != *name {
                    rename_clashes.push((at, name.clone()));
                }
                component_names.insert(key.clone(), claimed);
            }
        }
        for (key, name) in &component_names {
            let taken_from = components.keys().find(|other| {
                *other != key && !component_names.contains_key(*other) && pascal(other) == *name
            });
            if taken_from.is_some() {
                rename_clashes.push((pointer("#/components/schemas", key), name.clone()));
            }
        }
        for (key, schema) in components {
            if !component_names.contains_key(key) {
                component_names.insert(key.clone(), names.claim(pascal(key)));
            }
            if let ReferenceOr::Item(s) = schema {
                if s.schema_data.nullable {
                    nullable_components.insert(key.clone());
                }
            }
        }
        let mut space = Self {
            components,
            raw,
            names,
            component_names,
            nullable_components,
            inline: HashMap::default(),
            deep_refs: HashMap::default(),
            at_pointer: HashMap::default(),
            types: Types::default(),
            ids: HashMap::default(),
            id_names: Vec::new(),
            formats,
            unshared: None,
            binary_as_upload: false,
            keep_unknown,
            sites: None,
            plan: None,
            renames,
            renamed,
            rename_clashes,
            not_for_elements: renames.values().cloned().collect(),
        };
        // Components first, in document order, so that each can be referred to before it is
        // lowered.
        for key in components.keys() {
            let name = space.component_names[key].clone();
            space.id_of(&name);
        }
        space
    }

    /// The id of the type named `name`, handed out the first time it is asked for.
    fn id_of(&mut self, name: &str) -> TypeId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = TypeId::new(self.id_names.len());
        self.id_names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// Configured names whose pointer names no schema that got a type, and names that
    /// were already taken: `(pointer, message)`.
    pub fn rename_problems(&self) -> Vec<(String, String)> {
        let mut problems: Vec<(String, String)> = self
            .renames
            .keys()
            .filter(|at| !self.renamed.contains(*at))
            .map(|at| {
                (
                    at.clone(),
                    "names no schema that gets a type of its own (a component, or an inline object, enum or union)".to_owned(),
                )
            })
            .collect();
        for (at, name) in &self.rename_clashes {
            problems.push((at.clone(), format!("`{name}` is the name of another type")));
        }
        problems
    }

    /// Makes this a first pass, which records where each inline structure appears.
    pub fn record_sites(&mut self) {
        self.sites = Some(IndexMap::default());
    }

    /// After a first pass: which inline structures share a type in the second, and its name
    /// (see `sharing::decide`).
    pub fn sharing_plan(&self) -> HashMap<String, Sharing> {
        let taken: HashSet<String> = self.component_names.values().cloned().collect();
        self.sites
            .as_ref()
            .map(|sites| sharing::decide(sites, &taken, self.renames))
            .unwrap_or_default()
    }

    /// Makes this a second pass, which shares types as `plan` says.
    pub fn follow_plan(&mut self, plan: HashMap<String, Sharing>) {
        self.not_for_elements
            .extend(plan.values().filter_map(|sharing| match sharing {
                Sharing::Shared { name, .. } => Some(name.clone()),
                Sharing::Separate => None,
            }));
        self.plan = Some(plan);
    }

    /// Lowers every component schema into a type of the component's own name.
    pub fn lower_components(&mut self, diags: &mut Diagnostics) {
        for (key, schema) in self.components {
            let name = self.component_names[key].clone();
            let id = self.id_of(&name);
            let at = pointer("#/components/schemas", key);
            let children = match schema {
                ReferenceOr::Item(s) => self.polymorphic_children(key, s),
                ReferenceOr::Reference { .. } => None,
            };
            match (schema, children) {
                (ReferenceOr::Item(s), Some(children)) => {
                    self.lower_polymorphic(key, s, children, &name, &at, diags);
                }
                (ReferenceOr::Item(s), None) => {
                    let ty = strip_option(self.lower_shape(s, &name, true, &at, diags));
                    if ty != Ty::Named(id) {
                        self.types.push(TypeDef {
                            id,
                            features: Vec::new(),
                            deprecated: s.schema_data.deprecated,
                            read: false,
                            sent: false,
                            home: None,
                            name,
                            doc: doc_of(s),
                            origin: at,
                            kind: TypeKind::Alias(ty),
                        });
                    }
                }
                (ReferenceOr::Reference { reference }, _) => {
                    let ty = self.resolve_ref(reference, &at, diags);
                    self.types.push(TypeDef {
                        id,
                        features: Vec::new(),
                        deprecated: false,
                        read: false,
                        sent: false,
                        home: None,
                        name,
                        doc: None,
                        origin: at,
                        kind: TypeKind::Alias(strip_option(ty)),
                    });
                }
            }
        }
    }

    /// The schemas that extend a base schema with a `discriminator` (by `allOf` with a
    /// `$ref` to it, or as targets of its `mapping`), with the values that select each; `None`
    /// when the schema is no such base.
    fn polymorphic_children(
        &self,
        key: &str,
        schema: &Schema,
    ) -> Option<Vec<(String, Vec<String>)>> {
        let d = schema.schema_data.discriminator.as_ref()?;
        if !matches!(shape_of(schema), Shape::Object { .. }) {
            return None;
        }
        let base_ref = format!("#/components/schemas/{}", crate::pointer::escape(key));
        let mut children: Vec<(String, Vec<String>)> = Vec::new();
        for (child, child_schema) in self.components {
            if child == key {
                continue;
            }
            let ReferenceOr::Item(c) = child_schema else {
                continue;
            };
            let all_of = match &c.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => continue,
            };
            let extends = all_of.iter().any(
                |m| matches!(m, ReferenceOr::Reference { reference } if *reference == base_ref),
            );
            let mapped = d.mapping.values().any(|t| {
                t == child
                    || t.strip_prefix("#/components/schemas/")
                        .map(crate::pointer::unescape)
                        .as_deref()
                        == Some(child)
            });
            if extends || mapped {
                let member = ReferenceOr::Reference {
                    reference: format!("#/components/schemas/{}", crate::pointer::escape(child)),
                };
                children.push((child.clone(), self.member_tags(d, &member)));
            }
        }
        (!children.is_empty()).then_some(children)
    }

    /// A base schema with a `discriminator` that other schemas extend: its type is the union
    /// of those schemas, told apart by the property; a value of the base itself (its name as
    /// the value) is `Base`, an unknown value `Other`.
    fn lower_polymorphic(
        &mut self,
        key: &str,
        schema: &Schema,
        children: Vec<(String, Vec<String>)>,
        name: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) {
        let property = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone())
            .unwrap_or_default();
        let base_ty = strip_option(self.lower_inline(schema, &format!("{name}Base"), at, diags));
        let mut scope = Scope::with_reserved(&["Other", "Base"]);
        let mut seen: HashSet<String> = HashSet::default();
        let mut variants = Vec::new();
        for (child, tags) in children {
            let child_name = self.component_names[&child].clone();
            let child_id = self.id_of(&child_name);
            let tags: Vec<String> = tags
                .into_iter()
                .filter(|t| seen.insert(t.clone()))
                .collect();
            if tags.is_empty() {
                continue;
            }
            let short = child_name
                .strip_suffix(name)
                .filter(|s| !s.is_empty())
                .unwrap_or(&child_name)
                .to_owned();
            let shape = self.member_shape(&ReferenceOr::Reference {
                reference: format!("#/components/schemas/{}", crate::pointer::escape(&child)),
            });
            variants.push(UnionVariant {
                rust_name: scope.claim(short),
                ty: Ty::Named(child_id),
                tags,
                shape,
            });
        }
        let base_tags: Vec<String> = schema
            .schema_data
            .discriminator
            .iter()
            .flat_map(|d| d.mapping.iter())
            .filter(|(_, t)| {
                t.as_str() == key
                    || t.strip_prefix("#/components/schemas/")
                        .map(crate::pointer::unescape)
                        .as_deref()
                        == Some(key)
            })
            .map(|(tag, _)| tag.clone())
            .chain(std::iter::once(key.to_owned()))
            .filter(|t| seen.insert(t.clone()))
            .collect();
        if !base_tags.is_empty() {
            let shape = self.member_shape(&ReferenceOr::Item(schema.clone()));
            variants.push(UnionVariant {
                rust_name: "Base".to_owned(),
                ty: base_ty,
                tags: base_tags,
                shape,
            });
        }
        variants.push(UnionVariant {
            rust_name: "Other".to_owned(),
            ty: Ty::Value,
            tags: Vec::new(),
            shape: MemberShape::default(),
        });
        let id = self.id_of(name);
        self.types.push(TypeDef {
            id,
            features: Vec::new(),
            deprecated: schema.schema_data.deprecated,
            read: false,
            sent: false,
            home: None,
            name: name.to_owned(),
            doc: doc_of(schema),
            origin: at.to_owned(),
            kind: TypeKind::Tagged {
                property,
                variants,
                numeric: false,
            },
        });
    }

    /// The types made so far.
    pub fn types(&self) -> &Types {
        &self.types
    }

    /// The document as a JSON value (normalized), for what the model does not keep.
    pub fn raw(&self) -> &Value {
        self.raw
    }

    pub fn into_types(self) -> Types {
        let mut types = self.types;
        types.assert_complete_to(self.id_names.len());
        box_cycles(&mut types);
        types
    }

    /// A schema, or a reference to one, as a Rust type. `hint` names inline types made for it.
    /// The result is `Option` when the schema allows `null`.
    pub fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at, diags),
            ReferenceOr::Item(s) => self.lower_inline(s, hint, at, diags),
        }
    }

    /// Like [`TypeSpace::lower`], but an inline schema gets a type of its own even when an
    /// identical one exists: an operation's body or response type is named after the
    /// operation, so `add_tag_to_contact` does not take a `RevokeOfferFromContactBody`.
    pub fn lower_unshared(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        self.unshared = Some(hint.to_owned());
        let ty = self.lower(schema, hint, at, diags);
        self.unshared = None;
        ty
    }

    /// A `multipart/form-data` body: a struct of its own (even for a `$ref`, whose JSON type
    /// would carry files as strings), whose binary strings are [`Ty::Upload`] files.
    pub fn lower_multipart(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let inline = match schema {
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some(s) => ReferenceOr::Item(s.clone()),
                None => schema.clone(),
            },
            ReferenceOr::Item(_) => schema.clone(),
        };
        self.binary_as_upload = true;
        let ty = self.lower_unshared(&inline, hint, at, diags);
        self.binary_as_upload = false;
        ty
    }

    pub fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at, diags),
            ReferenceOr::Item(s) => self.lower_inline(s, hint, at, diags),
        }
    }

    /// The schema a `$ref` names, when it is a component schema.
    pub fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        let key = crate::pointer::unescape(key);
        let mut schema = self.components.get(&key)?;
        let mut hops = 0;
        while let ReferenceOr::Reference { reference } = schema {
            let key = crate::pointer::unescape(reference.strip_prefix("#/components/schemas/")?);
            schema = self.components.get(&key)?;
            hops += 1;
            if hops > crate::pointer::MAX_REF_HOPS {
                return None;
            }
        }
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn resolve_ref(&mut self, reference: &str, at: &str, diags: &mut Diagnostics) -> Ty {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = crate::pointer::unescape(key);
            if let Some(name) = self.component_names.get(&key) {
                let name = name.clone();
                let ty = Ty::Named(self.id_of(&name));
                return if self.nullable_components.contains(&key) {
                    ty.option()
                } else {
                    ty
                };
            }
            if !key.contains('/') {
                diags.degraded(at, format!("`$ref: {reference}` names a schema that does not exist; typed as `serde_json::Value`"));
                return Ty::Value;
            }
        }
        if let Some(ty) = self
            .deep_refs
            .get(reference)
            .or_else(|| self.at_pointer.get(reference))
        {
            return ty.clone();
        }
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|p| self.raw.pointer(p))
        else {
            let why = if reference.starts_with('#') {
                "points at nothing in this document"
            } else {
                "points into another file, which was not read (generate from the document's own path)"
            };
            diags.degraded(
                at,
                format!("`$ref: {reference}` {why}; typed as `serde_json::Value`"),
            );
            return Ty::Value;
        };
        // Guard against a reference that leads back to itself while it is being lowered.
        self.deep_refs.insert(reference.to_owned(), Ty::Value);
        let ty = match serde_json::from_value::<ReferenceOr<Schema>>(target.clone()) {
            Ok(schema) => {
                let hint = deep_ref_hint(reference);
                self.lower(&schema, &hint, reference, diags)
            }
            Err(e) => {
                diags.degraded(at, format!("`$ref: {reference}` does not point at a schema ({e}); typed as `serde_json::Value`"));
                Ty::Value
            }
        };
        self.deep_refs.insert(reference.to_owned(), ty.clone());
        ty
    }

    fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        if self.binary_as_upload {
            return self.lower_shape(schema, hint, false, at, diags);
        }
        // A `$ref` to this place was met first: its type is this one.
        if let Some(ty) = self.deep_refs.get(at).filter(|ty| **ty != Ty::Value) {
            return ty.clone();
        }
        let ty = self.lower_shape(schema, hint, false, at, diags);
        // Only a type defined here needs remembering: any other comes out the same again.
        let mut defines = false;
        ty.each_named(&mut |_| defines = true);
        if defines {
            self.at_pointer.insert(at.to_owned(), ty.clone());
        }
        ty
    }

    /// `exact_name`: the type must get `hint` as its name (a component), rather than a fresh
    /// name derived from it, and is never shared with another schema.
    fn lower_shape(
        &mut self,
        schema: &Schema,
        hint: &str,
        exact_name: bool,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let nullable = schema.schema_data.nullable;
        let shape = shape_of(schema);
        let format = match &shape {
            Shape::String { format, values } if values.is_empty() => format.as_deref(),
            Shape::Integer { format, .. } | Shape::Number { format, .. } => format.as_deref(),
            _ => None,
        };
        if let Some(ty) = format.and_then(|f| self.formats.get(f)) {
            return with_null(ty.clone(), nullable);
        }
        let ty = match shape {
            Shape::Null => return Ty::Value.option(),
            Shape::Any => Ty::Value,
            Shape::Boolean => Ty::Bool,
            Shape::Integer { format, values } => {
                let repr = match format.as_deref() {
                    Some("int8" | "int16" | "int32") => Ty::I32,
                    Some("uint8" | "uint16" | "uint32") => Ty::U32,
                    Some("uint64" | "uint") => Ty::U64,
                    _ => Ty::I64,
                };
                let null_allowed = values.iter().any(Value::is_null);
                let (names, docs) = value_names(schema);
                let numbers: Vec<i64> = values.iter().filter_map(Value::as_i64).collect();
                // Integers the document names become constants; unnamed ones stay integers.
                let ty = if numbers.is_empty() || names.iter().all(Option::is_none) {
                    repr
                } else {
                    let fits = |v: &i64| match repr {
                        Ty::I32 => i32::try_from(*v).is_ok(),
                        Ty::U32 => u32::try_from(*v).is_ok(),
                        Ty::U64 => *v >= 0,
                        _ => true,
                    };
                    let repr = if numbers.iter().all(fits) {
                        repr
                    } else {
                        Ty::I64
                    };
                    self.define(schema, hint, exact_name, at, |_, _| TypeKind::IntegerEnum {
                        values: integer_values(&numbers, &names, &docs),
                        repr,
                    })
                };
                return with_null(ty, nullable || null_allowed);
            }
            Shape::Number { format, values } => {
                let ty = if format.as_deref() == Some("float") {
                    Ty::F32
                } else {
                    Ty::F64
                };
                return with_null(ty, nullable || values.iter().any(Value::is_null));
            }
            Shape::String { values, .. } if !values.is_empty() => {
                let null_allowed = values.iter().any(Value::is_null);
                let wire: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                let ty = if wire.is_empty() {
                    Ty::Value
                } else {
                    let (names, docs) = value_names(schema);
                    self.define(schema, hint, exact_name, at, |_, _| {
                        TypeKind::StringEnum(enum_variants(&wire, &names, &docs))
                    })
                };
                return with_null(ty, nullable || null_allowed);
            }
            Shape::String { format, .. }
                if self.binary_as_upload
                    && (format.as_deref() == Some("binary")
                        || schema
                            .schema_data
                            .extensions
                            .contains_key("x-oas31-contentMediaType")) =>
            {
                Ty::Upload
            }
            Shape::String { .. } => Ty::String,
            Shape::Array { items } if self.tuple_len(schema).is_some() => {
                let prefix = schema
                    .schema_data
                    .extensions
                    .get("x-oas31-prefixItems")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let prefix_at = pointer(at, "prefixItems");
                let _ = items;
                let tys = prefix
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                            Ok(item) => self.lower(
                                &item,
                                &format!("{hint}Item{}", i + 1),
                                &pointer_index(&prefix_at, i),
                                diags,
                            ),
                            Err(e) => {
                                diags.degraded(
                                    pointer_index(&prefix_at, i),
                                    format!("not a schema ({e}); typed as `serde_json::Value`"),
                                );
                                Ty::Value
                            }
                        }
                    })
                    .collect();
                Ty::Tuple(tys)
            }
            Shape::Array { items } => {
                let item = match &items {
                    Some(items) => self.lower_boxed(
                        items,
                        &format!("{hint}Item"),
                        &pointer(at, "items"),
                        diags,
                    ),
                    None => Ty::Value,
                };
                Ty::Vec(Box::new(item))
            }
            Shape::Object {
                properties,
                required,
                additional,
            } => self.lower_object(
                schema,
                &properties,
                &required,
                additional.as_deref(),
                hint,
                exact_name,
                at,
                diags,
            ),
            Shape::OneOf(members) => {
                self.lower_union(schema, &members, hint, exact_name, at, diags)
            }
            Shape::AllOf(members) => {
                self.lower_all_of(schema, &members, hint, exact_name, at, diags)
            }
        };
        with_null(ty, nullable)
    }

    /// Makes (or reuses) a named type for `schema`.
    fn define(
        &mut self,
        schema: &Schema,
        hint: &str,
        exact_name: bool,
        at: &str,
        build: impl FnOnce(&mut Self, &str) -> TypeKind,
    ) -> Ty {
        let key = if exact_name || self.unshared.as_deref() == Some(hint) {
            None
        } else {
            Some(sharing::key(schema))
        };
        let mut doc = doc_of(schema);
        let mut name_hint = hint.to_owned();
        let mut shared = key.is_some();
        let configured = self.renames.get(at).filter(|_| !exact_name);
        if configured.is_some() {
            self.renamed.insert(at.to_owned());
        }
        if let (Some(k), Some(sites)) = (&key, &mut self.sites) {
            sites
                .entry(k.clone())
                .or_default()
                .add(hint, at, schema, doc.clone());
        }
        if let (Some(k), Some(plan)) = (&key, &self.plan) {
            // The first pass met this structure in one place at most (more now only where
            // a parent is split), or in places with nothing in common: a type of its own.
            match plan.get(k) {
                Some(Sharing::Shared { name, doc: common }) => {
                    name_hint = name.clone();
                    doc = common.clone();
                }
                Some(Sharing::Separate) | None => shared = false,
            }
        }
        if let (Some(name), false) = (configured, shared) {
            name_hint = name.clone();
        } else if !shared && !exact_name {
            // One element of `widgets` is a `Widget`, not a `WidgetsItem`, unless the name is
            // another type's (a sibling property `widget`).
            if let Some(one) = element_name(&name_hint)
                .filter(|n| !self.names.contains(n) && !self.not_for_elements.contains(n))
            {
                name_hint = one;
            }
        }
        let key = key.filter(|_| shared);
        if let Some(ty) = key.as_ref().and_then(|k| self.inline.get(k)) {
            return ty.clone();
        }
        let name = if exact_name {
            hint.to_owned()
        } else {
            let claimed = self.names.claim(name_hint.clone());
            if self.renames.values().any(|n| *n == name_hint) && claimed != name_hint {
                self.rename_clashes.push((at.to_owned(), name_hint));
            }
            claimed
        };
        let id = self.id_of(&name);
        let ty = Ty::Named(id);
        if let Some(k) = key {
            self.inline.insert(k, ty.clone());
        }
        // Reserve the slot first so that the order of types follows the order of discovery.
        self.types.push(TypeDef {
            id,
            features: Vec::new(),
            // Only a component is deprecated as a whole; elsewhere the field says it.
            deprecated: exact_name && schema.schema_data.deprecated,
            read: false,
            sent: false,
            home: None,
            name: name.clone(),
            doc,
            origin: at.to_owned(),
            kind: TypeKind::Alias(Ty::Value),
        });
        let kind = build(self, &name);
        self.types.get_mut(id).kind = kind;
        ty
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_object(
        &mut self,
        schema: &Schema,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        exact_name: bool,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let extra_at = pointer(at, "additionalProperties");
        if properties.is_empty() {
            let value = match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    self.lower(s, &format!("{hint}Value"), &extra_at, diags)
                }
                _ => Ty::Value,
            };
            return Ty::Map(Box::new(value));
        }
        for name in required {
            if !properties.contains_key(name) {
                let kept = if self.keep_unknown {
                    format!("it is kept in `{EXTRA_FIELD}`")
                } else {
                    "it is not decoded (`unknown_fields = \"keep\"` keeps it)".to_owned()
                };
                diags.warning(
                    pointer(at, "required"),
                    format!("`{name}` is required but not among the properties; {kept}"),
                );
            }
        }
        self.define(schema, hint, exact_name, at, |space, name| {
            let mut scope = Scope::with_reserved(&[EXTRA_FIELD]);
            let props_at = pointer(at, "properties");
            // Each property's type is named after it (`OrderCustomer`); none of these names
            // is taken by the element type of another property.
            let hints: Vec<String> = properties
                .keys()
                .map(|wire| [name, &pascal(wire)].concat())
                .collect();
            space.not_for_elements.extend(hints.iter().cloned());
            let fields = properties
                .iter()
                .zip(&hints)
                .map(|((wire, prop), hint)| {
                    let here = pointer(&props_at, wire);
                    let lowered = space.lower_boxed(prop, hint, &here, diags);
                    let nullable = lowered.is_option();
                    let is_required = required.iter().any(|r| r == wire);
                    let (doc, read_only, write_only, deprecated) = match prop {
                        ReferenceOr::Item(s) => (
                            with_default_note(doc_of(s), s),
                            s.schema_data.read_only,
                            s.schema_data.write_only,
                            s.schema_data.deprecated,
                        ),
                        ReferenceOr::Reference { .. } => (None, false, false, false),
                    };
                    Field {
                        rust_name: scope.claim(snake(wire)),
                        wire_name: wire.clone(),
                        doc,
                        ty: if is_required {
                            lowered
                        } else {
                            lowered.option()
                        },
                        required: is_required,
                        nullable,
                        read_only,
                        write_only,
                        deprecated,
                        fixed: None,
                    }
                })
                .collect();
            let keep_unknown = space.keep_unknown;
            let extra = match additional {
                Some(AdditionalProperties::Any(false)) => None,
                Some(AdditionalProperties::Any(true)) | None => keep_unknown.then_some(Ty::Value),
                Some(AdditionalProperties::Schema(s)) => {
                    Some(space.lower(s, &format!("{name}Value"), &extra_at, diags))
                }
            };
            TypeKind::Struct(StructDef { fields, extra })
        })
    }

    fn lower_union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        exact_name: bool,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        let keyword = match &schema.schema_kind {
            SchemaKind::AnyOf { .. } => "anyOf",
            _ => "oneOf",
        };
        if members.len() == 1 {
            return self.lower(
                &members[0],
                hint,
                &format!("{}/0", pointer(at, keyword)),
                diags,
            );
        }
        // Without a `discriminator`, members that each fix a required property to their own
        // values (`type: {enum: [circle]}`) are told apart by it all the same.
        let implicit = match &schema.schema_data.discriminator {
            Some(_) => None,
            None => self.implicit_discriminator(members),
        };
        // Integer values are matched as numbers; a `discriminator`'s values are strings.
        let numeric = implicit.as_ref().is_some_and(|(_, numeric)| *numeric);
        let discriminator = schema
            .schema_data
            .discriminator
            .as_ref()
            .or(implicit.as_ref().map(|(d, _)| d));
        self.define(schema, hint, exact_name, at, |space, name| {
            let mut scope = Scope::with_reserved(&["Other"]);
            let mut variants: Vec<UnionVariant> = Vec::new();
            let mut untagged_members = Vec::new();
            let mut member_places: Vec<String> = Vec::new();
            let shapes: Vec<MemberShape> = members.iter().map(|m| space.member_shape(m)).collect();
            for (i, member) in members.iter().enumerate() {
                let here = pointer_index(&pointer(at, keyword), i);
                let tags = discriminator.map(|d| space.member_tags(d, member)).unwrap_or_default();
                // An inline member is named after the value that selects it: `ShapeCircle`.
                let member_hint = match (tags.first(), discriminator) {
                    // `Type2` for `type: 2`.
                    (Some(tag), Some(d)) if numeric => format!("{name}{}{tag}", pascal(&d.property_name)),
                    // One of JSON:API's `orders` is an `Order`.
                    (Some(tag), _) if !pascal(tag).is_empty() => {
                        let word = pascal(tag);
                        format!("{name}{}", super::names::singular(&word).unwrap_or(word))
                    }
                    _ => format!("{name}{}", member_word(members, &shapes, i)),
                };
                let ty = space.lower(member, &member_hint, &here, diags);
                let ty = strip_option(ty);
                if discriminator.is_some() && tags.is_empty() {
                    untagged_members.push(here.clone());
                }
                // A value may select several members (`type: message` for each `role`): the
                // other properties they fix tell them apart when decoding.
                if let Some(existing) = variants.iter_mut().find(|v| v.ty == ty) {
                    existing.tags.extend(tags);
                    continue;
                }
                // An inline member is named for what tells it apart, even when its type is
                // shared with other places (and named for all of them).
                let full = match (member, &ty) {
                    (ReferenceOr::Item(_), Ty::Named(_)) => member_hint.clone(),
                    _ => variant_name(&space.id_names, &ty, i),
                };
                // `FooVariant1` inside `Foo` reads better as `Variant1`.
                let short = full.strip_prefix(name).filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()));
                let shape = space.member_shape(member);
                variants.push(UnionVariant {
                    rust_name: scope.claim(short.unwrap_or(&full).to_owned()),
                    ty,
                    tags,
                    shape,
                });
                member_places.push(here);
            }
            // Members nothing tells apart: a value is decoded as the first that accepts it.
            let property = discriminator.map(|d| d.property_name.as_str());
            for (a, va) in variants.iter().enumerate() {
                for (b, vb) in variants.iter().enumerate().skip(a + 1) {
                    let shared_tag = va.tags.iter().any(|t| vb.tags.contains(t));
                    // Only objects can accept one another's values whatever their fields are
                    // (all of them optional); arrays and scalars of other types fail to decode.
                    let objects = va.shape.kind == JsonKind::Object && vb.shape.kind == JsonKind::Object;
                    let competing = objects && (discriminator.is_none() || shared_tag);
                    let without_tag = |s: &MemberShape| {
                        let mut s = s.clone();
                        s.fixed.retain(|(p, _)| Some(p.as_str()) != property);
                        s
                    };
                    if competing && va.ty != Ty::Value && vb.ty != Ty::Value && without_tag(&va.shape) == without_tag(&vb.shape) && !distinct_scalars(&va.shape, &vb.shape) {
                        diags.warning(
                            &member_places[b],
                            format!(
                                "members `{}` and `{}` fix no property and require none that tells them apart; a value is decoded as the first of them that accepts it",
                                va.rust_name, vb.rust_name
                            ),
                        );
                    }
                }
            }
            if let (Some(d), Some(first)) = (discriminator, untagged_members.first()) {
                diags.warning(
                    first,
                    format!(
                        "discriminator `{}`: this member has no value that selects it (no `mapping` entry, not a component schema, no `enum` for the property); the union is told apart by shape instead",
                        d.property_name
                    ),
                );
            }
            // Members that all read as any value are one variant: say so, or the union's
            // shapes are lost without a word.
            if members.len() > 1 && variants.iter().all(|v| v.ty == Ty::Value) {
                diags.warning(
                    at,
                    format!(
                        "none of the {} members of this union has a shape the generator can type (each reads as any value); it is one variant holding a `serde_json::Value`",
                        members.len()
                    ),
                );
            }
            let tagged = discriminator.filter(|_| untagged_members.is_empty() && !variants.iter().any(|v| v.ty == Ty::Value));
            if !variants.iter().any(|v| v.ty == Ty::Value) {
                variants.push(UnionVariant {
                    rust_name: "Other".to_owned(),
                    ty: Ty::Value,
                    tags: Vec::new(),
                    shape: MemberShape::default(),
                });
            }
            match tagged {
                Some(d) => TypeKind::Tagged {
                    property: d.property_name.clone(),
                    variants,
                    numeric,
                },
                None => {
                    variants.iter_mut().for_each(|v| v.tags.clear());
                    TypeKind::Union(variants)
                }
            }
        })
    }

    /// The values `schema` allows for one of its properties (following a `$ref`), and
    /// whether they are integers.
    fn property_values(&self, schema: &Schema, property: &str) -> Option<(Vec<String>, bool)> {
        let properties = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => &o.properties,
            SchemaKind::Any(any) => &any.properties,
            _ => return None,
        };
        match properties.get(property)? {
            ReferenceOr::Item(prop) => allowed_values(prop),
            ReferenceOr::Reference { reference } => {
                allowed_values(self.component_schema(reference)?)
            }
        }
    }

    /// A property that every member requires and fixes to values no other member allows
    /// (strings, or integers: `true` in the second place).
    fn implicit_discriminator(
        &self,
        members: &[ReferenceOr<Schema>],
    ) -> Option<(openapiv3::Discriminator, bool)> {
        let schemas: Vec<&Schema> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => self.component_schema(reference),
                ReferenceOr::Item(s) => Some(s),
            })
            .collect::<Option<_>>()?;
        let first = schemas.first()?;
        let candidates = match &first.schema_kind {
            SchemaKind::Type(Type::Object(o)) => o.properties.keys().cloned().collect::<Vec<_>>(),
            SchemaKind::Any(any) => any.properties.keys().cloned().collect(),
            _ => return None,
        };
        candidates.into_iter().find_map(|property| {
            let mut seen = HashSet::default();
            let mut kinds = HashSet::default();
            for schema in &schemas {
                let required = match &schema.schema_kind {
                    SchemaKind::Type(Type::Object(o)) => &o.required,
                    SchemaKind::Any(any) => &any.required,
                    _ => return None,
                };
                if !required.contains(&property) {
                    return None;
                }
                let (values, numeric) = self.property_values(schema, &property)?;
                kinds.insert(numeric);
                for value in values {
                    if !seen.insert(value) {
                        return None;
                    }
                }
            }
            let numeric = kinds.contains(&true);
            (kinds.len() == 1).then(|| {
                let d = openapiv3::Discriminator {
                    property_name: property,
                    mapping: Default::default(),
                    extensions: Default::default(),
                };
                (d, numeric)
            })
        })
    }

    /// The discriminator values that select `member`: its `mapping` entries, else the values
    /// its schema allows for the property (`enum` or `const`), else its component name.
    fn member_tags(
        &self,
        d: &openapiv3::Discriminator,
        member: &ReferenceOr<Schema>,
    ) -> Vec<String> {
        let (reference, schema) = match member {
            ReferenceOr::Reference { reference } => {
                (Some(reference.as_str()), self.component_schema(reference))
            }
            ReferenceOr::Item(s) => (None, Some(s)),
        };
        let component = reference
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(crate::pointer::unescape);
        let mut tags: Vec<String> = d
            .mapping
            .iter()
            .filter(|(_, target)| {
                Some(target.as_str()) == reference
                    || (component.as_deref() == Some(target.as_str()))
            })
            .map(|(tag, _)| tag.clone())
            .collect();
        if tags.is_empty() {
            if let Some((values, _)) =
                schema.and_then(|s| self.property_values(s, &d.property_name))
            {
                tags = values;
            }
        }
        if tags.is_empty() {
            if let Some(component) = component.filter(|_| schema.is_some()) {
                tags.push(component);
            }
        }
        tags
    }

    fn lower_all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        exact_name: bool,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Ty {
        // Members that only annotate (`description`, `nullable`, `readOnly`, `default`, ...)
        // add nothing to the type: `allOf: [{$ref: X}, {nullable: true}]` is `Option<X>`.
        let nullable = members.iter().any(
            |m| matches!(m, ReferenceOr::Item(s) if annotation_only(s) && s.schema_data.nullable),
        );
        let typed: Vec<(usize, &ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !matches!(m, ReferenceOr::Item(s) if annotation_only(s)))
            .collect();
        // One member that says what the value is (a `$ref` with annotations beside it), or
        // members that are all the same kind of scalar (a `string` with a description and a
        // `$ref` to a string), is that member's type: the most specific one.
        let same_scalar = typed.len() > 1 && {
            let kinds: HashSet<Option<&'static str>> =
                typed.iter().map(|(_, m)| self.scalar_kind(m)).collect();
            kinds.len() == 1 && !kinds.contains(&None)
        };
        if typed.len() == 1 || same_scalar {
            let (i, member) = typed
                .iter()
                .find(|(_, m)| self.has_values(m))
                .or_else(|| {
                    typed
                        .iter()
                        .find(|(_, m)| matches!(m, ReferenceOr::Reference { .. }))
                })
                .copied()
                .unwrap_or(typed[0]);
            let here = pointer_index(&pointer(at, "allOf"), i);
            if !exact_name {
                return with_null(self.lower(member, hint, &here, diags), nullable);
            }
            // A component of that shape is another name for the member's type.
            if let ReferenceOr::Reference { .. } = member {
                return self.define(schema, hint, true, at, |space, _| {
                    TypeKind::Alias(with_null(space.lower(member, hint, &here, diags), nullable))
                });
            }
        }
        // Objects beside a union (`properties` with a `oneOf`): the union of each member
        // with those objects' properties.
        if let Some(ty) = self.distribute_union(schema, members, hint, exact_name, at, diags) {
            return with_null(ty, nullable);
        }
        // Merge the object members into one struct.
        let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional: Option<AdditionalProperties> = None;
        let mut others: Vec<usize> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            if !self.collect_object(member, &mut properties, &mut required, &mut additional, 0) {
                others.push(i);
            }
        }
        if properties.is_empty() && members.len() == 1 {
            return self.lower(
                &members[0],
                hint,
                &format!("{}/0", pointer(at, "allOf")),
                diags,
            );
        }
        for i in others {
            diags.degraded(
                pointer_index(&pointer(at, "allOf"), i),
                "an `allOf` member that is not an object is not merged; the value is checked only by the server",
            );
        }
        if properties.is_empty() && additional.is_none() {
            return Ty::Value;
        }
        self.lower_object(
            schema,
            &properties,
            &required,
            additional.as_ref(),
            hint,
            exact_name,
            at,
            diags,
        )
    }

    /// `allOf: [A, B, {oneOf: [X, Y]}]` as `oneOf: [allOf: [A, B, X], allOf: [A, B, Y]]`, when
    /// exactly one member is a union without a discriminator, the other members are objects,
    /// and the union's members are objects or scalars (properties constrain objects only, so
    /// a scalar member stays as it is).
    fn distribute_union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        hint: &str,
        exact_name: bool,
        at: &str,
        diags: &mut Diagnostics,
    ) -> Option<Ty> {
        let union_of = |s: &Schema| match &s.schema_kind {
            SchemaKind::OneOf { one_of } => Some(one_of.clone()),
            SchemaKind::AnyOf { any_of } => Some(any_of.clone()),
            _ => None,
        };
        let mut unions = members.iter().enumerate().filter_map(|(i, m)| {
            self.resolve_member(m)
                .and_then(|s| Some((i, union_of(s)?, s.schema_data.discriminator.is_some())))
        });
        let (index, alternatives, discriminated) = unions.next()?;
        if unions.next().is_some() || discriminated {
            return None;
        }
        let is_object = |space: &Self, m: &ReferenceOr<Schema>| {
            let (mut p, mut r, mut a) = (IndexMap::new(), Vec::new(), None);
            space.collect_object(m, &mut p, &mut r, &mut a, 0)
        };
        let rest: Vec<ReferenceOr<Schema>> = members
            .iter()
            .enumerate()
            .filter(|(i, m)| {
                *i != index && !matches!(m, ReferenceOr::Item(s) if annotation_only(s))
            })
            .map(|(_, m)| m.clone())
            .collect();
        if rest.is_empty() || !rest.iter().all(|m| is_object(self, m)) {
            return None;
        }
        // Properties constrain objects only: a scalar alternative stays as it is.
        let scalar = |space: &Self, m: &ReferenceOr<Schema>| space.scalar_kind(m).is_some();
        if !alternatives
            .iter()
            .all(|m| is_object(self, m) || scalar(self, m))
        {
            return None;
        }
        let distributed: Vec<ReferenceOr<Schema>> = alternatives
            .iter()
            .map(|alternative| {
                if scalar(self, alternative) {
                    return alternative.clone();
                }
                let mut all_of = rest.clone();
                all_of.push(alternative.clone());
                ReferenceOr::Item(Schema {
                    schema_data: Default::default(),
                    schema_kind: SchemaKind::AllOf { all_of },
                })
            })
            .collect();
        let union = Schema {
            schema_data: schema.schema_data.clone(),
            schema_kind: SchemaKind::OneOf {
                one_of: distributed.clone(),
            },
        };
        Some(self.lower_union(
            &union,
            &distributed,
            hint,
            exact_name,
            &pointer_index(&pointer(at, "allOf"), index),
            diags,
        ))
    }

    /// The length of a tuple schema: `prefixItems` of `n` schemas and exactly `n` items
    /// (`minItems: n` with `maxItems: n` or `items: false`).
    fn tuple_len(&self, schema: &Schema) -> Option<usize> {
        let n = schema
            .schema_data
            .extensions
            .get("x-oas31-prefixItems")?
            .as_array()?
            .len();
        let (min, max, closed) = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => (
                a.min_items,
                a.max_items,
                matches!(&a.items, Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Not { .. })),
            ),
            SchemaKind::Any(any) => (
                any.min_items,
                any.max_items,
                matches!(&any.items, Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Not { .. })),
            ),
            _ => return None,
        };
        (n > 0 && min == Some(n) && (max == Some(n) || closed)).then_some(n)
    }

    /// What values of a union member look like, for telling members apart.
    pub(crate) fn member_shape(&self, member: &ReferenceOr<Schema>) -> MemberShape {
        let Some(schema) = self.resolve_member(member) else {
            return MemberShape::default();
        };
        let texts = |values: &[Value]| -> Vec<String> {
            values
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect()
        };
        match shape_of(schema) {
            Shape::String { values, .. } => MemberShape {
                kind: JsonKind::String,
                values: texts(&values),
                ..Default::default()
            },
            Shape::Integer { values, .. } => MemberShape {
                kind: JsonKind::Integer,
                values: texts(&values),
                ..Default::default()
            },
            Shape::Number { values, .. } => MemberShape {
                kind: JsonKind::Number,
                values: texts(&values),
                ..Default::default()
            },
            Shape::Boolean => MemberShape {
                kind: JsonKind::Boolean,
                ..Default::default()
            },
            Shape::Array { .. } => MemberShape {
                kind: JsonKind::Array,
                ..Default::default()
            },
            Shape::Object { .. } | Shape::AllOf(_) => {
                let (mut properties, mut required, mut additional) =
                    (IndexMap::new(), Vec::new(), None);
                if !self.collect_object(member, &mut properties, &mut required, &mut additional, 0)
                    && properties.is_empty()
                {
                    return MemberShape::default();
                }
                let fixed = properties
                    .iter()
                    .filter_map(|(name, prop)| {
                        let prop = match prop {
                            ReferenceOr::Item(s) => s.as_ref(),
                            ReferenceOr::Reference { reference } => {
                                self.component_schema(reference)?
                            }
                        };
                        let (values, _) = allowed_values(prop)?;
                        (values.len() == 1).then(|| (name.clone(), values[0].clone()))
                    })
                    .collect();
                required.retain(|r| properties.contains_key(r));
                MemberShape {
                    kind: JsonKind::Object,
                    values: Vec::new(),
                    fixed,
                    required,
                }
            }
            Shape::OneOf(_) | Shape::Null | Shape::Any => MemberShape::default(),
        }
    }

    /// The schema a member is, following a reference to a component.
    fn resolve_member<'s>(&'s self, member: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match member {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// `string`, `integer`, `number` or `boolean` for a scalar member, else `None`.
    fn scalar_kind(&self, member: &ReferenceOr<Schema>) -> Option<&'static str> {
        match shape_of(self.resolve_member(member)?) {
            Shape::String { .. } => Some("string"),
            Shape::Integer { .. } => Some("integer"),
            Shape::Number { .. } => Some("number"),
            Shape::Boolean => Some("boolean"),
            _ => None,
        }
    }

    /// Whether a scalar member lists the values it allows (an enum is more specific).
    fn has_values(&self, member: &ReferenceOr<Schema>) -> bool {
        self.resolve_member(member)
            .is_some_and(|s| match shape_of(s) {
                Shape::String { values, .. }
                | Shape::Integer { values, .. }
                | Shape::Number { values, .. } => !values.is_empty(),
                _ => false,
            })
    }

    /// Adds the properties of an object schema (following references and nested `allOf`).
    /// Returns false when the member is not an object.
    fn collect_object(
        &self,
        member: &ReferenceOr<Schema>,
        properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
        depth: usize,
    ) -> bool {
        if depth > crate::pointer::MAX_REF_HOPS {
            return false;
        }
        let schema = match member {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some(s) => s,
                None => return false,
            },
        };
        match shape_of(schema) {
            Shape::Object {
                properties: props,
                required: req,
                additional: add,
            } => {
                for (k, v) in props.iter() {
                    properties.insert(k.clone(), v.clone());
                }
                for r in req.iter() {
                    if !required.contains(r) {
                        required.push(r.clone());
                    }
                }
                if let Some(add) = add.map(Cow::into_owned) {
                    // The strictest wins: `false` beats a schema beats `true`.
                    let replace = matches!(
                        (&additional, &add),
                        (None, _)
                            | (Some(AdditionalProperties::Any(true)), _)
                            | (Some(AdditionalProperties::Schema(_)), AdditionalProperties::Any(false))
                    );
                    if replace {
                        *additional = Some(add);
                    }
                }
                true
            }
            Shape::AllOf(members) => members
                .iter()
                .all(|m| self.collect_object(m, properties, required, additional, depth + 1)),
            // Alternatives that only require properties (`anyOf: [{required: [name]},
            // {required: [company]}]`) constrain the object without changing its fields.
            Shape::OneOf(alternatives)
                if alternatives.iter().all(|a| matches!(a, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() && any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty()))) =>
            {
                true
            }
            // `required: [name]` alone constrains the object the others describe.
            Shape::Any => match &schema.schema_kind {
                SchemaKind::Any(any) if !any.required.is_empty() && any.typ.is_none() => {
                    for r in &any.required {
                        if !required.contains(r) {
                            required.push(r.clone());
                        }
                    }
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// A schema that says nothing about the value's type: only annotations (`description`,
/// `nullable`, `readOnly`, `deprecated`, `default`, `example`, `title`, ...), or a bare
/// `type: object`.
fn annotation_only(schema: &Schema) -> bool {
    let empty = match &schema.schema_kind {
        SchemaKind::Any(any) => *any == openapiv3::AnySchema::default(),
        SchemaKind::Type(Type::Object(o)) => *o == openapiv3::ObjectType::default(),
        _ => false,
    };
    empty
        && schema.schema_data.discriminator.is_none()
        && !schema.schema_data.extensions.contains_key("x-null")
}

fn with_null(ty: Ty, nullable: bool) -> Ty {
    if nullable {
        ty.option()
    } else {
        ty
    }
}

fn strip_option(ty: Ty) -> Ty {
    match ty {
        Ty::Option(inner) => *inner,
        other => other,
    }
}

/// A list of strings from an extension such as `x-enum-varnames`, or nothing.
fn extension_strings(schema: &Schema, key: &str) -> Vec<Option<String>> {
    match schema.schema_data.extensions.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The names and descriptions a document gives an enum's values, in the order of the values:
/// `x-enum-varnames` (openapi-generator) or `x-enumNames` (NSwag), and `x-enum-descriptions`
/// or `x-enumDescriptions`; `None` where it gives none.
fn value_names(schema: &Schema) -> (Vec<Option<String>>, Vec<Option<String>>) {
    let first = |keys: &[&str]| {
        keys.iter()
            .map(|k| extension_strings(schema, k))
            .find(|found| !found.is_empty())
            .unwrap_or_default()
    };
    (
        first(&["x-enum-varnames", "x-enumNames"]),
        first(&["x-enum-descriptions", "x-enumDescriptions"]),
    )
}

/// Constants for an integer enum's values, named in upper snake case from the names the
/// document gives (`AGE_RESTRICTED`, `AgeRestricted` and `age restricted` alike), `VALUE_<n>`
/// (`VALUE_MINUS_<n>`) where it gives none.
fn integer_values(
    values: &[i64],
    names: &[Option<String>],
    docs: &[Option<String>],
) -> Vec<IntegerValue> {
    let mut scope = Scope::default();
    let mut seen = HashSet::default();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(i, &value)| {
            let given = names
                .get(i)
                .cloned()
                .flatten()
                .map(|n| super::names::shouty(&n))
                .filter(|n| !n.is_empty());
            let name = match given {
                Some(n) if n.starts_with(|c: char| c.is_ascii_digit()) => format!("VALUE_{n}"),
                Some(n) => n,
                None if value < 0 => format!("VALUE_MINUS_{}", value.unsigned_abs()),
                None => format!("VALUE_{value}"),
            };
            IntegerValue {
                rust_name: scope.claim(name),
                value,
                doc: docs.get(i).cloned().flatten(),
            }
        })
        .collect()
}

/// Variants named from the values, or from `x-enum-varnames` where the document gives them;
/// documented from `x-enum-descriptions`.
fn enum_variants(
    values: &[String],
    names: &[Option<String>],
    docs: &[Option<String>],
) -> Vec<EnumVariant> {
    // `Unknown` is the variant for values the document does not list.
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = HashSet::default();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(v.as_str()))
        .map(|(i, v)| {
            let name = match names.get(i).cloned().flatten() {
                Some(given) => pascal(&given),
                None if v.is_empty() => "Empty".to_owned(),
                None => pascal(v),
            };
            let name = match name.as_str() {
                "Unknown" => "UnknownValue".to_owned(),
                _ => name,
            };
            EnumVariant {
                rust_name: scope.claim(name),
                wire_value: v.clone(),
                doc: docs.get(i).cloned().flatten(),
            }
        })
        .collect()
}

/// Scalar members whose values cannot overlap (`"a"` and `"b"`; a string and an integer).
fn distinct_scalars(a: &MemberShape, b: &MemberShape) -> bool {
    a.kind != b.kind
        && a.kind != JsonKind::Object
        && b.kind != JsonKind::Object
        && a.kind != JsonKind::Any
        && b.kind != JsonKind::Any
        || (!a.values.is_empty()
            && !b.values.is_empty()
            && a.values.iter().all(|v| !b.values.contains(v)))
}

/// What an inline union member without a discriminator value is called: its `title`, the
/// value it fixes a property to (`type: {enum: [purchases]}` is `Purchases`), the property
/// only it requires (`{required: [text]}` is `Text`), the few values it allows (`{enum: [max]}`
/// is `Max`), the property only it declares, and `VariantN` only when nothing says.
fn member_word(members: &[ReferenceOr<Schema>], shapes: &[MemberShape], index: usize) -> String {
    let member = &members[index];
    let title = match member {
        ReferenceOr::Item(s) => s.schema_data.title.as_deref().map(pascal),
        ReferenceOr::Reference { .. } => None,
    };
    let shape = &shapes[index];
    let others = || {
        shapes
            .iter()
            .enumerate()
            .filter(move |(j, _)| *j != index)
            .map(|(_, s)| s)
    };
    let fixed = shape
        .fixed
        .iter()
        .filter(|(p, v)| others().all(|o| !o.fixed.contains(&(p.clone(), v.clone()))))
        .map(|(p, v)| {
            let word = pascal(v);
            // A resource of JSON:API's `type: orders` (Stripe's `object`) is an `Order`.
            match p.as_str() {
                "type" | "object" => super::names::singular(&word).unwrap_or(word),
                _ => word,
            }
        })
        .find(|w| !w.is_empty());
    let only_required = || {
        shape
            .required
            .iter()
            .filter(|p| others().all(|o| !o.required.contains(p)))
            .map(|p| pascal(p))
            .find(|w| !w.is_empty())
    };
    // The values a member of a few allows, when the others allow none of them: `Max` for
    // `{enum: [max]}` beside `{type: integer}`, `AutoOrNone`.
    let values = || {
        let words: Vec<String> = shape.values.iter().map(|v| pascal(v)).collect();
        let own = shape
            .values
            .iter()
            .all(|v| others().all(|o| !o.values.contains(v)));
        (own && (1..=3).contains(&words.len()) && words.iter().all(|w| w.len() <= 24))
            .then(|| words.join("Or"))
    };
    // A property only it declares, required or not (`{properties: {wait_timer}}`).
    let properties = |m: &ReferenceOr<Schema>| match m {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(o)),
            ..
        }) => o.properties.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let only_declared = || {
        let others: Vec<Vec<String>> = members
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != index)
            .map(|(_, m)| properties(m))
            .collect();
        properties(member)
            .into_iter()
            .filter(|p| others.iter().all(|o| !o.contains(p)))
            .map(|p| pascal(&p))
            // `Other` is the variant for values that fit no member.
            .find(|w| !w.is_empty() && w != "Other")
    };
    title
        .filter(|t| !t.is_empty())
        .or(fixed)
        .or_else(only_required)
        .or_else(values)
        .or_else(only_declared)
        .unwrap_or_else(|| format!("Variant{}", index + 1))
}

fn variant_name(names: &[String], ty: &Ty, index: usize) -> String {
    match ty {
        Ty::Named(id) => names[id.index()].clone(),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::String => "String".into(),
        Ty::Vec(inner) => format!("{}List", variant_name(names, inner, index)),
        Ty::Map(_) => "Map".into(),
        Ty::Tuple(_) => "Tuple".into(),
        _ => format!("Variant{}", index + 1),
    }
}

/// Boxes every field whose type contains, directly, the struct that holds the field:
/// recursive and mutually recursive types need an indirection to have a size.
fn box_cycles(types: &mut Types) {
    // Types each type holds inline (not behind Vec or Map, which already allocate), by id.
    let mut direct: Vec<Vec<TypeId>> = Vec::new();
    for t in types.iter() {
        if direct.len() <= t.id.index() {
            direct.resize(t.id.index() + 1, Vec::new());
        }
        let mut out = Vec::new();
        t.kind.each_ty(|ty| out.extend(inline_named(ty)));
        direct[t.id.index()] = out;
    }
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = HashSet::default();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                stack.extend(&direct[n.index()]);
            }
        }
        false
    };
    let mut boxes: Vec<(TypeId, usize)> = Vec::new();
    for t in types.iter() {
        let tys: Vec<&Ty> = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(vs) | TypeKind::Tagged { variants: vs, .. } => {
                vs.iter().map(|v| &v.ty).collect()
            }
            _ => Vec::new(),
        };
        for (fi, ty) in tys.into_iter().enumerate() {
            if let Some(target) = inline_named(ty) {
                if reaches(target, t.id) {
                    boxes.push((t.id, fi));
                }
            }
        }
    }
    for (ti, fi) in boxes {
        let slot = match &mut types.get_mut(ti).kind {
            TypeKind::Struct(s) => &mut s.fields[fi].ty,
            TypeKind::Union(vs) | TypeKind::Tagged { variants: vs, .. } => &mut vs[fi].ty,
            _ => continue,
        };
        *slot = match std::mem::replace(slot, Ty::Unit) {
            Ty::Option(inner) => Ty::Option(Box::new(Ty::Boxed(inner))),
            other => Ty::Boxed(Box::new(other)),
        };
    }
}

fn inline_named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => inline_named(inner),
        _ => None,
    }
}

/// The name of one element of a list whose hint is `hint` (`…WidgetsItem`): the list's name
/// made singular (`…Widget`), also through a `data` wrapper (JSON:API's
/// `payment_transactions: {data: [...]}` holds `…PaymentTransaction`s); `None` when the list's
/// name is not a plural noun.
fn element_name(hint: &str) -> Option<String> {
    let list = hint.strip_suffix("Item")?;
    super::names::singular(list).or_else(|| super::names::singular(list.strip_suffix("Data")?))
}

/// The name a schema met first through a `$ref` into another place gets: the last segment
/// of the pointer that says what the schema is, not where it sits (`owner` of
/// `#/components/schemas/Pet/properties/owner`; `pets` of
/// `#/paths/~1pets/get/responses/200/content/application~1json/schema/items`).
fn deep_ref_hint(reference: &str) -> String {
    const PLACES: &[&str] = &[
        "schema",
        "items",
        "content",
        "responses",
        "requestBody",
        "parameters",
        "properties",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "prefixItems",
        "schemas",
        "components",
        "paths",
        "get",
        "put",
        "post",
        "delete",
        "options",
        "head",
        "patch",
        "trace",
        "default",
        "headers",
    ];
    let segments: Vec<String> = reference
        .trim_start_matches('#')
        .split('/')
        .map(crate::pointer::unescape)
        .collect();
    let meaningful = segments.iter().rev().find(|s| {
        let status = s.len() == 3
            && s.chars()
                .all(|c| c.is_ascii_digit() || c == 'X' || c == 'x');
        !s.is_empty()
            && !PLACES.contains(&s.as_str())
            && !s.chars().all(|c| c.is_ascii_digit())
            && !status
            // Not a media type (`application/json`); a path (`/pets`) is a name.
            && (!s.contains('/') || s.starts_with('/'))
    });
    let hint = meaningful.map(|s| pascal(s)).unwrap_or_default();
    if hint.is_empty() {
        "Value".to_owned()
    } else {
        hint
    }
}

#[cfg(test)]
mod tests {
    use super::deep_ref_hint;

    #[test]
    fn a_deep_reference_is_named_by_what_it_points_at() {
        assert_eq!(
            deep_ref_hint("#/components/schemas/Pet/properties/owner"),
            "Owner"
        );
        assert_eq!(
            deep_ref_hint(
                "#/paths/~1pets/get/responses/200/content/application~1json/schema/items"
            ),
            "Pets"
        );
        assert_eq!(
            deep_ref_hint("#/paths/~1v1~1pets/post/requestBody/content/application~1json/schema"),
            "V1Pets"
        );
        assert_eq!(deep_ref_hint("#/components/schemas/Pet/allOf/0"), "Pet");
        assert_eq!(deep_ref_hint("#/x-defs/2XX"), "XDefs");
        assert_eq!(deep_ref_hint("#/paths"), "Value");
    }
}
