//! Operation lowering: paths and methods become client methods with their parameters, bodies,
//! responses and errors.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    SecurityScheme, StatusCode,
};

use super::names::{pascal, snake, status_name, Scope};
use super::types::TypeSpace;
use crate::config::OperationFilter;
use crate::diagnostics::{pointer, pointer_index, pointer_to, Diagnostics};
use crate::model::{
    ArrayStyle, Body, BodyEncoding, Credential, Decoding, Location, Method, Operation, Param,
    ParamShape, PathGroup, PathSegment, PathStyle, Response, ResponseContent, ResponseHeader,
    StatusSpec, StreamContent, StreamKind, Ty,
};

/// Every operation's method has a twin that also gives the status and headers.
pub(crate) const WITH_RESPONSE: &str = "_with_response";

struct RawOperation<'a> {
    path: &'a str,
    method: Method,
    method_key: &'static str,
    op: &'a openapiv3::Operation,
    path_params: &'a [ReferenceOr<Parameter>],
    /// The servers the path item declares.
    path_servers: &'a [openapiv3::Server],
    at: String,
}

impl RawOperation<'_> {
    /// The pointer of the path item (`at` without the method).
    fn path_at(&self) -> &str {
        self.at.rsplit_once('/').map_or("", |(item, _)| item)
    }
}

pub fn lower_paths(
    doc: &OpenAPI,
    filter: &OperationFilter,
    space: &mut TypeSpace,
    skipped: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> Vec<PathGroup> {
    let no_components = openapiv3::Components::default();
    let components = doc.components.as_ref().unwrap_or(&no_components);
    let mut raw: Vec<RawOperation> = Vec::new();
    for (path, item) in &doc.paths.paths {
        let path_at = pointer("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                diags.degraded(&path_at, format!("`$ref: {reference}` for a path item is not resolved; its operations are not generated"));
                skipped.push(path.clone());
                continue;
            }
        };
        let ops = [
            (Method::Get, "get", &item.get),
            (Method::Put, "put", &item.put),
            (Method::Post, "post", &item.post),
            (Method::Delete, "delete", &item.delete),
            (Method::Options, "options", &item.options),
            (Method::Head, "head", &item.head),
            (Method::Patch, "patch", &item.patch),
            (Method::Trace, "trace", &item.trace),
        ];
        for (method, key, op) in ops {
            if let Some(op) = op {
                raw.push(RawOperation {
                    path,
                    method,
                    method_key: key,
                    op,
                    path_params: &item.parameters,
                    path_servers: &item.servers,
                    at: pointer(&path_at, key),
                });
            }
        }
    }

    // Names are decided over every operation, so that a filter never renames one.
    let names = operation_names(&raw);
    // OpenAPI requires unique ids; a repeated one still gets a method, numbered.
    let mut first_with: HashMap<&str, &RawOperation> = HashMap::default();
    for (r, name) in raw.iter().zip(&names) {
        let Some(id) = r.op.operation_id.as_deref() else {
            continue;
        };
        match first_with.get(id) {
            Some(first) => diags.warning(
                pointer(&r.at, "operationId"),
                format!(
                    "operationId `{id}` is also the id of {} {}, and ids must be unique; this operation's method is `{name}`",
                    first.method.as_str(),
                    first.path
                ),
            ),
            None => {
                first_with.insert(id, r);
            }
        }
    }
    for entry in filter.include.iter().chain(&filter.exclude) {
        let known = raw
            .iter()
            .zip(&names)
            .any(|(r, n)| entry == n || *entry == format!("{} {}", r.method.as_str(), r.path));
        if !known {
            diags.error(
                "codegen.toml#/operations",
                format!("`{entry}` names no operation (use a method name such as `{}` or `METHOD /path`)", names.first().map(String::as_str).unwrap_or("list_things")),
            );
        }
    }
    let mut groups: Vec<PathGroup> = Vec::new();
    let mut modules = Scope::with_reserved(&["mod", "types", "runtime", "paths"]);
    for (raw_op, rust_name) in raw.iter().zip(names) {
        if !filter.admits(&rust_name, raw_op.method.as_str(), raw_op.path) {
            continue;
        }
        // An operation that cannot be generated is left out, said as a degradation; the
        // others are generated.
        let mut op_diags = Diagnostics::default();
        let op = lower_operation(doc, components, raw_op, rust_name, space, &mut op_diags);
        if op_diags.has_errors() {
            op_diags.demote_errors(&format!(
                "{} {} is not generated",
                raw_op.method.as_str(),
                raw_op.path
            ));
            diags.extend(op_diags);
            skipped.push(format!("{} {}", raw_op.method.as_str(), raw_op.path));
            continue;
        }
        diags.extend(op_diags);
        match groups.last_mut() {
            Some(group) if group.template == raw_op.path => group.operations.push(op),
            _ => groups.push(PathGroup {
                template: raw_op.path.to_owned(),
                module: modules.claim(snake(&raw_op.path.replace("{+", "{"))),
                operations: vec![op],
                own_types: Vec::new(),
            }),
        }
    }
    groups
}

/// Method names: the `operationId`; without one, the summary when it is short and unique
/// ("List customers" gives `list_customers`); otherwise method and path
/// (`get_v1_customers_by_id`). Duplicates are numbered.
fn operation_names(raw: &[RawOperation]) -> Vec<String> {
    let from_summary: Vec<Option<String>> = raw
        .iter()
        .map(|r| {
            // Only an operation without an id is named for its summary.
            if r.op.operation_id.is_some() {
                return None;
            }
            let summary = r.op.summary.as_deref()?;
            let words = summary.split_whitespace().count();
            // Articles add nothing to a method name: "Create a contact" gives `create_contact`.
            let article = |w: &&str| ["a", "an", "the"].iter().any(|a| w.eq_ignore_ascii_case(a));
            let summary: Vec<&str> = summary.split_whitespace().filter(|w| !article(w)).collect();
            ((1..=6).contains(&words) && !summary.is_empty()).then(|| snake(&summary.join(" ")))
        })
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::default();
    for name in from_summary.iter().flatten() {
        *counts.entry(name).or_default() += 1;
    }
    // An `operationId` that ends in its own path and method (`list_models_v1_models_get`,
    // FastAPI's default) is named without them when that name is unique.
    let shortened: Vec<Option<String>> = raw
        .iter()
        .map(|r| {
            let id = r.op.operation_id.as_deref()?;
            without_route(id, r.method_key, split_path_key(r.path).0).map(snake)
        })
        .collect();
    let from_id: Vec<Option<String>> = raw
        .iter()
        .map(|r| r.op.operation_id.as_deref().map(snake))
        .collect();
    let mut short_counts: HashMap<&str, usize> = HashMap::default();
    for name in shortened
        .iter()
        .zip(&from_id)
        .filter_map(|(s, id)| s.as_ref().or(id.as_ref()))
    {
        *short_counts.entry(name).or_default() += 1;
    }
    let mut scope = Scope::with_reserved(crate::emit::client_methods());
    raw.iter()
        .zip(&from_summary)
        .zip(shortened.iter().zip(&from_id))
        .map(|((r, summary_name), (short, id))| {
            let name = if let Some(short) = short.as_ref().filter(|s| short_counts[s.as_str()] == 1)
            {
                short.clone()
            } else if let Some(id) = id {
                id.clone()
            } else if let Some(name) = summary_name.as_ref().filter(|n| counts[n.as_str()] == 1) {
                name.clone()
            } else {
                method_path_name(r.method_key, r.path)
            };
            scope.claim_family(name, &[WITH_RESPONSE])
        })
        .collect()
}

