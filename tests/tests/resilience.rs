//! The generated client under faults, against a server on loopback that misbehaves on
//! purpose: 429 with Retry-After, 503 bursts, connections reset mid-body, truncated JSON,
//! responses slower than the timeout, the wrong content type. Prints what happened.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kajabi_client::{Client, Error, ListCustomersParams, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
enum Action {
    Respond {
        status: u16,
        content_type: &'static str,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Headers promising the whole body, half of it, then the connection closes.
    ResetMidBody(String),
    /// Answer after this long.
    Slow(Duration, Box<Action>),
}

fn json(body: String) -> Action {
    Action::Respond {
        status: 200,
        content_type: "application/vnd.api+json",
        headers: vec![],
        body,
    }
}

fn status(code: u16, headers: &[(&str, &str)]) -> Action {
    Action::Respond {
        status: code,
        content_type: "text/plain",
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: format!("status {code}"),
    }
}

type Plan = Arc<dyn Fn(&str, usize) -> Action + Send + Sync>;

struct FaultServer {
    url: String,
    hits: Arc<AtomicUsize>,
}

impl FaultServer {
    /// `plan(path_and_query, hit_number)` decides each answer.
    async fn start(plan: Plan) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let plan = plan.clone();
                let counter = counter.clone();
                tokio::spawn(async move { serve(socket, plan, counter).await });
            }
        });
        FaultServer { url, hits }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn serve(mut socket: TcpStream, plan: Plan, hits: Arc<AtomicUsize>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let hit = hits.fetch_add(1, Ordering::SeqCst);
    let mut action = plan(&target, hit);
    while let Action::Slow(delay, inner) = action {
        tokio::time::sleep(delay).await;
        action = *inner;
    }
    let reason = |code: u16| match code {
        200 => "OK",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let bytes = match &action {
        Action::Respond {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
                reason(*status),
                body.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(body);
            out.into_bytes()
        }
        Action::ResetMidBody(body) => {
            let half = &body[..body.len() / 2];
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.api+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{half}",
                body.len()
            )
            .into_bytes()
        }
        Action::Slow(..) => unreachable!(),
    };
    let _ = socket.write_all(&bytes).await;
    let _ = socket.flush().await;
    // Dropping the socket closes it; for ResetMidBody that cuts the body off.
}

