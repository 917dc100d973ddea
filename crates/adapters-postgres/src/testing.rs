//! A fresh schema per test (feature `test-support`), for this crate's tests and for
//! black-box tests elsewhere that want a real PostgreSQL.
//!
//! Each test gets a uniquely named schema and a URL whose `search_path` is confined to
//! it, so tests run in parallel against one server without seeing each other. The guard
//! drops the schema when the test ends (best effort); schemas leaked by killed runs are
//! swept once they are six hours old.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Integer, Text};
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use latchkey_domain::UserId;
use latchkey_ports::StoreError;
use latchkey_sql::map_diesel_error;

use crate::{PgOptions, PgStore};

/// Where tests find PostgreSQL when [`BASE_URL_ENV`] is unset.
pub const DEFAULT_BASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The variable naming the server (and database) test schemas are created in.
pub const BASE_URL_ENV: &str = "LATCHKEY_TEST_DATABASE_URL";

const SCHEMA_PREFIX: &str = "lk_test_";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const STALE_AFTER_SECS: u64 = 6 * 60 * 60;

/// `LATCHKEY_TEST_DATABASE_URL`, or [`DEFAULT_BASE_URL`].
pub fn base_url() -> String {
    std::env::var(BASE_URL_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
}

/// Creates an empty, uniquely named schema on `base_url`'s database and returns a URL
/// whose connections see only that schema (`options=-csearch_path=<schema>`), plus the
/// guard that drops it. Nothing is migrated yet.
///
/// # Errors
/// [`StoreError::Unavailable`] when the server does not answer within 3 s or refuses
/// the login; other variants when it refuses to create the schema.
pub async fn fresh_schema_url(base_url: &str) -> Result<(String, SchemaGuard), StoreError> {
    let schema = unique_schema_name();
    let mut conn = admin_connect(base_url).await?;
    sweep_stale_schemas(&mut conn).await;
    conn.batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .map_err(map_diesel_error)?;
    let separator = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{separator}options=-csearch_path%3D{schema}");
    let guard = SchemaGuard {
        base_url: base_url.to_owned(),
        url: url.clone(),
        schema: Some(schema),
    };
    Ok((url, guard))
}

/// [`fresh_schema_url`] on [`base_url()`], or `None` when PostgreSQL does not answer:
/// the test should then return early (skip). A loud notice says so on stderr. With
/// `CI=true` it panics instead, so CI cannot go green without the database.
///
/// # Panics
/// Without PostgreSQL under `CI=true`, and when the server refuses to create the schema.
#[allow(clippy::panic)] // test support: failing loudly is the point
pub async fn fresh_schema() -> Option<(String, SchemaGuard)> {
    let base = base_url();
    match fresh_schema_url(&base).await {
        Ok(fresh) => Some(fresh),
        Err(StoreError::Unavailable(why)) => skip_without_database(&base, &why),
        Err(other) => panic!("cannot create a test schema on {}: {other}", redact(&base)),
    }
}

/// A migrated [`PgStore`] on a [`fresh_schema`], or `None` (skip) like it.
///
/// # Panics
/// As [`fresh_schema`], and whenever migrating the fresh schema fails.
#[allow(clippy::panic)] // test support: failing loudly is the point
pub async fn fresh_store() -> Option<(PgStore, SchemaGuard)> {
    let (url, guard) = fresh_schema().await?;
    match PgStore::connect_and_migrate(&url, PgOptions::default()).await {
        Ok(store) => Some((store, guard)),
        Err(e) => panic!("cannot migrate test schema {}: {e}", guard.schema()),
    }
}

/// Skip (with a notice) or, under `CI=true`, fail.
#[allow(clippy::panic)] // test support: failing loudly is the point
fn skip_without_database<T>(base: &str, why: &str) -> Option<T> {
    let base = redact(base);
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "PostgreSQL at {base} did not answer ({why}); CI=true, so this test fails instead of skipping"
        );
    }
    // Straight to the stderr handle: libtest captures `eprintln!` of passing tests, and
    // a skip must not go unnoticed. Once per test binary is enough.
    static NOTICE: std::sync::Once = std::sync::Once::new();
    NOTICE.call_once(|| {
        let notice = format!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !! SKIPPING PostgreSQL tests: {base} did not answer ({why}).\n\
             !! Start it or set {BASE_URL_ENV}. Under CI=true this is a failure.\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
    });
    None
}

/// Drops its schema (with everything in it) when dropped. Prefer
/// [`drop_schema`](Self::drop_schema) where you can await; `Drop` has to block the
/// current thread on a helper thread to do the same.
#[derive(Debug)]
pub struct SchemaGuard {
    base_url: String,
    url: String,
    schema: Option<String>,
}

impl SchemaGuard {
    /// The schema's name.
    pub fn schema(&self) -> &str {
        self.schema.as_deref().unwrap_or_default()
    }

