//! Typed response headers: the headers an operation's responses declare become one struct of
//! optional fields (`crate::headers`), shared by every operation that declares the same
//! headers, and named for what they have in common (`RateLimitHeaders`, `LinkHeader`).

use super::names::{pascal, Scope};
use crate::model::{HeaderSet, PathGroup, ResponseHeader, Ty};

/// Gives each operation whose responses declare headers its header set, and returns the
/// sets, in the order operations first use them.
pub fn assign(paths: &mut [PathGroup]) -> Vec<HeaderSet> {
    let mut sets: Vec<(Vec<(String, Ty)>, HeaderSet)> = Vec::new();
    let mut names = Scope::default();
    for group in paths.iter_mut() {
        for op in &mut group.operations {
            let mut fields: Vec<ResponseHeader> = Vec::new();
            let mut scope = Scope::default();
            for header in op.responses.iter().flat_map(|r| &r.headers) {
                if fields
                    .iter()
                    .any(|f| f.wire_name.eq_ignore_ascii_case(&header.wire_name))
                {
                    continue;
                }
                fields.push(ResponseHeader {
                    rust_name: scope.claim(header.rust_name.clone()),
                    ..header.clone()
                });
            }
            if fields.is_empty() {
                continue;
            }
            // Sets are the same when they hold the same headers with the same types, in any
            // order and whatever their descriptions say.
            let mut key: Vec<(String, Ty)> = fields
                .iter()
                .map(|f| (f.wire_name.to_ascii_lowercase(), f.ty.clone()))
                .collect();
            key.sort();
            if let Some((_, set)) = sets.iter().find(|(k, _)| *k == key) {
                op.headers = Some(set.name.clone());
                continue;
            }
            let name = match set_name(&fields) {
                Some(name) if !names.contains(&name) => name,
                Some(name) => format!("{}{name}", op.type_prefix),
                None => format!("{}Headers", op.type_prefix),
            };
            let name = names.claim(name);
            op.headers = Some(name.clone());
            sets.push((
                key,
                HeaderSet {
                    name,
                    fields,
                    features: Vec::new(),
                },
            ));
        }
    }
    sets.into_iter().map(|(_, set)| set).collect()
}

/// The name the headers' own names give: one header's (`Link` is `LinkHeader`), or the words
/// all of them start with (`X-RateLimit-Limit` and `X-RateLimit-Reset` are `RateLimitHeaders`);
/// `None` when they have nothing in common. A leading `X-` is not a word.
fn set_name(fields: &[ResponseHeader]) -> Option<String> {
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = name
            .split(['-', '_', '.'])
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        if words.len() > 1 && words[0].eq_ignore_ascii_case("x") {
            words.remove(0);
        }
        words
    };
    let all: Vec<Vec<String>> = fields.iter().map(|f| words(&f.wire_name)).collect();
    let first = all.first()?;
    if all.len() == 1 {
        return Some(format!("{}Header", pascal(&first.join(" "))));
    }
    let common = (0..first.len())
        .take_while(|&i| {
            all.iter().all(|w| {
                w.get(i)
                    .is_some_and(|word| word.eq_ignore_ascii_case(&first[i]))
            })
        })
        .count();
    (common > 0).then(|| format!("{}Headers", pascal(&first[..common].join(" "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str) -> ResponseHeader {
        ResponseHeader {
            rust_name: super::super::names::snake(name),
            wire_name: name.to_owned(),
            doc: None,
            ty: Ty::String,
        }
    }

    #[test]
    fn sets_are_named_for_what_their_headers_share() {
        let name = |names: &[&str]| set_name(&names.iter().map(|n| header(n)).collect::<Vec<_>>());
        assert_eq!(name(&["Link"]).as_deref(), Some("LinkHeader"));
        assert_eq!(name(&["X-Request-Id"]).as_deref(), Some("RequestIdHeader"));
        assert_eq!(
            name(&[
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-Ratelimit-Reset"
            ])
            .as_deref(),
            Some("RateLimitHeaders")
        );
        assert_eq!(name(&["ETag", "Location"]), None);
    }
}
