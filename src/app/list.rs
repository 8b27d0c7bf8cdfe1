//! One list state for every list on screen (help, transfers, the pickers, the views, the sort
//! menu, the message log): the same keys move it (↑↓ and j k, PgUp PgDn, Home End), and
//! scrolling is bounded at both ends.

use super::keys::Action;

/// The cursor of a list and its first visible row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub cursor: usize,
    pub offset: usize,
}

impl ListState {
    /// A list with the cursor on `cursor`.
    pub fn at(cursor: usize) -> ListState {
        ListState { cursor, offset: 0 }
    }

    /// Moves the cursor for a movement key, in a list of `len` rows of which `height` show.
    /// Returns whether the action was a movement.
    pub fn apply(&mut self, action: Action, len: usize, height: usize) -> bool {
        let last = len.saturating_sub(1);
        let page = height.saturating_sub(1).max(1);
        self.cursor = match action {
            Action::Up => self.cursor.saturating_sub(1),
            Action::Down => (self.cursor + 1).min(last),
            Action::PageUp => self.cursor.saturating_sub(page),
            Action::PageDown => (self.cursor + page).min(last),
            Action::Home => 0,
            Action::End => last,
            _ => return false,
        };
        self.settle(len, height);
        true
    }

    /// Scrolls a list that has no cursor (the help): the first visible row moves, and stops
    /// where the last row shows. Returns whether the action was a movement.
    pub fn scroll(&mut self, action: Action, len: usize, height: usize) -> bool {
        let most = len.saturating_sub(height);
        let page = height.saturating_sub(1).max(1);
        self.offset = match action {
            Action::Up => self.offset.saturating_sub(1),
            Action::Down => self.offset + 1,
            Action::PageUp => self.offset.saturating_sub(page),
            Action::PageDown => self.offset + page,
            Action::Home => 0,
            Action::End => most,
            _ => return false,
        }
        .min(most);
        self.cursor = self.offset;
        true
    }

    /// Keeps the cursor inside the list and on screen, moving the view as little as possible.
    pub fn settle(&mut self, len: usize, height: usize) {
        self.cursor = self.cursor.min(len.saturating_sub(1));
        self.offset = window_start(self.offset, self.cursor, height);
        // No empty rows below the last one while rows above are hidden.
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
    }

    /// The rows to draw in a view `height` rows high: the same window [`ListState::settle`]
    /// keeps, worked out again for the height drawn.
    /// The items a list of `height` rows shows, with their index among all of them.
    pub fn shown<'a, T: 'a>(
        &self,
        items: impl ExactSizeIterator<Item = &'a T>,
        height: usize,
    ) -> impl Iterator<Item = (usize, &'a T)> {
        let window = self.window(items.len(), height);
        items.enumerate().skip(window.start).take(window.len())
    }

    pub fn window(&self, len: usize, height: usize) -> std::ops::Range<usize> {
        let mut state = *self;
        state.settle(len, height);
        let start = state.offset.min(len);
        start..(start + height).min(len)
    }
}

/// The first visible row that keeps `index` inside a viewport of `height` rows starting at
/// `offset`, moving as little as possible.
pub fn window_start(offset: usize, index: usize, height: usize) -> usize {
    if height == 0 {
        return index;
    }
    if index < offset {
        index
    } else if index >= offset + height {
        index + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_bounded_at_both_ends() {
        let mut list = ListState::default();
        for _ in 0..150 {
            list.apply(Action::Down, 20, 5);
        }
        assert_eq!((list.cursor, list.offset), (19, 15));
        list.apply(Action::Up, 20, 5);
        assert_eq!(list.cursor, 18, "one k moves at once");
        list.apply(Action::Home, 20, 5);
        assert_eq!((list.cursor, list.offset), (0, 0));
        list.apply(Action::PageDown, 20, 5);
        assert_eq!(list.cursor, 4);
        list.apply(Action::End, 0, 5);
        assert_eq!((list.cursor, list.offset), (0, 0), "an empty list");
    }

    #[test]
    fn scrolling_stops_where_the_last_row_shows() {
        let mut help = ListState::default();
        for _ in 0..150 {
            help.scroll(Action::Down, 60, 20);
        }
        assert_eq!(help.offset, 40);
        help.scroll(Action::Up, 60, 20);
        assert_eq!(help.offset, 39, "one k moves at once");
        help.scroll(Action::End, 10, 20);
        assert_eq!(help.offset, 0, "all rows show: nothing to scroll");
        assert_eq!(help.window(10, 20), 0..10);
    }

    #[test]
    fn the_window_follows_the_cursor() {
        let list = ListState {
            cursor: 12,
            offset: 0,
        };
        assert_eq!(list.window(30, 5), 8..13);
        assert_eq!(list.window(3, 5), 0..3);
        assert_eq!(list.window(0, 5), 0..0);
        assert_eq!(window_start(3, 0, 0), 0);
    }

    #[test]
    fn scrolling_keeps_the_cursor_visible() {
        assert_eq!(window_start(0, 5, 10), 0);
        assert_eq!(window_start(0, 12, 10), 3);
        assert_eq!(window_start(8, 2, 10), 2);
        assert_eq!(window_start(3, 0, 0), 0);
    }
}
