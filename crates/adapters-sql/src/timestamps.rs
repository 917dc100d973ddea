//! Timestamps at the storage edge: `OffsetDateTime` outside, naive UTC inside.
//!
//! On both backends the columns are "timestamp without time zone" holding UTC. Values are
//! truncated to whole microseconds on the way in, because PostgreSQL keeps no more; doing
//! it for SQLite too means both stores hold, compare and return the same instant.

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The naive-UTC, microsecond-precision form stored in `Timestamp` columns.
pub fn to_db(t: OffsetDateTime) -> PrimitiveDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    let micros = utc.nanosecond() / 1_000 * 1_000;
    // `replace_nanosecond` only fails for values >= 1e9, which `micros` cannot be.
    let utc = utc.replace_nanosecond(micros).unwrap_or(utc);
    PrimitiveDateTime::new(utc.date(), utc.time())
}

/// Reads a stored naive-UTC value back as an instant.
pub fn from_db(t: PrimitiveDateTime) -> OffsetDateTime {
    t.assume_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn converts_to_utc_and_truncates_to_microseconds() {
        let t = datetime!(2026-03-01 01:30:00.123_456_789 +02:00);
        assert_eq!(to_db(t), datetime!(2026-02-28 23:30:00.123_456));
    }

    #[test]
    fn round_trips_microsecond_instants() {
        let t = datetime!(2026-11-22 06:39:01.000_001 UTC);
        assert_eq!(from_db(to_db(t)), t);
        let whole = datetime!(2026-11-22 06:39:01 UTC);
        assert_eq!(from_db(to_db(whole)), whole);
    }
}
