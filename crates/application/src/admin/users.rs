//! The user-management use cases behind /api/admin/users.

use latchkey_domain::{Actor, PersonName, PlainPassword, Role, Structure, User, UserId, Username};
use latchkey_ports::{NewUser, StoreError, UserUpdate};

use super::AdminUsers;
use crate::AppError;

#[derive(Debug, Clone)]
pub struct CreateUserCommand {
    pub username: String,
    pub password: PlainPassword,
    pub role: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateUserCommand {
    pub username: Option<String>,
    pub password: Option<PlainPassword>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
    pub disabled: Option<bool>,
}

fn conflict_as_username_taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(_) => AppError::Conflict { field: "username" },
        StoreError::NotFound => AppError::NotFound { resource: "user" },
        other => other.into(),
    }
}

impl AdminUsers {
    pub async fn list(&self, actor: Actor) -> Result<Vec<User>, AppError> {
        actor.require_admin()?;
        Ok(self.ports.users.list_users().await?)
    }

    pub async fn get(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        actor.require_admin()?;
        self.ports
            .users
            .get_user(id)
            .await
            .map_err(AppError::store("user"))
    }

    pub async fn create(&self, actor: Actor, cmd: CreateUserCommand) -> Result<User, AppError> {
        actor.require_admin()?;
        let username = Username::parse(&cmd.username)?;
        let role = match cmd.role.as_deref().map(str::trim) {
            None | Some("") => Role::User,
            Some(r) => {
                Role::parse(r).ok_or_else(|| AppError::validation("role", "must be \"admin\" or \"user\""))?
            }
        };
        let first_name = PersonName::parse("firstName", cmd.first_name.as_deref())?;
        let last_name = PersonName::parse("lastName", cmd.last_name.as_deref())?;
        let structure = Structure::parse(cmd.structure.as_deref())?;
        let context = [
            username.as_str(),
            first_name.as_deref().unwrap_or(""),
            last_name.as_deref().unwrap_or(""),
        ];
        self.policies.password.check(&cmd.password, &context)?;
        let password_hash = self.ports.hasher.hash(&cmd.password).await?;
        let new = NewUser {
            username,
            role,
            first_name,
            last_name,
            structure,
            password_hash,
            // Seed clients create a user and log in as them straight away, so an
            // admin-chosen password is not forced to change; reset-password's is.
            must_change_password: false,
            now: self.ports.clock.now(),
        };
        self.ports
            .users
            .create_user(new)
            .await
            .map_err(conflict_as_username_taken)
    }

    pub async fn update(&self, actor: Actor, id: UserId, cmd: UpdateUserCommand) -> Result<User, AppError> {
        actor.require_admin()?;
        let target = self.get(actor, id).await?;
        if cmd.disabled == Some(true) {
            actor.may_disable(&target)?;
        }
        let username = cmd.username.as_deref().map(Username::parse).transpose()?;
        let first_name = cmd
            .first_name
            .as_deref()
            .map(|v| PersonName::parse("firstName", Some(v)))
            .transpose()?;
        let last_name = cmd
            .last_name
            .as_deref()
            .map(|v| PersonName::parse("lastName", Some(v)))
            .transpose()?;
        let structure = cmd
            .structure
            .as_deref()
            .map(|v| Structure::parse(Some(v)))
            .transpose()?;
        let password = match &cmd.password {
            None => None,
            Some(pw) => {
                let name = username.as_ref().unwrap_or(&target.username);
                self.policies.password.check(pw, &[name.as_str()])?;
                // Like create: only reset-password's random password must be changed.
                Some((self.ports.hasher.hash(pw).await?, false))
            }
        };
        let sets_password = password.is_some();
        let update = UserUpdate {
            username,
            first_name,
            last_name,
            structure,
            disabled: cmd.disabled,
            password,
        };
        let now = self.ports.clock.now();
        let updated = self
            .ports
            .users
            .update_user(id, update, now)
            .await
            .map_err(conflict_as_username_taken)?;
        if sets_password {
            self.clear_lock(&updated).await?;
        }
        Ok(updated)
    }

    /// The seed's "soft delete": the account stays, disabled, and its sessions end.
    pub async fn disable(&self, actor: Actor, id: UserId) -> Result<(), AppError> {
        let target = self.get(actor, id).await?;
        actor.may_disable(&target)?;
        let update = UserUpdate {
            disabled: Some(true),
            ..UserUpdate::default()
        };
        self.ports
            .users
            .update_user(id, update, self.ports.clock.now())
            .await
            .map_err(AppError::store("user"))?;
        Ok(())
    }

    pub async fn delete_permanently(&self, actor: Actor, id: UserId) -> Result<(), AppError> {
        let target = self.get(actor, id).await?;
        actor.may_delete_permanently(&target)?;
        self.ports
            .users
            .delete_user(id)
            .await
            .map_err(AppError::store("user"))
    }

    /// Sets a random temporary password, shown once to the admin; the user must change
    /// it at next login, and their sessions end now.
    pub async fn reset_password(&self, actor: Actor, id: UserId) -> Result<PlainPassword, AppError> {
        let target = self.get(actor, id).await?;
        actor.may_reset_password(&target)?;
        let temp = self.ports.random.temporary_password();
        let hash = self.ports.hasher.hash(&temp).await?;
        let update = UserUpdate {
            password: Some((hash, true)),
            ..UserUpdate::default()
        };
        let updated = self
            .ports
            .users
            .update_user(id, update, self.ports.clock.now())
            .await
            .map_err(AppError::store("user"))?;
        self.clear_lock(&updated).await?;
        Ok(temp)
    }

    /// Ends a lockout before its time.
    pub async fn unlock(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        let target = self.get(actor, id).await?;
        self.clear_lock(&target).await?;
        self.get(actor, id).await
    }

    async fn clear_lock(&self, user: &User) -> Result<(), AppError> {
        crate::lockout::clear(self.ports.users.as_ref(), user).await
    }
}