fn page_body(ids: std::ops::Range<usize>, page: usize, total_pages: usize) -> String {
    let data: Vec<String> = ids
        .map(|i| format!(r#"{{"id":"{i}","type":"customers","attributes":{{"name":"Customer {i}","email":"c{i}@example.com"}}}}"#))
        .collect();
    let next = if page < total_pages {
        format!(
            r#""https://app.kajabi.com/api/v1/customers?page[number]={}""#,
            page + 1
        )
    } else {
        "null".to_owned()
    };
    format!(
        r#"{{"data":[{}],"links":{{"self":"x","next":{next}}},"meta":{{"total_pages":{total_pages},"total_count":10000,"current_page":{page}}}}}"#,
        data.join(",")
    )
}

fn query_value(target: &str, key: &str) -> Option<String> {
    let url = reqwest_url(target);
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn reqwest_url(target: &str) -> wiremock::http::Url {
    wiremock::http::Url::parse(&format!("http://x{target}")).unwrap()
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A cheap deterministic random number from a hit number.
fn roll(seed: usize) -> usize {
    let mut x = seed as u64 ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x % 100) as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousands_of_requests_through_faults() {
    const REQUESTS: usize = 3000;
    let good = page_body(0..3, 1, 1);
    let plan: Plan = Arc::new(move |_target, hit| match roll(hit) {
        0..=59 => json(good.clone()),
        60..=69 => status(503, &[]),
        70..=74 => status(429, &[("retry-after", "0")]),
        75..=77 => status(429, &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]),
        78..=81 => status(502, &[]),
        82..=85 => Action::ResetMidBody(good.clone()),
        86..=88 => json(good[..good.len() - 7].to_owned()),
        89..=91 => Action::Respond {
            status: 200,
            content_type: "text/html",
            headers: vec![],
            body: "<html>maintenance</html>".into(),
        },
        92..=94 => Action::Slow(Duration::from_millis(400), Box::new(json(good.clone()))),
        _ => status(504, &[]),
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder()
        .base_url(&server.url)
        .bearer_token("t")
        .timeout(Duration::from_millis(150))
        .retry(fast_retries(4))
        .build()
        .unwrap();
    let outcomes: Arc<Mutex<HashMap<&'static str, usize>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..16 {
        let client = client.clone();
        let outcomes = outcomes.clone();
        tasks.push(tokio::spawn(async move {
            for _ in (worker..REQUESTS).step_by(16) {
                let kind = match client.list_customers(&ListCustomersParams::default()).await {
                    Ok(page) => {
                        assert_eq!(page.data.map(|d| d.len()), Some(3));
                        "success"
                    }
                    Err(Error::Decode(e)) => {
                        assert!(!e.body.is_empty() || e.status.as_u16() == 200);
                        "decode error (truncated JSON or HTML)"
                    }
                    Err(Error::UnexpectedStatus(e)) => {
                        assert!(matches!(e.status.as_u16(), 429 | 502 | 503 | 504), "{e:?}");
                        "gave up on a retryable status"
                    }
                    Err(Error::Transport(e)) => {
                        assert!(
                            e.is_timeout() || e.is_body() || e.is_decode() || e.is_request(),
                            "{e:?}"
                        );
                        "gave up on a transport error"
                    }
                    Err(other) => panic!("unexpected error kind: {other:?}"),
                };
                *outcomes.lock().unwrap().entry(kind).or_default() += 1;
            }
        }));
    }
    for task in tasks {
        task.await.expect("no task panicked");
    }
    let outcomes = outcomes.lock().unwrap().clone();
    let total: usize = outcomes.values().sum();
    let retries = server.hits() - REQUESTS;
    println!(
        "\n{REQUESTS} requests through the fault server in {:.1?}:",
        started.elapsed()
    );
    let mut rows: Vec<_> = outcomes.iter().collect();
    rows.sort();
    for (kind, count) in rows {
        println!("  {count:>5}  {kind}");
    }
    println!("  {retries:>5}  retries ({} server hits)", server.hits());
    assert_eq!(total, REQUESTS);
    // Retryable faults are retried: far more successes than the 60% of good answers.
    assert!(outcomes["success"] > REQUESTS * 3 / 4, "{outcomes:?}");
    assert!(retries > REQUESTS / 5, "{retries} retries");
    // Truncated JSON and HTML under 200 are not retried: they are typed decode errors.
    assert!(outcomes["decode error (truncated JSON or HTML)"] > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_over_ten_thousand_items_through_faulty_pages() {
    const PAGES: usize = 100;
    const SIZE: usize = 100;
    let plan: Plan = Arc::new(move |target, hit| {
        let page: usize = query_value(target, "page[number]")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let body = page_body((page - 1) * SIZE..page * SIZE, page, PAGES);
        match roll(hit) {
            0..=9 => status(503, &[]),
            10..=14 => status(429, &[("retry-after", "0")]),
            15..=19 => Action::ResetMidBody(body),
            _ => json(body),
        }
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder()
        .base_url(&server.url)
        .retry(fast_retries(10))
        .build()
        .unwrap();
    let params = ListCustomersParams::default().page_size(SIZE as i64);
    let started = Instant::now();
    let ids: Vec<usize> = client
        .list_customers_pages(&params)
        .items()
        .map(|item| {
            item.expect("every page arrives in the end")
                .id
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .collect()
        .await;
    println!(
        "\n{} items over {PAGES} pages in {:.1?}, {} server hits for {PAGES} pages",
        ids.len(),
        started.elapsed(),
        server.hits()
    );
    assert_eq!(
        ids,
        (0..PAGES * SIZE).collect::<Vec<_>>(),
        "each item exactly once, in order"
    );
    assert!(server.hits() > PAGES, "faults were injected and retried");
}

#[tokio::test]
async fn pages_start_where_asked_and_stop_where_capped() {
    let plan: Plan = Arc::new(|target, _| {
        let page: usize = query_value(target, "page[number]")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        json(page_body((page - 1) * 10..page * 10, page, 8))
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let from_third = ListCustomersParams::default().page_number(3);
    let pages: Vec<_> = client.list_customers_pages(&from_third).collect().await;
    let numbers: Vec<i64> = pages
        .iter()
        .map(|p| {
            p.as_ref()
                .unwrap()
                .meta
                .as_ref()
                .unwrap()
                .current_page
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, [3, 4, 5, 6, 7, 8]);
    let two: Vec<_> = client
        .list_customers_pages(&from_third)
        .max_pages(2)
        .collect()
        .await;
    assert_eq!(two.len(), 2);
    let items: Vec<_> = client
        .list_customers_pages(&Default::default())
        .items()
        .max_items(25)
        .collect()
        .await;
    assert_eq!(items.len(), 25);
    assert_eq!(items[24].as_ref().unwrap().id.as_deref(), Some("24"));
}

#[tokio::test]
async fn an_error_mid_list_is_yielded_after_the_items_before_it() {
    let plan: Plan = Arc::new(|target, _| {
        let page: usize = query_value(target, "page[number]")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        if page == 4 {
            status(500, &[])
        } else {
            json(page_body((page - 1) * 10..page * 10, page, 10))
        }
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder()
        .base_url(&server.url)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let results: Vec<_> = client
        .list_customers_pages(&Default::default())
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 31, "30 items, then the error, then the end");
    assert!(results[..30].iter().all(Result::is_ok));
    match &results[30] {
        Err(Error::UnexpectedStatus(e)) => assert_eq!(e.status.as_u16(), 500),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.hits(), 4, "nothing is fetched after the error");
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured_and_post_is_not_retried() {
    let plan: Plan = Arc::new(|_, hit| {
        if hit == 0 {
            status(429, &[("retry-after", "1")])
        } else {
            json(page_body(0..1, 1, 1))
        }
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder().base_url(&server.url).build().unwrap();
    let started = Instant::now();
    client.list_customers(&Default::default()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.hits(), 2);

    // POST is not idempotent: a 503 is returned, not retried, unless the policy says so.
    let server = FaultServer::start(Arc::new(|_, _| status(503, &[]))).await;
    let client = Client::builder()
        .base_url(&server.url)
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let err = client.reactivate_purchase("7").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.hits(), 1);
    let err = client
        .with_retry(RetryPolicy {
            retry_non_idempotent: true,
            ..fast_retries(2)
        })
        .reactivate_purchase("7")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.hits(), 4, "the per-call policy allowed two retries");
}

#[tokio::test]
async fn timeouts_apply_per_attempt_and_per_call() {
    let plan: Plan = Arc::new(|_, _| {
        Action::Slow(
            Duration::from_millis(300),
            Box::new(json(page_body(0..1, 1, 1))),
        )
    });
    let server = FaultServer::start(plan).await;
    let client = Client::builder()
        .base_url(&server.url)
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .list_customers(&Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    client
        .with_timeout(Duration::from_secs(5))
        .list_customers(&Default::default())
        .await
        .expect("a longer timeout for this call");
}
