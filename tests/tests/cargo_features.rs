//! The generated crate compiles in parts: one cargo feature per tag of the document, each
//! compiling its operations and the types they reach, all on by default. Checked on the
//! Kajabi crate: a single group compiles warning-free and has its operations but not the
//! others', and so do no groups at all and the largest group.

mod common;

fn kajabi() -> generator::GeneratedCrate {
    xtask::Job::from_repository()
        .unwrap()
        .generate()
        .unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn every_tag_is_a_feature_and_all_are_default() {
    let generated = kajabi();
    let cargo = &generated.files["Cargo.toml"];
    let doc = generator::load::parse_document(
        &std::fs::read_to_string(xtask::Job::from_repository().unwrap().spec).unwrap(),
    )
    .unwrap();
    // Every tag an operation of the document carries names a feature.
    let mut tags = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            for tag in op["tags"].as_array().into_iter().flatten() {
                tags.insert(tag.as_str().unwrap().to_owned());
            }
        }
    }
    let (groups, standalone): (Vec<_>, Vec<_>) = generated
        .api
        .features
        .iter()
        .partition(|f| f.operations > 0);
    assert_eq!(groups.len(), tags.len(), "{groups:?}");
    // The types no operation reaches have a feature of their own, when there are any.
    let unreached = generated
        .api
        .types
        .iter()
        .filter(|t| t.features == ["standalone-types"])
        .count();
    assert_eq!(
        standalone.len(),
        usize::from(unreached > 0),
        "{standalone:?}"
    );
    let default = cargo.lines().find(|l| l.starts_with("default = ")).unwrap();
    for feature in &generated.api.features {
        if feature.operations > 0 {
            assert!(tags.contains(&feature.group), "{feature:?}");
        }
        assert!(
            cargo.contains(&format!("\n{} = []\n", feature.name)),
            "{cargo}"
        );
        assert!(
            default.contains(&format!("\"{}\"", feature.name)),
            "{default}"
        );
    }
    let customers = generated
        .api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.rust_name == "list_customers")
        .unwrap();
    assert_eq!(customers.features, ["customers"]);
}

#[test]
fn one_group_compiles_alone_with_only_its_operations() {
    let generated = kajabi();
    let largest = generated
        .api
        .features
        .iter()
        .max_by_key(|f| f.operations)
        .unwrap()
        .name
        .clone();
    let workspace = common::Workspace::new(&["kajabi"]);
    let mut files = generated.files.clone();
    files.insert(
        "examples/customers_only.rs".into(),
        "fn main() {\n    let _ = kajabi_client::Client::list_customers;\n    let _ = kajabi_client::ListCustomersParams::default();\n}\n".into(),
    );
    files.insert(
        "examples/needs_contacts.rs".into(),
        "fn main() {\n    let _ = kajabi_client::Client::list_contacts;\n}\n".into(),
    );
    workspace.write_crate("kajabi", &files);
    let check = |features: &str, target: &[&str]| {
        let mut args = vec![
            "check",
            "--quiet",
            "-p",
            "kajabi-client",
            "--no-default-features",
        ];
        args.extend(["--features", features]);
        args.extend_from_slice(target);
        workspace.cargo(&args)
    };
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();

    let alone = check("tls-ring,customers", &["--example", "customers_only"]);
    assert!(
        alone.status.success(),
        "customers alone: {}",
        stderr(&alone)
    );
    let missing = check("tls-ring,customers", &["--example", "needs_contacts"]);
    assert!(
        !missing.status.success(),
        "list_contacts must not exist without `contacts`"
    );
    assert!(
        stderr(&missing).contains("list_contacts"),
        "{}",
        stderr(&missing)
    );
    for features in ["tls-ring", &format!("tls-ring,{largest}")] {
        let built = check(features, &["--lib"]);
        assert!(built.status.success(), "{features}: {}", stderr(&built));
    }
}