/// The part of `id` before a repetition of its own route: `list_models_v1_models_get` on
/// `GET /v1/models` is `list_models`, `retrieve_model_v1_models__model_id__get` on
/// `GET /v1/models/{model_id}` is `retrieve_model`. Letters and digits are compared, case
/// aside; `None` when the id does not end so or nothing would be left.
fn without_route<'a>(id: &'a str, method: &str, path: &str) -> Option<&'a str> {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let path_letters = letters(path);
    if path_letters.is_empty() {
        return None;
    }
    let with_method = format!("{path_letters}{method}");
    // Without the method, only a long route repeated is taken for one (`get_stats_v1_usage_by_org`
    // on `/v1/usage/by_org`), and two words at least must be left: `get_user_posts` on
    // `/user/posts` stays as it is.
    let long_route = path.split('/').filter(|s| !s.is_empty()).count() >= 3;
    id.char_indices()
        .filter(|&(_, c)| c == '_')
        .map(|(i, _)| (id[..i].trim_end_matches('_'), letters(&id[i + 1..])))
        .find(|(before, rest)| {
            *rest == with_method
                || (long_route && *rest == path_letters && before.split('_').count() >= 2)
        })
        .map(|(before, _)| before)
        .filter(|before| before.chars().any(|c| c.is_ascii_alphanumeric()))
}

/// A path key's template, and the fixed query parameters its `?` suffix holds (a `#`
/// fragment is dropped): `/oauth/token?grant=refresh#x` is `/oauth/token` with
/// `grant=refresh`.
pub fn split_path_key(key: &str) -> (&str, Vec<(String, Option<String>)>) {
    let without_fragment = key.split_once('#').map_or(key, |(k, _)| k);
    let Some((template, query)) = without_fragment.split_once('?') else {
        return (without_fragment, Vec::new());
    };
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (pair.to_owned(), None),
        })
        .collect();
    (template, pairs)
}

fn method_path_name(method: &str, key: &str) -> String {
    let mut out = method.to_owned();
    let (path, _) = split_path_key(key);
    // What tells operations on one path apart names them too: `post_oauth_token_refresh`.
    let suffix: String = key[path.len()..]
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let path = format!(
        "{path}/{}",
        suffix.split_whitespace().collect::<Vec<_>>().join("_")
    );
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('_');
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            out.push_str("by_");
            out.push_str(param);
        } else {
            out.push_str(segment);
        }
    }
    snake(&out)
}

fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    components: &'a IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    at: &str,
    diags: &mut Diagnostics,
) -> Option<&'a T> {
    let mut current = item;
    for _ in 0..crate::pointer::MAX_REF_HOPS {
        match current {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{kind}/");
                let Some(key) = reference.strip_prefix(&prefix) else {
                    diags.error(
                        at,
                        format!("`$ref: {reference}` must point into `#/components/{kind}`"),
                    );
                    return None;
                };
                let key = crate::pointer::unescape(key);
                match components.get(&key) {
                    Some(next) => current = next,
                    None => {
                        diags.error(at, format!("`$ref: {reference}` points at nothing"));
                        return None;
                    }
                }
            }
        }
    }
    diags.error(at, "a chain of `$ref`s that never ends");
    None
}

/// The operation's parameters with their places: the path item's first, then the
/// operation's own, which override them; a parameter declared twice the same way is merged,
/// declared twice differently an error.
fn declared_parameters(
    raw: &RawOperation,
    components: &openapiv3::Components,
    diags: &mut Diagnostics,
) -> Vec<(Parameter, String)> {
    let op = raw.op;
    let at = &raw.at;
    let mut declared: Vec<(Parameter, String)> = Vec::new();
    let path_item_list = pointer(raw.path_at(), "parameters");
    let path_level = raw
        .path_params
        .iter()
        .enumerate()
        .map(|(i, p)| (p, pointer_index(&path_item_list, i)));
    let op_list = pointer(at, "parameters");
    let op_level = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, pointer_index(&op_list, i)));
    let mut inherited = 0;
    for (from_operation, list) in [
        (false, path_level.collect::<Vec<_>>()),
        (true, op_level.collect()),
    ] {
        for (param, param_at) in list {
            let Some(param) = resolve(
                param,
                &components.parameters,
                "parameters",
                &param_at,
                diags,
            ) else {
                continue;
            };
            let data = param.parameter_data_ref();
            let existing = declared.iter().position(|(p, _)| {
                p.parameter_data_ref().name == data.name
                    && std::mem::discriminant(p) == std::mem::discriminant(param)
            });
            match existing {
                None => declared.push((param.clone(), param_at)),
                Some(i)
                    if from_operation
                        && i < inherited
                        && !declared[i].1.starts_with(at.as_str()) =>
                {
                    // An operation's parameter overrides the path item's of the same name.
                    declared[i] = (param.clone(), param_at);
                }
                Some(i) => {
                    let (first, first_at) = &mut declared[i];
                    if same_parameter(first, param) {
                        diags.warning(
                            &param_at,
                            format!(
                                "parameter `{}` is declared again (first at {first_at}); the duplicates are merged into one",
                                data.name
                            ),
                        );
                        merge_description(first, data.description.as_deref());
                    } else {
                        diags.error(
                            &param_at,
                            format!(
                                "parameter `{}` is declared again (first at {first_at}) with a different type or settings",
                                data.name
                            ),
                        );
                    }
                }
            }
        }
        if !from_operation {
            inherited = declared.len();
        }
    }
    declared
}

