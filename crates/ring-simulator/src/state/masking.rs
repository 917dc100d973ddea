//! Masking of contact details in 2FA answers, the way Ring shows them (`+1xxxxxxxx89`).

/// Keeps the first two and last two characters of a phone number.
pub(crate) fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 4 {
        return "x".repeat(chars.len());
    }
    let middle = "x".repeat(chars.len() - 4);
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{middle}{tail}")
}

/// Keeps the first letter of the local part and the domain.
pub(crate) fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_is_masked_like_ring() {
        assert_eq!(mask_phone("+15555551289"), "+1xxxxxxxx89");
        assert_eq!(mask_phone("123"), "xxx");
    }

    #[test]
    fn email_keeps_first_letter_and_domain() {
        assert_eq!(mask_email("alice@example.com"), "a***@example.com");
        assert_eq!(mask_email("nonsense"), "***");
    }
}
