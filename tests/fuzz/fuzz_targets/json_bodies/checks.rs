//! What every body and validator must satisfy: the `Json` extractor's contract and
//! each domain validator's, checked for the bodies in `json_bodies.rs`.

use actix_web::ResponseError;
use actix_web::http::StatusCode;
use latchkey_application::guest::MAX_LABEL_CHARS;
use latchkey_domain::guest_link::{parse_label, parse_max_uses};
use latchkey_domain::text::has_forbidden_chars;
use latchkey_domain::{
    AccountLabel, GuestLinkPolicy, PasswordError, PasswordPolicy, PlainPassword, Username,
};
use latchkey_http::ApiError;
use latchkey_http::json;
use latchkey_http::routes::dto::iso;
use latchkey_http::routes::guest_links::dto::parse_instant;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

// ---- the extractor's contract ----

/// Parses `body` as the `Json` extractor does and checks the outcome against the body
/// read as plain JSON. `known` are the DTO's wire names; `strict` whether others are
/// refused; `wire` writes the DTO back in its wire form (nulls left out).
pub(crate) fn parse<T: DeserializeOwned>(
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
pub(crate) fn integral(v: Value) -> Value {
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

pub(crate) fn refused(e: &ApiError, known: &[&str], plain: Option<&Value>) {
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

pub(crate) fn fields<const N: usize>(pairs: [(&str, Option<Value>); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)))
        .collect()
}

pub(crate) fn opt<T: serde::Serialize>(v: &Option<T>) -> Option<Value> {
    v.as_ref()
        .map(|v| serde_json::to_value(v).expect("plain values serialise"))
}

// ---- the validators' contracts ----

/// Optional free text: `None` for absent or blank, else trimmed, at most `max`
/// characters, no control or bidi characters; parsing the result again keeps it.
pub(crate) fn text<E: std::fmt::Debug>(
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

pub(crate) fn label(raw: Option<&str>) {
    text(raw, MAX_LABEL_CHARS, |r| parse_label(r, MAX_LABEL_CHARS));
}

pub(crate) fn account_label(raw: &str) {
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

pub(crate) fn username(raw: &str) -> Option<Username> {
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

pub(crate) fn password(pw: &str, context: &[&str]) {
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

pub(crate) fn max_uses(raw: Option<i64>) {
    match parse_max_uses(raw) {
        Ok(None) => assert!(raw.is_none()),
        Ok(Some(n)) => assert!((1..=1000).contains(&n) && Some(i64::from(n)) == raw),
        Err(_) => assert!(raw.is_some_and(|n| !(1..=1000).contains(&n))),
    }
}

/// An RFC 3339 instant: formats and parses back; what `iso` shows reads back too.
pub(crate) fn instant(field: &'static str, raw: &str) -> Option<OffsetDateTime> {
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

pub(crate) fn window(starts: OffsetDateTime, expires: OffsetDateTime) {
    if GuestLinkPolicy::default().check_window(starts, expires).is_ok() {
        assert!(expires > starts && expires - starts <= Duration::days(90));
    }
}
