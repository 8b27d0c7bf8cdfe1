//! Accounts with 100,000 files, measured with criterion and printed as ratios:
//!
//! 1. one frame (`ui::draw` into a 120x35 `TestBackend`) with 100 vs 100,000 files listed:
//!    only the visible rows may cost (floor: ratio <= 1.5);
//! 2. the fuzzy filter (`FilePane::refilter`, what a keystroke does) over 10,000 vs 100,000 names:
//!    close to linear (floor: ratio <= 12);
//! 3. decoding a 10,000-file `file/list` reply (`envelope::decode_as::<FileList>`, as the client
//!    does: from the bytes, no JSON tree):
//!    time per reply and per file.
//!
//! `cargo bench --features bench --bench scale`: about 40 s of measuring on 2 cores, once
//! built. Each benchmark records criterion's own samples (`iter_custom`); a ratio is the
//! quotient of two medians (the quotient of the fastest samples, less moved by other processes,
//! is shown beside it).

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Bencher, Criterion};
use mp4u::api::{FileInfo, FileList, envelope};
use mp4u::app::files::{FilePane, FolderFiles};
use mp4u::app::fuzzy::Fuzzy;
use mp4u::app::{App, AppOptions, Command, Event, Outcome, PER_PAGE};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};

#[path = "../tests/common/app.rs"]
mod app_fixture;
use app_fixture::{BASE, folder, folders_outcome, key};

const SAMPLES: usize = 20;
const KEY: &str = "mp4udemo7x2k9qwmz";
/// The folder holding the files.
const FLD: u64 = 1;

/// Per-iteration times of the measured samples of one benchmark, in seconds.
#[derive(Default)]
struct Samples(RefCell<Vec<f64>>);

impl Samples {
    /// Times `f` as criterion asks, keeping each sample's time per iteration.
    fn run<T>(&self, b: &mut Bencher, mut f: impl FnMut() -> T) {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            let took = start.elapsed();
            self.0
                .borrow_mut()
                .push(took.as_secs_f64() / iters.max(1) as f64);
            took
        });
    }

    /// The measured samples, fastest first (criterion's warm-up runs come first: skipped).
    fn measured(&self) -> Vec<f64> {
        let all = self.0.borrow();
        let mut last: Vec<f64> = all[all.len().saturating_sub(SAMPLES)..].to_vec();
        last.sort_by(f64::total_cmp);
        last
    }

    fn median(&self) -> Option<f64> {
        let m = self.measured();
        m.get(m.len() / 2).copied()
    }

    fn fastest(&self) -> Option<f64> {
        self.measured().first().copied()
    }
}

/// Names as a real account has them: a few shows, seasons, episodes, qualities.
fn name(n: usize) -> String {
    const SHOWS: [&str; 8] = [
        "Frieren",
        "Dungeon Meshi",
        "Spy x Family",
        "Blue Eye Samurai",
        "Vinland Saga",
        "Pluto",
        "Oshi no Ko",
        "The Apothecary Diaries",
    ];
    const QUALITY: [&str; 3] = ["720p", "1080p", "2160p"];
    let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
    format!(
        "{} - S{:02}E{:02} [{}] {n:06}.mp4",
        SHOWS[(h % 8) as usize],
        1 + (h >> 3) % 4,
        1 + (h >> 5) % 24,
        QUALITY[((h >> 10) % 3) as usize]
    )
}

fn file(n: usize) -> FileInfo {
    FileInfo {
        name: Some(name(n)),
        size: Some(100_000_000 + (n as u64 % 997) * 1_000_003),
        downloads: Some(n as u64 % 1_000),
        uploaded: Some(format!("2024-{:02}-{:02} 10:00:00", 1 + n % 12, 1 + n % 28).into()),
        fld_id: Some(FLD),
        public: Some(true),
        canplay: Some(true),
        ..FileInfo::new(&format!("c{n:011x}"))
    }
}

/// An app at 120x35 showing folder 1 with `count` files (arrived page by page, as the worker
/// brings them), the cursor on the last one.
fn app_with(count: usize) -> App {
    let mut app = App::new(AppOptions {
        page_size: app_fixture::KNOWN_PAGES,
        base_url: BASE.into(),
        ..Default::default()
    });
    app.update(Event::Resize(120, 35));
    app.start();
    app.update(folders_outcome(0, vec![folder(FLD, "Big")]));
    let mut next = app
        .update(key(KeyCode::Down))
        .into_iter()
        .find_map(|c| match c {
            Command::ListFiles {
                fld_id: FLD,
                page,
                req,
                ..
            } => Some((page, req)),
            _ => None,
        });
    while let Some((page, req)) = next.take() {
        let from = (page as usize - 1) * PER_PAGE as usize;
        let files = (from..count.min(from + PER_PAGE as usize))
            .map(file)
            .collect();
        let commands = app.update(Event::Outcome(Outcome::Files {
            fld_id: FLD,
            page,
            per_page: PER_PAGE,
            req,
            result: Ok(FileList {
                files,
                results_total: None,
                total_pages: None,
            }),
        }));
        next = commands.into_iter().find_map(|c| match c {
            Command::ListFiles { page, req, .. } => Some((page, req)),
            _ => None,
        });
    }
    app.update(Event::Outcome(Outcome::Folder {
        fld_id: FLD,
        result: Ok(Default::default()),
    }));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::End));
    assert_eq!(app.files.view.len(), count, "every file listed");
    assert_eq!(app.files.cursor, count - 1);
    app
}

