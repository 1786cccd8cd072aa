//! Which operations are paginated lists, and where in their response types the items, the
//! next link or cursor and the page count are: following the `[pagination]` configuration,
//! or, without one, found per operation from its parameters and response ([`detect`]).

use crate::config::{PaginationConfig, PaginationScheme};
use crate::diagnostics::{pointer, pointer_to, Diagnostics};
use crate::model::{
    resolve_named as resolve, Api, Location, Pagination, Step, Ty, TypeId, TypeKind, Types,
};

pub fn plan(api: &mut Api, config: &PaginationConfig, diags: &mut Diagnostics) {
    let by_link = config.scheme == PaginationScheme::NextLink;
    if by_link && config.next_link.is_none() {
        diags.error(
            "codegen.toml#/pagination",
            "the `next-link` scheme needs `next_link`",
        );
        return;
    }
    if !by_link && config.page_param.is_none() {
        diags.error(
            "codegen.toml#/pagination",
            "the `page-number` scheme needs `page_param`",
        );
        return;
    }
    let mut methods = super::client_methods_taken(api);
    let types = &api.types;
    let mut paginated = 0;
    for group in &mut api.paths {
        for op in &mut group.operations {
            let page = config.page_param.as_ref().and_then(|name| {
                op.params
                    .iter()
                    .find(|p| p.location == Location::Query && &p.wire_name == name)
            });
            // Lists are the operations with the page parameter; without one (next-link
            // scheme), every GET whose response has the items and the next link.
            let silent = page.is_none();
            if page.is_none()
                && (config.page_param.is_some() || op.method != crate::model::Method::Get)
            {
                continue;
            }
            let page_name = config.page_param.clone().unwrap_or_default();
            let at = pointer(
                &pointer("#/paths", &op.path),
                &op.method.as_str().to_ascii_lowercase(),
            );
            let response = match success_type(op) {
                Some(ty) => match resolve(types, ty) {
                    Some((id, TypeKind::Struct(_))) => id,
                    _ => {
                        if !silent {
                            diags.warning(&at, format!("`{}` has `{page_name}` but its response is not an object; it gets no page stream", op.rust_name));
                        }
                        continue;
                    }
                },
                _ => {
                    if !silent {
                        diags.warning(&at, format!("`{}` has `{page_name}` but not exactly one success response body; it gets no page stream", op.rust_name));
                    }
                    continue;
                }
            };
            let items = match items_field(types, response, &config.items) {
                Ok(items) => items,
                Err(why) => {
                    if !silent {
                        diags.warning(
                            &at,
                            format!("`{}` gets no page stream: {why}", op.rust_name),
                        );
                    }
                    continue;
                }
            };
            if silent {
                let next = config.next_link.as_deref().unwrap_or("");
                if resolve_access(types, response, next, |t| *t == Ty::String).is_err() {
                    continue;
                }
            }
            let mut access = |what: &str, pointer: &Option<String>, leaf_ok: fn(&Ty) -> bool| {
                let p = pointer.as_deref()?;
                match resolve_access(types, response, p, leaf_ok) {
                    Ok(access) => Some(access),
                    Err(why) => {
                        diags.error(
                            "codegen.toml#/pagination",
                            format!("{what} `{p}` in `{}`: {why}", types.name(response)),
                        );
                        None
                    }
                }
            };
            let next_link = access("next_link", &config.next_link, |t| *t == Ty::String);
            let total_pages = access("total_pages", &config.total_pages, |t| {
                matches!(t, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64)
            });
            let method = methods.claim(format!("{}_pages", op.rust_name));
            op.pagination = Some(Pagination {
                method,
                by_link,
                page_field: page.map(|p| (p.rust_name.clone(), p.ty.clone())),
                cursor_field: None,
                offset_field: None,
                response: Some(response),
                items_field: items.0,
                items_optional: items.1,
                item_ty: items.2,
                next_link,
                total_pages,
            });
            paginated += 1;
        }
    }
    if paginated == 0 {
        diags.error(
            "codegen.toml#/pagination",
            "no operation matches: none has the page parameter (or, for `next-link`, the items and the next link) in a list response",
        );
    }
}

