//! `StoreHealth`.

use super::ConformanceStore;

pub async fn ping_answers<S: ConformanceStore>(store: S) {
    store.ping().await.unwrap();
}
