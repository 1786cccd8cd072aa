//! Example values, set aside while the document model is read.
//!
//! The model (`openapiv3`) reads every example value into a `serde_json::Value` of its own,
//! and reads it more than once on the way: an example sits under an untagged `ReferenceOr`,
//! which buffers the whole subtree before it knows which variant it has. Nothing the generator
//! makes depends on example values (the document's value keeps them for whoever reads it), and
//! they are a large part of many documents (a third of GitHub's, in `components/examples`).
//! So they are taken out of the document (a `null` left in their place, which the model reads
//! as no example), the model is read, and they are put back where they were.

use serde_json::Value;

use crate::bundle::Place;

/// Example values taken out of a document, in the order [`set_aside`] met them.
#[must_use = "the example values must be put back with `restore`"]
pub(crate) struct SetAside(Vec<Value>);

/// Takes every example value out of `document`: the `value` of each Example Object and the
/// `example` of each media type, parameter, header and schema.
pub(crate) fn set_aside(document: &mut Value) -> SetAside {
    let mut taken = Vec::new();
    each_example(document, Place::Document, &mut |v| {
        taken.push(std::mem::take(v))
    });
    SetAside(taken)
}

/// Puts the values [`set_aside`] took back where they were. `document` must have the shape it
/// had then (only the model was read in between).
pub(crate) fn restore(document: &mut Value, set_aside: SetAside) {
    let mut values = set_aside.0.into_iter();
    each_example(document, Place::Document, &mut |v| {
        if let Some(value) = values.next() {
            *v = value;
        }
    });
    debug_assert!(values.next().is_none(), "every example value goes back");
}

/// Whether `key` of an object at `place` holds an example value: the `value` of an Example
/// Object, the `example` of a media type, parameter, header or schema.
pub(crate) fn holds_example(place: Place, key: &str) -> bool {
    match place {
        Place::Example => key == "value",
        Place::MediaType | Place::Parameter | Place::Header | Place::Schema => key == "example",
        _ => false,
    }
}

/// Calls `f` on each example value of `node`, which is at `place`, in document order.
fn each_example(node: &mut Value, place: Place, f: &mut impl FnMut(&mut Value)) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if holds_example(place, key) {
                    f(child);
                    continue;
                }
                let child_place = place.child(key, child);
                if !matches!(child_place, Place::Literal | Place::Other) {
                    each_example(child, child_place, f);
                }
            }
        }
        Value::Array(items) => {
            let item_place = place.item();
            if !matches!(item_place, Place::Literal | Place::Other) {
                for item in items {
                    each_example(item, item_place, f);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{restore, set_aside};

    #[test]
    fn examples_are_taken_out_and_put_back_in_place() {
        let original = json!({
            "openapi": "3.0.3",
            "paths": {"/pets": {"get": {
                "parameters": [{"name": "q", "in": "query", "example": "cat",
                    "schema": {"type": "string", "example": "dog"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        // A property named `example` is a schema, not an example.
                        "example": {"type": "string", "example": "kept"}
                    }},
                    "example": {"id": 1},
                    "examples": {"one": {"summary": "One", "value": [1, 2]}}
                }}}}
            }}},
            "components": {"examples": {"big": {"value": {"deep": [1, 2, 3]}}}},
            "x-example": "an extension stays"
        });
        let mut document = original.clone();
        let taken = set_aside(&mut document);
        let content =
            &document["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(content["example"], json!(null));
        assert_eq!(content["examples"]["one"]["value"], json!(null));
        assert_eq!(content["examples"]["one"]["summary"], json!("One"));
        // The property schema named `example` is there, its own example taken.
        assert_eq!(
            content["schema"]["properties"]["example"],
            json!({"type": "string", "example": null})
        );
        let parameter = &document["paths"]["/pets"]["get"]["parameters"][0];
        assert_eq!(parameter["example"], json!(null));
        assert_eq!(parameter["schema"]["example"], json!(null));
        assert_eq!(
            document["components"]["examples"]["big"]["value"],
            json!(null)
        );
        assert_eq!(document["x-example"], json!("an extension stays"));
        restore(&mut document, taken);
        assert_eq!(document, original);
        // The keys keep their order.
        assert_eq!(
            serde_json::to_string(&document).unwrap(),
            serde_json::to_string(&original).unwrap()
        );
    }
}
