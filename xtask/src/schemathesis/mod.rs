//! `cargo xtask schemathesis [--examples N] [--seed N]`: schemathesis (issue 6, "Bad
//! input") against the running server's `/api/openapi.json`, every check on, first
//! anonymous and then authenticated.
//!
//! Installs the pinned schemathesis into `<target>/schemathesis-venv` (once), builds the
//! server and the Ring simulator, and on each store — SQLite in a fresh data dir, then
//! PostgreSQL in a fresh `latchkey_schemathesis` database (under `CI=true` a missing
//! PostgreSQL fails the run) — starts both (a known administrator, rate limits raised
//! so the fuzzing is not starved into 429s, the admin's Ring account linked and one
//! guest link made, which schemathesis is told about), and runs schemathesis with a bounded number of examples per operation and a fixed seed
//! (reproducible; `--seed` explores elsewhere). It fails on
//! any failure schemathesis reports (5xx, undocumented status, body or header not
//! matching the document, wrong content type, …) and on any response body that shows a
//! stack trace or SQL. The servers are stopped at the end, also on failure; a failed
//! run keeps the servers' logs and schemathesis' NDJSON reports in
//! `<target>/schemathesis/run-<pid>-<store>/` (`st replay <id>` there reproduces a case).
//!
//! Authenticated, three operations would end or starve the session the fuzzing runs
//! on, so each runs after the others, alone, with a session of its own (a dedicated
//! administrator created for it): `POST /api/auth/logout` ends the session it is called
//! with; `PUT /api/admin/users/{id}` may give any user (the caller included) a new
//! password or disable them, which ends their sessions; `POST /api/admin/limits` may
//! lower `authPerMinute` to 1, after which nearly every call answers 429 — so it runs
//! last, and its later cases check those 429s against the document.
//!
//! Outside CI, a machine where schemathesis cannot be installed (no python3 or no PyPI)
//! skips this loudly; under `CI=true` that fails.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use crate::bench::http::Client;
use crate::bench::pg::{self, BenchDb};
use crate::bench::procs::{self, Proc};

mod config;
mod report;
mod setup;

use config::CONFIG;
use report::*;
use setup::*;

/// The schemathesis release used, exactly.
const VERSION: &str = "4.32.5";
const DEFAULT_EXAMPLES: u32 = 50;
const DEFAULT_SEED: u64 = 6;
/// The PostgreSQL run's database, made anew and dropped at the end.
const DATABASE: &str = "latchkey_schemathesis";

const ADMIN: &str = "admin";
const ADMIN_PASSWORD: &str = "copper-lantern-meadow-58-schemathesis";
/// Password of the dedicated administrators of the last runs.
const USER_PASSWORD: &str = "velvet-otter-harbor-93-schemathesis";

const LOGOUT: &str = "POST /api/auth/logout";
const EDIT_USER: &str = "PUT /api/admin/users/{id}";
const LIMITS: &str = "POST /api/admin/limits";

#[derive(Debug)]
struct Options {
    examples: u32,
    seed: u64,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Self> {
        let mut o = Self {
            examples: DEFAULT_EXAMPLES,
            seed: DEFAULT_SEED,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().with_context(|| format!("{a} needs a value"));
            match a.as_str() {
                "--examples" => o.examples = value()?.parse()?,
                "--seed" => o.seed = value()?.parse()?,
                other => {
                    bail!("unknown option {other}; usage: cargo xtask schemathesis [--examples N] [--seed N]")
                }
            }
        }
        anyhow::ensure!(o.examples >= 1, "--examples must be at least 1");
        Ok(o)
    }
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let opts = Options::parse(args)?;
    let target = target_dir();
    let st = match install(&target.join("schemathesis-venv")) {
        Ok(st) => st,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!();
            eprintln!("!!! ================================================================ !!!");
            eprintln!("!!!  schemathesis {VERSION} could not be installed: {e:#}");
            eprintln!("!!!  The schemathesis run is SKIPPED (python3 with venv and PyPI needed).");
            eprintln!("!!! ================================================================ !!!");
            eprintln!();
            return Ok(());
        }
        Err(e) => return Err(e.context("installing schemathesis (CI=true requires it)")),
    };
    let [latchkey, sim_bin] = build(&[
        ("latchkey", "latchkey"),
        ("latchkey-ring-sim", "latchkey-ring-sim"),
    ])?;
    let bins = Bins {
        st: &st,
        latchkey: &latchkey,
        sim: &sim_bin,
    };
    let postgres = match pg::available() {
        Ok(url) => Some(url),
        Err(why) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("\n!!! schemathesis on PostgreSQL SKIPPED: {why}\n");
            None
        }
        Err(why) => bail!("schemathesis on PostgreSQL (CI=true requires it): {why}"),
    };
    let mut ok = on_store("SQLite", None, &bins, &opts, &target)?;
    if let Some(admin_url) = postgres {
        // Dropped at the end, also on failure.
        let db = BenchDb::create_named(&admin_url, DATABASE)?;
        ok &= on_store("PostgreSQL", Some(&db.url), &bins, &opts, &target)?;
    }
    anyhow::ensure!(ok, "schemathesis found failures (details above)");
    Ok(())
}

/// The programs a run starts.
struct Bins<'a> {
    st: &'a Path,
    latchkey: &'a Path,
    sim: &'a Path,
}

