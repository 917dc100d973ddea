//! Ring's 2FA challenge (the `412` answer) and the prompt shown to the person linking.

use serde::Deserialize;

/// How Ring delivers the verification code (`tsv_state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwoFactorMethod {
    /// Code sent by SMS.
    Sms,
    /// Code sent by email.
    Email,
    /// Code from an authenticator app; Ring sends nothing.
    Totp,
    /// A `tsv_state` this client does not know.
    Unknown,
}

/// Ring wants a verification code: resubmit the password grant with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactorChallenge {
    /// Delivery method, from `tsv_state`.
    pub method: TwoFactorMethod,
    /// Human prompt, e.g. "Enter the code sent by SMS to ••••89".
    pub prompt: String,
    /// Ring's raw `tsv_state` (`sms`, `email`, `totp`...).
    pub tsv_state: String,
    /// Seconds before Ring allows asking for another code (`next_time_in_secs`).
    pub next_time_in_secs: Option<u64>,
}

/// The 412 body: `{"next_time_in_secs":60,"phone":"+1xxxxxxxx89","tsv_state":"sms"}`.
#[derive(Debug, Deserialize)]
pub(crate) struct ChallengeBody {
    pub(crate) tsv_state: Option<String>,
    #[serde(default)]
    pub(crate) phone: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    pub(crate) next_time_in_secs: Option<u64>,
}

impl TwoFactorChallenge {
    pub(crate) fn from_body(body: ChallengeBody) -> Self {
        let tsv_state = body.tsv_state.unwrap_or_default();
        let method = match tsv_state.as_str() {
            "sms" => TwoFactorMethod::Sms,
            "email" => TwoFactorMethod::Email,
            "totp" => TwoFactorMethod::Totp,
            _ => TwoFactorMethod::Unknown,
        };
        let prompt = prompt(&method, body.phone.as_deref().unwrap_or_default());
        Self {
            method,
            prompt,
            tsv_state,
            next_time_in_secs: body.next_time_in_secs,
        }
    }
}

/// Builds the prompt. Ring already masks the destination; for SMS only the last (at most
/// four) digits are repeated, for email the masked address Ring sent.
fn prompt(method: &TwoFactorMethod, destination: &str) -> String {
    match method {
        TwoFactorMethod::Sms => {
            let digits: Vec<char> = destination
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            let tail: String = digits.iter().take(4).rev().collect();
            if tail.is_empty() {
                "Enter the code sent by SMS".to_owned()
            } else {
                format!("Enter the code sent by SMS to ••••{tail}")
            }
        }
        TwoFactorMethod::Email if destination.contains('@') => {
            format!("Enter the code sent by email to {destination}")
        }
        TwoFactorMethod::Email => "Enter the code sent by email".to_owned(),
        TwoFactorMethod::Totp => "Enter the code from your authenticator app".to_owned(),
        TwoFactorMethod::Unknown => "Enter the verification code from Ring".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(tsv_state: &str, phone: &str) -> TwoFactorChallenge {
        TwoFactorChallenge::from_body(ChallengeBody {
            tsv_state: Some(tsv_state.to_owned()),
            phone: Some(phone.to_owned()),
            next_time_in_secs: Some(60),
        })
    }

    #[test]
    fn prompts_per_method() {
        assert_eq!(
            challenge("sms", "+1xxxxxxxx89").prompt,
            "Enter the code sent by SMS to ••••89"
        );
        assert_eq!(
            challenge("sms", "+15555551234").prompt,
            "Enter the code sent by SMS to ••••1234"
        );
        assert_eq!(challenge("sms", "").prompt, "Enter the code sent by SMS");
        assert_eq!(
            challenge("email", "a***@example.com").prompt,
            "Enter the code sent by email to a***@example.com"
        );
        assert_eq!(
            challenge("totp", "time-based OTP").prompt,
            "Enter the code from your authenticator app"
        );
        assert_eq!(challenge("carrier_pigeon", "").method, TwoFactorMethod::Unknown);
    }
}
