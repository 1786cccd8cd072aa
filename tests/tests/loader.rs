//! The 3.1 bridge and the errors: every 3.1 construct keeps its meaning, and every problem
//! names its JSON pointer.

mod common;

use generator::model::{Ty, TypeKind};
use generator::{build_model, generate, Config};

fn spec(schemas: &str) -> String {
    format!(
        r#"
openapi: 3.1.1
info: {{ title: T, version: "1" }}
paths: {{}}
components:
  schemas:
{schemas}
"#
    )
}

fn field_ty(api: &generator::model::Api, ty: &str, field: &str) -> Ty {
    let def = api
        .types
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.wire_name == field)
            .unwrap()
            .ty
            .clone(),
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}

fn opt(ty: Ty) -> Ty {
    Ty::Option(Box::new(ty))
}

#[test]
fn type_arrays_with_null_become_option() {
    let (api, _) = build_model(&spec(
        r#"
    a:
      type: object
      required: [x, y]
      properties:
        x: { type: [string, 'null'] }
        y: { type: [integer, 'null'], format: int32 }
        z: { type: string }
"#,
    ))
    .unwrap();
    assert_eq!(field_ty(&api, "A", "x"), opt(Ty::String));
    assert_eq!(field_ty(&api, "A", "y"), opt(Ty::I32));
    assert_eq!(field_ty(&api, "A", "z"), opt(Ty::String));
}

#[test]
fn nullable_true_inside_a_31_document_is_kept() {
    let (api, _) = build_model(&spec(
        r#"
    a:
      type: object
      required: [x]
      properties:
        x: { type: string, nullable: true }
        y: { type: string }
"#,
    ))
    .unwrap();
    assert_eq!(field_ty(&api, "A", "x"), opt(Ty::String));
    let def = api.types.iter().find(|t| t.name == "A").unwrap();
    let TypeKind::Struct(s) = &def.kind else {
        panic!()
    };
    assert!(s.fields[0].nullable && s.fields[0].required);
    assert!(!s.fields[1].nullable && !s.fields[1].required);
}

#[test]
fn several_types_become_a_union() {
    let (api, _) = build_model(&spec(
        r#"
    a:
      type: object
      properties:
        x: { type: [string, integer] }
"#,
    ))
    .unwrap();
    let Ty::Option(inner) = field_ty(&api, "A", "x") else {
        panic!()
    };
    let Ty::Named(id) = *inner else { panic!() };
    let def = api.types.get(id);
    let TypeKind::Union(variants) = &def.kind else {
        panic!("{def:?}")
    };
    let tys: Vec<&Ty> = variants.iter().map(|v| &v.ty).collect();
    assert_eq!(tys, [&Ty::String, &Ty::I64, &Ty::Value]);
}

#[test]
fn const_becomes_a_one_value_enum() {
    let (api, _) = build_model(&spec(
        r#"
    kind:
      const: customers
"#,
    ))
    .unwrap();
    let def = api.types.iter().find(|t| t.name == "Kind").unwrap();
    let TypeKind::StringEnum(variants) = &def.kind else {
        panic!("{def:?}")
    };
    assert_eq!(variants.len(), 1);
    assert_eq!(variants[0].wire_value, "customers");
}

