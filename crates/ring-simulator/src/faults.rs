//! Failure injection: make an endpoint answer with a chosen status, slowly, or never.

use std::collections::VecDeque;
use std::time::Duration;

use serde::Serialize;

/// The simulated endpoints, for fault injection and request counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /oauth/token`
    Token,
    /// `POST /clients_api/session`
    Session,
    /// `GET /clients_api/ring_devices`
    Devices,
    /// `GET /devices/v1/locations`
    Locations,
    /// `GET /clients_api/doorbots/{id}/health`
    Health,
    /// `PUT /commands/v1/devices/{id}/device_rpc`
    Unlock,
    /// Any path the simulator does not know (answered 404; not injectable).
    Other,
}

/// What an injected fault does once its delay has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this status, body and headers instead of the normal response.
    Respond {
        /// HTTP status.
        status: u16,
        /// Raw body (may be empty, HTML, JSON...).
        body: String,
        /// Content type of `body`.
        content_type: String,
        /// Extra headers, e.g. `Retry-After`.
        headers: Vec<(String, String)>,
    },
    /// Never answer: the request stays open until the client gives up or the simulator stops.
    Hang,
    /// Close the connection without a complete answer: the client cannot know whether the
    /// request took effect.
    Drop,
    /// Handle the request normally (after the delay): pure latency.
    PassThrough,
}

/// One injected fault: an optional delay, then an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Waited before the action.
    pub delay: Option<Duration>,
    /// What happens after the delay.
    pub action: FaultAction,
}

impl Fault {
    /// Answer with `status` and an empty body.
    pub fn status(status: u16) -> Self {
        Self {
            delay: None,
            action: FaultAction::Respond {
                status,
                body: String::new(),
                content_type: "application/json".to_owned(),
                headers: Vec::new(),
            },
        }
    }

    /// Answer with `status` and a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::status(status).with_body(body.to_string(), "application/json")
    }

    /// Ring's `406 Not Acceptable` HTML page from openresty (an IP/client block).
    pub fn blocked() -> Self {
        Self::status(406).with_body(crate::routes::BLOCKED_HTML, "text/html")
    }

    /// Never answer.
    pub fn hang() -> Self {
        Self {
            delay: None,
            action: FaultAction::Hang,
        }
    }

    /// Close the connection without a complete answer.
    pub fn drop_connection() -> Self {
        Self {
            delay: None,
            action: FaultAction::Drop,
        }
    }

    /// Answer normally after `delay`.
    pub fn latency(delay: Duration) -> Self {
        Self {
            delay: Some(delay),
            action: FaultAction::PassThrough,
        }
    }

    /// Waits `delay` before the action.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Replaces the body of a `Respond` fault (no effect on other actions).
    pub fn with_body(mut self, new_body: impl Into<String>, new_type: &str) -> Self {
        if let FaultAction::Respond {
            body, content_type, ..
        } = &mut self.action
        {
            *body = new_body.into();
            *content_type = new_type.to_owned();
        }
        self
    }

    /// Adds a header to a `Respond` fault (no effect on other actions).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let FaultAction::Respond { headers, .. } = &mut self.action {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

/// A fault with how many more requests it applies to (`None`: until cleared).
#[derive(Debug, Clone)]
pub(crate) struct FaultPlan {
    pub(crate) fault: Fault,
    pub(crate) remaining: Option<u32>,
}

/// The queue of faults of one endpoint; the front one applies.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue(VecDeque<FaultPlan>);

impl FaultQueue {
    pub(crate) fn push(&mut self, plan: FaultPlan) {
        if plan.remaining != Some(0) {
            self.0.push_back(plan);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// Takes the fault for the current request, consuming one use of it.
    pub(crate) fn next(&mut self) -> Option<Fault> {
        let front = self.0.front_mut()?;
        let fault = front.fault.clone();
        if let Some(remaining) = front.remaining.as_mut() {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                self.0.pop_front();
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_fault_runs_out_and_next_one_applies() {
        let mut queue = FaultQueue::default();
        queue.push(FaultPlan {
            fault: Fault::status(500),
            remaining: Some(2),
        });
        queue.push(FaultPlan {
            fault: Fault::status(429),
            remaining: None,
        });
        assert_eq!(queue.next(), Some(Fault::status(500)));
        assert_eq!(queue.next(), Some(Fault::status(500)));
        assert_eq!(queue.next(), Some(Fault::status(429)));
        assert_eq!(queue.next(), Some(Fault::status(429)));
        queue.clear();
        assert_eq!(queue.next(), None);
    }

    #[test]
    fn zero_times_is_ignored() {
        let mut queue = FaultQueue::default();
        queue.push(FaultPlan {
            fault: Fault::hang(),
            remaining: Some(0),
        });
        assert_eq!(queue.next(), None);
    }
}
