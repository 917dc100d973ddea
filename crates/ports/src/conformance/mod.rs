//! The storage conformance suite (feature `conformance`): every promise the storage
//! ports make, checked against a real database. Every storage adapter runs it.
//!
//! Each behaviour is a public async function taking a fresh, migrated, empty store.
//! [`conformance_suite!`](crate::conformance_suite) turns them into one `#[tokio::test]`
//! each, so an adapter's `tests/conformance.rs` is a few lines:
//!
//! ```ignore
//! async fn fresh_store() -> Option<(MyStore, impl Sized)> {
//!     // ...a new empty database; the second value lives until the test ends
//!     // (a temp dir, a schema guard). `None` skips the test.
//! }
//! latchkey_ports::conformance_suite!(fresh_store);
//! ```
//!
//! The consuming crate needs `tokio` (with `macros` and `rt-multi-thread`) among its
//! dev-dependencies. Timestamps are compared at microsecond precision: stores keep no
//! more, and the suite truncates its inputs where it compares exact values.

// Assertions are the point of this module; it is test code compiled as a library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod audit_totals;
pub mod device_health;
pub mod fixtures;
pub mod guest_link_disabled;
pub mod guest_links;
pub mod guest_templates;
pub mod guest_uses;
pub mod health;
pub mod lockout;
pub mod login_audit;
pub mod pending_unlocks;
pub mod ring_accounts;
pub mod ring_auth;
pub mod ring_defaults;
pub mod sessions;
pub mod settings;
pub mod unlock_audit;
pub mod user_updates;
pub mod users;

use crate::{
    DeviceHealthStore, GuestLinkStore, GuestTemplateStore, LoginAuditStore, RingAccountStore,
    RingAuthAttemptStore, SessionStore, SettingsStore, StoreHealth, UnlockAuditStore, UserStore,
};

/// Everything a complete store implements; what the behaviours are generic over.
pub trait ConformanceStore:
    UserStore
    + SessionStore
    + LoginAuditStore
    + SettingsStore
    + RingAccountStore
    + RingAuthAttemptStore
    + UnlockAuditStore
    + DeviceHealthStore
    + GuestLinkStore
    + GuestTemplateStore
    + StoreHealth
{
}

impl<T> ConformanceStore for T where
    T: UserStore
        + SessionStore
        + LoginAuditStore
        + SettingsStore
        + RingAccountStore
        + RingAuthAttemptStore
        + UnlockAuditStore
        + DeviceHealthStore
        + GuestLinkStore
        + GuestTemplateStore
        + StoreHealth
{
}

