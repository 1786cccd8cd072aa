//! `$ref`s into other files: chains of relative references, every component kind, cycles
//! between files, path items, and the errors (missing files, URLs, files outside the
//! document's directory), each naming the place of the reference.

mod common;

use std::path::Path;

use generator::model::{Location, Ty, TypeKind};
use generator::{generate, Config};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn config(root: &Path) -> Config {
    Config {
        crate_name: "split-client".into(),
        document: Some(root.to_path_buf()),
        ..Default::default()
    }
}

const ROOT: &str = r##"
openapi: 3.0.3
info: { title: Split, version: "1" }
paths:
  /pets:
    $ref: "paths/pets.yaml"
  /toys:
    $ref: "paths/more.yaml#/alias"
  /owners/{id}:
    get:
      operationId: getOwner
      parameters:
        - $ref: "common.yaml#/components/parameters/id"
      responses:
        "200":
          description: an owner
          content:
            application/json:
              schema: { $ref: "schemas/owner.yaml" }
        default:
          $ref: "common.yaml#/components/responses/Problem"
components:
  examples:
    member:
      value: { members: [{ $ref: "https://example.com/Users/1" }] }
  schemas:
    Local:
      type: object
      example: { $ref: "not-a-file.yaml" }
      properties:
        pet: { $ref: "./schemas/pet.yaml#/Pet" }
        default: { $ref: "schemas/pet.yaml#/Tag" }
"##;

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("openapi.yaml", ROOT),
        (
            "paths/pets.yaml",
            r##"
get:
  operationId: listPets
  parameters:
    - $ref: "../common.yaml#/components/parameters/limit"
  responses:
    "200":
      description: pets
      headers:
        X-Rate-Limit: { $ref: "../common.yaml#/components/headers/RateLimit" }
      content:
        application/json:
          schema: { type: array, items: { $ref: "../schemas/pet.yaml#/Pet" } }
post:
  operationId: addPet
  requestBody: { $ref: "../common.yaml#/components/requestBodies/NewPet" }
  callbacks:
    added: { $ref: "../common.yaml#/components/callbacks/Added" }
  responses:
    "204": { description: added }
"##,
        ),
        (
            "paths/more.yaml",
            r##"
alias: { $ref: "#/toys" }
toys:
  get:
    operationId: listToys
    responses:
      "200":
        description: toys
        content:
          application/json:
            schema: { type: array, items: { $ref: "#/Toy" } }
Toy: { type: object, properties: { pet: { $ref: "../schemas/pet.yaml#/Pet" } } }
"##,
        ),
        (
            "schemas/pet.yaml",
            r##"
Pet:
  type: object
  required: [name]
  properties:
    name: { type: string }
    owner: { $ref: "owner.yaml" }
    tag: { $ref: "#/Tag" }
    local: { $ref: "../openapi.yaml#/components/schemas/Local" }
Tag:
  type: string
  enum: [small, big]
"##,
        ),
        (
            "schemas/owner.yaml",
            r##"
type: object
description: Someone who has pets.
properties:
  name: { type: string }
  pets: { type: array, items: { $ref: "pet.yaml#/Pet" } }
"##,
        ),
        (
            "common.yaml",
            r##"
components:
  parameters:
    id: { name: id, in: path, required: true, schema: { type: string } }
    limit: { name: limit, in: query, schema: { $ref: "#/components/schemas/Limit" } }
  schemas:
    Limit: { type: integer, format: int32, minimum: 1 }
  headers:
    RateLimit: { schema: { type: integer } }
  requestBodies:
    NewPet:
      required: true
      content:
        application/json:
          schema: { $ref: "schemas/pet.yaml#/Pet" }
  callbacks:
    Added:
      "{$request.body#/url}":
        post:
          requestBody:
            content: { application/json: { schema: { $ref: "schemas/pet.yaml#/Pet" } } }
          responses: { "200": { description: received } }
  responses:
    Problem:
      description: a problem
      content:
        application/json:
          schema: { type: object, properties: { detail: { type: string } } }
"##,
        ),
    ]
}

