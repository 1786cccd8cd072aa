//! Unions told apart by a discriminator property, or by the shape of their members: the
//! generated `Serialize` and `Deserialize` impls of unions call these.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The discriminator value of an object, when it has one that is a string.
pub(crate) fn tag<'a>(value: &'a Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// The discriminator value of an object, when it has one that is an integer.
pub(crate) fn number_tag(value: &Value, property: &str) -> Option<i64> {
    value.get(property)?.as_i64()
}

/// The JSON kind of a union member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Any,
}

/// What a value must look like to be tried as a union member.
#[derive(Debug)]
pub(crate) struct Shape {
    pub(crate) kind: Kind,
    /// The values allowed for the whole value (as text); empty for any.
    pub(crate) values: &'static [&'static str],
    /// Properties that, when present, hold this value (as text).
    pub(crate) fixed: &'static [(&'static str, &'static str)],
    /// Properties that must be present.
    pub(crate) required: &'static [&'static str],
}

fn text(value: &Value) -> std::borrow::Cow<'_, str> {
    match value {
        Value::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}

/// Whether `value` fits `shape`: of its kind, one of its values, its fixed properties (when
/// present) as it fixes them, its required properties present.
pub(crate) fn fits(value: &Value, shape: &Shape) -> bool {
    let kind = match (shape.kind, value) {
        (Kind::Any, _) | (Kind::Object, Value::Object(_)) | (Kind::String, Value::String(_)) => true,
        (Kind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Kind::Number, Value::Number(_)) | (Kind::Boolean, Value::Bool(_)) | (Kind::Array, Value::Array(_)) => true,
        _ => false,
    };
    if !kind {
        return false;
    }
    if !shape.values.is_empty() && !shape.values.contains(&text(value).as_ref()) {
        return false;
    }
    let Value::Object(map) = value else { return true };
    shape.fixed.iter().all(|(property, fixed)| map.get(*property).is_none_or(|v| text(v) == *fixed))
        && shape.required.iter().all(|property| map.contains_key(*property))
}

/// The members (indices into `shapes`, which list the most specific first) that `value`
/// fits, in the order to try them: those it gives more evidence for first (fixed
/// properties present with their value, required ones present), then those with fewer fixed
/// properties missing, then as listed.
pub(crate) fn candidates(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    let mut fitting: Vec<(usize, usize, usize)> = shapes
        .iter()
        .enumerate()
        .filter(|(_, shape)| fits(value, shape))
        .map(|(i, shape)| {
            let (present, absent) = match value {
                Value::Object(map) => {
                    let present = shape.fixed.iter().filter(|(p, _)| map.contains_key(*p)).count();
                    (present, shape.fixed.len() - present)
                }
                _ => (0, 0),
            };
            let evidence = present + shape.required.len() + usize::from(!shape.values.is_empty());
            (i, evidence, absent)
        })
        .collect();
    fitting.sort_by_key(|&(i, evidence, absent)| (std::cmp::Reverse(evidence), absent, i));
    fitting.into_iter().map(|(i, _, _)| i).collect()
}

