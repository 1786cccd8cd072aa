//! Type definitions: the files of `types` (components and shared inline schemas), and the
//! definitions the path modules hold of their operations' own types.

use crate::tokens::{quote, ToTokens, TokenStream};

use super::docs::{doc_attrs, raw_doc_attrs};
use super::{cfg_attr, ident, ty_tokens, TyPath};
use crate::format::Part;
use crate::lower::types::EXTRA_FIELD;
use crate::model::{Api, IntegerValue, StructDef, Ty, TypeDef, TypeId, TypeKind, Types};

/// The types of `types` defined in one file: those one group of operations (one cargo
/// feature) alone reaches, or, in `shared`, all the others.
pub struct TypeFile<'a> {
    /// The file's module under `types`.
    pub module: String,
    /// The group it is for, as the document names it; `None` for `shared`.
    pub group: Option<String>,
    pub types: Vec<&'a TypeDef>,
}

impl TypeFile<'_> {
    /// The features the file's module is compiled with, when all its types are compiled
    /// with the same ones (`None`: the module always is, and each type says).
    pub fn cfg(&self) -> Option<&[String]> {
        super::one_cfg(self.types.iter().map(|t| t.features.as_slice()))
    }
}

/// The files `types` is split into: one per cargo feature whose operations alone reach some
/// types (in the document's order of features), then `shared`. A document without features
/// has all its types in `shared`.
pub fn type_files(api: &Api) -> Vec<TypeFile<'_>> {
    use crate::lower::names::{snake, Scope};
    let mut modules = Scope::with_reserved(&["shared", "mod"]);
    let mut files: Vec<TypeFile> = api
        .features
        .iter()
        .map(|f| TypeFile {
            module: modules.claim(snake(&f.name)),
            group: Some(f.group.clone()),
            types: Vec::new(),
        })
        .collect();
    let mut shared = TypeFile {
        module: "shared".to_owned(),
        group: None,
        types: Vec::new(),
    };
    for def in api.types.iter().filter(|t| t.home.is_none()) {
        let file = match def.features.as_slice() {
            [one] => api.features.iter().position(|f| f.name == *one),
            _ => None,
        };
        match file {
            Some(i) => files[i].types.push(def),
            None => shared.types.push(def),
        }
    }
    files.retain(|f| !f.types.is_empty());
    files.extend(split_by_initial(shared, &api.types));
    files
}

/// Types per file past which `shared` is split by the names' first letters (`shared_a_c`,
/// `shared_d`, ...), so that each file stays one a person can open.
const SHARED_TYPES_PER_FILE: usize = 80;

fn split_by_initial<'a>(shared: TypeFile<'a>, all: &Types) -> Vec<TypeFile<'a>> {
    if shared.types.len() <= SHARED_TYPES_PER_FILE {
        return if shared.types.is_empty() {
            Vec::new()
        } else {
            vec![shared]
        };
    }
    let initial = |t: &TypeDef| t.name.chars().next().unwrap_or('_').to_ascii_lowercase();
    let mut by_initial: std::collections::BTreeMap<char, Vec<&TypeDef>> = Default::default();
    for t in &shared.types {
        by_initial.entry(initial(t)).or_default().push(t);
    }
    // Consecutive letters fill a file until the next would take it past the limit.
    let mut chunks: Vec<(char, char, Vec<&TypeDef>)> = Vec::new();
    for (letter, types) in by_initial {
        match chunks.last_mut() {
            Some((_, last, have)) if have.len() + types.len() <= SHARED_TYPES_PER_FILE => {
                *last = letter;
                have.extend(types);
            }
            _ => chunks.push((letter, letter, types)),
        }
    }
    chunks
        .into_iter()
        .map(|(first, last, mut types)| {
            // Document order within a file, as everywhere else.
            types.sort_by_key(|t| all.place(t.id));
            TypeFile {
                module: match first == last {
                    true => format!("shared_{first}"),
                    false => format!("shared_{first}_{last}"),
                },
                group: None,
                types,
            }
        })
        .collect()
}

