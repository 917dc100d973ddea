//! HTML of the guest pages. Everything that comes from a link (its label) is escaped
//! here, once; everything else comes from [`Strings`]. No inline script or style: the
//! Content-Security-Policy forbids both, so behaviour lives in `guest.js` and looks in
//! `guest.css`.

use latchkey_domain::GuestLinkState;
use time::OffsetDateTime;
use time::macros::format_description;

use super::strings::Strings;
use crate::routes::dto::iso;

/// What the guest page shows about one link.
#[derive(Debug, Clone)]
pub struct PageModel<'a> {
    pub label: Option<&'a str>,
    pub starts_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub state: GuestLinkState,
    /// `None` when the link has no use limit.
    pub max_uses: Option<u32>,
    pub remaining_uses: Option<u32>,
}

/// Text safe inside an element or a double- or single-quoted attribute. Control and
/// direction-override characters are dropped (labels with them are refused on input;
/// this is the second line).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}') =>
                {}
            c => out.push(c),
        }
    }
    out
}

/// The word, the sentence of help and the CSS class of a state.
fn describe(state: GuestLinkState, s: &Strings) -> (&'static str, &'static str, &'static str) {
    match state {
        GuestLinkState::Pending => (s.state_pending, s.help_pending, "pending"),
        GuestLinkState::Active => (s.state_active, s.help_active, "active"),
        GuestLinkState::Expired => (s.state_expired, s.help_expired, "expired"),
        GuestLinkState::UsedUp => (s.state_used_up, s.help_used_up, "used-up"),
        GuestLinkState::Disabled => (s.state_disabled, s.help_disabled, "disabled"),
    }
}

/// `2026-03-01 14:00 UTC`: what a visitor without JavaScript reads.
fn utc_text(t: OffsetDateTime) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_else(|_| iso(t))
}

fn time_element(t: OffsetDateTime, id: &str) -> String {
    format!(
        r#"<time id="{id}" datetime="{}">{}</time>"#,
        escape(&iso(t)),
        escape(&utc_text(t))
    )
}

fn head(title: &str, s: &Strings, with_script: bool) -> String {
    let script = if with_script {
        "\n<script src=\"assets/guest.js\" defer></script>"
    } else {
        ""
    };
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="assets/guest.css">{script}
</head>
"#,
        lang = escape(s.lang),
        title = escape(title),
    )
}

/// The sentences `guest.js` needs, handed over in `data-*` attributes (no inline script).
fn script_strings(s: &Strings) -> String {
    let pairs = [
        ("opening", s.opening),
        ("open-door", s.open_door),
        ("opened", s.outcome_opened),
        ("not-active", s.outcome_not_active),
        ("expired", s.outcome_expired),
        ("used-up", s.outcome_used_up),
        ("disabled", s.outcome_disabled),
        ("not-found", s.outcome_not_found),
        ("rate-limited", s.outcome_rate_limited),
        ("unreachable", s.outcome_unreachable),
        ("offline", s.outcome_offline),
        ("unknown", s.outcome_unknown),
        ("times-in-local", s.times_in_local),
        ("uses-value", s.uses_value),
        ("state-pending", s.state_pending),
        ("state-active", s.state_active),
        ("state-expired", s.state_expired),
        ("state-used-up", s.state_used_up),
        ("state-disabled", s.state_disabled),
        ("help-pending", s.help_pending),
        ("help-active", s.help_active),
        ("help-expired", s.help_expired),
        ("help-used-up", s.help_used_up),
        ("help-disabled", s.help_disabled),
    ];
    let attrs: String = pairs
        .iter()
        .map(|(key, text)| format!(" data-{key}=\"{}\"", escape(text)))
        .collect();
    format!("<div id=\"strings\" hidden{attrs}></div>\n")
}

