use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, Error, UnexpectedResponse};

/// A successful response: the decoded body with the status and headers it came with.
///
/// Every operation has a `<operation>_with_response` method that returns one; the plain
/// method returns the body alone. `H` is the operation's typed view of the headers the
/// document declares for its responses (`()` when it declares none); every header, declared
/// or not, is in [`ResponseValue::headers`]. The value dereferences to the body.
#[derive(Debug, Clone)]
pub struct ResponseValue<T, H = ()> {
    status: StatusCode,
    headers: HeaderMap,
    typed_headers: H,
    body: T,
}

impl<T, H> ResponseValue<T, H> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, typed_headers: H, body: T) -> Self {
        Self { status, headers, typed_headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the response.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers the document declares, parsed into their types (a header that is missing
    /// or does not parse is `None`; its raw value stays in [`ResponseValue::headers`]).
    pub fn typed_headers(&self) -> &H {
        &self.typed_headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, without the status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers, typed headers and body, taken apart.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, H, T) {
        (self.status, self.headers, self.typed_headers, self.body)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U, H> {
        ResponseValue { status: self.status, headers: self.headers, typed_headers: self.typed_headers, body: f(self.body) }
    }
}

impl<T, H> std::ops::Deref for ResponseValue<T, H> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// A typed view of response headers, read from a header map. Each operation whose
/// responses declare headers has one (in the crate's `headers` module); it reads error
/// responses' headers too: `RateLimitHeaders::from_headers(&error.headers)`.
pub trait FromHeaders: Sized {
    /// Reads the headers this type knows from `headers`.
    fn from_headers(headers: &HeaderMap) -> Self;
}

impl FromHeaders for () {
    fn from_headers(_: &HeaderMap) -> Self {}
}

/// A header's value parsed as `T` (its text trimmed); `None` when it is missing or does not
/// parse. A header sent several times is read from its first value.
pub(crate) fn header_value<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    let value = headers.get(name)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    text.trim().parse().ok()
}

/// The target of the link with relation `rel` in RFC 8288 `Link` headers
/// (`<https://api.example.com/items?page=2>; rel="next"`), from every `Link` header of the
/// response, the first that matches. Relation types compare without case, and a `rel` may
/// list several (`rel="next last"`).
pub(crate) fn link_with_rel(headers: &HeaderMap, rel: &str) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let text = String::from_utf8_lossy(value.as_bytes());
        let mut rest: &str = &text;
        // Each link: `<target>` then `;`-separated parameters, links separated by `,`.
        while let Some(start) = rest.find('<') {
            let Some(end) = rest[start..].find('>') else { break };
            let target = &rest[start + 1..start + end];
            let after = &rest[start + end + 1..];
            // The parameters run to the next `,` outside quotes.
            let mut quoted = false;
            let mut stop = after.len();
            for (i, c) in after.char_indices() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => {
                        stop = i;
                        break;
                    }
                    _ => {}
                }
            }
            let params = &after[..stop];
            rest = &after[stop..];
            let matches = params.split(';').any(|param| {
                let Some((key, value)) = param.split_once('=') else { return false };
                key.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case(rel))
            });
            if matches {
                return Some(target.trim().to_owned());
            }
        }
    }
    None
}

/// A response read in full, waiting to be decoded by the operation that asked for it.
#[derive(Debug)]
pub(crate) struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    pub(crate) fn status_code(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Decodes the response with `decode` (the operation's match on the status) and keeps
    /// its status and headers with the body.
    pub(crate) fn finish<T, H: FromHeaders, E>(
        self,
        decode: impl FnOnce(Self) -> Result<T, Error<E>>,
    ) -> Result<ResponseValue<T, H>, Error<E>> {
        let status = self.status;
        let headers = self.headers.clone();
        let body = decode(self)?;
        let typed = H::from_headers(&headers);
        Ok(ResponseValue::new(status, headers, typed, body))
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        // The fast path; only a body that fails is decoded again to find where.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| DecodeError {
            status: self.status,
            path: e.path().to_string(),
            message: e.inner().to_string(),
            body: self.body.clone(),
        })?;
        de.end().map_err(|e| DecodeError {
            status: self.status,
            path: ".".to_owned(),
            message: e.to_string(),
            body: self.body.clone(),
        })?;
        Ok(value)
    }

    /// The body decoded as JSON.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        self.decode().map_err(|e| Error::Decode(Box::new(e)))
    }

    /// A success without a documented body; whatever body came is ignored.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// The body as text.
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.to_vec()).map_err(|e| {
            Error::Decode(Box::new(DecodeError {
                status: self.status,
                path: ".".to_owned(),
                message: format!("the body is not UTF-8: {e}"),
                body: self.body.clone(),
            }))
        })
    }

    /// The body as bytes.
    pub(crate) fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// The body, read whole already, as a byte stream.
    pub(crate) fn byte_stream<E>(self) -> Result<super::stream::ByteStream, Error<E>> {
        Ok(super::stream::ByteStream::whole(self.status, self.headers, self.body))
    }

    /// A documented error whose body decodes as JSON into `T`.
    pub(crate) fn error<T: DeserializeOwned, E>(self, variant: fn(T) -> E) -> Error<E> {
        match self.decode::<T>() {
            Ok(body) => Error::Api(Box::new(ApiError {
                status: self.status,
                headers: self.headers,
                error: variant(body),
            })),
            Err(e) => Error::Decode(Box::new(e)),
        }
    }

    /// A documented error whose body is text.
    pub(crate) fn error_text<E>(self, variant: fn(String) -> E) -> Error<E> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            error: variant(text),
        }))
    }

    /// A documented error whose body is kept as bytes.
    pub(crate) fn error_bytes<E>(self, variant: fn(Bytes) -> E) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            error: variant(self.body),
        }))
    }

    /// A documented error without a documented body.
    pub(crate) fn error_without_body<E>(self, error: E) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            error,
        }))
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(UnexpectedResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
        }))
    }
}
