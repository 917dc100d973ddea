//! `GET /clients_api/doorbots/{id}/health`.

use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::lenient::{opt_bool, opt_i64, opt_percent, opt_text};

/// Health of one device. Online/offline is not here; it comes from the device list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceHealth {
    /// `battery_percentage` (number or numeric string; category words give `None`).
    pub battery_percent: Option<u8>,
    /// `latest_signal_strength`, RSSI in dBm.
    pub signal_strength_dbm: Option<i64>,
    /// `latest_signal_category` (`good`, `poor`...).
    pub signal_category: Option<String>,
    /// `wifi_name`.
    pub wifi_name: Option<String>,
    /// `firmware`.
    pub firmware: Option<String>,
    /// `firmware_out_of_date`.
    pub firmware_out_of_date: Option<bool>,
    /// `network_connection` (`"ethernet"` when wired).
    pub network_connection: Option<String>,
    /// `updated_at`, when it is valid RFC 3339.
    pub updated_at: Option<OffsetDateTime>,
}

#[derive(Deserialize)]
struct RawHealth {
    #[serde(default, deserialize_with = "opt_percent")]
    battery_percentage: Option<u8>,
    #[serde(default, deserialize_with = "opt_i64")]
    latest_signal_strength: Option<i64>,
    #[serde(default, deserialize_with = "opt_text")]
    latest_signal_category: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    wifi_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    firmware: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    firmware_out_of_date: Option<bool>,
    #[serde(default, deserialize_with = "opt_text")]
    network_connection: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    updated_at: Option<String>,
}

impl DeviceHealth {
    /// Reads `{"device_health": {...}}`; `None` when that object is missing.
    pub fn from_json(body: &Value) -> Option<Self> {
        let raw = RawHealth::deserialize(body.get("device_health")?).ok()?;
        Some(Self {
            battery_percent: raw.battery_percentage,
            signal_strength_dbm: raw.latest_signal_strength,
            signal_category: raw.latest_signal_category,
            wifi_name: raw.wifi_name,
            firmware: raw.firmware,
            firmware_out_of_date: raw.firmware_out_of_date,
            network_connection: raw.network_connection,
            updated_at: raw
                .updated_at
                .and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok()),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_fixture_and_tolerates_type_drift() {
        let fixture = json!({"device_health": {"average_signal_category": "good", "battery_percentage": 100,
            "battery_percentage_category": null, "firmware": "1.9.2", "firmware_out_of_date": false,
            "id": 987652, "latest_signal_category": "good", "latest_signal_strength": -58,
            "updated_at": "2017-09-30T07:05:03Z", "wifi_name": "ring_mock_wifi"}});
        let health = DeviceHealth::from_json(&fixture).unwrap();
        assert_eq!(health.battery_percent, Some(100));
        assert_eq!(health.signal_strength_dbm, Some(-58));
        assert_eq!(
            health.updated_at.map(OffsetDateTime::unix_timestamp),
            Some(1_506_755_103)
        );

        let drifted = json!({"device_health": {"battery_percentage": "full", "latest_signal_strength": "-61",
            "updated_at": "2017-09-30T07:05:03+00:00", "network_connection": "ethernet"}});
        let health = DeviceHealth::from_json(&drifted).unwrap();
        assert_eq!(health.battery_percent, None);
        assert_eq!(health.signal_strength_dbm, Some(-61));
        assert!(health.updated_at.is_some());
        assert_eq!(health.network_connection.as_deref(), Some("ethernet"));

        let bad_time = json!({"device_health": {"updated_at": "yesterday"}});
        assert_eq!(DeviceHealth::from_json(&bad_time).unwrap().updated_at, None);
        assert_eq!(DeviceHealth::from_json(&json!({"health": {}})), None);
    }
}