/// The parameters as the method's arguments (path parameters, in the order the path names
/// them) and the parameter struct's fields (query, header and cookie parameters), each named
/// once in its scope, typed, and with the shape it is written in.
fn lower_parameters(
    raw: &RawOperation,
    declared: &[(Parameter, String)],
    segments: &[PathSegment],
    prefix: &str,
    space: &mut TypeSpace,
    diags: &mut Diagnostics,
) -> (Vec<Param>, Vec<Param>) {
    let mut method_scope = Scope::with_reserved(&["params", "body", "self"]);
    let mut field_scope = Scope::default();
    let mut path_params = Vec::new();
    let mut params = Vec::new();
    for (param, param_at) in declared {
        let data = param.parameter_data_ref();
        let (location, array_style) = match param {
            Parameter::Path { .. } => (Location::Path, ArrayStyle::Delimited(',')),
            Parameter::Query { style, .. } => {
                let explode = data.explode.unwrap_or(matches!(style, QueryStyle::Form));
                let style = match style {
                    QueryStyle::SpaceDelimited => ArrayStyle::Delimited(' '),
                    QueryStyle::PipeDelimited => ArrayStyle::Delimited('|'),
                    QueryStyle::DeepObject => ArrayStyle::DeepObject,
                    _ if explode => ArrayStyle::Exploded,
                    _ => ArrayStyle::Delimited(','),
                };
                (Location::Query, style)
            }
            Parameter::Header { .. } => (Location::Header, ArrayStyle::Delimited(',')),
            Parameter::Cookie { .. } => (Location::Cookie, ArrayStyle::Delimited(',')),
        };
        let explode = data.explode.unwrap_or(false);
        let path_style = match param {
            // `{+name}` in the path (the parameter named `name`, or `+name` as some
            // conversions of Google's documents write it).
            Parameter::Path { .. }
                if raw.path.contains("{+")
                    && raw
                        .path
                        .contains(&format!("{{+{}}}", data.name.trim_start_matches('+'))) =>
            {
                PathStyle::Reserved
            }
            Parameter::Path { style, .. } => match style {
                openapiv3::PathStyle::Simple => PathStyle::Simple,
                openapiv3::PathStyle::Label => PathStyle::Label { explode },
                openapiv3::PathStyle::Matrix => PathStyle::Matrix { explode },
            },
            _ => PathStyle::Simple,
        };
        if location == Location::Cookie
            && (data.name.is_empty() || !data.name.bytes().all(is_header_name_byte))
        {
            diags.error(
                param_at,
                format!("`{}` is not a valid cookie name", data.name),
            );
            continue;
        }
        if location == Location::Header {
            let lower = data.name.to_ascii_lowercase();
            if matches!(lower.as_str(), "accept" | "content-type" | "authorization") {
                diags.warning(
                    param_at,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI says; the client sets it",
                        data.name
                    ),
                );
                continue;
            }
            if lower.is_empty() || !lower.bytes().all(is_header_name_byte) {
                diags.error(
                    param_at,
                    format!("`{}` is not a valid header name", data.name),
                );
                continue;
            }
        }
        // The name the path template uses: `{+name}` is the parameter `name`.
        let path_name = data.name.trim_start_matches('+');
        if location == Location::Path
            && !segments.contains(&PathSegment::Param(path_name.to_owned()))
        {
            diags.warning(
                param_at,
                format!(
                    "path parameter `{}` does not appear in the path; it is not sent",
                    data.name
                ),
            );
            continue;
        }
        let hint = [prefix, &pascal(&data.name)].concat();
        let mut json_param = false;
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                space.lower(schema, &hint, &pointer(param_at, "schema"), diags)
            }
            // `content: {application/json: {schema}}`: the value typed by its schema, sent as
            // its JSON text (in a query, header or cookie).
            ParameterSchemaOrContent::Content(content) => {
                let json = content
                    .iter()
                    .find(|(media, _)| media_kind(media) == MediaKind::Json);
                match json {
                    Some((media, media_type)) if location != Location::Path => {
                        let schema_at = pointer_to(param_at, &["content", media, "schema"]);
                        json_param = true;
                        match &media_type.schema {
                            Some(schema) => space.lower(schema, &hint, &schema_at, diags),
                            None => Ty::Value,
                        }
                    }
                    _ => {
                        diags.degraded(
                            param_at,
                            format!("parameter `{}` is described by `content` that is not JSON (or is in the path); it is sent as the string given", data.name),
                        );
                        Ty::String
                    }
                }
            }
        };
        let (ty, shape) = if json_param {
            (ty.unwrap_option().clone(), ParamShape::Json)
        } else {
            param_type(
                ty.unwrap_option().clone(),
                space,
                &data.name,
                param_at,
                location,
                array_style,
                diags,
            )
        };
        let param = Param {
            shape,
            rust_name: match location {
                Location::Path => method_scope.claim(snake(path_name)),
                _ => field_scope.claim(snake(&data.name)),
            },
            wire_name: match location {
                Location::Header => data.name.to_ascii_lowercase(),
                Location::Path => path_name.to_owned(),
                _ => data.name.clone(),
            },
            location,
            doc: match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    super::types::with_default_note(
                        data.description.clone().filter(|d| !d.trim().is_empty()),
                        schema,
                    )
                }
                _ => data.description.clone().filter(|d| !d.trim().is_empty()),
            },
            required: data.required || location == Location::Path,
            deprecated: data.deprecated.unwrap_or(false),
            ty,
            array_style,
            path_style,
        };
        if location == Location::Path {
            path_params.push(param);
        } else {
            params.push(param);
        }
    }
    for segment in segments {
        if let PathSegment::Param(name) = segment {
            if !path_params.iter().any(|p| &p.wire_name == name) {
                diags.error(
                    raw.path_at(),
                    format!("`{{{name}}}` appears in the path of {} but is not declared as a path parameter", raw.method.as_str()),
                );
            }
        }
    }
    // Path parameters in the order the path names them.
    path_params.sort_by_key(|p| {
        segments
            .iter()
            .position(|s| matches!(s, PathSegment::Param(name) if *name == p.wire_name))
    });
    (path_params, params)
}

