//! `RingAccountStore` for any store type with a `conn()` method.
//!
//! Create, update and delete decide which of a user's accounts is the default, so each
//! runs in one transaction that starts by touching the user's row
//! ([`__lock_ring_owner!`](crate::__lock_ring_owner)). That write is a per-user lock:
//! on PostgreSQL the row lock is held until commit, so two such transactions for one
//! user run one after the other, and each statement after it sees what the other
//! committed (READ COMMITTED takes a fresh snapshot per statement). Without it, two
//! concurrent "make default" calls would each clear the flags they saw and then collide
//! on `ring_accounts_one_default_idx`. On SQLite the same write is the first statement
//! of the transaction, as the WAL rule wants.

/// The per-user lock described in the module docs: `UPDATE users SET updated_at =
/// updated_at` (no value changes), returning `NotFound` from the enclosing transaction
/// closure when the user does not exist. Not part of the public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __lock_ring_owner {
    ($conn:expr, $user_id:expr) => {{
        let touched = $crate::__private::diesel::update($crate::model::users::by_id($user_id))
            .set($crate::schema::users::updated_at.eq($crate::schema::users::updated_at))
            .execute($conn)
            .await?;
        if touched == 0 {
            return Err($crate::__private::diesel::result::Error::NotFound);
        }
    }};
}

