//! Ring's models in the port's terms.

use latchkey_domain::IntercomId;
use latchkey_ports::{IntercomHealth, IntercomInfo, RingLocationInfo};

use crate::model::{DeviceHealth, Intercom, RingLocation};

pub(super) fn intercom_info(intercom: Intercom) -> IntercomInfo {
    IntercomInfo {
        id: IntercomId(intercom.id.get()),
        name: intercom.description,
        location_id: intercom.location_id,
        battery_percent: intercom.battery_percent.map(i32::from),
        online: intercom.online,
        firmware: intercom.firmware_version,
    }
}

pub(super) fn location_info(location: RingLocation) -> RingLocationInfo {
    RingLocationInfo {
        id: location.location_id,
        name: location.name.unwrap_or_default(),
    }
}

/// Health from the health endpoint, completed from the device list: online/offline is only
/// there (ring-protocol.md §7), and its battery and firmware fill gaps.
pub(super) fn intercom_health(health: DeviceHealth, listed: Option<Intercom>) -> IntercomHealth {
    let listed = listed.as_ref();
    IntercomHealth {
        online: listed.and_then(|i| i.online),
        battery_percent: health
            .battery_percent
            .or_else(|| listed.and_then(|i| i.battery_percent))
            .map(i32::from),
        signal_dbm: health.signal_strength_dbm.and_then(|dbm| i32::try_from(dbm).ok()),
        firmware: health
            .firmware
            .or_else(|| listed.and_then(|i| i.firmware_version.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::model::IntercomKind;

    fn health() -> DeviceHealth {
        DeviceHealth {
            battery_percent: None,
            signal_strength_dbm: Some(-58),
            signal_category: None,
            wifi_name: None,
            firmware: None,
            firmware_out_of_date: None,
            network_connection: None,
            updated_at: None,
        }
    }

    fn listed() -> Intercom {
        Intercom {
            id: DeviceId::new(7),
            kind: IntercomKind::Audio,
            description: "Door".to_owned(),
            location_id: None,
            device_id: None,
            time_zone: None,
            firmware_version: Some("Up to Date".to_owned()),
            battery_percent: Some(52),
            online: Some(false),
            owned: None,
        }
    }

    #[test]
    fn health_gaps_are_filled_from_the_device_list() {
        assert_eq!(
            intercom_health(health(), Some(listed())),
            IntercomHealth {
                online: Some(false),
                battery_percent: Some(52),
                signal_dbm: Some(-58),
                firmware: Some("Up to Date".to_owned()),
            }
        );
        let absurd = DeviceHealth {
            signal_strength_dbm: Some(i64::MAX),
            ..health()
        };
        assert_eq!(intercom_health(absurd, None), IntercomHealth::default());
    }
}
