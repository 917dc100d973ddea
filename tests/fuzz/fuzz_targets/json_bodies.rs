//! Request bodies: the `Json` extractor's parser (`latchkey_http::json::parse`) into
//! every JSON body DTO, then the domain checks the use cases apply to its fields.
//!
//! Input: one byte choosing the DTO, then the body. `a`..`o` pick, in order: login,
//! create user, update user, rate limits, change password, create template, create
//! guest link, link expiry, create Ring account, update Ring account, unlock, Ring link
//! start, Ring link verify, save refresh token, test refresh token (any other byte picks
//! by its value modulo 15).
//!
//! Properties: parsing never panics; an accepted body is one JSON object (nothing
//! before or after it) and the DTO holds exactly its known fields (absent or null means
//! `None`), and has no others where unknown fields are refused; a refused body is a 400
//! `invalid_body` problem with a detail, naming (if anything) a field of the DTO or of
//! the body, that renders; and each validator keeps its contract: trimmed and bounded
//! text without control or bidi characters, stable when parsed again; passwords of
//! 12..=256 characters only; RFC 3339 instants come out in UTC, format and parse back,
//! and the API's `iso` shows them back to the millisecond; use limits 1..=1000, template
//! durations 1..=2160 h, a template's window from any start (no overflow), rate limits
//! 1..=1000000, link windows that are non-empty and at most 90 days.
#![no_main]

use latchkey_domain::guest_link::{MAX_TEMPLATE_HOURS, check_duration_hours};
use latchkey_domain::{
    GuestLinkTemplate, PersonName, RateLimits, RateLimitsPatch, Role, Structure, UserId, Username,
};
use latchkey_http::routes::admin::limits::LimitsBody;
use latchkey_http::routes::admin::user::UpdateUserBody;
use latchkey_http::routes::admin::users::CreateUserBody;
use latchkey_http::routes::auth::login::LoginBody;
use latchkey_http::routes::auth::password::ChangePasswordBody;
use latchkey_http::routes::guest_links::expiry::ExpiryBody;
use latchkey_http::routes::guest_links::links::CreateLinkBody;
use latchkey_http::routes::guest_links::templates::CreateTemplateBody;
use latchkey_http::routes::ring::accounts::{CreateAccountBody, UpdateAccountBody};
use latchkey_http::routes::ring::link::{SaveTokenBody, StartBody, TestTokenBody, VerifyBody};
use latchkey_http::routes::ring::unlock::UnlockBody;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use time::{Duration, OffsetDateTime};

#[path = "json_bodies/checks.rs"]
mod checks;
use checks::*;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let which = if which.is_ascii_lowercase() {
        which - b'a'
    } else {
        which
    } % 15;
    match which {
        0 => login(body),
        1 => create_user(body),
        2 => update_user(body),
        3 => limits(body),
        4 => change_password(body),
        5 => create_template(body),
        6 => create_link(body),
        7 => expiry(body),
        8 => create_account(body),
        9 => update_account(body),
        10 => unlock(body),
        11 => ring_start(body),
        12 => ring_verify(body),
        13 => save_token(body),
        _ => test_token(body),
    }
});

// ---- the bodies ----

fn login(body: &[u8]) {
    let Some(b) = parse::<LoginBody>(body, &["username", "password"], false, |b| {
        fields([("username", opt(&b.username)), ("password", opt(&b.password))])
    }) else {
        return;
    };
    // Login never validates the typed name; it looks up its key.
    let typed = b.username.unwrap_or_default();
    assert_eq!(Username::key_of(&typed), typed.trim().to_lowercase());
}

fn create_user(body: &[u8]) {
    let names = [
        "username",
        "password",
        "role",
        "firstName",
        "lastName",
        "structure",
    ];
    let Some(b) = parse::<CreateUserBody>(body, &names, true, |b| {
        fields([
            ("username", Some(json!(b.username))),
            ("password", Some(json!(b.password))),
            ("role", opt(&b.role)),
            ("firstName", opt(&b.first_name)),
            ("lastName", opt(&b.last_name)),
            ("structure", opt(&b.structure)),
        ])
    }) else {
        return;
    };
    let username = username(&b.username);
    if let Some(role) = b.role.as_deref().map(str::trim).filter(|r| !r.is_empty())
        && let Some(parsed) = Role::parse(role)
    {
        assert_eq!(parsed.as_str(), role);
    }
    let first = text(b.first_name.as_deref(), PersonName::MAX, |r| {
        PersonName::parse("firstName", r).map(|n| n.as_deref().map(str::to_owned))
    });
    let last = text(b.last_name.as_deref(), PersonName::MAX, |r| {
        PersonName::parse("lastName", r).map(|n| n.as_deref().map(str::to_owned))
    });
    text(b.structure.as_deref(), Structure::MAX, |r| {
        Structure::parse(r).map(|s| s.as_deref().map(str::to_owned))
    });
    if let Some(username) = username {
        let context = [
            username.as_str(),
            first.as_deref().unwrap_or(""),
            last.as_deref().unwrap_or(""),
        ];
        password(&b.password, &context);
    }
}

