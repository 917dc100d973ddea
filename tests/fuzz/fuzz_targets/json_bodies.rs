//! Request bodies: the `Json` extractor's parser (`latchkey_http::json::parse`) into
//! every JSON body DTO, then the domain checks the use cases apply to its fields.
//!
//! Input: one byte choosing the DTO, then the body. `a`..`o` pick, in order: login,
//! create user, update user, rate limits, change password, create template, create
//! guest link, link expiry, create Ring account, update Ring account, unlock, Ring link
//! start, Ring link verify, save refresh token, test refresh token (any other byte picks
//! by its value modulo 15).
//!
//! Properties: parsing never panics; an accepted body is one JSON object (nothing
//! before or after it) and the DTO holds exactly its known fields (absent or null means
//! `None`), and has no others where unknown fields are refused; a refused body is a 400
//! `invalid_body` problem with a detail, naming (if anything) a field of the DTO or of
//! the body, that renders; and each validator keeps its contract: trimmed and bounded
//! text without control or bidi characters, stable when parsed again; passwords of
//! 12..=256 characters only; RFC 3339 instants come out in UTC, format and parse back,
//! and the API's `iso` shows them back to the millisecond; use limits 1..=1000, template
//! durations 1..=2160 h, a template's window from any start (no overflow), rate limits
//! 1..=1000000, link windows that are non-empty and at most 90 days.
#![no_main]

use actix_web::ResponseError;
use actix_web::http::StatusCode;
use latchkey_application::guest::MAX_LABEL_CHARS;
use latchkey_domain::guest_link::{MAX_TEMPLATE_HOURS, check_duration_hours, parse_label, parse_max_uses};
use latchkey_domain::text::has_forbidden_chars;
use latchkey_domain::{
    AccountLabel, GuestLinkPolicy, GuestLinkTemplate, PasswordError, PasswordPolicy, PersonName,
    PlainPassword, RateLimits, RateLimitsPatch, Role, Structure, UserId, Username,
};
use latchkey_http::ApiError;
use latchkey_http::json;
use latchkey_http::routes::admin::limits::LimitsBody;
use latchkey_http::routes::admin::user::UpdateUserBody;
use latchkey_http::routes::admin::users::CreateUserBody;
use latchkey_http::routes::auth::login::LoginBody;
use latchkey_http::routes::auth::password::ChangePasswordBody;
use latchkey_http::routes::dto::iso;
use latchkey_http::routes::guest_links::dto::parse_instant;
use latchkey_http::routes::guest_links::expiry::ExpiryBody;
use latchkey_http::routes::guest_links::links::CreateLinkBody;
use latchkey_http::routes::guest_links::templates::CreateTemplateBody;
use latchkey_http::routes::ring::accounts::{CreateAccountBody, UpdateAccountBody};
use latchkey_http::routes::ring::link::{SaveTokenBody, StartBody, TestTokenBody, VerifyBody};
use latchkey_http::routes::ring::unlock::UnlockBody;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let which = if which.is_ascii_lowercase() {
        which - b'a'
    } else {
        which
    } % 15;
    match which {
        0 => login(body),
        1 => create_user(body),
        2 => update_user(body),
        3 => limits(body),
        4 => change_password(body),
        5 => create_template(body),
        6 => create_link(body),
        7 => expiry(body),
        8 => create_account(body),
        9 => update_account(body),
        10 => unlock(body),
        11 => ring_start(body),
        12 => ring_verify(body),
        13 => save_token(body),
        _ => test_token(body),
    }
});

// ---- the bodies ----

fn login(body: &[u8]) {
    let Some(b) = parse::<LoginBody>(body, &["username", "password"], false, |b| {
        fields([("username", opt(&b.username)), ("password", opt(&b.password))])
    }) else {
        return;
    };
    // Login never validates the typed name; it looks up its key.
    let typed = b.username.unwrap_or_default();
    assert_eq!(Username::key_of(&typed), typed.trim().to_lowercase());
}

