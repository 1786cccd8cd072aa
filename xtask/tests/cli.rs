//! `cargo xtask codegen` as a user runs it: exit codes, what `--check` says, and that a
//! document with errors writes nothing.

use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = r#"
openapi: 3.1.0
info: { title: Tiny, version: "1" }
servers: [{ url: "https://example.test" }]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { name: { type: [string, "null"] } } }
"#;

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

fn codegen(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "tiny-client",
    ];
    args.extend_from_slice(extra);
    xtask(&args)
}

#[test]
fn generate_then_check_then_detect_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let out = dir.path().join("client");
    std::fs::write(&spec, SPEC).unwrap();

    let generated = codegen(&spec, &out, &[]);
    assert!(generated.status.success(), "{generated:?}");
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("https://example.test"));
    assert!(std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .contains("name = \"tiny-client\""));

    let clean = codegen(&spec, &out, &["--check"]);
    assert!(clean.status.success(), "{clean:?}");
    assert!(String::from_utf8_lossy(&clean.stdout).contains("No change to the API surface."));

    std::fs::write(&spec, SPEC.replace("getThing", "fetchThing")).unwrap();
    let stale = codegen(&spec, &out, &["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("src/paths/things_id.rs: differs"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask codegen`"), "{stderr}");
    // It says what regenerating would change in the API, and whether that breaks callers.
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert!(
        stdout.contains("What regenerating would change"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "### Breaking\n\n- `get_thing` (GET /things/{id}): method renamed to `fetch_thing`"
        ),
        "{stdout}"
    );
    assert!(stderr.contains("API_CHANGES.md: differs"), "{stderr}");
    // --check changed nothing.
    assert!(std::fs::read_to_string(out.join("src/paths/things_id.rs"))
        .unwrap()
        .contains("get_thing"));
}

#[test]
fn a_broken_document_writes_nothing_and_names_every_place() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let out = dir.path().join("client");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "old").unwrap();
    let broken = SPEC
        .replace(
            "{ type: [string, \"null\"] }",
            "{ $ref: '#/components/schemas/missing' }",
        )
        .replace("/things/{id}:", "/things/{id}/{other}:");
    std::fs::write(&spec, broken).unwrap();
    // With `--strict` every degradation is an error: nothing is written, every place named.
    let failed = codegen(&spec, &out, &["--strict"]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("#/components/schemas/missing"), "{stderr}");
    assert!(stderr.contains("`{other}` appears in the path"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let entries: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the old file remains");
    // Without it, the rest is generated and the run says what was degraded.
    let partial = codegen(&spec, &out, &[]);
    assert!(partial.status.success(), "{partial:?}");
    let stderr = String::from_utf8_lossy(&partial.stderr);
    assert!(stderr.contains("degraded: #/paths/~1things~1{id}~1{other}/get/responses/200/content/application~1json/schema/properties/name: `$ref: #/components/schemas/missing` names a schema that does not exist"), "{stderr}");
    assert!(
        stderr.contains("GET /things/{id}/{other} is not generated"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&partial.stdout)
            .contains("coverage: 0 operations generated fully, 0 degraded, 1 left out"),
        "{partial:?}"
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let out = xtask(&["codegen", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: cargo xtask codegen"));
}

/// A run whose inputs are those of the run that wrote the crate skips generation; any change
/// to an input, to a split document's other file, or to a generated file generates again.
#[test]
fn an_unchanged_run_regenerates_nothing_and_any_change_regenerates() {
    const SKIPPED: &str = "nothing regenerated";
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let out = dir.path().join("client");
    // A split document: the response schema lives in a file of its own.
    std::fs::write(
        &spec,
        SPEC.replace(
            "schema: { type: object, properties: { name: { type: [string, \"null\"] } } }",
            "schema: { $ref: thing.yaml }",
        ),
    )
    .unwrap();
    let thing = dir.path().join("thing.yaml");
    std::fs::write(
        &thing,
        "type: object\nproperties: { name: { type: string } }\n",
    )
    .unwrap();
    let stdout = |o: &Output| String::from_utf8_lossy(&o.stdout).into_owned();

    let first = codegen(&spec, &out, &[]);
    assert!(first.status.success(), "{first:?}");
    assert!(!stdout(&first).contains(SKIPPED), "{}", stdout(&first));
    let second = codegen(&spec, &out, &[]);
    assert!(second.status.success(), "{second:?}");
    assert!(stdout(&second).contains(SKIPPED), "{}", stdout(&second));
    assert!(
        stdout(&second).contains("coverage: 1 operation generated fully"),
        "the skipped run repeats what the last one said: {}",
        stdout(&second)
    );

    // A hand edit of a generated file is undone by the next run.
    let lib = out.join("src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, "// edited").unwrap();
    let third = codegen(&spec, &out, &[]);
    assert!(!stdout(&third).contains(SKIPPED), "{}", stdout(&third));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), original);

    // A change in the other file of the document is a change of the inputs.
    std::fs::write(
        &thing,
        "type: object\nproperties: { title: { type: string } }\n",
    )
    .unwrap();
    let fourth = codegen(&spec, &out, &[]);
    assert!(!stdout(&fourth).contains(SKIPPED), "{}", stdout(&fourth));
    let types = std::fs::read_to_string(out.join("src/types/shared.rs")).unwrap();
    assert!(types.contains("pub title:"), "{types}");

    // Other settings are another job.
    let renamed = codegen(&spec, &out, &["--crate-version", "0.2.0"]);
    assert!(!stdout(&renamed).contains(SKIPPED), "{}", stdout(&renamed));

    // `--check` always generates and compares.
    let check = codegen(&spec, &out, &["--crate-version", "0.2.0", "--check"]);
    assert!(check.status.success(), "{check:?}");
    assert!(!stdout(&check).contains(SKIPPED));
}
