use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When and how often a request is tried again.
///
/// By default: up to 3 retries of idempotent requests (`GET`, `HEAD`, `OPTIONS`, `PUT`,
/// `DELETE`, `TRACE`) after a 429, 502, 503 or 504 answer or a connection failure, waiting
/// 200 ms, 400 ms, 800 ms, ... (at most 10 s) with full jitter, or as long as `Retry-After`
/// says (at most 60 s).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 turns retrying off.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles for each further one.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets an error instead.
    pub max_retry_after: Duration,
    /// Retry `POST` and `PATCH` too. Off by default: they may not be safe to repeat.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a request may be tried again after `attempt` attempts; `repeatable` when its
    /// method is idempotent or it carries an idempotency key.
    pub(crate) fn allows(&self, repeatable: bool, attempt: u32) -> bool {
        attempt <= self.max_retries && (self.retry_non_idempotent || repeatable)
    }

    /// Exponential backoff with full jitter: a random wait between zero and the cap.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Statuses worth another try: too many requests, and a gateway or server that is briefly
/// unavailable.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Transport failures worth another try: no connection, a timeout, a body cut off (which
/// reqwest reports as a body or decode error).
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_body() || error.is_decode() || error.is_request()
}

/// `Retry-After` as a wait: delay-seconds or an HTTP-date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(30);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait <= Duration::from_secs(30) && wait >= Duration::from_secs(28), "{wait:?}");
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        for retry in 1..20 {
            let cap = Duration::from_millis(200)
                .saturating_mul(2u32.saturating_pow(retry - 1))
                .min(Duration::from_secs(10));
            assert!(policy.backoff(retry) <= cap);
        }
    }

    #[test]
    fn only_idempotent_methods_by_default() {
        let policy = RetryPolicy::default();
        let repeatable = |m: &Method| is_idempotent(m);
        assert!(policy.allows(repeatable(&Method::GET), 1));
        assert!(policy.allows(repeatable(&Method::DELETE), 3));
        assert!(!policy.allows(repeatable(&Method::GET), 4));
        assert!(!policy.allows(repeatable(&Method::POST), 1));
        assert!(RetryPolicy { retry_non_idempotent: true, ..policy.clone() }.allows(repeatable(&Method::POST), 1));
        // A POST with an idempotency key is repeatable.
        assert!(policy.allows(true, 1));
    }
}
