//! Keyword lookups in the document's JSON objects.
//!
//! `serde_json`'s map (an `IndexMap`, to keep the document's order) hashes every key it looks
//! up with SipHash; normalization asks each schema, most of them a handful of keys, about
//! dozens of keywords, and the hashing was most of its time. A small object is searched
//! in order instead, which for a few short keys costs less than one hash.

use serde_json::{Map, Value};

/// Up to this many keys an object is searched in order.
const SCANNED: usize = 12;

pub trait Keys {
    fn find(&self, key: &str) -> Option<&Value>;
    fn find_mut(&mut self, key: &str) -> Option<&mut Value>;

    fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }
}

impl Keys for Map<String, Value> {
    fn find(&self, key: &str) -> Option<&Value> {
        if self.len() <= SCANNED {
            self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
        } else {
            self.get(key)
        }
    }

    fn find_mut(&mut self, key: &str) -> Option<&mut Value> {
        if self.len() <= SCANNED {
            self.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
        } else {
            self.get_mut(key)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Keys;

    #[test]
    fn small_and_large_objects_find_the_same_keys() {
        for n in [0, 1, super::SCANNED, super::SCANNED + 1, 40] {
            let mut map = serde_json::Map::new();
            for i in 0..n {
                map.insert(format!("k{i}"), json!(i));
            }
            for i in 0..n {
                let key = format!("k{i}");
                assert_eq!(map.find(&key), Some(&json!(i)), "{key} of {n}");
                *map.find_mut(&key).unwrap() = json!(-(i as i64));
                assert_eq!(map.get(&key), Some(&json!(-(i as i64))));
            }
            assert!(!map.has("absent") && !map.has(""));
        }
    }
}
