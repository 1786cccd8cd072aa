//! The change report: pairs of documents, the changes found between them, and whether each
//! breaks a Rust caller of the generated crate.

use generator::surface::{changes_file, compare, Change, Surface};
use generator::{build_model, generate_with_overlays, overlay::OverlaySource};

fn surface(text: &str) -> Surface {
    let (api, _) = build_model(text).unwrap_or_else(|d| panic!("{d}"));
    Surface::of(&api)
}

fn changes(old: &str, new: &str) -> Vec<(bool, String, String)> {
    compare(&surface(old), &surface(new))
        .into_iter()
        .map(
            |Change {
                 breaking,
                 subject,
                 what,
                 ..
             }| (breaking, subject, what),
        )
        .collect()
}

const BASE: &str = r#"
openapi: 3.1.0
info: { title: Shop, version: "1" }
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: "filter[name]", in: query, schema: { type: string } }
        - { name: "page[size]", in: query, schema: { type: integer } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/item' }
components:
  schemas:
    item:
      type: object
      required: [id]
      properties:
        id: { type: string }
        price: { type: integer }
        status: { type: string, enum: [active, gone] }
"#;

fn c(breaking: bool, subject: &str, what: &str) -> (bool, String, String) {
    (breaking, subject.to_owned(), what.to_owned())
}

#[test]
fn identical_documents_have_no_changes() {
    assert!(changes(BASE, BASE).is_empty());
}

#[test]
fn parameters_added_removed_retyped_and_required() {
    let new = BASE
        .replace(
            r#"- { name: "filter[name]", in: query, schema: { type: string } }"#,
            r#"- { name: "filter[tag]", in: query, required: true, schema: { type: string } }"#,
        )
        .replace(
            r#"- { name: "page[size]", in: query, schema: { type: integer } }"#,
            r#"- { name: "page[size]", in: query, schema: { type: string } }
        - { name: "sort", in: query, schema: { type: string } }"#,
        );
    assert_eq!(
        changes(BASE, &new),
        [
            c(
                true,
                "`list_items` (GET /items)",
                "parameter `query filter[name]` removed"
            ),
            c(
                true,
                "`list_items` (GET /items)",
                "parameter `query page[size]` retyped: `i64` → `String`"
            ),
            c(
                true,
                "`list_items` (GET /items)",
                "required parameter `query filter[tag]` added"
            ),
            c(
                false,
                "`list_items` (GET /items)",
                "optional parameter `query sort` added"
            ),
        ]
    );
}

#[test]
fn fields_nullability_and_enums() {
    let new = BASE
        .replace(
            "price: { type: integer }",
            "price: { type: [integer, 'null'] }\n        note: { type: string }",
        )
        .replace("id: { type: string }", "id: { type: [string, 'null'] }")
        .replace("enum: [active, gone]", "enum: [active, paused]");
    assert_eq!(
        changes(BASE, &new),
        [
            c(true, "type `ItemStatus`", "enum value `gone` removed"),
            c(true, "type `Item`", "field `id` became nullable"),
            c(true, "type `Item`", "field `price` became nullable"),
            c(
                false,
                "type `ItemStatus`",
                "enum value `paused` added (it decoded as `Unknown` before)"
            ),
            c(false, "type `Item`", "optional field `note` added"),
        ]
    );
}

#[test]
fn named_integer_values_added_removed_and_renumbered() {
    let level = |members: &str| {
        BASE.replace(
            "price: { type: integer }",
            &format!("price: {{ type: integer }}\n        level: {{ type: integer, oneOf: [{members}] }}"),
        )
    };
    let old =
        level("{ title: LOW, const: 0 }, { title: HIGH, const: 1 }, { title: MAX, const: 2 }");
    let new =
        level("{ title: LOW, const: 0 }, { title: HIGH, const: 5 }, { title: TOP, const: 3 }");
    assert_eq!(
        changes(&old, &new),
        [
            c(true, "type `ItemLevel`", "constant `HIGH` changed: 1 → 5"),
            c(true, "type `ItemLevel`", "constant `MAX` removed"),
            c(false, "type `ItemLevel`", "constant `TOP` (3) added"),
        ]
    );
    // From a plain integer to named values: the field's type changes.
    assert_eq!(
        changes(
            &BASE.replace(
                "price: { type: integer }",
                "price: { type: integer }\n        level: { type: integer }"
            ),
            &old
        ),
        [
            c(
                true,
                "type `Item`",
                "field `level` retyped: `Option<i64>` → `Option<ItemLevel>`"
            ),
            c(false, "type `ItemLevel`", "type added"),
        ]
    );
}

#[test]
fn operations_and_types_added_removed_and_renamed() {
    let new = BASE
        .replace("operationId: listItems", "operationId: getItems")
        .replace(
            "'#/components/schemas/item'",
            "'#/components/schemas/product'",
        )
        .replace("    item:\n", "    product:\n")
        + r#"
    extra: { type: object, properties: { a: { type: string } } }
"#;
    let new = new.replace(
        "components:",
        "  /health:\n    get:\n      operationId: health\n      responses: { \"204\": { description: ok } }\ncomponents:",
    );
    assert_eq!(
        changes(BASE, &new),
        [
            c(
                true,
                "`list_items` (GET /items)",
                "method renamed to `get_items`"
            ),
            c(true, "type `ItemStatus`", "renamed to `ProductStatus`"),
            c(true, "type `Item`", "renamed to `Product`"),
            c(false, "`health` (GET /health)", "operation added"),
            c(false, "type `Extra`", "type added"),
        ]
    );
    let reverse = changes(&new, BASE);
    assert!(
        reverse.contains(&c(true, "`health` (GET /health)", "operation removed")),
        "{reverse:#?}"
    );
    assert!(
        reverse.contains(&c(true, "type `Extra`", "type removed")),
        "{reverse:#?}"
    );
}

/// The Kajabi document with `filter[search]` taken out of `GET /v1/customers` and a new
/// required `filter[region]` added, both by an overlay.
#[test]
fn kajabi_with_a_filter_removed_and_a_required_parameter_added() {
    let spec = std::fs::read_to_string(xtask::workspace_root().join("openapi.yaml")).unwrap();
    let base = generate_with_overlays(&spec, &[], &Default::default()).unwrap();
    let edit = OverlaySource {
        name: "edit.yaml".into(),
        text: r#"
overlay: 1.0.0
info: { title: edit, version: "1" }
actions:
  - target: "$.paths['/v1/customers'].get.parameters[?@.name == 'filter[search]']"
    remove: true
  - target: "$.paths['/v1/customers'].get.parameters"
    update: { name: "filter[region]", in: query, required: true, schema: { type: string } }
"#
        .into(),
    };
    let edited = generate_with_overlays(&spec, &[edit], &Default::default()).unwrap();
    let found = compare(&Surface::of(&base.api), &Surface::of(&edited.api));
    assert_eq!(
        found,
        [
            Change {
                breaking: true,
                deprecation: false,
                subject: "`list_customers` (GET /v1/customers)".into(),
                what: "parameter `query filter[search]` removed".into()
            },
            Change {
                breaking: true,
                deprecation: false,
                subject: "`list_customers` (GET /v1/customers)".into(),
                what: "required parameter `query filter[region]` added".into()
            },
        ]
    );
}

#[test]
fn the_changes_file_grows_newest_first_and_only_on_change() {
    let old = surface(BASE);
    let new = surface(&BASE.replace("version: \"1\"", "version: \"2\"").replace(
        "price: { type: integer }",
        "price: { type: integer }\n        note: { type: string }",
    ));
    let (first, report) = changes_file(None, None, &old);
    assert!(report.is_none());
    assert!(first.contains("## Shop 1\n\nFirst generation."), "{first}");
    let (second, report) = changes_file(Some(&first), Some(&old), &new);
    let (text, found) = report.unwrap();
    assert_eq!(found.len(), 1);
    assert!(text.starts_with("## Shop 1 → 2\n"), "{text}");
    assert!(
        second.contains(
            "### Non-breaking\n\n- type `Item`: optional field `note` added (affects `list_items`)"
        ),
        "{second}"
    );
    // Newest first, history kept.
    assert!(
        second.find("## Shop 1 → 2").unwrap() < second.find("## Shop 1\n").unwrap(),
        "{second}"
    );
    // Regenerating with no change leaves the file as it is.
    let (third, _) = changes_file(Some(&second), Some(&new), &new);
    assert_eq!(third, second);
}

#[test]
fn deprecations_are_their_own_class() {
    let new = BASE
        .replace(
            r#"- { name: "page[size]", in: query, schema: { type: integer } }"#,
            r#"- { name: "page[size]", in: query, deprecated: true, schema: { type: integer } }"#,
        )
        .replace(
            "price: { type: integer }",
            "price: { type: integer, deprecated: true }",
        )
        .replace(
            "      operationId: listItems",
            "      operationId: listItems\n      deprecated: true",
        )
        .replace(
            "    item:\n      type: object",
            "    item:\n      type: object\n      deprecated: true",
        );
    let old = surface(BASE);
    let new = surface(&new);
    let found = compare(&old, &new);
    let deprecations: Vec<(&str, &str)> = found
        .iter()
        .filter(|c| c.deprecation)
        .map(|c| (c.subject.as_str(), c.what.as_str()))
        .collect();
    assert_eq!(
        deprecations,
        [
            ("`list_items` (GET /items)", "operation deprecated"),
            (
                "`list_items` (GET /items)",
                "parameter `query page[size]` deprecated"
            ),
            ("type `Item`", "field `price` deprecated"),
            ("type `Item`", "type deprecated"),
        ]
    );
    // Only deprecations: nothing breaks, nothing else changed.
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().all(|c| !c.breaking));
    let (_, report) = changes_file(Some("# API changes\n"), Some(&old), &new);
    let (text, _) = report.unwrap();
    assert!(
        text.contains("0 breaking, 4 deprecations, 0 non-breaking."),
        "{text}"
    );
    assert!(
        text.contains("### Deprecated\n\n- `list_items` (GET /items): operation deprecated\n"),
        "{text}"
    );
    assert!(
        text.contains("- type `Item`: type deprecated (affects `list_items`)\n"),
        "{text}"
    );
    // And back.
    let back = compare(&new, &old);
    assert!(back
        .iter()
        .any(|c| c.deprecation && c.what == "type no longer deprecated"));
}
