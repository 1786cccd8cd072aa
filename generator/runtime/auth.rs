use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// A future that yields a token.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, AuthError>> + Send + 'a>>;

/// Supplies the bearer token for each request: fetches it, caches it, refreshes it.
///
/// The client calls [`TokenProvider::token`] before each authenticated request, and
/// [`TokenProvider::invalidate`] when the server answers 401, then tries once more.
pub trait TokenProvider: Send + Sync + 'static {
    /// A token that is valid now.
    fn token(&self) -> TokenFuture<'_>;

    /// The server rejected `token`: the next call to [`TokenProvider::token`] must not return it.
    /// Returns whether a new token may be had (and the request is worth repeating).
    fn invalidate(&self, token: &Secret) -> bool {
        let _ = token;
        false
    }
}

/// A string that never shows in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself; the only way to read it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A token that does not change.
#[derive(Debug, Clone)]
pub struct StaticToken(pub Secret);

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Getting a token failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint could not be reached.
    Transport(reqwest::Error),
    /// The token endpoint refused: its status and body (which never holds the secrets sent).
    Rejected { status: reqwest::StatusCode, body: String },
    /// The token endpoint answered something that is not a token.
    InvalidResponse(String),
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::Transport(e) => write!(f, "the token endpoint could not be reached: {e}"),
            AuthError::Rejected { status, body } => write!(f, "the token endpoint answered {status}: {body}"),
            AuthError::InvalidResponse(why) => write!(f, "the token endpoint's answer is not a token: {why}"),
        }
    }
}

impl std::error::Error for AuthError {}

/// OAuth 2.0 tokens from a token endpoint (RFC 6749): the client-credentials grant, refreshed
/// with the refresh token before expiry (falling back to client credentials), one refresh
/// shared by all concurrent requests, a fresh token after a 401.
pub struct OAuth2Provider {
    http: reqwest::Client,
    token_url: String,
    revoke_url: Option<String>,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    /// Refresh this long before the token expires.
    early: Duration,
    state: tokio::sync::Mutex<Option<TokenState>>,
    /// The last token the server rejected.
    rejected: std::sync::Mutex<Option<Secret>>,
}

struct TokenState {
    access: Secret,
    refresh: Option<Secret>,
    expires: Option<Instant>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl fmt::Debug for OAuth2Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Provider")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

impl OAuth2Provider {
    /// A provider for `token_url` (and `revoke_url`, for [`OAuth2Provider::revoke`]).
    pub fn client_credentials(
        http: reqwest::Client,
        token_url: impl Into<String>,
        revoke_url: Option<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            http,
            token_url: token_url.into(),
            revoke_url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
            early: Duration::from_secs(60),
            state: tokio::sync::Mutex::new(None),
            rejected: std::sync::Mutex::new(None),
        }
    }

    /// Ask for this scope.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Refresh this long before a token expires (default 60 s).
    pub fn refresh_early(mut self, early: Duration) -> Self {
        self.early = early;
        self
    }

    async fn request(&self, form: &[(&str, &str)], bearer: Option<&Secret>) -> Result<reqwest::Response, AuthError> {
        let mut request = self
            .http
            .post(&self.token_url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(form));
        if let Some(token) = bearer {
            request = request.bearer_auth(token.expose());
        }
        request.send().await.map_err(AuthError::Transport)
    }

    async fn grant(&self, form: &[(&str, &str)]) -> Result<TokenState, AuthError> {
        let response = self.request(form, None).await?;
        let status = response.status();
        let body = response.bytes().await.map_err(AuthError::Transport)?;
        if !status.is_success() {
            return Err(AuthError::Rejected {
                status,
                body: String::from_utf8_lossy(&body).chars().take(512).collect(),
            });
        }
        let token: TokenResponse =
            serde_json::from_slice(&body).map_err(|e| AuthError::InvalidResponse(e.to_string()))?;
        Ok(TokenState {
            access: Secret(token.access_token),
            refresh: token.refresh_token.map(Secret),
            expires: token.expires_in.map(|s| Instant::now() + Duration::from_secs(s)),
        })
    }

    async fn fresh(&self, previous: Option<&TokenState>) -> Result<TokenState, AuthError> {
        if let Some(refresh) = previous.and_then(|p| p.refresh.as_ref()) {
            let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.expose())];
            match self.grant(&form).await {
                Ok(state) => return Ok(state),
                Err(e) => tracing::debug!(error = %e, "refresh token refused; using client credentials"),
            }
        }
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        self.grant(&form).await
    }

    /// Ends the session: revokes the current token at the revoke endpoint and forgets it.
    pub async fn revoke(&self) -> Result<(), AuthError> {
        let mut state = self.state.lock().await;
        let Some(current) = state.take() else { return Ok(()) };
        let Some(url) = &self.revoke_url else { return Ok(()) };
        let response = self
            .http
            .post(url)
            .bearer_auth(current.access.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[("token", current.access.expose())]))
            .send()
            .await
            .map_err(AuthError::Transport)?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            let body = response.text().await.unwrap_or_default();
            Err(AuthError::Rejected { status, body: body.chars().take(512).collect() })
        }
    }
}

impl TokenProvider for OAuth2Provider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            // Holding the lock while fetching makes concurrent requests share one refresh.
            let mut state = self.state.lock().await;
            let rejected = self.rejected.lock().map(|r| r.clone()).unwrap_or(None);
            let usable = state.as_ref().is_some_and(|s| {
                rejected.as_ref() != Some(&s.access)
                    && s.expires.is_none_or(|at| Instant::now() + self.early < at)
            });
            if !usable {
                let next = self.fresh(state.as_ref()).await?;
                *state = Some(next);
            }
            Ok(state.as_ref().map(|s| s.access.clone()).unwrap_or_else(|| Secret(String::new())))
        })
    }

    fn invalidate(&self, token: &Secret) -> bool {
        if let Ok(mut rejected) = self.rejected.lock() {
            *rejected = Some(token.clone());
        }
        true
    }
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut form = super::encoding::Query::new();
    for (name, value) in pairs {
        form.push(name, Some(value));
    }
    form.as_str().to_owned()
}

/// A shared token provider.
pub type SharedTokenProvider = Arc<dyn TokenProvider>;
