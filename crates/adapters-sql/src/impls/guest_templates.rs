//! `GuestTemplateStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::GuestTemplateStore`] for `$store`.
#[macro_export]
macro_rules! impl_guest_template_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::GuestTemplateStore for $store {
            async fn create_guest_template(
                &self,
                template: $crate::__private::ports::NewGuestTemplate,
            ) -> ::core::result::Result<
                $crate::__private::domain::GuestLinkTemplate,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_templates::{GuestTemplateRow, NewGuestTemplateRow};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // A missing owner fails the foreign key, which maps to NotFound.
                    $crate::__private::diesel::insert_into(schema::guest_link_templates::table)
                        .values(NewGuestTemplateRow::new(&template))
                        .returning(GuestTemplateRow::as_returning())
                        .get_result::<GuestTemplateRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn list_guest_templates(
                &self,
                owner_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::__private::domain::GuestLinkTemplate>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_templates::{GuestTemplateRow, of_owner};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    of_owner(owner_id.0)
                        .select(GuestTemplateRow::as_select())
                        .load::<GuestTemplateRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_iter()
                        .map(GuestTemplateRow::into_domain)
                        .collect()
                })
            }

            async fn get_guest_template(
                &self,
                id: i64,
                owner_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<
                $crate::__private::domain::GuestLinkTemplate,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::guest_templates::{GuestTemplateRow, owned};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    owned(id, owner_id.0)
                        .select(GuestTemplateRow::as_select())
                        .first::<GuestTemplateRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?
                        .into_domain()
                })
            }

            async fn delete_guest_template(
                &self,
                id: i64,
                owner_id: $crate::__private::domain::UserId,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::guest_templates::owned;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Links copied the template's values when made, so nothing else changes.
                    let deleted = $crate::__private::diesel::delete(owned(id, owner_id.0))
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
