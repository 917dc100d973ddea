//! Cross-cutting HTTP behaviour: request ids and access log, security headers, and
//! problem responses for requests that never reach a handler.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{Error, HttpRequest, HttpResponse, web};

use crate::problem::ApiError;

pub const REQUEST_ID: &str = "x-request-id";

/// Paths whose last segment is a bearer capability (guest tokens) and must not be logged.
const SECRET_PATH_PREFIXES: [&str; 2] = ["/api/guest/", "/g/"];
const PUBLIC_ASSETS: &str = "/g/assets/";

/// The path as it may appear in a log line: guest tokens replaced by `<redacted>`.
pub fn loggable_path(path: &str) -> String {
    // The guest page's own assets carry no token (tokens are 43 characters).
    let is_asset = path.starts_with(PUBLIC_ASSETS);
    for prefix in SECRET_PATH_PREFIXES.iter().filter(|_| !is_asset) {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest
                .split_once('/')
                .map(|(_, t)| format!("/{t}"))
                .unwrap_or_default();
            return format!("{prefix}<redacted>{tail}");
        }
    }
    path.chars().filter(|c| !c.is_control()).take(512).collect()
}

fn request_id(req: &ServiceRequest) -> String {
    let incoming = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok());
    match incoming {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            id.to_owned()
        }
        _ => hex(&fresh_request_id().to_be_bytes()),
    }
}

/// A new request id: distinct for 2^64 requests of this process and unlike other
/// processes' (random start), without a `getrandom` system call per request (ids are
/// not secrets; they correlate a response with its log lines).
fn fresh_request_id() -> u64 {
    static START: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let start = *START.get_or_init(|| {
        let mut bytes = [0u8; 8];
        // If the OS RNG fails, the clock will do.
        if getrandom::fill(&mut bytes).is_err() {
            bytes = (SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos() as u64)
                .to_le_bytes();
        }
        u64::from_le_bytes(bytes)
    });
    mix(start.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// splitmix64's finaliser: a bijection on u64, so consecutive counters give distinct,
/// unrelated-looking ids.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Lower-case hex, without a `format!` per byte (this runs on every request).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Gives every request an id (echoed in `X-Request-Id`), and logs one line per request
/// inside a span carrying that id.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id(&req);
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let mut res = tracing::Instrument::instrument(next.call(req), span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    // The request rides along with the response: read method and path from it rather
    // than copying them before the handler runs.
    let request = res.request();
    let method = request.method().as_str();
    let route = request.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    crate::metrics::record_request(method, &route, status, elapsed);
    let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
    let path = loggable_path(request.path());
    span.in_scope(|| tracing::info!(%method, %path, status, elapsed_ms, "request"));
    Ok(res)
}

pub fn security_headers(tls: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("x-content-type-options", "nosniff"))
        .add(("x-frame-options", "DENY"))
        .add(("referrer-policy", "no-referrer"))
        .add(("cache-control", "no-store"));
    if tls {
        headers.add(("strict-transport-security", "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

/// The API document's paths with the methods each has, so that a known path asked with
/// another method answers 405 with `Allow` (RFC 9110, 15.5.6) rather than 404.
#[derive(Debug, Default)]
pub struct KnownRoutes(Vec<(ResourceDef, HeaderValue)>);

impl KnownRoutes {
    pub fn new(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .filter_map(|(path, item)| {
                let methods: Vec<&str> = [
                    ("GET", &item.get),
                    ("HEAD", &item.head),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                    ("OPTIONS", &item.options),
                    ("TRACE", &item.trace),
                ]
                .into_iter()
                .filter_map(|(method, op)| op.as_ref().map(|_| method))
                .collect();
                let allow = HeaderValue::from_str(&methods.join(", ")).ok()?;
                Some((ResourceDef::new(path.as_str()), allow))
            })
            .collect();
        Self(routes)
    }

    /// The `Allow` value of the API path `path` matches, if it matches one.
    pub fn allow(&self, path: &str) -> Option<&HeaderValue> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, allow)| allow)
    }
}

/// Requests no route took: 405 with `Allow` for a known API path, else 404.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let known = req.app_data::<web::Data<KnownRoutes>>();
    if let Some(allow) = known.and_then(|k| k.allow(req.path())) {
        let err = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").detail(format!(
            "{} is not allowed on {}; allowed: {}",
            req.method(),
            loggable_path(req.path()),
            allow.to_str().unwrap_or_default()
        ));
        let mut res = actix_web::ResponseError::error_response(&err);
        res.headers_mut().insert(header::ALLOW, allow.clone());
        return res;
    }
    actix_web::ResponseError::error_response(&ApiError::new(StatusCode::NOT_FOUND, "route_not_found").detail(
        format!("no route for {} {}", req.method(), loggable_path(req.path())),
    ))
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _| ApiError::bad_request("invalid_query", err.to_string()).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|err, _| ApiError::bad_request("invalid_path", err.to_string()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_say_which_methods_they_allow() {
        let known = KnownRoutes::new(&crate::openapi_document());
        let allow = |p: &str| known.allow(p).map(|v| v.to_str().unwrap_or_default().to_owned());
        assert_eq!(allow("/api/admin/limits").as_deref(), Some("GET, POST"));
        assert_eq!(allow("/api/admin/users/7").as_deref(), Some("PUT, DELETE"));
        assert_eq!(allow("/api/guest/abc/unlock").as_deref(), Some("POST"));
        assert_eq!(allow("/api/nothing-here"), None);
        assert_eq!(allow("/api/admin/users/7/nope"), None);
    }

    #[test]
    fn guest_tokens_never_reach_the_log() {
        assert_eq!(loggable_path("/api/guest/SECRETTOKEN"), "/api/guest/<redacted>");
        assert_eq!(
            loggable_path("/api/guest/SECRETTOKEN/unlock"),
            "/api/guest/<redacted>/unlock"
        );
        assert_eq!(loggable_path("/g/SECRETTOKEN"), "/g/<redacted>");
        assert_eq!(loggable_path("/api/auth/me"), "/api/auth/me");
        assert_eq!(loggable_path("/g/assets/guest.js"), "/g/assets/guest.js");
        assert_eq!(loggable_path("/g/assetsSECRET"), "/g/<redacted>");
        assert_eq!(loggable_path("/api/x\ny"), "/api/xy");
    }

    #[test]
    fn request_ids_are_lower_case_hex() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn fresh_request_ids_are_distinct_16_digit_hex() {
        let ids: std::collections::HashSet<String> = (0..10_000)
            .map(|_| hex(&fresh_request_id().to_be_bytes()))
            .collect();
        assert_eq!(ids.len(), 10_000);
        assert!(
            ids.iter()
                .all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        );
        // Consecutive counters do not give look-alike ids.
        assert_ne!(mix(1) >> 32, mix(2) >> 32);
    }
}
