//! Turning a run's measurements into the [`Report`]: rows beside their ceilings, the
//! process facts, the targets.

use std::time::Instant;

use super::report::{Report, Row, Series, StoreFacts, median, ms, rate};
use super::run::Store;
use super::scenarios::count;
use super::{Bins, Options, facts, targets};

/// The ceilings, as measured in the repetitions.
#[derive(Debug, Default)]
pub struct Measurements {
    pub argon2: Vec<f64>,
    pub pgbench: Vec<f64>,
    pub raw: Series,
    pub sim: Series,
}

fn median_u64(v: impl Iterator<Item = u64>) -> u64 {
    let all: Vec<f64> = v.map(|x| x as f64).collect();
    if all.is_empty() { 0 } else { median(&all) as u64 }
}

fn store_facts(store: &Store) -> StoreFacts {
    let mut f = StoreFacts {
        store: store.name.to_owned(),
        first_ready: store.first_ready,
        first_idle_kib: store.first_idle.rss_kib,
        restarts_ms: store.restarts.iter().map(|d| d.as_secs_f64() * 1000.0).collect(),
        idle_kib: median_u64(store.restart_idle.iter().map(|m| m.rss_kib)),
        idle_anon_kib: median_u64(store.restart_idle.iter().map(|m| m.anon_kib)),
        idle_file_kib: median_u64(store.restart_idle.iter().map(|m| m.file_kib)),
        rest_setup_kib: store.rest_after_setup.rss_kib,
        rest_login_kib: median_u64(store.rest_after_login.iter().map(|m| m.rss_kib)),
        argon2_before_login: store.argon2_before_login.clone(),
        ..StoreFacts::default()
    };
    for (sc, s) in store.scenarios.iter().zip(&store.series) {
        f.peak_kib = f.peak_kib.max(s.peak_kib);
        if sc.hot {
            f.peak_hot_kib = f.peak_hot_kib.max(s.peak_kib);
        }
        if sc.id == "login" {
            // Repetition i's flood over the ceiling measured just before it.
            f.login_ratios = s
                .rps
                .iter()
                .zip(&store.argon2_before_login)
                .map(|(logins, hashes)| logins / hashes)
                .collect();
        }
    }
    f
}

/// The size the binary would have with its symbols stripped (a copy is stripped).
fn stripped_size(bin: &std::path::Path) -> Option<u64> {
    let copy = std::env::temp_dir().join(format!("latchkey-stripped-{}", std::process::id()));
    std::fs::copy(bin, &copy).ok()?;
    let ok = std::process::Command::new("strip")
        .arg(&copy)
        .status()
        .is_ok_and(|s| s.success());
    let size = std::fs::metadata(&copy).map(|m| m.len()).ok();
    let _ = std::fs::remove_file(&copy);
    if ok { size } else { None }
}

fn ceiling(id: &str, scenario: &str, store: &str, series: Series, versus: String) -> Row {
    Row {
        id: id.to_owned(),
        scenario: scenario.to_owned(),
        store: store.to_owned(),
        series,
        versus,
        may_shed: false,
    }
}

fn only_rates(rates: &[f64]) -> Series {
    Series {
        rps: rates.to_vec(),
        ..Series::default()
    }
}

