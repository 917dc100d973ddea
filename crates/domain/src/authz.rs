//! Who may do what. Every use case asks here before it acts.

use crate::user::{Role, User, UserId};

/// The authenticated caller of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdminRuleError {
    #[error("this action needs an administrator")]
    NotAdmin,
    #[error("administrators cannot disable their own account")]
    CannotDisableSelf,
    #[error("administrators cannot delete their own account")]
    CannotDeleteSelf,
    #[error("administrator accounts cannot be deleted permanently")]
    CannotDeleteAdmin,
    #[error("administrator passwords cannot be reset here")]
    CannotResetAdmin,
}

impl Actor {
    pub fn require_admin(&self) -> Result<(), AdminRuleError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::User => Err(AdminRuleError::NotAdmin),
        }
    }

    /// Disabling (the seed's soft delete) of `target`.
    pub fn may_disable(&self, target: &User) -> Result<(), AdminRuleError> {
        self.require_admin()?;
        if target.id == self.user_id {
            return Err(AdminRuleError::CannotDisableSelf);
        }
        Ok(())
    }

    /// Permanent deletion: never oneself, never an admin (seed: "non-admin user").
    pub fn may_delete_permanently(&self, target: &User) -> Result<(), AdminRuleError> {
        self.require_admin()?;
        if target.id == self.user_id {
            return Err(AdminRuleError::CannotDeleteSelf);
        }
        if target.is_admin() {
            return Err(AdminRuleError::CannotDeleteAdmin);
        }
        Ok(())
    }

    /// Temporary-password reset: seed says "for a non-admin user".
    pub fn may_reset_password(&self, target: &User) -> Result<(), AdminRuleError> {
        self.require_admin()?;
        if target.is_admin() {
            return Err(AdminRuleError::CannotResetAdmin);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockout::LockState;
    use crate::user::{PersonName, Structure, Username};
    use time::macros::datetime;

    fn user(id: i64, role: Role) -> User {
        User {
            id: UserId(id),
            username: Username::parse("someone").unwrap(),
            role,
            first_name: PersonName::default(),
            last_name: PersonName::default(),
            structure: Structure::default(),
            disabled: false,
            must_change_password: false,
            lock: LockState::default(),
            created_at: datetime!(2026-01-01 0:00 UTC),
            updated_at: datetime!(2026-01-01 0:00 UTC),
        }
    }

    const ADMIN: Actor = Actor {
        user_id: UserId(1),
        role: Role::Admin,
    };
    const RESIDENT: Actor = Actor {
        user_id: UserId(2),
        role: Role::User,
    };

    #[test]
    fn residents_may_run_no_admin_rule() {
        let other = user(3, Role::User);
        assert_eq!(RESIDENT.require_admin(), Err(AdminRuleError::NotAdmin));
        assert_eq!(RESIDENT.may_disable(&other), Err(AdminRuleError::NotAdmin));
        assert_eq!(
            RESIDENT.may_delete_permanently(&other),
            Err(AdminRuleError::NotAdmin)
        );
        assert_eq!(RESIDENT.may_reset_password(&other), Err(AdminRuleError::NotAdmin));
    }

    #[test]
    fn admin_cannot_disable_or_delete_self() {
        let me = user(1, Role::Admin);
        assert_eq!(ADMIN.may_disable(&me), Err(AdminRuleError::CannotDisableSelf));
        assert_eq!(
            ADMIN.may_delete_permanently(&me),
            Err(AdminRuleError::CannotDeleteSelf)
        );
    }

    #[test]
    fn admin_cannot_delete_or_reset_another_admin_but_may_disable_one() {
        let other_admin = user(5, Role::Admin);
        assert_eq!(
            ADMIN.may_delete_permanently(&other_admin),
            Err(AdminRuleError::CannotDeleteAdmin)
        );
        assert_eq!(
            ADMIN.may_reset_password(&other_admin),
            Err(AdminRuleError::CannotResetAdmin)
        );
        assert_eq!(ADMIN.may_disable(&other_admin), Ok(()));
    }

    #[test]
    fn admin_may_manage_residents() {
        let resident = user(7, Role::User);
        assert_eq!(ADMIN.may_disable(&resident), Ok(()));
        assert_eq!(ADMIN.may_delete_permanently(&resident), Ok(()));
        assert_eq!(ADMIN.may_reset_password(&resident), Ok(()));
    }
}
