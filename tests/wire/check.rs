//! Runs against the crate generated from `wire.yaml` (see `tests/tests/wire.rs`): the exact
//! requests it sends, checked on a wiremock server on loopback.

use wire_client::types::{TokenForm, TokenFormLine, TokenFormMeta, TokenFormSpread};
use wire_client::{Client, WithBothParams, WithCookieParams};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The last request the server received: its path and query, and the headers that carry
/// credentials.
async fn last(server: &MockServer) -> (String, Option<String>, Option<String>, Option<String>) {
    let requests = server.received_requests().await.unwrap();
    let r = requests.last().unwrap();
    let header = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    let target = match r.url.query() {
        Some(q) => format!("{}?{q}", r.url.path()),
        None => r.url.path().to_owned(),
    };
    (target, header("authorization"), header("x-app-id"), header("cookie"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let s = |v: &str| Some(v.to_owned());

    // Basic credentials and keys, no token.
    let keys = Client::builder()
        .base_url(server.uri())
        .basic_auth("alice", "s3cret")
        .api_key_for("appId", "app-1")
        .api_key_for("appKey", "key 2")
        .api_key_for("session", "sess-77")
        .build()
        .unwrap();
    keys.with_basic().await.unwrap();
    assert_eq!(last(&server).await, ("/basic".into(), s("Basic YWxpY2U6czNjcmV0"), None, None));
    keys.with_none().await.unwrap();
    assert_eq!(last(&server).await, ("/none".into(), None, None, None));
    // No token: the second way, the app id.
    keys.with_either().await.unwrap();
    assert_eq!(last(&server).await, ("/either".into(), None, s("app-1"), None));
    // Both keys together, the query key after the operation's own parameters.
    keys.with_both(&WithBothParams::default().q("x")).await.unwrap();
    assert_eq!(last(&server).await, ("/both?q=x&app_key=key%202".into(), None, s("app-1"), None));
    // The cookie key shares the one `Cookie` header with the cookie parameters.
    keys.with_cookie(&WithCookieParams::default().theme("dark")).await.unwrap();
    assert_eq!(last(&server).await, ("/cookie".into(), None, None, s("theme=dark; sid=sess-77")));
    // Nothing the client has fits: nothing is sent.
    keys.with_token().await.unwrap();
    assert_eq!(last(&server).await, ("/token".into(), None, None, None));
    keys.with_optional().await.unwrap();
    assert_eq!(last(&server).await, ("/optional".into(), None, None, None));

    // A token: bearer first, other HTTP schemes with their own name, OpenID Connect.
    let tokens = Client::builder().base_url(server.uri()).bearer_token("tok").api_key("any-key").build().unwrap();
    tokens.with_either().await.unwrap();
    assert_eq!(last(&server).await, ("/either".into(), s("Bearer tok"), None, None));
    tokens.with_token().await.unwrap();
    assert_eq!(last(&server).await, ("/token".into(), s("Token tok"), None, None));
    tokens.with_optional().await.unwrap();
    assert_eq!(last(&server).await, ("/optional".into(), s("Bearer tok"), None, None));
    tokens.with_oidc().await.unwrap();
    assert_eq!(last(&server).await, ("/oidc".into(), s("Bearer tok"), None, None));
    tokens.with_certificate().await.unwrap();
    assert_eq!(last(&server).await, ("/certificate".into(), None, None, None));
    tokens.with_certificate_and_key().await.unwrap();
    assert_eq!(last(&server).await, ("/certificate-and-key".into(), None, s("any-key"), None));
    tokens.with_basic().await.unwrap();
    assert_eq!(last(&server).await, ("/basic".into(), None, None, None));
    // `api_key` is the key of every API key scheme without one of its own.
    tokens.with_both(&WithBothParams::default()).await.unwrap();
    assert_eq!(last(&server).await, ("/both?app_key=any-key".into(), None, s("any-key"), None));

    // Credentials never show.
    let shown = format!("{keys:?} {tokens:?}");
    for secret in ["s3cret", "app-1", "key 2", "sess-77", "\"tok\"", "any-key"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("alice"), "{shown}");

    paths_and_forms(&server).await;
    servers(&server).await;
    unions().await;
    pagination().await;
    json_parameters().await;
    println!("wire: all checks passed");
}

async fn pagination() {
    use futures_util::StreamExt;
    use wiremock::matchers::{path, query_param, query_param_is_missing};
    use wire_client::{ListEventsParams, ListMessagesParams, ListNumberedParams, ListOffsetsParams};
    let server = MockServer::start().await;
    let notes = |ids: &[&str]| serde_json::Value::Array(ids.iter().map(|id| serde_json::json!({"id": id})).collect());
    let respond = |body: serde_json::Value| ResponseTemplate::new(200).set_body_json(body);
    // Cursor: the next page's token from the response, under a path parameter.
    Mock::given(path("/chats/c%201/messages")).and(query_param_is_missing("page_token"))
        .respond_with(respond(serde_json::json!({"messages": notes(&["a", "b"]), "next_page_token": "t 2"}))).mount(&server).await;
    Mock::given(path("/chats/c%201/messages")).and(query_param("page_token", "t 2"))
        .respond_with(respond(serde_json::json!({"messages": notes(&["c"]), "next_page_token": null}))).mount(&server).await;
    // Next link, in the response.
    let next = format!("{}/events?after=x", server.uri());
    Mock::given(path("/events")).and(query_param_is_missing("after"))
        .respond_with(respond(serde_json::json!({"data": notes(&["e1"]), "links": {"next": next}}))).mount(&server).await;
    Mock::given(path("/events")).and(query_param("after", "x"))
        .respond_with(respond(serde_json::json!({"data": notes(&["e2"]), "links": {"next": null}}))).mount(&server).await;
    // Page numbers up to the page count.
    for page in 1..=2 {
        Mock::given(path("/numbered")).and(query_param("page", page.to_string()))
            .respond_with(respond(serde_json::json!({"results": notes(&[&format!("n{page}")]), "meta": {"total_pages": 2}}))).mount(&server).await;
    }
    // Offsets: each page after the items of the one before, up to an empty page.
    for (offset, ids) in [("0", vec!["o1", "o2"]), ("2", vec!["o3"]), ("3", vec![])] {
        Mock::given(path("/offsets")).and(query_param("offset", offset))
            .respond_with(respond(serde_json::json!({"items": notes(&ids)}))).mount(&server).await;
    }
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    fn ids<E: std::fmt::Debug>(items: Vec<Result<wire_client::types::Note, wire_client::Error<E>>>) -> Vec<String> {
        items.into_iter().map(|n| n.unwrap().id.unwrap()).collect()
    }
    let messages = client.list_messages_pages("c 1", &ListMessagesParams::default().limit(2)).items().collect::<Vec<_>>().await;
    assert_eq!(ids(messages), ["a", "b", "c"]);
    let events = client.list_events_pages(&ListEventsParams::default()).items().collect::<Vec<_>>().await;
    assert_eq!(ids(events), ["e1", "e2"]);
    let numbered = client.list_numbered_pages(&ListNumberedParams::default()).items().collect::<Vec<_>>().await;
    assert_eq!(ids(numbered), ["n1", "n2"]);
    let offsets = client.list_offsets_pages(&ListOffsetsParams::default().limit(2)).items().collect::<Vec<_>>().await;
    assert_eq!(ids(offsets), ["o1", "o2", "o3"]);
    // As `x-pagination` says: the cursor one level down, into `since`.
    Mock::given(path("/feed")).and(query_param_is_missing("since"))
        .respond_with(respond(serde_json::json!({"entries_list": notes(&["f1"]), "continuation": {"token": "k"}}))).mount(&server).await;
    Mock::given(path("/feed")).and(query_param("since", "k"))
        .respond_with(respond(serde_json::json!({"entries_list": notes(&["f2"]), "continuation": {}}))).mount(&server).await;
    let feed = client.list_feed_pages(&wire_client::ListFeedParams::default()).items().collect::<Vec<_>>().await;
    assert_eq!(ids(feed), ["f1", "f2"]);
    let limits: Vec<String> = server.received_requests().await.unwrap().iter()
        .filter(|r| r.url.path() == "/offsets").map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(limits, ["offset=0&limit=2", "offset=2&limit=2", "offset=3&limit=2"]);
}

async fn unions() {
    use wire_client::types::{Choice, Item, Thing};
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "items": [
            {"type": "message", "role": "assistant", "content": "hi"},
            {"type": "message", "role": "user", "content": "hello"},
            {"type": "function_call", "name": "f"},
            {"type": "message", "role": "system"},
            {"type": "unknown"}
        ],
        "choices": ["red", "green"],
        "things": [{"id": 1}, {"note": "x"}, {"type": "resources", "note": "y"}]
    });
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&body)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let got = client.get_unions().await.unwrap();
    // One discriminator value, two members: the role they fix tells them apart; a role
    // neither fixes is kept as it came.
    let items: Vec<&str> = got.items.as_ref().unwrap().iter().map(|i| match i {
        Item::UserMessage(_) => "user",
        Item::AssistantMessage(_) => "assistant",
        Item::FunctionCall(_) => "function_call",
        Item::Other(_) => "other",
        other => panic!("{other:?}"),
    }).collect();
    assert_eq!(items, ["assistant", "user", "function_call", "other", "other"]);
    // An open enum (a string enum or any string) is the enum: other strings are its unknown
    // values, read with `as_str`, and sent back as they came.
    let choices = got.choices.as_ref().unwrap();
    assert_eq!(choices[0], Choice::Red, "{choices:?}");
    assert_eq!(choices[1].as_str(), "green", "{choices:?}");
    assert_eq!(serde_json::to_value(&choices[1]).unwrap(), serde_json::json!("green"));
    // A member with a required property before one with nothing required; an optional
    // property fixed to one value chooses its member when present.
    let things: Vec<&str> = got.things.as_ref().unwrap().iter().map(|t| match t {
        Thing::Specific(_) => "specific",
        Thing::Loose(_) => "loose",
        Thing::Resource(_) => "resource",
        Thing::Other(_) => "other",
        other => panic!("{other:?}"),
    }).collect();
    assert_eq!(things, ["specific", "loose", "resource"]);
}

