//! POST /api/auth/password: a user changes their own password.

use latchkey_domain::PlainPassword;
use latchkey_ports::UserUpdate;

use super::{ClientInfo, Identity, LoginSuccess, Principal};
use crate::AppError;
use crate::lockout;

impl Identity {
    /// Needs the current password (ASVS 6.2.3). Ends every session of the user, this
    /// one included, and opens a fresh one for the caller.
    pub async fn change_password(
        &self,
        principal: &Principal,
        current: &PlainPassword,
        new: &PlainPassword,
        client: &ClientInfo,
    ) -> Result<LoginSuccess, AppError> {
        let now = self.ports.clock.now();
        let user = &principal.user;
        if current.expose().len() > self.policies.password.max_input_bytes() {
            return Err(AppError::InvalidCurrentPassword);
        }
        let creds = self
            .ports
            .users
            .find_credentials(&user.username.key())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !self.ports.hasher.verify(current, &creds.password_hash).await? {
            // A stolen session must not become a way to guess the password unthrottled.
            lockout::record_failure(
                self.ports.users.as_ref(),
                &self.policies.lockout,
                &creds.user,
                now,
            )
            .await?;
            return Err(AppError::InvalidCurrentPassword);
        }
        if current == new {
            return Err(AppError::validation(
                "newPassword",
                "must differ from the current password",
            ));
        }
        let context = [
            user.username.as_str(),
            user.first_name.as_deref().unwrap_or(""),
            user.last_name.as_deref().unwrap_or(""),
        ];
        self.policies
            .password
            .check(new, &context)
            .map_err(|e| AppError::validation("newPassword", e))?;
        let hash = self.ports.hasher.hash(new).await?;
        let update = UserUpdate {
            password: Some((hash, false)),
            ..UserUpdate::default()
        };
        let updated = self
            .ports
            .users
            .update_user(user.id, update, now)
            .await
            .map_err(AppError::store("user"))?;
        self.open_session(updated, client, now).await
    }
}
