//! Runs against the crate generated from `http.yaml` (see `tests/tests/http.rs`): what the
//! client makes of the responses a wiremock server on loopback sends.

use futures_util::StreamExt;
use http_client::headers::{CreateItemHeaders, RateLimitHeaders};
use http_client::types::Repo;
use http_client::{Client, CreateItemError, Error, FromHeaders, ListReposParams, SearchReposParams};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn targets(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}

fn repos(ids: &[i64]) -> serde_json::Value {
    serde_json::Value::Array(ids.iter().map(|id| serde_json::json!({ "id": id })).collect())
}

async fn response_headers() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    Mock::given(method("POST"))
        .and(path("/items"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Location", "https://api.example.com/items/7")
                .insert_header("ETag", "\"v1\"")
                .insert_header("X-RateLimit-Remaining", " 41 ")
                .insert_header("X-Other", "kept"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let created = client.create_item_with_response(&Repo::new(7)).await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(
        *created.typed_headers(),
        CreateItemHeaders {
            location: Some("https://api.example.com/items/7".into()),
            e_tag: Some("\"v1\"".into()),
            rate_limit_remaining: Some(41),
            ..Default::default()
        }
    );
    // Undeclared headers are there too, raw.
    assert_eq!(created.headers()["x-other"], "kept");

    // A documented error: its headers read the same way.
    Mock::given(method("POST"))
        .and(path("/items"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "60")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", "1.5")
                .insert_header("Content-Type", "application/problem+json")
                .set_body_string(r#"{"detail":"slow down"}"#),
        )
        .mount(&server)
        .await;
    let limited = client
        .with_retry(http_client::RetryPolicy::disabled())
        .create_item(&Repo::new(1))
        .await
        .unwrap_err();
    let Error::Api(api) = &limited else { panic!("{limited:?}") };
    let CreateItemError::TooManyRequests(problem) = &api.error;
    assert_eq!(problem.detail.as_deref(), Some("slow down"));
    let headers = CreateItemHeaders::from_headers(&api.headers);
    assert_eq!((headers.rate_limit_limit, headers.rate_limit_remaining, headers.rate_limit_reset), (Some(60), Some(0), Some(1.5)));

    // Two operations declaring the same headers share one type; a value that does not parse
    // is `None`, its raw value still there.
    Mock::given(method("GET"))
        .and(path("/quota"))
        .respond_with(ResponseTemplate::new(204).insert_header("x-ratelimit-limit", "lots").insert_header("X-RateLimit-Reset", "30"))
        .mount(&server)
        .await;
    let quota = client.get_quota_with_response().await.unwrap();
    let typed: &RateLimitHeaders = quota.typed_headers();
    assert_eq!((typed.rate_limit_limit, typed.rate_limit_reset), (None, Some(30.0)));
    assert_eq!(quota.headers()["x-ratelimit-limit"], "lots");
    println!("response headers: ok");
}

async fn link_header_pages() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let client = Client::builder().base_url(&uri).build().unwrap();
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(repos(&[1, 2])).insert_header(
            "Link",
            format!(r#"<{uri}/repos?page=2&per_page=2>; rel="next", <{uri}/repos?page=3&per_page=2>; rel="last""#),
        ))
        .mount(&server)
        .await;
    // A relative link, relation types in another case and listed with others.
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(repos(&[3, 4]))
                .append_header("Link", format!(r#"<{uri}/repos?per_page=2>; rel="prev first""#))
                .append_header("Link", r#"</repos?page=3&per_page=2>; rel="last NEXT""#),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(repos(&[5]))
                .insert_header("Link", format!(r#"<{uri}/repos?page=2&per_page=2>; rel="prev""#)),
        )
        .mount(&server)
        .await;
    let items: Vec<i64> = client
        .list_repos_pages(&ListReposParams::default().per_page(2))
        .items()
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(
        targets(&server).await,
        ["GET /repos?per_page=2", "GET /repos?page=2&per_page=2", "GET /repos?page=3&per_page=2"]
    );
    // Each page keeps its headers.
    let pages: Vec<_> = client.list_repos_pages(&ListReposParams::default()).max_pages(1).collect().await;
    let first = pages.into_iter().next().unwrap().unwrap();
    assert!(first.typed_headers().link.as_deref().unwrap().contains("rel=\"next\""));
    assert_eq!(first.len(), 2, "the page dereferences to its body");

    // An object with the items, the next page in its `Link` header (a comma inside a quoted
    // parameter is not a separator); a link outside the API is not followed.
    let server = MockServer::start().await;
    let uri = server.uri();
    let client = Client::builder().base_url(&uri).build().unwrap();
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "total_count": 3, "items": repos(&[10, 11]) }))
                .insert_header("Link", format!(r#"<{uri}/search?q=x&page=2>; title="a, b"; rel=next"#)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "total_count": 3, "items": repos(&[12]) }))
                .insert_header("Link", r#"<https://elsewhere.example/search?page=3>; rel="next""#),
        )
        .mount(&server)
        .await;
    let results: Vec<_> = client.search_repos_pages(&SearchReposParams::new("x")).items().collect().await;
    let ids: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.id).collect();
    assert_eq!(ids, [10, 11, 12]);
    let last = results.last().unwrap().as_ref().unwrap_err();
    assert!(last.to_string().contains("points outside the API"), "{last}");
    println!("link header pages: ok");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    response_headers().await;
    link_header_pages().await;
    println!("http: all checks passed");
}
