//! `src/paths/<module>.rs`: one module per path, holding each operation's parameter struct,
//! error enum and client method.

use crate::format::Part;
use crate::tokens::{quote, Ident, TokenStream};

use super::docs::{doc_attrs, inner_doc_attrs, raw_doc_attrs, sanitize};
use super::{ident, ty_tokens, TyPath};
use crate::lower::names::status_name;
use crate::model::{
    Api, ArrayStyle, BodyEncoding, Credential, Decoding, Location, Operation, Param, ParamShape,
    PathGroup, PathSegment, PathStyle, Response, StatusSpec, Success, Ty, Types,
};

pub fn paths_mod_rs(api: &Api) -> TokenStream {
    let modules = api.paths.iter().map(|g| {
        let doc = format!(" Operations on `{}`.", g.template.replace('`', "'"));
        let m = ident(&g.module);
        let cfg = module_cfg(api, g).and_then(super::cfg_attr);
        quote! {
            #[doc = #doc]
            #cfg
            pub mod #m;
        }
    });
    quote! {
        //! One module per path of the API.
        #(#modules)*
    }
}

/// The types defined in a path's module: its operations' own.
fn own_types<'a>(api: &'a Api, group: &PathGroup) -> Vec<&'a crate::model::TypeDef> {
    group
        .own_types
        .iter()
        .map(|&id| api.types.get(id))
        .collect()
}

/// The features a path's module is compiled with, when every operation and type in it is
/// compiled with the same ones (`None`: the module always is, and its items say).
pub(super) fn module_cfg<'a>(api: &'a Api, group: &'a PathGroup) -> Option<&'a [String]> {
    let own = own_types(api, group);
    super::one_cfg(
        group
            .operations
            .iter()
            .map(|op| op.features.as_slice())
            .chain(own.iter().map(|t| t.features.as_slice())),
    )
}

pub fn path_module(api: &Api, group: &PathGroup) -> Vec<Part> {
    let mut doc = format!("Operations on `{}`.", group.template.replace('`', "'"));
    // Compiled as a whole, or item by item.
    let whole = module_cfg(api, group);
    if let Some(features) = whole {
        doc.push_str(&format!(
            "\n\nCompiled with {}.",
            super::features_phrase(features)
        ));
    }
    let doc = inner_doc_attrs(&doc);
    let cfg = |features: &[String]| whole.is_none().then(|| super::cfg_attr(features)).flatten();
    let own = own_types(api, group);
    // The operations' own types are defined here; `types::` names them and the crate's
    // alike, as in the rest of the module.
    let types_module = if own.is_empty() {
        quote! {
            #[allow(unused_imports)]
            use crate::types;
        }
    } else {
        // One `use` per set of features the types are compiled with.
        let mut by_features: Vec<(&[String], Vec<Ident>)> = Vec::new();
        for t in &own {
            let name = ident(&t.name);
            match by_features
                .iter_mut()
                .find(|(f, _)| *f == t.features.as_slice())
            {
                Some((_, names)) => names.push(name),
                None => by_features.push((&t.features, vec![name])),
            }
        }
        let reexports = by_features.iter().map(|(features, names)| {
            let cfg = cfg(features);
            match names.as_slice() {
                [name] => quote!(#cfg pub(super) use super::#name;),
                _ => quote!(#cfg pub(super) use super::{#(#names),*};),
            }
        });
        quote! {
            #[allow(unused_imports)]
            use serde::{Deserialize, Serialize};

            /// The crate's data types and this module's own.
            #[allow(unused_imports)]
            mod types {
                pub(super) use crate::types::*;
                #(#reexports)*
            }
        }
    };
    let mut parts = vec![Part::always(quote! {
        #doc

        #[allow(unused_imports)]
        use crate::runtime::{path_segment, Error, Query, Request};
        #types_module
    })];
    parts.extend(group.operations.iter().map(|op| Part {
        tokens: operation(op, &api.types),
        cfg: cfg(&op.features),
    }));
    let here = types_path(&api.types);
    parts.extend(own.iter().map(|t| Part {
        tokens: super::types::type_def(api, t, &here),
        cfg: cfg(&t.features),
    }));
    parts.extend(
        super::types::page_impls(api, Some(group.module.as_str()), &here)
            .into_iter()
            .map(|(_, part)| Part {
                cfg: part.cfg.filter(|_| whole.is_none()),
                ..part
            }),
    );
    parts
}

fn types_path(defs: &Types) -> TyPath<'_> {
    TyPath::new(defs, quote!(types::))
}

/// A link to the operation's method (its stream method when that is the only one).
pub(super) fn method_link(op: &Operation) -> String {
    let name = match &op.stream {
        Some(stream) if stream.only => &stream.method,
        _ => &op.rust_name,
    };
    format!("[`Client::{name}`](crate::Client::{name})")
}

fn location_phrase(p: &Param) -> &'static str {
    match p.location {
        Location::Query => "in the query string",
        Location::Header => "as a header",
        Location::Path => "in the path",
        Location::Cookie => "as a cookie",
    }
}

fn param_doc(p: &Param) -> TokenStream {
    let mut doc = p.doc.as_deref().map(doc_attrs).unwrap_or_default();
    if p.doc.is_some() {
        doc.extend(raw_doc_attrs(""));
    }
    let note = format!(
        "Sent as `{}` {}.",
        p.wire_name.replace('`', "'"),
        location_phrase(p)
    );
    doc.extend(raw_doc_attrs(&note));
    if p.deprecated {
        doc.extend(super::deprecated_attr(p.doc.as_deref()));
    }
    doc
}

/// The field type of a parameter in the parameter struct.
fn param_field_ty(p: &Param) -> Ty {
    if p.required {
        p.ty.clone()
    } else {
        p.ty.clone().option()
    }
}

