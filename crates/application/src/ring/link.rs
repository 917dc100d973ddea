//! Linking a Ring account: Ring's password grant with two-factor codes, or a refresh
//! token pasted by the resident.

use latchkey_domain::{AccountLabel, Actor, RingAccount, RingAccountId};
use latchkey_ports::{GatewayError, NewRingAuthAttempt, RingLocationInfo, Secret};
use time::OffsetDateTime;

use super::secrets::{credentials_aad, decode_credentials, email_hash, encode_credentials, new_hardware_id};
use super::{RingService, SealedTokenVault};
use crate::AppError;

const DEFAULT_LABEL: &str = "Ring account";

#[derive(Debug, Clone)]
pub struct StartLink {
    pub email: String,
    pub password: Secret,
    pub ring_account_id: Option<RingAccountId>,
    pub account_label: Option<String>,
}

#[derive(Debug, Clone)]
pub enum LinkOutcome {
    /// Ring wants a code; call verify with `attempt_id` before `expires_at`.
    CodeRequired {
        attempt_id: i64,
        prompt: String,
        expires_at: OffsetDateTime,
    },
    /// Linked: the token is stored (sealed) on `account`; the seed contract also returns it.
    Linked {
        refresh_token: Secret,
        account: RingAccount,
    },
}

fn check_credentials(email: &str, password: &Secret) -> Result<(), AppError> {
    let email = email.trim();
    if email.is_empty() || email.len() > 254 || !email.contains('@') || email.chars().any(char::is_control) {
        return Err(AppError::validation("email", "a Ring account email is required"));
    }
    if password.expose().is_empty() || password.expose().len() > 1024 {
        return Err(AppError::validation(
            "password",
            "the Ring password is required (at most 1024 bytes)",
        ));
    }
    Ok(())
}

impl RingService {
    fn vault(&self) -> SealedTokenVault {
        SealedTokenVault::new(
            self.ports.accounts.clone(),
            self.ports.secret_box.clone(),
            self.ports.clock.clone(),
        )
    }

    fn label(raw: Option<&str>) -> Result<Option<AccountLabel>, AppError> {
        raw.map(AccountLabel::parse)
            .transpose()
            .map_err(|e| AppError::validation("accountLabel", e))
    }

