//! A fresh PostgreSQL schema per test.

use std::net::{SocketAddr, ToSocketAddrs};

use url::Url;

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
            Err(e) => crate::missing(
                "reachable PostgreSQL (set LATCHKEY_TEST_DATABASE_URL or start it)",
                e,
            ),
        }
    }
}

impl PgSchema {
    /// The address of the PostgreSQL server the schema lives on.
    pub fn upstream(&self) -> SocketAddr {
        let url = Url::parse(&self.url).unwrap();
        let host = url.host_str().unwrap_or("127.0.0.1");
        (host, url.port().unwrap_or(5432))
            .to_socket_addrs()
            .unwrap()
            .next()
            .unwrap()
    }

    /// The schema's URL with the server's address replaced by `addr` (a proxy).
    pub fn url_via(&self, addr: SocketAddr) -> String {
        let mut url = Url::parse(&self.url).unwrap();
        url.set_ip_host(addr.ip()).unwrap();
        url.set_port(Some(addr.port())).unwrap();
        url.into()
    }
}
