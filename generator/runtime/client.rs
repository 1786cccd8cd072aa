use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
use tracing::Instrument;

use super::auth::{OAuth2Provider, Secret, StaticToken, TokenProvider};
use super::encoding::{cookie_value, ParamValue, Query};
use super::error::{InvalidRequest, SendError};
use super::response::Response;
use super::stream::Streaming;

/// A response as [`Client::open`] gives it: a success with its body still to read, or any
/// other response read whole.
pub(crate) enum Opened {
    Streaming(Streaming),
    Buffered(Response),
}

impl Opened {
    fn status_code(&self) -> reqwest::StatusCode {
        match self {
            Opened::Streaming(s) => s.status(),
            Opened::Buffered(r) => r.status_code(),
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Opened::Streaming(s) => s.headers(),
            Opened::Buffered(r) => r.headers(),
        }
    }
}
use super::body::Body;
use super::options::{new_idempotency_key, OperationInfo, RequestOptions};
use super::ratelimit::{Budget, RateLimitPolicy};
use super::retry::{is_idempotent, is_retryable_error, is_retryable_status, retry_after, RetryPolicy};

/// The API client. Cheap to clone: clones share one connection pool, one token provider and
/// one rate-limit budget.
///
/// [`Client::with_options`] (and its shorthands [`Client::with_retry`],
/// [`Client::with_timeout`]) gives a client whose calls use other settings.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    /// With the middleware given to the builder.
    http: reqwest_middleware::ClientWithMiddleware,
    base_url: String,
    tokens: Option<Arc<dyn TokenProvider>>,
    oauth2: Option<Arc<OAuth2Provider>>,
    credentials: Credentials,
    servers: Servers,
    retry: RetryPolicy,
    timeout: Duration,
    rate_limit: Option<(RateLimitPolicy, Budget)>,
}

/// The servers operations of their own go to: URLs given for them, and the values of the
/// server variables.
#[derive(Debug, Default, Clone)]
struct Servers {
    /// By the URL the document writes.
    urls: HashMap<String, String>,
    variables: HashMap<String, String>,
}

impl Servers {
    /// A server URL with its `{variables}` replaced: the values given, else the defaults.
    fn expand(&self, template: &str) -> String {
        let mut url = template.to_owned();
        for (name, default) in crate::SERVER_VARIABLES {
            let value = self.variables.get(*name).map(String::as_str).unwrap_or(default);
            url = url.replace(&format!("{{{name}}}"), value);
        }
        url
    }
}

/// The scheme, host and port of a URL (`https://api.example.com:8443`).
fn origin(url: &str) -> &str {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find('/').map_or(url.len(), |j| i + 3 + j);
            &url[..end]
        }
        None => "",
    }
}

/// The credentials other than tokens: API keys and a username and password.
#[derive(Default, Clone)]
struct Credentials {
    /// The key for every API key scheme without one of its own.
    api_key: Option<Secret>,
    /// Keys by the name of their security scheme.
    api_keys: HashMap<String, Secret>,
    basic: Option<(String, Secret)>,
}

impl Credentials {
    fn key(&self, scheme: &str) -> Option<&Secret> {
        self.api_keys.get(scheme).or(self.api_key.as_ref())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.api_keys.keys().collect();
        keys.sort();
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("api_keys_for", &keys)
            .field("basic_username", &self.basic.as_ref().map(|(user, _)| user))
            .finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token_provider", &self.inner.tokens.as_ref().map(|_| "<set>"))
            .field("credentials", &self.inner.credentials)
            .field("retry", self.retry_policy())
            .field("timeout", &self.timeout())
            .field("options", &self.options)
            .field("rate_limit", &self.inner.rate_limit.as_ref().map(|(policy, _)| policy))
            .finish()
    }
}

