//! Step 4: the model becomes Rust tokens, one emitter per kind of output file.

pub mod docs;
mod guide;
mod headers;
mod paths;
mod types;

use std::collections::BTreeMap;

use crate::tokens::{quote, Ident, TokenStream};

use crate::format::{format_parts, Part, PREAMBLE};
use crate::model::{Api, Ty, TypeId, Types};
use crate::Config;
use docs::{doc_attrs, inner_doc_attrs};

/// The runtime, copied verbatim into every generated crate.
const RUNTIME: &[(&str, &str)] = &[
    ("src/runtime/mod.rs", include_str!("../../runtime/mod.rs")),
    ("src/runtime/auth.rs", include_str!("../../runtime/auth.rs")),
    ("src/runtime/body.rs", include_str!("../../runtime/body.rs")),
    (
        "src/runtime/client.rs",
        include_str!("../../runtime/client.rs"),
    ),
    (
        "src/runtime/encoding.rs",
        include_str!("../../runtime/encoding.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../runtime/error.rs"),
    ),
    (
        "src/runtime/multipart.rs",
        include_str!("../../runtime/multipart.rs"),
    ),
    (
        "src/runtime/options.rs",
        include_str!("../../runtime/options.rs"),
    ),
    (
        "src/runtime/ratelimit.rs",
        include_str!("../../runtime/ratelimit.rs"),
    ),
    (
        "src/runtime/pagination.rs",
        include_str!("../../runtime/pagination.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../../runtime/response.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../runtime/retry.rs"),
    ),
    ("src/runtime/sse.rs", include_str!("../../runtime/sse.rs")),
    (
        "src/runtime/stream.rs",
        include_str!("../../runtime/stream.rs"),
    ),
    (
        "src/runtime/tagged.rs",
        include_str!("../../runtime/tagged.rs"),
    ),
    (
        "src/runtime/unknown.rs",
        include_str!("../../runtime/unknown.rs"),
    ),
];

/// One generated source file still to be emitted.
#[derive(Clone, Copy)]
enum Unit {
    /// A file of `types`, by its index in `types::type_files`.
    TypeFile(usize),
    TypesMod,
    Lib,
    PathsMod,
    Headers,
    Path(usize),
}

/// Methods every `Client` has before any operation is added to it: those of the runtime's
/// `impl` blocks for `Client` (inherent or of a trait), read from the runtime's own source so
/// that an operation can never take the name of a method added there later, and those that
/// the standard library's blanket traits give every type. Read once per process.
pub fn client_methods() -> &'static [&'static str] {
    static METHODS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    METHODS.get_or_init(runtime_client_methods)
}

fn runtime_client_methods() -> Vec<&'static str> {
    // `new` too: a reader looks for a constructor under that name (the runtime's is `builder`);
    // and `Clone`'s, which `Client` derives.
    const BLANKET: &[&str] = &[
        "new",
        "clone",
        "clone_from",
        "borrow",
        "borrow_mut",
        "clone_into",
        "from",
        "into",
        "to_owned",
        "try_from",
        "try_into",
        "type_id",
    ];
    let mut methods: Vec<&'static str> = BLANKET.to_vec();
    for (_, text) in RUNTIME {
        let mut in_client = false;
        for line in text.lines() {
            if line.starts_with("impl") && line.ends_with('{') {
                let header = line.trim_end_matches('{').trim_end();
                in_client = header == "impl Client" || header.ends_with(" for Client");
            } else if line == "}" {
                in_client = false;
            } else if in_client {
                // `    pub async fn name(` and the like, at the block's own indentation.
                let Some(item) = line.strip_prefix("    ") else {
                    continue;
                };
                let item = item.strip_prefix("pub(crate) ").unwrap_or(item);
                let item = item.strip_prefix("pub ").unwrap_or(item);
                let item = item.strip_prefix("async ").unwrap_or(item);
                if let Some(rest) = item.strip_prefix("fn ") {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    methods.push(&rest[..end]);
                }
            }
        }
    }
    methods.sort_unstable();
    methods.dedup();
    methods
}

