//! `account/stats`: believable daily numbers, computed from the date alone
//! (same day, same numbers), with a weekly rhythm and a slow upward trend.

use serde_json::{Value, json};
use time::{Date, Duration, Weekday};

/// Days of history the sandbox has.
pub const MAX_DAYS: u64 = 90;

/// Money in units of 0.00001.
type Micro = u64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayRecord {
    pub day: Date,
    pub views: u64,
    pub downloads: u64,
    pub views_prem: u64,
    pub views_adb: u64,
    pub sales: u64,
    pub refs: u64,
    pub profit_views: Micro,
    pub profit_sales: Micro,
    pub profit_refs: Micro,
    pub profit_site: Micro,
}

impl DayRecord {
    pub fn profit_total(&self) -> Micro {
        self.profit_views + self.profit_sales + self.profit_refs + self.profit_site
    }

    pub fn to_json(&self) -> Value {
        let day = format!(
            "{:04}-{:02}-{:02}",
            self.day.year(),
            u8::from(self.day.month()),
            self.day.day()
        );
        json!({
            "day": day,
            "views": self.views.to_string(),
            "downloads": self.downloads.to_string(),
            "views_prem": self.views_prem.to_string(),
            "views_adb": self.views_adb.to_string(),
            "sales": self.sales.to_string(),
            "refs": self.refs.to_string(),
            "profit_views": money(self.profit_views),
            "profit_sales": money(self.profit_sales),
            "profit_refs": money(self.profit_refs),
            "profit_site": money(self.profit_site),
            "profit_total": money(self.profit_total()),
        })
    }
}

/// `"12.34000"`.
pub fn money(m: Micro) -> String {
    format!("{}.{:05}", m / 100_000, m % 100_000)
}

/// The last `last` days (at most [`MAX_DAYS`]), newest first, ending `today`.
pub fn last_days(today: Date, last: u64) -> Vec<DayRecord> {
    (0..last.min(MAX_DAYS))
        .filter_map(|i| today.checked_sub(Duration::days(i as i64)))
        .map(day_stats)
        .collect()
}

/// The numbers of one day.
pub fn day_stats(day: Date) -> DayRecord {
    let jd = i64::from(day.to_julian_day());
    let mut rng = Mix(jd as u64 ^ 0x6d70_3475_7374_6174);
    let weekly = match day.weekday() {
        Weekday::Monday => 0.92,
        Weekday::Tuesday => 0.88,
        Weekday::Wednesday => 0.90,
        Weekday::Thursday => 0.95,
        Weekday::Friday => 1.08,
        Weekday::Saturday => 1.32,
        Weekday::Sunday => 1.27,
    };
    // Julian day 2_460_311 is 2024-01-01: +45% a year from there, plus a slow wave.
    let years = (jd - 2_460_311) as f64 / 365.0;
    let trend = (1.0 + 0.45 * years).max(0.3) * (1.0 + 0.08 * (jd as f64 / 29.0).sin());
    let noise = 0.82 + 0.36 * rng.unit();
    let views = (2_150.0 * weekly * trend * noise) as u64;
    let downloads = (views as f64 * (0.14 + 0.06 * rng.unit())) as u64;
    let views_prem = (views as f64 * (0.03 + 0.03 * rng.unit())) as u64;
    let views_adb = (views as f64 * (0.10 + 0.08 * rng.unit())) as u64;
    let sales = (views as f64 / 2_600.0 + rng.unit()) as u64;
    let refs = (rng.unit() * rng.unit() * 4.0) as u64;
    // $0.85 per 1000 counted views, $0.40 per 1000 premium views.
    let counted = views - views_adb;
    let profit_views = counted * 85 + views_prem * 40;
    let profit_sales = sales * 349_000;
    let profit_refs = refs * 25_000;
    let profit_site = (rng.unit() * 40_000.0) as u64;
    DayRecord {
        day,
        views,
        downloads,
        views_prem,
        views_adb,
        sales,
        refs,
        profit_views,
        profit_sales,
        profit_refs,
        profit_site,
    }
}

/// splitmix64.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn deterministic_and_shaped() {
        let today = date!(2026 - 11 - 27);
        let a = last_days(today, 500);
        assert_eq!(a.len(), 90);
        assert_eq!(a[0].day, today);
        assert_eq!(a[1].day, date!(2026 - 11 - 26));
        assert_eq!(a, last_days(today, 90));
        assert_eq!(last_days(today, 7)[..], a[..7]);
        assert_eq!(day_stats(today), a[0]);
        for d in &a {
            assert!(d.views > 500 && d.downloads < d.views && d.views_adb < d.views);
        }
        // Weekends are busier than weekdays on average.
        let avg = |wk: bool| {
            let v: Vec<u64> = a
                .iter()
                .filter(|d| matches!(d.day.weekday(), Weekday::Saturday | Weekday::Sunday) == wk)
                .map(|d| d.views)
                .collect();
            v.iter().sum::<u64>() / v.len() as u64
        };
        assert!(avg(true) > avg(false));
        let j = a[0].to_json();
        assert_eq!(j["day"], "2026-11-27");
        assert!(j["views"].is_string());
        assert_eq!(money(1_234_000), "12.34000");
        let total = j["profit_total"].as_str().unwrap_or_default();
        assert_eq!(total, money(a[0].profit_total()));
    }
}
