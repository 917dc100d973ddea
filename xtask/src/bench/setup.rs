//! Setting a store up for the bench: users, sessions, a linked Ring account and a guest
//! link through the API (as a resident would), then bulk data straight into the tables.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde_json::{Value, json};

use super::http::Client;
use super::{pg, procs};

pub const ADMIN: &str = "bench-admin";
pub const ADMIN_PASSWORD: &str = "copper-lantern-meadow-58-bench";
pub const USER_PASSWORD: &str = "velvet-otter-harbor-93-bench";
pub const RING_EMAIL: &str = "bench@example.com";
pub const RING_PASSWORD: &str = "bench-ring-password";
pub const DOOR: i64 = 1001;
/// The Ring "hardware id" of the bench's own direct calls to the simulator.
pub const DIRECT_HARDWARE_ID: &str = "bench-direct-client";

/// The simulator's accounts: one Ring account without 2FA, one intercom, no latency.
pub fn sim_config() -> String {
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

/// What the scenarios need from one prepared store.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub admin_token: String,
    /// Owner of the guest link (and of the seeded links).
    pub resident_token: String,
    pub resident: String,
    /// Sessions of other residents, for `/api/auth/me`.
    pub user_tokens: Vec<String>,
    /// An active guest link with unlimited uses.
    pub guest_token: String,
    pub link_id: i64,
}

/// Logs in; the session token from `set-auth-token`.
pub fn login(server: &Client, username: &str, password: &str) -> anyhow::Result<String> {
    let res = server.post(
        "/api/auth/login",
        &json!({"username": username, "password": password}),
    )?;
    let token = res.header("set-auth-token").map(str::to_owned);
    res.expect(200, &format!("login of {username}"))?;
    token.context("login answered without set-auth-token")
}

/// Limits out of the way, `users + 1` residents with sessions, the Ring account linked,
/// one unlimited guest link, and one guest unlock (so the audit has a row to copy).
pub fn prepare(addr: &str, users: usize) -> anyhow::Result<Fixture> {
    let server = Client::new(addr);
    let admin = server.with_token(&login(&server, ADMIN, ADMIN_PASSWORD)?);
    admin
        .post(
            "/api/admin/limits",
            &json!({"guestPerMinute": 1_000_000, "authPerMinute": 1_000_000}),
        )?
        .expect(200, "raising the rate limits")?;
    let names: Vec<String> = std::iter::once("bench-resident".to_owned())
        .chain((1..=users).map(|i| format!("bench-user-{i}")))
        .collect();
    for name in &names {
        admin
            .post(
                "/api/admin/users",
                &json!({"username": name, "password": USER_PASSWORD}),
            )?
            .expect(200, &format!("creating {name}"))?;
    }
    // Two logins at a time: argon2 is the cost, and there are two cores.
    let tokens: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = [0, 1]
            .map(|half| {
                let (server, names) = (&server, &names);
                s.spawn(move || -> anyhow::Result<Vec<(usize, String)>> {
                    let mine = names.iter().enumerate().filter(|(i, _)| i % 2 == half);
                    mine.map(|(i, n)| Ok((i, login(server, n, USER_PASSWORD)?)))
                        .collect()
                })
            })
            .into_iter()
            .collect();
        let mut all = Vec::new();
        for h in halves {
            all.extend(
                h.join()
                    .map_err(|_| anyhow::anyhow!("a login thread panicked"))??,
            );
        }
        all.sort();
        Ok::<_, anyhow::Error>(all.into_iter().map(|(_, t)| t).collect())
    })?;
    let resident = server.with_token(&tokens[0]);
    let linked = resident
        .post(
            "/api/ring/auth/start",
            &json!({"email": RING_EMAIL, "password": RING_PASSWORD, "accountLabel": "Bench"}),
        )?
        .expect(200, "linking the Ring account")?;
    let account = linked["ringAccountId"]
        .as_i64()
        .with_context(|| format!("no ringAccountId (2FA asked?): {linked}"))?;
    let link = resident
        .post(
            "/api/guest-links",
            &json!({"label": "Bench", "intercomId": DOOR, "ringAccountId": account,
                    "expiresAt": iso_in_days(80)}),
        )?
        .expect(200, "creating the guest link")?;
    let guest_token = link["link"]["token"]
        .as_str()
        .context("no link token")?
        .to_owned();
    let link_id = link["link"]["id"].as_i64().context("no link id")?;
    server
        .post(&format!("/api/guest/{guest_token}/unlock"), &Value::Null)?
        .expect(200, "the first guest unlock")?;
    Ok(Fixture {
        admin_token: admin.token.unwrap_or_default(),
        resident_token: tokens[0].clone(),
        resident: names[0].clone(),
        user_tokens: tokens[1..].to_vec(),
        guest_token,
        link_id,
    })
}

