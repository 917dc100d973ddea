use clap::Parser;
use latchkey::cli::{Cli, Command};
use latchkey::{BuildOptions, Config, stores, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        println!(
            "{}",
            serde_json::to_string_pretty(&latchkey_http::openapi_document())?
        );
        return Ok(());
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    match command {
        Command::CheckConfig => {
            println!(
                "configuration OK: listening on {}, database {}",
                config.bind,
                redact_url(&config.database_url)
            );
        }
        Command::Migrate => {
            stores::open(&config.database_url, 1).await?;
            println!("migrations applied to {}", redact_url(&config.database_url));
        }
        Command::Serve | Command::Openapi => serve(config).await?,
    }
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let server = latchkey::build(&config, BuildOptions::default()).await?;
    println!("Latchkey is listening on http://{}", server.addr);
    println!("  data directory: {}", config.data_dir.display());
    println!("  database:       {}", redact_url(&config.database_url));
    println!("  API docs:       http://{}/api/docs/", server.addr);
    if let Some((username, generated)) = &server.bootstrap {
        match generated {
            Some(password) => {
                println!("  First start: created administrator {username:?} with the password below.");
                println!("  It is shown only this once and must be changed at first login:");
                println!("      {password}");
            }
            None => {
                println!("  First start: created administrator {username:?} from LATCHKEY_ADMIN_PASSWORD.")
            }
        }
    }
    tracing::info!(addr = %server.addr, "serving");
    server.run().await?;
    tracing::info!("stopped");
    Ok(())
}

/// The URL without its password, for messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
