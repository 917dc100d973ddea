//! No secret leaks: the built `latchkey` binary runs with `RUST_LOG=trace`, every flow
//! that handles a secret is driven through it (password login, a failed login, `me`,
//! password change, Ring 2FA linking, a pasted and a tested Ring refresh token, a Ring
//! unlock, a guest link created, viewed, used and disabled, the audits, `/metrics`,
//! logout), and then the server's whole console output, every response seen (bodies and
//! headers), and the SQLite files are searched for every password, session token, guest
//! token and Ring token involved: 0 hits.
//!
//! The server runs as a child process because that is where logging is real: the
//! in-process test server installs no subscriber, and a global one would also capture
//! (and slow down) every other test of this binary.

mod server;

use latchkey_ring_sim::{AccountSpec, DeviceSpec, RingSimulator, SimConfig, TwoFactorSpec};
use reqwest::{Client, Method};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use server::Server;

// Distinctive values, so a hit can only be a leak.
const ADMIN_PASSWORD: &str = "admin-Quartz-Fjord-Secret-5150";
const FIRST_PASSWORD: &str = "first-Meadow-Kiwi-Secret-2718";
const SECOND_PASSWORD: &str = "second-Harbor-Yak-Secret-3141";
const WRONG_PASSWORD: &str = "wrong-Canyon-Owl-Secret-1618";
const RING_EMAIL: &str = "secrets@example.com";
const RING_PASSWORD: &str = "ring-Tundra-Lynx-Secret-4669";
/// A refresh token Ring does not know: refused, and never echoed.
const BOGUS_RING_TOKEN: &str = "bogus-ring-refresh-token-Secret-8080";
// The 2FA code is not searched for: six digits turn up in timings and ids by chance.
const RING_CODE: &str = "864209";
const DOOR: i64 = 1001;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Session,
    Guest,
    Ring,
}

/// One response, kept for the search; `allowed` are the kinds it carries by design.
struct Seen {
    what: String,
    text: String,
    allowed: &'static [Kind],
}

struct Driver {
    base: String,
    client: Client,
    seen: Vec<Seen>,
    /// Every `set-auth-token` handed out.
    sessions: Vec<String>,
}

