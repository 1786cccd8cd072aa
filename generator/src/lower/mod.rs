//! Step 3: lower the document into the generator's model. Schemas become types (the type
//! space, `types.rs`); paths become operations (`operations.rs`). All naming happens in
//! `names.rs`.

mod case;
mod english;
mod ergonomics;
mod features;
mod headers;
mod homes;
mod multipart;
pub mod names;
pub mod operations;
pub mod pagination;
mod sharing;
pub mod streams;
mod structure;
pub mod types;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::Api;
use crate::Config;

/// The methods `Client` has so far: the runtime's, and each operation's own, its
/// `_with_response` twin, its stream and its page stream. A method added later claims its
/// name here, so that no two are alike.
pub(crate) fn client_methods_taken(api: &Api) -> names::Scope {
    let mut scope = names::Scope::with_reserved(crate::emit::client_methods());
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        scope.reserve(op.rust_name.clone());
        scope.reserve(format!("{}{}", op.rust_name, operations::WITH_RESPONSE));
        if let Some(pages) = &op.pagination {
            scope.reserve(pages.method.clone());
        }
        if let Some(stream) = &op.stream {
            scope.reserve(stream.method.clone());
        }
    }
    scope
}

/// Lowers a normalized document. `raw` is the same document as a JSON value, for `$ref`s that
/// point inside schemas.
pub fn lower(doc: &OpenAPI, raw: &Value, config: &Config, diags: &mut Diagnostics) -> Api {
    let empty = Default::default();
    let schemas = doc
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .unwrap_or(&empty);
    let keep_unknown = config.unknown_fields == crate::config::UnknownFields::Keep;
    let new_space = || {
        types::TypeSpace::new(
            schemas,
            raw,
            config.formats.clone(),
            keep_unknown,
            &config.names,
        )
    };
    // The first pass only finds where each inline structure appears (`sharing.rs`).
    let plan = {
        let mut space = new_space();
        space.record_sites();
        let mut scratch = Diagnostics::default();
        space.lower_components(&mut scratch);
        operations::lower_paths(
            doc,
            &config.operations,
            &mut space,
            &mut Vec::new(),
            &mut scratch,
        );
        lower_webhooks(raw, &mut space, &mut scratch);
        space.sharing_plan()
    };
    let mut space = new_space();
    space.follow_plan(plan);
    space.lower_components(diags);
    let mut skipped = Vec::new();
    let paths = operations::lower_paths(doc, &config.operations, &mut space, &mut skipped, diags);
    lower_webhooks(raw, &mut space, diags);
    for (at, problem) in space.rename_problems() {
        diags.error("codegen.toml#/names", format!("\"{at}\" {problem}"));
    }
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc
            .info
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        base_url: doc.servers.first().map(server_url),
        servers: Vec::new(),
        types: space.into_types(),
        paths,
        oauth2: None,
        mutual_tls: doc
            .components
            .iter()
            .flat_map(operations::mutual_tls_schemes)
            .map(str::to_owned)
            .collect(),
        skipped,
        header_sets: Vec::new(),
        features: Vec::new(),
    };
    api.header_sets = headers::assign(&mut api.paths);
    streams::plan(&mut api);
    multipart::plan(&mut api);
    // Operations taking an idempotency key send one on every call, and may be retried.
    for op in api.paths.iter_mut().flat_map(|g| &mut g.operations) {
        op.idempotency_header = op
            .params
            .iter()
            .find(|p| {
                p.location == crate::model::Location::Header
                    && matches!(p.ty, crate::model::Ty::String)
                    && (p.wire_name.eq_ignore_ascii_case("idempotency-key")
                        || config
                            .idempotency_header
                            .as_ref()
                            .is_some_and(|h| p.wire_name.eq_ignore_ascii_case(h)))
            })
            .map(|p| p.wire_name.to_ascii_lowercase());
    }
    api.servers = servers(doc, &api);
    if let Some(oauth2) = &config.oauth2 {
        let find = |key: &str, diags: &mut Diagnostics| {
            let found = api
                .paths
                .iter()
                .flat_map(|g| &g.operations)
                .find(|op| format!("{} {}", op.method.as_str(), op.path) == key);
            match found {
                Some(op)
                    if op.method == crate::model::Method::Post && op.path_params.is_empty() =>
                {
                    Some(op.path.clone())
                }
                Some(_) => {
                    diags.error(
                        "codegen.toml#/auth/oauth2",
                        format!("`{key}` must be a POST without path parameters"),
                    );
                    None
                }
                None => {
                    diags.error(
                        "codegen.toml#/auth/oauth2",
                        format!("`{key}` names no operation (write `POST /path`)"),
                    );
                    None
                }
            }
        };
        let token = find(&oauth2.token, diags);
        let revoke = oauth2.revoke.as_deref().and_then(|r| find(r, diags));
        api.oauth2 = token.map(|t| (t, revoke));
    }
    match &config.pagination {
        Some(pagination) => pagination::plan(&mut api, pagination, diags),
        // Without a configuration, each list operation's own shape says how it pages.
        None => pagination::detect(&mut api),
    }
    // An operation's `x-pagination` (an overlay may add it) says how it pages, whatever the
    // rest found.
    pagination::overrides(&mut api, raw, diags);
    features::assign(&mut api);
    homes::assign(&mut api);
    ergonomics::fixed_values(&mut api.types);
    ergonomics::mark_read(&mut api);
    ergonomics::one_way_fields(&mut api.types);
    api
}