/// `src/types/mod.rs`: the module's documentation, and each file's types re-exported, so
/// that every type is `types::Name` and documented once.
pub fn types_mod_rs(files: &[TypeFile]) -> TokenStream {
    let modules = files.iter().map(|f| {
        let m = ident(&f.module);
        let cfg = f.cfg().and_then(cfg_attr);
        quote! {
            #cfg
            mod #m;
            #cfg
            pub use #m::*;
        }
    });
    quote! {
        //! The API's data types: its component schemas, and the inline schemas that more than
        //! one path uses, named after where they appear. (The inline schemas of one path's
        //! operations are defined beside them.) Their files hold the types one group of
        //! operations reaches; `shared.rs` the rest.

        #(#modules)*
    }
}

/// One file of `types`.
pub fn type_file_rs(api: &Api, file: &TypeFile) -> Vec<Part> {
    let mut doc = match &file.group {
        Some(group) => format!(
            "The types that only the operations of `{}` use.",
            group.replace('`', "'")
        ),
        None => "The types that several groups of operations use, or none.".to_owned(),
    };
    // Compiled as a whole, or item by item.
    let whole = file.cfg();
    if let Some(features) = whole {
        doc.push_str(&format!(
            "\n\nCompiled with {}.",
            super::features_phrase(features)
        ));
    }
    let doc = super::docs::inner_doc_attrs(&doc);
    let mut parts = vec![Part::always(quote! {
        #doc

        #[allow(unused_imports)]
        use serde::{Deserialize, Serialize};
        #[allow(unused_imports)]
        use super::*;
    })];
    let here = TyPath::new(&api.types, TokenStream::new());
    parts.extend(file.types.iter().map(|t| Part {
        tokens: type_def(api, t, &here),
        cfg: cfg_attr(&t.features).filter(|_| whole.is_none()),
    }));
    let names: std::collections::HashSet<&str> =
        file.types.iter().map(|t| t.name.as_str()).collect();
    parts.extend(
        page_impls(api, None, &here)
            .into_iter()
            .filter_map(|(name, part)| {
                names.contains(name).then_some(Part {
                    cfg: part.cfg.filter(|_| whole.is_none()),
                    ..part
                })
            }),
    );
    parts
}

/// The `Page` impls of the paginated responses defined in `home` (a path's module, or
/// `types` for `None`), each beside its type and compiled with it.
pub(super) fn page_impls<'a>(
    api: &'a Api,
    home: Option<&str>,
    here: &TyPath,
) -> Vec<(&'a str, Part)> {
    let mut seen = std::collections::BTreeSet::new();
    api.paths
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.pagination.as_ref())
        .filter_map(|p| {
            // An array response's `Page` is the runtime's, for every `Vec`.
            let def = api.types.get(p.response?);
            (def.home.as_deref() == home && seen.insert(def.id)).then_some((p, def))
        })
        .map(|(p, def)| {
            let part = Part {
                tokens: page_impl(p, here),
                cfg: cfg_attr(&def.features),
            };
            (def.name.as_str(), part)
        })
        .collect()
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let mut tokens = def.doc.as_deref().map(doc_attrs).unwrap_or_default();
    if def.doc.is_some() {
        tokens.extend(raw_doc_attrs(""));
    }
    tokens.extend(raw_doc_attrs(&format!(
        "Schema: `{}`",
        def.origin.replace('`', "'")
    )));
    if def.deprecated {
        tokens.extend(super::deprecated_attr(def.doc.as_deref()));
    }
    tokens
}

