//! What is sealed, and with which associated data, so each sealed value is bound to
//! exactly one row and owner.

use latchkey_domain::{RingAccountId, UserId};
use latchkey_ports::Secret;
use sha2::{Digest, Sha256};

pub(super) fn token_aad(account: RingAccountId, owner: UserId) -> Vec<u8> {
    format!("latchkey:ring-token:{account}:{owner}").into_bytes()
}

pub(super) fn credentials_aad(owner: UserId, hardware_id: &str) -> Vec<u8> {
    format!("latchkey:ring-credentials:{owner}:{hardware_id}").into_bytes()
}

/// `len(email) as u32 BE ‖ email ‖ password`: unambiguous whatever the password holds.
pub(super) fn encode_credentials(email: &str, password: &Secret) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + email.len() + password.expose().len());
    out.extend_from_slice(&(email.len() as u32).to_be_bytes());
    out.extend_from_slice(email.as_bytes());
    out.extend_from_slice(password.expose().as_bytes());
    out
}

pub(super) fn decode_credentials(bytes: &[u8]) -> Option<(String, Secret)> {
    let (len, rest) = bytes.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    if rest.len() < len {
        return None;
    }
    let (email, password) = rest.split_at(len);
    Some((
        String::from_utf8(email.to_vec()).ok()?,
        Secret::new(String::from_utf8(password.to_vec()).ok()?),
    ))
}

/// Code requests are counted per Ring login, identified without storing the email.
pub(super) fn email_hash(email: &str) -> String {
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// A stable, header-safe id for a new linked account, in the UUID shape Ring's apps use.
pub(super) fn new_hardware_id(random_token: &str) -> String {
    let h = hex::encode(Sha256::digest(random_token.as_bytes()));
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_round_trip_whatever_the_password() {
        for pw in ["", "a\nb", "\u{0}\u{0}", "pässwörd with spaces"] {
            let enc = encode_credentials("a@example.com", &Secret::new(pw));
            let (email, back) = decode_credentials(&enc).unwrap();
            assert_eq!(email, "a@example.com");
            assert_eq!(back.expose(), pw);
        }
        assert!(decode_credentials(&[0, 0, 0, 9, b'x']).is_none());
        assert!(decode_credentials(&[]).is_none());
    }

    #[test]
    fn hardware_ids_look_like_uuids() {
        let id = new_hardware_id("abc");
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, new_hardware_id("abd"));
        assert_eq!(email_hash(" A@x.com "), email_hash("a@x.com"));
    }
}
