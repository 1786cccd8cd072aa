//! How each `multipart/form-data` body is cut into parts, decided once the types are final:
//! files as file parts, strings, numbers, booleans and string enums as text, JSON values as
//! given, anything else as JSON; arrays of files or text repeat the part.

use crate::model::{
    is_scalar, Api, BodyEncoding, FormPart, MultipartPlan, PartKind, Ty, TypeKind, Types,
};

/// Fills in the plan of every multipart body.
pub(super) fn plan(api: &mut Api) {
    let types = &api.types;
    for op in api.paths.iter_mut().flat_map(|g| &mut g.operations) {
        if let Some(body) = op
            .body
            .as_mut()
            .filter(|b| b.encoding == BodyEncoding::Multipart)
        {
            body.multipart = Some(body_plan(types, &body.ty, &body.part_media_types));
        }
    }
}

fn body_plan(types: &Types, ty: &Ty, media_types: &[(String, String)]) -> MultipartPlan {
    let mut ty = ty;
    while let Ty::Boxed(inner) = ty {
        ty = inner;
    }
    let def = match ty {
        Ty::Named(id) => Some(types.get(*id)),
        _ => None,
    };
    let Some(TypeKind::Struct(s)) = def.map(|d| &d.kind) else {
        return MultipartPlan::Whole;
    };
    let parts = s
        .fields
        .iter()
        .map(|f| {
            let mut inner = f.ty.unwrap_option();
            if let Ty::Boxed(b) = inner {
                inner = b;
            }
            let (item, repeated) = match inner {
                Ty::Vec(item) if matches!(**item, Ty::Upload) || is_scalar(types, item) => {
                    (&**item, true)
                }
                other => (other, false),
            };
            let kind = match item {
                Ty::Upload => PartKind::File,
                t if is_scalar(types, t) => PartKind::Text,
                Ty::Value => PartKind::Value,
                _ => PartKind::Json,
            };
            FormPart {
                field: f.rust_name.clone(),
                wire_name: f.wire_name.clone(),
                kind,
                media_type: media_types
                    .iter()
                    .find(|(p, _)| *p == f.wire_name)
                    .map(|(_, m)| m.clone()),
                repeated,
                optional: f.ty.is_option(),
            }
        })
        .collect();
    MultipartPlan::Parts {
        parts,
        extra: s.extra.is_some(),
    }
}
