//! `DeviceHealthStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::DeviceHealthStore`] for `$store`.
#[macro_export]
macro_rules! impl_device_health_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::DeviceHealthStore for $store {
            async fn record_health(
                &self,
                snapshot: $crate::__private::ports::HealthSnapshot,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::device_health::NewHealthRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // An unknown account fails the foreign key, which maps to NotFound.
                    $crate::__private::diesel::insert_into(schema::device_health::table)
                        .values(NewHealthRow::new(&snapshot))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn health_history(
                &self,
                ring_account_id: $crate::__private::domain::RingAccountId,
                intercom_id: $crate::__private::domain::IntercomId,
                limit: u64,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::ports::HealthSnapshot>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::device_health::{HealthRow, history};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let rows = history(ring_account_id.0, intercom_id.0, clamp_i64(limit))
                        .select(HealthRow::as_select())
                        .load::<HealthRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(rows.into_iter().map(HealthRow::into_domain).collect())
                })
            }

            async fn prune_health(
                &self,
                before: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::device_health::taken_before;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n = $crate::__private::diesel::delete(taken_before(to_db(before)))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(count_u64(n))
                })
            }
        }
    };
}