/// The responses by status (`default` last) with their content, stream and headers, and the
/// media types the operation accepts (its `Accept` header).
fn lower_responses(
    raw: &RawOperation,
    components: &openapiv3::Components,
    prefix: &str,
    space: &mut TypeSpace,
    diags: &mut Diagnostics,
) -> (Vec<Response>, Vec<String>) {
    let op = raw.op;
    let at = &raw.at;
    let mut responses = Vec::new();
    let mut statuses: Vec<(StatusSpec, &ReferenceOr<openapiv3::Response>, String)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| {
            let spec = match code {
                StatusCode::Code(c) => StatusSpec::Code(*c),
                StatusCode::Range(r) => StatusSpec::Range(*r as u8),
            };
            (spec, r, pointer_to(at, &["responses", &code.to_string()]))
        })
        .collect();
    if let Some(default) = &op.responses.default {
        statuses.push((
            StatusSpec::Default,
            default,
            pointer_to(at, &["responses", "default"]),
        ));
    }
    let mut accept: Vec<String> = Vec::new();
    for (status, response, response_at) in statuses {
        let Some(response) = resolve(
            response,
            &components.responses,
            "responses",
            &response_at,
            diags,
        ) else {
            continue;
        };
        // No body comes with these (RFC 9110): content declared for them is not read (a
        // decoder would fail on the empty body every time).
        let bodiless = match status {
            StatusSpec::Code(204 | 205 | 304) => true,
            _ => raw.method == Method::Head,
        };
        let emptied;
        let response = if bodiless && !response.content.is_empty() {
            let what = match status {
                StatusSpec::Code(code @ (204 | 205 | 304)) => format!("a `{code}` response"),
                _ => "a response to HEAD".to_owned(),
            };
            diags.warning(
                pointer(&response_at, "content"),
                format!("{what} has no body (RFC 9110); the content declared for it is not read"),
            );
            emptied = openapiv3::Response {
                content: Default::default(),
                ..response.clone()
            };
            &emptied
        } else {
            response
        };
        let hint = if status.is_success() {
            let successes = op.responses.responses.keys().filter(|c| match c {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            });
            if successes.count() > 1 {
                [prefix, &status_name(status), "Response"].concat()
            } else {
                [prefix, "Response"].concat()
            }
        } else {
            [prefix, &status_name(status)].concat()
        };
        let stream = response.content.iter().find_map(|(media, media_type)| {
            let kind = match media_kind(media) {
                MediaKind::EventStream => StreamKind::Events,
                MediaKind::JsonLines => StreamKind::Lines,
                _ => return None,
            };
            let schema_at = pointer_to(&response_at, &["content", media, "schema"]);
            let ty = match &media_type.schema {
                Some(schema) => {
                    space.lower_unshared(schema, &format!("{hint}Event"), &schema_at, diags)
                }
                None if kind == StreamKind::Events => Ty::String,
                None => Ty::Value,
            };
            Some(StreamContent {
                media_type: media.to_owned(),
                kind,
                ty,
            })
        });
        let plain = pick_response_media(&response.content);
        let content = plain.map(|(media, media_type)| {
            if !accept.contains(&media.to_owned()) {
                accept.push(media.to_owned());
            }
            let schema_at = pointer_to(&response_at, &["content", media, "schema"]);
            let binary = media_type.schema.as_ref().is_some_and(is_binary_schema);
            let structured = lower_structured(media, media_type, &hint, &schema_at, space, diags);
            let (decoding, ty) = match media_kind(media) {
                MediaKind::Json => (
                    Decoding::Json,
                    match &media_type.schema {
                        Some(schema) => space.lower_unshared(schema, &hint, &schema_at, diags),
                        None => Ty::Value,
                    },
                ),
                MediaKind::Text if !binary => (Decoding::Text, Ty::String),
                MediaKind::Any | MediaKind::Other if structured.is_some() => {
                    (Decoding::Json, structured.unwrap_or(Ty::Value))
                }
                // A successful binary body is streamed; an error's is kept whole.
                _ if status.is_success() => (Decoding::Bytes, Ty::ByteStream),
                _ => (Decoding::Bytes, Ty::Bytes),
            };
            // Other representations read the same way: bytes beside bytes, text beside text.
            let same_kind = |m: &str| match media_kind(m) {
                MediaKind::Binary | MediaKind::Other => decoding == Decoding::Bytes,
                MediaKind::Text => decoding == Decoding::Text,
                _ => false,
            };
            let alternatives = response
                .content
                .keys()
                .filter(|m| *m != media && same_kind(m))
                .cloned()
                .collect();
            ResponseContent {
                media_type: media.to_owned(),
                decoding,
                ty,
                alternatives,
            }
        });
        // An error told only as a stream is kept as its bytes.
        let content = match (content, &stream) {
            (None, Some(stream)) if !status.is_success() => Some(ResponseContent {
                media_type: stream.media_type.clone(),
                decoding: Decoding::Bytes,
                ty: Ty::Bytes,
                alternatives: Vec::new(),
            }),
            (content, _) => content,
        };
        let headers = lower_headers(response, components, &response_at, diags);
        responses.push(Response {
            status,
            doc: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
            content,
            headers,
            stream,
        });
    }
    (responses, accept)
}

