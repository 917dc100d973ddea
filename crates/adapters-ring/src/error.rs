//! `RingError`: every way a Ring call can fail, one matchable case each.
//!
//! Policy: messages never contain a password, code or token, and never the raw body of a
//! token response (it may hold tokens). Variants carry only what a caller needs to decide.

use std::time::Duration;

use crate::sink::PersistError;
use crate::two_factor::TwoFactorChallenge;

/// Why a call to Ring failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    /// Wrong email or password (`401 access_denied` on the password grant).
    #[error("Ring rejected the email or password")]
    InvalidCredentials,
    /// Ring wants a verification code (`412`); resubmit the password grant with it.
    #[error("Ring requires a verification code: {}", .0.prompt)]
    TwoFactorRequired(TwoFactorChallenge),
    /// The verification code is wrong or expired.
    #[error("the verification code is invalid or expired")]
    InvalidTwoFactorCode,
    /// Ring refuses to send more codes for now (about 10 per 10 minutes).
    #[error("Ring will not send another verification code yet; wait before retrying")]
    TwoFactorRateLimited,
    /// The refresh token is invalid, expired or revoked: the account must be linked again.
    /// Not retried.
    #[error("the Ring link has expired; link the Ring account again")]
    NeedsRelink,
    /// Ring rejected the access token on an API call (after one refresh-and-retry, or on an
    /// unlock, which is never retried).
    #[error("Ring rejected the access token")]
    Unauthorized,
    /// Ring has no session for this client's hardware id.
    #[error("Ring has no session for this client")]
    SessionNotFound,
    /// Ring does not know the device (or it is not this account's).
    #[error("Ring does not know this device")]
    NotFound,
    /// Ring reports the device offline (`404` with error code 7019).
    #[error("the device is offline")]
    DeviceOffline,
    /// `429 Too Many Requests`; `retry_after` from the `Retry-After` header when numeric.
    #[error("Ring is rate limiting requests{}", retry_hint(.retry_after))]
    RateLimited {
        /// How long Ring asked us to wait.
        retry_after: Option<Duration>,
    },
    /// `406 Not Acceptable`: Ring blocked this client or IP, usually for hours. Back off.
    #[error("Ring blocked this client (406); back off before trying again")]
    Blocked,
    /// `422 Unprocessable Entity` (Ring's answer to a malformed or refused unlock).
    #[error("Ring could not process the request (422)")]
    Unprocessable,
    /// A `5xx` answer.
    #[error("Ring is unavailable (HTTP {status})")]
    Unavailable {
        /// The HTTP status.
        status: u16,
    },
    /// No answer within the timeout. For an unlock the door may or may not have opened.
    #[error("Ring did not answer in time")]
    Timeout,
    /// Ring could not be reached at all (connection refused, DNS...): nothing was sent.
    #[error("could not connect to Ring: {detail}")]
    Unreachable {
        /// Transport error text (contains no secret).
        detail: String,
    },
    /// The connection failed after the request may have been sent.
    #[error("the connection to Ring failed: {detail}")]
    Network {
        /// Transport error text (contains no secret).
        detail: String,
    },
    /// The intercom answered the unlock RPC with a non-zero `result.code`.
    #[error("the intercom rejected the command (result code {code})")]
    DeviceRejected {
        /// Ring's `result.code`.
        code: i64,
    },
    /// A status or body this client does not understand.
    #[error("unexpected answer from Ring (HTTP {status}): {detail}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: u16,
        /// What was wrong, in our words (never the raw body).
        detail: String,
    },
    /// The rotated refresh token could not be stored, so the new access token was not used.
    #[error("the new Ring refresh token could not be stored: {0}")]
    PersistFailed(PersistError),
    /// The client configuration is unusable (bad base URL, TLS setup...).
    #[error("invalid Ring client configuration: {0}")]
    InvalidConfig(String),
}

impl RingError {
    /// True when an unlock that failed this way may still have reached the intercom, so the
    /// door may have opened (never retry it, and do not refund a guest's use).
    pub fn unlock_outcome_unknown(&self) -> bool {
        matches!(self, Self::Timeout | Self::Network { .. })
    }

    /// True for failures worth trying again later without user action.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Unavailable { .. }
                | Self::Timeout
                | Self::Unreachable { .. }
                | Self::Network { .. }
                | Self::PersistFailed(_)
        )
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_readable() {
        let limited = RingError::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
        };
        assert_eq!(
            limited.to_string(),
            "Ring is rate limiting requests (retry after 7 s)"
        );
        assert_eq!(
            RingError::Unavailable { status: 503 }.to_string(),
            "Ring is unavailable (HTTP 503)"
        );
    }

    #[test]
    fn only_timeouts_and_broken_connections_leave_unlock_outcome_unknown() {
        assert!(RingError::Timeout.unlock_outcome_unknown());
        assert!(
            RingError::Network {
                detail: String::new()
            }
            .unlock_outcome_unknown()
        );
        assert!(
            !RingError::Unreachable {
                detail: String::new()
            }
            .unlock_outcome_unknown()
        );
        assert!(!RingError::Unavailable { status: 500 }.unlock_outcome_unknown());
    }
}
