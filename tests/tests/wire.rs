//! The wire behaviour of `tests/wire/wire.yaml`, end to end: its crate is built with warnings
//! denied and driven against a wiremock server on loopback by `tests/wire/check.rs`, which
//! asserts the exact requests; then checked with clippy and rustdoc, warnings denied.

mod common;

use generator::model::{Credential, Location};
use generator::Config;

fn wire_dir() -> std::path::PathBuf {
    xtask::workspace_root().join("tests/wire")
}

fn generate() -> generator::GeneratedCrate {
    let text = std::fs::read_to_string(wire_dir().join("wire.yaml")).unwrap();
    let config = Config {
        crate_name: "wire-client".into(),
        ..Default::default()
    };
    generator::generate(&text, &config).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn security_requirements_become_alternatives_of_credentials() {
    let generated = generate();
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    let ops: Vec<_> = generated
        .api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .collect();
    let security = |name: &str| {
        ops.iter()
            .find(|o| o.rust_name == name)
            .unwrap()
            .security
            .clone()
    };
    let key = |scheme: &str, location, name: &str| Credential::ApiKey {
        scheme: scheme.into(),
        location,
        name: name.into(),
    };
    assert_eq!(security("with_basic"), [vec![Credential::Basic]]);
    assert!(security("with_none").is_empty());
    assert_eq!(
        security("with_either"),
        [
            vec![Credential::Bearer],
            vec![key("appId", Location::Header, "x-app-id")]
        ]
    );
    assert_eq!(
        security("with_both"),
        [vec![
            key("appId", Location::Header, "x-app-id"),
            key("appKey", Location::Query, "app_key")
        ]]
    );
    assert_eq!(
        security("with_token"),
        [vec![Credential::Http("Token".into())]]
    );
    assert_eq!(
        security("with_optional"),
        [vec![Credential::Bearer], vec![]]
    );
    assert_eq!(security("with_oidc"), [vec![Credential::Bearer]]);
    // A client certificate is set on the connection: an operation that needs only one sends
    // nothing, one that needs a key besides sends the key; the crate's docs say how to set it.
    assert!(security("with_certificate").is_empty());
    assert_eq!(
        security("with_certificate_and_key"),
        [vec![key("appId", Location::Header, "x-app-id")]]
    );
    assert_eq!(generated.api.mutual_tls, ["certificate"]);
    let lib = &generated.files["src/lib.rs"];
    assert!(
        lib.contains("mutual TLS: `certificate`") && lib.contains("[`ClientBuilder::http_client`]"),
        "{lib}"
    );
    let server = |name: &str| {
        ops.iter()
            .find(|o| o.rust_name == name)
            .unwrap()
            .server
            .clone()
    };
    assert_eq!(server("with_none"), None);
    assert_eq!(
        server("upload").as_deref(),
        Some("https://uploads.example.com/u")
    );
    assert_eq!(
        server("staged").as_deref(),
        Some("http://127.0.0.1:{port}/{stage}")
    );
    // Pagination found per operation, or as `x-pagination` says.
    let paging = |name: &str| {
        ops.iter()
            .find(|o| o.rust_name == name)
            .unwrap()
            .pagination
            .clone()
    };
    let cursor = |name: &str| paging(name).and_then(|p| p.cursor_field).map(|(f, _)| f);
    assert_eq!(cursor("list_messages").as_deref(), Some("page_token"));
    assert_eq!(cursor("list_feed").as_deref(), Some("since"));
    assert!(paging("list_events").unwrap().by_link);
    assert_eq!(
        paging("list_numbered")
            .and_then(|p| p.page_field)
            .map(|(f, _)| f)
            .as_deref(),
        Some("page")
    );
    assert_eq!(
        paging("list_offsets")
            .and_then(|p| p.offset_field)
            .map(|(f, _)| f)
            .as_deref(),
        Some("offset")
    );
    assert_eq!(paging("list_unpaged"), None);
    assert_eq!(paging("get_unions"), None);
    let urls: Vec<&str> = generated
        .api
        .servers
        .iter()
        .map(|s| s.url.as_str())
        .collect();
    // The path item's server that its only operation overrides is not reachable.
    assert_eq!(
        urls,
        [
            "https://api.example.com/v1",
            "https://uploads.example.com/u",
            "http://127.0.0.1:{port}/{stage}",
            "/alt"
        ]
    );
}

#[test]
fn the_generated_crate_sends_them_on_the_wire() {
    let generated = generate();
    let workspace = common::Workspace::new(&["wire-client", "wire-check"]);
    workspace.write_crate("wire-client", &generated.files);
    let check = workspace.path().join("wire-check");
    std::fs::create_dir_all(check.join("src")).unwrap();
    std::fs::copy(wire_dir().join("check.rs"), check.join("src/main.rs")).unwrap();
    std::fs::write(
        check.join("Cargo.toml"),
        r#"[package]
name = "wire-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wire-client = { path = "../wire-client" }
futures-util = "0.3"
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
wiremock = "0.6"
"#,
    )
    .unwrap();
    let output = workspace.cargo(&["run", "--quiet", "--package", "wire-check"]);
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("wire: all checks passed"));
    let output = workspace.cargo(&[
        "clippy",
        "--quiet",
        "--package",
        "wire-client",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        output.status.success(),
        "clippy: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = workspace.cargo(&["doc", "--quiet", "--no-deps", "--package", "wire-client"]);
    assert!(
        output.status.success(),
        "rustdoc: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The guide in the crate docs: its examples use this crate's operations and compile.
    let lib = &generated.files["src/lib.rs"];
    let guide = &lib[lib
        .find("//! ## Guide")
        .expect("the crate docs have a guide")
        ..lib.find("//! ## Operations").unwrap()];
    for section in [
        "### A client",
        "### Calling an operation",
        "### Pages",
        "### Retries",
    ] {
        assert!(
            guide.contains(section),
            "no `{section}` in the guide:\n{guide}"
        );
    }
    // Every kind of credential the document declares is explained.
    for way in [
        "basic_auth",
        "bearer_token",
        "(\"appKey\", ..)",
        "the cookie `sid`",
    ] {
        assert!(
            guide.contains(way),
            "{way} missing from the guide:\n{guide}"
        );
    }
    let examples = guide.matches("//! ```rust,no_run").count();
    let output = workspace.cargo(&["test", "--quiet", "--doc", "--package", "wire-client"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "doctests: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // `no_run` examples are compiled and counted as passed; the runtime's one `ignore` is not.
    assert!(
        stdout.contains(&format!("test result: ok. {examples} passed")),
        "{examples} guide examples expected to compile: {stdout}"
    );
}