#[test]
fn examples_exclusive_bounds_and_ref_siblings_are_normalized() {
    let text = spec(
        r#"
    n:
      type: number
      exclusiveMinimum: 0
      examples: [1, 2]
    wrapper:
      type: object
      properties:
        inner:
          $ref: '#/components/schemas/n'
          description: A number, described beside its $ref
          nullable: true
"#,
    );
    let (doc, value, _) = generator::load_document(&text).unwrap();
    let n = value.pointer("/components/schemas/n").unwrap();
    assert_eq!(n["minimum"], 0);
    assert_eq!(n["exclusiveMinimum"], true);
    assert_eq!(n["example"], 1);
    assert_eq!(n["x-examples"], serde_json::json!([1, 2]));
    let inner = value
        .pointer("/components/schemas/wrapper/properties/inner")
        .unwrap();
    assert_eq!(inner["allOf"][0]["$ref"], "#/components/schemas/n");
    assert_eq!(inner["description"], "A number, described beside its $ref");
    drop(doc);
    let (api, _) = build_model(&text).unwrap();
    let id = |n: &str| common::type_id(&api, n);
    // The $ref keeps its target type and gains the sibling's nullability.
    assert_eq!(field_ty(&api, "Wrapper", "inner"), opt(Ty::Named(id("N"))));
    let def = api.types.iter().find(|t| t.name == "Wrapper").unwrap();
    let TypeKind::Struct(s) = &def.kind else {
        panic!()
    };
    assert_eq!(
        s.fields[0].doc.as_deref(),
        Some("A number, described beside its $ref")
    );
}

/// An example's value is data: a key in it that is named like a place of the document
/// (`schema`) is not read as one, so the value is left as the document writes it.
#[test]
fn example_values_are_data_left_as_written() {
    let text = r#"
openapi: 3.1.1
info: { title: T, version: "1" }
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object }
              examples:
                one: { value: { schema: { type: [string, "null"], exclusiveMinimum: 1 } } }
components:
  examples:
    kept:
      value:
        schema: { type: [string, "null"], exclusiveMinimum: 1 }
        nested: [{ schema: { const: 1 } }]
"#;
    let (_, value, warnings) = generator::load_document(text).unwrap();
    let written = serde_json::json!({
        "schema": {"type": ["string", "null"], "exclusiveMinimum": 1},
        "nested": [{"schema": {"const": 1}}]
    });
    assert_eq!(
        value.pointer("/components/examples/kept/value"),
        Some(&written)
    );
    let in_media = "/paths/~1a/get/responses/200/content/application~1json/examples/one/value";
    assert_eq!(
        value.pointer(in_media),
        Some(&serde_json::json!({"schema": {"type": ["string", "null"], "exclusiveMinimum": 1}}))
    );
    assert!(
        warnings.iter().all(|w| !w.pointer.contains("examples")),
        "{warnings:?}"
    );
}

#[test]
fn null_member_of_one_of_makes_it_nullable() {
    let (api, _) = build_model(&spec(
        r#"
    a:
      type: object
      required: [x]
      properties:
        x:
          oneOf:
            - type: 'null'
            - $ref: '#/components/schemas/b'
    b: { type: string }
"#,
    ))
    .unwrap();
    let id = |n: &str| common::type_id(&api, n);
    assert_eq!(field_ty(&api, "A", "x"), opt(Ty::Named(id("B"))));
}

/// Generates `text` with `--strict`: every degradation is an error.
fn strict_errors(text: &str) -> Vec<String> {
    let config = Config {
        strict: true,
        ..Default::default()
    };
    let err = generate(text, &config).unwrap_err();
    err.errors().map(|d| d.to_string()).collect()
}

#[test]
fn conditional_and_dynamic_keywords_degrade_and_strict_makes_them_errors() {
    let text = spec(
        r#"
    a:
      type: object
      properties:
        x:
          type: string
          if: { minLength: 2 }
          then: { maxLength: 5 }
    b:
      $dynamicRef: '#meta'
"#,
    );
    let (api, warnings) = build_model(&text).unwrap();
    // `x` keeps the type the rest of its schema gives; `b` names nothing and is any value.
    assert_eq!(field_ty(&api, "A", "x"), opt(Ty::String));
    let b = api.types.iter().find(|t| t.name == "B").unwrap();
    assert_eq!(b.kind, TypeKind::Alias(Ty::Value));
    let degraded: Vec<String> = warnings.degradations().map(|d| d.to_string()).collect();
    assert!(
        degraded.iter().any(|m| m.starts_with(
            "degraded: #/components/schemas/a/properties/x/if: `if`/`then` not expressed"
        )),
        "{degraded:?}"
    );
    assert!(
        degraded
            .iter()
            .any(|m| m.starts_with("degraded: #/components/schemas/b/$dynamicRef:")),
        "{degraded:?}"
    );
    // The condition is in the field's rustdoc.
    let TypeKind::Struct(a) = &api.types.iter().find(|t| t.name == "A").unwrap().kind else {
        panic!()
    };
    assert!(
        a.fields[0]
            .doc
            .as_deref()
            .unwrap_or("")
            .contains("Conditions (`if`, `then`)"),
        "{:?}",
        a.fields[0].doc
    );
    let errors = strict_errors(&text);
    assert!(
        errors
            .iter()
            .any(|m| m.starts_with("error: #/components/schemas/a/properties/x/if:")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|m| m.starts_with("error: #/components/schemas/b/$dynamicRef:")),
        "{errors:?}"
    );
}

