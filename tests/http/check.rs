//! Runs against the crate generated from `http.yaml` (see `tests/tests/http.rs`): what the
//! client makes of the responses a wiremock server on loopback sends.

use std::time::Duration;

use futures_util::StreamExt;
use http_client::headers::{CreateItemHeaders, RateLimitHeaders};
use http_client::types::{ChatRequest, Chunk, Repo, TaskEvents};
use http_client::SpeakResponseEvent;
use http_client::{
    ChatError, Client, CreateItemError, SaveRepoError, DownloadFileError, Error, Event, FromHeaders, GetFeedError, ListReposParams,
    SearchReposParams, StreamError,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    let mut expected = CreateItemHeaders::default();
    expected.location = Some("https://api.example.com/items/7".into());
    expected.e_tag = Some("\"v1\"".into());
    expected.rate_limit_remaining = Some(41);
    assert_eq!(*created.typed_headers(), expected);
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
    let CreateItemError::TooManyRequests(problem) = &api.error else { panic!("{limited:?}") };
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

/// How a raw server ends the body it sends.
#[derive(Clone, Copy)]
enum End {
    /// Closes the connection: the body ends there (it has no length).
    Close,
    /// Sends nothing more, and keeps the connection open.
    Stall,
}

/// A server on loopback that answers one request with a `200` of `content_type` whose body
/// (without a length, ended by closing) is written in `pieces`, each flushed on its own. It
/// gives back the request it read (head and body).
async fn raw_server(content_type: &'static str, pieces: Vec<Vec<u8>>, end: End) -> (String, tokio::task::JoinHandle<String>) {
    let (url, handle) = raw_server_for(content_type, vec![(pieces, end)]).await;
    (url, tokio::spawn(async move { handle.await.unwrap().remove(0) }))
}

/// Like `raw_server`, for one connection after the other, each answered by its own script.
async fn raw_server_for(
    content_type: &'static str,
    scripts: Vec<(Vec<Vec<u8>>, End)>,
) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let mut requests = Vec::new();
        for (pieces, end) in scripts {
            requests.push(answer(&listener, content_type, pieces, end).await);
        }
        requests
    });
    (url, handle)
}

async fn answer(listener: &tokio::net::TcpListener, content_type: &str, pieces: Vec<Vec<u8>>, end: End) -> String {
    {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // The head, then as much body as its length says.
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()))
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n");
        socket.write_all(head.as_bytes()).await.unwrap();
        for piece in pieces {
            socket.write_all(&piece).await.unwrap();
            socket.flush().await.unwrap();
            tokio::task::yield_now().await;
        }
        match end {
            End::Close => socket.shutdown().await.unwrap(),
            End::Stall => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
        }
        String::from_utf8_lossy(&request).into_owned()
    }
}

/// One piece per byte.
fn bytewise(text: &str) -> Vec<Vec<u8>> {
    text.bytes().map(|b| vec![b]).collect()
}

