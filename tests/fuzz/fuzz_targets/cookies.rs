//! Cookies: reading `Cookie` headers the way the extractors do (`HttpRequest::cookie`
//! with our cookie names) and the cookies `CookieNames` sets.
//!
//! Input: every line is one `Cookie` header line; each line (as text) is also used as
//! a value to set, and the first 32 bytes seed a CSRF pair.
//!
//! Properties: reading never panics; a cookie found has exactly the name asked for and
//! no attributes, and is the first one of that name (a cookie added later, as a sibling
//! site could, never displaces it); a `Set-Cookie` we send carries `Path=/`, `HttpOnly`
//! (except the readable CSRF token), `SameSite=Lax`, `Secure` exactly over TLS and a
//! non-negative `Max-Age`, and any value made of RFC 6265 cookie-octets comes back
//! unchanged when the browser echoes it (all our values are base64url and dots: the
//! session_token target checks the JWT, this one the CSRF pair); an echoed CSRF pair
//! verifies. Other values are only required not to panic: `CookieNames` writes values
//! as given, so one with `;` would carry attributes of its own.
#![no_main]

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::HeaderValue;
use actix_web::test::TestRequest;
use latchkey_http::auth::ServerKeys;
use latchkey_http::auth::cookies::CookieNames;
use latchkey_http::auth::csrf;
use libfuzzer_sys::fuzz_target;

/// Lines tried as values to set: a request per value is costly to build.
const MAX_VALUES: usize = 3;

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let headers: Vec<HeaderValue> = lines
        .iter()
        .filter_map(|l| HeaderValue::from_bytes(l).ok())
        .collect();
    let all = [CookieNames::new(false), CookieNames::new(true)];
    read(&all, &headers);
    for names in &all {
        for line in lines.iter().take(MAX_VALUES) {
            if let Ok(value) = std::str::from_utf8(line) {
                let max_age = i64::try_from(line.len()).unwrap_or(0) * 997 - 5000;
                set_then_echo(names, value, max_age);
            }
        }
        let secure = is_secure(names);
        let back = round_trip(&names.clear_session(), secure, true);
        assert!(
            back.is_none_or(|v| v.is_empty()),
            "a cleared session still has a value"
        );
        csrf_pair(names, data);
    }
});

fn is_secure(names: &CookieNames) -> bool {
    names.session.starts_with("__Host-")
}

fn request(headers: &[HeaderValue]) -> HttpRequest {
    let mut req = TestRequest::default();
    for h in headers {
        req = req.append_header(("cookie", h.clone()));
    }
    req.to_http_request()
}

fn read(all: &[CookieNames], headers: &[HeaderValue]) {
    let req = request(headers);
    // Every name of ours once more, arriving later in its own header line (as a sibling
    // site could set it): it never displaces the first.
    let names: Vec<&str> = all
        .iter()
        .flat_map(|n| [n.session, n.csrf_secret, n.csrf_token])
        .collect();
    let injected: Vec<String> = names.iter().map(|n| format!("{n}=injected")).collect();
    let mut more = headers.to_vec();
    more.push(HeaderValue::from_str(&injected.join("; ")).expect("plain ASCII"));
    let later_req = request(&more);
    let readable = req.cookies().is_ok();
    for name in names {
        let found = req.cookie(name);
        if let Some(c) = &found {
            assert_eq!(c.name(), name);
            assert!(c.path().is_none() && c.domain().is_none() && c.http_only().is_none());
            assert!(c.secure().is_none() && c.same_site().is_none() && c.max_age().is_none());
            let first = req
                .cookies()
                .ok()
                .and_then(|all| all.iter().find(|c| c.name() == name).cloned());
            assert_eq!(first.as_ref().map(Cookie::value), Some(c.value()));
        }
        let later = later_req.cookie(name);
        match &found {
            Some(c) => assert_eq!(later.as_ref().map(Cookie::value), Some(c.value())),
            None if readable => assert_eq!(later.as_ref().map(Cookie::value), Some("injected")),
            // An unreadable (not UTF-8) line hides every cookie, fail-closed.
            None => assert!(later.is_none()),
        }
    }
}

/// RFC 6265 `cookie-octet`, minus `%` (actix percent-decodes what it reads but does not
/// encode what it sets).
fn cookie_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E) && b != b'%')
}

/// Sends `cookie` as our `Set-Cookie`, parses it as a browser would and echoes it back.
fn round_trip(cookie: &Cookie<'static>, secure: bool, http_only: bool) -> Option<String> {
    let header = cookie.to_string();
    let parsed = Cookie::parse(header.clone()).expect("our Set-Cookie parses");
    assert_eq!(parsed.name(), cookie.name(), "{header}");
    assert_eq!(parsed.path(), Some("/"), "{header}");
    assert_eq!(parsed.http_only(), http_only.then_some(true), "{header}");
    assert_eq!(parsed.secure(), secure.then_some(true), "{header}");
    assert_eq!(parsed.same_site(), Some(SameSite::Lax), "{header}");
    assert!(parsed.max_age().is_none_or(|a| !a.is_negative()), "{header}");
    let echo = format!("{}={}", parsed.name(), parsed.value());
    let req = request(&[HeaderValue::from_str(&echo).ok()?]);
    req.cookie(cookie.name()).map(|c| c.value().to_owned())
}

fn set_then_echo(names: &CookieNames, value: &str, max_age: i64) {
    let cookie = names.session(value.to_owned(), max_age);
    if cookie_safe(value) && !value.is_empty() {
        let back = round_trip(&cookie, is_secure(names), true);
        assert_eq!(
            back.as_deref(),
            Some(value),
            "session cookie value changed in transit"
        );
    } else {
        // Not a value we ever set (`x; Domain=evil` would add attributes: the cookie
        // crate writes values as given); only "no panic" holds.
        let _ = Cookie::parse(cookie.to_string());
    }
}

fn csrf_pair(names: &CookieNames, data: &[u8]) {
    let mut random = [0u8; 32];
    let n = data.len().min(32);
    random[..n].copy_from_slice(&data[..n]);
    let keys = ServerKeys::derive(b"fuzz secret");
    let (nonce, token) = csrf::issue(&keys, &random);
    assert!(cookie_safe(&nonce) && cookie_safe(&token));
    let secure = is_secure(names);
    let [secret_cookie, token_cookie] = names.csrf_pair(nonce.clone(), token.clone());
    assert_eq!(
        round_trip(&secret_cookie, secure, true).as_deref(),
        Some(nonce.as_str())
    );
    assert_eq!(
        round_trip(&token_cookie, secure, false).as_deref(),
        Some(token.as_str())
    );
    // Both cookies echoed in one header, the token in X-CSRF-Token: the check passes.
    let req = TestRequest::default()
        .insert_header((
            "cookie",
            format!("{}={nonce}; {}={token}", names.csrf_secret, names.csrf_token),
        ))
        .insert_header((csrf::HEADER, token.clone()))
        .to_http_request();
    let read_nonce = req.cookie(names.csrf_secret);
    let sent = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok());
    assert!(csrf::verify(&keys, read_nonce.as_ref().map(Cookie::value), sent));
}
