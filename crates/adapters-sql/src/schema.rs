//! The one diesel schema both stores share, in the column types both backends support.
//!
//! `Timestamp` holds naive UTC (see [`crate::timestamps`]); `BigInt` ids are `INTEGER PRIMARY
//! KEY` on SQLite. The DDL lives in `migrations/{postgres,sqlite}`; keep the three in step.

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

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(login_audit -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(users, sessions, login_audit, settings);