fn create_user(body: &[u8]) {
    let names = [
        "username",
        "password",
        "role",
        "firstName",
        "lastName",
        "structure",
    ];
    let Some(b) = parse::<CreateUserBody>(body, &names, true, |b| {
        fields([
            ("username", Some(json!(b.username))),
            ("password", Some(json!(b.password))),
            ("role", opt(&b.role)),
            ("firstName", opt(&b.first_name)),
            ("lastName", opt(&b.last_name)),
            ("structure", opt(&b.structure)),
        ])
    }) else {
        return;
    };
    let username = username(&b.username);
    if let Some(role) = b.role.as_deref().map(str::trim).filter(|r| !r.is_empty())
        && let Some(parsed) = Role::parse(role)
    {
        assert_eq!(parsed.as_str(), role);
    }
    let first = text(b.first_name.as_deref(), PersonName::MAX, |r| {
        PersonName::parse("firstName", r).map(|n| n.as_deref().map(str::to_owned))
    });
    let last = text(b.last_name.as_deref(), PersonName::MAX, |r| {
        PersonName::parse("lastName", r).map(|n| n.as_deref().map(str::to_owned))
    });
    text(b.structure.as_deref(), Structure::MAX, |r| {
        Structure::parse(r).map(|s| s.as_deref().map(str::to_owned))
    });
    if let Some(username) = username {
        let context = [
            username.as_str(),
            first.as_deref().unwrap_or(""),
            last.as_deref().unwrap_or(""),
        ];
        password(&b.password, &context);
    }
}

fn update_user(body: &[u8]) {
    let names = [
        "username",
        "password",
        "firstName",
        "lastName",
        "structure",
        "disabled",
    ];
    let Some(b) = parse::<UpdateUserBody>(body, &names, true, |b| {
        fields([
            ("username", opt(&b.username)),
            ("password", opt(&b.password)),
            ("firstName", opt(&b.first_name)),
            ("lastName", opt(&b.last_name)),
            ("structure", opt(&b.structure)),
            ("disabled", opt(&b.disabled)),
        ])
    }) else {
        return;
    };
    let username = b.username.as_deref().and_then(username);
    for (field, value) in [("firstName", &b.first_name), ("lastName", &b.last_name)] {
        if let Some(v) = value {
            text(Some(v), PersonName::MAX, |r| {
                PersonName::parse(field, r).map(|n| n.as_deref().map(str::to_owned))
            });
        }
    }
    if let Some(v) = &b.structure {
        text(Some(v), Structure::MAX, |r| {
            Structure::parse(r).map(|s| s.as_deref().map(str::to_owned))
        });
    }
    if let Some(pw) = &b.password {
        let name = username.as_ref().map_or("ada", Username::as_str);
        password(pw, &[name]);
    }
}

fn limits(body: &[u8]) {
    let names = ["guestPerMinute", "authPerMinute"];
    let Some(b) = parse::<LimitsBody>(body, &names, true, |b| {
        fields([
            ("guestPerMinute", opt(&b.guest_per_minute)),
            ("authPerMinute", opt(&b.auth_per_minute)),
        ])
    }) else {
        return;
    };
    let current = RateLimits::default();
    let patch = RateLimitsPatch {
        guest_per_minute: b.guest_per_minute,
        auth_per_minute: b.auth_per_minute,
    };
    let in_range = |v: Option<i64>| v.is_none_or(|v| (1..=1_000_000).contains(&v));
    match current.apply(patch) {
        Ok(l) => {
            assert!(in_range(b.guest_per_minute) && in_range(b.auth_per_minute));
            let kept =
                |v: Option<i64>, cur: u32, now: u32| assert_eq!(i64::from(now), v.unwrap_or(i64::from(cur)));
            kept(b.guest_per_minute, current.guest_per_minute, l.guest_per_minute);
            kept(b.auth_per_minute, current.auth_per_minute, l.auth_per_minute);
        }
        Err(e) => {
            let bad = if in_range(b.guest_per_minute) {
                "authPerMinute"
            } else {
                "guestPerMinute"
            };
            assert!(!(in_range(b.guest_per_minute) && in_range(b.auth_per_minute)));
            assert_eq!(e.field, bad);
        }
    }
}

fn change_password(body: &[u8]) {
    let names = ["currentPassword", "newPassword"];
    let Some(b) = parse::<ChangePasswordBody>(body, &names, true, |b| {
        fields([
            ("currentPassword", Some(json!(b.current_password))),
            ("newPassword", Some(json!(b.new_password))),
        ])
    }) else {
        return;
    };
    password(&b.new_password, &["ada"]);
}

