//! `latchkey admin …`: user management from the console, through the same use cases as
//! the HTTP API. Standard output carries only the answer; a generated password is shown
//! this once and is never logged.

use std::io::BufRead;

use anyhow::{Context, anyhow, bail};
use latchkey_application::{AdminUsers, CreateUserCommand, Ports};
use latchkey_domain::{PlainPassword, Role, User};
use latchkey_ports::UserUpdate;

use crate::cli::{AdminCommand, RoleArg};
use crate::config::Config;
use crate::console::{find_user, operator};
use crate::server;
use crate::stores;

pub async fn run(config: &Config, command: AdminCommand) -> anyhow::Result<()> {
    let store = stores::open(config.database_url.expose_secret(), 1).await?;
    let ports = server::ports(store)?;
    let admin = AdminUsers::new(ports.clone(), server::policies(config));
    match command {
        AdminCommand::CreateUser {
            username,
            role,
            password_stdin,
        } => create_user(&admin, &ports, &username, role, password_stdin).await,
        AdminCommand::ResetPassword { username } => {
            let user = existing(&admin, &username).await?;
            let password = temporary_password(&admin, &ports, &user).await?;
            println!(
                "New temporary password for {:?} (shown only this once; it must be changed at the next login):",
                user.username.as_str()
            );
            println!("    {}", password.expose());
            Ok(())
        }
        AdminCommand::UnlockUser { username } => {
            let user = existing(&admin, &username).await?;
            let was_locked = user.lock.failed_logins > 0 || user.lock.locked_until.is_some();
            admin
                .unlock(operator(), user.id)
                .await
                .context("clearing the lockout")?;
            if was_locked {
                println!(
                    "Cleared the lockout of {:?}; they can log in again.",
                    user.username.as_str()
                );
            } else {
                println!("{:?} was not locked out; nothing to do.", user.username.as_str());
            }
            Ok(())
        }
    }
}

async fn create_user(
    admin: &AdminUsers,
    ports: &Ports,
    username: &str,
    role: RoleArg,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let chosen = if password_stdin {
        Some(read_password_line()?)
    } else {
        None
    };
    // Without a chosen password the user is created with a throwaway one and then given
    // a temporary password the reset rules mark "must change" (create never does).
    let initial = chosen
        .clone()
        .unwrap_or_else(|| ports.random.temporary_password());
    let user = admin
        .create(
            operator(),
            CreateUserCommand {
                username: username.to_owned(),
                password: initial,
                role: Some(role.as_str().to_owned()),
                first_name: None,
                last_name: None,
                structure: None,
            },
        )
        .await
        .with_context(|| format!("creating {username:?}"))?;
    println!(
        "Created {} {:?} (id {}).",
        user.role.as_str(),
        user.username.as_str(),
        user.id
    );
    if chosen.is_none() {
        let password = temporary_password(admin, ports, &user).await?;
        println!("Temporary password (shown only this once; it must be changed at the first login):");
        println!("    {}", password.expose());
    }
    Ok(())
}

async fn existing(admin: &AdminUsers, username: &str) -> anyhow::Result<User> {
    find_user(admin, username)
        .await?
        .ok_or_else(|| anyhow!("no user named {username:?}"))
}

/// A fresh temporary password the user must change at the next login; their sessions
/// end and a lockout is cleared.
///
/// For residents this is the API's reset use case. That use case refuses administrators
/// (one admin must not take over another through the API); the console operator is
/// above that rule, and "I lost the only admin password" must have an answer, so for
/// them the same steps run here on the ports: store the hash with "must change" (the
/// store ends the sessions), then the unlock use case.
async fn temporary_password(admin: &AdminUsers, ports: &Ports, user: &User) -> anyhow::Result<PlainPassword> {
    if user.role != Role::Admin {
        return admin
            .reset_password(operator(), user.id)
            .await
            .context("resetting the password");
    }
    let temp = ports.random.temporary_password();
    let hash = ports
        .hasher
        .hash(&temp)
        .await
        .map_err(|e| anyhow!("hashing the password: {e}"))?;
    let update = UserUpdate {
        password: Some((hash, true)),
        ..UserUpdate::default()
    };
    ports
        .users
        .update_user(user.id, update, ports.clock.now())
        .await
        .map_err(|e| anyhow!("storing the password: {e}"))?;
    admin
        .unlock(operator(), user.id)
        .await
        .context("clearing the lockout")?;
    Ok(temp)
}

/// One line from standard input, without its line ending (spaces are kept: they may be
/// part of the password).
fn read_password_line() -> anyhow::Result<PlainPassword> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        bail!("--password-stdin: standard input held no password");
    }
    Ok(PlainPassword::new(password))
}
