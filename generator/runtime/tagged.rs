//! Unions told apart by a discriminator property: the generated `Serialize` and
//! `Deserialize` impls of such unions call these.

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

/// Decodes the variant the discriminator names, property included.
pub(crate) fn decode<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Encodes a variant; when it lacks the discriminator property (or has it null), `tag` is
/// written there.
pub(crate) fn encode<S: Serializer, T: Serialize>(
    serializer: S,
    property: &str,
    tag: impl Into<Value>,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let Value::Object(map) = &mut value {
        let slot = map.entry(property).or_insert(Value::Null);
        if slot.is_null() {
            *slot = tag.into();
        }
    }
    value.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_missing_tag_is_written() {
        let cat = Cat { pet_type: None, lives: 3 };
        let json = encode(serde_json::value::Serializer, "petType", "cat", &cat).unwrap();
        assert_eq!(json, serde_json::json!({"petType": "cat", "lives": 3}));
        let cat = Cat { pet_type: Some("Cat".into()), lives: 3 };
        let json = encode(serde_json::value::Serializer, "petType", "cat", &cat).unwrap();
        assert_eq!(json["petType"], "Cat");
        let json = encode(serializer_for_test(), "kind", 7, &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(json, serde_json::json!({"a": 1, "kind": 7}));
        assert_eq!(number_tag(&json, "kind"), Some(7));
        assert_eq!(number_tag(&serde_json::json!({"kind": "7"}), "kind"), None);
    }

    fn serializer_for_test() -> serde_json::value::Serializer {
        serde_json::value::Serializer
    }
}
