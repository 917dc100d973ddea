//! `cargo xtask schemathesis [--examples N] [--seed N]`: schemathesis (issue 6, "Bad
//! input") against the running server's `/api/openapi.json`, every check on, first
//! anonymous and then authenticated.
//!
//! Installs the pinned schemathesis into `<target>/schemathesis-venv` (once), builds the
//! server and the Ring simulator, starts both (SQLite in a fresh data dir, a known
//! administrator, rate limits raised so the fuzzing is not starved into 429s, the admin's
//! Ring account linked and one guest link made, which schemathesis is told about), and
//! runs schemathesis with a bounded number of examples per operation and a fixed seed
//! (reproducible; `--seed` explores elsewhere). It fails on
//! any failure schemathesis reports (5xx, undocumented status, body or header not
//! matching the document, wrong content type, …) and on any response body that shows a
//! stack trace or SQL. The servers are stopped at the end, also on failure; a failed
//! run keeps the servers' logs and schemathesis' NDJSON reports in
//! `<target>/schemathesis/run-<pid>/` (`st replay <id>` there reproduces a case).
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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use base64::Engine as _;
use serde_json::{Value, json};

use crate::bench::http::Client;
use crate::bench::procs::{self, Proc};

/// The schemathesis release used, exactly.
const VERSION: &str = "4.32.5";
const DEFAULT_EXAMPLES: u32 = 50;
const DEFAULT_SEED: u64 = 6;

const ADMIN: &str = "admin";
const ADMIN_PASSWORD: &str = "copper-lantern-meadow-58-schemathesis";
/// Password of the dedicated administrators of the last runs.
const USER_PASSWORD: &str = "velvet-otter-harbor-93-schemathesis";

const LOGOUT: &str = "POST /api/auth/logout";
const EDIT_USER: &str = "PUT /api/admin/users/{id}";
const LIMITS: &str = "POST /api/admin/limits";

/// Schemathesis' configuration: the checks that cannot hold for some operations, each
/// with the reason. Every other check runs on every operation: that is schemathesis'
/// default, and `--checks all` is not passed because a check named on the command line
/// overrides these exceptions. (`max_response_time` needs a limit and stays off: this
/// is about correctness, and timings of a debug build on a shared machine are noise.)
const CONFIG: &str = r#"
# The stateful phase carries values from one response into the next request without
# checking them against the target's schema (a null `guestLinkId` of an audit event
# becomes the path segment "None"), yet counts the request as schema-valid
# (schemathesis/schemathesis#2983). A 400 for such a request is right; every other
# check still runs on the stateful phase.
[phases.stateful.checks.positive_data_acceptance]
enabled = false

[[operations]]
# 410: the token names a link that is used up, expired or disabled (the fuzzing uses up
# and disables the one it is given); a state of the link, like 403 link_not_active
include-name = "POST /api/guest/{token}/unlock"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]

[[operations]]
# 423 account_locked: the username is right and the account is locked, by the fuzzing's
# own wrong passwords for it; like 401 invalid_credentials, a verdict on the credentials
# the schema cannot know, not a refusal of the request's shape
include-name = "POST /api/auth/login"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "423", "429", "5xx"]

