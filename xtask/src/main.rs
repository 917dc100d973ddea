//! `cargo xtask <task>`: the project's own commands, the same locally and in CI.
//!
//! - `test`          every test, on SQLite and PostgreSQL (see `test.rs`), then schemathesis and `fuzz --quick`
//! - `fuzz`          the cargo-fuzz targets in tests/fuzz; `--quick` is CI's short run
//! - `openapi`       write openapi/openapi.json from the code; `--check` fails if it drifted
//! - `check-layers`  prove the inner crates never depend on I/O frameworks
//! - `schemathesis`  fuzz the running server against its OpenAPI document (see `schemathesis/`)
//! - `bench`         issue 6's benchmark into bench/RESULTS.md; `--quick` is CI's smoke run
//! - `ci`            fmt, clippy, check-layers, openapi --check, test, bench --quick

mod bench;
mod fuzz;
mod layers;
mod openapi;
mod schemathesis;
mod test;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some("openapi") => openapi::run(args.iter().any(|a| a == "--check")),
        Some("check-layers") => layers::run(),
        Some("schemathesis") => schemathesis::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("ci") => ci(),
        _ => {
            eprintln!(
                "usage: cargo xtask <test|openapi [--check]|check-layers|schemathesis|bench [--quick]|fuzz [--quick]|ci>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn ci() -> anyhow::Result<()> {
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    layers::run()?;
    openapi::run(true)?;
    test::run(&[])?;
    bench::run(&["--quick".to_owned()])
}

/// Runs `cargo <args>` from the workspace root, failing on a non-zero exit.
pub fn cargo(args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(cargo).args(args).current_dir(root()).status()?;
    anyhow::ensure!(status.success(), "cargo {} failed ({status})", args.join(" "));
    Ok(())
}

pub fn root() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(std::path::Path::to_path_buf).unwrap_or(dir)
}
