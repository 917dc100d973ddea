//! The [`RefreshTokenSink`] of a gateway session: rotated tokens go to the application's
//! [`RingTokenVault`], which seals and commits them before the session uses them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use latchkey_domain::RingAccount;
use latchkey_ports::{RingTokenVault, Secret};

use crate::secret::RingSecret;
use crate::sink::{PersistError, RefreshTokenSink};

pub(super) struct VaultSink {
    vault: Arc<dyn RingTokenVault>,
    account: RingAccount,
    /// The newest token known to be in the vault (loaded, or stored by us). When Ring refuses
    /// the link, this is the dead token, so the gateway can recognise it if it is loaded again.
    latest: Mutex<RingSecret>,
    /// Set when the account was forgotten (relinked or deleted): a session still in flight
    /// must not overwrite the new token with a rotation of the old one.
    retired: AtomicBool,
}

impl VaultSink {
    pub(super) fn new(vault: Arc<dyn RingTokenVault>, account: RingAccount, loaded: RingSecret) -> Self {
        Self {
            vault,
            account,
            latest: Mutex::new(loaded),
            retired: AtomicBool::new(false),
        }
    }

    pub(super) fn latest(&self) -> RingSecret {
        self.latest.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(super) fn retire(&self) {
        self.retired.store(true, Ordering::SeqCst);
    }
}

#[async_trait]
impl RefreshTokenSink for VaultSink {
    async fn persist(&self, new_refresh_token: &RingSecret) -> Result<(), PersistError> {
        if self.retired.load(Ordering::SeqCst) {
            return Err(PersistError::new(
                "the Ring account was relinked or removed; not storing a token of its old link",
            ));
        }
        let token = Secret::new(new_refresh_token.expose());
        self.vault
            .store_token(&self.account, &token)
            .await
            .map_err(|error| PersistError::new(format!("token vault: {error}")))?;
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) = new_refresh_token.clone();
        Ok(())
    }
}
