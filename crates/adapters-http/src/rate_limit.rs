//! Fixed-window request counters ("N per minute"), kept in memory per instance.
//!
//! The limits themselves are runtime settings read on every request, so a change
//! applies to the very next one. Memory is bounded: when the table is full, stale
//! windows are swept, and if it is still full new keys share one overflow bucket
//! (fail closed rather than stop limiting).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
const MAX_KEYS: usize = 100_000;
const OVERFLOW_KEY: &str = "\0overflow";

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one request for `key`; `Err(seconds)` when over `limit` in the current window.
    pub fn check(&self, key: &str, limit: u32) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now())
    }

    fn check_at(&self, key: &str, limit: u32, now: Instant) -> Result<(), u64> {
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // A known key (every request after a client's first) costs no allocation.
        if let Some(entry) = map.get_mut(key) {
            return count(entry, limit, now);
        }
        if map.len() >= MAX_KEYS {
            map.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let key = if map.len() >= MAX_KEYS { OVERFLOW_KEY } else { key };
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        count(entry, limit, now)
    }
}

/// Counts one request in `window` (start, count), starting a new window when it is over.
fn count(window: &mut (Instant, u32), limit: u32, now: Instant) -> Result<(), u64> {
    if now.duration_since(window.0) >= WINDOW {
        *window = (now, 0);
    }
    if window.1 >= limit {
        let wait = WINDOW.saturating_sub(now.duration_since(window.0));
        return Err(wait.as_secs().max(1));
    }
    window.1 += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_exactly_the_limit_per_window() {
        let rl = RateLimiter::new();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(rl.check_at("ip:1", 3, t0).is_ok());
        }
        let wait = rl.check_at("ip:1", 3, t0 + Duration::from_secs(20)).unwrap_err();
        assert_eq!(wait, 40);
        assert!(rl.check_at("ip:2", 3, t0).is_ok(), "keys are independent");
        assert!(
            rl.check_at("ip:1", 3, t0 + WINDOW).is_ok(),
            "a new window starts fresh"
        );
    }

    #[test]
    fn a_full_table_shares_one_bucket_until_stale_windows_are_swept() {
        let rl = RateLimiter::new();
        let t0 = Instant::now();
        for i in 0..MAX_KEYS {
            rl.check_at(&format!("ip:{i}"), 2, t0).unwrap();
        }
        // New clients now count together: two of them use up the shared limit of 2.
        assert!(rl.check_at("new:1", 2, t0).is_ok());
        assert!(rl.check_at("new:2", 2, t0).is_ok());
        assert!(rl.check_at("new:3", 2, t0).is_err(), "fail closed, not unlimited");
        // Known clients keep their own windows.
        assert!(rl.check_at("ip:7", 2, t0).is_ok());
        assert!(rl.check_at("ip:7", 2, t0).is_err());
        // Once the old windows are over they are swept and a new client counts alone.
        assert!(rl.check_at("new:4", 2, t0 + WINDOW).is_ok());
        assert!(rl.check_at("new:4", 2, t0 + WINDOW).is_ok());
        assert!(rl.check_at("new:5", 2, t0 + WINDOW).is_ok());
    }

    #[test]
    fn a_lowered_limit_applies_at_once() {
        let rl = RateLimiter::new();
        let t0 = Instant::now();
        for _ in 0..5 {
            rl.check_at("u", 100, t0).unwrap();
        }
        assert!(rl.check_at("u", 5, t0).is_err());
    }

    #[test]
    fn concurrent_callers_are_counted_exactly() {
        let rl = std::sync::Arc::new(RateLimiter::new());
        let ok = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (rl, ok) = (rl.clone(), ok.clone());
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        if rl.check("k", 100).is_ok() {
                            ok.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(ok.load(std::sync::atomic::Ordering::SeqCst), 100);
    }
}
