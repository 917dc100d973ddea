use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use super::*;

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn cfg(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
    let map = map(pairs);
    Config::from_lookup(|k| map.get(k).cloned())
}

/// `env` over a file holding `toml`.
fn layered(env: &[(&str, &str)], toml: &str) -> anyhow::Result<Config> {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(toml.as_bytes()).unwrap();
    let env = map(env);
    Config::layered(|k| env.get(k).cloned(), Some(file.path()))
}

#[test]
fn defaults_follow_the_contract() {
    let c = cfg(&[]).unwrap();
    assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.database_url.expose_secret(), "sqlite://data/latchkey.db");
    assert_eq!(c.public_url, None);
    assert_eq!(c.public_url_for(c.bind), "http://127.0.0.1:8080");
    assert_eq!(c.ring_oauth_url, "https://oauth.ring.com");
    assert_eq!(c.ring_api_url, "https://api.ring.com");
    assert_eq!(c.log_format, LogFormat::Text);
    assert_eq!((c.session_idle_minutes, c.session_absolute_hours), (30, 12));
    assert_eq!((c.db_pool_size, c.workers), (8, None));
    assert_eq!((c.ring_timeout_secs, c.ring_unlock_timeout_secs), (10, 20));
    assert_eq!((c.health_poll_secs, c.health_retention_days), (900, 30));
    assert_eq!(c.guest_max_window_days, 90);
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
        ("LATCHKEY_SESSION_ABSOLUTE_HOURS", "721"),
        ("LATCHKEY_DB_POOL_SIZE", "-3"),
        ("LATCHKEY_WORKERS", "0"),
        ("LATCHKEY_PUBLIC_URL", "ftp://x"),
        ("LATCHKEY_RING_OAUTH_URL", "oauth.ring.com"),
        ("LATCHKEY_RING_TIMEOUT_SECONDS", "121"),
        ("LATCHKEY_RING_UNLOCK_TIMEOUT_SECONDS", "0"),
        ("LATCHKEY_HEALTH_POLL_SECONDS", "x"),
        ("LATCHKEY_HEALTH_RETENTION_DAYS", "1.5"),
        ("LATCHKEY_GUEST_MAX_WINDOW_DAYS", "0"),
        ("LATCHKEY_SECRET", "too-short"),
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
        ("DATABASE_URL", "postgres://latchkey:db-pass-word@db/latchkey"),
    ])
    .unwrap();
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("super-secret") && !shown.contains("pw-pw") && !shown.contains("db-pass"),
        "{shown}"
    );
    // A short secret is refused without echoing it.
    let err = cfg(&[("LATCHKEY_SECRET", "hunter2-hunter2")])
        .unwrap_err()
        .to_string();
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn the_list_of_settings_is_what_is_read_and_what_the_readme_documents() {
    let asked = RefCell::new(BTreeSet::new());
    Config::from_lookup(|k| {
        asked.borrow_mut().insert(k.to_owned());
        None
    })
    .unwrap();
    let listed: BTreeSet<String> = SETTINGS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        asked.into_inner(),
        listed,
        "SETTINGS must list every variable read"
    );
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    for name in SETTINGS {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README's settings table lacks {name}"
        );
    }
    assert!(readme.contains("`LATCHKEY_CONFIG`"));
}

#[test]
fn the_file_is_read_under_the_environment() {
    let c = layered(
        &[("LATCHKEY_BIND", "127.0.0.1:9999")],
        r#"
            bind = "0.0.0.0:8080"
            data_dir = "/var/lib/latchkey"
            database_url = "postgres://latchkey:pw-in-file@db/latchkey"
            session_idle_minutes = 45
            trusted_proxies = ["10.0.0.0/8", "192.168.1.1"]
            log_format = "json"
        "#,
    )
    .unwrap();
    assert_eq!(c.bind.to_string(), "127.0.0.1:9999", "the environment wins");
    assert_eq!(c.data_dir, PathBuf::from("/var/lib/latchkey"));
    assert!(c.database_url.is_postgres());
    assert_eq!(c.session_idle_minutes, 45);
    assert_eq!(c.log_format, LogFormat::Json);
    assert!(c.file.is_some());
    assert!(!format!("{c:?}").contains("pw-in-file"));
}

#[test]
fn unknown_keys_and_bad_values_in_the_file_stop_start_up_naming_the_setting() {
    let err = format!("{:#}", layered(&[], "bnid = \"0.0.0.0:1\"").unwrap_err());
    assert!(
        err.contains("unknown setting `bnid`") && err.contains("bind"),
        "{err}"
    );
    let err = format!("{:#}", layered(&[], "config = \"x.toml\"").unwrap_err());
    assert!(err.contains("unknown setting `config`"), "{err}");
    let err = format!("{:#}", layered(&[], "session_idle_minutes = 0").unwrap_err());
    assert!(
        err.contains("session_idle_minutes") && err.contains("LATCHKEY_SESSION_IDLE_MINUTES"),
        "{err}"
    );
    let err = format!("{:#}", layered(&[], "workers = true").unwrap_err());
    assert!(err.contains("`workers`"), "{err}");
    let err = format!("{:#}", layered(&[], "[ring]\ntimeout = 3").unwrap_err());
    assert!(err.contains("unknown setting `ring`"), "{err}");
    // A value the environment overrides is not judged.
    assert!(layered(&[("LATCHKEY_WORKERS", "2")], "workers = 0").is_ok());
}

#[test]
fn a_broken_file_is_reported_without_its_contents() {
    let err = format!(
        "{:#}",
        layered(
            &[],
            "bind = \"127.0.0.1:1\"\nsecret = \"do-not-show-me-0123456789abcdefgh"
        )
        .unwrap_err()
    );
    assert!(err.contains("line 2"), "{err}");
    assert!(!err.contains("do-not-show-me"), "{err}");
    let missing = Config::layered(|_| None, Some(Path::new("/nonexistent/latchkey.toml")))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("/nonexistent/latchkey.toml"), "{missing}");
}

#[test]
fn file_keys_are_the_variable_names_without_the_prefix() {
    assert_eq!(file_key("LATCHKEY_SESSION_IDLE_MINUTES"), "session_idle_minutes");
    assert_eq!(file_key("DATABASE_URL"), "database_url");
    assert_eq!(file_key("LATCHKEY_BIND"), "bind");
}

#[test]
fn demo_uses_its_own_database() {
    let c = cfg(&[
        ("LATCHKEY_DATA_DIR", "/srv/lk"),
        ("DATABASE_URL", "postgres://x@db/latchkey"),
    ])
    .unwrap()
    .for_demo();
    assert_eq!(c.database_url.expose_secret(), "sqlite:///srv/lk/demo.db");
}
