//! Property-based fuzzing of every response decoder, the link parser and the key redaction:
//! arbitrary (and mutated valid) input must never panic, and the invariants below must hold.
//!
//! Targets (one `fuzz_*` test each):
//! - `fuzz_envelope_bytes`: `envelope::decode` on arbitrary bytes and HTTP statuses, on generated
//!   envelopes and on bodies carrying the key; errors never show the key, excerpts and
//!   messages stay short and on one line, and a decoded result goes through every typed decoder.
//! - `fuzz_envelope_mutated`: the same on mutations of the corpus's valid replies (the
//!   documentation's seed examples and sandbox-shaped replies): numbers ↔ strings, nulls, huge
//!   numbers, deep nesting, odd unicode, renamed keys, then byte flips, inserts and deletes.
//! - `fuzz_typed_values`: every typed decoder (`AccountInfo`, `DayStats`, `FileInfo`, `FileList`,
//!   `ClonedFile`, `FolderListing`, `DeletedFile`) and `de::value_as_*` on generated JSON trees.
//! - `fuzz_upload_reply`: `UploadReply::parse` on arbitrary, JSON and HTML-ish text.
//! - `fuzz_links`: `links::parse` and `links::code_of` on arbitrary and URL-ish text: codes are
//!   codes, lowercase and unique, and every non-empty piece is counted exactly once.
//! - `fuzz_redact`: `api::redact` never leaves a `^[a-z0-9]{16,}$` key nor a `key=` value.
//!
//! Corpus: `tests/fuzz/corpus/<target>/` (envelope, values, upload_reply, links, redact). The
//! `replay_*` tests run every file of it through its target on each run; the mutation target
//! starts from the envelope corpus.
//!
//! Case counts (`cargo test` runs a short smoke, a few seconds):
//! - `MP4U_FUZZ_CASES=N`: N cases per target instead of the default.
//! - `MP4U_FUZZ_SECONDS=S`: run each target for S seconds (batches of cases with fresh seeds);
//!   the cases run are printed and appended to `target/tmp/fuzz-report.txt`. A failure's
//!   shrunk input is then written to the corpus as `crash-<hash>`.
//! - `MP4U_FUZZ_HARVEST=1`: also write to the corpus the smallest generated input of each new
//!   outcome (which decoders found what), up to 30 per target, as `gen-<target>-<hash>`.
//!
//! Long run, e.g.: `MP4U_FUZZ_SECONDS=600 cargo test --test fuzz -- fuzz_ --test-threads=3`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mp4u::api::envelope::decode;
use mp4u::api::{
    AccountInfo, ApiError, ClonedFile, DayStats, DeletedFile, FileInfo, FileList, FolderListing,
    StorageLeft, UploadReply, de, redact,
};
use mp4u::links;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{Map, Number, Value};

/// The key every envelope is decoded with; bodies carry it to check it never shows.
const KEY: &str = "1l5ftrilhllgwx2bo";
/// Cases per target in the normal run.
const DEFAULT_CASES: u32 = 1000;
/// Generated inputs kept per target by a harvest, and their size limit.
const HARVEST_MAX_FILES: usize = 30;
const HARVEST_MAX_BYTES: usize = 1024;

// ---------------------------------------------------------------------------------------------
// The runner: a case count or a time budget, crash files, harvested samples.
// ---------------------------------------------------------------------------------------------

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target)
}

/// The files of a corpus directory, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    files
}

/// FNV-1a, for stable file names.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The smallest input seen for each outcome signature.
#[derive(Default)]
struct Harvest(RefCell<BTreeMap<String, Vec<u8>>>);

impl Harvest {
    fn record(&self, signature: String, input: impl FnOnce() -> Vec<u8>) {
        let mut best = self.0.borrow_mut();
        let input = input();
        if input.len() > HARVEST_MAX_BYTES {
            return;
        }
        match best.get(&signature) {
            Some(old) if old.len() <= input.len() => {}
            _ => {
                best.insert(signature, input);
            }
        }
    }

    /// Writes samples of outcomes the corpus has no file for yet, spread over the signatures,
    /// up to the limit per target.
    fn write(&self, target: &str, corpus: &str, ext: &str) -> usize {
        let dir = corpus_dir(corpus);
        let prefix = format!("gen-{target}-");
        let existing = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                })
                .count()
            })
            .unwrap_or(0);
        let room = HARVEST_MAX_FILES.saturating_sub(existing);
        let best = self.0.borrow();
        let new: Vec<(PathBuf, &Vec<u8>)> = best
            .iter()
            .map(|(signature, input)| {
                let name = format!("{prefix}{:016x}.{ext}", fnv(signature.as_bytes()));
                (dir.join(name), input)
            })
            .filter(|(path, _)| !path.exists())
            .collect();
        let step = new.len().div_ceil(room.max(1)).max(1);
        let mut written = 0;
        for (path, input) in new.into_iter().step_by(step).take(room) {
            std::fs::write(path, input).unwrap();
            written += 1;
        }
        written
    }
}

