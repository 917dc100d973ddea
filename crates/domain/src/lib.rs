#![doc = include_str!("../README.md")]

pub mod authz;
pub mod guest_link;
pub mod limits;
pub mod lockout;
pub mod login_audit;
pub mod password;
pub mod ring;
pub mod session;
pub mod text;
pub mod unlock_audit;
pub mod user;

pub use authz::{Actor, AdminRuleError};
pub use guest_link::{
    GuestLink, GuestLinkError, GuestLinkId, GuestLinkPolicy, GuestLinkState, GuestLinkTemplate,
    GuestUnlockRefusal,
};
pub use limits::{RateLimits, RateLimitsError, RateLimitsPatch};
pub use lockout::{LockState, LockoutPolicy};
pub use login_audit::{LoginAuditEvent, LoginOutcome};
pub use password::{PasswordError, PasswordPolicy, PlainPassword};
pub use ring::{
    AccountLabel, AccountLabelError, IntercomId, RingAccount, RingAccountId, RingAuthPolicy, RingLinkStatus,
};
pub use session::{Session, SessionInvalid, SessionPolicy};
pub use unlock_audit::{UnlockActor, UnlockEvent, UnlockOutcome};
pub use user::{PersonName, Role, Structure, User, UserId, UserProfileError, Username, UsernameError};
