//! CSRF protection for cookie-authenticated requests: a signed double-submit pair.
//!
//! `GET /api/auth/csrf` sets an HttpOnly cookie holding a random nonce and returns
//! `csrfToken = HMAC(csrf key, nonce)` (also set as a readable cookie for SPAs). A
//! mutating request that authenticates with the session cookie must echo the token in
//! `X-CSRF-Token`; a cross-site page can neither read the token nor forge the HMAC.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use super::ServerKeys;
use super::keys::hmac;

pub const HEADER: &str = "x-csrf-token";

/// A new (nonce, token) pair from 32 random bytes.
pub fn issue(keys: &ServerKeys, random: &[u8; 32]) -> (String, String) {
    let nonce = URL_SAFE_NO_PAD.encode(random);
    let token = token_for(keys, &nonce);
    (nonce, token)
}

pub(crate) fn token_for(keys: &ServerKeys, nonce: &str) -> String {
    URL_SAFE_NO_PAD.encode(hmac(&keys.csrf, nonce.as_bytes()))
}

/// Whether `token` belongs to `nonce`, compared in constant time.
pub fn verify(keys: &ServerKeys, nonce: Option<&str>, token: Option<&str>) -> bool {
    let (Some(nonce), Some(token)) = (nonce, token) else {
        return false;
    };
    if nonce.is_empty() || nonce.len() > 128 || token.len() > 128 {
        return false;
    }
    let expected = token_for(keys, nonce);
    expected.as_bytes().ct_eq(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_verifies_and_nothing_else_does() {
        let keys = ServerKeys::derive(b"s");
        let (nonce, token) = issue(&keys, &[7; 32]);
        assert!(verify(&keys, Some(&nonce), Some(&token)));
        assert!(!verify(&keys, Some(&nonce), Some("forged")));
        assert!(!verify(&keys, Some(&nonce), None));
        assert!(!verify(&keys, None, Some(&token)));
        let (other_nonce, _) = issue(&keys, &[8; 32]);
        assert!(!verify(&keys, Some(&other_nonce), Some(&token)));
        assert!(!verify(&ServerKeys::derive(b"t"), Some(&nonce), Some(&token)));
    }
}
