//! The service's configuration: environment variables (names fixed by the configuration
//! contract in ARCHITECTURE.md) over an optional TOML file (`--config` or
//! `LATCHKEY_CONFIG`) whose keys are the variable names without `LATCHKEY_`, in lower
//! case. Every invalid value, and every unknown key in the file, stops start-up with a
//! message naming the setting. Secrets are wrapped so `Debug` never shows them.

mod database_url;
mod file;
mod vars;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use latchkey_http::TrustedProxies;
use secrecy::{ExposeSecret, SecretString};

pub use database_url::DatabaseUrl;
pub use file::file_key;
use vars::Vars;

/// Every setting, by its environment name. The file accepts exactly these (as
/// [`file_key`]); a unit test checks that `from_lookup` reads no other and the README
/// documents each.
pub const SETTINGS: &[&str] = &[
    "LATCHKEY_BIND",
    "LATCHKEY_DATA_DIR",
    "DATABASE_URL",
    "LATCHKEY_SECRET",
    "LATCHKEY_PUBLIC_URL",
    "LATCHKEY_ADMIN_USERNAME",
    "LATCHKEY_ADMIN_PASSWORD",
    "LATCHKEY_TRUSTED_PROXIES",
    "LATCHKEY_RING_OAUTH_URL",
    "LATCHKEY_RING_API_URL",
    "LATCHKEY_LOG_FORMAT",
    "LATCHKEY_SESSION_IDLE_MINUTES",
    "LATCHKEY_SESSION_ABSOLUTE_HOURS",
    "LATCHKEY_DB_POOL_SIZE",
    "LATCHKEY_WORKERS",
    "LATCHKEY_RING_TIMEOUT_SECONDS",
    "LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS",
    "LATCHKEY_HEALTH_POLL_SECONDS",
    "LATCHKEY_HEALTH_RETENTION_DAYS",
    "LATCHKEY_GUEST_MAX_WINDOW_DAYS",
];

/// A configured server secret shorter than this is refused (it keys HMAC and AES).
pub const MIN_SECRET_CHARS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; prints without its password.
    pub database_url: DatabaseUrl,
    pub secret: Option<SecretString>,
    /// Base of shareable links; `https://` turns on secure cookies and HSTS. `None`:
    /// `http://` + the address actually bound (see [`Config::public_url_for`]).
    pub public_url: Option<String>,
    pub admin_username: Option<String>,
    pub admin_password: Option<SecretString>,
    pub trusted_proxies: TrustedProxies,
    pub ring_oauth_url: String,
    pub ring_api_url: String,
    pub log_format: LogFormat,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Database connections per instance (PERFORMANCE.md: ≈ 2 × cores).
    pub db_pool_size: usize,
    /// HTTP worker threads; default = cores.
    pub workers: Option<usize>,
    /// Timeout of Ring calls other than unlock.
    pub ring_timeout_secs: u64,
    /// Timeout of the unlock call (Ring's own clients wait 20 s; the door may be slow).
    pub ring_unlock_timeout_secs: u64,
    /// How often the background poller snapshots intercom health.
    pub health_poll_secs: u64,
    /// How long health snapshots are kept.
    pub health_retention_days: i64,
    /// The longest window a guest link may have.
    pub guest_max_window_days: i64,
    /// The TOML file the settings were read from, if any (for messages).
    pub file: Option<PathBuf>,
}

