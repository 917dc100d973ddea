//! Account authentication: password/2FA grants, refresh-token rotation, access tokens, sessions.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::masking::{mask_email, mask_phone};
use super::{AccessGrant, Inner, Settings};
use crate::config::TwoFactorSpec;

/// Tokens handed out by a successful grant.
pub(crate) struct IssuedTokens {
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    pub(crate) expires_in: u64,
}

/// Result of a password grant, mapped to Ring's answers by the route.
pub(crate) enum PasswordOutcome {
    Issued(IssuedTokens),
    /// Unknown email or wrong password.
    BadCredentials,
    /// 2FA needed and no code given: a code was "sent" (or the account uses TOTP).
    CodeRequired {
        tsv_state: &'static str,
        phone: String,
    },
    /// A code was given and it is wrong.
    BadCode,
    /// Too many codes were sent recently.
    CodeRateLimited,
}

impl Inner {
    pub(crate) fn password_grant(
        &mut self,
        settings: &Settings,
        username: &str,
        password: &str,
        code: Option<&str>,
        now: Instant,
    ) -> PasswordOutcome {
        let Some(index) = self.find_account(username) else {
            return PasswordOutcome::BadCredentials;
        };
        let account = &mut self.accounts[index];
        if account.spec.password.expose() != password {
            return PasswordOutcome::BadCredentials;
        }
        let (expected, tsv_state, phone, sends_code) = match &account.spec.two_factor {
            TwoFactorSpec::None => return PasswordOutcome::Issued(self.issue(settings, index, now)),
            TwoFactorSpec::Sms { code, phone } => (code.clone(), "sms", mask_phone(phone), true),
            TwoFactorSpec::Email { code } => (code.clone(), "email", mask_email(&account.spec.email), true),
            // What a third-party client logged for TOTP accounts (ring-protocol.md §1.4).
            TwoFactorSpec::Totp { code } => (code.clone(), "totp", "time-based OTP".to_owned(), false),
        };
        match code {
            Some(given) if given == expected.expose() => {
                PasswordOutcome::Issued(self.issue(settings, index, now))
            }
            Some(_) => PasswordOutcome::BadCode,
            None if sends_code => {
                let limit = settings.code_rate_limit;
                let window = std::time::Duration::from_secs(limit.window_secs);
                let sends = &mut account.code_sends;
                while sends
                    .front()
                    .is_some_and(|sent| now.duration_since(*sent) >= window)
                {
                    sends.pop_front();
                }
                if sends.len() >= usize::try_from(limit.max_codes).unwrap_or(usize::MAX) {
                    return PasswordOutcome::CodeRateLimited;
                }
                sends.push_back(now);
                self.recorder.counters.codes_sent += 1;
                PasswordOutcome::CodeRequired { tsv_state, phone }
            }
            None => PasswordOutcome::CodeRequired { tsv_state, phone },
        }
    }

    /// Exchanges a refresh token. Unless reuse is allowed, the old token stops working.
    pub(crate) fn refresh_grant(
        &mut self,
        settings: &Settings,
        refresh_token: &str,
        now: Instant,
    ) -> Option<IssuedTokens> {
        let account = if settings.reusable_refresh_tokens {
            self.refresh_tokens.get(refresh_token).copied()?
        } else {
            self.refresh_tokens.remove(refresh_token)?
        };
        Some(self.issue(settings, account, now))
    }

    /// Issues a new access/refresh token pair for an account.
    pub(crate) fn issue(&mut self, settings: &Settings, account: usize, now: Instant) -> IssuedTokens {
        self.access_tokens.retain(|_, grant| grant.expires_at > now);
        let access_token = new_token("at");
        let refresh_token = new_token("rt");
        let expires_at = now + settings.token_expires_in;
        self.access_tokens
            .insert(access_token.clone(), AccessGrant { account, expires_at });
        self.refresh_tokens.insert(refresh_token.clone(), account);
        IssuedTokens {
            access_token,
            refresh_token,
            expires_in: settings.token_expires_in.as_secs(),
        }
    }

    /// The account of a valid, unexpired access token.
    pub(crate) fn authenticate(&self, access_token: &str, now: Instant) -> Option<usize> {
        self.access_tokens
            .get(access_token)
            .filter(|grant| grant.expires_at > now)
            .map(|grant| grant.account)
    }

    pub(crate) fn has_session(
        &self,
        settings: &Settings,
        account: usize,
        hardware_id: &str,
        now: Instant,
    ) -> bool {
        self.sessions
            .get(&(account, hardware_id.to_owned()))
            .is_some_and(|created| {
                settings
                    .session_ttl
                    .is_none_or(|ttl| now.duration_since(*created) < ttl)
            })
    }

    pub(crate) fn create_session(&mut self, account: usize, hardware_id: &str, now: Instant) {
        self.sessions.insert((account, hardware_id.to_owned()), now);
    }
}

/// An opaque random token. Ring's mock tokens start with `ey`, so these do too.
fn new_token(kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 24];
    // Uniqueness is what a test double needs; the counter keeps tokens distinct even if the
    // OS random source fails.
    let _ = getrandom::fill(&mut bytes);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("ey_sim_{kind}_{n}_{}", hex::encode(bytes))
}
