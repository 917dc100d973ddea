//! argon2id password hashing, off the async executor and bounded.
//!
//! Each hash holds ~19 MiB for ~25–40 ms of CPU. Hashes run on a [`HashPool`] of
//! `cores` threads that reuse their memory between hashes (see `hash_pool.rs` for why),
//! so a login flood queues instead of spawning, RSS stays within `cores × 19 MiB` for
//! hashing (freed again after 5 s without a hash), and other requests stay fast.

use std::sync::Arc;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash as Phc, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use latchkey_domain::PlainPassword;
use latchkey_ports::{HashError, PasswordHash, PasswordHasher};
use zeroize::Zeroizing;

use super::hash_pool::{HashPool, PoolError, blocks};

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;
const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

#[derive(Debug, Clone)]
pub struct Argon2Hasher {
    params: Params,
    pool: HashPool,
    dummy: Arc<String>,
}

impl Argon2Hasher {
    /// `concurrency` hashes may run at once (normally the number of cores).
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_LEN))
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let pool = HashPool::start(concurrency).map_err(|e| HashError::Failed(e.to_string()))?;
        // The dummy hash only has to parse and cost one verification: a random password
        // under the real parameters, computed without filling the memory (nobody can
        // know its password, so its output never matters).
        let mut salt = [0u8; SALT_LEN];
        super::random::fill(&mut salt);
        let mut output = [0u8; OUTPUT_LEN];
        super::random::fill(&mut output);
        let dummy = phc(&params, &salt, &output)?;
        Ok(Self {
            params,
            pool,
            dummy: Arc::new(dummy),
        })
    }

    async fn on_pool<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        self.pool.run(f).await.map_err(|e| match e {
            PoolError::Saturated => HashError::Busy,
            PoolError::Closed => HashError::Failed("hasher closed".into()),
        })?
    }
}

fn failed(e: impl std::fmt::Display) -> HashError {
    HashError::Failed(e.to_string())
}

/// Encodes a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
fn phc(params: &Params, salt: &[u8], output: &[u8]) -> Result<String, HashError> {
    Ok(Phc {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(failed)?,
        salt: Some(Salt::new(salt).map_err(failed)?),
        hash: Some(Output::new(output).map_err(failed)?),
    }
    .to_string())
}

/// Hashes `password` with a fresh salt into `memory`.
fn hash_with(memory: &mut Vec<Block>, params: &Params, password: &[u8]) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_LEN];
    super::random::fill(&mut salt);
    let mut output = Zeroizing::new([0u8; OUTPUT_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(
            password,
            &salt,
            output.as_mut_slice(),
            blocks(memory, params.block_count()),
        )
        .map_err(failed)?;
    phc(params, &salt, output.as_slice())
}

/// Verifies `password` against the PHC string `hash` (whatever parameters it was made
/// with), computing into `memory`; the comparison is constant-time (`Output`'s `==`).
fn verify_with(memory: &mut Vec<Block>, password: &[u8], hash: &str) -> Result<bool, HashError> {
    let parsed = Phc::new(hash).map_err(|_| HashError::Malformed)?;
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return Err(HashError::Malformed);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).map_err(|_| HashError::Malformed)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|_| HashError::Malformed)?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|_| HashError::Malformed)?;
    let mut output = Zeroizing::new(vec![0u8; expected.len()]);
    Argon2::new(algorithm, version, params.clone())
        .hash_password_into_with_memory(
            password,
            salt.as_ref(),
            output.as_mut_slice(),
            blocks(memory, params.block_count()),
        )
        .map_err(failed)?;
    let computed = Output::new(output.as_slice()).map_err(|_| HashError::Malformed)?;
    Ok(computed == *expected)
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &PlainPassword) -> Result<PasswordHash, HashError> {
        let (params, pw) = (
            self.params.clone(),
            Zeroizing::new(password.expose().as_bytes().to_vec()),
        );
        self.on_pool(move |memory| hash_with(memory, &params, &pw))
            .await
            .map(PasswordHash)
    }

    async fn verify(&self, password: &PlainPassword, hash: &PasswordHash) -> Result<bool, HashError> {
        let (pw, hash) = (
            Zeroizing::new(password.expose().as_bytes().to_vec()),
            hash.0.clone(),
        );
        self.on_pool(move |memory| verify_with(memory, &pw, &hash)).await
    }

    async fn verify_dummy(&self, password: &PlainPassword) {
        let (pw, hash) = (
            Zeroizing::new(password.expose().as_bytes().to_vec()),
            self.dummy.clone(),
        );
        // The outcome is irrelevant: only the time spent matters.
        let _ = self.on_pool(move |memory| verify_with(memory, &pw, &hash)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_owasp_parameters_and_verifies() {
        let h = Argon2Hasher::new(2).unwrap();
        let pw = PlainPassword::new("brisk-walnut-harbor-71");
        let hash = h.hash(&pw).await.unwrap();
        assert!(
            hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.0
        );
        assert!(h.verify(&pw, &hash).await.unwrap());
        assert!(
            !h.verify(&PlainPassword::new("brisk-walnut-harbor-72"), &hash)
                .await
                .unwrap()
        );
        assert_eq!(
            h.verify(&pw, &PasswordHash("not a hash".into())).await,
            Err(HashError::Malformed)
        );
        h.verify_dummy(&pw).await;
    }

    /// Hashes made elsewhere (the argon2 crate's own encoder, other parameters) still
    /// verify: the stored string's parameters win, the pool's buffer is resized for them.
    #[tokio::test]
    async fn verifies_hashes_made_by_the_argon2_crate_with_other_parameters() {
        use argon2::PasswordHasher as _;
        let h = Argon2Hasher::new(1).unwrap();
        let other = Params::new(8_192, 3, 1, None).unwrap();
        let foreign = Argon2::new(Algorithm::Argon2id, Version::V0x13, other)
            .hash_password_with_salt(b"brisk-walnut-harbor-71", b"0123456789abcdef")
            .unwrap()
            .to_string();
        let stored = PasswordHash(foreign);
        assert!(
            h.verify(&PlainPassword::new("brisk-walnut-harbor-71"), &stored)
                .await
                .unwrap()
        );
        assert!(
            !h.verify(&PlainPassword::new("brisk-walnut-harbor-7"), &stored)
                .await
                .unwrap()
        );
        // And our own hashes verify with the argon2 crate's verifier.
        use argon2::PasswordVerifier as _;
        let ours = h
            .hash(&PlainPassword::new("brisk-walnut-harbor-71"))
            .await
            .unwrap();
        Argon2::default()
            .verify_password(b"brisk-walnut-harbor-71", ours.0.as_str())
            .unwrap();
    }

    #[tokio::test]
    async fn a_hash_without_salt_or_output_is_malformed() {
        let h = Argon2Hasher::new(1).unwrap();
        let pw = PlainPassword::new("brisk-walnut-harbor-71");
        for bad in [
            "$argon2id$v=19$m=19456,t=2,p=1",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
            "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        ] {
            assert_eq!(
                h.verify(&pw, &PasswordHash(bad.into())).await,
                Err(HashError::Malformed),
                "{bad}"
            );
        }
    }
}
