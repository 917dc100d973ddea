//! Checks shared by every free-text value a user can type.

/// True when `s` holds a control character (C0, DEL, C1) or a bidirectional override,
/// which could forge log lines or disguise a name on screen.
pub fn has_forbidden_chars(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_allowed() {
        assert!(!has_forbidden_chars("Ada Lovelace – 3B"));
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        for s in [
            "a\nb",
            "a\rb",
            "nul\0",
            "esc\u{1b}[31m",
            "rtl\u{202E}txt",
            "iso\u{2067}x",
            "del\u{7f}",
        ] {
            assert!(has_forbidden_chars(s), "{s:?}");
        }
    }
}
