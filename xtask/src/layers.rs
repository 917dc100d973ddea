//! The dependency rule: `domain`, `ports` and `application` never reach diesel,
//! actix-web, reqwest, tokio-postgres or hyper (Lemmy's `cargo tree -i` check).

use std::process::Command;

const INNER: [&str; 3] = ["latchkey-domain", "latchkey-ports", "latchkey-application"];
const FORBIDDEN: [&str; 7] = [
    "diesel",
    "diesel-async",
    "actix-web",
    "reqwest",
    "tokio-postgres",
    "hyper",
    "libsqlite3-sys",
];

pub fn run() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut violations = vec![];
    for krate in INNER {
        // Normal dependencies only: mocks and test helpers may use anything.
        let out = Command::new(&cargo)
            .args([
                "tree", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p}",
            ])
            .current_dir(super::root())
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "cargo tree -p {krate} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8_lossy(&out.stdout);
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            if FORBIDDEN.contains(&name) {
                violations.push(format!("{krate} depends on {name}"));
            }
        }
        // tokio is allowed only without its I/O drivers: the inner crates must not use it at all.
        if krate == "latchkey-domain"
            && tree
                .lines()
                .any(|l| l.starts_with("tokio ") || l.starts_with("async-trait "))
        {
            violations.push(format!(
                "{krate} depends on tokio/async-trait: domain rules are synchronous"
            ));
        }
    }
    violations.sort();
    violations.dedup();
    anyhow::ensure!(
        violations.is_empty(),
        "layer violations:\n  {}",
        violations.join("\n  ")
    );
    eprintln!("check-layers: domain, ports and application are free of I/O frameworks");
    Ok(())
}