async fn server_sent_events() {
    // The data's schema: each event's `data` decoded, with its name and id; sent a byte at a
    // time, with a BOM, comments, CRLF and CR line ends, a data line split over two; `[DONE]`
    // ends the stream and nothing after it is read.
    let stream = "\u{feff}: hello\r\nretry: 1500\r\nid: 1\r\ndata: {\"delta\":\r\ndata: \"Hel\"}\r\n\r\n\
                  event: delta\rid: 2\rdata: {\"delta\":\"lo\"}\r\r: keep-alive\n\n\
                  data: [DONE]\n\ndata: {\"delta\":\"never\"}\n\n";
    let (url, request) = raw_server("text/event-stream", bytewise(stream), End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let body = ChatRequest::new("hi").with_stream(false);
    let mut events = client.chat_stream(&body).await.unwrap();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        seen.push(event.unwrap());
    }
    assert_eq!(
        seen,
        [
            Event { event: "message".into(), id: Some("1".into()), retry: Some(Duration::from_millis(1500)), data: Chunk::new("Hel") },
            Event { event: "delta".into(), id: Some("2".into()), retry: Some(Duration::from_millis(1500)), data: Chunk::new("lo") },
        ]
    );
    assert_eq!(events.last_event_id(), Some("2"));
    let request = request.await.unwrap();
    assert!(request.contains("accept: text/event-stream"), "{request}");
    assert!(request.ends_with(r#"{"prompt":"hi","stream":true}"#), "the stream method asks for a stream: {request}");

    // The plain method asks for none, whatever the body says, and reads JSON.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "text": "Hello" })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let body = ChatRequest::new("hi").with_stream(true);
    assert_eq!(client.chat(&body).await.unwrap().text, "Hello");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(String::from_utf8_lossy(&requests[0].body), r#"{"prompt":"hi","stream":false}"#);
    assert_eq!(requests[0].headers["accept"], "application/json");

    // An error status is the method's error, read whole.
    Mock::given(method("POST"))
        .and(path("/chat"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({ "detail": "no prompt" })))
        .with_priority(1)
        .mount(&server)
        .await;
    let err = client.chat_stream(&ChatRequest::new("")).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let ChatError::BadRequest(problem) = &api.error else { panic!("{err:?}") };
    assert_eq!(problem.detail.as_deref(), Some("no prompt"));

    // The whole event's schema: a union told apart by the event's name.
    let stream = "event: progress\nid: a\ndata: {\"percent\": 50}\n\nevent: finished\ndata: all done\n\n";
    let (url, _) = raw_server("text/event-stream", bytewise(stream), End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let events: Vec<_> = client.task_events_stream("t1").await.unwrap().collect().await;
    let events: Vec<TaskEvents> = events.into_iter().map(Result::unwrap).collect();
    match &events[..] {
        [TaskEvents::ProgressEvent(progress), TaskEvents::FinishedEvent(finished)] => {
            assert_eq!((progress.id.as_deref(), progress.data.percent), (Some("a"), 50));
            assert_eq!(finished.data, "all done");
        }
        other => panic!("{other:?}"),
    }

    // Whole events that are not JSON fall back to their text; a union of event objects.
    let (url, _) = raw_server("text/event-stream", vec![b"data: {\"delta\":\"x\"}\n\nevent: done\ndata: bye\n\n".to_vec()], End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let events: Vec<_> = client.speak_stream(&ChatRequest::new("hi")).await.unwrap().collect().await;
    match &events[..] {
        [Ok(SpeakResponseEvent::ChunkEvent(chunk)), Ok(SpeakResponseEvent::DoneEvent(done))] => {
            assert_eq!((chunk.data.delta.as_str(), done.data.as_str()), ("x", "bye"));
        }
        other => panic!("{other:?}"),
    }

    // No schema: the data as text. A connection that ends mid-event says so, with what came
    // (when it is not to be opened again: no retries).
    let (url, _) = raw_server("text/event-stream", bytewise("data: line one\ndata: line two\n\ndata: cut he"), End::Close).await;
    let client = Client::builder().base_url(&url).retry(http_client::RetryPolicy::disabled()).build().unwrap();
    let events: Vec<_> = client.tail_log_stream().await.unwrap().collect().await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap().data, "line one\nline two");
    match &events[1] {
        Err(StreamError::Truncated { partial }) => assert_eq!(partial, "data: cut he"),
        other => panic!("{other:?}"),
    }

    // A `GET` stream cut mid-event is opened again, after the `retry` the server asked for,
    // from the last event id; the event cut off is not seen.
    let first = "retry: 10\nid: 1\nevent: progress\ndata: {\"percent\": 10}\n\nid: 2\nevent: progress\ndata: {\"perc";
    let second = "event: finished\ndata: resumed\n\n";
    let (url, requests) = raw_server_for(
        "text/event-stream",
        vec![(vec![first.as_bytes().to_vec()], End::Close), (vec![second.as_bytes().to_vec()], End::Close)],
    )
    .await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let events: Vec<_> = client.task_events_stream("t2").await.unwrap().collect().await;
    match &events[..] {
        [Ok(TaskEvents::ProgressEvent(progress)), Ok(TaskEvents::FinishedEvent(finished))] => {
            assert_eq!((progress.data.percent, finished.data.as_str()), (10, "resumed"));
        }
        other => panic!("{other:?}"),
    }
    let requests = requests.await.unwrap();
    assert!(!requests[0].contains("last-event-id"), "{}", requests[0]);
    assert!(requests[1].contains("last-event-id: 1\r\n"), "{}", requests[1]);

    // A stream that goes quiet: the timeout is an idle timeout between chunks.
    let (url, _) = raw_server("text/event-stream", vec![b"data: first\n\n".to_vec()], End::Stall).await;
    let client = Client::builder().base_url(&url).timeout(Duration::from_millis(300)).build().unwrap();
    let mut events = client.tail_log_stream().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, "first");
    match events.next().await {
        Some(Err(StreamError::IdleTimeout(d))) => assert_eq!(d, Duration::from_millis(300)),
        other => panic!("{other:?}"),
    }
    assert!(events.next().await.is_none(), "the stream ends after an error");
    println!("server-sent events: ok");
}

async fn json_lines() {
    // Lines split anywhere, blank lines skipped, a last line without its newline.
    let lines = "{\"delta\":\"a\"}\n\n{\"delta\":\"b\"}\r\n{\"delta\":\"c\"}";
    let (url, request) = raw_server("application/x-ndjson", bytewise(lines), End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let items: Vec<_> = client.pull_stream(&ChatRequest::new("m")).await.unwrap().collect().await;
    let items: Vec<String> = items.into_iter().map(|i| i.unwrap().delta).collect();
    assert_eq!(items, ["a", "b", "c"]);
    let request = request.await.unwrap();
    assert!(request.contains("accept: application/x-ndjson") && request.ends_with(r#""stream":true}"#), "{request}");
    // A line that is not an item is an error, and the end of the stream.
    let (url, _) = raw_server("application/x-ndjson", vec![b"{\"delta\":\"a\"}\nnot json\n{\"delta\":\"b\"}\n".to_vec()], End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let items: Vec<_> = client.pull_stream(&ChatRequest::new("m")).await.unwrap().collect().await;
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[1], Err(StreamError::Decode { data, .. }) if data.trim() == "not json"), "{items:?}");
    // JSON text sequences (RFC 7464): each record after a record separator; a connection cut
    // in the middle of the last one says so.
    let (url, _) = raw_server("application/json-seq", vec![b"\x1e{\"delta\":\"x\"}\n\x1e{\"delta\":\"y\"}\n\x1e{\"del".to_vec()], End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let items: Vec<_> = client.pull_stream(&ChatRequest::new("m")).await.unwrap().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!((items[0].as_ref().unwrap().delta.as_str(), items[1].as_ref().unwrap().delta.as_str()), ("x", "y"));
    assert!(matches!(&items[2], Err(StreamError::Truncated { partial }) if partial == "\x1e{\"del"), "{items:?}");
    println!("json lines: ok");
}

async fn binary_bodies() {
    // A large download, written to a file as it comes; binary beats text.
    const MIB: usize = 1 << 20;
    let pieces: Vec<Vec<u8>> = (0..16u8).map(|i| vec![i; MIB]).collect();
    let (url, request) = raw_server("application/octet-stream", pieces, End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let download = client.download_file("f1").await.unwrap();
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    let dir = std::env::temp_dir().join(format!("http-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("download.bin");
    assert_eq!(download.save(&file).await.unwrap(), 16 * MIB as u64);
    let written = std::fs::read(&file).unwrap();
    assert!(written.chunks(MIB).enumerate().all(|(i, chunk)| chunk.iter().all(|&b| b == i as u8)));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(request.await.unwrap().contains("accept: application/octet-stream"));

    // In memory, with the status and headers; an error status is read whole.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/small"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"\x00\x01binary".to_vec()).insert_header("content-type", "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"detail":"gone"}"#).insert_header("content-type", "application/problem+json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let small = client.download_file_with_response("small").await.unwrap();
    assert_eq!(small.typed_headers().content_length, Some(8));
    assert_eq!(small.into_body().bytes().await.unwrap().as_ref(), b"\x00\x01binary");
    let err = client.download_file("missing").await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let DownloadFileError::NotFound(problem) = &api.error else { panic!("{err:?}") };
    assert_eq!(problem.detail.as_deref(), Some("gone"));
    // Of several representations, the caller chooses with an `accept` option, which replaces
    // the operation's.
    let (url, request) = raw_server("audio/wav", vec![b"RIFF".to_vec()], End::Close).await;
    let client = Client::builder().base_url(&url).build().unwrap();
    let wav = client.with_options(http_client::RequestOptions::new().header("accept", "audio/wav"));
    let audio = wav.speak(&ChatRequest::new("hi")).await.unwrap();
    assert_eq!(audio.content_type(), Some("audio/wav"));
    assert_eq!(audio.bytes().await.unwrap().as_ref(), b"RIFF");
    let request = request.await.unwrap();
    assert!(request.contains("accept: audio/wav\r\n") && !request.contains("audio/mpeg"), "{request}");

    // Uploads from a file (its length sent) or a stream (chunked), not retried: a streamed
    // body is read once.
    let server = MockServer::start().await;
    Mock::given(method("PUT")).and(path("/files/up")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("PUT")).and(path("/files/busy")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let source = std::env::temp_dir().join(format!("http-check-upload-{}", std::process::id()));
    std::fs::write(&source, vec![7u8; 3 * MIB]).unwrap();
    let body = http_client::Body::from_file(&source).await.unwrap();
    assert_eq!(body.len(), Some(3 * MIB as u64));
    client.upload_file("up", body).await.unwrap();
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![Ok(bytes::Bytes::from_static(b"part one, ")), Ok(bytes::Bytes::from_static(b"part two"))];
    client.upload_file("up", http_client::Body::from_stream(futures_util::stream::iter(chunks), None)).await.unwrap();
    client.upload_file("up", b"in memory".to_vec()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["content-length"], (3 * MIB).to_string().as_str());
    assert!(requests[0].body.len() == 3 * MIB && requests[0].body.iter().all(|&b| b == 7));
    assert_eq!(requests[0].headers["content-type"], "application/octet-stream");
    assert_eq!(requests[1].body, b"part one, part two");
    assert_eq!(requests[2].body, b"in memory");
    let body = http_client::Body::from_file(&source).await.unwrap();
    assert!(client.upload_file("busy", body).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 4, "a streamed body is not sent twice");
    client.upload_file("busy", b"again".to_vec()).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 8, "a body in memory is retried (3 times)");
    std::fs::remove_file(&source).unwrap();
    println!("binary bodies: ok");
}

async fn markup_as_text() {
    // XML (`application/xml`, `+xml`) is text: the body comes back as a `String`, an error's too.
    let server = MockServer::start().await;
    let feed = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>é</title></feed>";
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(ResponseTemplate::new(200).set_body_string(feed).insert_header("content-type", "application/atom+xml; charset=utf-8"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(ResponseTemplate::new(422).set_body_string("<error><message>no</message></error>").insert_header("content-type", "application/xml"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let text: String = client.get_feed().await.unwrap();
    assert_eq!(text, feed);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["accept"], "application/atom+xml, application/xml");
    let err = client.get_feed().await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let GetFeedError::UnprocessableEntity(body) = &api.error else { panic!("{err:?}") };
    assert_eq!(body, "<error><message>no</message></error>");
    println!("markup as text: ok");
}

async fn media_ranges() {
    // `*/*` (springdoc's media type for everything) and vendor types without `+json`: a
    // structured schema is JSON both ways; bytes under a range go as `application/octet-stream`
    // unless the call's options name their type.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/spring/repos"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":7}"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/spring/repos"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"detail":"no owner"}"#))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/spring/archive"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":8}"#).insert_header("content-type", "application/vnd.example.repo.v1"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let saved: Repo = client.save_repo(&Repo::new(7)).await.unwrap();
    assert_eq!(saved, Repo::new(7));
    let err = client.save_repo(&Repo::new(7)).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let SaveRepoError::NotFound(problem) = &api.error else { panic!("{err:?}") };
    assert_eq!(problem.detail.as_deref(), Some("no owner"));
    let archived: Repo = client.put_archive(b"PK\x03\x04".to_vec()).await.unwrap();
    assert_eq!(archived, Repo::new(8));
    let zip = http_client::RequestOptions::new().header("content-type", "application/zip");
    client.with_options(zip).put_archive(b"PK".to_vec()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(requests[0].headers["accept"], "*/*");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&requests[0].body).unwrap(), serde_json::json!({"id": 7}));
    assert_eq!(requests[2].headers["content-type"], "application/octet-stream");
    assert_eq!(requests[2].body, b"PK\x03\x04");
    assert_eq!(requests[3].headers["content-type"], "application/zip");
    println!("media ranges: ok");
}

async fn bodiless_responses() {
    // 204 and HEAD responses have no body, whatever the document declares: read as `()`.
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).and(path("/repos/3")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("HEAD")).and(path("/repos/3")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let () = client.delete_repo(3).await.unwrap();
    let () = client.repo_exists(3).await.unwrap();
    println!("bodiless responses: ok");
}

async fn idempotent_retries() {
    // A POST that takes an idempotency key: one key for the call, the same on each attempt,
    // and retried after a 503 like a GET.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/payments")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let policy = http_client::RetryPolicy { initial_backoff: Duration::from_millis(1), ..Default::default() };
    let client = Client::builder().base_url(server.uri()).retry(policy).build().unwrap();
    client.create_payment(&Default::default(), &Repo::new(1)).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<String> = requests.iter().map(|r| r.headers["idempotency-key"].to_str().unwrap().to_owned()).collect();
    assert_eq!(keys.len(), 3, "two retries");
    assert!(keys.iter().all(|k| *k == keys[0]) && keys[0].len() == 36, "{keys:?}");
    // The next call has a key of its own; one the caller gives (in the parameters or the
    // options) is sent as it is.
    client.create_payment(&Default::default(), &Repo::new(2)).await.unwrap();
    let with_params = http_client::CreatePaymentParams::default().idempotency_key("mine-1");
    client.create_payment(&with_params, &Repo::new(3)).await.unwrap();
    let options = http_client::RequestOptions::new().idempotency_key("mine-2");
    client.with_options(options).create_payment(&Default::default(), &Repo::new(4)).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<&str> = requests[3..].iter().map(|r| r.headers["idempotency-key"].to_str().unwrap()).collect();
    assert_ne!(keys[0], keys_first(&requests));
    assert_eq!(&keys[1..], ["mine-1", "mine-2"]);

    // A POST without a key is not retried.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry(http_client::RetryPolicy { initial_backoff: Duration::from_millis(1), ..Default::default() }).build().unwrap();
    assert!(client.create_item(&Repo::new(1)).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    println!("idempotent retries: ok");
}

fn keys_first(requests: &[wiremock::Request]) -> &str {
    requests[0].headers["idempotency-key"].to_str().unwrap()
}

async fn per_call_options() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/limits")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let options = http_client::RequestOptions::new()
        .header("x-trace-id", "t-1")
        .secret_header("x-api-sig", "s3cret")
        .query("debug", "a b")
        .timeout(Duration::from_secs(5));
    let traced = client.with_options(options);
    traced.get_limits().await.unwrap();
    // The options stay with that client only; `with_retry` keeps the others.
    client.get_limits().await.unwrap();
    traced.with_retry(http_client::RetryPolicy::disabled()).get_limits().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let seen: Vec<(Option<&str>, Option<&str>)> =
        requests.iter().map(|r| (r.headers.get("x-trace-id").map(|v| v.to_str().unwrap()), r.url.query())).collect();
    assert_eq!(seen, [(Some("t-1"), Some("debug=a%20b")), (None, None), (Some("t-1"), Some("debug=a%20b"))]);
    assert_eq!(requests[0].headers["x-api-sig"], "s3cret");
    assert!(!format!("{traced:?}").contains("s3cret"), "a secret header stays out of Debug");
    // A header that cannot be sent fails the call before anything is sent.
    let bad = client.with_options(http_client::RequestOptions::new().header("bad header", "x"));
    assert!(matches!(bad.get_limits().await, Err(Error::InvalidRequest(_))));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    println!("per-call options: ok");
}

/// Signs every request: a header from the operation, the method and the path, and counts
/// the attempts it sees.
struct Signer {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl http_client::reqwest_middleware::Middleware for Signer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: http_client::reqwest_middleware::Next<'_>,
    ) -> http_client::reqwest_middleware::Result<reqwest::Response> {
        let operation = *extensions.get::<http_client::OperationInfo>().expect("every request names its operation");
        let signature = format!("{} {} {}", operation.name, request.method(), request.url().path());
        request.headers_mut().insert("x-signature", signature.parse().unwrap());
        let response = next.run(request, extensions).await;
        let status = response.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
        self.seen.lock().unwrap().push(format!("{} {} {status}", operation.name, operation.path));
        response
    }
}

/// Refuses every request.
struct Refuse;

#[async_trait::async_trait]
impl http_client::reqwest_middleware::Middleware for Refuse {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut http::Extensions,
        _: http_client::reqwest_middleware::Next<'_>,
    ) -> http_client::reqwest_middleware::Result<reqwest::Response> {
        Err(http_client::reqwest_middleware::Error::middleware(std::io::Error::other("not today")))
    }
}

async fn middleware() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/limits")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .retry(http_client::RetryPolicy { initial_backoff: Duration::from_millis(1), ..Default::default() })
        .middleware(Signer { seen: seen.clone() })
        .build()
        .unwrap();
    client.get_limits().await.unwrap();
    client.get_quota().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let signatures: Vec<&str> = requests.iter().map(|r| r.headers["x-signature"].to_str().unwrap()).collect();
    assert_eq!(signatures, ["get_limits GET /limits", "get_limits GET /limits", "get_quota GET /quota"]);
    assert_eq!(*seen.lock().unwrap(), ["get_limits /limits 503", "get_limits /limits 204", "get_quota /quota 204"]);
    let refusing = Client::builder().base_url(server.uri()).middleware(Refuse).build().unwrap();
    match refusing.get_quota().await {
        Err(Error::Middleware(e)) => assert_eq!(e.to_string(), "not today"),
        other => panic!("{other:?}"),
    }
    println!("middleware: ok");
}

async fn rate_limits() {
    // Nothing left until a reset 2 s away: the next call, from a clone, waits for it before
    // sending. (Only a lower bound is asserted: a wait never ends early.)
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204).insert_header("X-RateLimit-Remaining", "0").insert_header("X-RateLimit-Reset", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).rate_limit(http_client::RateLimitPolicy::default()).build().unwrap();
    client.get_quota().await.unwrap();
    let started = std::time::Instant::now();
    client.clone().get_limits().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    // Without the policy, no waiting: the server's 429 is the retry policy's business.
    let plain = Client::builder().base_url(server.uri()).build().unwrap();
    plain.get_quota().await.unwrap();
    println!("rate limits: ok");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    idempotent_retries().await;
    per_call_options().await;
    middleware().await;
    rate_limits().await;
    response_headers().await;
    link_header_pages().await;
    server_sent_events().await;
    json_lines().await;
    binary_bodies().await;
    markup_as_text().await;
    media_ranges().await;
    bodiless_responses().await;
    println!("http: all checks passed");
}
