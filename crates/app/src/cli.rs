//! The `latchkey` command line.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "latchkey", version, about = "Guest links for a Ring Intercom", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default). Settings come from LATCHKEY_* variables.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the OpenAPI document as JSON and exit.
    Openapi,
    /// Check the configuration and exit (non-zero with a message naming the bad setting).
    CheckConfig,
}
