//! The one place use-case errors become HTTP statuses and stable codes.

use actix_web::http::StatusCode;
use latchkey_application::AppError;
use latchkey_domain::{AdminRuleError, GuestLinkError, GuestUnlockRefusal};
use latchkey_ports::GatewayError;
use time::format_description::well_known::Rfc3339;

use crate::problem::ApiError;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let detail = e.to_string();
        let api = match &e {
            AppError::Validation { field, message } => {
                return ApiError::bad_request("validation_failed", message.clone()).field(*field);
            }
            AppError::MissingCredentials => ApiError::new(StatusCode::BAD_REQUEST, "missing_credentials"),
            AppError::InvalidCredentials => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials"),
            AppError::InvalidCurrentPassword => {
                return ApiError::bad_request("invalid_current_password", detail).field("currentPassword");
            }
            AppError::AccountDisabled => ApiError::new(StatusCode::FORBIDDEN, "account_disabled"),
            AppError::AccountLocked { until } => {
                let mut api = ApiError::new(StatusCode::LOCKED, "account_locked");
                api.locked_until = until.format(&Rfc3339).ok();
                api.detail = Some(format!(
                    "this account is locked until {}",
                    api.locked_until.clone().unwrap_or_default()
                ));
                return api;
            }
            AppError::Unauthenticated => return ApiError::unauthenticated(),
            AppError::PasswordChangeRequired => {
                ApiError::new(StatusCode::FORBIDDEN, "password_change_required")
            }
            AppError::AdminRule(rule) => match rule {
                AdminRuleError::NotAdmin => ApiError::new(StatusCode::FORBIDDEN, "forbidden"),
                AdminRuleError::CannotDisableSelf => {
                    ApiError::new(StatusCode::BAD_REQUEST, "cannot_disable_self")
                }
                AdminRuleError::CannotDeleteSelf => {
                    ApiError::new(StatusCode::BAD_REQUEST, "cannot_delete_self")
                }
                AdminRuleError::CannotDeleteAdmin => {
                    ApiError::new(StatusCode::BAD_REQUEST, "cannot_delete_admin")
                }
                AdminRuleError::CannotResetAdmin => {
                    ApiError::new(StatusCode::BAD_REQUEST, "cannot_reset_admin")
                }
            },
            AppError::NotFound { .. } => ApiError::new(StatusCode::NOT_FOUND, "not_found"),
            AppError::Conflict { field } => {
                return ApiError::bad_request("already_exists", detail).field(*field);
            }
            AppError::Ring(g) => return ring_error(g),
            AppError::GuestUnlockRefused(refusal) => {
                let status = match refusal {
                    GuestUnlockRefusal::NotYetActive => StatusCode::FORBIDDEN,
                    GuestUnlockRefusal::Expired
                    | GuestUnlockRefusal::UsedUp
                    | GuestUnlockRefusal::Disabled => StatusCode::GONE,
                };
                ApiError::new(status, refusal.code())
            }
            AppError::GuestLinkNotExtendable(rule) => {
                let code = match rule {
                    GuestLinkError::UsedUp => GuestUnlockRefusal::UsedUp.code(),
                    _ => GuestUnlockRefusal::Disabled.code(),
                };
                return ApiError::new(StatusCode::CONFLICT, code)
                    .detail(detail)
                    .field("expiresAt");
            }
            AppError::Unavailable => {
                return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
                    .detail("the service is temporarily unavailable; try again shortly")
                    .retry_after(5);
            }
            AppError::Internal(cause) => {
                // The cause goes to the log; the client gets nothing it could learn from.
                tracing::error!(%cause, "internal error");
                return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
                    .detail("something went wrong on our side");
            }
        };
        api.detail(detail)
    }
}