/// A pane over `count` files with the filter `filter`.
fn pane_with(count: usize, filter: &str) -> FilePane {
    let mut pane = FilePane::default();
    pane.cache.insert(
        FLD,
        FolderFiles {
            files: (0..count).map(file).collect(),
            complete: true,
            ..Default::default()
        },
    );
    pane.folder = FLD;
    pane.filter = filter.to_string();
    pane.rebuild();
    pane
}

/// A `file/list` reply of `count` files as the sandbox (and mp4upload) sends it.
fn reply(count: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..count)
        .map(|n| {
            let f = file(n);
            json!({
                "status": 200,
                "link": format!("https://www.mp4upload.com/{}.html", f.file_code),
                "filecode": f.file_code,
                "name": f.name,
                "downloads": f.downloads.unwrap_or(0).to_string(),
                "size": f.size.unwrap_or(0).to_string(),
                "uploaded": f.uploaded,
                "fld_id": FLD.to_string(),
                "public": "1",
            })
        })
        .collect();
    serde_json::to_vec(&json!({
        "msg": "OK", "server_time": "2025-01-01 00:00:00", "status": 200, "result": items,
    }))
    .expect("json")
}

fn ratio_line(label: &str, small: &Samples, big: &Samples, floor: f64) {
    if let (Some(s), Some(b)) = (small.median(), big.median()) {
        let ratio = b / s;
        let verdict = if ratio <= floor { "pass" } else { "FAIL" };
        let fastest = match (small.fastest(), big.fastest()) {
            (Some(s), Some(b)) => format!(", fastest samples {:.2}", b / s),
            _ => String::new(),
        };
        println!(
            "{label}: {ratio:.2} (floor <= {floor}) {verdict}  [medians {} vs {}{fastest}]",
            show(s),
            show(b)
        );
    }
}

fn show(secs: f64) -> String {
    match secs {
        s if s >= 1e-3 => format!("{:.2} ms", s * 1e3),
        s => format!("{:.1} µs", s * 1e6),
    }
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(SAMPLES)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    // 1. A frame.
    let (frame_small, frame_big) = (Samples::default(), Samples::default());
    let mut loaded = Vec::new();
    for (count, samples) in [(100, &frame_small), (100_000, &frame_big)] {
        let started = Instant::now();
        let app = app_with(count);
        loaded.push((count, started.elapsed()));
        let mut terminal = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
        c.bench_function(&format!("frame/{count} files"), |b| {
            samples.run(b, || {
                terminal
                    .draw(|f| mp4u::ui::draw(f, &app, &mp4u::theme::Theme::default()))
                    .map(|_| ())
                    .expect("draw")
            })
        });
    }

    // 2. The fuzzy filter.
    let (filter_small, filter_big) = (Samples::default(), Samples::default());
    for (count, samples) in [(10_000, &filter_small), (100_000, &filter_big)] {
        let mut pane = pane_with(count, "fri s1e5");
        assert!(!pane.view.is_empty() && pane.view.len() < count / 10);
        c.bench_function(&format!("filter/{count} names"), |b| {
            samples.run(b, || {
                // What a keystroke in the filter line does.
                pane.refilter();
                pane.view.len()
            })
        });
    }

    // The same names through nucleo alone, no rows kept: what the machine's caches make of
    // ten times the names (10,000 files' worth of memory stays in cache, 100,000's does not).
    let (alone_small, alone_big) = (Samples::default(), Samples::default());
    for (count, samples) in [(10_000, &alone_small), (100_000, &alone_big)] {
        let pane = pane_with(count, "");
        let mut fuzzy = Fuzzy::new("fri s1e5").expect("a filter");
        c.bench_function(&format!("filter/nucleo alone/{count} names"), |b| {
            samples.run(b, || {
                pane.files()
                    .iter()
                    .filter(|f| fuzzy.matches(f.name.as_deref().unwrap_or_default()))
                    .count()
            })
        });
    }

    // 3. Decoding a reply.
    let decoding = Samples::default();
    let body = reply(10_000);
    c.bench_function("decode/file-list of 10000 files", |b| {
        decoding.run(b, || {
            // As the client reads it: straight from the bytes into the listing.
            let list = envelope::decode_as::<FileList>(200, &body, KEY)
                .expect("envelope")
                .result;
            assert_eq!(list.files.len(), 10_000);
            list
        })
    });

    c.final_summary();
    println!();
    ratio_line("frame 100k/100 files", &frame_small, &frame_big, 1.5);
    ratio_line(
        "fuzzy filter 100k/10k names",
        &filter_small,
        &filter_big,
        12.0,
    );
    if let (Some(s), Some(b)) = (alone_small.median(), alone_big.median()) {
        println!(
            "  the same names through nucleo alone: {:.2}  [{} vs {}]",
            b / s,
            show(s),
            show(b)
        );
    }
    for (count, took) in loaded
        .iter()
        .filter(|(count, _)| *count > PER_PAGE as usize)
    {
        println!(
            "state machine: {count} files arriving in {} pages, names in no order: {:.2} s in all",
            count.div_ceil(PER_PAGE as usize),
            took.as_secs_f64()
        );
    }
    if let Some(t) = decoding.median() {
        println!(
            "decode file/list of 10,000 files ({} KiB): {} per reply, {:.2} µs per file",
            body.len() / 1024,
            show(t),
            t * 1e6 / 10_000.0
        );
    }
}
