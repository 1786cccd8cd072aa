//! Which inline schemas share one type, and what that type is called.
//!
//! Lowering runs twice. The first pass records every place each structure of inline schema
//! appears ([`Sites`]); [`decide`] then names each structure met in several places for what
//! it is in all of them (its `title`, or the words the places' own names end in), or gives
//! each place a type of its own when they have nothing in common, so that no type is named
//! after one of several unrelated owners. The second pass follows that plan.
//!
//! The structure is the schema without its documentation ([`key`]): a description or a
//! `deprecated: true` added to one place neither splits a shared type nor renames it.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;

use super::names::pascal;

/// The places one structure was met.
#[derive(Debug, Default)]
pub struct Sites {
    /// The name each place would give the type, in order of discovery.
    hints: Vec<String>,
    /// Each place's JSON pointer.
    pointers: Vec<String>,
    title: Option<String>,
    docs: Vec<Option<String>>,
    /// The values of a string enum.
    values: Vec<String>,
}

impl Sites {
    pub fn add(&mut self, hint: &str, at: &str, schema: &Schema, doc: Option<String>) {
        if self.pointers.iter().any(|p| p == at) {
            return;
        }
        self.hints.push(hint.to_owned());
        self.pointers.push(at.to_owned());
        self.docs.push(doc);
        if let SchemaKind::Type(Type::String(string)) = &schema.schema_kind {
            self.values = string.enumeration.iter().flatten().cloned().collect();
        }
        if self.title.is_none() {
            self.title = schema
                .schema_data
                .title
                .clone()
                .filter(|t| !pascal(t).is_empty());
        }
    }
}

/// What the second pass does with a structure met in several places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharing {
    /// One type of this name (made unique) and rustdoc for every place.
    Shared { name: String, doc: Option<String> },
    /// A type of its own at each place, named after it.
    Separate,
}

/// Words that say where a value sits, not what it is: a name made of them alone would fit
/// anything.
const PLACE_WORDS: &[&str] = &[
    "Item",
    "Items",
    "Data",
    "Type",
    "Body",
    "Request",
    "Response",
    "Value",
    "Values",
    "Object",
    "Attributes",
    "Properties",
    "Result",
    "Results",
    "Content",
    "Payload",
    "Variant",
    "Inner",
    "Index",
    "Show",
    "List",
    "Get",
    "Create",
    "Update",
    "Delete",
];