fn create_template(body: &[u8]) {
    let names = ["name", "durationHours", "maxUses"];
    let Some(b) = parse::<CreateTemplateBody>(body, &names, true, |b| {
        fields([
            ("name", Some(json!(b.name))),
            ("durationHours", Some(json!(b.duration_hours))),
            ("maxUses", opt(&b.max_uses)),
        ])
    }) else {
        return;
    };
    label(Some(&b.name));
    let hours = check_duration_hours(b.duration_hours);
    assert_eq!(
        hours.ok(),
        Some(b.duration_hours).filter(|h| (1..=2160).contains(h))
    );
    max_uses(b.max_uses);
}

fn create_link(body: &[u8]) {
    let names = [
        "label",
        "intercomId",
        "ringAccountId",
        "startsAt",
        "expiresAt",
        "maxUses",
        "templateId",
    ];
    let Some(b) = parse::<CreateLinkBody>(body, &names, true, |b| {
        fields([
            ("label", opt(&b.label)),
            ("intercomId", Some(json!(b.intercom_id))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("startsAt", opt(&b.starts_at)),
            ("expiresAt", opt(&b.expires_at)),
            ("maxUses", opt(&b.max_uses)),
            ("templateId", opt(&b.template_id)),
        ])
    }) else {
        return;
    };
    label(b.label.as_deref());
    max_uses(b.max_uses);
    // As `GuestService::create_link` goes: the start defaults to now, a template fills
    // the end, the window is checked.
    let starts = match b.starts_at.as_deref().map(|s| instant("startsAt", s)) {
        Some(None) => return,
        Some(Some(t)) => t,
        None => OffsetDateTime::now_utc(),
    };
    let template_end = b.template_id.map(|id| {
        let hours = 1 + id.rem_euclid(MAX_TEMPLATE_HOURS);
        let template = GuestLinkTemplate {
            id,
            owner_id: UserId(1),
            name: "template".into(),
            duration_hours: hours,
            max_uses: None,
            created_at: starts,
        };
        let (from, to, _) = template.expand(starts);
        assert_eq!(from, starts);
        assert!(
            to >= starts && to - starts <= Duration::hours(hours),
            "{starts} + {hours} h = {to}"
        );
        to
    });
    let expires = match b.expires_at.as_deref().map(|s| instant("expiresAt", s)) {
        Some(None) => return,
        Some(Some(t)) => Some(t),
        None => template_end,
    };
    if let Some(expires) = expires {
        window(starts, expires);
    }
}

fn expiry(body: &[u8]) {
    let Some(b) = parse::<ExpiryBody>(body, &["expiresAt"], true, |b| {
        fields([("expiresAt", Some(json!(b.expires_at)))])
    }) else {
        return;
    };
    if let Some(expires) = instant("expiresAt", &b.expires_at) {
        window(OffsetDateTime::now_utc(), expires);
    }
}

fn create_account(body: &[u8]) {
    let Some(b) = parse::<CreateAccountBody>(body, &["label"], true, |b| {
        fields([("label", Some(json!(b.label)))])
    }) else {
        return;
    };
    account_label(&b.label);
}

fn update_account(body: &[u8]) {
    let names = ["label", "isDefault"];
    let Some(b) = parse::<UpdateAccountBody>(body, &names, true, |b| {
        fields([("label", opt(&b.label)), ("isDefault", opt(&b.is_default))])
    }) else {
        return;
    };
    if let Some(l) = &b.label {
        account_label(l);
    }
}

fn unlock(body: &[u8]) {
    let names = ["intercomId", "ringAccountId"];
    parse::<UnlockBody>(body, &names, true, |b| {
        fields([
            ("intercomId", Some(json!(b.intercom_id))),
            ("ringAccountId", opt(&b.ring_account_id)),
        ])
    });
}

fn ring_start(body: &[u8]) {
    let names = ["email", "password", "ringAccountId", "accountLabel"];
    let Some(b) = parse::<StartBody>(body, &names, true, |b| {
        fields([
            ("email", Some(json!(b.email))),
            ("password", Some(json!(b.password))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("accountLabel", opt(&b.account_label)),
        ])
    }) else {
        return;
    };
    if let Some(l) = &b.account_label {
        account_label(l);
    }
}

fn ring_verify(body: &[u8]) {
    let names = ["authSessionId", "code"];
    parse::<VerifyBody>(body, &names, true, |b| {
        fields([
            ("authSessionId", Some(json!(b.auth_session_id))),
            ("code", Some(json!(b.code))),
        ])
    });
}

fn save_token(body: &[u8]) {
    let names = ["refreshToken", "ringAccountId", "accountLabel"];
    let Some(b) = parse::<SaveTokenBody>(body, &names, true, |b| {
        fields([
            ("refreshToken", Some(json!(b.refresh_token))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("accountLabel", opt(&b.account_label)),
        ])
    }) else {
        return;
    };
    if let Some(l) = &b.account_label {
        account_label(l);
    }
}

fn test_token(body: &[u8]) {
    parse::<TestTokenBody>(body, &["refreshToken"], true, |b| {
        fields([("refreshToken", Some(json!(b.refresh_token)))])
    });
}

// ---- the extractor's contract ----

/// Parses `body` as the `Json` extractor does and checks the outcome against the body
/// read as plain JSON. `known` are the DTO's wire names; `strict` whether others are
/// refused; `wire` writes the DTO back in its wire form (nulls left out).
fn parse<T: DeserializeOwned>(
    body: &[u8],
    known: &[&str],
    strict: bool,
    wire: impl Fn(&T) -> Map<String, Value>,
) -> Option<T> {
    let plain = serde_json::from_slice::<Value>(body).ok();
    match json::parse::<T>(body) {
        Ok(dto) => {
            let Some(Value::Object(map)) = plain else {
                panic!(
                    "accepted a body that is not one JSON object: {:?}",
                    String::from_utf8_lossy(body)
                );
            };
            if strict {
                for key in map.keys() {
                    assert!(
                        known.contains(&key.as_str()),
                        "accepted the unknown field {key:?}"
                    );
                }
            }
            let given: Map<String, Value> = map
                .into_iter()
                .filter(|(k, v)| known.contains(&k.as_str()) && !v.is_null())
                .map(|(k, v)| (k, integral(v)))
                .collect();
            assert_eq!(wire(&dto), given, "the DTO does not hold what the body says");
            Some(dto)
        }
        Err(e) => {
            refused(&e, known, plain.as_ref());
            None
        }
    }
}

/// The body as the API reads it: a number with a zero fraction is the integer it equals
/// (JSON Schema's `integer` admits `5.0`), when an integer type can hold it.
fn integral(v: Value) -> Value {
    // Powers of two, exact in f64.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && (-I64_END..I64_END).contains(&f) => Value::from(f as i64),
            Some(f) if f.fract() == 0.0 && (0.0..U64_END).contains(&f) => Value::from(f as u64),
            _ => Value::Number(n),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(integral).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (k, integral(v))).collect()),
        other => other,
    }
}