impl Client {
    /// A builder with the defaults: the API's first server URL ([`crate::DEFAULT_BASE_URL`]),
    /// no credentials, a 10 second connect timeout, a 60 second timeout for each attempt,
    /// and the default [`RetryPolicy`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// This client with these options for the calls made through it (in place of options
    /// given before); everything else is shared with this one.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client { inner: self.inner.clone(), options: Some(Arc::new(options)) }
    }

    /// The options the calls made through this client use.
    pub fn options(&self) -> RequestOptions {
        self.options.as_deref().cloned().unwrap_or_default()
    }

    /// This client with another retry policy, for the calls made through it (the other
    /// options kept).
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        self.with_options(self.options().retry(policy))
    }

    /// This client with another timeout for each attempt, for the calls made through it (the
    /// other options kept).
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        self.with_options(self.options().timeout(timeout))
    }

    fn timeout(&self) -> Duration {
        self.options.as_ref().and_then(|o| o.timeout).unwrap_or(self.inner.timeout)
    }

    /// Revokes the OAuth 2.0 session, when the client has one; later calls start a new one.
    pub async fn end_session(&self) -> Result<(), super::auth::AuthError> {
        match &self.inner.oauth2 {
            Some(provider) => provider.revoke().await,
            None => Ok(()),
        }
    }

    fn retry_policy(&self) -> &RetryPolicy {
        self.options.as_ref().and_then(|o| o.retry.as_ref()).unwrap_or(&self.inner.retry)
    }

    /// Sends a request: with credentials, retries and timeouts, inside a tracing span. The
    /// response is read whole.
    pub(crate) async fn send(&self, request: Request) -> Result<Response, SendError> {
        match self.open_with(request, false).await? {
            Opened::Buffered(response) => Ok(response),
            // `open_with` streams only when asked to.
            Opened::Streaming(_) => Err(SendError::InvalidRequest(InvalidRequest::new(
                "internal error: a response was left unread",
            ))),
        }
    }

    /// Sends a request like [`Client::send`], but leaves the body of a successful response
    /// unread, to be read as it arrives (the per-attempt timeout then covers the wait for the
    /// headers, and is an idle timeout between chunks of the body).
    pub(crate) async fn open(&self, request: Request) -> Result<Opened, SendError> {
        self.open_with(request, true).await
    }

    async fn open_with(&self, request: Request, streaming: bool) -> Result<Opened, SendError> {
        let span = tracing::info_span!(
            "request",
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.send_with_retries(request, streaming).instrument(span).await
    }

    async fn send_with_retries(&self, mut request: Request, streaming: bool) -> Result<Opened, SendError> {
        let started = Instant::now();
        let policy = self.retry_policy();
        let timeout = self.timeout();
        // One idempotency key for the whole call, every attempt: the caller's, else the
        // options', else a new one. With it, the request is safe to repeat.
        let mut repeatable = is_idempotent(&request.method);
        // A streamed body is read once: no second attempt.
        let streamed_body = request.body.as_ref().is_some_and(|b| !b.is_repeatable());
        if let Some(name) = request.idempotency_header {
            if !request.headers.contains_key(name) {
                let key = self.options.as_ref().and_then(|o| o.idempotency_key.clone()).unwrap_or_else(new_idempotency_key);
                let value = HeaderValue::try_from(key).map_err(|_| {
                    SendError::InvalidRequest(InvalidRequest::new("the idempotency key is not a valid header value"))
                })?;
                request.headers.insert(HeaderName::from_static(name), value);
            }
            repeatable = true;
        }
        let repeatable = repeatable && !streamed_body;
        let mut attempt: u32 = 0;
        let mut renewed_token = false;
        let span = tracing::Span::current();
        // The first way to authenticate that the client has every credential for.
        let chosen: &[Scheme] = request
            .security
            .iter()
            .find(|schemes| schemes.iter().all(|s| self.has(s)))
            .copied()
            .unwrap_or(&[]);
        let wants_token = chosen.iter().any(|s| matches!(s, Scheme::Bearer | Scheme::Http(_)));
        loop {
            attempt += 1;
            let token = match (&self.inner.tokens, wants_token) {
                (Some(provider), true) => Some(provider.token().await.map_err(SendError::Auth)?),
                _ => None,
            };
            if let Some((policy, budget)) = &self.inner.rate_limit {
                budget.acquire(policy).await;
            }
            let result = self.send_once(&request, chosen, token.as_ref(), timeout, streaming).await;
            if let (Some((_, budget)), Ok(response)) = (&self.inner.rate_limit, &result) {
                budget.observe(response.headers());
            }
            let retry_wait = match &result {
                Ok(response) => {
                    let status = response.status_code();
                    if status.as_u16() == 401 && !renewed_token && !streamed_body {
                        if let (Some(token), Some(provider)) = (&token, &self.inner.tokens) {
                            if provider.invalidate(token) {
                                renewed_token = true;
                                tracing::debug!(attempt, "401: renewing the token and trying once more");
                                continue;
                            }
                        }
                    }
                    if is_retryable_status(status) && policy.allows(repeatable, attempt) {
                        match retry_after(response.headers()) {
                            Some(wait) if wait > policy.max_retry_after => None,
                            Some(wait) => Some(wait),
                            None => Some(policy.backoff(attempt)),
                        }
                    } else {
                        None
                    }
                }
                Err(SendError::Transport(e)) if is_retryable_error(e) && policy.allows(repeatable, attempt) => {
                    Some(policy.backoff(attempt))
                }
                Err(SendError::TimedOut(_)) if policy.allows(repeatable, attempt) => Some(policy.backoff(attempt)),
                Err(_) => None,
            };
            match retry_wait {
                Some(wait) => {
                    tracing::debug!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        reason = %match &result {
                            Ok(r) => r.status_code().to_string(),
                            Err(e) => e.to_string(),
                        },
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                None => {
                    span.record("attempts", attempt);
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    if let Ok(response) = &result {
                        span.record("status", response.status_code().as_u16());
                    }
                    return result;
                }
            }
        }
    }

    /// The URL the request's path is appended to: the base URL, or the server the
    /// operation declares (the URL given for it, else the document's with its variables; a
    /// relative one under the base URL's origin).
    fn base_for(&self, request: &Request) -> Result<std::borrow::Cow<'_, str>, SendError> {
        use std::borrow::Cow;
        let base = match request.server {
            None => Cow::Borrowed(self.inner.base_url.as_str()),
            Some(template) => {
                let servers = &self.inner.servers;
                let url = match servers.urls.get(template) {
                    Some(url) => url.clone(),
                    None => servers.expand(template),
                };
                let url = match url.strip_prefix('/') {
                    Some(_) => format!("{}{url}", origin(&self.inner.base_url)),
                    None => url,
                };
                Cow::Owned(url.trim_end_matches('/').to_owned())
            }
        };
        if !base.contains("://") {
            return Err(SendError::InvalidRequest(InvalidRequest::new(format!(
                "the server URL `{base}` is not absolute: give one with `ClientBuilder::base_url`"
            ))));
        }
        Ok(base)
    }

    /// Whether the client has the credential a scheme needs.
    fn has(&self, scheme: &Scheme) -> bool {
        match scheme {
            Scheme::Bearer | Scheme::Http(_) => self.inner.tokens.is_some(),
            Scheme::Basic => self.inner.credentials.basic.is_some(),
            Scheme::ApiKey { scheme, .. } => self.inner.credentials.key(scheme).is_some(),
        }
    }

    async fn send_once(
        &self,
        request: &Request,
        schemes: &[Scheme],
        token: Option<&Secret>,
        timeout: Duration,
        streaming: bool,
    ) -> Result<Opened, SendError> {
        let mut query = request.query.clone();
        let mut headers = request.headers.clone();
        if let Some(options) = &self.options {
            for (name, value) in &options.query {
                query.push(name, Some(value));
            }
            // An option's header replaces the operation's of that name (`accept`, to ask for
            // another representation); several of one name are all sent.
            let mut replaced: Vec<HeaderName> = Vec::new();
            for (name, value, secret) in &options.headers {
                let invalid = || SendError::InvalidRequest(InvalidRequest::new(format!("`{name}` is not a valid header")));
                let name = HeaderName::try_from(name.as_str()).map_err(|_| invalid())?;
                let mut value = HeaderValue::try_from(value.as_str()).map_err(|_| invalid())?;
                value.set_sensitive(*secret);
                if replaced.contains(&name) {
                    headers.append(name, value);
                } else {
                    headers.insert(name.clone(), value);
                    replaced.push(name);
                }
            }
        }
        let mut cookie_keys = Vec::new();
        let mut basic = None;
        let credentials = &self.inner.credentials;
        for scheme in schemes {
            match *scheme {
                Scheme::ApiKey { scheme, place, name } => {
                    let Some(key) = credentials.key(scheme) else { continue };
                    match place {
                        KeyIn::Query => query.push(name, Some(&key.expose())),
                        KeyIn::Header => {
                            headers.insert(HeaderName::from_static(name), sensitive(key.expose())?);
                        }
                        KeyIn::Cookie => cookie_keys.push(format!("{name}={}", key.expose())),
                    }
                }
                Scheme::Bearer => {
                    if let Some(token) = token {
                        headers.insert(AUTHORIZATION, sensitive(&format!("Bearer {}", token.expose()))?);
                    }
                }
                Scheme::Http(name) => {
                    if let Some(token) = token {
                        headers.insert(AUTHORIZATION, sensitive(&format!("{name} {}", token.expose()))?);
                    }
                }
                // Encoded (and marked sensitive) by reqwest, below.
                Scheme::Basic => basic = credentials.basic.as_ref(),
            }
        }
        // RFC 6265: one `Cookie` header holds every cookie.
        if !request.cookies.is_empty() || !cookie_keys.is_empty() {
            let all: Vec<&str> = request.cookies.iter().map(String::as_str).chain(cookie_keys.iter().map(String::as_str)).collect();
            let value = all.join("; ");
            headers.insert(
                reqwest::header::COOKIE,
                if !cookie_keys.is_empty() {
                    sensitive(&value)?
                } else {
                    HeaderValue::try_from(value).map_err(|_| {
                        SendError::InvalidRequest(InvalidRequest::new("a cookie is not a valid header value"))
                    })?
                },
            );
        }
        let base = self.base_for(request)?;
        let mut url = String::with_capacity(base.len() + request.path.len() + query.as_str().len() + 1);
        url.push_str(&base);
        url.push_str(&request.path);
        if !query.as_str().is_empty() {
            url.push('?');
            url.push_str(query.as_str());
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .headers(headers)
            .with_extension(OperationInfo { name: request.operation, method: request.method_name(), path: request.template });
        if !streaming {
            builder = builder.timeout(timeout);
        }
        if let Some((user, password)) = basic {
            builder = builder.basic_auth(user, Some(password.expose()));
        }
        if let Some(body) = &request.body {
            let Some((body, length)) = body.for_attempt() else {
                return Err(SendError::InvalidRequest(InvalidRequest::new(
                    "a streamed body cannot be sent again (the request needed another attempt)",
                )));
            };
            if let Some(length) = length {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, length);
            }
            builder = builder.body(body);
        }
        let response = if streaming {
            match tokio::time::timeout(timeout, builder.send()).await {
                Ok(sent) => sent.map_err(SendError::from)?,
                Err(_) => return Err(SendError::TimedOut(timeout)),
            }
        } else {
            builder.send().await.map_err(SendError::from)?
        };
        let status = response.status();
        if streaming && status.is_success() {
            return Ok(Opened::Streaming(Streaming::new(response, timeout)));
        }
        let headers = response.headers().clone();
        let body = match tokio::time::timeout(timeout, response.bytes()).await {
            Ok(body) => body.map_err(SendError::Transport)?,
            Err(_) => return Err(SendError::TimedOut(timeout)),
        };
        Ok(Opened::Buffered(Response::new(status, headers, body)))
    }
}