/// Runs `check` on generated inputs: the default count, `MP4U_FUZZ_CASES`, or batches until
/// `MP4U_FUZZ_SECONDS` have passed. `check` panics on a broken invariant and returns the
/// outcome's signature; `bytes` turns an input into a corpus file.
fn fuzz<S: Strategy>(
    target: &str,
    corpus: &str,
    ext: &str,
    strategy: S,
    bytes: impl Fn(&S::Value) -> Vec<u8>,
    check: impl Fn(&S::Value) -> String,
) where
    S::Value: std::fmt::Debug,
{
    let seconds = env_u64("MP4U_FUZZ_SECONDS");
    let long = seconds.is_some() || env_u64("MP4U_FUZZ_CASES").is_some();
    let batch = env_u64("MP4U_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n.clamp(1, 1 << 31) as u32);
    let batch = if seconds.is_some() { 2000 } else { batch };
    let harvest = Harvest::default();
    let harvesting = env_u64("MP4U_FUZZ_HARVEST").is_some_and(|n| n > 0);
    let started = Instant::now();
    let deadline = seconds.map(|s| started + Duration::from_secs(s));
    let mut cases: u64 = 0;
    loop {
        let mut runner = TestRunner::new(Config {
            cases: batch,
            failure_persistence: None,
            max_shrink_iters: 4096,
            ..Config::default()
        });
        let result = runner.run(&strategy, |input| {
            let signature = check(&input);
            if harvesting {
                harvest.record(signature, || bytes(&input));
            }
            Ok::<(), TestCaseError>(())
        });
        match result {
            Ok(()) => cases += u64::from(batch),
            Err(TestError::Fail(reason, input)) => {
                let mut saved = String::new();
                if long {
                    let data = bytes(&input);
                    let path = corpus_dir(corpus).join(format!("crash-{:016x}.{ext}", fnv(&data)));
                    std::fs::write(&path, &data).unwrap();
                    saved = format!("; saved as {}", path.display());
                }
                panic!("{target}: {reason} after {cases} cases, input: {input:?}{saved}");
            }
            Err(TestError::Abort(reason)) => panic!("{target}: aborted: {reason}"),
        }
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut line = format!("{target}: {cases} cases in {elapsed:.0} s");
    if harvesting {
        let written = harvest.write(target, corpus, ext);
        let _ = write!(
            line,
            " ({} outcomes, {written} new corpus files)",
            harvest.0.borrow().len()
        );
    }
    eprintln!("{line}");
    if long {
        use std::io::Write as _;
        let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-report.txt");
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(report)
        {
            let _ = writeln!(f, "{line}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checks: no panic, and the invariants. Each returns a signature of the outcome.
// ---------------------------------------------------------------------------------------------

/// Printable, one line, at most `max` characters.
fn assert_clean(text: &str, max: usize, what: &str) {
    assert!(
        text.chars().count() <= max,
        "{what} longer than {max}: {text:?}"
    );
    assert!(
        !text.chars().any(char::is_control),
        "{what} has a control character: {text:?}"
    );
    assert!(!text.contains(KEY), "{what} shows the key: {text:?}");
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_u64() => "u64",
        Value::Number(n) if n.is_i64() => "i64",
        Value::Number(_) => "f64",
        Value::String(_) => "str",
        Value::Array(_) => "arr",
        Value::Object(_) => "obj",
    }
}

fn flag(b: bool) -> char {
    if b { '1' } else { '0' }
}

/// `envelope::decode` with one HTTP status.
fn check_envelope(http_status: u16, body: &[u8]) -> String {
    match decode(http_status, body, KEY) {
        Ok(env) => {
            assert!((200..300).contains(&env.status), "ok with {}", env.status);
            assert!(
                (200..300).contains(&http_status),
                "ok with HTTP {http_status}"
            );
            assert_clean(&env.msg, 200, "message");
            check_typed_agrees(http_status, body, &env.result);
            format!(
                "ok:{}:{}:{}",
                flag(env.server_time.is_some()),
                flag(env.sess_id.is_some()),
                check_value(&env.result)
            )
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.contains(KEY), "the error shows the key: {text}");
            match &e {
                ApiError::Http { status, excerpt } => {
                    assert_eq!(*status, http_status);
                    assert!(!(200..300).contains(status), "HTTP error {status}");
                    assert_clean(excerpt, 81, "excerpt");
                    format!("http:{}", flag(excerpt.is_empty()))
                }
                ApiError::InvalidJson { excerpt } => {
                    assert!((200..300).contains(&http_status));
                    assert_clean(excerpt, 81, "excerpt");
                    format!("json:{}", flag(excerpt.is_empty()))
                }
                ApiError::Api { status, msg } => {
                    assert!(!(200..300).contains(status), "API error {status}");
                    assert_clean(msg, 200, "message");
                    format!(
                        "api:{}:{}:{}",
                        status / 100,
                        flag(msg.is_empty()),
                        flag(e.is_auth())
                    )
                }
                other => panic!("decode returned {other:?}"),
            }
        }
    }
}

/// The client reads each reply straight from its bytes into the type it returns; the same
/// readers run over a `serde_json::Value` in `check_value`. Both ways must read alike.
fn check_typed_agrees(http_status: u16, body: &[u8], result: &Value) {
    use mp4u::api::de::{AnyList, Loose};
    use mp4u::api::envelope::decode_as;
    fn typed(what: &str) -> ! {
        panic!("the typed {what} failed where the value decoded")
    }
    let list = decode_as::<FileList>(http_status, body, KEY).unwrap_or_else(|_| typed("file list"));
    assert_eq!(
        list.result,
        FileList::from_value(result.clone()),
        "file/list"
    );
    let listing =
        decode_as::<FolderListing>(http_status, body, KEY).unwrap_or_else(|_| typed("folder"));
    assert_eq!(
        listing.result,
        FolderListing::from_value(result.clone()),
        "folder/list"
    );
    let index = decode_as::<mp4u::api::FolderIndex>(http_status, body, KEY)
        .unwrap_or_else(|_| typed("folder index"));
    assert_eq!(index.result.folders, listing.result.folders);
    assert_eq!(index.result.files.len(), listing.result.files.len());
    let tree = decode_as::<mp4u::api::Subfolders>(http_status, body, KEY)
        .unwrap_or_else(|_| typed("subfolders"));
    assert_eq!(tree.result.folders, listing.result.folders);
    let account = decode_as::<Loose<AccountInfo>>(http_status, body, KEY)
        .unwrap_or_else(|_| typed("account"));
    assert_eq!(account.result.0, AccountInfo::from_value(result));
    let deleted = decode_as::<AnyList<DeletedFile>>(http_status, body, KEY)
        .unwrap_or_else(|_| typed("deleted"));
    assert_eq!(
        deleted.result.0,
        DeletedFile::list_from_value(result.clone())
    );
    let files = decode_as::<AnyList<FileInfo>>(http_status, body, KEY)
        .unwrap_or_else(|_| typed("file items"));
    assert_eq!(files.result.0, FileInfo::list_from_value(result.clone()));
}

/// The HTTP statuses a corpus body is replayed with: one of each branch.
const REPLAY_STATUSES: [u16; 9] = [0, 100, 200, 204, 299, 300, 404, 502, u16::MAX];

/// Every typed decoder and `de::value_as_*` on one value.
fn check_value(v: &Value) -> String {
    let u = de::value_as_u64(v);
    let f = de::value_as_f64(v);
    let s = de::value_as_string(v);
    let b = de::value_as_bool(v);
    if let Some(f) = f {
        assert!(f.is_finite(), "value_as_f64 gave {f}");
    }
    assert!(u.is_none() || f.is_some(), "{v}: an integer but no number");
    let mut sig = format!(
        "{}:{}{}{}{}",
        kind(v),
        flag(u.is_some()),
        flag(f.is_some()),
        flag(s.is_some()),
        flag(b.is_some())
    );

    let account = AccountInfo::from_value(v);
    if let Some(a) = &account {
        assert!(a.balance.is_none_or(f64::is_finite));
        for text in [&a.email, &a.premium_expire].into_iter().flatten() {
            assert!(!text.is_empty() && text.trim() == text, "{text:?}");
        }
        serde_json::to_string(a).unwrap();
        let _ = write!(
            sig,
            " a{}{}{}{}{}",
            flag(a.email.is_some()),
            flag(a.balance.is_some()),
            flag(a.storage_used.is_some()),
            match a.storage_left {
                StorageLeft::Bytes(_) => 'b',
                StorageLeft::Unlimited => 'u',
                StorageLeft::Unknown => 'n',
            },
            flag(a.premium_expire.is_some()),
        );
    }

    let days = DayStats::list_from_value(v.clone());
    assert!(
        days.windows(2).all(|w| w[0].day <= w[1].day),
        "days out of order"
    );
    for d in &days {
        assert!(!d.day.is_empty());
        for m in [
            d.profit_views,
            d.profit_sales,
            d.profit_refs,
            d.profit_site,
            d.profit_total,
        ] {
            assert!(m.is_finite());
        }
    }

    let files = FileInfo::list_from_value(v.clone());
    for file in &files {
        assert!(!file.file_code.is_empty() && file.file_code.trim() == file.file_code);
    }
    let list = FileList::from_value(v.clone());
    assert!(list.files.iter().all(FileInfo::exists));
    let cloned = ClonedFile::from_value(v);
    if let Some(c) = &cloned {
        assert!(!c.file_code.is_empty());
    }
    let listing = FolderListing::from_value(v.clone());
    assert!(listing.files.iter().all(|f| !f.file_code.is_empty()));
    let deleted = DeletedFile::list_from_value(v.clone());
    assert!(deleted.iter().all(|d| !d.file_code.is_empty()));
    serde_json::to_string(&(&days, &files, &list, &cloned, &listing, &deleted)).unwrap();

    let _ = write!(
        sig,
        " d{} f{}{} l{}{}{} c{} g{}{} x{}",
        flag(!days.is_empty()),
        flag(!files.is_empty()),
        flag(files.iter().any(|f| !f.exists())),
        flag(!list.files.is_empty()),
        flag(list.results_total.is_some()),
        flag(list.total_pages.is_some()),
        flag(cloned.is_some()),
        flag(!listing.folders.is_empty()),
        flag(!listing.files.is_empty()),
        flag(!deleted.is_empty()),
    );
    sig
}

/// `UploadReply::parse` on one body.
fn check_upload_reply(body: &str) -> String {
    let first = body.trim_start().chars().next().unwrap_or(' ');
    let shape = match first {
        '{' | '[' | '<' => first,
        _ => '.',
    };
    match UploadReply::parse(body) {
        Some(r) => {
            let _ = r.refused();
            format!(
                "{shape}:some:{}{}{}",
                flag(r.file_code.is_empty()),
                flag(r.refused()),
                flag(r.file_status.is_empty())
            )
        }
        None => format!("{shape}:none"),
    }
}

/// The pieces `links::parse` looks at.
fn pieces(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|p| !p.is_empty())
        .collect()
}

/// `links::parse` and `links::code_of` on one text.
fn check_links(text: &str, extra_host: Option<&str>) -> String {
    let parsed = links::parse(text, extra_host);
    let lower = text.to_ascii_lowercase();
    for code in &parsed.codes {
        assert!(mp4u::api::is_code(code), "{code:?} is not a code");
        assert!(!code.bytes().any(|b| b.is_ascii_uppercase()), "{code:?}");
        assert!(lower.contains(code.as_str()), "{code:?} is not in the text");
    }
    let mut unique = parsed.codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), parsed.codes.len(), "duplicate codes");
    let all = pieces(text);
    assert_eq!(
        parsed.codes.len() + parsed.duplicates + parsed.ignored.len(),
        all.len(),
        "pieces miscounted: {parsed:?}"
    );
    // A piece is a code exactly when `code_of` says so.
    let mut found = 0;
    for piece in &all {
        if let Some(code) = links::code_of(piece, extra_host) {
            assert!(mp4u::api::is_code(&code) && parsed.codes.contains(&code));
            found += 1;
        }
    }
    assert_eq!(found, parsed.codes.len() + parsed.duplicates);
    // The codes read back as themselves.
    let again = links::parse(&parsed.codes.join("\n"), None);
    assert_eq!(again.codes, parsed.codes);
    assert_eq!((again.duplicates, again.ignored.len()), (0, 0));
    let _ = parsed.summary();
    format!(
        "c{} d{} i{} h{}",
        parsed.codes.len().min(3),
        flag(parsed.duplicates > 0),
        parsed.ignored.len().min(2),
        flag(extra_host.is_some())
    )
}

/// `code_of` on one raw piece.
fn check_code_of(piece: &str, extra_host: Option<&str>) {
    if let Some(code) = links::code_of(piece, extra_host) {
        assert!(mp4u::api::is_code(&code), "{code:?}");
        assert!(!code.bytes().any(|b| b.is_ascii_uppercase()), "{code:?}");
        assert!(piece.to_ascii_lowercase().contains(code.as_str()));
    }
}

/// `redact` with one key of the key's form.
fn check_redact(text: &str, key: &str) -> String {
    assert!(
        key.len() >= 16
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    let out = redact(text, key);
    assert!(!out.contains(key), "{out:?} holds the key");
    for (at, _) in out.match_indices("key=") {
        assert!(
            out[at + 4..].starts_with("***"),
            "a key= value survives in {out:?}"
        );
    }
    if !text.contains(key) && !text.contains("key=") {
        assert_eq!(out, text);
    }
    format!(
        "{}{}{}",
        flag(text.contains(key)),
        flag(text.contains("key=")),
        flag(out != text)
    )
}

/// Keys worth trying on a text: some fixed ones and every key-shaped run in it.
fn keys_for(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = FIXED_KEYS.iter().map(|k| k.to_string()).collect();
    for run in text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit())) {
        if run.len() >= 16 && !keys.iter().any(|k| k == run) {
            keys.push(run.to_string());
        }
    }
    keys
}

