//! The SQLite side of a guest unlock's writes: the use and its audit row in one
//! transaction (SQLite has no data-modifying `WITH`; see
//! `latchkey_sql::model::pending_unlock`), and the settle as a plain statement.

use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::result::QueryResult;
use diesel::sql_types::Bool;
use diesel::{OptionalExtension, RunQueryDsl};
use latchkey_ports::GuestAttempt;
use latchkey_sql::cached::CacheStatement;
use latchkey_sql::model::guest_links::GuestLinkRow;
use latchkey_sql::model::pending_unlock::WrittenAhead;
use latchkey_sql::model::reservation::AccountColumns;
use latchkey_sql::model::unlock_audit::NewUnlockEventRow;
use latchkey_sql::schema::unlock_events;
use time::PrimitiveDateTime;

use crate::{SqliteConn, SqliteStore};

impl SqliteStore {
    /// Takes a use of the link with this hash and writes its pending audit row, in one
    /// `BEGIN IMMEDIATE` transaction run in one blocking call; `None` when no use could
    /// be taken (nothing written).
    pub(crate) async fn write_ahead(
        conn: &mut SqliteConn,
        token_hash: &str,
        now: PrimitiveDateTime,
        attempt: &GuestAttempt,
    ) -> QueryResult<Option<WrittenAhead>> {
        let token_hash = token_hash.to_owned();
        let attempt = attempt.clone();
        conn.spawn_blocking(move |conn| {
            conn.immediate_transaction(|conn| {
                let reserved = latchkey_sql::__take_one_use!(&token_hash, now)
                    .cached()
                    .get_result::<(GuestLinkRow, AccountColumns)>(conn)
                    .optional()?;
                let Some((row, account)) = reserved else {
                    return Ok(None);
                };
                let pending = diesel::insert_into(unlock_events::table)
                    .values(NewUnlockEventRow::pending(&row, &attempt))
                    .returning(unlock_events::id)
                    .cached()
                    .get_result::<i64>(conn)?;
                Ok(Some((row, account, pending)))
            })
        })
        .await
    }

    /// SQLite commits in WAL mode with `synchronous = NORMAL` never wait for the disk;
    /// there is nothing to relax.
    pub(crate) fn lazy_commit() -> SqlLiteral<Bool> {
        sql::<Bool>("1 = 1")
    }
}