#[test]
fn annotations_3_0_lacks_are_kept_as_extensions() {
    let (_, value, _) = generator::load_document(&spec(
        r#"
    a:
      type: string
      contentMediaType: image/png
      $comment: kept
"#,
    ))
    .unwrap();
    let a = value.pointer("/components/schemas/a").unwrap();
    assert_eq!(a["x-oas31-contentMediaType"], "image/png");
    assert_eq!(a["x-oas31-comment"], "kept");
}

#[test]
fn a_missing_ref_degrades_its_place_to_a_value() {
    let text = spec(
        r#"
    a:
      type: object
      properties:
        x: { $ref: '#/components/schemas/nope' }
        y: { type: string }
"#,
    );
    let (api, warnings) = build_model(&text).unwrap();
    assert_eq!(field_ty(&api, "A", "x"), opt(Ty::Value));
    assert_eq!(field_ty(&api, "A", "y"), opt(Ty::String));
    let first = warnings.degradations().next().unwrap();
    assert_eq!(first.pointer, "#/components/schemas/a/properties/x");
    assert!(
        first.message.contains("#/components/schemas/nope"),
        "{first}"
    );
    let errors = strict_errors(&text);
    assert!(
        errors[0].starts_with("error: #/components/schemas/a/properties/x:"),
        "{errors:?}"
    );
}

#[test]
fn invalid_documents_are_errors_not_panics() {
    for (text, pointer) in [
        ("{not json", "#"),
        ("a: [unclosed", "#"),
        (
            "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}",
            "#/openapi",
        ),
    ] {
        let err = build_model(text).unwrap_err();
        let first = err.errors().next().unwrap();
        assert_eq!(first.pointer, pointer, "{text}: {err}");
    }
    // An operation the model cannot read is left out, at the exact place; the rest is read.
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses: 7\n  /y:\n    get:\n      responses: {'204': {description: none}}";
    let (api, warnings) = build_model(text).unwrap();
    assert_eq!(api.paths.len(), 1, "{:?}", api.paths);
    assert_eq!(api.paths[0].template, "/y");
    let d = warnings.degradations().next().unwrap();
    assert_eq!(d.pointer, "#/paths/~1x/get/responses");
    assert!(
        d.message.contains("expected struct Responses")
            && d.message.contains("not generated (`#/paths/~1x/get`)"),
        "{d}"
    );
    assert_eq!(
        strict_errors(text)[0].split(':').nth(1),
        Some(" #/paths/~1x/get/responses")
    );
}

const OPS: &str = r#"
openapi: 3.1.0
info: { title: T, version: "1" }
paths:
  /things/{id}:
    get:
      summary: Thing details
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: include, in: query, schema: { type: string }, description: first }
        - { name: include, in: query, schema: { type: string }, description: second }
      responses:
        "200": { description: ok }
"#;

#[test]
fn identical_duplicate_parameters_are_merged_with_a_warning() {
    let (api, warnings) = build_model(OPS).unwrap();
    let op = &api.paths[0].operations[0];
    assert_eq!(op.rust_name, "thing_details");
    assert_eq!(op.params.len(), 1);
    assert_eq!(op.params[0].doc.as_deref(), Some("first\n\nsecond"));
    let w: Vec<_> = warnings.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].pointer, "#/paths/~1things~1{id}/get/parameters/2");
}

