use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::sse::{RawEvent, SseParser};

/// What can go wrong while a streamed response body is read.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or was reset.
    Transport(reqwest::Error),
    /// No data came for this long (the client's per-attempt timeout, which for streams is an
    /// idle timeout between chunks).
    IdleTimeout(Duration),
    /// The connection ended in the middle of an event or a line: what came of it is kept.
    Truncated {
        /// The part of the event received, as the server sent it (its lines, comments left
        /// out).
        partial: String,
    },
    /// An event or line did not decode into the documented type.
    Decode {
        /// What was wrong.
        message: String,
        /// The event's `data`, or the line, as received.
        data: String,
    },
    /// Writing the body to a file or writer failed.
    Io(std::io::Error),
    /// Opening a broken event stream again was answered with this status.
    Reconnect(StatusCode),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(e) => write!(f, "the stream failed: {e}"),
            StreamError::IdleTimeout(d) => write!(f, "the stream sent nothing for {} ms", d.as_millis()),
            StreamError::Truncated { partial } => {
                write!(f, "the connection ended in the middle of an event ({} bytes of it received)", partial.len())
            }
            StreamError::Decode { message, data } => {
                let preview: String = data.chars().take(200).collect();
                write!(f, "an item of the stream did not decode: {message} (in `{preview}`)")
            }
            StreamError::Io(e) => write!(f, "could not write the body: {e}"),
            StreamError::Reconnect(status) => write!(f, "reconnecting the event stream was answered {status}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(e) => Some(e),
            StreamError::Io(e) => Some(e),
            _ => None,
        }
    }
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A body already in memory, as a stream of one chunk.
struct Whole(Option<Bytes>);

impl Stream for Whole {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().filter(|b| !b.is_empty()).map(Ok))
    }
}

