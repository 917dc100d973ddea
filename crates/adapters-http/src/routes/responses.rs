//! Problem responses that many operations share, documented once as OpenAPI response
//! components and referenced from each operation's `responses(...)`:
//! `(status = 401, response = Unauthenticated)`.
//!
//! Which operation can answer which: every operation behind a session can answer 401,
//! 429 (`authPerMinute` per user) and 503 (the session store is unavailable), and the 403
//! of its extractor — [`ForbiddenUser`] for a resident's reads, [`ForbiddenAdmin`] for an
//! administrator's, the `…Csrf` variants for a mutating method (the session cookie needs
//! the CSRF token). Every operation that reads a JSON body can answer 413 and 415 (and 400
//! `invalid_body`, which each operation documents with its other 400s).

use utoipa::ToResponse;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

/// A `application/problem+json` response, optionally with `Retry-After`.
fn problem(description: &str, retry_after: bool) -> RefOr<Response> {
    let mut res = ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    if retry_after {
        res = res.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)),
                ))
                .description(Some(
                    "Seconds to wait before retrying (also `retryAfter` in the body)",
                ))
                .build(),
        );
    }
    RefOr::T(res.build())
}

macro_rules! problem_response {
    ($(#[$doc:meta])* $name:ident, $description:expr, retry_after = $retry:expr) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), problem($description, $retry))
            }
        }
    };
}

problem_response!(
    /// 401 from the session extractors.
    Unauthenticated,
    "Not authenticated: no session, or it expired or ended (`unauthenticated`)",
    retry_after = false
);

problem_response!(
    /// 429 from the per-user limit the session extractors apply.
    RateLimited,
    "Too many requests from this user (`rate_limited`, the runtime `authPerMinute` limit); see `Retry-After`",
    retry_after = true
);

problem_response!(
    /// 503 when a dependency (mostly the database) does not answer.
    Unavailable,
    "Temporarily unavailable (`service_unavailable`), e.g. the database does not answer; see `Retry-After`",
    retry_after = true
);

problem_response!(
    /// 413 from the JSON body extractor.
    PayloadTooLarge,
    "The body is larger than 64 KiB (`payload_too_large`)",
    retry_after = false
);

problem_response!(
    /// 415 from the JSON body extractor.
    UnsupportedMediaType,
    "The body is missing or not `application/json` (`unsupported_media_type`)",
    retry_after = false
);

problem_response!(
    /// 403 of a mutating operation any session may call (`Authenticated`).
    ForbiddenCsrf,
    "The session cookie came without its CSRF token, or from another site (`csrf_failed`)",
    retry_after = false
);

problem_response!(
    /// 403 of a resident's read (`CurrentUser`).
    ForbiddenUser,
    "The password must be changed first (`password_change_required`)",
    retry_after = false
);

problem_response!(
    /// 403 of a resident's mutating operation (`CurrentUser`).
    ForbiddenUserCsrf,
    "The password must be changed first (`password_change_required`), or the session cookie came without its CSRF token or from another site (`csrf_failed`)",
    retry_after = false
);

problem_response!(
    /// 403 of an administrator's read (`AdminUser`).
    ForbiddenAdmin,
    "Not an administrator (`forbidden`), or the password must be changed first (`password_change_required`)",
    retry_after = false
);

problem_response!(
    /// 403 of an administrator's mutating operation (`AdminUser`).
    ForbiddenAdminCsrf,
    "Not an administrator (`forbidden`), the password must be changed first (`password_change_required`), or the session cookie came without its CSRF token or from another site (`csrf_failed`)",
    retry_after = false
);
