#![doc = include_str!("../README.md")]

pub mod authz;
pub mod limits;
pub mod lockout;
pub mod login_audit;
pub mod password;
pub mod session;
pub mod text;
pub mod user;

pub use authz::{Actor, AdminRuleError};
pub use limits::{RateLimits, RateLimitsError, RateLimitsPatch};
pub use lockout::{LockState, LockoutPolicy};
pub use login_audit::{LoginAuditEvent, LoginOutcome};
pub use password::{PasswordError, PasswordPolicy, PlainPassword};
pub use session::{Session, SessionInvalid, SessionPolicy};
pub use user::{PersonName, Role, Structure, User, UserId, UserProfileError, Username, UsernameError};
