//! Driver and pool errors → [`StoreError`], in one place for both stores.
//!
//! diesel normalises constraint violations to `DatabaseErrorKind` on PostgreSQL and
//! SQLite alike, so one mapper serves both. What a caller can act on gets its own
//! variant; everything else is `Other` with the driver's message for the log.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::PoolError as ManagerError;
use diesel_async::pooled_connection::deadpool::PoolError;
use latchkey_ports::StoreError;

/// Unique rules by the names callers see in [`StoreError::Conflict`]: PostgreSQL reports
/// the constraint name, SQLite only `table.column` in its message.
const UNIQUE_RULES: &[(&str, &str, &str)] = &[
    ("users_username_key_unique", "users.username_key", "username"),
    ("sessions_pkey", "sessions.id_hash", "session_id"),
    ("settings_pkey", "settings.key", "setting_key"),
    (
        "guest_links_token_hash_unique",
        "guest_links.token_hash",
        "token_hash",
    ),
    (
        "ring_accounts_hardware_id_unique",
        "ring_accounts.hardware_id",
        "hardware_id",
    ),
    // Only reachable if the per-user lock of the ring account impls is bypassed.
    (
        "ring_accounts_one_default_idx",
        "ring_accounts.user_id",
        "default_ring_account",
    ),
];

