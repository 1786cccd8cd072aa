//! Tokens: the OAuth 2.0 provider built on the document's own token endpoint, static tokens,
//! and secrets kept out of `Debug`, errors and tracing output.

use kajabi_client::{Client, Error, ListCustomersError, ListCustomersParams};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const JSON_API: &str = "application/vnd.api+json";

fn token(access: &str, refresh: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(r#"{{"access_token":"{access}","refresh_token":"{refresh}","token_type":"Bearer","expires_in":{expires_in}}}"#),
        "application/json",
    )
}

fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(r#"{"data":[]}"#, JSON_API)
}

fn oauth_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .oauth2_client_credentials("my-client", "very-secret")
        .build()
        .unwrap()
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

fn form(request: &Request) -> Vec<(String, String)> {
    let url = wiremock::http::Url::parse(&format!(
        "http://x/?{}",
        String::from_utf8_lossy(&request.body)
    ))
    .unwrap();
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_token_fetch_is_shared_by_concurrent_requests() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth/token"))
        .respond_with(token("at-1", "rt-1", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_customers(&ListCustomersParams::default()).await })
    });
    for call in calls {
        call.await
            .unwrap()
            .expect("authorized with the fetched token");
    }
    let fetches = requests_to(&server, "/v1/oauth/token").await;
    assert_eq!(fetches.len(), 1, "one fetch for twenty concurrent requests");
    assert_eq!(
        fetches[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        form(&fetches[0]),
        [
            ("grant_type", "client_credentials"),
            ("client_id", "my-client"),
            ("client_secret", "very-secret")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(fetches[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_with_the_refresh_token() {
    let server = MockServer::start().await;
    // 30 s left is inside the 60 s refresh margin: the next call refreshes.
    Mock::given(body_string_contains("grant_type=client_credentials"))
        .respond_with(token("at-1", "rt-1", 30))
        .mount(&server)
        .await;
    Mock::given(body_string_contains("grant_type=refresh_token"))
        .respond_with(token("at-2", "rt-2", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client.list_customers(&Default::default()).await.unwrap();
    client.list_customers(&Default::default()).await.unwrap();
    client.list_customers(&Default::default()).await.unwrap();
    let fetches = requests_to(&server, "/v1/oauth/token").await;
    assert_eq!(fetches.len(), 2);
    assert_eq!(
        form(&fetches[1]),
        [("grant_type", "refresh_token"), ("refresh_token", "rt-1")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    let used: Vec<String> = requests_to(&server, "/v1/customers")
        .await
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(used, ["Bearer at-1", "Bearer at-2", "Bearer at-2"]);
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_client_credentials() {
    let server = MockServer::start().await;
    Mock::given(body_string_contains("grant_type=client_credentials"))
        .respond_with(token("at-1", "rt-1", 30))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(400).set_body_string(r#"{"error":"invalid_grant"}"#))
        .mount(&server)
        .await;
    Mock::given(body_string_contains("grant_type=client_credentials"))
        .respond_with(token("at-3", "rt-3", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client.list_customers(&Default::default()).await.unwrap();
    client.list_customers(&Default::default()).await.unwrap();
    let grants: Vec<String> = requests_to(&server, "/v1/oauth/token")
        .await
        .iter()
        .map(|r| form(r)[0].1.clone())
        .collect();
    assert_eq!(
        grants,
        ["client_credentials", "refresh_token", "client_credentials"]
    );
    let last = requests_to(&server, "/v1/customers").await.pop().unwrap();
    assert_eq!(last.headers["authorization"], "Bearer at-3");
}

#[tokio::test]
async fn a_401_renews_the_token_and_tries_once_more() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/oauth/token"))
        .respond_with(token("at-1", "rt-1", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/oauth/token"))
        .respond_with(token("at-2", "rt-2", 3600))
        .mount(&server)
        .await;
    let unauthorized = ResponseTemplate::new(401).set_body_raw(
        r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#,
        JSON_API,
    );
    Mock::given(path("/v1/customers"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(unauthorized.clone())
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .and(header("authorization", "Bearer at-2"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client
        .list_customers(&Default::default())
        .await
        .expect("the renewed token works");
    assert_eq!(requests_to(&server, "/v1/customers").await.len(), 2);

    // A server that rejects every token: one renewal, then the documented 401 error.
    let server = MockServer::start().await;
    Mock::given(path("/v1/oauth/token"))
        .respond_with(token("at", "rt", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .respond_with(unauthorized)
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let err = client
        .list_customers(&Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err.api_error(), Some(ListCustomersError::Unauthorized(_))),
        "{err:?}"
    );
    assert_eq!(requests_to(&server, "/v1/customers").await.len(), 2);
    assert_eq!(requests_to(&server, "/v1/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn end_session_revokes_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/oauth/token"))
        .respond_with(token("at-1", "rt-1", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/v1/oauth/revoke"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .respond_with(empty_page())
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    client.list_customers(&Default::default()).await.unwrap();
    client.end_session().await.unwrap();
    let revokes = requests_to(&server, "/v1/oauth/revoke").await;
    assert_eq!(revokes.len(), 1);
    assert_eq!(revokes[0].headers["authorization"], "Bearer at-1");
    assert_eq!(form(&revokes[0]), [("token".to_owned(), "at-1".to_owned())]);
    // The next call starts a new session.
    client.list_customers(&Default::default()).await.unwrap();
    assert_eq!(requests_to(&server, "/v1/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn a_refused_token_is_an_auth_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string(r#"{"error":"invalid_client"}"#))
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    let err = client
        .list_customers(&Default::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    for shown in [format!("{err}"), format!("{err:?}")] {
        assert!(shown.contains("invalid_client"), "{shown}");
        assert!(!shown.contains("very-secret"), "{shown}");
    }
    assert!(
        requests_to(&server, "/v1/customers").await.is_empty(),
        "nothing was sent without a token"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let builder = Client::builder()
        .oauth2_client_credentials("id", "very-secret")
        .api_key("key-secret");
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("very-secret") && !shown.contains("key-secret"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("very-secret") && !shown.contains("key-secret"),
        "{shown}"
    );
    let shown = format!(
        "{:?}",
        Client::builder()
            .bearer_token("bearer-secret")
            .build()
            .unwrap()
    );
    assert!(!shown.contains("bearer-secret"), "{shown}");
    let secret = kajabi_client::Secret::new("plain");
    assert_eq!(format!("{secret} {secret:?}"), "<redacted> <redacted>");
}