fn segments(pointer: &str) -> Result<Vec<String>, String> {
    let rest = pointer
        .strip_prefix('/')
        .ok_or_else(|| "a JSON pointer starts with `/`".to_owned())?;
    Ok(rest.split('/').map(crate::pointer::unescape).collect())
}

fn strip(ty: &Ty) -> (Ty, bool, bool) {
    let mut optional = false;
    let mut boxed = false;
    let mut ty = ty.clone();
    loop {
        ty = match ty {
            Ty::Option(inner) => {
                optional = true;
                *inner
            }
            Ty::Boxed(inner) => {
                boxed = true;
                *inner
            }
            other => return (other, optional, boxed),
        }
    }
}

/// The items: one field of the response holding an array.
fn items_field(
    types: &Types,
    response: TypeId,
    pointer: &str,
) -> Result<(String, bool, Ty), String> {
    let segs = segments(pointer)?;
    let [key] = segs.as_slice() else {
        return Err(format!(
            "items `{pointer}` must name one property of the response"
        ));
    };
    let root = Ty::Named(response);
    let response = types.name(response);
    let Some((_, TypeKind::Struct(s))) = resolve(types, &root) else {
        return Err(format!("`{response}` is not an object"));
    };
    let field = s
        .fields
        .iter()
        .find(|f| &f.wire_name == key)
        .ok_or_else(|| format!("`{response}` has no property `{key}` for the items"))?;
    match strip(&field.ty) {
        (Ty::Vec(item), optional, false) => Ok((field.rust_name.clone(), optional, *item)),
        _ => Err(format!("`{key}` of `{response}` is not an array")),
    }
}

/// The steps from the response to the object holding the value at `pointer`, and the last.
fn resolve_access(
    types: &Types,
    response: TypeId,
    pointer: &str,
    leaf_ok: fn(&Ty) -> bool,
) -> Result<(Vec<Step>, Step), String> {
    let segs = segments(pointer)?;
    let mut steps = Vec::new();
    let mut current: Option<Ty> = Some(Ty::Named(response));
    for seg in &segs {
        let step = match &current {
            None => Step::Json(seg.clone()),
            Some(ty) => match resolve(types, ty) {
                Some((_, TypeKind::Struct(s))) => {
                    match s.fields.iter().find(|f| &f.wire_name == seg) {
                        Some(field) => {
                            let (ty, optional, boxed) = strip(&field.ty);
                            Step::Field {
                                rust_name: field.rust_name.clone(),
                                optional,
                                boxed,
                                ty,
                            }
                        }
                        None if s.extra == Some(Ty::Value) => Step::Extra(seg.clone()),
                        None => return Err(format!("there is no `{seg}` here, declared or kept (`unknown_fields = \"keep\"` keeps what a schema does not declare)")),
                    }
                }
                _ if matches!(ty, Ty::Value | Ty::Map(_)) => Step::Json(seg.clone()),
                _ => return Err(format!("`{seg}` is inside a value that is not an object")),
            },
        };
        current = match &step {
            Step::Field { ty, .. } => Some(ty.clone()),
            _ => None,
        };
        steps.push(step);
    }
    let last = steps
        .pop()
        .ok_or_else(|| "the pointer is empty".to_owned())?;
    if let Step::Field { ty, .. } = &last {
        if !leaf_ok(ty) {
            return Err(format!(
                "it is a `{}`, which does not fit",
                crate::surface::rust_type(types, ty)
            ));
        }
    }
    Ok((steps, last))
}

/// A list of `response` whose items are `items` (field, optional, item type), with no way to
/// the next page yet.
fn base_plan(response: TypeId, items: (String, bool, Ty)) -> Pagination {
    Pagination {
        method: String::new(),
        by_link: false,
        page_field: None,
        cursor_field: None,
        offset_field: None,
        response: Some(response),
        items_field: items.0,
        items_optional: items.1,
        item_ty: items.2,
        next_link: None,
        total_pages: None,
    }
}

/// Normalized names: lowercase, without separators (`next_page_token` is `nextpagetoken`).
fn norm(name: &str) -> String {
    normalized_chars(name).collect()
}

