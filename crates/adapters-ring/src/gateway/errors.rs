//! The one translation of [`RingError`] into the port's [`GatewayError`], and of an
//! [`UnlockError`] into an [`UnlockFailure`].
//!
//! Choices where Ring's error has no exact counterpart in the port:
//! - `Blocked` (406) becomes `RateLimited` with a one-hour hint: Ring blocks a client or IP
//!   for hours after too many requests, and callers must back off rather than retry soon.
//! - `Unauthorized` and `SessionNotFound` become `Unavailable`: the session already
//!   refreshed (or will re-create the Ring session) on the next call, so both are transient.
//! - `Unreachable` and `Network` become `Unavailable`; whether an unlock may still have gone
//!   through is carried separately by `UnlockFailure::door_may_have_opened`.

use latchkey_ports::{GatewayError, UnlockFailure};

use crate::account::UnlockError;
use crate::error::RingError;
use crate::ids::InvalidHardwareId;

/// Retry hint when Ring sends a 429 without a numeric `Retry-After`.
pub(crate) const DEFAULT_RETRY_AFTER_SECS: u64 = 60;
/// Retry hint for Ring's 406 block, which usually lasts hours.
pub(crate) const BLOCKED_RETRY_AFTER_SECS: u64 = 3600;

/// Maps every [`RingError`] to the closest [`GatewayError`]. Ring's errors carry no secret,
/// and the texts copied here are Ring's status codes and our own descriptions.
pub(super) fn gateway_error(error: RingError) -> GatewayError {
    match error {
        RingError::InvalidCredentials => GatewayError::InvalidCredentials,
        RingError::TwoFactorRequired(challenge) => GatewayError::TwoFactorRequired {
            prompt: challenge.prompt,
        },
        RingError::InvalidTwoFactorCode => GatewayError::InvalidTwoFactorCode,
        RingError::TwoFactorRateLimited => GatewayError::TwoFactorRateLimited,
        RingError::NeedsRelink => GatewayError::NeedsRelink,
        RingError::Unauthorized
        | RingError::SessionNotFound
        | RingError::Unavailable { .. }
        | RingError::Unreachable { .. }
        | RingError::Network { .. } => GatewayError::Unavailable,
        RingError::NotFound => GatewayError::DeviceNotFound,
        RingError::DeviceOffline => GatewayError::DeviceOffline,
        RingError::RateLimited { retry_after } => GatewayError::RateLimited {
            retry_after_secs: retry_after.map_or(DEFAULT_RETRY_AFTER_SECS, |d| d.as_secs()),
        },
        RingError::Blocked => GatewayError::RateLimited {
            retry_after_secs: BLOCKED_RETRY_AFTER_SECS,
        },
        RingError::Unprocessable | RingError::DeviceRejected { .. } => GatewayError::DeviceRejected,
        RingError::Timeout => GatewayError::Timeout,
        RingError::UnexpectedResponse { status, detail } => {
            GatewayError::Unexpected(format!("HTTP {status}: {detail}"))
        }
        RingError::PersistFailed(_) => GatewayError::Storage,
        RingError::InvalidConfig(detail) => {
            GatewayError::Unexpected(format!("invalid Ring client configuration: {detail}"))
        }
    }
}

/// An unlock failure, keeping whether the door may have opened (sent, answer lost).
pub(super) fn unlock_failure(error: UnlockError) -> UnlockFailure {
    let door_may_have_opened = error.door_may_have_opened();
    UnlockFailure {
        error: gateway_error(error.error),
        door_may_have_opened,
    }
}

/// A failure before anything was sent: the door certainly did not open.
pub(super) fn not_sent(error: GatewayError) -> UnlockFailure {
    UnlockFailure {
        error,
        door_may_have_opened: false,
    }
}

