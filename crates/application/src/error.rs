//! The error every use case returns.
//!
//! Policy: each variant is a distinct situation a client can act on and maps to exactly
//! one HTTP status and stable code in `latchkey-http` (tested there). Store failures are
//! sorted into `Unavailable` (retry later, 503) and `Internal` (our bug or corrupt data,
//! 500 with an opaque body; the detail goes to the log only).

use latchkey_domain::{
    AdminRuleError, GuestLinkError, GuestUnlockRefusal, PasswordError, RateLimitsError, UserProfileError,
    UsernameError,
};
use latchkey_ports::{GatewayError, HashError, StoreError};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error("{field}: {message}")]
    Validation { field: &'static str, message: String },
    #[error("username and password are required")]
    MissingCredentials,
    #[error("invalid username or password")]
    InvalidCredentials,
    #[error("the current password is wrong")]
    InvalidCurrentPassword,
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("this account is locked")]
    AccountLocked { until: OffsetDateTime },
    #[error("not authenticated")]
    Unauthenticated,
    #[error("the password must be changed before anything else")]
    PasswordChangeRequired,
    #[error("{0}")]
    AdminRule(AdminRuleError),
    #[error("{resource} not found")]
    NotFound { resource: &'static str },
    #[error("{field} is already taken")]
    Conflict { field: &'static str },
    /// Talking to Ring failed, or Ring refused; the variant says how.
    #[error("{0}")]
    Ring(GatewayError),
    /// A guest link exists but cannot open the door now.
    #[error("{0}")]
    GuestUnlockRefused(GuestUnlockRefusal),
    /// The expiry of a disabled or used-up link cannot be moved.
    #[error("{0}")]
    GuestLinkNotExtendable(GuestLinkError),
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &'static str, err: impl std::fmt::Display) -> Self {
        AppError::Validation {
            field,
            message: err.to_string(),
        }
    }

    /// A store error where a missing row means `resource` was not found.
    pub fn store(resource: &'static str) -> impl Fn(StoreError) -> AppError {
        move |e| match e {
            StoreError::NotFound => AppError::NotFound { resource },
            other => AppError::from(other),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(detail) => {
                tracing::warn!(%detail, "store unavailable");
                AppError::Unavailable
            }
            StoreError::NotFound => AppError::Internal("unexpected missing row".into()),
            StoreError::Conflict(rule) => AppError::Internal(format!("unexpected conflict: {rule}")),
            StoreError::Corrupt(detail) => AppError::Internal(format!("corrupt row: {detail}")),
            StoreError::Other(detail) => AppError::Internal(detail),
        }
    }
}

impl From<GatewayError> for AppError {
    fn from(e: GatewayError) -> Self {
        AppError::Ring(e)
    }
}

impl From<HashError> for AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => AppError::Unavailable,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<AdminRuleError> for AppError {
    fn from(e: AdminRuleError) -> Self {
        AppError::AdminRule(e)
    }
}

impl From<UsernameError> for AppError {
    fn from(e: UsernameError) -> Self {
        AppError::validation("username", e)
    }
}

impl From<PasswordError> for AppError {
    fn from(e: PasswordError) -> Self {
        AppError::validation("password", e)
    }
}

impl From<UserProfileError> for AppError {
    fn from(e: UserProfileError) -> Self {
        let field = match e {
            UserProfileError::TooLong { field, .. } | UserProfileError::ForbiddenCharacters { field } => {
                field
            }
        };
        AppError::validation(field, e)
    }
}

impl From<RateLimitsError> for AppError {
    fn from(e: RateLimitsError) -> Self {
        AppError::validation(e.field, &e)
    }
}
