//! Acting from the server's console (`latchkey admin …`, `latchkey --demo`): whoever can
//! run the binary next to the database already holds every user's data, so they act as
//! an administrator that is no user of the service.

use anyhow::anyhow;
use latchkey_application::AdminUsers;
use latchkey_domain::{Actor, Role, User, UserId, Username};

/// The console operator. Id 0 is never a stored user's (ids start at 1), so rules such
/// as "an admin cannot disable themselves" never mistake a user for the operator.
pub fn operator() -> Actor {
    Actor {
        user_id: UserId(0),
        role: Role::Admin,
    }
}

/// The user whose login name is `username` (case-insensitive, like login).
pub async fn find_user(admin: &AdminUsers, username: &str) -> anyhow::Result<Option<User>> {
    let key = Username::key_of(username);
    let users = admin
        .list(operator())
        .await
        .map_err(|e| anyhow!("listing users: {e}"))?;
    Ok(users.into_iter().find(|u| u.username.key() == key))
}
