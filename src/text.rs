//! Fitting text into cells: display width, not bytes or chars.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` cut to at most `width` columns, with `…` where it was cut; control characters shown
/// as `?` so a file name cannot move the cursor.
pub fn fit(text: &str, width: usize) -> String {
    fit_measured(text, width).0
}

/// [`fit`], and the columns the result takes.
fn fit_measured(text: &str, width: usize) -> (String, usize) {
    // Most names and labels are printable ASCII: one column a byte, nothing to replace.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        if text.len() <= width {
            return (text.to_owned(), text.len());
        }
        if width == 0 {
            return (String::new(), 0);
        }
        let mut out = String::with_capacity(width + 2);
        out.push_str(&text[..width - 1]);
        out.push('…');
        return (out, width);
    }
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let total = clean.width();
    if total <= width {
        return (clean, total);
    }
    if width == 0 {
        return (String::new(), 0);
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
    (out, used + 1)
}

/// `text` padded with spaces (or cut) to exactly `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let (mut s, w) = fit_measured(text, width);
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    s
}

/// Right-aligned in `width` columns.
pub fn pad_left(text: &str, width: usize) -> String {
    let (s, w) = fit_measured(text, width);
    let mut out = " ".repeat(width.saturating_sub(w));
    out.push_str(&s);
    out
}

pub use crate::geometry::wrapped_height;

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

    #[test]
    fn ascii_and_other_text_are_cut_alike() {
        // The same text in ASCII and with its first letter accented (same width, other path).
        for text in ["", "a", "Show - S01E01.mp4", "ab\tc"] {
            let accented = text.replacen('S', "Ś", 1).replacen('a', "á", 1);
            for width in 0..22 {
                for s in [fit(text, width), fit(&accented, width)] {
                    assert!(s.width() <= width, "{s:?} in {width}");
                    assert_eq!(s.ends_with('…'), width > 0 && text.width() > width);
                }
                assert_eq!(fit(text, width).width(), fit(&accented, width).width());
                assert_eq!(pad(text, width).width(), width);
                assert_eq!(pad(&accented, width).width(), width);
                assert_eq!(pad_left(&accented, width).width(), width);
            }
        }
    }
}
