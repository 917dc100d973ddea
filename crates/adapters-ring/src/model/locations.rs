//! `GET /devices/v1/locations`.

use serde_json::Value;

use crate::lenient::to_text;

/// One of the account's locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingLocation {
    /// Ring's location id (devices refer to it).
    pub location_id: String,
    /// Display name.
    pub name: Option<String>,
    /// `address.timezone`.
    pub time_zone: Option<String>,
}

/// Reads `{"user_locations":[...]}`. Like ring-client-api, a body without `user_locations`
/// is an error (`None`); entries without a `location_id` are skipped.
pub(crate) fn parse_locations(body: &Value) -> Option<Vec<RingLocation>> {
    let entries = body.get("user_locations")?.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(|entry| {
                Some(RingLocation {
                    location_id: entry.get("location_id").and_then(to_text)?,
                    name: entry.get("name").and_then(to_text),
                    time_zone: entry.pointer("/address/timezone").and_then(to_text),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_locations_and_skips_broken_entries() {
        let body = json!({"user_locations": [
            {"location_id": "99b3e09a", "name": "Home", "owner_id": 1, "address": {"timezone": "Europe/Rome"},
             "geo_coordinates": {"latitude": "41.9", "longitude": "12.5"}},
            {"name": "no id"},
            {"location_id": "second"}
        ]});
        let locations = parse_locations(&body).unwrap();
        assert_eq!(locations.len(), 2);
        assert_eq!(locations[0].time_zone.as_deref(), Some("Europe/Rome"));
        assert_eq!(
            locations[1],
            RingLocation {
                location_id: "second".into(),
                name: None,
                time_zone: None
            }
        );
        assert_eq!(parse_locations(&json!({"locations": []})), None);
    }
}
