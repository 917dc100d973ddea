//! The session token: `auth::token::verify` and `issue` (HS256 JWT under the key
//! `ServerKeys` derives), and the `Authorization: Bearer` parsing in front of them.
//!
//! Input: a token (UTF-8); it is also used as a session id to issue a token.
//!
//! Properties: a token that verifies is exactly the token we would issue for its
//! claims, byte for byte (no forgery, no malleable encoding), names the session id in
//! its claims, is at most 1 KiB and does not verify under another server secret; a
//! token we issue is URL- and cookie-safe, verifies to the same session id (while it
//! is at most 1 KiB and unexpired), and fails once expired, under another secret, or
//! with any one character changed; `Bearer` is matched without regard to case, needs
//! a space after it, and the token is the trimmed rest of the header.
#![no_main]

use actix_web::http::header::{AUTHORIZATION, HeaderValue};
use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_application::{LoginSuccess, SessionSecret};
use latchkey_domain::{LockState, PersonName, Role, Session, Structure, User, UserId, Username};
use latchkey_http::auth::{ServerKeys, token};
use latchkey_http::fuzzing;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use time::OffsetDateTime;

/// The server secret of the seed corpus's tokens (tests/fuzz/corpus/session_token).
const SECRET: &[u8] = b"latchkey fuzzing secret";
const MAX_TOKEN_LEN: usize = 1024;
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

/// The claims as the token carries them.
#[derive(Debug, Deserialize)]
struct Claims {
    sid: String,
    sub: String,
    iat: i64,
    exp: i64,
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let keys = ServerKeys::derive(SECRET);
    verifies_only_what_we_issue(&keys, text);
    bearer(&keys, text);
    issued(&keys, text, data);
});

fn verifies_only_what_we_issue(keys: &ServerKeys, text: &str) {
    let Some(secret) = token::verify(keys, text) else {
        return;
    };
    assert!(text.len() <= MAX_TOKEN_LEN);
    let payload = text.split('.').nth(1).expect("a verified token has a payload");
    let json = URL_SAFE_NO_PAD.decode(payload).expect("canonical base64url");
    let claims: Claims = serde_json::from_slice(&json).expect("our claims");
    assert_eq!(secret.expose(), claims.sid);
    let user_id: i64 = claims.sub.parse().expect("sub is a user id");
    let at = |t| OffsetDateTime::from_unix_timestamp(t).expect("a time we issued");
    let again = token::issue(keys, &login(&claims.sid, user_id, at(claims.iat), at(claims.exp)))
        .expect("signing cannot fail");
    assert_eq!(
        again, text,
        "a token that verifies must be one we issued, byte for byte"
    );
    assert!(token::verify(&ServerKeys::derive(b"another secret"), text).is_none());
}

fn bearer(keys: &ServerKeys, text: &str) {
    // One scheme spelling and one near miss per input (a request is costly to build).
    let pick = text.len();
    let scheme = ["Bearer", "bearer", "BEARER", "bEaReR"][pick % 4];
    if let Ok(value) = HeaderValue::from_str(&format!("{scheme} {text}")) {
        let got = fuzzing::bearer(&request(value.clone()));
        // Only visible ASCII is read at all; then the token is the trimmed rest.
        let expected = value.to_str().ok().map(|_| text.trim().to_owned());
        assert_eq!(got, expected);
        if let Some(raw) = got {
            assert_eq!(
                token::verify(keys, &raw).is_some(),
                token::verify(keys, text.trim()).is_some()
            );
        }
    }
    // Another scheme, or no space after the scheme (RFC 9110 §11.4): no token.
    let (other, allowed) = [
        (format!("Basic {text}"), false),
        (format!("Bearer\t{text}"), false),
        (format!("Bearer{text}"), text.starts_with(' ')),
    ][pick % 3]
        .clone();
    if let Ok(value) = HeaderValue::from_str(&other) {
        let got = fuzzing::bearer(&request(value));
        assert!(got.is_none() || allowed, "{other:?} -> {got:?}");
    }
}

fn request(authorization: HeaderValue) -> actix_web::HttpRequest {
    TestRequest::default()
        .insert_header((AUTHORIZATION, authorization))
        .to_http_request()
}

fn issued(keys: &ServerKeys, sid: &str, data: &[u8]) {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let user_id = i64::from_le_bytes(std::array::from_fn(|i| byte(i)));
    let now = OffsetDateTime::now_utc();
    // Anything from about 9 hours ago to 9 hours ahead, never within 2 s of now.
    let delta = i64::from(i16::from_le_bytes([byte(8), byte(9)]));
    let delta = if delta.abs() <= 2 { 3600 } else { delta };
    let exp = now + time::Duration::seconds(delta);
    let t = token::issue(keys, &login(sid, user_id, now, exp)).expect("signing cannot fail");
    assert!(
        t.bytes().all(|b| ALPHABET.contains(&b)),
        "not URL/cookie-safe: {t}"
    );
    assert_eq!(t.split('.').count(), 3);
    let got = token::verify(keys, &t);
    if t.len() <= MAX_TOKEN_LEN && delta > 0 {
        assert_eq!(
            got.as_ref().map(SessionSecret::expose),
            Some(sid),
            "our own token was refused"
        );
    } else {
        assert!(got.is_none(), "an expired or oversized token verified");
    }
    assert!(token::verify(&ServerKeys::derive(b"another secret"), &t).is_none());
    // Any one character changed: refused.
    let at = usize::from(u16::from_le_bytes([byte(10), byte(11)])) % t.len();
    let mut changed = t.clone().into_bytes();
    let with = ALPHABET[usize::from(byte(12)) % ALPHABET.len()];
    if changed[at] != with {
        changed[at] = with;
        let changed = String::from_utf8(changed).expect("ASCII");
        assert!(
            token::verify(keys, &changed).is_none(),
            "{t} changed at {at} to {changed} verified"
        );
    }
}

fn login(sid: &str, user_id: i64, iat: OffsetDateTime, exp: OffsetDateTime) -> LoginSuccess {
    LoginSuccess {
        secret: SessionSecret::new(sid),
        session: Session {
            id_hash: String::new(),
            user_id: UserId(user_id),
            created_at: iat,
            last_seen_at: iat,
            expires_at: exp,
        },
        user: User {
            id: UserId(user_id),
            username: Username::parse("fuzzer").expect("a valid name"),
            role: Role::User,
            first_name: PersonName::default(),
            last_name: PersonName::default(),
            structure: Structure::default(),
            disabled: false,
            must_change_password: false,
            lock: LockState::default(),
            created_at: iat,
            updated_at: iat,
        },
    }
}
