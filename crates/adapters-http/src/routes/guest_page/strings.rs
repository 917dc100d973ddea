//! Every word a guest reads, on the page and from its script, in one table per language.
//!
//! A translation is one more `const` of type [`Strings`]; the compiler then lists every
//! sentence it still lacks. Placeholders in braces (`{seconds}`, `{left}`, `{max}`,
//! `{zone}`) are filled in by the server or by `guest.js`.

/// The words of the guest pages in one language.
#[derive(Debug)]
pub struct Strings {
    /// BCP 47 tag for `<html lang>`.
    pub lang: &'static str,

    // The guest page.
    pub page_title: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub label_caption: &'static str,
    pub state_caption: &'static str,
    pub starts_caption: &'static str,
    pub expires_caption: &'static str,
    pub uses_caption: &'static str,
    /// `{left}` of `{max}`.
    pub uses_value: &'static str,
    pub times_in_utc: &'static str,
    /// Replaces `times_in_utc` once the script shows local times; `{zone}` is its name.
    pub times_in_local: &'static str,
    pub open_door: &'static str,
    pub opening: &'static str,
    pub no_script: &'static str,

    // States, as words and as one sentence of help.
    pub state_pending: &'static str,
    pub state_active: &'static str,
    pub state_expired: &'static str,
    pub state_used_up: &'static str,
    pub state_disabled: &'static str,
    pub help_pending: &'static str,
    pub help_active: &'static str,
    pub help_expired: &'static str,
    pub help_used_up: &'static str,
    pub help_disabled: &'static str,

    // What pressing the button led to (shown by the script).
    pub outcome_opened: &'static str,
    pub outcome_not_active: &'static str,
    pub outcome_expired: &'static str,
    pub outcome_used_up: &'static str,
    pub outcome_disabled: &'static str,
    pub outcome_not_found: &'static str,
    /// `{seconds}` until the next try.
    pub outcome_rate_limited: &'static str,
    pub outcome_unreachable: &'static str,
    pub outcome_offline: &'static str,
    pub outcome_unknown: &'static str,

    // Pages shown instead of the guest page.
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub rate_limited_title: &'static str,
    /// `{seconds}` until the next try.
    pub rate_limited_body: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_body: &'static str,
}

pub const EN: Strings = Strings {
    lang: "en",

    page_title: "Door access",
    heading: "Door access",
    intro: "This page opens the building's front door for you during the time shown below.",
    label_caption: "For",
    state_caption: "Status",
    starts_caption: "From",
    expires_caption: "Until",
    uses_caption: "Uses left",
    uses_value: "{left} of {max}",
    times_in_utc: "Times are shown in UTC.",
    times_in_local: "Times are shown in your time zone ({zone}).",
    open_door: "Open door",
    opening: "Opening…",
    no_script: "Opening the door from this page needs JavaScript. Please turn it on and reload the page.",

    state_pending: "Not active yet",
    state_active: "Active",
    state_expired: "Expired",
    state_used_up: "Used up",
    state_disabled: "Disabled",
    help_pending: "You can open the door from the start time on.",
    help_active: "You can open the door now.",
    help_expired: "The time for this link is over. Ask the person who sent it for a new one.",
    help_used_up: "This link has been used as many times as allowed.",
    help_disabled: "The person who sent this link has turned it off.",

    outcome_opened: "Door opened.",
    outcome_not_active: "This link is not active yet. Try again once the start time has come.",
    outcome_expired: "This link has expired. Ask the person who sent it for a new one.",
    outcome_used_up: "This link has been used up. Ask the person who sent it for a new one.",
    outcome_disabled: "This link has been turned off.",
    outcome_not_found: "This link does not exist.",
    outcome_rate_limited: "Too many attempts. Please wait {seconds} seconds and try again.",
    outcome_unreachable: "Could not reach the door. Please try again.",
    outcome_offline: "Could not reach the server. Check your connection and try again.",
    outcome_unknown: "Something went wrong. Please try again.",

    not_found_title: "Link not found",
    not_found_body: "This link does not exist. Check that you opened the whole link, or ask the person who sent it.",
    rate_limited_title: "Too many requests",
    rate_limited_body: "Too many requests came from your connection. Please wait {seconds} seconds and reload the page.",
    unavailable_title: "Temporarily unavailable",
    unavailable_body: "The service is temporarily unavailable. Please reload the page in a moment.",
};

/// The table for a request. Only English exists so far.
pub fn strings() -> &'static Strings {
    &EN
}