fn sensitive(value: &str) -> Result<HeaderValue, SendError> {
    let mut value = HeaderValue::try_from(value).map_err(|_| {
        SendError::InvalidRequest(InvalidRequest::new(
            "a credential is not a valid header value",
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    tokens: Option<Arc<dyn TokenProvider>>,
    oauth2: Option<OAuth2Settings>,
    credentials: Credentials,
    servers: Servers,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    middleware: Vec<Arc<dyn reqwest_middleware::Middleware>>,
    rate_limit: Option<RateLimitPolicy>,
}

struct OAuth2Settings {
    token_path: &'static str,
    revoke_path: Option<&'static str>,
    client_id: String,
    client_secret: Secret,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_provider", &self.tokens.as_ref().map(|_| "<set>"))
            .field("oauth2_client_id", &self.oauth2.as_ref().map(|o| &o.client_id))
            .field("credentials", &self.credentials)
            .field("servers", &self.servers)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("middleware", &self.middleware.len())
            .field("rate_limit", &self.rate_limit)
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
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.tokens = Some(Arc::new(StaticToken(token.into())));
        self.oauth2 = None;
        self
    }

    /// Take bearer tokens from this provider, which may fetch and refresh them.
    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.tokens = Some(provider);
        self.oauth2 = None;
        self
    }

    /// OAuth 2.0 client credentials at the API's token endpoint.
    pub(crate) fn oauth2(
        mut self,
        token_path: &'static str,
        revoke_path: Option<&'static str>,
        client_id: String,
        client_secret: Secret,
    ) -> Self {
        self.oauth2 = Some(OAuth2Settings {
            token_path,
            revoke_path,
            client_id,
            client_secret,
        });
        self.tokens = None;
        self
    }

    /// Send this API key with every operation whose security asks for one, where the API
    /// document says (a header, a query parameter or a cookie), for every API key scheme
    /// not given a key of its own with [`ClientBuilder::api_key_for`].
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials.api_key = Some(key.into());
        self
    }

    /// The key for one API key scheme of the document, by its name in
    /// `components.securitySchemes` (the crate's documentation lists them).
    pub fn api_key_for(mut self, scheme: impl Into<String>, key: impl Into<Secret>) -> Self {
        self.credentials.api_keys.insert(scheme.into(), key.into());
        self
    }

    /// HTTP basic authentication (RFC 7617) for the operations whose security asks for it.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials.basic = Some((username.into(), password.into()));
        self
    }

    /// Send the operations that the document gives the server `document_url` (as the
    /// document writes it; the constants of [`crate::servers`]) to `url` instead.
    pub fn server_url(mut self, document_url: &str, url: impl Into<String>) -> Self {
        self.servers.urls.insert(document_url.to_owned(), url.into());
        self
    }

    /// The value of a server variable (`{region}` in `https://{region}.api.example.com`), for
    /// the base URL and every server that names it; the typed `server_<variable>` methods
    /// set the ones the document declares.
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        self.servers.variables.insert(name.to_owned(), value.into());
        self
    }

    /// When to try a request again (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Give up on an attempt, including reading its body, after this long (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Give up connecting after this long (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Middleware (the `reqwest-middleware` kind) that sees every request before it is sent,
    /// and may change it (signing, extra headers), and every response or error after
    /// (metrics, logging). It runs for each attempt, inside the retries, in the order given;
    /// the request's extensions hold its [`crate::OperationInfo`].
    pub fn middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Wait for the rate limit that responses announce before sending, rather than sending
    /// into a 429 (off by default); see [`RateLimitPolicy`].
    pub fn rate_limit(mut self, policy: RateLimitPolicy) -> Self {
        self.rate_limit = Some(policy);
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Use this `reqwest` client as it is; the connect timeout and user agent settings are
    /// then ignored.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Build the client. Fails only when the HTTP stack cannot be set up (TLS initialisation).
    pub fn build(self) -> Result<Client, reqwest::Error> {
        // With the `tls-ring` feature, rustls needs a crypto provider: *ring* becomes the
        // process default unless the program installed one of its own first.
        #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Losing a race with another thread installing one is fine: one is installed.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .user_agent(self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                }))
                .build()?,
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| self.servers.expand(crate::BASE_URL_TEMPLATE))
            .trim_end_matches('/')
            .to_owned();
        let oauth2 = self.oauth2.map(|o| {
            Arc::new(OAuth2Provider::client_credentials(
                http.clone(),
                format!("{base_url}{}", o.token_path),
                o.revoke_path.map(|p| format!("{base_url}{p}")),
                o.client_id,
                o.client_secret,
            ))
        });
        let tokens = match &oauth2 {
            Some(provider) => Some(provider.clone() as Arc<dyn TokenProvider>),
            None => self.tokens,
        };
        let mut with_middleware = reqwest_middleware::ClientBuilder::new(http);
        for middleware in self.middleware {
            with_middleware = with_middleware.with_arc(middleware);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http: with_middleware.build(),
                base_url,
                tokens,
                oauth2,
                credentials: self.credentials,
                servers: self.servers,
                retry: self.retry.unwrap_or_default(),
                timeout: self.timeout.unwrap_or(Duration::from_secs(60)),
                rate_limit: self.rate_limit.map(|policy| (policy, Budget::default())),
            }),
            options: None,
        })
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// A credential an operation may send, from a security scheme of the document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scheme {
    /// `Authorization: Bearer <token>` from the token provider.
    Bearer,
    /// `Authorization: Basic ...` from the username and password.
    Basic,
    /// `Authorization: <scheme> <token>`, the token from the provider.
    Http(&'static str),
    /// The key of the scheme `scheme` as the header (lowercase), query parameter or cookie
    /// `name`.
    ApiKey { scheme: &'static str, place: KeyIn, name: &'static str },
}

