//! The client guide at the top of the crate documentation: making a client with the
//! document's credentials, calling an operation, telling errors apart, walking pages, and
//! retries and timeouts. Its examples use the crate's own operations, chosen from the model,
//! and are doctests (`no_run`), so `cargo test` compiles them against the crate they document.

use crate::lower::names::status_name;
use crate::model::{Api, Credential, Location, Operation, Ty};

/// The guide, as Markdown for the crate's inner docs.
pub(crate) fn guide(api: &Api, krate: &str) -> String {
    let mut text = String::from("\n## Guide\n");
    text.push_str(&client_section(api, krate));
    let callable: Vec<(&Operation, String)> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| Some((op, call_args(op)?)))
        .collect();
    // The first operation that documents an error shows calls and errors; else the first.
    let shown = callable
        .iter()
        .find(|(op, _)| op.error_responses().next().is_some())
        .or(callable.first());
    if let Some((op, args)) = shown {
        text.push_str(&call_section(op, args, krate));
        if op.error_responses().next().is_some() {
            text.push_str(&error_section(op, args, krate));
        }
    }
    if let Some((op, args)) = callable.iter().find(|(op, _)| op.pagination.is_some()) {
        text.push_str(&pages_section(op, args, krate));
    }
    text.push_str(&retry_section(krate));
    wrap_prose(&text, 96)
}

/// Paragraphs and list items broken into lines of at most `width` characters (a word longer
/// than that stays whole); code blocks as they are.
fn wrap_prose(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code || line.starts_with("```") || line.chars().count() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&current);
                out.push('\n');
                current = indent.to_owned();
            } else if !current.is_empty() && current != indent {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// The credentials the operations ask for, each once, in the order first met.
fn credentials(api: &Api) -> Vec<&Credential> {
    let mut seen: Vec<&Credential> = Vec::new();
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        for credential in op.security.iter().flatten() {
            if !seen.contains(&credential) {
                seen.push(credential);
            }
        }
    }
    seen
}

fn client_section(api: &Api, krate: &str) -> String {
    let credentials = credentials(api);
    let api_keys = credentials
        .iter()
        .filter(|c| matches!(c, Credential::ApiKey { .. }))
        .count();
    let mut ways: Vec<(String, String)> = Vec::new();
    if let Some((token, _)) = &api.oauth2 {
        ways.push((
            ".oauth2_client_credentials(\"client-id\", \"client-secret\")".into(),
            format!(
                "[`oauth2_client_credentials`](ClientBuilder::oauth2_client_credentials): tokens \
                 from the API's own `POST {}`, refreshed before they expire",
                token.replace('`', "'")
            ),
        ));
    }
    for credential in &credentials {
        let way = match credential {
            Credential::Bearer | Credential::Http(_) => (
                ".bearer_token(std::env::var(\"API_TOKEN\")?)".into(),
                "[`bearer_token`](ClientBuilder::bearer_token): a token you have; \
                 [`token_provider`](ClientBuilder::token_provider) for tokens that change"
                    .into(),
            ),
            Credential::Basic => (
                ".basic_auth(\"user\", std::env::var(\"API_PASSWORD\")?)".into(),
                "[`basic_auth`](ClientBuilder::basic_auth): `Authorization: Basic`".into(),
            ),
            Credential::ApiKey {
                scheme,
                location,
                name,
            } => {
                let place = match location {
                    Location::Query => "query parameter",
                    Location::Cookie => "cookie",
                    Location::Header | Location::Path => "header",
                };
                let name = name.replace('`', "'");
                if api_keys == 1 {
                    (
                        ".api_key(std::env::var(\"API_KEY\")?)".into(),
                        format!(
                            "[`api_key`](ClientBuilder::api_key): sent as the {place} `{name}`"
                        ),
                    )
                } else {
                    (
                        format!(".api_key_for({scheme:?}, std::env::var(\"API_KEY\")?)"),
                        format!(
                            "[`api_key_for`](ClientBuilder::api_key_for)`({scheme:?}, ..)`: \
                             sent as the {place} `{name}`"
                        ),
                    )
                }
            }
        };
        if !ways.iter().any(|(call, _)| *call == way.0) {
            ways.push(way);
        }
    }
    let mut text = String::from(
        "\n### A client\n\n\
         [`Client::builder`] makes a client; clones share its connections, credentials and \
         settings. Requests go to the document's first server ([`DEFAULT_BASE_URL`]) unless \
         [`ClientBuilder::base_url`] names another.",
    );
    match ways.first() {
        None if api.mutual_tls.is_empty() => {
            text.push_str(" The document's operations ask for no credentials.\n")
        }
        None => text.push('\n'),
        Some((call, _)) => {
            text.push_str(
                " Each request sends the credentials its operation's `security` asks for, and \
                 only those:\n\n",
            );
            for (_, how) in &ways {
                text.push_str(&format!("- {how}\n"));
            }
            text.push_str(&format!(
                "\n```rust,no_run\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
                 let client = {krate}::Client::builder()\n    {call}\n    .build()?;\n\
                 # let _ = client;\n# Ok(())\n# }}\n```\n"
            ));
        }
    }
    if !api.mutual_tls.is_empty() {
        let schemes: Vec<String> = api
            .mutual_tls
            .iter()
            .map(|s| format!("`{}`", s.replace('`', "'")))
            .collect();
        text.push_str(&format!(
            "\nThe API authenticates clients by certificate (mutual TLS: {}): build a \
             `reqwest::Client` that presents yours (`reqwest::ClientBuilder::identity`, with the \
             TLS features of `reqwest` that it needs) and give it to \
             [`ClientBuilder::http_client`].\n",
            schemes.join(", ")
        ));
    }
    text
}

