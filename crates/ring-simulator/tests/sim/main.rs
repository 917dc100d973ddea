//! Black-box tests of the simulator over real HTTP (reqwest).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod config_file;
mod faults;
mod oauth;
mod support;
mod unlock;
