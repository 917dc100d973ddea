//! Which file a database URL names.

use std::path::PathBuf;

use latchkey_sql::OpenError;

/// The file behind `sqlite://path`, `sqlite:path` or a plain path.
///
/// # Errors
/// [`OpenError::InvalidUrl`] for an empty path, an in-memory database or query parameters.
pub fn database_path(url: &str) -> Result<PathBuf, OpenError> {
    let invalid = |why: &str| Err(OpenError::InvalidUrl(format!("{why}: {url:?}")));
    let (path, had_scheme) = match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(rest) => (rest, true),
        None => (url, false),
    };
    if path.is_empty() {
        return invalid("no file path");
    }
    if path == ":memory:" || path.contains("mode=memory") {
        return invalid("in-memory databases are not supported (each pooled connection would get its own)");
    }
    if had_scheme && path.contains('?') {
        return invalid("query parameters are not supported");
    }
    Ok(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_spellings() {
        assert_eq!(
            database_path("sqlite://data/latchkey.db").unwrap(),
            PathBuf::from("data/latchkey.db")
        );
        assert_eq!(
            database_path("sqlite:data/latchkey.db").unwrap(),
            PathBuf::from("data/latchkey.db")
        );
        assert_eq!(
            database_path("data/latchkey.db").unwrap(),
            PathBuf::from("data/latchkey.db")
        );
        assert_eq!(
            database_path("sqlite:///var/lib/lk.db").unwrap(),
            PathBuf::from("/var/lib/lk.db")
        );
        assert_eq!(
            database_path("/var/lib/lk.db").unwrap(),
            PathBuf::from("/var/lib/lk.db")
        );
    }

    #[test]
    fn refuses_what_it_cannot_open_faithfully() {
        for url in [
            "",
            "sqlite://",
            "sqlite:",
            ":memory:",
            "sqlite::memory:",
            "sqlite://x.db?mode=rwc",
        ] {
            assert!(
                matches!(database_path(url), Err(OpenError::InvalidUrl(_))),
                "{url}"
            );
        }
    }
}
