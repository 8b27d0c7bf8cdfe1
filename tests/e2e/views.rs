//! End to end: the views over the browser (statistics, deleted files, link checker, search),
//! the sort menu, the filter and the export of links, with the real `mp4u` binary in a
//! pseudo-terminal on a sandbox started by the test. Each test waits for the screen to show what
//! it expects (no sleeps), compares what is shown with what the sandbox holds or answers through
//! the API client, checks that Esc brings the browser back exactly as it was, quits, and checks
//! that the API key appeared nowhere: not on the terminal, not in the log.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::e2e::{
    E01, E01_CODE, E02, E02_CODE, E03_CODE, E04, E04_CODE, FRIEREN_S1, Run, Setup, whole_key_bar,
};
use crate::common::pty::{CTRL_P, DOWN, ENTER, RIGHT, SPACE, TAB, TIMEOUT, Tui};
use crate::common::{client, leaks};
use mp4u::api::{Client, StorageLeft};
use mp4u::sandbox::FileRecord;

/// A code of the right form that no file has.
const MADE_UP: &str = "q9w8e7r6t5y4";
/// /Anime/Dungeon Meshi/Season 1 as the search's folder column shows it: whole, or cut (the
/// column has 28 cells at most, even on a wide terminal, and the path is 29 long).
const DUNGEON_PATH: &str = "/Anime/Dungeon Meshi/Seaso";

impl Run {
    /// A client of the sandbox, as the program has.
    fn client(&self) -> Client {
        client(&self.sandbox)
    }

    /// `base_url/CODE`: the link the program makes.
    fn link(&self, code: &str) -> String {
        format!("{}/{code}", self.sandbox.base_url())
    }

    /// Frieren season 1 listed, the file list focused, its cursor on the fourth file: a
    /// browser state that a view must not disturb. Returns the screen.
    fn browser_at_e04(&mut self) -> String {
        self.open_frieren_season_1();
        self.focus_files(E01);
        self.tui.send("jjj");
        self.tui.wait_highlight(E04);
        // Whatever notice there was has faded: the screen is steady.
        self.tui.wait_for("the browser at rest", |s| {
            s.contains(E04) && !s.contains("Loading")
        })
    }

    /// Esc closes the view; the browser is back exactly as it was: same folder, same rows,
    /// same cursor, same key bar (waits for notices of the view to fade).
    #[track_caller]
    fn close_and_expect(&mut self, before: &str) {
        self.tui.esc();
        let after = self
            .tui
            .wait_for("the browser as it was before the view", |s| s == before);
        assert!(after.lines().last().is_some_and(whole_key_bar), "{after}");
        self.tui.wait_highlight(E04);
    }

    /// The file a `Saved <path>` notice names; checks that it is in the program's directory.
    #[track_caller]
    fn saved_file(&self, prefix: &str) -> PathBuf {
        let screen = self.tui.wait_text("Saved ");
        let path = screen
            .lines()
            .find_map(|l| l.split_once("Saved ").map(|(_, rest)| rest))
            .and_then(|rest| rest.split_whitespace().next())
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("a path after Saved:\n{screen}"));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The format's extension: plain links .txt, the checker's table .tsv.
        assert!(
            name.starts_with(prefix) && (name.ends_with(".txt") || name.ends_with(".tsv")),
            "{path:?}"
        );
        let dir = self
            .tui
            .dir()
            .canonicalize()
            .expect("the program's directory");
        assert_eq!(
            path.parent().map(|p| p.canonicalize().expect("the parent")),
            Some(dir),
            "saved in the program's working directory"
        );
        path
    }
}

/// `154320` → `154,320`.
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The totals line the statistics view shows for these days.
fn totals_line(days: &[mp4u::api::DayStats]) -> String {
    let views: u64 = days.iter().map(|d| d.views).sum();
    let downloads: u64 = days.iter().map(|d| d.downloads).sum();
    let profit: f64 = days.iter().map(|d| d.profit_total).sum();
    format!(
        "Totals, {} days: {} views · {} downloads · ${profit:.2} profit",
        days.len(),
        grouped(views),
        grouped(downloads)
    )
}

