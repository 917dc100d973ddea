use clap::Parser;
use latchkey::cli::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match latchkey::commands::run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
