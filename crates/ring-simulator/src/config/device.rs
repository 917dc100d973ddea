//! Locations and devices of an account.

use serde::Deserialize;

use super::{DEFAULT_LOCATION_ID, default_true};

/// A location (`/devices/v1/locations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationSpec {
    /// UUID-like id devices refer to.
    pub location_id: String,
    /// Display name.
    #[serde(default = "default_location_name")]
    pub name: String,
    /// IANA time zone.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

impl LocationSpec {
    /// A location with the default time zone.
    pub fn new(location_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            location_id: location_id.into(),
            name: name.into(),
            time_zone: default_time_zone(),
        }
    }
}

/// Which `ring_devices` array a device is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceGroup {
    /// `doorbots`
    Doorbots,
    /// `authorized_doorbots`
    AuthorizedDoorbots,
    /// `chimes`
    Chimes,
    /// `stickup_cams`
    StickupCams,
    /// `other`: where intercoms live.
    #[default]
    Other,
}

/// One device of an account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSpec {
    /// Ring's numeric device id.
    pub id: i64,
    /// `kind`, e.g. `intercom_handset_audio` or `intercom_handset_video`.
    #[serde(default = "default_kind")]
    pub kind: String,
    /// Display name (`description`).
    pub description: String,
    /// Location the device belongs to.
    #[serde(default = "default_location_id")]
    pub location_id: String,
    /// `ring_devices` array the device appears in.
    #[serde(default)]
    pub group: DeviceGroup,
    /// `battery_life`; Ring sends it as a string such as `"52"`.
    #[serde(default = "default_battery")]
    pub battery_life: Option<String>,
    /// `firmware_version`; Ring sends the text `"Up to Date"`.
    #[serde(default = "default_firmware_version")]
    pub firmware_version: String,
    /// `alerts.connection` is `online` when true. Offline intercoms refuse to unlock.
    #[serde(default = "default_true")]
    pub online: bool,
    /// IANA time zone.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Values served by `/clients_api/doorbots/{id}/health`.
    #[serde(default)]
    pub health: HealthSpec,
}

impl DeviceSpec {
    /// A Ring Intercom (`intercom_handset_audio`) in the default location.
    pub fn intercom(id: i64, description: impl Into<String>) -> Self {
        Self {
            id,
            kind: default_kind(),
            description: description.into(),
            location_id: default_location_id(),
            group: DeviceGroup::Other,
            battery_life: default_battery(),
            firmware_version: default_firmware_version(),
            online: true,
            time_zone: default_time_zone(),
            health: HealthSpec::default(),
        }
    }

    /// Changes `kind` (e.g. `intercom_handset_video`).
    pub fn with_kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = kind.into();
        self
    }

    /// Moves the device to another location.
    pub fn with_location_id(mut self, location_id: impl Into<String>) -> Self {
        self.location_id = location_id.into();
        self
    }

    /// Marks the device offline (or online).
    pub fn with_online(mut self, online: bool) -> Self {
        self.online = online;
        self
    }

    /// Puts the device into another `ring_devices` array.
    pub fn with_group(mut self, group: DeviceGroup) -> Self {
        self.group = group;
        self
    }
}

/// Health values of a device.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthSpec {
    /// `battery_percentage` (a number in the PRD fixture).
    #[serde(default = "default_battery_percentage")]
    pub battery_percentage: Option<u8>,
    /// `latest_signal_strength` (RSSI, dBm).
    #[serde(default = "default_rssi")]
    pub latest_signal_strength: i64,
    /// `latest_signal_category`.
    #[serde(default = "default_signal_category")]
    pub latest_signal_category: String,
    /// `wifi_name`.
    #[serde(default = "default_wifi_name")]
    pub wifi_name: String,
    /// `firmware`.
    #[serde(default = "default_firmware")]
    pub firmware: String,
}

impl Default for HealthSpec {
    fn default() -> Self {
        Self {
            battery_percentage: default_battery_percentage(),
            latest_signal_strength: default_rssi(),
            latest_signal_category: default_signal_category(),
            wifi_name: default_wifi_name(),
            firmware: default_firmware(),
        }
    }
}

fn default_location_name() -> String {
    "Home".to_owned()
}
fn default_location_id() -> String {
    DEFAULT_LOCATION_ID.to_owned()
}
fn default_time_zone() -> String {
    "Europe/Rome".to_owned()
}
fn default_kind() -> String {
    "intercom_handset_audio".to_owned()
}
fn default_battery() -> Option<String> {
    Some("100".to_owned())
}
fn default_firmware_version() -> String {
    "Up to Date".to_owned()
}
fn default_battery_percentage() -> Option<u8> {
    Some(100)
}
fn default_rssi() -> i64 {
    -58
}
fn default_signal_category() -> String {
    "good".to_owned()
}
fn default_wifi_name() -> String {
    "ring_sim_wifi".to_owned()
}
fn default_firmware() -> String {
    "1.9.2".to_owned()
}