fn lower_operation(
    doc: &OpenAPI,
    components: &openapiv3::Components,
    raw: &RawOperation,
    rust_name: String,
    space: &mut TypeSpace,
    diags: &mut Diagnostics,
) -> Operation {
    let op = raw.op;
    let at = &raw.at;
    let prefix = pascal(&rust_name);

    let declared = declared_parameters(raw, components, diags);

    // `/items/{id}#share` and `/oauth/token?refresh` tell operations on one path apart: the
    // fragment is never sent, the query suffix is sent as fixed query parameters.
    let (template, fixed_query) = split_path_key(raw.path);
    let segments = parse_template(template, raw.path_at(), diags);
    let (path_params, params) = lower_parameters(raw, &declared, &segments, &prefix, space, diags);

    let body = op.request_body.as_ref().and_then(|body| {
        let body_at = pointer(at, "requestBody");
        let body = resolve(
            body,
            &components.request_bodies,
            "requestBodies",
            &body_at,
            diags,
        )?;
        lower_body(body, &prefix, &body_at, space, diags)
    });

    let (responses, accept) = lower_responses(raw, components, &prefix, space, diags);

    let security = lower_security(
        op.security.as_ref().or(doc.security.as_ref()),
        components,
        at,
        diags,
    );
    // `servers` of the operation, else of its path item, override the document's.
    let own_server = op.servers.first().or(raw.path_servers.first());
    let server = own_server
        .filter(|s| doc.servers.first().is_none_or(|first| first.url != s.url))
        .map(|s| s.url.clone());

    // With no documented success, `default` describes the success.
    let default_is_success = !responses.iter().any(|r| r.status.is_success())
        && responses.iter().any(|r| r.status == StatusSpec::Default);
    let successes: Vec<Response> = responses
        .iter()
        .filter(|r| {
            r.status.is_success() || (default_is_success && r.status == StatusSpec::Default)
        })
        .cloned()
        .collect();
    let success = crate::model::Success::of(&successes, &prefix);
    Operation {
        rust_name,
        type_prefix: prefix,
        method: raw.method,
        path: raw.path.to_owned(),
        segments,
        server,
        fixed_query,
        summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
        description: op.description.clone().filter(|s| !s.trim().is_empty()),
        deprecated: op.deprecated,
        path_params,
        params,
        body,
        responses,
        security,
        pagination: None,
        accept: accept.join(", "),
        headers: None,
        stream: None,
        idempotency_header: None,
        tags: op.tags.clone(),
        features: Vec::new(),
        success,
        default_is_success,
    }
}

/// The headers a response declares, each with a scalar type (`String` unless its schema
/// says number, integer or boolean). `Content-Type` is left out: OpenAPI ignores it.
fn lower_headers(
    response: &openapiv3::Response,
    components: &openapiv3::Components,
    response_at: &str,
    diags: &mut Diagnostics,
) -> Vec<ResponseHeader> {
    use openapiv3::{SchemaKind, Type};
    let mut out: Vec<ResponseHeader> = Vec::new();
    let mut scope = Scope::default();
    for (name, header) in &response.headers {
        if name.eq_ignore_ascii_case("content-type")
            || !name.bytes().all(is_header_name_byte)
            || name.is_empty()
        {
            continue;
        }
        let header_at = pointer_to(response_at, &["headers", name]);
        let Some(header) = resolve(header, &components.headers, "headers", &header_at, diags)
        else {
            continue;
        };
        if out.iter().any(|h| h.wire_name.eq_ignore_ascii_case(name)) {
            continue;
        }
        let schema = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => resolve(
                schema,
                &components.schemas,
                "schemas",
                &pointer(&header_at, "schema"),
                diags,
            ),
            ParameterSchemaOrContent::Content(_) => None,
        };
        let ty = match schema.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Integer(i))) => match &i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    Ty::I32
                }
                _ => Ty::I64,
            },
            Some(SchemaKind::Type(Type::Number(_))) => Ty::F64,
            Some(SchemaKind::Type(Type::Boolean(_))) => Ty::Bool,
            _ => Ty::String,
        };
        let mut doc = header.description.clone().filter(|d| !d.trim().is_empty());
        if header.deprecated == Some(true) {
            doc = Some(match doc {
                Some(d) => format!("Deprecated. {d}"),
                None => "Deprecated.".to_owned(),
            });
        }
        // `X-RateLimit-Limit` is `rate_limit_limit`: the `X-` says nothing in Rust.
        let bare = match name.get(..2) {
            Some(x) if x.eq_ignore_ascii_case("x-") && name.len() > 2 => &name[2..],
            _ => name.as_str(),
        };
        out.push(ResponseHeader {
            rust_name: scope.claim(snake(bare)),
            wire_name: name.clone(),
            doc,
            ty,
        });
    }
    out
}

fn same_parameter(a: &Parameter, b: &Parameter) -> bool {
    let strip = |p: &Parameter| {
        let mut p = p.clone();
        match &mut p {
            Parameter::Query { parameter_data, .. }
            | Parameter::Header { parameter_data, .. }
            | Parameter::Path { parameter_data, .. }
            | Parameter::Cookie { parameter_data, .. } => {
                parameter_data.description = None;
                parameter_data.example = None;
                parameter_data.examples.clear();
            }
        }
        p
    };
    strip(a) == strip(b)
}

