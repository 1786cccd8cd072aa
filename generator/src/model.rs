//! The generator's own model of an API: every name already decided, every `$ref` resolved.
//! Emitters read only this; the change report and snapshot stability rest on it.

/// A whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// `servers[0].url`, when there is one.
    pub base_url: Option<String>,
    /// Every server of the document: its own list first (the first is the base URL), then
    /// those that path items and operations declare, each once.
    pub servers: Vec<Server>,
    pub types: Types,
    /// Operations grouped by path, in document order.
    pub paths: Vec<PathGroup>,
    /// The OAuth 2.0 token endpoint path (and revoke endpoint path) for the client's token
    /// provider, when configured.
    pub oauth2: Option<(String, Option<String>)>,
    /// The document's `mutualTLS` security schemes: a client certificate, set on the HTTP
    /// client rather than sent with requests.
    pub mutual_tls: Vec<String>,
    /// Operations the document declares that could not be generated (`GET /path`); each
    /// has a degradation saying why.
    pub skipped: Vec<String>,
    /// The typed views of response headers (`crate::headers`), one per distinct set of
    /// headers that operations declare; operations name theirs in `Operation::headers`.
    pub header_sets: Vec<HeaderSet>,
    /// The crate's cargo features, one per group of operations; empty when the document has
    /// only one group (nothing to choose).
    pub features: Vec<Feature>,
}

/// The headers an operation's responses declare, as one struct of optional fields.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderSet {
    pub name: String,
    pub fields: Vec<ResponseHeader>,
    /// The cargo features that compile the set (any of them); empty: always.
    pub features: Vec<String>,
}

/// A cargo feature of the generated crate: the operations of one tag (or, in a document
/// without tags, of one leading path segment), and the types they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub name: String,
    /// The tag or path segment it is named after.
    pub group: String,
    pub operations: usize,
}

/// A header a response declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub rust_name: String,
    /// The name as the document writes it.
    pub wire_name: String,
    pub doc: Option<String>,
    /// A scalar type (`String` for anything that is not a number or boolean).
    pub ty: Ty,
}

/// The operations on one path; emitted as one Rust module.
#[derive(Debug, Clone, PartialEq)]
pub struct PathGroup {
    /// The path template as the document writes it, e.g. `/v1/customers/{id}`.
    pub template: String,
    /// The Rust module name, e.g. `v1_customers_id`.
    pub module: String,
    pub operations: Vec<Operation>,
    /// The types defined in the module (whose `TypeDef::home` it is), in the order of the
    /// crate's types.
    pub own_types: Vec<TypeId>,
}

/// A Rust type as a field, parameter or response uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    String,
    /// Raw bytes (`format: binary` bodies and non-JSON responses).
    Bytes,
    /// A binary response body read as it arrives (`crate::ByteStream`).
    ByteStream,
    /// A file in a `multipart/form-data` body: bytes with an optional file name and media type.
    Upload,
    /// Any JSON value.
    Value,
    /// No content.
    Unit,
    /// A generated type (in `types`, or in the module of the path that alone uses it): look
    /// it up in [`Types`].
    Named(TypeId),
    Vec(Box<Ty>),
    /// A JSON object with arbitrary keys.
    Map(Box<Ty>),
    Option(Box<Ty>),
    /// Boxed to break a cycle of types containing each other.
    Boxed(Box<Ty>),
    /// A JSON array of fixed length whose items have their own types (`prefixItems`).
    Tuple(Vec<Ty>),
}

impl Ty {
    /// Calls `f` with every named type this one mentions directly.
    pub fn each_named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            Ty::Named(id) => f(*id),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
                inner.each_named(f)
            }
            Ty::Tuple(items) => items.iter().for_each(|t| t.each_named(f)),
            _ => {}
        }
    }

    pub fn option(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, Ty::Option(_))
    }

    /// The type inside `Option`, if it is one.
    pub fn unwrap_option(&self) -> &Ty {
        match self {
            Ty::Option(inner) => inner,
            other => other,
        }
    }
}

