//! Issue 6's targets, as ratios and limits on this run's own figures. Each carries the
//! hypothesis written into RESULTS.md when it is missed (profiling and fixing is the
//! server's owners' work; the harness only says what it saw).

use super::report::{Row, Series, StoreFacts, Target, median, mib, ms, rate};

/// Everything the targets are judged on.
#[derive(Debug)]
pub struct Figures<'a> {
    pub rows: &'a [Row],
    pub stores: &'a [StoreFacts],
    pub raw: Option<&'a Series>,
    pub sim_unlock: &'a Series,
    pub links: String,
    pub events: String,
}

const H_LOOKUP: &str = "Server CPU per request (`/proc/<pid>/stat` under the same load, `cargo xtask bench --hold` and wrk, 2026-12-06): the raw endpoint ~40 µs; Latchkey 72 µs before the session's changes, 55–63 µs after them (route order: every parameterised route tried before the guest ones cost a regex-lite match, ~8%; a pool per HTTP worker, so no query crosses threads; request ids without a getrandom call). What remains, from `perf record --call-graph dwarf`: the access-log line at `info` (RUST_LOG=warn measured 10–15 µs less per request), diesel-async building each query's SQL text even when its prepared statement is cached (~5%), metrics labels (~2.4%), the request span (~2%), and the kernel's loopback send (~27% of the server's CPU, dearer when the server's extra CPU leaves wrk and PostgreSQL asleep, so each send has to wake them). On 2 cores shared with wrk the ratio moves by ±0.05–0.1 between runs.";
const H_ME: &str = "As for the guest lookup (access-log line, diesel-async SQL building, metrics, the kernel's send), plus the HS256 check, the SHA-256 of the session id and the session⋈user query. Caching sessions in the process would save the query but lose immediate revocation across instances behind a load balancer, which this design keeps.";
const H_LOGIN: &str = "Hashes run on a pool of `cores` threads that reuse their 19 MiB buffers while hashes keep coming (app/src/security/hash_pool.rs), as the ceiling does. By hand (2026-12-07, `--hold`, a 10 s flood on PostgreSQL): the hash threads spent 18.5 ms of CPU per login against the ceiling's 17.1–19.6 ms per hash, took no page faults, and had 90% of the machine; the rest went to PostgreSQL (~1.1 ms of backend CPU per login: the user read, the session and login-audit inserts; ~5%), the HTTP workers (~2%), wrk and the kernel. So about 0.9× is what this design reaches on 2 shared cores, and the ceiling itself moved 102–117 hashes/s in back-to-back runs: the verdict flips with the machine's noise, which is why each flood is judged against a ceiling measured just before it. Measured and not taken: the session and the login-audit row in one statement saves 0.13 ms of machine CPU per login (pgbench), under 1%";
const H_HEALTH: &str = "Both cores run argon2 (one hash per core) and wrk, so a health request waits for a core: the tail is scheduling, not the endpoint.";
const H_UNLOCK: &str = "One durable commit per unlock on PostgreSQL: the use and its audit row (written `unknown`) are one statement, and the settle after Ring commits asynchronously (adapters-postgres/src/write_ahead.rs). By hand (`--hold`, wrk at 1 connection, 8 alternations): p50 0.84 → 0.75 ms, p99 median 2.47 → 2.21 ms. What is left of the tail is mostly the machine: the simulator's own p99 moved 0.35 → 0.93 ms between days, and a checkpoint in progress doubled an unlock p99 (the bench now vacuums and checkpoints after seeding). Already done: the account read folded into the reservation, one pool and one Ring client per HTTP worker (no cross-thread hop per unlock), prepared statements for the writes";
const H_LINKS: &str = "Keyset paging (100 links a page by default) keeps a page's cost flat at any size; if missed, the join to owner and account or opening the page's 100 sealed tokens (AES-256-GCM) comes next.";
const H_AUDIT: &str = "`total` comes from trigger-kept counters and the page is an index scan, so its cost does not grow with the table; if missed, look at the plan of the page query for the filter used.";
const H_IDLE: &str = "Idle RSS is the binary's own mapped pages (file) plus per-worker runtimes and pools (anon), plus up to `cores` 19 MiB argon2 buffers until the hash pool frees them after 5 s without a hash (app/src/security/hash_pool.rs); if missed at rest after logins, check that the buffers are still mapped on their own (glibc arenas keep freed pages).";
const H_PEAK: &str = "Hashing holds at most `cores` reused 19 MiB buffers (hash pool) and lists are paged; if missed, look at the login flood (argon2 buffers, malloc arenas of the HTTP workers) first.";

fn row<'a>(rows: &'a [Row], store: &str, id: &str) -> Option<&'a Series> {
    rows.iter()
        .find(|r| r.store == store && r.id == id)
        .map(|r| &r.series)
}