const FIXED_KEYS: [&str; 4] = [
    KEY,
    "aaaaaaaaaaaaaaaa",
    "keykeykeykeykeyk",
    "0123456789abcdefghijklmnopqrstuvwxyz",
];

// ---------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------

/// Every field name the decoders know, and a few others.
const KNOWN_KEYS: &[&str] = &[
    "msg",
    "server_time",
    "status",
    "result",
    "sess_id",
    "email",
    "login",
    "balance",
    "storage_used",
    "storage_left",
    "premium_expire",
    "premium_expire_date",
    "day",
    "date",
    "views",
    "downloads",
    "download",
    "views_prem",
    "views_adb",
    "sales",
    "refs",
    "profit_views",
    "profit_sales",
    "profit_refs",
    "profit_site",
    "profit_total",
    "filecode",
    "file_code",
    "code",
    "name",
    "file_title",
    "title",
    "filename",
    "size",
    "file_size",
    "uploaded",
    "created",
    "fld_id",
    "id",
    "fld_name",
    "public",
    "link",
    "url",
    "canplay",
    "views_started",
    "files",
    "folders",
    "results_total",
    "total",
    "results",
    "total_pages",
    "pages",
    "deleted",
    "deleted_ago_sec",
    "file_status",
    "st",
    "0",
    "1",
    "",
];