/// A stored or given hardware id that cannot travel in a header (the application creates
/// them, so this is a bug or corrupt data, not a user error).
pub(super) fn invalid_hardware_id(_: InvalidHardwareId) -> GatewayError {
    GatewayError::Unexpected("the account's hardware id is not valid for Ring".to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sink::PersistError;
    use crate::two_factor::{TwoFactorChallenge, TwoFactorMethod};

    #[test]
    fn every_ring_error_has_its_gateway_error() {
        let challenge = TwoFactorChallenge {
            method: TwoFactorMethod::Sms,
            prompt: "Enter the code sent by SMS to ••••89".to_owned(),
            tsv_state: "sms".to_owned(),
            next_time_in_secs: Some(60),
        };
        let detail = || "connection refused".to_owned();
        let cases = [
            (RingError::InvalidCredentials, GatewayError::InvalidCredentials),
            (
                RingError::TwoFactorRequired(challenge),
                GatewayError::TwoFactorRequired {
                    prompt: "Enter the code sent by SMS to ••••89".to_owned(),
                },
            ),
            (
                RingError::InvalidTwoFactorCode,
                GatewayError::InvalidTwoFactorCode,
            ),
            (
                RingError::TwoFactorRateLimited,
                GatewayError::TwoFactorRateLimited,
            ),
            (RingError::NeedsRelink, GatewayError::NeedsRelink),
            (RingError::Unauthorized, GatewayError::Unavailable),
            (RingError::SessionNotFound, GatewayError::Unavailable),
            (RingError::NotFound, GatewayError::DeviceNotFound),
            (RingError::DeviceOffline, GatewayError::DeviceOffline),
            (
                RingError::RateLimited {
                    retry_after: Some(Duration::from_secs(12)),
                },
                GatewayError::RateLimited { retry_after_secs: 12 },
            ),
            (
                RingError::RateLimited { retry_after: None },
                GatewayError::RateLimited {
                    retry_after_secs: DEFAULT_RETRY_AFTER_SECS,
                },
            ),
            (
                RingError::Blocked,
                GatewayError::RateLimited {
                    retry_after_secs: BLOCKED_RETRY_AFTER_SECS,
                },
            ),
            (RingError::Unprocessable, GatewayError::DeviceRejected),
            (RingError::Unavailable { status: 503 }, GatewayError::Unavailable),
            (RingError::Timeout, GatewayError::Timeout),
            (
                RingError::Unreachable { detail: detail() },
                GatewayError::Unavailable,
            ),
            (RingError::Network { detail: detail() }, GatewayError::Unavailable),
            (
                RingError::DeviceRejected { code: 3 },
                GatewayError::DeviceRejected,
            ),
            (
                RingError::UnexpectedResponse {
                    status: 418,
                    detail: "unexpected status".to_owned(),
                },
                GatewayError::Unexpected("HTTP 418: unexpected status".to_owned()),
            ),
            (
                RingError::PersistFailed(PersistError::new("disk full")),
                GatewayError::Storage,
            ),
            (
                RingError::InvalidConfig("bad URL".to_owned()),
                GatewayError::Unexpected("invalid Ring client configuration: bad URL".to_owned()),
            ),
        ];
        for (ring, expected) in cases {
            assert_eq!(gateway_error(ring), expected);
        }
    }

    #[test]
    fn only_a_sent_unlock_with_a_lost_answer_may_have_opened_the_door() {
        let failure = |error, sent| unlock_failure(UnlockError { error, sent });
        let timeout = failure(RingError::Timeout, true);
        assert_eq!(timeout.error, GatewayError::Timeout);
        assert!(timeout.door_may_have_opened);
        let dropped = failure(
            RingError::Network {
                detail: String::new(),
            },
            true,
        );
        assert_eq!(dropped.error, GatewayError::Unavailable);
        assert!(dropped.door_may_have_opened);
        assert!(!failure(RingError::Timeout, false).door_may_have_opened);
        assert!(!failure(RingError::Unavailable { status: 500 }, true).door_may_have_opened);
        assert!(!not_sent(GatewayError::NotLinked).door_may_have_opened);
    }
}
