//! Values the behaviours build their data from.

use latchkey_domain::{
    AccountLabel, IntercomId, PersonName, RingAccountId, Role, Structure, UnlockActor, UnlockOutcome, UserId,
    Username,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::{GuestAttempt, NewGuestLink, NewRingAccount, NewSession, NewUnlockEvent, NewUser, PasswordHash};

/// An id no store hands out in a fresh database.
pub const NOBODY: UserId = UserId(987_654_321);

/// A fixed "now" with microseconds, so stores that dropped them would be caught.
pub const T0: OffsetDateTime = datetime!(2026-03-01 08:00:00.123_456 UTC);

/// `T0` plus `minutes`.
pub fn at(minutes: i64) -> OffsetDateTime {
    T0 + Duration::minutes(minutes)
}

/// A guest at the door at `now`, as `reserve_guest_use` takes it.
pub fn guest_at(now: OffsetDateTime) -> GuestAttempt {
    GuestAttempt {
        at: now,
        ip: Some("203.0.113.9".into()),
        user_agent: Some("conformance".into()),
    }
}

/// What a store returns for `t`: the same instant at microsecond precision.
pub fn micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000).unwrap()
}

pub fn username(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

/// A PHC-looking hash that names whose it is, so tests can tell hashes apart.
pub fn hash(label: &str) -> PasswordHash {
    PasswordHash(format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ${label}"))
}

/// A plain resident created at `T0`.
pub fn new_user(name: &str) -> NewUser {
    NewUser {
        username: username(name),
        role: Role::User,
        first_name: PersonName::default(),
        last_name: PersonName::default(),
        structure: Structure::default(),
        password_hash: hash(name),
        must_change_password: false,
        now: T0,
    }
}

/// `user` opening `owner`'s door (their own when `owner == Some(user)`) at 09:00, with
/// no client details: tests set what they need with `..user_unlock(..)`.
pub fn user_unlock(user: i64, owner: Option<i64>) -> NewUnlockEvent {
    NewUnlockEvent {
        occurred_at: datetime!(2026-03-01 09:00 UTC),
        actor: UnlockActor::User(UserId(user)),
        owner_id: owner.map(UserId),
        ring_account_id: None,
        intercom_id: None,
        outcome: UnlockOutcome::Opened,
        error_code: None,
        ip: None,
        user_agent: None,
    }
}

/// A session of `user` created at `created`, living 12 hours.
pub fn new_session(id_hash: &str, user: UserId, created: OffsetDateTime) -> NewSession {
    NewSession {
        id_hash: id_hash.to_owned(),
        user_id: user,
        created_at: created,
        expires_at: created + Duration::hours(12),
        ip: Some("192.0.2.10".to_owned()),
        user_agent: Some("Mozilla/5.0 (conformance)".to_owned()),
    }
}

pub fn label(raw: &str) -> AccountLabel {
    AccountLabel::parse(raw).unwrap()
}

/// A Ring account of `user` named `name`, created at `now`. The hardware id is derived
/// from both, so it is unique as long as a user's names are.
pub fn new_ring_account(user: UserId, name: &str, now: OffsetDateTime) -> NewRingAccount {
    NewRingAccount {
        user_id: user,
        label: label(name),
        hardware_id: format!("hw-{}-{name}", user.0),
        now,
    }
}

/// Every byte value, NUL and invalid UTF-8 included, tagged so tokens differ: a store
/// that went through text would mangle it.
pub fn sealed(tag: u8) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.push(tag);
    bytes
}

/// A 64-character token hash (the length the stores insist on) that ends in `tag`.
pub fn token_hash(tag: &str) -> String {
    format!("{tag:0>64}")
}

/// A link of `owner` on `account`'s intercom 4242, created at `T0`, unlabelled, with
/// the token hash of `tag` and the sealed token `sealed(1)`.
pub fn new_guest_link(
    owner: UserId,
    account: RingAccountId,
    tag: &str,
    starts_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    max_uses: Option<u32>,
) -> NewGuestLink {
    NewGuestLink {
        owner_id: owner,
        ring_account_id: account,
        intercom_id: IntercomId(4242),
        label: None,
        token_hash: token_hash(tag),
        sealed_token: sealed(1),
        starts_at,
        expires_at,
        max_uses,
        now: T0,
    }
}
