//! `cargo xtask fuzz [--quick] [--seconds N] [TARGET...]`: the cargo-fuzz targets in
//! tests/fuzz, one after the other.
//!
//! - `--quick` runs each target for [`QUICK_SECS`] (`cargo xtask test` does this, so CI
//!   does); without it each runs for [`LONG_SECS`], for use by hand. `--seconds` overrides.
//! - Installs cargo-fuzz ([`CARGO_FUZZ_VERSION`]) when it is missing.
//! - Builds on the stable toolchain with `RUSTC_BOOTSTRAP=1` (cargo-fuzz passes nightly
//!   flags), in tests/fuzz/target whatever `CARGO_TARGET_DIR` says: its instrumented
//!   build would otherwise evict the workspace's.
//! - Fails when any target finds a crash; libFuzzer leaves the input in
//!   tests/fuzz/artifacts/<target>/ and the reproduction command is printed. New inputs
//!   grow tests/fuzz/corpus/<target>/ (git-ignored but the committed `seed-*` files).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Every target in tests/fuzz/fuzz_targets.
const TARGETS: [&str; 5] = ["client_ip", "cookies", "session_token", "csrf", "json_bodies"];
/// Five targets at 20 s: under two minutes after the build.
const QUICK_SECS: u64 = 20;
const LONG_SECS: u64 = 300;
/// A single input slower than this is a finding (a parser that can be made to spin).
const TIMEOUT_SECS: u64 = 10;

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    let mut secs = if quick { QUICK_SECS } else { LONG_SECS };
    let mut targets = vec![];
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => {}
            "--seconds" => {
                let n = rest
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("--seconds needs a number"))?;
                secs = n.parse()?;
            }
            t if TARGETS.contains(&t) => targets.push(t),
            other => anyhow::bail!("unknown argument {other:?}; targets are {}", TARGETS.join(", ")),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }

    ensure_cargo_fuzz()?;
    let fuzz_dir = super::root().join("tests").join("fuzz");
    cargo_fuzz(&fuzz_dir, &["build"], None)?;

    let mut report = vec![];
    let mut crashed = vec![];
    for target in targets {
        let max_time = format!("-max_total_time={secs}");
        let timeout = format!("-timeout={TIMEOUT_SECS}");
        let libfuzzer = [max_time.as_str(), timeout.as_str(), "-print_final_stats=1"];
        let mut stats = Stats::default();
        let started = Instant::now();
        let outcome = cargo_fuzz(&fuzz_dir, &["run", target], Some((&libfuzzer, &mut stats)));
        let took = started.elapsed().as_secs();
        report.push(format!(
            "{target:>14}: {:>10} runs in {took:>4} s ({} exec/s), corpus {} inputs",
            stats.runs.as_deref().unwrap_or("?"),
            stats.exec_per_sec.as_deref().unwrap_or("?"),
            stats.corpus.as_deref().unwrap_or("?"),
        ));
        if let Err(e) = outcome {
            let artifact = newest_artifact(&fuzz_dir.join("artifacts").join(target));
            crashed.push(format!(
                "{target}: {e:#}\n  reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir tests/fuzz -O -a {target} {}",
                artifact.map_or_else(|| "<artifact>".into(), |p| p.display().to_string())
            ));
        }
    }
    eprintln!("\nfuzzing, {secs} s per target:");
    for line in &report {
        eprintln!("{line}");
    }
    anyhow::ensure!(
        crashed.is_empty(),
        "fuzzing found {} crash(es):\n{}",
        crashed.len(),
        crashed.join("\n")
    );
    Ok(())
}

/// What libFuzzer's `-print_final_stats=1` and its last status line say.
#[derive(Default)]
struct Stats {
    runs: Option<String>,
    exec_per_sec: Option<String>,
    corpus: Option<String>,
}

impl Stats {
    fn read(&mut self, line: &str) {
        if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
            self.runs = Some(n.trim().to_owned());
        } else if let Some(n) = line.strip_prefix("stat::average_exec_per_sec:") {
            self.exec_per_sec = Some(n.trim().to_owned());
        } else if line.starts_with('#') {
            // "#123456\tDONE   cov: 1234 ft: 5678 corp: 90/1234b ..."
            let mut words = line.split_whitespace();
            while let Some(w) = words.next() {
                if w == "corp:" {
                    let corp = words.next().unwrap_or("");
                    self.corpus = corp.split('/').next().map(str::to_owned);
                }
            }
        }
    }
}

/// `cargo fuzz <args>` for tests/fuzz; with `libfuzzer`, passes those flags to the
/// target and echoes its output while reading the statistics from it.
fn cargo_fuzz(
    fuzz_dir: &Path,
    args: &[&str],
    libfuzzer: Option<(&[&str], &mut Stats)>,
) -> anyhow::Result<()> {
    let (command, target) = args
        .split_first()
        .map_or(("build", None), |(c, t)| (*c, t.first()));
    let target_dir = fuzz_dir.join("target");
    let mut cmd = Command::new(cargo());
    cmd.arg("fuzz")
        .arg(command)
        .arg("--fuzz-dir")
        .arg(fuzz_dir)
        .arg("--target-dir")
        .arg(&target_dir)
        // Release with debug assertions and overflow checks, AddressSanitizer (for the
        // C underneath, aws-lc; our crates forbid unsafe).
        .args(["-O", "-a"])
        .args(target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("CARGO_TARGET_DIR")
        .current_dir(super::root());
    let shown = format!("RUSTC_BOOTSTRAP=1 cargo fuzz {}", args.join(" "));
    let Some((flags, stats)) = libfuzzer else {
        eprintln!("$ {shown}");
        let status = cmd.status()?;
        anyhow::ensure!(status.success(), "{shown} failed ({status})");
        return Ok(());
    };
    cmd.arg("--").args(flags).stderr(Stdio::piped());
    eprintln!("$ {shown} -- {}", flags.join(" "));
    let mut child = cmd.spawn()?;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line?;
            stats.read(&line);
            eprintln!("{line}");
        }
    }
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "{shown} failed ({status})");
    Ok(())
}

fn ensure_cargo_fuzz() -> anyhow::Result<()> {
    let found = Command::new(cargo())
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        super::cargo(&[
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ])?;
    }
    Ok(())
}

fn newest_artifact(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