#[test]
fn references_into_other_files_become_components() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &files());
    let root = dir.path().join("openapi.yaml");
    let generated = generate(ROOT, &config(&root)).unwrap_or_else(|d| panic!("{d}"));
    let id = |n: &str| common::type_id(&generated.api, n);
    let api = &generated.api;
    let kind = |name: &str| {
        &api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no {name}: {:?}",
                    api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
                )
            })
            .kind
    };
    // One type per node, however many files and paths lead to it; a cycle between files.
    let TypeKind::Struct(pet) = kind("Pet") else {
        panic!()
    };
    let field = |s: &generator::model::StructDef, wire: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == wire)
            .unwrap()
            .ty
            .clone()
    };
    assert_eq!(
        field(pet, "owner"),
        Ty::Option(Box::new(Ty::Named(id("Owner"))))
    );
    assert_eq!(
        field(pet, "tag"),
        Ty::Option(Box::new(Ty::Named(id("Tag"))))
    );
    // Local -> Pet -> Local: a cycle through the root document, boxed.
    assert_eq!(
        field(pet, "local"),
        Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Named(id("Local"))))))
    );
    let TypeKind::Struct(owner) = kind("Owner") else {
        panic!()
    };
    assert_eq!(
        field(owner, "pets"),
        Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Named(id("Pet"))))))
    );
    assert!(matches!(kind("Tag"), TypeKind::StringEnum(_)));
    // A property may be called `default`; `$ref`s inside example values are data.
    let TypeKind::Struct(local) = kind("Local") else {
        panic!()
    };
    assert_eq!(
        field(local, "default"),
        Ty::Option(Box::new(Ty::Named(id("Tag"))))
    );
    assert_eq!(
        api.types
            .iter()
            .filter(|t| t.name.starts_with("Pet"))
            .count(),
        1
    );
    let owner_def = api.types.iter().find(|t| t.name == "Owner").unwrap();
    assert_eq!(owner_def.doc.as_deref(), Some("Someone who has pets."));

    let ops: Vec<_> = api.paths.iter().flat_map(|g| &g.operations).collect();
    let names: Vec<&str> = ops.iter().map(|o| o.rust_name.as_str()).collect();
    assert_eq!(names, ["list_pets", "add_pet", "list_toys", "get_owner"]);
    // A path item copied from another file keeps its references relative to that file.
    let toys = ops[2].responses[0].content.as_ref().unwrap();
    assert_eq!(toys.ty, Ty::Vec(Box::new(Ty::Named(id("Toy")))));
    let TypeKind::Struct(toy) = kind("Toy") else {
        panic!()
    };
    assert_eq!(
        field(toy, "pet"),
        Ty::Option(Box::new(Ty::Named(id("Pet"))))
    );
    let list = ops[0];
    assert_eq!(list.params[0].wire_name, "limit");
    assert_eq!(
        (list.params[0].location, &list.params[0].ty),
        (Location::Query, &Ty::Named(id("Limit")))
    );
    assert_eq!(ops[1].body.as_ref().unwrap().ty, Ty::Named(id("Pet")));
    assert_eq!(ops[3].path_params[0].wire_name, "id");
    assert_eq!(ops[3].responses.len(), 2);

    // The crate compiles.
    let workspace = common::Workspace::new(&["split-client"]);
    workspace.write_crate("split-client", &generated.files);
    let output = workspace.cargo(&["check", "--quiet"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bad_references_are_errors_naming_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("api");
    write(
        &inner,
        &[("ok.yaml", "type: string\n"), ("broken.yaml", "a: [1\n")],
    );
    std::fs::write(dir.path().join("secret.yaml"), "type: string\n").unwrap();
    let root = inner.join("openapi.yaml");
    let text = r##"
openapi: 3.0.3
info: { title: Bad, version: "1" }
paths: {}
components:
  schemas:
    Missing: { $ref: "nothing-here.yaml" }
    Outside: { $ref: "../secret.yaml" }
    Url: { $ref: "https://example.com/schemas/pet.yaml" }
    NoNode: { $ref: "ok.yaml#/not/there" }
    Broken: { $ref: "broken.yaml" }
    Absolute: { $ref: "/etc/hostname" }
"##;
    std::fs::write(&root, text).unwrap();
    // Each reference that cannot be resolved degrades its schema to any value, said at the
    // place of the `$ref`; `--strict` makes every one an error.
    let generated = generate(text, &config(&root)).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        generated.warnings.degradations().count(),
        6,
        "{}",
        generated.warnings
    );
    assert!(
        generated
            .api
            .types
            .iter()
            .all(|t| t.kind == TypeKind::Alias(Ty::Value)),
        "{:?}",
        generated.api.types
    );
    let strict = Config {
        strict: true,
        ..config(&root)
    };
    let errors = generate(text, &strict).unwrap_err();
    let errors: Vec<String> = errors
        .errors()
        .map(|d| format!("{}: {}", d.pointer, d.message))
        .collect();
    let find = |place: &str, words: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(place) && e.contains(words)),
            "no error at {place} with `{words}` in {errors:#?}"
        )
    };
    find("#/components/schemas/Missing/$ref", "cannot read");
    find(
        "#/components/schemas/Outside/$ref",
        "outside the document's directory",
    );
    find("#/components/schemas/Url/$ref", "not fetched");
    find(
        "#/components/schemas/NoNode/$ref",
        "points at nothing in `ok.yaml`",
    );
    find(
        "#/components/schemas/Broken/$ref",
        "in `broken.yaml#`: not valid YAML",
    );
    find(
        "#/components/schemas/Absolute/$ref",
        "outside the document's directory",
    );
    assert_eq!(errors.len(), 6, "{errors:#?}");

    // Generated from text alone, the same references say what is missing.
    let errors = generate(
        text,
        &Config {
            strict: true,
            ..Config::default()
        },
    )
    .unwrap_err();
    assert_eq!(errors.errors().count(), 6);
    assert!(
        errors
            .errors()
            .all(|d| d.message.contains("needs the document's own path")),
        "{errors}"
    );
}

