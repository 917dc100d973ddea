//! The one place use-case errors become HTTP statuses and stable codes.

use actix_web::http::StatusCode;
use latchkey_application::AppError;
use latchkey_domain::AdminRuleError;
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
