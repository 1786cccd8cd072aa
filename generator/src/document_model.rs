//! Reading the document model (`openapiv3`) with its schemas read straight from the JSON
//! value.
//!
//! Schemas are most of a large document, and serde reads each of them through two flattened
//! structs and an untagged `ReferenceOr`: every schema object is buffered, then read field by
//! field from the buffer, once for its documentation and once for its kind, and its nested
//! schemas the same way inside that. Here each schema where the model holds one (components,
//! media types, parameters, headers) is taken out of the document and a placeholder reference
//! left in its place; serde reads what is left, but for the paths, which are read here down to
//! their media types (the small objects inside them, such as parameters, are left to serde
//! one by one); the schemas are read by [`reference_or_schema`] where their placeholders are
//! in the model; and the document gets its schemas back.
//!
//! [`reference_or_schema`] gives the model serde gives (the test below holds the two to that
//! on every document of the corpus). Whatever it does not read exactly as serde would, it
//! leaves to serde ([`Unusual`]); where serde finds anything wrong, or a placeholder is not
//! met in the model, [`read`] gives up and the whole document is read by serde as before, so
//! errors and degraded parts are found and named exactly as they were.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Discriminator, Header, IntegerType,
    MediaType, NumberType, ObjectType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent,
    PathItem, Paths, ReferenceOr, RequestBody, Response, Responses, Schema, SchemaData, SchemaKind,
    StatusCode, StringType, Type,
};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::bundle::Place;
use crate::keys::Keys;

/// The model of `document`, or `None` when it must be read by serde as a whole. The document
/// is as it was afterwards.
pub(crate) fn read(document: &mut Value) -> Option<OpenAPI> {
    let mut schemas = Vec::new();
    let mut examples = Vec::new();
    each_part(document, Place::Document, &mut |part, value| match part {
        Part::Schema => {
            let placeholder = Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String([PLACEHOLDER, itoa::Buffer::new().format(schemas.len())].concat()),
            )]));
            schemas.push(std::mem::replace(value, placeholder));
        }
        Part::Example => examples.push(std::mem::take(value)),
    });
    // The paths are read here too, down to their media types; serde reads the rest.
    let paths = match document.get_mut("paths") {
        Some(paths @ Value::Object(_)) => Some(std::mem::replace(paths, Value::Object(Map::new()))),
        _ => None,
    };
    let mut skeleton = OpenAPI::deserialize(&*document).ok();
    if let Some(paths) = paths {
        if let Some(model) = &mut skeleton {
            match read_paths(&paths) {
                Ok(read) => model.paths = read,
                Err(Unusual) => match Paths::deserialize(&paths) {
                    Ok(read) => model.paths = read,
                    Err(_) => skeleton = None,
                },
            }
        }
        document["paths"] = paths;
    }
    // Each schema is read where its placeholder is in the model (a schema is large: it is
    // not gathered in a list first).
    let mut fill = Fill {
        schemas: &schemas,
        read: vec![false; schemas.len()],
        filled: 0,
        lost: false,
    };
    if let Some(model) = &mut skeleton {
        fill.model(model);
    }
    let complete = !fill.lost && fill.filled == schemas.len();
    let mut schemas = schemas.into_iter();
    let mut examples = examples.into_iter();
    each_part(document, Place::Document, &mut |part, value| {
        let original = match part {
            Part::Schema => schemas.next(),
            Part::Example => examples.next(),
        };
        if let Some(original) = original {
            *value = original;
        }
    });
    skeleton.filter(|_| complete)
}

/// The start of a placeholder's reference: no document's `$ref` has a NUL character.
const PLACEHOLDER: &str = "\u{0}schema ";

/// What the model is read without, while it is read: each schema (read here, from its value)
/// and each example value (read by nothing: the model gets none, as [`crate::examples`] says).
#[derive(Clone, Copy)]
enum Part {
    Schema,
    Example,
}

/// Calls `f` on each schema of `node` (at `place`) that the model reads as a schema of its
/// own, and on each example value outside them, in document order; schemas and examples
/// inside a schema are the schema's.
fn each_part(node: &mut Value, place: Place, f: &mut impl FnMut(Part, &mut Value)) {
    match node {
        // The model reads an object with a `$ref` as a reference where it may be one, and its
        // other keys not at all; elsewhere serde is left to read it as it does.
        Value::Object(map)
            if place != Place::Document && map.find("$ref").is_some_and(Value::is_string) => {}
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                // The model (OpenAPI 3.0) reads neither.
                if matches!(
                    (place, key.as_str()),
                    (Place::Document, "webhooks") | (Place::Components, "pathItems")
                ) {
                    continue;
                }
                if crate::examples::holds_example(place, key) {
                    f(Part::Example, child);
                    continue;
                }
                match place.child(key, child) {
                    Place::Schema => f(Part::Schema, child),
                    Place::Literal | Place::Other => {}
                    child_place => each_part(child, child_place, f),
                }
            }
        }
        Value::Array(items) => {
            let item_place = place.item();
            if !matches!(item_place, Place::Literal | Place::Other) {
                for item in items {
                    each_part(item, item_place, f);
                }
            }
        }
        _ => {}
    }
}