/// Every file of the generated crate, by path relative to the crate root.
///
/// Files are emitted and formatted on all cores: each is independent of the others, and
/// token building and formatting are most of the generator's time.
pub fn emit_crate(api: &Api, config: &Config) -> BTreeMap<String, String> {
    let type_files = types::type_files(api);
    // The largest files first, so that none finishes last.
    let mut by_size: Vec<usize> = (0..type_files.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(type_files[i].types.len()));
    let mut units: Vec<Unit> = by_size.into_iter().map(Unit::TypeFile).collect();
    units.extend([Unit::TypesMod, Unit::Lib, Unit::PathsMod]);
    if !api.header_sets.is_empty() {
        units.push(Unit::Headers);
    }
    units.extend((0..api.paths.len()).map(Unit::Path));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(units.len());
    let head = [PREAMBLE, "\n"].concat();
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(unit) = units.get(i) else {
                return done;
            };
            let (path, parts) = match *unit {
                Unit::TypeFile(i) => (
                    format!("src/types/{}.rs", type_files[i].module),
                    types::type_file_rs(api, &type_files[i]),
                ),
                Unit::TypesMod => (
                    "src/types/mod.rs".to_owned(),
                    vec![Part::always(types::types_mod_rs(&type_files))],
                ),
                Unit::Lib => (
                    "src/lib.rs".to_owned(),
                    vec![Part::always(lib_rs(api, config))],
                ),
                Unit::PathsMod => (
                    "src/paths/mod.rs".to_owned(),
                    vec![Part::always(paths::paths_mod_rs(api))],
                ),
                Unit::Headers => ("src/headers.rs".to_owned(), headers::headers_rs(api)),
                Unit::Path(g) => {
                    let group = &api.paths[g];
                    (
                        format!("src/paths/{}.rs", group.module),
                        paths::path_module(api, group),
                    )
                }
            };
            done.push((path, format_parts(&head, parts)));
        }
    };
    let results: Vec<(String, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for handle in handles {
            match handle.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    let mut files: BTreeMap<String, String> = results.into_iter().collect();
    for (path, text) in RUNTIME {
        files.insert((*path).to_owned(), [PREAMBLE, "\n", text].concat());
    }
    files.insert("Cargo.toml".into(), cargo_toml(api, config));
    files
}

/// The `#[cfg(..)]` of an item compiled by any of `features`; `None` when it always is.
pub(crate) fn cfg_attr(features: &[String]) -> Option<TokenStream> {
    match features {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// The features that compile every item of a file, when they are the same for all of them
/// (and some): the file's module is then compiled with them, once, rather than each item.
pub(crate) fn one_cfg<'a>(mut items: impl Iterator<Item = &'a [String]>) -> Option<&'a [String]> {
    let first = items.next().filter(|f| !f.is_empty())?;
    items.all(|f| f == first).then_some(first)
}

/// "the `pulls` feature", "any of the features `a`, `b`".
pub(crate) fn features_phrase(features: &[String]) -> String {
    match features {
        [one] => format!("the `{one}` feature"),
        many => format!(
            "any of the features {}",
            many.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name)
}

/// Where the generated code names types from: the table that has their names, and the path
/// to the types module (`crate::types::`, `super::`, nothing) from that place. Written into
/// `quote!` it is the path.
#[derive(Clone)]
pub(crate) struct TyPath<'a> {
    pub defs: &'a Types,
    pub prefix: TokenStream,
}

impl<'a> TyPath<'a> {
    pub fn new(defs: &'a Types, prefix: TokenStream) -> Self {
        TyPath { defs, prefix }
    }

    /// The path of a generated type.
    pub fn named(&self, id: TypeId) -> TokenStream {
        let prefix = &self.prefix;
        let name = ident(self.defs.name(id));
        quote!(#prefix #name)
    }
}

impl crate::tokens::ToTokens for TyPath<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.prefix.to_tokens(tokens)
    }
}