/// The chart tab drawn on yellow: the metric the statistics chart. (The profit chart's bars
/// are yellow too; only the tab's words count.)
fn chosen_chart(tui: &Tui) -> String {
    tui.runs_on(vt100::Color::Idx(3))
        .into_iter()
        .filter(|run| ["Views", "Downloads", "Profit"].contains(&run.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Polls `path` until `pred` holds for its contents; panics after [`TIMEOUT`].
#[track_caller]
fn wait_file(path: &Path, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if pred(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} in {path:?}:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Standard base64, as OSC 52 carries clipboard text.
fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The names of the files listed on screen that contain `part`, top to bottom.
fn listed(screen: &str, part: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find(part)?;
            let start = l[..at].rfind(['│', '✓', '●']).map_or(0, |i| i + 3);
            let end = l[at..].find(".mp4").map(|i| at + i + 4)?;
            Some(l[start..end].trim().to_string())
        })
        .collect()
}

/// A line of a view without its frame.
fn cells(line: &str) -> &str {
    line.trim_matches(|c: char| c == '│' || c.is_whitespace())
}

/// Whether `pattern` is a subsequence of `text`, ignoring case: a fuzzy match.
fn fuzzy(pattern: &str, text: &str) -> bool {
    let mut chars = text.chars().map(|c| c.to_ascii_lowercase());
    pattern
        .chars()
        .all(|p| chars.any(|c| c == p.to_ascii_lowercase()))
}

#[test]
fn account_and_statistics_show_the_servers_numbers() {
    let mut run = Run::demo(120, 35);
    let before = run.browser_at_e04();
    let api = run.client();
    let account = run.rt.block_on(api.account_info()).expect("account/info");
    let week = run
        .rt
        .block_on(api.account_stats(Some(7)))
        .expect("account/stats");
    assert_eq!(week.len(), 7);

    run.tui.send("s");
    let screen = run.tui.wait_for("the statistics of 7 days", |s| {
        s.contains("Account and statistics") && s.contains("Totals, 7 days:")
    });
    // The account.
    assert!(screen.contains("demo@mp4u.example"), "{screen}");
    let balance = account.balance.expect("a balance");
    assert!(
        screen.contains(&format!("balance ${balance:.2}")),
        "balance {balance}:\n{screen}"
    );
    let used = mp4u::format::size(account.storage_used.expect("storage used"));
    let StorageLeft::Bytes(left) = account.storage_left else {
        panic!("the demo account has a storage limit: {account:?}");
    };
    let storage = format!("{used} used · {} left", mp4u::format::size(left));
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Storage ") && l.contains(&storage)),
        "{storage}:\n{screen}"
    );
    // The chart: a bar per day, labelled MM-DD; the totals add up the server's days.
    for day in &week {
        let label = &day.day[5..];
        assert!(
            screen.contains(label),
            "day {label} in the chart:\n{screen}"
        );
    }
    let totals = totals_line(&week);
    assert!(screen.contains(&totals), "{totals}:\n{screen}");
    assert_eq!(chosen_chart(&run.tui), "Views");

    // → : 30 days, then 90, each with the server's totals.
    for (days, keys) in [(30, RIGHT), (90, RIGHT)] {
        let want = run
            .rt
            .block_on(api.account_stats(Some(days)))
            .expect("account/stats");
        assert_eq!(want.len(), days as usize);
        run.tui.send(keys);
        let totals = totals_line(&want);
        let screen = run.tui.wait_text(&totals);
        // The dated axis: the first and the last day.
        for day in [&want[0], &want[want.len() - 1]] {
            assert!(screen.contains(&day.day[5..]), "{}:\n{screen}", day.day);
        }
        if days == 90 {
            // Tab switches the chart: its scale is the largest value of the metric.
            let top =
                |f: &dyn Fn(&mp4u::api::DayStats) -> f64| want.iter().map(f).fold(0.0, f64::max);
            let views = grouped(top(&|d| d.views as f64) as u64);
            assert!(screen.contains(&views), "views up to {views}:\n{screen}");
            run.tui.send(TAB);
            run.tui.wait_for("the downloads chart", |_| {
                chosen_chart(&run.tui) == "Downloads"
            });
            let downloads = grouped(top(&|d| d.downloads as f64) as u64);
            run.tui.wait_text(&downloads);
            run.tui.send(TAB);
            run.tui
                .wait_for("the profit chart", |_| chosen_chart(&run.tui) == "Profit");
            let profit = format!("${:.2}", top(&|d| d.profit_total));
            let screen = run.tui.wait_text(&profit);
            assert!(screen.contains(&totals), "the totals stay:\n{screen}");
        }
    }
    // → once more wraps to 7 days.
    run.tui.press(RIGHT, &totals_line(&week));

    run.close_and_expect(&before);
    run.quit_keeping_the_key_secret();
}

#[test]
fn deleted_files_as_the_server_has_them() {
    let mut run = Run::demo(120, 35);
    let before = run.browser_at_e04();
    let api = run.client();
    let last20 = run
        .rt
        .block_on(api.files_deleted(Some(20)))
        .expect("files/deleted");
    assert_eq!(last20.len(), 20);

    run.tui.send("d");
    let screen = run.tui.wait_for("the last 20 deleted files", |s| {
        s.contains("Recently deleted · the last 20 · 20 shown") && s.contains(&last20[19].file_code)
    });
    let mut days_ago = 0;
    for file in &last20 {
        let name = file.name.as_deref().expect("a name");
        let when = file.deleted.as_deref().expect("a date");
        let ago = mp4u::format::ago(file.deleted_ago_sec.expect("an age"));
        days_ago += usize::from(ago.ends_with("days ago"));
        let line = screen
            .lines()
            .find(|l| l.contains(&file.file_code))
            .unwrap_or_else(|| panic!("{} listed:\n{screen}", file.file_code));
        for part in [name, when, &ago] {
            assert!(line.contains(part), "{part:?} in {line:?}");
        }
    }
    assert!(days_ago > 0, "some were deleted days ago: {last20:?}");
    // Newest first, as the server sends them.
    let at = |code: &str| screen.find(code).expect("listed");
    assert!(at(&last20[0].file_code) < at(&last20[19].file_code));

    // + asks for the last 50: the demo account has 32.
    let last50 = run
        .rt
        .block_on(api.files_deleted(Some(50)))
        .expect("files/deleted");
    run.tui.send("+");
    let screen = run.tui.wait_text(&format!(
        "Recently deleted · the last 50 · {} shown",
        last50.len()
    ));
    assert!(last50.len() > 20, "{}", last50.len());
    assert!(screen.contains(&last50[20].file_code), "{screen}");

    run.close_and_expect(&before);
    run.quit_keeping_the_key_secret();
}

#[test]
fn link_checker_counts_checks_copies_and_exports() {
    let mut run = Run::demo(120, 35);
    let before = run.browser_at_e04();
    assert!(run.state().file(MADE_UP).is_none());
    let e03 = run.state().file(E03_CODE).expect("E03");
    let e04 = run.state().file(E04_CODE).expect("E04");

    run.tui.press("L", "Link checker");
    // Typed: two bare codes (one in capitals).
    run.tui
        .send(&format!("{E01_CODE}, {} ", E02_CODE.to_uppercase()));
    run.tui.wait_text("2 codes · Enter checks them");
    // Pasted, over several lines: links in both forms, a made-up code, the first file again
    // as a link, and two pieces that are no code.
    let pasted = format!(
        "{}\n{}.html\r\n{MADE_UP}, {}.html hello\nhttps://youtube.com/watch?v=abcdefghijkl",
        run.link(E03_CODE),
        run.link(E04_CODE),
        run.link(E01_CODE),
    );
    run.tui.paste(&pasted);
    run.tui
        .wait_text("5 codes; 1 duplicate and 2 unrecognised pieces ignored · Enter checks them");

    run.tui.send(ENTER);
    let screen = run
        .tui
        .wait_for("the results", |s| s.contains("4 alive · 1 missing"));
    let row = |code: &str| -> String {
        screen
            .lines()
            .find(|l| l.contains(code) && (l.contains("alive") || l.contains("missing")))
            .unwrap_or_else(|| panic!("a row for {code}:\n{screen}"))
            .to_string()
    };
    let state = run.state();
    for code in [E01_CODE, E02_CODE, E03_CODE, E04_CODE] {
        let file = state.file(code).expect("a demo file");
        let line = row(code);
        assert!(cells(&line).starts_with("alive"), "{line}");
        assert!(line.contains(&file.name), "{line}");
        assert!(line.contains(&mp4u::format::size(file.size)), "{line}");
    }
    assert!(cells(&row(MADE_UP)).starts_with("missing"));
    // In the order given.
    let at = |code: &str| screen.find(&row(code)).expect("a row");
    assert!(at(E01_CODE) < at(E02_CODE) && at(E04_CODE) < at(MADE_UP));

    // y copies the alive links (OSC 52 to the terminal), in the format chosen.
    run.tui.press("y", "Copy 4 links as");
    run.tui.press(ENTER, "Copied 4 links (plain)");
    let alive = [E01_CODE, E02_CODE, E03_CODE, E04_CODE]
        .map(|c| run.link(c))
        .join("\n");
    let osc = format!("\x1b]52;c;{}\x07", base64(alive.as_bytes()));
    let raw = String::from_utf8_lossy(&run.tui.raw_output()).into_owned();
    assert!(raw.contains(&osc), "the alive links went to the clipboard");

    // e exports the table (offered first) into the working directory.
    run.tui.press("e", "Export 4 links as");
    run.tui.send(ENTER);
    let path = run.saved_file("mp4u-check-");
    let text = std::fs::read_to_string(&path).expect("the export");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "status\tcode\tname\tsize\tdownloads\tlink");
    assert_eq!(lines.len(), 6, "{text}");
    let expect = |f: &FileRecord| {
        format!(
            "alive\t{}\t{}\t{}\t{}\t{}",
            f.code,
            f.name,
            f.size,
            f.downloads,
            run.link(&f.code)
        )
    };
    assert_eq!(lines[3], expect(&e03));
    assert_eq!(lines[4], expect(&e04));
    assert!(lines[1].starts_with(&format!("alive\t{E01_CODE}\t{E01}\t")));
    assert!(lines[2].starts_with(&format!("alive\t{E02_CODE}\t{E02}\t")));
    assert_eq!(lines[5], format!("missing\t{MADE_UP}\t\t\t\t"));

    run.close_and_expect(&before);
    run.quit_keeping_the_key_secret();
}

