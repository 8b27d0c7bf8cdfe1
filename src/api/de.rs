//! Tolerant decoding straight from a reply's bytes: no `serde_json::Value` tree in between (a
//! tree costs several times the reply's size, and the allocator keeps the pages).
//!
//! The live API sends numbers as strings or numbers (even within one reply), `null` or `"inf"`
//! where a number is expected, ids as `"24"` or `24`, and lists as arrays, objects of objects or
//! a lone object. Every reader here accepts any JSON value: a field that cannot be read as what
//! it should be becomes `None`, an item that is not an object is skipped, and only a syntax
//! error fails a reply.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    value::MapAccessDeserializer,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A value read leniently from any JSON value: what `T` makes of what it finds (see
/// [`Lenient`]), or `None` for `null` and for anything it cannot use. Never an error but a
/// syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loose<T>(pub Option<T>);

impl<T> Default for Loose<T> {
    fn default() -> Self {
        Loose(None)
    }
}

/// An unsigned integer from a number, a numeric string, or a float with no fraction.
pub type LooseU64 = Loose<u64>;

/// A decimal from a number or a numeric string (money arrives as `"0.00000"`); finite only.
pub type LooseF64 = Loose<f64>;

/// Text from a string, trimmed and not empty, or from a number or a flag (an id sent as `24`).
pub type LooseString = Loose<String>;

/// A flag from `1`/`0`, `"1"`/`"0"`, `true`/`false` or `"true"`/`"false"`.
pub type LooseBool = Loose<bool>;

/// What a lenient reader makes of each kind of JSON value; by default, nothing (a nested value
/// is read past).
pub trait Lenient: Sized {
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    fn from_string(v: String) -> Option<Self> {
        Self::from_str(&v)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl Lenient for u64 {
    fn from_u64(v: u64) -> Option<u64> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<u64> {
        u64::try_from(v).ok()
    }
    fn from_f64(f: f64) -> Option<u64> {
        (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1.9e19).then_some(f as u64)
    }
    fn from_str(s: &str) -> Option<u64> {
        let s = s.trim();
        s.parse::<u64>().ok().or_else(|| {
            s.parse::<f64>()
                .ok()
                .and_then(|f| (f.is_finite() && f >= 0.0 && f.fract() == 0.0).then_some(f as u64))
        })
    }
}

impl Lenient for f64 {
    fn from_u64(v: u64) -> Option<f64> {
        Some(v as f64)
    }
    fn from_i64(v: i64) -> Option<f64> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<f64> {
        Some(v).filter(|f| f.is_finite())
    }
    fn from_str(v: &str) -> Option<f64> {
        v.trim().parse::<f64>().ok().filter(|f| f.is_finite())
    }
}

impl Lenient for String {
    fn from_str(v: &str) -> Option<String> {
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    }
    fn from_string(v: String) -> Option<String> {
        if v.trim().len() == v.len() {
            (!v.is_empty()).then_some(v)
        } else {
            Self::from_str(&v)
        }
    }
    fn from_u64(v: u64) -> Option<String> {
        Some(v.to_string())
    }
    fn from_i64(v: i64) -> Option<String> {
        Some(v.to_string())
    }
    fn from_f64(v: f64) -> Option<String> {
        // As serde_json prints it: `12.0`, `1e300`.
        serde_json::Number::from_f64(v).map(|n| n.to_string())
    }
    fn from_bool(v: bool) -> Option<String> {
        Some(v.to_string())
    }
}

impl Lenient for bool {
    fn from_bool(v: bool) -> Option<bool> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<bool> {
        Some(v != 0)
    }
    fn from_i64(v: i64) -> Option<bool> {
        u64::try_from(v).ok().map(|v| v != 0)
    }
    fn from_str(v: &str) -> Option<bool> {
        match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" | "" => Some(false),
            _ => None,
        }
    }
}

impl<'de, T: Lenient> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor(PhantomData))
    }
}

