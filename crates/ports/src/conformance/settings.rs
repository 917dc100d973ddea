//! `SettingsStore`.

use latchkey_domain::RateLimits;

use super::ConformanceStore;

pub async fn rate_limits_are_none_until_saved<S: ConformanceStore>(store: S) {
    assert_eq!(store.rate_limits().await.unwrap(), None);
}

pub async fn rate_limits_round_trip_and_overwrite<S: ConformanceStore>(store: S) {
    let first = RateLimits {
        guest_per_minute: 1,
        auth_per_minute: RateLimits::MAX,
    };
    store.save_rate_limits(first).await.unwrap();
    assert_eq!(store.rate_limits().await.unwrap(), Some(first));

    let second = RateLimits {
        guest_per_minute: 30,
        auth_per_minute: 90,
    };
    store.save_rate_limits(second).await.unwrap();
    assert_eq!(store.rate_limits().await.unwrap(), Some(second));
}
