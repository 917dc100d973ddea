//! The database URL. A PostgreSQL URL may carry a password, so the value is wrapped like
//! the other secrets and everything that prints it shows the redacted form.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

#[derive(Clone)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    /// Accepts `postgres://`, `postgresql://` and `sqlite:` URLs.
    pub fn parse(url: String) -> Result<Self, &'static str> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:") {
            Ok(Self(SecretString::from(url)))
        } else {
            Err("must start with postgres://, postgresql:// or sqlite://")
        }
    }

    /// `sqlite://<dir>/<file>`.
    pub fn sqlite_in(dir: &Path, file: &str) -> Self {
        Self(SecretString::from(format!(
            "sqlite://{}",
            dir.join(file).display()
        )))
    }

    /// The URL with its password, for the store only.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    pub fn is_postgres(&self) -> bool {
        crate::stores::is_postgres(self.expose_secret())
    }

    /// The SQLite file, when this is a SQLite URL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        if self.is_postgres() {
            return None;
        }
        latchkey_sqlite::database_path(self.expose_secret()).ok()
    }

    /// For messages: any password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = self.expose_secret();
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                let creds = &url[scheme_end + 3..at];
                match creds.split_once(':') {
                    Some((user, _)) => format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..]),
                    None => url.to_owned(),
                }
            }
            // A password can also come as a query parameter (`?password=`).
            _ if url.contains("password=") => match url.split_once('?') {
                Some((base, _)) => format!("{base}?***"),
                None => url.to_owned(),
            },
            _ => url.to_owned(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({:?})", self.redacted())
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> DatabaseUrl {
        DatabaseUrl::parse(s.to_owned()).unwrap()
    }

    #[test]
    fn passwords_never_print() {
        let u = url("postgres://latchkey:s3cret-pw@db.internal:5432/latchkey");
        assert_eq!(u.redacted(), "postgres://latchkey:***@db.internal:5432/latchkey");
        assert!(!format!("{u:?} {u}").contains("s3cret"));
        let q = url("postgresql://db/latchkey?user=x&password=s3cret");
        assert!(!q.to_string().contains("s3cret"), "{q}");
        assert_eq!(
            url("postgres://latchkey@db/latchkey").redacted(),
            "postgres://latchkey@db/latchkey"
        );
        assert_eq!(
            url("sqlite://data/latchkey.db").redacted(),
            "sqlite://data/latchkey.db"
        );
    }

    #[test]
    fn sqlite_path_and_kind() {
        let u = DatabaseUrl::sqlite_in(Path::new("/var/lib/latchkey"), "demo.db");
        assert_eq!(u.expose_secret(), "sqlite:///var/lib/latchkey/demo.db");
        assert_eq!(u.sqlite_path(), Some(PathBuf::from("/var/lib/latchkey/demo.db")));
        assert!(!u.is_postgres());
        assert!(url("postgresql://x/y").is_postgres());
        assert_eq!(url("postgresql://x/y").sqlite_path(), None);
        assert!(DatabaseUrl::parse("mysql://x".into()).is_err());
    }
}
