//! API calls: session registration, devices, locations, health.

use reqwest::Method;
use serde_json::json;

use super::classify::api_error;
use super::{ApiAuth, RawResponse, RingClient, send};
use crate::error::RingError;
use crate::ids::DeviceId;
use crate::model::{DeviceHealth, RingDevices, RingLocation};

impl RingClient {
    /// Registers this client's hardware id with Ring (`POST /clients_api/session`). Ring
    /// blocks IPs that create too many sessions, so call this sparingly (the account session
    /// does it lazily and at most every 12 h).
    ///
    /// # Errors
    /// `Unauthorized`, `RateLimited`, `Blocked`, `Unavailable`, `Timeout`, ...
    pub async fn create_session(&self, auth: &ApiAuth<'_>) -> Result<(), RingError> {
        let body = json!({"device": {
            "hardware_id": auth.hardware_id.as_str(),
            "metadata": {"api_version": 11, "device_model": self.config.device_model},
            "os": "android"
        }});
        let request = self
            .api_request(
                Method::POST,
                "/clients_api/session",
                auth,
                self.config.request_timeout,
            )
            .json(&body);
        self.checked(request, auth).await.map(|_| ())
    }

    /// The account's intercoms (`GET /clients_api/ring_devices`).
    ///
    /// # Errors
    /// `SessionNotFound` when Ring has no session for the hardware id; `Unauthorized`, ...
    pub async fn devices(&self, auth: &ApiAuth<'_>) -> Result<RingDevices, RingError> {
        let request = self.api_request(
            Method::GET,
            "/clients_api/ring_devices",
            auth,
            self.config.request_timeout,
        );
        let response = self.checked(request, auth).await?;
        Ok(RingDevices::from_json(&json_body(&response)?))
    }

    /// The account's locations (`GET /devices/v1/locations`): a cheap check that a token works.
    ///
    /// # Errors
    /// `Unauthorized`, ...; `UnexpectedResponse` when `user_locations` is missing.
    pub async fn locations(&self, auth: &ApiAuth<'_>) -> Result<Vec<RingLocation>, RingError> {
        let request = self.api_request(
            Method::GET,
            "/devices/v1/locations",
            auth,
            self.config.request_timeout,
        );
        let response = self.checked(request, auth).await?;
        crate::model::parse_locations(&json_body(&response)?).ok_or(RingError::UnexpectedResponse {
            status: response.status,
            detail: "locations answer has no user_locations".to_owned(),
        })
    }

    /// Health of one device (`GET /clients_api/doorbots/{id}/health`).
    ///
    /// # Errors
    /// `NotFound` for an unknown device, `SessionNotFound`, `Unauthorized`, ...
    pub async fn device_health(
        &self,
        auth: &ApiAuth<'_>,
        device: DeviceId,
    ) -> Result<DeviceHealth, RingError> {
        let path = format!("/clients_api/doorbots/{device}/health");
        let request = self.api_request(Method::GET, &path, auth, self.config.request_timeout);
        let response = self.checked(request, auth).await?;
        DeviceHealth::from_json(&json_body(&response)?).ok_or(RingError::UnexpectedResponse {
            status: response.status,
            detail: "health answer has no device_health".to_owned(),
        })
    }

    /// Sends and turns non-2xx answers into errors.
    pub(super) async fn checked(
        &self,
        request: reqwest::RequestBuilder,
        auth: &ApiAuth<'_>,
    ) -> Result<RawResponse, RingError> {
        let response = send(request).await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(api_error(&response, auth.hardware_id))
        }
    }
}

/// A 2xx body that must be JSON.
pub(super) fn json_body(response: &RawResponse) -> Result<serde_json::Value, RingError> {
    serde_json::from_slice(&response.body).map_err(|_| RingError::UnexpectedResponse {
        status: response.status,
        detail: "answer is not JSON".to_owned(),
    })
}
