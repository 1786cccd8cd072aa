use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything that can go wrong when calling an operation.
///
/// `E` is the operation's own error type: one variant per error response the API documents
/// for that operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status that the operation documents, and the body
    /// decoded as documented.
    Api(Box<ApiError<E>>),
    /// The server answered with a status that the operation does not document.
    UnexpectedStatus(Box<UnexpectedResponse>),
    /// A response body did not decode into the documented type.
    Decode(Box<DecodeError>),
    /// The request was not sent or the response not received: connection, TLS, timeout, or a
    /// body cut off mid-way.
    Transport(reqwest::Error),
    /// The request could not be built from the arguments given, for example a path parameter
    /// that is empty or `..`, or a header value with a line break. Nothing was sent.
    InvalidRequest(InvalidRequest),
    /// No token could be had for the request. Nothing was sent.
    Auth(super::auth::AuthError),
    /// No response came within the timeout (for a streamed response: no headers; its
    /// body has an idle timeout instead, see `StreamError::IdleTimeout`).
    Timeout(std::time::Duration),
    /// Middleware given to the client failed the request.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::Auth(_) | Error::Timeout(_) | Error::Middleware(_) => None,
        }
    }

    /// The documented error, when the server sent one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.error),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the server answered {}: {:?}", e.status, e.error),
            Error::UnexpectedStatus(e) => write!(
                f,
                "the server answered with undocumented status {}: {}",
                e.status,
                e.body_preview()
            ),
            Error::Decode(e) => fmt::Display::fmt(&**e, f),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(e) => fmt::Display::fmt(e, f),
            Error::Auth(e) => write!(f, "no token: {e}"),
            Error::Timeout(d) => write!(f, "no response within {} ms", d.as_millis()),
            Error::Middleware(e) => write!(f, "middleware: {e}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::Middleware(e) => Some(&**e),
            _ => None,
        }
    }
}

/// A documented error response, decoded.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded error body.
    pub error: E,
}

/// A response whose status the operation does not document. The body is kept as received.
#[derive(Clone)]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
}

impl UnexpectedResponse {
    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    fn body_preview(&self) -> String {
        preview(&self.body)
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.status)
            .field("content_type", &self.headers.get(reqwest::header::CONTENT_TYPE))
            .field("body", &self.body_preview())
            .finish()
    }
}

/// A response body that did not decode into the documented type.
#[derive(Clone)]
pub struct DecodeError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// Where in the body decoding failed, as a JSON path such as `data[0].attributes.name`
    /// (`.` for the whole document).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The raw body.
    pub body: Bytes,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body", &preview(&self.body))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the body of a {} response at `{}`: {}",
            self.status, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// A request that could not be built from the arguments given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    message: String,
}

impl InvalidRequest {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What was wrong with the arguments.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {}", self.message)
    }
}

impl std::error::Error for InvalidRequest {}

/// Everything that stops a request before there is a response to look at.
#[derive(Debug)]
pub(crate) enum SendError {
    Transport(reqwest::Error),
    Middleware(Box<dyn std::error::Error + Send + Sync>),
    TimedOut(std::time::Duration),
    InvalidRequest(InvalidRequest),
    Auth(super::auth::AuthError),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Transport(e) => fmt::Display::fmt(e, f),
            SendError::TimedOut(d) => write!(f, "no response within {} ms", d.as_millis()),
            SendError::Middleware(e) => write!(f, "middleware: {e}"),
            SendError::InvalidRequest(e) => fmt::Display::fmt(e, f),
            SendError::Auth(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::TimedOut(d) => Error::Timeout(d),
            SendError::Middleware(e) => Error::Middleware(e),
            SendError::InvalidRequest(e) => Error::InvalidRequest(e),
            SendError::Auth(e) => Error::Auth(e),
        }
    }
}

impl From<reqwest_middleware::Error> for SendError {
    fn from(e: reqwest_middleware::Error) -> Self {
        match e {
            reqwest_middleware::Error::Reqwest(e) => SendError::Transport(e),
            reqwest_middleware::Error::Middleware(e) => SendError::Middleware(e.into()),
        }
    }
}

impl<E> From<InvalidRequest> for Error<E> {
    fn from(e: InvalidRequest) -> Self {
        Error::InvalidRequest(e)
    }
}

/// At most 512 bytes of a body, as text, for messages.
fn preview(body: &[u8]) -> String {
    const LIMIT: usize = 512;
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]).into_owned();
    if body.len() > LIMIT {
        format!("{text}... ({} bytes in all)", body.len())
    } else {
        text
    }
}
