//! Crate-private parsers the fuzz targets in `tests/fuzz` drive directly.
//!
//! Compiled only with the `fuzzing` feature; not part of the server's API.

use actix_web::HttpRequest;

use crate::auth::ServerKeys;

/// The token of an `Authorization: Bearer <token>` header, as the extractors read it.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    crate::auth::extract::bearer(req)
}

/// The CSRF token that belongs to `nonce` (what `GET /api/auth/csrf` hands out).
pub fn csrf_token_for(keys: &ServerKeys, nonce: &str) -> String {
    crate::auth::csrf::token_for(keys, nonce)
}