fn update_user(body: &[u8]) {
    let names = [
        "username",
        "password",
        "firstName",
        "lastName",
        "structure",
        "disabled",
    ];
    let Some(b) = parse::<UpdateUserBody>(body, &names, true, |b| {
        fields([
            ("username", opt(&b.username)),
            ("password", opt(&b.password)),
            ("firstName", opt(&b.first_name)),
            ("lastName", opt(&b.last_name)),
            ("structure", opt(&b.structure)),
            ("disabled", opt(&b.disabled)),
        ])
    }) else {
        return;
    };
    let username = b.username.as_deref().and_then(username);
    for (field, value) in [("firstName", &b.first_name), ("lastName", &b.last_name)] {
        if let Some(v) = value {
            text(Some(v), PersonName::MAX, |r| {
                PersonName::parse(field, r).map(|n| n.as_deref().map(str::to_owned))
            });
        }
    }
    if let Some(v) = &b.structure {
        text(Some(v), Structure::MAX, |r| {
            Structure::parse(r).map(|s| s.as_deref().map(str::to_owned))
        });
    }
    if let Some(pw) = &b.password {
        let name = username.as_ref().map_or("ada", Username::as_str);
        password(pw, &[name]);
    }
}

fn limits(body: &[u8]) {
    let names = ["guestPerMinute", "authPerMinute"];
    let Some(b) = parse::<LimitsBody>(body, &names, true, |b| {
        fields([
            ("guestPerMinute", opt(&b.guest_per_minute)),
            ("authPerMinute", opt(&b.auth_per_minute)),
        ])
    }) else {
        return;
    };
    let current = RateLimits::default();
    let patch = RateLimitsPatch {
        guest_per_minute: b.guest_per_minute,
        auth_per_minute: b.auth_per_minute,
    };
    let in_range = |v: Option<i64>| v.is_none_or(|v| (1..=1_000_000).contains(&v));
    match current.apply(patch) {
        Ok(l) => {
            assert!(in_range(b.guest_per_minute) && in_range(b.auth_per_minute));
            let kept =
                |v: Option<i64>, cur: u32, now: u32| assert_eq!(i64::from(now), v.unwrap_or(i64::from(cur)));
            kept(b.guest_per_minute, current.guest_per_minute, l.guest_per_minute);
            kept(b.auth_per_minute, current.auth_per_minute, l.auth_per_minute);
        }
        Err(e) => {
            let bad = if in_range(b.guest_per_minute) {
                "authPerMinute"
            } else {
                "guestPerMinute"
            };
            assert!(!(in_range(b.guest_per_minute) && in_range(b.auth_per_minute)));
            assert_eq!(e.field, bad);
        }
    }
}

fn change_password(body: &[u8]) {
    let names = ["currentPassword", "newPassword"];
    let Some(b) = parse::<ChangePasswordBody>(body, &names, true, |b| {
        fields([
            ("currentPassword", Some(json!(b.current_password))),
            ("newPassword", Some(json!(b.new_password))),
        ])
    }) else {
        return;
    };
    password(&b.new_password, &["ada"]);
}

fn create_template(body: &[u8]) {
    let names = ["name", "durationHours", "maxUses"];
    let Some(b) = parse::<CreateTemplateBody>(body, &names, true, |b| {
        fields([
            ("name", Some(json!(b.name))),
            ("durationHours", Some(json!(b.duration_hours))),
            ("maxUses", opt(&b.max_uses)),
        ])
    }) else {
        return;
    };
    label(Some(&b.name));
    let hours = check_duration_hours(b.duration_hours);
    assert_eq!(
        hours.ok(),
        Some(b.duration_hours).filter(|h| (1..=2160).contains(h))
    );
    max_uses(b.max_uses);
}