/// The document's servers, then the ones its operations use, each once.
fn servers(doc: &OpenAPI, api: &Api) -> Vec<crate::model::Server> {
    let mut out: Vec<crate::model::Server> = Vec::new();
    let mut add = |server: &openapiv3::Server| {
        if out.iter().any(|s| s.url == server.url) {
            return;
        }
        let mut variables: Vec<crate::model::ServerVariable> = server
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| crate::model::ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                values: v.enumeration.clone(),
                description: v.description.clone().filter(|d| !d.trim().is_empty()),
            })
            .collect();
        // Only the variables the URL names.
        variables.retain(|v| server.url.contains(&format!("{{{}}}", v.name)));
        out.push(crate::model::Server {
            url: server.url.clone(),
            description: server.description.clone().filter(|d| !d.trim().is_empty()),
            variables,
        });
    };
    doc.servers.iter().for_each(&mut add);
    for (_, item) in doc.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        item.servers.iter().for_each(&mut add);
        for (_, op) in item.iter() {
            op.servers.iter().for_each(&mut add);
        }
    }
    // Only servers the client can reach: the document's own and those operations use.
    let used: Vec<&String> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|o| o.server.as_ref())
        .collect();
    let first = doc.servers.len();
    out.into_iter()
        .enumerate()
        .filter(|(i, s)| *i < first || used.contains(&&s.url))
        .map(|(_, s)| s)
        .collect()
}

/// A server URL with its variables replaced by their defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// OpenAPI 3.1 `webhooks`: requests the API sends to its users. They get no client methods,
/// but their bodies get types (`<Webhook>WebhookBody`), for the code that receives them.
fn lower_webhooks(raw: &Value, space: &mut types::TypeSpace, diags: &mut Diagnostics) {
    let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) else {
        return;
    };
    for (name, item) in webhooks {
        let at = crate::diagnostics::pointer("#/webhooks", name);
        let item: openapiv3::PathItem = match serde_json::from_value(item.clone()) {
            Ok(item) => item,
            Err(e) => {
                diags.degraded(
                    &at,
                    format!("not a path item, so its bodies get no types: {e}"),
                );
                continue;
            }
        };
        for (method, op) in item.iter() {
            let Some(openapiv3::ReferenceOr::Item(body)) = &op.request_body else {
                continue;
            };
            for (media, content) in &body.content {
                if let Some(schema) = &content.schema {
                    let hint = format!(
                        "{}Webhook{}",
                        names::pascal(name),
                        if method == "post" {
                            String::new()
                        } else {
                            names::pascal(method)
                        }
                    );
                    let schema_at = format!(
                        "{}/{method}/requestBody/content/{}/schema",
                        at,
                        crate::pointer::escape(media)
                    );
                    space.lower_unshared(schema, &format!("{hint}Body"), &schema_at, diags);
                }
            }
        }
    }
}
