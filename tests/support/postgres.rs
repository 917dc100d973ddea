//! A fresh PostgreSQL schema per test.

/// Base URL of a PostgreSQL the tests may create schemas in.
pub fn base_url() -> String {
    std::env::var("LATCHKEY_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A schema that lives as long as the test; dropped (best effort) afterwards.
pub struct PgSchema {
    pub url: String,
    _guard: latchkey_postgres::testing::SchemaGuard,
}

impl PgSchema {
    /// `None` with a loud message when PostgreSQL does not answer, unless `CI=true`,
    /// where that is a failure: CI must test both stores.
    pub async fn create() -> Option<Self> {
        match latchkey_postgres::testing::fresh_schema_url(&base_url()).await {
            Ok((url, guard)) => Some(Self { url, _guard: guard }),
            Err(e) => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("PostgreSQL is required under CI=true but is unreachable: {e}");
                }
                eprintln!(
                    "\n!!! SKIPPING PostgreSQL test: {e}\n!!! set LATCHKEY_TEST_DATABASE_URL or start PostgreSQL\n"
                );
                None
            }
        }
    }
}
