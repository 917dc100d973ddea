//! First start: make sure an administrator exists. There are no default credentials.

use latchkey_domain::{PersonName, PlainPassword, Role, Structure, Username};
use latchkey_ports::NewUser;

use crate::AppError;
use crate::ports::{Policies, Ports};

#[derive(Debug)]
pub enum BootstrapOutcome {
    /// Users exist already; nothing was done.
    AlreadyInitialised,
    /// An admin was created. `generated_password` is set when none was configured: it
    /// must be shown to the operator once, and must be changed at first login.
    AdminCreated {
        username: String,
        generated_password: Option<PlainPassword>,
    },
}

#[derive(Debug, Clone)]
pub struct Bootstrap {
    ports: Ports,
    policies: Policies,
}

impl Bootstrap {
    pub const DEFAULT_ADMIN: &'static str = "admin";

    pub fn new(ports: Ports, policies: Policies) -> Self {
        Self { ports, policies }
    }

    pub async fn ensure_admin(
        &self,
        username: Option<&str>,
        password: Option<PlainPassword>,
    ) -> Result<BootstrapOutcome, AppError> {
        if self.ports.users.count_users().await? > 0 {
            return Ok(BootstrapOutcome::AlreadyInitialised);
        }
        let username = Username::parse(username.unwrap_or(Self::DEFAULT_ADMIN))
            .map_err(|e| AppError::validation("LATCHKEY_ADMIN_USERNAME", e))?;
        let (password, generated) = match password {
            Some(p) => {
                self.policies
                    .password
                    .check(&p, &[username.as_str()])
                    .map_err(|e| AppError::validation("LATCHKEY_ADMIN_PASSWORD", e))?;
                (p, false)
            }
            None => (self.ports.random.temporary_password(), true),
        };
        let password_hash = self.ports.hasher.hash(&password).await?;
        let user = self
            .ports
            .users
            .create_user(NewUser {
                username: username.clone(),
                role: Role::Admin,
                first_name: PersonName::default(),
                last_name: PersonName::default(),
                structure: Structure::default(),
                password_hash,
                must_change_password: generated,
                now: self.ports.clock.now(),
            })
            .await
            .map_err(|e| match e {
                // Another instance bootstrapped at the same moment: fine.
                latchkey_ports::StoreError::Conflict(_) => AppError::Conflict { field: "username" },
                other => other.into(),
            })?;
        tracing::info!(user_id = %user.id, "bootstrap administrator created");
        Ok(BootstrapOutcome::AdminCreated {
            username: username.to_string(),
            generated_password: generated.then_some(password),
        })
    }
}

#[cfg(test)]
mod tests {
    use latchkey_ports::PasswordHash;

    use super::*;
    use crate::testing::{Mocks, user};

    #[tokio::test]
    async fn nothing_happens_when_users_exist() {
        let mut m = Mocks::default();
        m.users.expect_count_users().returning(|| Ok(1));
        m.users.expect_create_user().never();
        let b = Bootstrap::new(m.into_ports(), Policies::default());
        assert!(matches!(
            b.ensure_admin(None, None).await.unwrap(),
            BootstrapOutcome::AlreadyInitialised
        ));
    }

    #[tokio::test]
    async fn generated_password_is_returned_once_and_must_be_changed() {
        let mut m = Mocks::default();
        m.users.expect_count_users().returning(|| Ok(0));
        m.random
            .expect_temporary_password()
            .returning(|| PlainPassword::new("generated-Xy7-pass-Qw3"));
        m.hasher.expect_hash().returning(|_| Ok(PasswordHash("h".into())));
        m.users
            .expect_create_user()
            .withf(|n| n.role == Role::Admin && n.must_change_password && n.username.as_str() == "admin")
            .returning(|_| Ok(user(1, "admin", Role::Admin)));
        let b = Bootstrap::new(m.into_ports(), Policies::default());
        match b.ensure_admin(None, None).await.unwrap() {
            BootstrapOutcome::AdminCreated {
                generated_password: Some(p),
                ..
            } => {
                assert_eq!(p.expose(), "generated-Xy7-pass-Qw3")
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn configured_weak_password_stops_start_up() {
        let mut m = Mocks::default();
        m.users.expect_count_users().returning(|| Ok(0));
        m.users.expect_create_user().never();
        let b = Bootstrap::new(m.into_ports(), Policies::default());
        let err = b
            .ensure_admin(Some("root"), Some(PlainPassword::new("Password123!")))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            AppError::Validation {
                field: "LATCHKEY_ADMIN_PASSWORD",
                ..
            }
        ));
    }
}
