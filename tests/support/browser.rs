//! A headless Chromium driven over the W3C WebDriver protocol: a chromedriver process on
//! a free port, spoken to with reqwest. Just the commands the tests use; no Node, no
//! Selenium.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`; `CHROME_BIN` and `CHROMEDRIVER` override the paths).
//! Without them [`Chrome::start`] says so loudly and returns `None` — except under CI,
//! where a missing browser fails the test, as a missing PostgreSQL does.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key W3C WebDriver uses for element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const STARTUP: Duration = Duration::from_secs(20);
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// Whether this run is CI's, where nothing may be skipped.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// An element of the current page.
#[derive(Debug, Clone)]
pub struct Element(String);

/// One browser session. Dropping it ends the session and stops chromedriver.
pub struct Chrome {
    http: reqwest::Client,
    port: u16,
    base: String,
    session: String,
    driver: Child,
}

impl Chrome {
    /// A fresh headless browser, or `None` (with a loud message) when Chromium or
    /// chromedriver is not installed outside CI. Under CI that is a failure.
    pub async fn start() -> Option<Self> {
        let chromium = binary("CHROME_BIN", "/usr/bin/chromium");
        let chromedriver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
        let missing: Vec<String> = [&chromium, &chromedriver]
            .into_iter()
            .filter(|p| !p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        if !missing.is_empty() {
            let what = missing.join(" and ");
            if under_ci() {
                panic!(
                    "browser tests need Chromium, and CI requires them: {what} not found \
                     (apt-get install chromium chromium-driver)"
                );
            }
            eprintln!(
                "\n!!! ================================================================ !!!\n\
                 !!!  SKIPPED: chromium not installed ({what} not found).\n\
                 !!!  Browser tests need: apt-get install chromium chromium-driver\n\
                 !!! ================================================================ !!!\n"
            );
            return None;
        }
        Some(Self::launch(&chromium, &chromedriver).await)
    }

    async fn launch(chromium: &std::path::Path, chromedriver: &std::path::Path) -> Self {
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .timeout(COMMAND_TIMEOUT)
            .no_proxy()
            .build()
            .unwrap();
        let mut chrome = Self {
            http,
            port,
            base,
            session: String::new(),
            driver,
        };
        chrome.wait_ready().await;
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-dev-shm-usage",
                    "--disable-gpu",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-extensions",
                    "--window-size=412,915",
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let res = chrome.call(reqwest::Method::POST, "/session", Some(caps)).await;
        chrome.session = res["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("chromedriver gave no session: {res}"))
            .to_owned();
        chrome
    }

    async fn wait_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            let ready = self
                .http
                .get(format!("{}/status", self.base))
                .timeout(Duration::from_secs(2))
                .send()
                .await;
            if let Ok(res) = ready
                && let Ok(body) = res.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "chromedriver on port {} not ready after {STARTUP:?}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// One WebDriver command; panics with the driver's message when it fails.
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_call(method.clone(), path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {method} {path} failed: {e}"),
        }
    }

    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        let body: Value = res.json().await.map_err(|e| e.to_string())?;
        let value = body.get("value").cloned().unwrap_or(Value::Null);
        if status.is_success() {
            Ok(value)
        } else {
            Err(format!(
                "{status}: {} ({})",
                value["error"].as_str().unwrap_or("?"),
                value["message"].as_str().unwrap_or("")
            ))
        }
    }

    fn at(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Navigates and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, &self.at("/url"), Some(json!({"url": url})))
            .await;
    }

    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let found = self
            .try_call(
                reqwest::Method::POST,
                &self.at("/element"),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
            .ok()?;
        found[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.try_find(css).await {
            Some(el) => el,
            None => panic!("no element matches {css:?} on:\n{}", self.source().await),
        }
    }

    /// The element's rendered text.
    pub async fn text(&self, el: &Element) -> String {
        let v = self
            .call(
                reqwest::Method::GET,
                &self.at(&format!("/element/{}/text", el.0)),
                None,
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// The text of the first element matching `css`.
    pub async fn text_of(&self, css: &str) -> String {
        let el = self.find(css).await;
        self.text(&el).await
    }

    pub async fn attribute(&self, el: &Element, name: &str) -> Option<String> {
        let v = self
            .call(
                reqwest::Method::GET,
                &self.at(&format!("/element/{}/attribute/{name}", el.0)),
                None,
            )
            .await;
        v.as_str().map(str::to_owned)
    }

    pub async fn is_enabled(&self, el: &Element) -> bool {
        self.call(
            reqwest::Method::GET,
            &self.at(&format!("/element/{}/enabled", el.0)),
            None,
        )
        .await
        .as_bool()
        .unwrap_or(false)
    }

    /// A real click: scrolled into view, through the input pipeline.
    pub async fn click(&self, el: &Element) {
        self.call(
            reqwest::Method::POST,
            &self.at(&format!("/element/{}/click", el.0)),
            Some(json!({})),
        )
        .await;
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            &self.at("/execute/sync"),
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Waits until the text of `css` satisfies `done`; returns that text.
    pub async fn wait_for_text(&self, css: &str, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < timeout {
            if let Some(el) = self.try_find(css).await {
                last = self.text(&el).await;
                if done(&last) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{css:?} never got the expected text within {timeout:?}; last: {last:?}\nconsole: {:?}\npage:\n{}",
            self.console().await,
            self.source().await
        );
    }

    /// The page's HTML as the browser holds it now.
    pub async fn source(&self) -> String {
        self.try_call(reqwest::Method::GET, &self.at("/source"), None)
            .await
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .unwrap_or_else(|e| format!("<no source: {e}>"))
    }

    /// Console messages and errors (CSP violations land here) since the last call.
    pub async fn console(&self) -> Vec<String> {
        self.try_call(
            reqwest::Method::POST,
            &self.at("/se/log"),
            Some(json!({"type": "browser"})),
        )
        .await
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["level"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect()
    }

    /// Opens a new tab, switches to it and returns its handle.
    pub async fn new_tab(&self) -> String {
        let v = self
            .call(
                reqwest::Method::POST,
                &self.at("/window/new"),
                Some(json!({"type": "tab"})),
            )
            .await;
        let handle = v["handle"].as_str().unwrap().to_owned();
        self.switch_to(&handle).await;
        handle
    }

    pub async fn current_tab(&self) -> String {
        let v = self.call(reqwest::Method::GET, &self.at("/window"), None).await;
        v.as_str().unwrap().to_owned()
    }

    pub async fn switch_to(&self, handle: &str) {
        self.call(
            reqwest::Method::POST,
            &self.at("/window"),
            Some(json!({"handle": handle})),
        )
        .await;
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        // Drop cannot await: end the session with a plain blocking request so Chromium
        // exits, then stop chromedriver.
        if !self.session.is_empty() {
            delete_session(self.port, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn delete_session(port: u16, session: &str) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    listener.local_addr().unwrap().port()
}