/// Decodes `value` as `T`, when it is one.
pub(crate) fn try_decode<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// Decodes the variant the discriminator names, property included.
pub(crate) fn decode<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Encodes a variant with its discriminator: the variant says which member the value is,
/// so unless the property already holds `tag` or one of the variant's `others`, `tag` is
/// written there (a member struct's own copy of the property, left empty or stale, cannot
/// send the value as another member).
pub(crate) fn encode<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: impl Into<Value>,
    others: &[&str],
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let Value::Object(map) = &mut value {
        let tag = tag.into();
        let slot = map.entry(property).or_insert(Value::Null);
        let held = text(slot);
        if *slot != tag && !others.contains(&held.as_ref()) {
            *slot = tag;
        }
    }
    value.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fit_shapes() {
        let contact = Shape { kind: Kind::Object, values: &[], fixed: &[("type", "contacts")], required: &["id"] };
        assert!(fits(&serde_json::json!({"id": "1", "type": "contacts"}), &contact));
        assert!(fits(&serde_json::json!({"id": "1"}), &contact), "a fixed property may be absent");
        assert!(!fits(&serde_json::json!({"id": "1", "type": "contact_tags"}), &contact));
        assert!(!fits(&serde_json::json!({"type": "contacts"}), &contact), "a required property is missing");
        assert!(!fits(&serde_json::json!("contacts"), &contact));
        let color = Shape { kind: Kind::String, values: &["red", "blue"], fixed: &[], required: &[] };
        assert!(fits(&serde_json::json!("red"), &color) && !fits(&serde_json::json!("green"), &color));
        let two = Shape { kind: Kind::Integer, values: &["2"], fixed: &[], required: &[] };
        assert!(fits(&serde_json::json!(2), &two) && !fits(&serde_json::json!(2.5), &two));
        assert_eq!(try_decode::<u8>(&serde_json::json!(7)), Some(7));
        let loose = Shape { kind: Kind::Object, values: &[], fixed: &[], required: &[] };
        let specific = Shape { kind: Kind::Object, values: &[], fixed: &[], required: &["id"] };
        let shapes = [contact, specific, loose];
        // Evidence first: the fixed `type` present, then the required `id`.
        assert_eq!(candidates(&serde_json::json!({"id": "1", "type": "contacts"}), &shapes), [0, 1, 2]);
        // As much evidence (the required `id`): the one missing no fixed property first.
        assert_eq!(candidates(&serde_json::json!({"id": "1"}), &shapes), [1, 0, 2]);
        assert_eq!(candidates(&serde_json::json!({"type": "other"}), &shapes), [2]);
        // No evidence either way: one that misses nothing beats one whose fixed property is
        // absent.
        let resource = Shape { kind: Kind::Object, values: &[], fixed: &[("type", "r")], required: &[] };
        let shapes = [resource, Shape { kind: Kind::Object, values: &[], fixed: &[], required: &[] }];
        assert_eq!(candidates(&serde_json::json!({"note": "x"}), &shapes), [1, 0]);
        assert_eq!(candidates(&serde_json::json!({"type": "r"}), &shapes), [0, 1]);
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cat {
        #[serde(rename = "petType", skip_serializing_if = "Option::is_none")]
        pet_type: Option<String>,
        lives: u8,
    }

    #[test]
    fn the_tag_is_read_and_kept() {
        let value = serde_json::json!({"petType": "cat", "lives": 9});
        assert_eq!(tag(&value, "petType"), Some("cat"));
        assert_eq!(tag(&value, "kind"), None);
        assert_eq!(tag(&serde_json::json!({"petType": 3}), "petType"), None);
        let cat: Cat = decode::<_, serde_json::Error>(value).unwrap();
        assert_eq!(cat, Cat { pet_type: Some("cat".into()), lives: 9 });
    }

    #[test]
    fn the_variant_writes_its_tag() {
        let cat = Cat { pet_type: None, lives: 3 };
        let json = encode(serde_json::value::Serializer, "petType", "cat", &[], &cat).unwrap();
        assert_eq!(json, serde_json::json!({"petType": "cat", "lives": 3}));
        // Another of the variant's own values stays.
        let cat = Cat { pet_type: Some("Cat".into()), lives: 3 };
        let json = encode(serde_json::value::Serializer, "petType", "cat", &["Cat"], &cat).unwrap();
        assert_eq!(json["petType"], "Cat");
        // An empty or stale copy in the member's struct cannot make it another member.
        for stale in ["", "dog"] {
            let cat = Cat { pet_type: Some(stale.into()), lives: 3 };
            let json = encode(serde_json::value::Serializer, "petType", "cat", &["Cat"], &cat).unwrap();
            assert_eq!(json["petType"], "cat");
        }
        let json = encode(serializer_for_test(), "kind", 7, &[], &serde_json::json!({"a": 1, "kind": 7})).unwrap();
        assert_eq!(json, serde_json::json!({"a": 1, "kind": 7}));
        let json = encode(serializer_for_test(), "kind", 7, &["8"], &serde_json::json!({"a": 1, "kind": 8})).unwrap();
        assert_eq!(json["kind"], 8);
        let json = encode(serializer_for_test(), "kind", 7, &[], &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(json, serde_json::json!({"a": 1, "kind": 7}));
        assert_eq!(number_tag(&json, "kind"), Some(7));
        assert_eq!(number_tag(&serde_json::json!({"kind": "7"}), "kind"), None);
    }

    fn serializer_for_test() -> serde_json::value::Serializer {
        serde_json::value::Serializer
    }
}