/// Split layouts as tools write them: operations behind `$ref`s, a whole `content` or
/// `properties` map behind one, descriptions in Markdown files, local references where
/// OpenAPI takes none; `$ref`s in extensions and examples are data.
const SPLIT_ROOT: &str = r##"
openapi: 3.0.3
info:
  title: Split layouts
  version: "1"
  description: { $ref: "docs/intro.md" }
tags:
  - name: pets
    description: { $ref: "docs/pets.md" }
paths:
  /pets:
    get: { $ref: "ops/list.yaml" }
    post:
      operationId: addPet
      requestBody:
        content: { $ref: "#/components/x-contents/pet" }
      responses:
        "204": { description: added }
components:
  x-contents:
    pet:
      application/json:
        schema: { $ref: "models/pet.yaml" }
"##;

fn split_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("openapi.yaml", SPLIT_ROOT),
        ("docs/intro.md", "# Intro\n\nAll about *pets*.\n"),
        ("docs/pets.md", "Pets and their owners.\n"),
        (
            "ops/list.yaml",
            r##"
operationId: listPets
tags: [pets]
x-code-samples: { $ref: "no-such-file.yaml" }
responses:
  "200":
    description: the pets
    content: { $ref: "../responses/pets.yaml" }
"##,
        ),
        (
            "responses/pets.yaml",
            r##"
application/json:
  schema: { type: array, items: { $ref: "../models/pet.yaml" } }
  example: { $ref: "not-followed.yaml" }
"##,
        ),
        (
            "models/pet.yaml",
            r##"
type: object
required: [name]
properties: { $ref: "pet-properties.yaml" }
"##,
        ),
        (
            "models/pet-properties.yaml",
            r##"
name: { type: string }
owner:
  allOf:
    - { $ref: "owner.yaml" }
    - { description: "Who looks after the pet.", nullable: true }
"##,
        ),
        (
            "models/owner.yaml",
            "type: object\nproperties:\n  id: { type: integer }\n",
        ),
    ]
}