/// One request, as an operation builds it.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    /// The path template, for tracing.
    template: &'static str,
    path: String,
    query: Query,
    headers: HeaderMap,
    body: Option<Body>,
    /// `name=value` pairs, already encoded, sent together in one `Cookie` header.
    cookies: Vec<String>,
    /// Ways to authenticate, in order; each a set of credentials sent together.
    security: &'static [&'static [Scheme]],
    /// The server the operation declares, as the document writes its URL.
    server: Option<&'static str>,
    /// The client method, for middleware and traces.
    operation: &'static str,
    /// The header (lowercase) of the idempotency key, when the operation takes one.
    idempotency_header: Option<&'static str>,
}

impl Request {
    pub(crate) fn new(method: Method, template: &'static str, path: String, query: Query) -> Self {
        Self {
            method,
            template,
            path,
            query,
            headers: HeaderMap::new(),
            body: None,
            cookies: Vec::new(),
            security: &[],
            server: None,
            operation: "",
            idempotency_header: None,
        }
    }

    /// What it takes to open this request's event stream again: for a request safe to
    /// repeat (idempotent, its body in memory), a copy of it and the client.
    pub(crate) fn resumable(&self, client: &Client) -> Option<super::stream::Resume> {
        if !is_idempotent(&self.method) || self.body.as_ref().is_some_and(|b| !b.is_repeatable()) {
            return None;
        }
        Some(super::stream::Resume { client: client.clone(), request: self.resumed(None), left: client.retry_policy().max_retries })
    }