# positive_data_acceptance ("a request the schema allows must not be refused") cannot
# hold where Latchkey validates what JSON Schema cannot say. Everything JSON Schema can
# say (required fields, integer ranges, ids >= 1) is in the document; these operations
# also refuse schema-valid requests with 400, by design:
[[operations]]
# trimmed length and no control or direction-override characters (username, names,
# structure); zxcvbn strength of the password; role "admin" or "user"; a taken username
# is 400 already_exists
include-name = ["POST /api/admin/users", "PUT /api/admin/users/{id}"]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the target must not be the caller (cannot_disable_self, cannot_delete_self) nor an
# administrator (cannot_delete_admin, cannot_reset_admin): a rule about which row the id
# names, not about the id
include-name = [
  "DELETE /api/admin/users/{id}",
  "DELETE /api/admin/users/{id}/permanent",
  "POST /api/admin/users/{id}/reset-password",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the current password must be the caller's (invalid_current_password), the new one must
# differ from it and pass the password policy
include-name = "POST /api/auth/password"
checks.positive_data_acceptance.enabled = false

[[operations]]
# labels and names: trimmed length, no control or direction-override characters
include-name = [
  "POST /api/ring/accounts",
  "PATCH /api/ring/accounts/{id}",
  "POST /api/guest-link-templates",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the time window: RFC 3339 instants, expiresAt after startsAt and in the future, at most
# LATCHKEY_GUEST_MAX_WINDOW_DAYS long, expiresAt required unless a template gives it
include-name = [
  "POST /api/guest-links",
  "PATCH /api/guest-links/{id}/expires-at",
  "PUT /api/guest-links/{id}/expires-at",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# Ring's own verdict on the credentials, code or refresh token (ring_invalid_credentials,
# ring_2fa_invalid, ring_token_invalid) and the shape of an email or a code
include-name = [
  "POST /api/ring/auth/start",
  "POST /api/ring/auth/verify",
  "POST /api/ring/refresh-token",
  "POST /api/ring/refresh-token/test",
]
checks.positive_data_acceptance.enabled = false
"#;

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

    // One directory per run: a shared target directory may see two at once.
    let dir = target.join(format!("schemathesis/run-{}", std::process::id()));
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
        &sim_bin,
        &["--config", &sim_config, "--bind", &sim_addr],
        &[("RUST_LOG", "warn".to_owned())],
        &dir.join("sim.log"),
    )?;
    sim.wait_ready(&sim_addr, "/", None, Duration::from_secs(30))?;
    let addr = procs::free_addr()?;
    let env = [
        ("LATCHKEY_BIND", addr.clone()),
        ("LATCHKEY_DATA_DIR", data.display().to_string()),
        ("LATCHKEY_ADMIN_USERNAME", ADMIN.to_owned()),
        ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ("LATCHKEY_RING_OAUTH_URL", format!("http://{sim_addr}")),
        ("LATCHKEY_RING_API_URL", format!("http://{sim_addr}")),
        ("LATCHKEY_RING_TIMEOUT_SECONDS", "5".to_owned()),
        ("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "5".to_owned()),
    ];
    let mut server = Proc::spawn("latchkey", &latchkey, &[], &env, &dir.join("latchkey.log"))?;
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
        st: &st,
        dir: &dir,
        schema: format!("http://{addr}/api/openapi.json"),
        opts: &opts,
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

    let ok = report(&results, &opts, started.elapsed());
    anyhow::ensure!(
        ok,
        "schemathesis found failures (details above; logs and reports kept in {})",
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

const RING_EMAIL: &str = "schemathesis@example.com";
const RING_PASSWORD: &str = "schemathesis-ring-password";
const DOOR: i64 = 1001;

/// The Ring cloud the server talks to: one account (no 2FA) with one intercom.
fn sim_config() -> String {
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
fn seed_data(admin: &Client) -> anyhow::Result<String> {
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
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => crate::root().join(dir),
        None => crate::root().join("target"),
    }
}

/// The venv's `st`, installing schemathesis `VERSION` into `venv` unless it is there.
fn install(venv: &Path) -> anyhow::Result<PathBuf> {
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
fn build<const N: usize>(bins: &[(&str, &str); N]) -> anyhow::Result<[PathBuf; N]> {
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

fn login(client: &Client, username: &str, password: &str) -> anyhow::Result<String> {
    let res = client.post(
        "/api/auth/login",
        &json!({"username": username, "password": password}),
    )?;
    let token = res.header("set-auth-token").map(str::to_owned);
    res.expect(200, &format!("login of {username}"))?;
    token.context("login answered without set-auth-token")
}

struct Ctx<'a> {
    st: &'a Path,
    dir: &'a Path,
    schema: String,
    opts: &'a Options,
}

/// What one schemathesis invocation did, read from its NDJSON report.
#[derive(Debug, Default)]
struct RunResult {
    mode: &'static str,
    name: String,
    exit_ok: bool,
    operations: BTreeSet<String>,
    cases: usize,
    statuses: BTreeMap<u16, usize>,
    /// `operation: code title` → first message.
    failures: BTreeMap<String, String>,
    /// Response bodies showing a stack trace or SQL.
    leaks: Vec<String>,
    secs: f64,
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

fn read_report(path: &Path) -> anyhow::Result<RunResult> {
    let text = std::fs::read_to_string(path)?;
    let mut r = RunResult::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let event: Value = serde_json::from_str(line)?;
        let recorder = &event["ScenarioFinished"]["recorder"];
        if recorder.is_null() {
            continue;
        }
        // Operations have their own scenarios ("POST /api/auth/login"); the stateful
        // phase's are named otherwise.
        if let Some(label) = recorder["label"].as_str()
            && label
                .split_once(' ')
                .is_some_and(|(_, path)| path.starts_with('/'))
        {
            r.operations.insert(label.to_owned());
        }
        for checks in recorder["checks"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
        {
            for check in checks.as_array().into_iter().flatten() {
                if check["status"] != "failure" {
                    continue;
                }
                let f = &check["failure_info"]["failure"];
                let key = format!(
                    "{}: {} {} [{}]",
                    f["operation"].as_str().unwrap_or("?"),
                    f["code"].as_str().unwrap_or("?"),
                    f["title"].as_str().unwrap_or("?"),
                    check["name"].as_str().unwrap_or("?"),
                );
                let message = f["message"].as_str().unwrap_or("").replace('\n', " / ");
                r.failures.entry(key).or_insert(message);
            }
        }
        for x in recorder["interactions"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
        {
            r.cases += 1;
            let res = &x["response"];
            let Some(status) = res["status_code"].as_u64() else {
                continue;
            };
            *r.statuses.entry(u16::try_from(status).unwrap_or(0)).or_default() += 1;
            let body = content(&res["content"]);
            let request = format!("{} {}", x["request"]["uri"], content(&x["request"]["body"]));
            if let Some(sign) = leak(&body, &request) {
                let uri = x["request"]["uri"].as_str().unwrap_or("?");
                let method = x["request"]["method"].as_str().unwrap_or("?");
                let excerpt: String = body.chars().take(300).collect();
                r.leaks
                    .push(format!("{method} {uri} → {status}: shows {sign:?}: {excerpt}"));
            }
        }
    }
    Ok(r)
}

/// A recorded body: `{"$base64": …}` or `{"string": …}`.
fn content(v: &Value) -> String {
    if let Some(b64) = v["$base64"].as_str() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_default();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    v["string"].as_str().unwrap_or("").to_owned()
}

/// Signs of a stack trace or of SQL in a response body; a sign the request itself
/// carried (an echoed value) does not count.
fn leak(body: &str, request: &str) -> Option<&'static str> {
    const SIGNS: &[&str] = &[
        // Rust panics and backtraces, other runtimes' traces
        "panicked at",
        "stack backtrace",
        "RUST_BACKTRACE",
        ".rs:",
        "Traceback (most recent call last)",
        // SQL and the database drivers' messages
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "UPDATE \"",
        " WHERE ",
        "syntax error",
        "no such table",
        "no such column",
        "constraint failed",
        "violates",
        "relation \"",
        "SQLITE",
        "sqlite",
        "SQLite",
        "diesel",
        "postgres",
        "PostgreSQL",
    ];
    SIGNS
        .iter()
        .copied()
        .find(|sign| body.contains(sign) && !request.contains(sign))
}

/// Prints what each mode did; `true` when nothing failed.
fn report(results: &[RunResult], opts: &Options, elapsed: Duration) -> bool {
    let statuses = |runs: &[&RunResult]| {
        let mut all: BTreeMap<u16, usize> = BTreeMap::new();
        for r in runs {
            for (s, n) in &r.statuses {
                *all.entry(*s).or_default() += n;
            }
        }
        all.iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!();
    println!(
        "schemathesis {VERSION}: every check, --max-examples {}, --seed {}, {:.0} s in all",
        opts.examples,
        opts.seed,
        elapsed.as_secs_f64()
    );
    let mut ok = true;
    for mode in ["anonymous", "authenticated"] {
        let runs: Vec<&RunResult> = results.iter().filter(|r| r.mode == mode).collect();
        let operations: BTreeSet<&String> = runs.iter().flat_map(|r| &r.operations).collect();
        let failures: usize = runs.iter().map(|r| r.failures.len() + r.leaks.len()).sum();
        println!(
            "  {mode}: {} operations, {} test cases, {failures} failure(s), {:.0} s; statuses {}",
            operations.len(),
            runs.iter().map(|r| r.cases).sum::<usize>(),
            runs.iter().map(|r| r.secs).sum::<f64>(),
            statuses(&runs)
        );
        for r in runs {
            if results.iter().filter(|x| x.mode == mode).count() > 1 {
                println!(
                    "    {}: {} operation(s), {} test cases; statuses {}",
                    r.name,
                    r.operations.len(),
                    r.cases,
                    statuses(&[r])
                );
            }
            if !r.exit_ok && r.failures.is_empty() && r.leaks.is_empty() {
                println!(
                    "    {}: schemathesis exited with an error (see its output above)",
                    r.name
                );
            }
            for (key, message) in &r.failures {
                println!("    FAILED {}: {key}: {message}", r.name);
            }
            for leak in &r.leaks {
                println!("    FAILED {}: {leak}", r.name);
            }
            ok &= r.exit_ok && r.failures.is_empty() && r.leaks.is_empty();
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaks_are_found_unless_echoed() {
        assert_eq!(leak("thread 'x' panicked at src/a.rs:1", ""), Some("panicked at"));
        assert_eq!(
            leak(r#"{"detail":"no such table: users"}"#, ""),
            Some("no such table")
        );
        assert_eq!(
            leak(r#"{"structure":"SELECT 1"}"#, r#"{"structure":"SELECT 1"}"#),
            None
        );
        assert_eq!(leak(r#"{"type":"urn:latchkey:problem:not_found"}"#, ""), None);
    }
}
