//! Timestamps in the API's format, `YYYY-MM-DD HH:MM:SS`, UTC.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

const STAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const DAY: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// The current time, UTC.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// `YYYY-MM-DD HH:MM:SS`.
pub fn stamp(t: OffsetDateTime) -> String {
    t.format(STAMP).unwrap_or_default()
}

/// `YYYY-MM-DD HH:MM:SS` of now.
pub fn now_stamp() -> String {
    stamp(now())
}

/// `YYYY-MM-DD`.
pub fn day(t: OffsetDateTime) -> String {
    t.format(DAY).unwrap_or_default()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (or a bare `YYYY-MM-DD`, meaning midnight) as UTC.
pub fn parse_stamp(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = PrimitiveDateTime::parse(s, STAMP) {
        return Some(t.assume_utc());
    }
    Date::parse(s, DAY)
        .ok()
        .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = parse_stamp("2022-08-11 04:30:07").expect("parses");
        assert_eq!(stamp(t), "2022-08-11 04:30:07");
        assert_eq!(day(t), "2022-08-11");
        let d = parse_stamp("2022-08-11").expect("parses");
        assert_eq!(stamp(d), "2022-08-11 00:00:00");
        assert!(parse_stamp("yesterday").is_none());
        assert!(parse_stamp("2022-13-01 00:00:00").is_none());
    }
}
