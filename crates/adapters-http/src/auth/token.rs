//! The session token: an HS256 JWT that names a server-side session.
//!
//! The JWT alone grants nothing: every request also finds the session row live, so
//! logout and revocation take effect at once.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use latchkey_application::{LoginSuccess, SessionSecret};
use serde::{Deserialize, Serialize};

use super::ServerKeys;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The random session id (its hash is the row key).
    sid: String,
    sub: String,
    iat: i64,
    exp: i64,
}

/// Tokens longer than this are not even parsed.
const MAX_TOKEN_LEN: usize = 1024;

pub fn issue(keys: &ServerKeys, login: &LoginSuccess) -> Result<String, jsonwebtoken::errors::Error> {
    let claims = Claims {
        sid: login.secret.expose().to_owned(),
        sub: login.user.id.to_string(),
        iat: login.session.created_at.unix_timestamp(),
        exp: login.session.expires_at.unix_timestamp(),
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&keys.jwt),
    )
}

/// The session secret inside a valid, unexpired token signed by us; `None` otherwise.
pub fn verify(keys: &ServerKeys, token: &str) -> Option<SessionSecret> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    decode::<Claims>(token, &DecodingKey::from_secret(&keys.jwt), &validation)
        .ok()
        .map(|data| SessionSecret::new(data.claims.sid))
}

#[cfg(test)]
mod tests {
    use latchkey_domain::{LockState, PersonName, Role, Session, Structure, User, UserId, Username};
    use time::{Duration, OffsetDateTime};

    use super::*;

    fn login(expires_in: Duration) -> LoginSuccess {
        let now = OffsetDateTime::now_utc();
        LoginSuccess {
            secret: SessionSecret::new("the-session-id"),
            session: Session {
                id_hash: "h".into(),
                user_id: UserId(3),
                created_at: now,
                last_seen_at: now,
                expires_at: now + expires_in,
            },
            user: User {
                id: UserId(3),
                username: Username::parse("ada").unwrap(),
                role: Role::User,
                first_name: PersonName::default(),
                last_name: PersonName::default(),
                structure: Structure::default(),
                disabled: false,
                must_change_password: false,
                lock: LockState::default(),
                created_at: now,
                updated_at: now,
            },
        }
    }

    #[test]
    fn round_trip() {
        let keys = ServerKeys::derive(b"secret");
        let t = issue(&keys, &login(Duration::hours(1))).unwrap();
        assert_eq!(verify(&keys, &t).unwrap().expose(), "the-session-id");
    }

    #[test]
    fn other_key_expired_tampered_or_none_alg_are_refused() {
        let keys = ServerKeys::derive(b"secret");
        let t = issue(&keys, &login(Duration::hours(1))).unwrap();
        assert!(verify(&ServerKeys::derive(b"other"), &t).is_none());
        let expired = issue(&keys, &login(Duration::seconds(-5))).unwrap();
        assert!(verify(&keys, &expired).is_none());
        let mut parts: Vec<&str> = t.split('.').collect();
        parts[2] = "AAAA";
        assert!(verify(&keys, &parts.join(".")).is_none());
        // {"alg":"none"} header with the same payload.
        let none = format!(
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.",
            t.split('.').nth(1).unwrap()
        );
        assert!(verify(&keys, &none).is_none());
        assert!(verify(&keys, "garbage").is_none());
        assert!(verify(&keys, &"a".repeat(5000)).is_none());
    }
}