/// A generated type, by the place of its definition in [`Types`]. Ids are handed out while
/// lowering, as types are met (a component's before it is lowered, so that types referring to
/// each other can), and never change after: passes that rename or move a type leave every
/// reference to it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(u32);

impl TypeId {
    /// The `n`th id handed out.
    pub fn new(n: usize) -> TypeId {
        TypeId(u32::try_from(n).expect("fewer than 2^32 types"))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Every named type of an API, in the order they are emitted, each found by its [`TypeId`]
/// in constant time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Types {
    defs: Vec<TypeDef>,
    /// Where in `defs` each id's definition is.
    places: Vec<usize>,
}

impl Types {
    /// The table of `defs`, each holding its own id; every id below the largest is defined,
    /// once.
    pub fn new(defs: Vec<TypeDef>) -> Types {
        let mut types = Types::default();
        defs.into_iter().for_each(|def| types.push(def));
        types.assert_complete();
        types
    }

    /// Adds a definition after the others.
    pub fn push(&mut self, def: TypeDef) {
        let id = def.id.index();
        if self.places.len() <= id {
            self.places.resize(id + 1, usize::MAX);
        }
        assert_eq!(
            self.places[id],
            usize::MAX,
            "type {} defined twice",
            def.name
        );
        self.places[id] = self.defs.len();
        self.defs.push(def);
    }

    /// Panics unless every id up to `n` (exclusive) and every id below the largest defined
    /// has its definition.
    pub fn assert_complete_to(&self, n: usize) {
        if let Some(id) = (0..n.max(self.places.len()))
            .find(|&i| self.places.get(i).is_none_or(|&p| p == usize::MAX))
        {
            panic!("type id {id} was handed out but never defined");
        }
    }