/// Ring's answers, as clients see them: never a 401 (that would read as "your Latchkey
/// session ended"), 5xx only when Ring or the network failed.
fn ring_error(g: &GatewayError) -> ApiError {
    let status = match g {
        GatewayError::InvalidCredentials
        | GatewayError::TwoFactorRequired { .. }
        | GatewayError::InvalidTwoFactorCode => StatusCode::BAD_REQUEST,
        GatewayError::TwoFactorRateLimited => StatusCode::TOO_MANY_REQUESTS,
        GatewayError::NeedsRelink | GatewayError::NotLinked => StatusCode::CONFLICT,
        GatewayError::DeviceNotFound => StatusCode::NOT_FOUND,
        GatewayError::DeviceOffline
        | GatewayError::DeviceRejected
        | GatewayError::Unavailable
        | GatewayError::Unexpected(_) => StatusCode::BAD_GATEWAY,
        GatewayError::RateLimited { .. } | GatewayError::Storage => StatusCode::SERVICE_UNAVAILABLE,
        GatewayError::Timeout => StatusCode::GATEWAY_TIMEOUT,
    };
    let api = ApiError::new(status, g.code());
    match g {
        GatewayError::InvalidTwoFactorCode => api.detail(g.to_string()).field("code"),
        GatewayError::TwoFactorRateLimited => api.detail(g.to_string()).retry_after(600),
        GatewayError::RateLimited { retry_after_secs } => {
            api.detail(g.to_string()).retry_after(*retry_after_secs)
        }
        GatewayError::Storage => api
            .detail("the service is temporarily unavailable")
            .retry_after(5),
        // Ring's own words may carry anything; keep them in the log.
        GatewayError::Unexpected(_) => api.detail("Ring answered unexpectedly"),
        _ => api.detail(g.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn status(e: AppError) -> (u16, &'static str) {
        let api = ApiError::from(e);
        (api.status.as_u16(), api.code)
    }

    #[test]
    fn every_use_case_error_has_its_status_and_code() {
        let cases: Vec<(AppError, u16, &str)> = vec![
            (
                AppError::validation("username", "too short"),
                400,
                "validation_failed",
            ),
            (AppError::MissingCredentials, 400, "missing_credentials"),
            (AppError::InvalidCredentials, 401, "invalid_credentials"),
            (AppError::InvalidCurrentPassword, 400, "invalid_current_password"),
            (AppError::AccountDisabled, 403, "account_disabled"),
            (
                AppError::AccountLocked {
                    until: datetime!(2026-01-01 0:15 UTC),
                },
                423,
                "account_locked",
            ),
            (AppError::Unauthenticated, 401, "unauthenticated"),
            (AppError::PasswordChangeRequired, 403, "password_change_required"),
            (AppError::AdminRule(AdminRuleError::NotAdmin), 403, "forbidden"),
            (
                AppError::AdminRule(AdminRuleError::CannotDisableSelf),
                400,
                "cannot_disable_self",
            ),
            (
                AppError::AdminRule(AdminRuleError::CannotDeleteSelf),
                400,
                "cannot_delete_self",
            ),
            (
                AppError::AdminRule(AdminRuleError::CannotDeleteAdmin),
                400,
                "cannot_delete_admin",
            ),
            (
                AppError::AdminRule(AdminRuleError::CannotResetAdmin),
                400,
                "cannot_reset_admin",
            ),
            (AppError::NotFound { resource: "user" }, 404, "not_found"),
            (AppError::Conflict { field: "username" }, 400, "already_exists"),
            (AppError::Unavailable, 503, "service_unavailable"),
            (
                AppError::Ring(GatewayError::InvalidCredentials),
                400,
                "ring_invalid_credentials",
            ),
            (
                AppError::Ring(GatewayError::InvalidTwoFactorCode),
                400,
                "ring_2fa_invalid",
            ),
            (
                AppError::Ring(GatewayError::TwoFactorRateLimited),
                429,
                "ring_2fa_rate_limited",
            ),
            (
                AppError::Ring(GatewayError::NeedsRelink),
                409,
                "ring_needs_relink",
            ),
            (AppError::Ring(GatewayError::NotLinked), 409, "ring_not_linked"),
            (
                AppError::Ring(GatewayError::DeviceNotFound),
                404,
                "intercom_not_found",
            ),
            (
                AppError::Ring(GatewayError::DeviceOffline),
                502,
                "intercom_offline",
            ),
            (
                AppError::Ring(GatewayError::DeviceRejected),
                502,
                "intercom_rejected",
            ),
            (
                AppError::Ring(GatewayError::RateLimited { retry_after_secs: 30 }),
                503,
                "ring_rate_limited",
            ),
            (AppError::Ring(GatewayError::Timeout), 504, "ring_timeout"),
            (AppError::Ring(GatewayError::Unavailable), 502, "ring_unavailable"),
            (
                AppError::Ring(GatewayError::Unexpected("x".into())),
                502,
                "ring_unexpected",
            ),
            (AppError::Ring(GatewayError::Storage), 503, "service_unavailable"),
            (
                AppError::GuestUnlockRefused(GuestUnlockRefusal::NotYetActive),
                403,
                "link_not_active",
            ),
            (
                AppError::GuestUnlockRefused(GuestUnlockRefusal::Expired),
                410,
                "link_expired",
            ),
            (
                AppError::GuestUnlockRefused(GuestUnlockRefusal::UsedUp),
                410,
                "link_used_up",
            ),
            (
                AppError::GuestUnlockRefused(GuestUnlockRefusal::Disabled),
                410,
                "link_disabled",
            ),
            (
                AppError::GuestLinkNotExtendable(GuestLinkError::Disabled),
                409,
                "link_disabled",
            ),
            (
                AppError::GuestLinkNotExtendable(GuestLinkError::UsedUp),
                409,
                "link_used_up",
            ),
            (
                AppError::Internal("db said: SELECT secret".into()),
                500,
                "internal_error",
            ),
        ];
        for (err, code, name) in cases {
            assert_eq!(status(err.clone()), (code, name), "{err:?}");
        }
    }

    #[test]
    fn locked_carries_the_end_of_the_lock() {
        let api = ApiError::from(AppError::AccountLocked {
            until: datetime!(2026-01-01 0:15 UTC),
        });
        assert_eq!(api.locked_until.as_deref(), Some("2026-01-01T00:15:00Z"));
    }

    #[test]
    fn internal_details_never_reach_the_client() {
        let api = ApiError::from(AppError::Internal("relation \"users\" does not exist".into()));
        let body = serde_json::to_string(&api.to_problem()).unwrap();
        assert!(!body.contains("relation"), "{body}");
    }

    #[test]
    fn validation_names_the_field() {
        let api = ApiError::from(AppError::validation("authPerMinute", "must be from 1"));
        assert_eq!(api.field.as_deref(), Some("authPerMinute"));
    }
}
