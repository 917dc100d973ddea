//! Running the built `latchkey` binary as a user would: a child process with its own
//! data directory and environment, its console output captured, stopped with a signal.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The `latchkey` executable, built once per test run with the flags `cargo xtask test`
/// uses, so the nested build reuses the outer one's artifacts instead of compiling again.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(build)
}

fn build() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(cargo)
        .current_dir(&workspace)
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
        .expect("running cargo build");
    assert!(out.status.success(), "cargo build -p latchkey failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "latchkey")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reported no latchkey executable")
}

/// A free local port: bound, read, released (the binary binds it a moment later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding a free port")
        .port()
}

/// `latchkey <args>` with a clean environment: no inherited `LATCHKEY_*`,
/// `DATABASE_URL` or `RUST_LOG`, so a developer's shell cannot change the outcome.
pub fn command(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("LATCHKEY_") || key == "DATABASE_URL" || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.args(args)
        .env("LATCHKEY_DATA_DIR", data_dir)
        .env("LATCHKEY_WORKERS", "2")
        .env("LATCHKEY_DB_POOL_SIZE", "4");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a one-shot command to the end, feeding `stdin`.
pub fn run(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = command(data_dir, args, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting latchkey");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().expect("waiting for latchkey")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A serving `latchkey` process; killed if a test ends without stopping it.
pub struct Served {
    pub base: String,
    child: Child,
    output: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Served {
    /// Starts `latchkey <args>` on a free port and waits until `/api/ready` answers 200.
    pub async fn start(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let mut child = command(data_dir, args, env)
            .env("LATCHKEY_BIND", &bind)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting latchkey");
        let output = Arc::new(Mutex::new(String::new()));
        let readers = vec![
            collect(child.stdout.take().unwrap(), &output),
            collect(child.stderr.take().unwrap(), &output),
        ];
        let mut served = Self {
            base: format!("http://{bind}"),
            child,
            output,
            readers,
        };
        served.wait_ready().await;
        served
    }

    async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = format!("{}/api/ready", self.base);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "latchkey exited ({status}) before it was ready:\n{}",
                    self.output()
                );
            }
            if let Ok(res) = client.get(&url).send().await
                && res.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("latchkey did not become ready:\n{}", self.output());
    }

    /// Everything printed so far, stdout and stderr interleaved.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// The text after `label` on the first output line holding it.
    pub fn line_after(&self, label: &str) -> String {
        let out = self.output();
        out.lines()
            .find_map(|l| l.split_once(label).map(|(_, rest)| rest.trim().to_owned()))
            .unwrap_or_else(|| panic!("no line with {label:?} in:\n{out}"))
    }

    /// Sends SIGTERM, as a service manager does, and waits for the exit.
    pub fn terminate(self) -> (ExitStatus, String) {
        self.send_sigterm();
        self.wait_exit()
    }

    /// SIGKILL: no drain, no flush, no goodbye — a power cut as far as the process knows.
    pub fn kill(mut self) -> String {
        self.child.kill().expect("sending SIGKILL");
        self.child.wait().expect("reaping the killed process");
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        self.output()
    }

    pub fn send_sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits (at most 15 s) for the process to end; its status and whole output.
    pub fn wait_exit(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The pipes end with the process; wait until everything is read.
                for reader in self.readers.drain(..) {
                    reader.join().unwrap();
                }
                return (status, self.output());
            }
            assert!(
                Instant::now() < deadline,
                "latchkey did not exit after SIGTERM:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn collect(stream: impl Read + Send + 'static, into: &Arc<Mutex<String>>) -> JoinHandle<()> {
    let into = Arc::clone(into);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut out = into.lock().unwrap();
            out.push_str(&line);
            out.push('\n');
        }
    })
}