    /// POST /api/ring/auth/start
    pub async fn start_link(&self, actor: Actor, cmd: StartLink) -> Result<LinkOutcome, AppError> {
        check_credentials(&cmd.email, &cmd.password)?;
        let label = Self::label(cmd.account_label.as_deref())?;
        let existing = match cmd.ring_account_id {
            Some(id) => Some(self.account(actor, id).await?),
            None => None,
        };
        let hardware_id = match &existing {
            Some(a) => a.hardware_id.clone(),
            None => new_hardware_id(&self.ports.random.token()),
        };
        let now = self.ports.clock.now();
        let email_key = email_hash(&cmd.email);
        let since = now - self.policy.code_request_window;
        // Each login that needs a code makes Ring send one. Past our limit we do not
        // even ask, staying well below the ~10 per 10 minutes at which Ring blocks.
        let requested = self
            .ports
            .attempts
            .count_code_requests(actor.user_id, &email_key, since)
            .await?;
        if requested >= u64::from(self.policy.max_code_requests) {
            return Err(AppError::Ring(GatewayError::TwoFactorRateLimited));
        }
        match self
            .ports
            .gateway
            .log_in(&hardware_id, cmd.email.trim(), &cmd.password, None)
            .await
        {
            Ok(token) => {
                let account = self
                    .link_account(actor, existing, label, &hardware_id, &token)
                    .await?;
                Ok(LinkOutcome::Linked {
                    refresh_token: token,
                    account,
                })
            }
            Err(GatewayError::TwoFactorRequired { prompt }) => {
                self.ports
                    .attempts
                    .record_code_request(actor.user_id, &email_key, now)
                    .await?;
                let sealed = self
                    .ports
                    .secret_box
                    .seal(
                        &encode_credentials(cmd.email.trim(), &cmd.password),
                        &credentials_aad(actor.user_id, &hardware_id),
                    )
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                let attempt = self
                    .ports
                    .attempts
                    .create_ring_auth_attempt(NewRingAuthAttempt {
                        user_id: actor.user_id,
                        ring_account_id: existing.map(|a| a.id),
                        account_label: label,
                        hardware_id,
                        sealed_credentials: sealed,
                        prompt: prompt.clone(),
                        created_at: now,
                        expires_at: now + self.policy.attempt_lifetime,
                    })
                    .await?;
                Ok(LinkOutcome::CodeRequired {
                    attempt_id: attempt.id,
                    prompt,
                    expires_at: attempt.expires_at,
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// POST /api/ring/auth/verify. A wrong code keeps the attempt for another try; the
    /// stored credentials are deleted as soon as the login succeeds.
    pub async fn verify_link(
        &self,
        actor: Actor,
        attempt_id: i64,
        code: &Secret,
    ) -> Result<LinkOutcome, AppError> {
        let code_text = code.expose().trim();
        if code_text.is_empty()
            || code_text.len() > 16
            || !code_text.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(AppError::validation(
                "code",
                "the verification code is 4 to 16 letters or digits",
            ));
        }
        let now = self.ports.clock.now();
        let attempt = self
            .ports
            .attempts
            .find_ring_auth_attempt(attempt_id, actor.user_id, now)
            .await?
            .ok_or(AppError::NotFound {
                resource: "ring auth session",
            })?;
        let plain = self
            .ports
            .secret_box
            .open(
                &attempt.sealed_credentials,
                &credentials_aad(actor.user_id, &attempt.hardware_id),
            )
            .map_err(|_| AppError::NotFound {
                resource: "ring auth session",
            })?;
        let (email, password) = decode_credentials(&plain).ok_or(AppError::NotFound {
            resource: "ring auth session",
        })?;
        let token = self
            .ports
            .gateway
            .log_in(
                &attempt.hardware_id,
                &email,
                &password,
                Some(Secret::new(code_text)),
            )
            .await?;
        self.ports.attempts.delete_ring_auth_attempt(attempt.id).await?;
        let existing = match attempt.ring_account_id {
            Some(id) => Some(self.account(actor, id).await?),
            None => None,
        };
        let account = self
            .link_account(
                actor,
                existing,
                attempt.account_label,
                &attempt.hardware_id,
                &token,
            )
            .await?;
        Ok(LinkOutcome::Linked {
            refresh_token: token,
            account,
        })
    }

    /// POST /api/ring/refresh-token: stores a token the resident obtained elsewhere.
    pub async fn save_refresh_token(
        &self,
        actor: Actor,
        token: &Secret,
        ring_account_id: Option<RingAccountId>,
        account_label: Option<&str>,
    ) -> Result<RingAccount, AppError> {
        let raw = token.expose().trim();
        if raw.is_empty() || raw.len() > 4096 || raw.chars().any(char::is_control) {
            return Err(AppError::validation(
                "refreshToken",
                "a Ring refresh token is required",
            ));
        }
        let label = Self::label(account_label)?;
        let existing = match ring_account_id {
            Some(id) => Some(self.account(actor, id).await?),
            None => None,
        };
        let hardware_id = existing
            .as_ref()
            .map(|a| a.hardware_id.clone())
            .unwrap_or_default();
        self.link_account(actor, existing, label, &hardware_id, &Secret::new(raw))
            .await
    }

    /// POST /api/ring/refresh-token/test: does Ring accept this token? Nothing is stored.
    pub async fn test_refresh_token(&self, token: &Secret) -> Result<Vec<RingLocationInfo>, AppError> {
        let raw = token.expose().trim();
        if raw.is_empty() || raw.len() > 4096 {
            return Err(AppError::validation(
                "refreshToken",
                "a Ring refresh token is required",
            ));
        }
        let hardware_id = new_hardware_id(&self.ports.random.token());
        Ok(self
            .ports
            .gateway
            .test_token(&hardware_id, &Secret::new(raw))
            .await?)
    }

    /// Stores `token` on the existing account, or on a new one (which then keeps the
    /// hardware id Ring saw at login; `hardware_id` empty means "make one").
    async fn link_account(
        &self,
        actor: Actor,
        existing: Option<RingAccount>,
        label: Option<AccountLabel>,
        hardware_id: &str,
        token: &Secret,
    ) -> Result<RingAccount, AppError> {
        let account = match existing {
            Some(mut a) => {
                if let Some(label) = label {
                    a = self
                        .ports
                        .accounts
                        .update_ring_account(a.id, actor.user_id, Some(label), false, self.ports.clock.now())
                        .await
                        .map_err(AppError::store("ring account"))?;
                }
                a
            }
            None => {
                let label = match label {
                    Some(l) => l,
                    None => {
                        AccountLabel::parse(DEFAULT_LABEL).map_err(|e| AppError::Internal(e.to_string()))?
                    }
                };
                let hardware_id = if hardware_id.is_empty() {
                    new_hardware_id(&self.ports.random.token())
                } else {
                    hardware_id.to_owned()
                };
                let new = latchkey_ports::NewRingAccount {
                    user_id: actor.user_id,
                    label,
                    hardware_id,
                    now: self.ports.clock.now(),
                };
                self.ports
                    .accounts
                    .create_ring_account(new)
                    .await
                    .map_err(AppError::store("user"))?
            }
        };
        self.vault().save(&account, token).await?;
        // A cached session may hold the previous token.
        self.ports.gateway.forget(account.id).await;
        self.account(actor, account.id).await
    }
}
