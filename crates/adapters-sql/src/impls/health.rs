//! `StoreHealth` for any store type with `conn()` and a `probe(conn)` that checks the
//! database can do what requests need (each store says what that takes).

/// Implements [`latchkey_ports::StoreHealth`] for `$store`.
#[macro_export]
macro_rules! impl_store_health {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::StoreHealth for $store {
            async fn ping(&self) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                let unavailable = |e: StoreError| match e {
                    StoreError::Unavailable(msg) => StoreError::Unavailable(msg),
                    // The contract: any failure to answer a trivial query is "unavailable".
                    other => StoreError::Unavailable(other.to_string()),
                };
                let mut pooled = self.conn().await.map_err(unavailable)?;
                $crate::__bounded!(self, pooled, {
                    <$store>::probe(&mut *pooled)
                        .await
                        .map_err(|e| unavailable(map_diesel_error(e)))
                })
            }
        }
    };
}
