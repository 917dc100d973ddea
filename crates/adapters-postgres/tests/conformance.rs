//! The storage conformance suite on PostgreSQL: a fresh schema per test.
//! Skips with a notice when PostgreSQL does not answer, unless `CI=true`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

latchkey_ports::conformance_suite!(latchkey_postgres::testing::fresh_store);
