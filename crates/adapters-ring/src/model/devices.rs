//! `GET /clients_api/ring_devices`: the intercoms (they live in the `other` array).

use serde::Deserialize;
use serde_json::Value;

use crate::ids::DeviceId;
use crate::lenient::{opt_bool, opt_percent, opt_text, to_i64};

/// The two intercom models, by Ring's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntercomKind {
    /// `intercom_handset_audio`: Ring Intercom.
    Audio,
    /// `intercom_handset_video`: Ring Intercom Video.
    Video,
}

impl IntercomKind {
    /// The kind for Ring's `kind` string, if it is an intercom.
    pub fn from_ring_kind(kind: &str) -> Option<Self> {
        match kind {
            "intercom_handset_audio" => Some(Self::Audio),
            "intercom_handset_video" => Some(Self::Video),
            _ => None,
        }
    }

    /// Ring's `kind` string.
    pub fn as_ring_kind(self) -> &'static str {
        match self {
            Self::Audio => "intercom_handset_audio",
            Self::Video => "intercom_handset_video",
        }
    }
}

/// One Ring Intercom of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intercom {
    /// Ring's device id (used in the unlock and health URLs).
    pub id: DeviceId,
    /// Audio or video model.
    pub kind: IntercomKind,
    /// Name given in the Ring app (`description`); empty when missing.
    pub description: String,
    /// Ring's `location_id`.
    pub location_id: Option<String>,
    /// MAC-like hardware id (`device_id`).
    pub device_id: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// `firmware_version` (often the text "Up to Date").
    pub firmware_version: Option<String>,
    /// `battery_life` as a percentage (Ring sends a string such as "52").
    pub battery_percent: Option<u8>,
    /// From `alerts.connection`: `Some(true)` for "online", `Some(false)` for "offline".
    pub online: Option<bool>,
    /// Whether the account owns the device (vs. shared with it).
    pub owned: Option<bool>,
}

/// The account's devices that Latchkey can use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RingDevices {
    /// Intercoms found in `other`.
    pub intercoms: Vec<Intercom>,
}

#[derive(Deserialize)]
struct RawIntercom {
    #[serde(default, deserialize_with = "opt_text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    location_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    device_id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    time_zone: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    firmware_version: Option<String>,
    #[serde(default, deserialize_with = "opt_percent")]
    battery_life: Option<u8>,
    #[serde(default, deserialize_with = "opt_bool")]
    owned: Option<bool>,
    #[serde(default)]
    alerts: Option<Value>,
}

impl RingDevices {
    /// Reads the intercoms from a `ring_devices` body. Entries without a usable `id`, with a
    /// non-intercom `kind`, or that are not objects are skipped; the rest never fails.
    pub fn from_json(body: &Value) -> Self {
        let entries = body
            .get("other")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let intercoms = entries.iter().filter_map(intercom).collect();
        Self { intercoms }
    }
}

fn intercom(entry: &Value) -> Option<Intercom> {
    let kind = IntercomKind::from_ring_kind(entry.get("kind")?.as_str()?)?;
    let Some(id) = entry.get("id").and_then(to_i64) else {
        tracing::warn!(
            kind = kind.as_ring_kind(),
            "skipping a Ring intercom without a usable id"
        );
        return None;
    };
    // Every field is optional and lenient, so this only fails for non-objects.
    let raw = RawIntercom::deserialize(entry).ok()?;
    let online = raw
        .alerts
        .as_ref()
        .and_then(|alerts| alerts.get("connection"))
        .and_then(Value::as_str)
        .and_then(|connection| match connection {
            "online" => Some(true),
            "offline" => Some(false),
            _ => None,
        });
    Some(Intercom {
        id: DeviceId::new(id),
        kind,
        description: raw.description.unwrap_or_default(),
        location_id: raw.location_id,
        device_id: raw.device_id,
        time_zone: raw.time_zone,
        firmware_version: raw.firmware_version,
        battery_percent: raw.battery_life,
        online,
        owned: raw.owned,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_fixture_shape() {
        let body = json!({
            "doorbots": [], "authorized_doorbots": [], "chimes": [], "stickup_cams": [],
            "base_stations": [], "beams_bridges": [],
            "other": [{
                "id": 185036587, "kind": "intercom_handset_audio", "description": "Ingress",
                "location_id": "mock-location-id", "device_id": "124ba1b3fe1a", "time_zone": "Europe/Rome",
                "firmware_version": "Up to Date", "owned": true, "battery_life": "52",
                "alerts": {"connection": "online", "ota_status": "timeout"},
                "settings": {"intercom_settings": {"config": "{\"intercom_type\": 2}"}}
            }]
        });
        let devices = RingDevices::from_json(&body);
        assert_eq!(
            devices.intercoms,
            vec![Intercom {
                id: DeviceId::new(185_036_587),
                kind: IntercomKind::Audio,
                description: "Ingress".into(),
                location_id: Some("mock-location-id".into()),
                device_id: Some("124ba1b3fe1a".into()),
                time_zone: Some("Europe/Rome".into()),
                firmware_version: Some("Up to Date".into()),
                battery_percent: Some(52),
                online: Some(true),
                owned: Some(true),
            }]
        );
    }

    #[test]
    fn tolerates_odd_types_and_missing_keys() {
        let body = json!({"other": [
            {"id": "185036588", "kind": "intercom_handset_video", "battery_life": 180,
             "alerts": {"connection": "offline"}, "owned": "false", "unknown_field": {"deep": [1, 2]}},
            {"id": 185036589.0, "kind": "intercom_handset_audio", "description": null,
             "battery_life": "n/a", "alerts": null, "firmware_version": 17}
        ]});
        let intercoms = RingDevices::from_json(&body).intercoms;
        assert_eq!(intercoms.len(), 2);
        assert_eq!(intercoms[0].id, DeviceId::new(185_036_588));
        assert_eq!(intercoms[0].kind, IntercomKind::Video);
        assert_eq!(intercoms[0].battery_percent, Some(100));
        assert_eq!(intercoms[0].online, Some(false));
        assert_eq!(intercoms[0].owned, Some(false));
        assert_eq!(intercoms[0].description, "");
        assert_eq!(intercoms[1].id, DeviceId::new(185_036_589));
        assert_eq!(intercoms[1].battery_percent, None);
        assert_eq!(intercoms[1].online, None);
        assert_eq!(intercoms[1].firmware_version.as_deref(), Some("17"));
    }

    #[test]
    fn skips_non_intercoms_and_unusable_entries() {
        let body = json!({"other": [
            {"id": 1, "kind": "onvif_camera"},
            {"kind": "intercom_handset_audio"},
            {"id": "not-a-number", "kind": "intercom_handset_audio"},
            {"id": 2, "kind": 5},
            "garbage",
            {"id": 3, "kind": "intercom_handset_audio"}
        ], "doorbots": [{"id": 9, "kind": "intercom_handset_audio"}]});
        let ids: Vec<i64> = RingDevices::from_json(&body)
            .intercoms
            .iter()
            .map(|i| i.id.get())
            .collect();
        assert_eq!(ids, vec![3]);
    }

    #[test]
    fn missing_or_wrong_other_is_empty() {
        assert!(RingDevices::from_json(&json!({})).intercoms.is_empty());
        assert!(
            RingDevices::from_json(&json!({"other": {"id": 1}}))
                .intercoms
                .is_empty()
        );
        assert!(RingDevices::from_json(&json!(null)).intercoms.is_empty());
    }
}
