//! `RingAuthAttemptStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::RingAuthAttemptStore`] for `$store`.
#[macro_export]
macro_rules! impl_ring_auth_attempt_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::RingAuthAttemptStore for $store {
            async fn create_ring_auth_attempt(
                &self,
                attempt: $crate::__private::ports::NewRingAuthAttempt,
            ) -> ::core::result::Result<
                $crate::__private::ports::RingAuthAttempt,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::{NewRingAuthAttemptRow, RingAuthAttemptRow};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // A missing user (or account) fails the foreign key, which maps to NotFound.
                    $crate::__private::diesel::insert_into(schema::ring_auth_attempts::table)
                        .values(NewRingAuthAttemptRow::new(&attempt))
                        .returning(RingAuthAttemptRow::as_returning())
                        .get_result::<RingAuthAttemptRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn find_ring_auth_attempt(
                &self,
                id: i64,
                user_id: $crate::__private::domain::UserId,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<
                ::core::option::Option<$crate::__private::ports::RingAuthAttempt>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::{RingAuthAttemptRow, live_attempt};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    live_attempt(id, user_id.0, to_db(now))
                        .select(RingAuthAttemptRow::as_select())
                        .first::<RingAuthAttemptRow>(&mut *pooled)
                        .await
                        .optional()
                        .map_err(map_diesel_error)?
                        .map(RingAuthAttemptRow::into_domain)
                        .transpose()
                })
            }

            async fn delete_ring_auth_attempt(
                &self,
                id: i64,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::attempt_by_id;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::delete(attempt_by_id(id))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn delete_expired_ring_auth_attempts(
                &self,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::expired_attempts;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n = $crate::__private::diesel::delete(expired_attempts(to_db(now)))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(count_u64(n))
                })
            }

            async fn record_code_request(
                &self,
                user_id: $crate::__private::domain::UserId,
                email_hash: &str,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::NewCodeRequestRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::insert_into(schema::ring_code_requests::table)
                        .values(NewCodeRequestRow {
                            user_id: user_id.0,
                            email_hash,
                            requested_at: to_db(now),
                        })
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn count_code_requests(
                &self,
                user_id: $crate::__private::domain::UserId,
                email_hash: &str,
                since: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_auth::code_requests_since;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n: i64 = code_requests_since(user_id.0, email_hash, to_db(since))
                        .count()
                        .get_result(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(u64::try_from(n).unwrap_or(0))
                })
            }
        }
    };
}
