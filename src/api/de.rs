//! Tolerant field decoders: the live API sends numbers as strings or numbers (even within one
//! reply), `null` or `"inf"` where a number is expected, and ids as `"24"` or `24`. A field that
//! cannot be read as what it should be becomes `None` instead of failing the whole reply.

use serde_json::Value;

/// Reads an unsigned integer from a number, a numeric string, or a float with no fraction.
pub fn value_as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0)
                    .map(|f| f as u64)
            })
        }
        Value::Bool(_) | Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Reads a decimal from a number or a numeric string (money arrives as `"0.00000"`).
pub fn value_as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Reads text from a string, or from a number (an id sent as `24`).
pub fn value_as_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a flag from `1`/`0`, `"1"`/`"0"`, `true`/`false` or `"true"`/`"false"`.
pub fn value_as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The items of a JSON list, tolerating `null`, a single object, or an object of items.
pub fn values_of(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        Value::Object(map) if map.values().all(Value::is_object) && !map.is_empty() => {
            map.into_iter().map(|(_, v)| v).collect()
        }
        other @ Value::Object(_) => vec![other],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_as_strings_or_numbers() {
        assert_eq!(value_as_u64(&json!("24186265")), Some(24_186_265));
        assert_eq!(value_as_u64(&json!(128824832615u64)), Some(128_824_832_615));
        assert_eq!(value_as_u64(&json!(" 7 ")), Some(7));
        assert_eq!(value_as_u64(&json!("12.0")), Some(12));
        assert_eq!(value_as_u64(&json!(3.0)), Some(3));
        assert_eq!(value_as_u64(&json!("inf")), None);
        assert_eq!(value_as_u64(&json!(null)), None);
        assert_eq!(value_as_u64(&json!(-4)), None);
        assert_eq!(value_as_u64(&json!("")), None);
    }

    #[test]
    fn money_and_flags() {
        assert_eq!(value_as_f64(&json!("0.00000")), Some(0.0));
        assert_eq!(value_as_f64(&json!("12.5")), Some(12.5));
        assert_eq!(value_as_f64(&json!("NaN")), None);
        assert_eq!(value_as_bool(&json!("1")), Some(true));
        assert_eq!(value_as_bool(&json!(0)), Some(false));
        assert_eq!(value_as_bool(&json!("true")), Some(true));
    }

    #[test]
    fn lists_in_any_shape() {
        assert_eq!(values_of(json!([1, 2])).len(), 2);
        assert_eq!(values_of(json!(null)).len(), 0);
        assert_eq!(values_of(json!({"0": {"a": 1}, "1": {"a": 2}})).len(), 2);
        assert_eq!(values_of(json!({"a": 1})).len(), 1);
        assert_eq!(values_of(json!("x")).len(), 0);
    }
}
