//! The `guest_link_templates` table: rows, conversions and query pieces for
//! `GuestTemplateStore`.

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{GuestLinkTemplate, UserId};
use latchkey_ports::{NewGuestTemplate, StoreError};
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::guest_link_templates;
use crate::timestamps::{from_db, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = guest_link_templates, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct GuestTemplateRow {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    pub duration_hours: i32,
    pub max_uses: Option<i32>,
    pub created_at: PrimitiveDateTime,
}

impl GuestTemplateRow {
    /// # Errors
    /// [`StoreError::Corrupt`] for a negative use limit.
    pub fn into_domain(self) -> Result<GuestLinkTemplate, StoreError> {
        let id = self.id;
        let max_uses = self
            .max_uses
            .map(|n| {
                u32::try_from(n).map_err(|_| corrupt("guest_link_template", id, format!("max_uses is {n}")))
            })
            .transpose()?;
        Ok(GuestLinkTemplate {
            id,
            owner_id: UserId(self.owner_id),
            name: self.name,
            duration_hours: i64::from(self.duration_hours),
            max_uses,
            created_at: from_db(self.created_at),
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = guest_link_templates, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewGuestTemplateRow<'a> {
    pub owner_id: i64,
    pub name: &'a str,
    pub duration_hours: i32,
    pub max_uses: Option<i32>,
    pub created_at: PrimitiveDateTime,
}

impl<'a> NewGuestTemplateRow<'a> {
    pub fn new(template: &'a NewGuestTemplate) -> Self {
        // Values past i32 are past the table's checks too, which then refuse them.
        let clamp = |n: i64| i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX });
        Self {
            owner_id: template.owner_id.0,
            name: &template.name,
            duration_hours: clamp(template.duration_hours),
            max_uses: template.max_uses.map(|n| clamp(i64::from(n))),
            created_at: to_db(template.now),
        }
    }
}

/// The owner's templates, ordered by id.
#[auto_type]
pub fn of_owner(owner_id: i64) -> _ {
    guest_link_templates::table
        .filter(guest_link_templates::owner_id.eq(owner_id))
        .order_by(guest_link_templates::id)
}

/// One template, if `owner_id` owns it: another user's is as absent as none.
#[auto_type]
pub fn owned(id: i64, owner_id: i64) -> _ {
    guest_link_templates::table
        .filter(guest_link_templates::id.eq(id))
        .filter(guest_link_templates::owner_id.eq(owner_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row() -> GuestTemplateRow {
        GuestTemplateRow {
            id: 3,
            owner_id: 1,
            name: "Cleaner".into(),
            duration_hours: 4,
            max_uses: Some(2),
            created_at: datetime!(2026-01-01 08:00:00.000_001),
        }
    }

    #[test]
    fn a_valid_row_becomes_a_template() {
        let t = row().into_domain().unwrap();
        assert_eq!((t.id, t.owner_id, t.name.as_str()), (3, UserId(1), "Cleaner"));
        assert_eq!((t.duration_hours, t.max_uses), (4, Some(2)));
        assert_eq!(t.created_at, datetime!(2026-01-01 08:00:00.000_001 UTC));
    }

    #[test]
    fn negative_use_limits_are_corrupt() {
        let mut r = row();
        r.max_uses = Some(-1);
        let err = r.into_domain().unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt(ref m) if m.starts_with("guest_link_template 3")),
            "{err:?}"
        );
    }

    #[test]
    fn out_of_range_inputs_clamp_so_the_table_checks_refuse_them() {
        let template = NewGuestTemplate {
            owner_id: UserId(1),
            name: "x".into(),
            duration_hours: i64::MIN,
            max_uses: Some(u32::MAX),
            now: datetime!(2026-01-01 08:00 UTC),
        };
        let row = NewGuestTemplateRow::new(&template);
        assert_eq!((row.duration_hours, row.max_uses), (i32::MIN, Some(i32::MAX)));
    }
}
