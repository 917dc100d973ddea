//! What the simulator saw: counters and recorded requests, for test assertions.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use crate::faults::Endpoint;

/// A snapshot of the simulator's counters. Request counts include requests answered by an
/// injected fault: they count what reached the simulator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Token requests with `grant_type=password`.
    pub password_grants: u64,
    /// Token requests with `grant_type=refresh_token`.
    pub refresh_grants: u64,
    /// 2FA codes "sent" by SMS or email.
    pub codes_sent: u64,
    /// Sessions successfully created by `POST /clients_api/session`.
    pub sessions_created: u64,
    /// Unlock requests per device id (including rejected and fault-answered ones).
    pub unlock_calls: BTreeMap<i64, u64>,
    /// Unlocks answered with `result.code == 0`, per device id.
    pub doors_opened: BTreeMap<i64, u64>,
    /// Requests per endpoint.
    pub requests: BTreeMap<Endpoint, u64>,
}

impl Counters {
    /// Unlock requests that reached the simulator for `device_id`.
    pub fn unlock_calls(&self, device_id: i64) -> u64 {
        self.unlock_calls.get(&device_id).copied().unwrap_or(0)
    }

    /// Successful unlocks of `device_id`.
    pub fn doors_opened(&self, device_id: i64) -> u64 {
        self.doors_opened.get(&device_id).copied().unwrap_or(0)
    }

    /// Requests that reached `endpoint`.
    pub fn requests_to(&self, endpoint: Endpoint) -> u64 {
        self.requests.get(&endpoint).copied().unwrap_or(0)
    }
}

/// One request as the simulator received it.
///
/// Bodies and headers can hold passwords and tokens, so `Debug` shows only header names and
/// the body length; read the fields explicitly in assertions.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// Position in arrival order, starting at 1 (never reused, even after old ones are dropped).
    pub seq: u64,
    /// Which endpoint it hit.
    pub endpoint: Endpoint,
    /// HTTP method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers with lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy UTF-8).
    pub body: String,
}

impl RecordedRequest {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The bearer token of the request, if any.
    pub fn bearer_token(&self) -> Option<&str> {
        self.header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RecordedRequest")
            .field("seq", &self.seq)
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Bounded log of recorded requests plus the counters.
#[derive(Debug)]
pub(crate) struct Recorder {
    pub(crate) counters: Counters,
    log: VecDeque<RecordedRequest>,
    capacity: usize,
    next_seq: u64,
}

impl Recorder {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            counters: Counters::default(),
            log: VecDeque::new(),
            capacity,
            next_seq: 1,
        }
    }

    /// Stores a request (dropping the oldest when full) and counts it.
    pub(crate) fn record(&mut self, mut request: RecordedRequest) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        *self.counters.requests.entry(request.endpoint).or_default() += 1;
        request.seq = seq;
        if self.capacity > 0 {
            if self.log.len() >= self.capacity {
                self.log.pop_front();
            }
            self.log.push_back(request);
        }
        seq
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.log.iter().cloned().collect()
    }

    /// The sequence number the next request will get.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub(crate) fn reset(&mut self) {
        self.counters = Counters::default();
        self.log.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(endpoint: Endpoint, body: &str) -> RecordedRequest {
        RecordedRequest {
            seq: 0,
            endpoint,
            method: "POST".to_owned(),
            path: "/oauth/token".to_owned(),
            headers: vec![("2fa-code".to_owned(), "123456".to_owned())],
            body: body.to_owned(),
        }
    }

    #[test]
    fn debug_hides_body_and_header_values() {
        let text = format!("{:?}", request(Endpoint::Token, "password=hunter2"));
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("123456"));
        assert!(text.contains("2fa-code"));
    }

    #[test]
    fn log_is_bounded_and_seq_keeps_counting() {
        let mut recorder = Recorder::new(2);
        for _ in 0..3 {
            recorder.record(request(Endpoint::Token, ""));
        }
        let seqs: Vec<u64> = recorder.requests().iter().map(|r| r.seq).collect();
        assert_eq!(seqs, vec![2, 3]);
        assert_eq!(recorder.counters.requests_to(Endpoint::Token), 3);
    }
}
