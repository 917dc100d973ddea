//! The service's configuration, from environment variables (names fixed by the
//! configuration contract in ARCHITECTURE.md). Every invalid value stops start-up with
//! a message naming the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, anyhow};
use latchkey_http::TrustedProxies;
use secrecy::SecretString;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
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
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Builds the configuration from any variable source (tests pass a map).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let bind: SocketAddr = parse(&var, "LATCHKEY_BIND", "127.0.0.1:8080")?;
        let data_dir = PathBuf::from(var("LATCHKEY_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => {
                if !(url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:"))
                {
                    return Err(anyhow!(
                        "DATABASE_URL must start with postgres://, postgresql:// or sqlite://"
                    ));
                }
                url
            }
            None => format!("sqlite://{}", data_dir.join("latchkey.db").display()),
        };
        let public_url = var("LATCHKEY_PUBLIC_URL");
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(anyhow!("LATCHKEY_PUBLIC_URL must start with http:// or https://"));
        }
        let trusted_proxies = TrustedProxies::parse(&var("LATCHKEY_TRUSTED_PROXIES").unwrap_or_default())
            .map_err(|e| anyhow!("LATCHKEY_TRUSTED_PROXIES: {e}"))?;
        let log_format = match var("LATCHKEY_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(anyhow!("LATCHKEY_LOG_FORMAT must be text or json, not {other:?}")),
        };
        let session_idle_minutes = parse(&var, "LATCHKEY_SESSION_IDLE_MINUTES", "30")?;
        let session_absolute_hours = parse(&var, "LATCHKEY_SESSION_ABSOLUTE_HOURS", "12")?;
        if !(1..=24 * 60).contains(&session_idle_minutes) {
            return Err(anyhow!("LATCHKEY_SESSION_IDLE_MINUTES must be from 1 to 1440"));
        }
        if !(1..=24 * 30).contains(&session_absolute_hours) {
            return Err(anyhow!("LATCHKEY_SESSION_ABSOLUTE_HOURS must be from 1 to 720"));
        }
        let db_pool_size = parse(&var, "LATCHKEY_DB_POOL_SIZE", "8")?;
        if !(1..=256).contains(&db_pool_size) {
            return Err(anyhow!("LATCHKEY_DB_POOL_SIZE must be from 1 to 256"));
        }
        let workers = var("LATCHKEY_WORKERS")
            .map(|w| w.parse::<usize>().ok().filter(|n| (1..=256).contains(n)))
            .map(|w| w.ok_or_else(|| anyhow!("LATCHKEY_WORKERS must be from 1 to 256")))
            .transpose()?;
        let ring_timeout_secs = parse(&var, "LATCHKEY_RING_TIMEOUT_SECONDS", "10")?;
        if !(1..=120).contains(&ring_timeout_secs) {
            return Err(anyhow!("LATCHKEY_RING_TIMEOUT_SECONDS must be from 1 to 120"));
        }
        let ring_unlock_timeout_secs = parse(&var, "LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "20")?;
        if !(1..=120).contains(&ring_unlock_timeout_secs) {
            return Err(anyhow!(
                "LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS must be from 1 to 120"
            ));
        }
        let health_poll_secs = parse(&var, "LATCHKEY_HEALTH_POLL_SECONDS", "900")?;
        if !(1..=86_400).contains(&health_poll_secs) {
            return Err(anyhow!("LATCHKEY_HEALTH_POLL_SECONDS must be from 1 to 86400"));
        }
        let health_retention_days = parse(&var, "LATCHKEY_HEALTH_RETENTION_DAYS", "30")?;
        if !(1..=3650).contains(&health_retention_days) {
            return Err(anyhow!("LATCHKEY_HEALTH_RETENTION_DAYS must be from 1 to 3650"));
        }
        let guest_max_window_days = parse(&var, "LATCHKEY_GUEST_MAX_WINDOW_DAYS", "90")?;
        if !(1..=3650).contains(&guest_max_window_days) {
            return Err(anyhow!("LATCHKEY_GUEST_MAX_WINDOW_DAYS must be from 1 to 3650"));
        }
        Ok(Self {
            bind,
            data_dir,
            database_url,
            secret: var("LATCHKEY_SECRET").map(SecretString::from),
            public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()),
            admin_username: var("LATCHKEY_ADMIN_USERNAME"),
            admin_password: var("LATCHKEY_ADMIN_PASSWORD").map(SecretString::from),
            trusted_proxies,
            ring_oauth_url: var("LATCHKEY_RING_OAUTH_URL").unwrap_or_else(|| "https://oauth.ring.com".into()),
            ring_api_url: var("LATCHKEY_RING_API_URL").unwrap_or_else(|| "https://api.ring.com".into()),
            log_format,
            session_idle_minutes,
            session_absolute_hours,
            db_pool_size,
            workers,
            ring_timeout_secs,
            ring_unlock_timeout_secs,
            health_poll_secs,
            health_retention_days,
            guest_max_window_days,
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
}

fn parse<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
) -> anyhow::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let raw = var(name).unwrap_or_else(|| default.to_owned());
    raw.parse::<T>()
        .with_context(|| format!("{name}: cannot parse {raw:?}"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://data/latchkey.db");
        assert_eq!(c.public_url, None);
        assert_eq!(c.public_url_for(c.bind), "http://127.0.0.1:8080");

        assert_eq!(c.ring_oauth_url, "https://oauth.ring.com");
        assert!(!c.is_tls());
        let c = cfg(&[("LATCHKEY_PUBLIC_URL", "https://door.example/")]).unwrap();
        assert_eq!(c.public_url_for(c.bind), "https://door.example");
        assert!(c.is_tls());
    }

    #[test]
    fn invalid_values_name_their_variable() {
        for (k, v) in [
            ("LATCHKEY_BIND", "nope"),
            ("DATABASE_URL", "mysql://x"),
            ("LATCHKEY_TRUSTED_PROXIES", "10.0.0.1,zz"),
            ("LATCHKEY_LOG_FORMAT", "xml"),
            ("LATCHKEY_SESSION_IDLE_MINUTES", "0"),
            ("LATCHKEY_DB_POOL_SIZE", "-3"),
            ("LATCHKEY_PUBLIC_URL", "ftp://x"),
            ("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "0"),
            ("LATCHKEY_HEALTH_POLL_SECONDS", "x"),
            ("LATCHKEY_GUEST_MAX_WINDOW_DAYS", "0"),
        ] {
            let err = cfg(&[(k, v)]).unwrap_err().to_string();
            assert!(err.contains(k), "{k}: {err}");
        }
    }

    #[test]
    fn secrets_do_not_print() {
        let c = cfg(&[
            ("LATCHKEY_SECRET", "super-secret-value-0123456789abcdef"),
            ("LATCHKEY_ADMIN_PASSWORD", "pw-pw-pw-pw-pw"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("super-secret") && !shown.contains("pw-pw"),
            "{shown}"
        );
    }
}
