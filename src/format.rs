//! How numbers and times read on screen and in tables.

/// A size in human units: `341 MB`, `1.2 GB` (decimal units, as the website shows them).
pub fn size(bytes: u64) -> String {
    // Rounded to one decimal first, then a whole number shows without its `.0`: 1,996 and
    // 2,000 bytes are both `2 kB` (trimming before the rounding made the first `2.0 kB`).
    let text = humansize::format_size(bytes, humansize::DECIMAL.decimal_places(1));
    text.replacen(".0 ", " ", 1)
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

/// Compares names the way people count: `ep2` before `ep10`, case aside.
///
/// Allocation-free: a listing of 100,000 files is sorted again as each page arrives.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // Names of one folder often share a long start ("Show - S01E0"): skip it at memcmp speed,
    // backing up to a char boundary and to the start of a run of digits.
    let mut same = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    while same > 0 && (!a.is_char_boundary(same) || a.as_bytes()[same - 1].is_ascii_digit()) {
        same -= 1;
    }
    let (mut a, mut b) = (&a[same..], &b[same..]);
    loop {
        let (x, y) = match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => (x, y),
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (na, rest_a) = a.split_at(digits(a));
            let (nb, rest_b) = b.split_at(digits(b));
            let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
            let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (rest_a, rest_b);
        } else {
            let order = if x.is_ascii() && y.is_ascii() {
                x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
            } else {
                x.to_lowercase().cmp(y.to_lowercase())
            };
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
        }
    }
}

/// The length in bytes of the run of ASCII digits `s` starts with.
fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// The candidate nearest to a misspelt `name`, if one is near (two edits at most).
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// A span of time in seconds: `60 s`, `0.3 s`.
pub fn seconds(span: std::time::Duration) -> String {
    if span.subsec_millis() == 0 {
        format!("{} s", span.as_secs())
    } else {
        format!("{:.1} s", span.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        // One way to write a size: never `2.0 kB` beside `2 kB`.
        for (bytes, said) in [
            (0, "0 B"),
            (999, "999 B"),
            (1_960, "2 kB"),
            (1_996, "2 kB"),
            (2_000, "2 kB"),
            (2_140, "2.1 kB"),
            (341_000_000, "341 MB"),
            (1_234_000_000, "1.2 GB"),
        ] {
            assert_eq!(size(bytes), said, "{bytes}");
        }
    }

    #[test]
    fn counts() {
        for (n, said) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (154_320, "154,320"),
        ] {
            assert_eq!(count(n), said);
        }
        assert_eq!(plural(100_000, "file"), "100,000 files");
    }

    #[test]
    fn ages() {
        assert_eq!(ago(5), "5 seconds ago");
        assert_eq!(ago(60), "1 minute ago");
        assert_eq!(ago(3 * 86_400 + 5), "3 days ago");
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["Ep 10.mp4", "ep 2.mp4", "Ep 1.mp4", "a.mp4"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a.mp4", "Ep 1.mp4", "ep 2.mp4", "Ep 10.mp4"]);
        use std::cmp::Ordering::*;
        assert_eq!(natural_cmp("ep 007", "EP 7"), Equal);
        assert_eq!(natural_cmp("a 2", "a 2b"), Less);
        assert_eq!(natural_cmp("Émile 3", "émile 10"), Less);
        assert_eq!(natural_cmp("x9", "x10y"), Less);
        assert_eq!(natural_cmp("", "a"), Less);
    }

    /// The first version, which allocated the runs of digits: the fast one must agree.
    fn reference_cmp(a: &str, b: &str) -> std::cmp::Ordering {
        let mut ai = a.chars().peekable();
        let mut bi = b.chars().peekable();
        loop {
            match (ai.peek().copied(), bi.peek().copied()) {
                (None, None) => return std::cmp::Ordering::Equal,
                (None, Some(_)) => return std::cmp::Ordering::Less,
                (Some(_), None) => return std::cmp::Ordering::Greater,
                (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                    let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                        let mut s = String::new();
                        while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                            s.push(c);
                            it.next();
                        }
                        s
                    };
                    let (na, nb) = (take(&mut ai), take(&mut bi));
                    let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                    let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                    if order != std::cmp::Ordering::Equal {
                        return order;
                    }
                }
                (Some(x), Some(y)) => {
                    let order = x.to_lowercase().cmp(y.to_lowercase());
                    if order != std::cmp::Ordering::Equal {
                        return order;
                    }
                    ai.next();
                    bi.next();
                }
            }
        }
    }

    #[test]
    fn natural_order_agrees_with_the_reference() {
        let alphabet: Vec<char> = "aAbB 0012789.-éÉßİ".chars().collect();
        let mut rng = fastrand::Rng::with_seed(7);
        let word = |rng: &mut fastrand::Rng| -> String {
            let len = rng.usize(0..10);
            (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect()
        };
        for _ in 0..50_000 {
            let prefix = word(&mut rng);
            let a = format!("{prefix}{}", word(&mut rng));
            let b = format!("{prefix}{}", word(&mut rng));
            assert_eq!(natural_cmp(&a, &b), reference_cmp(&a, &b), "{a:?} vs {b:?}");
            assert_eq!(natural_cmp(&b, &a), reference_cmp(&b, &a), "{b:?} vs {a:?}");
        }
    }
}
