//! The Ring client against the simulator over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod account;
mod api;
mod oauth;
mod per_thread;
mod support;
mod unlock;
