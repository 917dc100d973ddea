//! Recognising the session behind a request, and ending it.

use super::{Identity, Principal, SessionSecret};
use crate::AppError;

impl Identity {
    /// The principal of a live session. One store lookup; a write only when the
    /// last-seen time is stale. Expired or idle sessions are deleted on sight.
    pub async fn authenticate(&self, secret: &SessionSecret) -> Result<Principal, AppError> {
        let now = self.ports.clock.now();
        let id_hash = secret.hash();
        let Some((session, user)) = self.ports.sessions.find_session(&id_hash).await? else {
            return Err(AppError::Unauthenticated);
        };
        if self.policies.session.check(&session, now).is_err() {
            self.ports.sessions.delete_session(&id_hash).await?;
            return Err(AppError::Unauthenticated);
        }
        // Disabling deletes sessions; this guards the instant in between.
        if user.disabled {
            return Err(AppError::Unauthenticated);
        }
        if self.policies.session.needs_touch(&session, now) {
            self.ports.sessions.touch_session(&id_hash, now).await?;
        }
        Ok(Principal { user, session })
    }

    pub async fn logout(&self, principal: &Principal) -> Result<(), AppError> {
        self.ports
            .sessions
            .delete_session(&principal.session.id_hash)
            .await?;
        Ok(())
    }
}