#[test]
fn search_finds_across_folders_goes_to_the_file_and_narrows_by_public() {
    let mut run = Run::demo(120, 35);
    run.wait_ready();
    let target = "Dungeon Meshi - S01E05 [1080p].mp4";

    run.tui.press("f", "Find files across the account");
    run.tui.send("S01E0");
    run.tui.send(ENTER);
    // 9 episodes of each show; every row names its folder once the tree is known.
    let placed = |line: &str| {
        line.contains(if line.contains("Frieren") {
            "/Anime/Frieren/Season 1"
        } else {
            DUNGEON_PATH
        })
    };
    // Every row placed: the folder walk may still be naming some when the count shows.
    let screen = run.tui.wait_for("18 results with their folders", |s| {
        s.contains("18 files · Enter goes to the file")
            && s.lines()
                .filter(|l| l.contains("S01E0") && l.contains(".mp4"))
                .all(placed)
            && !s.contains("folder 16")
            && !s.contains("folder 20")
    });
    let rows = listed(&screen, "S01E0");
    assert_eq!(rows.len(), 18, "{rows:?}\n{screen}");
    for line in screen
        .lines()
        .filter(|l| l.contains("S01E0") && l.contains(".mp4"))
    {
        let folder = if line.contains("Frieren") {
            "/Anime/Frieren/Season 1"
        } else {
            DUNGEON_PATH
        };
        assert!(line.contains(folder), "{line}");
    }
    // Down to the target, Enter: the browser shows its folder, the cursor on it.
    let at = rows
        .iter()
        .position(|r| r == target)
        .unwrap_or_else(|| panic!("{target} in {rows:?}"));
    run.tui.wait_highlight(&rows[0]);
    run.tui.send(&DOWN.repeat(at));
    run.tui.wait_highlight(target);
    run.tui.send(ENTER);
    run.tui.wait_for("the target's folder in the browser", |s| {
        !s.contains("Find files across the account")
            && s.contains("Files · /Anime/Dungeon Meshi/Season 1 ·")
    });
    run.tui.wait_highlight(target);
    let screen = run.tui.screen();
    assert!(screen.lines().last().is_some_and(whole_key_bar), "{screen}");

    // Public: any, then public only, then private only; each search narrows.
    let state = run.state();
    let img: Vec<FileRecord> = state
        .files_in(50)
        .into_iter()
        .filter(|f| f.name.contains("IMG_"))
        .collect();
    let public: Vec<&str> = img
        .iter()
        .filter(|f| f.public)
        .map(|f| f.name.as_str())
        .collect();
    let private: Vec<&str> = img
        .iter()
        .filter(|f| !f.public)
        .map(|f| f.name.as_str())
        .collect();
    assert!(!public.is_empty() && !private.is_empty(), "{img:?}");
    run.tui.press("f", "Public: any");
    // The search kept the query of before (views keep their work): start over.
    run.tui.press_away("\x0c", "S01E0");
    run.tui.send("IMG_");
    run.tui.press(
        ENTER,
        &format!("{} files · Enter goes to the file", img.len()),
    );
    for (label, want) in [("public only", &public), ("private only", &private)] {
        run.tui.press(CTRL_P, &format!("Public: {label}"));
        // Back to the name (the results have the focus), and search again.
        run.tui.send(TAB);
        run.tui.send(ENTER);
        let screen = run.tui.wait_for(&format!("the {label} results"), |s| {
            s.contains(&format!(
                "{} · Enter goes to the file",
                mp4u::format::plural(want.len(), "file")
            )) && s.contains("/Family/Holidays 2023")
        });
        let mut shown: Vec<String> = screen
            .lines()
            .filter(|l| l.contains("IMG_") && l.contains("/Family/Holidays 2023"))
            .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("IMG_")))
            .map(str::to_string)
            .collect();
        shown.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(shown, want, "{label}:\n{screen}");
    }
    run.tui.esc_away("Find files across the account");
    run.tui.wait_highlight(target);
    run.quit_keeping_the_key_secret();
}

