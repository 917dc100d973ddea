//! POST /api/auth/login as a use case.

use latchkey_domain::{LoginOutcome, PlainPassword, User, UserId, Username};
use latchkey_ports::{NewLoginAudit, NewSession};
use time::OffsetDateTime;

use super::{ClientInfo, Identity, LoginSuccess, SessionSecret};
use crate::AppError;
use crate::lockout;

/// Usernames longer than this are cut before they reach the audit log.
const AUDIT_USERNAME_MAX: usize = 128;

#[derive(Debug, Clone)]
pub struct LoginCommand {
    pub username: String,
    pub password: PlainPassword,
    pub client: ClientInfo,
}

impl Identity {
    /// Checks the credentials and opens a new session. Every attempt, whatever its
    /// outcome, leaves one row in the login audit — except one the store could not
    /// answer: it cannot take the row either, and trying would make the caller wait out
    /// a second store timeout before the 503. The log has the attempt.
    pub async fn login(&self, cmd: LoginCommand) -> Result<LoginSuccess, AppError> {
        let now = self.ports.clock.now();
        let result = self.try_login(&cmd, now).await;
        let (outcome, user_id) = match &result {
            Ok(ok) => (LoginOutcome::Success, Some(ok.user.id)),
            Err(failure) if failure.store_down => {
                tracing::warn!("login attempt not audited: the store is unavailable");
                return Err(failure.error.clone());
            }
            Err(failure) => (outcome_of(&failure.error), failure.user_id),
        };
        self.audit(&cmd, outcome, user_id, now).await?;
        result.map_err(|failure| failure.error)
    }

    async fn try_login(&self, cmd: &LoginCommand, now: OffsetDateTime) -> Result<LoginSuccess, Failure> {
        if cmd.username.trim().is_empty() || cmd.password.is_empty() {
            return Err(Failure::new(AppError::MissingCredentials, None));
        }
        let too_long = cmd.password.expose().len() > self.policies.password.max_input_bytes()
            || cmd.username.len() > 4 * Username::MAX;
        let found = if too_long {
            None
        } else {
            self.ports
                .users
                .find_credentials(&Username::key_of(&cmd.username))
                .await
                .map_err(|e| Failure::store(e.into(), None))?
        };
        let Some(creds) = found else {
            // Same work as a real check, so response time does not reveal unknown names.
            self.ports.hasher.verify_dummy(&cmd.password).await;
            return Err(Failure::new(AppError::InvalidCredentials, None));
        };
        let user = creds.user;
        let user_id = user.id;
        let fail = move |err: AppError| Failure::new(err, Some(user_id));
        let store_failed = move |err: AppError| Failure::store(err, Some(user_id));
        if let Some(until) = user.lock.locked_until(now) {
            return Err(fail(AppError::AccountLocked { until }));
        }
        let valid = self
            .ports
            .hasher
            .verify(&cmd.password, &creds.password_hash)
            .await
            .map_err(|e| fail(e.into()))?;
        if !valid {
            lockout::record_failure(self.ports.users.as_ref(), &self.policies.lockout, &user, now)
                .await
                .map_err(store_failed)?;
            return Err(fail(AppError::InvalidCredentials));
        }
        // Only someone who knows the password learns that the account is disabled.
        if user.disabled {
            return Err(fail(AppError::AccountDisabled));
        }
        lockout::clear(self.ports.users.as_ref(), &user)
            .await
            .map_err(store_failed)?;
        self.open_session(user, &cmd.client, now)
            .await
            .map_err(store_failed)
    }

    /// Creates a session with a fresh random id (ASVS 7.2.4: new token on every login).
    pub(super) async fn open_session(
        &self,
        user: User,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<LoginSuccess, AppError> {
        let secret = SessionSecret::new(self.ports.random.token());
        let session = self
            .ports
            .sessions
            .create_session(NewSession {
                id_hash: secret.hash(),
                user_id: user.id,
                created_at: now,
                expires_at: self.policies.session.expires_at(now),
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            })
            .await
            .map_err(AppError::store("user"))?;
        Ok(LoginSuccess {
            secret,
            session,
            user,
        })
    }

    async fn audit(
        &self,
        cmd: &LoginCommand,
        outcome: LoginOutcome,
        user_id: Option<UserId>,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let username: String = cmd.username.chars().take(AUDIT_USERNAME_MAX).collect();
        self.ports
            .login_audit
            .record_login(NewLoginAudit {
                occurred_at: now,
                username,
                user_id,
                outcome,
                ip: cmd.client.ip.clone(),
                user_agent: cmd.client.user_agent.clone(),
            })
            .await?;
        Ok(())
    }

    /// Records a login refused before it reached the use case (rate limit).
    pub async fn record_rate_limited_login(
        &self,
        username: &str,
        client: &ClientInfo,
    ) -> Result<(), AppError> {
        let cmd = LoginCommand {
            username: username.to_owned(),
            password: PlainPassword::new(""),
            client: client.clone(),
        };
        self.audit(&cmd, LoginOutcome::RateLimited, None, self.ports.clock.now())
            .await
    }
}

/// A failed attempt: the error, the user it concerns, and whether it is the store that
/// could not answer (the hasher's "busy" is `Unavailable` too, and is audited).
struct Failure {
    error: AppError,
    user_id: Option<UserId>,
    store_down: bool,
}

impl Failure {
    fn new(error: AppError, user_id: Option<UserId>) -> Self {
        Self {
            error,
            user_id,
            store_down: false,
        }
    }

    /// `error` came from a store call.
    fn store(error: AppError, user_id: Option<UserId>) -> Self {
        Self {
            store_down: error == AppError::Unavailable,
            error,
            user_id,
        }
    }
}

fn outcome_of(err: &AppError) -> LoginOutcome {
    match err {
        AppError::MissingCredentials => LoginOutcome::MissingCredentials,
        AppError::AccountDisabled => LoginOutcome::Disabled,
        AppError::AccountLocked { .. } => LoginOutcome::Locked,
        _ => LoginOutcome::InvalidCredentials,
    }
}
