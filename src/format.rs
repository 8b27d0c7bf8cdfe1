//! How numbers and times read on screen and in tables.

/// A size in human units: `341 MB`, `1.2 GB` (decimal units, as the website shows them).
pub fn size(bytes: u64) -> String {
    humansize::format_size(
        bytes,
        humansize::DECIMAL.decimal_places(1).decimal_zeroes(0),
    )
}

/// `1 file`, `3 files`, `100,000 files`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", count(n as u64))
    }
}

/// A count with thousands separated: `100,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration in seconds in words: `42 seconds ago`, `3 days ago`.
pub fn ago(secs: u64) -> String {
    let (n, unit) = match secs {
        0..60 => (secs, "second"),
        60..3_600 => (secs / 60, "minute"),
        3_600..86_400 => (secs / 3_600, "hour"),
        86_400..2_592_000 => (secs / 86_400, "day"),
        2_592_000..31_536_000 => (secs / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(341_000_000), "341 MB");
        assert_eq!(size(1_234_000_000), "1.2 GB");
    }

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(154_320), "154,320");
        assert_eq!(plural(100_000, "file"), "100,000 files");
    }

    #[test]
    fn ages() {
        assert_eq!(ago(5), "5 seconds ago");
        assert_eq!(ago(60), "1 minute ago");
        assert_eq!(ago(3 * 86_400 + 5), "3 days ago");
    }
}