/// Expands to one `#[tokio::test]` per behaviour of the suite. `$fresh` is an async
/// function (or closure) returning `Option<(store, guard)>`; `None` skips the test, and
/// the guard is dropped after the behaviour ran.
#[macro_export]
macro_rules! conformance_suite {
    ($fresh:expr) => {
        $crate::__conformance_tests! { $fresh;
            users::create_user_round_trips_every_field,
            users::timestamps_round_trip_to_the_microsecond,
            users::duplicate_username_in_another_case_conflicts,
            users::unicode_username_round_trips,
            users::count_users_counts_every_user,
            users::unknown_user_is_not_found,
            users::find_credentials_looks_up_by_key,
            users::list_users_is_ordered_by_id,
            user_updates::update_user_changes_each_field_alone,
            user_updates::update_user_clears_optional_fields,
            user_updates::update_user_renames_and_moves_the_key,
            user_updates::update_user_to_a_taken_name_conflicts_and_changes_nothing,
            user_updates::update_unknown_user_is_not_found,
            user_updates::password_update_revokes_sessions,
            user_updates::disable_revokes_sessions_but_other_updates_do_not,
            lockout::swap_lock_state_swaps_when_expected_matches,
            lockout::swap_lock_state_refuses_a_stale_expectation,
            lockout::swap_lock_state_of_unknown_user_is_not_found,
            lockout::concurrent_failed_logins_count_exactly_once,
            users::delete_user_cascades_sessions_and_keeps_audit_text,
            users::delete_unknown_user_is_not_found,
            sessions::create_session_returns_the_stored_session,
            sessions::create_session_for_unknown_user_is_not_found,
            sessions::find_session_returns_the_joined_user,
            sessions::find_unknown_session_is_none,
            sessions::touch_session_moves_only_last_seen,
            sessions::delete_session_is_idempotent,
            sessions::delete_user_sessions_counts_only_that_user,
            sessions::delete_stale_sessions_by_idle_and_absolute_expiry,
            login_audit::list_logins_is_empty_at_first,
            login_audit::list_logins_pages_newest_first_with_total,
            settings::rate_limits_are_none_until_saved,
            settings::rate_limits_round_trip_and_overwrite,
            ring_accounts::create_ring_account_round_trips_and_only_the_first_is_default,
            ring_accounts::create_ring_account_for_unknown_user_is_not_found,
            ring_accounts::duplicate_hardware_id_conflicts,
            ring_accounts::list_ring_accounts_lists_live_accounts_of_one_user_by_id,
            ring_accounts::list_all_ring_accounts_orders_by_user_then_id,
            ring_accounts::other_users_deleted_and_unknown_accounts_are_not_found,
            ring_accounts::ring_token_is_none_until_saved,
            ring_accounts::save_ring_token_round_trips_bytes_exactly_with_status,
            ring_accounts::set_ring_status_keeps_the_token,
            ring_accounts::mark_needs_relink_if_token_only_marks_the_refused_token,
            ring_accounts::token_calls_on_deleted_or_unknown_accounts_are_not_found,
            ring_defaults::update_ring_account_renames_without_touching_the_default,
            ring_defaults::update_ring_account_make_default_moves_the_flag,
            ring_defaults::concurrent_make_default_calls_leave_exactly_one_default,
            ring_defaults::concurrent_creates_make_exactly_one_default,
            ring_defaults::delete_ring_account_of_the_default_promotes_the_oldest,
            ring_defaults::delete_ring_account_of_a_non_default_keeps_the_default,
            ring_defaults::deleting_the_last_account_makes_the_next_one_default,
            ring_auth::create_ring_auth_attempt_round_trips_every_field,
            ring_auth::create_ring_auth_attempt_for_unknown_user_is_not_found,
            ring_auth::find_ring_auth_attempt_is_none_once_expired_or_for_another_user,
            ring_auth::delete_ring_auth_attempt_is_idempotent,
            ring_auth::delete_expired_ring_auth_attempts_counts_only_expired,
            ring_auth::count_code_requests_counts_from_since_per_user_and_email,
            unlock_audit::list_unlocks_is_empty_at_first,
            unlock_audit::record_unlock_round_trips_both_kinds_of_actor,
            unlock_audit::list_unlocks_pages_newest_first_with_total,
            unlock_audit::list_unlocks_for_a_user_matches_owner_or_actor,
            unlock_audit::unlock_audit_outlives_deleted_users_and_accounts,
            device_health::record_health_round_trips_every_field,
            device_health::health_history_is_newest_first_limited_and_per_intercom,
            device_health::prune_health_deletes_only_older_snapshots,
            guest_links::create_guest_link_round_trips_every_field,
            guest_links::create_guest_link_for_unknown_owner_or_account_is_not_found,
            guest_links::duplicate_token_hash_conflicts,
            guest_links::list_guest_links_is_newest_first_and_per_owner,
            guest_links::list_guest_links_pages_by_id_below_the_cursor,
            guest_links::other_users_and_unknown_links_are_not_found,
            guest_links::find_guest_link_by_token_finds_only_that_hash,
            guest_links::disable_guest_link_is_idempotent_and_refuses_uses,
            guest_links::set_guest_link_expiry_moves_only_the_expiry,
            guest_link_disabled::links_read_disabled_while_the_owner_is_disabled,
            guest_link_disabled::links_read_disabled_once_the_ring_account_is_deleted,
            guest_links::deleting_the_owner_deletes_links_and_templates,
            guest_uses::reserve_guest_use_window_is_start_inclusive_end_exclusive,
            guest_uses::reserve_guest_use_refuses_used_up_links,
            guest_uses::unlimited_links_are_never_used_up,
            guest_uses::reserve_unknown_token_is_unknown,
            guest_uses::release_guest_use_gives_back_one_use_and_never_goes_below_zero,
            guest_uses::concurrent_reservations_take_exactly_the_uses_left,
            guest_uses::one_use_left_is_never_taken_twice,
            guest_uses::a_reservation_brings_the_links_own_account,
            pending_unlocks::a_reservation_writes_its_audit_row_unknown_and_a_refusal_writes_none,
            pending_unlocks::settle_unlock_sets_the_outcome_once,
            guest_templates::create_guest_template_round_trips_every_field,
            guest_templates::create_guest_template_for_unknown_owner_is_not_found,
            guest_templates::list_guest_templates_is_ordered_by_id_and_per_owner,
            guest_templates::other_users_and_unknown_templates_are_not_found,
            guest_templates::delete_guest_template_removes_only_it_and_keeps_links,
            health::ping_answers,
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_tests {
    ($fresh:expr; $($module:ident :: $name:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some((store, guard)) = ($fresh)().await else { return };
                $crate::conformance::$module::$name(store).await;
                drop(guard);
            }
        )*
    };
}
