//! WAL checkpoints off the request path.
//!
//! By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000
//! pages: that request copies the WAL into the database file and waits for an fsync.
//! Under a steady stream of guest unlocks it was every ~100th request, and it was the
//! whole p99 (4.9 ms against 1.1 ms with no checkpoints at all). So the server
//! checkpoints from a background task instead ([`SqliteStore::spawn_checkpointer`]),
//! in `PASSIVE` mode: it never waits for, nor blocks, readers or writers. Connections
//! keep an automatic checkpoint far above that ([`AUTOCHECKPOINT_PAGES`]) as a backstop,
//! so a process without the task (one-shot commands, tests) or a stalled task still
//! bounds the WAL.

use std::time::Duration;

use diesel::QueryableByName;
use diesel::sql_types::Integer;
use diesel_async::RunQueryDsl;
use latchkey_ports::StoreError;
use latchkey_sql::map_diesel_error;
use tokio::task::JoinHandle;

use crate::SqliteStore;

/// `PRAGMA wal_autocheckpoint` on every connection: 10× SQLite's default (~40 MiB of
/// 4 KiB pages), reached only when the background checkpointer does not keep up.
pub const AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// What one checkpoint did, in WAL frames (pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, QueryableByName)]
pub struct Checkpoint {
    /// 1 when it could not run to the end because another connection held a lock.
    #[diesel(sql_type = Integer)]
    pub busy: i32,
    /// Frames in the WAL.
    #[diesel(sql_type = Integer, column_name = log)]
    pub wal_frames: i32,
    /// Frames now copied into the database file.
    #[diesel(sql_type = Integer)]
    pub checkpointed: i32,
}

impl SqliteStore {
    /// Copies what it can of the WAL into the database file without waiting for anyone.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] without a connection; the mapped database error when
    /// the checkpoint fails (a full disk, a read-only file).
    pub async fn checkpoint(&self) -> Result<Checkpoint, StoreError> {
        let mut conn = self.conn().await?;
        diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)")
            .get_result::<Checkpoint>(&mut *conn)
            .await
            .map_err(map_diesel_error)
    }

    /// Checkpoints until the handle is aborted (the server does so at shutdown; the
    /// last connection to close checkpoints what is left): every `busy_every` while the
    /// WAL grows, backing off to `idle_every` while nothing is written.
    ///
    /// Small, frequent checkpoints keep each one short: on 2 cores one every 500 ms
    /// (thousands of pages at a time) made the guest unlock's p99 worse than SQLite's
    /// own, one every 50 ms brought it to 1.7 ms (bench/RESULTS.md).
    pub fn spawn_checkpointer(&self, busy_every: Duration, idle_every: Duration) -> JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut wait = busy_every;
            let mut last_frames = None;
            loop {
                tokio::time::sleep(wait).await;
                match store.checkpoint().await {
                    Ok(done) => {
                        tracing::trace!(?done, "wal checkpoint");
                        let idle = last_frames == Some(done.wal_frames);
                        wait = if idle {
                            (wait * 2).min(idle_every)
                        } else {
                            busy_every
                        };
                        last_frames = Some(done.wal_frames);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "wal checkpoint failed; will retry");
                        wait = idle_every;
                    }
                }
            }
        })
    }
}
