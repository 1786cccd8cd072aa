//! The checked-in crate is what the document generates (rust-analyzer style drift check), and
//! every generated file is covered by a snapshot so a spec change shows up as a reviewable diff.

mod common;

use generator::write::{check, write_all};
use xtask::Job;

fn job() -> Job {
    Job::from_repository().unwrap_or_else(|e| panic!("codegen.toml: {e}"))
}

fn generate() -> generator::GeneratedCrate {
    job()
        .generate()
        .unwrap_or_else(|d| panic!("openapi.yaml does not generate:\n{d}"))
}

#[test]
fn generated_client_is_up_to_date() {
    let job = job();
    let generated = generate();
    let drift = check(&job.out, &generated.files).expect("generated-client is readable");
    if !drift.is_empty() {
        let list: Vec<String> = drift.iter().map(|d| format!("  {d}")).collect();
        panic!(
            "generated-client/ is stale:\n{}\nRun `cargo xtask codegen` and commit the result.",
            list.join("\n")
        );
    }
}

/// What the document itself declares: every operation and path item, and the parameters of
/// `GET /v1/customers` (its own and its path item's), read from openapi.yaml.
fn declared(job: &Job) -> (usize, usize, usize) {
    let text = std::fs::read_to_string(&job.spec).expect("openapi.yaml");
    let doc = generator::load::parse_document(&text).expect("openapi.yaml parses");
    let paths = doc["paths"].as_object().expect("paths");
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let operations = paths
        .values()
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum();
    let customers = &paths["/v1/customers"];
    let count = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len);
    let params = count(&customers["parameters"]) + count(&customers["get"]["parameters"]);
    (operations, paths.len(), params)
}

#[test]
fn every_operation_is_generated() {
    let (operations, path_items, params) = declared(&job());
    let generated = generate();
    let generated_ops: usize = generated.api.paths.iter().map(|g| g.operations.len()).sum();
    assert_eq!(
        generated_ops, operations,
        "operations generated vs declared in openapi.yaml"
    );
    assert_eq!(
        generated.api.paths.len(),
        path_items,
        "path modules vs path items"
    );
    let customers = generated
        .api
        .paths
        .iter()
        .find(|g| g.template == "/v1/customers")
        .expect("/v1/customers");
    assert_eq!(customers.module, "v1_customers");
    let list = &customers.operations[0];
    assert_eq!(list.rust_name, "list_customers");
    assert_eq!(
        list.params.len(),
        params,
        "parameters of list_customers vs those GET /v1/customers declares"
    );
    assert!(generated.files.contains_key("src/paths/v1_customers.rs"));
}

#[test]
fn generation_is_deterministic() {
    let a = generate();
    let b = generate();
    assert_eq!(a.files, b.files);
}

#[test]
fn snapshots_of_generated_files() {
    let generated = generate();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let mut changed = Vec::new();
    settings.bind(|| {
        for (path, contents) in &generated.files {
            if path.starts_with("src/runtime/")
                || path == "API_CHANGES.md"
                || path == "api-surface.json"
            {
                // The runtime is copied verbatim from generator/runtime, and the change report
                // depends on the crate's history; the drift check covers all three.
                continue;
            }
            // Every snapshot is compared (and a `.snap.new` written for each that changed)
            // before the test fails, so one run shows the whole change.
            let name = path.replace(['/', '.'], "_");
            let compared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                insta::assert_snapshot!(name, contents);
            }));
            if compared.is_err() {
                changed.push(path.clone());
            }
        }
    });
    // A snapshot of a file no longer generated is a stale expectation: say so, by name.
    let snapshots = xtask::workspace_root().join("tests/tests/snapshots");
    let names: std::collections::BTreeSet<String> = generated
        .files
        .keys()
        .map(|path| format!("{}.snap", path.replace(['/', '.'], "_")))
        .collect();
    let stale: Vec<String> = std::fs::read_dir(&snapshots)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".snap") && !names.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of files that are no longer generated (delete them): {stale:?}"
    );
    assert!(
        changed.is_empty(),
        "{} generated files differ from their snapshots:\n  {}\n\
         Review the diffs above; accept them all with \
         `INSTA_UPDATE=always cargo test -p codegen-tests --test codegen` and read `git diff tests/tests/snapshots`.",
        changed.len(),
        changed.join("\n  ")
    );
}

#[test]
fn writing_replaces_the_whole_directory_and_removes_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    std::fs::create_dir_all(out.join("src/paths")).unwrap();
    std::fs::write(out.join("src/paths/gone.rs"), "old").unwrap();
    let generated = generate();
    write_all(&out, &generated.files).unwrap();
    assert!(!out.join("src/paths/gone.rs").exists());
    assert!(check(&out, &generated.files).unwrap().is_empty());
    // Nothing is left beside the output directory.
    let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
}

