//! Users and the validated values they are made of.

use std::fmt;

use time::OffsetDateTime;

use crate::lockout::LockState;
use crate::text::has_forbidden_chars;

/// Database identity of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    /// Parses the stored / wire form; anything else is refused rather than guessed.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "user" => Some(Role::User),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("username must be between {min} and {max} characters")]
    Length { min: usize, max: usize },
    #[error("username must not contain control or direction-override characters")]
    ForbiddenCharacters,
}

/// A username as shown (trimmed), unique without regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if !(Self::MIN..=Self::MAX).contains(&len) {
            return Err(UsernameError::Length {
                min: Self::MIN,
                max: Self::MAX,
            });
        }
        if has_forbidden_chars(trimmed) {
            return Err(UsernameError::ForbiddenCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form the uniqueness constraint and login lookups use.
    pub fn key(&self) -> String {
        Self::key_of(&self.0)
    }

    /// Case-folded lookup key for any typed name, valid or not (login uses it before parsing).
    pub fn key_of(raw: &str) -> String {
        raw.trim().to_lowercase()
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserProfileError {
    #[error("{field} must be at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} must not contain control or direction-override characters")]
    ForbiddenCharacters { field: &'static str },
}

fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, UserProfileError> {
    let Some(raw) = raw else { return Ok(None) };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(UserProfileError::TooLong { field, max });
    }
    if has_forbidden_chars(trimmed) {
        return Err(UserProfileError::ForbiddenCharacters { field });
    }
    Ok(Some(trimmed.to_owned()))
}

/// A first or last name; empty input means "not given".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonName(Option<String>);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(field: &'static str, raw: Option<&str>) -> Result<Self, UserProfileError> {
        optional_text(field, raw, Self::MAX).map(Self)
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// Free text locating the resident (building, unit), as the seed contract calls it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Structure(Option<String>);

impl Structure {
    pub const MAX: usize = 200;

    pub fn parse(raw: Option<&str>) -> Result<Self, UserProfileError> {
        optional_text("structure", raw, Self::MAX).map(Self)
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// A user as the rest of the system sees it (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: Username,
    pub role: Role,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub structure: Structure,
    pub disabled: bool,
    pub must_change_password: bool,
    pub lock: LockState,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_is_trimmed_and_bounded() {
        assert_eq!(
            Username::parse("  Ada  ").map(|u| u.as_str().to_owned()),
            Ok("Ada".into())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"x".repeat(64)).is_ok());
        assert!(Username::parse(&"x".repeat(65)).is_err());
        assert!(Username::parse("   ab   ").is_err());
    }

    #[test]
    fn username_length_counts_characters_not_bytes() {
        assert!(Username::parse("ééé").is_ok());
        assert!(Username::parse(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn username_key_ignores_case() {
        let a = Username::parse("Ada.Lovelace").unwrap();
        assert_eq!(a.key(), "ada.lovelace");
        assert_eq!(Username::key_of(" ADA.lovelace "), a.key());
    }

    #[test]
    fn username_refuses_line_breaks() {
        assert_eq!(
            Username::parse("ad\nmin"),
            Err(UsernameError::ForbiddenCharacters)
        );
    }

    #[test]
    fn role_round_trips_and_refuses_unknown() {
        assert_eq!(Role::parse(Role::Admin.as_str()), Some(Role::Admin));
        assert_eq!(Role::parse(Role::User.as_str()), Some(Role::User));
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn optional_profile_text() {
        assert_eq!(
            PersonName::parse("firstName", Some("  ")).unwrap().as_deref(),
            None
        );
        assert_eq!(PersonName::parse("firstName", None).unwrap().as_deref(), None);
        assert_eq!(Structure::parse(Some(" B 3 ")).unwrap().as_deref(), Some("B 3"));
        assert_eq!(
            PersonName::parse("lastName", Some(&"x".repeat(101))),
            Err(UserProfileError::TooLong {
                field: "lastName",
                max: 100
            })
        );
        assert_eq!(
            Structure::parse(Some("a\u{202E}b")),
            Err(UserProfileError::ForbiddenCharacters { field: "structure" })
        );
    }
}
