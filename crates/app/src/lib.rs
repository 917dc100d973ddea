//! The composition root: configuration, wiring, start-up, background jobs and the CLI.
//! The only crate that knows every other crate.

mod banner;
pub mod cli;
pub mod commands;
pub mod config;
mod console;
pub mod demo;
pub mod drain;
mod metered;
mod ring_wiring;
pub mod security;
pub mod server;
mod shutdown;
pub mod stores;
pub mod telemetry;

pub use config::Config;
pub use server::{BuildOptions, Server, build};
