//! GET /api/ready: can we reach the database?

use std::sync::Arc;

use latchkey_ports::StoreHealth;

use crate::AppError;

#[derive(Clone)]
pub struct Readiness {
    store: Arc<dyn StoreHealth>,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Readiness")
    }
}

impl Readiness {
    pub fn new(store: Arc<dyn StoreHealth>) -> Self {
        Self { store }
    }

    pub async fn check(&self) -> Result<(), AppError> {
        self.store.ping().await.map_err(|_| AppError::Unavailable)
    }
}