/// Reads the schemas taken out of the document into the places of their placeholders in
/// the model.
struct Fill<'a> {
    schemas: &'a [Value],
    /// Which of them have been read.
    read: Vec<bool>,
    filled: usize,
    /// A placeholder named a schema that is not there (or twice), or serde refuses one.
    lost: bool,
}

impl Fill<'_> {
    fn model(&mut self, model: &mut OpenAPI) {
        for item in model.paths.paths.values_mut() {
            if let ReferenceOr::Item(item) = item {
                self.path_item(item);
            }
        }
        let Some(components) = &mut model.components else {
            return;
        };
        for schema in components.schemas.values_mut() {
            self.schema(schema);
        }
        for parameter in components.parameters.values_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter);
            }
        }
        for response in components.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                self.response(response);
            }
        }
        for body in components.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                self.content(&mut body.content);
            }
        }
        for header in components.headers.values_mut() {
            if let ReferenceOr::Item(header) = header {
                self.header(header);
            }
        }
        for callback in components.callbacks.values_mut() {
            if let ReferenceOr::Item(callback) = callback {
                callback.values_mut().for_each(|item| self.path_item(item));
            }
        }
    }

    fn path_item(&mut self, item: &mut PathItem) {
        for parameter in &mut item.parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter);
            }
        }
        let PathItem {
            get,
            put,
            post,
            delete,
            options,
            head,
            patch,
            trace,
            ..
        } = item;
        for operation in [get, put, post, delete, options, head, patch, trace]
            .into_iter()
            .flatten()
        {
            self.operation(operation);
        }
    }

    fn operation(&mut self, operation: &mut Operation) {
        for parameter in &mut operation.parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter);
            }
        }
        if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
            self.content(&mut body.content);
        }
        let responses = &mut operation.responses;
        for response in responses
            .default
            .iter_mut()
            .chain(responses.responses.values_mut())
        {
            if let ReferenceOr::Item(response) = response {
                self.response(response);
            }
        }
        for callback in operation.callbacks.values_mut() {
            callback.values_mut().for_each(|item| self.path_item(item));
        }
    }

    fn parameter(&mut self, parameter: &mut Parameter) {
        let (Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. }) = parameter;
        self.schema_or_content(&mut parameter_data.format);
    }

    fn header(&mut self, header: &mut Header) {
        self.schema_or_content(&mut header.format);
    }

    fn schema_or_content(&mut self, format: &mut ParameterSchemaOrContent) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.schema(schema),
            ParameterSchemaOrContent::Content(content) => self.content(content),
        }
    }

    fn response(&mut self, response: &mut Response) {
        for header in response.headers.values_mut() {
            if let ReferenceOr::Item(header) = header {
                self.header(header);
            }
        }
        self.content(&mut response.content);
    }

    fn content(&mut self, content: &mut IndexMap<String, MediaType>) {
        for media in content.values_mut() {
            if let Some(schema) = &mut media.schema {
                self.schema(schema);
            }
            for encoding in media.encoding.values_mut() {
                for header in encoding.headers.values_mut() {
                    if let ReferenceOr::Item(header) = header {
                        self.header(header);
                    }
                }
            }
        }
    }

    fn schema(&mut self, schema: &mut ReferenceOr<Schema>) {
        let ReferenceOr::Reference { reference } = schema else {
            return;
        };
        let Some(n) = reference.strip_prefix(PLACEHOLDER) else {
            return;
        };
        let Some(n) = n.parse::<usize>().ok().filter(|&n| n < self.schemas.len()) else {
            self.lost = true;
            return;
        };
        let value = &self.schemas[n];
        match reference_or_schema(value)
            .ok()
            .or_else(|| ReferenceOr::<Schema>::deserialize(value).ok())
        {
            Some(read) if !self.read[n] => {
                *schema = read;
                self.read[n] = true;
                self.filled += 1;
            }
            _ => self.lost = true,
        }
    }
}

