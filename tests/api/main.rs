//! Black-box tests of the HTTP contract: the real server over TCP, a real database,
//! driven the way a browser and an API client would.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin_users;
mod auth;
mod bad_input;
mod client_ip;
mod csrf;
mod db_faults;
mod guest_link_paging;
mod guest_links;
mod guest_page;
mod guest_unlock;
mod health;
mod hostile_text;
mod lockout;
mod metrics;
mod rate_limits;
mod revocation;
mod ring_faults;
mod ring_link;
mod roles;
mod secrets;
mod unlock_races;
