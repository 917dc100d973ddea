//! A fixed pool of password-hashing threads sharing a few argon2 memory buffers.
//!
//! Why not `spawn_blocking` behind a semaphore: every hash there allocated its 19 MiB
//! afresh on whichever blocking thread ran it. The kernel zeroes and faults in ~4,900
//! pages per hash, and glibc keeps the freed buffers in per-thread arenas, so a login
//! flood reached hundreds of MiB of RSS and ran at ~0.6× the raw argon2 rate. Here
//! `threads` threads reuse at most `threads` buffers while hashes keep coming, so the
//! hash rate is argon2's own; once no hash has started for [`IDLE_RELEASE`], the spare
//! buffers are freed, so a server at rest does not hold `threads × m_cost` for good
//! (on a small box that was 38 MiB after a single login).
//!
//! The threads also run at a lower scheduling priority (nice), so that while hashes
//! queue, every other request still gets a core at once; when nothing else wants the
//! CPU the hashes use all of it.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use argon2::Block;
use tokio::sync::oneshot;

/// Niceness of the hashing threads (0 = normal, 19 = lowest). 7 gives a normal-priority
/// thread about five times a hashing thread's share of a contended core. Measured on 2
/// cores under a 32-connection login flood (`cargo xtask bench --only login,health_login`):
/// at 10, 90–100 logins/s with `/api/health` p99 3.9 ms; at 7, 99–111 logins/s and
/// 4.2–4.3 ms; at 5, 101–103 logins/s but 4.5–4.6 ms, too near the 5 ms target.
const HASHING_NICENESS: i32 = 7;

/// Waiting hashes beyond this many are turned away (`HashError::Busy`-like) rather than
/// queued without bound; at ~25 ms per hash per core this is seconds of work.
const QUEUE_CAPACITY: usize = 1024;

/// Spare buffers are freed once no hash has started for this long. Growing one again
/// costs a few milliseconds of page faults, once, on the first hash after a quiet spell.
pub const IDLE_RELEASE: Duration = Duration::from_secs(5);

/// A hashing job: runs on a pool thread with a reusable buffer.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// What the threads share: the job queue (one thread waits on it at a time) and the
/// buffers not in use.
struct Shared {
    queue: Mutex<Receiver<Job>>,
    spare: Mutex<Vec<Vec<Block>>>,
    idle_release: Duration,
}

#[derive(Debug, Clone)]
pub struct HashPool {
    jobs: SyncSender<Job>,
}

/// Why a job did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolError {
    /// Every thread is busy and the queue is full.
    Saturated,
    /// The pool's threads are gone (the server is stopping, or a thread failed).
    Closed,
}

impl HashPool {
    /// Starts `threads` hashing threads. They stop when the last handle is dropped.
    pub fn start(threads: usize) -> std::io::Result<Self> {
        Self::start_with(threads, IDLE_RELEASE)
    }

    fn start_with(threads: usize, idle_release: Duration) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE_CAPACITY);
        let shared = Arc::new(Shared {
            queue: Mutex::new(queue),
            spare: Mutex::new(Vec::new()),
            idle_release,
        });
        for n in 0..threads.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("latchkey-hash-{n}"))
                .spawn(move || work(&shared))?;
        }
        Ok(Self { jobs })
    }

    /// Runs `f` on a pool thread with a buffer, and waits for the answer without
    /// blocking the async executor.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        self.submit(f)?.await.map_err(|_| PoolError::Closed)
    }

    /// Queues `f` at once (or refuses it); the receiver gets its answer.
    fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, PoolError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // The caller may have gone (client hung up): nobody to tell, nothing lost.
            let _ = answer.send(f(memory));
        });
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => PoolError::Saturated,
            TrySendError::Disconnected(_) => PoolError::Closed,
        })?;
        Ok(answered)
    }
}

