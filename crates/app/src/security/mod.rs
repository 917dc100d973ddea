//! Adapters for the security ports: argon2id hashing, the OS random source, the system
//! clock, and the server secret.

pub mod clock;
mod hash_pool;
pub mod hasher;
pub mod random;
pub mod secret_box;
pub mod server_secret;

pub use clock::SystemClock;
pub use hasher::Argon2Hasher;
pub use random::OsRandom;
pub use secret_box::AesGcmSecretBox;
