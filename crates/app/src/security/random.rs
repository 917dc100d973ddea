//! Randomness from the operating system's CSPRNG.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_domain::PlainPassword;
use latchkey_ports::RandomSource;

#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

/// Fills `buf` from the OS. A machine that cannot produce randomness must not hand out
/// door access or sessions, so this stops the process rather than continue weakly.
pub fn fill(buf: &mut [u8]) {
    if let Err(e) = getrandom::fill(buf) {
        tracing::error!(error = %e, "the operating system's random generator failed; stopping");
        std::process::abort();
    }
}

/// Lowercase letters and digits without look-alikes (no l/1, o/0).
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

impl RandomSource for OsRandom {
    fn token(&self) -> String {
        let mut bytes = [0u8; 32];
        fill(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Four groups of five from a 32-symbol alphabet: 100 bits, easy to read aloud.
    fn temporary_password(&self) -> PlainPassword {
        let mut bytes = [0u8; 20];
        fill(&mut bytes);
        let chars: Vec<char> = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(b % 32)] as char)
            .collect();
        let groups: Vec<String> = chars.chunks(5).map(|c| c.iter().collect()).collect();
        PlainPassword::new(groups.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use latchkey_domain::PasswordPolicy;

    use super::*;

    #[test]
    fn tokens_are_256_bit_and_unique() {
        let set: HashSet<String> = (0..10_000).map(|_| OsRandom.token()).collect();
        assert_eq!(set.len(), 10_000);
        assert!(set.iter().all(|t| t.len() == 43));
    }

    #[test]
    fn temporary_passwords_pass_the_policy() {
        for _ in 0..50 {
            let p = OsRandom.temporary_password();
            assert_eq!(p.expose().len(), 23);
            PasswordPolicy::default().check(&p, &["someone"]).unwrap();
        }
    }
}
