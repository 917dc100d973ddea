//! `cargo xtask test`: every test of the workspace, on SQLite and PostgreSQL.
//!
//! PostgreSQL-backed tests use `LATCHKEY_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and make one schema per test. When no
//! PostgreSQL answers, this says so loudly and runs the rest — except under `CI=true`,
//! where a missing PostgreSQL fails the run.
//!
//! Then `cargo xtask schemathesis` fuzzes the running server against its OpenAPI document.
//! Then every fuzz target runs briefly (`cargo xtask fuzz --quick`, see `fuzz.rs`).

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn run(extra: &[String]) -> anyhow::Result<()> {
    let url = std::env::var("LATCHKEY_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    let ci = std::env::var("CI").as_deref() == Ok("true");
    if !reachable(&url) {
        anyhow::ensure!(
            !ci,
            "PostgreSQL at {url} is not reachable, and CI=true requires it"
        );
        eprintln!();
        eprintln!("!!! ================================================================ !!!");
        eprintln!("!!!  PostgreSQL at {url} is NOT reachable.");
        eprintln!("!!!  PostgreSQL tests will be SKIPPED; only SQLite is tested.");
        eprintln!("!!!  Start PostgreSQL or set LATCHKEY_TEST_DATABASE_URL.");
        eprintln!("!!! ================================================================ !!!");
        eprintln!();
    }
    // The bench's ceilings build in release for the bench only.
    let mut args = vec![
        "test",
        "--workspace",
        "--all-features",
        "--exclude",
        "latchkey-raw-ceiling",
    ];
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    args.extend(extra);
    super::cargo(&args)?;
    super::schemathesis::run(&[])?;
    super::fuzz::run(&["--quick".to_owned()])
}

/// Whether something accepts TCP connections at the URL's host and port.
fn reachable(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or("");
    let host_port = rest
        .rsplit('@')
        .next()
        .unwrap_or("")
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    let with_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    with_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok())
}