/// The arguments of a call that needs nothing a reader would have to make up: path
/// parameters that are strings or integers, no required parameter, no body; `None` otherwise.
fn call_args(op: &Operation) -> Option<String> {
    if op.body.is_some() || op.stream.as_ref().is_some_and(|s| s.only) {
        return None;
    }
    if op.params.iter().any(|p| p.required) {
        return None;
    }
    let mut args: Vec<String> = Vec::new();
    for p in &op.path_params {
        args.push(match p.ty {
            Ty::String => format!("\"{}\"", p.rust_name.replace('_', "-")),
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "1".into(),
            _ => return None,
        });
    }
    if !op.params.is_empty() {
        args.push("&Default::default()".into());
    }
    Some(args.join(", "))
}

/// Compiled only where the operation is: with some groups of operations off, the example
/// of one that is off is empty.
fn cfg_line(op: &Operation) -> String {
    match op.features.as_slice() {
        [] => String::new(),
        [one] => format!("# #[cfg(feature = \"{one}\")]\n"),
        features => {
            let any: Vec<String> = features
                .iter()
                .map(|f| format!("feature = \"{f}\""))
                .collect();
            format!("# #[cfg(any({}))]\n", any.join(", "))
        }
    }
}

fn call_section(op: &Operation, args: &str, krate: &str) -> String {
    let name = &op.rust_name;
    format!(
        "\n### Calling an operation\n\n\
         Each operation is a method of [`Client`] ([listed below](#operations)). It takes the path \
         parameters, then a struct of the query, header and cookie parameters (`Default` when \
         none is required, else `new` with the required ones; a setter per parameter), then \
         the body, and returns the decoded body of the success response. \
         `{name}_with_response` also gives the status and headers ([`ResponseValue`]).\n\n\
         ```rust,no_run\n{cfg}# async fn example(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let response = client.{name}({args}).await?;\n\
         println!(\"{{response:?}}\");\n# Ok(())\n# }}\n```\n",
        cfg = cfg_line(op),
    )
}

