//! A resident's own guest links (`/api/guest-links`) and templates
//! (`/api/guest-link-templates`). Other users' links and templates answer 404.

pub mod dto;
pub mod expiry;
pub mod links;
pub mod templates;

use crate::problem::ApiError;
use crate::routes::dto::parse_id;

/// A path id of a link or template: a positive integer, else 400.
fn path_id(raw: &str) -> Result<i64, ApiError> {
    parse_id(raw).map(|id| id.0)
}
