//! Streamed responses: which operations get a `<operation>_stream` method, what its items
//! are, and whether the request body's `stream` flag tells the server which to send.

use crate::model::{Api, EventShape, StreamKind, StreamMethod, Ty, TypeKind, Types};

/// Gives every operation with a streamed success response its stream method.
pub fn plan(api: &mut Api) {
    let types = &api.types;
    let mut methods = super::client_methods_taken(api);
    for op in api.paths.iter_mut().flat_map(|g| &mut g.operations) {
        let Some(stream) = op.success_responses().find_map(|r| r.stream.clone()) else {
            continue;
        };
        let only = op
            .success_responses()
            .all(|r| r.content.is_none() && r.stream.is_some());
        // A stream-only operation already named for its stream (`stream_logs`,
        // `generate_stream`) keeps its name.
        let method = if only && op.rust_name.split('_').any(|word| word == "stream") {
            op.rust_name.clone()
        } else {
            methods.claim(format!("{}_stream", op.rust_name))
        };
        let (shape, item) = match stream.kind {
            StreamKind::Lines => (EventShape::Data, stream.ty.clone()),
            StreamKind::Events if is_text(types, &stream.ty) => (EventShape::Text, Ty::String),
            StreamKind::Events if describes_events(types, &stream.ty) => {
                (EventShape::Whole, stream.ty.clone())
            }
            StreamKind::Events => (EventShape::Data, stream.ty.clone()),
        };
        let sets_flag = op.body.as_ref().is_some_and(|b| {
            b.encoding == crate::model::BodyEncoding::Json
                && has_bool_property(types, &b.ty, "stream")
        });
        op.stream = Some(StreamMethod {
            method,
            media_type: stream.media_type,
            kind: stream.kind,
            item,
            shape,
            sets_flag,
            only,
        });
    }
}

fn named<'a>(types: &'a Types, ty: &'a Ty) -> Option<&'a TypeKind> {
    crate::model::resolve_named(types, ty).map(|(_, kind)| kind)
}

fn is_text(types: &Types, ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::Option(inner) | Ty::Boxed(inner) => is_text(types, inner),
        Ty::Named(_) => matches!(named(types, ty), Some(TypeKind::StringEnum(_))),
        _ => false,
    }
}

/// Whether the type is that of a whole event: an object of `data` and at most `event`, `id`
/// and `retry` (the convention of documents that describe each event, `data` as one of its
/// properties), or a union of such objects.
fn describes_events(types: &Types, ty: &Ty) -> bool {
    match named(types, ty) {
        Some(TypeKind::Struct(s)) => {
            s.fields.iter().any(|f| f.wire_name == "data")
                && s.fields
                    .iter()
                    .all(|f| matches!(f.wire_name.as_str(), "data" | "event" | "id" | "retry"))
        }
        Some(TypeKind::Union(variants)) | Some(TypeKind::Tagged { variants, .. }) => {
            // The catch-all for values no member fits is not a member.
            let members: Vec<_> = variants.iter().filter(|v| v.ty != Ty::Value).collect();
            !members.is_empty() && members.iter().all(|v| describes_events(types, &v.ty))
        }
        _ => false,
    }
}

fn has_bool_property(types: &Types, ty: &Ty, property: &str) -> bool {
    match named(types, ty) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .any(|f| f.wire_name == property && *f.ty.unwrap_option() == Ty::Bool),
        _ => false,
    }
}
