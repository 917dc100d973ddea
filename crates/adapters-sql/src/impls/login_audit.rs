//! `LoginAuditStore` for any store type with a `conn()` method.

/// Implements [`latchkey_ports::LoginAuditStore`] for `$store`.
#[macro_export]
macro_rules! impl_login_audit_store {
    ($store:ty) => {
        #[$crate::__private::async_trait]
        impl $crate::__private::ports::LoginAuditStore for $store {
            async fn record_login(
                &self,
                event: $crate::__private::ports::NewLoginAudit,
            ) -> ::core::result::Result<(), $crate::__private::ports::StoreError> {
                use $crate::impls::prelude::*;
                use $crate::model::login_audit::NewLoginAuditRow;
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    $crate::__private::diesel::insert_into(schema::login_audit::table)
                        .values(NewLoginAuditRow::new(&event))
                        .cached()
                        .execute(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    Ok(())
                })
            }

            async fn list_logins(
                &self,
                offset: u64,
                limit: u64,
            ) -> ::core::result::Result<
                $crate::__private::ports::Page<$crate::__private::domain::LoginAuditEvent>,
                $crate::__private::ports::StoreError,
            > {
                use $crate::impls::prelude::*;
                use $crate::model::login_audit::{LoginAuditRow, page};
                let mut pooled = self.conn().await?;
                $crate::__bounded!(self, pooled, {
                    // Two statements without a shared snapshot: an event recorded in between
                    // can make `total` one ahead of the page, which an admin list tolerates.
                    let rows = page(clamp_i64(offset), clamp_i64(limit))
                        .select(LoginAuditRow::as_select())
                        .load::<LoginAuditRow>(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    let total: i64 = schema::login_audit::table
                        .count()
                        .get_result(&mut *pooled)
                        .await
                        .map_err(map_diesel_error)?;
                    let items = rows
                        .into_iter()
                        .map(LoginAuditRow::into_domain)
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
