//! Paging through `file/list` until the data says the listing is complete.
//!
//! The seed's reply is a bare array with no pagination fields, and the live service caps
//! `per_page` at a size nobody has written down (another host of this family caps at 200; 25 is
//! possible). A page shorter than asked may be the last one, or the server's cap. So a listing
//! pages on until a page is empty or adds no new code, or until `total_pages`/`results_total`
//! say it is done; a short page whose size could be the cap is followed by one more call, asked
//! with that size as `per_page` (so the server's offsets agree with ours whichever way it counts
//! them). What it learns about the server's page size ([`PageSize`]) makes later listings cost
//! no extra call: a page shorter than the cap, or than the largest page the server ever sent, is
//! the last.
//!
//! One [`Pager`] drives every listing: the file manager's folders and search, `mp4u files
//! --all`, `mp4u find`, and the look-up of an upload whose reply was lost.

use serde::Serialize;

/// Files asked for per page, until the server's own page size is known.
pub const ASK_PER_PAGE: u64 = 500;
/// A listing stops after this many pages, and says it is incomplete (a host that ignores `page`
/// in a way the checks below miss would otherwise loop forever).
pub const MAX_PAGES: u64 = 5_000;

/// What is known of the server's page size, learned from the listings so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PageSize {
    /// The server's cap, once seen: a page shorter than asked that was not the last.
    pub cap: Option<u64>,
    /// The largest page the server ever sent: the cap is at least this.
    pub floor: u64,
}

impl PageSize {
    /// What to ask for per page.
    pub fn per_page(&self) -> u64 {
        self.cap.unwrap_or(ASK_PER_PAGE).max(1)
    }
}

/// Whether a listing holds every file, or why it may not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "complete", content = "why")]
pub enum Completeness {
    #[serde(rename = "true")]
    Complete,
    /// The listing stopped early; the sentence says why ("the server sent page 3 again").
    #[serde(rename = "false")]
    Incomplete(String),
}

impl Completeness {
    pub fn is_complete(&self) -> bool {
        matches!(self, Completeness::Complete)
    }
}

/// What one page held, as the pager needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageReport {
    /// Files on the page.
    pub received: u64,
    /// Files on the page not listed before (pages overlap when files are added meanwhile).
    pub added: u64,
    pub total_pages: Option<u64>,
    pub results_total: Option<u64>,
}

/// Where a listing stands: the next page to ask for, or done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    page: u64,
    per_page: u64,
    /// Distinct files so far.
    seen: u64,
    /// A page came shorter than asked and might have been the server's cap: its size, until the
    /// next page says whether it was.
    short: Option<u64>,
    /// The number of files the server said the listing holds, when it said.
    named_total: Option<u64>,
    done: Option<Completeness>,
}

impl Pager {
    /// A listing from its first page, asked with what is known of the server.
    pub fn new(known: &PageSize) -> Pager {
        Pager {
            page: 1,
            per_page: known.per_page(),
            seen: 0,
            short: None,
            named_total: None,
            done: None,
        }
    }

    /// The page and page size to ask for next (meaningless once done).
    pub fn next(&self) -> (u64, u64) {
        (self.page, self.per_page)
    }

    /// Distinct files listed so far.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// `Some` once the listing is over.
    pub fn done(&self) -> Option<&Completeness> {
        self.done.as_ref()
    }

