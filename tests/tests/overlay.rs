//! OpenAPI Overlay 1.0 semantics: update merges, remove deletes, arrays get appended to, and
//! a target that matches nothing is an error naming the action.

use generator::overlay::{apply, OverlaySource};
use serde_json::json;

fn doc() -> serde_json::Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "T", "version": "1" },
        "paths": {
            "/a": { "get": { "parameters": [
                { "name": "page[number]", "in": "query", "schema": { "type": "number" } },
                { "name": "q", "in": "query", "schema": { "type": "string" } }
            ], "tags": ["x"] } },
            "/b": { "get": { "parameters": [
                { "name": "page[number]", "in": "query", "schema": { "type": "number", "description": "kept" } }
            ] } }
        },
        "components": { "schemas": { "thing": { "type": "object", "properties": { "a": { "type": "string" }, "b": { "type": "string" } } } } }
    })
}

fn overlay(actions: &str) -> OverlaySource {
    OverlaySource {
        name: "test.overlay.yaml".into(),
        text: format!("overlay: 1.0.0\ninfo: {{ title: Test, version: '1' }}\nactions:\n{actions}"),
    }
}

#[test]
fn update_merges_recursively_into_every_target() {
    let mut d = doc();
    let applied = apply(
        &mut d,
        &overlay("  - target: \"$.paths.*.get.parameters[?@.name == 'page[number]'].schema\"\n    update: { type: integer, minimum: 1 }\n"),
    )
    .unwrap();
    assert_eq!(applied.actions[0].1, 2);
    assert_eq!(
        d["paths"]["/a"]["get"]["parameters"][0]["schema"],
        json!({ "type": "integer", "minimum": 1 })
    );
    assert_eq!(
        d["paths"]["/b"]["get"]["parameters"][0]["schema"],
        json!({ "type": "integer", "description": "kept", "minimum": 1 })
    );
    assert_eq!(
        d["paths"]["/a"]["get"]["parameters"][1]["schema"],
        json!({ "type": "string" })
    );
}

#[test]
fn nested_objects_merge_and_scalars_replace() {
    let mut d = doc();
    apply(
        &mut d,
        &overlay("  - target: $.components.schemas.thing\n    update:\n      description: new\n      properties:\n        a: { format: email }\n        c: { type: integer }\n"),
    )
    .unwrap();
    assert_eq!(
        d["components"]["schemas"]["thing"],
        json!({ "type": "object", "properties": {
            "a": { "type": "string", "format": "email" },
            "b": { "type": "string" },
            "c": { "type": "integer" }
        }, "description": "new" })
    );
}

#[test]
fn remove_deletes_every_target() {
    let mut d = doc();
    apply(&mut d, &overlay("  - target: $.components.schemas.thing.properties['a','b']\n    remove: true\n  - target: \"$.paths['/a'].get.parameters[0]\"\n    remove: true\n")).unwrap();
    assert_eq!(d["components"]["schemas"]["thing"]["properties"], json!({}));
    let params = d["paths"]["/a"]["get"]["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 1);
    assert_eq!(params[0]["name"], "q");
}

#[test]
fn an_array_target_gets_the_update_appended() {
    let mut d = doc();
    apply(
        &mut d,
        &overlay("  - target: \"$.paths['/a'].get.tags\"\n    update: y\n"),
    )
    .unwrap();
    assert_eq!(d["paths"]["/a"]["get"]["tags"], json!(["x", "y"]));
}

#[test]
fn a_target_matching_nothing_is_an_error_naming_the_action() {
    let mut d = doc();
    let before = d.clone();
    let err = apply(
        &mut d,
        &overlay("  - target: $.components.schemas.thing\n    update: { description: fine }\n  - description: Fix the widgets\n    target: $.components.schemas.widget\n    update: { type: object }\n"),
    )
    .unwrap_err();
    let first = err.errors().next().unwrap();
    assert_eq!(first.pointer, "test.overlay.yaml#/actions/1/target");
    assert!(first.message.contains("\"Fix the widgets\""), "{first}");
    assert!(first.message.contains("matches nothing"), "{first}");
    // Nothing was applied, not even the first action.
    assert_eq!(d, before);
}

#[test]
fn malformed_actions_are_errors() {
    for (actions, expected) in [
        (
            "  - target: \"$[\"\n    remove: true\n",
            "not a valid JSONPath",
        ),
        (
            "  - target: $.paths\n",
            "neither `update` nor `remove: true`",
        ),
        (
            "  - target: $.paths\n    update: {}\n    remove: true\n",
            "both `update` and `remove`",
        ),
        (
            "  - target: $.info.title\n    update: { a: 1 }\n",
            "neither an object nor an array",
        ),
        (
            "  - target: $.paths\n    update: 3\n",
            "needs an object `update`",
        ),
        (
            "  - target: $.paths\n    remove: true\n    colour: red\n",
            "unknown field `colour`",
        ),
    ] {
        let mut d = doc();
        let err = apply(&mut d, &overlay(actions)).unwrap_err();
        assert!(err.to_string().contains(expected), "{actions}: {err}");
    }
}

#[test]
fn overlays_apply_in_order_through_generation() {
    let spec = serde_json::to_string(&doc()).unwrap();
    let first = overlay("  - target: \"$.paths['/a'].get\"\n    update: { operationId: listA }\n");
    let second =
        overlay("  - target: \"$.paths['/a'].get\"\n    update: { operationId: fetchAll }\n");
    let generated =
        generator::generate_with_overlays(&spec, &[first, second], &Default::default()).unwrap();
    assert_eq!(generated.api.paths[0].operations[0].rust_name, "fetch_all");
    assert_eq!(generated.overlays.len(), 2);
}