fn refused(e: &ApiError, known: &[&str], plain: Option<&Value>) {
    assert_eq!(e.status, StatusCode::BAD_REQUEST);
    assert_eq!(e.code, "invalid_body");
    assert!(e.detail.as_deref().is_some_and(|d| !d.is_empty()));
    if let (Some(field), Some(Value::Object(map))) = (&e.field, plain) {
        assert!(
            known.contains(&field.as_str()) || map.contains_key(field),
            "{field:?} is neither a field of the DTO nor of the body"
        );
    }
    assert_eq!(e.error_response().status(), StatusCode::BAD_REQUEST);
    let problem = serde_json::to_value(e.to_problem()).expect("a problem serialises");
    assert_eq!(problem["status"], json!(400));
}

fn fields<const N: usize>(pairs: [(&str, Option<Value>); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)))
        .collect()
}

fn opt<T: serde::Serialize>(v: &Option<T>) -> Option<Value> {
    v.as_ref()
        .map(|v| serde_json::to_value(v).expect("plain values serialise"))
}

// ---- the validators' contracts ----

/// Optional free text: `None` for absent or blank, else trimmed, at most `max`
/// characters, no control or bidi characters; parsing the result again keeps it.
fn text<E: std::fmt::Debug>(
    raw: Option<&str>,
    max: usize,
    parse: impl Fn(Option<&str>) -> Result<Option<String>, E>,
) -> Option<String> {
    let got = parse(raw);
    let trimmed = raw.map(str::trim).filter(|s| !s.is_empty());
    match (&got, trimmed) {
        (Ok(None), None) => {}
        (Ok(Some(v)), Some(t)) => {
            assert_eq!(v, t);
            assert!(v.chars().count() <= max && !has_forbidden_chars(v));
            assert_eq!(parse(Some(v)).ok(), Some(Some(v.clone())), "not stable");
        }
        (Err(_), Some(t)) => assert!(t.chars().count() > max || has_forbidden_chars(t)),
        _ => panic!("{raw:?} -> {got:?}"),
    }
    got.ok().flatten()
}

