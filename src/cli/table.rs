//! Plain-text tables for the scripting CLI: columns padded by display width.

use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Table {
    headers: Vec<&'static str>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with the columns `header` names, separated by spaces; a name written `>NAME`
    /// is a column of numbers, aligned right: `"CODE NAME >SIZE"`.
    pub fn new(header: &'static str) -> Table {
        let (headers, align) = header
            .split_whitespace()
            .map(|name| match name.strip_prefix('>') {
                Some(name) => (name, Align::Right),
                None => (name, Align::Left),
            })
            .unzip();
        Table {
            headers,
            align,
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, one line per row, the header first; no trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                widths[i] = widths[i].max(printable(cell).width());
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                let cell = printable(cell);
                let pad = widths[i].saturating_sub(cell.width());
                if i > 0 {
                    line.push_str("  ");
                }
                match self.align[i] {
                    Align::Left => {
                        line.push_str(&cell);
                        line.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        line.push_str(&" ".repeat(pad));
                        line.push_str(&cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A cell without control characters (a name could hold an escape sequence).
fn printable(cell: &str) -> String {
    cell.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_by_display_width() {
        let mut t = Table::new("NAME >SIZE");
        t.row(vec!["日本.mp4".into(), "1 MB".into()]);
        t.row(vec!["a\x1b[31m".into(), "22 MB".into()]);
        let text = t.render();
        assert_eq!(text, "NAME       SIZE\n日本.mp4   1 MB\na?[31m    22 MB\n");
    }
}
