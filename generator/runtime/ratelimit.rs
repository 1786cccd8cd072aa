use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Waiting for the rate limit before sending, rather than after a 429: the client reads the
/// budget that responses announce (`RateLimit-Remaining`/`X-RateLimit-Remaining` with
/// `-Reset` or `-Reset-After`, or an IETF `RateLimit` header, `remaining=`/`r=` and
/// `reset=`/`t=`), counts down as it sends, and when nothing is left waits for the reset.
/// Clones of the client share one budget. Set it with `ClientBuilder::rate_limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitPolicy {
    /// The longest wait for a reset; a reset further away is not waited for (the request is
    /// sent, and the retry policy deals with a 429).
    pub max_wait: Duration,
}

impl Default for RateLimitPolicy {
    fn default() -> Self {
        Self { max_wait: Duration::from_secs(60) }
    }
}

/// What responses said is left, shared by the clones of a client.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    state: Mutex<Option<Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    remaining: u64,
    reset_at: Instant,
}

impl Budget {
    /// Takes one request from the budget, first waiting for the reset when none is left.
    pub(crate) async fn acquire(&self, policy: &RateLimitPolicy) {
        let wait = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            match state.as_mut() {
                Some(window) if window.reset_at <= now => {
                    *state = None;
                    None
                }
                Some(window) if window.remaining == 0 => {
                    let wait = window.reset_at - now;
                    // The window is over once waited for: what is left is not known until
                    // the next response says.
                    *state = None;
                    Some(wait)
                }
                Some(window) => {
                    window.remaining -= 1;
                    None
                }
                None => None,
            }
        };
        if let Some(wait) = wait.filter(|w| *w <= policy.max_wait) {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limit reached: waiting for the reset");
            tokio::time::sleep(wait).await;
        }
    }

    /// Reads what a response says is left.
    pub(crate) fn observe(&self, headers: &HeaderMap) {
        let Some((remaining, reset)) = announced(headers) else { return };
        let window = Window { remaining, reset_at: Instant::now() + reset };
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(window);
    }
}

/// The requests left and the time to the reset, as the headers announce them.
fn announced(headers: &HeaderMap) -> Option<(u64, Duration)> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let number = |name: &str| text(name).and_then(|v| v.parse::<f64>().ok()).filter(|n| n.is_finite() && *n >= 0.0);
    let remaining = number("ratelimit-remaining").or_else(|| number("x-ratelimit-remaining"));
    let reset_after = number("x-ratelimit-reset-after");
    let reset = number("ratelimit-reset").or_else(|| number("x-ratelimit-reset"));
    if let (Some(remaining), Some(reset)) = (remaining, reset_after.or(reset)) {
        return Some((remaining as u64, seconds_to_reset(reset)));
    }
    // `RateLimit: limit=100, remaining=0, reset=30` or `"default";r=0;t=30`.
    let combined = text("ratelimit")?;
    let mut remaining = None;
    let mut reset = None;
    for part in combined.split([',', ';']) {
        let Some((key, value)) = part.split_once('=') else { continue };
        let value = value.trim().trim_matches('"').parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0);
        match key.trim() {
            "remaining" | "r" => remaining = remaining.or(value),
            "reset" | "t" => reset = reset.or(value),
            _ => {}
        }
    }
    Some((remaining? as u64, seconds_to_reset(reset?)))
}

/// A reset given in seconds: from now, or (a large number) a Unix time.
fn seconds_to_reset(seconds: f64) -> Duration {
    if seconds > 1e9 {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        return Duration::from_secs_f64((seconds - now).max(0.0));
    }
    Duration::from_secs_f64(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn budgets_are_read_from_every_convention() {
        assert_eq!(announced(&headers(&[("x-ratelimit-remaining", "4"), ("x-ratelimit-reset", "30")])), Some((4, Duration::from_secs(30))));
        assert_eq!(
            announced(&headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1900000000.5"), ("x-ratelimit-reset-after", "1.5")])),
            Some((0, Duration::from_millis(1500)))
        );
        assert_eq!(announced(&headers(&[("ratelimit-remaining", "9"), ("ratelimit-reset", "2")])), Some((9, Duration::from_secs(2))));
        assert_eq!(announced(&headers(&[("ratelimit", "limit=100, remaining=0, reset=5")])), Some((0, Duration::from_secs(5))));
        assert_eq!(announced(&headers(&[("ratelimit", "\"default\";r=3;t=10")])), Some((3, Duration::from_secs(10))));
        assert_eq!(announced(&headers(&[("x-ratelimit-remaining", "4")])), None);
        let far = announced(&headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "4102444800")])).unwrap();
        assert!(far.1 > Duration::from_secs(1_000_000), "a Unix time is a reset that far away");
    }
}
