//! The per-account cache of [`RingAccountSession`]s.
//!
//! Each account has its own async mutex, held while the token is loaded from the vault and
//! the session is built (no Ring call happens under it). Concurrent first uses therefore build
//! one session, and that session's own single-flight refresh then makes one refresh grant.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use latchkey_domain::{RingAccount, RingAccountId};
use latchkey_ports::{GatewayError, RingTokenVault};
use tokio::sync::Mutex as AsyncMutex;

use super::errors::invalid_hardware_id;
use super::vault_sink::VaultSink;
use crate::account::RingAccountSession;
use crate::ids::HardwareId;
use crate::secret::RingSecret;
use crate::sink::RefreshTokenSink;

#[derive(Default)]
enum Slot {
    #[default]
    Empty,
    Live {
        session: Arc<RingAccountSession>,
        sink: Arc<VaultSink>,
    },
    /// Ring refused this refresh token for good. The session is dropped, but the token is
    /// remembered so that loading it again costs no Ring call and no second
    /// `mark_needs_relink`; any other token in the vault (a relink) is used normally.
    Refused(RingSecret),
}

type SharedSlot = Arc<AsyncMutex<Slot>>;

#[derive(Default)]
pub(super) struct SessionCache {
    slots: Mutex<HashMap<RingAccountId, SharedSlot>>,
}

impl SessionCache {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<RingAccountId, SharedSlot>> {
        // The map is only ever touched by short, panic-free sections, so poison carries no
        // broken invariant.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn len(&self) -> usize {
        self.map().len()
    }

    /// The account's session: the cached one, or a new one built by `build` from the token in
    /// the vault.
    ///
    /// # Errors
    /// `NotLinked` when the vault holds no token, `NeedsRelink` when it holds the token Ring
    /// refused, or the vault's own error.
    pub(super) async fn session<F>(
        &self,
        account: &RingAccount,
        vault: &Arc<dyn RingTokenVault>,
        build: F,
    ) -> Result<Arc<RingAccountSession>, GatewayError>
    where
        F: FnOnce(HardwareId, RingSecret, Arc<dyn RefreshTokenSink>) -> RingAccountSession,
    {
        let shared = Arc::clone(self.map().entry(account.id).or_default());
        let mut slot = shared.lock().await;
        if let Slot::Live { session, sink } = &*slot {
            if session.hardware_id().as_str() == account.hardware_id {
                return Ok(Arc::clone(session));
            }
            // The hardware id changed, which only a relink does: start over from the vault.
            sink.retire();
            *slot = Slot::Empty;
        }
        let token = vault.load_token(account).await?.ok_or(GatewayError::NotLinked)?;
        let token = RingSecret::new(token.expose());
        if matches!(&*slot, Slot::Refused(refused) if *refused == token) {
            return Err(GatewayError::NeedsRelink);
        }
        let hardware_id = HardwareId::new(account.hardware_id.as_str()).map_err(invalid_hardware_id)?;
        let sink = Arc::new(VaultSink::new(Arc::clone(vault), account.clone(), token.clone()));
        let session = Arc::new(build(hardware_id, token, Arc::clone(&sink) as _));
        *slot = Slot::Live {
            session: Arc::clone(&session),
            sink,
        };
        Ok(session)
    }

    /// Drops `session` after Ring refused its refresh token. Returns the refused token only
    /// for the first report about this session, so the vault is marked once however many
    /// calls saw it.
    pub(super) async fn refused(
        &self,
        account: RingAccountId,
        session: &Arc<RingAccountSession>,
    ) -> Option<RingSecret> {
        let shared = self.map().get(&account).cloned()?;
        let mut slot = shared.lock().await;
        let refused = match &*slot {
            Slot::Live {
                session: cached,
                sink,
            } if Arc::ptr_eq(cached, session) => sink.latest(),
            _ => return None,
        };
        *slot = Slot::Refused(refused.clone());
        Some(refused)
    }

    /// Forgets the account, so the next call loads its token from the vault again. A session
    /// still in flight may finish its call but can no longer store tokens.
    pub(super) async fn forget(&self, account: RingAccountId) {
        let removed = self.map().remove(&account);
        if let Some(shared) = removed
            && let Slot::Live { sink, .. } = &*shared.lock().await
        {
            sink.retire();
        }
    }
}
