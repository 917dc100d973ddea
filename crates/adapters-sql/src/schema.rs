//! The one diesel schema both stores share, in the column types both backends support.
//!
//! `Timestamp` holds naive UTC (see [`crate::timestamps`]); `BigInt` ids are `INTEGER PRIMARY
//! KEY` on SQLite; `Binary` is `BYTEA` / `BLOB` (sealed secrets, never text).
//! The DDL lives in `migrations/{postgres,sqlite}`; keep the three in step.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_key -> Text,
        role -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        structure -> Nullable<Text>,
        password_hash -> Text,
        disabled -> Bool,
        must_change_password -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_audit (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        username -> Text,
        user_id -> Nullable<BigInt>,
        outcome -> Text,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ring_accounts (id) {
        id -> BigInt,
        user_id -> BigInt,
        label -> Text,
        is_default -> Bool,
        hardware_id -> Text,
        status -> Text,
        sealed_token -> Nullable<Binary>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ring_auth_attempts (id) {
        id -> BigInt,
        user_id -> BigInt,
        ring_account_id -> Nullable<BigInt>,
        account_label -> Nullable<Text>,
        hardware_id -> Text,
        sealed_credentials -> Binary,
        prompt -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    ring_code_requests (id) {
        id -> BigInt,
        user_id -> BigInt,
        email_hash -> Text,
        requested_at -> Timestamp,
    }
}

// No `joinable!` to users or ring_accounts: the audit keeps plain ids (no foreign keys).
diesel::table! {
    unlock_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_user_id -> Nullable<BigInt>,
        guest_link_id -> Nullable<BigInt>,
        owner_id -> Nullable<BigInt>,
        ring_account_id -> Nullable<BigInt>,
        intercom_id -> Nullable<BigInt>,
        outcome -> Text,
        error_code -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

// Kept by triggers on `unlock_events` (migration 20261124000004): exact totals for the
// audit pages, 16 shard rows each.
diesel::table! {
    unlock_event_totals (shard) {
        shard -> BigInt,
        events -> BigInt,
    }
}

diesel::table! {
    unlock_event_user_totals (user_id, shard) {
        user_id -> BigInt,
        shard -> BigInt,
        events -> BigInt,
    }
}

diesel::table! {
    device_health (id) {
        id -> BigInt,
        ring_account_id -> BigInt,
        intercom_id -> BigInt,
        taken_at -> Timestamp,
        online -> Nullable<Bool>,
        battery_percent -> Nullable<Integer>,
        signal_dbm -> Nullable<Integer>,
        firmware -> Nullable<Text>,
    }
}

diesel::table! {
    guest_links (id) {
        id -> BigInt,
        owner_id -> BigInt,
        ring_account_id -> BigInt,
        intercom_id -> BigInt,
        label -> Nullable<Text>,
        token_hash -> Text,
        sealed_token -> Binary,
        starts_at -> Timestamp,
        expires_at -> Timestamp,
        max_uses -> Nullable<Integer>,
        uses -> Integer,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    guest_link_templates (id) {
        id -> BigInt,
        owner_id -> BigInt,
        name -> Text,
        duration_hours -> Integer,
        max_uses -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(login_audit -> users (user_id));
diesel::joinable!(ring_accounts -> users (user_id));
diesel::joinable!(ring_auth_attempts -> users (user_id));
diesel::joinable!(ring_code_requests -> users (user_id));
diesel::joinable!(device_health -> ring_accounts (ring_account_id));
diesel::joinable!(guest_links -> users (owner_id));
diesel::joinable!(guest_links -> ring_accounts (ring_account_id));
diesel::joinable!(guest_link_templates -> users (owner_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    login_audit,
    settings,
    ring_accounts,
    ring_auth_attempts,
    ring_code_requests,
    unlock_events,
    unlock_event_totals,
    unlock_event_user_totals,
    device_health,
    guest_links,
    guest_link_templates,
);