impl Driver {
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
        allowed: &'static [Kind],
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let mut text = String::new();
        for (name, value) in res.headers() {
            let value = value.to_str().unwrap_or_default();
            // These two carry the session token to its owner by design (and only that).
            if name == "set-auth-token" {
                self.sessions.push(value.to_owned());
            } else if name != "set-cookie" {
                text.push_str(&format!("{name}: {value}\n"));
            }
        }
        let body = res.text().await.unwrap();
        text.push_str(&body);
        self.seen.push(Seen {
            what: format!("{method} {path} → {status}"),
            text,
            allowed,
        });
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    async fn login(&mut self, username: &str, password: &str) -> String {
        let body = json!({"username": username, "password": password});
        let (status, _) = self
            .call(Method::POST, "/api/auth/login", None, Some(body), &[])
            .await;
        assert_eq!(status, 200, "login of {username}");
        self.sessions.last().unwrap().clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_logs_bodies_audit_metrics_or_database() {
    let sim = RingSimulator::start(
        SimConfig::default().with_account(
            AccountSpec::new(RING_EMAIL, RING_PASSWORD)
                .with_two_factor(TwoFactorSpec::sms(RING_CODE, "+15555550199"))
                .with_device(DeviceSpec::intercom(DOOR, "Front door")),
        ),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), sim.base_url(), ADMIN_PASSWORD).await;
    let mut d = Driver {
        base: server.base.clone(),
        client: Client::new(),
        seen: Vec::new(),
        sessions: Vec::new(),
    };
    use Method as M;

    // Passwords and sessions.
    let admin = d.login("admin", ADMIN_PASSWORD).await;
    d.call(M::GET, "/api/auth/me", Some(&admin), None, &[]).await;
    let user = json!({"username": "keeper", "password": FIRST_PASSWORD});
    let (status, _) = d
        .call(M::POST, "/api/admin/users", Some(&admin), Some(user), &[])
        .await;
    assert_eq!(status, 200);
    let wrong = json!({"username": "keeper", "password": WRONG_PASSWORD});
    let (status, _) = d.call(M::POST, "/api/auth/login", None, Some(wrong), &[]).await;
    assert_eq!(status, 401);
    let first = d.login("keeper", FIRST_PASSWORD).await;
    let change = json!({"currentPassword": FIRST_PASSWORD, "newPassword": SECOND_PASSWORD});
    let (status, _) = d
        .call(M::POST, "/api/auth/password", Some(&first), Some(change), &[])
        .await;
    assert_eq!(status, 200);
    let (status, _) = d.call(M::GET, "/api/auth/me", Some(&first), None, &[]).await;
    assert_eq!(status, 401, "the old session ended with the password change");
    let me = d.login("keeper", SECOND_PASSWORD).await;
    d.call(M::GET, "/api/auth/me", Some(&me), None, &[]).await;

    // Ring: 2FA link (the verify answer hands the refresh token to its owner by design).
    let start = json!({"email": RING_EMAIL, "password": RING_PASSWORD, "accountLabel": "Home"});
    let (_, started) = d
        .call(M::POST, "/api/ring/auth/start", Some(&me), Some(start), &[])
        .await;
    let attempt = started["authSessionId"].as_i64().unwrap();
    let bad_code = json!({"authSessionId": attempt, "code": "000000"});
    let (status, _) = d
        .call(M::POST, "/api/ring/auth/verify", Some(&me), Some(bad_code), &[])
        .await;
    assert_eq!(status, 400);
    let code = json!({"authSessionId": attempt, "code": RING_CODE});
    let (status, linked) = d
        .call(
            M::POST,
            "/api/ring/auth/verify",
            Some(&me),
            Some(code),
            &[Kind::Ring],
        )
        .await;
    assert_eq!(status, 200);
    let account = linked["ringAccountId"].as_i64().unwrap();
    let mut ring_tokens = vec![linked["refreshToken"].as_str().unwrap().to_owned()];
    // Ring: a pasted refresh token (as `guest::linked_resident` does) and a tested one.
    let pasted = sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let tested = sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    ring_tokens.extend([pasted.clone(), tested.clone(), BOGUS_RING_TOKEN.to_owned()]);
    let save = json!({"refreshToken": pasted, "accountLabel": "Pasted"});
    let (status, _) = d
        .call(M::POST, "/api/ring/refresh-token", Some(&me), Some(save), &[])
        .await;
    assert_eq!(status, 200);
    let test = json!({"refreshToken": tested});
    let (status, _) = d
        .call(
            M::POST,
            "/api/ring/refresh-token/test",
            Some(&me),
            Some(test),
            &[],
        )
        .await;
    assert_eq!(status, 200);
    let bogus = json!({"refreshToken": BOGUS_RING_TOKEN});
    let (status, _) = d
        .call(
            M::POST,
            "/api/ring/refresh-token/test",
            Some(&me),
            Some(bogus),
            &[],
        )
        .await;
    assert_eq!(status, 400);
    d.call(M::GET, "/api/ring/accounts", Some(&me), None, &[]).await;
    d.call(M::GET, "/api/ring/summary", Some(&me), None, &[]).await;
    let unlock = json!({"intercomId": DOOR, "ringAccountId": account});
    let (status, _) = d
        .call(M::POST, "/api/ring/unlock", Some(&me), Some(unlock), &[])
        .await;
    assert_eq!(status, 200);

    // A guest link: create, list, view (API and page), use, disable, refused.
    let expires = (OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&Rfc3339)
        .unwrap();
    let body = json!({"label": "Visitor", "intercomId": DOOR, "ringAccountId": account,
                      "expiresAt": expires, "maxUses": 3});
    // The link's owner gets its token (and URL) in the create and list answers, and the
    // guest's own view and page carry it: those answers may hold the guest token.
    let (status, created) = d
        .call(M::POST, "/api/guest-links", Some(&me), Some(body), &[Kind::Guest])
        .await;
    assert_eq!(status, 200);
    let guest = created["link"]["token"].as_str().unwrap().to_owned();
    let link_id = created["link"]["id"].as_i64().unwrap();
    d.call(M::GET, "/api/guest-links", Some(&me), None, &[Kind::Guest])
        .await;
    d.call(M::GET, &format!("/api/guest/{guest}"), None, None, &[Kind::Guest])
        .await;
    d.call(M::GET, &format!("/g/{guest}"), None, None, &[Kind::Guest])
        .await;
    let (status, _) = d
        .call(M::POST, &format!("/api/guest/{guest}/unlock"), None, None, &[])
        .await;
    assert_eq!(status, 200);
    let (status, _) = d
        .call(
            M::DELETE,
            &format!("/api/guest-links/{link_id}"),
            Some(&me),
            None,
            &[],
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = d
        .call(M::POST, &format!("/api/guest/{guest}/unlock"), None, None, &[])
        .await;
    assert_eq!(status, 410);

    // The audits and the metrics.
    for (path, who) in [
        ("/api/admin/audit", &admin),
        ("/api/admin/login-audit", &admin),
        ("/api/audit", &me),
    ] {
        let (status, _) = d.call(M::GET, path, Some(who), None, &[]).await;
        assert_eq!(status, 200, "{path}");
    }
    d.call(M::GET, "/metrics", None, None, &[]).await;
    let (status, _) = d.call(M::POST, "/api/auth/logout", Some(&me), None, &[]).await;
    assert!(status < 300, "logout: {status}");

    // Ring's own tokens as the server used them: refresh tokens it sent (rotation makes
    // new ones) and the access tokens it was given.
    for r in sim.handle().requests() {
        if let Some(bearer) = r.bearer_token() {
            ring_tokens.push(bearer.to_owned());
        }
        let fields: Vec<(String, String)> = match r.json_body() {
            Some(Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                .collect(),
            _ => url::form_urlencoded::parse(r.body.as_bytes())
                .into_owned()
                .collect(),
        };
        ring_tokens.extend(
            fields
                .into_iter()
                .filter(|(k, _)| k == "refresh_token")
                .map(|(_, v)| v),
        );
    }

    let logs = server.stop();
    assert!(logs.contains("TRACE"), "trace logging was on:\n{logs}");
    assert!(logs.contains("/api/auth/login"), "the access log was captured");

    let mut secrets: Vec<(Kind, String)> = [
        ADMIN_PASSWORD,
        FIRST_PASSWORD,
        SECOND_PASSWORD,
        WRONG_PASSWORD,
        RING_PASSWORD,
    ]
    .into_iter()
    .map(|p| (Kind::Password, p.to_owned()))
    .collect();
    secrets.extend(d.sessions.iter().map(|s| (Kind::Session, s.clone())));
    // A JWT's signature alone is enough to replay it.
    secrets.extend(
        d.sessions
            .iter()
            .filter_map(|s| s.rsplit('.').next())
            .map(|sig| (Kind::Session, sig.to_owned())),
    );
    secrets.push((Kind::Guest, guest.clone()));
    secrets.extend(
        ring_tokens
            .into_iter()
            .filter(|t| t.len() >= 16)
            .map(|t| (Kind::Ring, t)),
    );
    assert!(
        d.sessions.len() >= 4 && secrets.len() >= 15,
        "the secrets were collected"
    );

    let mut hits = Vec::new();
    let mut search = |place: &str, text: &str, allowed: &[Kind]| {
        for (kind, secret) in &secrets {
            if allowed.contains(kind) {
                continue;
            }
            if let Some(at) = text.find(secret.as_str()) {
                let from = text.floor_char_boundary(at.saturating_sub(80));
                let to = text.ceil_char_boundary((at + secret.len() + 40).min(text.len()));
                hits.push(format!("{kind:?} secret in {place}: …{}…", &text[from..to]));
            }
        }
    };
    search("the server's console output", &logs, &[]);
    for seen in &d.seen {
        search(&format!("the answer to {}", seen.what), &seen.text, seen.allowed);
    }
    for file in std::fs::read_dir(data.path()).unwrap() {
        let path = file.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        search(&path.display().to_string(), &String::from_utf8_lossy(&bytes), &[]);
    }
    assert!(hits.is_empty(), "{} leaks:\n{}", hits.len(), hits.join("\n"));
}
