//! How much of a document was generated as written: operations generated fully, degraded (a
//! part of them, or of a type they use, generated in a lesser form) or left out, and the
//! places in schemas that were degraded. Every run ends with this line.

use rustc_hash::FxHashSet as HashSet;
use std::fmt;

use crate::diagnostics::{pointer, Diagnostics};
use crate::model::{Api, Ty, TypeId, TypeKind};

/// What the degradation of an operation the model cannot read says.
pub const OPERATION_UNREADABLE: &str = "the operation that holds it is not generated";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Operations generated as the document writes them.
    pub full: usize,
    /// Operations generated with a degraded part.
    pub degraded: usize,
    /// Operations (or path items) the document declares that were left out.
    pub skipped: usize,
    /// Degraded places inside schemas (typed as `serde_json::Value`, constraints not kept).
    pub degraded_schemas: usize,
    /// Types that hold a degraded place, directly or through the types they use.
    pub degraded_types: usize,
}

fn under(place: &str, root: &str) -> bool {
    place == root
        || place
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl Coverage {
    /// Measured on the model and the degradations, with pointers into the bundled document.
    pub fn of(api: &Api, diags: &Diagnostics) -> Self {
        let places: Vec<&str> = diags.degradations().map(|d| d.pointer.as_str()).collect();
        // Types whose own schema holds a degraded place, then every type that reaches one.
        let mut degraded: HashSet<TypeId> = api
            .types
            .iter()
            .filter(|t| places.iter().any(|p| under(p, &t.origin)))
            .map(|t| t.id)
            .collect();
        loop {
            let before = degraded.len();
            for t in &api.types {
                if !degraded.contains(&t.id) && uses(&t.kind).iter().any(|n| degraded.contains(n)) {
                    degraded.insert(t.id);
                }
            }
            if degraded.len() == before {
                break;
            }
        }
        let unreadable = diags
            .degradations()
            .filter(|d| d.message.contains(OPERATION_UNREADABLE))
            .count();
        let mut coverage = Coverage {
            skipped: api.skipped.len() + unreadable,
            degraded_types: degraded.len(),
            ..Default::default()
        };
        for op in api.paths.iter().flat_map(|g| &g.operations) {
            let at = pointer(
                &pointer("#/paths", &op.path),
                &op.method.as_str().to_ascii_lowercase(),
            );
            let mut tys: Vec<&Ty> = op
                .params
                .iter()
                .chain(&op.path_params)
                .map(|p| &p.ty)
                .collect();
            tys.extend(op.body.iter().map(|b| &b.ty));
            tys.extend(
                op.responses
                    .iter()
                    .filter_map(|r| r.content.as_ref())
                    .map(|c| &c.ty),
            );
            let mut names = Vec::new();
            for ty in tys {
                ty.each_named(&mut |id| names.push(id));
            }
            let hit = places.iter().any(|p| under(p, &at))
                || names.iter().any(|id| degraded.contains(id));
            if hit {
                coverage.degraded += 1;
            } else {
                coverage.full += 1;
            }
        }
        coverage.degraded_schemas = places
            .iter()
            .filter(|p| p.starts_with("#/components/schemas/") || p.contains("/schema"))
            .count();
        coverage
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        write!(
            f,
            "coverage: {} {} generated fully, {} degraded, {} left out; {} degraded {} in schemas ({} {} affected)",
            self.full,
            plural(self.full, "operation", "operations"),
            self.degraded,
            self.skipped,
            self.degraded_schemas,
            plural(self.degraded_schemas, "place", "places"),
            self.degraded_types,
            plural(self.degraded_types, "type", "types"),
        )
    }
}

fn uses(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    kind.each_ty(|ty| ty.each_named(&mut |id| out.push(id)));
    out
}
