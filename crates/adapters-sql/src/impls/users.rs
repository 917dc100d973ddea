//! `UserStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::UserStore`] for `$store`.
#[macro_export]
macro_rules! impl_user_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::UserStore for $store {
            async fn create_user(
                &self,
                user: $crate::__private::ports::NewUser,
            ) -> ::core::result::Result<$crate::__private::domain::User, $crate::__private::ports::StoreError>
            {
                use $crate::impls::prelude::*;
                use $crate::model::users::{NewUserRow, UserRow};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::insert_into(schema::users::table)
                        .values(NewUserRow::new(&user))
                        .returning(UserRow::as_returning())
                        .get_result::<UserRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn count_users(&self) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n: i64 = schema::users::table
                        .count()
                        .get_result(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(u64::try_from(n).unwrap_or(0))
                })
            }

            async fn get_user(
                &self,
                id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<$crate::__private::domain::User, $crate::__private::ports::StoreError>
            {
                use $crate::impls::prelude::*;
                use $crate::model::users::{UserRow, by_id};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    by_id(id.0)
                        .select(UserRow::as_select())
                        .first::<UserRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn find_credentials(
                &self,
                username_key: &str,
            ) -> ::core::result::Result<
                ::core::option::Option<$crate::__private::ports::UserCredentials>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::users::{UserRow, by_key};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let found = by_key(username_key)
                        .select((UserRow::as_select(), schema::users::password_hash))
                        .first::<(UserRow, String)>(&mut *pooled)
                        .await
                        .optional()
                        .map_err(map_diesel_error)?;
                    found
                        .map(|(row, hash)| {
                            Ok($crate::__private::ports::UserCredentials {
                                user: row.into_domain()?,
                                password_hash: $crate::__private::ports::PasswordHash(hash),
                            })
                        })
                        .transpose()
                })
            }

            async fn list_users(
                &self,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::domain::User>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::users::UserRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    schema::users::table
                        .order_by(schema::users::id)
                        .select(UserRow::as_select())
                        .load::<UserRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_iter()
                        .map(UserRow::into_domain)
                        .collect()
                })
            }

            async fn update_user(
                &self,
                id: $crate::__private::domain::UserId,
                update: $crate::__private::ports::UserUpdate,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<$crate::__private::domain::User, $crate::__private::ports::StoreError>
            {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::of_user;
                use $crate::model::users::{UserChangeset, UserRow, by_id};
                let changes = UserChangeset::new(&update, now);
                let revoke = update.revokes_sessions();
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // One transaction, and its first statement writes (SQLite WAL rule). An
                    // unknown id makes `get_result` fail with NotFound, which rolls back.
                    let row = (&mut *pooled)
                        .transaction(async |conn| {
                            let row = $crate::__private::diesel::update(by_id(id.0))
                                .set(&changes)
                                .returning(UserRow::as_returning())
                                .get_result::<UserRow>(conn)
                                .await?;
                            if revoke {
                                $crate::__private::diesel::delete(of_user(id.0))
                                    .execute(conn)
                                    .await?;
                            }
                            Ok::<_, $crate::__private::diesel::result::Error>(row)
                        })
                        .await
                        .map_err(map_diesel_error)?;
                    row.into_domain()
                })
            }

            async fn swap_lock_state(
                &self,
                id: $crate::__private::domain::UserId,
                expected: $crate::__private::domain::LockState,
                new: $crate::__private::domain::LockState,
            ) -> ::core::result::Result<bool, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::users::{by_id, lock_columns, lock_is_unset, lock_is_until};
                let (failed, until) = lock_columns(expected);
                let (new_failed, new_until) = lock_columns(new);
                let set = (
                    schema::users::failed_logins.eq(new_failed),
                    schema::users::locked_until.eq(new_until),
                );
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Compare-and-swap in one statement: no read, so no lost update.
                    let changed = match until {
                        None => {
                            $crate::__private::diesel::update(lock_is_unset(id.0, failed))
                                .set(set)
                                .execute(&mut *pooled)
                                .await
                        }
                        Some(until) => {
                            $crate::__private::diesel::update(lock_is_until(id.0, failed, until))
                                .set(set)
                                .execute(&mut *pooled)
                                .await
                        }
                    }
                    .map_err(map_diesel_error)?;
                    if changed > 0 {
                        return Ok(true);
                    }
                    // Only on a miss: tell "state moved on" from "no such user".
                    let exists: bool = $crate::__private::diesel::select(
                        $crate::__private::diesel::dsl::exists(by_id(id.0)),
                    )
                    .get_result(&mut *pooled)
                    .await
                    .map_err(map_diesel_error)?;
                    if exists {
                        Ok(false)
                    } else {
                        Err(StoreError::NotFound)
                    }
                })
            }

            async fn delete_user(
                &self,
                id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::users::by_id;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Sessions go by ON DELETE CASCADE, audit rows keep their text by SET NULL.
                    let deleted = $crate::__private::diesel::delete(by_id(id.0))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    if deleted == 0 {
                        Err(StoreError::NotFound)
                    } else {
                        Ok(())
                    }
                })
            }
        }
    };
}
