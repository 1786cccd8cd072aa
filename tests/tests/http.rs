//! The HTTP layer of `tests/http/http.yaml`, end to end: its crate is built with warnings
//! denied and driven against a wiremock server on loopback by `tests/http/check.rs`; then
//! checked with clippy and rustdoc, warnings denied.

mod common;

use generator::model::Ty;
use generator::Config;

fn http_dir() -> std::path::PathBuf {
    xtask::workspace_root().join("tests/http")
}

fn generate() -> generator::GeneratedCrate {
    let text = std::fs::read_to_string(http_dir().join("http.yaml")).unwrap();
    let config = Config {
        crate_name: "http-client".into(),
        ..Default::default()
    };
    generator::generate(&text, &config).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn declared_response_headers_become_shared_typed_sets() {
    let generated = generate();
    // The only warnings: the bodies declared where HTTP allows none, each at its place.
    let warned: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        warned,
        [
            "#/paths/~1repos~1{id}/delete/responses/204/content",
            "#/paths/~1repos~1{id}/head/responses/200/content"
        ],
        "{}",
        generated.warnings
    );
    let api = &generated.api;
    let set = |op: &str| {
        let op = api
            .paths
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.rust_name == op)
            .unwrap();
        let name = op.headers.clone().unwrap();
        let set = api.header_sets.iter().find(|s| s.name == name).unwrap();
        let fields: Vec<(String, String, Ty)> = set
            .fields
            .iter()
            .map(|f| (f.rust_name.clone(), f.wire_name.clone(), f.ty.clone()))
            .collect();
        (name, fields)
    };
    let field = |rust: &str, wire: &str, ty: Ty| (rust.to_owned(), wire.to_owned(), ty);
    // The headers of every response of the operation, success and error, once each;
    // `Content-Type` left out.
    assert_eq!(
        set("create_item"),
        (
            "CreateItemHeaders".to_owned(),
            vec![
                field("location", "Location", Ty::String),
                field("e_tag", "ETag", Ty::String),
                field("rate_limit_remaining", "X-RateLimit-Remaining", Ty::I64),
                field("rate_limit_limit", "X-RateLimit-Limit", Ty::I64),
                field("rate_limit_reset", "X-RateLimit-Reset", Ty::F64),
            ]
        )
    );
    // The same headers in another order and case: one type, named for what they share.
    assert_eq!(set("get_limits").0, "RateLimitHeaders");
    assert_eq!(set("get_quota").0, "RateLimitHeaders");
    assert_eq!(set("list_repos").0, "LinkHeader");
    assert_eq!(set("search_repos").0, "LinkHeader");
    // Lists whose `Link` header names the next page are followed by it.
    let paging = |name: &str| {
        api.paths
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.rust_name == name)
            .unwrap()
            .pagination
            .clone()
            .unwrap()
    };
    let repos = paging("list_repos");
    assert!(repos.by_link && repos.response.is_none() && repos.next_link.is_none());
    let search = paging("search_repos");
    assert!(
        search.by_link
            && search.response.map(|id| api.types.name(id)) == Some("Found")
            && search.items_field == "items"
    );
}

#[test]
fn the_generated_crate_reads_responses_as_declared() {
    let generated = generate();
    let workspace = common::Workspace::new(&["http-client", "http-check"]);
    workspace.write_crate("http-client", &generated.files);
    let check = workspace.path().join("http-check");
    std::fs::create_dir_all(check.join("src")).unwrap();
    std::fs::copy(http_dir().join("check.rs"), check.join("src/main.rs")).unwrap();
    std::fs::write(
        check.join("Cargo.toml"),
        r#"[package]
name = "http-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
http-client = { path = "../http-client" }
async-trait = "0.1"
bytes = "1"
futures-util = "0.3"
http = "1"
reqwest = { version = "0.13", default-features = false }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt", "time"] }
wiremock = "0.6"
"#,
    )
    .unwrap();
    let output = workspace.cargo(&["run", "--quiet", "--package", "http-check"]);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("http: all checks passed"));
    let output = workspace.cargo(&[
        "clippy",
        "--quiet",
        "--package",
        "http-client",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        output.status.success(),
        "clippy: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = workspace.cargo(&["doc", "--quiet", "--no-deps", "--package", "http-client"]);
    assert!(
        output.status.success(),
        "rustdoc: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
