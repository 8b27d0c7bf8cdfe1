//! Where everything sits, as a pure function of the terminal size. The drawing (`ui`) and the
//! state machine (`app`: scrolling by a page, the mouse) both read it here; `app` asks `ui`
//! nothing.

use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// Below this the layout does not fit; a short message asks for more room.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tree: Rect,
    pub files: Rect,
    /// The account line.
    pub status: Rect,
    pub keybar: Rect,
}

pub fn fits(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

pub fn areas(width: u16, height: u16) -> Areas {
    let main_h = height.saturating_sub(2);
    // A narrow terminal gives the file names the room.
    let share = if width < 100 {
        width / 4
    } else {
        width * 3 / 10
    };
    let tree_w = share.clamp(20.min(width), 40.min(width));
    Areas {
        tree: Rect::new(0, 0, tree_w, main_h),
        files: Rect::new(tree_w, 0, width.saturating_sub(tree_w), main_h),
        status: Rect::new(0, main_h, width, height.saturating_sub(main_h).min(1)),
        keybar: Rect::new(
            0,
            main_h + 1,
            width,
            height.saturating_sub(main_h + 1).min(1),
        ),
    }
}

/// A centered rectangle of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Rows of the move picker's folder list, in a terminal `term_height` rows high.
pub fn move_list_height(term_height: u16) -> usize {
    (term_height.saturating_sub(12) as usize).clamp(3, 14)
}

/// Rows of the upload picker's entry list.
pub fn picker_list_height(term_height: u16) -> usize {
    (term_height.saturating_sub(11) as usize).clamp(3, 18)
}

/// Rows of a full-screen view's list (deleted files, search results).
pub fn view_list_height(term_height: u16) -> usize {
    (term_height.saturating_sub(10) as usize).max(1)
}

/// Rows of the link checker's results (one line more goes to its summary).
pub fn checker_rows(term_height: u16) -> usize {
    (term_height.saturating_sub(11) as usize).max(1)
}

/// Uploads the transfers view shows at once (two rows each): the view over the panes, less its
/// borders, the total, a blank line and the line of keys.
pub fn transfers_shown(term_height: u16) -> usize {
    (term_height.saturating_sub(7) as usize / 2).max(1)
}

/// Rows of the help view's list: the view's box over the panes, less its borders and the line
/// of keys at its foot.
pub fn help_rows(term_height: u16) -> usize {
    (term_height.saturating_sub(5) as usize).max(1)
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

/// A question over a list (the uploads left unfinished, the files already there): a box as
/// tall as its text (`head` wrapped, a blank row, the list, the key hint), centred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionBox {
    pub width: u16,
    pub height: u16,
    /// Rows of the wrapped head.
    pub head: u16,
    /// Rows of the list shown at once; when the list is longer it scrolls, and (room
    /// permitting: `scrolls`) one more row says where the window is.
    pub rows: usize,
    pub scrolls: bool,
}

pub fn question_box(term_width: u16, term_height: u16, head: &str, lines: usize) -> QuestionBox {
    let width = term_width.saturating_sub(4).clamp(30, 84);
    let head_h = wrapped_height(head, width.saturating_sub(4) as usize) as u16;
    let wanted = (head_h as usize + 5 + lines).min(u16::MAX as usize) as u16;
    let height = wanted.min(term_height.max(1));
    let room = height.saturating_sub(head_h + 5) as usize;
    // With fewer than two rows there is no room to say where the window is.
    let scrolls = lines > room && room >= 2;
    QuestionBox {
        width,
        height,
        head: head_h,
        rows: if scrolls { room - 1 } else { lines.min(room) },
        scrolls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_shows_what_fits_and_says_where_the_window_is() {
        let head = "3 uploads left unfinished: Enter resumes them.";
        // Room for all: no scrolling.
        let b = question_box(120, 35, head, 3);
        assert_eq!((b.rows, b.scrolls), (3, false));
        assert_eq!(b.height, b.head + 5 + 3);
        // 30 rows at 80x16: 16 - head (1) - 5 = 10 rows of room, one says where.
        let b = question_box(80, 16, head, 30);
        assert_eq!((b.head, b.rows, b.scrolls, b.height), (1, 9, true, 16));
        // No room to say where: what fits, no line about it; nothing at all in a sliver.
        assert_eq!(question_box(80, 7, head, 30).rows, 1);
        assert!(!question_box(80, 7, head, 30).scrolls);
        assert_eq!(question_box(80, 3, head, 30).rows, 0);
        assert_eq!(question_box(1, 1, "", 0).rows, 0);
    }
}