fn merge_description(param: &mut Parameter, extra: Option<&str>) {
    let Some(extra) = extra.filter(|e| !e.trim().is_empty()) else {
        return;
    };
    let data = match param {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    match &mut data.description {
        Some(d) if d.contains(extra) => {}
        Some(d) => {
            d.push_str("\n\n");
            d.push_str(extra);
        }
        None => data.description = Some(extra.to_owned()),
    }
}

/// Parameters carry scalars, string enums, or arrays of them; query parameters also carry
/// objects (`form` and `deepObject` styles). Anything else is sent as the string the caller
/// gives, with a warning.
fn param_type(
    ty: Ty,
    space: &TypeSpace,
    name: &str,
    at: &str,
    location: Location,
    style: ArrayStyle,
    diags: &mut Diagnostics,
) -> (Ty, ParamShape) {
    let scalar = |ty: &Ty| crate::model::is_scalar(space.types(), ty);
    let object = location == Location::Query && crate::model::is_object_type(space.types(), &ty);
    match &ty {
        t if scalar(t) => {
            if style == ArrayStyle::DeepObject {
                diags.warning(at, format!("parameter `{name}` has style `deepObject` but is not an object; it is sent as `{name}=value`"));
            }
            (ty, ParamShape::Scalar)
        }
        Ty::Vec(item) if scalar(item) => {
            if style == ArrayStyle::DeepObject {
                diags.warning(at, format!("parameter `{name}` has style `deepObject` but is an array; it is sent as `{name}=a&{name}=b`"));
            }
            (ty, ParamShape::List)
        }
        _ if object && matches!(style, ArrayStyle::Delimited(d) if d != ',') => {
            diags.degraded(at, format!("parameter `{name}` is an object, which space- and pipe-delimited styles cannot carry; it is sent as the string given"));
            (Ty::String, ParamShape::Scalar)
        }
        _ if object => (ty, ParamShape::Object),
        // Unions of scalars and arrays (`string` or `array of string`) and the like: written
        // from their JSON form at run time, as the style says.
        _ if location == Location::Query && !matches!(ty, Ty::Bytes | Ty::Upload | Ty::Unit) => {
            (ty, ParamShape::Serialized)
        }
        _ => {
            diags.degraded(
                at,
                format!("parameter `{name}` has a type that is not a scalar or an array of scalars; it is sent as the string given"),
            );
            (Ty::String, ParamShape::Scalar)
        }
    }
}

/// The operation's security requirements as credentials: each requirement an alternative
/// (OR), its schemes applied together (AND); `security: []` needs none, and an empty
/// requirement (`{}`) makes authentication optional. An alternative with a scheme the client
/// cannot send is left out, said as a degradation.
fn lower_security(
    requirements: Option<&Vec<openapiv3::SecurityRequirement>>,
    components: &openapiv3::Components,
    at: &str,
    diags: &mut Diagnostics,
) -> Vec<Vec<Credential>> {
    let mut alternatives: Vec<Vec<Credential>> = Vec::new();
    'requirement: for requirement in requirements.into_iter().flatten() {
        let mut credentials = Vec::new();
        for name in requirement.keys() {
            let credential = match components.security_schemes.get(name) {
                Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => Credential::Bearer,
                        "basic" => Credential::Basic,
                        "digest" | "negotiate" | "hoba" | "mutual" | "scram-sha-1"
                        | "scram-sha-256" | "vapid" => {
                            diags.degraded(at, format!("HTTP `{scheme}` authentication (scheme `{name}`) needs a challenge and response the client does not do; that way to authenticate is left out"));
                            continue 'requirement;
                        }
                        _ if !scheme.bytes().all(is_header_name_byte) || scheme.is_empty() => {
                            diags.degraded(at, format!("HTTP scheme `{scheme}` of `{name}` is not a valid scheme name; that way to authenticate is left out"));
                            continue 'requirement;
                        }
                        _ => Credential::Http(scheme.clone()),
                    }
                }
                Some(ReferenceOr::Item(
                    SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
                )) => Credential::Bearer,
                Some(ReferenceOr::Item(SecurityScheme::APIKey {
                    location,
                    name: key,
                    ..
                })) => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Header => Location::Header,
                        openapiv3::APIKeyLocation::Query => Location::Query,
                        openapiv3::APIKeyLocation::Cookie => Location::Cookie,
                    };
                    if key.is_empty()
                        || (location != Location::Query && !key.bytes().all(is_header_name_byte))
                    {
                        diags.degraded(at, format!("API key `{key}` of `{name}` is not a valid header or cookie name; that way to authenticate is left out"));
                        continue 'requirement;
                    }
                    Credential::ApiKey {
                        scheme: name.clone(),
                        location,
                        name: if location == Location::Header {
                            key.to_ascii_lowercase()
                        } else {
                            key.clone()
                        },
                    }
                }
                Some(ReferenceOr::Reference { reference }) => {
                    diags.degraded(at, format!("security scheme `{name}` is a `$ref` ({reference}), which is not followed; that way to authenticate is left out"));
                    continue 'requirement;
                }
                // A client certificate is the connection's (`ClientBuilder::http_client`):
                // nothing to send with the request.
                None if mutual_tls_schemes(components).any(|n| n == name) => continue,
                None => {
                    diags.degraded(at, format!("security scheme `{name}` is not defined in `#/components/securitySchemes`; that way to authenticate is left out"));
                    continue 'requirement;
                }
            };
            if !credentials.contains(&credential) {
                credentials.push(credential);
            }
        }
        if !alternatives.contains(&credentials) {
            alternatives.push(credentials);
        }
    }
    // Needing nothing is the same as every alternative being optional.
    if alternatives.iter().all(Vec::is_empty) {
        alternatives.clear();
    }
    alternatives
}

/// The names of the document's `mutualTLS` security schemes.
pub(super) fn mutual_tls_schemes(components: &openapiv3::Components) -> impl Iterator<Item = &str> {
    components
        .extensions
        .get(crate::normalize::MUTUAL_TLS_SCHEMES)
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flat_map(|schemes| schemes.keys().map(String::as_str))
}

fn is_header_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Splits `/v1/customers/{id}` into literal text and parameters.
fn parse_template(path: &str, at: &str, diags: &mut Diagnostics) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = path;
    let mut seen = HashSet::default();
    while !rest.is_empty() {
        match rest.find('{') {
            Some(open) => {
                if open > 0 {
                    segments.push(PathSegment::Literal(encode_literal(&rest[..open])));
                }
                let Some(close) = rest[open..].find('}') else {
                    diags.error(at, "a `{` in the path is never closed");
                    return segments;
                };
                // `{+name}`: RFC 6570's reserved expansion, of the parameter `name`.
                let name = rest[open + 1..open + close].trim_start_matches('+');
                if name.is_empty() || name.contains('{') {
                    diags.error(at, format!("`{{{name}}}` is not a valid path parameter"));
                } else if !seen.insert(name.to_owned()) {
                    diags.error(
                        at,
                        format!("path parameter `{name}` appears twice in the path"),
                    );
                } else {
                    segments.push(PathSegment::Param(name.to_owned()));
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                if rest.contains('}') {
                    diags.error(at, "a `}` in the path was never opened");
                }
                segments.push(PathSegment::Literal(encode_literal(rest)));
                rest = "";
            }
        }
    }
    if !path.starts_with('/') {
        diags.error(at, "a path must start with `/`");
    }
    segments
}

/// Percent-encodes whatever may not appear as it is in a URL path.
fn encode_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(PartialEq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    /// `text/event-stream`: never text.
    EventStream,
    /// Newline-delimited JSON values.
    JsonLines,
    /// Media that are bytes whatever the schema says: files, audio, video, images, archives.
    Binary,
    /// `*/*` (what springdoc writes for every response) and `application/*`: the schema
    /// says what the body is.
    Any,
    Other,
}

/// Media types of a JSON value per line (or per record separator).
const JSON_LINES: &[&str] = &[
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/x-jsonl",
    "application/jsonlines",
    "application/x-jsonlines",
    "application/json-seq",
    "application/stream+json",
];

fn media_kind(media: &str) -> MediaKind {
    let essence = media.split(';').next().unwrap_or("").trim();
    // The common case, asked about several times for each operation.
    if essence == "application/json" {
        return MediaKind::Json;
    }
    let essence = essence.to_ascii_lowercase();
    let binary = ["audio/", "video/", "image/", "font/"]
        .iter()
        .any(|p| essence.starts_with(p))
        || matches!(
            essence.as_str(),
            "application/octet-stream"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/x-tar"
                | "application/pdf"
                | "application/x-7z-compressed"
                | "application/wasm"
        );
    if matches!(essence.as_str(), "*/*" | "*" | "application/*") {
        MediaKind::Any
    } else if essence == "text/event-stream" {
        MediaKind::EventStream
    } else if JSON_LINES.contains(&essence.as_str()) {
        MediaKind::JsonLines
    } else if binary && !essence.ends_with("+json") && !essence.ends_with("+xml") {
        MediaKind::Binary
    } else if essence == "application/json" || essence.ends_with("+json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if is_textual(&essence) {
        MediaKind::Text
    } else {
        MediaKind::Other
    }
}

