//! `SettingsStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::SettingsStore`] for `$store`.
#[macro_export]
macro_rules! impl_settings_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::SettingsStore for $store {
            async fn rate_limits(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<$crate::__private::domain::RateLimits>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::settings::{rate_limit_pairs, rate_limits_from};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let pairs: ::std::vec::Vec<(String, String)> = rate_limit_pairs()
                        .load(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    rate_limits_from(&pairs)
                })
            }

            async fn save_rate_limits(
                &self,
                limits: $crate::__private::domain::RateLimits,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::__private::diesel::upsert::excluded;
                use $crate::impls::prelude::*;
                use $crate::model::settings::rate_limit_rows;
                // The port passes no clock; `updated_at` is informational only.
                let rows = rate_limit_rows(
                    limits,
                    to_db($crate::__private::time::OffsetDateTime::now_utc()),
                );
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Both numbers or neither; the first statement writes (SQLite WAL rule).
                    (&mut *pooled)
                        .transaction(async |conn| {
                            for row in &rows {
                                $crate::__private::diesel::insert_into(schema::settings::table)
                                    .values(row)
                                    .on_conflict(schema::settings::key)
                                    .do_update()
                                    .set((
                                        schema::settings::value.eq(excluded(schema::settings::value)),
                                        schema::settings::updated_at
                                            .eq(excluded(schema::settings::updated_at)),
                                    ))
                                    .execute(conn)
                                    .await?;
                            }
                            Ok::<_, $crate::__private::diesel::result::Error>(())
                        })
                        .await
                        .map_err(map_diesel_error)
                })
            }
        }
    };
}
