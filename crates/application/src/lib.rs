#![doc = include_str!("../README.md")]

pub mod admin;
pub mod bootstrap;
pub mod error;
pub mod guest;
pub mod identity;
pub mod limits;
pub mod lockout;
pub mod paging;
pub mod ports;
pub mod readiness;
pub mod ring;

#[cfg(test)]
mod testing;

pub use admin::{AdminUsers, CreateUserCommand, UpdateUserCommand};
pub use bootstrap::{Bootstrap, BootstrapOutcome};
pub use error::AppError;
pub use guest::{
    CreateLink, GuestPorts, GuestService, GuestToken, GuestView, LinkPage, LinkPageQuery, LinkView,
};
pub use identity::{ClientInfo, Identity, LoginCommand, LoginSuccess, Principal, SessionSecret};
pub use limits::RateLimitSettings;
pub use paging::PageQuery;
pub use ports::{Policies, Ports};
pub use readiness::Readiness;
pub use ring::{RingPorts, RingService, SealedTokenVault};
