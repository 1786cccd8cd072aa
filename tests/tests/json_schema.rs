//! JSON Schema 2019-09/2020-12 as 3.1 documents use it (`tests/schemas/json-schema-2020.yaml`):
//! `$defs` inside inline schemas, dynamic and recursive references, tuples, the keywords that
//! only annotate (in the rustdoc), `allOf` used as an annotation, integers beyond 64 bits;
//! and the crate compiles with warnings denied.

mod common;

use generator::model::{Ty, TypeKind};
use generator::{generate, Config};

fn document() -> String {
    std::fs::read_to_string(xtask::workspace_root().join("tests/schemas/json-schema-2020.yaml"))
        .unwrap()
}

fn opt(ty: Ty) -> Ty {
    Ty::Option(Box::new(ty))
}

#[test]
fn json_schema_2020_constructs_become_types() {
    let config = Config {
        crate_name: "schemas-client".into(),
        ..Default::default()
    };
    let generated = generate(&document(), &config).unwrap_or_else(|d| panic!("{d}"));
    assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    let api = &generated.api;
    let ty = |name: &str| {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no {name} in {:?}",
                    api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
                )
            })
    };
    let named = |name: &str| Ty::Named(ty(name).id);
    let fields = |name: &str| match &ty(name).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.ty.clone()))
            .collect::<Vec<_>>(),
        other => panic!("{name} is not a struct: {other:?}"),
    };
    // `$defs` of an inline schema are components; `#/$defs/X` resolves in the schema.
    let report = &api.paths[0].operations[0].responses[0]
        .content
        .as_ref()
        .unwrap()
        .ty;
    let Ty::Named(report) = report else {
        panic!("{report:?}")
    };
    let report = api.types.name(*report);
    assert_eq!(
        fields(report),
        [
            ("usage".to_owned(), opt(named("Usage"))),
            (
                "points".to_owned(),
                opt(Ty::Vec(Box::new(Ty::Tuple(vec![Ty::I64, Ty::F64]))))
            ),
            ("open".to_owned(), opt(Ty::Vec(Box::new(Ty::I64)))),
        ]
    );
    assert_eq!(
        fields("Usage"),
        [
            ("tokens".to_owned(), opt(Ty::I64)),
            ("details".to_owned(), opt(named("Details")))
        ]
    );
    // A node that refers to its enclosing schema is a recursive type.
    assert_eq!(
        fields("Tree")[1],
        ("children".to_owned(), opt(Ty::Vec(Box::new(named("Tree")))))
    );
    assert_eq!(
        fields("Legacy"),
        [(
            "parent".to_owned(),
            opt(Ty::Boxed(Box::new(named("Legacy"))))
        )]
    );
    // `unevaluatedProperties: false` closes the struct; what cannot type a value is documented.
    let TypeKind::Struct(closed) = &ty("Closed").kind else {
        panic!()
    };
    assert_eq!(closed.extra, None);
    assert!(
        ty("Closed")
            .doc
            .as_deref()
            .unwrap_or("")
            .contains("When `a` is present, `b` must be too."),
        "{:?}",
        ty("Closed").doc
    );
    assert!(
        ty("Named")
            .doc
            .as_deref()
            .unwrap_or("")
            .contains("Property names match `^[a-z]+$`."),
        "{:?}",
        ty("Named").doc
    );
    assert!(
        ty("Encoded")
            .doc
            .as_deref()
            .unwrap_or("")
            .contains("Content: `image/png`, `base64`-encoded."),
        "{:?}",
        ty("Encoded").doc
    );
    let open_doc = match &ty(report).kind {
        TypeKind::Struct(s) => s.fields[2].doc.clone().unwrap_or_default(),
        _ => unreachable!(),
    };
    assert!(
        open_doc.contains("by position (`prefixItems`)"),
        "{open_doc}"
    );
    // A union of refinements of a scalar type is that type, the refinements in the rustdoc
    // (not one `serde_json::Value` variant: every member alone accepts any value).
    for (name, rust, note) in [
        (
            "SendDate",
            Ty::String,
            "At least one of these holds (`anyOf`, which these types do not check): `format: date-time`; `format: date`.",
        ),
        (
            "Bucket",
            Ty::I64,
            "Exactly one of these holds (`oneOf`, which these types do not check): `maximum: 10`; `minimum: 100`.",
        ),
    ] {
        assert_eq!(ty(name).kind, TypeKind::Alias(rust), "{name}");
        let doc = ty(name).doc.clone().unwrap_or_default();
        assert!(doc.contains(note), "{name}: {doc}");
    }
    // `allOf: [$ref, annotations]` is the referenced type, a union too; no copies.
    assert_eq!(
        fields("Holder")[..3],
        [
            ("choice".to_owned(), opt(named("Choice"))),
            ("again".to_owned(), opt(named("Closed"))),
            ("other".to_owned(), opt(named("Closed"))),
        ]
    );
    assert_eq!(
        api.types
            .iter()
            .filter(|t| t.name.starts_with("Holder"))
            .count(),
        1,
        "{:?}",
        api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
    assert_eq!(generated.coverage.full, 2);

    let workspace = common::Workspace::new(&["schemas-client"]);
    workspace.write_crate("schemas-client", &generated.files);
    let output = workspace.cargo(&["check", "--quiet"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn warnings_are_grouped_by_cause_with_counts_and_the_coverage_says_what_degraded() {
    let text = r#"
openapi: 3.1.0
info: { title: T, version: "1" }
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Broken' }
  /b:
    get:
      parameters:
        - { name: x, in: query, schema: { type: string } }
        - { name: x, in: query, schema: { type: integer } }
      responses: { "204": { description: none } }
  /c:
    get:
      responses: { "204": { description: none } }
components:
  schemas:
    Broken:
      type: object
      properties:
        one: { $ref: '#/components/schemas/Nope1' }
        two: { $ref: '#/components/schemas/Nope2' }
        three: { $ref: '#/components/schemas/Nope3' }
        four: { $ref: '#/components/schemas/Nope4' }
        five: { $ref: '#/components/schemas/Nope5' }
"#;
    let generated = generate(text, &Config::default()).unwrap_or_else(|d| panic!("{d}"));
    let groups = generated.warnings.grouped();
    assert_eq!(groups[0].items.len(), 5, "{groups:#?}");
    assert!(groups[0].degraded);
    assert_eq!(
        groups[0].cause,
        "`…` names a schema that does not exist; typed as `…`"
    );
    let summary = generated.warnings.summary(2);
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(lines[0], "degraded: #/components/schemas/Broken/properties/one: `$ref: #/components/schemas/Nope1` names a schema that does not exist; typed as `serde_json::Value`");
    assert_eq!(lines[1], "    ... the same at 4 more places: #/components/schemas/Broken/properties/two, #/components/schemas/Broken/properties/three, and 2 more");
    assert_eq!(lines.len(), 3, "{summary}");
    let c = &generated.coverage;
    assert_eq!(
        (c.full, c.degraded, c.skipped, c.degraded_schemas),
        (1, 1, 1, 5),
        "{c}"
    );
    assert_eq!(
        c.to_string(),
        "coverage: 1 operation generated fully, 1 degraded, 1 left out; 5 degraded places in schemas (1 type affected)"
    );
}