/// The tokens of a type, written from the place `types` says.
pub(crate) fn ty_tokens(ty: &Ty, types: &TyPath) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::U32 => quote!(u32),
        Ty::U64 => quote!(u64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(String),
        Ty::Bytes => quote!(bytes::Bytes),
        Ty::Upload => quote!(crate::Upload),
        Ty::ByteStream => quote!(crate::ByteStream),
        Ty::Value => quote!(serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Named(id) => types.named(*id),
        Ty::Vec(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) if **inner == Ty::Value => {
            quote!(serde_json::Map<String, serde_json::Value>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Box<#inner>)
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(|t| ty_tokens(t, types));
            quote!((#(#items,)*))
        }
    }
}

fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let mut doc = format!("# {} (API version {})\n", api.title, api.version);
    if let Some(description) = &api.description {
        doc.push('\n');
        doc.push_str(description);
        doc.push('\n');
    }
    let docs = inner_doc_attrs(&doc);
    let index = docs::raw_inner_doc_attrs(&operation_index(api));
    let guide = docs::raw_inner_doc_attrs(&guide::guide(api, &config.crate_name.replace('-', "_")));
    let base_url = api.base_url.clone().unwrap_or_default();
    let base_doc = if api.base_url.is_some() {
        "The first server URL the API document lists; see [`ClientBuilder::base_url`] to use another."
    } else {
        "The API document lists no server: set one with [`ClientBuilder::base_url`]."
    };
    let oauth2 = api.oauth2.as_ref().map(|(token, revoke)| {
        let revoke = match revoke {
            Some(r) => quote!(Some(#r)),
            None => quote!(None),
        };
        let doc = format!(
            " Get bearer tokens from the API's OAuth 2.0 endpoint (`POST {token}`) with the\n client-credentials grant: fetched on first use, refreshed before they expire (with\n the refresh token, else the credentials again), renewed after a 401, one refresh\n shared by concurrent requests. [`Client::end_session`] revokes the session."
        );
        quote! {
            impl ClientBuilder {
                #[doc = #doc]
                pub fn oauth2_client_credentials(
                    self,
                    client_id: impl Into<String>,
                    client_secret: impl Into<Secret>,
                ) -> Self {
                    self.oauth2(#token, #revoke, client_id.into(), client_secret.into())
                }
            }
        }
    });
    let modules = api.paths.iter().map(|g| {
        let m = ident(&g.module);
        let cfg = paths::module_cfg(api, g).and_then(cfg_attr);
        quote!(#cfg pub use paths::#m::*;)
    });
    let servers = servers_items(api);
    let template = api
        .servers
        .first()
        .map(|s| s.url.clone())
        .unwrap_or_else(|| base_url.clone());
    let headers =
        (!api.header_sets.is_empty()).then(|| quote! { #[rustfmt::skip] pub mod headers; });
    // With only some groups of operations compiled, parts of the runtime and imports that
    // only the others use are idle: not a mistake in the user's build.
    let partial = (!api.features.is_empty()).then(|| {
        let names = api.features.iter().map(|f| &f.name);
        quote! {
            #![cfg_attr(not(all(#(feature = #names),*)), allow(dead_code, unused_imports))]
        }
    });
    quote! {
        #docs
        #guide
        #index
        #![forbid(unsafe_code)]
        // What the document deprecates is deprecated for the crate's users; the crate itself
        // still builds, decodes and sends it.
        #![allow(deprecated)]
        // Types are as nested as the document makes them (a map of lists of maps, in a field,
        // a getter, a response): spelled out where they are used rather than aliased.
        #![allow(clippy::type_complexity)]
        #partial
        // The generator formats the crate itself, and `cargo xtask codegen --check` compares it
        // byte for byte: rustfmt leaves it as it is.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #headers
        // Each path's module is re-exported here: its items are documented once, at the root.
        // (Nor the modules' files: the crate-level attribute does not reach them.)
        #[rustfmt::skip]
        mod paths;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        mod runtime;

        pub use runtime::{
            ApiError, AuthError, Body, ByteStream, Client, ClientBuilder, DecodeError, Error, Event, EventStream,
            FromHeaders, InvalidRequest, Items, JsonLines, OAuth2Provider, OperationInfo, Page, PageInfo, Pages,
            ParamValue, RateLimitPolicy, RequestOptions, ResponseValue, RetryPolicy, Secret, StaticToken,
            StreamError, Upload, TokenFuture, TokenProvider, UnexpectedResponse, UnknownValue,
        };
        /// The middleware crate [`ClientBuilder::middleware`] takes middleware of.
        pub use reqwest_middleware;
        #(#modules)*

        #[doc = #base_doc]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The first server URL as the document writes it, `{variables}` and all.
        pub(crate) const BASE_URL_TEMPLATE: &str = #template;

        #servers

        #oauth2
    }
}

/// The crate documentation's index of operations: each method with its HTTP method and path,
/// and the methods that go with it (pages, streams).
fn operation_index(api: &Api) -> String {
    let mut text = String::from(
        "\n## Operations\n\nEach method `m` but a stream's also has `m_with_response`, which gives the status and headers\n\
         with the body ([`ResponseValue`]).\n\n| HTTP | method | summary | also |\n|---|---|---|---|\n",
    );
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        let link = |name: &str| format!("[`{name}`](Client::{name})");
        let only_stream = op.stream.as_ref().is_some_and(|s| s.only);
        let main = match &op.stream {
            Some(stream) if only_stream => link(&stream.method),
            _ => link(&op.rust_name),
        };
        let mut also: Vec<String> = Vec::new();
        if let (false, Some(stream)) = (only_stream, &op.stream) {
            also.push(link(&stream.method));
        }
        if let Some(pages) = &op.pagination {
            also.push(link(&pages.method));
        }
        let path = op.path.replace('`', "'").replace('|', "\\|");
        text.push_str(&format!(
            "| `{} {path}` | {main} | {} | {} |\n",
            op.method.as_str(),
            index_summary(op),
            also.join(", ")
        ));
    }
    text
}

/// An operation's summary (or the first sentence of its description) for one table cell:
/// one line, no table syntax, at most about 100 characters; deprecation said.
fn index_summary(op: &crate::model::Operation) -> String {
    let text = op
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            let d = op.description.as_deref()?;
            d.split_inclusive(". ").next().or(d.lines().next())
        })
        .unwrap_or_default();
    let mut line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|");
    if line.chars().count() > 100 {
        line = line
            .chars()
            .take(99)
            .collect::<String>()
            .trim_end()
            .to_owned()
            + "…";
    }
    let line = docs::sanitize(&line);
    match op.deprecated {
        true if line.is_empty() => "(deprecated)".to_owned(),
        true => format!("{line} (deprecated)"),
        false => line,
    }
}

/// The `servers` module (a constant per server, an enum per server variable with listed
/// values), the variables' defaults, and a typed `ClientBuilder::server_<variable>` setter
/// for each variable.
fn servers_items(api: &Api) -> TokenStream {
    use crate::lower::names::{pascal, snake, Scope};
    let mut consts = Scope::default();
    let mut items = Vec::new();
    for (i, server) in api.servers.iter().enumerate() {
        let readable: String = server
            .url
            .split_once("://")
            .map_or(server.url.as_str(), |(_, rest)| rest)
            .to_owned();
        let mut name = snake(&readable).trim_matches('_').to_ascii_uppercase();
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("SERVER_{name}");
        }
        let name = ident(&consts.claim(name));
        let url = &server.url;
        let description = doc_attrs(
            server
                .description
                .as_deref()
                .unwrap_or("A server of the API."),
        );
        let note = if i == 0 && api.base_url.is_some() {
            format!(
                "\n`{url}`: the base URL, unless [`crate::ClientBuilder::base_url`] gives another."
            )
        } else {
            format!(
                "\n`{url}`; [`crate::ClientBuilder::server_url`] sends its operations elsewhere."
            )
        };
        let note = docs::raw_doc_attrs(&note);
        let doc = quote!(#description #note);
        items.push(quote!(#doc pub const #name: &str = #url;));
    }
    // Each variable once, by name (the first server that has it gives its default).
    let mut variables: Vec<&crate::model::ServerVariable> = Vec::new();
    for v in api.servers.iter().flat_map(|s| &s.variables) {
        if !variables.iter().any(|w| w.name == v.name) {
            variables.push(v);
        }
    }
    let defaults = variables.iter().map(|v| {
        let (name, default) = (&v.name, &v.default);
        quote!((#name, #default))
    });
    let mut types = Scope::for_types();
    let mut setters = Vec::new();
    for v in &variables {
        let name = &v.name;
        let setter = ident(&format!("server_{}", snake(name)));
        let mut doc = format!("The `{name}` server variable (default `{}`).", v.default);
        if let Some(d) = &v.description {
            doc = format!("{doc}\n\n{d}");
        }
        let doc = doc_attrs(&doc);
        if v.values.is_empty() {
            setters.push(quote! {
                #doc
                pub fn #setter(self, value: impl Into<String>) -> Self {
                    self.server_variable(#name, value)
                }
            });
            continue;
        }
        let enum_name = ident(&types.claim(pascal(name)));
        let mut variant_names = Scope::default();
        let variants: Vec<(crate::tokens::Ident, &String)> = v
            .values
            .iter()
            .map(|value| {
                let n = pascal(value);
                let n = if n.is_empty() || n.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("V{n}")
                } else {
                    n
                };
                (ident(&variant_names.claim(n)), value)
            })
            .collect();
        let decl = variants.iter().map(|(n, value)| {
            let d = format!("`{value}`");
            quote!(#[doc = #d] #n)
        });
        let arms = variants.iter().map(|(n, value)| quote!(Self::#n => #value));
        let enum_doc = format!("The values of the `{name}` server variable.");
        items.push(quote! {
            #[doc = #enum_doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum #enum_name { #(#decl),* }

            impl #enum_name {
                /// The value as the URL holds it.
                pub fn as_str(self) -> &'static str {
                    match self { #(#arms),* }
                }
            }
        });
        setters.push(quote! {
            #doc
            pub fn #setter(self, value: servers::#enum_name) -> Self {
                self.server_variable(#name, value.as_str())
            }
        });
    }
    let setters = if setters.is_empty() {
        quote!()
    } else {
        quote!(impl ClientBuilder { #(#setters)* })
    };
    quote! {
        /// The servers the API document lists, and the values of their variables.
        pub mod servers {
            #(#items)*
        }

        /// The server variables and their defaults.
        pub(crate) const SERVER_VARIABLES: &[(&str, &str)] = &[#(#defaults),*];

        #setters
    }
}

/// One feature per group of operations, each compiling those operations and the types they
/// reach; all are on by default.
fn feature_table(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n# One feature per group of operations (the document's tags): each compiles its\n\
         # operations and the types they reach. All are on by default; with\n\
         # `default-features = false`, name the groups you call (and a TLS feature).\n",
    );
    for f in &api.features {
        let group = f.group.replace(['\n', '`'], " ");
        let what = match f.operations {
            0 => format!("# {group}."),
            1 => format!("# 1 operation: `{group}`."),
            n => format!("# {n} operations: `{group}`."),
        };
        out.push_str(&format!("{what}\n{} = []\n", f.name));
    }
    out
}

fn cargo_toml(api: &Api, config: &Config) -> String {
    let description = format!(
        "Client for {} {}, generated from its OpenAPI document.",
        api.title, api.version
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"");
    format!(
        r#"{preamble}
[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.85"
description = "{description}"
publish = false

[dependencies]
bytes = "1"
fastrand = "2"
futures-core = "0.3"
httpdate = "1"
percent-encoding = "2"
reqwest = {{ version = "0.13", default-features = false, features = ["http2", "stream"] }}
reqwest-middleware = "0.5"
rustls = {{ version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }}
serde = {{ version = "1", features = ["derive"] }}
# Objects keep their order: parameters built from structs are sent in field order.
serde_json = {{ version = "1", features = ["preserve_order"] }}
serde_path_to_error = "0.1"
tokio = {{ version = "1", features = ["fs", "io-util", "sync", "time"] }}
tracing = "0.1"

[features]
default = [{default}]
# HTTPS through rustls with the *ring* crypto provider: the quickest to build, and it builds
# wherever a C compiler does (no cmake, no assembler to install).
tls-ring = ["reqwest/rustls-no-provider", "dep:rustls"]
# HTTPS through rustls with aws-lc-rs (reqwest's default; FIPS-capable, needs cmake on some
# targets). Takes precedence over `tls-ring` when both are on.
tls-aws-lc = ["reqwest/rustls"]
# HTTPS through the platform's TLS library (OpenSSL, Schannel, Security.framework).
native-tls = ["reqwest/native-tls"]
{groups}"#,
        preamble = PREAMBLE.replace("//", "#"),
        default = std::iter::once("tls-ring")
            .chain(api.features.iter().map(|f| f.name.as_str()))
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", "),
        groups = feature_table(api),
        name = config.crate_name,
        version = config.crate_version,
    )
}

/// `#[deprecated(note = ...)]` for something the document marks `deprecated: true`: the note
/// is the sentence of its description that speaks of it, if one does.
pub(crate) fn deprecated_attr(doc: Option<&str>) -> TokenStream {
    let said = doc.and_then(|d| {
        d.split_inclusive(['.', '\n'])
            .map(str::trim)
            .find(|s| s.to_ascii_lowercase().contains("deprecat") && s.len() <= 300)
    });
    let note = match said {
        // A compiler warning shows the note as plain text: no Markdown emphasis.
        Some(sentence) => sentence.replace("**", "").replace("__", ""),
        None => "deprecated in the API's document".to_owned(),
    };
    quote!(#[deprecated(note = #note)])
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        let texts = [
            "",
            "plain text",
            " A line.\n\n Another, with `code` and 'quotes' and \"double\" ones.",
            "back\\slash, tab\t, return\r, bell\u{7}, delete\u{7f}",
            "nul\0 and nul\x007 before a digit, nul\x008 before one that is not octal",
            "curly “quotes”, an em dash — and é, 日本語",
            "combining e\u{301}, zero width\u{200b}joiner\u{200d}, soft\u{ad}hyphen",
            "line separator\u{2028}, bidi \u{202e}override, emoji 👍🏽",
        ];
        for text in texts {
            assert_eq!(
                crate::tokens::string_repr(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }
}