fn work(shared: &Shared) {
    lower_priority();
    loop {
        // One thread waits on the queue while holding the lock; the others wait for the
        // lock. A job is taken, the lock released, then the job runs.
        let job = shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv_timeout(shared.idle_release);
        match job {
            Ok(job) => {
                // Buffers are allocated on first use, so servers that never hash (tests,
                // CLI) never pay for them.
                let mut memory = spare(shared).pop().unwrap_or_default();
                job(&mut memory);
                spare(shared).push(memory);
            }
            // No hash started for a while: every buffer is back in the spare list
            // (hashes take milliseconds), so the whole list is at rest.
            Err(RecvTimeoutError::Timeout) => spare(shared).clear(),
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn spare(shared: &Shared) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
    shared.spare.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux the nice value is per thread: this touches only the calling thread.
    let tid = rustix::thread::gettid();
    if let Err(e) = rustix::process::setpriority_process(Some(tid), HASHING_NICENESS) {
        tracing::debug!(error = %e, "could not lower the hashing thread's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// Address space reserved for a buffer, at least. glibc serves an allocation above
/// 32 MiB (its highest mmap threshold) with a mapping of its own and unmaps it when it
/// is freed; a 19 MiB one is served from an arena once a freed buffer has raised the
/// threshold, and the arena keeps its pages (measured: 72 MiB RSS at rest after a few
/// logins, instead of ~31). Only the pages argon2 writes become resident.
const OWN_MAPPING_BYTES: usize = 33 << 20;

/// `memory` as a slice of exactly `blocks` blocks, growing it the first time.
pub fn blocks(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
        let floor = OWN_MAPPING_BYTES / std::mem::size_of::<Block>();
        memory.reserve_exact(blocks.max(floor) - memory.len());
        memory.resize(blocks, Block::new());
    }
    &mut memory[..blocks]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_on_its_threads_and_keeps_their_memory() {
        let pool = HashPool::start(1).unwrap();
        let first = pool.run(|m| blocks(m, 8).len()).await.unwrap();
        assert_eq!(first, 8);
        // The same (only) thread sees the buffer it grew before.
        let kept = pool.run(|m| m.len()).await.unwrap();
        assert_eq!(kept, 8);
        let name = pool
            .run(|_| std::thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("latchkey-hash-0"));
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_run_at_a_lower_priority() {
        let pool = HashPool::start(1).unwrap();
        let nice = pool
            .run(|_| rustix::process::getpriority_process(Some(rustix::thread::gettid())))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(nice, HASHING_NICENESS);
    }

    #[tokio::test]
    async fn spare_buffers_are_freed_after_a_quiet_spell_and_grown_again() {
        let pool = HashPool::start_with(1, Duration::from_millis(50)).unwrap();
        pool.run(|m| blocks(m, 8).len()).await.unwrap();
        // Straight after, the buffer is still there for the next hash.
        assert_eq!(pool.run(|m| m.len()).await.unwrap(), 8);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(pool.run(|m| m.len()).await.unwrap(), 0, "buffer still held");
        assert_eq!(pool.run(|m| blocks(m, 8).len()).await.unwrap(), 8);
    }

    #[tokio::test]
    async fn two_threads_never_share_a_buffer() {
        let pool = HashPool::start(2).unwrap();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let (started_tx, started) = oneshot::channel();
        let first = pool.submit(move |m| {
            blocks(m, 4);
            let _ = started_tx.send(m.as_ptr() as usize);
            let _ = hold.lock().unwrap().recv();
            m.as_ptr() as usize
        });
        let held = started.await.unwrap();
        // While the first job holds its buffer, the other thread gets its own.
        let second = pool
            .run(|m| (m.len(), blocks(m, 4).as_ptr() as usize))
            .await
            .unwrap();
        assert_eq!(second.0, 0);
        assert_ne!(second.1, held);
        release.send(()).unwrap();
        assert_eq!(first.unwrap().await.unwrap(), held);
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_not_grown() {
        let pool = HashPool::start(1).unwrap();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = oneshot::channel();
        let blocker = pool
            .submit(move |_| {
                let _ = started_tx.send(());
                let _ = hold.recv();
            })
            .unwrap();
        started.await.unwrap();
        let queued: Vec<_> = (0..QUEUE_CAPACITY)
            .map(|_| pool.submit(|_| ()).unwrap())
            .collect();
        assert_eq!(pool.run(|_| ()).await, Err(PoolError::Saturated));
        release.send(()).unwrap();
        blocker.await.unwrap();
        for q in queued {
            q.await.unwrap();
        }
    }
}
