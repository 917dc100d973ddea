//! One bench run: start everything, prepare and seed each store, then measure the
//! ceilings and every scenario interleaved, each scenario on a freshly restarted server
//! (so its peak RSS is its own, and every restart times start-up on the seeded data).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::assemble::{self, Measurements};
use super::pg::{self, BenchDb};
use super::procs::{self, Memory, Proc};
use super::report::{Report, Series};
use super::scenarios::{self, Scenario};
use super::setup::{self, Tables};
use super::{Bins, Options};

/// A server under test, and everything measured on it.
pub struct Store {
    pub name: &'static str,
    proc: Proc,
    env: Vec<(&'static str, String)>,
    logs: PathBuf,
    starts: u32,
    pub scenarios: Vec<Scenario>,
    pub series: Vec<Series>,
    /// First start, on an empty database (migrations included).
    pub first_ready: Duration,
    pub first_idle: Memory,
    /// Every later start, on the seeded database.
    pub restarts: Vec<Duration>,
    pub restart_idle: Vec<Memory>,
    /// At rest ([`REST`] without a request) after the set-up's logins and hashes.
    pub rest_after_setup: Memory,
    /// At rest after each login flood.
    pub rest_after_login: Vec<Memory>,
    /// The argon2 ceiling measured just before each login flood, one per repetition:
    /// the login ratio is judged against its own neighbour, not a figure taken minutes
    /// earlier on a machine whose capacity drifts.
    pub argon2_before_login: Vec<f64>,
}

/// Quiet time before RSS is read "at rest": the server frees its spare password-hashing
/// buffers once no hash has started for 5 s.
const REST: Duration = Duration::from_secs(6);

impl Store {
    fn start(
        bins: &Bins,
        env: &[(&'static str, String)],
        log: &Path,
    ) -> anyhow::Result<(Proc, Duration, Memory)> {
        let addr = env
            .iter()
            .find(|(k, _)| *k == "LATCHKEY_BIND")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let mut proc = Proc::spawn("latchkey", &bins.latchkey, &[], env, log)?;
        let ready = proc.wait_ready(&addr, "/api/ready", Some(200), Duration::from_secs(120))?;
        // Background tasks (health poller, sweeps) start with the server.
        std::thread::sleep(Duration::from_millis(200));
        let idle = proc.memory()?;
        Ok((proc, ready, idle))
    }

    /// Stops the server and starts it again on the same data.
    fn restart(&mut self, bins: &Bins) -> anyhow::Result<()> {
        self.proc.stop();
        self.starts += 1;
        let log = self.logs.join(format!("{}-{}.log", self.name, self.starts));
        let (proc, ready, idle) = Self::start(bins, &self.env, &log)?;
        self.proc = proc;
        self.restarts.push(ready);
        self.restart_idle.push(idle);
        Ok(())
    }
}

fn start_store(
    name: &'static str,
    bins: &Bins,
    dir: &Path,
    sim_addr: &str,
    db: Option<&BenchDb>,
    opts: &Options,
) -> anyhow::Result<(Store, setup::Fixture)> {
    let addr = procs::free_addr()?;
    let data = dir.join(name.to_lowercase());
    std::fs::create_dir_all(&data)?;
    let mut env = vec![
        ("LATCHKEY_BIND", addr.clone()),
        ("LATCHKEY_DATA_DIR", data.display().to_string()),
        ("LATCHKEY_ADMIN_USERNAME", setup::ADMIN.to_owned()),
        ("LATCHKEY_ADMIN_PASSWORD", setup::ADMIN_PASSWORD.to_owned()),
        ("LATCHKEY_RING_OAUTH_URL", format!("http://{sim_addr}")),
        ("LATCHKEY_RING_API_URL", format!("http://{sim_addr}")),
    ];
    if let Some(db) = db {
        env.push(("DATABASE_URL", db.url.clone()));
    }
    eprintln!("bench: starting latchkey on {name}");
    let (proc, first_ready, first_idle) = Store::start(bins, &env, &dir.join(format!("{name}-0.log")))?;
    let fixture = setup::prepare(&addr, opts.users).with_context(|| format!("preparing {name}"))?;
    std::thread::sleep(REST);
    let rest_after_setup = proc.memory()?;
    let t = Instant::now();
    let tables = match db {
        Some(db) => Tables::Postgres(&db.url),
        None => Tables::Sqlite(&data.join("latchkey.db")),
    };
    setup::seed(tables, &fixture, opts.links, opts.events, dir).with_context(|| format!("seeding {name}"))?;
    eprintln!(
        "bench: {name}: seeded {} links and {} audit events in {:.1} s",
        opts.links,
        opts.events,
        t.elapsed().as_secs_f64()
    );
    let mut scenarios = scenarios::all(&addr, &fixture, opts.links, opts.events);
    if !opts.only.is_empty() {
        scenarios.retain(|s| opts.only.iter().any(|id| id == s.id));
    }
    let store = Store {
        name,
        proc,
        env,
        logs: dir.to_owned(),
        starts: 0,
        series: vec![Series::default(); scenarios.len()],
        scenarios,
        first_ready,
        first_idle,
        restarts: Vec::new(),
        restart_idle: Vec::new(),
        rest_after_setup,
        rest_after_login: Vec::new(),
        argon2_before_login: Vec::new(),
    };
    Ok((store, fixture))
}

/// The PostgreSQL ceilings' set-up: the raw endpoint running, pgbench's script, the
/// real link's token hash.
struct PgCeilings {
    _raw: Proc,
    raw_load: Scenario,
    script: PathBuf,
    hash: String,
}

fn pg_ceilings(
    bins: &Bins,
    dir: &Path,
    db: &BenchDb,
    fixture: &setup::Fixture,
    template: &Scenario,
) -> anyhow::Result<PgCeilings> {
    let sql = format!(
        "SELECT token_hash FROM guest_links WHERE id = {}",
        fixture.link_id
    );
    let hash = pg::psql(&db.url, &sql)?.trim().to_owned();
    let script = dir.join("lookup.pgbench");
    std::fs::write(&script, pg::LOOKUP_PGBENCH)?;
    let addr = procs::free_addr()?;
    let log = dir.join("raw-ceiling.log");
    let mut raw = Proc::spawn("raw-ceiling", &bins.raw, &[&addr, &db.url, "8"], &[], &log)?;
    raw.wait_ready(&addr, "/ready", Some(200), Duration::from_secs(30))?;
    Ok(PgCeilings {
        _raw: raw,
        raw_load: Scenario {
            id: "raw",
            load: scenarios::raw_lookup(&addr, &fixture.guest_token),
            ..template.clone()
        },
        script,
        hash,
    })
}

pub fn measure(
    opts: &Options,
    bins: &Bins,
    dir: &Path,
    wrk_version: &str,
    started: Instant,
) -> anyhow::Result<Report> {
    let mut notes = Vec::new();
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let pg_admin = if opts.no_pg {
        notes.push("`--no-pg`: PostgreSQL and its ceilings are not run.".to_owned());
        None
    } else if opts.quick {
        notes.push(
            "`--quick`: SQLite only, one short repetition, small data; PostgreSQL and its ceilings are not run."
                .to_owned(),
        );
        None
    } else {
        match pg::available() {
            Ok(url) => Some(url),
            Err(why) => {
                eprintln!("\n!!! bench: PostgreSQL parts SKIPPED: {why}\n");
                notes.push(format!("PostgreSQL parts skipped: {why}."));
                None
            }
        }
    };
    let db = pg_admin.as_deref().map(BenchDb::create).transpose()?;

    let sim_addr = procs::free_addr()?;
    let sim_config = dir.join("sim.toml");
    std::fs::write(&sim_config, setup::sim_config())?;
    let config_arg = sim_config.display().to_string();
    let mut sim = Proc::spawn(
        "latchkey-ring-sim",
        &bins.sim,
        &["--config", &config_arg, "--bind", &sim_addr],
        &[("RUST_LOG", "warn".to_owned())],
        &dir.join("sim.log"),
    )?;
    sim.wait_ready(&sim_addr, "/", None, Duration::from_secs(30))?;
    let direct = Scenario {
        id: "sim",
        title: String::new(),
        load: scenarios::direct_sim_unlock(&sim_addr, &setup::direct_sim_token(&sim_addr)?),
        companion: None,
        hot: false,
    };

    let (sqlite, fixture) = start_store("SQLite", bins, dir, &sim_addr, None, opts)?;
    let (mut stores, mut fixtures) = (vec![sqlite], vec![fixture]);
    let mut ceilings = None;
    if let Some(db) = &db {
        let (store, fixture) = start_store("PostgreSQL", bins, dir, &sim_addr, Some(db), opts)?;
        stores.push(store);
        ceilings = Some(pg_ceilings(bins, dir, db, &fixture, &direct)?);
        fixtures.push(fixture);
    }

    if opts.hold {
        return hold(&stores, ceilings.as_ref(), &sim_addr, &fixtures);
    }
    let mut m = Measurements::default();
    for rep in 1..=opts.reps {
        eprintln!("bench: repetition {rep}/{}", opts.reps);
        m.argon2.push(argon2_rate(bins, opts)?);
        if let (Some(c), Some(db)) = (&ceilings, &db) {
            m.pgbench
                .push(pg::pgbench(&db.url, &c.script, &[("h", &c.hash)], opts.secs)?);
            let (r, _) = scenarios::measure(&c.raw_load, None, opts.secs, opts.warm, dir)?;
            m.raw.add(&r, 0);
        }
        let (r, _) = scenarios::measure(&direct, None, opts.secs, opts.warm, dir)?;
        m.sim.add(&r, 0);
        for store in &mut stores {
            for i in 0..store.scenarios.len() {
                let sc = store.scenarios[i].clone();
                eprintln!("bench:   {} {}", store.name, sc.id);
                store.restart(bins)?;
                if sc.id == "login" {
                    store.argon2_before_login.push(argon2_rate(bins, opts)?);
                }
                let (r, peak) = scenarios::measure(&sc, Some(&store.proc), opts.secs, opts.warm, dir)
                    .with_context(|| format!("{} on {}", sc.id, store.name))?;
                store.series[i].add(&r, peak);
                if sc.id == "login" {
                    std::thread::sleep(REST);
                    let rest = store.proc.memory()?;
                    store.rest_after_login.push(rest);
                }
            }
        }
    }
    drop(ceilings);
    for store in &mut stores {
        store.proc.stop();
    }
    sim.stop();
    let pg_version = db.as_ref().map(BenchDb::version);
    drop(db);
    Ok(assemble::report(
        opts,
        bins,
        &stores,
        &m,
        notes,
        super::facts::machine(wrk_version, pg_version.as_deref(), &load_before),
        started,
    ))
}

/// Raw argon2id hashes per second on all cores, measured now.
fn argon2_rate(bins: &Bins, opts: &Options) -> anyhow::Result<f64> {
    let argon2 = bins.argon2.display().to_string();
    let out = procs::output(&argon2, &[&opts.argon2_secs.to_string()])?;
    let v: serde_json::Value = serde_json::from_str(out.trim())?;
    v["hashes_per_second"]
        .as_f64()
        .context("argon2-rate printed no hashes_per_second")
}

/// `--hold`: says how to reach everything, then waits to be interrupted.
fn hold(
    stores: &[Store],
    ceilings: Option<&PgCeilings>,
    sim_addr: &str,
    fixtures: &[setup::Fixture],
) -> anyhow::Result<Report> {
    println!("simulator: http://{sim_addr}");
    if let Some(c) = ceilings {
        println!("raw ceiling: http://{}", c.raw_load.load.addr);
    }
    for (store, f) in stores.iter().zip(fixtures) {
        let env: Vec<String> = store.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("\n{} (pid {}): {}", store.name, store.proc.pid(), env.join(" "));
        println!("  guest token: {}", f.guest_token);
        println!("  resident bearer token: {}", f.resident_token);
        println!("  admin bearer token: {}", f.admin_token);
    }
    println!("\nholding; Ctrl-C stops the run (servers started by hand are yours to stop)");
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