/// The guest page: who the link is for, its window, its state, uses left, and the button.
pub fn guest_page(m: &PageModel<'_>, s: &Strings) -> String {
    let (word, help, class) = describe(m.state, s);
    let active = m.state == GuestLinkState::Active;
    let mut html = head(s.page_title, s, true);
    html.push_str(&format!(
        "<body>\n<main id=\"guest\" class=\"card\" data-state=\"{class}\">\n<h1>{}</h1>\n<p class=\"intro\">{}</p>\n<dl class=\"facts\">\n",
        escape(s.heading),
        escape(s.intro),
    ));
    if let Some(label) = m.label {
        html.push_str(&format!(
            "<div><dt>{}</dt><dd id=\"label\" class=\"label\"><bdi>{}</bdi></dd></div>\n",
            escape(s.label_caption),
            escape(label),
        ));
    }
    html.push_str(&format!(
        "<div><dt>{}</dt><dd><strong id=\"state\" class=\"state state-{class}\">{}</strong> <span id=\"state-help\">{}</span></dd></div>\n",
        escape(s.state_caption),
        escape(word),
        escape(help),
    ));
    html.push_str(&format!(
        "<div><dt>{}</dt><dd>{}</dd></div>\n<div><dt>{}</dt><dd>{}</dd></div>\n",
        escape(s.starts_caption),
        time_element(m.starts_at, "starts-at"),
        escape(s.expires_caption),
        time_element(m.expires_at, "expires-at"),
    ));
    if let Some(max) = m.max_uses {
        let left = m.remaining_uses.unwrap_or(0);
        let value = s
            .uses_value
            .replace("{left}", &left.to_string())
            .replace("{max}", &max.to_string());
        html.push_str(&format!(
            "<div><dt>{}</dt><dd id=\"uses\" data-left=\"{left}\" data-max=\"{max}\">{}</dd></div>\n",
            escape(s.uses_caption),
            escape(&value),
        ));
    }
    html.push_str(&format!(
        "</dl>\n<p id=\"time-zone\" class=\"note\">{}</p>\n",
        escape(s.times_in_utc)
    ));
    html.push_str(&format!(
        "<button type=\"button\" id=\"open-door\" class=\"open-door\" aria-describedby=\"outcome\"{}>{}</button>\n",
        if active { "" } else { " disabled" },
        escape(s.open_door),
    ));
    html.push_str("<p id=\"outcome\" class=\"outcome\" role=\"status\" aria-live=\"polite\"></p>\n");
    html.push_str(&format!(
        "<noscript><p class=\"note\">{}</p></noscript>\n",
        escape(s.no_script)
    ));
    html.push_str(&script_strings(s));
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

/// A page with a title and one paragraph: not found, too many requests, unavailable.
pub fn message_page(title: &str, body: &str, s: &Strings) -> String {
    let mut html = head(title, s, false);
    html.push_str(&format!(
        "<body>\n<main class=\"card\">\n<h1>{}</h1>\n<p>{}</p>\n</main>\n</body>\n</html>\n",
        escape(title),
        escape(body),
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::guest_page::strings::EN;
    use time::macros::datetime;

    fn model(state: GuestLinkState) -> PageModel<'static> {
        PageModel {
            label: Some("Plumber"),
            starts_at: datetime!(2026-03-01 14:00 UTC),
            expires_at: datetime!(2026-03-02 9:30 UTC),
            state,
            max_uses: Some(2),
            remaining_uses: Some(1),
        }
    }

    const ALL: [GuestLinkState; 5] = [
        GuestLinkState::Pending,
        GuestLinkState::Active,
        GuestLinkState::Expired,
        GuestLinkState::UsedUp,
        GuestLinkState::Disabled,
    ];

    fn button(html: &str) -> &str {
        let start = html.find("<button").unwrap();
        let end = start + html[start..].find('>').unwrap();
        &html[start..=end]
    }

    #[test]
    fn a_hostile_label_is_escaped() {
        let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;\u{202E}gnp.exe";
        let html = guest_page(
            &PageModel {
                label: Some(hostile),
                ..model(GuestLinkState::Active)
            },
            &EN,
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("'x'"), "{html}");
        assert!(!html.contains('\u{202E}'), "{html}");
        assert!(html.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;gnp.exe"
        ));
        // The only script is the external one.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains("<script src=\"assets/guest.js\" defer></script>"));
    }

    #[test]
    fn escape_covers_every_special_character() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("line\nbreak\u{0}"), "linebreak");
        assert_eq!(escape("Ada – 3B"), "Ada – 3B");
    }

    #[test]
    fn every_state_renders_with_its_words() {
        for state in ALL {
            let html = guest_page(&model(state), &EN);
            let (word, help, class) = describe(state, &EN);
            assert!(
                html.contains(&format!("class=\"state state-{class}\">{word}</strong>")),
                "{state:?}"
            );
            assert!(html.contains(help), "{state:?}");
            assert!(html.contains("<html lang=\"en\">"));
            assert!(html.contains("name=\"viewport\""));
            assert!(html.contains("<bdi>Plumber</bdi>"));
            assert!(html.contains("aria-live=\"polite\""));
            assert!(html.contains(
                "<time id=\"starts-at\" datetime=\"2026-03-01T14:00:00.000Z\">2026-03-01 14:00 UTC</time>"
            ));
            assert!(html.contains(
                "<time id=\"expires-at\" datetime=\"2026-03-02T09:30:00.000Z\">2026-03-02 09:30 UTC</time>"
            ));
            assert!(html.contains(">1 of 2</dd>"), "{state:?}");
            assert!(!html.contains("style="), "CSP forbids inline styles");
        }
    }

    #[test]
    fn the_button_is_enabled_only_when_active() {
        for state in ALL {
            let html = guest_page(&model(state), &EN);
            let button = button(&html);
            assert!(button.contains("type=\"button\""), "never submits a form");
            assert_eq!(
                button.contains(" disabled"),
                state != GuestLinkState::Active,
                "{state:?}: {button}"
            );
        }
    }

    #[test]
    fn no_label_and_no_limit_leave_their_rows_out() {
        let html = guest_page(
            &PageModel {
                label: None,
                max_uses: None,
                remaining_uses: None,
                ..model(GuestLinkState::Active)
            },
            &EN,
        );
        assert!(!html.contains("id=\"label\""));
        assert!(!html.contains("id=\"uses\""));
        assert!(!html.contains(EN.uses_caption));
    }

    #[test]
    fn script_strings_travel_in_data_attributes() {
        let html = guest_page(&model(GuestLinkState::Active), &EN);
        assert!(html.contains(&format!("data-opened=\"{}\"", escape(EN.outcome_opened))));
        assert!(html.contains(&format!("data-used-up=\"{}\"", escape(EN.outcome_used_up))));
    }

    #[test]
    fn message_pages_are_plain_and_escaped() {
        let html = message_page(EN.not_found_title, "a <b> c", &EN);
        assert!(html.contains("<h1>Link not found</h1>"));
        assert!(html.contains("a &lt;b&gt; c"));
        assert!(!html.contains("<script"));
    }
}