pub fn report(
    opts: &Options,
    bins: &Bins,
    stores: &[Store],
    m: &Measurements,
    mut notes: Vec<String>,
    mut machine: Vec<(String, String)>,
    started: Instant,
) -> Report {
    let raw_rps = (!m.raw.rps.is_empty()).then(|| median(&m.raw.rps));
    let pgbench_tps = (!m.pgbench.is_empty()).then(|| median(&m.pgbench));
    let sim_p99 = median(&m.sim.p99);
    let store_facts: Vec<StoreFacts> = stores.iter().map(store_facts).collect();
    let mut rows = Vec::new();
    for (store, facts) in stores.iter().zip(&store_facts) {
        for (sc, series) in store.scenarios.iter().zip(&store.series) {
            let med = median(&series.rps);
            let versus = match (sc.id, store.name, raw_rps, pgbench_tps) {
                ("guest", "PostgreSQL", Some(raw), Some(pgb)) => {
                    format!("{:.2}× raw · {:.2}× pgbench", med / raw, med / pgb)
                }
                ("me", "PostgreSQL", Some(raw), _) => format!("{:.2}× raw", med / raw),
                ("login", ..) => format!(
                    "{:.2}× argon2 ({} hashes/s just before)",
                    median(&facts.login_ratios),
                    rate(median(&facts.argon2_before_login))
                ),
                ("unlock1", ..) => format!("{} ms p99 over the simulator", ms(median(&series.p99) - sim_p99)),
                _ => String::new(),
            };
            rows.push(Row {
                id: sc.id.to_owned(),
                scenario: sc.title.clone(),
                store: store.name.to_owned(),
                series: series.clone(),
                versus,
                may_shed: sc.may_shed() && !opts.quick,
            });
        }
    }
    for r in rows.iter().filter(|r| r.series.errors() > 0) {
        let by: Vec<String> = r
            .series
            .statuses
            .iter()
            .map(|(c, n)| format!("{n} × {c}"))
            .collect();
        let only_503 = !by.is_empty() && r.series.statuses.keys().all(|c| *c == 503);
        let why = if r.may_shed && only_503 {
            "at 32 connections the store's pool runs dry and a request that waits past its 3 s acquisition timeout gets 503 — the server shedding load, not a harness fault"
        } else {
            "reported as measured, not investigated here"
        };
        notes.push(format!(
            "{} on {}: {} of {} answers were errors ({}), kept in the figures (req/s counts them too): {why}.",
            r.scenario,
            r.store,
            r.series.errors(),
            r.series.requests,
            if by.is_empty() { "statuses not counted".to_owned() } else { by.join(", ") },
        ));
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut ceilings = vec![ceiling(
        "argon2",
        &format!(
            "argon2id m=19456 KiB, t=2, p=1 on {cores} threads (hashes/s), at the start of each repetition"
        ),
        "—",
        only_rates(&m.argon2),
        String::new(),
    )];
    if let Some(tps) = pgbench_tps {
        ceilings.push(ceiling(
            "pgbench",
            "pgbench select-only: the guest lookup, 8 clients, `-M prepared` (tps)",
            "PostgreSQL",
            only_rates(&m.pgbench),
            String::new(),
        ));
        ceilings.push(ceiling(
            "raw",
            "raw actix-web + tokio-postgres (deadpool, `prepare_cached`), same lookup, 32 connections",
            "PostgreSQL",
            m.raw.clone(),
            format!("{:.2}× pgbench", median(&m.raw.rps) / tps),
        ));
    }
    ceilings.push(ceiling(
        "sim",
        "Ring simulator's unlock called directly, 1 connection",
        "—",
        m.sim.clone(),
        String::new(),
    ));

    let targets = targets::judge(&targets::Figures {
        rows: &rows,
        stores: &store_facts,
        raw: (!m.raw.rps.is_empty()).then_some(&m.raw),
        sim_unlock: &m.sim,
        links: count(opts.links + 1) + " links",
        events: count(opts.events + 1) + " events",
    });
    let binary = std::fs::metadata(&bins.latchkey).map_or(0, |m| m.len());
    let stripped = stripped_size(&bins.latchkey)
        .map(|n| format!(", {:.1} MiB stripped", n as f64 / 1_048_576.0))
        .unwrap_or_default();
    machine.push((
        "release binary `latchkey`".into(),
        format!(
            "{:.1} MiB ({binary} bytes){stripped}",
            binary as f64 / 1_048_576.0
        ),
    ));
    machine.push((
        "bench duration after the builds".into(),
        format!("{} s", started.elapsed().as_secs()),
    ));
    Report {
        title: if opts.quick {
            "Latchkey benchmark (`--quick`: a smoke run, not figures to quote)".into()
        } else {
            "Latchkey benchmark results".into()
        },
        command: opts.command.clone(),
        facts: machine,
        method: facts::method(opts),
        ceilings,
        rows,
        stores: store_facts,
        targets,
        notes,
    }
}