/// Text a decoder might read as a number, a flag or a word.
const WORDS: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "200",
    "404",
    "429",
    " 12 ",
    "12.0",
    "12.5",
    "-0",
    "-1",
    "+5",
    "1e3",
    "1e400",
    "-1e400",
    "inf",
    " INF ",
    "-inf",
    "NaN",
    "infinity",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "0x10",
    "1_000",
    "٣",
    "１２",
    "true",
    "false",
    "TRUE",
    "yes",
    "no",
    "OK",
    "ok",
    "success",
    "undef",
    "null",
    "2022-08-10 05:07:17",
    "gi4o0tlro01u",
    "1l5ftrilhllgwx2bo",
    "key=1l5ftrilhllgwx2bo",
    "\u{0}",
    "\u{202e}",
    "\u{feff}",
    "\u{10ffff}",
    "e\u{301}",
    "İ",
    "ß",
    "😀",
    "\r\n",
];

/// Numbers at the edges.
fn edge_number() -> impl Strategy<Value = Value> {
    select(vec![
        Value::from(0u64),
        Value::from(1u64),
        Value::from(200u64),
        Value::from(404u64),
        Value::from(65_535u64),
        Value::from(65_536u64),
        Value::from(u64::MAX),
        Value::from(i64::MIN),
        Value::from(-1i64),
        Value::from(0.5f64),
        Value::from(-0.0f64),
        Value::from(3.0f64),
        Value::from(1e19f64),
        Value::from(1.8446744073709552e19f64),
        Value::from(f64::MAX),
        Value::from(f64::MIN),
        Value::from(f64::MIN_POSITIVE),
        Value::from(5e-324f64),
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(WORDS).prop_map(str::to_string),
        2 => ".{0,12}",
        1 => "[a-z0-9]{8,16}",
        1 => any::<String>(),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        2 => edge_number(),
        4 => text().prop_map(Value::String),
    ]
}

fn object_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(KNOWN_KEYS).prop_map(str::to_string),
        1 => ".{0,6}",
    ]
}

