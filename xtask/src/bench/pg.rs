//! PostgreSQL for the bench (and schemathesis): a fresh database on the running server
//! (dropped again at the end), SQL through psql, and the pgbench ceiling.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::Context;

use super::procs;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
pub const BENCH_DB: &str = "latchkey_bench";

/// pgbench's script: the server's guest lookup (`find_guest_link_by_token`, the same
/// text as bench/raw-ceiling), `:h` sent as a parameter of a prepared statement.
pub const LOOKUP_PGBENCH: &str = "SELECT gl.id, gl.owner_id, gl.ring_account_id, gl.intercom_id, gl.label, \
gl.starts_at, gl.expires_at, gl.max_uses, gl.uses, gl.created_at, \
(gl.disabled_at IS NOT NULL OR u.disabled OR ra.deleted_at IS NOT NULL) \
FROM guest_links gl INNER JOIN users u ON u.id = gl.owner_id \
INNER JOIN ring_accounts ra ON ra.id = gl.ring_account_id \
WHERE gl.token_hash = :h LIMIT 1;\n";

/// A fresh database of the harness's own (the bench's, schemathesis'); dropped (with
/// its connections) when this is dropped.
#[derive(Debug)]
pub struct BenchDb {
    admin_url: String,
    name: &'static str,
    pub url: String,
}

/// The administrative URL (`LATCHKEY_TEST_DATABASE_URL`, as the tests use, or the
/// local default), if PostgreSQL answers there and psql and pgbench are installed.
pub fn available() -> Result<String, String> {
    let url = std::env::var("LATCHKEY_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    for tool in ["psql", "pgbench"] {
        if !procs::have(tool) {
            return Err(format!("{tool} is not installed"));
        }
    }
    match psql(&url, "SELECT 1") {
        Ok(_) => Ok(url),
        Err(e) => Err(format!("PostgreSQL at {url} does not answer ({e})")),
    }
}

impl BenchDb {
    /// The bench's database, [`BENCH_DB`].
    pub fn create(admin_url: &str) -> anyhow::Result<Self> {
        Self::create_named(admin_url, BENCH_DB)
    }

    /// Database `name`, made anew (a leftover of a killed run is dropped first).
    pub fn create_named(admin_url: &str, name: &'static str) -> anyhow::Result<Self> {
        psql(admin_url, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        psql(admin_url, &format!("CREATE DATABASE {name}"))?;
        let base = admin_url.rsplit_once('/').map_or(admin_url, |(base, _)| base);
        Ok(Self {
            admin_url: admin_url.to_owned(),
            name,
            url: format!("{base}/{name}"),
        })
    }

    pub fn version(&self) -> String {
        psql(&self.url, "SHOW server_version")
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        let name = self.name;
        match psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ) {
            Ok(_) => eprintln!("dropped database {name}"),
            Err(e) => eprintln!("could not drop database {name}: {e:#}"),
        }
    }
}

/// Runs SQL with psql (stop at the first error); its unaligned output.
pub fn psql(url: &str, sql: &str) -> anyhow::Result<String> {
    procs::output(
        "psql",
        &[url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
    )
}

/// Runs a SQL file with psql.
pub fn psql_file(url: &str, file: &Path) -> anyhow::Result<()> {
    let path = file.display().to_string();
    procs::output("psql", &[url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", &path]).map(drop)
}

/// pgbench running `script` (select-only, prepared statements, 8 clients) for `secs`;
/// transactions per second. `vars` are passed with `-D` and reach the query as
/// parameters.
pub fn pgbench(url: &str, script: &Path, vars: &[(&str, &str)], secs: u32) -> anyhow::Result<f64> {
    let mut cmd = Command::new("pgbench");
    cmd.args(["-n", "-M", "prepared", "-c", "8", "-j", "2", "-T"])
        .arg(secs.to_string())
        .arg("-f")
        .arg(script);
    for (k, v) in vars {
        cmd.arg("-D").arg(format!("{k}={v}"));
    }
    let out = cmd
        .arg(url)
        .stderr(Stdio::piped())
        .output()
        .context("running pgbench")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "pgbench failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .with_context(|| format!("no tps in pgbench's output: {stdout}"))?
        .parse()
        .map_err(Into::into)
}