async fn servers(server: &MockServer) {
    use wire_client::servers;
    let client = Client::builder()
        .base_url(format!("{}/v1/", server.uri()))
        .server_url(servers::UPLOADS_EXAMPLE_COM_U, format!("{}/up", server.uri()))
        .server_port(server.address().port().to_string())
        .server_stage(servers::Stage::Test)
        .build()
        .unwrap();
    let path = |r: &wiremock::Request| r.url.path().to_owned();
    client.with_none().await.unwrap();
    client.upload().await.unwrap();
    client.staged().await.unwrap();
    client.relative().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let n = requests.len();
    let paths: Vec<String> = requests[n - 4..].iter().map(path).collect();
    // The base URL; a path item's server, given another URL; an operation's own server (not
    // its path item's) with its variables set; a relative server under the base URL's origin.
    assert_eq!(paths, ["/v1/none", "/up/uploads", "/test/staged", "/alt/relative"]);
    assert_eq!(servers::SERVER_127_0_0_1_PORT_STAGE, "http://127.0.0.1:{port}/{stage}");
    assert_eq!(servers::Stage::Live.as_str(), "live");
    assert_eq!(wire_client::DEFAULT_BASE_URL, "https://api.example.com/v1");
}

async fn paths_and_forms(server: &MockServer) {
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let target = |r: &wiremock::Request| match r.url.query() {
        Some(q) => format!("{}?{q}", r.url.path()),
        None => r.url.path().to_owned(),
    };
    // A `#fragment` in the path key is never sent; a `?query` suffix is sent as it says.
    client.get_item("a b").await.unwrap();
    client.share_item("a b").await.unwrap();
    let form = TokenForm::new("refresh")
        .with_scope(vec!["read".into(), "write all".into()])
        .with_tags(vec!["x".into(), "y".into()])
        .with_active(true)
        .with_count(3)
        .with_meta(TokenFormMeta::default().with_a(1).with_b("two words"))
        .with_spread(TokenFormSpread::default().with_x("1"))
        .with_lines(vec![
            TokenFormLine::default().with_sku("s1").with_qty(2),
            TokenFormLine::default().with_sku("s&2"),
        ]);
    client.get_token(&form).await.unwrap();
    client.post_oauth_token_refresh(&form).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let n = requests.len();
    let (get, share, token, refresh) = (&requests[n - 4], &requests[n - 3], &requests[n - 2], &requests[n - 1]);
    assert_eq!((get.method.as_str(), target(get).as_str()), ("GET", "/items/a%20b"));
    assert_eq!((share.method.as_str(), target(share).as_str()), ("POST", "/items/a%20b"));
    assert_eq!(target(token), "/oauth/token");
    // Path parameters as their style says (RFC 6570's `{x}`, `{.x}`, `{;x}`, `*` exploded),
    // each item encoded on its own so that a delimiter or slash inside one cannot split it.
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    client
        .get_colors(
            &strings(&["red", "a,b/c"]),
            "x y",
            &strings(&["p", "q"]),
            &strings(&["r", "s"]),
            7,
            &strings(&["t", "u"]),
            &strings(&["v", "w"]),
            &[1, 2],
        )
        .await
        .unwrap();
    let colors = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        colors.url.path(),
        "/colors/red,a%2Cb%2Fc/.x%20y/.p,q.r.s/;matrix=7;matrices=t,u;spread=v;spread=w/1,2"
    );
    // `{+name}`: the value's slashes are the path's.
    client.get_resource("projects/p-1/topics/a b").await.unwrap();
    let resource = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(resource.url.path(), "/v1/projects/p-1/topics/a%20b");
    assert!(client.get_resource("projects/../admin").await.is_err());
    // An empty array would leave the segment empty: refused before anything is sent.
    let sent = server.received_requests().await.unwrap().len();
    let empty = client.get_colors(&[], "x", &[], &[], 1, &[], &[], &[]).await;
    assert!(matches!(empty, Err(wire_client::Error::InvalidRequest(_))), "{empty:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), sent);
    assert_eq!(target(refresh), "/oauth/token?refresh");
    assert_eq!(token.headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
    // Arrays per the encoding (form unexploded, pipe-delimited) or repeated; objects in
    // brackets or spread (`form`, exploded); arrays of objects numbered; absent values out.
    assert_eq!(
        String::from_utf8(token.body.clone()).unwrap(),
        "grant_type=refresh&scope=read,write%20all&tags=x%7Cy&active=true&count=3&meta[a]=1&meta[b]=two%20words&x=1&lines[0][sku]=s1&lines[0][qty]=2&lines[1][sku]=s%262"
    );
    // Without an `encoding`: arrays repeat the name, objects nest in brackets.
    assert_eq!(
        String::from_utf8(refresh.body.clone()).unwrap(),
        "grant_type=refresh&scope=read&scope=write%20all&tags=x&tags=y&active=true&count=3&meta[a]=1&meta[b]=two%20words&spread[x]=1&lines[0][sku]=s1&lines[0][qty]=2&lines[1][sku]=s%262"
    );
}

/// Parameters described by `content` of a JSON media type are sent as their JSON text.
async fn json_parameters() {
    use wire_client::SearchFilter;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let filter = SearchFilter::default().with_a(1).with_tags(vec!["x y".into()]);
    client.search(&wire_client::SearchParams::new(vec![1, 2]).filter(filter)).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("filter=%7B%22a%22%3A1%2C%22tags%22%3A%5B%22x%20y%22%5D%7D"));
    assert_eq!(request.headers.get("x-meta").unwrap(), "[1,2]");
}
