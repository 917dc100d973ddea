//! The `device_rpc` answer.

use serde_json::Value;

use crate::error::RingError;
use crate::lenient::{to_i64, to_text};

/// Ring accepted the unlock RPC (`result.code == 0`). This means the cloud accepted the
/// command; users report rare cases where the door still stayed shut (ring-protocol.md §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockAck {
    /// The JSON-RPC `id` Ring echoed, if any.
    pub request_id: Option<String>,
}

impl UnlockAck {
    /// Success only when `result.code` is 0; another code is `DeviceRejected`, no code at all
    /// is an unexpected answer.
    pub(crate) fn from_json(status: u16, body: &Value) -> Result<Self, RingError> {
        let Some(code) = body.pointer("/result/code").and_then(to_i64) else {
            return Err(RingError::UnexpectedResponse {
                status,
                detail: "unlock answer has no result.code".to_owned(),
            });
        };
        if code != 0 {
            return Err(RingError::DeviceRejected { code });
        }
        Ok(Self {
            request_id: body.get("id").and_then(to_text),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_code_zero_is_success() {
        let ok = json!({"id": null, "jsonrpc": "2.0", "result": {"code": 0}});
        assert_eq!(UnlockAck::from_json(200, &ok), Ok(UnlockAck { request_id: None }));
        let ok_string_code = json!({"id": "abc", "result": {"code": "0"}});
        assert_eq!(
            UnlockAck::from_json(200, &ok_string_code),
            Ok(UnlockAck {
                request_id: Some("abc".into())
            })
        );
        let rejected = json!({"result": {"code": 3}});
        assert_eq!(
            UnlockAck::from_json(200, &rejected),
            Err(RingError::DeviceRejected { code: 3 })
        );
        for odd in [
            json!({}),
            json!({"result": {}}),
            json!({"result": {"code": null}}),
            json!([]),
        ] {
            assert!(matches!(
                UnlockAck::from_json(200, &odd),
                Err(RingError::UnexpectedResponse { .. })
            ));
        }
    }
}