/// An integer with named values: a newtype with a constant per value. Any integer decodes,
/// so a value the API adds later is read, compared and sent like the named ones, and a match
/// on `Name(7)` keeps matching when a later version names it.
fn integer_enum(
    name: &str,
    docs: &TokenStream,
    repr: &Ty,
    values: &[IntegerValue],
    here: &TyPath,
) -> TokenStream {
    let type_name = ident(name);
    let named_format = format!("{name}::{{constant}}");
    let repr = ty_tokens(repr, here);
    let consts = values.iter().map(|v| {
        let constant = ident(&v.rust_name);
        let value = crate::tokens::Literal::i64_unsuffixed(v.value);
        let mut doc = raw_doc_attrs(&format!("`{}`", v.value));
        if let Some(text) = &v.doc {
            doc.extend(doc_attrs(text));
        }
        quote!(#doc pub const #constant: Self = Self(#value);)
    });
    let names = values.iter().map(|v| {
        let value = crate::tokens::Literal::i64_unsuffixed(v.value);
        let constant = v.rust_name.as_str();
        quote!(#value => Some(#constant))
    });
    quote! {
        #docs
        ///
        /// Values the document does not name decode too: [`name`](Self::name) tells the named
        /// ones, `.0` is the number.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct #type_name(pub #repr);

        impl #type_name {
            #(#consts)*

            /// The name of the constant for this value, if the document names it.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    #(#names,)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.name() {
                    Some(constant) => write!(f, #named_format),
                    None => f.debug_tuple(#name).field(&self.0).finish(),
                }
            }
        }

        impl std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<#repr> for #type_name {
            fn from(value: #repr) -> Self {
                Self(value)
            }
        }

        impl From<#type_name> for #repr {
            fn from(value: #type_name) -> Self {
                value.0
            }
        }

        impl crate::runtime::ParamValue for #type_name {
            fn to_param(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Owned(self.0.to_string())
            }
        }
    }
}

/// A type's definition; `here` is the path to the types module from where it is defined
/// (empty in `types`, `types::` in a path's module).
pub(super) fn type_def(api: &Api, def: &TypeDef, here: &TyPath) -> TokenStream {
    let docs = type_doc(def);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, here);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
        TypeKind::Struct(s) => struct_def(&name, &docs, s, def, here),
        TypeKind::IntegerEnum { repr, values } => {
            integer_enum(&def.name, &docs, repr, values, here)
        }
        TypeKind::StringEnum(variants) => {
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let wires: Vec<_> = variants.iter().map(|v| v.wire_value.as_str()).collect();
            let variant_docs = variants.iter().map(|v| {
                let text = format!("`{}`", v.wire_value.replace('`', "'"));
                let mut tokens = raw_doc_attrs(&super::docs::sanitize(&text));
                if let Some(doc) = &v.doc {
                    tokens.extend(doc_attrs(doc));
                }
                tokens
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
                #[serde(from = "String", into = "String")]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #idents,)*
                    /// A value this crate does not know yet (the API may have added it since).
                    ///
                    /// Read it with [`as_str`](Self::as_str) rather than matching on this
                    /// variant: a later version of the crate may know the value as a variant of
                    /// its own, and a match on `Unknown` would then silently stop matching.
                    #[deprecated(note = "match the known variants and a `_` arm; read unknown values with `as_str()`")]
                    Unknown(crate::runtime::UnknownValue),
                }

                impl #name {
                    /// The value as the API writes it.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#idents => #wires,)*
                            Self::Unknown(value) => value.as_str(),
                        }
                    }
                }

                impl From<String> for #name {
                    fn from(value: String) -> Self {
                        match value.as_str() {
                            #(#wires => Self::#idents,)*
                            _ => Self::Unknown(crate::runtime::UnknownValue::new(value)),
                        }
                    }
                }

                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::from(value.to_owned())
                    }
                }

                impl From<#name> for String {
                    fn from(value: #name) -> Self {
                        match value {
                            #name::Unknown(value) => value.into_string(),
                            known => known.as_str().to_owned(),
                        }
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl crate::runtime::ParamValue for #name {
                    fn to_param(&self) -> std::borrow::Cow<'_, str> {
                        std::borrow::Cow::Borrowed(self.as_str())
                    }
                }
            }
        }
        TypeKind::Union(variants) => {
            let scalar_union = crate::model::is_param_value(&api.types, def.id);
            let param_impl = scalar_union.then(|| {
                let arms = variants.iter().map(|v| {
                    let vname = ident(&v.rust_name);
                    quote!(Self::#vname(value) => crate::runtime::ParamValue::to_param(value))
                });
                quote! {
                    impl crate::runtime::ParamValue for #name {
                        fn to_param(&self) -> std::borrow::Cow<'_, str> {
                            match self {
                                #(#arms,)*
                            }
                        }
                    }
                }
            });
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let ty = variant_ty(&v.ty, here);
                let doc = if v.rust_name == "Other" && v.ty == Ty::Value {
                    quote!(#[doc = " A value that matches none of the documented shapes."])
                } else {
                    TokenStream::new()
                };
                quote!(#doc #vname(#ty))
            });
            let decode = shape_decoding(variants);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#vs,)*
                }

                /// Each member is tried in turn, the most specific first, when the value
                /// fits its shape (the values and properties it fixes, those it requires).
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = serde_json::Value::deserialize(deserializer)?;
                        #decode
                    }
                }

                #param_impl
            }
        }
        TypeKind::Tagged {
            property,
            variants,
            numeric,
        } => tagged_union(&name, &docs, property, variants, *numeric, here),
    }
}