/// `taken`: names given already (components, the runtime's), which a shared type does not
/// take while it has another candidate.
/// `renames`: names configured by JSON pointer; a structure met at one of them has that name.
pub fn decide(
    sites: &IndexMap<String, Sites, rustc_hash::FxBuildHasher>,
    taken: &HashSet<String>,
    renames: &BTreeMap<String, String>,
) -> HashMap<String, Sharing> {
    // Each shared structure's names, best first.
    let mut wanted: Vec<(&String, Vec<String>, Option<String>)> = Vec::new();
    let mut plan = HashMap::default();
    for (key, sites) in sites {
        if sites.pointers.len() < 2 {
            continue;
        }
        let configured = sites.pointers.iter().find_map(|p| renames.get(p));
        if let Some(name) = configured {
            let doc = sites.docs[0].clone();
            plan.insert(
                key.clone(),
                Sharing::Shared {
                    name: name.clone(),
                    doc,
                },
            );
            continue;
        }
        let (mut names, weak) = match &sites.title {
            Some(title) => (vec![pascal(title)], false),
            None => common_names(&sites.hints),
        };
        // A string enum of a few values can be named for them: `AscOrDesc`, `HooksType`
        // where every place is a `...Type`; before a name that only says where it sits.
        if let Some(mut name) = values_name(&sites.values) {
            if let Some(word) = common_last_word(&sites.hints) {
                name.push_str(word);
            }
            if !names.contains(&name) {
                let at = if weak { 0 } else { names.len() };
                names.insert(at, name);
            }
        }
        if names.is_empty() {
            plan.insert(key.clone(), Sharing::Separate);
            continue;
        }
        // Should those names be taken, the owner every place shares qualifies them:
        // `ReleaseProject` for the `Project` of releases' several responses.
        for owner in common_owners(&sites.hints) {
            if let Some(base) = names.first() {
                let qualified = format!("{owner}{base}");
                if !base.starts_with(owner) && !names.contains(&qualified) {
                    names.push(qualified);
                }
            }
        }
        let first = &sites.docs[0];
        let doc = sites
            .docs
            .iter()
            .all(|d| d == first)
            .then(|| first.clone())
            .flatten();
        wanted.push((key, names, doc));
    }
    // A name two structures want, or one given already, says too little: those structures
    // take their next name.
    let mut choice = vec![0usize; wanted.len()];
    loop {
        let mut count: HashMap<&str, usize> = HashMap::default();
        for (i, (_, names, _)) in wanted.iter().enumerate() {
            *count.entry(names[choice[i]].as_str()).or_default() += 1;
        }
        let mut moved = false;
        for (i, (_, names, _)) in wanted.iter().enumerate() {
            let name = names[choice[i]].as_str();
            let clash =
                count[name] > 1 || taken.contains(name) || super::names::is_reserved_type(name);
            if clash && choice[i] + 1 < names.len() {
                choice[i] += 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // A structure left with a name given already would be numbered (`Address2` beside the
    // component `Address`), which says nothing of what it is: its places get types of their
    // own, named after them. Of several structures left wanting one name, the first met
    // keeps it.
    let mut given: HashSet<String> = HashSet::default();
    for (i, (key, names, doc)) in wanted.into_iter().enumerate() {
        let name = names[choice[i]].clone();
        if taken.contains(&name)
            || super::names::is_reserved_type(&name)
            || !given.insert(name.clone())
        {
            plan.insert(key.clone(), Sharing::Separate);
            continue;
        }
        plan.insert(key.clone(), Sharing::Shared { name, doc });
    }
    if std::env::var_os("CODEGEN_DEBUG_SHARING").is_some() {
        for (key, site) in sites {
            if let Some(sharing) = plan.get(key) {
                eprintln!("{sharing:?} <- {:?}", site.hints);
            }
        }
    }
    plan
}

/// Words every hint has that name an owner, not a place (`Release` in
/// `CreateOrganizationReleaseResponseProjectsItem` and `OrgReleaseResponseProjectsItem`),
/// nearest the end of the first hint first; at most two.
fn common_owners(hints: &[String]) -> Vec<&str> {
    let split: Vec<Vec<&str>> = hints.iter().map(|h| pascal_words(h)).collect();
    let mut owners = Vec::new();
    for word in split[0].iter().rev() {
        if owners.len() == 2 {
            break;
        }
        let owner = !is_place_word(word)
            && !is_element_word(word)
            && !owners.contains(word)
            // The last word is what the value is, not whose.
            && split.iter().all(|w| w[..w.len().saturating_sub(1)].contains(word));
        if owner {
            owners.push(*word);
        }
    }
    owners
}

/// `AllDisabled` for `[all-disabled]`, `AscOrDesc` for `[asc, desc]`; `None` for more than
/// three values or values that make no words.
fn values_name(values: &[String]) -> Option<String> {
    if values.is_empty() || values.len() > 3 {
        return None;
    }
    let words: Vec<String> = values.iter().map(|v| pascal(v)).collect();
    if words
        .iter()
        .any(|w| w.is_empty() || w.len() > 24 || w.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    Some(words.join("Or"))
}

/// The last word of every hint, when they all end in the same one.
fn common_last_word(hints: &[String]) -> Option<&str> {
    fn last(hint: &str) -> Option<&str> {
        pascal_words(hint).last().copied()
    }
    let first = last(&hints[0])?;
    hints
        .iter()
        .all(|h| last(h) == Some(first))
        .then_some(first)
}

/// The names [`common_name`] gives, shortest first, then with the words the places' names
/// have in common before it (`ResponseItemPullRequest` after `PullRequest`).
/// Also whether they only say where the places sit and who owns them.
fn common_names(hints: &[String]) -> (Vec<String>, bool) {
    let mut names: Vec<String> = Vec::new();
    let mut weak = false;
    for long in [false, true] {
        if let Some((name, only_place)) = common_name(hints, long) {
            weak |= only_place;
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    (names, weak)
}

/// A name for what the places have in common: the words all their names end in (where the
/// value sits, `Item` or `Data`, left aside; a plural the same as its singular), after the
/// words they all begin with: `ContactsLinks` for `ContactsIndexResponseDataItemLinks` and
/// `ContactsShowResponseDataLinks`, `Team` for `ProjectTeamsItem` and `MonitorTeam`. `None`
/// when the endings differ (`RelationshipsSite`, `RelationshipsContact`).
fn common_name(hints: &[String], long: bool) -> Option<(String, bool)> {
    let split: Vec<Vec<&str>> = hints.iter().map(|h| pascal_words(h)).collect();
    let first = &split[0];
    if split.iter().all(|w| w == first) {
        return Some((hints[0].clone(), false));
    }
    // The words lowering adds for an array's items, a map's values, a union's members.
    let cores: Vec<&[&str]> = split
        .iter()
        .map(|w| {
            let kept = w.len() - w.iter().rev().take_while(|w| is_element_word(w)).count();
            &w[..kept]
        })
        .collect();
    // An element of a list is one of them: `Tag` for the items of `tags`.
    let is_element = |(w, c): (&Vec<&str>, &&[&str])| w.len() > c.len() && w[c.len()] == "Item";
    let some_element = split.iter().zip(&cores).any(is_element);
    let all_elements = split.iter().zip(&cores).all(is_element);
    let shortest = cores.iter().map(|c| c.len()).min().unwrap_or(0);
    fn at_end<'w>(c: &[&'w str], n: usize) -> &'w str {
        stem(c[c.len() - 1 - n])
    }
    let suffix = (0..shortest)
        .take_while(|&n| cores.iter().all(|c| at_end(c, n) == at_end(cores[0], n)))
        .count();
    if suffix == 0 {
        return None;
    }
    let prefix = (0..shortest - suffix)
        .take_while(|&n| cores.iter().all(|c| c[n] == cores[0][n]))
        .count();
    let core = cores[0];
    let full_ending = &core[core.len() - suffix..];
    let mut ending = full_ending;
    // `ResponseItemPullRequest` is a `PullRequest`.
    while !long && ending.len() > 1 && is_place_word(ending[0]) {
        ending = &ending[1..];
    }
    let only_place = ending.iter().all(|w| is_place_word(w));
    if only_place {
        // Only where the value sits: enough when the places share an owner
        // (`BlogPostsResponseData` for `BlogPostsIndexResponseDataItem` and
        // `BlogPostsShowResponseData`).
        if prefix == 0 {
            return None;
        }
        ending = full_ending;
    }
    let mut name = String::new();
    for (i, word) in core[..prefix].iter().chain(ending).enumerate() {
        let from_end = prefix + ending.len() - 1 - i;
        let last = from_end == 0;
        // One and many of the same thing (`Teams`, `Team`) are named for one.
        let mixed = i >= prefix && cores.iter().any(|c| c[c.len() - 1 - from_end] != *word);
        if (mixed || last && some_element) && !is_place_word(word) {
            name.push_str(&super::names::singular(word).unwrap_or_else(|| (*word).to_owned()));
        } else {
            name.push_str(word);
        }
    }
    // One item of a list response is a `ListKeysResponseItem`, not a `ListKeysResponse`.
    if all_elements && ending.last().is_some_and(|w| is_place_word(w)) {
        name.push_str("Item");
    }
    Some((name, only_place))
}

/// A word with any plural ending taken off, for comparing (`Entries` and `Entry` are `Entr`).
fn stem(word: &str) -> &str {
    if let Some(stem) = word.strip_suffix("ies").or_else(|| word.strip_suffix('y')) {
        if stem.len() > 2 {
            return stem;
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 2 && !stem.ends_with('s') && !stem.ends_with('u') => stem,
        _ => word,
    }
}

fn is_element_word(word: &str) -> bool {
    let numbered = |prefix: &str| {
        word.strip_prefix(prefix)
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    };
    numbered("Item") || numbered("Value") || numbered("Variant") && word != "Variant"
}

fn is_place_word(word: &str) -> bool {
    PLACE_WORDS.contains(&word)
        || word.starts_with(|c: char| c.is_ascii_digit())
        || word
            .strip_prefix("Variant")
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

/// `CustomersIndexResponse` as `Customers`, `Index`, `Response`; digits stay with the word
/// before them (`V1`).
fn pascal_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

/// The structure of a schema: its JSON without the keywords that only document it, in the
/// schema and in every schema inside it (`structure.rs`).
pub fn key(schema: &Schema) -> String {
    // Every map of a schema has string keys, which is all the writer needs; were one not to,
    // the schema's key would come from its JSON value, marked so that it never equals a key
    // written the other way.
    super::structure::structure(schema).unwrap_or_else(|| ["json:", &key_by_value(schema)].concat())
}

/// [`key`] by way of a `serde_json::Value`: the schema as JSON, the documentation taken out.
fn key_by_value(schema: &Schema) -> String {
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    strip_docs(&mut value);
    // Whether the value may be null is the place's business (`Option` there), not the type's;
    // inside the type, a nullable property is part of its structure.
    if let Value::Object(map) = &mut value {
        map.remove("nullable");
    }
    value.to_string()
}

fn strip_docs(value: &mut Value) {
    use super::structure::{keyword_value, KeywordValue};
    let Value::Object(map) = value else {
        return;
    };
    map.retain(|k, _| keyword_value(k).is_some());
    for (k, child) in map.iter_mut() {
        match keyword_value(k) {
            Some(KeywordValue::Schemas) => {
                if let Value::Object(m) = child {
                    m.values_mut().for_each(strip_docs);
                }
            }
            Some(KeywordValue::Schema) => match child {
                Value::Array(items) => items.iter_mut().for_each(strip_docs),
                other => strip_docs(other),
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common_name_short(hints: &[String]) -> Option<String> {
        common_name(hints, false).map(|(name, _)| name)
    }

    #[test]
    fn suffix_names_what_places_have_in_common() {
        let hints = |h: &[&str]| h.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            common_name_short(&hints(&["ContactAddress", "CustomerBillingAddress"])).as_deref(),
            Some("Address")
        );
        assert_eq!(
            common_name_short(&hints(&[
                "PostsRelationshipsSite",
                "PagesRelationshipsSite"
            ]))
            .as_deref(),
            Some("RelationshipsSite")
        );
        // Places of one owner keep the owner's name.
        assert_eq!(
            common_name_short(&hints(&[
                "ContactsIndexDataItemLinks",
                "ContactsShowDataLinks"
            ]))
            .as_deref(),
            Some("ContactsLinks")
        );
        // Only where the value sits: nothing in common.
        assert_eq!(
            common_name_short(&hints(&["HooksIndexDataItem", "OffersDataItem"])),
            None
        );
        // The same thing, one and many.
        assert_eq!(
            common_name_short(&hints(&["DetailedProjectTeamsItem", "MonitorTeam"])).as_deref(),
            Some("Team")
        );
        assert_eq!(
            common_name_short(&hints(&["ReleaseEntriesItem", "LatestEntry"])).as_deref(),
            Some("Entry")
        );
        assert_eq!(
            common_name_short(&hints(&[
                "BlogPostsIndexResponseDataItem",
                "BlogPostsShowResponseData"
            ]))
            .as_deref(),
            Some("BlogPostsResponseData")
        );
        assert_eq!(
            common_name_short(&hints(&[
                "ListPodcastsResponseDataItem",
                "ShowPodcastResponseData"
            ]))
            .as_deref(),
            Some("PodcastResponseData")
        );
        assert_eq!(
            common_name_short(&hints(&[
                "BlogRelationshipsBlog",
                "ContactRelationshipsContact"
            ])),
            None
        );
    }

    /// Every schema of every corpus document (and openapi.yaml), and every schema inside one:
    /// the keys written straight from the schema tell the same schemas apart as the keys made
    /// from its JSON value did (the way they were made before).
    #[test]
    fn keys_written_from_the_schema_are_the_keys_of_its_json() {
        fn each(schema: &Schema, out: &mut Vec<Schema>) {
            use openapiv3::{AdditionalProperties, ReferenceOr};
            out.push(schema.clone());
            let item = |r: &ReferenceOr<Schema>, out: &mut Vec<Schema>| {
                if let ReferenceOr::Item(s) = r {
                    each(s, out);
                }
            };
            match &schema.schema_kind {
                SchemaKind::OneOf { one_of: all }
                | SchemaKind::AllOf { all_of: all }
                | SchemaKind::AnyOf { any_of: all } => all.iter().for_each(|r| item(r, out)),
                SchemaKind::Not { not } => item(not, out),
                SchemaKind::Type(Type::Object(o)) => {
                    for p in o.properties.values() {
                        if let ReferenceOr::Item(s) = p {
                            each(s, out);
                        }
                    }
                    if let Some(AdditionalProperties::Schema(s)) = &o.additional_properties {
                        item(s, out);
                    }
                }
                SchemaKind::Type(Type::Array(a)) => {
                    if let Some(ReferenceOr::Item(s)) = &a.items {
                        each(s, out);
                    }
                }
                _ => {}
            }
        }
        let files = crate::corpus_documents();
        let mut schemas = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let value = crate::load::parse_document(&text).unwrap();
            let Some(components) = value
                .pointer("/components/schemas")
                .and_then(Value::as_object)
            else {
                continue;
            };
            for schema in components.values() {
                if let Ok(schema) = serde_json::from_value::<Schema>(schema.clone()) {
                    each(&schema, &mut schemas);
                }
            }
        }
        assert!(schemas.len() > 20_000, "only {} schemas", schemas.len());
        let mut by_json: HashMap<String, String> = HashMap::default();
        let mut by_key: HashMap<String, String> = HashMap::default();
        for schema in &schemas {
            let (json, written) = (key_by_value(schema), key(schema));
            assert!(
                !written.starts_with("json:"),
                "written from the schema itself"
            );
            let same_key = by_json
                .entry(json.clone())
                .or_insert_with(|| written.clone());
            assert_eq!(*same_key, written, "one JSON, two keys");
            let same_json = by_key.entry(written).or_insert(json.clone());
            assert_eq!(*same_json, json, "one key, two JSONs");
        }
    }

    #[test]
    fn documentation_is_not_structure() {
        let a: Schema = serde_json::from_value(serde_json::json!({
            "type": "object",
            "properties": {"description": {"type": "string"}, "id": {"type": "string"}}
        }))
        .unwrap();
        let b: Schema = serde_json::from_value(serde_json::json!({
            "type": "object",
            "description": "A thing.",
            "deprecated": true,
            "properties": {
                "description": {"type": "string", "description": "What it is."},
                "id": {"type": "string", "example": "1"}
            }
        }))
        .unwrap();
        assert_eq!(key(&a), key(&b));
        let c: Schema = serde_json::from_value(serde_json::json!({
            "type": "object",
            "properties": {"id": {"type": "string"}}
        }))
        .unwrap();
        assert_ne!(
            key(&a),
            key(&c),
            "a property named `description` is structure"
        );
    }
}
