//! `RingGateway` (the `IntercomGateway` port) against the simulator over real HTTP, with an
//! in-memory token vault.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod devices;
mod login;
mod support;
mod tokens;
mod unlock;
