//! The port implementations, one `macro_rules!` per port.
//!
//! A store crate calls [`impl_all_ports!`](crate::impl_all_ports) (or the single-port
//! macros) for its own type. The bodies are written once here and compiled against that
//! crate's concrete connection type, which each body gets from the store's inherent
//! `async fn conn(&self) -> Result<impl DerefMut<Target = Conn>, StoreError>`.
//!
//! Keep the bodies thin: rows, conversions and query pieces live in [`crate::model`];
//! a body picks a connection, runs the statement and maps errors with
//! [`map_diesel_error`](crate::map_diesel_error). Everything after taking the connection
//! runs inside [`__bounded!`](crate::__bounded), under the store's `query_timeout()`
//! (see [`crate::deadline`]).

mod device_health;
mod guest_links;
mod guest_templates;
mod health;
mod login_audit;
mod ring_accounts;
mod ring_auth;
mod sessions;
mod settings;
mod unlock_audit;
mod users;

/// Implements every storage port for `$store`.
#[macro_export]
macro_rules! impl_all_ports {
    ($store:ty) => {
        $crate::impl_user_store!($store);
        $crate::impl_session_store!($store);
        $crate::impl_login_audit_store!($store);
        $crate::impl_settings_store!($store);
        $crate::impl_ring_account_store!($store);
        $crate::impl_ring_auth_attempt_store!($store);
        $crate::impl_unlock_audit_store!($store);
        $crate::impl_device_health_store!($store);
        $crate::impl_guest_link_store!($store);
        $crate::impl_guest_template_store!($store);
        $crate::impl_store_health!($store);
    };
}

/// Imports for the macro bodies: diesel's query traits by name (never diesel's prelude
/// next to diesel-async's `RunQueryDsl`, whose methods it would shadow ambiguously).
#[doc(hidden)]
pub mod prelude {
    pub use diesel::{
        BoolExpressionMethods as _, ExpressionMethods as _, OptionalExtension as _, QueryDsl as _,
        SelectableHelper as _,
    };
    pub use diesel_async::{AsyncConnection as _, RunQueryDsl as _};
    pub use latchkey_domain::UserId;
    pub use latchkey_ports::StoreError;

    pub use crate::cached::CacheStatement as _;
    pub use crate::map_diesel_error;
    pub use crate::model::{clamp_i64, count_u64};
    pub use crate::schema;
    pub use crate::timestamps::to_db;
}
