//! Figures into `bench/RESULTS.md`: medians with min–max, each beside its ceiling as a
//! ratio, the issue's targets marked PASS or MISS (with a hypothesis for each miss).

use std::fmt::Write as _;
use std::time::Duration;

use super::wrk::Measured;

/// The repeated measurements of one scenario on one store.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub rps: Vec<f64>,
    pub p50: Vec<f64>,
    pub p99: Vec<f64>,
    pub peak_kib: u64,
    pub requests: u64,
    pub non_2xx: u64,
    pub socket_errors: u64,
    pub timeouts: u64,
    /// Answers of 400 and more by status, where counted.
    pub statuses: std::collections::BTreeMap<u16, u64>,
}

impl Series {
    pub fn add(&mut self, m: &Measured, peak_kib: u64) {
        self.rps.push(m.rps);
        self.p50.push(m.p50_ms);
        self.p99.push(m.p99_ms);
        self.peak_kib = self.peak_kib.max(peak_kib);
        self.requests += m.requests;
        self.non_2xx += m.non_2xx;
        self.socket_errors += m.socket_errors;
        self.timeouts += m.timeouts;
        for (code, n) in &m.statuses {
            *self.statuses.entry(*code).or_default() += n;
        }
    }

    pub fn errors(&self) -> u64 {
        self.non_2xx + self.socket_errors
    }

    /// "0", or "128 (503×128)" when statuses were counted.
    pub fn errors_text(&self) -> String {
        let by: Vec<String> = self.statuses.iter().map(|(c, n)| format!("{c}×{n}")).collect();
        if by.is_empty() {
            self.errors().to_string()
        } else {
            format!("{} ({})", self.errors(), by.join(", "))
        }
    }
}

pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

fn spread(v: &[f64], fmt: fn(f64) -> String) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if v.len() < 2 {
        return fmt(median(v));
    }
    format!("{} ({}–{})", fmt(median(v)), fmt(min), fmt(max))
}

pub fn rate(x: f64) -> String {
    if x >= 100.0 {
        let n = x.round() as u64;
        let (th, rest) = (n / 1000, n % 1000);
        if th > 0 {
            format!("{th},{rest:03}")
        } else {
            n.to_string()
        }
    } else {
        format!("{x:.1}")
    }
}

pub fn ms(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

pub fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// One line of the main table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The scenario's id (`guest`, `login`, …), for the targets.
    pub id: String,
    pub scenario: String,
    pub store: String,
    pub series: Series,
    /// "0.74× raw", "+0.3 ms over the simulator", … (empty when none applies).
    pub versus: String,
    /// Errors here are the server shedding load (reported), not a broken harness.
    pub may_shed: bool,
}

/// A target of the issue, judged on this run's figures.
#[derive(Debug, Clone)]
pub struct Target {
    pub what: String,
    pub figure: String,
    pub pass: Option<bool>,
    pub hypothesis: &'static str,
}

