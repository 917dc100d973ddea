//! `PUT /commands/v1/devices/{id}/device_rpc` with the `unlock_door` JSON-RPC (§6.1).

use reqwest::Method;
use serde_json::json;

use super::api::json_body;
use super::{ApiAuth, RingClient};
use crate::error::RingError;
use crate::ids::DeviceId;
use crate::model::UnlockAck;

impl RingClient {
    /// Asks the intercom to open the door. Sent exactly once: this method never retries, and
    /// callers must not either (a retried unlock can open the door twice, or minutes later).
    ///
    /// # Errors
    /// `DeviceRejected` for a non-zero `result.code`; `Unprocessable` (422), `RateLimited`
    /// (429, with `Retry-After`), `Unavailable` (5xx), `Timeout` (the door may have opened),
    /// `Unauthorized`, `SessionNotFound`, `DeviceOffline`, `NotFound`, `Blocked`, ...
    pub async fn unlock(&self, auth: &ApiAuth<'_>, device: DeviceId) -> Result<UnlockAck, RingError> {
        let path = format!("/commands/v1/devices/{device}/device_rpc");
        // ring-client-api's body; `.json` sets `Content-Type: application/json`, which Ring
        // needs on PUTs (python-ring-doorbell #456).
        let body = json!({
            "command_name": "device_rpc",
            "request": {"jsonrpc": "2.0", "method": "unlock_door", "params": {"door_id": 0, "user_id": 0}}
        });
        let request = self
            .api_request(Method::PUT, &path, auth, self.config.unlock_timeout)
            .json(&body);
        let response = self.checked(request, auth).await?;
        UnlockAck::from_json(response.status, &json_body(&response)?)
    }
}
