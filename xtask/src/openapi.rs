//! `openapi/openapi.json` is generated from the code and committed; `--check` fails when
//! the committed file differs from what the code produces.

use std::process::Command;

pub fn run(check: bool) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["run", "--quiet", "-p", "latchkey", "--", "openapi"])
        .current_dir(super::root())
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "latchkey openapi failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout)?;
    let path = super::root().join("openapi/openapi.json");
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        anyhow::ensure!(
            committed == generated,
            "openapi/openapi.json is stale: run `cargo xtask openapi` and commit the result"
        );
        eprintln!("openapi: {} is up to date", path.display());
    } else {
        std::fs::create_dir_all(path.parent().unwrap_or(&super::root()))?;
        std::fs::write(&path, generated)?;
        eprintln!("openapi: wrote {}", path.display());
    }
    Ok(())
}
