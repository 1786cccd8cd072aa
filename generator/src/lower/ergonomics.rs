//! What the generated types offer callers beyond the data itself: values the schema fixes
//! filled in by constructors, and accessors on the types responses carry.

use std::collections::HashMap;

use crate::model::{Api, Ty, TypeDef, TypeKind};

/// Marks every field whose type is an enum of exactly one value (`type: {enum: [contacts]}`,
/// `const: contacts`) with that value, which constructors and `Default` fill in.
pub fn fixed_values(types: &mut [TypeDef]) {
    let single: HashMap<String, String> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::StringEnum(variants) if variants.len() == 1 => {
                Some((t.name.clone(), variants[0].rust_name.clone()))
            }
            _ => None,
        })
        .collect();
    for def in types.iter_mut() {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            if field.nullable {
                continue;
            }
            let named = match &field.ty {
                Ty::Named(n) => Some(n),
                Ty::Option(inner) => match &**inner {
                    Ty::Named(n) => Some(n),
                    _ => None,
                },
                _ => None,
            };
            field.fixed = named.and_then(|n| single.get(n)).cloned();
        }
    }
}

/// Marks the types responses carry (`read`) and those requests carry (`sent`: bodies and
/// parameters), through
/// fields, variants and aliases.
pub fn mark_read(api: &mut Api) {
    let index: HashMap<String, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let push = |ty: &Ty, stack: &mut Vec<usize>| {
        ty.each_named(&mut |name| {
            if let Some(&i) = index.get(name) {
                stack.push(i);
            }
        })
    };
    let mut read: Vec<usize> = Vec::new();
    let mut sent: Vec<usize> = Vec::new();
    for op in api.paths.iter().flat_map(|g| &g.operations) {
        for response in &op.responses {
            if let Some(content) = &response.content {
                push(&content.ty, &mut read);
            }
        }
        if let Some(stream) = &op.stream {
            push(&stream.item, &mut read);
        }
        if let Some(body) = &op.body {
            push(&body.ty, &mut sent);
        }
        for param in op.path_params.iter().chain(&op.params) {
            push(&param.ty, &mut sent);
        }
    }
    for (mut stack, is_read) in [(read, true), (sent, false)] {
        while let Some(i) = stack.pop() {
            let def = &mut api.types[i];
            let mark = if is_read {
                &mut def.read
            } else {
                &mut def.sent
            };
            if *mark {
                continue;
            }
            *mark = true;
            let mut inner = Vec::new();
            api.types[i].kind.each_ty(|ty| push(ty, &mut inner));
            stack.extend(inner);
        }
    }
}
