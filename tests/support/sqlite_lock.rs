//! Holding a SQLite database's write lock from outside the server, as another process
//! (a backup tool, an operator's `sqlite3` shell) would.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};

/// `BEGIN EXCLUSIVE` on its own connection (on its own thread), until released or
/// dropped. In WAL mode that takes the write lock: readers go on, writers wait.
pub struct SqliteWriteLock {
    release: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SqliteWriteLock {
    /// Returns once the lock is held.
    pub async fn take(path: &Path) -> Self {
        let path = path.to_str().unwrap().to_owned();
        let (locked, is_locked) = tokio::sync::oneshot::channel();
        let (release, released) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let mut conn = SqliteConnection::establish(&path).unwrap();
            // The server may be writing right now: wait for it rather than fail.
            conn.batch_execute("PRAGMA busy_timeout = 10000; BEGIN EXCLUSIVE;")
                .unwrap();
            locked.send(()).unwrap();
            // Until `release` is called or dropped.
            let _ = released.recv();
            conn.batch_execute("ROLLBACK").unwrap();
        });
        is_locked.await.unwrap();
        Self {
            release: Some(release),
            thread: Some(thread),
        }
    }

    /// Rolls back and closes the connection; returns once the lock is free.
    pub fn release(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        drop(self.release.take());
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for SqliteWriteLock {
    fn drop(&mut self) {
        self.finish();
    }
}