#[test]
fn an_operation_with_conflicting_duplicate_parameters_is_left_out_and_said() {
    let text = OPS.replace(
        "{ name: include, in: query, schema: { type: string }, description: second }",
        "{ name: include, in: query, schema: { type: integer } }",
    );
    let (api, warnings) = build_model(&text).unwrap();
    assert!(
        api.paths.iter().all(|g| g.operations.is_empty()),
        "{:?}",
        api.paths
    );
    assert_eq!(api.skipped, vec!["GET /things/{id}".to_owned()]);
    let first = warnings.degradations().next().unwrap();
    assert_eq!(first.pointer, "#/paths/~1things~1{id}/get/parameters/2");
    assert!(
        first
            .message
            .starts_with("GET /things/{id} is not generated: ")
            && first.message.contains("different type"),
        "{first}"
    );
    let errors = strict_errors(&text);
    assert!(
        errors[0].starts_with(
            "error: #/paths/~1things~1{id}/get/parameters/2: GET /things/{id} is not generated"
        ),
        "{errors:?}"
    );
}

#[test]
fn hostile_names_and_descriptions_stay_inert() {
    let text = r##"
openapi: 3.1.0
info: { title: "T */ \"# ]]", version: "1", description: "```\nfn main() { std::process::exit(1) }\n" }
paths:
  /../../etc/passwd:
    get:
      operationId: "r#type } fn evil() {"
      description: "*/ <script> [x] https://evil.example/ ```"
      parameters:
        - { name: "self", in: query, schema: { type: string } }
        - { name: "a\"b", in: query, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  "fn": { type: string }
                  "": { type: string }
                  "1x": { type: string }
                  "type": { type: string, enum: ["", "Self", "1", "a b"] }
"##;
    let generated = generate(text, &Config::default()).unwrap();
    for path in generated.files.keys() {
        assert!(!path.contains(".."), "{path}");
        assert!(path.starts_with("src/") || path == "Cargo.toml", "{path}");
    }
    let module = generated
        .files
        .get("src/paths/etc_passwd.rs")
        .expect("module named from the path");
    assert!(module.contains("pub async fn r_type_fn_evil("), "{module}");
    assert!(!module.contains("fn evil()"));
    // Exactly the intended items, nothing smuggled in through names or descriptions.
    let file = syn::parse_file(module).expect("valid Rust");
    let items: Vec<String> = file
        .items
        .iter()
        .map(|item| match item {
            syn::Item::Use(_) => "use".to_owned(),
            syn::Item::Struct(s) => format!("struct {}", s.ident),
            syn::Item::Enum(e) => format!("enum {}", e.ident),
            syn::Item::Impl(i) => format!("impl with {} items", i.items.len()),
            syn::Item::Mod(m) => format!("mod {}", m.ident),
            _ => "another kind of item".to_owned(),
        })
        .collect();
    assert_eq!(
        items,
        [
            "use",
            "use",
            // The crate's types and the module's own, as `types::`.
            "mod types",
            "struct RTypeFnEvilParams",
            "impl with 2 items",
            "enum RTypeFnEvilError",
            // The error's `Display` and `std::error::Error`.
            "impl with 1 items",
            "impl with 0 items",
            // The method and its `_with_response` twin.
            "impl with 2 items",
            // The inline response schema, which only this operation uses, is defined beside
            // it: the struct and its four getters (`fn`, ``, `1x`, `type`), the enum of `type`
            // and its `as_str`, `From<String>`, `From<&str>`, `From<..> for String`, `Display`
            // and `ParamValue`.
            "struct RTypeFnEvilResponse",
            "impl with 4 items",
            "enum RTypeFnEvilResponseType",
            "impl with 1 items",
            "impl with 1 items",
            "impl with 1 items",
            "impl with 1 items",
            "impl with 1 items",
            "impl with 1 items"
        ]
    );
    for (path, contents) in &generated.files {
        if path.ends_with(".rs") && !path.starts_with("src/runtime/") {
            let file = syn::parse_file(contents).unwrap_or_else(|e| panic!("{path}: {e}"));
            let unexpected = file
                .items
                .iter()
                .any(|item| matches!(item, syn::Item::Fn(_) | syn::Item::Macro(_)));
            assert!(!unexpected, "{path} has a free function or macro call");
        }
    }
    let lib = &generated.files["src/lib.rs"];
    assert!(lib.contains("//! ```text"), "{lib}");
}

#[test]
fn recursive_and_mutually_recursive_types_are_boxed() {
    let (api, _) = build_model(&spec(
        r#"
    node:
      type: object
      required: [child]
      properties:
        child: { $ref: '#/components/schemas/node' }
        children: { type: array, items: { $ref: '#/components/schemas/node' } }
    a:
      type: object
      properties:
        b: { $ref: '#/components/schemas/b' }
    b:
      type: object
      properties:
        a: { $ref: '#/components/schemas/a' }
"#,
    ))
    .unwrap();
    let id = |n: &str| common::type_id(&api, n);
    assert_eq!(
        field_ty(&api, "Node", "child"),
        Ty::Boxed(Box::new(Ty::Named(id("Node"))))
    );
    // A Vec already allocates: no Box inside it.
    assert_eq!(
        field_ty(&api, "Node", "children"),
        opt(Ty::Vec(Box::new(Ty::Named(id("Node")))))
    );
    assert_eq!(
        field_ty(&api, "A", "b"),
        opt(Ty::Boxed(Box::new(Ty::Named(id("B")))))
    );
    assert_eq!(
        field_ty(&api, "B", "a"),
        opt(Ty::Boxed(Box::new(Ty::Named(id("A")))))
    );
}

#[test]
fn union_members_are_boxed_only_when_they_are_structures() {
    let text = spec(
        r#"
    color: { type: string, enum: [red, green] }
    level: { type: integer, enum: [1, 2], x-enum-varnames: [Low, High] }
    tags: { type: array, items: { type: string } }
    shape:
      type: object
      properties: { sides: { type: integer } }
    either:
      oneOf:
        - { $ref: '#/components/schemas/shape' }
        - { $ref: '#/components/schemas/either' }
    paint:
      oneOf:
        - { $ref: '#/components/schemas/color' }
        - { $ref: '#/components/schemas/level' }
        - { $ref: '#/components/schemas/tags' }
        - { $ref: '#/components/schemas/shape' }
        - { $ref: '#/components/schemas/either' }
"#,
    );
    let generated =
        generator::generate(&text, &generator::Config::default()).unwrap_or_else(|d| panic!("{d}"));
    let types = &generated.files["src/types/shared.rs"];
    let paint = &types[types.find("pub enum Paint {").expect("Paint is generated")..];
    let paint = &paint[..paint.find("\n}").unwrap()];
    // An enum, an integer with named values and a list are no larger than a box: held as
    // they are. A struct and a union can be any size (and may hold the union): boxed.
    for held in [
        "Color(Color)",
        "Level(Level)",
        "Tags(Tags)",
        "Shape(Box<Shape>)",
        "Either(Box<Either>)",
    ] {
        assert!(paint.contains(held), "{held} in {paint}");
    }
}

#[test]
fn success_bodies_are_boxed_only_when_they_are_structures() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /paint:
    put:
      operationId: paint
      responses:
        "200":
          description: The color it has now.
          content: { application/json: { schema: { $ref: '#/components/schemas/color' } } }
        "201":
          description: A new shape.
          content: { application/json: { schema: { $ref: '#/components/schemas/shape' } } }
components:
  schemas:
    color: { type: string, enum: [red, green] }
    shape: { type: object, properties: { sides: { type: integer } } }
"#;
    let generated =
        generator::generate(text, &generator::Config::default()).unwrap_or_else(|d| panic!("{d}"));
    let module = &generated.files["src/paths/paint.rs"];
    for held in [
        "Ok(types::Color)",
        "Created(Box<types::Shape>)",
        ".map(PaintSuccess::Ok)",
        ".map(|body| PaintSuccess::Created(Box::new(body)))",
    ] {
        assert!(module.contains(held), "{held} in {module}");
    }
}