/// Every run on one store (`database_url`, or SQLite in the data dir when `None`):
/// whether it found nothing.
fn on_store(
    store: &str,
    database_url: Option<&str>,
    bins: &Bins<'_>,
    opts: &Options,
    target: &Path,
) -> anyhow::Result<bool> {
    // One directory per run: a shared target directory may see two at once.
    let dir = target.join(format!(
        "schemathesis/run-{}-{}",
        std::process::id(),
        store.to_lowercase()
    ));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    let data = dir.join("data");
    std::fs::create_dir_all(&data)?;

    let started = Instant::now();
    // Both children are stopped when dropped: on every return below, errors included.
    let sim_addr = procs::free_addr()?;
    std::fs::write(dir.join("sim.toml"), sim_config())?;
    let sim_config = dir.join("sim.toml").display().to_string();
    let mut sim = Proc::spawn(
        "latchkey-ring-sim",
        bins.sim,
        &["--config", &sim_config, "--bind", &sim_addr],
        &[("RUST_LOG", "warn".to_owned())],
        &dir.join("sim.log"),
    )?;
    sim.wait_ready(&sim_addr, "/", None, Duration::from_secs(30))?;
    let addr = procs::free_addr()?;
    let mut env = vec![
        ("LATCHKEY_BIND", addr.clone()),
        ("LATCHKEY_DATA_DIR", data.display().to_string()),
        ("LATCHKEY_ADMIN_USERNAME", ADMIN.to_owned()),
        ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ("LATCHKEY_RING_OAUTH_URL", format!("http://{sim_addr}")),
        ("LATCHKEY_RING_API_URL", format!("http://{sim_addr}")),
        ("LATCHKEY_RING_TIMEOUT_SECONDS", "5".to_owned()),
        ("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "5".to_owned()),
    ];
    if let Some(url) = database_url {
        env.push(("DATABASE_URL", url.to_owned()));
    }
    let mut server = Proc::spawn("latchkey", bins.latchkey, &[], &env, &dir.join("latchkey.log"))?;
    server.wait_ready(&addr, "/api/ready", Some(200), Duration::from_secs(60))?;

    let client = Client::new(&addr);
    let admin = client.with_token(&login(&client, ADMIN, ADMIN_PASSWORD)?);
    admin
        .post(
            "/api/admin/limits",
            &json!({"guestPerMinute": 1_000_000, "authPerMinute": 1_000_000}),
        )?
        .expect(200, "raising the rate limits")?;
    let known = seed_data(&admin)?;
    std::fs::write(dir.join("schemathesis.toml"), format!("{CONFIG}{known}"))?;

    let ctx = Ctx {
        st: bins.st,
        dir: &dir,
        schema: format!("http://{addr}/api/openapi.json"),
        opts,
    };
    let mut results = Vec::new();
    results.push(ctx.run("anonymous", "anonymous", None, &[])?);
    let excluded: Vec<String> = [LOGOUT, EDIT_USER, LIMITS]
        .iter()
        .flat_map(|op| ["--exclude-name".to_owned(), (*op).to_owned()])
        .collect();
    let admin_token = admin.token.clone().unwrap_or_default();
    results.push(ctx.run("authenticated", "authenticated", Some(&admin_token), &excluded)?);
    // Sessions of their own for the last runs, all opened before any of them starts.
    let mut last = Vec::new();
    for (name, op) in [("logout", LOGOUT), ("edit-user", EDIT_USER), ("limits", LIMITS)] {
        let username = format!("schemathesis-{name}");
        admin
            .post(
                "/api/admin/users",
                &json!({"username": username, "password": USER_PASSWORD, "role": "admin"}),
            )?
            .expect(200, &format!("creating {username}"))?;
        last.push((name, op, login(&client, &username, USER_PASSWORD)?));
    }
    for (name, op, token) in &last {
        let filter = ["--include-name".to_owned(), (*op).to_owned()];
        results.push(ctx.run("authenticated", name, Some(token), &filter)?);
    }
    server.stop();
    sim.stop();

    let ok = report(store, &results, opts, started.elapsed());
    if ok {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!(
            "schemathesis on {store}: logs and reports kept in {}",
            dir.display()
        );
    }
    Ok(ok)
}

struct Ctx<'a> {
    st: &'a Path,
    dir: &'a Path,
    schema: String,
    opts: &'a Options,
}

impl Ctx<'_> {
    fn run(
        &self,
        mode: &'static str,
        name: &str,
        token: Option<&str>,
        filter: &[String],
    ) -> anyhow::Result<RunResult> {
        let ndjson = self.dir.join(format!("{name}.ndjson"));
        let mut cmd = Command::new(self.st);
        cmd.arg("--config-file")
            .arg(self.dir.join("schemathesis.toml"))
            .args(["run", &self.schema, "--no-color"])
            .args(["--max-examples", &self.opts.examples.to_string()])
            .args(["--seed", &self.opts.seed.to_string()])
            .args(["--request-timeout", "30", "--report", "ndjson"])
            .arg("--report-ndjson-path")
            .arg(&ndjson)
            .args(filter)
            .current_dir(self.dir);
        if let Some(token) = token {
            // The session is given; generated cookies and CSRF tokens would only turn the
            // requests into 403 csrf_failed (the anonymous run sends those).
            cmd.args(["-H", &format!("Authorization: Bearer {token}")])
                .args(["--generation-with-security-parameters", "false"]);
        }
        eprintln!("\n== schemathesis: {mode} ({name})");
        let t = Instant::now();
        let status = cmd.status().context("running schemathesis")?;
        let mut result = read_report(&ndjson).with_context(|| format!("reading {}", ndjson.display()))?;
        result.mode = mode;
        result.name = name.to_owned();
        result.exit_ok = status.success();
        result.secs = t.elapsed().as_secs_f64();
        Ok(result)
    }
}