    /// This request again, resuming an event stream after the event `last_event_id`.
    pub(crate) fn resumed(&self, last_event_id: Option<&str>) -> Request {
        let mut headers = self.headers.clone();
        if let Some(value) = last_event_id.and_then(|id| HeaderValue::try_from(id).ok()) {
            headers.insert(HeaderName::from_static("last-event-id"), value);
        }
        Request {
            method: self.method.clone(),
            template: self.template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers,
            body: self.body.as_ref().and_then(Body::try_clone),
            cookies: self.cookies.clone(),
            security: self.security,
            server: self.server,
            operation: self.operation,
            idempotency_header: self.idempotency_header,
        }
    }

    /// The client method the request is for.
    pub(crate) fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// The operation takes an idempotency key in this header (lowercase): every call sends
    /// one, the same on each attempt, and may then be retried whatever its method.
    pub(crate) fn idempotency_header(mut self, name: &'static str) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    fn method_name(&self) -> &'static str {
        match self.method.as_str() {
            "GET" => "GET",
            "PUT" => "PUT",
            "POST" => "POST",
            "DELETE" => "DELETE",
            "PATCH" => "PATCH",
            "HEAD" => "HEAD",
            "OPTIONS" => "OPTIONS",
            "TRACE" => "TRACE",
            _ => "",
        }
    }

    /// A `GET` of a link the API gave (such as the next page of a list). The link must lie
    /// under the client's base URL: credentials are never sent anywhere else.
    pub(crate) fn from_link(client: &Client, template: &'static str, link: &str) -> Result<Self, InvalidRequest> {
        let base = client.base_url();
        let rest = if link.starts_with('/') {
            Some(link)
        } else {
            link.strip_prefix(base).filter(|r| r.is_empty() || r.starts_with('/') || r.starts_with('?'))
        };
        let Some(rest) = rest else {
            return Err(InvalidRequest::new(format!(
                "the link `{link}` points outside the API at `{base}`; it is not followed"
            )));
        };
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Ok(Self::new(Method::GET, template, path.to_owned(), Query::from_encoded(query)))
    }

    /// The media types the operation documents for its responses.
    pub(crate) fn accept(mut self, media_types: &'static str) -> Self {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static(media_types));
        self
    }

    /// The operation goes to this server of the document rather than the base URL.
    pub(crate) fn server(mut self, url: &'static str) -> Self {
        self.server = Some(url);
        self
    }

    /// How the request authenticates: the first of these ways the client has every
    /// credential for (none when it has none of them).
    pub(crate) fn security(mut self, security: &'static [&'static [Scheme]]) -> Self {
        self.security = security;
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

    /// A header parameter holding a list: `a,b` (`simple` style).
    pub(crate) fn header_list<V: ParamValue>(
        self,
        name: &'static str,
        values: Option<&[V]>,
    ) -> Result<Self, InvalidRequest> {
        let joined = values.map(|values| {
            values.iter().map(|v| v.to_param().into_owned()).collect::<Vec<_>>().join(",")
        });
        self.header(name, joined.as_ref())
    }

    /// A cookie parameter; absent values are not sent. The value is percent-encoded.
    pub(crate) fn cookie<V: ParamValue>(mut self, name: &'static str, value: Option<&V>) -> Self {
        if let Some(value) = value {
            self.cookies
                .push(format!("{name}={}", cookie_value(&value.to_param())));
        }
        self
    }

    /// A cookie parameter holding a list: `name=a,b` (`form` style), each item encoded.
    pub(crate) fn cookie_list<V: ParamValue>(mut self, name: &'static str, values: Option<&[V]>) -> Self {
        if let Some(values) = values {
            let items: Vec<String> = values.iter().map(|v| cookie_value(&v.to_param())).collect();
            self.cookies.push(format!("{name}={}", items.join(",")));
        }
        self
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
        self.body = Some(bytes.into());
        Ok(self)
    }

    /// A JSON body whose boolean property `flag` is set to `value` whatever the body says
    /// (the `stream` flag: the stream method asks for a stream, the plain method for none).
    pub(crate) fn json_flag<T: Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &T,
        flag: &'static str,
        value: bool,
    ) -> Result<Self, InvalidRequest> {
        let mut json = serde_json::to_value(body)
            .map_err(|e| InvalidRequest::new(format!("the request body is not valid JSON: {e}")))?;
        if let serde_json::Value::Object(map) = &mut json {
            map.insert(flag.to_owned(), serde_json::Value::Bool(value));
        }
        self.json(content_type, &json)
    }

