//! What the API's calls return, read tolerantly from whatever shape the server sent.
//!
//! Each type reads itself straight from the reply's JSON ([`FromObject`] or a `Deserialize`
//! of its own): it looks a field up under every name it is known by (`filecode`/`file_code`,
//! `download`/`downloads`), reads numbers whether they came as numbers or strings, and reads
//! past everything it does not need. A field that is missing or unreadable is `None`.
//!
//! `from_value` and `list_from_value` read the same way from a `serde_json::Value` (tests,
//! fuzzing); the client reads from the bytes.

use serde::Deserialize;
use serde_json::Value;

use super::de::{AnyList, FromObject, Item};

const CODE: &[&str] = &["filecode", "file_code", "code"];

/// Reads `T` from a JSON value the way the client reads it from bytes.
fn read<T: FromObject>(value: &Value) -> Option<T> {
    Item::<T>::deserialize(value).ok().and_then(|i| i.0)
}

/// Reads a list of `T` in any shape from a JSON value.
fn read_list<T: FromObject>(value: &Value) -> Vec<T> {
    AnyList::<T>::deserialize(value)
        .map(|l| l.0)
        .unwrap_or_default()
}

/// Visitor methods for a reply part that may be any JSON value: a scalar gives the default.
macro_rules! scalars_give_default {
    () => {
        non_strings_give_default!();
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
    };
}

/// [`scalars_give_default`] but for strings, for a visitor that reads a string itself.
macro_rules! non_strings_give_default {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

mod account;
mod files;
mod folders;
mod upload;

pub use account::*;
pub use files::*;
pub use folders::*;
pub use upload::*;

#[cfg(test)]
mod tests;