/// Whether `norm(name)` is `normalized`, without building it.
fn norm_is(name: &str, normalized: &str) -> bool {
    normalized_chars(name).eq(normalized.chars())
}

fn normalized_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
}

/// Query parameters that take the cursor a page gives for the next.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "continuationtoken",
    "nexttoken",
    "marker",
    "after",
    "pagecursor",
    "startcursor",
];
/// Response properties holding that cursor.
const CURSOR_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "nextmarker",
    "nextpagecursor",
    "endcursor",
    "cursor",
];
/// Response properties holding the next page's URL.
const LINK_FIELDS: &[&str] = &["next", "nexturl", "nextlink", "nextpage", "nextpageurl"];
/// Query parameters holding a page number, or the offset of the first item.
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pagenum", "pageindex"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
/// Response properties holding the page count.
const TOTAL_FIELDS: &[&str] = &["totalpages", "pagecount", "lastpage", "numpages"];
/// Names of the array of items, besides the resource's own (`messages` for `/messages`).
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "records", "entries", "values", "elements", "content", "list",
];

/// Finds, for each `GET` operation whose response is an object holding an array of items,
/// how it pages: a cursor parameter with a cursor in the response, a next link in the
/// response, a page number, or an offset. Operations that fit none get no page stream.
pub fn detect(api: &mut Api) {
    let mut methods = super::client_methods_taken(api);
    let types = &api.types;
    for group in &mut api.paths {
        for op in &mut group.operations {
            if op.method != crate::model::Method::Get {
                continue;
            }
            let Some(plan) = detect_one(types, op) else {
                continue;
            };
            let method = methods.claim(format!("{}_pages", op.rust_name));
            op.pagination = Some(Pagination { method, ..plan });
        }
    }
}

/// The operation's one success type, as its method returns it; none when success statuses
/// differ (a `204` without a body beside the `200` of a list) or none is documented. A `default` read as the success makes no list.
fn success_type(op: &crate::model::Operation) -> Option<&Ty> {
    match &op.success {
        crate::model::Success::One(ty) if op.success_responses().next().is_some() => Some(ty),
        _ => None,
    }
}

/// Whether a success response of the operation declares an RFC 8288 `Link` header.
fn declares_link_header(op: &crate::model::Operation) -> bool {
    op.success_responses().any(|r| {
        r.headers
            .iter()
            .any(|h| h.wire_name.eq_ignore_ascii_case("link"))
    })
}

