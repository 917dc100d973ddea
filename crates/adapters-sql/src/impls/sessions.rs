//! `SessionStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::SessionStore`] for `$store`.
#[macro_export]
macro_rules! impl_session_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::SessionStore for $store {
            async fn create_session(
                &self,
                session: $crate::__private::ports::NewSession,
            ) -> ::core::result::Result<
                $crate::__private::domain::Session,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::{NewSessionRow, SessionRow};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // A missing user fails the foreign key, which maps to NotFound.
                    let row = $crate::__private::diesel::insert_into(schema::sessions::table)
                        .values(NewSessionRow::new(&session))
                        .returning(SessionRow::as_returning())
                        .cached()
                        .get_result::<SessionRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(row.into_domain())
                })
            }

            async fn find_session(
                &self,
                id_hash: &str,
            ) -> ::core::result::Result<
                ::core::option::Option<(
                    $crate::__private::domain::Session,
                    $crate::__private::domain::User,
                )>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::{SessionRow, with_user};
                use $crate::model::users::UserRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let found = with_user(id_hash)
                        .select((SessionRow::as_select(), UserRow::as_select()))
                        .first::<(SessionRow, UserRow)>(&mut *pooled)
                        .await
                        .optional()
                        .map_err(map_diesel_error)?;
                    found
                        .map(|(session, user)| Ok((session.into_domain(), user.into_domain()?)))
                        .transpose()
                })
            }

            async fn touch_session(
                &self,
                id_hash: &str,
                now: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::by_hash;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::update(by_hash(id_hash))
                        .set(schema::sessions::last_seen_at.eq(to_db(now)))
                        .cached()
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn delete_session(
                &self,
                id_hash: &str,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::by_hash;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::delete(by_hash(id_hash))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn delete_user_sessions(
                &self,
                user_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::of_user;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n = $crate::__private::diesel::delete(of_user(user_id.0))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(count_u64(n))
                })
            }

            async fn delete_stale_sessions(
                &self,
                now: $crate::__private::time::OffsetDateTime,
                idle_before: $crate::__private::time::OffsetDateTime,
            ) -> ::core::result::Result<u64, $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::sessions::stale;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    let n = $crate::__private::diesel::delete(stale(to_db(now), to_db(idle_before)))
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(count_u64(n))
                })
            }
        }
    };
}
