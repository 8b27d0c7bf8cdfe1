//! Fuzzy matching of names as the filter is typed (nucleo's matcher, as in helix).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

pub struct Fuzzy {
    pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Fuzzy {
    /// `None` for an empty filter (everything matches).
    pub fn new(filter: &str) -> Option<Fuzzy> {
        if filter.trim().is_empty() {
            return None;
        }
        Some(Fuzzy {
            pattern: Pattern::parse(filter, CaseMatching::Ignore, Normalization::Smart),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        })
    }

    pub fn matches(&mut self, name: &str) -> bool {
        self.pattern
            .score(Utf32Str::new(name, &mut self.buf), &mut self.matcher)
            .is_some()
    }

    /// The positions (in chars) of the name that the filter matched, for highlighting.
    pub fn positions(&mut self, name: &str) -> Vec<usize> {
        let mut indices = Vec::new();
        self.pattern.indices(
            Utf32Str::new(name, &mut self.buf),
            &mut self.matcher,
            &mut indices,
        );
        let mut out: Vec<usize> = indices.into_iter().map(|i| i as usize).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_order_match() {
        let mut f = Fuzzy::new("frs1e5").unwrap();
        assert!(f.matches("Frieren - S01E05 [1080p].mp4"));
        assert!(!f.matches("Dungeon Meshi - S01E05.mp4"));
        let mut f = Fuzzy::new("zoom").unwrap();
        assert_eq!(f.positions("Zoom meeting"), [0, 1, 2, 3]);
        assert!(Fuzzy::new("  ").is_none());
    }
}