#[test]
fn operation_names_without_or_with_duplicate_operation_ids() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /pets/{petId}/toys:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: integer } }
    get:
      responses: { "200": { description: ok } }
    post:
      operationId: addToy
      responses: { "200": { description: ok } }
  /toys:
    post:
      operationId: addToy
      responses: { "200": { description: ok } }
    get:
      summary: List all the toys
      responses: { "200": { description: ok } }
"#;
    let (api, _) = build_model(text).unwrap();
    let names: Vec<&str> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.rust_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "get_pets_by_pet_id_toys",
            "add_toy",
            "list_all_toys",
            "add_toy_2"
        ]
    );
}

#[test]
fn webhook_bodies_get_types() {
    let text = r#"
openapi: 3.1.0
info: { title: T, version: "1" }
webhooks:
  orderShipped:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: { order_id: { type: string }, carrier: { type: [string, 'null'] } }
      responses: { "200": { description: ok } }
"#;
    let (api, _) = build_model(text).unwrap();
    assert!(api.paths.is_empty());
    assert_eq!(
        field_ty(&api, "OrderShippedWebhookBody", "carrier"),
        opt(Ty::String)
    );
}

/// Properties a schema leaves open are ignored by default and kept in `additional_properties`
/// with `unknown_fields = "keep"`; a typed `additionalProperties` is kept either way.
#[test]
fn unknown_fields_are_ignored_unless_kept() {
    let doc = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  open: { type: object, properties: { a: { type: string } } }
                  typed:
                    type: object
                    properties: { a: { type: string } }
                    additionalProperties: { type: integer }
                  closed:
                    type: object
                    properties: { a: { type: string } }
                    additionalProperties: false
"#;
    let extra_of = |keep: generator::config::UnknownFields, name: &str| {
        let config = generator::Config {
            unknown_fields: keep,
            ..Default::default()
        };
        let generated = generator::generate(doc, &config).unwrap_or_else(|d| panic!("{d}"));
        let def = generated
            .api
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        match &def.kind {
            generator::model::TypeKind::Struct(s) => s.extra.clone(),
            other => panic!("{other:?}"),
        }
    };
    use generator::config::UnknownFields::{Ignore, Keep};
    use generator::model::Ty;
    let open = "ListThingsResponseOpen";
    let typed = "ListThingsResponseTyped";
    let closed = "ListThingsResponseClosed";
    assert_eq!(extra_of(Ignore, open), None);
    assert_eq!(extra_of(Keep, open), Some(Ty::Value));
    assert_eq!(extra_of(Ignore, typed), Some(Ty::I64));
    assert_eq!(extra_of(Keep, typed), Some(Ty::I64));
    assert_eq!(extra_of(Ignore, closed), None);
    assert_eq!(extra_of(Keep, closed), None);
    // Without a setting, they are ignored.
    assert_eq!(generator::Config::default().unknown_fields, Ignore);
}