fn error_section(op: &Operation, args: &str, krate: &str) -> String {
    let name = &op.rust_name;
    let error = op.error_enum_name();
    let Some(first) = op.error_responses().next() else {
        return String::new();
    };
    let variant = status_name(first.status);
    let pattern = match first.body_ty() {
        Ty::Unit => format!("{error}::{variant}"),
        _ => format!("{error}::{variant}(body)"),
    };
    let shown = match first.body_ty() {
        Ty::Unit => format!("eprintln!(\"{variant}\")"),
        _ => format!("eprintln!(\"{variant}: {{body:?}}\")"),
    };
    format!(
        "\n### Errors\n\n\
         A call fails with [`Error`]`<E>`, `E` being the operation's own enum of the error \
         responses it documents (`{error}`), each status a variant holding its decoded body. \
         [`Error::api_error`] gives that value; [`Error::status`] the status of any response. \
         The other variants say what else went wrong: a status the operation does not \
         document (body kept), a body that did not decode (with the JSON path), the \
         connection, a timeout, the credentials, a request that could not be built (nothing \
         sent). All of them implement `Display` and `std::error::Error`.\n\n\
         ```rust,no_run\n{cfg}# async fn example(client: {krate}::Client) {{\n\
         use {krate}::{{Error, {error}}};\n\n\
         match client.{name}({args}).await {{\n    \
             Ok(response) => println!(\"{{response:?}}\"),\n    \
             Err(Error::Api(e)) => match &e.error {{\n        \
                 {pattern} => {shown},\n        \
                 // The enum is `#[non_exhaustive]`: a later document may add statuses.\n        \
                 other => eprintln!(\"{{}}: {{other}}\", e.status),\n    \
             }},\n    \
             Err(other) => eprintln!(\"failed (status {{:?}}): {{other}}\", other.status()),\n\
         }}\n# }}\n```\n",
        cfg = cfg_line(op),
    )
}

fn pages_section(op: &Operation, args: &str, krate: &str) -> String {
    let Some(pages) = &op.pagination else {
        return String::new();
    };
    let method = &pages.method;
    format!(
        "\n### Pages\n\n\
         A list that comes in pages has a second method, `<operation>_pages`, returning a \
         [`Pages`] stream that fetches one page after the other as it is read and ends after \
         the last; [`Pages::items`] gives the items one by one. `.max_pages(n)` and \
         `.items().max_items(n)` stop early; the first error ends the stream after it is \
         yielded. Both are `futures::Stream`s, and have a `next` method of their own.\n\n\
         ```rust,no_run\n{cfg}# async fn example(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let mut items = client.{method}({args}).items().max_items(500);\n\
         while let Some(item) = items.next().await {{\n    \
             println!(\"{{:?}}\", item?);\n\
         }}\n# Ok(())\n# }}\n```\n",
        cfg = cfg_line(op),
    )
}

fn retry_section(krate: &str) -> String {
    format!(
        "\n### Retries, timeouts and options per call\n\n\
         Idempotent requests (and those that send an idempotency key) are tried again after a \
         429, 502, 503 or 504 or a connection failure, with exponential backoff and jitter or \
         as long as `Retry-After` says ([`RetryPolicy`]: 3 retries by default). Each attempt \
         has 60 s, connecting 10 s. Set both for the client, or for some calls with a client \
         that shares everything else: `with_options` ([`RequestOptions`]: retry policy, \
         timeout, extra headers and query parameters, an idempotency key), or its shorthands \
         `with_retry` and `with_timeout`.\n\n\
         ```rust,no_run\n# fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use std::time::Duration;\n\
         use {krate}::{{Client, RequestOptions, RetryPolicy}};\n\n\
         let client = Client::builder()\n    \
             .retry(RetryPolicy {{ max_retries: 5, max_backoff: Duration::from_secs(30), ..RetryPolicy::default() }})\n    \
             .timeout(Duration::from_secs(20))\n    \
             .build()?;\n\
         // One attempt only, with more time, and a header of its own.\n\
         let patient = client.with_options(\n    \
             RequestOptions::new()\n        \
                 .retry(RetryPolicy::disabled())\n        \
                 .timeout(Duration::from_secs(120))\n        \
                 .header(\"x-request-id\", \"r-42\"),\n\
         );\n\
         # let _ = patient;\n# Ok(())\n# }}\n```\n\n\
         Each call is a `tracing` span `request` (method, path template, status, attempts, \
         duration); retries are `debug` events. Credentials never appear in `Debug` output, \
         errors or traces.\n"
    )
}
