//! Tolerant field parsers for Ring's JSON, which mixes strings and numbers (`"battery_life":
//! "52"`), uses nulls freely and changes shape between devices. Each parser accepts any JSON
//! value and yields `None` for what it cannot read, so one odd field never fails a listing.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Option::<Value>::deserialize(d)
}

/// An integer from a JSON integer, an integral float, or a numeric string.
pub(crate) fn to_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                .map(|f| f as i64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| to_i64(&Value::from(s.parse::<f64>().ok()?)))
        }
        _ => None,
    }
}

/// A float from a number or a numeric string.
pub(crate) fn to_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Text from a string, or a number/bool written out.
pub(crate) fn to_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A boolean from `true`/`false`, `"true"`/`"false"` or `1`/`0`.
pub(crate) fn to_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A percentage 0-100 from a number or numeric string; values above 100 are clamped
/// (python-ring-doorbell does the same), category words like `"full"` give `None`.
pub(crate) fn to_percent(value: &Value) -> Option<u8> {
    let number = to_f64(value)?;
    (number >= 0.0).then(|| number.round().min(100.0) as u8)
}

pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(any(d)?.as_ref().and_then(to_i64))
}

pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(any(d)?
        .as_ref()
        .and_then(to_i64)
        .and_then(|i| u64::try_from(i).ok()))
}

pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(any(d)?.as_ref().and_then(to_text))
}

pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(any(d)?.as_ref().and_then(to_bool))
}

pub(crate) fn opt_percent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    Ok(any(d)?.as_ref().and_then(to_percent))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integers_from_numbers_and_strings() {
        assert_eq!(to_i64(&json!(185036587)), Some(185_036_587));
        assert_eq!(to_i64(&json!("185036587")), Some(185_036_587));
        assert_eq!(to_i64(&json!(" 42 ")), Some(42));
        assert_eq!(to_i64(&json!(42.0)), Some(42));
        assert_eq!(to_i64(&json!("42.0")), Some(42));
        assert_eq!(to_i64(&json!(42.5)), None);
        assert_eq!(to_i64(&json!("abc")), None);
        assert_eq!(to_i64(&json!(null)), None);
        assert_eq!(
            to_i64(&json!(7_330_963_245_622_279_024_i64)),
            Some(7_330_963_245_622_279_024)
        );
    }

    #[test]
    fn percentages_are_clamped_and_words_ignored() {
        assert_eq!(to_percent(&json!("52")), Some(52));
        assert_eq!(to_percent(&json!(52.4)), Some(52));
        assert_eq!(to_percent(&json!(180)), Some(100));
        assert_eq!(to_percent(&json!(-3)), None);
        assert_eq!(to_percent(&json!("full")), None);
    }

    #[test]
    fn booleans_and_text() {
        assert_eq!(to_bool(&json!("TRUE")), Some(true));
        assert_eq!(to_bool(&json!(0)), Some(false));
        assert_eq!(to_bool(&json!("maybe")), None);
        assert_eq!(to_text(&json!(12)), Some("12".to_owned()));
        assert_eq!(to_text(&json!({"a": 1})), None);
    }
}
