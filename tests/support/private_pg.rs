//! A PostgreSQL cluster of the test's own, in a temp dir on a free port, that the test
//! may stop and start again — which the machine's shared server must never be. Built
//! with the installed server binaries (`/usr/lib/postgresql/<n>/bin`); as root (the CI
//! runner) they run as the `postgres` user, since PostgreSQL refuses to run as root.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct PrivatePg {
    dir: TempDir,
    bin: PathBuf,
    port: u16,
}

impl PrivatePg {
    /// Creates and starts the cluster. `None` with a loud message when the server
    /// binaries are missing, unless `CI=true`, where that is a failure.
    pub fn start() -> Option<Self> {
        let Some(bin) = server_binaries() else {
            return crate::missing(
                "private PostgreSQL",
                "no server binaries under /usr/lib/postgresql",
            );
        };
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            // Only the postgres user runs the server; it needs the directory.
            ok(Command::new("chown").arg("postgres").arg(dir.path()).output());
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = Self { dir, bin, port };
        let data = pg.data().display().to_string();
        ok(pg
            .as_server_user("initdb")
            .args([
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ])
            .output());
        pg.start_again();
        Some(pg)
    }

    /// `postgres://` URL of the cluster's `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl stop -m fast`: every session is told "terminating connection due to
    /// administrator command" and closed, new ones are refused; returns once stopped.
    pub fn stop(&self) {
        self.pg_ctl(&["stop", "-m", "fast", "-w"]);
    }

    /// Starts the (stopped) cluster on the same port; returns once it accepts
    /// connections.
    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        self.pg_ctl(&["start", "-w", "-o", &options, "-l", &log]);
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.data().display().to_string();
        ok(self
            .as_server_user("pg_ctl")
            .args(["-D", &data])
            .args(args)
            .output());
    }

    fn as_server_user(&self, tool: &str) -> Command {
        let tool = self.bin.join(tool);
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(tool);
            cmd
        } else {
            Command::new(tool)
        }
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let _ = self
            .as_server_user("pg_ctl")
            .args(["-D", &data, "stop", "-m", "immediate", "-w"])
            .output();
    }
}

/// The newest installed major version's binaries.
fn server_binaries() -> Option<PathBuf> {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    versions.sort_unstable();
    let bin = Path::new("/usr/lib/postgresql")
        .join(versions.last()?.to_string())
        .join("bin");
    bin.join("initdb").is_file().then_some(bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn ok(out: std::io::Result<Output>) {
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
