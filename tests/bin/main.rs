//! Tests of the built `latchkey` binary, run the way the README says: a fresh data
//! directory, the banner read from the console, the service driven over HTTP only, and
//! stopped with SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod config;
mod demo;
mod docs;
mod log_forging;
mod process;
mod ring_kill;
mod serve;
mod shutdown;