/// The paths as `Paths::deserialize` reads them: each path item, operation, request body,
/// response and media type read here, and the objects inside them that are small and read
/// as they are (parameters, headers, examples, links, encodings, servers, security) by serde,
/// without the buffering of the levels above them.
fn read_paths(value: &Value) -> Read<Paths> {
    let map = value.as_object().ok_or(Unusual)?;
    let mut paths = Paths {
        paths: IndexMap::with_capacity(map.len()),
        extensions: IndexMap::new(),
    };
    for (key, value) in map {
        if key.starts_with('/') {
            // A path item is large (eight operations in place, 8 KB): it is read where it is
            // kept rather than moved there.
            let object = value.as_object().ok_or(Unusual)?;
            // A reference's small variant goes in first and the item is made in its place:
            // moving a made item into the map copied its 8 KB once more.
            let (reference, is_item) = match object.find("$ref") {
                Some(Value::String(reference)) => (reference.clone(), false),
                Some(_) => return Err(Unusual),
                None => (String::new(), true),
            };
            let (at, _) = paths
                .paths
                .insert_full(key.clone(), ReferenceOr::Reference { reference });
            if let (true, Some((_, slot))) = (is_item, paths.paths.get_index_mut(at)) {
                *slot = ReferenceOr::Item(PathItem::default());
                if let ReferenceOr::Item(item) = slot {
                    path_item(item, object)?;
                }
            }
        } else if key.starts_with("x-") {
            paths.extensions.insert(key.clone(), value.clone());
        }
    }
    Ok(paths)
}

/// An object with a string `$ref` is a reference, any other object is read by `read`.
fn reference_or<T>(
    value: &Value,
    read: fn(&Map<String, Value>) -> Read<T>,
) -> Read<ReferenceOr<T>> {
    let map = value.as_object().ok_or(Unusual)?;
    match map.find("$ref") {
        Some(Value::String(reference)) => Ok(ReferenceOr::Reference {
            reference: reference.clone(),
        }),
        Some(_) => Err(Unusual),
        None => read(map).map(ReferenceOr::Item),
    }
}

/// A value serde reads by itself (a small object: its buffering costs little).
fn by_serde<T: for<'de> Deserialize<'de>>(value: &Value) -> Read<T> {
    T::deserialize(value).map_err(|_| Unusual)
}

/// A list or map field with a default: absent is empty, `null` is refused (as serde does).
fn each(value: &Value) -> Read<&Vec<Value>> {
    value.as_array().ok_or(Unusual)
}

fn entries(value: &Value) -> Read<&Map<String, Value>> {
    value.as_object().ok_or(Unusual)
}

fn path_item(item: &mut PathItem, map: &Map<String, Value>) -> Read<()> {
    for (key, value) in map {
        let operation = match key.as_str() {
            "summary" => {
                item.summary = string(value)?;
                continue;
            }
            "description" => {
                item.description = string(value)?;
                continue;
            }
            "servers" => {
                item.servers = by_serde(value)?;
                continue;
            }
            "parameters" => {
                item.parameters = parameters(value)?;
                continue;
            }
            "get" => &mut item.get,
            "put" => &mut item.put,
            "post" => &mut item.post,
            "delete" => &mut item.delete,
            "options" => &mut item.options,
            "head" => &mut item.head,
            "patch" => &mut item.patch,
            "trace" => &mut item.trace,
            extension if extension.starts_with("x-") => {
                item.extensions.insert(key.clone(), value.clone());
                continue;
            }
            _ => continue,
        };
        *operation = None;
        if !value.is_null() {
            operation_of(operation.insert(Operation::default()), entries(value)?)?;
        }
    }
    Ok(())
}

fn parameters(value: &Value) -> Read<Vec<ReferenceOr<Parameter>>> {
    each(value)?.iter().map(by_serde).collect()
}