    /// The URL confined to the schema (what [`fresh_schema_url`] returned), e.g. to
    /// start the whole application on it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Drops the schema now.
    ///
    /// # Errors
    /// When the server does not answer or refuses.
    pub async fn drop_schema(mut self) -> Result<(), StoreError> {
        match self.schema.take() {
            Some(schema) => drop_schema(&self.base_url, &schema).await,
            None => Ok(()),
        }
    }
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else { return };
        let base = self.base_url.clone();
        // Drop cannot await, and blocking on the caller's runtime could deadlock a
        // current-thread runtime; a short-lived thread with its own runtime can.
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            match runtime {
                Ok(rt) => rt.block_on(drop_schema(&base, &schema)),
                Err(e) => Err(StoreError::Other(e.to_string())),
            }
        });
        match worker.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop test schema: {e}"),
            Err(_) => eprintln!("warning: the thread dropping a test schema panicked"),
        }
    }
}

async fn drop_schema(base_url: &str, schema: &str) -> Result<(), StoreError> {
    let mut conn = admin_connect(base_url).await?;
    // A connection still inside a transaction on the schema must not hang the test.
    conn.batch_execute(&format!(
        "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
    ))
    .await
    .map_err(map_diesel_error)
}

async fn admin_connect(base_url: &str) -> Result<AsyncPgConnection, StoreError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, AsyncPgConnection::establish(base_url)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(StoreError::Unavailable(e.to_string())),
        Err(_) => Err(StoreError::Unavailable(format!(
            "no answer within {CONNECT_TIMEOUT:?}"
        ))),
    }
}

/// `lk_test_<unix seconds>_<pid>_<counter>`: unique across parallel test processes,
/// and the age tells the sweeper what was leaked.
fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{SCHEMA_PREFIX}{secs}_{}_{n}", std::process::id())
}

#[derive(QueryableByName)]
struct Namespace {
    #[diesel(sql_type = Text)]
    nspname: String,
}

/// Best effort: drops test schemas older than six hours (left by killed runs).
async fn sweep_stale_schemas(conn: &mut AsyncPgConnection) {
    let Ok(found) =
        diesel::sql_query("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, 'lk_test_')")
            .load::<Namespace>(conn)
            .await
    else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for name in found.into_iter().map(|n| n.nspname) {
        let created = name
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|rest| rest.split('_').next()?.parse::<u64>().ok());
        if created.is_some_and(|secs| now.saturating_sub(secs) > STALE_AFTER_SECS) {
            let _ = conn
                .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"))
                .await;
        }
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The server process behind the connection `store` hands out next: with one
/// connection in the pool, the session every call of `store` runs on.
///
/// # Errors
/// As any store call.
pub async fn backend_pid(store: &PgStore) -> Result<i32, StoreError> {
    let mut conn = store.conn().await?;
    let Pid { pid } = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result(&mut *conn)
        .await
        .map_err(map_diesel_error)?;
    Ok(pid)
}

/// Ends the session of server process `pid` as an operator or a fast shutdown would
/// (`pg_terminate_backend`), over a connection of `admin`; whether it existed.
///
/// # Errors
/// As any store call.
pub async fn terminate_backend(admin: &PgStore, pid: i32) -> Result<bool, StoreError> {
    let mut conn = admin.conn().await?;
    let Terminated { done } = diesel::sql_query(format!("SELECT pg_terminate_backend({pid}) AS done"))
        .get_result(&mut *conn)
        .await
        .map_err(map_diesel_error)?;
    Ok(done)
}

/// Holds the row lock of user `id` (`SELECT … FOR UPDATE` in an open transaction) on a
/// connection of `store`, so that a statement writing that row waits on it; run
/// `ROLLBACK` on the connection to release it.
///
/// # Errors
/// As any store call.
pub async fn lock_user_row(store: &PgStore, id: UserId) -> Result<Object<AsyncPgConnection>, StoreError> {
    let mut conn = store.conn().await?;
    conn.batch_execute(&format!(
        "BEGIN; SELECT 1 FROM users WHERE id = {} FOR UPDATE",
        id.0
    ))
    .await
    .map_err(map_diesel_error)?;
    Ok(conn)
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(QueryableByName)]
struct Terminated {
    #[diesel(sql_type = Bool)]
    done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_unique_and_dated() {
        let (a, b) = (unique_schema_name(), unique_schema_name());
        assert_ne!(a, b);
        assert!(a.starts_with(SCHEMA_PREFIX));
        let secs: u64 = a[SCHEMA_PREFIX.len()..]
            .split('_')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(secs > 1_700_000_000);
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/postgres"),
            "postgres://postgres@127.0.0.1/postgres"
        );
        assert_eq!(redact("not a url"), "not a url");
    }
}