#[test]
fn sort_by_size_is_shown_remembered_and_kept_after_a_restart() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    let mut by_size = run.state().files_in(FRIEREN_S1);
    by_size.sort_by_key(|f| std::cmp::Reverse(f.size));
    let size = |f: &FileRecord| mp4u::format::size(f.size);

    run.tui.press("S", "Sort files by");
    run.tui.wait_highlight("name, A to Z ✓");
    run.tui.send("jj");
    run.tui.wait_highlight("size, largest first");
    run.tui.send(ENTER);
    let sorted = |s: &str| {
        let rows = listed(s, "Frieren - S01E");
        !s.contains("Sort files by")
            && rows.len() == by_size.len()
            && rows.iter().zip(&by_size).all(|(r, f)| *r == f.name)
    };
    let screen = run.tui.wait_for("the files by size", sorted);
    // The two largest first, with their sizes; the label under the list.
    for f in &by_size[..2] {
        let line = screen
            .lines()
            .find(|l| l.contains(&f.name))
            .expect("listed");
        assert!(line.contains(&size(f)), "{} in {line:?}", size(f));
    }
    assert!(by_size[0].size > by_size[1].size);
    let bottom_label = |s: &str| {
        s.lines()
            .any(|l| l.contains(" size, largest first ") && l.contains('┘'))
    };
    run.tui
        .wait_for("the sort under the file list", bottom_label);

    let config = run.tui.dir().join("config.toml");
    let text = wait_file(&config, "the sort", |t| {
        t.lines().any(|l| l.trim() == "sort = \"size-desc\"")
    });
    assert!(
        !leaks(&text, run.sandbox.key()),
        "the key (given in the environment) is not written to the config:\n{text}"
    );
    run.quit_keeping_the_key_secret();

    // A new run with that config lists by size at once.
    let mut again = Run::start(
        Setup::default(),
        |_| {},
        |dir| {
            std::fs::write(dir.join("config.toml"), &text).expect("write the config");
            Vec::new()
        },
    );
    again.open_frieren_season_1();
    again.tui.wait_for("the files by size again", sorted);
    again
        .tui
        .wait_for("the sort under the file list", bottom_label);
    again.quit_keeping_the_key_secret();
}