/// A `Shape` literal for the runtime's matcher.
fn shape_tokens(shape: &crate::model::MemberShape) -> TokenStream {
    use crate::model::JsonKind;
    let kind = match shape.kind {
        JsonKind::Object => quote!(Object),
        JsonKind::String => quote!(String),
        JsonKind::Integer => quote!(Integer),
        JsonKind::Number => quote!(Number),
        JsonKind::Boolean => quote!(Boolean),
        JsonKind::Array => quote!(Array),
        JsonKind::Any => quote!(Any),
    };
    let values = &shape.values;
    let fixed = shape.fixed.iter().map(|(p, v)| quote!((#p, #v)));
    let required = &shape.required;
    quote!(crate::runtime::tagged::Shape {
        kind: crate::runtime::tagged::Kind::#kind,
        values: &[#(#values),*],
        fixed: &[#(#fixed),*],
        required: &[#(#required),*],
    })
}

/// A union member's type as its variant holds it: boxed when it is a structure
/// ([`is_structure`](crate::model::is_structure)).
fn variant_ty(ty: &Ty, here: &TyPath) -> TokenStream {
    if crate::model::is_structure(here.defs, ty) {
        ty_tokens(&Ty::Boxed(Box::new(ty.clone())), here)
    } else {
        ty_tokens(ty, here)
    }
}

/// Tries `variants` on `value`: the members it fits, those it gives more evidence for first
/// (see the runtime's `candidates`); a variant holding any value comes last; with none, the
/// value is an error.
fn shape_decoding(variants: &[crate::model::UnionVariant]) -> TokenStream {
    let mut order: Vec<&crate::model::UnionVariant> =
        variants.iter().filter(|v| v.ty != Ty::Value).collect();
    order.sort_by_key(|v| std::cmp::Reverse(v.shape.specificity()));
    let shapes = order.iter().map(|v| shape_tokens(&v.shape));
    let arms = order.iter().enumerate().map(|(i, v)| {
        let vname = ident(&v.rust_name);
        quote! {
            #i => if let Some(decoded) = crate::runtime::tagged::try_decode(&value) {
                return Ok(Self::#vname(decoded));
            }
        }
    });
    let last = match variants.iter().find(|v| v.ty == Ty::Value) {
        Some(v) => {
            let vname = ident(&v.rust_name);
            quote!(Ok(Self::#vname(value)))
        }
        None => quote!(Err(serde::de::Error::custom(
            "the value fits none of the union's members"
        ))),
    };
    match order.as_slice() {
        [] => last,
        [only] => {
            let vname = ident(&only.rust_name);
            let shape = shape_tokens(&only.shape);
            quote! {
                if crate::runtime::tagged::fits(&value, &#shape) {
                    if let Some(decoded) = crate::runtime::tagged::try_decode(&value) {
                        return Ok(Self::#vname(decoded));
                    }
                }
                #last
            }
        }
        _ => quote! {
            const SHAPES: &[crate::runtime::tagged::Shape] = &[#(#shapes),*];
            for member in crate::runtime::tagged::candidates(&value, SHAPES) {
                match member {
                    #(#arms)*
                    _ => {}
                }
            }
            #last
        },
    }
}

/// A union told apart by one property: decoding reads the property and decodes the variant
/// it names (a value naming none is kept in `Other`); encoding writes the variant, adding
/// the property when the value lacks it.
fn tagged_union(
    name: &crate::tokens::Ident,
    docs: &TokenStream,
    property: &str,
    variants: &[crate::model::UnionVariant],
    numeric: bool,
    here: &TyPath,
) -> TokenStream {
    let mut defs = Vec::new();
    let mut decode_arms = Vec::new();
    let mut encode_arms = Vec::new();
    for v in variants {
        let vname = ident(&v.rust_name);
        if v.tags.is_empty() {
            defs.push(quote! {
                #[doc = " A value whose discriminator names none of the documented shapes (or is missing)."]
                #vname(serde_json::Value)
            });
            encode_arms.push(quote!(Self::#vname(value) => value.serialize(serializer)));
            continue;
        }
        let ty = variant_ty(&v.ty, here);
        let when = v
            .tags
            .iter()
            .map(|t| format!("`{}`", t.replace('`', "'")))
            .collect::<Vec<_>>()
            .join(" or ");
        let doc = format!(" `{}` is {when}.", property.replace('`', "'"));
        defs.push(quote!(#[doc = #doc] #vname(#ty)));
        // Values that select only this member; those shared by several are matched below.
        let own: Vec<String> = v
            .tags
            .iter()
            .filter(|t| variants.iter().filter(|w| w.tags.contains(t)).count() == 1)
            .cloned()
            .collect();
        let tags: Vec<TokenStream> = if numeric {
            integer_patterns(&own)
        } else {
            own.iter().map(|t| quote!(#t)).collect()
        };
        if !tags.is_empty() {
            decode_arms.push(
                quote!(Some(#(#tags)|*) => crate::runtime::tagged::decode(value).map(Self::#vname)),
            );
        }
        let first = match v.tags[0].parse::<i64>() {
            Ok(n) if numeric => crate::tokens::Literal::i64_unsuffixed(n).into_token_stream(),
            _ => {
                let t = &v.tags[0];
                quote!(#t)
            }
        };
        let others = &v.tags[1..];
        encode_arms.push(quote!(Self::#vname(value) => crate::runtime::tagged::encode(serializer, #property, #first, &[#(#others),*], value)));
    }
    // Values shared by several members, each once, in the order they first appear.
    let mut shared: Vec<&String> = Vec::new();
    for v in variants {
        for t in &v.tags {
            if variants.iter().filter(|w| w.tags.contains(t)).count() > 1 && !shared.contains(&t) {
                shared.push(t);
            }
        }
    }
    let other = variants
        .iter()
        .find(|v| v.tags.is_empty())
        .map(|v| ident(&v.rust_name));
    for t in shared {
        let members: Vec<crate::model::UnionVariant> = variants
            .iter()
            .filter(|w| w.tags.contains(t))
            .cloned()
            .collect();
        let mut members = members;
        if let Some(other) = &other {
            members.push(crate::model::UnionVariant {
                rust_name: other.to_string(),
                ty: Ty::Value,
                tags: Vec::new(),
                shape: Default::default(),
            });
        }
        let decode = shape_decoding(&members);
        let pattern = match t.parse::<i64>() {
            Ok(n) if numeric => crate::tokens::Literal::i64_unsuffixed(n).into_token_stream(),
            _ => quote!(#t),
        };
        decode_arms.push(quote!(Some(#pattern) => { #decode }));
    }
    let tag_fn = ident(if numeric { "number_tag" } else { "tag" });
    let fallback = variants
        .iter()
        .find(|v| v.tags.is_empty())
        .map(|v| ident(&v.rust_name));
    let fallback = match fallback {
        Some(f) => quote!(_ => Ok(Self::#f(value))),
        None => quote!(_ => Err(serde::de::Error::custom(concat!("no known `", #property, "`")))),
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs,)*
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#encode_arms,)*
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match crate::runtime::tagged::#tag_fn(&value, #property) {
                    #(#decode_arms,)*
                    #fallback
                }
            }
        }
    }
}

/// Integer values as match patterns, runs of consecutive values as ranges (`10..=12`).
fn integer_patterns(tags: &[String]) -> Vec<TokenStream> {
    let mut values: Vec<i64> = tags.iter().filter_map(|t| t.parse().ok()).collect();
    values.sort_unstable();
    values.dedup();
    let mut patterns = Vec::new();
    let mut i = 0;
    while i < values.len() {
        let start = values[i];
        let mut end = start;
        while i + 1 < values.len() && values[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        let lo = crate::tokens::Literal::i64_unsuffixed(start);
        let hi = crate::tokens::Literal::i64_unsuffixed(end);
        patterns.push(if start == end {
            quote!(#lo)
        } else {
            quote!(#lo..=#hi)
        });
        i += 1;
    }
    patterns
}

fn struct_def(
    name: &crate::tokens::Ident,
    docs: &TokenStream,
    s: &StructDef,
    def: &TypeDef,
    here: &TyPath,
) -> TokenStream {
    let all_optional = s.fields.iter().all(|f| f.ty.is_option());
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let ty = ty_tokens(&f.ty, here);
        let mut doc = f.doc.as_deref().map(doc_attrs).unwrap_or_default();
        let mut notes = Vec::new();
        if f.read_only {
            notes.push("Read-only: sent by the server, ignored in requests.");
        }
        if f.write_only {
            notes.push("Write-only: sent in requests, never in responses.");
        }
        if !notes.is_empty() {
            if f.doc.is_some() {
                doc.extend(raw_doc_attrs(""));
            }
            doc.extend(raw_doc_attrs(&notes.join(" ")));
        }
        if f.deprecated {
            doc.extend(super::deprecated_attr(f.doc.as_deref()));
        }
        let wire = &f.wire_name;
        let rename = (f.rust_name != f.wire_name).then(|| quote!(rename = #wire,));
        let serde = if f.required {
            rename.map(|r| quote!(#[serde(#r)])).unwrap_or_default()
        } else {
            quote!(#[serde(#rename default, skip_serializing_if = "Option::is_none")])
        };
        quote! {
            #doc
            #serde
            pub #fname: #ty,
        }
    });
    let extra = s.extra.as_ref().map(|ty| {
        let extra_name = ident(EXTRA_FIELD);
        let ty = ty_tokens(&Ty::Map(Box::new(ty.clone())), here);
        quote! {
            /// Properties the schema does not list, kept as they came.
            #[serde(flatten)]
            pub #extra_name: #ty,
        }
    });
    let any_fixed = s.fields.iter().any(|f| f.fixed.is_some());
    // Fields a constructor asks for: required, and not fixed by the schema.
    let asked = |f: &&crate::model::Field| !f.ty.is_option() && f.fixed.is_none();
    let nothing_asked = !s.fields.iter().any(|f| asked(&f));
    let default = (all_optional && !any_fixed).then(|| quote!(Default,));
    // What a field is set to when the caller does not give it: `None`, or the one value its
    // schema allows.
    let init = |f: &crate::model::Field| {
        let fname = ident(&f.rust_name);
        match (&f.fixed, fixed_enum(&f.ty)) {
            (Some(variant), Some(id)) => {
                let (e, v) = (here.named(id), ident(variant));
                match f.ty.is_option() {
                    true => quote!(#fname: Some(#e::#v)),
                    false => quote!(#fname: #e::#v),
                }
            }
            _ => quote!(#fname: None),
        }
    };
    let extra_init = s.extra.as_ref().map(|_| {
        let extra_name = ident(EXTRA_FIELD);
        quote!(#extra_name: Default::default(),)
    });
    // Nothing to ask, but some fields fixed: `Default` fills those in.
    let manual_default = (nothing_asked && any_fixed).then(|| {
        let inits = s.fields.iter().map(init);
        quote! {
            impl Default for #name {
                /// Every field empty but those the schema fixes to one value.
                fn default() -> Self {
                    Self { #(#inits,)* #extra_init }
                }
            }
        }
    });
    // Structs with required fields get a constructor taking just those (not those the
    // schema fixes), as anything that converts into them.
    let constructor = (!nothing_asked).then(|| {
        let required: Vec<_> = s.fields.iter().filter(asked).collect();
        let args = required.iter().map(|f| {
            let fname = ident(&f.rust_name);
            let ty = ty_tokens(&f.ty, here);
            quote!(#fname: impl Into<#ty>)
        });
        let inits = s.fields.iter().map(|f| {
            let fname = ident(&f.rust_name);
            if asked(&f) {
                quote!(#fname: #fname.into())
            } else {
                init(f)
            }
        });
        let many = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                /// A value with the required fields set and the others empty.
                #many
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* #extra_init }
                }
            }
        }
    });
    let getters = def.read.then(|| getters(name, s, here)).flatten();
    let setters = def.sent.then(|| setters(name, s, here)).flatten();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }

        #manual_default
        #constructor
        #getters
        #setters
    }
}

/// `with_<field>` setters for building a request body step by step (the struct is
/// `#[non_exhaustive]`, so callers outside the crate cannot write it as a literal).
fn setters(name: &crate::tokens::Ident, s: &StructDef, here: &TyPath) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.fixed.is_none())
        .map(|f| {
            let fname = ident(&f.rust_name);
            let setter = ident(&format!("with_{}", f.rust_name.trim_start_matches("r#")));
            let (inner, value) = match &f.ty {
                Ty::Option(inner) => (&**inner, quote!(Some(value.into()))),
                other => (other, quote!(value.into())),
            };
            let ty = ty_tokens(inner, here);
            let doc = raw_doc_attrs(&format!("Sets `{}`.", f.wire_name.replace('`', "'")));
            let deprecated = f
                .deprecated
                .then(|| super::deprecated_attr(f.doc.as_deref()));
            quote! {
                #doc
                #deprecated
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#fname = #value;
                    self
                }
            }
        })
        .collect();
    (!methods.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#methods)*
            }
        }
    })
}

/// The enum of a field's type (`Option` or not), for a value the schema fixes.
fn fixed_enum(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => fixed_enum(inner),
        _ => None,
    }
}

/// Method names a getter must not take: the struct's own (`new`), the `Page` trait's, and
/// those of traits the generated code and its users call with method syntax.
const SHADOWED: &[&str] = &[
    "new",
    "page_info",
    "item_count",
    "into_items",
    "clone",
    "to_owned",
    "to_string",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "fmt",
    "into",
    "default",
    "as_ref",
    "borrow",
    "deref",
    "serialize",
    "deserialize",
];

/// Accessors for reading a response's data without unwrapping each `Option`: a list that
/// is absent reads as empty, a string as `Option<&str>`, a number as itself.
fn getters(name: &crate::tokens::Ident, s: &StructDef, here: &TyPath) -> Option<TokenStream> {
    let copy = |t: &Ty| {
        matches!(
            t,
            Ty::Bool | Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F32 | Ty::F64
        )
    };
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| !SHADOWED.contains(&f.rust_name.as_str()))
        .map(|f| {
            let fname = ident(&f.rust_name);
            let wire = f.wire_name.replace('`', "'");
            let (ret, body, absent) = match &f.ty {
                Ty::Option(inner) => match &**inner {
                    Ty::Vec(item) => {
                        let item = ty_tokens(item, here);
                        (
                            quote!(&[#item]),
                            quote!(self.#fname.as_deref().unwrap_or_default()),
                            " (empty when absent)",
                        )
                    }
                    Ty::String => (quote!(Option<&str>), quote!(self.#fname.as_deref()), ""),
                    Ty::Boxed(b) => {
                        let b = ty_tokens(b, here);
                        (quote!(Option<&#b>), quote!(self.#fname.as_deref()), "")
                    }
                    t if copy(t) => {
                        let t = ty_tokens(t, here);
                        (quote!(Option<#t>), quote!(self.#fname), "")
                    }
                    t => {
                        let t = ty_tokens(t, here);
                        (quote!(Option<&#t>), quote!(self.#fname.as_ref()), "")
                    }
                },
                Ty::Vec(item) => {
                    let item = ty_tokens(item, here);
                    (quote!(&[#item]), quote!(&self.#fname), "")
                }
                Ty::String => (quote!(&str), quote!(&self.#fname), ""),
                Ty::Boxed(b) => {
                    let b = ty_tokens(b, here);
                    (quote!(&#b), quote!(&self.#fname), "")
                }
                t if copy(t) => {
                    let t = ty_tokens(t, here);
                    (quote!(#t), quote!(self.#fname), "")
                }
                t => {
                    let t = ty_tokens(t, here);
                    (quote!(&#t), quote!(&self.#fname), "")
                }
            };
            let doc = raw_doc_attrs(&format!("`{wire}`{absent}."));
            let deprecated = f
                .deprecated
                .then(|| super::deprecated_attr(f.doc.as_deref()));
            quote! {
                #doc
                #deprecated
                pub fn #fname(&self) -> #ret {
                    #body
                }
            }
        })
        .collect();
    (!methods.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#methods)*
            }
        }
    })
}

/// `Page` for a list response: its items, and what it says about the next page.
pub(super) fn page_impl(p: &crate::model::Pagination, here: &TyPath) -> TokenStream {
    use crate::model::Step;
    let name = ident(p.response.map_or("", |id| here.defs.name(id)));
    let item = ty_tokens(&p.item_ty, here);
    let items = ident(&p.items_field);
    let (count, into) = if p.items_optional {
        (
            quote!(self.#items.as_ref().map_or(0, Vec::len)),
            quote!(self.#items.unwrap_or_default()),
        )
    } else {
        (quote!(self.#items.len()), quote!(self.#items))
    };
    // `Some(self)` walked down to the object holding the value: an `Option<&_>`.
    let parent = |steps: &[Step]| {
        let mut expr = quote!(Some(self));
        for step in steps {
            expr = match step {
                Step::Field {
                    rust_name,
                    optional,
                    boxed,
                    ..
                } => {
                    let f = ident(rust_name);
                    match (optional, boxed) {
                        (true, true) => quote!(#expr.and_then(|v| v.#f.as_deref())),
                        (true, false) => quote!(#expr.and_then(|v| v.#f.as_ref())),
                        (false, true) => quote!(#expr.map(|v| &*v.#f)),
                        (false, false) => quote!(#expr.map(|v| &v.#f)),
                    }
                }
                Step::Extra(key) => quote!(#expr.and_then(|v| v.additional_properties.get(#key))),
                Step::Json(key) => quote!(#expr.and_then(|v| v.get(#key))),
            };
        }
        expr
    };
    // A key of the holder's kept properties, or of a JSON object: an `Option<&Value>`.
    let json = |last: &Step| match last {
        Step::Extra(key) => quote!(holder.additional_properties.get(#key)),
        Step::Json(key) => quote!(holder.get(#key)),
        Step::Field { .. } => quote!(None::<&serde_json::Value>),
    };
    let next_link = match &p.next_link {
        None => quote!(None),
        Some((steps, last)) => {
            let holder = parent(steps);
            let leaf = match last {
                Step::Field {
                    rust_name,
                    optional: true,
                    ..
                } => {
                    let f = ident(rust_name);
                    quote!(holder.#f.clone())
                }
                Step::Field { rust_name, .. } => {
                    let f = ident(rust_name);
                    quote!(Some(holder.#f.clone()))
                }
                other => {
                    let value = json(other);
                    quote!(#value.and_then(|v| v.as_str()).map(str::to_owned))
                }
            };
            quote!(#holder.map(|holder| #leaf))
        }
    };
    let total_pages = match &p.total_pages {
        None => quote!(None),
        Some((steps, last)) => {
            let holder = parent(steps);
            let leaf = match last {
                Step::Field {
                    rust_name,
                    optional: true,
                    ..
                } => {
                    let f = ident(rust_name);
                    quote!(holder.#f.and_then(|n| u64::try_from(n).ok()))
                }
                Step::Field { rust_name, .. } => {
                    let f = ident(rust_name);
                    quote!(u64::try_from(holder.#f).ok())
                }
                other => {
                    let value = json(other);
                    quote!(#value.and_then(|v| v.as_u64()))
                }
            };
            quote!(#holder.and_then(|holder| #leaf))
        }
    };
    quote! {
        impl crate::runtime::Page for #name {
            type Item = #item;

            fn page_info(&self) -> crate::runtime::PageInfo {
                crate::runtime::PageInfo {
                    next_link: #next_link,
                    total_pages: #total_pages,
                }
            }

            fn item_count(&self) -> usize {
                #count
            }

            fn into_items(self) -> Vec<Self::Item> {
                #into
            }
        }
    }
}
