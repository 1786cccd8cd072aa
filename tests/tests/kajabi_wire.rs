//! The generated Kajabi client against a real HTTP server on loopback: exact queries, bodies,
//! headers and paths on the wire; every documented example decodes; errors are typed.

use kajabi_client::types;
use kajabi_client::{
    Client, CreateContactBody, CreateContactBodyData, Error, GetAccessTokenBody,
    ListCustomersError, ListCustomersParams, ListCustomersSort,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JSON_API: &str = "application/vnd.api+json";

async fn server_with(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("secret-token")
        .build()
        .unwrap()
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request was expected");
    requests.remove(0)
}

fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The JSON examples in the vendor's "List customers" page.
fn documented_examples() -> Vec<String> {
    let page = xtask::workspace_root().join("../shared/kajabi/list-customers.md");
    let text = std::fs::read_to_string(&page)
        .unwrap_or_else(|e| panic!("{} is needed by this test: {e}", page.display()));
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim()) {
            (None, "```json") => current = Some(String::new()),
            (Some(block), "```") => {
                examples.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    examples
}

#[tokio::test]
async fn list_customers_sends_the_exact_query() {
    let server = server_with(200, r#"{"data":[]}"#, JSON_API).await;
    let params = ListCustomersParams::default()
        .filter_site_id("123")
        .filter_search("smith")
        .sort("-created_at")
        .page_number(2)
        .page_size(10)
        .fields_customers(["name", "email"]);
    let page = client(&server).list_customers(&params).await.unwrap();
    assert_eq!(page.data, Some(vec![]));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/customers");
    assert_eq!(
        request.url.query(),
        Some("sort=-created_at&page[number]=2&page[size]=10&fields[customers]=name,email&filter[site_id]=123&filter[search]=smith")
    );
    assert_eq!(
        query_pairs(&request),
        [
            ("sort", "-created_at"),
            ("page[number]", "2"),
            ("page[size]", "10"),
            ("fields[customers]", "name,email"),
            ("filter[site_id]", "123"),
            ("filter[search]", "smith"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(request.headers["authorization"], "Bearer secret-token");
    assert_eq!(request.headers["accept"], JSON_API);
}

#[tokio::test]
async fn the_sort_enum_and_integer_page_parameters_go_on_the_wire() {
    let server = server_with(200, r#"{"data":[]}"#, JSON_API).await;
    let c = client(&server);
    for (sort, wire) in [
        (ListCustomersSort::NameDesc, "-name"),
        (ListCustomersSort::LastRequestAtAsc, "last_request_at"),
        (ListCustomersSort::from("-created_at"), "-created_at"),
        (ListCustomersSort::from("future_field"), "future_field"),
    ] {
        let params = ListCustomersParams::default()
            .sort(sort)
            .page_number(3)
            .page_size(50);
        c.list_customers(&params).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        let request = requests.last().unwrap();
        assert_eq!(
            request.url.query().unwrap(),
            format!("sort={wire}&page[number]=3&page[size]=50")
        );
    }
    assert_eq!(
        ListCustomersSort::from("-created_at"),
        ListCustomersSort::CreatedAtDesc
    );
}

#[tokio::test]
async fn sparse_fieldsets_are_comma_lists_whose_items_cannot_split() {
    let server = server_with(200, r#"{"data":[]}"#, JSON_API).await;
    let params = ListCustomersParams::default().fields_customers(["name", "a,b", "e&f"]);
    client(&server).list_customers(&params).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("fields[customers]=name,a%2Cb,e%26f")
    );
}

#[tokio::test]
async fn a_required_query_parameter_is_always_sent() {
    let server = server_with(200, "", JSON_API).await;
    client(&server)
        .list_payouts(&kajabi_client::ListPayoutsParams::new("123").page_number(2))
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("page[number]=2&filter[site_id]=123")
    );
}

#[tokio::test]
async fn query_values_cannot_inject_parameters() {
    let server = server_with(200, r#"{"data":[]}"#, JSON_API).await;
    let nasty = "a&filter[site_id]=999#frag [x] = ü é+%20/?";
    let params = ListCustomersParams::default().filter_search(nasty);
    client(&server).list_customers(&params).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query_pairs(&request),
        [("filter[search]".to_owned(), nasty.to_owned())]
    );
    assert!(request.url.fragment().is_none());
}

#[tokio::test]
async fn every_documented_list_customers_example_decodes() {
    let examples = documented_examples();
    assert_eq!(examples.len(), 9, "the docs page has nine JSON examples");
    for example in examples {
        let server = server_with(200, &example, JSON_API).await;
        let result = client(&server)
            .list_customers(&ListCustomersParams::default())
            .await;
        let page = result.unwrap_or_else(|e| panic!("example does not decode: {e}\n{example}"));
        let expected: serde_json::Value = serde_json::from_str(&example).unwrap();
        // Nothing is lost: re-encoding the decoded page gives back the document. An optional
        // property that is null decodes to `None`, like an absent one, and is not re-sent.
        assert_eq!(
            without_nulls(serde_json::to_value(&page).unwrap()),
            without_nulls(expected),
            "round trip of\n{example}"
        );
        if let Some(customers) = &page.data {
            let first = &customers[0];
            assert!(first.attributes.as_ref().unwrap().name.is_some());
        }
    }
}

fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

#[tokio::test]
async fn unknown_properties_and_pagination_links_are_kept() {
    let examples = documented_examples();
    let last = examples
        .iter()
        .find(|e| e.contains("\"next\": null"))
        .unwrap();
    let server = server_with(200, last, JSON_API).await;
    let page = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap();
    // Typed by the overlay: links.next is null on the last page, meta is counted.
    let links = page.links.unwrap();
    assert_eq!(links.next, None);
    assert!(links.last.unwrap().contains("page[number]=2"));
    let meta = page.meta.unwrap();
    assert_eq!(
        (meta.total_pages, meta.total_count, meta.current_page),
        (Some(2), Some(15), Some(2))
    );

    let with_related = examples.iter().find(|e| e.contains("\"related\"")).unwrap();
    let server = server_with(200, with_related, JSON_API).await;
    let page = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap();
    let offers = page.data.unwrap()[0]
        .relationships
        .as_ref()
        .unwrap()
        .offers
        .clone()
        .unwrap();
    let offer_links = offers.links.unwrap();
    assert_eq!(
        offer_links.self_.as_deref(),
        Some("https://app.kajabi.com/api/v1/customers/456/relationships/offers")
    );
    assert_eq!(
        offer_links.additional_properties["related"],
        "https://app.kajabi.com/api/v1/customers/456/offers"
    );
}

const ERROR_DOC: &str = r#"{"errors":[{"status":"401","source":{"pointer":"/data/attributes/token"},"title":"Unauthorized","detail":"Authorization header is missing or invalid"}]}"#;

#[tokio::test]
async fn documented_errors_decode_into_typed_variants() {
    let server = server_with(401, ERROR_DOC, JSON_API).await;
    let err = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let Error::Api(api) = err else {
        panic!("expected a documented error, got {err:?}")
    };
    let ListCustomersError::Unauthorized(body) = &api.error else {
        panic!("{api:?}")
    };
    let first = &body.errors.as_ref().unwrap()[0];
    assert_eq!(first.title.as_deref(), Some("Unauthorized"));
    assert_eq!(
        first.source.as_ref().unwrap().pointer.as_deref(),
        Some("/data/attributes/token")
    );

    let forbidden = ERROR_DOC
        .replace("401", "403")
        .replace("Unauthorized", "Forbidden");
    let server = server_with(403, &forbidden, JSON_API).await;
    let err = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    match err.api_error() {
        Some(ListCustomersError::Forbidden(body)) => {
            assert_eq!(
                body.errors.as_ref().unwrap()[0].status.as_deref(),
                Some("403")
            )
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_and_body() {
    let html = "<html><body><h1>Internal Server Error</h1></body></html>";
    let server = server_with(500, html, "text/html").await;
    let err = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(response) = err else {
        panic!("{err:?}")
    };
    assert_eq!(response.status.as_u16(), 500);
    assert_eq!(response.body_text(), html);
    assert_eq!(response.headers["content-type"], "text/html");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_says_where() {
    let body = r#"{"data":[{"id":"1","attributes":{"name":"A"}},{"id":2}]}"#;
    let server = server_with(200, body, JSON_API).await;
    let err = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    let Error::Decode(decode) = err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.path, "data[1].id");
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.body, body.as_bytes());

    for cut in [r#"{"data":[{"id":"1""#, "not json at all", ""] {
        let server = server_with(200, cut, JSON_API).await;
        let err = client(&server)
            .list_customers(&ListCustomersParams::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{cut:?} gave {err:?}");
    }
    // An error document that does not match its schema is a decode error too, not a panic.
    let server = server_with(401, r#"{"errors":"nope"}"#, JSON_API).await;
    let err = client(&server)
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    let Error::Decode(decode) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (decode.status.as_u16(), decode.path.as_str()),
        (401, "errors")
    );
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error() {
    // A port that was just free: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder().base_url(uri).build().unwrap();
    let err = client
        .list_customers(&ListCustomersParams::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn create_contact_sends_a_json_api_document() {
    let created = r#"{"data":{"id":"77","type":"contacts","attributes":{"name":"Ada","email":"ada@example.com"}}}"#;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/contacts"))
        .respond_with(ResponseTemplate::new(201).set_body_string(created))
        .mount(&server)
        .await;
    // Request types are built with `new` (what is required) and `with_` setters.
    let attributes = types::ContactsAttributes::default()
        .with_name("Ada")
        .with_email("ada@example.com")
        .with_subscribed(true);
    let relationships = kajabi_client::CreateContactBodyDataRelationships::default().with_site(
        kajabi_client::CreateContactBodyDataRelationshipsSite::default().with_data(
            kajabi_client::CreateContactBodyDataRelationshipsSiteData::new("123", "sites"),
        ),
    );
    // The JSON:API `type` is filled in (the overlay fixes it to `contacts`).
    let body = CreateContactBody::new(CreateContactBodyData::new(attributes, relationships));
    let contact = client(&server).create_contact(&body).await.unwrap();
    // Accessors read through the optional layers.
    assert_eq!(contact.data().and_then(|c| c.id()), Some("77"));
    assert_eq!(
        contact
            .data()
            .and_then(|c| c.attributes())
            .and_then(|a| a.email()),
        Some("ada@example.com")
    );

    let request = only_request(&server).await;
    assert_eq!(request.headers["content-type"], JSON_API);
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({
            "data": {
                "type": "contacts",
                "attributes": { "name": "Ada", "email": "ada@example.com", "subscribed": true },
                "relationships": { "site": { "data": { "id": "123", "type": "sites" } } }
            }
        })
    );
}

#[tokio::test]
async fn path_parameters_stay_one_segment() {
    let body = r#"{"data":{"id":"x","type":"contacts"}}"#;
    for (id, expected) in [
        ("a/b", "/v1/contacts/a%2Fb"),
        ("../x", "/v1/contacts/..%2Fx"),
        ("é #?", "/v1/contacts/%C3%A9%20%23%3F"),
    ] {
        let server = server_with(200, body, JSON_API).await;
        client(&server)
            .get_contact(id, &Default::default())
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), expected);
        assert_eq!(request.url.query(), None);
    }
    for id in ["..", ".", ""] {
        let server = server_with(200, body, JSON_API).await;
        let err = client(&server)
            .get_contact(id, &Default::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn oauth_token_request_is_form_encoded_and_unauthenticated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"access_token":"at","refresh_token":"rt","token_type":"Bearer","expires_in":7200}"#,
        ))
        .mount(&server)
        .await;
    let body = GetAccessTokenBody::default()
        .with_grant_type("client_credentials")
        .with_client_id("id 1")
        .with_client_secret("s&c=r+t");
    let token = client(&server).get_access_token(&body).await.unwrap();
    assert_eq!(token.access_token.as_deref(), Some("at"));
    assert_eq!(token.expires_in, Some(7200));

    let request = only_request(&server).await;
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(
        request.headers.get("authorization").is_none(),
        "the token endpoint takes no bearer token"
    );
    let form: Vec<(String, String)> = url_pairs(&request.body);
    assert_eq!(
        form,
        [
            ("client_id", "id 1"),
            ("client_secret", "s&c=r+t"),
            ("grant_type", "client_credentials")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

fn url_pairs(body: &[u8]) -> Vec<(String, String)> {
    let url = wiremock::http::Url::parse(&format!("http://x/?{}", String::from_utf8_lossy(body)))
        .unwrap();
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn empty_success_bodies_are_unit() {
    let server = server_with(204, "", JSON_API).await;
    client(&server).delete_hook("5").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/v1/hooks/5");
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let client = Client::builder()
        .bearer_token("super-secret")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("super-secret"), "{shown}");
    assert!(shown.contains("https://api.kajabi.com"), "{shown}");
}

/// The sample payload that a webhook sample operation's description shows (its first code
/// block), and for each member of the `anyOf` its items are, the `type` it fixes.
fn hook_sample(hook: &str) -> (serde_json::Value, Vec<String>) {
    let text = std::fs::read_to_string(xtask::workspace_root().join("openapi.yaml")).unwrap();
    let doc = generator::load::parse_document(&text).unwrap();
    let op = &doc["paths"][format!("/v1/hooks/{hook}_sample")]["get"];
    let description = op["description"].as_str().unwrap();
    let block = description
        .split("```")
        .nth(1)
        .unwrap()
        .trim_start_matches("json");
    let sample: serde_json::Value =
        serde_json::from_str(block).unwrap_or_else(|e| panic!("{hook}: {e}"));
    let members = op["responses"]["200"]["content"][JSON_API]["schema"]["items"]["anyOf"]
        .as_array()
        .unwrap();
    let types = members
        .iter()
        .map(|m| {
            m["properties"]["type"]["enum"][0]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    (sample, types)
}

/// Decodes every webhook sample the document gives: each item is the member whose JSON:API
/// `type` it carries (the members' `type` is optional, so only its value tells them apart).
#[tokio::test]
async fn every_webhook_sample_decodes_to_the_member_its_type_names() {
    macro_rules! check {
        ($hook:literal, $method:ident) => {{
            let (sample, types) = hook_sample($hook);
            let server = server_with(200, &sample.to_string(), JSON_API).await;
            let items = client(&server).$method().await.unwrap();
            let sample = sample.as_array().unwrap();
            assert_eq!(items.len(), sample.len());
            for (item, raw) in items.iter().zip(sample) {
                // The member a `type` value selects is named for one of it: `contact_tags`
                // is `ContactTag` (Kajabi's resource types are all regular plurals in `s`).
                let wire = types
                    .iter()
                    .find(|t| raw["type"] == **t)
                    .unwrap_or_else(|| panic!("{}: {raw}", $hook));
                let one = wire.strip_suffix('s').unwrap_or_else(|| panic!("{wire}"));
                let expected: String = one
                    .split('_')
                    .map(|w| w[..1].to_uppercase() + &w[1..])
                    .collect();
                let shown = format!("{item:?}");
                let variant = shown.split('(').next().unwrap();
                assert!(
                    variant == expected,
                    "{}: a `{}` item decoded as {variant}",
                    $hook,
                    raw["type"]
                );
                // And it encodes back to what came (absent and null optional fields alike).
                assert_eq!(
                    without_nulls(serde_json::to_value(item).unwrap()),
                    without_nulls(raw.clone()),
                    "{}",
                    $hook
                );
            }
            types.len()
        }};
    }
    let members = check!("tag_added", get_tag_added_sample)
        + check!("tag_removed", get_tag_removed_sample)
        + check!("form_submission", get_form_submission_sample)
        + check!("purchase", get_purchase_sample)
        + check!("order_created", get_order_created_sample)
        + check!("payment_succeeded", get_payment_succeeded_sample);
    assert!(members >= 12, "{members}");
}

/// The default TLS stack (rustls with *ring*, installed by the client) is set up without help
/// from the program: an `https` base URL gets a TLS handshake, and a server that answers it
/// with garbage is a transport error, not a panic.
#[tokio::test]
async fn https_speaks_tls_with_the_default_provider() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut hello = [0u8; 3];
        socket.read_exact(&mut hello).await.unwrap();
        socket.write_all(b"not tls\r\n\r\n").await.unwrap();
        hello
    });
    let client = kajabi_client::Client::builder()
        .base_url(format!("https://localhost:{port}"))
        .bearer_token("t")
        .retry(kajabi_client::RetryPolicy::disabled())
        .build()
        .expect("the TLS stack initialises");
    let err = client
        .list_customers(&Default::default())
        .await
        .unwrap_err();
    assert!(matches!(err, kajabi_client::Error::Transport(_)), "{err:?}");
    let hello = server.await.unwrap();
    // A TLS record of type handshake (22), protocol version 3.x: a ClientHello.
    assert_eq!(hello[..2], [0x16, 0x03], "{hello:?}");
}

/// A value the document does not list decodes into the sealed `Unknown` variant, reads back
/// with `as_str()` and goes out on the wire as it came; listed values are their variants.
#[tokio::test]
async fn unlisted_enum_values_are_kept_and_sent_as_they_came() {
    let server = server_with(
        200,
        r#"{"data":[
            {"id":"1","type":"hooks","attributes":{"event":"purchase","target_url":"https://a.example"}},
            {"id":"2","type":"hooks","attributes":{"event":"subscription_renewed","target_url":"https://b.example"}}
        ]}"#,
        JSON_API,
    )
    .await;
    let hooks = client(&server)
        .list_hooks(&Default::default())
        .await
        .unwrap();
    let events: Vec<&types::HookEvent> = hooks
        .data()
        .iter()
        .filter_map(|hook| Some(&hook.attributes()?.event))
        .collect();
    assert_eq!(events[0], &types::HookEvent::Purchase);
    assert_eq!(events[1].as_str(), "subscription_renewed");
    assert_eq!(events[1].to_string(), "subscription_renewed");
    // What the variant is there for, and the warning that keeps callers from matching on it.
    #[expect(deprecated)]
    let unknown = matches!(events[1], types::HookEvent::Unknown(_));
    assert!(unknown);
    assert_eq!(
        serde_json::to_value(events[1]).unwrap(),
        serde_json::json!("subscription_renewed")
    );
    assert_eq!(
        types::HookEvent::from("purchase"),
        types::HookEvent::Purchase,
        "a listed value read from text is its variant, never `Unknown`"
    );
}
