//! What the client's tracing records for one request: one span per call, closed once with its
//! outcome, a retry event, and neither secrets nor path parameters.
//!
//! This test has its binary to itself. Tracing caches each call site's interest process-wide;
//! a test in the same process that reaches a call site while this one installs its subscriber
//! can leave that cache stale (the span then goes unrecorded). Alone, with a global subscriber
//! installed before the first request, the outcome does not depend on scheduling.

use std::sync::{Arc, Mutex};

use kajabi_client::{Client, RetryPolicy};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const JSON_API: &str = "application/vnd.api+json";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_records_each_request_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Only the client's own events: the mock server's (hyper's) would interleave with them in
    // an order that depends on scheduling.
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish()
        .with(
            tracing_subscriber::filter::Targets::new()
                .with_target("kajabi_client", tracing::Level::DEBUG),
        );
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = MockServer::start().await;
    Mock::given(path("/v1/customers/c-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers/c-1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"data":{"id":"c-1"}}"#, JSON_API))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("tracing-secret-xyz")
        .retry(RetryPolicy {
            initial_backoff: std::time::Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    client
        .get_customer("c-1", &Default::default())
        .await
        .unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("retrying"), "{output}");
    let closes: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("request{") && l.contains(": close"))
        .collect();
    assert_eq!(closes.len(), 1, "one request span, closed once: {output}");
    let close = closes[0];
    for field in [
        "request",
        "method=GET",
        "path=\"/v1/customers/{id}\"",
        "status=200",
        "attempts=2",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "{field} missing from {close}");
    }
    assert!(!output.contains("tracing-secret-xyz"), "{output}");
    assert!(
        !output.contains("c-1"),
        "the path template is logged, not the id: {output}"
    );
}
