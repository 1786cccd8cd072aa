use std::fmt;
use std::time::Duration;

use super::retry::RetryPolicy;

/// Settings for the calls made through one client: extra headers and query parameters, a
/// timeout, a retry policy and an idempotency key. `client.with_options(options)` gives a
/// client (sharing the connection pool, credentials and the rest) whose every call uses them:
///
/// ```ignore
/// let options = RequestOptions::new().header("x-trace-id", "abc").timeout(Duration::from_secs(5));
/// client.with_options(options).some_operation().await?;
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(String, String, bool)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<String>,
}

impl RequestOptions {
    /// No options: the client's own settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A header sent with every request, in place of the operation's own of that name (an
    /// `accept` header chooses among the representations a response offers); given several
    /// times, every value is sent. A name or value that is not allowed in a header makes the
    /// call fail with `Error::InvalidRequest`, before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), false));
        self
    }

    /// A header whose value is a secret: like [`RequestOptions::header`], but marked
    /// sensitive (never in `Debug`, and kept out of HTTP/2 header compression tables).
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), true));
        self
    }

    /// A query parameter sent with every request, after the operation's own; the name and
    /// value are percent-encoded.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The timeout of each attempt (for streamed responses: of the wait for the headers, and
    /// between chunks of the body).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The idempotency key for operations that declare an idempotency-key header (instead of
    /// one made up for each call). Sent on every attempt of the call.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(name, value, secret)| if *secret { format!("{name}: <redacted>") } else { format!("{name}: {value}") })
            .collect();
        f.debug_struct("RequestOptions")
            .field("headers", &headers)
            .field("query", &self.query)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// Which operation a request is for, in every request's extensions: middleware reads it with
/// `extensions.get::<OperationInfo>()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The client method (`list_customers`).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template (`/v1/customers/{id}`).
    pub path: &'static str,
}

/// A new idempotency key: a random (version 4) UUID.
pub(crate) fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    bytes.iter_mut().for_each(|b| *b = fastrand::u8(..));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_version_4_uuids() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4') && "89ab".contains(&parts[3][..1]), "{a}");
    }

    #[test]
    fn secret_headers_are_redacted() {
        let options = RequestOptions::new().header("x-a", "shown").secret_header("x-sig", "hidden");
        let debug = format!("{options:?}");
        assert!(debug.contains("shown") && !debug.contains("hidden"), "{debug}");
    }
}
