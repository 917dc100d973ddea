//! The CSRF check: `auth::csrf::verify` of the nonce cookie against the
//! `X-CSRF-Token` header, and `issue`.
//!
//! Input: the nonce, a newline, the token; the first 32 bytes also seed an issued pair.
//!
//! Properties: `verify` agrees exactly with "both present, nonce non-empty, both at most
//! 128 bytes, and the token is the HMAC of the nonce under this server's CSRF key"
//! (a plain comparison against the constant-time one); a missing half never passes; a
//! pass never carries over to another server secret; an issued pair is base64url
//! (43 characters each), its nonce encodes the random bytes, it verifies, and any one
//! character changed in either half fails; read from a request (cookie and header) the
//! outcome is the same as calling `verify` directly.
#![no_main]

use actix_web::cookie::Cookie;
use actix_web::http::header::HeaderValue;
use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_http::auth::cookies::CookieNames;
use latchkey_http::auth::{ServerKeys, csrf};
use latchkey_http::fuzzing;
use libfuzzer_sys::fuzz_target;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fuzz_target!(|data: &[u8]| {
    let keys = ServerKeys::derive(b"latchkey fuzzing secret");
    let other = ServerKeys::derive(b"another secret");
    let (nonce, token) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    if let (Ok(nonce), Ok(token)) = (std::str::from_utf8(nonce), std::str::from_utf8(token)) {
        arbitrary_pair(&keys, &other, nonce, token);
        from_request(&keys, nonce, token);
    }
    issued(&keys, &other, data);
});

fn arbitrary_pair(keys: &ServerKeys, other: &ServerKeys, nonce: &str, token: &str) {
    let got = csrf::verify(keys, Some(nonce), Some(token));
    let expected = !nonce.is_empty()
        && nonce.len() <= 128
        && token.len() <= 128
        && token == fuzzing::csrf_token_for(keys, nonce);
    assert_eq!(got, expected, "nonce {nonce:?} token {token:?}");
    assert!(!csrf::verify(keys, None, Some(token)));
    assert!(!csrf::verify(keys, Some(nonce), None));
    assert!(!csrf::verify(keys, None, None));
    if got {
        assert!(!csrf::verify(other, Some(nonce), Some(token)));
    }
}

/// The nonce from the cookie and the token from the header, as `check_csrf` reads them.
fn from_request(keys: &ServerKeys, nonce: &str, token: &str) {
    let names = CookieNames::new(true);
    let (Ok(cookie), Ok(header)) = (
        HeaderValue::from_str(&format!("{}={nonce}", names.csrf_secret)),
        HeaderValue::from_str(token),
    ) else {
        return;
    };
    let req = TestRequest::default()
        .insert_header(("cookie", cookie))
        .insert_header((csrf::HEADER, header))
        .to_http_request();
    let read_nonce = req.cookie(names.csrf_secret);
    let sent = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok());
    let got = csrf::verify(keys, read_nonce.as_ref().map(Cookie::value), sent);
    // Values a browser can carry unchanged (base64url, like everything we issue).
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| ALPHABET.contains(&b));
    if plain(nonce) && plain(token) {
        assert_eq!(got, csrf::verify(keys, Some(nonce), Some(token)));
    } else if got {
        // Whatever the cookie parser made of it, it is a pair that verifies.
        let nonce = read_nonce.expect("verified with a nonce");
        assert_eq!(sent, Some(fuzzing::csrf_token_for(keys, nonce.value()).as_str()));
    }
}

fn issued(keys: &ServerKeys, other: &ServerKeys, data: &[u8]) {
    let mut random = [0u8; 32];
    let n = data.len().min(32);
    random[..n].copy_from_slice(&data[..n]);
    let (nonce, token) = csrf::issue(keys, &random);
    assert_eq!(URL_SAFE_NO_PAD.decode(&nonce).ok().as_deref(), Some(&random[..]));
    for part in [&nonce, &token] {
        assert_eq!(part.len(), 43);
        assert!(part.bytes().all(|b| ALPHABET.contains(&b)));
    }
    assert!(csrf::verify(keys, Some(&nonce), Some(&token)));
    assert!(!csrf::verify(other, Some(&nonce), Some(&token)));
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let at = usize::from(byte(32)) % 43;
    let with = ALPHABET[usize::from(byte(33)) % ALPHABET.len()];
    for (i, part) in [&nonce, &token].into_iter().enumerate() {
        let mut changed = part.clone().into_bytes();
        if changed[at] == with {
            continue;
        }
        changed[at] = with;
        let changed = String::from_utf8(changed).expect("ASCII");
        let ok = if i == 0 {
            csrf::verify(keys, Some(&changed), Some(&token))
        } else {
            csrf::verify(keys, Some(&nonce), Some(&changed))
        };
        assert!(!ok, "one character changed in {changed:?} still verified");
    }
}