struct LooseVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for LooseVisitor<T> {
    type Value = Loose<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_u64(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_i64(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_f64(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_str(v)))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_string(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose<T>, E> {
        Ok(Loose(T::from_bool(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose<T>, A::Error> {
        T::from_seq(seq).map(Loose)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose<T>, A::Error> {
        T::from_map(map).map(Loose)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Loose<T>, E> {
        Ok(Loose(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Loose<T>, E> {
        Ok(Loose(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose<T>, D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads an unsigned integer from a JSON value (a number, a numeric string, a float with no
/// fraction); what the field readers do on the bytes.
pub fn value_as_u64(value: &Value) -> Option<u64> {
    LooseU64::deserialize(value).ok().and_then(|v| v.0)
}

/// Reads a decimal from a JSON value.
pub fn value_as_f64(value: &Value) -> Option<f64> {
    LooseF64::deserialize(value).ok().and_then(|v| v.0)
}

/// Reads text from a JSON string (trimmed, not empty), number or flag.
pub fn value_as_string(value: &Value) -> Option<String> {
    LooseString::deserialize(value).ok().and_then(|v| v.0)
}

/// Reads a flag from a JSON value.
pub fn value_as_bool(value: &Value) -> Option<bool> {
    LooseBool::deserialize(value).ok().and_then(|v| v.0)
}

/// The names one field of an object may come under, the preferred first.
pub type Names = &'static [&'static str];

/// A key of a JSON object, looked up among the fields a type reads: which field (its preferred
/// name) and the rank of the name it came under, or `None` for a key the type does not need.
/// Nothing is allocated for the key.
pub struct KeyIn(pub &'static [Names]);

impl<'de> DeserializeSeed<'de> for KeyIn {
    type Value = Option<(&'static str, usize)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIn {
    type Value = Option<(&'static str, usize)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find_map(|names| {
            let rank = names.iter().position(|name| *name == v)?;
            Some((names[0], rank))
        }))
    }
}

/// Reads an object's fields, each known by a few names ([`Names`]): for each key that names one
/// of `fields`, `read` gets the field (its preferred name), the rank of the name it came under
/// and the map to read the value from. Any other key's value is read past unseen.
pub fn each_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [Names],
    mut read: impl FnMut(&'static str, usize, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(KeyIn(fields))? {
        match key {
            Some((field, rank)) => read(field, rank, map)?,
            None => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

/// An object read for one field (under any of its names, the preferred one winning), the other
/// keys passed over: `{"fld_id": "24"}` as `24`.
pub fn one_field<'de, T: Lenient, A: MapAccess<'de>>(
    map: &mut A,
    field: &'static [Names; 1],
) -> Result<Option<T>, A::Error> {
    let mut value = Ranked::default();
    each_field(map, field, |_, rank, map| {
        value.offer(rank, map.next_value::<Loose<T>>()?.0);
        Ok(())
    })?;
    Ok(value.get())
}

/// A field that several names may carry: the value under the name earliest in the caller's
/// order of preference wins, and a missing or unreadable value never replaces a good one.
#[derive(Debug)]
pub struct Ranked<T>(Option<(usize, T)>);

impl<T> Default for Ranked<T> {
    fn default() -> Self {
        Ranked(None)
    }
}

impl<T> Ranked<T> {
    /// Offers a value read under the name of rank `rank` (0 is the preferred name).
    pub fn offer(&mut self, rank: usize, value: Option<T>) {
        if let Some(value) = value
            && self.0.as_ref().is_none_or(|(held, _)| rank <= *held)
        {
            self.0 = Some((rank, value));
        }
    }

    pub fn get(self) -> Option<T> {
        self.0.map(|(_, v)| v)
    }
}

/// The items of a JSON list in any shape: an array; `null` (none); an object of objects (each
/// value an item); or one object (the item itself). Items that cannot be read are skipped.
#[derive(Debug, Deserialize)]
#[serde(from = "Loose<AnyList<T>>", bound(deserialize = "T: Lenient"))]
pub struct AnyList<T>(pub Vec<T>);

impl<T> Default for AnyList<T> {
    fn default() -> Self {
        AnyList(Vec::new())
    }
}

impl<T> From<Loose<AnyList<T>>> for AnyList<T> {
    fn from(list: Loose<AnyList<T>>) -> Self {
        list.0.unwrap_or_default()
    }
}

impl<T: Lenient> Lenient for AnyList<T> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(Loose(item)) = seq.next_element::<Loose<T>>()? {
            items.extend(item);
        }
        Ok(Some(AnyList(items)))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        // Rare shapes (an object of items, or one item): which one it is shows only once every
        // value is seen, so this one path reads the object whole first.
        let object = serde_json::Map::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Some(AnyList(items_of_object(object))))
    }
}

/// The items of an object read whole: its values when every one is an object, else the object
/// itself as the one item.
pub fn items_of_object<T: Lenient>(object: serde_json::Map<String, Value>) -> Vec<T> {
    let read = |v: &Value| Loose::<T>::deserialize(v).ok().and_then(|i| i.0);
    if !object.is_empty() && object.values().all(Value::is_object) {
        object.values().filter_map(read).collect()
    } else {
        read(&Value::Object(object)).into_iter().collect()
    }
}

/// A part of a reply that is read past without keeping anything (`null` and absent alike).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "IgnoredAny")]
pub struct Skipped;

impl From<IgnoredAny> for Skipped {
    fn from(_: IgnoredAny) -> Skipped {
        Skipped
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
        assert_eq!(value_as_u64(&json!([1])), None);
    }

    #[test]
    fn money_and_flags() {
        assert_eq!(value_as_f64(&json!("0.00000")), Some(0.0));
        assert_eq!(value_as_f64(&json!("12.5")), Some(12.5));
        assert_eq!(value_as_f64(&json!("NaN")), None);
        assert_eq!(value_as_bool(&json!("1")), Some(true));
        assert_eq!(value_as_bool(&json!(0)), Some(false));
        assert_eq!(value_as_bool(&json!("true")), Some(true));
        assert_eq!(value_as_string(&json!(" a ")).as_deref(), Some("a"));
        assert_eq!(value_as_string(&json!(24)).as_deref(), Some("24"));
        assert_eq!(value_as_string(&json!("  ")), None);
    }

    struct Named(String);
    impl Lenient for Named {
        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
            Ok(one_field(&mut map, &[&["name", "title"]])?.map(Named))
        }
    }

    fn names(text: &str) -> Vec<String> {
        serde_json::from_str::<AnyList<Named>>(text)
            .unwrap()
            .0
            .into_iter()
            .map(|n| n.0)
            .collect()
    }

    #[test]
    fn lists_in_any_shape() {
        assert_eq!(
            names(r#"[{"name":"a"},{"title":"b"},5,"x",{"z":1}]"#),
            ["a", "b"]
        );
        assert!(names("null").is_empty());
        assert_eq!(names(r#"{"0":{"name":"a"},"1":{"name":"b"}}"#), ["a", "b"]);
        assert_eq!(names(r#"{"name":"one"}"#), ["one"]);
        assert!(names(r#""x""#).is_empty());
        // The preferred name wins whatever the order; an empty value never replaces one.
        assert_eq!(names(r#"[{"title":"t","name":"n"}]"#), ["n"]);
        assert_eq!(names(r#"[{"name":"n","title":"t"}]"#), ["n"]);
        assert_eq!(names(r#"[{"name":"","title":"t"}]"#), ["t"]);
    }
}
