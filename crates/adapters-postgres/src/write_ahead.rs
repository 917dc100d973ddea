//! The PostgreSQL side of a guest unlock's writes: the use and its audit row in one
//! statement, and the settle committed without waiting for the disk.
//!
//! Every commit waits for a WAL flush (~0.2–0.3 ms on the bench machine, more at the
//! tail), and the guest unlock used to wait for two: the use, before Ring was called,
//! and the audit row, after. Now the use and an `unknown` audit row are one statement
//! — a data-modifying `WITH` around the `UPDATE … RETURNING` SQLite runs too
//! (`latchkey_sql::__take_one_use!`) — so one flush, before the door, covers both; the
//! settle after Ring
//! ([`PgStore::lazy_commit`]) waits for none. A transaction would have cost the same
//! flush plus a round trip each for `BEGIN`, the insert and `COMMIT`, which measured
//! slower than the two flushes it saved (pgbench, one client).

use diesel::OptionalExtension;
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use latchkey_ports::GuestAttempt;
use latchkey_sql::cached::CacheStatement;
use latchkey_sql::model::pending_unlock::{PENDING, WrittenAhead};
use time::PrimitiveDateTime;

use crate::PgStore;

impl PgStore {
    /// Takes a use of the link with this hash and writes its pending audit row, in one
    /// statement; `None` when no use could be taken (nothing written).
    pub(crate) async fn write_ahead(
        conn: &mut AsyncPgConnection,
        token_hash: &str,
        now: PrimitiveDateTime,
        attempt: &GuestAttempt,
    ) -> QueryResult<Option<WrittenAhead>> {
        let reserve = latchkey_sql::__take_one_use!(token_hash, now);
        WithPendingRow {
            reserve,
            at: now,
            ip: attempt.ip.as_deref(),
            user_agent: attempt.user_agent.as_deref(),
        }
        .cached()
        .get_result::<WrittenAhead>(conn)
        .await
        .optional()
    }

    /// Makes the statement's commit asynchronous: `SET LOCAL synchronous_commit = off`
    /// as a condition, so it costs no round trip and ends with the statement's own
    /// (implicit) transaction. Visible at once; durable within `wal_writer_delay`.
    pub(crate) fn lazy_commit() -> SqlLiteral<Bool> {
        sql::<Bool>("set_config('synchronous_commit', 'off', true) IS NOT NULL")
    }
}

/// `WITH reserved AS (<reserve>), pending AS (INSERT INTO unlock_events … SELECT … FROM
/// reserved RETURNING id) SELECT reserved.*, pending.id FROM reserved, pending`: the
/// reservation's own columns, then the pending row's id. No row when nothing was
/// reserved, and then nothing was inserted either.
struct WithPendingRow<'a, U> {
    reserve: U,
    at: PrimitiveDateTime,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
}

impl<U> QueryId for WithPendingRow<'_, U> {
    // No static id: statement caches key it by its SQL text (see `latchkey_sql::cached`).
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

// Flat, as diesel loads a select of `(Row::as_select(), …)`.
impl<U, Link, Account> Query for WithPendingRow<'_, U>
where
    U: Query<SqlType = (Link, Account)>,
{
    type SqlType = (Link, Account, BigInt);
}

impl<U: QueryFragment<Pg>> QueryFragment<Pg> for WithPendingRow<'_, U> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH reserved AS (");
        self.reserve.walk_ast(out.reborrow())?;
        out.push_sql(
            "), pending AS (INSERT INTO unlock_events (occurred_at, actor_kind, guest_link_id, \
             owner_id, ring_account_id, intercom_id, outcome, ip, user_agent) SELECT ",
        );
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(", 'guest', id, owner_id, ring_account_id, intercom_id, '");
        out.push_sql(PENDING.as_str());
        out.push_sql("', ");
        out.push_bind_param::<Nullable<Text>, _>(&self.ip)?;
        out.push_sql(", ");
        out.push_bind_param::<Nullable<Text>, _>(&self.user_agent)?;
        out.push_sql(" FROM reserved RETURNING id) SELECT reserved.*, pending.id FROM reserved, pending");
        Ok(())
    }
}
