use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;

use super::encoding::{ParamValue, Query};
use super::error::{InvalidRequest, SendError};
use super::response::Response;

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    bearer_token: Option<String>,
    api_key: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "bearer_token",
                &self.inner.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("api_key", &self.inner.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// A builder with the defaults: the API's first server URL ([`crate::DEFAULT_BASE_URL`]),
    /// no token, a 30 second connect timeout and no overall timeout.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) async fn send(&self, mut request: Request) -> Result<Response, SendError> {
        if let (Some((location, name)), Some(key)) = (request.api_key, &self.inner.api_key) {
            match location {
                ApiKeyLocation::Query => request.query.push(name, Some(key)),
                ApiKeyLocation::Header => {
                    let mut value = HeaderValue::try_from(key.as_str()).map_err(|_| {
                        SendError::InvalidRequest(InvalidRequest::new("the API key is not a valid header value"))
                    })?;
                    value.set_sensitive(true);
                    request.headers.insert(HeaderName::from_static(name), value);
                }
                ApiKeyLocation::Cookie => {
                    let mut value = HeaderValue::try_from(format!("{name}={key}")).map_err(|_| {
                        SendError::InvalidRequest(InvalidRequest::new("the API key is not a valid cookie value"))
                    })?;
                    value.set_sensitive(true);
                    request.headers.append(reqwest::header::COOKIE, value);
                }
            }
        }
        let mut url = String::with_capacity(
            self.inner.base_url.len() + request.path.len() + request.query.as_str().len() + 1,
        );
        url.push_str(&self.inner.base_url);
        url.push_str(&request.path);
        if !request.query.as_str().is_empty() {
            url.push('?');
            url.push_str(request.query.as_str());
        }
        let mut builder = self.inner.http.request(request.method, url);
        let mut headers = request.headers;
        if request.bearer_auth {
            if let Some(token) = &self.inner.bearer_token {
                let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
                    SendError::InvalidRequest(InvalidRequest::new(
                        "the bearer token is not a valid header value",
                    ))
                })?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
        }
        builder = builder.headers(headers);
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(SendError::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(SendError::Transport)?;
        Ok(Response::new(status, headers, body))
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    bearer_token: Option<String>,
    api_key: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "<redacted>"),
            )
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientBuilder {
    /// Send requests to this URL instead of [`crate::DEFAULT_BASE_URL`]. A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Send `Authorization: Bearer <token>` with every operation that requires authentication.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Send this API key with every operation whose security asks for one, where the API
    /// document says (a header, a query parameter or a cookie).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Give up on a request, including reading its body, after this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Give up connecting after this long (default 30 seconds).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Use this `reqwest` client as it is; the timeout and user agent settings are then ignored.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Build the client. Fails only when the HTTP stack cannot be set up (TLS initialisation).
    pub fn build(self) -> Result<Client, reqwest::Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(30)))
                    .user_agent(self.user_agent.unwrap_or_else(|| {
                        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                    }));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build()?
            }
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                bearer_token: self.bearer_token,
                api_key: self.api_key,
            }),
        })
    }
}

/// One request, as an operation builds it.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    path: String,
    query: Query,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    bearer_auth: bool,
    api_key: Option<(ApiKeyLocation, &'static str)>,
}

#[derive(Debug, Clone, Copy)]
enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

impl Request {
    pub(crate) fn new(method: Method, path: String, query: Query) -> Self {
        Self {
            method,
            path,
            query,
            headers: HeaderMap::new(),
            body: None,
            bearer_auth: false,
            api_key: None,
        }
    }

    /// The media types the operation documents for its responses.
    pub(crate) fn accept(mut self, media_types: &'static str) -> Self {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static(media_types));
        self
    }

    /// Send the client's bearer token, if it has one.
    pub(crate) fn bearer_auth(mut self) -> Self {
        self.bearer_auth = true;
        self
    }

    /// Send the client's API key, if it has one, as this header (a lowercase header name).
    pub(crate) fn api_key_in_header(mut self, name: &'static str) -> Self {
        self.api_key = Some((ApiKeyLocation::Header, name));
        self
    }

    /// Send the client's API key, if it has one, as this query parameter.
    pub(crate) fn api_key_in_query(mut self, name: &'static str) -> Self {
        self.api_key = Some((ApiKeyLocation::Query, name));
        self
    }

    /// Send the client's API key, if it has one, as this cookie.
    pub(crate) fn api_key_in_cookie(mut self, name: &'static str) -> Self {
        self.api_key = Some((ApiKeyLocation::Cookie, name));
        self
    }

    /// A header parameter; absent values are not sent.
    pub(crate) fn header<V: ParamValue>(
        mut self,
        name: &'static str,
        value: Option<&V>,
    ) -> Result<Self, InvalidRequest> {
        if let Some(value) = value {
            let value = HeaderValue::try_from(value.to_param().as_ref()).map_err(|_| {
                InvalidRequest::new(format!("header `{name}` has a value that is not allowed in a header"))
            })?;
            self.headers
                .append(HeaderName::from_static(name), value);
        }
        Ok(self)
    }

    /// A JSON body (also for `+json` media types such as `application/vnd.api+json`).
    pub(crate) fn json<T: Serialize + ?Sized>(
        mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<Self, InvalidRequest> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| InvalidRequest::new(format!("the request body is not valid JSON: {e}")))?;
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = Some(bytes);
        Ok(self)
    }

    /// An `application/x-www-form-urlencoded` body.
    pub(crate) fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, InvalidRequest> {
        let encoded = serde_urlencoded::to_string(body).map_err(|e| {
            InvalidRequest::new(format!("the request body cannot be form-encoded: {e}"))
        })?;
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = Some(encoded.into_bytes());
        Ok(self)
    }

    /// A body sent as it is.
    pub(crate) fn raw(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = Some(body);
        self
    }
}
