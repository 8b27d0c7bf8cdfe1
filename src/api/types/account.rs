//! `account/info` and `account/stats`.

use serde::de::MapAccess;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::de::{
    AnyList, Lenient, Loose, LooseF64, LooseString, LooseU64, Names, Ranked, each_field,
};

use super::read;

/// `account/info`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountInfo {
    pub email: Option<String>,
    pub balance: Option<f64>,
    pub storage_used: Option<u64>,
    pub storage_left: StorageLeft,
    pub premium_expire: Option<String>,
}

/// Storage left on the account: a number of bytes, unlimited (`"inf"`), or not said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageLeft {
    Bytes(u64),
    Unlimited,
    Unknown,
}

impl Serialize for StorageLeft {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StorageLeft::Bytes(n) => s.serialize_u64(*n),
            StorageLeft::Unlimited => s.serialize_str("inf"),
            StorageLeft::Unknown => s.serialize_none(),
        }
    }
}

/// `storage_left`: a number, or `"inf"` for no limit.
impl Lenient for StorageLeft {
    fn from_str(v: &str) -> Option<StorageLeft> {
        if v.trim().eq_ignore_ascii_case("inf") {
            return Some(StorageLeft::Unlimited);
        }
        u64::from_str(v).map(StorageLeft::Bytes)
    }
    fn from_u64(v: u64) -> Option<StorageLeft> {
        Some(StorageLeft::Bytes(v))
    }
    fn from_f64(v: f64) -> Option<StorageLeft> {
        u64::from_f64(v).map(StorageLeft::Bytes)
    }
}

impl Lenient for AccountInfo {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        const FIELDS: &[Names] = &[
            &["email", "login"],
            &["premium_expire", "premium_expire_date"],
            &["balance"],
            &["storage_used"],
            &["storage_left"],
        ];
        let (mut email, mut expire) = (Ranked::default(), Ranked::default());
        let (mut balance, mut used, mut left) =
            (Ranked::default(), Ranked::default(), Ranked::default());
        each_field(&mut map, FIELDS, |field, rank, map| {
            match field {
                "email" => email.offer(rank, map.next_value::<LooseString>()?.0),
                "premium_expire" => expire.offer(rank, map.next_value::<LooseString>()?.0),
                "balance" => balance.offer(rank, map.next_value::<LooseF64>()?.0),
                "storage_used" => used.offer(rank, map.next_value::<LooseU64>()?.0),
                _ => left.offer(rank, map.next_value::<Loose<StorageLeft>>()?.0),
            }
            Ok(())
        })?;
        Ok(Some(AccountInfo {
            email: email.get(),
            balance: balance.get(),
            storage_used: used.get(),
            storage_left: left.get().unwrap_or(StorageLeft::Unknown),
            premium_expire: expire.get(),
        }))
    }
}

impl AccountInfo {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
    }
}

/// One day of `account/stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayStats {
    pub day: String,
    pub views: u64,
    pub downloads: u64,
    pub views_prem: u64,
    pub views_adb: u64,
    pub sales: u64,
    pub refs: u64,
    pub profit_views: f64,
    pub profit_sales: f64,
    pub profit_refs: f64,
    pub profit_site: f64,
    pub profit_total: f64,
}

impl Lenient for DayStats {
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        /// The counts, then the money, in the order the struct lists them.
        const COUNTS: [&str; 5] = ["views", "views_prem", "views_adb", "sales", "refs"];
        const MONEY: [&str; 5] = [
            "profit_views",
            "profit_sales",
            "profit_refs",
            "profit_site",
            "profit_total",
        ];
        const FIELDS: &[Names] = &[
            &["day", "date"],
            &["downloads", "download"],
            &["views"],
            &["views_prem"],
            &["views_adb"],
            &["sales"],
            &["refs"],
            &["profit_views"],
            &["profit_sales"],
            &["profit_refs"],
            &["profit_site"],
            &["profit_total"],
        ];
        let (mut day, mut downloads) = (Ranked::default(), Ranked::default());
        let mut counts = [None::<u64>; 5];
        let mut money = [None::<f64>; 5];
        each_field(&mut map, FIELDS, |field, rank, map| {
            match field {
                "day" => day.offer(rank, map.next_value::<LooseString>()?.0),
                "downloads" => downloads.offer(rank, map.next_value::<LooseU64>()?.0),
                field => match COUNTS.iter().position(|c| *c == field) {
                    Some(at) => counts[at] = map.next_value::<LooseU64>()?.0.or(counts[at]),
                    None => {
                        let at = MONEY.iter().position(|m| *m == field).unwrap_or(4);
                        money[at] = map.next_value::<LooseF64>()?.0.or(money[at]);
                    }
                },
            }
            Ok(())
        })?;
        let Some(day) = day.get() else {
            return Ok(None);
        };
        let n = |i: usize| counts[i].unwrap_or(0);
        let m = |i: usize| money[i].unwrap_or(0.0);
        Ok(Some(DayStats {
            day,
            views: n(0),
            downloads: downloads.get().unwrap_or(0),
            views_prem: n(1),
            views_adb: n(2),
            sales: n(3),
            refs: n(4),
            profit_views: m(0),
            profit_sales: m(1),
            profit_refs: m(2),
            profit_site: m(3),
            profit_total: m(4),
        }))
    }
}

/// The days of `account/stats`, oldest first whatever order the server used.
#[derive(Debug, Default, Deserialize)]
#[serde(from = "AnyList<DayStats>")]
pub struct DayList(pub Vec<DayStats>);

impl From<AnyList<DayStats>> for DayList {
    fn from(days: AnyList<DayStats>) -> DayList {
        let mut days = days.0;
        days.sort_by(|a, b| a.day.cmp(&b.day));
        DayList(days)
    }
}

impl DayStats {
    pub fn from_value(value: &Value) -> Option<Self> {
        read(value)
    }

    /// Days of a reply, oldest first, whatever order the server used.
    pub fn list_from_value(value: Value) -> Vec<Self> {
        DayList::deserialize(&value)
            .map(|d| d.0)
            .unwrap_or_default()
    }
}