fn label(raw: Option<&str>) {
    text(raw, MAX_LABEL_CHARS, |r| parse_label(r, MAX_LABEL_CHARS));
}

fn account_label(raw: &str) {
    let got = AccountLabel::parse(raw).map(|l| Some(l.as_str().to_owned()));
    let t = raw.trim();
    let valid = (1..=AccountLabel::MAX).contains(&t.chars().count()) && !has_forbidden_chars(t);
    assert_eq!(
        got.as_ref().ok().cloned().flatten().as_deref(),
        valid.then_some(t)
    );
    if valid {
        assert_eq!(
            AccountLabel::parse(t)
                .map(|l| l.as_str().to_owned())
                .ok()
                .as_deref(),
            Some(t)
        );
    }
}

fn username(raw: &str) -> Option<Username> {
    let t = raw.trim();
    let valid = (Username::MIN..=Username::MAX).contains(&t.chars().count()) && !has_forbidden_chars(t);
    let got = Username::parse(raw).ok();
    assert_eq!(got.as_ref().map(Username::as_str), valid.then_some(t), "{raw:?}");
    if let Some(u) = &got {
        assert_eq!(Username::parse(u.as_str()).as_ref(), Ok(u));
        assert_eq!(u.key(), Username::key_of(raw));
    }
    got
}

fn password(pw: &str, context: &[&str]) {
    let policy = PasswordPolicy::default();
    let chars = pw.chars().count();
    match policy.check(&PlainPassword::new(pw), context) {
        Ok(()) => {
            assert!((policy.min_chars..=policy.max_chars).contains(&chars));
            assert!(pw.len() <= policy.max_input_bytes());
        }
        Err(PasswordError::TooShort { .. }) => assert!(chars < policy.min_chars),
        Err(PasswordError::TooLong { .. }) => assert!(chars > policy.max_chars),
        Err(PasswordError::TooCommon) => assert!((policy.min_chars..=policy.max_chars).contains(&chars)),
    }
}

fn max_uses(raw: Option<i64>) {
    match parse_max_uses(raw) {
        Ok(None) => assert!(raw.is_none()),
        Ok(Some(n)) => assert!((1..=1000).contains(&n) && Some(i64::from(n)) == raw),
        Err(_) => assert!(raw.is_some_and(|n| !(1..=1000).contains(&n))),
    }
}

/// An RFC 3339 instant: formats and parses back; what `iso` shows reads back too.
fn instant(field: &'static str, raw: &str) -> Option<OffsetDateTime> {
    match parse_instant(field, raw) {
        Err(e) => {
            assert_eq!(
                (e.status, e.code, e.field.as_deref()),
                (StatusCode::BAD_REQUEST, "validation_failed", Some(field))
            );
            None
        }
        Ok(t) => {
            assert_eq!(t.offset(), UtcOffset::UTC, "{raw:?} was not made UTC");
            let text = t.format(&Rfc3339).expect("a parsed instant formats");
            assert_eq!(
                OffsetDateTime::parse(&text, &Rfc3339).ok(),
                Some(t),
                "{raw:?} -> {text}"
            );
            let shown = iso(t);
            if (1..=9999).contains(&t.year()) {
                let back = OffsetDateTime::parse(&shown, &Rfc3339).expect("iso is RFC 3339");
                let ms = t
                    .replace_nanosecond(t.nanosecond() / 1_000_000 * 1_000_000)
                    .expect("valid");
                assert_eq!(back, ms, "{raw:?} shown as {shown}");
            }
            Some(t)
        }
    }
}

fn window(starts: OffsetDateTime, expires: OffsetDateTime) {
    if GuestLinkPolicy::default().check_window(starts, expires).is_ok() {
        assert!(expires > starts && expires - starts <= Duration::days(90));
    }
}