/// The item type of a response that is a JSON array.
fn array_items(types: &Types, ty: &Ty) -> Option<Ty> {
    let mut ty = ty;
    for _ in 0..crate::pointer::MAX_REF_HOPS {
        match ty {
            Ty::Vec(item) => return Some((**item).clone()),
            Ty::Option(inner) | Ty::Boxed(inner) => ty = inner,
            Ty::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(next) => ty = next,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// A list given as a JSON array whose next page a `Link` header names.
fn array_plan(item_ty: Ty) -> Pagination {
    Pagination {
        method: String::new(),
        by_link: true,
        page_field: None,
        cursor_field: None,
        offset_field: None,
        response: None,
        items_field: String::new(),
        items_optional: false,
        item_ty,
        next_link: None,
        total_pages: None,
    }
}

fn detect_one(types: &Types, op: &crate::model::Operation) -> Option<Pagination> {
    let ty = success_type(op)?;
    let link_header = declares_link_header(op);
    if let Some(item) = array_items(types, ty).filter(|_| link_header) {
        return Some(array_plan(item));
    }
    let (response, TypeKind::Struct(s)) = resolve(types, ty)? else {
        return None;
    };
    // The items: the array named as the resource or as lists usually are, else the only one.
    let resource = op
        .segments
        .iter()
        .rev()
        .find_map(|seg| match seg {
            crate::model::PathSegment::Literal(l) => {
                l.rsplit('/').find(|p| !p.is_empty()).map(norm)
            }
            _ => None,
        })
        .unwrap_or_default();
    let arrays: Vec<&crate::model::Field> = s
        .fields
        .iter()
        .filter(|f| matches!(strip(&f.ty).0, Ty::Vec(_)))
        .collect();
    let items = arrays
        .iter()
        .find(|f| norm(&f.wire_name) == resource)
        .or_else(|| {
            arrays
                .iter()
                .find(|f| ITEM_FIELDS.contains(&norm(&f.wire_name).as_str()))
        })
        .or_else(|| (arrays.len() == 1).then(|| &arrays[0]))?;
    let items = items_field(
        types,
        response,
        &format!("/{}", crate::pointer::escape(&items.wire_name)),
    )
    .ok()?;
    let param = |names: &[&str], ok: fn(&Ty) -> bool| {
        op.params.iter().find(|p| {
            p.location == Location::Query
                && names.contains(&norm(&p.wire_name).as_str())
                && ok(p.ty.unwrap_option())
        })
    };
    let is_integer = |t: &Ty| matches!(t, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64);
    let is_text = |t: &Ty| matches!(t, Ty::String);
    let found = |names: &[&str], leaf: fn(&Ty) -> bool| {
        field_path(types, response, names, leaf)
            .and_then(|p| resolve_access(types, response, &p, leaf).ok())
    };
    let base = base_plan(response, items);
    if let (Some(cursor), Some(next)) =
        (param(CURSOR_PARAMS, is_text), found(CURSOR_FIELDS, is_text))
    {
        return Some(Pagination {
            cursor_field: Some((cursor.rust_name.clone(), cursor.ty.unwrap_option().clone())),
            next_link: Some(next),
            ..base
        });
    }
    if let Some(next) = found(LINK_FIELDS, is_text) {
        return Some(Pagination {
            by_link: true,
            next_link: Some(next),
            ..base
        });
    }
    if link_header {
        return Some(Pagination {
            by_link: true,
            ..base
        });
    }
    if let Some(page) = param(PAGE_PARAMS, is_integer) {
        let total_pages = found(TOTAL_FIELDS, is_integer);
        return Some(Pagination {
            page_field: Some((page.rust_name.clone(), page.ty.unwrap_option().clone())),
            total_pages,
            ..base
        });
    }
    if let Some(offset) = param(OFFSET_PARAMS, is_integer) {
        return Some(Pagination {
            offset_field: Some((offset.rust_name.clone(), offset.ty.unwrap_option().clone())),
            ..base
        });
    }
    None
}

/// The JSON pointer of a property named one of `names` (normalized) whose type `leaf`
/// accepts: in the response itself, or in an object it holds (`meta`, `links`, `paging`).
fn field_path(
    types: &Types,
    response: TypeId,
    names: &[&str],
    leaf: fn(&Ty) -> bool,
) -> Option<String> {
    let root = Ty::Named(response);
    let (_, TypeKind::Struct(s)) = resolve(types, &root)? else {
        return None;
    };
    fn pick<'s>(
        s: &'s crate::model::StructDef,
        names: &[&str],
        leaf: fn(&Ty) -> bool,
    ) -> Option<&'s crate::model::Field> {
        names.iter().find_map(|name| {
            s.fields
                .iter()
                .find(|f| norm_is(&f.wire_name, name) && leaf(&strip(&f.ty).0))
        })
    }
    let pick = |s| pick(s, names, leaf);
    if let Some(f) = pick(s) {
        return Some(format!("/{}", crate::pointer::escape(&f.wire_name)));
    }
    s.fields.iter().find_map(|holder| {
        let (_, TypeKind::Struct(inner)) = resolve(types, &holder.ty)? else {
            return None;
        };
        pick(inner).map(|f| {
            format!(
                "/{}/{}",
                crate::pointer::escape(&holder.wire_name),
                crate::pointer::escape(&f.wire_name)
            )
        })
    })
}

/// `x-pagination` on an operation: `false` for no page stream, or an object naming the parts
/// (JSON pointers into the response, parameter names as the document writes them):
/// `items` (required), and one of `cursor_param` with `next_cursor`, `next_link`,
/// `page_param` (with `total_pages`, optional), `offset_param`.
pub fn overrides(api: &mut Api, raw: &serde_json::Value, diags: &mut Diagnostics) {
    use serde_json::Value;
    // The operations that have one, found first: the names the methods have so far are
    // gathered only for those.
    // Looked up key by key; the pointer is written only for those found.
    let paths = raw.get("paths");
    let mut found = Vec::new();
    for (g, group) in api.paths.iter().enumerate() {
        for (o, op) in group.operations.iter().enumerate() {
            let method = op.method.as_str().to_ascii_lowercase();
            let spec = paths
                .and_then(|paths| paths.get(&op.path))
                .and_then(|item| item.get(&method))
                .and_then(|operation| operation.get("x-pagination"));
            if let Some(spec) = spec {
                let at = pointer_to("#/paths", &[&op.path, &method, "x-pagination"]);
                found.push((g, o, at, spec));
            }
        }
    }
    if found.is_empty() {
        return;
    }
    let mut methods = super::client_methods_taken(api);
    for (g, o, at, spec) in found {
        let op = &mut api.paths[g].operations[o];
        if *spec == Value::Bool(false) {
            op.pagination = None;
            continue;
        }
        match override_one(&api.types, op, spec) {
            Ok(plan) => {
                let method = match &op.pagination {
                    Some(existing) => existing.method.clone(),
                    None => methods.claim(format!("{}_pages", op.rust_name)),
                };
                op.pagination = Some(Pagination { method, ..plan });
            }
            Err(why) => diags.degraded(
                &at,
                format!("{why}; `{}` gets no page stream", op.rust_name),
            ),
        }
    }
}

fn override_one(
    types: &Types,
    op: &crate::model::Operation,
    spec: &serde_json::Value,
) -> Result<Pagination, String> {
    let text = |key: &str| spec.get(key).and_then(serde_json::Value::as_str);
    let success = success_type(op);
    let link_header = spec.get("link_header") == Some(&serde_json::Value::Bool(true));
    if let (Some(ty), true) = (success, link_header) {
        if let Some(item) = array_items(types, ty) {
            return Ok(array_plan(item));
        }
    }
    let response = match success {
        Some(ty) => match resolve(types, ty) {
            Some((id, TypeKind::Struct(_))) => id,
            _ => return Err("the response is not an object".to_owned()),
        },
        None => return Err("the operation has not exactly one success response body".to_owned()),
    };
    let items = items_field(
        types,
        response,
        text("items").ok_or("`items` (a JSON pointer) is required")?,
    )?;
    let param = |key: &str| -> Result<Option<(String, Ty)>, String> {
        let Some(name) = text(key) else {
            return Ok(None);
        };
        op.params
            .iter()
            .find(|p| p.location == Location::Query && p.wire_name == name)
            .map(|p| Some((p.rust_name.clone(), p.ty.unwrap_option().clone())))
            .ok_or_else(|| format!("`{key}`: the operation has no query parameter `{name}`"))
    };
    let access = |key: &str, leaf: fn(&Ty) -> bool| -> Result<Option<(Vec<Step>, Step)>, String> {
        text(key)
            .map(|p| {
                resolve_access(types, response, p, leaf)
                    .map_err(|why| format!("`{key}` `{p}`: {why}"))
            })
            .transpose()
    };
    let is_text = |t: &Ty| *t == Ty::String;
    let is_integer = |t: &Ty| matches!(t, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64);
    let mut plan = Pagination {
        total_pages: access("total_pages", is_integer)?,
        ..base_plan(response, items)
    };
    if let Some(cursor) = param("cursor_param")? {
        plan.cursor_field = Some(cursor);
        plan.next_link =
            Some(access("next_cursor", is_text)?.ok_or("`cursor_param` needs `next_cursor`")?);
    } else if let Some(next) = access("next_link", is_text)? {
        plan.by_link = true;
        plan.next_link = Some(next);
    } else if link_header {
        plan.by_link = true;
    } else if let Some(page) = param("page_param")? {
        plan.page_field = Some(page);
    } else if let Some(offset) = param("offset_param")? {
        plan.offset_field = Some(offset);
    } else {
        return Err("name one of `cursor_param` (with `next_cursor`), `next_link`, `link_header`, `page_param`, `offset_param`".to_owned());
    }
    Ok(plan)
}
