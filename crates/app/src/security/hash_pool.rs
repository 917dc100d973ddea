//! A fixed pool of password-hashing threads, each owning one argon2 memory buffer.
//!
//! Why not `spawn_blocking` behind a semaphore: every hash there allocated its 19 MiB
//! afresh on whichever blocking thread ran it. The kernel zeroes and faults in ~4,900
//! pages per hash, and glibc keeps the freed buffers in per-thread arenas, so a login
//! flood reached hundreds of MiB of RSS and ran at ~0.6× the raw argon2 rate. Here
//! `threads` threads each fill one buffer they keep: memory is `threads × m_cost`, for
//! good, and the hash rate is argon2's own.
//!
//! The threads also run at a lower scheduling priority (nice), so that while hashes
//! queue, every other request still gets a core at once; when nothing else wants the
//! CPU the hashes use all of it.

use std::sync::{Arc, Mutex, PoisonError};

use argon2::Block;
use tokio::sync::{mpsc, oneshot};

/// Niceness of the hashing threads (0 = normal, 19 = lowest). 7 gives a normal-priority
/// thread about five times a hashing thread's share of a contended core. Measured on 2
/// cores under a 32-connection login flood (`cargo xtask bench --only login,health_login`):
/// at 10, 90–100 logins/s with `/api/health` p99 3.9 ms; at 7, 99–111 logins/s and
/// 4.2–4.3 ms; at 5, 101–103 logins/s but 4.5–4.6 ms, too near the 5 ms target.
const HASHING_NICENESS: i32 = 7;

/// Waiting hashes beyond this many are turned away (`HashError::Busy`-like) rather than
/// queued without bound; at ~25 ms per hash per core this is seconds of work.
const QUEUE_CAPACITY: usize = 1024;

/// A hashing job: runs on a pool thread with that thread's reusable memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

#[derive(Debug, Clone)]
pub struct HashPool {
    jobs: mpsc::Sender<Job>,
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
        let (jobs, queue) = mpsc::channel::<Job>(QUEUE_CAPACITY);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("latchkey-hash-{n}"))
                .spawn(move || work(&queue))?;
        }
        Ok(Self { jobs })
    }

    /// Runs `f` on a pool thread with its buffer, and waits for the answer without
    /// blocking the async executor.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // The caller may have gone (client hung up): nobody to tell, nothing lost.
            let _ = answer.send(f(memory));
        });
        self.jobs.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => PoolError::Saturated,
            mpsc::error::TrySendError::Closed(_) => PoolError::Closed,
        })?;
        answered.await.map_err(|_| PoolError::Closed)
    }
}

fn work(queue: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    // Allocated on first use, so servers that never hash (tests, CLI) never pay for it.
    let mut memory: Vec<Block> = Vec::new();
    loop {
        // One thread waits on the queue while holding the lock; the others wait for the
        // lock. A job is taken, the lock released, then the job runs.
        let job = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .blocking_recv();
        match job {
            Some(job) => job(&mut memory),
            None => return,
        }
    }
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

/// `memory` as a slice of exactly `blocks` blocks, growing it the first time.
pub fn blocks(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
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
    async fn a_full_queue_is_refused_not_grown() {
        let pool = HashPool::start(1).unwrap();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = oneshot::channel();
        let busy = pool.clone();
        let blocker = tokio::spawn(async move {
            busy.run(move |_| {
                let _ = started_tx.send(());
                let _ = hold.recv();
            })
            .await
        });
        started.await.unwrap();
        let mut queued = Vec::new();
        for _ in 0..QUEUE_CAPACITY {
            let p = pool.clone();
            queued.push(tokio::spawn(async move { p.run(|_| ()).await }));
        }
        // Let the spawned tasks enqueue.
        while pool.jobs.capacity() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|_| ()).await, Err(PoolError::Saturated));
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        for q in queued {
            q.await.unwrap().unwrap();
        }
    }
}
