//! argon2id password hashing, off the async executor and bounded.
//!
//! Each hash holds ~19 MiB for ~40 ms of CPU. Unbounded, a login flood spawns hundreds
//! of blocking threads (PERFORMANCE.md measured 8.75 GiB RSS); with a semaphore of
//! `cores` permits the flood queues instead, and other requests stay fast.

use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use latchkey_domain::PlainPassword;
use latchkey_ports::{HashError, PasswordHash, PasswordHasher};
use tokio::sync::Semaphore;

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Debug, Clone)]
pub struct Argon2Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl Argon2Hasher {
    /// `concurrency` hashes may run at once (normally the number of cores).
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let mut seed = [0u8; 32];
        super::random::fill(&mut seed);
        let dummy = argon(&params)
            .hash_password(&seed)
            .map_err(|e| HashError::Failed(e.to_string()))?
            .to_string();
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: Arc::new(dummy),
        })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Failed("hasher closed".into()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| HashError::Failed(e.to_string()))
    }

    fn verify_blocking(params: &Params, password: &[u8], hash: &str) -> Result<bool, HashError> {
        let parsed = Phc::new(hash).map_err(|_| HashError::Malformed)?;
        match argon(params).verify_password(password, &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(HashError::Failed(e.to_string())),
        }
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &PlainPassword) -> Result<PasswordHash, HashError> {
        let (params, pw) = (self.params.clone(), password.expose().as_bytes().to_vec());
        let phc = self
            .blocking(move || argon(&params).hash_password(&pw).map(|h| h.to_string()))
            .await?;
        phc.map(PasswordHash)
            .map_err(|e| HashError::Failed(e.to_string()))
    }

    async fn verify(&self, password: &PlainPassword, hash: &PasswordHash) -> Result<bool, HashError> {
        let (params, pw, hash) = (
            self.params.clone(),
            password.expose().as_bytes().to_vec(),
            hash.0.clone(),
        );
        self.blocking(move || Self::verify_blocking(&params, &pw, &hash))
            .await?
    }

    async fn verify_dummy(&self, password: &PlainPassword) {
        let (params, pw, hash) = (
            self.params.clone(),
            password.expose().as_bytes().to_vec(),
            self.dummy.to_string(),
        );
        // The outcome is irrelevant: only the time spent matters.
        let _ = self
            .blocking(move || Self::verify_blocking(&params, &pw, &hash))
            .await;
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
}
