//! The composition root: configuration, wiring, start-up, background jobs and the CLI.
//! The only crate that knows every other crate.

pub mod cli;
pub mod config;
pub mod security;
pub mod server;
pub mod stores;
pub mod telemetry;

pub use config::Config;
pub use server::{BuildOptions, Server, build};