/// Maps a diesel error from any statement of either store.
pub fn map_diesel_error(err: DieselError) -> StoreError {
    match err {
        DieselError::NotFound => StoreError::NotFound,
        DieselError::DatabaseError(kind, info) => map_database_error(kind, info.as_ref()),
        DieselError::DeserializationError(e) => StoreError::Corrupt(e.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}

fn map_database_error(
    kind: DatabaseErrorKind,
    info: &(dyn DatabaseErrorInformation + Send + Sync),
) -> StoreError {
    match kind {
        DatabaseErrorKind::UniqueViolation => StoreError::Conflict(unique_rule(info)),
        // Our inserts reference parents (a user, a Ring account) the caller names: a
        // missing one is "not found".
        DatabaseErrorKind::ForeignKeyViolation => StoreError::NotFound,
        // Socket gone (PostgreSQL), or the blocking task running the query failed.
        DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
            StoreError::Unavailable(info.message().to_owned())
        }
        // SQLite gave up waiting for the write lock after `busy_timeout`: overloaded,
        // answer 503 like any other "cannot answer in time".
        _ if is_sqlite_busy(info.message()) => StoreError::Unavailable(info.message().to_owned()),
        // SQLite cannot write the file now (read-only file or file system, full disk,
        // failing disk): nothing in the request was wrong, and an operator can fix it.
        _ if is_sqlite_unwritable(info.message()) => StoreError::Unavailable(info.message().to_owned()),
        // PostgreSQL ended the session or the statement (shutdown, an operator, a
        // server-side timeout) or ran out of room: the database, not the request.
        _ if is_postgres_gone(info.message()) => StoreError::Unavailable(info.message().to_owned()),
        _ => StoreError::Other(info.message().to_owned()),
    }
}

fn unique_rule(info: &(dyn DatabaseErrorInformation + Send + Sync)) -> String {
    let constraint = info.constraint_name();
    let message = info.message();
    UNIQUE_RULES
        .iter()
        .find(|(pg, sqlite, _)| constraint == Some(*pg) || message.ends_with(sqlite))
        .map(|(_, _, rule)| (*rule).to_owned())
        .or_else(|| constraint.map(str::to_owned))
        .unwrap_or_else(|| message.to_owned())
}

fn is_sqlite_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

/// SQLite's messages for SQLITE_READONLY, SQLITE_FULL and SQLITE_IOERR.
fn is_sqlite_unwritable(message: &str) -> bool {
    message.contains("attempt to write a readonly database")
        || message.contains("database or disk is full")
        || message.contains("disk I/O error")
}

/// PostgreSQL's messages for a session or statement it ended (57P01 admin shutdown,
/// 57P02 crash, 57P03 cannot connect now, 57P05 / 25P03 idle timeouts, 57014 statement
/// timeout or cancel, 55P03 lock timeout) and for running out of room (53100 disk
/// full, 53200 out of memory, 53300 too many connections). diesel does not pass the
/// SQLSTATE on, so these are the server's English messages. A server that translates
/// them (`lc_messages` set to another language) is not caught here: a statement in
/// flight when its session ends answers 500 once, and the next call on that connection
/// finds it closed (503). Checking the connection instead does not work: when the error
/// arrives, the driver has not yet seen the socket close.
fn is_postgres_gone(message: &str) -> bool {
    message.starts_with("terminating connection ")
        || message.starts_with("canceling statement due to ")
        || message.starts_with("the database system is ")
        || message.contains("No space left on device")
        || message == "out of memory"
        || message.starts_with("sorry, too many clients already")
}

/// Maps a failure to get a pooled connection: every case means "cannot answer now".
pub fn map_pool_error(err: PoolError) -> StoreError {
    match err {
        PoolError::Timeout(_) => {
            StoreError::Unavailable("timed out waiting for a database connection".into())
        }
        PoolError::Closed => StoreError::Unavailable("the connection pool is closed".into()),
        PoolError::Backend(ManagerError::ConnectionError(e)) => StoreError::Unavailable(e.to_string()),
        PoolError::Backend(ManagerError::QueryError(e)) => match map_diesel_error(e) {
            StoreError::Other(msg) => StoreError::Unavailable(msg),
            mapped => mapped,
        },
        other => StoreError::Unavailable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a driver reports, without a driver.
    struct Info {
        message: &'static str,
        constraint: Option<&'static str>,
    }

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(kind: DatabaseErrorKind, message: &'static str, constraint: Option<&'static str>) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(Info { message, constraint }))
    }

    #[test]
    fn not_found_stays_not_found() {
        assert_eq!(map_diesel_error(DieselError::NotFound), StoreError::NotFound);
    }

    #[test]
    fn unique_violations_name_the_rule_on_both_backends() {
        let pg = db(
            DatabaseErrorKind::UniqueViolation,
            "duplicate key value violates unique constraint \"users_username_key_unique\"",
            Some("users_username_key_unique"),
        );
        let sqlite = db(
            DatabaseErrorKind::UniqueViolation,
            "UNIQUE constraint failed: users.username_key",
            None,
        );
        assert_eq!(map_diesel_error(pg), StoreError::Conflict("username".into()));
        assert_eq!(map_diesel_error(sqlite), StoreError::Conflict("username".into()));
    }

    #[test]
    fn ring_account_rules_are_named_on_both_backends() {
        for (constraint, message, rule) in [
            (
                "ring_accounts_hardware_id_unique",
                "UNIQUE constraint failed: ring_accounts.hardware_id",
                "hardware_id",
            ),
            (
                "ring_accounts_one_default_idx",
                "UNIQUE constraint failed: ring_accounts.user_id",
                "default_ring_account",
            ),
        ] {
            let pg = db(
                DatabaseErrorKind::UniqueViolation,
                "duplicate key",
                Some(constraint),
            );
            let sqlite = db(DatabaseErrorKind::UniqueViolation, message, None);
            assert_eq!(map_diesel_error(pg), StoreError::Conflict(rule.into()));
            assert_eq!(map_diesel_error(sqlite), StoreError::Conflict(rule.into()));
        }
    }

    #[test]
    fn unknown_unique_rules_fall_back_to_what_the_driver_said() {
        let pg = db(DatabaseErrorKind::UniqueViolation, "dup", Some("other_key"));
        assert_eq!(map_diesel_error(pg), StoreError::Conflict("other_key".into()));
        let sqlite = db(
            DatabaseErrorKind::UniqueViolation,
            "UNIQUE constraint failed: t.c",
            None,
        );
        assert_eq!(
            map_diesel_error(sqlite),
            StoreError::Conflict("UNIQUE constraint failed: t.c".into())
        );
    }

    #[test]
    fn missing_parent_on_insert_is_not_found() {
        let e = db(
            DatabaseErrorKind::ForeignKeyViolation,
            "FOREIGN KEY constraint failed",
            None,
        );
        assert_eq!(map_diesel_error(e), StoreError::NotFound);
    }

    #[test]
    fn lost_connections_and_busy_or_unwritable_databases_are_unavailable() {
        for e in [
            db(DatabaseErrorKind::ClosedConnection, "connection closed", None),
            db(
                DatabaseErrorKind::UnableToSendCommand,
                "error communicating with database",
                None,
            ),
            db(DatabaseErrorKind::Unknown, "database is locked", None),
            db(
                DatabaseErrorKind::Unknown,
                "attempt to write a readonly database",
                None,
            ),
            db(DatabaseErrorKind::Unknown, "database or disk is full", None),
            db(DatabaseErrorKind::Unknown, "disk I/O error", None),
            db(
                DatabaseErrorKind::Unknown,
                "terminating connection due to administrator command",
                None,
            ),
            db(
                DatabaseErrorKind::Unknown,
                "terminating connection because of crash of another server process",
                None,
            ),
            db(
                DatabaseErrorKind::Unknown,
                "canceling statement due to statement timeout",
                None,
            ),
            db(
                DatabaseErrorKind::Unknown,
                "the database system is shutting down",
                None,
            ),
            db(
                DatabaseErrorKind::Unknown,
                "could not extend file \"base/16384/16385\": No space left on device",
                None,
            ),
            db(DatabaseErrorKind::Unknown, "out of memory", None),
            db(
                DatabaseErrorKind::Unknown,
                "sorry, too many clients already",
                None,
            ),
        ] {
            assert!(matches!(map_diesel_error(e), StoreError::Unavailable(_)));
        }
    }

    #[test]
    fn undecodable_rows_are_corrupt_and_the_rest_is_other() {
        let e = DieselError::DeserializationError("bad timestamp".into());
        assert_eq!(map_diesel_error(e), StoreError::Corrupt("bad timestamp".into()));
        let e = db(
            DatabaseErrorKind::CheckViolation,
            "CHECK constraint failed: role",
            None,
        );
        assert_eq!(
            map_diesel_error(e),
            StoreError::Other("CHECK constraint failed: role".into())
        );
        assert!(matches!(
            map_diesel_error(DieselError::RollbackTransaction),
            StoreError::Other(_)
        ));
    }

    #[test]
    fn every_pool_failure_is_unavailable() {
        use diesel::result::ConnectionError;
        assert!(matches!(
            map_pool_error(PoolError::Closed),
            StoreError::Unavailable(_)
        ));
        let refused = PoolError::Backend(ManagerError::ConnectionError(ConnectionError::BadConnection(
            "connection refused".into(),
        )));
        assert_eq!(
            map_pool_error(refused),
            StoreError::Unavailable("connection refused".into())
        );
        let ping = PoolError::Backend(ManagerError::QueryError(db(
            DatabaseErrorKind::Unknown,
            "terminating connection due to administrator command",
            None,
        )));
        assert!(matches!(map_pool_error(ping), StoreError::Unavailable(_)));
    }
}
