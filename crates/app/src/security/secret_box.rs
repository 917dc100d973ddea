//! AES-256-GCM for secrets at rest (Ring refresh tokens, pending Ring credentials).
//!
//! Sealed form: `version (1) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. Each seal draws a
//! fresh random nonce (ASVS 11.3.4); the associated data binds a ciphertext to its row
//! and owner, so a sealed token copied to another user's row will not open. The key is
//! derived from the server secret; the version byte leaves room to rotate it.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use hmac::{Hmac, Mac};
use latchkey_ports::{SecretBox, SecretBoxError};
use sha2::Sha256;
use zeroize::Zeroizing;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

pub struct AesGcmSecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for AesGcmSecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AesGcmSecretBox(<key redacted>)")
    }
}

impl AesGcmSecretBox {
    /// Derives the encryption key from the server secret (HMAC-SHA256 with a label).
    pub fn from_server_secret(secret: &[u8]) -> Result<Self, SecretBoxError> {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(secret)
            .map_err(|e| SecretBoxError::Failed(e.to_string()))?;
        mac.update(b"latchkey/secret-box/v1");
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(mac.finalize().into_bytes().into());
        let cipher =
            Aes256Gcm::new_from_slice(key.as_slice()).map_err(|e| SecretBoxError::Failed(e.to_string()))?;
        Ok(Self { cipher })
    }
}

impl SecretBox for AesGcmSecretBox {
    fn seal(&self, plaintext: &[u8], associated_data: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let mut nonce_bytes = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce_bytes).map_err(|e| SecretBoxError::Failed(e.to_string()))?;
        let nonce =
            Nonce::try_from(&nonce_bytes[..]).map_err(|_| SecretBoxError::Failed("nonce length".into()))?;
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: associated_data,
                },
            )
            .map_err(|_| SecretBoxError::Failed("encryption failed".into()))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open(&self, sealed: &[u8], associated_data: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let (&version, rest) = sealed.split_first().ok_or(SecretBoxError::Undecryptable)?;
        if version != VERSION || rest.len() < NONCE_LEN + 16 {
            return Err(SecretBoxError::Undecryptable);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| SecretBoxError::Undecryptable)?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: ciphertext,
                    aad: associated_data,
                },
            )
            .map_err(|_| SecretBoxError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sb(secret: &[u8]) -> AesGcmSecretBox {
        AesGcmSecretBox::from_server_secret(secret).unwrap()
    }

    #[test]
    fn round_trip_with_fresh_nonces() {
        let b = sb(b"server-secret");
        let a = b.seal(b"refresh-token", b"ring-token:1:7").unwrap();
        let c = b.seal(b"refresh-token", b"ring-token:1:7").unwrap();
        assert_ne!(a, c, "every seal uses a new nonce");
        assert_eq!(b.open(&a, b"ring-token:1:7").unwrap(), b"refresh-token");
        assert!(
            !a.windows(13).any(|w| w == b"refresh-token"),
            "no plaintext in the sealed form"
        );
    }

    #[test]
    fn wrong_owner_key_or_tampering_never_opens() {
        let b = sb(b"server-secret");
        let sealed = b.seal(b"refresh-token", b"ring-token:1:7").unwrap();
        assert_eq!(
            b.open(&sealed, b"ring-token:1:8"),
            Err(SecretBoxError::Undecryptable)
        );
        assert_eq!(
            sb(b"other-secret").open(&sealed, b"ring-token:1:7"),
            Err(SecretBoxError::Undecryptable)
        );
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(
            b.open(&tampered, b"ring-token:1:7"),
            Err(SecretBoxError::Undecryptable)
        );
        assert_eq!(b.open(&[], b""), Err(SecretBoxError::Undecryptable));
        assert_eq!(b.open(&[2; 40], b""), Err(SecretBoxError::Undecryptable));
    }
}
