//! Where everything sits, as a pure function of the terminal size. The drawing (`ui`) and the
//! state machine (`app`: scrolling by a page, the mouse) both read it here; `app` asks `ui`
//! nothing.

use ratatui::layout::Rect;

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