/// A union none of whose members the model can type (each reads as any value) is one variant:
/// said, with its place, never silently.
#[test]
fn a_union_of_members_that_read_as_any_value_is_reported() {
    let (_, warnings) = build_model(
        r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Odd:
      oneOf:
        - not: { type: string }
        - not: { type: integer }
    # Refinements of one scalar type are that type: nothing to report.
    Stamp:
      type: string
      anyOf: [{ format: date-time }, { format: date }]
"#,
    )
    .unwrap();
    let found: Vec<_> = warnings
        .warnings()
        .filter(|w| w.message.contains("has a shape the generator can type"))
        .collect();
    assert_eq!(found.len(), 1, "{warnings}");
    assert_eq!(found[0].pointer, "#/components/schemas/Odd");
    assert!(
        found[0].message.starts_with("none of the 2 members"),
        "{}",
        found[0].message
    );
}

/// What a reviewer would send back, checked on the generated text: enum values that are
/// keywords in two cases (`self`, `Self`), the doc of a `default` response, and a module that
/// re-exports one type of its own.
#[test]
fn keyword_values_default_responses_and_single_reexports_read_as_written_by_hand() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /links:
    get:
      operationId: listLinks
      responses:
        "200":
          description: The links.
          content:
            application/json:
              schema:
                type: object
                properties:
                  rel: { type: string, enum: [self, Self, next] }
        default:
          description: Something else went wrong.
          content: { text/plain: { schema: { type: string } } }
  /count:
    get:
      operationId: countLinks
      responses:
        "200":
          description: How many.
          content:
            application/json:
              schema: { type: object, properties: { total: { type: integer } } }