/// An access token and a session of the bench's own client at the simulator, for
/// timing the simulator's unlock without Latchkey in front of it.
pub fn direct_sim_token(sim_addr: &str) -> anyhow::Result<String> {
    let sim = Client::new(sim_addr);
    let tokens = sim
        .post(
            "/oauth/token",
            &json!({"client_id": "ring_official_android", "scope": "client",
                    "grant_type": "password", "username": RING_EMAIL, "password": RING_PASSWORD}),
        )?
        .expect(200, "simulator password grant")?;
    let access = tokens["access_token"]
        .as_str()
        .context("no access_token")?
        .to_owned();
    sim.with_token(&access)
        .post(
            "/clients_api/session",
            &json!({"device": {"hardware_id": DIRECT_HARDWARE_ID, "metadata": {}, "os": "android"}}),
        )?
        .expect(200, "simulator session")?;
    Ok(access)
}

/// The body of Ring's `unlock_door` device RPC.
pub fn unlock_rpc() -> Value {
    json!({"command_name": "device_rpc",
           "request": {"jsonrpc": "2.0", "method": "unlock_door", "params": {"door_id": 0, "user_id": 0}}})
}

/// Where a store keeps its tables.
#[derive(Debug, Clone, Copy)]
pub enum Tables<'a> {
    Sqlite(&'a Path),
    Postgres(&'a str),
}

/// Adds `links` guest links of the resident (copies of the real one with their own
/// token hashes, so each lists with a URL) and `events` unlock-audit rows (copies of the
/// real guest unlock).
pub fn seed(
    tables: Tables<'_>,
    fixture: &Fixture,
    links: u64,
    events: u64,
    dir: &Path,
) -> anyhow::Result<()> {
    let link = fixture.link_id;
    let columns = "owner_id, ring_account_id, intercom_id, label, token_hash, sealed_token, \
                   starts_at, expires_at, max_uses, uses, created_at, updated_at";
    let event_columns = "occurred_at, actor_kind, actor_user_id, guest_link_id, owner_id, \
                         ring_account_id, intercom_id, outcome, error_code, ip, user_agent";
    match tables {
        // The seed writes hundreds of MB: left alone, the checkpoint and the autovacuum it
        // triggers land in whichever scenarios run next (a checkpoint in progress was seen
        // to double a run's unlock p99). Settled first, as `pgbench -i` does.
        Tables::Postgres(url) => {
            let sql = format!(
                "BEGIN;\n\
                 INSERT INTO guest_links ({columns}) SELECT g.owner_id, g.ring_account_id, \
                 g.intercom_id, 'Seeded ' || i, lpad(to_hex(i), 64, '0'), g.sealed_token, g.starts_at, \
                 g.expires_at, g.max_uses, 0, g.created_at, g.updated_at \
                 FROM guest_links g, generate_series(1, {links}) AS i WHERE g.id = {link};\n\
                 INSERT INTO unlock_events ({event_columns}) SELECT {event_columns} \
                 FROM unlock_events e, generate_series(1, {events}) AS i \
                 WHERE e.id = (SELECT max(id) FROM unlock_events);\n\
                 COMMIT;\n\
                 VACUUM (ANALYZE);\n\
                 CHECKPOINT;\n"
            );
            let file = dir.join("seed-postgres.sql");
            std::fs::write(&file, sql)?;
            pg::psql_file(url, &file)
        }
        Tables::Sqlite(db) => {
            if !procs::have("sqlite3") {
                procs::apt_install(&["sqlite3"])?;
            }
            let series = |n: u64| {
                format!("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})")
            };
            let sql = format!(
                ".timeout 60000\n\
                 BEGIN IMMEDIATE;\n\
                 {} INSERT INTO guest_links ({columns}) SELECT g.owner_id, g.ring_account_id, \
                 g.intercom_id, 'Seeded ' || i, printf('%064x', i), g.sealed_token, g.starts_at, \
                 g.expires_at, g.max_uses, 0, g.created_at, g.updated_at \
                 FROM guest_links g, s WHERE g.id = {link};\n\
                 {} INSERT INTO unlock_events ({event_columns}) SELECT {event_columns} \
                 FROM unlock_events e, s WHERE e.id = (SELECT max(id) FROM unlock_events);\n\
                 COMMIT;\n",
                series(links),
                series(events),
            );
            let file = dir.join("seed-sqlite.sql");
            std::fs::write(&file, sql)?;
            let path = db.display().to_string();
            let init = format!(".read {}", file.display());
            procs::output("sqlite3", &["-bail", &path, &init]).map(drop)
        }
    }
}

/// An RFC 3339 UTC instant `days` from now (whole seconds).
pub fn iso_in_days(days: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let secs = i64::try_from(now).unwrap_or(0) + days * 86_400;
    let (day, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