    /// An `application/x-www-form-urlencoded` body, encoded like a query string (one
    /// encoder for both): each property as its `encoding` style in `styles` says.
    pub(crate) fn form<T: Serialize + ?Sized>(
        mut self,
        body: &T,
        styles: &[(&str, super::encoding::Style)],
    ) -> Result<Self, InvalidRequest> {
        let value = serde_json::to_value(body).map_err(|e| {
            InvalidRequest::new(format!("the request body cannot be form-encoded: {e}"))
        })?;
        let mut form = Query::new();
        match &value {
            serde_json::Value::Object(map) => {
                for (name, item) in map {
                    let style = styles.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
                    form.push_form_field(name, item, style);
                }
            }
            serde_json::Value::Null => {}
            _ => return Err(InvalidRequest::new("a form-encoded request body must be an object")),
        }
        let encoded = form.as_str().to_owned();
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = Some(encoded.into());
        Ok(self)
    }

    /// A `multipart/form-data` body.
    pub(crate) fn multipart(mut self, form: super::multipart::Multipart) -> Result<Self, InvalidRequest> {
        let (content_type, body) = form.finish()?;
        let content_type = HeaderValue::try_from(content_type)
            .map_err(|_| InvalidRequest::new("the multipart content type is not a valid header value"))?;
        self.headers.insert(CONTENT_TYPE, content_type);
        self.body = Some(body.into());
        Ok(self)
    }

    /// A body sent as it is.
    pub(crate) fn raw(mut self, content_type: &'static str, body: Body) -> Self {
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = Some(body);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_only_under_the_base_url() {
        let client = Client::builder().base_url("https://api.example.com/v2/").build().unwrap();
        let request = Request::from_link(&client, "/items", "https://api.example.com/v2/items?cursor=b%20c").unwrap();
        assert_eq!((request.path.as_str(), request.query.as_str()), ("/items", "cursor=b%20c"));
        let request = Request::from_link(&client, "/items", "/items?cursor=c").unwrap();
        assert_eq!((request.path.as_str(), request.query.as_str()), ("/items", "cursor=c"));
        for outside in [
            "https://evil.example/v2/items",
            "https://api.example.com.evil.example/v2/items",
            "https://api.example.com/v2evil/items",
            "http://api.example.com/v2/items",
        ] {
            let err = Request::from_link(&client, "/items", outside).unwrap_err();
            assert!(err.message().contains("points outside the API"), "{outside}: {err}");
        }
    }
}