"#;
    let generated =
        generator::generate(text, &generator::Config::default()).unwrap_or_else(|d| panic!("{d}"));
    let count = &generated.files["src/paths/count.rs"];
    assert!(
        count.contains("pub(super) use super::CountLinksResponse;")
            && !count.contains("use super::{"),
        "{count}"
    );
    let module = &generated.files["src/paths/links.rs"];
    for held in [
        // `Self_2` would trip `non_camel_case_types`.
        "    Self_,\n",
        "    Self2,\n",
        "Self::Self2 => \"Self\"",
        "/// Any other status: Something else went wrong.",
        "pub(super) use super::{ListLinksResponse, ListLinksResponseRel};",
    ] {
        assert!(module.contains(held), "{held} in {module}");
    }
    for absent in ["Self_2", "Status any other status"] {
        assert!(!module.contains(absent), "{absent} in {module}");
    }
}

/// A repeated `operationId` (invalid, and seen in vendors' documents) still gives every
/// operation a method, and the second one's place is named in a warning with its method.
#[test]
fn a_repeated_operation_id_is_warned_about_where_it_repeats() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /pets:
    post:
      operationId: addPet
      responses: { "204": { description: done } }
  /pets/{id}:
    get:
      operationId: addPet
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses: { "204": { description: done } }
"#;
    let (api, diags) = build_model(text).unwrap();
    let methods: Vec<&str> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .map(|o| o.rust_name.as_str())
        .collect();
    assert_eq!(methods, ["add_pet", "add_pet_2"]);
    let found: Vec<_> = diags
        .warnings()
        .filter(|w| w.message.contains("ids must be unique"))
        .collect();
    assert_eq!(found.len(), 1, "{diags}");
    assert_eq!(found[0].pointer, "#/paths/~1pets~1{id}/get/operationId");
    assert!(
        found[0].message.contains("POST /pets") && found[0].message.contains("`add_pet_2`"),
        "{}",
        found[0].message
    );
}

/// OpenAPI: a required `readOnly` property is required in responses only, a required
/// `writeOnly` one in requests only. A type both carry has either optional (a constructor
/// does not ask for the server's id, and a response without the password decodes); a type
/// only one way carries keeps it required.
#[test]
fn required_one_way_properties_are_required_that_way_only() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /accounts:
    post:
      operationId: createAccount
      requestBody:
        required: true
        content:
          application/json: { schema: { $ref: '#/components/schemas/Account' } }
      responses:
        "201":
          description: created
          content:
            application/json: { schema: { $ref: '#/components/schemas/Account' } }
  /login:
    post:
      operationId: logIn
      requestBody:
        required: true
        content:
          application/json: { schema: { $ref: '#/components/schemas/Login' } }
      responses:
        "200":
          description: done
          content:
            application/json: { schema: { $ref: '#/components/schemas/Receipt' } }
