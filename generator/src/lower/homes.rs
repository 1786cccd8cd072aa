//! Where each type is defined. A type from an operation's own inline schema (its body, a
//! response, a parameter), used only by the operations of that path and by types that live
//! there too, is defined in that path's module, beside the operations' parameters and errors;
//! every other type (components, and inline schemas shared across paths or named by headers)
//! in `types`.

use std::collections::BTreeMap;

use super::features::{operation_roots, type_edges};
use crate::model::{Api, TypeId};

/// Sets `TypeDef::home` of every type, and `PathGroup::own_types` of every path.
pub fn assign(api: &mut Api) {
    let modules: BTreeMap<&str, &str> = api
        .paths
        .iter()
        .map(|g| (g.template.as_str(), g.module.as_str()))
        .collect();
    // The module an origin under `#/paths/<path>/` points into.
    let origin_module = |origin: &str| -> Option<String> {
        let rest = origin.strip_prefix("#/paths/")?;
        let key = crate::pointer::unescape(rest.split('/').next()?);
        modules.get(key.as_str()).map(|m| (*m).to_owned())
    };
    let mut homes: Vec<Option<String>> =
        api.types.iter().map(|t| origin_module(&t.origin)).collect();
    if homes.iter().all(Option::is_none) {
        return;
    }

    let edges = type_edges(&api.types);
    // Who names each type: the module of an operation (`Some`), or something every module
    // sees (`None`: a header set).
    let mut named_by: Vec<Vec<Referrer>> = vec![Vec::new(); api.types.len()];
    for (from, to) in edges.iter().enumerate() {
        for &t in to {
            if t != from {
                named_by[t].push(Referrer::Type(from));
            }
        }
    }
    for group in &api.paths {
        for op in &group.operations {
            for id in operation_roots(op) {
                named_by[api.types.place(id)].push(Referrer::Module(group.module.clone()));
            }
        }
    }
    for set in &api.header_sets {
        for field in &set.fields {
            field.ty.each_named(&mut |id| {
                named_by[api.types.place(id)].push(Referrer::Everywhere);
            });
        }
    }

    // A type stays in its path's module only while everything naming it is there too.
    loop {
        let mut moved = false;
        for t in 0..homes.len() {
            let Some(home) = homes[t].clone() else {
                continue;
            };
            let elsewhere = named_by[t].iter().any(|r| match r {
                Referrer::Module(m) => *m != home,
                Referrer::Type(u) => homes[*u].as_deref() != Some(home.as_str()),
                Referrer::Everywhere => true,
            });
            if elsewhere {
                homes[t] = None;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let index: BTreeMap<&str, usize> = api
        .paths
        .iter()
        .enumerate()
        .map(|(n, g)| (g.module.as_str(), n))
        .collect();
    let mut own: Vec<Vec<TypeId>> = vec![Vec::new(); api.paths.len()];
    for (def, home) in api.types.iter().zip(&homes) {
        if let Some(&n) = home.as_deref().and_then(|m| index.get(m)) {
            own[n].push(def.id);
        }
    }
    for (group, own) in api.paths.iter_mut().zip(own) {
        group.own_types = own;
    }
    for (def, home) in api.types.iter_mut().zip(homes) {
        def.home = home;
    }
}

#[derive(Debug, Clone)]
enum Referrer {
    Module(String),
    Type(usize),
    Everywhere,
}