/// Any JSON tree, with the decoders' field names as most keys.
fn json_value() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(6, 96, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((object_key(), inner), 0..10)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

/// An object shaped like an item of a reply: a code and some known fields with odd values.
fn record() -> impl Strategy<Value = Value> {
    (
        select(vec!["filecode", "file_code", "code", "fld_id", "id", "day"]),
        leaf(),
        prop::collection::vec((select(KNOWN_KEYS), leaf()), 0..8),
    )
        .prop_map(|(key, value, fields)| {
            let mut map: Map<String, Value> = fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            map.insert(key.to_string(), value);
            Value::Object(map)
        })
}

/// A list of items as replies hold them: an array, an object of items, one item, or null.
fn items() -> impl Strategy<Value = Value> {
    prop::collection::vec(record(), 0..4).prop_flat_map(|records| {
        let as_object = Value::Object(
            records
                .iter()
                .enumerate()
                .map(|(i, r)| (i.to_string(), r.clone()))
                .collect(),
        );
        let first = records.first().cloned().unwrap_or(Value::Null);
        select(vec![Value::Array(records), as_object, first, Value::Null])
    })
}

/// The values typed decoders get: arbitrary trees and reply-shaped ones.
fn decoder_value() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => json_value(),
        2 => record(),
        2 => items(),
        2 => (items(), items(), prop::collection::vec((select(KNOWN_KEYS), leaf()), 0..4))
            .prop_map(|(a, b, extra)| {
                let mut map: Map<String, Value> =
                    extra.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                map.insert("files".into(), a);
                map.insert("folders".into(), b);
                Value::Object(map)
            }),
    ]
    .boxed()
}

/// A whole envelope with odd parts.
fn envelope_value() -> impl Strategy<Value = Value> {
    (
        prop::option::of(leaf()),
        prop::option::of(prop_oneof![edge_number(), leaf()]),
        prop::option::of(decoder_value()),
        prop::collection::vec((object_key(), leaf()), 0..3),
    )
        .prop_map(|(msg, status, result, extra)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            if let Some(m) = msg {
                map.insert("msg".into(), m);
            }
            if let Some(s) = status {
                map.insert("status".into(), s);
            }
            if let Some(r) = result {
                map.insert("result".into(), r);
            }
            Value::Object(map)
        })
}

fn http_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => select(vec![200u16, 201, 204, 299, 300, 302, 400, 403, 404, 429, 500, 502, 520]),
        1 => any::<u16>(),
    ]
}

/// Bodies: bytes, envelopes, text, and the key placed around the excerpt's limits.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..600),
        3 => envelope_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => decoder_value().prop_map(|v| serde_json::to_vec_pretty(&v).unwrap()),
        1 => any::<String>().prop_map(String::into_bytes),
        2 => (
            prop_oneof![0usize..100, 4060usize..4110],
            select(vec![" ", "x", "\n", "\u{0}", "é", "key="]),
            select(vec!["", "tail", "&a=1", "\"}", "\u{fffd}"]),
            any::<bool>(),
        )
            .prop_map(|(pad, filler, tail, msg)| {
                let text = format!("{}{KEY}{tail}", filler.repeat(pad));
                if msg {
                    serde_json::to_vec(&serde_json::json!({"msg": text, "status": 403})).unwrap()
                } else {
                    text.into_bytes()
                }
            }),
    ]
}

