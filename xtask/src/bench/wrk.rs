//! The load generator: Debian's `wrk` (installed with apt-get when missing), driven by a
//! generated Lua script that cycles through prepared requests and prints its figures as
//! one JSON line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;

use super::procs;

/// One request wrk sends (a load cycles through several).
#[derive(Debug, Clone)]
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Req {
    pub fn get(path: impl Into<String>) -> Self {
        Self {
            method: "GET",
            path: path.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn post(path: impl Into<String>, body: &serde_json::Value) -> Self {
        Self {
            method: "POST",
            path: path.into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Some(body.to_string()),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", &format!("Bearer {token}"))
    }
}

/// A load: where, what, how many connections.
#[derive(Debug, Clone)]
pub struct Load {
    pub addr: String,
    pub requests: Vec<Req>,
    pub connections: u32,
    pub threads: u32,
    pub timeout_secs: u32,
    /// Count answers of 400 and more by status (costs a Lua call per answer: only for
    /// slow scenarios).
    pub count_statuses: bool,
}

/// What wrk measured.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers with a status of 400 or more.
    pub non_2xx: u64,
    /// Connect, read and write errors.
    pub socket_errors: u64,
    pub timeouts: u64,
    /// With [`Load::count_statuses`]: answers of 400 and more, by status.
    pub statuses: Vec<(u16, u64)>,
}

/// Makes sure `wrk` is on the PATH, installing Debian's package if needed.
pub fn ensure_installed() -> anyhow::Result<String> {
    if !procs::have("wrk") {
        procs::apt_install(&["wrk"]).context("wrk is missing and could not be installed")?;
    }
    let out = Command::new("wrk").arg("--version").output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let first = text.lines().next().unwrap_or("wrk");
    Ok(first
        .split(" Copyright")
        .next()
        .unwrap_or(first)
        .trim()
        .to_owned())
}

/// Runs `load` for `secs` seconds and waits for the figures.
pub fn run(load: &Load, secs: u32, dir: &Path, name: &str) -> anyhow::Result<Measured> {
    let child = spawn(load, secs, dir, name)?;
    collect(child)
}

/// Starts wrk without waiting (for two loads at once).
pub fn spawn(load: &Load, secs: u32, dir: &Path, name: &str) -> anyhow::Result<Child> {
    let script = write_script(load, dir, name)?;
    Command::new("wrk")
        .arg(format!("-t{}", load.threads))
        .arg(format!("-c{}", load.connections))
        .arg(format!("-d{secs}s"))
        .arg(format!("--timeout={}s", load.timeout_secs))
        .arg("-s")
        .arg(&script)
        .arg(format!("http://{}/", load.addr))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting wrk")
}

/// Waits for a wrk started by [`spawn`] and reads its figures.
pub fn collect(child: Child) -> anyhow::Result<Measured> {
    let out = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "wrk failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("BENCH-JSON "))
        .with_context(|| format!("wrk printed no figures: {stdout}"))?;
    let v: serde_json::Value = serde_json::from_str(line)?;
    let n = |k: &str| v[k].as_f64().unwrap_or(0.0);
    let duration = Duration::from_micros(n("duration_us") as u64).as_secs_f64();
    Ok(Measured {
        requests: n("requests") as u64,
        rps: if duration > 0.0 {
            n("requests") / duration
        } else {
            0.0
        },
        p50_ms: n("p50_us") / 1000.0,
        p99_ms: n("p99_us") / 1000.0,
        non_2xx: n("status") as u64,
        socket_errors: (n("connect") + n("read") + n("write")) as u64,
        timeouts: n("timeout") as u64,
        statuses: v["statuses"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, n)| Some((k.parse().ok()?, n.as_u64()?)))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn write_script(load: &Load, dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let mut lua = String::from("local specs = {\n");
    for r in &load.requests {
        let mut headers = String::new();
        for (k, v) in &r.headers {
            write!(headers, "[{}] = {}, ", lua_str(k), lua_str(v))?;
        }
        let body = r.body.as_deref().map_or_else(|| "nil".to_owned(), lua_str);
        writeln!(
            lua,
            "  {{ {}, {}, {{ {headers}}}, {body} }},",
            lua_str(r.method),
            lua_str(&r.path)
        )?;
    }
    lua.push_str(SCRIPT_BODY);
    if load.count_statuses {
        lua.push_str(COUNT_STATUSES);
    }
    let path = dir.join(format!("{name}.lua"));
    std::fs::write(&path, lua)?;
    Ok(path)
}

/// The rest of every script: format the requests once per thread, cycle through them,
/// print the figures as JSON when done.
const SCRIPT_BODY: &str = r#"}
local reqs = {}
local n = 0
init = function(args)
  for i, s in ipairs(specs) do
    reqs[i] = wrk.format(s[1], s[2], s[3], s[4])
  end
end
request = function()
  n = n % #reqs + 1
  return reqs[n]
end
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  local e = summary.errors
  local statuses = {}
  for code = 400, 599 do
    local n = 0
    for _, t in ipairs(threads) do
      n = n + (t:get("status" .. code) or 0)
    end
    if n > 0 then
      table.insert(statuses, string.format('"%d":%d', code, n))
    end
  end
  io.write(string.format(
    'BENCH-JSON {"requests":%d,"duration_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(statuses, ",")))
end
"#;

/// Counts each answer of 400 and more in a per-thread global `status<code>`.
const COUNT_STATUSES: &str = r#"
response = function(status, headers, body)
  if status >= 400 then
    local key = "status" .. status
    _G[key] = (_G[key] or 0) + 1
  end
end
"#;

/// A Lua string literal: anything but plain characters as a decimal escape.
fn lua_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b" -_./:=,{}[]@+".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\{b:03}"));
        }
    }
    out.push('"');
    out
}
