//! The `latchkey` command line: what each command does, as `--help` shows it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "latchkey",
    version,
    about = "Guest links for a Ring Intercom",
    long_about = "Guest links for a Ring Intercom: residents hand out URLs that open the front door \
                  only inside a time window and for a limited number of uses.\n\n\
                  Without a command, `latchkey` serves (the same as `latchkey serve`).",
    after_help = "Settings come from LATCHKEY_* environment variables and DATABASE_URL, over an \
                  optional TOML file (--config); see the README's settings table. \
                  `latchkey check-config` validates them without starting."
)]
pub struct Cli {
    /// Read settings from this TOML file (environment variables override it)
    ///
    /// Its keys are the variable names without `LATCHKEY_`, in lower case (`bind`,
    /// `database_url`, `session_idle_minutes`, …); an unknown key stops start-up.
    /// Without this option, `LATCHKEY_CONFIG` names the file (if set).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Demo mode: a simulated Ring cloud and a separate, seeded demo database
    ///
    /// Runs a simulated Ring cloud in-process and uses <data dir>/demo.db (never the
    /// real database), seeded with a resident, a linked Ring account, an intercom, a
    /// template and an active guest link. With `admin` or `migrate`, acts on the demo
    /// database.
    #[arg(long, global = true)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// `--config`, else `LATCHKEY_CONFIG` (empty counts as unset, like every setting).
    pub fn config_file(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            std::env::var_os("LATCHKEY_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default)
    ///
    /// Applies pending migrations, creates the first administrator on an empty database,
    /// prints where it listens, where the data lives, how to log in and where the API
    /// docs are. Stops gracefully on SIGTERM or Ctrl-C.
    Serve,
    /// Apply pending database migrations and exit
    ///
    /// For deploys that migrate before starting new instances; `serve` migrates too.
    Migrate,
    /// Manage users from the console (e.g. a lost admin password)
    ///
    /// Acts on the configured database directly, through the same rules as the HTTP API;
    /// the server may be running.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print the OpenAPI document (JSON) and exit
    ///
    /// The service serves the same document at /api/openapi.json, and the Swagger UI at
    /// /api/docs/.
    Openapi,
    /// Check the configuration and exit
    ///
    /// Exits non-zero, with a message naming the bad setting, when a value is invalid;
    /// otherwise prints a summary without secrets.
    CheckConfig,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user (a temporary password is printed unless --password-stdin)
    ///
    /// Without --password-stdin a temporary password is generated and printed once; the
    /// user must change it at first login.
    CreateUser {
        /// The login name (3 to 64 characters).
        username: String,
        /// The user's role.
        #[arg(long, value_enum, default_value_t = RoleArg::User)]
        role: RoleArg,
        /// Read the password from standard input (one line) instead of generating one,
        /// e.g. `printf '%s\n' "$PW" | latchkey admin create-user ada --password-stdin`.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print a new temporary password for a user (once)
    ///
    /// It must be changed at the next login. Ends the user's sessions and clears a
    /// lockout. Works for administrators too.
    ResetPassword {
        /// The login name.
        username: String,
    },
    /// Clear a user's lockout after too many failed logins
    UnlockUser {
        /// The login name.
        username: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// A resident: links Ring accounts, hands out guest links.
    User,
    /// An administrator: manages users, lockouts, rate limits and audits.
    Admin,
}

impl RoleArg {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Admin => "admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_flags_are_global() {
        let cli = Cli::try_parse_from(["latchkey", "--demo"]).unwrap();
        assert!(cli.demo && cli.command.is_none());
        let cli = Cli::try_parse_from([
            "latchkey",
            "admin",
            "create-user",
            "ada",
            "--role",
            "admin",
            "--config",
            "x.toml",
        ])
        .unwrap();
        assert_eq!(cli.config, Some(PathBuf::from("x.toml")));
        match cli.command {
            Some(Command::Admin(AdminCommand::CreateUser {
                username,
                role,
                password_stdin,
            })) => {
                assert_eq!(
                    (username.as_str(), role, password_stdin),
                    ("ada", RoleArg::Admin, false)
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(Cli::try_parse_from(["latchkey", "admin", "create-user", "ada", "--role", "root"]).is_err());
    }
}