    /// Takes in the page just asked for; learns about the server into `known`. Returns whether
    /// the listing is over (then [`Pager::done`] says how).
    pub fn on_page(&mut self, report: PageReport, known: &mut PageSize) -> bool {
        if self.done.is_some() {
            return true;
        }
        let asked = self.per_page;
        let page = self.page;
        self.seen += report.added;
        known.floor = known.floor.max(report.received.min(asked));
        // The short page before this one was not the last: its size is the server's cap.
        if let Some(short) = self.short.take()
            && report.added > 0
        {
            known.cap = Some(known.cap.map_or(short, |cap| cap.max(short)));
            known.floor = known.floor.max(short);
        }
        if report.results_total.is_some() {
            self.named_total = report.results_total;
        }
        let said_total = self.named_total.filter(|t| *t > self.seen);
        let finish = |this: &mut Pager, how: Completeness| {
            this.done = Some(how);
            true
        };
        if report.received == 0 || report.added == 0 {
            // Nothing new: the end, unless a full page came again (a server that ignores
            // `page` would send its first page for ever) or the server named more files.
            if let Some(total) = said_total {
                return finish(
                    self,
                    Completeness::Incomplete(format!(
                        "the server said {} files, and {} came",
                        crate::format::count(total),
                        crate::format::count(self.seen)
                    )),
                );
            }
            if report.received > 0 && report.received >= asked {
                return finish(
                    self,
                    Completeness::Incomplete(format!(
                        "the server sent the files of page {} again",
                        page.saturating_sub(1).max(1)
                    )),
                );
            }
            return finish(self, Completeness::Complete);
        }
        if page >= MAX_PAGES {
            return finish(
                self,
                Completeness::Incomplete(format!(
                    "stopped after {} pages",
                    crate::format::count(MAX_PAGES)
                )),
            );
        }
        // Whether the server's own totals (when it sends any) say this was the last page.
        let last_by_totals = match (report.total_pages, report.results_total) {
            (Some(pages), _) => Some(page >= pages && said_total.is_none()),
            (None, Some(_)) => Some(said_total.is_none()),
            (None, None) => None,
        };
        if last_by_totals == Some(true) {
            return finish(self, Completeness::Complete);
        }
        if report.received < asked {
            // A short page: the last, when shorter than a page the server is known to send.
            let floor = known.cap.unwrap_or(known.floor);
            if last_by_totals.is_none() && report.received < floor {
                return finish(self, Completeness::Complete);
            }
            // It may be the server's cap: go on with that size, so that the server's offsets
            // and ours agree whether it counts them by the size asked or by the size sent.
            self.short = Some(report.received);
            self.per_page = report.received;
        }
        self.page += 1;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server holding `files` files, capping pages at `cap`, counting offsets by the size it
    /// sends (`by_cap`) or by the size asked: the pages a pager gets until it is done, and how.
    fn run(files: u64, cap: u64, by_cap: bool, known: &mut PageSize) -> (u64, Completeness, u64) {
        let mut pager = Pager::new(known);
        let mut calls = 0;
        let mut listed = std::collections::BTreeSet::new();
        loop {
            let (page, per_page) = pager.next();
            calls += 1;
            let size = per_page.min(cap);
            let step = if by_cap { size } else { per_page };
            let start = (page - 1) * step;
            let end = (start + size).min(files);
            let page_files: Vec<u64> = (start.min(files)..end).collect();
            let added = page_files.iter().filter(|f| listed.insert(**f)).count() as u64;
            let report = PageReport {
                received: page_files.len() as u64,
                added,
                total_pages: None,
                results_total: None,
            };
            if pager.on_page(report, known) {
                assert_eq!(pager.seen(), listed.len() as u64);
                return (listed.len() as u64, pager.done().unwrap().clone(), calls);
            }
            assert!(calls < 10_000);
        }
    }

    #[test]
    fn every_file_arrives_whatever_the_cap_and_the_offsets() {
        for cap in [1, 7, 25, 200, 500, 1000] {
            for files in [0, 1, 6, 7, 24, 25, 26, 50, 199, 200, 201, 1234] {
                for by_cap in [true, false] {
                    let mut known = PageSize::default();
                    let (listed, how, _) = run(files, cap, by_cap, &mut known);
                    assert_eq!(listed, files, "cap {cap}, {files} files, by_cap {by_cap}");
                    assert_eq!(how, Completeness::Complete);
                    // And again, with what the first listing learnt.
                    let (listed, how, _) = run(files, cap, by_cap, &mut known);
                    assert_eq!(listed, files, "again: cap {cap}, {files} files");
                    assert_eq!(how, Completeness::Complete);
                }
            }
        }
    }

    #[test]
    fn a_learnt_cap_saves_the_extra_call() {
        let mut known = PageSize::default();
        // 60 files under a cap of 25: 25, 25 (the cap is learnt), 10 (shorter: the last).
        let (_, _, calls) = run(60, 25, true, &mut known);
        assert_eq!(known.cap, Some(25));
        assert_eq!(calls, 3);
        // A small folder now costs one call, a folder of exactly 25 two.
        assert_eq!(run(7, 25, true, &mut known).2, 1);
        assert_eq!(run(25, 25, true, &mut known).2, 2);
        assert_eq!(run(0, 25, true, &mut known).2, 1);
    }

    #[test]
    fn a_page_size_seen_before_ends_a_shorter_page() {
        let mut known = PageSize::default();
        // Under the asked size, with no cap seen: one more call to know.
        assert_eq!(run(300, 500, true, &mut known).2, 2);
        assert_eq!(known.floor, 300);
        assert_eq!(known.cap, None);
        // A server that sent 300 at once sends a shorter page only at the end.
        assert_eq!(run(40, 500, true, &mut known).2, 1);
    }

    #[test]
    fn a_server_that_ignores_page_is_caught_and_said() {
        let mut known = PageSize::default();
        let mut pager = Pager::new(&known);
        let full = PageReport {
            received: 25,
            added: 25,
            ..Default::default()
        };
        assert!(!pager.on_page(full, &mut known));
        assert_eq!(pager.next(), (2, 25));
        let again = PageReport {
            received: 25,
            added: 0,
            ..Default::default()
        };
        assert!(pager.on_page(again, &mut known));
        assert!(
            matches!(pager.done(), Some(Completeness::Incomplete(why)) if why.contains("again"))
        );
    }

    #[test]
    fn totals_are_believed_when_sent() {
        let mut known = PageSize::default();
        let mut pager = Pager::new(&known);
        let page = |received, total_pages| PageReport {
            received,
            added: received,
            total_pages: Some(total_pages),
            results_total: None,
        };
        assert!(!pager.on_page(page(20, 3), &mut known));
        assert!(!pager.on_page(page(20, 3), &mut known));
        assert!(pager.on_page(page(20, 3), &mut known));
        assert_eq!(pager.done(), Some(&Completeness::Complete));
        // A server that names more files than come says so.
        let mut pager = Pager::new(&known);
        let named = PageReport {
            received: 10,
            added: 10,
            total_pages: None,
            results_total: Some(30),
        };
        assert!(!pager.on_page(named, &mut known));
        assert!(pager.on_page(PageReport::default(), &mut known));
        assert!(matches!(pager.done(), Some(Completeness::Incomplete(why)) if why.contains("30")));
    }

    #[test]
    fn listings_stop_after_max_pages() {
        let mut known = PageSize {
            cap: Some(1),
            floor: 1,
        };
        let mut pager = Pager::new(&known);
        let one = PageReport {
            received: 1,
            added: 1,
            ..Default::default()
        };
        let mut pages = 0;
        while !pager.on_page(one, &mut known) {
            pages += 1;
        }
        assert_eq!(pages + 1, MAX_PAGES);
        assert!(!pager.done().unwrap().is_complete());
    }
}
