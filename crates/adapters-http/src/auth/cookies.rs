//! Names and attributes of the cookies we set.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

#[derive(Debug, Clone, Copy)]
pub struct CookieNames {
    pub session: &'static str,
    pub csrf_secret: &'static str,
    pub csrf_token: &'static str,
    secure: bool,
}

impl CookieNames {
    /// Over TLS the `__Host-` prefix pins cookies to this exact host (ASVS 3.3.1).
    pub fn new(secure: bool) -> Self {
        if secure {
            Self {
                session: "__Host-latchkey_session",
                csrf_secret: "__Host-latchkey_csrf_secret",
                csrf_token: "__Host-latchkey_csrf",
                secure,
            }
        } else {
            Self {
                session: "latchkey_session",
                csrf_secret: "latchkey_csrf_secret",
                csrf_token: "latchkey_csrf",
                secure,
            }
        }
    }

    fn base<'a>(&self, name: &'a str, value: String, http_only: bool) -> Cookie<'a> {
        Cookie::build(name, value)
            .path("/")
            .http_only(http_only)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .finish()
    }

    /// Values are written as given: pass cookie-octets only (our tokens are base64url
    /// and dots; tests/fuzz checks both), or a `;` would add attributes of its own.
    pub fn session(&self, token: String, max_age_secs: i64) -> Cookie<'static> {
        let mut c = self.base(self.session, token, true);
        c.set_max_age(CookieDuration::seconds(max_age_secs.max(0)));
        c
    }

    pub fn clear_session(&self) -> Cookie<'static> {
        let mut c = self.base(self.session, String::new(), true);
        c.make_removal();
        c
    }

    /// Base64url values, like [`Self::session`]'s.
    pub fn csrf_pair(&self, nonce: String, token: String) -> [Cookie<'static>; 2] {
        [
            self.base(self.csrf_secret, nonce, true),
            self.base(self.csrf_token, token, false),
        ]
    }
}