#[test]
fn a_failed_write_leaves_the_old_crate_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.rs"), "old").unwrap();
    let mut files = std::collections::BTreeMap::new();
    files.insert("src/lib.rs".to_owned(), "new".to_owned());
    files.insert("../escape.rs".to_owned(), "evil".to_owned());
    assert!(write_all(&out, &files).is_err());
    assert_eq!(std::fs::read_to_string(out.join("keep.rs")).unwrap(), "old");
    assert!(!out.join("src/lib.rs").exists());
    assert!(!dir.path().join("escape.rs").exists());
}

#[test]
fn check_names_stale_missing_and_extra_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let mut files = std::collections::BTreeMap::new();
    files.insert("a.rs".to_owned(), "a".to_owned());
    files.insert("b.rs".to_owned(), "b".to_owned());
    write_all(&out, &files).unwrap();
    std::fs::write(out.join("a.rs"), "edited").unwrap();
    std::fs::remove_file(out.join("b.rs")).unwrap();
    std::fs::write(out.join("c.rs"), "extra").unwrap();
    let drift: Vec<String> = check(&out, &files)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        drift,
        [
            "a.rs: differs from what the document generates",
            "b.rs: would be generated but is missing",
            "c.rs: is no longer generated"
        ]
    );
}

#[test]
fn an_edited_overlay_makes_the_checked_in_crate_stale() {
    let mut job = job();
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("openapi.overlay.yaml");
    let text = std::fs::read_to_string(&job.overlays[0]).unwrap();
    std::fs::write(
        &edited,
        text.replace("minimum: 1", "minimum: 1\n      format: int32"),
    )
    .unwrap();
    job.overlays = vec![edited];
    let generated = job.generate().unwrap();
    let drift: Vec<String> = check(&job.out, &generated.files)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        drift.contains(
            &"src/paths/v1_customers.rs: differs from what the document generates".to_owned()
        ),
        "{drift:?}"
    );
}

#[test]
fn the_overlay_is_applied_and_reported() {
    let generated = generate();
    let id = |n: &str| common::type_id(&generated.api, n);
    let applied = &generated.overlays[0];
    assert_eq!(applied.name, "openapi.overlay.yaml");
    let counts: Vec<usize> = applied.actions.iter().map(|(_, n)| *n).collect();
    // 19 list responses get links and meta; 17 of them had incomplete links; 41 page
    // parameters; 32 sparse fieldsets.
    assert_eq!(counts[..8], [1, 17, 19, 2, 1, 1, 41, 32]);
    // The JSON:API building blocks: each action changed something, and afterwards no
    // struct but the components themselves is a relationship written out again.
    assert!(counts[8..].iter().all(|n| *n > 0), "{counts:?}");
    let field_tys = |def: &generator::model::TypeDef| match &def.kind {
        generator::model::TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.ty.clone()))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let named = |n: &str| {
        let def = generated.api.types.named(n);
        def.map(|d| generator::model::Ty::Named(d.id).option())
    };
    for def in &generated.api.types {
        let fields = field_tys(def);
        let data_only = fields.len() == 1 && fields[0].0 == "data";
        for block in ["ResourceIdentifier", "ResourceIdentifiers"] {
            if data_only && Some(&fields[0].1) == named(block).as_ref() {
                assert!(
                    ["ToOneRelationship", "ToManyRelationship"].contains(&def.name.as_str()),
                    "{} is a relationship of its own",
                    def.name
                );
            }
        }
    }
    let customers = generated
        .api
        .paths
        .iter()
        .find(|g| g.template == "/v1/customers")
        .unwrap();
    let list = &customers.operations[0];
    let page = list
        .params
        .iter()
        .find(|p| p.wire_name == "page[number]")
        .unwrap();
    assert_eq!(page.ty, generator::model::Ty::I64);
    let sort = list.params.iter().find(|p| p.wire_name == "sort").unwrap();
    assert_eq!(
        sort.ty,
        generator::model::Ty::Named(id("ListCustomersSort"))
    );
}

#[test]
fn rewriting_keeps_unchanged_files_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let mut files = std::collections::BTreeMap::new();
    files.insert("same.rs".to_owned(), "same".to_owned());
    files.insert("changed.rs".to_owned(), "old".to_owned());
    write_all(&out, &files).unwrap();
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    for name in ["same.rs", "changed.rs"] {
        let file = std::fs::File::options()
            .write(true)
            .open(out.join(name))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    files.insert("changed.rs".to_owned(), "new".to_owned());
    write_all(&out, &files).unwrap();
    let modified = |name: &str| {
        std::fs::metadata(out.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    assert_eq!(
        modified("same.rs"),
        old,
        "an unchanged file is not rewritten"
    );
    assert_ne!(modified("changed.rs"), old);
    assert_eq!(
        std::fs::read_to_string(out.join("changed.rs")).unwrap(),
        "new"
    );
    assert!(check(&out, &files).unwrap().is_empty());
}