/// Media read as text though not `text/*`: markup, configuration, scripts and queries.
fn is_textual(essence: &str) -> bool {
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || essence.ends_with("+yaml")
        || matches!(
            essence,
            "application/xml"
                | "application/yaml"
                | "application/x-yaml"
                | "application/toml"
                | "application/javascript"
                | "application/ecmascript"
                | "application/graphql"
                | "application/sql"
                | "application/csv"
                | "application/x-sh"
        )
}

/// The media type the client uses: JSON first, then form, multipart, text, then anything.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    let rank = |m: &str| match media_kind(m) {
        MediaKind::Json => 0,
        MediaKind::Form => 1,
        MediaKind::Multipart => 2,
        MediaKind::Text => 3,
        MediaKind::Binary
        | MediaKind::Any
        | MediaKind::Other
        | MediaKind::EventStream
        | MediaKind::JsonLines => 4,
    };
    content
        .iter()
        .min_by_key(|(m, _)| rank(m))
        .map(|(m, t)| (m.as_str(), t))
}

/// The media type a response is read as, streams aside: JSON first, then bytes (binary
/// beats text), text, then anything else.
fn pick_response_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    let rank = |m: &str| match media_kind(m) {
        MediaKind::Json => Some(0),
        MediaKind::Binary => Some(1),
        MediaKind::Text => Some(2),
        MediaKind::Any | MediaKind::Form | MediaKind::Multipart | MediaKind::Other => Some(3),
        MediaKind::EventStream | MediaKind::JsonLines => None,
    };
    content
        .iter()
        .filter_map(|(m, t)| rank(m).map(|r| (r, m, t)))
        .min_by_key(|(r, _, _)| *r)
        .map(|(_, m, t)| (m.as_str(), t))
}

/// A `type: string, format: binary` schema (bytes whatever the media type says).
fn is_binary_schema(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    matches!(
        schema,
        ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                openapiv3::StringType {
                    format: openapiv3::VariantOrUnknownOrEmpty::Item(
                        openapiv3::StringFormat::Binary
                    ),
                    ..
                }
            )),
            ..
        })
    )
}

/// The type of a body under a media type that does not say how it is written (`*/*`, a
/// vendor type without `+json`), when its schema is structured data (an object, array,
/// number, boolean or named type): such a body is JSON. `None` for strings, binary and
/// anything-goes schemas, and for media that say how they are written: those stay bytes.
fn lower_structured(
    media: &str,
    media_type: &openapiv3::MediaType,
    hint: &str,
    at: &str,
    space: &mut TypeSpace,
    diags: &mut Diagnostics,
) -> Option<Ty> {
    if !matches!(media_kind(media), MediaKind::Any | MediaKind::Other) {
        return None;
    }
    let schema = media_type.schema.as_ref()?;
    if is_binary_schema(schema) {
        return None;
    }
    let ty = space.lower_unshared(schema, hint, at, diags);
    match ty.unwrap_option() {
        Ty::String | Ty::Value | Ty::Bytes | Ty::ByteStream | Ty::Upload | Ty::Unit => None,
        _ => Some(ty),
    }
}

/// The parts whose schema names their media type (3.1's `contentMediaType`, a single type):
/// the type a part gets when no `encoding` says otherwise. The body schema is followed
/// through one local `$ref`.
fn content_media_types(raw: &serde_json::Value, schema_at: &str) -> Vec<(String, String)> {
    let mut schema = raw.pointer(schema_at.trim_start_matches('#'));
    if let Some(target) = schema
        .and_then(|s| s.get("$ref"))
        .and_then(serde_json::Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        schema = raw.pointer(target);
    }
    let Some(properties) = schema
        .and_then(|s| s.get("properties"))
        .and_then(serde_json::Value::as_object)
    else {
        return Vec::new();
    };
    properties
        .iter()
        .filter_map(|(name, property)| {
            let media = property
                .get("contentMediaType")
                .or_else(|| property.get("x-oas31-contentMediaType"))
                .and_then(serde_json::Value::as_str)?
                .trim();
            let single = !media.is_empty()
                && media.contains('/')
                && !media.contains(['*', ','])
                && media.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
            single.then(|| (name.clone(), media.to_owned()))
        })
        .collect()
}

/// The content type a body of `media` is sent with: a range (`*/*`, `image/*`) is no
/// content type, so bytes under one are `application/octet-stream`.
fn sent_media(media: &str) -> &str {
    if media.contains('*') {
        "application/octet-stream"
    } else {
        media
    }
}

/// A body sent as the bytes given, with `media` as its content type.
fn raw_body(media: &str, body: &RequestBody) -> Body {
    Body {
        media_type: sent_media(media).to_owned(),
        part_media_types: Vec::new(),
        form_styles: Vec::new(),
        encoding: BodyEncoding::Raw,
        multipart: None,
        ty: Ty::Bytes,
        required: body.required,
        doc: body.description.clone().filter(|d| !d.trim().is_empty()),
    }
}

