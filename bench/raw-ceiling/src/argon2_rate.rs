//! `argon2-rate <seconds> [threads]`: the login ceiling of `cargo xtask bench`.
//!
//! Hashes with the server's argon2id parameters (m = 19456 KiB, t = 2, p = 1) on
//! `threads` threads (default: every core) for `seconds`, and prints one JSON line:
//! `{"hashes_per_second": …, "threads": …, "hashes": …}`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};

/// The server's parameters (`crates/app/src/security/hasher.rs`).
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: f64 = args.first().map_or(Ok(5.0), |s| s.parse())?;
    let threads = match args.get(1) {
        Some(n) => n.parse()?,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let (params, stop, done) = (params.clone(), stop.clone(), done.clone());
            std::thread::spawn(move || -> anyhow::Result<()> {
                let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                let salt = [i as u8; 16];
                let mut out = [0u8; 32];
                while !stop.load(Ordering::Relaxed) {
                    argon
                        .hash_password_into(b"velvet-otter-harbor-93", &salt, &mut out)
                        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("a hashing thread panicked"))??;
    }
    // Hashes finished after the deadline count too, over the time they really took.
    let elapsed = start.elapsed().as_secs_f64();
    let hashes = done.load(Ordering::Relaxed);
    println!(
        "{}",
        serde_json::json!({
            "hashes_per_second": hashes as f64 / elapsed,
            "threads": threads,
            "hashes": hashes,
        })
    );
    Ok(())
}
