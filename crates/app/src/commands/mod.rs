//! What each `latchkey` command does.

mod admin;
mod serve;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::{stores, telemetry};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = cli.config_file();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        // Needs no configuration: the document is the same for every deployment.
        println!(
            "{}",
            serde_json::to_string_pretty(&latchkey_http::openapi_document())?
        );
        return Ok(());
    }
    let mut config = Config::load(file.as_deref())?;
    if cli.demo {
        config = config.for_demo();
    }
    match command {
        Command::Serve | Command::Openapi => {
            telemetry::init(config.log_format);
            serve::run(config, cli.demo).await
        }
        Command::CheckConfig => {
            check_config(&config);
            Ok(())
        }
        Command::Migrate => {
            telemetry::init_for_command(config.log_format);
            stores::open(config.database_url.expose_secret(), 1).await?;
            println!("Migrations applied to {}", config.database_url);
            Ok(())
        }
        Command::Admin(command) => {
            telemetry::init_for_command(config.log_format);
            admin::run(&config, command).await
        }
    }
}

/// A summary without secrets: only whether they are set.
fn check_config(config: &Config) {
    println!("Configuration OK");
    if let Some(file) = &config.file {
        println!(
            "  settings file:  {} (environment variables override it)",
            file.display()
        );
    }
    println!("  listen:         {}", config.bind);
    match &config.public_url {
        Some(url) => println!("  public URL:     {url}"),
        None => println!(
            "  public URL:     http://{} (LATCHKEY_PUBLIC_URL unset)",
            config.bind
        ),
    }
    println!("  database:       {}", config.database_url);
    println!("  data directory: {}", config.data_dir.display());
    let secret = if config.secret.is_some() {
        "set (LATCHKEY_SECRET)".to_owned()
    } else {
        format!(
            "{} (generated on first start)",
            config.data_dir.join("secret.key").display()
        )
    };
    println!("  server secret:  {secret}");
    println!(
        "  Ring:           {} / {}",
        config.ring_oauth_url, config.ring_api_url
    );
}
