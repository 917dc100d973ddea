//! Test harness: starts the real server (real TCP, real database) on port 0 and gives
//! tests clients that behave like a browser (cookies + CSRF) or an API client (bearer).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_debug_implementations
)]

pub mod browser;
mod clients;
pub mod guest;
mod postgres;
pub mod private_pg;
mod ring;
pub mod small_disk;
pub mod sqlite_lock;
pub mod tcp_proxy;

use std::collections::HashMap;
use std::path::PathBuf;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub use clients::{Api, Browser};
pub use postgres::PgSchema;
pub use private_pg::PrivatePg;
pub use ring::{
    FRONT_DOOR, NEIGHBOUR_DOOR, NEIGHBOUR_EMAIL, RING_CODE, RING_EMAIL, RING_PASSWORD, SIDE_DOOR,
};
pub use small_disk::SmallDisk;
pub use sqlite_lock::SqliteWriteLock;
pub use tcp_proxy::TcpProxy;

/// A prerequisite this machine lacks (a PostgreSQL, root for a mount, …): a loud skip,
/// `None` — except under `CI=true`, where everything must run and it is a failure.
pub fn missing<T>(what: &str, why: impl std::fmt::Display) -> Option<T> {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is required under CI=true: {why}");
    }
    eprintln!("\n!!! SKIPPED, no {what}: {why}\n");
    None
}

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "copper-lantern-meadow-58";
/// A password the policy accepts, for residents created by tests.
pub const RESIDENT_PASSWORD: &str = "velvet-otter-harbor-93";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One running server and everything it needs to be started again on the same data.
pub struct TestApp {
    pub base: String,
    pub backend: Backend,
    pub bootstrap: Option<(String, Option<String>)>,
    /// The fake Ring cloud this server talks to.
    pub sim: latchkey_ring_sim::RunningSim,
    /// The proxy between the server and PostgreSQL, when started with
    /// [`spawn_behind_pg_proxy`](Self::spawn_behind_pg_proxy).
    pub pg_proxy: Option<TcpProxy>,
    vars: HashMap<String, String>,
    handle: actix_web::dev::ServerHandle,
    _data: TempDir,
    _pg: Option<PgSchema>,
}

