//! Cargo features of the generated crate, so that a user of a large API compiles only the
//! operations they call and the types those reach.
//!
//! Operations are grouped by their first tag (a document's own grouping), or, when the
//! document tags none of them, by the first path segment that names something (`/v1/users/{id}`
//! is `users`); an operation of a tagged document without a tag joins the group of its path
//! segment too. Each group is a feature; an operation with several tags is compiled by any of
//! theirs. A type is compiled by the features of every operation that reaches it (through
//! parameters, bodies, responses, streams, fields, variants, aliases); the types no operation
//! reaches (a webhook's, an unused component) by the feature `standalone-types`, which
//! reaches what they name too, so that nothing compiled ever names a type that is not.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Feature, Operation, Ty, TypeId, Types};

/// Feature names the crate already has (TLS choices) or that cargo gives a meaning.
const RESERVED: &[&str] = &[
    "default",
    "tls-ring",
    "tls-aws-lc",
    "native-tls",
    STANDALONE,
];

/// The feature of the types no operation reaches (webhook payloads, shared definitions).
pub const STANDALONE: &str = "standalone-types";

/// The group an operation belongs to when it has no tag: the first path segment that is
/// neither a parameter nor a version or API prefix.
fn path_group(path: &str) -> String {
    let is_prefix = |s: &str| {
        s.eq_ignore_ascii_case("api")
            || s.eq_ignore_ascii_case("rest")
            || (s.len() >= 2
                && s.starts_with(['v', 'V'])
                && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{') && !is_prefix(s))
        .map(str::to_owned)
        .next()
        .unwrap_or_else(|| "root".to_owned())
}

/// A valid cargo feature name for a group: kebab-case ASCII, never a reserved one.
fn feature_name(group: &str) -> String {
    let ascii: String = group
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = super::case::kebab(&ascii);
    if name.is_empty() {
        name = "other".to_owned();
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert(0, 'x');
    }
    if RESERVED.contains(&name.as_str()) {
        name.push_str("-api");
    }
    name
}

fn groups_of(op: &Operation) -> Vec<String> {
    if op.tags.is_empty() {
        vec![path_group(&op.path)]
    } else {
        op.tags.clone()
    }
}

/// The types an operation names directly.
pub(super) fn operation_roots(op: &Operation) -> Vec<TypeId> {
    let mut names = Vec::new();
    let mut add = |ty: &Ty| ty.each_named(&mut |id| names.push(id));
    for p in op.path_params.iter().chain(&op.params) {
        add(&p.ty);
    }
    if let Some(body) = &op.body {
        add(&body.ty);
    }
    for r in &op.responses {
        if let Some(c) = &r.content {
            add(&c.ty);
        }
        if let Some(s) = &r.stream {
            add(&s.ty);
        }
    }
    if let Some(stream) = &op.stream {
        add(&stream.item);
    }
    if let Some(p) = &op.pagination {
        add(&p.item_ty);
        if let Some(response) = &p.response {
            names.push(*response);
        }
    }
    names
}

/// The types each type names directly (fields, variants, alias targets), by place.
pub(super) fn type_edges(types: &Types) -> Vec<Vec<usize>> {
    types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            let mut add = |ty: &Ty| ty.each_named(&mut |id| out.push(types.place(id)));
            def.kind.each_ty(&mut add);
            out
        })
        .collect()
}

/// Decides the crate's features and which features compile each operation, type and
/// header set. A document with one group gets none: there is nothing to leave out.
pub fn assign(api: &mut Api) {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        for group in groups_of(op) {
            let name = feature_name(&group);
            counts.entry(name).or_insert((group, 0)).1 += 1;
        }
    }
    if counts.len() < 2 {
        return;
    }
    api.features = counts
        .iter()
        .map(|(name, (group, operations))| Feature {
            name: name.clone(),
            group: group.clone(),
            operations: *operations,
        })
        .collect();
    let all: BTreeSet<String> = counts.into_keys().collect();

    let edges = type_edges(&api.types);

    // `None` in a slot: always compiled.
    let mut reached: Vec<Option<BTreeSet<String>>> = vec![Some(BTreeSet::new()); api.types.len()];
    let spread = |start: Vec<usize>,
                  features: Option<&BTreeSet<String>>,
                  reached: &mut Vec<Option<BTreeSet<String>>>| {
        let mut stack = start;
        while let Some(i) = stack.pop() {
            let grew = match (&mut reached[i], features) {
                (None, _) => false,
                (slot @ Some(_), None) => {
                    *slot = None;
                    true
                }
                (Some(have), Some(add)) => {
                    let before = have.len();
                    have.extend(add.iter().cloned());
                    have.len() != before
                }
            };
            if grew {
                stack.extend(edges[i].iter().copied());
            }
        }
    };
    for op in api.paths.iter_mut().flat_map(|g| &mut g.operations) {
        let features: BTreeSet<String> = groups_of(op).iter().map(|g| feature_name(g)).collect();
        let roots = operation_roots(op)
            .iter()
            .map(|&id| api.types.place(id))
            .collect();
        spread(roots, Some(&features), &mut reached);
        op.features = features.into_iter().collect();
    }
    let unreached: Vec<usize> = reached
        .iter()
        .enumerate()
        .filter(|(_, r)| r.as_ref().is_some_and(BTreeSet::is_empty))
        .map(|(i, _)| i)
        .collect();
    let mut all = all;
    if !unreached.is_empty() {
        let standalone = BTreeSet::from([STANDALONE.to_owned()]);
        spread(unreached, Some(&standalone), &mut reached);
        all.insert(STANDALONE.to_owned());
        api.features.push(Feature {
            name: STANDALONE.to_owned(),
            group: "the types no operation uses (webhook payloads, shared definitions)".to_owned(),
            operations: 0,
        });
    }
    for (def, reached) in api.types.iter_mut().zip(reached) {
        def.features = match reached {
            Some(features) if features != all => features.into_iter().collect(),
            _ => Vec::new(),
        };
    }

    // A header set: the features of the operations naming it.
    let mut header_features: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        if let Some(set) = &op.headers {
            header_features
                .entry(set.as_str())
                .or_default()
                .extend(op.features.iter().cloned());
        }
    }
    let header_features: BTreeMap<String, Vec<String>> = header_features
        .into_iter()
        .filter(|(_, f)| *f != all)
        .map(|(name, f)| (name.to_owned(), f.into_iter().collect()))
        .collect();
    for set in &mut api.header_sets {
        set.features = header_features.get(&set.name).cloned().unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_names() {
        assert_eq!(path_group("/v1/customers/{id}"), "customers");
        assert_eq!(path_group("/api/v2.1/users"), "users");
        assert_eq!(path_group("/{org}/repos"), "repos");
        assert_eq!(path_group("/"), "root");
        assert_eq!(feature_name("Contact Notes"), "contact-notes");
        assert_eq!(
            feature_name("Kajabi Payments Payouts"),
            "kajabi-payments-payouts"
        );
        assert_eq!(feature_name("default"), "default-api");
        assert_eq!(feature_name("Événements"), "v-nements");
        assert_eq!(feature_name("%%"), "other");
    }
}
