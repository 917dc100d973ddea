//! GET /g/{token}: the page a guest opens, its two static assets, and `robots.txt`.
//!
//! HTML, not API: registered on the plain actix `App` (see [`configure`]) so these routes
//! stay out of the OpenAPI document. GET never unlocks — link previews and prefetchers
//! load the page — the page's script POSTs to `/api/guest/{token}/unlock` when the
//! guest presses the button. The page works without JavaScript except for that button.
//!
//! Every response here carries a strict Content-Security-Policy (no inline script or
//! style, same-origin fetch only), `no-store`, `no-referrer` (the token is in the path)
//! and `noindex`.

pub mod render;
pub mod strings;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, get, web};
use latchkey_application::GuestToken;

use crate::problem::ApiError;
use crate::routes::guest::check_guest_rate;
use crate::state::AppState;
use render::{PageModel, guest_page, message_page};
use strings::strings;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const GUEST_JS: &str = include_str!("../../../assets/guest.js");
const GUEST_CSS: &str = include_str!("../../../assets/guest.css");
const ROBOTS_TXT: &str = "User-agent: *\nDisallow: /g/\nDisallow: /api/\n";

/// The guest pages, for `App::configure`. Not part of `routes::configure`: HTML pages
/// have no place in the API document.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(guest_js)
        .service(guest_css)
        .service(robots_txt)
        .service(guest_link_page);
}

/// A response with the headers every guest page and asset carries.
fn respond(status: StatusCode, content_type: &'static str) -> HttpResponseBuilder {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header(("x-robots-tag", HeaderValue::from_static("noindex, nofollow")));
    res
}

const HTML: &str = "text/html; charset=utf-8";

/// The HTML page for an error on the way to the guest page: 404 for an unknown link,
/// 429 (with `Retry-After`) for too many requests, otherwise "temporarily unavailable".
fn error_page(err: &ApiError) -> HttpResponse {
    let s = strings();
    let (status, title, body) = match err.status {
        StatusCode::NOT_FOUND => (err.status, s.not_found_title, s.not_found_body.to_owned()),
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds = err.retry_after.unwrap_or(60);
            (
                err.status,
                s.rate_limited_title,
                s.rate_limited_body.replace("{seconds}", &seconds.to_string()),
            )
        }
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            s.unavailable_title,
            s.unavailable_body.to_owned(),
        ),
    };
    let mut res = respond(status, HTML);
    if let Some(seconds) = err.retry_after {
        res.insert_header((header::RETRY_AFTER, seconds.to_string()));
    } else if status == StatusCode::SERVICE_UNAVAILABLE {
        res.insert_header((header::RETRY_AFTER, "5"));
    }
    res.body(message_page(title, &body, s))
}

/// The guest page. Counts against `guestPerMinute` like the guest API; never changes
/// the link.
#[get("/g/{token}")]
pub async fn guest_link_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> HttpResponse {
    if let Err(limited) = check_guest_rate(&state, &req) {
        return error_page(&limited);
    }
    let found = match state.guest.view(&GuestToken::new(token.into_inner())).await {
        Ok(found) => found,
        Err(e) => return error_page(&ApiError::from(e)),
    };
    let model = PageModel {
        label: found.link.label.as_deref(),
        starts_at: found.link.starts_at,
        expires_at: found.link.expires_at,
        state: found.state,
        max_uses: found.link.max_uses,
        remaining_uses: found.link.remaining_uses(),
    };
    respond(StatusCode::OK, HTML).body(guest_page(&model, strings()))
}

#[get("/g/assets/guest.js")]
pub async fn guest_js() -> HttpResponse {
    respond(StatusCode::OK, "text/javascript; charset=utf-8").body(GUEST_JS)
}

#[get("/g/assets/guest.css")]
pub async fn guest_css() -> HttpResponse {
    respond(StatusCode::OK, "text/css; charset=utf-8").body(GUEST_CSS)
}

/// Keeps well-behaved crawlers away from guest links and the API.
#[get("/robots.txt")]
pub async fn robots_txt() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        ))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(ROBOTS_TXT)
}