/// A response body read as it arrives, with an idle timeout between chunks.
struct Body {
    chunks: Chunks,
    idle: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Body {
    fn new(response: reqwest::Response, idle: Duration) -> Self {
        Self { chunks: Box::pin(response.bytes_stream()), idle, timer: None }
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, StreamError>>> {
        match self.chunks.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                self.timer = None;
                Poll::Ready(item.map(|r| r.map_err(StreamError::Transport)))
            }
            Poll::Pending => {
                let idle = self.idle;
                let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        self.timer = None;
                        Poll::Ready(Some(Err(StreamError::IdleTimeout(idle))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

/// A successful response whose body has not been read yet.
pub(crate) struct Streaming {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
}

impl Streaming {
    pub(crate) fn new(response: reqwest::Response, idle: Duration) -> Self {
        Self { status: response.status(), headers: response.headers().clone(), body: Body::new(response, idle) }
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as `read` makes it, with the status and the headers.
    pub(crate) fn value<T, H: super::response::FromHeaders>(
        self,
        read: impl FnOnce(Self) -> T,
    ) -> super::response::ResponseValue<T, H> {
        let (status, headers) = (self.status, self.headers.clone());
        let typed = H::from_headers(&headers);
        super::response::ResponseValue::new(status, headers, typed, read(self))
    }

    /// The body as bytes, as they come.
    pub(crate) fn bytes(self) -> ByteStream {
        ByteStream { status: self.status, headers: self.headers, body: self.body, failed: false }
    }

    /// The body as Server-Sent Events, each decoded by `decode`.
    pub(crate) fn events<T>(self, decode: fn(RawEvent) -> Result<T, String>) -> EventStream<T> {
        EventStream {
            status: self.status,
            headers: self.headers,
            body: self.body,
            parser: SseParser::default(),
            ready: VecDeque::new(),
            decode,
            done: false,
            resume: None,
            reconnecting: None,
        }
    }

    /// The body as JSON values one per line (NDJSON, JSON Lines, `application/json-seq`).
    pub(crate) fn lines<T: DeserializeOwned>(self) -> JsonLines<T> {
        JsonLines {
            status: self.status,
            headers: self.headers,
            body: self.body,
            buffer: Vec::new(),
            ready: VecDeque::new(),
            done: false,
            item: PhantomData,
        }
    }
}

/// A binary response body, streamed: it is never held in memory whole unless asked
/// ([`ByteStream::bytes`]). A `Stream` of chunks; ends after the last, or after an error.
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    failed: bool,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("status", &self.status).field("content_length", &self.content_length()).finish()
    }
}

impl ByteStream {
    /// A body read whole already (one of several success responses).
    pub(crate) fn whole(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let body = Body { chunks: Box::pin(Whole(Some(body))), idle: Duration::MAX, timer: None };
        Self { status, headers, body, failed: false }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The length the server announced (`Content-Length`), when it did.
    pub fn content_length(&self) -> Option<u64> {
        super::response::header_value(&self.headers, "content-length")
    }

    /// The media type of the body (`Content-Type`), when the server gave one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// The whole body in memory.
    pub async fn bytes(mut self) -> Result<Bytes, StreamError> {
        let mut all = bytes::BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all.freeze())
    }

    /// Writes the body to `writer` as it arrives; returns how many bytes were written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64, StreamError> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(StreamError::Io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(StreamError::Io)?;
        Ok(written)
    }

    /// Writes the body to a new file at `path` (replacing one there); returns its length.
    pub async fn save(self, path: impl AsRef<std::path::Path>) -> Result<u64, StreamError> {
        let mut file = tokio::fs::File::create(path).await.map_err(StreamError::Io)?;
        self.write_to(&mut file).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.failed {
            return Poll::Ready(None);
        }
        let item = std::task::ready!(self.body.poll_chunk(cx));
        if matches!(item, Some(Err(_))) {
            self.failed = true;
        }
        Poll::Ready(item)
    }
}

/// One Server-Sent Event whose `data` decoded into `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event type (`message` when the server names none).
    pub event: String,
    /// The last event ID the server set, when it set one.
    pub id: Option<String>,
    /// The reconnection time the server asked for, when it did.
    pub retry: Option<Duration>,
    /// The event's data, decoded.
    pub data: T,
}

/// The events of a `text/event-stream` response, parsed as the WHATWG HTML standard says
/// (lines split across chunks, CR, LF or CRLF, multi-line `data`, comments, a leading BOM)
/// and decoded one by one. The stream ends when the server closes it after a whole event or
/// sends `data: [DONE]`; a connection that ends mid-event yields
/// [`StreamError::Truncated`]; after an error it ends.
///
/// For a request that is safe to repeat (a `GET`), a connection that fails or ends mid-event
/// is opened again (as often as the client's retry policy allows retries, after the `retry`
/// time the server asked for, else a second), sending `Last-Event-ID` when the server gave
/// event ids; the events go on from there.
pub struct EventStream<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    parser: SseParser,
    ready: VecDeque<RawEvent>,
    decode: fn(RawEvent) -> Result<T, String>,
    done: bool,
    resume: Option<Resume>,
    reconnecting: Option<Reconnect>,
}

type Reconnect = Pin<Box<dyn Future<Output = Result<super::client::Opened, super::error::SendError>> + Send>>;

/// What it takes to open an event stream again.
pub(crate) struct Resume {
    pub(crate) client: super::client::Client,
    pub(crate) request: super::client::Request,
    /// Reconnections left.
    pub(crate) left: u32,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("last_event_id", &self.last_event_id()).finish()
    }
}

impl<T> EventStream<T> {
    /// Reconnects as `resume` says after a broken connection.
    pub(crate) fn resuming(mut self, resume: Option<Resume>) -> Self {
        self.resume = resume;
        self
    }

    /// Starts opening the stream again, when that is allowed and left.
    fn reconnect(&mut self) -> bool {
        let Some(resume) = self.resume.as_mut().filter(|r| r.left > 0) else { return false };
        resume.left -= 1;
        let wait = self.parser.retry().unwrap_or(Duration::from_secs(1));
        let client = resume.client.clone();
        let request = resume.request.resumed(self.parser.last_event_id());
        self.parser.reset_event();
        tracing::debug!(last_event_id = self.parser.last_event_id(), wait_ms = wait.as_millis() as u64, "event stream broken: reconnecting");
        self.reconnecting = Some(Box::pin(async move {
            tokio::time::sleep(wait).await;
            client.open(request).await
        }));
        true
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The last event ID the server set: send it as `Last-Event-ID` to resume after a
    /// broken connection.
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_event_id()
    }