#[test]
fn fuzzy_filter_narrows_the_list_and_esc_clears_it() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    run.tui.send("/");
    run.tui.send("frs1e5");
    // Typed in full (a frame drawn half-way through the typing lists more).
    let screen = run.tui.wait_for("the filtered list", |s| {
        s.contains("frs1e5") && s.contains(" of 28 files") && !s.contains(E01)
    });
    let rows = listed(&screen, "Frieren - S01E");
    let title = screen
        .lines()
        .find(|l| l.contains(" of 28 files"))
        .expect("title");
    assert!(
        title.contains(&format!(
            "Files · /Anime/Frieren/Season 1 · {} of 28 files",
            rows.len()
        )),
        "{title}\n{rows:?}"
    );
    assert!(rows.len() < 28, "{rows:?}\n{screen}");
    assert!(rows.iter().any(|r| r.starts_with("Frieren - S01E05")));
    for r in &rows {
        assert!(fuzzy("frs1e5", r), "{r} does not match frs1e5");
    }
    assert!(!screen.contains(E01), "{screen}");

    run.tui.esc();
    let screen = run.tui.wait_for("the filter cleared", |s| {
        s.contains("Files · /Anime/Frieren/Season 1 · 28 files") && s.contains(E01)
    });
    assert_eq!(listed(&screen, "Frieren - S01E").len(), 28);
    run.quit_keeping_the_key_secret();
}

#[test]
fn export_the_links_of_two_marked_files() {
    let mut run = Run::demo(120, 35);
    run.open_frieren_season_1();
    run.focus_files(E01);
    run.tui.send(SPACE);
    run.tui.wait_highlight(E02);
    run.tui.press(SPACE, "2 marked");
    // e offers the formats, plain first; Enter writes the file.
    run.tui.press("e", "Export 2 links as");
    run.tui.send(ENTER);
    let path = run.saved_file("mp4u-links-");
    let text = std::fs::read_to_string(&path).expect("the export");
    assert_eq!(
        text,
        format!("{}\n{}\n", run.link(E01_CODE), run.link(E02_CODE))
    );
    run.quit_keeping_the_key_secret();
}
