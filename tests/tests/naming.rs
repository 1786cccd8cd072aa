//! Names say what a type is: a structure met in several places shares one type only under a
//! name that fits every place, documentation never changes what is shared, and union members
//! are named for what tells them apart.

use generator::build_model;
use generator::model::{Ty, TypeKind};

/// A document whose components have `owner` and `site` objects inline.
fn doc(extra_on_one: &str) -> String {
    format!(
        r#"
openapi: 3.0.3
info: {{ title: T, version: "1" }}
paths: {{}}
components:
  schemas:
    post:
      type: object
      properties:
        author: &ref
          type: object
          properties:
            data: {{ type: object, properties: {{ id: {{ type: string }}, type: {{ type: string }} }} }}
        blog:
          type: object
          {extra_on_one}
          properties:
            data: {{ type: object, properties: {{ id: {{ type: string }}, type: {{ type: string }} }} }}
        address: &address
          type: object
          properties: {{ street: {{ type: string }}, city: {{ type: string }} }}
    customer:
      type: object
      properties:
        billing_address: *address
        shipping_address: *address
        contact: *ref
"#
    )
}

/// The variants of the union `name`, in order.
fn variant_names<'a>(api: &'a generator::model::Api, name: &str) -> Vec<&'a str> {
    let def = api.types.iter().find(|t| t.name == name).unwrap();
    match &def.kind {
        TypeKind::Union(v) | TypeKind::Tagged { variants: v, .. } => {
            v.iter().map(|v| v.rust_name.as_str()).collect()
        }
        other => panic!("{name}: {other:?}"),
    }
}