#[test]
fn split_layouts_resolve_operations_content_maps_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &split_files());
    let root = dir.path().join("openapi.yaml");
    let generated = generate(SPLIT_ROOT, &config(&root)).unwrap_or_else(|d| panic!("{d}"));
    let id = |n: &str| common::type_id(&generated.api, n);
    let api = &generated.api;
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    // The operation behind a `$ref` is an operation, never a schema.
    let ops: Vec<_> = api.paths.iter().flat_map(|g| &g.operations).collect();
    let names: Vec<&str> = ops.iter().map(|o| o.rust_name.as_str()).collect();
    assert_eq!(names, ["list_pets", "add_pet"]);
    assert!(
        !api.types
            .iter()
            .any(|t| t.name.to_lowercase().contains("list")),
        "{:?}",
        api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
    let list = ops[0].responses[0].content.as_ref().unwrap();
    assert_eq!(list.ty, Ty::Vec(Box::new(Ty::Named(id("Pet")))));
    assert_eq!(ops[1].body.as_ref().unwrap().ty, Ty::Named(id("Pet")));
    // `properties` behind a `$ref`; an `allOf` that only annotates is the owner itself.
    let pet = api.types.iter().find(|t| t.name == "Pet").unwrap();
    let TypeKind::Struct(pet) = &pet.kind else {
        panic!()
    };
    let fields: Vec<(&str, &Ty)> = pet
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), &f.ty))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", &Ty::String),
            ("owner", &Ty::Option(Box::new(Ty::Named(id("Owner")))))
        ]
    );
    assert_eq!(
        api.types
            .iter()
            .filter(|t| t.name.contains("Owner"))
            .count(),
        1
    );
    // Markdown descriptions are read as text.
    assert_eq!(
        api.description.as_deref(),
        Some("# Intro\n\nAll about *pets*.\n")
    );
    let lib = &generated.files["src/lib.rs"];
    assert!(lib.contains("All about *pets*."), "{lib}");
    assert_eq!(generated.coverage.full, 2);
}

#[test]
fn problems_in_pulled_in_files_name_the_users_file_pointer_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = split_files();
    files.retain(|(name, _)| *name != "models/owner.yaml");
    files.push((
        "models/owner.yaml",
        "type: object\nproperties:\n  id: { type: integer }\n  home:\n    $ref: '#/definitions/nowhere'\nrequired: [id, name]\n",
    ));
    write(dir.path(), &files);
    let root = dir.path().join("openapi.yaml");
    let generated = generate(SPLIT_ROOT, &config(&root)).unwrap_or_else(|d| panic!("{d}"));
    let found: Vec<String> = generated.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        found.iter().any(|m| m.starts_with("degraded: models/owner.yaml#/properties/home/$ref (line 5): `$ref: #/definitions/nowhere` points at nothing in `models/owner.yaml`; the schema is typed as `serde_json::Value`")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m
                .starts_with("warning: models/owner.yaml#/required (line 6): `name` is required")),
        "{found:#?}"
    );
    // An operation from another file is named at its file.
    let mut files = split_files();
    files.retain(|(name, _)| *name != "ops/list.yaml");
    files.push(("ops/list.yaml", "operationId: listPets\nresponses:\n  '200':\n    description: x\n    content:\n      application/json:\n        schema: { type: wat }\n"));
    write(dir.path(), &files);
    let generated = generate(SPLIT_ROOT, &config(&root)).unwrap_or_else(|d| panic!("{d}"));
    let found: Vec<String> = generated.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        found.iter().any(|m| m.starts_with("degraded: ops/list.yaml#/responses/200/content/application~1json/schema/type (line 7): unknown type `wat`")),
        "{found:#?}"
    );
}
