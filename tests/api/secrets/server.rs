//! The `latchkey` binary as a child process with `RUST_LOG=trace`, both output streams
//! collected.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::Value;

/// The `latchkey` binary as a child process, its console output collected.
pub struct Server {
    pub base: String,
    child: Child,
    readers: Vec<JoinHandle<Vec<u8>>>,
}

impl Server {
    pub async fn start(data: &Path, ring_url: &str, admin_password: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let mut cmd = Command::new(binary());
        for (key, _) in std::env::vars() {
            if key.starts_with("LATCHKEY_") || key == "DATABASE_URL" || key == "RUST_LOG" {
                cmd.env_remove(key);
            }
        }
        let mut child = cmd
            .env("RUST_LOG", "trace")
            .env("LATCHKEY_BIND", format!("127.0.0.1:{port}"))
            .env("LATCHKEY_DATA_DIR", data)
            .env("LATCHKEY_ADMIN_USERNAME", "admin")
            .env("LATCHKEY_ADMIN_PASSWORD", admin_password)
            .env("LATCHKEY_RING_OAUTH_URL", ring_url)
            .env("LATCHKEY_RING_API_URL", ring_url)
            .env("LATCHKEY_WORKERS", "2")
            .env("LATCHKEY_DB_POOL_SIZE", "4")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut readers = Vec::new();
        let stdout = child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>);
        let stderr = child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>);
        for mut pipe in [stdout, stderr].into_iter().flatten() {
            readers.push(std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = pipe.read_to_end(&mut out);
                out
            }));
        }
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = Client::new();
        loop {
            let ready = client.get(format!("{base}/api/ready")).send().await;
            if ready.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "latchkey exited at start");
            assert!(Instant::now() < deadline, "latchkey not ready in 60 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { base, child, readers }
    }

    /// SIGTERM, wait, and everything it printed on both streams.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut all = Vec::new();
        for reader in self.readers.drain(..) {
            all.extend(reader.join().unwrap());
        }
        String::from_utf8_lossy(&all).into_owned()
    }
}

/// The `latchkey` executable, built with the flags `cargo xtask test` uses so the nested
/// build reuses the outer one's artifacts.
fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
        let out = Command::new(cargo)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .args([
                "build",
                "--workspace",
                "--all-features",
                "--bin",
                "latchkey",
                "--message-format=json-render-diagnostics",
            ])
            .stderr(Stdio::inherit())
            .output()
            .unwrap();
        assert!(out.status.success(), "cargo build --bin latchkey failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "latchkey")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reported no latchkey executable")
    })
}
