//! `latchkey check-config` and the TOML file: bad settings stop the binary with a message
//! naming them; secrets are not printed.

use std::io::Write;

use crate::process::{command, text};

fn check(dir: &std::path::Path, toml: Option<&str>, env: &[(&str, &str)]) -> (bool, String, String) {
    let mut args = vec!["check-config"];
    let file = dir.join("latchkey.toml");
    if let Some(toml) = toml {
        std::fs::File::create(&file)
            .unwrap()
            .write_all(toml.as_bytes())
            .unwrap();
        args.extend(["--config", file.to_str().unwrap()]);
    }
    let out = command(dir, &args, env).output().unwrap();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn check_config_names_the_bad_setting_and_hides_secrets() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    let secret = "file-secret-0123456789-abcdefghij";
    let (ok, stdout, stderr) = check(
        dir,
        Some(&format!(
            "bind = \"127.0.0.1:9000\"\nsecret = \"{secret}\"\ndatabase_url = \"postgres://lk:db-password@db/lk\"\n"
        )),
        &[],
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("127.0.0.1:9000") && stdout.contains("postgres://lk:***@db/lk"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(secret) && !stdout.contains("db-password"),
        "{stdout}"
    );

    let (ok, _, stderr) = check(dir, Some("bnid = \"127.0.0.1:9000\"\n"), &[]);
    assert!(!ok);
    assert!(stderr.contains("unknown setting `bnid`"), "{stderr}");

    let (ok, _, stderr) = check(dir, Some("session_idle_minutes = 0\n"), &[]);
    assert!(!ok);
    assert!(stderr.contains("session_idle_minutes"), "{stderr}");

    // LATCHKEY_CONFIG names the file too; empty means none, like every setting.
    let file = dir.join("latchkey.toml");
    let out = command(
        dir,
        &["check-config"],
        &[("LATCHKEY_CONFIG", file.to_str().unwrap())],
    )
    .output()
    .unwrap();
    assert!(
        text(&out.stderr).contains("session_idle_minutes"),
        "{}",
        text(&out.stderr)
    );
    let out = command(dir, &["check-config"], &[("LATCHKEY_CONFIG", "")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // The environment overrides the file, and is judged by its own name.
    let (ok, _, stderr) = check(
        dir,
        Some("session_idle_minutes = 20\n"),
        &[("LATCHKEY_SESSION_IDLE_MINUTES", "abc")],
    );
    assert!(!ok);
    assert!(stderr.contains("LATCHKEY_SESSION_IDLE_MINUTES"), "{stderr}");
}
