//! Getting ready: schemathesis installed, the binaries built, the Ring simulator's
//! account and the data schemathesis is told about.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;
use serde_json::{Value, json};

use super::*;
use crate::bench::http::Client;
use crate::bench::procs::{self};

pub(super) const RING_EMAIL: &str = "schemathesis@example.com";
pub(super) const RING_PASSWORD: &str = "schemathesis-ring-password";
pub(super) const DOOR: i64 = 1001;

/// The Ring cloud the server talks to: one account (no 2FA) with one intercom.
pub(super) fn sim_config() -> String {
    format!(
        r#"token_expires_in_secs = 86400
reusable_refresh_tokens = false
require_user_agent = false

[[accounts]]
email = "{RING_EMAIL}"
password = "{RING_PASSWORD}"

[[accounts.devices]]
id = {DOOR}
kind = "intercom_handset_audio"
description = "Front door"
"#
    )
}

/// Links the admin's Ring account and makes a guest link (5 uses), and returns the
/// configuration that makes schemathesis use them now and then — a real guest token, the
/// real intercom and account — so the fuzzing also reaches the paths behind them (the
/// guest view and unlock, the resident's unlock, guest-link creation) instead of 404s.
pub(super) fn seed_data(admin: &Client) -> anyhow::Result<String> {
    let linked = admin
        .post(
            "/api/ring/auth/start",
            &json!({"email": RING_EMAIL, "password": RING_PASSWORD, "accountLabel": "Schemathesis"}),
        )?
        .expect(200, "linking the Ring account")?;
    let account = linked["ringAccountId"]
        .as_i64()
        .with_context(|| format!("no ringAccountId: {linked}"))?;
    let link = admin
        .post(
            "/api/guest-links",
            &json!({"label": "Schemathesis", "intercomId": DOOR, "maxUses": 5,
                    "expiresAt": crate::bench::setup::iso_in_days(30)}),
        )?
        .expect(200, "creating a guest link")?;
    let token = link["link"]["token"].as_str().context("no guest token")?;
    Ok(format!(
        r#"
[dictionaries.guest-tokens]
values = ["{token}"]
[dictionaries.intercoms]
values = [{DOOR}]
[dictionaries.ring-accounts]
values = [{account}]

[parameters]
"path.token" = {{ dictionary = "guest-tokens", probability = 0.3 }}
"body.intercomId" = {{ dictionary = "intercoms", probability = 0.3 }}
"query.intercomId" = {{ dictionary = "intercoms", probability = 0.3 }}
"body.ringAccountId" = {{ dictionary = "ring-accounts", probability = 0.3 }}
"#
    ))
}

/// Cargo's target directory, where the venv and the run's files live.
pub(super) fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => crate::root().join(dir),
        None => crate::root().join("target"),
    }
}

/// The venv's `st`, installing schemathesis `VERSION` into `venv` unless it is there.
pub(super) fn install(venv: &Path) -> anyhow::Result<PathBuf> {
    let st = venv.join("bin/st");
    let installed = Command::new(&st)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("version {VERSION}")));
    if installed {
        return Ok(st);
    }
    eprintln!(
        "schemathesis: installing schemathesis=={VERSION} into {}",
        venv.display()
    );
    let make_venv = || {
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(venv)
            .status()
            .context("running python3 -m venv")
    };
    let mut status = make_venv()?;
    if !status.success() && std::env::var("CI").as_deref() == Ok("true") && procs::have("apt-get") {
        // Debian ships venv (ensurepip) separately; CI machines are set up as they go.
        procs::apt_install(&["python3-venv"])?;
        status = make_venv()?;
    }
    anyhow::ensure!(status.success(), "python3 -m venv failed ({status})");
    let status = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={VERSION}"))
        .status()
        .context("running pip")?;
    anyhow::ensure!(
        status.success(),
        "pip install schemathesis=={VERSION} failed ({status})"
    );
    Ok(st)
}

/// Builds the binaries (`(package, bin)`, dev profile) in one cargo call, so they share
/// one feature resolution, and returns their paths.
pub(super) fn build<const N: usize>(bins: &[(&str, &str); N]) -> anyhow::Result<[PathBuf; N]> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut args = vec!["build"];
    for (package, bin) in bins {
        args.extend(["-p", package, "--bin", bin]);
    }
    eprintln!("$ cargo {}", args.join(" "));
    let out = Command::new(cargo)
        .args(&args)
        .arg("--message-format=json-render-diagnostics")
        .current_dir(crate::root())
        .stderr(Stdio::inherit())
        .output()?;
    anyhow::ensure!(out.status.success(), "cargo {} failed", args.join(" "));
    let messages: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .collect();
    let mut paths = Vec::new();
    for (_, bin) in bins {
        let path = messages
            .iter()
            .filter(|m| m["target"]["name"] == *bin)
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .with_context(|| format!("cargo reported no executable {bin}"))?;
        paths.push(path);
    }
    paths
        .try_into()
        .map_err(|_| anyhow::anyhow!("cargo reported too few executables"))
}

pub(super) fn login(client: &Client, username: &str, password: &str) -> anyhow::Result<String> {
    let res = client.post(
        "/api/auth/login",
        &json!({"username": username, "password": password}),
    )?;
    let token = res.header("set-auth-token").map(str::to_owned);
    res.expect(200, &format!("login of {username}"))?;
    token.context("login answered without set-auth-token")
}
