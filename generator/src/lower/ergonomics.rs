//! What the generated types offer callers beyond the data itself: values the schema fixes
//! filled in by constructors, and accessors on the types responses carry.

use crate::model::{Api, Ty, TypeId, TypeKind, Types};

/// Marks every field whose type is an enum of exactly one value (`type: {enum: [contacts]}`,
/// `const: contacts`) with that value, which constructors and `Default` fill in.
pub fn fixed_values(types: &mut Types) {
    let single = |types: &Types, id: TypeId| match &types.get(id).kind {
        TypeKind::StringEnum(variants) if variants.len() == 1 => {
            Some(variants[0].rust_name.clone())
        }
        _ => None,
    };
    let mut fixed: Vec<(TypeId, usize, String)> = Vec::new();
    for def in types.iter() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (i, field) in s.fields.iter().enumerate() {
            if field.nullable {
                continue;
            }
            let named = match &field.ty {
                Ty::Named(id) => Some(*id),
                Ty::Option(inner) => match &**inner {
                    Ty::Named(id) => Some(*id),
                    _ => None,
                },
                _ => None,
            };
            if let Some(value) = named.and_then(|id| single(types, id)) {
                fixed.push((def.id, i, value));
            }
        }
    }
    for (id, i, value) in fixed {
        if let TypeKind::Struct(s) = &mut types.get_mut(id).kind {
            s.fields[i].fixed = Some(value);
        }
    }
}

/// A required property that goes one way only is required that way only (OpenAPI: "the
/// required will take effect on the response only"): in a type requests carry, a required
/// `readOnly` field is optional, so that constructors do not ask for what the server
/// assigns and nothing is sent in its place; in a type responses carry, a required
/// `writeOnly` field is optional, so that a response without it (as every response is)
/// still decodes. Runs after [`mark_read`].
pub fn one_way_fields(types: &mut Types) {
    let ids: Vec<TypeId> = types.iter().map(|def| def.id).collect();
    for id in ids {
        let def = types.get_mut(id);
        let (read, sent) = (def.read, def.sent);
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            let one_way = (field.read_only && sent) || (field.write_only && read);
            if field.required && one_way && !field.ty.is_option() {
                field.ty = std::mem::replace(&mut field.ty, Ty::Unit).option();
                field.required = false;
            }
        }
    }
}

/// Marks the types responses carry (`read`) and those requests carry (`sent`: bodies and
/// parameters), through
/// fields, variants and aliases.
pub fn mark_read(api: &mut Api) {
    let push = |ty: &Ty, stack: &mut Vec<TypeId>| ty.each_named(&mut |id| stack.push(id));
    let mut read: Vec<TypeId> = Vec::new();
    let mut sent: Vec<TypeId> = Vec::new();
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
            let def = api.types.get_mut(i);
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
            api.types.get(i).kind.each_ty(|ty| push(ty, &mut inner));
            stack.extend(inner);
        }
    }
}
