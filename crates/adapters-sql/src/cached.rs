//! Prepared-statement reuse for `UPDATE`s and `INSERT`s of a fixed shape.
//!
//! diesel keeps a prepared statement per query only when the query says it is safe to
//! cache, and every `UPDATE` (and every `INSERT` with an `Option` column, which may
//! render `DEFAULT`) says it is not, because its SQL can vary with the values. On
//! PostgreSQL that costs each such statement an extra round trip (tokio-postgres
//! prepares before it executes) plus a parse and a fresh plan; on SQLite a
//! `sqlite3_prepare` per call. The guest unlock's use reservation and its audit row
//! are such statements, on the hottest write path there is.
//!
//! [`Cached`] tells the statement cache the truth for our statements: their SQL is
//! fixed (or one of a few variants), and a query without a static id is cached under
//! its SQL text, so each variant gets its own entry and a hit is always the same
//! statement. Do not wrap statements whose SQL grows with the data (a batch insert of
//! n rows): each n would stay in the cache for the life of the connection.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;

/// A statement that may be prepared once per connection and reused.
#[derive(Debug, Clone, Copy)]
pub struct Cached<Q>(pub Q);

/// `.cached()` on any statement.
pub trait CacheStatement: Sized {
    /// See [`Cached`].
    fn cached(self) -> Cached<Self> {
        Cached(self)
    }
}

impl<Q> CacheStatement for Q {}

impl<Q> QueryId for Cached<Q> {
    // No static id: the cache keys this statement by its SQL text.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Cached<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, DB> QueryFragment<DB> for Cached<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

/// For statements run on a synchronous connection (SQLite's blocking closures).
impl<Q, Conn> diesel::RunQueryDsl<Conn> for Cached<Q> {}
