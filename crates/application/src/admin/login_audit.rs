//! GET /api/admin/login-audit.

use latchkey_domain::{Actor, LoginAuditEvent};
use latchkey_ports::Page;

use super::AdminUsers;
use crate::{AppError, PageQuery};

impl AdminUsers {
    pub async fn login_audit(&self, actor: Actor, q: PageQuery) -> Result<Page<LoginAuditEvent>, AppError> {
        actor.require_admin()?;
        Ok(self
            .ports
            .login_audit
            .list_logins((q.page - 1) * q.page_size, q.page_size)
            .await?)
    }
}
