//! `GuestLinkStore` for any store type with a `conn()` method.
//!
//! Every read selects the row together with `disabled_in_effect()` over the link, its
//! owner and its Ring account (`model::guest_links::with_parents`). Taking a use is one
//! conditional `UPDATE … RETURNING`: on PostgreSQL concurrent updates of the row queue
//! on its lock and re-check the `WHERE` against the committed count; on SQLite the
//! statement holds the database's write lock. Either way, of n calls on a link with k
//! uses left exactly k succeed.

/// Implements [`latchkey_ports::GuestLinkStore`] for `$store`.
#[macro_export]
macro_rules! impl_guest_link_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::GuestLinkStore for $store {
            async fn create_guest_link(
                &self,
                link: $crate::__private::ports::NewGuestLink,
            ) -> ::core::result::Result<
                $crate::__private::domain::GuestLink,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{
                    GuestLinkRow, NewGuestLinkRow, disabled_in_effect, owned_with_parents,
                };
                let owner_id = link.owner_id.0;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // A missing owner or account fails a foreign key (NotFound), a taken hash
                    // the unique constraint (Conflict). The read after the insert, in the same
                    // transaction, gives the link's effective `disabled`.
                    let (row, disabled) = (&mut *pooled)
                        .transaction(async |conn| {
                            let id: i64 = $crate::__private::diesel::insert_into(schema::guest_links::table)
                                .values(NewGuestLinkRow::new(&link))
                                .returning(schema::guest_links::id)
                                .get_result(conn)
                                .await?;
                            owned_with_parents(id, owner_id)
                                .select((GuestLinkRow::as_select(), disabled_in_effect()))
                                .first::<(GuestLinkRow, bool)>(conn)
                                .await
                        })
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain(disabled)
                })
            }

            async fn list_guest_links(
                &self,
                owner_id: $crate::__private::domain::UserId,
                slice: $crate::__private::ports::LinkSlice,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::ports::OwnedGuestLink>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{GuestLinkRow, disabled_in_effect, of_owner_with_parents};
                // "No cursor" is `id < i64::MAX`: one statement text, one prepared plan.
                let before = slice.before.map_or(i64::MAX, |id| id.0);
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    of_owner_with_parents(owner_id.0, before, i64::from(slice.limit))
                        .select((
                            GuestLinkRow::as_select(),
                            schema::guest_links::sealed_token,
                            disabled_in_effect(),
                        ))
                        .load::<(GuestLinkRow, ::std::vec::Vec<u8>, bool)>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_iter()
                        .map(|(row, sealed_token, disabled)| {
                            Ok($crate::__private::ports::OwnedGuestLink {
                                link: row.into_domain(disabled)?,
                                sealed_token,
                            })
                        })
                        .collect()
                })
            }

            async fn get_guest_link(
                &self,
                id: $crate::__private::domain::GuestLinkId,
                owner_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<
                $crate::__private::domain::GuestLink,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{GuestLinkRow, disabled_in_effect, owned_with_parents};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let (row, disabled) = owned_with_parents(id.0, owner_id.0)
                        .select((GuestLinkRow::as_select(), disabled_in_effect()))
                        .first::<(GuestLinkRow, bool)>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain(disabled)
                })
            }

            async fn find_guest_link_by_token(
                &self,
                token_hash: &str,
            ) -> ::core::result::Result<
                ::core::option::Option<$crate::__private::domain::GuestLink>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{GuestLinkRow, by_token_with_parents, disabled_in_effect};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    by_token_with_parents(token_hash)
                        .select((GuestLinkRow::as_select(), disabled_in_effect()))
                        .first::<(GuestLinkRow, bool)>(&mut *pooled)
                        .await
                        .optional()
                        .map_err(map_diesel_error)?
                        .map(|(row, disabled)| row.into_domain(disabled))
                        .transpose()
                })
            }

            async fn disable_guest_link(
                &self,
                id: $crate::__private::domain::GuestLinkId,
                owner_id: $crate::__private::domain::UserId,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{coalesce, owned};
                let now = to_db(now);
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // COALESCE keeps the first `disabled_at`, so a repeat is a no-op that still
                    // matches the row (and so still tells NotFound apart).
                    let changed = $crate::__private::diesel::update(owned(id.0, owner_id.0))
                        .set((
                            schema::guest_links::disabled_at
                                .eq(coalesce(schema::guest_links::disabled_at, Some(now))),
                            schema::guest_links::updated_at.eq(now),
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

            async fn set_guest_link_expiry(
                &self,
                id: $crate::__private::domain::GuestLinkId,
                owner_id: $crate::__private::domain::UserId,
                expires_at: $crate::__private::time::OffsetDateTime,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<
                $crate::__private::domain::GuestLink,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{
                    GuestLinkRow, disabled_in_effect, owned, owned_with_parents,
                };
                let (id, owner_id) = (id.0, owner_id.0);
                let (expires_at, now) = (to_db(expires_at), to_db(now));
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Write first (SQLite's WAL rule), then read the result with its parents.
                    let (row, disabled) = (&mut *pooled)
                        .transaction(async |conn| {
                            let changed = $crate::__private::diesel::update(owned(id, owner_id))
                                .set((
                                    schema::guest_links::expires_at.eq(expires_at),
                                    schema::guest_links::updated_at.eq(now),
                                ))
                                .execute(conn)
                                .await?;
                            if changed == 0 {
                                return Err($crate::__private::diesel::result::Error::NotFound);
                            }
                            owned_with_parents(id, owner_id)
                                .select((GuestLinkRow::as_select(), disabled_in_effect()))
                                .first::<(GuestLinkRow, bool)>(conn)
                                .await
                        })
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain(disabled)
                })
            }

            async fn reserve_guest_use(
                &self,
                token_hash: &str,
                attempt: &$crate::__private::ports::GuestAttempt,
            ) -> ::core::result::Result<
                $crate::__private::ports::Reservation,
                $crate::__private::ports::StoreError,
            > {
                use $crate::__private::ports::{PendingUnlock, Reservation};
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::{GuestLinkRow, by_token_with_parents, disabled_in_effect};
                use $crate::model::reservation::into_reserved;
                let now = to_db(attempt.at);
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // The use and its audit row, committed together (the store's own
                    // `write_ahead`; see `model::pending_unlock`).
                    let written = Self::write_ahead(&mut *pooled, token_hash, now, attempt)
                        .await
                        .map_err(map_diesel_error)?;
                    if let Some((row, account, pending)) = written {
                        // The update's own condition: not disabled, owner enabled, account live.
                        let (link, account) = into_reserved(row, account)?;
                        return Ok(Reservation::Reserved {
                            link,
                            account,
                            pending: PendingUnlock(pending),
                        });
                    }
                    // Nothing changed: only now read why, for the caller's message.
                    let found = by_token_with_parents(token_hash)
                        .select((GuestLinkRow::as_select(), disabled_in_effect()))
                        .first::<(GuestLinkRow, bool)>(&mut *pooled)
                        .await
                        .optional()
                        .map_err(map_diesel_error)?;
                    match found {
                        Some((row, disabled)) => Ok(Reservation::Refused(row.into_domain(disabled)?)),
                        None => Ok(Reservation::Unknown),
                    }
                })
            }

            async fn release_guest_use(
                &self,
                id: $crate::__private::domain::GuestLinkId,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::guest_links::releasable;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // `updated_at` stays: there is no `now` here, and the use never happened.
                    $crate::__private::diesel::update(releasable(id.0))
                        .set(schema::guest_links::uses.eq(schema::guest_links::uses - 1))
                        .cached()
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }
        }
    };
}