impl Config {
    /// Environment only (no file).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::load(None)
    }

    /// Environment variables over the TOML file at `file` (if given).
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self::layered(env, file)
    }

    /// `env` over the file: the seam the tests use with a map instead of the process's
    /// environment.
    pub fn layered(env: impl Fn(&str) -> Option<String>, file: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = file else {
            return Self::from_lookup(env);
        };
        let values = file::read(path)?;
        let lookup = |name: &str| env(name).or_else(|| values.get(name).cloned());
        let label = |name: &str| {
            if env(name).is_none() && values.contains_key(name) {
                format!("{} ({name}) in {}", file_key(name), path.display())
            } else {
                name.to_owned()
            }
        };
        let mut config = Self::read(&Vars::new(&lookup, &label))?;
        config.file = Some(path.to_owned());
        Ok(config)
    }

    /// Builds the configuration from any variable source (tests pass a map).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        Self::read(&Vars::new(&var, &|name: &str| name.to_owned()))
    }

    fn read(v: &Vars<'_>) -> anyhow::Result<Self> {
        let bind: SocketAddr = v.parse("LATCHKEY_BIND", "127.0.0.1:8080")?;
        let data_dir = PathBuf::from(v.get("LATCHKEY_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match v.get("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(url).map_err(|why| v.fail("DATABASE_URL", why))?,
            None => DatabaseUrl::sqlite_in(&data_dir, "latchkey.db"),
        };
        let public_url = v.get("LATCHKEY_PUBLIC_URL");
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(v.fail("LATCHKEY_PUBLIC_URL", "must start with http:// or https://"));
        }
        let trusted_proxies = TrustedProxies::parse(&v.get("LATCHKEY_TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|e| v.fail("LATCHKEY_TRUSTED_PROXIES", e))?;
        let log_format = match v.get("LATCHKEY_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(v.fail(
                    "LATCHKEY_LOG_FORMAT",
                    format!("must be text or json, not {other:?}"),
                ));
            }
        };
        let secret = v.get("LATCHKEY_SECRET").map(SecretString::from);
        if let Some(s) = &secret
            && s.expose_secret().chars().count() < MIN_SECRET_CHARS
        {
            return Err(v.fail(
                "LATCHKEY_SECRET",
                format!("must be at least {MIN_SECRET_CHARS} characters"),
            ));
        }
        let workers = match v.get("LATCHKEY_WORKERS") {
            None => None,
            Some(_) => Some(v.ranged("LATCHKEY_WORKERS", 1, 1..=256)?),
        };
        Ok(Self {
            bind,
            database_url,
            data_dir,
            secret,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()),
            admin_username: v.get("LATCHKEY_ADMIN_USERNAME"),
            admin_password: v.get("LATCHKEY_ADMIN_PASSWORD").map(SecretString::from),
            trusted_proxies,
            ring_oauth_url: url_setting(v, "LATCHKEY_RING_OAUTH_URL", "https://oauth.ring.com")?,
            ring_api_url: url_setting(v, "LATCHKEY_RING_API_URL", "https://api.ring.com")?,
            log_format,
            session_idle_minutes: v.ranged("LATCHKEY_SESSION_IDLE_MINUTES", 30, 1..=24 * 60)?,
            session_absolute_hours: v.ranged("LATCHKEY_SESSION_ABSOLUTE_HOURS", 12, 1..=24 * 30)?,
            db_pool_size: v.ranged("LATCHKEY_DB_POOL_SIZE", 8, 1..=256)?,
            workers,
            ring_timeout_secs: v.ranged("LATCHKEY_RING_TIMEOUT_SECONDS", 10, 1..=120)?,
            ring_unlock_timeout_secs: v.ranged("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", 20, 1..=120)?,
            health_poll_secs: v.ranged("LATCHKEY_HEALTH_POLL_SECONDS", 900, 1..=86_400)?,
            health_retention_days: v.ranged("LATCHKEY_HEALTH_RETENTION_DAYS", 30, 1..=3650)?,
            guest_max_window_days: v.ranged("LATCHKEY_GUEST_MAX_WINDOW_DAYS", 90, 1..=3650)?,
            file: None,
        })
    }

    pub fn is_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The base of shareable links once the listener is bound (port 0 becomes real).
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
    }

    /// The same settings on the demo's own database, `<data dir>/demo.db`, so a demo
    /// never reads or writes the real one (whatever `DATABASE_URL` says).
    pub fn for_demo(mut self) -> Self {
        self.database_url = DatabaseUrl::sqlite_in(&self.data_dir, "demo.db");
        self
    }
}

/// A base URL for outbound calls (Ring): http(s), without a trailing slash.
fn url_setting(v: &Vars<'_>, name: &str, default: &str) -> anyhow::Result<String> {
    let url = v.get(name).unwrap_or_else(|| default.to_owned());
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(v.fail(name, anyhow!("must start with http:// or https://")));
    }
    Ok(url.trim_end_matches('/').to_owned())
}