fn field_ty(api: &generator::model::Api, ty: &str, field: &str) -> String {
    let def = api
        .types
        .iter()
        .find(|t| t.name == ty)
        .unwrap_or_else(|| panic!("no type {ty}"));
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{ty} is not a struct")
    };
    let ty = &s.fields.iter().find(|f| f.wire_name == field).unwrap().ty;
    match ty {
        Ty::Option(inner) => match &**inner {
            Ty::Named(id) => api.types.name(*id).to_owned(),
            other => panic!("{other:?}"),
        },
        Ty::Named(id) => api.types.name(*id).to_owned(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_shared_type_is_named_for_every_place_or_not_shared() {
    let (api, _) = build_model(&doc("")).unwrap();
    // `author`, `blog` and `contact` are one structure with nothing in common in their
    // names: each gets a type of its own named after its place, never another's.
    assert_eq!(field_ty(&api, "Post", "author"), "PostAuthor");
    assert_eq!(field_ty(&api, "Post", "blog"), "PostBlog");
    assert_eq!(field_ty(&api, "Customer", "contact"), "CustomerContact");
    // Three addresses: one type, named for what they all are.
    assert_eq!(field_ty(&api, "Post", "address"), "Address");
    assert_eq!(field_ty(&api, "Customer", "billing_address"), "Address");
    assert_eq!(field_ty(&api, "Customer", "shipping_address"), "Address");
}

#[test]
fn a_shared_name_taken_by_a_component_is_qualified_by_the_common_owner_or_not_shared() {
    // A component `Address` exists: the inline addresses of `ReleaseDraft` and
    // `PublishedRelease` end alike in `Address` only, and are `ReleaseAddress` (every place
    // is a release's); the others, owned by nothing in common, each have their
    // own; none is numbered (`Address2`).
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Address: { type: object, properties: { line: { type: string } } }
    release_draft:
      type: object
      properties:
        address: &release { type: object, properties: { street: { type: string }, zip: { type: string } } }
    published_release:
      type: object
      properties:
        address: *release
    invoice:
      type: object
      properties:
        billing_address: &other { type: object, properties: { street: { type: string }, city: { type: string } } }
    order:
      type: object
      properties:
        shipping_address: *other
"#;
    let (api, _) = build_model(text).unwrap();
    assert_eq!(field_ty(&api, "ReleaseDraft", "address"), "ReleaseAddress");
    assert_eq!(
        field_ty(&api, "PublishedRelease", "address"),
        "ReleaseAddress"
    );
    assert_eq!(
        field_ty(&api, "Invoice", "billing_address"),
        "InvoiceBillingAddress"
    );
    assert_eq!(
        field_ty(&api, "Order", "shipping_address"),
        "OrderShippingAddress"
    );
    assert!(
        api.types.iter().all(|t| !t.name.ends_with('2')),
        "no numbered name"
    );
}

#[test]
fn documentation_never_splits_or_renames() {
    let (before, _) = build_model(&doc("")).unwrap();
    let (after, _) =
        build_model(&doc("description: The blog.\n          deprecated: true")).unwrap();
    let names = |api: &generator::model::Api| {
        let mut n: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
        n.sort();
        n
    };
    assert_eq!(names(&before), names(&after));
    assert_eq!(field_ty(&after, "Post", "blog"), "PostBlog");
}

#[test]
fn union_members_are_named_for_what_tells_them_apart() {
    let (api, _) = build_model(
        r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    event:
      oneOf:
        - type: object
          required: [type]
          properties: { type: { type: string, enum: [purchase] }, amount: { type: integer } }
        - type: object
          title: Refund notice
          properties: { id: { type: string }, reason: { type: string } }
        - type: object
          required: [text]
          properties: { text: { type: string } }
        - type: object
          properties: { other: { type: string }, reason: { type: string } }
        - type: object
          properties: { reason: { type: string }, wait_timer: { type: integer } }
    batch_size:
      oneOf:
        - { type: integer }
        - { type: string, enum: [max] }
"#,
    )
    .unwrap();
    let variants = variant_names(&api, "Event");
    // The value it fixes, its title, the property only it requires, the property only it
    // declares (`other` would be `Other`, the name of the variant for what fits no member);
    // a number when nothing else says.
    assert_eq!(
        variants,
        [
            "Purchase",
            "RefundNotice",
            "Text",
            "Variant4",
            "WaitTimer",
            "Other"
        ]
    );
    // The values a member allows, when no other member does: `BatchSize::Max`.
    assert_eq!(
        variant_names(&api, "BatchSize"),
        ["Integer", "Max", "Other"]
    );
}

fn with_names(names: &[(&str, &str)]) -> generator::Config {
    generator::Config {
        names: names
            .iter()
            .map(|(a, n)| ((*a).to_owned(), (*n).to_owned()))
            .collect(),
        ..Default::default()
    }
}

#[test]
fn configuration_names_types_by_json_pointer() {
    let config = with_names(&[
        // An inline schema: every place of its structure shares the name.
        (
            "#/components/schemas/post/properties/author",
            "ResourceLink",
        ),
        // A component.
        ("#/components/schemas/customer", "Buyer"),
    ]);
    let out = generator::generate(&doc(""), &config).unwrap();
    let api = &out.api;
    assert_eq!(field_ty(api, "Post", "author"), "ResourceLink");
    assert_eq!(field_ty(api, "Post", "blog"), "ResourceLink");
    assert_eq!(field_ty(api, "Buyer", "contact"), "ResourceLink");
    assert!(api.types.iter().all(|t| t.name != "Customer"));
    // One document group: every type of `types` is in `shared.rs`.
    assert!(out.files["src/types/shared.rs"].contains("pub struct Buyer {"));
}

#[test]
fn a_configured_name_that_matches_nothing_is_an_error() {
    let config = with_names(&[
        ("#/components/schemas/post/properties/nothing", "Nothing"),
        ("#/components/schemas/customer", "Post"),
    ]);
    let err = generator::generate(&doc(""), &config)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("codegen.toml#/names")
            && err.contains("\"#/components/schemas/post/properties/nothing\" names no schema"),
        "{err}"
    );
    assert!(err.contains("`Post` is the name of another type"), "{err}");
    let bad = with_names(&[("components/schemas/post", "Article")]);
    assert!(bad.validate().unwrap_err().contains("not a JSON pointer"));
    let bad = with_names(&[("#/components/schemas/post", "article_kind")]);
    assert!(bad.validate().unwrap_err().contains("`ArticleKind`"));
}

/// FastAPI's default operation ids repeat the route (`list_models_v1_models_get`): methods
/// are named without it, unless two would then share a name.
#[test]
fn operation_ids_that_repeat_their_route_are_named_without_it() {
    let text = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /v1/models:
    get: { operationId: list_models_v1_models_get, responses: { "204": { description: ok } } }
  /v1/models/{model_id}:
    parameters: [{ name: model_id, in: path, required: true, schema: { type: string } }]
    get: { operationId: retrieve_model_v1_models__model_id__get, responses: { "204": { description: ok } } }
    delete: { operationId: delete_v1_models__model_id__delete, responses: { "204": { description: ok } } }
  /v2/models/{model_id}:
    parameters: [{ name: model_id, in: path, required: true, schema: { type: string } }]
    delete: { operationId: delete_v2_models__model_id__delete, responses: { "204": { description: ok } } }
  /v1/files:
    get: { operationId: listFiles, responses: { "204": { description: ok } } }
"#;
    let (api, _) = build_model(text).unwrap();
    let names: Vec<&str> = api
        .paths
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| op.rust_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "list_models",
            "retrieve_model",
            // Both would be `delete`: each keeps its whole id.
            "delete_v1_models_model_id_delete",
            "delete_v2_models_model_id_delete",
            "list_files"
        ]
    );
}