/// Implements [`latchkey_ports::RingAccountStore`] for `$store`.
#[macro_export]
macro_rules! impl_ring_account_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::RingAccountStore for $store {
            async fn create_ring_account(
                &self,
                account: $crate::__private::ports::NewRingAccount,
            ) -> ::core::result::Result<
                $crate::__private::domain::RingAccount,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{NewRingAccountRow, RingAccountRow, live_accounts_of};
                let user_id = account.user_id.0;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let row = (&mut *pooled)
                        .transaction(async |conn| {
                            $crate::__lock_ring_owner!(conn, user_id);
                            let has_live: bool = $crate::__private::diesel::select(
                                $crate::__private::diesel::dsl::exists(live_accounts_of(user_id)),
                            )
                            .get_result(conn)
                            .await?;
                            $crate::__private::diesel::insert_into(schema::ring_accounts::table)
                                .values(NewRingAccountRow::new(&account, !has_live))
                                .returning(RingAccountRow::as_returning())
                                .get_result::<RingAccountRow>(conn)
                                .await
                        })
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain()
                })
            }

            async fn list_ring_accounts(
                &self,
                user_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::domain::RingAccount>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{RingAccountRow, live_accounts_of};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    live_accounts_of(user_id.0)
                        .order_by(schema::ring_accounts::id)
                        .select(RingAccountRow::as_select())
                        .load::<RingAccountRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_iter()
                        .map(RingAccountRow::into_domain)
                        .collect()
                })
            }

            async fn list_all_ring_accounts(
                &self,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::domain::RingAccount>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{RingAccountRow, all_live};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    all_live()
                        .order_by((schema::ring_accounts::user_id, schema::ring_accounts::id))
                        .select(RingAccountRow::as_select())
                        .load::<RingAccountRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_iter()
                        .map(RingAccountRow::into_domain)
                        .collect()
                })
            }

            async fn get_ring_account(
                &self,
                id: $crate::__private::domain::RingAccountId,
                user_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<
                $crate::__private::domain::RingAccount,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{RingAccountRow, live_of_user};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    live_of_user(id.0, user_id.0)
                        .select(RingAccountRow::as_select())
                        .first::<RingAccountRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn update_ring_account(
                &self,
                id: $crate::__private::domain::RingAccountId,
                user_id: $crate::__private::domain::UserId,
                label: ::core::option::Option<$crate::__private::domain::AccountLabel>,
                make_default: bool,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<
                $crate::__private::domain::RingAccount,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{
                    RingAccountChangeset, RingAccountRow, live_of_user, other_defaults,
                };
                let changes = RingAccountChangeset::new(label.as_ref(), make_default, now);
                let (id, user_id, now) = (id.0, user_id.0, to_db(now));
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Clear the others first, then set the target: the unique index is checked
                    // row by row, so the reverse order would trip it. An unknown target makes
                    // the last statement fail with NotFound, which rolls the clearing back.
                    let row = (&mut *pooled)
                        .transaction(async |conn| {
                            $crate::__lock_ring_owner!(conn, user_id);
                            if make_default {
                                $crate::__private::diesel::update(other_defaults(user_id, id))
                                    .set((
                                        schema::ring_accounts::is_default.eq(false),
                                        schema::ring_accounts::updated_at.eq(now),
                                    ))
                                    .execute(conn)
                                    .await?;
                            }
                            $crate::__private::diesel::update(live_of_user(id, user_id))
                                .set(&changes)
                                .returning(RingAccountRow::as_returning())
                                .get_result::<RingAccountRow>(conn)
                                .await
                        })
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain()
                })
            }

            async fn delete_ring_account(
                &self,
                id: $crate::__private::domain::RingAccountId,
                user_id: $crate::__private::domain::UserId,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::{Tombstone, live, live_of_user, oldest_live_of};
                let tombstone = Tombstone::new(now);
                let (id, user_id, now) = (id.0, user_id.0, to_db(now));
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    (&mut *pooled)
                        .transaction(async |conn| {
                            $crate::__lock_ring_owner!(conn, user_id);
                            // Reading after the lock is safe: nothing else changes this
                            // user's flags until we commit.
                            let was_default: bool = live_of_user(id, user_id)
                                .select(schema::ring_accounts::is_default)
                                .first(conn)
                                .await?;
                            $crate::__private::diesel::update(live_of_user(id, user_id))
                                .set(&tombstone)
                                .execute(conn)
                                .await?;
                            if was_default {
                                let heir: ::core::option::Option<i64> =
                                    oldest_live_of(user_id).first(conn).await.optional()?;
                                if let Some(heir) = heir {
                                    $crate::__private::diesel::update(live(heir))
                                        .set((
                                            schema::ring_accounts::is_default.eq(true),
                                            schema::ring_accounts::updated_at.eq(now),
                                        ))
                                        .execute(conn)
                                        .await?;
                                }
                            }
                            Ok::<_, $crate::__private::diesel::result::Error>(())
                        })
                        .await
                        .map_err(map_diesel_error)
                })
            }

            async fn save_ring_token(
                &self,
                id: $crate::__private::domain::RingAccountId,
                sealed_token: ::std::vec::Vec<u8>,
                status: $crate::__private::domain::RingLinkStatus,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::live;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // One statement, so token and status change together or not at all.
                    let changed = $crate::__private::diesel::update(live(id.0))
                        .set((
                            schema::ring_accounts::sealed_token.eq(sealed_token),
                            schema::ring_accounts::status.eq(status.as_str()),
                            schema::ring_accounts::updated_at.eq(to_db(now)),
                        ))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    if changed == 0 {
                        Err(StoreError::NotFound)
                    } else {
                        Ok(())
                    }
                })
            }

            async fn ring_token(
                &self,
                id: $crate::__private::domain::RingAccountId,
            ) -> ::core::result::Result<
                ::core::option::Option<::std::vec::Vec<u8>>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::live;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // A missing row is NotFound; a live row without a token is Ok(None).
                    live(id.0)
                        .select(schema::ring_accounts::sealed_token)
                        .first::<::core::option::Option<::std::vec::Vec<u8>>>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)
                })
            }

            async fn mark_needs_relink_if_token(
                &self,
                id: $crate::__private::domain::RingAccountId,
                refused_sealed: ::std::vec::Vec<u8>,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<bool, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::live;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let changed = $crate::__private::diesel::update(
                        live(id.0).filter(schema::ring_accounts::sealed_token.eq(refused_sealed)),
                    )
                    .set((
                        schema::ring_accounts::status
                            .eq($crate::__private::domain::RingLinkStatus::NeedsRelink.as_str()),
                        schema::ring_accounts::updated_at.eq(to_db(now)),
                    ))
                    .execute(&mut *pooled)
                    .await
                    .map_err(map_diesel_error)?;
                    if changed > 0 {
                        return Ok(true);
                    }
                    // Replaced, or gone: only the second is an error.
                    let live_rows: i64 = live(id.0)
                        .count()
                        .get_result(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    if live_rows == 0 {
                        Err(StoreError::NotFound)
                    } else {
                        Ok(false)
                    }
                })
            }

            async fn set_ring_status(
                &self,
                id: $crate::__private::domain::RingAccountId,
                status: $crate::__private::domain::RingLinkStatus,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::ring_accounts::live;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let changed = $crate::__private::diesel::update(live(id.0))
                        .set((
                            schema::ring_accounts::status.eq(status.as_str()),
                            schema::ring_accounts::updated_at.eq(to_db(now)),
                        ))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    if changed == 0 {
                        Err(StoreError::NotFound)
                    } else {
                        Ok(())
                    }
                })
            }
        }
    };
}
