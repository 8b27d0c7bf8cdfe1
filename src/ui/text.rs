//! Fitting text into cells: display width, not bytes or chars.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to at most `width` columns, with `…` where it was cut; control characters shown
/// as `?` so a file name cannot move the cursor.
pub fn fit(text: &str, width: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.width() <= width {
        return clean;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` padded with spaces (or cut) to exactly `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let mut s = fit(text, width);
    let w = s.width();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

/// Right-aligned in `width` columns.
pub fn pad_left(text: &str, width: usize) -> String {
    let s = fit(text, width);
    let w = s.width();
    let mut out: String = std::iter::repeat_n(' ', width.saturating_sub(w)).collect();
    out.push_str(&s);
    out
}

/// How many rows `text` takes wrapped at `width` columns (words kept whole where they fit).
pub fn wrapped_height(text: &str, width: usize) -> usize {
    if width == 0 {
        return text.lines().count().max(1);
    }
    let mut rows = 0;
    for line in text.split('\n') {
        let mut used = 0;
        let mut line_rows = 1;
        for word in line.split(' ') {
            let w = word.width();
            if used == 0 {
                used = w;
            } else if used + 1 + w <= width {
                used += 1 + w;
            } else {
                line_rows += 1;
                used = w;
            }
            while used > width {
                line_rows += 1;
                used -= width;
            }
        }
        rows += line_rows;
    }
    rows.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_width() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("日本語の名前", 5), "日本…");
        assert_eq!(fit("a\x1b[2Jb", 10), "a?[2Jb");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(fit("x", 0), "");
    }
}
