//! One reqwest client per thread.
//!
//! A reqwest client keeps its connections in a pool, and each connection is driven by a
//! task on the runtime that opened it. The server runs one single-threaded runtime per
//! HTTP worker, so with one shared client a guest unlock handled on one worker often
//! went out on a connection another worker had opened: the request was written and its
//! answer read on the other worker's thread, with a wake-up across threads each way
//! (seen with strace; the same cost the per-worker PostgreSQL pools removed). A client
//! per thread keeps each call on the thread that makes it.

use std::time::Duration;

use thread_local::ThreadLocal;

use crate::error::RingError;

/// The settings every client gets, and the clients built from them so far.
#[derive(Debug)]
pub(crate) struct PerThreadHttp {
    user_agent: String,
    timeout: Duration,
    /// Built up front so a bad setting fails at start-up; also the fallback should a
    /// later build fail (it cannot with the same settings, but the door must not care).
    first: reqwest::Client,
    clients: ThreadLocal<reqwest::Client>,
}

impl PerThreadHttp {
    /// # Errors
    /// `InvalidConfig` when the client cannot be built (TLS set-up).
    pub(crate) fn new(user_agent: String, timeout: Duration) -> Result<Self, RingError> {
        let first = build(&user_agent, timeout)?;
        Ok(Self {
            user_agent,
            timeout,
            first,
            clients: ThreadLocal::new(),
        })
    }

    /// This thread's client, built on its first call.
    pub(crate) fn get(&self) -> &reqwest::Client {
        self.clients
            .get_or(|| build(&self.user_agent, self.timeout).unwrap_or_else(|_| self.first.clone()))
    }
}

fn build(user_agent: &str, timeout: Duration) -> Result<reqwest::Client, RingError> {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .timeout(timeout)
        // Ring does not redirect; following one could replay a PUT unlock elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| RingError::InvalidConfig(format!("HTTP client: {e}")))
}
