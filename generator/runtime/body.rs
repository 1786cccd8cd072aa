use std::fmt;
use std::sync::Mutex;

use bytes::Bytes;

/// A binary request body: bytes in memory, or a stream (a file, say) read as it is sent.
///
/// Bytes convert into it (`Vec<u8>`, `Bytes`, `String`, `&'static str`); a request with a
/// body in memory can be retried, one with a streamed body cannot (it is read once).
pub struct Body {
    pub(crate) inner: BodyInner,
}

pub(crate) enum BodyInner {
    Bytes(Bytes),
    /// Taken when sent; its length, when known, is sent as `Content-Length`.
    Stream(Mutex<Option<reqwest::Body>>, Option<u64>),
}

impl Body {
    /// A body read from `stream` as it is sent, of `length` bytes when known (sent as
    /// `Content-Length`; without it the body is sent chunked).
    pub fn from_stream<S, E>(stream: S, length: Option<u64>) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Self { inner: BodyInner::Stream(Mutex::new(Some(reqwest::Body::wrap_stream(stream))), length) }
    }

    /// The contents of the file at `path`, read as they are sent, its length known.
    pub async fn from_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        Ok(Self { inner: BodyInner::Stream(Mutex::new(Some(reqwest::Body::from(file))), Some(length)) })
    }

    /// The length, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.inner {
            BodyInner::Bytes(bytes) => Some(bytes.len() as u64),
            BodyInner::Stream(_, length) => *length,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// A copy of a body in memory.
    pub(crate) fn try_clone(&self) -> Option<Body> {
        match &self.inner {
            BodyInner::Bytes(bytes) => Some(Body { inner: BodyInner::Bytes(bytes.clone()) }),
            BodyInner::Stream(..) => None,
        }
    }

    /// Whether the body can be sent more than once (it is in memory).
    pub(crate) fn is_repeatable(&self) -> bool {
        matches!(self.inner, BodyInner::Bytes(_))
    }

    /// The body for one attempt; `None` when it was a stream sent already.
    pub(crate) fn for_attempt(&self) -> Option<(reqwest::Body, Option<u64>)> {
        match &self.inner {
            BodyInner::Bytes(bytes) => Some((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64))),
            BodyInner::Stream(stream, length) => {
                stream.lock().unwrap_or_else(|e| e.into_inner()).take().map(|body| (body, *length))
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            BodyInner::Bytes(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            BodyInner::Stream(_, Some(length)) => write!(f, "Body(stream of {length} bytes)"),
            BodyInner::Stream(_, None) => write!(f, "Body(stream)"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self { inner: BodyInner::Bytes(bytes) }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}
