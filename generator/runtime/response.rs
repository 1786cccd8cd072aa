use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{ApiError, DecodeError, Error, UnexpectedResponse};

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
