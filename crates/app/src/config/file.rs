//! The optional TOML file. Its keys are the environment names without `LATCHKEY_`, in
//! lower case (`bind`, `database_url`, `session_idle_minutes`, …); values are strings or
//! numbers (`trusted_proxies` may also be a list). The result is keyed by environment
//! name, so the file is just a second lookup under the environment.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use toml::Value;

use super::SETTINGS;

/// `LATCHKEY_SESSION_IDLE_MINUTES` → `session_idle_minutes`, `DATABASE_URL` → `database_url`.
pub fn file_key(env_name: &str) -> String {
    env_name
        .strip_prefix("LATCHKEY_")
        .unwrap_or(env_name)
        .to_ascii_lowercase()
}

/// Reads the file; values keyed by environment name.
pub(super) fn read(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the config file {}", path.display()))?;
    parse(&text).with_context(|| format!("config file {}", path.display()))
}

pub(super) fn parse(text: &str) -> anyhow::Result<HashMap<String, String>> {
    // Only the message and the line: toml's own Display quotes the offending line,
    // which could be a secret's.
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        match line {
            Some(line) => anyhow!("line {line}: {}", e.message()),
            None => anyhow!("{}", e.message()),
        }
    })?;
    let mut out = HashMap::new();
    for (key, value) in table {
        let Some(name) = SETTINGS.iter().find(|n| file_key(n) == key) else {
            let known: Vec<String> = SETTINGS.iter().map(|n| file_key(n)).collect();
            bail!("unknown setting `{key}` (known settings: {})", known.join(", "));
        };
        let text = match value {
            Value::String(s) => s,
            Value::Integer(n) => n.to_string(),
            // Lists only make sense for the proxies, which the variable spells with commas.
            Value::Array(items) if *name == "LATCHKEY_TRUSTED_PROXIES" => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(anyhow!("`{key}`: list items must be strings")),
                })
                .collect::<anyhow::Result<Vec<_>>>()?
                .join(","),
            other => bail!(
                "`{key}`: expected a string or a whole number, not {}",
                other.type_str()
            ),
        };
        out.insert((*name).to_owned(), text);
    }
    Ok(out)
}