fn operation_of(operation: &mut Operation, map: &Map<String, Value>) -> Read<()> {
    let mut responses = None;
    for (key, value) in map {
        match key.as_str() {
            "tags" => operation.tags = strings(value)?,
            "summary" => operation.summary = string(value)?,
            "description" => operation.description = string(value)?,
            "externalDocs" => operation.external_docs = by_serde(value)?,
            "operationId" => operation.operation_id = string(value)?,
            "parameters" => operation.parameters = parameters(value)?,
            "requestBody" => {
                operation.request_body = optional(value, |v| reference_or(v, request_body))?
            }
            "responses" => responses = Some(responses_of(entries(value)?)?),
            "callbacks" => operation.callbacks = by_serde(value)?,
            "deprecated" => operation.deprecated = boolean(value)?,
            "security" => operation.security = by_serde(value)?,
            "servers" => operation.servers = by_serde(value)?,
            extension if extension.starts_with("x-") => {
                operation.extensions.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    // `responses` is required: serde says so when it is missing.
    operation.responses = responses.ok_or(Unusual)?;
    Ok(())
}

fn responses_of(map: &Map<String, Value>) -> Read<Responses> {
    let mut responses = Responses::default();
    for (key, value) in map {
        if key == "default" {
            responses.default = optional(value, |v| reference_or(v, response))?;
        } else if key.starts_with("x-") {
            responses.extensions.insert(key.clone(), value.clone());
        }
        // Any key that is a status code (`200`, `2XX`) is a response; others are ignored.
        if let Ok(code) = StatusCode::deserialize(&Value::String(key.clone())) {
            responses
                .responses
                .insert(code, reference_or(value, response)?);
        }
    }
    Ok(responses)
}

fn response(map: &Map<String, Value>) -> Read<Response> {
    let mut response = Response::default();
    let mut described = false;
    for (key, value) in map {
        match key.as_str() {
            "description" => {
                response.description = value.as_str().ok_or(Unusual)?.to_owned();
                described = true;
            }
            "headers" => {
                for (name, header) in entries(value)? {
                    response.headers.insert(name.clone(), by_serde(header)?);
                }
            }
            "content" => response.content = content(value)?,
            "links" => response.links = by_serde(value)?,
            extension if extension.starts_with("x-") => {
                response.extensions.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    // `description` is required.
    described.then_some(response).ok_or(Unusual)
}

fn request_body(map: &Map<String, Value>) -> Read<RequestBody> {
    let mut body = RequestBody::default();
    for (key, value) in map {
        match key.as_str() {
            "description" => body.description = string(value)?,
            "content" => body.content = content(value)?,
            "required" => body.required = boolean(value)?,
            extension if extension.starts_with("x-") => {
                body.extensions.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Ok(body)
}

fn content(value: &Value) -> Read<IndexMap<String, MediaType>> {
    let map = entries(value)?;
    let mut content = IndexMap::with_capacity(map.len());
    for (media, value) in map {
        content.insert(media.clone(), media_type(entries(value)?)?);
    }
    Ok(content)
}

fn media_type(map: &Map<String, Value>) -> Read<MediaType> {
    let mut media = MediaType::default();
    for (key, value) in map {
        match key.as_str() {
            "schema" => media.schema = optional(value, reference_or_schema)?,
            "example" => media.example = some_value(value),
            "examples" => media.examples = by_serde(value)?,
            "encoding" => media.encoding = by_serde(value)?,
            extension if extension.starts_with("x-") => {
                media.extensions.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Ok(media)
}

/// A schema (or a part of one) that is left to serde: a value of a type serde would refuse,
/// or a form this reader does not take apart.
#[derive(Debug)]
pub(crate) struct Unusual;

type Read<T> = Result<T, Unusual>;

/// A schema or a reference, as `ReferenceOr::<Schema>::deserialize` reads it: an object with
/// a string `$ref` is a reference (its other keys ignored), any other object a schema.
pub(crate) fn reference_or_schema(value: &Value) -> Read<ReferenceOr<Schema>> {
    let map = value.as_object().ok_or(Unusual)?;
    match map.find("$ref") {
        Some(Value::String(reference)) => Ok(ReferenceOr::Reference {
            reference: reference.clone(),
        }),
        Some(_) => Err(Unusual),
        None => Ok(ReferenceOr::Item(schema(map)?)),
    }
}

/// The same, boxed as the model keeps a nested schema (made in its box: a schema is large).
fn boxed(value: &Value) -> Read<ReferenceOr<Box<Schema>>> {
    let map = value.as_object().ok_or(Unusual)?;
    match map.find("$ref") {
        Some(Value::String(reference)) => Ok(ReferenceOr::Reference {
            reference: reference.clone(),
        }),
        Some(_) => Err(Unusual),
        None => {
            let mut schema = Box::new(empty_schema());
            read_schema(&mut schema, map)?;
            Ok(ReferenceOr::Item(schema))
        }
    }
}

/// The keywords that decide a schema's kind, as the model reads them before it decides.
#[derive(Default)]
struct Keywords {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

/// A schema with no keywords, to read one into in place.
fn empty_schema() -> Schema {
    Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Any(AnySchema::default()),
    }
}

fn schema(map: &Map<String, Value>) -> Read<Schema> {
    let mut schema = empty_schema();
    read_schema(&mut schema, map)?;
    Ok(schema)
}

/// Reads `map` into `schema` (an empty one), where it is kept: a schema is large (1 KB), and
/// most are read into their box.
fn read_schema(schema: &mut Schema, map: &Map<String, Value>) -> Read<()> {
    let data = &mut schema.schema_data;
    let mut k = Keywords::default();
    for (key, value) in map {
        match key.as_str() {
            "nullable" => data.nullable = boolean(value)?,
            "readOnly" => data.read_only = boolean(value)?,
            "writeOnly" => data.write_only = boolean(value)?,
            "deprecated" => data.deprecated = boolean(value)?,
            "externalDocs" if value.is_null() => {}
            "externalDocs" => return Err(Unusual),
            // The model is read without example values (see `read`).
            "example" => {}
            "title" => data.title = string(value)?,
            "description" => data.description = string(value)?,
            "discriminator" => data.discriminator = discriminator(value)?,
            "default" => data.default = some_value(value),
            "type" => k.typ = string(value)?,
            "pattern" => k.pattern = string(value)?,
            "multipleOf" => k.multiple_of = number(value)?,
            "exclusiveMinimum" => k.exclusive_minimum = optional(value, boolean)?,
            "exclusiveMaximum" => k.exclusive_maximum = optional(value, boolean)?,
            "minimum" => k.minimum = number(value)?,
            "maximum" => k.maximum = number(value)?,
            "properties" => k.properties = optional(value, properties)?,
            "required" => k.required = optional(value, strings)?,
            "additionalProperties" => {
                k.additional_properties = optional(value, additional_properties)?
            }
            "minProperties" => k.min_properties = optional(value, size)?,
            "maxProperties" => k.max_properties = optional(value, size)?,
            "items" => k.items = optional(value, boxed)?,
            "minItems" => k.min_items = optional(value, size)?,
            "maxItems" => k.max_items = optional(value, size)?,
            "uniqueItems" => k.unique_items = optional(value, boolean)?,
            "enum" => k.enumeration = optional(value, values)?,
            "format" => k.format = string(value)?,
            "minLength" => k.min_length = optional(value, size)?,
            "maxLength" => k.max_length = optional(value, size)?,
            "oneOf" => k.one_of = optional(value, schemas)?,
            "allOf" => k.all_of = optional(value, schemas)?,
            "anyOf" => k.any_of = optional(value, schemas)?,
            "not" => k.not = optional(value, |v| reference_or_schema(v).map(Box::new))?,
            extension if extension.starts_with("x-") => {
                data.extensions.insert(key.clone(), value.clone());
            }
            // Keywords the model has no field for are not read, as serde does not read them.
            _ => {}
        }
    }
    schema.schema_kind = kind(k);
    Ok(())
}

/// The kind the model gives a schema with these keywords: a `type` whose keywords are all
/// of that type (and whose `enum` values are), one of `oneOf`, `allOf`, `anyOf` or `not`
/// alone, or else `Any` with them all.
fn kind(k: Keywords) -> SchemaKind {
    let numeric = k.multiple_of.is_some()
        || k.exclusive_minimum.is_some()
        || k.exclusive_maximum.is_some()
        || k.minimum.is_some()
        || k.maximum.is_some();
    let object = k.properties.is_some()
        || k.required.is_some()
        || k.additional_properties.is_some()
        || k.min_properties.is_some()
        || k.max_properties.is_some();
    let array = k.items.is_some()
        || k.min_items.is_some()
        || k.max_items.is_some()
        || k.unique_items.is_some();
    let length = k.min_length.is_some() || k.max_length.is_some();
    let composed = [
        k.one_of.is_some(),
        k.all_of.is_some(),
        k.any_of.is_some(),
        k.not.is_some(),
    ];
    let composes = composed.contains(&true);
    let enum_of = |valid: fn(&Value) -> bool| {
        k.enumeration
            .iter()
            .flatten()
            .all(|v| v.is_null() || valid(v))
    };
    let int = |n: &Option<Number>| n.as_ref().is_none_or(Number::is_i64);
    let typ = k.typ.as_deref();
    let typed = match typ {
        Some("string")
            if !numeric && !object && !array && !composes && enum_of(Value::is_string) =>
        {
            Some("string")
        }
        Some("number")
            if k.pattern.is_none()
                && !object
                && !array
                && !length
                && !composes
                && enum_of(Value::is_number) =>
        {
            Some("number")
        }
        Some("integer")
            if k.pattern.is_none()
                && !object
                && !array
                && !length
                && !composes
                && enum_of(Value::is_i64)
                && int(&k.multiple_of)
                && int(&k.minimum)
                && int(&k.maximum) =>
        {
            Some("integer")
        }
        Some("boolean")
            if k.pattern.is_none()
                && !numeric
                && !object
                && !array
                && k.format.is_none()
                && !length
                && !composes
                && enum_of(Value::is_boolean) =>
        {
            Some("boolean")
        }
        Some("object")
            if k.pattern.is_none()
                && !numeric
                && !array
                && k.enumeration.is_none()
                && k.format.is_none()
                && !length
                && !composes =>
        {
            Some("object")
        }
        Some("array")
            if k.pattern.is_none()
                && !numeric
                && !object
                && k.enumeration.is_none()
                && k.format.is_none()
                && !length
                && !composes =>
        {
            Some("array")
        }
        _ => None,
    };
    let f64_of = |n: Option<Number>| n.map(|n| n.as_f64().expect("a JSON number is an f64"));
    let i64_of = |n: Option<Number>| n.map(|n| n.as_i64().expect("checked to be an integer"));
    fn listed<T>(values: Option<Vec<Value>>, of: fn(&Value) -> Option<T>) -> Vec<Option<T>> {
        values
            .unwrap_or_default()
            .iter()
            .map(|v| (!v.is_null()).then(|| of(v).expect("checked to be of the type")))
            .collect()
    }
    match typed {
        Some("string") => SchemaKind::Type(Type::String(StringType {
            format: k.format.into(),
            pattern: k.pattern,
            enumeration: listed(k.enumeration, |v| v.as_str().map(str::to_owned)),
            min_length: k.min_length,
            max_length: k.max_length,
        })),
        Some("number") => SchemaKind::Type(Type::Number(NumberType {
            format: k.format.into(),
            multiple_of: f64_of(k.multiple_of),
            exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
            minimum: f64_of(k.minimum),
            maximum: f64_of(k.maximum),
            enumeration: listed(k.enumeration, Value::as_f64),
        })),
        Some("integer") => SchemaKind::Type(Type::Integer(IntegerType {
            format: k.format.into(),
            multiple_of: i64_of(k.multiple_of),
            exclusive_minimum: k.exclusive_minimum.unwrap_or_default(),
            exclusive_maximum: k.exclusive_maximum.unwrap_or_default(),
            minimum: i64_of(k.minimum),
            maximum: i64_of(k.maximum),
            enumeration: listed(k.enumeration, Value::as_i64),
        })),
        Some("boolean") => SchemaKind::Type(Type::Boolean(BooleanType {
            enumeration: listed(k.enumeration, Value::as_bool),
        })),
        Some("object") => SchemaKind::Type(Type::Object(ObjectType {
            properties: k.properties.unwrap_or_default(),
            required: k.required.unwrap_or_default(),
            additional_properties: k.additional_properties,
            min_properties: k.min_properties,
            max_properties: k.max_properties,
        })),
        Some("array") => SchemaKind::Type(Type::Array(ArrayType {
            items: k.items,
            min_items: k.min_items,
            max_items: k.max_items,
            unique_items: k.unique_items.unwrap_or_default(),
        })),
        _ => {
            let alone = typ.is_none()
                && k.pattern.is_none()
                && !numeric
                && !object
                && !array
                && k.enumeration.is_none()
                && k.format.is_none()
                && !length
                && composed.iter().filter(|c| **c).count() == 1;
            match k {
                Keywords {
                    one_of: Some(one_of),
                    ..
                } if alone => SchemaKind::OneOf { one_of },
                Keywords {
                    all_of: Some(all_of),
                    ..
                } if alone => SchemaKind::AllOf { all_of },
                Keywords {
                    any_of: Some(any_of),
                    ..
                } if alone => SchemaKind::AnyOf { any_of },
                Keywords { not: Some(not), .. } if alone => SchemaKind::Not { not },
                k => SchemaKind::Any(AnySchema {
                    typ: k.typ,
                    pattern: k.pattern,
                    multiple_of: f64_of(k.multiple_of),
                    exclusive_minimum: k.exclusive_minimum,
                    exclusive_maximum: k.exclusive_maximum,
                    minimum: f64_of(k.minimum),
                    maximum: f64_of(k.maximum),
                    properties: k.properties.unwrap_or_default(),
                    required: k.required.unwrap_or_default(),
                    additional_properties: k.additional_properties,
                    min_properties: k.min_properties,
                    max_properties: k.max_properties,
                    items: k.items,
                    min_items: k.min_items,
                    max_items: k.max_items,
                    unique_items: k.unique_items,
                    enumeration: k.enumeration.unwrap_or_default(),
                    format: k.format,
                    min_length: k.min_length,
                    max_length: k.max_length,
                    one_of: k.one_of.unwrap_or_default(),
                    all_of: k.all_of.unwrap_or_default(),
                    any_of: k.any_of.unwrap_or_default(),
                    not: k.not,
                }),
            }
        }
    }
}

/// `null` is no value (serde reads an `Option` so); anything else is read by `read`.
fn optional<T>(value: &Value, read: impl FnOnce(&Value) -> Read<T>) -> Read<Option<T>> {
    match value {
        Value::Null => Ok(None),
        value => read(value).map(Some),
    }
}

fn boolean(value: &Value) -> Read<bool> {
    value.as_bool().ok_or(Unusual)
}

fn string(value: &Value) -> Read<Option<String>> {
    optional(value, |v| v.as_str().map(str::to_owned).ok_or(Unusual))
}

fn number(value: &Value) -> Read<Option<Number>> {
    optional(value, |v| match v {
        Value::Number(n) => Ok(n.clone()),
        _ => Err(Unusual),
    })
}

fn size(value: &Value) -> Read<usize> {
    value
        .as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(Unusual)
}

/// A value of `example` or `default`: `null` is none.
fn some_value(value: &Value) -> Option<Value> {
    (!value.is_null()).then(|| value.clone())
}

fn strings(value: &Value) -> Read<Vec<String>> {
    value
        .as_array()
        .ok_or(Unusual)?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or(Unusual))
        .collect()
}

fn values(value: &Value) -> Read<Vec<Value>> {
    value.as_array().cloned().ok_or(Unusual)
}

fn schemas(value: &Value) -> Read<Vec<ReferenceOr<Schema>>> {
    value
        .as_array()
        .ok_or(Unusual)?
        .iter()
        .map(reference_or_schema)
        .collect()
}

fn properties(value: &Value) -> Read<IndexMap<String, ReferenceOr<Box<Schema>>>> {
    let map = value.as_object().ok_or(Unusual)?;
    let mut properties = IndexMap::with_capacity(map.len());
    for (name, schema) in map {
        properties.insert(name.clone(), boxed(schema)?);
    }
    Ok(properties)
}

/// `true` or `false` (any value or none), else a schema.
fn additional_properties(value: &Value) -> Read<AdditionalProperties> {
    match value {
        Value::Bool(any) => Ok(AdditionalProperties::Any(*any)),
        Value::Object(_) => Ok(AdditionalProperties::Schema(Box::new(reference_or_schema(
            value,
        )?))),
        _ => Err(Unusual),
    }
}

fn discriminator(value: &Value) -> Read<Option<Discriminator>> {
    optional(value, |value| {
        let map = value.as_object().ok_or(Unusual)?;
        let mut discriminator = Discriminator {
            property_name: String::new(),
            mapping: IndexMap::new(),
            extensions: IndexMap::new(),
        };
        let mut named = false;
        for (key, value) in map {
            match key.as_str() {
                "propertyName" => {
                    discriminator.property_name = value.as_str().ok_or(Unusual)?.to_owned();
                    named = true;
                }
                "mapping" => {
                    for (from, to) in value.as_object().ok_or(Unusual)? {
                        let to = to.as_str().ok_or(Unusual)?.to_owned();
                        discriminator.mapping.insert(from.clone(), to);
                    }
                }
                extension if extension.starts_with("x-") => {
                    discriminator.extensions.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        named.then_some(discriminator).ok_or(Unusual)
    })
}

#[cfg(test)]
mod tests {
    use openapiv3::{OpenAPI, ReferenceOr, Schema};
    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::{read, reference_or_schema};
    use crate::diagnostics::Diagnostics;

    /// The model of a document prepared as `load_bundled` prepares it: read here, and read by
    /// serde without its example values (taken out by `examples`, which `load_bundled` does
    /// when it leaves the document to serde).
    fn both(text: &str, path: Option<&std::path::Path>) -> (Option<OpenAPI>, Option<OpenAPI>) {
        let mut value = crate::load::parse_document(text).unwrap();
        let mut diags = Diagnostics::default();
        crate::bundle::bundle(&mut value, path, &mut diags);
        crate::normalize::normalize_document(&mut value, &mut diags);
        let before = value.clone();
        let fast = read(&mut value);
        assert!(value == before, "the document is as it was");
        let _examples = crate::examples::set_aside(&mut value);
        let slow = OpenAPI::deserialize(&value).ok();
        (fast, slow)
    }

    /// Every document of the corpus (and the repository's own) gets the model serde gives it,
    /// by this way: the large ones are what it is for.
    #[test]
    fn corpus_models_are_the_models_serde_reads() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut documents = crate::corpus_documents();
        for own in [
            "tests/features/features.yaml",
            "tests/http/http.yaml",
            "tests/wire/wire.yaml",
        ] {
            documents.push(root.join(own));
        }
        for path in documents {
            let text = std::fs::read_to_string(&path).unwrap();
            let (fast, slow) = both(&text, Some(&path));
            let slow = slow.unwrap_or_else(|| panic!("{}: serde reads it", path.display()));
            let fast = fast.unwrap_or_else(|| panic!("{}: read here too", path.display()));
            assert!(fast == slow, "{}: the same model", path.display());
        }
    }

    /// Schemas at the edges of each kind read as serde reads them, or are left to it.
    #[test]
    fn schemas_read_as_serde_reads_them() {
        let schemas = [
            json!({"type": "string", "enum": ["a", null], "format": "date-time", "pattern": "x"}),
            json!({"type": "string", "enum": ["a", 1]}),
            json!({"type": "string", "minimum": 1}),
            json!({"type": "integer", "minimum": 1.5}),
            json!({"type": "integer", "minimum": 1, "maximum": 9, "multipleOf": 3, "format": "int64"}),
            json!({"type": "integer", "enum": [1, 2.5]}),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "enum": [1.5]}),
            json!({"type": "number", "minLength": 1}),
            json!({"type": "boolean", "enum": [true, null]}),
            json!({"type": "boolean", "format": "x"}),
            json!({"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/x"}},
                   "additionalProperties": false, "minProperties": 1}),
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
            json!({"type": "object", "additionalProperties": true, "enum": [{}]}),
            json!({"type": "array", "items": {"type": "integer"}, "uniqueItems": true, "maxItems": 3}),
            json!({"type": "array", "items": {"type": "integer"}, "format": "x"}),
            json!({"oneOf": [{"$ref": "#/a"}, {"type": "string"}]}),
            json!({"allOf": [{"$ref": "#/a"}], "description": "d", "nullable": true}),
            json!({"anyOf": [{"type": "string"}], "oneOf": [{"type": "string"}]}),
            json!({"type": "object", "allOf": [{"$ref": "#/a"}]}),
            json!({"not": {"type": "string"}}),
            json!({"$ref": "#/a", "description": "a sibling is ignored"}),
            json!({"description": "any", "x-kind": {"deep": [1, 2]}, "x-null": null, "unknown": 1}),
            json!({"discriminator": {"propertyName": "kind", "mapping": {"a": "#/a"}, "x-d": 1},
                   "oneOf": [{"$ref": "#/a"}]}),
            json!({"title": null, "default": null, "example": null, "readOnly": true,
                   "writeOnly": false, "deprecated": true}),
            json!({"type": "string", "default": "x", "example": {"a": 1}, "maxLength": 5}),
            json!({"type": "integer", "minimum": 18446744073709551615u64}),
            json!({"type": "integer", "minimum": -3, "enum": [-1, null]}),
            json!({"type": "string", "nullable": "yes"}),
            json!({"type": "string", "minLength": -1}),
            json!({"type": "array", "items": [{"type": "string"}]}),
            json!({"externalDocs": {"url": "https://example.com"}}),
            json!({"$ref": 5}),
            json!(true),
        ];
        let mut read_here = 0;
        for schema in schemas {
            // Without its example value, as the model is read.
            let serde = ReferenceOr::<Schema>::deserialize(&schema)
                .ok()
                .map(|read| match read {
                    ReferenceOr::Item(mut schema) => {
                        schema.schema_data.example = None;
                        ReferenceOr::Item(schema)
                    }
                    reference => reference,
                });
            let here = reference_or_schema(&schema);
            // Left to serde (`Err`): it reads it, or says what is wrong.
            if let Ok(read) = &here {
                assert!(
                    Some(read) == serde.as_ref(),
                    "{schema}: {read:?} / {serde:?}"
                );
                read_here += 1;
            }
            // In a document, each is read as serde reads it, or the document is left to serde.
            let document = json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {
                    "parameters": [{"name": "p", "in": "query", "schema": schema.clone()}],
                    "responses": {"200": {"description": "ok",
                        "headers": {"h": {"schema": schema.clone()}},
                        "content": {"application/json": {"schema": schema.clone()}}}}
                }}},
                "components": {"schemas": {"S": schema.clone()}}
            });
            let (fast, slow) = both(&document.to_string(), None);
            match (fast, slow) {
                (Some(fast), Some(slow)) => assert!(fast == slow, "{schema}"),
                (None, Some(_)) => assert!(here.is_err(), "{schema}: read here, yet left to serde"),
                (None, None) => {}
                (Some(_), None) => panic!("{schema}: serde refuses what was read here"),
            }
        }
        assert!(read_here >= 25, "most of them are read here ({read_here})");
        // A document with a schema serde refuses is left to serde whole.
        let refused: Value = json!({"type": "string", "nullable": "yes"});
        assert!(reference_or_schema(&refused).is_err());
    }
}
