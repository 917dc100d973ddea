//! `UnlockAuditStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::UnlockAuditStore`] for `$store`.
#[macro_export]
macro_rules! impl_unlock_audit_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::UnlockAuditStore for $store {
            async fn record_unlock(
                &self,
                event: $crate::__private::ports::NewUnlockEvent,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::unlock_audit::NewUnlockEventRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // No foreign keys on this table: ids of deleted users or accounts are
                    // stored as given, never refused. One statement, committed like any
                    // other: a door that opened is on disk before the guest hears so.
                    $crate::__private::diesel::insert_into(schema::unlock_events::table)
                        .values(NewUnlockEventRow::new(&event))
                        .cached()
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn settle_unlock(
                &self,
                pending: $crate::__private::ports::PendingUnlock,
                outcome: $crate::__private::domain::UnlockOutcome,
                error_code: ::core::option::Option<::std::string::String>,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::pending_unlock::unsettled;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // `lazy_commit()`: the store's way to commit without waiting for the
                    // disk (the port says why that is safe here).
                    $crate::__private::diesel::update(unsettled(pending.0).filter(Self::lazy_commit()))
                        .set((
                            schema::unlock_events::outcome.eq(outcome.as_str()),
                            schema::unlock_events::error_code.eq(error_code.as_deref()),
                        ))
                        .cached()
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn list_unlocks(
                &self,
                user_id: ::core::option::Option<$crate::__private::domain::UserId>,
                offset: u64,
                limit: u64,
            ) -> ::core::result::Result<
                $crate::__private::ports::Page<$crate::__private::domain::UnlockEvent>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::unlock_audit::{UnlockEventRow, page, page_involving};
                let (offset, limit) = (clamp_i64(offset), clamp_i64(limit));
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Two static statements per case rather than one with an optional filter,
                    // so each prepared statement keeps a plan that uses its index. `total`
                    // sums the 16 shard rows the triggers keep (exact, never a COUNT(*) over
                    // the events); it may run one ahead of the page under concurrent writes.
                    let (rows, total): (::std::vec::Vec<UnlockEventRow>, i64) = match user_id {
                        None => {
                            let rows = page(offset, limit)
                                .select(UnlockEventRow::as_select())
                                .load(&mut *pooled)
                                .await
                                .map_err(map_diesel_error)?;
                            let shards: ::std::vec::Vec<i64> = schema::unlock_event_totals::table
                                .select(schema::unlock_event_totals::events)
                                .load(&mut *pooled)
                                .await
                                .map_err(map_diesel_error)?;
                            (rows, shards.iter().sum())
                        }
                        Some(user) => {
                            let rows = page_involving(user.0, offset, limit)
                                .select(UnlockEventRow::as_select())
                                .load(&mut *pooled)
                                .await
                                .map_err(map_diesel_error)?;
                            let shards: ::std::vec::Vec<i64> = schema::unlock_event_user_totals::table
                                .filter(schema::unlock_event_user_totals::user_id.eq(user.0))
                                .select(schema::unlock_event_user_totals::events)
                                .load(&mut *pooled)
                                .await
                                .map_err(map_diesel_error)?;
                            (rows, shards.iter().sum())
                        }
                    };
                    let items = rows
                        .into_iter()
                        .map(UnlockEventRow::into_domain)
                        .collect::<Result<_, _>>()?;
                    Ok($crate::__private::ports::Page {
                        items,
                        total: u64::try_from(total).unwrap_or(0),
                    })
                })
            }
        }
    };
}
