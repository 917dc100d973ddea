//! Reading schemathesis' NDJSON reports: cases, statuses, failures, and bodies that
//! show a stack trace or SQL.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use super::*;

/// What one schemathesis invocation did, read from its NDJSON report.
#[derive(Debug, Default)]
pub(super) struct RunResult {
    pub(super) mode: &'static str,
    pub(super) name: String,
    pub(super) exit_ok: bool,
    pub(super) operations: BTreeSet<String>,
    pub(super) cases: usize,
    pub(super) statuses: BTreeMap<u16, usize>,
    /// `operation: code title` → first message.
    pub(super) failures: BTreeMap<String, String>,
    /// Response bodies showing a stack trace or SQL.
    pub(super) leaks: Vec<String>,
    pub(super) secs: f64,
}

pub(super) fn read_report(path: &Path) -> anyhow::Result<RunResult> {
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
pub(super) fn content(v: &Value) -> String {
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
pub(super) fn leak(body: &str, request: &str) -> Option<&'static str> {
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
pub(super) fn report(store: &str, results: &[RunResult], opts: &Options, elapsed: Duration) -> bool {
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
        "schemathesis {VERSION} on {store}: every check, --max-examples {}, --seed {}, {:.0} s in all",
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
