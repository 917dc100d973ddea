//! Schemathesis' own configuration file, written next to each run.

/// Schemathesis' configuration: the checks that cannot hold for some operations, each
/// with the reason. Every other check runs on every operation: that is schemathesis'
/// default, and `--checks all` is not passed because a check named on the command line
/// overrides these exceptions. (`max_response_time` needs a limit and stays off: this
/// is about correctness, and timings of a debug build on a shared machine are noise.)
pub(super) const CONFIG: &str = r#"
# The stateful phase carries values from one response into the next request without
# checking them against the target's schema (a null `guestLinkId` of an audit event
# becomes the path segment "None"), yet counts the request as schema-valid
# (schemathesis/schemathesis#2983). A 400 for such a request is right; every other
# check still runs on the stateful phase.
[phases.stateful.checks.positive_data_acceptance]
enabled = false

[[operations]]
# 410: the token names a link that is used up, expired or disabled (the fuzzing uses up
# and disables the one it is given); a state of the link, like 403 link_not_active
include-name = "POST /api/guest/{token}/unlock"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]

[[operations]]
# 423 account_locked: the username is right and the account is locked, by the fuzzing's
# own wrong passwords for it; like 401 invalid_credentials, a verdict on the credentials
# the schema cannot know, not a refusal of the request's shape
include-name = "POST /api/auth/login"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "423", "429", "5xx"]

# positive_data_acceptance ("a request the schema allows must not be refused") cannot
# hold where Latchkey validates what JSON Schema cannot say. Everything JSON Schema can
# say (required fields, integer ranges, ids >= 1) is in the document; these operations
# also refuse schema-valid requests with 400, by design:
[[operations]]
# trimmed length and no control or direction-override characters (username, names,
# structure); zxcvbn strength of the password; role "admin" or "user"; a taken username
# is 400 already_exists
include-name = ["POST /api/admin/users", "PUT /api/admin/users/{id}"]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the target must not be the caller (cannot_disable_self, cannot_delete_self) nor an
# administrator (cannot_delete_admin, cannot_reset_admin): a rule about which row the id
# names, not about the id
include-name = [
  "DELETE /api/admin/users/{id}",
  "DELETE /api/admin/users/{id}/permanent",
  "POST /api/admin/users/{id}/reset-password",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the current password must be the caller's (invalid_current_password), the new one must
# differ from it and pass the password policy
include-name = "POST /api/auth/password"
checks.positive_data_acceptance.enabled = false

[[operations]]
# labels and names: trimmed length, no control or direction-override characters
include-name = [
  "POST /api/ring/accounts",
  "PATCH /api/ring/accounts/{id}",
  "POST /api/guest-link-templates",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# the time window: RFC 3339 instants, expiresAt after startsAt and in the future, at most
# LATCHKEY_GUEST_MAX_WINDOW_DAYS long, expiresAt required unless a template gives it
include-name = [
  "POST /api/guest-links",
  "PATCH /api/guest-links/{id}/expires-at",
  "PUT /api/guest-links/{id}/expires-at",
]
checks.positive_data_acceptance.enabled = false

[[operations]]
# Ring's own verdict on the credentials, code or refresh token (ring_invalid_credentials,
# ring_2fa_invalid, ring_token_invalid) and the shape of an email or a code
include-name = [
  "POST /api/ring/auth/start",
  "POST /api/ring/auth/verify",
  "POST /api/ring/refresh-token",
  "POST /api/ring/refresh-token/test",
]
checks.positive_data_acceptance.enabled = false
"#;
