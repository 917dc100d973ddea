//! What every handler can reach.

use actix_web::HttpRequest;
use latchkey_application::{
    AdminUsers, ClientInfo, GuestService, Identity, RateLimitSettings, Readiness, RingService,
};

use crate::auth::ServerKeys;
use crate::auth::cookies::CookieNames;
use crate::client_ip::{TrustedProxies, client_ip};
use crate::rate_limit::RateLimiter;

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Served over TLS (directly or behind a TLS proxy): `Secure` + `__Host-` cookies, HSTS.
    pub secure: bool,
    pub trusted_proxies: TrustedProxies,
    /// Base of shareable guest links, without a trailing slash.
    pub public_url: String,
}

impl HttpConfig {
    /// The URL a guest opens: `<public url>/g/<token>`.
    pub fn guest_url(&self, token: &str) -> String {
        format!("{}/g/{token}", self.public_url)
    }
}

#[derive(Debug)]
pub struct AppState {
    pub identity: Identity,
    pub admin: AdminUsers,
    pub ring: RingService,
    pub guest: GuestService,
    pub limits: RateLimitSettings,
    pub readiness: Readiness,
    pub keys: ServerKeys,
    pub limiter: RateLimiter,
    pub config: HttpConfig,
    pub cookies: CookieNames,
}

/// The use cases the HTTP edge calls.
#[derive(Debug)]
pub struct UseCases {
    pub identity: Identity,
    pub admin: AdminUsers,
    pub ring: RingService,
    pub guest: GuestService,
    pub limits: RateLimitSettings,
    pub readiness: Readiness,
}

impl AppState {
    pub fn new(use_cases: UseCases, keys: ServerKeys, config: HttpConfig) -> Self {
        let UseCases {
            identity,
            admin,
            ring,
            guest,
            limits,
            readiness,
        } = use_cases;
        let cookies = CookieNames::new(config.secure);
        Self {
            identity,
            admin,
            ring,
            guest,
            limits,
            readiness,
            keys,
            limiter: RateLimiter::new(),
            config,
            cookies,
        }
    }

    /// Client address and user agent for audit rows: bounded, without control characters.
    pub fn client_info(&self, req: &HttpRequest) -> ClientInfo {
        let ip = client_ip(req, &self.config.trusted_proxies).map(|ip| ip.to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| {
                ua.chars()
                    .filter(|c| !c.is_control())
                    .take(256)
                    .collect::<String>()
            })
            .filter(|ua| !ua.is_empty());
        ClientInfo { ip, user_agent }
    }
}
