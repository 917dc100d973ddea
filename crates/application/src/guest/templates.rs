//! /api/guest-link-templates: reusable durations and use limits.

use latchkey_domain::guest_link::{check_duration_hours, parse_label, parse_max_uses};
use latchkey_domain::{Actor, GuestLinkTemplate};
use latchkey_ports::NewGuestTemplate;

use super::{GuestService, MAX_LABEL_CHARS};
use crate::AppError;

impl GuestService {
    pub async fn templates(&self, actor: Actor) -> Result<Vec<GuestLinkTemplate>, AppError> {
        Ok(self.ports.templates.list_guest_templates(actor.user_id).await?)
    }

    pub async fn create_template(
        &self,
        actor: Actor,
        name: &str,
        duration_hours: i64,
        max_uses: Option<i64>,
    ) -> Result<GuestLinkTemplate, AppError> {
        let name = parse_label(Some(name), MAX_LABEL_CHARS)
            .map_err(|e| AppError::validation("name", e))?
            .ok_or_else(|| AppError::validation("name", "is required"))?;
        let duration_hours = check_duration_hours(duration_hours)?;
        let max_uses = parse_max_uses(max_uses)?;
        self.ports
            .templates
            .create_guest_template(NewGuestTemplate {
                owner_id: actor.user_id,
                name,
                duration_hours,
                max_uses,
                now: self.ports.clock.now(),
            })
            .await
            .map_err(AppError::store("user"))
    }

    pub async fn delete_template(&self, actor: Actor, id: i64) -> Result<(), AppError> {
        self.ports
            .templates
            .delete_guest_template(id, actor.user_id)
            .await
            .map_err(AppError::store("guest link template"))
    }
}