#[test]
fn a_union_of_one_inline_member_is_the_member_not_an_alias_of_a_numbered_type() {
    let (api, _) = build_model(
        r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Digest:
      description: A digest.
      oneOf:
        - type: object
          required: [value]
          properties: { value: { type: string } }
"#,
    )
    .unwrap();
    let digest = api.types.iter().find(|t| t.name == "Digest").unwrap();
    assert!(
        matches!(&digest.kind, TypeKind::Struct(s) if s.fields[0].wire_name == "value"),
        "{:?}",
        digest.kind
    );
    assert_eq!(digest.doc.as_deref(), Some("A digest."));
    assert!(api.types.iter().all(|t| t.name != "Digest2"));
}

/// The type names of `api`, sorted.
fn type_names(api: &generator::model::Api) -> Vec<&str> {
    let mut names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    names
}

#[test]
fn one_element_of_a_list_is_named_in_the_singular() {
    let (api, _) = build_model(
        r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths: {}
components:
  schemas:
    Dashboard:
      type: object
      properties:
        # Plain plurals, an irregular one, and words the rules leave alone.
        widgets: { type: array, items: { type: object, properties: { a: { type: string } } } }
        entries: { type: array, items: { type: object, properties: { b: { type: string } } } }
        time_series: { type: array, items: { type: object, properties: { c: { type: string } } } }
        status: { type: array, items: { type: object, properties: { d: { type: string } } } }
        # A sibling already has the singular name: the element keeps `Item`, nothing numbered.
        raw_roles: { type: array, items: { type: object, properties: { e: { type: string } } } }
        raw_role: { type: object, properties: { f: { type: string } } }
        # JSON:API: the items of `payment_transactions.data` are payment transactions.
        payment_transactions:
          type: object
          properties:
            data: { type: array, items: { type: object, properties: { id: { type: string } } } }
    Sample:
      type: array
      items:
        oneOf:
          - type: object
            properties:
              type: { type: string, enum: [orders] }
              total: { type: integer }
          - type: object
            properties:
              type: { type: string, enum: [offers] }
              title: { type: string }
"#,
    )
    .unwrap();
    let names = type_names(&api);
    for expected in [
        "DashboardWidget",
        "DashboardEntry",
        "DashboardTimeSeriesItem",
        "DashboardStatusItem",
        "DashboardRawRolesItem",
        "DashboardRawRole",
        "DashboardPaymentTransaction",
        // A resource whose JSON:API `type` is `orders` is an order.
        "SampleItemOrder",
        "SampleItemOffer",
    ] {
        assert!(names.contains(&expected), "no {expected} in {names:?}");
    }
    assert!(
        names.iter().all(|n| !n.ends_with(char::is_numeric)),
        "{names:?}"
    );
    // `Other`: the value no member fits.
    assert_eq!(
        variant_names(&api, "SampleItem"),
        ["Order", "Offer", "Other"]
    );
}

/// Operations named like the runtime's own methods of `Client` (`open`, `with_options`, read
/// from the runtime's source) or like another operation's `_with_response` twin get names of
/// their own: two methods of one name would not compile.
#[test]
fn operation_methods_never_take_a_name_the_client_already_has() {
    let runtime = generator::emit::client_methods();
    for method in [
        "builder",
        "with_options",
        "open",
        "send",
        "base_url",
        "fmt",
        "clone",
    ] {
        assert!(runtime.contains(&method), "{method} in {runtime:?}");
    }
    let mut text = String::from("openapi: 3.0.3\ninfo: { title: T, version: \"1\" }\npaths:\n");
    // `list_with_response` comes first: `list` must then not bring a second one.
    for (i, id) in [
        "list_with_response",
        "list",
        "open",
        "with_options",
        "send",
        "into",
        "new",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "  /p{i}:\n    get:\n      operationId: {id}\n      responses: {{ \"200\": {{ description: ok }} }}\n"
        ));
    }
    let generated =
        generator::generate(&text, &generator::Config::default()).unwrap_or_else(|d| panic!("{d}"));
    // Every method the operations add to `Client`, with the runtime's.
    let mut methods: Vec<String> = runtime.iter().map(|m| (*m).to_owned()).collect();
    for (path, file) in &generated.files {
        if !path.starts_with("src/paths/") {
            continue;
        }
        let mut in_client = false;
        for line in file.lines() {
            if line.starts_with("impl") {
                in_client = line == "impl crate::Client {";
            } else if in_client {
                if let Some(rest) = line.trim_start().strip_prefix("pub async fn ") {
                    methods.push(rest.split('(').next().unwrap().to_owned());
                }
            }
        }
    }
    let mut sorted = methods.clone();
    sorted.sort();
    let mut duplicates = sorted.clone();
    duplicates.dedup();
    assert_eq!(sorted.len(), duplicates.len(), "a name twice in {sorted:?}");
    // Fourteen methods from seven operations: each operation and its twin.
    assert_eq!(methods.len(), runtime.len() + 2 * 7, "{methods:?}");
    for kept in [
        "list_with_response",
        "list_with_response_with_response",
        "list_2",
        "open_2",
    ] {
        assert!(methods.iter().any(|m| m == kept), "{kept} in {methods:?}");
    }
}
