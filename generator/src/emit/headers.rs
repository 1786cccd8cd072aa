//! `headers.rs`: the typed views of the headers responses declare, one struct per set.

use crate::tokens::{quote, TokenStream};

use super::docs::{doc_attrs, raw_doc_attrs};
use super::{cfg_attr, ident, ty_tokens};
use crate::format::Part;
use crate::model::{Api, HeaderSet};

pub fn headers_rs(api: &Api) -> Vec<Part> {
    let mut parts = vec![Part::always(quote! {
        //! Typed views of the headers the API's responses declare: what
        //! [`ResponseValue::typed_headers`](crate::ResponseValue::typed_headers) gives, and what
        //! [`FromHeaders::from_headers`](crate::FromHeaders::from_headers) reads from any header
        //! map (an error's, for one).
    })];
    parts.extend(api.header_sets.iter().map(|set| Part {
        tokens: header_set(api, set),
        cfg: cfg_attr(&set.features),
    }));
    parts
}

fn header_set(api: &Api, set: &HeaderSet) -> TokenStream {
    let name = ident(&set.name);
    let users: Vec<String> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|op| op.headers.as_deref() == Some(set.name.as_str()))
        .map(super::paths::method_link)
        .collect();
    let shown = users.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let more = match users.len() {
        0..=3 => String::new(),
        n => format!(" and {} more", n - 3),
    };
    let doc = raw_doc_attrs(&format!(
        "The headers declared for the responses of {shown}{more}; each is `None` when the\n\
         response does not carry it or its value does not parse."
    ));
    let fields = set.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = ty_tokens(&f.ty, &super::TyPath::new(&api.types, TokenStream::new()));
        let mut doc = TokenStream::new();
        if let Some(d) = &f.doc {
            doc.extend(doc_attrs(d));
            doc.extend(raw_doc_attrs(""));
        }
        doc.extend(raw_doc_attrs(&format!("The `{}` header.", f.wire_name)));
        quote!(#doc pub #field: Option<#ty>,)
    });
    let reads = set.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = f.wire_name.to_ascii_lowercase();
        quote!(#field: crate::runtime::header_value(headers, #wire),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl crate::FromHeaders for #name {
            fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}
