//! The loads of issue 6, and running one of them against a server: warm-up, then the
//! measured run with the peak-RSS counter reset just before it.

use std::path::Path;

use serde_json::json;

use super::procs::Proc;
use super::setup::{self, Fixture};
use super::wrk::{self, Load, Measured, Req};

/// The connections of every throughput scenario (issue 6).
pub const CONNECTIONS: u32 = 32;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: &'static str,
    pub title: String,
    pub load: Load,
    /// Another load running at the same time, not measured (the login flood).
    pub companion: Option<Load>,
    /// A hot path (its peak RSS is "hot paths" in the Process table); the list
    /// scenarios are not.
    pub hot: bool,
}

impl Scenario {
    /// Whether errors are a finding about the server rather than a broken harness: the
    /// list scenarios at 32 connections may overload the store (a 503 after its 3 s
    /// acquisition timeout is the server shedding load, and is reported).
    pub fn may_shed(&self) -> bool {
        !self.hot && self.load.connections > 1
    }
}

fn load(addr: &str, requests: Vec<Req>, connections: u32) -> Load {
    Load {
        addr: addr.to_owned(),
        requests,
        connections,
        threads: connections.min(2),
        timeout_secs: 30,
        count_statuses: false,
    }
}

/// Every scenario against the server at `addr`, prepared with `fixture`.
pub fn all(addr: &str, f: &Fixture, links: u64, events: u64) -> Vec<Scenario> {
    let guest = &f.guest_token;
    let login = Req::post(
        "/api/auth/login",
        &json!({"username": f.resident, "password": setup::USER_PASSWORD}),
    );
    let me: Vec<Req> = f
        .user_tokens
        .iter()
        .map(|t| Req::get("/api/auth/me").bearer(t))
        .collect();
    let view = Req::get(format!("/api/guest/{guest}"));
    let unlock = Req::post(format!("/api/guest/{guest}/unlock"), &serde_json::Value::Null);
    let list = Req::get("/api/guest-links").bearer(&f.resident_token);
    let audit = Req::get("/api/admin/audit").bearer(&f.admin_token);
    let (links, events) = (count(links + 1), count(events + 1));
    let s = |id, title: String, requests, connections, hot: bool| Scenario {
        id,
        title,
        load: Load {
            // Scenarios slow enough to count statuses without distorting them.
            count_statuses: !hot || matches!(id, "unlock" | "unlock1" | "login"),
            ..load(addr, requests, connections)
        },
        companion: None,
        hot,
    };
    let one = ", 1 connection (latency)";
    vec![
        s(
            "health",
            "`GET /api/health`".into(),
            vec![Req::get("/api/health")],
            CONNECTIONS,
            true,
        ),
        s("me", "`GET /api/auth/me` (bearer)".into(), me, CONNECTIONS, true),
        s(
            "guest",
            "`GET /api/guest/:token`".into(),
            vec![view],
            CONNECTIONS,
            true,
        ),
        s(
            "unlock",
            "`POST /api/guest/:token/unlock`, unlimited link".into(),
            vec![unlock.clone()],
            CONNECTIONS,
            true,
        ),
        s("unlock1", format!("the same unlock{one}"), vec![unlock], 1, true),
        s(
            "login",
            "`POST /api/auth/login`".into(),
            vec![login.clone()],
            CONNECTIONS,
            true,
        ),
        Scenario {
            id: "health_login",
            title: "`GET /api/health` (4 connections) during a 32-connection login flood".into(),
            load: load(addr, vec![Req::get("/api/health")], 4),
            companion: Some(load(addr, vec![login], CONNECTIONS)),
            hot: true,
        },
        s(
            "links",
            format!("`GET /api/guest-links`, {links} links"),
            vec![list.clone()],
            CONNECTIONS,
            false,
        ),
        s(
            "links1",
            format!("`GET /api/guest-links`, {links} links{one}"),
            vec![list],
            1,
            false,
        ),
        s(
            "audit",
            format!("`GET /api/admin/audit`, {events} events"),
            vec![audit.clone()],
            CONNECTIONS,
            false,
        ),
        s(
            "audit1",
            format!("`GET /api/admin/audit`, {events} events{one}"),
            vec![audit],
            1,
            false,
        ),
    ]
}

/// The simulator's own unlock, one connection: what Latchkey's unlock adds is measured
/// against this.
pub fn direct_sim_unlock(sim_addr: &str, access_token: &str) -> Load {
    let rpc = Req {
        method: "PUT",
        path: format!("/commands/v1/devices/{}/device_rpc", setup::DOOR),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: Some(setup::unlock_rpc().to_string()),
    }
    .bearer(access_token)
    .header("hardware_id", setup::DIRECT_HARDWARE_ID);
    load(sim_addr, vec![rpc], 1)
}

/// The raw one-query endpoint, same request shape as the guest lookup.
pub fn raw_lookup(addr: &str, guest_token: &str) -> Load {
    load(
        addr,
        vec![Req::get(format!("/api/guest/{guest_token}"))],
        CONNECTIONS,
    )
}

/// 100000 → "100k", 1000000 → "1M".
pub fn count(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 < 10_000 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 < 10 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// Warm-up (`warm` seconds, not recorded), then `secs` measured; with `server`, the
/// server's peak RSS during the measured part.
pub fn measure(
    sc: &Scenario,
    server: Option<&Proc>,
    secs: u32,
    warm: u32,
    dir: &Path,
) -> anyhow::Result<(Measured, u64)> {
    if warm > 0 {
        once(sc, warm, dir)?;
    }
    if let Some(p) = server {
        p.reset_peak()?;
    }
    let m = once(sc, secs, dir)?;
    let peak = match server {
        Some(p) => p.memory()?.peak_kib,
        None => 0,
    };
    Ok((m, peak))
}

fn once(sc: &Scenario, secs: u32, dir: &Path) -> anyhow::Result<Measured> {
    let companion = match &sc.companion {
        Some(c) => Some(wrk::spawn(c, secs, dir, &format!("{}-companion", sc.id))?),
        None => None,
    };
    let measured = wrk::run(&sc.load, secs, dir, sc.id);
    if let Some(child) = companion {
        let c = wrk::collect(child)?;
        anyhow::ensure!(
            c.non_2xx + c.socket_errors == 0,
            "{}: the companion load saw {} errors",
            sc.id,
            c.non_2xx + c.socket_errors
        );
    }
    measured
}