    fn assert_complete(&self) {
        self.assert_complete_to(0)
    }

    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[self.places[id.index()]]
    }

    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[self.places[id.index()]]
    }

    /// Where the type comes in [`iter`](Self::iter) (0 for the first).
    pub fn place(&self, id: TypeId) -> usize {
        self.places[id.index()]
    }

    /// The Rust name of a type.
    pub fn name(&self, id: TypeId) -> &str {
        &self.get(id).name
    }

    /// The type of that Rust name (a scan: for tests and configuration, not for passes).
    pub fn named(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().find(|d| d.name == name)
    }

    /// The definitions in the order they are emitted.
    pub fn iter(&self) -> std::slice::Iter<'_, TypeDef> {
        self.defs.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, TypeDef> {
        self.defs.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

impl<'a> IntoIterator for &'a Types {
    type Item = &'a TypeDef;
    type IntoIter = std::slice::Iter<'a, TypeDef>;

    fn into_iter(self) -> Self::IntoIter {
        self.defs.iter()
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    pub name: String,
    pub doc: Option<String>,
    /// Where the type comes from, e.g. `#/components/schemas/customers_attributes`.
    pub origin: String,
    pub kind: TypeKind,
    /// The cargo features that compile the type (any of them): those of the operations that
    /// reach it. Empty when it is always compiled.
    pub features: Vec<String>,
    /// The component schema says `deprecated: true`.
    pub deprecated: bool,
    /// Responses carry it (directly or inside another type): it gets accessors for reading.
    pub read: bool,
    /// Request bodies carry it: it gets `with_<field>` setters for building.
    pub sent: bool,
    /// The module of the path whose operations alone use it (an inline body, response or
    /// parameter schema of theirs), where it is defined beside them; `None`: in `types`.
    pub home: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    /// A string enum with a catch-all for values added after generation.
    StringEnum(Vec<EnumVariant>),
    /// One of several shapes, told apart by trying each in turn.
    Union(Vec<UnionVariant>),
    /// One of several shapes, told apart by the value of one property (`discriminator`).
    /// Each variant but the fallback has its tag values: strings, or integers (`numeric`)
    /// written in decimal.
    Tagged {
        property: String,
        variants: Vec<UnionVariant>,
        numeric: bool,
    },
    /// An integer with named values (`enum` with `x-enum-varnames`, or a `oneOf` of titled
    /// `const`s): a newtype over `repr` with a constant per value, so that values added
    /// after generation decode and compare as well as the named ones.
    IntegerEnum {
        repr: Ty,
        values: Vec<IntegerValue>,
    },
    /// Another name for a type.
    Alias(Ty),
}

impl TypeKind {
    /// Calls `f` with every type this definition holds directly (fields, the map of other
    /// properties, variants, the aliased type).
    pub fn each_ty<'a>(&'a self, mut f: impl FnMut(&'a Ty)) {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|field| f(&field.ty));
                if let Some(extra) = &s.extra {
                    f(extra);
                }
            }
            TypeKind::Union(variants) | TypeKind::Tagged { variants, .. } => {
                variants.iter().for_each(|v| f(&v.ty))
            }
            TypeKind::Alias(ty) => f(ty),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum { .. } => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntegerValue {
    /// The constant's name (`AGE_RESTRICTED`).
    pub rust_name: String,
    pub value: i64,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// The type of properties the schema does not list, kept in a flattened map so that data
    /// the server adds later survives. `None` when the schema forbids other properties.
    pub extra: Option<Ty>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub doc: Option<String>,
    /// Already `Option` when the property is optional or nullable.
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    /// `writeOnly: true`: sent in requests, never in responses.
    pub write_only: bool,
    pub deprecated: bool,
    /// The one value the schema allows (a one-value enum or `const`): the variant of the
    /// field's enum that constructors fill in, so that callers never write it.
    pub fixed: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: Ty,
    /// The discriminator values that select this variant (empty in untagged unions); the
    /// first is the one written when the value lacks the property.
    pub tags: Vec<String>,
    /// What a value must look like to be tried as this variant, when decoding.
    pub shape: MemberShape,
}

/// What a union member's values look like, as far as telling members apart goes: a value is
/// tried as the member only when it fits (the JSON kind, the values the member allows, the
/// properties it fixes to one value when present, the properties it requires).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberShape {
    pub kind: JsonKind,
    /// The values allowed for the whole value (a string enum), as text; empty for any.
    pub values: Vec<String>,
    /// Properties fixed to one value (`const`, a one-value `enum`), when present.
    pub fixed: Vec<(String, String)>,
    /// Properties that must be present.
    pub required: Vec<String>,
}

impl MemberShape {
    /// How much a value must satisfy to fit: members that ask more are tried first.
    pub fn specificity(&self) -> (bool, usize, usize) {
        (
            !self.values.is_empty(),
            self.fixed.len(),
            self.required.len(),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonKind {
    Object,
    String,
    Integer,
    Number,
    Boolean,
    Array,
    #[default]
    Any,
}

/// One operation: a method on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name, e.g. `list_customers`.
    pub rust_name: String,
    /// The prefix of the operation's own types, e.g. `ListCustomers`.
    pub type_prefix: String,
    pub method: Method,
    pub path: String,
    pub segments: Vec<PathSegment>,
    /// The URL (as written) of the server the operation's path item or the operation itself
    /// declares, when it is not the document's first.
    pub server: Option<String>,
    /// Query parameters the path key itself fixes (`/oauth/token?refresh`), sent first.
    pub fixed_query: Vec<(String, Option<String>)>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub path_params: Vec<Param>,
    /// Query, header and cookie parameters: the fields of the parameter struct.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// How requests authenticate: alternatives in the document's order (the first whose
    /// every credential the client has is used), each a set of credentials sent together;
    /// empty when the operation needs none.
    pub security: Vec<Vec<Credential>>,
    /// How to walk the pages of the list the operation returns, when it is paginated.
    pub pagination: Option<Pagination>,
    /// Media types for the `Accept` header, comma-separated; empty for none.
    pub accept: String,
    /// The typed view of the headers its responses declare (a `HeaderSet` by name), when
    /// they declare any.
    pub headers: Option<String>,
    /// The stream method, when a success response is a stream.
    pub stream: Option<StreamMethod>,
    /// The header parameter (lowercase) that carries an idempotency key, when the operation
    /// has one: each call sends a key (the same on every attempt) and may then be retried.
    pub idempotency_header: Option<String>,
    /// What the method returns on success.
    pub success: Success,
    /// The document names no success but a `default` response, which is then the success
    /// (and stays the error for statuses that are not 2XX).
    pub default_is_success: bool,
    /// The document's tags of the operation.
    pub tags: Vec<String>,
    /// The cargo features that compile the operation (any of them); empty: always.
    pub features: Vec<String>,
}

impl Operation {
    pub fn params_struct_name(&self) -> String {
        format!("{}Params", self.type_prefix)
    }

    pub fn error_enum_name(&self) -> String {
        format!("{}Error", self.type_prefix)
    }

    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// The responses the method returns as its success: the 2XX ones, or, when the document
    /// documents none but has a `default`, that one read as any 2XX status.
    pub fn successes(&self) -> Vec<Response> {
        let mut successes: Vec<Response> = self.success_responses().cloned().collect();
        if self.default_is_success {
            successes.extend(
                self.responses
                    .iter()
                    .find(|r| r.status == StatusSpec::Default)
                    .map(|r| Response {
                        status: StatusSpec::Range(2),
                        ..r.clone()
                    }),
            );
        }
        successes
    }

    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

/// A paginated list operation (page-number scheme): the page parameter, and where in the
/// response type the items, the next link and the page count are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The client method returning the page stream, e.g. `list_customers_pages`.
    pub method: String,
    /// Follow each page's next link (rather than counting page numbers): the one `next_link`
    /// locates in the body, else the RFC 8288 `Link: <...>; rel="next"` header.
    pub by_link: bool,
    /// The parameter-struct field holding the page number, and its type (page-number scheme).
    pub page_field: Option<(String, Ty)>,
    /// The parameter-struct field the next page's cursor goes into (cursor scheme: the
    /// cursor is where `next_link` says in the response), and its type.
    pub cursor_field: Option<(String, Ty)>,
    /// The parameter-struct field holding the offset of the first item (offset scheme: the
    /// next page starts after the items of this one), and its type.
    pub offset_field: Option<(String, Ty)>,
    /// The response type (a generated struct); `None` when the response is the JSON
    /// array of items itself (its next page named by a `Link` header).
    pub response: Option<TypeId>,
    /// The response field holding the items (empty for an array response), whether it is an
    /// `Option`, and the item type.
    pub items_field: String,
    pub items_optional: bool,
    pub item_ty: Ty,
    /// Where the next link is: the steps to the object holding it, and its key.
    pub next_link: Option<(Vec<Step>, Step)>,
    /// Where the page count is.
    pub total_pages: Option<(Vec<Step>, Step)>,
}

/// One step from a value to a part of it: a typed field, or a key of a JSON object (for
/// data the schema does not declare, kept in `additional_properties`).
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A declared field; `ty` is its type without `Option` and `Box`.
    Field {
        rust_name: String,
        optional: bool,
        boxed: bool,
        ty: Ty,
    },
    /// A key among a struct's `additional_properties`.
    Extra(String),
    /// A key of a JSON object.
    Json(String),
}

/// A server of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL as written, with `{variable}`s.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The values allowed, when the document lists them.
    pub values: Vec<String>,
    pub description: Option<String>,
}

/// One credential an operation sends, from a security scheme of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>` from the client's token provider (HTTP `bearer`,
    /// `oauth2`, `openIdConnect`).
    Bearer,
    /// `Authorization: Basic` from the client's username and password.
    Basic,
    /// Another HTTP scheme: `Authorization: <scheme> <token>`, the token from the provider.
    Http(String),
    /// An API key of the scheme named `scheme`, sent as the header, query parameter or
    /// cookie `name`.
    ApiKey {
        scheme: String,
        location: Location,
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Literal text, already percent-encoded where needed.
    Literal(String),
    /// A path parameter, by its wire name.
    Param(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How an array or object parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `name=a&name=b`; an object as `key=value&other=value`.
    Exploded,
    /// `name=a,b` (or another delimiter); an object as `name=key,value,other,value`.
    Delimited(char),
    /// An object in `deepObject` style: `name[key]=value`.
    DeepObject,
}

/// How a path parameter is written (its `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathStyle {
    /// `value`; an array as `a,b`.
    #[default]
    Simple,
    /// `.value`; an array as `.a,b`, exploded `.a.b`.
    Label { explode: bool },
    /// `;name=value`; an array as `;name=a,b`, exploded `;name=a;name=b`.
    Matrix { explode: bool },
    /// RFC 6570's reserved expansion, `{+name}` in the path (Google's APIs): the value's
    /// slashes and other reserved characters are sent as they are (`projects/p/topics/t`).
    Reserved,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// How the value is written: decided once, when lowering.
    pub shape: ParamShape,
    pub rust_name: String,
    pub wire_name: String,
    pub location: Location,
    pub doc: Option<String>,
    pub required: bool,
    pub deprecated: bool,
    /// The type without `Option`; the parameter struct wraps optional ones.
    pub ty: Ty,
    pub array_style: ArrayStyle,
    /// For a path parameter, its style (`Simple` for every other parameter).
    pub path_style: PathStyle,
}

/// What an operation's method returns on success, decided once when lowering.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// One type for every success status (`()` when none has a body).
    One(Ty),
    /// Success statuses with different bodies: an enum of them, named so, defined beside
    /// the operation.
    ByStatus(String),
}

impl Success {
    /// Decides it from the success responses.
    pub fn of(successes: &[Response], type_prefix: &str) -> Success {
        let types: Vec<Ty> = successes.iter().map(Response::body_ty).collect();
        if types.windows(2).all(|w| w[0] == w[1]) {
            Success::One(types.into_iter().next().unwrap_or(Ty::Unit))
        } else {
            Success::ByStatus(format!("{type_prefix}Success"))
        }
    }
}

/// How a parameter's value is written into the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamShape {
    /// One value: a number, boolean, string, string enum, or a union of those.
    Scalar,
    /// An array of scalars, written as the parameter's style says (repeated or delimited).
    List,
    /// An object (query parameters only): its properties as pairs (`form`, `deepObject`).
    Object,
    /// Anything else a query carries (a union of a scalar and an array, say): written from
    /// its JSON form at run time, as the style says.
    Serialized,
    /// A JSON document (a parameter described by `content`).
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    /// The media type of a `multipart/form-data` part, by property, where the document's
    /// `encoding` gives one (the first of a list; wildcards left out).
    pub part_media_types: Vec<(String, String)>,
    /// How a property of an `application/x-www-form-urlencoded` body is written, where the
    /// document's `encoding` says (otherwise arrays repeat the name and objects nest in
    /// brackets).
    pub form_styles: Vec<(String, ArrayStyle)>,
    pub encoding: BodyEncoding,
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    /// How a `multipart/form-data` body is cut into parts (`None` for other encodings),
    /// decided once the body's type is known (`lower/multipart.rs`).
    pub multipart: Option<MultipartPlan>,
}

