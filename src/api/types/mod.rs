//! What the API's calls return, read tolerantly from whatever shape the server sent.
//!
//! Each type reads itself straight from the reply's JSON ([`Lenient`](super::de::Lenient): what it makes of an object, a
//! list or a scalar): it looks a field up under every name it is known by (`filecode`/`file_code`,
//! `download`/`downloads`), reads numbers whether they came as numbers or strings, and reads
//! past everything it does not need. A field that is missing or unreadable is `None`.
//!
//! `from_value` and `list_from_value` read the same way from a `serde_json::Value` (tests,
//! fuzzing); the client reads from the bytes.

use serde::Deserialize;
use serde_json::Value;

use super::de::{AnyList, Lenient, Loose, Names};

const CODE: Names = &["filecode", "file_code", "code"];

/// Reads `T` from a JSON value the way the client reads it from bytes.
fn read<T: Lenient>(value: &Value) -> Option<T> {
    Loose::<T>::deserialize(value).ok().and_then(|i| i.0)
}

/// Reads a list of `T` in any shape from a JSON value.
fn read_list<T: Lenient>(value: &Value) -> Vec<T> {
    AnyList::<T>::deserialize(value)
        .map(|l| l.0)
        .unwrap_or_default()
}

/// Replies serde reads whole through `#[serde(from = "Loose<Self>")]` that are empty where
/// nothing readable came.
macro_rules! empty_when_unreadable {
    ($($reply:ty),*) => {$(
        impl From<Loose<$reply>> for $reply {
            fn from(reply: Loose<$reply>) -> Self {
                reply.0.unwrap_or_default()
            }
        }
    )*};
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