impl TestApp {
    /// Starts a server on `backend`; `None` (with a loud message) when PostgreSQL is not
    /// reachable outside CI. Under `CI=true` a missing PostgreSQL fails the test.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, extra: &[(&str, &str)]) -> Option<Self> {
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgSchema::create().await?),
        };
        Some(Self::spawn_on(backend, pg, None, extra).await)
    }

    /// A server on a database the test provides (`url`), such as a [`PrivatePg`] it
    /// stops and starts.
    pub async fn spawn_on_database(backend: Backend, url: &str) -> Self {
        Self::spawn_on(backend, None, None, &[("DATABASE_URL", url)]).await
    }

    /// A PostgreSQL server that reaches its database through a [`TcpProxy`] the test can
    /// cut or blackhole (`app.pg_proxy`). `None` as [`spawn`](Self::spawn).
    pub async fn spawn_behind_pg_proxy(extra: &[(&str, &str)]) -> Option<Self> {
        let pg = PgSchema::create().await?;
        let proxy = TcpProxy::start(pg.upstream()).await;
        let url = pg.url_via(proxy.addr());
        Some(Self::spawn_on(Backend::Postgres, Some(pg), Some((proxy, url)), extra).await)
    }

    async fn spawn_on(
        backend: Backend,
        pg: Option<PgSchema>,
        proxy: Option<(TcpProxy, String)>,
        extra: &[(&str, &str)],
    ) -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut vars: HashMap<String, String> = [
            ("LATCHKEY_BIND", "127.0.0.1:0"),
            ("LATCHKEY_ADMIN_USERNAME", ADMIN),
            ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("LATCHKEY_WORKERS", "2"),
            ("LATCHKEY_DB_POOL_SIZE", "4"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        vars.insert("LATCHKEY_DATA_DIR".into(), data.path().display().to_string());
        let sim = ring::start_simulator();
        for (k, v) in [
            ("LATCHKEY_RING_OAUTH_URL", sim.base_url()),
            ("LATCHKEY_RING_API_URL", sim.base_url()),
            ("LATCHKEY_RING_TIMEOUT_SECONDS", "2"),
            ("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "2"),
            ("LATCHKEY_HEALTH_POLL_SECONDS", "1"),
        ] {
            vars.insert(k.to_owned(), v.to_owned());
        }
        let (pg_proxy, proxied_url) = proxy.unzip();
        if let Some(url) = proxied_url.or_else(|| pg.as_ref().map(|s| s.url.clone())) {
            vars.insert("DATABASE_URL".into(), url);
        }
        for (k, v) in extra {
            match *v {
                "" => vars.remove(*k),
                v => vars.insert((*k).to_owned(), v.to_owned()),
            };
        }
        let (base, handle, bootstrap) = start(&vars).await;
        Self {
            base,
            backend,
            bootstrap,
            sim,
            pg_proxy,
            vars,
            handle,
            _data: data,
            _pg: pg,
        }
    }

    /// The SQLite database file, unless the server runs on PostgreSQL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match self.vars.get("DATABASE_URL") {
            Some(url) => url.strip_prefix("sqlite://").map(PathBuf::from),
            None => Some(self._data.path().join("latchkey.db")),
        }
    }

    /// Stops the server and starts a new process-equivalent on the same database.
    pub async fn restart(&mut self) {
        self.handle.stop(true).await;
        let (base, handle, bootstrap) = start(&self.vars).await;
        self.base = base;
        self.handle = handle;
        self.bootstrap = bootstrap;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with no cookies that sends a bearer token when given one.
    pub fn api(&self) -> Api {
        Api {
            base: self.base.clone(),
            client: Client::new(),
            token: None,
        }
    }

    /// A client that keeps cookies and sends the CSRF token, like the web UI.
    pub async fn browser(&self) -> Browser {
        let client = Client::builder().cookie_store(true).build().unwrap();
        let res = client.get(self.url("/api/auth/csrf")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let csrf = res.json::<Value>().await.unwrap()["csrfToken"]
            .as_str()
            .unwrap()
            .to_owned();
        Browser {
            base: self.base.clone(),
            client,
            csrf,
        }
    }

    /// Logs in through the API and returns a client holding the bearer token.
    pub async fn login_api(&self, username: &str, password: &str) -> Api {
        let res = self
            .api()
            .post(
                "/api/auth/login",
                json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(res.status(), 200, "login of {username} failed");
        let token = res.headers()["set-auth-token"].to_str().unwrap().to_owned();
        Api {
            base: self.base.clone(),
            client: Client::new(),
            token: Some(token),
        }
    }

    pub async fn admin(&self) -> Api {
        self.login_api(ADMIN, ADMIN_PASSWORD).await
    }

    /// Creates a resident as the admin and returns their id.
    pub async fn create_resident(&self, admin: &Api, username: &str) -> i64 {
        let res = admin
            .post(
                "/api/admin/users",
                json!({"username": username, "password": RESIDENT_PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), 200, "creating {username}");
        res.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and let workers wind down; the runtime ends with the test.
        drop(self.handle.stop(false));
    }
}

async fn start(
    vars: &HashMap<String, String>,
) -> (
    String,
    actix_web::dev::ServerHandle,
    Option<(String, Option<String>)>,
) {
    let config = latchkey::Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let server = latchkey::build(
        &config,
        latchkey::BuildOptions {
            disable_signals: true,
        },
    )
    .await
    .unwrap();
    let base = format!("http://{}", server.addr);
    let handle = server.handle();
    let bootstrap = server.bootstrap.clone();
    tokio::spawn(server.run());
    (base, handle, bootstrap)
}

/// Reads a problem+json body and checks its status and stable code.
pub async fn expect_problem(res: Response, status: u16, code: &str) -> Value {
    let got = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, StatusCode::from_u16(status).unwrap(), "body: {body}");
    assert_eq!(ctype.as_deref(), Some("application/problem+json"), "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert_eq!(body["status"], status);
    body
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await.unwrap();
                    super::$name(app).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}