/// The parts a `multipart/form-data` body is sent as.
#[derive(Debug, Clone, PartialEq)]
pub enum MultipartPlan {
    /// The body is not a struct: it is sent whole, as one JSON part named `body`.
    Whole,
    /// One part per property of the body struct; `extra`: its map of properties the schema
    /// does not list is sent too, a JSON part each.
    Parts { parts: Vec<FormPart>, extra: bool },
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The struct field it is read from.
    pub field: String,
    /// The part's name on the wire.
    pub wire_name: String,
    pub kind: PartKind,
    /// The document's `encoding` media type for it, if any.
    pub media_type: Option<String>,
    /// An array: one part per item, all under the same name.
    pub repeated: bool,
    /// An optional field: left out when absent.
    pub optional: bool,
}

/// How a part's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file (an [`Upload`](Ty::Upload)), with a file name and a content type.
    File,
    /// A string, number, boolean or string enum, as text.
    Text,
    /// Any JSON value (`serde_json::Value`), as given.
    Value,
    /// Anything else, encoded as JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    /// `multipart/form-data`: one part per property of the body struct.
    Multipart,
    Raw,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: StatusSpec,
    pub doc: Option<String>,
    /// `None` when the response documents no body.
    pub content: Option<ResponseContent>,
    /// The headers the response declares (not `Content-Type`, which OpenAPI ignores).
    pub headers: Vec<ResponseHeader>,
    /// The stream the response also (or only) offers: Server-Sent Events or JSON lines.
    pub stream: Option<StreamContent>,
}