fn create_link(body: &[u8]) {
    let names = [
        "label",
        "intercomId",
        "ringAccountId",
        "startsAt",
        "expiresAt",
        "maxUses",
        "templateId",
    ];
    let Some(b) = parse::<CreateLinkBody>(body, &names, true, |b| {
        fields([
            ("label", opt(&b.label)),
            ("intercomId", Some(json!(b.intercom_id))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("startsAt", opt(&b.starts_at)),
            ("expiresAt", opt(&b.expires_at)),
            ("maxUses", opt(&b.max_uses)),
            ("templateId", opt(&b.template_id)),
        ])
    }) else {
        return;
    };
    label(b.label.as_deref());
    max_uses(b.max_uses);
    // As `GuestService::create_link` goes: the start defaults to now, a template fills
    // the end, the window is checked.
    let starts = match b.starts_at.as_deref().map(|s| instant("startsAt", s)) {
        Some(None) => return,
        Some(Some(t)) => t,
        None => OffsetDateTime::now_utc(),
    };
    let template_end = b.template_id.map(|id| {
        let hours = 1 + id.rem_euclid(MAX_TEMPLATE_HOURS);
        let template = GuestLinkTemplate {
            id,
            owner_id: UserId(1),
            name: "template".into(),
            duration_hours: hours,
            max_uses: None,
            created_at: starts,
        };
        let (from, to, _) = template.expand(starts);
        assert_eq!(from, starts);
        assert!(
            to >= starts && to - starts <= Duration::hours(hours),
            "{starts} + {hours} h = {to}"
        );
        to
    });
    let expires = match b.expires_at.as_deref().map(|s| instant("expiresAt", s)) {
        Some(None) => return,
        Some(Some(t)) => Some(t),
        None => template_end,
    };
    if let Some(expires) = expires {
        window(starts, expires);
    }
}

fn expiry(body: &[u8]) {
    let Some(b) = parse::<ExpiryBody>(body, &["expiresAt"], true, |b| {
        fields([("expiresAt", Some(json!(b.expires_at)))])
    }) else {
        return;
    };
    if let Some(expires) = instant("expiresAt", &b.expires_at) {
        window(OffsetDateTime::now_utc(), expires);
    }
}

fn create_account(body: &[u8]) {
    let Some(b) = parse::<CreateAccountBody>(body, &["label"], true, |b| {
        fields([("label", Some(json!(b.label)))])
    }) else {
        return;
    };
    account_label(&b.label);
}

fn update_account(body: &[u8]) {
    let names = ["label", "isDefault"];
    let Some(b) = parse::<UpdateAccountBody>(body, &names, true, |b| {
        fields([("label", opt(&b.label)), ("isDefault", opt(&b.is_default))])
    }) else {
        return;
    };
    if let Some(l) = &b.label {
        account_label(l);
    }
}

fn unlock(body: &[u8]) {
    let names = ["intercomId", "ringAccountId"];
    parse::<UnlockBody>(body, &names, true, |b| {
        fields([
            ("intercomId", Some(json!(b.intercom_id))),
            ("ringAccountId", opt(&b.ring_account_id)),
        ])
    });
}

fn ring_start(body: &[u8]) {
    let names = ["email", "password", "ringAccountId", "accountLabel"];
    let Some(b) = parse::<StartBody>(body, &names, true, |b| {
        fields([
            ("email", Some(json!(b.email))),
            ("password", Some(json!(b.password))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("accountLabel", opt(&b.account_label)),
        ])
    }) else {
        return;
    };
    if let Some(l) = &b.account_label {
        account_label(l);
    }
}

fn ring_verify(body: &[u8]) {
    let names = ["authSessionId", "code"];
    parse::<VerifyBody>(body, &names, true, |b| {
        fields([
            ("authSessionId", Some(json!(b.auth_session_id))),
            ("code", Some(json!(b.code))),
        ])
    });
}

fn save_token(body: &[u8]) {
    let names = ["refreshToken", "ringAccountId", "accountLabel"];
    let Some(b) = parse::<SaveTokenBody>(body, &names, true, |b| {
        fields([
            ("refreshToken", Some(json!(b.refresh_token))),
            ("ringAccountId", opt(&b.ring_account_id)),
            ("accountLabel", opt(&b.account_label)),
        ])
    }) else {
        return;
    };
    if let Some(l) = &b.account_label {
        account_label(l);
    }
}

fn test_token(body: &[u8]) {
    parse::<TestTokenBody>(body, &["refreshToken"], true, |b| {
        fields([("refreshToken", Some(json!(b.refresh_token)))])
    });
}
