//! The public guest API: what anyone holding a link's token may see and do. No session,
//! no CSRF token (the capability is the token itself); limited per client address by
//! the runtime `guestPerMinute` setting.

pub mod unlock;
pub mod view;

use actix_web::HttpRequest;

use crate::client_ip::client_ip;
use crate::problem::ApiError;
use crate::state::AppState;

/// Counts one public guest request from this client; 429 with `Retry-After` beyond
/// `guestPerMinute`. Clients without a known address share one bucket (fail closed).
pub fn check_guest_rate(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let ip = client_ip(req, &state.config.trusted_proxies).map(|ip| ip.to_string());
    check_guest_rate_of(state, ip.as_deref())
}

/// As [`check_guest_rate`], for a caller that already resolved the client address.
pub fn check_guest_rate_of(state: &AppState, ip: Option<&str>) -> Result<(), ApiError> {
    let key = format!("guest:{}", ip.unwrap_or("unknown"));
    state
        .limiter
        .check(&key, state.limits.current().guest_per_minute)
        .map_err(ApiError::rate_limited)
}