impl Response {
    /// The type the body is read as: `()` without one, `String` for text.
    pub fn body_ty(&self) -> Ty {
        match &self.content {
            None => Ty::Unit,
            Some(c) => match c.decoding {
                Decoding::Json | Decoding::Bytes => c.ty.clone(),
                Decoding::Text => Ty::String,
            },
        }
    }
}

/// A response body that is a stream of items.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamContent {
    pub media_type: String,
    pub kind: StreamKind,
    /// The type the document gives the stream: of each event (or its `data`), or each line.
    pub ty: Ty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// `text/event-stream`.
    Events,
    /// NDJSON, JSON Lines, `application/json-seq`.
    Lines,
}

/// How an event's fields become the stream's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventShape {
    /// `data` is JSON of the item type: items are `Event<T>` with the event's name and id.
    Data,
    /// `data` is text: items are `Event<String>`.
    Text,
    /// The type describes the whole event (`event`, `data`, `id`, `retry` properties):
    /// items are that type.
    Whole,
}

/// The `<operation>_stream` method of an operation whose success response is a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamMethod {
    pub method: String,
    pub media_type: String,
    pub kind: StreamKind,
    /// The item type (of `data` for `EventShape::Data`).
    pub item: Ty,
    pub shape: EventShape,
    /// The JSON body has a boolean `stream` property: the stream method sends `true`, the
    /// plain method `false`.
    pub sets_flag: bool,
    /// The stream is the only success representation: there is no plain method.
    pub only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseContent {
    pub media_type: String,
    pub decoding: Decoding,
    pub ty: Ty,
    /// Other media types the response offers that read the same way (several audio formats,
    /// say): the caller asks for one with an `Accept` header.
    pub alternatives: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Json,
    Text,
    Bytes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusSpec {
    Code(u16),
    /// `1XX` .. `5XX`, by the first digit.
    Range(u8),
    Default,
}

impl StatusSpec {
    pub fn is_success(self) -> bool {
        match self {
            StatusSpec::Code(c) => (200..300).contains(&c),
            StatusSpec::Range(r) => r == 2,
            StatusSpec::Default => false,
        }
    }
}

/// The named type a type is, through `Option`, `Box` and aliases: its id and kind (`None`
/// for a type that is not named, or an alias of one that is not).
pub fn resolve_named<'a>(types: &'a Types, ty: &'a Ty) -> Option<(TypeId, &'a TypeKind)> {
    let mut ty = ty;
    for _ in 0..crate::pointer::MAX_REF_HOPS {
        match ty {
            Ty::Option(inner) | Ty::Boxed(inner) => ty = inner,
            Ty::Named(id) => {
                let def = types.get(*id);
                match &def.kind {
                    TypeKind::Alias(next) => ty = next,
                    kind => return Some((*id, kind)),
                }
            }
            _ => return None,
        }
    }
    None
}

