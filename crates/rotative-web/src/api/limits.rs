//! How often a token may call the API: a steady rate with room for a burst, per token and per
//! instance (the generic cell rate algorithm: one instant kept per token). Past it, `429` with
//! `Retry-After`.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use rotative_domain::TokenId;

/// A token's allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a minute, steadily.
    pub per_minute: u32,
    /// Requests that may come at once on top of the steady rate.
    pub burst: u32,
}

impl Default for RateLimit {
    /// Ten requests a second, sixty at once: more than a person's tools need, few enough that one
    /// runaway script does not take the newsroom's share of the server.
    fn default() -> Self {
        Self {
            per_minute: 600,
            burst: 60,
        }
    }
}

/// Each token's next allowed time, on this instance.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    allowed_from: Mutex<HashMap<TokenId, Instant>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            allowed_from: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `token` made at `now`; past its allowance, how long to wait.
    pub fn check(&self, token: TokenId, now: Instant) -> Result<(), Duration> {
        let interval = Duration::from_mins(1) / self.limit.per_minute.max(1);
        let tolerance = interval * self.limit.burst;
        let mut allowed = self
            .allowed_from
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let theoretical = allowed.get(&token).copied().unwrap_or(now).max(now);
        let ahead = theoretical.saturating_duration_since(now);
        if ahead > tolerance {
            return Err(ahead.saturating_sub(tolerance));
        }
        allowed.insert(token, theoretical + interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_steady_rate() {
        let limiter = RateLimiter::new(RateLimit {
            per_minute: 60,
            burst: 2,
        });
        let start = Instant::now();
        let token = TokenId(1);
        for _ in 0..3 {
            assert_eq!(limiter.check(token, start), Ok(()));
        }
        let wait = limiter.check(token, start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(1));
        assert_eq!(
            limiter.check(TokenId(2), start),
            Ok(()),
            "each token its own"
        );
        assert_eq!(limiter.check(token, start + wait), Ok(()));
        assert!(limiter.check(token, start + wait).is_err());
    }
}