fn params_struct(op: &Operation, defs: &Types) -> TokenStream {
    if op.params.is_empty() {
        return TokenStream::new();
    }
    let types = types_path(defs);
    let name = ident(&op.params_struct_name());
    let kinds = if op.params.iter().any(|p| p.location == Location::Cookie) {
        "Query, header and cookie"
    } else {
        "Query and header"
    };
    let doc = format!(
        " {kinds} parameters of {}.\n\n Set what you need and leave the rest: `{}::default().field(value)`.",
        method_link(op),
        op.params_struct_name()
    );
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let doc = if required.is_empty() {
        doc
    } else {
        format!(
            " {kinds} parameters of {}.\n\n Build with [`{}::new`], which takes the required ones, then set the others.",
            method_link(op),
            op.params_struct_name()
        )
    };
    let doc = raw_doc_attrs(doc.trim_start_matches(' ').replace("\n ", "\n").as_str());
    let fields = op.params.iter().map(|p| {
        let f = ident(&p.rust_name);
        let ty = ty_tokens(&param_field_ty(p), &types);
        let doc = param_doc(p);
        quote! { #doc pub #f: #ty, }
    });
    let setters = op.params.iter().map(|p| {
        let f = ident(&p.rust_name);
        let ty = ty_tokens(&p.ty, &types);
        let doc = format!("Sets `{}`.", p.wire_name.replace('`', "'"));
        let mut doc = raw_doc_attrs(sanitize(&doc).as_str());
        if p.deprecated {
            doc.extend(super::deprecated_attr(p.doc.as_deref()));
        }
        if let Ty::Vec(item) = &p.ty {
            // Lists take anything iterable: `.fields_customers(["name", "email"])`.
            let item = ty_tokens(item, &types);
            let values = quote!(values.into_iter().map(Into::into).collect());
            let value = if p.required {
                values
            } else {
                quote!(Some(#values))
            };
            return quote! {
                #doc
                pub fn #f(mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> Self {
                    self.#f = #value;
                    self
                }
            };
        }
        let value = if p.required {
            quote!(value.into())
        } else {
            quote!(Some(value.into()))
        };
        quote! {
            #doc
            pub fn #f(mut self, value: impl Into<#ty>) -> Self {
                self.#f = #value;
                self
            }
        }
    });
    let derive_default = required.is_empty().then(|| quote!(Default,));
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|p| {
            let f = ident(&p.rust_name);
            let ty = ty_tokens(&p.ty, &types);
            quote!(#f: impl Into<#ty>)
        });
        let inits = op.params.iter().map(|p| {
            let f = ident(&p.rust_name);
            if p.required {
                quote!(#f: #f.into())
            } else {
                quote!(#f: None)
            }
        });
        quote! {
            /// The parameters with every required one set.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// One response as an enum variant named after its status, holding its body when it has one.
/// `box_structs`: a body that is a structure ([`is_structure`](crate::model::is_structure))
/// is boxed, so that one large body does not make every value of the enum (returned by
/// value) as large.
fn response_variant(r: &Response, box_structs: bool, defs: &Types) -> TokenStream {
    let v = ident(&status_name(r.status));
    let doc = response_doc(r);
    match r.body_ty() {
        Ty::Unit => quote! { #doc #v },
        ty => {
            let ty = match ty {
                ty if box_structs && crate::model::is_structure(defs, &ty) => {
                    Ty::Boxed(Box::new(ty))
                }
                other => other,
            };
            let ty = ty_tokens(&ty, &types_path(defs));
            quote! { #doc #v(#ty) }
        }
    }
}

/// `Status 404`, `Status 4XX`, `Any other status`.
fn status_text(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(c) => format!("Status {c}"),
        StatusSpec::Range(r) => format!("Status {r}XX"),
        StatusSpec::Default => "Any other status".into(),
    }
}

fn status_pattern(status: StatusSpec) -> TokenStream {
    match status {
        StatusSpec::Code(c) => {
            let c = crate::tokens::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusSpec::Range(r) => {
            let lo = crate::tokens::Literal::u16_unsuffixed(r as u16 * 100);
            let hi = crate::tokens::Literal::u16_unsuffixed(r as u16 * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusSpec::Default => quote!(_),
    }
}

fn response_doc(r: &Response) -> TokenStream {
    let mut text = status_text(r.status);
    if let Some(doc) = &r.doc {
        text.push_str(": ");
        text.push_str(doc);
    }
    doc_attrs(&text)
}

fn error_enum(op: &Operation, errors: &[&Response], defs: &Types) -> TokenStream {
    let name = ident(&op.error_enum_name());
    let doc = raw_doc_attrs(&format!(
        "The error responses documented for {}.",
        method_link(op)
    ));
    // Error enums travel inside a boxed `ApiError`: their size costs nothing.
    let variants = errors.iter().map(|r| response_variant(r, false, defs));
    // Shown as the status and what the document says of it (the body is in `Debug`).
    let arms = errors.iter().map(|r| {
        let v = ident(&status_name(r.status));
        let mut text = match r.status {
            StatusSpec::Code(c) => format!("status {c}"),
            StatusSpec::Range(n) => format!("a {n}XX status"),
            StatusSpec::Default => "an error status".to_owned(),
        };
        if let Some(first) = r
            .doc
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
        {
            text.push_str(": ");
            text.push_str(first);
        }
        let pattern = if r.body_ty() == Ty::Unit {
            quote!(Self::#v)
        } else {
            quote!(Self::#v(_))
        };
        quote!(#pattern => f.write_str(#text),)
    });
    let (formatter, display) = if errors.is_empty() {
        (quote!(_), quote!(match *self {}))
    } else {
        (quote!(f), quote!(match self { #(#arms)* }))
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants,)*
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl std::error::Error for #name {}
    }
}

/// How a response turns into the method's result.
fn decode_expr(r: &Response) -> TokenStream {
    match &r.content {
        None => quote!(response.empty()),
        Some(c) => match c.decoding {
            Decoding::Json => quote!(response.json()),
            Decoding::Text => quote!(response.text()),
            Decoding::Bytes if c.ty == Ty::ByteStream => quote!(response.byte_stream()),
            Decoding::Bytes => quote!(response.bytes()),
        },
    }
}

/// What an operation's responses become: the success type (one type, or an enum of
/// statuses), the error enum, and the arms of the status match.
struct Outcomes {
    error_enum: TokenStream,
    error_name: crate::tokens::Ident,
    ret_ty: TokenStream,
    success_enum: TokenStream,
    /// The one success is a binary body read as it arrives.
    streamed_bytes: bool,
    /// Every status, specific codes first, then ranges, then `default`.
    arms: Vec<TokenStream>,
    /// The error statuses alone, ranked the same way.
    error_arms: Vec<(u8, TokenStream)>,
    /// The arm for a status the document does not name, unless `default` covers it.
    fallback: Option<TokenStream>,
}

fn outcomes(op: &Operation, defs: &Types) -> Outcomes {
    let types = types_path(defs);
    let successes = op.successes();
    let mut errors: Vec<&Response> = op.error_responses().collect();
    errors.sort_by_key(|r| matches!(r.status, StatusSpec::Default));

    let error_enum = error_enum(op, &errors, defs);
    let error_name = ident(&op.error_enum_name());

    // The success type: one type, or an enum of statuses when they differ.
    let success_tys: Vec<Ty> = successes.iter().map(Response::body_ty).collect();
    let (ret_ty, success_enum, single, success_enum_name) = match &op.success {
        Success::One(ty) => (ty_tokens(ty, &types), TokenStream::new(), true, ""),
        Success::ByStatus(enum_name) => {
            let name = ident(enum_name);
            let variants = successes.iter().map(|r| response_variant(r, true, defs));
            let doc = raw_doc_attrs(&format!("The successful responses of {}.", method_link(op)));
            // A streamed body is read once: it can be neither cloned nor compared.
            let derives = if success_tys.contains(&Ty::ByteStream) {
                quote!(#[derive(Debug)])
            } else {
                quote!(#[derive(Debug, Clone, PartialEq)])
            };
            (
                quote!(#name),
                quote! {
                    #doc
                    #derives
                    #[non_exhaustive]
                    pub enum #name {
                        #(#variants,)*
                    }
                },
                false,
                enum_name.as_str(),
            )
        }
    };
    let streamed_bytes = op.success == Success::One(Ty::ByteStream);

    // Arms of the status match: specific codes first, then ranges, then `default`.
    let mut arms: Vec<(u8, TokenStream)> = Vec::new();
    let mut error_arms: Vec<(u8, TokenStream)> = Vec::new();
    for r in &successes {
        let pattern = status_pattern(r.status);
        let expr = decode_expr(r);
        let arm = if single {
            quote!(#pattern => #expr,)
        } else {
            let v = ident(&status_name(r.status));
            let success = ident(success_enum_name);
            if r.content.is_none() {
                quote!(#pattern => #expr.map(|()| #success::#v),)
            } else if crate::model::is_structure(defs, &r.body_ty()) {
                quote!(#pattern => #expr.map(|body| #success::#v(Box::new(body))),)
            } else {
                quote!(#pattern => #expr.map(#success::#v),)
            }
        };
        arms.push((rank(r.status), arm));
    }
    for r in &errors {
        let pattern = status_pattern(r.status);
        let v = ident(&status_name(r.status));
        let expr = match &r.content {
            None => quote!(response.error_without_body(#error_name::#v)),
            Some(c) => match c.decoding {
                Decoding::Json => quote!(response.error(#error_name::#v)),
                Decoding::Text => quote!(response.error_text(#error_name::#v)),
                Decoding::Bytes => quote!(response.error_bytes(#error_name::#v)),
            },
        };
        // The same arm in both matches (tokens are shared, not copied).
        let arm = quote!(#pattern => Err(#expr),);
        arms.push((rank(r.status), arm.clone()));
        error_arms.push((rank(r.status), arm));
    }
    arms.sort_by_key(|(rank, _)| *rank);
    error_arms.sort_by_key(|(rank, _)| *rank);
    let has_default = errors.iter().any(|r| r.status == StatusSpec::Default);
    let fallback = (!has_default).then(|| quote!(_ => Err(response.unexpected()),));

    Outcomes {
        error_enum,
        error_name,
        ret_ty,
        success_enum,
        streamed_bytes,
        arms: arms.into_iter().map(|(_, a)| a).collect(),
        error_arms,
        fallback,
    }
}

/// The method's arguments: path parameters, the parameter struct, the body.
fn signature(op: &Operation, defs: &Types) -> Vec<TokenStream> {
    let types = types_path(defs);
    let mut args: Vec<TokenStream> = Vec::new();
    for p in &op.path_params {
        let name = ident(&p.rust_name);
        let ty = match &p.ty {
            Ty::String => quote!(&str),
            Ty::Named(_) => {
                let t = ty_tokens(&p.ty, &types);
                quote!(&#t)
            }
            Ty::Vec(item) => {
                let item = ty_tokens(item, &types);
                quote!(&[#item])
            }
            other => ty_tokens(other, &types),
        };
        args.push(quote!(#name: #ty));
    }
    if !op.params.is_empty() {
        let name = ident(&op.params_struct_name());
        args.push(quote!(params: &#name));
    }
    if let Some(body) = &op.body {
        let ty = match &body.ty {
            Ty::Bytes => quote!(impl Into<crate::Body>),
            ty => {
                let ty = ty_tokens(ty, &types);
                quote!(&#ty)
            }
        };
        args.push(quote!(body: #ty));
    }
    args
}

/// The expression building the request path from the path parameters.
fn path_expr(op: &Operation) -> TokenStream {
    if op.path_params.is_empty() {
        let literal: String = op
            .segments
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.as_str(),
                PathSegment::Param(_) => "",
            })
            .collect();
        quote!(#literal.to_owned())
    } else {
        let parts = op.segments.iter().map(|s| match s {
            PathSegment::Literal(l) => quote!(#l),
            PathSegment::Param(wire) => {
                match op.path_params.iter().find(|p| &p.wire_name == wire) {
                    Some(p) => path_param_expr(p),
                    None => quote!(&path_segment(#wire, "")?),
                }
            }
        });
        quote!([#(#parts),*].concat())
    }
}

/// One path parameter, written as its shape and style say.
fn path_param_expr(p: &Param) -> TokenStream {
    let wire = &p.wire_name;
    let name = ident(&p.rust_name);
    let style = match p.path_style {
        PathStyle::Simple => quote!(crate::runtime::PathStyle::Simple),
        PathStyle::Label { explode } => {
            quote!(crate::runtime::PathStyle::Label { explode: #explode })
        }
        PathStyle::Matrix { explode } => {
            quote!(crate::runtime::PathStyle::Matrix { explode: #explode })
        }
        // Lists are written as in `simple` style.
        PathStyle::Reserved => quote!(crate::runtime::PathStyle::Simple),
    };
    // `&str` and `&Named` arguments are references already.
    let arg = match &p.ty {
        Ty::String | Ty::Named(_) => quote!(#name),
        _ => quote!(&#name),
    };
    match (p.shape, p.path_style) {
        (ParamShape::List, _) => quote!(&crate::runtime::path_list(#wire, #name, #style)?),
        (_, PathStyle::Simple) => quote!(&path_segment(#wire, #arg)?),
        (_, PathStyle::Reserved) => quote!(&crate::runtime::path_reserved(#wire, #arg)?),
        _ => quote!(&crate::runtime::path_styled(#wire, #arg, #style)?),
    }
}

/// The statements building the query string: fixed pairs of the path key first, then the
/// query parameters, each written as its shape and style say.
fn query_init(op: &Operation) -> TokenStream {
    let query_pushes: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| {
            let wire = &p.wire_name;
            let value = param_value(p);
            let style = match p.array_style {
                ArrayStyle::Exploded => quote!(crate::runtime::Style::Exploded),
                ArrayStyle::Delimited(d) => quote!(crate::runtime::Style::Delimited(#d)),
                ArrayStyle::DeepObject => quote!(crate::runtime::Style::DeepObject),
            };
            match (p.shape, p.array_style) {
                (ParamShape::Json, _) => {
                    let value = whole_value(p);
                    quote!(query.push(#wire, crate::runtime::json_text(#wire, #value)?.as_ref());)
                }
                (ParamShape::Serialized, _) => {
                    let value = whole_value(p);
                    quote!(query.push_serialized(#wire, #value, #style)?;)
                }
                (ParamShape::Object, ArrayStyle::DeepObject) => {
                    quote!(query.push_deep_object(#wire, #value)?;)
                }
                (ParamShape::Object, ArrayStyle::Exploded) => {
                    quote!(query.push_object_exploded(#wire, #value)?;)
                }
                (ParamShape::Object, ArrayStyle::Delimited(_)) => {
                    quote!(query.push_object_delimited(#wire, #value)?;)
                }
                (ParamShape::Scalar, _) => quote!(query.push(#wire, #value);),
                (ParamShape::List, ArrayStyle::Exploded | ArrayStyle::DeepObject) => {
                    quote!(query.push_exploded(#wire, #value);)
                }
                (ParamShape::List, ArrayStyle::Delimited(d)) => {
                    quote!(query.push_delimited(#wire, #value, #d);)
                }
            }
        })
        .collect();
    let fixed: Vec<TokenStream> = op
        .fixed_query
        .iter()
        .map(|(name, value)| match value {
            Some(v) => quote!(query.push_fixed(#name, Some(#v));),
            None => quote!(query.push_fixed(#name, None);),
        })
        .collect();
    let query_pushes: Vec<TokenStream> = fixed.into_iter().chain(query_pushes).collect();
    if query_pushes.is_empty() {
        quote!(let query = Query::new();)
    } else {
        quote! {
            let mut query = Query::new();
            #(#query_pushes)*
        }
    }
}

/// The request without its body: method, template, path, query, settings, headers, cookies.
fn request_head(op: &Operation) -> TokenStream {
    let method_ident = ident(op.method.as_str());
    // The template traced: the path key without what only tells operations apart.
    let template = crate::lower::operations::split_path_key(&op.path).0;
    let settings = request_settings(op);
    let mut request =
        quote!(Request::new(reqwest::Method::#method_ident, #template, path, query) #settings);
    for p in op
        .params
        .iter()
        .filter(|p| matches!(p.location, Location::Header | Location::Cookie))
    {
        let wire = &p.wire_name;
        let is_vec = p.shape == ParamShape::List;
        let value = if p.shape == ParamShape::Json {
            let value = whole_value(p);
            quote!(crate::runtime::json_text(#wire, #value)?.as_ref())
        } else {
            param_value(p)
        };
        request = match (p.location, is_vec) {
            (Location::Header, false) => quote!(#request.header(#wire, #value)?),
            (Location::Header, true) => quote!(#request.header_list(#wire, #value)?),
            (_, false) => quote!(#request.cookie(#wire, #value)),
            (_, true) => quote!(#request.cookie_list(#wire, #value)),
        };
    }
    request
}

/// The body, as a call on the request builder; `flag` sets the body's boolean `stream`
/// property (the stream and plain methods of one operation).
fn body_call(op: &Operation, flag: Option<bool>) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    let media = &body.media_type;
    match body.encoding {
        BodyEncoding::Json => match flag {
            Some(flag) => quote!(.json_flag(#media, body, "stream", #flag)?),
            None => quote!(.json(#media, body)?),
        },
        BodyEncoding::Form => {
            let styles = body.form_styles.iter().map(|(property, style)| {
                let style = match style {
                    ArrayStyle::Exploded => quote!(crate::runtime::Style::Exploded),
                    ArrayStyle::Delimited(d) => quote!(crate::runtime::Style::Delimited(#d)),
                    ArrayStyle::DeepObject => quote!(crate::runtime::Style::DeepObject),
                };
                quote!((#property, #style))
            });
            quote!(.form(body, &[#(#styles),*])?)
        }
        BodyEncoding::Multipart => {
            let parts = multipart_parts(body);
            quote!(.multipart({
                let mut form = crate::runtime::Multipart::new();
                #parts
                form
            })?)
        }
        BodyEncoding::Raw => quote!(.raw(#media, body.into())),
    }
}

/// An operation's items: its parameter struct, error and success enums, page stream, and
/// its methods on the client (the plain one, the one with the response's status and
/// headers, and the stream method).
fn operation(op: &Operation, defs: &Types) -> TokenStream {
    let params_struct = params_struct(op, defs);
    let Outcomes {
        error_enum,
        error_name,
        ret_ty,
        success_enum,
        streamed_bytes,
        arms,
        error_arms,
        fallback,
    } = outcomes(op, defs);
    let args = signature(op, defs);
    let path_expr = path_expr(op);
    let query_init = query_init(op);
    let request_head = request_head(op);
    let doc = method_docs(op);
    let pages = op
        .pagination
        .as_ref()
        .map(|p| pages_method(op, p, &request_settings(op), defs));
    let value_ty = value_ty(op, &ret_ty);
    let dispatch = status_match(&arms, &fallback);
    let ResponseReading { body, response_fn } =
        decoding(op, streamed_bytes, &dispatch, &value_ty, &error_name);

    let stream_method = op.stream.as_ref().map(|stream| {
        // The same request, asking for the stream (and saying so in the body's `stream` flag).
        let media = &stream.media_type;
        let stream_body = body_call(op, stream.sets_flag.then_some(true));
        let error_arms: Vec<TokenStream> = error_arms.iter().map(|(_, a)| a.clone()).collect();
        stream_fn(
            op,
            stream,
            &args,
            &doc,
            &error_name,
            StreamParts {
                path: &path_expr,
                query: &query_init,
                request: &quote!(#request_head.accept(#media) #stream_body),
                errors: &status_match(&error_arms, &fallback),
            },
            defs,
        )
    });
    let plain_methods = (!op.stream.as_ref().is_some_and(|s| s.only)).then(|| {
        let stream_flag = op.stream.as_ref().is_some_and(|s| s.sets_flag);
        let plain_body = body_call(op, stream_flag.then_some(false));
        let request = quote!(#request_head #plain_body);
        let deprecated = op.deprecated.then(|| operation_deprecated(op));
        let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        let many_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let fn_name = ident(&op.rust_name);
        let with_response = ident(&format!("{}_with_response", op.rust_name));
        let with_response_doc = raw_doc_attrs(&format!(
            "{}, with the status and headers of the response.",
            method_link(op)
        ));
        let arg_names = arg_names(op);
        quote! {
            #doc
            #deprecated
            #allow_deprecated
            #many_args
            pub async fn #fn_name(&self, #(#args),*) -> Result<#ret_ty, Error<#error_name>> {
                self.#with_response(#(#arg_names),*).await.map(crate::ResponseValue::into_body)
            }

            #with_response_doc
            #deprecated
            #many_args
            pub async fn #with_response(&self, #(#args),*) -> Result<#value_ty, Error<#error_name>> {
                let path = #path_expr;
                #query_init
                let request = #request;
                #body
            }
        }
    });

    quote! {
        #params_struct
        #error_enum
        #success_enum
        #pages
        #response_fn

        impl crate::Client {
            #plain_methods
            #stream_method
        }
    }
}

/// The rustdoc of an operation's method: summary, description, method and path, the body's
/// description, and the other media types the success is offered as.
fn method_docs(op: &Operation) -> TokenStream {
    let mut doc_text = String::new();
    if let Some(summary) = &op.summary {
        doc_text.push_str(summary.trim());
        doc_text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        doc_text.push_str(description.trim());
        doc_text.push_str("\n\n");
    }
    let mut doc = TokenStream::new();
    if !doc_text.is_empty() {
        doc.extend(doc_attrs(&doc_text));
        doc.extend(raw_doc_attrs(""));
    }
    doc.extend(raw_doc_attrs(&format!(
        "`{} {}`",
        op.method.as_str(),
        op.path.replace('`', "'")
    )));
    if let Some(body_doc) = op.body.as_ref().and_then(|b| b.doc.as_ref()) {
        doc.extend(raw_doc_attrs(""));
        doc.extend(doc_attrs(&format!("Body: {body_doc}")));
    }
    let alternatives: Vec<String> = op
        .success_responses()
        .filter_map(|r| r.content.as_ref())
        .flat_map(|c| c.alternatives.iter().map(|a| format!("`{a}`")))
        .collect();
    let first = op
        .success_responses()
        .find_map(|r| r.content.as_ref().filter(|c| !c.alternatives.is_empty()));
    if let (false, Some(first)) = (alternatives.is_empty(), first) {
        doc.extend(raw_doc_attrs(""));
        doc.extend(raw_doc_attrs(&format!(
            "The response is `{}` unless asked otherwise; it is also offered as {}: ask for one with\n\
             `client.with_options(RequestOptions::new().header(\"accept\", \"{}\"))`.",
            first.media_type,
            alternatives.join(", "),
            first.alternatives[0]
        )));
    }
    doc
}

/// A match on the response's status; an operation that documents no response (or no error)
/// has nothing to match.
fn status_match(arms: &[TokenStream], fallback: &Option<TokenStream>) -> TokenStream {
    if arms.is_empty() {
        quote!(Err(response.unexpected()))
    } else {
        quote! {
            match response.status() {
                #(#arms)*
                #fallback
            }
        }
    }
}

/// The names the plain method passes on to the method with the response.
fn arg_names(op: &Operation) -> Vec<TokenStream> {
    op.path_params
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            quote!(#name)
        })
        .chain((!op.params.is_empty()).then(|| quote!(params)))
        .chain(op.body.is_some().then(|| quote!(body)))
        .collect()
}

/// How a method reads its response, and the function it shares with its page stream.
struct ResponseReading {
    /// The statements that send the request and decode the response.
    body: TokenStream,
    /// A list followed by its links decodes each page the same way: the decoding is a
    /// function of its own, shared by the method and its page stream.
    response_fn: TokenStream,
}

fn decoding(
    op: &Operation,
    streamed_bytes: bool,
    dispatch: &TokenStream,
    value_ty: &TokenStream,
    error_name: &crate::tokens::Ident,
) -> ResponseReading {
    if op.pagination.as_ref().is_some_and(|p| p.by_link) {
        let response_fn = ident(&format!("{}_response", op.rust_name));
        ResponseReading {
            body: quote!(#response_fn(self, request).await),
            response_fn: quote! {
                async fn #response_fn(
                    client: &crate::Client,
                    request: Request,
                ) -> Result<#value_ty, Error<#error_name>> {
                    let response = client.send(request).await?;
                    response.finish(|response| #dispatch)
                }
            },
        }
    } else if streamed_bytes {
        // The body is read as it arrives; any other status is read whole.
        ResponseReading {
            body: quote! {
                let response = match self.open(request).await? {
                    crate::runtime::Opened::Streaming(body) => return Ok(body.value(|body| body.bytes())),
                    crate::runtime::Opened::Buffered(response) => response,
                };
                response.finish(|response| #dispatch)
            },
            response_fn: TokenStream::new(),
        }
    } else {
        ResponseReading {
            body: quote! {
                let response = self.send(request).await?;
                response.finish(|response| #dispatch)
            },
            response_fn: TokenStream::new(),
        }
    }
}

/// The pieces of an operation's method body a stream method shares.
struct StreamParts<'a> {
    path: &'a TokenStream,
    query: &'a TokenStream,
    request: &'a TokenStream,
    /// The match of error statuses on `response`.
    errors: &'a TokenStream,
}

/// `<operation>_stream`: the response as a stream of events or JSON lines.
fn stream_fn(
    op: &Operation,
    stream: &crate::model::StreamMethod,
    args: &[TokenStream],
    doc: &TokenStream,
    error_name: &crate::tokens::Ident,
    parts: StreamParts<'_>,
    defs: &Types,
) -> TokenStream {
    use crate::model::{EventShape, StreamKind};
    let types = types_path(defs);
    let method = ident(&stream.method);
    let item = ty_tokens(&stream.item, &types);
    let media = &stream.media_type;
    let (ret, read, what) = match (stream.kind, stream.shape) {
        (StreamKind::Lines, _) => (
            quote!(crate::JsonLines<#item>),
            quote!(body.lines()),
            format!("the response (`{media}`) as a stream of its JSON lines, each decoded as it arrives"),
        ),
        (StreamKind::Events, EventShape::Data) => (
            quote!(crate::EventStream<crate::Event<#item>>),
            quote!(body.events(crate::runtime::event_data::<#item>)),
            format!("the response as a stream of Server-Sent Events (`{media}`), each event's `data` decoded as JSON"),
        ),
        (StreamKind::Events, EventShape::Text) => (
            quote!(crate::EventStream<crate::Event<String>>),
            quote!(body.events(crate::runtime::event_text)),
            format!("the response as a stream of Server-Sent Events (`{media}`), each event's `data` as text"),
        ),
        (StreamKind::Events, EventShape::Whole) => (
            quote!(crate::EventStream<#item>),
            quote!(body.events(crate::runtime::event_object::<#item>)),
            format!(
                "the response as a stream of Server-Sent Events (`{media}`), each event (its name, id and `data`, decoded as JSON) as the type the document gives it"
            ),
        ),
    };
    let mut text = if stream.only {
        String::new()
    } else {
        format!("Like {}, with {what}.", method_link(op))
    };
    if stream.only {
        text = format!("Gives {what}.");
    }
    if stream.sets_flag {
        text.push_str(" The body's `stream` is sent as `true` (the plain method sends `false`).");
    }
    text.push_str(
        "\n\nThe stream ends when the server ends it (or sends `[DONE]`); a connection cut mid-item\n\
         yields `StreamError::Truncated`, and the client's timeout is an idle timeout between\n\
         chunks. Error statuses are the method's `Err`, read whole.",
    );
    let own_doc = raw_doc_attrs(&text);
    let doc = if stream.only {
        quote!(#doc #[doc = ""] #own_doc)
    } else {
        own_doc
    };
    let deprecated = op.deprecated.then(|| operation_deprecated(op));
    let many_args = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let StreamParts {
        path,
        query,
        request,
        errors,
    } = parts;
    // An event stream of a request safe to repeat is opened again when it breaks.
    let (resume, read) = match stream.kind {
        StreamKind::Events => (
            quote!(let resume = request.resumable(self);),
            quote!(#read.resuming(resume)),
        ),
        StreamKind::Lines => (TokenStream::new(), read),
    };
    quote! {
        #doc
        #deprecated
        #many_args
        pub async fn #method(&self, #(#args),*) -> Result<#ret, Error<#error_name>> {
            let path = #path;
            #query
            let request = #request;
            #resume
            let response = match self.open(request).await? {
                crate::runtime::Opened::Streaming(body) => return Ok(#read),
                crate::runtime::Opened::Buffered(response) => response,
            };
            #errors
        }
    }
}

/// `ResponseValue<T, H>`: the operation's result `ret_ty` with its typed headers.
fn value_ty(op: &Operation, ret_ty: &TokenStream) -> TokenStream {
    match &op.headers {
        Some(name) => {
            let name = ident(name);
            quote!(crate::ResponseValue<#ret_ty, crate::headers::#name>)
        }
        None => quote!(crate::ResponseValue<#ret_ty>),
    }
}

/// A parameter's value as the runtime's encoders take it: `Option<&T>`, or `Option<&[T]>`
/// for a list.
/// A parameter written from its whole value (as JSON text, or serialized as its style says):
/// `Option<&T>`.
fn whole_value(p: &Param) -> TokenStream {
    let f = ident(&p.rust_name);
    if p.required {
        quote!(Some(&params.#f))
    } else {
        quote!(params.#f.as_ref())
    }
}

fn param_value(p: &Param) -> TokenStream {
    let f = ident(&p.rust_name);
    match (p.required, p.shape == ParamShape::List) {
        (true, false) => quote!(Some(&params.#f)),
        (false, false) => quote!(params.#f.as_ref()),
        (true, true) => quote!(Some(params.#f.as_slice())),
        (false, true) => quote!(params.#f.as_deref()),
    }
}

/// The parts of a `multipart/form-data` body, as lowering planned them: one per property of
/// its struct, an array's items each a part of the same name, absent properties left out.
fn multipart_parts(body: &crate::model::Body) -> TokenStream {
    use crate::model::{MultipartPlan, PartKind};
    let Some(MultipartPlan::Parts { parts, extra }) = &body.multipart else {
        return quote!(form.value("body", body););
    };
    let mut out = TokenStream::new();
    for part in parts {
        let name = ident(&part.field);
        let wire = part.wire_name.as_str();
        let value = if part.repeated {
            quote!(item)
        } else {
            quote!(value)
        };
        let write = match (part.kind, &part.media_type) {
            (PartKind::File, None) => quote!(form.file(#wire, #value, "application/octet-stream");),
            (PartKind::File, Some(m)) => quote!(form.file(#wire, #value, #m);),
            (PartKind::Text, Some(m)) => quote!(form.text_as(#wire, #value, #m);),
            (PartKind::Text, None) => quote!(form.text(#wire, #value);),
            (PartKind::Value, _) => quote!(form.value(#wire, #value);),
            (PartKind::Json, _) => quote!(form.json(#wire, #value);),
        };
        let write = if part.repeated {
            quote!(for item in value { #write })
        } else {
            write
        };
        out.extend(if part.optional {
            quote!(if let Some(value) = &body.#name { #write })
        } else {
            quote!({ let value = &body.#name; #write })
        });
    }
    if *extra {
        let extra = ident(crate::lower::types::EXTRA_FIELD);
        out.extend(quote!(for (name, value) in &body.#extra { form.value(name, value); }));
    }
    out
}

/// The `Accept` header and credentials an operation's requests carry, as builder calls.
fn request_settings(op: &Operation) -> TokenStream {
    let mut settings = TokenStream::new();
    let name = &op.rust_name;
    settings.extend(quote!(.operation(#name)));
    if let Some(header) = &op.idempotency_header {
        settings.extend(quote!(.idempotency_header(#header)));
    }
    if !op.accept.is_empty() {
        let accept = &op.accept;
        settings.extend(quote!(.accept(#accept)));
    }
    if let Some(server) = &op.server {
        settings.extend(quote!(.server(#server)));
    }
    if !op.security.is_empty() {
        let alternatives = op.security.iter().map(|credentials| {
            let credentials = credentials.iter().map(|c| match c {
                Credential::Bearer => quote!(crate::runtime::Scheme::Bearer),
                Credential::Basic => quote!(crate::runtime::Scheme::Basic),
                Credential::Http(scheme) => quote!(crate::runtime::Scheme::Http(#scheme)),
                Credential::ApiKey { scheme, location, name } => {
                    let location = match location {
                        Location::Query => quote!(crate::runtime::KeyIn::Query),
                        Location::Cookie => quote!(crate::runtime::KeyIn::Cookie),
                        _ => quote!(crate::runtime::KeyIn::Header),
                    };
                    quote!(crate::runtime::Scheme::ApiKey { scheme: #scheme, place: #location, name: #name })
                }
            });
            quote!(&[#(#credentials),*])
        });
        settings.extend(quote!(.security(&[#(#alternatives),*])));
    }
    settings
}

fn rank(status: StatusSpec) -> u8 {
    match status {
        StatusSpec::Code(_) => 0,
        StatusSpec::Range(_) => 1,
        StatusSpec::Default => 2,
    }
}

/// `<operation>_pages`: the pages of a paginated list, as a stream.
/// `<operation>_pages`: the operation's pages as a stream, by the link each page gives, by
/// cursor, or by page number or offset, as lowering found them.
fn pages_method(
    op: &Operation,
    p: &crate::model::Pagination,
    settings: &TokenStream,
    defs: &Types,
) -> TokenStream {
    let common = pages_common(op, p, defs);
    if p.by_link {
        return pages_by_link(op, &common, settings);
    }
    if let Some((field, cursor_ty)) = &p.cursor_field {
        return pages_by_cursor(op, &common, field, cursor_ty);
    }
    match (&p.page_field, &p.offset_field) {
        (Some((field, ty)), _) => pages_by_number(op, &common, field, ty, false, defs),
        (None, Some((field, ty))) => pages_by_number(op, &common, field, ty, true, defs),
        (None, None) => TokenStream::new(),
    }
}

/// What every page stream's method has: its name, signature and types, and how the stream
/// owns its arguments and passes them to each call.
struct PagesCommon {
    method: Ident,
    page_ty: TokenStream,
    error: Ident,
    /// `<operation>_with_response`, called for each page.
    call: Ident,
    signature: TokenStream,
    /// Attributes of the method (too many arguments, deprecated).
    many_args: TokenStream,
    /// The stream's own copies of the path parameters.
    owned: Vec<TokenStream>,
    /// Their clones for each call.
    clones: Vec<TokenStream>,
    call_args: TokenStream,
    clone_params: TokenStream,
}

fn pages_common(op: &Operation, p: &crate::model::Pagination, defs: &Types) -> PagesCommon {
    let types = types_path(defs);
    let method = ident(&p.method);
    let params = ident(&op.params_struct_name());
    let error = ident(&op.error_enum_name());
    let page_ty = match &p.response {
        Some(id) => value_ty(op, &types.named(*id)),
        None => {
            let item = ty_tokens(&p.item_ty, &types);
            value_ty(op, &quote!(Vec<#item>))
        }
    };
    let call = ident(&format!("{}_with_response", op.rust_name));
    // Path parameters are owned by the stream, and passed to each call as the method takes
    // them.
    let mut path_args = Vec::new();
    let mut owned = Vec::new();
    let mut passed = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.rust_name);
        match &param.ty {
            Ty::String => {
                path_args.push(quote!(#name: &str));
                owned.push(quote!(let #name = #name.to_owned();));
                passed.push(quote!(&#name));
            }
            Ty::Named(_) => {
                let t = ty_tokens(&param.ty, &types);
                path_args.push(quote!(#name: &#t));
                owned.push(quote!(let #name = #name.clone();));
                passed.push(quote!(&#name));
            }
            // Numbers and booleans are copied.
            other @ (Ty::Bool | Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F32 | Ty::F64) => {
                let t = ty_tokens(other, &types);
                path_args.push(quote!(#name: #t));
                passed.push(quote!(#name));
            }
            other => {
                let t = ty_tokens(other, &types);
                path_args.push(quote!(#name: #t));
                owned.push(quote!(let #name = #name.clone();));
                passed.push(quote!(#name.clone()));
            }
        }
    }
    let clones: Vec<TokenStream> = op
        .path_params
        .iter()
        .filter(|param| {
            !matches!(
                param.ty,
                Ty::Bool | Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F32 | Ty::F64
            )
        })
        .map(|param| {
            let name = ident(&param.rust_name);
            quote!(let #name = #name.clone();)
        })
        .collect();
    let (params_arg, clone_params, params_pass) = if op.params.is_empty() {
        (quote!(), quote!(), quote!())
    } else {
        (
            quote!(params: &#params,),
            quote!(let params = params.clone();),
            quote!(&params),
        )
    };
    let call_args = quote!(#(#passed,)* #params_pass);
    let signature = quote!(#(#path_args,)* #params_arg);
    let many_args = (op.path_params.len() + usize::from(!op.params.is_empty()) > 6)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // The pages of a deprecated operation are deprecated too (and call it without a warning).
    let many_args = match op.deprecated {
        true => {
            let deprecated = operation_deprecated(op);
            quote!(#many_args #deprecated #[allow(deprecated)])
        }
        false => quote!(#many_args),
    };
    PagesCommon {
        method,
        page_ty,
        error,
        call,
        signature,
        many_args,
        owned,
        clones,
        call_args,
        clone_params,
    }
}

impl PagesCommon {
    /// The page stream's method on the client: `setup` (the stream's own copy of the
    /// parameters) and the path parameters' copies after the client's, then `body`, which
    /// builds the `Pages`.
    fn method(&self, doc: TokenStream, setup: TokenStream, body: TokenStream) -> TokenStream {
        let PagesCommon {
            method,
            page_ty,
            error,
            signature,
            many_args,
            owned,
            ..
        } = self;
        quote! {
            impl crate::Client {
                #doc
                #many_args
                pub fn #method(&self, #signature) -> crate::Pages<#page_ty, #error> {
                    let client = self.clone();
                    #setup
                    #(#owned)*
                    #body
                }
            }
        }
    }
}

/// Pages that link to the next one.
fn pages_by_link(op: &Operation, c: &PagesCommon, settings: &TokenStream) -> TokenStream {
    let PagesCommon {
        call,
        clones,
        call_args,
        clone_params,
        ..
    } = c;
    let template = crate::lower::operations::split_path_key(&op.path).0;
    let response_fn = ident(&format!("{}_response", op.rust_name));
    let doc = raw_doc_attrs(&format!(
        "The pages of {link}: the first as `params` ask, then each page the one before links to.\n\n\
         The stream ends after a page without a next link, or after the first error, which it\n\
         yields. A link outside the client's base URL is not followed (an error): credentials\n\
         go nowhere else. `.items()` gives the items one by one; `.max_pages(n)` and\n\
         `.items().max_items(n)` stop early.",
        link = method_link(op)
    ));
    c.method(
        doc,
        quote!(#clone_params),
        quote! {
            crate::runtime::Pages::by_link(Box::new(move |page| {
                let client = client.clone();
                #clone_params
                #(#clones)*
                Box::pin(async move {
                    match page {
                        crate::runtime::PageRequest::Link(link) => {
                            let request = Request::from_link(&client, #template, &link)? #settings;
                            #response_fn(&client, request).await
                        }
                        _ => client.#call(#call_args).await,
                    }
                })
            }))
        },
    )
}

/// Pages that give the cursor of the next one.
fn pages_by_cursor(
    op: &Operation,
    c: &PagesCommon,
    field_name: &str,
    cursor_ty: &Ty,
) -> TokenStream {
    let PagesCommon {
        call,
        clones,
        call_args,
        ..
    } = c;
    // A cursor from the response goes into its parameter; the first page is as asked.
    // A required parameter is a plain field of the parameter struct, an optional one an Option.
    let required = |field: &str| op.params.iter().any(|q| q.rust_name == field && q.required);
    let field = ident(field_name);
    let set = match (cursor_ty, required(field_name)) {
        (Ty::String, false) => quote!(params.#field = Some(cursor);),
        (Ty::String, true) => quote!(params.#field = cursor;),
        (_, false) => quote!(params.#field = cursor.parse().ok();),
        (_, true) => quote!(if let Ok(cursor) = cursor.parse() { params.#field = cursor; }),
    };
    let doc = raw_doc_attrs(&format!(
        "The pages of {link}: the first as `params` ask, then each with the cursor the one before gives.\n\n\
         The stream ends after a page without a cursor (or an empty one, or the same again), or\n\
         after the first error, which it yields. `.items()` gives the items one by one;\n\
         `.max_pages(n)` and `.items().max_items(n)` stop early.",
        link = method_link(op)
    ));
    c.method(
        doc,
        quote!(let params = params.clone();),
        quote! {
            crate::runtime::Pages::by_cursor(Box::new(move |page| {
                let client = client.clone();
                let mut params = params.clone();
                #(#clones)*
                if let crate::runtime::PageRequest::Cursor(cursor) = page {
                    #set
                }
                Box::pin(async move { client.#call(#call_args).await })
            }))
        },
    )
}

/// Pages by number or, with `offset`, by the offset of their first item.
fn pages_by_number(
    op: &Operation,
    c: &PagesCommon,
    field_name: &str,
    number_ty: &Ty,
    offset: bool,
    defs: &Types,
) -> TokenStream {
    let PagesCommon {
        call,
        clones,
        call_args,
        ..
    } = c;
    let types = types_path(defs);
    let required = |field: &str| op.params.iter().any(|q| q.rust_name == field && q.required);
    let field = ident(field_name);
    let is_required = required(field_name);
    // The parameter's value as a page number or offset (`n` a reference to it), and back
    // (`page`).
    let (to_number, from_number) = match number_ty {
        Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => {
            let t = ty_tokens(number_ty, &types);
            (
                quote!(u64::try_from(*n).unwrap_or(0)),
                quote!(#t::try_from(page).unwrap_or(#t::MAX)),
            )
        }
        Ty::F32 | Ty::F64 => {
            let t = ty_tokens(number_ty, &types);
            (quote!(*n as u64), quote!(page as #t))
        }
        _ => (
            quote!(n.to_string().parse().unwrap_or(0)),
            quote!(page.to_string().into()),
        ),
    };
    let (constructor, request, first, doc) = if offset {
        (
            quote!(by_offset),
            quote!(Offset),
            if is_required { quote!({ let n = &params.#field; #to_number }) } else { quote!(params.#field.as_ref().map_or(0, |n| #to_number)) },
            format!(
                "The pages of {link}, one request each, from the offset `params` names (or 0) on, each\n\
                 page starting after the items of the one before.\n\n\
                 The stream ends after an empty page, or after the first error, which it yields.\n\
                 `.items()` gives the items one by one; `.max_pages(n)` and `.items().max_items(n)`\n\
                 stop early.",
                link = method_link(op)
            ),
        )
    } else {
        (
            quote!(by_number),
            quote!(Number),
            if is_required { quote!({ let n = &params.#field; #to_number }.max(1)) } else { quote!(params.#field.as_ref().map_or(1, |n| #to_number).max(1)) },
            format!(
                "The pages of {link}, one request each, from the page `params` names (or the first) on.\n\n\
                 The stream ends after the last page, or after the first error, which it yields.\n\
                 `.items()` gives the items one by one; `.max_pages(n)` and `.items().max_items(n)`\n\
                 stop early.",
                link = method_link(op)
            ),
        )
    };
    let doc = raw_doc_attrs(&doc);
    let set_number = if is_required {
        from_number
    } else {
        quote!(Some(#from_number))
    };
    c.method(
        doc,
        quote!(let params = params.clone();),
        quote! {
            let first = #first;
            crate::runtime::Pages::#constructor(
                first,
                Box::new(move |page| {
                    let page = match page {
                        crate::runtime::PageRequest::#request(n) => n,
                        _ => first,
                    };
                    let client = client.clone();
                    let mut params = params.clone();
                    #(#clones)*
                    params.#field = #set_number;
                    Box::pin(async move { client.#call(#call_args).await })
                }),
            )
        },
    )
}

/// `#[deprecated]` for a deprecated operation's methods, with the sentence of its description
/// or summary that says so as the note.
fn operation_deprecated(op: &Operation) -> TokenStream {
    let said = [&op.description, &op.summary]
        .into_iter()
        .flatten()
        .find(|d| d.to_ascii_lowercase().contains("deprecat"));
    super::deprecated_attr(said.map(String::as_str))
}