/// Whether the type is a generated struct or union (through aliases): a value of any size,
/// which an enum variant holds in a `Box` so that one large member does not make every value
/// of the enum as large. Enums, integers with named values and aliases of lists or scalars
/// are no larger than the box.
pub fn is_structure(types: &Types, ty: &Ty) -> bool {
    matches!(ty, Ty::Named(_))
        && matches!(
            resolve_named(types, ty),
            Some((
                _,
                TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Tagged { .. }
            ))
        )
}

/// Whether values of the type are JSON objects (structs, maps, free-form objects), which a
/// query parameter writes as several pairs.
pub fn is_object_type(types: &Types, ty: &Ty) -> bool {
    let mut ty = ty;
    for _ in 0..crate::pointer::MAX_REF_HOPS {
        match ty {
            Ty::Map(_) => return true,
            Ty::Boxed(inner) => ty = inner,
            Ty::Named(id) => match &types.get(*id).kind {
                TypeKind::Struct(_) => return true,
                TypeKind::Alias(next) => ty = next,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Whether a value of `ty` is written as one piece of text (a parameter value, a form part):
/// a string, number or boolean, or a named type [`is_param_value`] accepts.
pub fn is_scalar(types: &Types, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F32 | Ty::F64 | Ty::String => true,
        Ty::Named(id) => is_param_value(types, *id),
        _ => false,
    }
}

/// Whether values of the named type can be written as one parameter value (a path segment,
/// a query value, a header): string enums, aliases of scalars, and unions of those.
pub fn is_param_value(types: &Types, id: TypeId) -> bool {
    fn scalar(types: &Types, ty: &Ty, depth: usize) -> bool {
        match ty {
            Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::U32
            | Ty::U64
            | Ty::F32
            | Ty::F64
            | Ty::String
            | Ty::Value => true,
            Ty::Named(next) => named(types, *next, depth + 1),
            _ => false,
        }
    }
    fn named(types: &Types, id: TypeId, depth: usize) -> bool {
        if depth > crate::pointer::MAX_REF_HOPS {
            return false;
        }
        match &types.get(id).kind {
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum { .. } => true,
            TypeKind::Alias(ty) => *ty != Ty::Value && scalar(types, ty, depth),
            TypeKind::Union(variants) => variants.iter().all(|v| scalar(types, &v.ty, depth)),
            TypeKind::Tagged { .. } | TypeKind::Struct(_) => false,
        }
    }
    named(types, id, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(id: usize, name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            id: TypeId::new(id),
            name: name.to_owned(),
            doc: None,
            origin: format!("#/components/schemas/{name}"),
            kind,
            features: Vec::new(),
            deprecated: false,
            read: false,
            sent: false,
            home: None,
        }
    }

    #[test]
    fn types_are_found_by_id_whatever_their_order() {
        // Ids in the order types were met (a component before the inline types lowered
        // with it), definitions in the order they are emitted.
        let mut types = Types::new(vec![
            def(2, "Inner", TypeKind::StringEnum(Vec::new())),
            def(0, "Outer", TypeKind::Alias(Ty::Named(TypeId::new(2)))),
            def(1, "Other", TypeKind::Alias(Ty::String)),
        ]);
        assert_eq!(types.name(TypeId::new(0)), "Outer");
        assert_eq!(types.name(TypeId::new(2)), "Inner");
        assert_eq!(types.place(TypeId::new(2)), 0);
        let order: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(order, ["Inner", "Outer", "Other"]);
        // A rename touches the definition only: what refers to it follows.
        types.get_mut(TypeId::new(2)).name = "Renamed".to_owned();
        let outer = Ty::Named(TypeId::new(0));
        let (id, _) = resolve_named(&types, &outer).unwrap();
        assert_eq!(types.name(id), "Renamed");
        assert!(is_param_value(&types, TypeId::new(0)));
    }

    #[test]
    #[should_panic(expected = "defined twice")]
    fn an_id_is_defined_once() {
        Types::new(vec![
            def(0, "A", TypeKind::Alias(Ty::String)),
            def(0, "B", TypeKind::Alias(Ty::String)),
        ]);
    }

    #[test]
    #[should_panic(expected = "type id 1 was handed out but never defined")]
    fn every_id_handed_out_is_defined() {
        let mut types = Types::default();
        types.push(def(0, "A", TypeKind::Alias(Ty::String)));
        types.assert_complete_to(2);
    }
}
