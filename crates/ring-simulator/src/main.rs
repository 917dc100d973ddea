//! `latchkey-ring-sim`: run the Ring cloud simulator as a standalone server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use latchkey_ring_sim::{RingSimulator, SimConfig};

/// A local fake of Ring's cloud (OAuth + API) for Latchkey demos and integration tests.
#[derive(Debug, Parser)]
#[command(name = "latchkey-ring-sim", version)]
struct Args {
    /// Accounts and devices (`.toml` or `.json`); see examples/sim.toml.
    #[arg(long, env = "LATCHKEY_RING_SIM_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "LATCHKEY_RING_SIM_BIND", default_value = "127.0.0.1:8787")]
    bind: SocketAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let config = match &args.config {
        Some(path) => match SimConfig::from_file(path) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("latchkey-ring-sim: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => SimConfig::default(),
    };
    // Emails and device ids only: passwords and codes are in the config file, not the output.
    let summary: Vec<String> = config
        .accounts
        .iter()
        .map(|a| {
            let ids: Vec<String> = a.devices.iter().map(|d| d.id.to_string()).collect();
            format!("{} (devices: {})", a.email, ids.join(", "))
        })
        .collect();
    let sim = match RingSimulator::start_on(config, args.bind) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("latchkey-ring-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("latchkey-ring-sim listening on {}", sim.base_url());
    println!("use it as both LATCHKEY_RING_OAUTH_URL and LATCHKEY_RING_API_URL");
    for line in summary {
        println!("  account {line}");
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("latchkey-ring-sim: cannot wait for Ctrl-C: {e}");
    }
    match sim.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey-ring-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
