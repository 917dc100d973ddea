//! Ring-shaped JSON for the simulated account data (shapes from ring-protocol.md §3-§7).

use serde_json::{Value, json};

use crate::config::{DeviceGroup, DeviceSpec, LocationSpec};
use crate::state::Account;

/// `GET /clients_api/ring_devices`: every array key is always present, even when empty,
/// because ring-client-api destructures them without a guard.
pub(crate) fn ring_devices(account: &Account) -> Value {
    let in_group = |group: DeviceGroup| -> Vec<Value> {
        account
            .spec
            .devices
            .iter()
            .filter(|d| d.group == group)
            .map(|d| device(account, d))
            .collect()
    };
    json!({
        "doorbots": in_group(DeviceGroup::Doorbots),
        "authorized_doorbots": in_group(DeviceGroup::AuthorizedDoorbots),
        "chimes": in_group(DeviceGroup::Chimes),
        "stickup_cams": in_group(DeviceGroup::StickupCams),
        "base_stations": [],
        "beams_bridges": [],
        "other": in_group(DeviceGroup::Other),
    })
}

/// One device, modelled on the intercom entry of python-ring-doorbell's fixture.
fn device(account: &Account, d: &DeviceSpec) -> Value {
    json!({
        "id": d.id,
        "kind": d.kind,
        "description": d.description,
        "location_id": d.location_id,
        "schema_id": null,
        "is_sidewalk_gateway": false,
        "created_at": "2023-12-01T18:05:25Z",
        "deactivated_at": null,
        "owner": {"id": account.id, "first_name": account.spec.first_name, "last_name": "", "email": account.spec.email},
        "device_id": format!("{:012x}", d.id),
        "time_zone": d.time_zone,
        "firmware_version": d.firmware_version,
        "owned": true,
        "ring_net_id": null,
        "settings": {
            "show_recordings": true,
            "doorbell_volume": 8,
            "mic_volume": 11,
            "voice_volume": 11,
            "intercom_settings": {
                "ring_to_open": false,
                "predecessor": "{\"make\":\"Comelit\",\"model\":\"2738W\",\"wires\":2}",
                "config": "{\"intercom_type\": 2, \"number_of_wires\": 2, \"autounlock_enabled\": false}",
                "intercom_type": "DF",
                "replication": 1,
                "unlock_mode": 0
            }
        },
        "alerts": {"connection": if d.online { "online" } else { "offline" }, "ota_status": "no_ota"},
        "function": {"name": null},
        "subscribed": false,
        "battery_life": d.battery_life,
        "features": {"motions_enabled": true, "show_recordings": true},
        "metadata": {"ethernet": false, "legacy_fw_migrated": true, "imported_from_amazon": false,
                     "is_sidewalk_gateway": false, "key_access_point_associated": true}
    })
}

/// `GET /devices/v1/locations`.
pub(crate) fn locations(account: &Account) -> Value {
    let user_locations: Vec<Value> = account
        .spec
        .locations
        .iter()
        .map(|l| location(account, l))
        .collect();
    json!({ "user_locations": user_locations })
}

fn location(account: &Account, l: &LocationSpec) -> Value {
    json!({
        "location_id": l.location_id,
        "owner_id": account.id,
        "name": l.name,
        "address": {"address1": "1 Simulated St", "address2": "", "cross_street": "", "city": "Sim City",
                    "state": "SC", "timezone": l.time_zone, "zip_code": "00000"},
        "geo_coordinates": {"latitude": "41.9", "longitude": "12.5"},
        "geo_service_verified": "address_only",
        "user_verified": true,
        "created_at": "2023-12-01T18:00:00.000Z",
        "updated_at": "2023-12-01T18:00:00.000Z"
    })
}

/// `GET /clients_api/doorbots/{id}/health`.
pub(crate) fn health(d: &DeviceSpec) -> Value {
    let h = &d.health;
    json!({
        "device_health": {
            "id": d.id,
            "average_signal_category": h.latest_signal_category,
            "average_signal_strength": h.latest_signal_strength,
            "battery_percentage": h.battery_percentage,
            "battery_percentage_category": null,
            "battery_voltage": null,
            "battery_voltage_category": null,
            "firmware": h.firmware,
            "firmware_out_of_date": false,
            "latest_signal_category": h.latest_signal_category,
            "latest_signal_strength": h.latest_signal_strength,
            "updated_at": "2024-01-01T00:00:00Z",
            "wifi_is_ring_network": false,
            "wifi_name": h.wifi_name
        }
    })
}

/// `POST /clients_api/session` answer.
pub(crate) fn profile(account: &Account, hardware_id: &str) -> Value {
    json!({
        "profile": {
            "id": account.id,
            "email": account.spec.email,
            "first_name": account.spec.first_name,
            "last_name": "",
            "hardware_id": hardware_id,
            "tfa_enabled": !matches!(account.spec.two_factor, crate::config::TwoFactorSpec::None),
            "features": {}
        }
    })
}