pub fn judge(f: &Figures<'_>) -> Vec<Target> {
    let mut out = Vec::new();
    let sim_p99 = median(&f.sim_unlock.p99);
    for store in f.stores.iter().map(|s| s.store.as_str()) {
        for (id, label, hyp) in [
            ("guest", "guest lookup", H_LOOKUP),
            ("me", "`/api/auth/me`", H_ME),
        ] {
            let what = format!("{label} ≥ 0.8× the raw one-query ceiling ({store})");
            match (row(f.rows, store, id), f.raw, store) {
                (Some(s), Some(raw), "PostgreSQL") => {
                    let (got, ceiling) = (median(&s.rps), median(&raw.rps));
                    out.push(Target {
                        what,
                        figure: format!(
                            "{} req/s = {:.2}× raw ({} req/s)",
                            rate(got),
                            got / ceiling,
                            rate(ceiling)
                        ),
                        pass: Some(got / ceiling >= 0.8),
                        hypothesis: hyp,
                    });
                }
                (Some(s), _, _) => out.push(Target {
                    what,
                    figure: format!(
                        "{} req/s; the ceiling is a PostgreSQL endpoint, no ratio",
                        rate(median(&s.rps))
                    ),
                    pass: None,
                    hypothesis: hyp,
                }),
                (None, _, _) => {}
            }
        }
        if let (Some(s), Some(facts)) = (
            row(f.rows, store, "login"),
            f.stores.iter().find(|s| s.store == store),
        ) {
            let ratio = median(&facts.login_ratios);
            out.push(Target {
                what: format!("login ≥ 0.9× raw argon2id ({store})"),
                figure: format!(
                    "{} logins/s; median of the repetitions' ratios {:.2}× (each flood over the ceiling measured just before it: {}; {} hashes/s)",
                    rate(median(&s.rps)),
                    ratio,
                    facts.login_ratios.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>().join(", "),
                    rate(median(&facts.argon2_before_login))
                ),
                pass: Some(ratio >= 0.9),
                hypothesis: H_LOGIN,
            });
        }
        if let Some(s) = row(f.rows, store, "health_login") {
            let p99 = median(&s.p99);
            out.push(Target {
                what: format!("`/api/health` p99 < 5 ms during the login flood ({store})"),
                figure: format!("{} ms", ms(p99)),
                pass: Some(p99 < 5.0),
                hypothesis: H_HEALTH,
            });
        }
        if let Some(s) = row(f.rows, store, "unlock1") {
            let over = median(&s.p99) - sim_p99;
            out.push(Target {
                what: format!("unlock overhead over the simulator call < 2 ms at p99 ({store})"),
                figure: format!("{} ms − {} ms = {} ms", ms(median(&s.p99)), ms(sim_p99), ms(over)),
                pass: Some(over < 2.0),
                hypothesis: H_UNLOCK,
            });
        }
        for (id, label, size, hyp) in [
            ("links1", "`GET /api/guest-links`", &f.links, H_LINKS),
            ("audit1", "`GET /api/admin/audit`", &f.events, H_AUDIT),
        ] {
            if let Some(s) = row(f.rows, store, id) {
                let p99 = median(&s.p99);
                out.push(Target {
                    what: format!("{label} p99 < 20 ms at {size}, 1 connection ({store})"),
                    figure: format!("{} ms", ms(p99)),
                    pass: Some(p99 < 20.0),
                    hypothesis: hyp,
                });
            }
        }
    }
    for s in f.stores {
        let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
        let at_rest = s.idle_kib.max(s.rest_setup_kib).max(s.rest_login_kib);
        out.push(Target {
            what: format!("RSS idle < 40 MB ({})", s.store),
            figure: format!(
                "{} MiB at worst: {} after a restart on the seeded data (anon {}, file {}), {} at rest after the set-up's logins, {} at rest after a login flood ({} straight after the first start, before its hashing buffer is freed)",
                mib(at_rest),
                mib(s.idle_kib),
                mib(s.idle_anon_kib),
                mib(s.idle_file_kib),
                mib(s.rest_setup_kib),
                mib(s.rest_login_kib),
                mib(s.first_idle_kib)
            ),
            pass: Some(mb(at_rest) < 40.0),
            hypothesis: H_IDLE,
        });
        out.push(Target {
            what: format!("RSS < 150 MB under load ({})", s.store),
            figure: format!(
                "{} MiB peak over all scenarios ({} MiB on the hot paths)",
                mib(s.peak_kib),
                mib(s.peak_hot_kib)
            ),
            pass: Some(mb(s.peak_kib) < 150.0),
            hypothesis: H_PEAK,
        });
    }
    out
}
