//! What RESULTS.md says about the machine and the method, so a reader can tell what
//! the figures are worth.

use std::process::Command;

use super::Options;
use super::scenarios::{CONNECTIONS, count};

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_default()
}

fn proc_field(file: &str, key: &str) -> String {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .map(|v| {
            v.trim_start_matches([' ', '\t', ':', '='])
                .trim()
                .trim_matches('"')
                .to_owned()
        })
        .unwrap_or_default()
}

pub fn machine(wrk_version: &str, pg_version: Option<&str>, load_before: &str) -> Vec<(String, String)> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let commit = first_line(
        "git",
        &[
            "-C",
            &crate::root().display().to_string(),
            "rev-parse",
            "--short",
            "HEAD",
        ],
    );
    let dirty = Command::new("git")
        .args([
            "-C",
            &crate::root().display().to_string(),
            "status",
            "--porcelain",
        ])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    let mem_kib: f64 = proc_field("/proc/meminfo", "MemTotal")
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    vec![
        (
            "date (UTC)".into(),
            first_line("date", &["-u", "+%Y-%m-%d %H:%M"]),
        ),
        (
            "CPU".into(),
            format!("{} × {}", cores, proc_field("/proc/cpuinfo", "model name")),
        ),
        ("memory".into(), format!("{:.1} GiB", mem_kib / 1_048_576.0)),
        (
            "system".into(),
            format!(
                "{}, {}",
                proc_field("/etc/os-release", "PRETTY_NAME"),
                first_line("uname", &["-sr"])
            ),
        ),
        (
            "load average before the run (1/5/15 min)".into(),
            load_before
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("rustc".into(), first_line("rustc", &["-V"])),
        ("load generator".into(), wrk_version.to_owned()),
        (
            "PostgreSQL".into(),
            pg_version.map_or("not used".into(), |v| {
                format!("{v} (the machine's running server, local TCP)")
            }),
        ),
        (
            "commit".into(),
            if dirty {
                format!("{commit} + uncommitted changes")
            } else {
                commit
            },
        ),
    ]
}

pub fn method(o: &Options) -> Vec<String> {
    vec![
        format!(
            "{} repetition(s); in each, every ceiling and every scenario on every store runs once, in turn (interleaved), for {} s after a {} s warm-up; medians over the repetitions, min–max in brackets.",
            o.reps, o.secs, o.warm
        ),
        format!(
            "wrk, {CONNECTIONS} connections on 2 threads unless the scenario says otherwise, on 127.0.0.1; the load generator shares the machine's cores with the server (as every figure here does, ceilings included)."
        ),
        "The server runs with its defaults (workers = cores, database pool 8, `info` logs: one access-log line per request, written to a file) except that the admin raised both rate limits to 1,000,000/min so the load is not refused.".into(),
        format!(
            "Data: each store is prepared through the API (residents, a Ring account linked against the simulator, one unlimited guest link, one guest unlock), then {} more links of the same resident (copies of the real one with their own token hashes) and {} more unlock-audit rows are inserted with SQL.",
            count(o.links),
            count(o.events)
        ),
        format!(
            "`/api/auth/me` cycles through the sessions of {} residents; lookups and unlocks use the real link's token.",
            o.users
        ),
        "Each scenario runs on a freshly restarted server (same data): its peak RSS is its own, and every restart times start-up on the seeded database. Peak RSS: VmHWM, reset (`/proc/<pid>/clear_refs` = 5) after the warm-up; idle RSS: VmRSS 0.2 s after `/api/ready` answered 200; RSS at rest: VmRSS after 6 s without a request (the hash pool frees its buffers after 5 s without a hash), once after the set-up and after each login flood. The idle target is judged on the worst of these.".into(),
        "The unlock and list latency targets are judged at 1 connection (service time), health during the login flood at 4; the 32-connection rows show throughput, and their p99 is mostly queueing (32 requests in flight on 2 cores).".into(),
        "req/s counts every answer, errors included; the last column says how many were errors (by status where counted) and how many timed out.".into(),
        "Login ratio: each login flood is divided by the raw argon2 rate measured on the same machine just before it (after the server's restart, with the server idle), and the target is judged on the median of those per-repetition ratios; the argon2 row under Ceilings is measured at the start of each repetition, minutes away from the floods, and is shown for scale.".into(),
        "Unlock overhead: the p99 of Latchkey's guest unlock at 1 connection minus the p99 of the simulator's unlock RPC called directly at 1 connection.".into(),
    ]
}
