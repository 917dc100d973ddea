//! The OpenAPI document's frame: info, tags and security schemes. Paths are collected
//! from the route registrations.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Latchkey",
        description = "Guest links for a Ring Intercom: time-windowed, use-limited door access.\n\nErrors are RFC 9457 `application/problem+json` with a stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    components(
        schemas(crate::problem::Problem),
        responses(
            crate::routes::responses::Unauthenticated,
            crate::routes::responses::RateLimited,
            crate::routes::responses::Unavailable,
            crate::routes::responses::PayloadTooLarge,
            crate::routes::responses::UnsupportedMediaType,
            crate::routes::responses::ForbiddenCsrf,
            crate::routes::responses::ForbiddenUser,
            crate::routes::responses::ForbiddenUserCsrf,
            crate::routes::responses::ForbiddenAdmin,
            crate::routes::responses::ForbiddenAdminCsrf,
        )
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Login, logout, CSRF and the current user"),
        (name = "admin", description = "User administration, lockouts, audit, rate limits"),
        (name = "ring", description = "Ring accounts, two-factor linking, intercoms, unlock, unlock audit"),
        (name = "guest-links", description = "A resident's guest links and link templates"),
        (name = "guest", description = "Public: what a guest holding a link's token may see and do (no session; limited by `guestPerMinute` per address)"),
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The token from the `set-auth-token` header of a login. No CSRF token needed.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "latchkey_session",
                "Session cookie set by login (`__Host-latchkey_session` over TLS).",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "From GET /api/auth/csrf; required on mutating requests that carry the session cookie.",
            ))),
        );
    }
}