fn lower_body(
    body: &RequestBody,
    prefix: &str,
    at: &str,
    space: &mut TypeSpace,
    diags: &mut Diagnostics,
) -> Option<Body> {
    let Some((media, media_type)) = pick_media(&body.content) else {
        diags.degraded(at, "a request body without content is not sent");
        return None;
    };
    let schema_at = pointer_to(at, &["content", media, "schema"]);
    let hint = [prefix, "Body"].concat();
    let structured = lower_structured(media, media_type, &hint, &schema_at, space, diags);
    let (encoding, ty) = match media_kind(media) {
        MediaKind::Any | MediaKind::Other if structured.is_some() => {
            (BodyEncoding::Json, structured.unwrap_or(Ty::Value))
        }
        MediaKind::Json => (
            BodyEncoding::Json,
            match &media_type.schema {
                Some(schema) => space.lower_unshared(schema, &hint, &schema_at, diags),
                None => Ty::Value,
            },
        ),
        MediaKind::Form => {
            let ty = match &media_type.schema {
                Some(schema) => space.lower_unshared(schema, &hint, &schema_at, diags),
                None => Ty::Map(Box::new(Ty::String)),
            };
            // Form fields are the properties of an object: any value is a map of them.
            let ty = if ty.unwrap_option() == &Ty::Value {
                Ty::Map(Box::new(Ty::Value))
            } else {
                ty
            };
            if !crate::model::is_object_type(space.types(), &ty) {
                diags.degraded(
                    &schema_at,
                    "an `application/x-www-form-urlencoded` body that is not an object is sent as raw bytes, with the content type given to the method",
                );
                return Some(raw_body(media, body));
            }
            (BodyEncoding::Form, ty)
        }
        MediaKind::Multipart => {
            let ty = match &media_type.schema {
                Some(schema) => space.lower_multipart(schema, &hint, &schema_at, diags),
                None => Ty::Value,
            };
            if !crate::model::is_object_type(space.types(), &ty) {
                diags.degraded(
                    &schema_at,
                    "a `multipart/form-data` body that is not an object is sent as raw bytes, with the content type given to the method",
                );
                return Some(raw_body(media, body));
            }
            (BodyEncoding::Multipart, ty)
        }
        MediaKind::Text
        | MediaKind::Any
        | MediaKind::Other
        | MediaKind::Binary
        | MediaKind::EventStream
        | MediaKind::JsonLines => {
            if media.to_ascii_lowercase().starts_with("multipart/") {
                diags.warning(
                    at,
                    format!("`{media}` bodies are sent as the bytes given, with that content type; only `multipart/form-data` is built from parts"),
                );
            }
            (BodyEncoding::Raw, Ty::Bytes)
        }
    };
    // Several media types: the client sends the first it supports best, and says so.
    let others: Vec<String> = body
        .content
        .keys()
        .filter(|m| *m != media)
        .map(|m| format!("`{m}`"))
        .collect();
    let mut doc = body.description.clone().filter(|d| !d.trim().is_empty());
    if !others.is_empty() {
        let note = format!(
            "Sent as `{media}`; the API also accepts {}.",
            others.join(", ")
        );
        doc = Some(match doc {
            Some(d) => format!("{}\n\n{note}", d.trim_end()),
            None => note,
        });
    }
    if media.contains('*') && encoding == BodyEncoding::Raw {
        let note = format!(
            "The API takes any of `{media}`: the bytes are sent as `application/octet-stream` unless a `content-type` header of the client's options ([`RequestOptions::header`](crate::RequestOptions::header)) names their type."
        );
        doc = Some(match doc {
            Some(d) => format!("{}\n\n{note}", d.trim_end()),
            None => note,
        });
    }
    let part_media_types = if encoding == BodyEncoding::Multipart {
        let encoding_at = pointer_to(at, &["content", media, "encoding"]);
        media_type
            .encoding
            .iter()
            .filter_map(|(property, e)| {
                let first = e.content_type.as_deref()?.split(',').next()?.trim().to_owned();
                let valid = !first.is_empty()
                    && !first.contains('*')
                    && first.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
                if !valid {
                    diags.warning(
                        pointer(&encoding_at, property),
                        format!("`contentType: {first}` is not one media type; the part gets the default"),
                    );
                    return None;
                }
                Some((property.clone(), first))
            })
            .chain(content_media_types(space.raw(), &schema_at))
            .fold(Vec::new(), |mut all: Vec<(String, String)>, (property, media)| {
                // The `encoding` object's word comes first.
                if !all.iter().any(|(p, _)| *p == property) {
                    all.push((property, media));
                }
                all
            })
    } else {
        Vec::new()
    };
    let form_styles = if encoding == BodyEncoding::Form {
        let encoding_at = pointer_to(at, &["content", media, "encoding"]);
        media_type
            .encoding
            .iter()
            .filter_map(|(property, e)| {
                // The model reads a missing `explode` as false; the document says whether it
                // was written (for `form`, its default is true).
                let written = space
                    .raw()
                    .pointer(&format!(
                        "{}/explode",
                        pointer(&encoding_at, property).trim_start_matches('#')
                    ))
                    .and_then(serde_json::Value::as_bool);
                let style = match e.style.as_ref() {
                    Some(QueryStyle::DeepObject) => ArrayStyle::DeepObject,
                    Some(QueryStyle::SpaceDelimited) => ArrayStyle::Delimited(' '),
                    Some(QueryStyle::PipeDelimited) => ArrayStyle::Delimited('|'),
                    Some(QueryStyle::Form) => match written.unwrap_or(true) {
                        true => ArrayStyle::Exploded,
                        false => ArrayStyle::Delimited(','),
                    },
                    None => match written {
                        Some(true) => ArrayStyle::Exploded,
                        Some(false) => ArrayStyle::Delimited(','),
                        None => return None,
                    },
                };
                Some((property.clone(), style))
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(Body {
        // Structured data under `*/*` is sent as what it is.
        media_type: match media_kind(media) {
            MediaKind::Any if encoding == BodyEncoding::Json => "application/json".to_owned(),
            _ => sent_media(media).to_owned(),
        },
        part_media_types,
        form_styles,
        encoding,
        ty,
        required: body.required,
        doc,
        multipart: None,
    })
}

#[cfg(test)]
mod tests {
    use super::without_route;

    #[test]
    fn route_repeated_at_the_end_of_an_operation_id() {
        assert_eq!(
            without_route("list_models_v1_models_get", "get", "/v1/models"),
            Some("list_models")
        );
        assert_eq!(
            without_route(
                "retrieve_model_v1_models__model_id__get",
                "get",
                "/v1/models/{model_id}"
            ),
            Some("retrieve_model")
        );
        assert_eq!(
            without_route("speechV1AudioSpeechPost", "post", "/v1/audio/speech"),
            None,
            "only at a word boundary"
        );
        assert_eq!(without_route("listModels", "get", "/v1/models"), None);
        assert_eq!(
            without_route("v1_models_get", "get", "/v1/models"),
            None,
            "nothing left"
        );
        assert_eq!(without_route("models_get", "get", "/"), None);
        assert_eq!(
            without_route(
                "get_organization_stats_v1_usage_by_organization",
                "get",
                "/v1/usage/by_organization"
            ),
            Some("get_organization_stats")
        );
        assert_eq!(
            without_route("get_user_posts", "get", "/user/posts"),
            None,
            "a short route without the method is taken for words of the name"
        );
    }
}
