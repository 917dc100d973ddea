//! Who is calling: signed session tokens, cookies, CSRF, and the extractors handlers use.

pub mod cookies;
pub mod csrf;
pub mod extract;
pub mod keys;
pub mod token;

pub use extract::{AdminUser, Authenticated, CurrentUser};
pub use keys::ServerKeys;