    /// The reconnection time the server last asked for.
    pub fn retry(&self) -> Option<Duration> {
        self.parser.retry()
    }
}

impl<T> Unpin for EventStream<T> {}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(reconnecting) = this.reconnecting.as_mut() {
                let opened = std::task::ready!(reconnecting.as_mut().poll(cx));
                this.reconnecting = None;
                match opened {
                    Ok(super::client::Opened::Streaming(streaming)) => {
                        this.status = streaming.status;
                        this.headers = streaming.headers;
                        this.body = streaming.body;
                    }
                    Ok(super::client::Opened::Buffered(response)) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(StreamError::Reconnect(response.status_code()))));
                    }
                    Err(super::error::SendError::Transport(e)) => {
                        if !this.reconnect() {
                            this.done = true;
                            return Poll::Ready(Some(Err(StreamError::Transport(e))));
                        }
                    }
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(StreamError::Decode { message: e.to_string(), data: String::new() })));
                    }
                }
                continue;
            }
            if let Some(event) = this.ready.pop_front() {
                if event.data == "[DONE]" {
                    this.done = true;
                    this.ready.clear();
                    return Poll::Ready(None);
                }
                let data = event.data.clone();
                return Poll::Ready(Some((this.decode)(event).map_err(|message| StreamError::Decode { message, data })));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match std::task::ready!(this.body.poll_chunk(cx)) {
                Some(Ok(chunk)) => this.parser.feed(&chunk, &mut this.ready),
                Some(Err(e)) => {
                    if matches!(e, StreamError::Transport(_)) && this.reconnect() {
                        continue;
                    }
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    if let Some(partial) = this.parser.finish() {
                        if this.reconnect() {
                            continue;
                        }
                        this.done = true;
                        return Poll::Ready(Some(Err(StreamError::Truncated { partial })));
                    }
                    this.done = true;
                }
            }
        }
    }
}

/// `data` as JSON of `T`, with the event's type, id and retry.
pub(crate) fn event_data<T: DeserializeOwned>(event: RawEvent) -> Result<Event<T>, String> {
    let data = serde_json::from_str(&event.data).map_err(|e| e.to_string())?;
    Ok(Event { event: event.event, id: event.id, retry: event.retry, data })
}

/// `data` as text, with the event's type, id and retry.
pub(crate) fn event_text(event: RawEvent) -> Result<Event<String>, String> {
    Ok(Event { event: event.event, id: event.id, retry: event.retry, data: event.data })
}

/// The whole event as `T`, a schema of the event itself (`event`, `data`, `id`, `retry`
/// properties): `data` is its JSON, or its text when it is not JSON.
pub(crate) fn event_object<T: DeserializeOwned>(event: RawEvent) -> Result<T, String> {
    let mut object = serde_json::Map::new();
    object.insert("event".to_owned(), serde_json::Value::String(event.event));
    let data = serde_json::from_str(&event.data).unwrap_or(serde_json::Value::String(event.data));
    object.insert("data".to_owned(), data);
    if let Some(id) = event.id {
        object.insert("id".to_owned(), serde_json::Value::String(id));
    }
    if let Some(retry) = event.retry {
        object.insert("retry".to_owned(), serde_json::Value::from(retry.as_millis() as u64));
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| e.to_string())
}

/// The items of a newline-delimited JSON response (`application/x-ndjson`, JSON Lines, or
/// `application/json-seq`, whose record separators are skipped), decoded one by one. Blank
/// lines are skipped; a last line without its newline is decoded too when it is whole (else
/// [`StreamError::Truncated`]); after an error the stream ends.
pub struct JsonLines<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    buffer: Vec<u8>,
    ready: VecDeque<Vec<u8>>,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines").field("status", &self.status).finish()
    }
}

impl<T> JsonLines<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn split(&mut self) {
        while let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            self.push(line);
        }
    }

    fn push(&mut self, line: Vec<u8>) {
        let text = line.strip_prefix(b"\x1e").unwrap_or(&line);
        if !text.iter().all(u8::is_ascii_whitespace) {
            self.ready.push_back(text.to_vec());
        }
    }
}

impl<T> Unpin for JsonLines<T> {}

impl<T: DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(line) = this.ready.pop_front() {
                let item = serde_json::from_slice(&line).map_err(|e| StreamError::Decode {
                    message: e.to_string(),
                    data: String::from_utf8_lossy(&line).into_owned(),
                });
                if item.is_err() {
                    this.done = true;
                    this.ready.clear();
                }
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match std::task::ready!(this.body.poll_chunk(cx)) {
                Some(Ok(chunk)) => {
                    this.buffer.extend_from_slice(&chunk);
                    this.split();
                }
                Some(Err(e)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    this.done = true;
                    let rest = std::mem::take(&mut this.buffer);
                    // A last line without its newline is an item if it is whole JSON; else
                    // the connection was cut in the middle of it.
                    let blank = rest.iter().all(u8::is_ascii_whitespace);
                    if !blank && serde_json::from_slice::<serde::de::IgnoredAny>(rest.strip_prefix(b"\x1e").unwrap_or(&rest)).is_err() {
                        let partial = String::from_utf8_lossy(&rest).into_owned();
                        return Poll::Ready(Some(Err(StreamError::Truncated { partial })));
                    }
                    this.push(rest);
                }
            }
        }
    }
}
