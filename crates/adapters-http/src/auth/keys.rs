//! Keys derived from the server secret, one per purpose, so a leak of one use cannot
//! be replayed in another.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct ServerKeys {
    pub(crate) jwt: [u8; 32],
    pub(crate) csrf: [u8; 32],
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKeys(<redacted>)")
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail; an empty MAC would only
    // make every later comparison fail closed.
    match <HmacSha256 as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

impl ServerKeys {
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            jwt: hmac(secret, b"latchkey/session-jwt/v1"),
            csrf: hmac(secret, b"latchkey/csrf/v1"),
        }
    }
}