components:
  schemas:
    Account:
      type: object
      required: [id, name, password]
      properties:
        id: { type: integer, readOnly: true }
        name: { type: string }
        password: { type: string, writeOnly: true }
    Login:
      type: object
      required: [id, password]
      properties:
        id: { type: string }
        password: { type: string, writeOnly: true }
    Receipt:
      type: object
      required: [id]
      properties:
        id: { type: integer, readOnly: true }
"#;
    let (api, _) = build_model(text).unwrap();
    assert_eq!(field_ty(&api, "Account", "id"), opt(Ty::I64));
    assert_eq!(field_ty(&api, "Account", "password"), opt(Ty::String));
    assert_eq!(field_ty(&api, "Account", "name"), Ty::String);
    assert_eq!(field_ty(&api, "Login", "password"), Ty::String);
    assert_eq!(field_ty(&api, "Receipt", "id"), Ty::I64);
    // The constructor asks for what the caller sends.
    let files = generate(text, &Config::default()).unwrap().files;
    let account = files
        .iter()
        .find(|(path, text)| path.starts_with("src/") && text.contains("pub struct Account "))
        .map(|(_, text)| text.as_str())
        .unwrap();
    assert!(
        account.contains("pub fn new(name: impl Into<String>) -> Self"),
        "{account}"
    );
}

/// A `$ref` is a URI reference: tools write its fragment percent-encoded (a space in a
/// schema's name, the braces of a path template). It points where the decoded pointer does.
#[test]
fn percent_encoded_reference_fragments_are_followed() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        "200":
          description: ok
          content:
            application/json: { schema: { $ref: '#/components/schemas/Pet%20Info' } }
  /things/{id}/parts:
    get:
      operationId: getParts
      parameters:
        - $ref: '#/paths/~1things~1%7Bid%7D/get/parameters/0'
      responses:
        "200":
          description: ok
          content:
            application/json: { schema: { $ref: '#/components/schemas/Pet%20Info/properties/tags' } }
components:
  schemas:
    Pet Info:
      type: object
      properties:
        tags: { type: array, items: { type: string } }
"#;
    let (api, diags) = build_model(text).unwrap();
    assert_eq!(diags.warnings().count(), 0, "{diags}");
    let ops: Vec<_> = api.paths.iter().flat_map(|g| &g.operations).collect();
    let thing = api
        .types
        .named("PetInfo")
        .expect("the schema named `Pet Info`");
    assert_eq!(ops[0].responses[0].body_ty(), Ty::Named(thing.id));
    assert_eq!(ops[1].path_params[0].ty, Ty::I64);
    assert_eq!(ops[1].responses[0].body_ty(), Ty::Vec(Box::new(Ty::String)));
}

/// Bundlers that deduplicate by pointer (json-schema-ref-parser's `bundle`, swagger-cli)
/// leave `$ref`s to the first place a schema appeared, in the paths or inside a component.
/// Such a reference is the type that place has, not a copy named after the pointer's last
/// segment (`Items`, `Schema`).
#[test]
fn references_to_inline_places_are_the_type_of_that_place() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json: { schema: { $ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema/items' } }
      responses:
        "201":
          description: created
          content:
            application/json: { schema: { $ref: '#/components/schemas/Pet/properties/owner' } }
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: { type: object, properties: { name: { type: string } } }
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: { type: object, properties: { email: { type: string } } }
"#;
    let (api, diags) = build_model(text).unwrap();
    assert_eq!(diags.warnings().count(), 0, "{diags}");
    let op = |name: &str| {
        api.paths
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.rust_name == name)
            .unwrap()
    };
    let Ty::Vec(item) = op("list_pets").responses[0].body_ty() else {
        panic!()
    };
    assert_eq!(op("add_pet").body.as_ref().unwrap().ty, *item);
    assert_eq!(
        field_ty(&api, "Pet", "owner"),
        opt(op("add_pet").responses[0].body_ty())
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        !names.iter().any(|n| *n == "Items" || *n == "Owner"),
        "{names:?}"
    );
}
