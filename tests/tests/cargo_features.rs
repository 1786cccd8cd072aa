//! The generated crate compiles in parts: one cargo feature per tag of the document, each
//! compiling its operations and the types they reach, all on by default. Checked on the
//! Kajabi crate: a single group compiles warning-free and has its operations but not the
//! others', and so do no groups at all and the largest group. A file of one feature is
//! compiled as a whole, by the `cfg` of its module.

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

/// A module whose items are all compiled with the same features is compiled with them as a
/// whole (its declaration and its re-export carry the `cfg`, its items none, its rustdoc says
/// which); a module whose items differ keeps a `cfg` on each item.
#[test]
fn a_module_of_one_feature_is_compiled_as_a_whole() {
    let text = r##"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: { sort: { type: string, enum: [asc, desc] } }
    post:
      operationId: createThing
      tags: [admin]
      responses: { "204": { description: done } }
  /things/{id}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: "#/components/schemas/Thing" } } }
components:
  schemas:
    Thing:
      type: object
      properties: { id: { type: string } }
"##;
    let generated =
        generator::generate(text, &generator::Config::default()).unwrap_or_else(|d| panic!("{d}"));
    let file = |path: &str| {
        generated
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in {:?}", generated.files.keys()))
    };
    let cfg_lines = |text: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with("#[cfg("))
            .count()
    };
    let paths_mod = file("src/paths/mod.rs");
    let lib = file("src/lib.rs");

    // `/things/{id}`: one operation, of `things` alone.
    let one = file("src/paths/things_id.rs");
    assert_eq!(cfg_lines(one), 0, "{one}");
    assert!(
        one.contains("//! Compiled with the `things` feature."),
        "{one}"
    );
    assert!(
        paths_mod.contains("#[cfg(feature = \"things\")]\npub mod things_id;"),
        "{paths_mod}"
    );
    assert!(
        lib.contains("#[cfg(feature = \"things\")]\npub use paths::things_id::*;"),
        "{lib}"
    );

    // `/things`: operations of `things` and of `admin`, each item with its own `cfg`.
    let mixed = file("src/paths/things.rs");
    assert!(!mixed.contains("Compiled with"), "{mixed}");
    assert!(mixed.contains("#[cfg(feature = \"things\")]"), "{mixed}");
    assert!(mixed.contains("#[cfg(feature = \"admin\")]"), "{mixed}");
    assert!(
        paths_mod.contains("/// Operations on `/things`.\npub mod things;"),
        "{paths_mod}"
    );
    assert!(lib.contains("\npub use paths::things::*;"), "{lib}");

    // The types of one group's file, likewise.
    let things_types = generated
        .files
        .iter()
        .find(|(path, text)| path.starts_with("src/types/") && text.contains("pub struct Thing "))
        .map(|(_, text)| text)
        .expect("a file with `Thing`");
    assert_eq!(cfg_lines(things_types), 0, "{things_types}");
}