/// Per-store facts that are not loads.
#[derive(Debug, Clone, Default)]
pub struct StoreFacts {
    pub store: String,
    /// First start, empty database (migrations included).
    pub first_ready: Duration,
    pub first_idle_kib: u64,
    /// Restarts on the seeded database, in milliseconds.
    pub restarts_ms: Vec<f64>,
    /// Median idle RSS after the restarts, and its anonymous and file-backed parts.
    pub idle_kib: u64,
    pub idle_anon_kib: u64,
    pub idle_file_kib: u64,
    /// At rest (6 s without a request) after the set-up's logins, and after the login
    /// floods (median; 0 when no login scenario ran).
    pub rest_setup_kib: u64,
    pub rest_login_kib: u64,
    pub peak_kib: u64,
    pub peak_hot_kib: u64,
    /// The argon2 ceiling measured just before each login flood, and each flood's
    /// logins/s over it (one per repetition; empty when no login scenario ran).
    pub argon2_before_login: Vec<f64>,
    pub login_ratios: Vec<f64>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub title: String,
    pub command: String,
    pub facts: Vec<(String, String)>,
    pub method: Vec<String>,
    pub ceilings: Vec<Row>,
    pub rows: Vec<Row>,
    pub stores: Vec<StoreFacts>,
    pub targets: Vec<Target>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = self.write(&mut s);
        s
    }

    fn write(&self, s: &mut String) -> std::fmt::Result {
        writeln!(s, "# {}\n", self.title)?;
        writeln!(s, "Reproduce with:\n\n```sh\n{}\n```\n", self.command)?;
        writeln!(s, "## Machine\n")?;
        for (k, v) in &self.facts {
            writeln!(s, "- {k}: {v}")?;
        }
        writeln!(s, "\n## Method\n")?;
        for m in &self.method {
            writeln!(s, "- {m}")?;
        }
        writeln!(s, "\n## Ceilings (same run)\n")?;
        table(s, &self.ceilings)?;
        writeln!(s, "\n## Latchkey\n")?;
        table(s, &self.rows)?;
        writeln!(s, "\n## Process\n")?;
        writeln!(
            s,
            "| store | first start → `/api/ready` 200 (empty database, migrations) | restart → ready on the seeded database, median (min–max) | RSS idle, first start (MiB) | RSS idle after a restart, median (MiB) | RSS at rest after the set-up / after a login flood (MiB) | peak RSS, hot paths (MiB) | peak RSS, all scenarios (MiB) |"
        )?;
        writeln!(s, "|---|---|---|---|---|---|---|---|")?;
        for f in &self.stores {
            let restarts = if f.restarts_ms.is_empty() {
                "—".to_owned()
            } else {
                format!(
                    "{} ms, {} restarts",
                    spread(&f.restarts_ms, ms),
                    f.restarts_ms.len()
                )
            };
            writeln!(
                s,
                "| {} | {} ms | {restarts} | {} | {} (anon {} + file {}) | {} / {} | {} | {} |",
                f.store,
                f.first_ready.as_millis(),
                mib(f.first_idle_kib),
                mib(f.idle_kib),
                mib(f.idle_anon_kib),
                mib(f.idle_file_kib),
                mib(f.rest_setup_kib),
                mib(f.rest_login_kib),
                mib(f.peak_hot_kib),
                mib(f.peak_kib)
            )?;
        }
        writeln!(s, "\n## Targets (issue 6)\n")?;
        writeln!(s, "| target | this run | verdict | hypothesis when missed |")?;
        writeln!(s, "|---|---|---|---|")?;
        for t in &self.targets {
            let verdict = match t.pass {
                Some(true) => "PASS",
                Some(false) => "MISS",
                None => "n/a",
            };
            let hyp = if t.pass == Some(false) { t.hypothesis } else { "" };
            writeln!(s, "| {} | {} | {verdict} | {hyp} |", t.what, t.figure)?;
        }
        if !self.notes.is_empty() {
            writeln!(s, "\n## Notes\n")?;
            for n in &self.notes {
                writeln!(s, "- {n}")?;
            }
        }
        Ok(())
    }
}

fn table(s: &mut String, rows: &[Row]) -> std::fmt::Result {
    writeln!(
        s,
        "| scenario | store | req/s median (min–max) | p50 ms | p99 ms median (min–max) | peak RSS MiB | vs ceiling | non-2xx / timeouts |"
    )?;
    writeln!(s, "|---|---|---|---|---|---|---|---|")?;
    for r in rows {
        let x = &r.series;
        let peak = if x.peak_kib > 0 {
            mib(x.peak_kib)
        } else {
            "—".into()
        };
        let p = |v: &[f64], f: fn(f64) -> String| if v.is_empty() { "—".into() } else { spread(v, f) };
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {peak} | {} | {} / {} |",
            r.scenario,
            r.store,
            p(&x.rps, rate),
            if x.p50.is_empty() {
                "—".into()
            } else {
                ms(median(&x.p50))
            },
            p(&x.p99, ms),
            if r.versus.is_empty() { "—" } else { &r.versus },
            x.errors_text(),
            x.timeouts,
        )?;
    }
    Ok(())
}