/// One change to a parsed JSON reply.
#[derive(Debug, Clone)]
enum ValueOp {
    NumberToString,
    StringToNumber,
    Null,
    Replace(Value),
    Nest(usize),
    Unicode(&'static str),
    RenameKey(&'static str),
    ArrayToObject,
    Remove,
}

fn value_op() -> impl Strategy<Value = (ValueOp, usize)> {
    let op = prop_oneof![
        2 => Just(ValueOp::NumberToString),
        2 => Just(ValueOp::StringToNumber),
        2 => Just(ValueOp::Null),
        2 => edge_number().prop_map(ValueOp::Replace),
        1 => leaf().prop_map(ValueOp::Replace),
        1 => prop_oneof![1usize..20, 120usize..140].prop_map(ValueOp::Nest),
        2 => select(WORDS).prop_map(ValueOp::Unicode),
        1 => select(KNOWN_KEYS).prop_map(ValueOp::RenameKey),
        1 => Just(ValueOp::ArrayToObject),
        1 => Just(ValueOp::Remove),
    ];
    (op, any::<usize>())
}

/// One change to the bytes of a reply.
#[derive(Debug, Clone)]
enum ByteOp {
    Flip(usize, u8),
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Token(usize, &'static str),
    Delete(usize, usize),
    Duplicate(usize, usize, usize),
    Truncate(usize),
}

const TOKENS: &[&str] = &[
    "null",
    "1e999",
    "-1",
    "18446744073709551616",
    "\"inf\"",
    "\"NaN\"",
    "[[[[[[[[[[[[[[[[",
    "{\"status\":",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\u{feff}",
    "\u{202e}",
    "\"",
    ",",
    "}",
    "]",
    ":",
    "\\",
    "1l5ftrilhllgwx2bo",
    "key=1l5ftrilhllgwx2bo",
    "<textarea name='fn'>",
    "\u{fffd}",
    "\u{0}",
];

fn byte_op() -> impl Strategy<Value = ByteOp> {
    prop_oneof![
        1 => (any::<usize>(), 0u8..8).prop_map(|(p, b)| ByteOp::Flip(p, b)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| ByteOp::Set(p, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(p, b)| ByteOp::Insert(p, b)),
        2 => (any::<usize>(), select(TOKENS)).prop_map(|(p, t)| ByteOp::Token(p, t)),
        1 => (any::<usize>(), 1usize..16).prop_map(|(p, n)| ByteOp::Delete(p, n)),
        1 => (any::<usize>(), 1usize..32, any::<usize>())
            .prop_map(|(p, n, to)| ByteOp::Duplicate(p, n, to)),
        1 => any::<usize>().prop_map(ByteOp::Truncate),
    ]
}

/// The `n`th node of a tree, depth first.
fn nth_mut<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        Value::Array(items) => items.iter_mut().find_map(|item| nth_mut(item, n)),
        Value::Object(map) => map.values_mut().find_map(|item| nth_mut(item, n)),
        _ => None,
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn apply_value_op(root: &mut Value, op: &ValueOp, pick: usize) {
    let mut n = pick % count_nodes(root);
    let Some(node) = nth_mut(root, &mut n) else {
        return;
    };
    match op {
        ValueOp::NumberToString => {
            if let Value::Number(num) = node {
                *node = Value::String(num.to_string());
            }
        }
        ValueOp::StringToNumber => {
            if let Value::String(s) = node {
                *node = s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map_or(Value::from(u64::MAX), Value::Number);
            }
        }
        ValueOp::Null => *node = Value::Null,
        ValueOp::Replace(v) => *node = v.clone(),
        ValueOp::Nest(depth) => {
            for _ in 0..*depth {
                *node = Value::Array(vec![node.take()]);
            }
        }
        ValueOp::Unicode(text) => match node {
            Value::String(s) => {
                let at = pick % (s.chars().count() + 1);
                let at = s.char_indices().nth(at).map_or(s.len(), |(i, _)| i);
                s.insert_str(at, text);
            }
            other => *other = Value::String((*text).to_string()),
        },
        ValueOp::RenameKey(name) => {
            if let Value::Object(map) = node
                && let Some(old) = map.keys().nth(pick % map.len().max(1)).cloned()
            {
                let v = map.remove(&old).unwrap();
                map.insert((*name).to_string(), v);
            }
        }
        ValueOp::ArrayToObject => {
            if let Value::Array(items) = node {
                *node = Value::Object(
                    items
                        .drain(..)
                        .enumerate()
                        .map(|(i, v)| (i.to_string(), v))
                        .collect(),
                );
            }
        }
        ValueOp::Remove => match node {
            Value::Object(map) if !map.is_empty() => {
                let old = map.keys().nth(pick % map.len()).cloned().unwrap();
                map.remove(&old);
            }
            Value::Array(items) if !items.is_empty() => {
                items.remove(pick % items.len());
            }
            _ => {}
        },
    }
}

fn apply_byte_op(bytes: &mut Vec<u8>, op: &ByteOp) {
    let at = |p: usize, len: usize| p % (len + 1);
    match op {
        ByteOp::Flip(p, bit) if !bytes.is_empty() => {
            let i = p % bytes.len();
            bytes[i] ^= 1 << bit;
        }
        ByteOp::Set(p, b) if !bytes.is_empty() => {
            let i = p % bytes.len();
            bytes[i] = *b;
        }
        ByteOp::Insert(p, new) => {
            let i = at(*p, bytes.len());
            bytes.splice(i..i, new.iter().copied());
        }
        ByteOp::Token(p, token) => {
            let i = at(*p, bytes.len());
            bytes.splice(i..i, token.bytes());
        }
        ByteOp::Delete(p, n) => {
            let i = at(*p, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        ByteOp::Duplicate(p, n, to) => {
            let i = at(*p, bytes.len());
            let end = (i + n).min(bytes.len());
            let piece = bytes[i..end].to_vec();
            let to = at(*to, bytes.len());
            bytes.splice(to..to, piece);
        }
        ByteOp::Truncate(p) => {
            let len = at(*p, bytes.len());
            bytes.truncate(len);
        }
        ByteOp::Flip(..) | ByteOp::Set(..) => {}
    }
}

/// Mutations of the envelope corpus: first on the parsed reply, then on its bytes.
fn mutated_body() -> BoxedStrategy<Vec<u8>> {
    let seeds: Vec<Vec<u8>> = corpus("envelope").into_iter().map(|(_, b)| b).collect();
    (
        select(seeds),
        prop::collection::vec(value_op(), 0..4),
        any::<bool>(),
        prop::collection::vec(byte_op(), 0..4),
    )
        .prop_map(|(seed, value_ops, pretty, byte_ops)| {
            let mut bytes = match serde_json::from_slice::<Value>(&seed) {
                Ok(mut value) if !value_ops.is_empty() => {
                    for (op, pick) in &value_ops {
                        apply_value_op(&mut value, op, *pick);
                    }
                    if pretty {
                        serde_json::to_vec_pretty(&value).unwrap()
                    } else {
                        serde_json::to_vec(&value).unwrap()
                    }
                }
                _ => seed,
            };
            for op in &byte_ops {
                apply_byte_op(&mut bytes, op);
            }
            bytes
        })
        .boxed()
}

/// Upload replies: text, JSON of the three shapes, and HTML fragments.
fn upload_body() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        select(vec![
            "<textarea name='fn'>",
            "<textarea name='st'>",
            "<TEXTAREA NAME=\"FN\">",
            "<textarea name=fn>",
            "<textarea name=st",
            "name='fn'",
            "name=",
            "</textarea>",
            "</TEXTAREA",
            ">",
            "<",
            "'",
            "<html><form>",
            "</form></html>",
            "undef",
            "OK",
        ])
        .prop_map(str::to_string),
        text(),
    ];
    prop_oneof![
        2 => any::<String>(),
        3 => prop::collection::vec(fragment, 0..10).prop_map(|f| f.concat()),
        2 => decoder_value().prop_map(|v| v.to_string()),
        2 => (select(vec!["array", "files", "result", "plain"]), items())
            .prop_map(|(shape, items)| match shape {
                "array" => items.to_string(),
                "plain" => match items {
                    Value::Array(mut a) if !a.is_empty() => a.remove(0).to_string(),
                    other => other.to_string(),
                },
                name => serde_json::json!({ name: items, "msg": "OK" }).to_string(),
            }),
    ]
}

fn code_like() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]{6,18}"
}

fn link() -> impl Strategy<Value = String> {
    let scheme = select(vec![
        "", "https://", "http://", "HTTPS://", "ftp://", "://", "www.", "//",
    ]);
    let host = select(vec![
        "www.mp4upload.com",
        "mp4upload.com",
        "WWW.MP4UPLOAD.COM",
        "s1.mp4upload.com:8080",
        "127.0.0.1:4242",
        "localhost:1",
        "youtube.com",
        "",
        "mp4upload",
        "mp4upload.com\u{fffd}",
    ]);
    let segment = prop_oneof![
        3 => code_like(),
        1 => code_like().prop_map(|c| format!("embed-{c}")),
        1 => code_like().prop_map(|c| format!("{c}.html")),
        1 => code_like().prop_map(|c| format!("embed-{c}.html")),
        1 => "[a-zA-Z0-9_.-]{0,12}",
        1 => select(vec![".html", "embed-", "", "My_Video.mp4.html", "?", "#"]).prop_map(str::to_string),
        1 => ".{0,6}",
    ];
    let tail = select(vec![
        "",
        "?autoplay=1",
        "#t=3",
        "?",
        "#",
        "/",
        "?a=b/c#x/y",
        ".html",
    ]);
    let wrap = select(vec![
        ("", ""),
        ("'", "'"),
        ("\"", "\""),
        ("<", ">"),
        ("(", ")"),
        ("[", "]"),
        ("{", "}"),
        ("(", ""),
    ]);
    (
        scheme,
        host,
        prop::collection::vec(segment, 0..4),
        tail,
        wrap,
    )
        .prop_map(|(scheme, host, path, tail, (open, close))| {
            format!("{open}{scheme}{host}/{}{tail}{close}", path.join("/"))
        })
}

/// Pastes: arbitrary text, or codes and links among separators and noise.
fn paste() -> impl Strategy<Value = (String, Option<String>)> {
    let piece = prop_oneof![
        3 => link(),
        3 => code_like(),
        1 => text(),
        1 => select(vec!["gi4o0tlro01u", "GI4O0TLRO01U", "abc123def456"]).prop_map(str::to_string),
    ];
    let separator = select(vec![
        " ", "\n", ",", ";", "\t", ", ", "\r\n", "\u{3000}", "\u{a0}", "\u{85}", "\u{2028}", "",
    ]);
    let text = prop_oneof![
        1 => any::<String>(),
        4 => prop::collection::vec((piece, separator), 0..12).prop_map(|parts| {
            parts.into_iter().map(|(p, s)| format!("{p}{s}")).collect::<String>()
        }),
    ];
    let extra = prop::option::of(prop_oneof![
        3 => select(vec!["127.0.0.1:4242", "LOCALHOST:1", "", "www.mp4upload.com"]).prop_map(str::to_string),
        1 => ".{0,8}",
    ]);
    (text, extra)
}

/// Texts with keys, key pieces and `key=` parameters, and a key.
fn redact_input() -> impl Strategy<Value = (String, String)> {
    let key = prop_oneof![
        3 => "[a-z0-9]{16,24}",
        1 => select(FIXED_KEYS.to_vec()).prop_map(str::to_string),
        1 => ("[a-z0-9]{1,4}", 4usize..12).prop_map(|(unit, n)| {
            let mut k = unit.repeat(n);
            while k.len() < 16 {
                k.push_str(&unit);
            }
            k
        }),
    ];
    key.prop_flat_map(|key| {
        let k = key.clone();
        let fragment = prop_oneof![
            3 => Just(k.clone()),
            2 => (0usize..k.len(), 0usize..k.len()).prop_map({
                let k = k.clone();
                move |(a, b)| k[a.min(b)..a.max(b)].to_string()
            }),
            2 => select(vec!["key=", "?key=", "&key=", "key", "=", "&", "#", ")", " ", "\"", "***", "*", "\n"])
                .prop_map(str::to_string),
            2 => text(),
            1 => any::<String>(),
        ];
        (prop::collection::vec(fragment, 0..12).prop_map(|f| f.concat()), Just(key))
    })
}

// ---------------------------------------------------------------------------------------------
// The targets.
// ---------------------------------------------------------------------------------------------

#[test]
fn fuzz_envelope_bytes() {
    fuzz(
        "envelope_bytes",
        "envelope",
        "bin",
        (http_status(), body()),
        |(_, body)| body.clone(),
        |(status, body)| check_envelope(*status, body),
    );
}

#[test]
fn fuzz_envelope_mutated() {
    fuzz(
        "envelope_mutated",
        "envelope",
        "bin",
        (http_status(), mutated_body()),
        |(_, body)| body.clone(),
        |(status, body)| check_envelope(*status, body),
    );
}

#[test]
fn fuzz_typed_values() {
    fuzz(
        "typed_values",
        "values",
        "json",
        decoder_value(),
        |v| serde_json::to_vec(v).unwrap(),
        check_value,
    );
}

#[test]
fn fuzz_upload_reply() {
    fuzz(
        "upload_reply",
        "upload_reply",
        "txt",
        upload_body(),
        |s| s.clone().into_bytes(),
        |s| check_upload_reply(s),
    );
}

#[test]
fn fuzz_links() {
    fuzz(
        "links",
        "links",
        "txt",
        paste(),
        |(text, _)| text.clone().into_bytes(),
        |(text, extra)| {
            for piece in text.split(' ') {
                check_code_of(piece, extra.as_deref());
            }
            check_code_of(text, extra.as_deref());
            check_links(text, extra.as_deref())
        },
    );
}

#[test]
fn fuzz_redact() {
    fuzz(
        "redact",
        "redact",
        "txt",
        redact_input(),
        |(text, _)| text.clone().into_bytes(),
        |(text, key)| check_redact(text, key),
    );
}

// ---------------------------------------------------------------------------------------------
// The corpus, replayed through every target.
// ---------------------------------------------------------------------------------------------

#[test]
fn replay_corpus_envelope() {
    for (name, body) in corpus("envelope") {
        for status in REPLAY_STATUSES {
            check_envelope(status, &body);
        }
        // Each body as an upload reply, and a JSON body's every node through the decoders.
        check_upload_reply(&String::from_utf8_lossy(&body));
        if let Ok(mut value) = serde_json::from_slice::<Value>(&body) {
            for pick in 0..count_nodes(&value) {
                let mut n = pick;
                check_value(nth_mut(&mut value, &mut n).unwrap_or_else(|| panic!("{name}")));
            }
        }
    }
}

#[test]
fn replay_corpus_values() {
    for (name, text) in corpus("values") {
        let value: Value =
            serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        check_value(&value);
        check_upload_reply(&String::from_utf8_lossy(&text));
    }
}

#[test]
fn replay_corpus_upload_reply() {
    for (_, text) in corpus("upload_reply") {
        check_upload_reply(&String::from_utf8_lossy(&text));
    }
}

#[test]
fn replay_corpus_links() {
    for (_, text) in corpus("links") {
        let text = String::from_utf8_lossy(&text);
        for extra in [None, Some("127.0.0.1:4242"), Some("")] {
            check_links(&text, extra);
            check_code_of(&text, extra);
        }
    }
}

#[test]
fn replay_corpus_redact() {
    for (_, text) in corpus("redact") {
        let text = String::from_utf8_lossy(&text);
        for key in keys_for(&text) {
            check_redact(&text, &key);
        }
    }
}

/// Nesting far past serde_json's recursion limit, as bytes and as a built value.
#[test]
fn deep_nesting() {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    for status in REPLAY_STATUSES {
        check_envelope(status, deep.as_bytes());
    }
    check_upload_reply(&deep);
    // A built tree deeper than any parsed reply can be (serde_json stops at 128 levels).
    let mut value = Value::from("gi4o0tlro01u");
    for i in 0..300 {
        value = if i % 2 == 0 {
            Value::Array(vec![value])
        } else {
            serde_json::json!({ "files": value, "filecode": "x" })
        };
    }
    check_value(&value);
}
