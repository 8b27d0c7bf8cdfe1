use std::path::Path;

use super::store::{self, Data};
use super::*;

fn account() -> Account {
    Account {
        id: "http://127.0.0.1:1 0123456789abcdef".into(),
        server: "http://127.0.0.1:1".into(),
    }
}

/// `/v/1.mp4`, `/v/2.mp4` and `/v/3.mp4` (of 1, 2 and 3 bytes) into the root.
fn three_files() -> Vec<NewEntry> {
    (1..=3)
        .map(|n| new_entry(Path::new(&format!("/v/{n}.mp4")), n, 0))
        .collect()
}

fn new_entry(path: &Path, size: u64, folder: u64) -> NewEntry {
    NewEntry {
        path: path.to_path_buf(),
        size,
        mtime: None,
        folder,
        folder_path: None,
        allow_duplicate: false,
        hook: None,
    }
}

/// Queues `paths` (each `size` bytes, for `folder`) in `queue`; their entry ids.
fn queue_files(queue: &Queue, paths: &[&str], size: u64, folder: u64) -> Vec<u64> {
    let files = paths
        .iter()
        .map(|p| new_entry(Path::new(p), size, folder))
        .collect();
    queue
        .enqueue(&account(), files)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.id)
        .collect()
}

fn read_data(dir: &Path) -> Data {
    serde_json::from_slice(&std::fs::read(dir.join(store::FILE)).expect("queue file"))
        .expect("the queue file parses")
}

#[test]
fn entries_are_written_as_soon_as_queued_and_as_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let queue = Queue::open(dir.path()).unwrap();
    let added = queue
        .enqueue(
            &account(),
            vec![new_entry(Path::new("/videos/a.mp4"), 10, 16)],
        )
        .unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].how, How::New);
    let id = added[0].entry.id;
    let data = read_data(dir.path());
    assert_eq!(data.version, store::VERSION);
    assert_eq!(data.entries.len(), 1);
    assert_eq!(data.entries[0].state, State::Queued);
    assert_eq!(data.entries[0].name, "a.mp4");
    assert_eq!(data.entries[0].folder, 16);
    assert_eq!(data.entries[0].owner.as_deref(), Some(queue.token()));

    queue
        .set_state(id, State::Sending { started_at: 7 })
        .unwrap();
    assert_eq!(
        read_data(dir.path()).entries[0].state,
        State::Sending { started_at: 7 }
    );
    // The file is flat JSON a person (or a test) can read and write.
    let text = std::fs::read_to_string(dir.path().join(store::FILE)).unwrap();
    assert!(text.contains("\"state\": \"sending\""), "{text}");
    assert!(text.contains("\"started_at\": 7"), "{text}");
    assert_eq!(
        queue.set_state(999, State::Queued),
        Err(QueueError::Missing(999))
    );
}

#[cfg(unix)]
#[test]
fn the_queue_file_is_private_and_no_temporary_file_stays() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let queue_dir = dir.path().join("state/queue");
    let queue = Queue::open(&queue_dir).unwrap();
    queue
        .enqueue(&account(), vec![new_entry(Path::new("/v/a.mp4"), 1, 0)])
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&queue_dir.join(store::FILE)), 0o600);
    assert_eq!(mode(&queue_dir), 0o700);
    let names: Vec<String> = std::fs::read_dir(&queue_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp")), "{names:?}");
}

#[test]
fn a_reader_never_sees_half_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(store::FILE);
    let big = |n: u64| Data {
        version: store::VERSION,
        next_id: n,
        entries: (0..200)
            .map(|i| Entry {
                id: i,
                path: format!("/videos/{n}/episode {i}.mp4").into(),
                name: format!("episode {i}.mp4"),
                size: i * 1000 + n,
                mtime: None,
                folder: 3,
                folder_path: Some("/Anime/Season 1".into()),
                account: account().id,
                server: account().server,
                allow_duplicate: false,
                added_at: 1,
                changed_at: 1,
                owner: None,
                hook: None,
                state: State::Queued,
            })
            .collect(),
    };
    store::save(&path, &big(0)).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let path = path.clone();
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = std::fs::read(&path).expect("always there");
                let data: Data = serde_json::from_slice(&bytes).expect("always whole");
                assert_eq!(data.entries.len(), 200);
                reads += 1;
            }
            reads
        })
    };
    for n in 1..100 {
        store::save(&path, &big(n)).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
}

#[test]
fn a_damaged_file_is_set_aside_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(store::FILE);
    std::fs::write(&path, b"{\"version\": 1, \"entries\": [{\"id\": 1, \"pa").unwrap();
    let queue = Queue::open(dir.path()).unwrap();
    assert_eq!(queue.entries().unwrap(), []);
    let notices = queue.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("could not be read"), "{notices:?}");
    assert!(notices[0].contains("set aside as"), "{notices:?}");
    assert!(queue.take_notices().is_empty(), "said once");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("queue.json.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(
        std::fs::read_to_string(&aside[0])
            .unwrap()
            .ends_with("\"pa"),
        "kept as it was"
    );
    // The queue works on.
    queue
        .enqueue(&account(), vec![new_entry(Path::new("/v/b.mp4"), 2, 0)])
        .unwrap();
    assert_eq!(read_data(dir.path()).entries.len(), 1);

    // Valid JSON of the wrong shape is damaged too.
    std::fs::write(&path, b"[1, 2, 3]").unwrap();
    assert_eq!(queue.entries().unwrap(), []);
    assert_eq!(queue.take_notices().len(), 1);
}

#[test]
fn a_file_from_a_newer_mp4u_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(store::FILE);
    let text = "{\"version\": 99, \"entries\": []}";
    std::fs::write(&path, text).unwrap();
    let queue = Queue::open(dir.path()).unwrap();
    assert!(matches!(
        queue.entries(),
        Err(QueueError::Newer { version: 99, .. })
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn two_queues_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                // A queue of its own, as another process would have.
                let queue = Queue::open(&dir).unwrap();
                for i in 0..25 {
                    let path = format!("/videos/{t}/{i}.mp4");
                    queue
                        .enqueue(&account(), vec![new_entry(Path::new(&path), i, 0)])
                        .unwrap();
                }
                queue.token().to_string()
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let entries = read_data(dir.path()).entries;
    assert_eq!(entries.len(), 100);
    let mut ids: Vec<u64> = entries.iter().map(|e| e.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 100, "every id unique");
}

#[test]
fn an_entry_belongs_to_its_live_owner_and_is_free_once_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let first = Queue::open(dir.path()).unwrap();
    let second = Queue::open(dir.path()).unwrap();
    let file = new_entry(Path::new("/v/a.mp4"), 5, 2);
    let added = first.enqueue(&account(), vec![file.clone()]).unwrap();
    first
        .set_state(added[0].entry.id, State::Sending { started_at: 1 })
        .unwrap();

    // While the first runs, the second leaves its entry alone.
    let again = second.enqueue(&account(), vec![file.clone()]).unwrap();
    assert_eq!(again[0].how, How::Busy);
    assert_eq!(second.unfinished(&account()).unwrap(), []);
    let taken = second.take_unfinished(&account()).unwrap();
    assert_eq!((taken.entries.len(), taken.busy), (0, 1));
    assert!(second.is_active(&added[0].entry));
    assert_eq!(
        second.remove(&[added[0].entry.id]).unwrap(),
        Vec::<u64>::new()
    );

    // Gone (as a crash leaves it: the owner's lock file stays, its lock does not).
    let owner_file = dir
        .path()
        .join("owners")
        .join(format!("{}.lock", first.token()));
    assert!(owner_file.exists());
    let token = first.token().to_string();
    drop(first);
    std::fs::write(&owner_file, b"").unwrap();

    let left = second.unfinished(&account()).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].owner.as_deref(), Some(token.as_str()));
    assert!(
        !owner_file.exists(),
        "a dead owner's lock file is tidied up"
    );

    // Queuing the same file again adopts the entry, as it was left: it must be looked up.
    let adopted = second.enqueue(&account(), vec![file]).unwrap();
    assert_eq!(adopted[0].how, How::Adopted);
    assert_eq!(adopted[0].entry.id, added[0].entry.id);
    assert_eq!(adopted[0].entry.state, State::Sending { started_at: 1 });
    assert!(adopted[0].entry.state.needs_lookup());
    assert_eq!(adopted[0].entry.owner.as_deref(), Some(second.token()));
    assert_eq!(read_data(dir.path()).entries.len(), 1, "no second entry");
}

#[cfg(unix)]
#[test]
fn the_lock_files_of_owners_gone_are_swept_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let live = Queue::open(dir.path()).unwrap();
    let owners = dir.path().join("owners");
    let dead = owners.join("1-00000000000000aa.lock");
    std::fs::write(&dead, b"").unwrap();
    let _another = Queue::open(dir.path()).unwrap();
    assert!(!dead.exists(), "a dead owner's file is swept");
    assert!(
        owners.join(format!("{}.lock", live.token())).exists(),
        "a live one's stays"
    );
}

#[test]
fn take_unfinished_claims_only_this_accounts_free_entries() {
    let dir = tempfile::tempdir().unwrap();
    let other = Account {
        id: "https://www.mp4upload.com fedcba9876543210".into(),
        server: "https://www.mp4upload.com".into(),
    };
    {
        let gone = Queue::open(dir.path()).unwrap();
        let mine = gone.enqueue(&account(), three_files()).unwrap();
        gone.enqueue(&other, vec![new_entry(Path::new("/v/4.mp4"), 4, 0)])
            .unwrap();
        let done = State::Done {
            file_code: "abc".into(),
            url: "u".into(),
            finished_at: crate::api::unix_now(),
            note: None,
        };
        gone.set_state(mine[2].entry.id, done).unwrap();
    }
    let queue = Queue::open(dir.path()).unwrap();
    let taken = queue.take_unfinished(&account()).unwrap();
    assert_eq!(taken.entries.len(), 2);
    assert_eq!((taken.busy, taken.elsewhere), (0, 1));
    assert!(
        taken
            .entries
            .iter()
            .all(|e| e.owner.as_deref() == Some(queue.token()))
    );
    // Claimed: a third process finds them busy.
    let third = Queue::open(dir.path()).unwrap();
    assert_eq!(third.take_unfinished(&account()).unwrap().busy, 2);
}

#[test]
fn finished_entries_leave_on_request_or_after_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let queue = Queue::open(dir.path()).unwrap();
    let added = queue.enqueue(&account(), three_files()).unwrap();
    let done = |finished_at| State::Done {
        file_code: "abc".into(),
        url: "u".into(),
        finished_at,
        note: None,
    };
    let now = crate::api::unix_now();
    queue.set_state(added[0].entry.id, done(now)).unwrap();
    queue
        .set_state(added[1].entry.id, done(now - DONE_KEEP_SECS - 1))
        .unwrap();
    let ids: Vec<u64> = queue.entries().unwrap().iter().map(|e| e.id).collect();
    assert_eq!(ids, [added[0].entry.id, added[2].entry.id], "a day later");
    assert_eq!(queue.clear_done().unwrap(), 1);
    assert_eq!(queue.entries().unwrap().len(), 1);
    assert_eq!(
        queue.remove(&[added[2].entry.id, 77]).unwrap(),
        [added[2].entry.id]
    );
    assert_eq!(queue.entries().unwrap(), []);
}

#[test]
fn a_queue_in_memory_works_alike() {
    let queue = Queue::in_memory();
    assert_eq!(queue.file(), None);
    let added = queue
        .enqueue(&account(), vec![new_entry(Path::new("/v/a.mp4"), 1, 0)])
        .unwrap();
    assert_eq!(added[0].how, How::New);
    let again = queue
        .enqueue(&account(), vec![new_entry(Path::new("/v/a.mp4"), 1, 0)])
        .unwrap();
    assert_eq!(again[0].how, How::Busy, "this process works on it");
    assert_eq!(queue.entries().unwrap().len(), 1);
}

#[test]
fn a_queue_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Queue>();
}

#[test]
fn queued_paths_are_absolute() {
    let queue = Queue::in_memory();
    let added = queue
        .enqueue(&account(), vec![new_entry(Path::new("rel/a.mp4"), 1, 0)])
        .unwrap();
    assert!(added[0].entry.path.is_absolute());
    assert!(added[0].entry.path.ends_with("rel/a.mp4"));
}

mod duplicates {
    use super::super::find_duplicate;
    use crate::api::FileInfo;

    fn row(code: &str, name: &str, size: Option<u64>) -> FileInfo {
        FileInfo {
            name: Some(name.into()),
            size,
            ..FileInfo::new(code)
        }
    }

    #[test]
    fn same_name_and_size_in_any_case_with_or_without_the_extension() {
        let rows = [
            row("a", "holiday.mp4", Some(100)),
            row("b", "Trip", Some(200)),
            row("c", "unsized.mp4", None),
        ];
        let found = |name, size| find_duplicate(&rows, name, size).map(|r| r.file_code.as_str());
        assert_eq!(found("holiday.mp4", 100), Some("a"));
        assert_eq!(found("HOLIDAY.MP4", 100), Some("a"));
        assert_eq!(found("holiday.mp4", 101), None, "another size");
        assert_eq!(
            found("trip.mp4", 200),
            Some("b"),
            "listed without extension"
        );
        assert_eq!(found("trip.mkv", 200), Some("b"));
        assert_eq!(found("trip2.mp4", 200), None);
        assert_eq!(found("unsized.mp4", 5), None, "no size, no guess");
        assert_eq!(found(" holiday.mp4 ", 100), Some("a"), "trimmed");
    }
}

#[test]
fn take_reads_each_entry_as_the_file_holds_it_now() {
    let dir = tempfile::tempdir().unwrap();
    let first = Queue::open(dir.path()).unwrap();
    let ids = queue_files(&first, &["/v/a.mp4", "/v/b.mp4", "/v/c.mp4"], 10, 1);
    // Another process finishes a, gives up b; this one still has its old copies.
    first
        .set_state(
            ids[0],
            State::Done {
                file_code: "abc".into(),
                url: "u".into(),
                finished_at: crate::api::unix_now(),
                note: None,
            },
        )
        .unwrap();
    first.remove(&ids[1..2]).unwrap();
    let second = Queue::open(dir.path()).unwrap();
    let taken = second.take(&ids).unwrap();
    assert!(matches!(taken[0].1, Take::Finished(_)), "{taken:?}");
    assert_eq!(taken[1].1, Take::Gone);
    // c: the first process is alive and owns it.
    assert!(matches!(taken[2].1, Take::Busy(_)), "{taken:?}");
    drop(first);
    let taken = second.take(&ids[2..]).unwrap();
    let Take::Mine(entry) = &taken[0].1 else {
        panic!("{taken:?}")
    };
    assert_eq!(entry.owner.as_deref(), Some(second.token()));
    // And another live process may not change it now.
    let third = Queue::open(dir.path()).unwrap();
    assert_eq!(
        third.set_state(ids[2], State::Queued),
        Err(QueueError::Busy(ids[2]))
    );
}

#[test]
fn a_file_on_the_account_is_claimed_for_one_entry_only() {
    let queue = Queue::in_memory();
    let (a, b) = (
        queue_files(&queue, &["/a/Ep01.mp4"], 10, 1)[0],
        queue_files(&queue, &["/b/Ep01.mp4"], 10, 2)[0],
    );
    assert_eq!(queue.claim_file(a, "code1", "u1", false, None), Ok(true));
    assert_eq!(queue.claim_file(b, "code1", "u1", false, None), Ok(false));
    assert_eq!(queue.claim_file(b, "code2", "u2", true, None), Ok(true));
    let entries = queue.entries().unwrap();
    assert!(matches!(&entries[0].state, State::NotMoved { file_code, .. } if file_code == "code1"));
    assert!(matches!(&entries[1].state, State::Done { file_code, .. } if file_code == "code2"));
    // The owed move keeps the entry unfinished: a resume takes it (to move it), and it never
    // leaves the queue by age.
    assert!(!entries[0].state.is_done());
    assert!(entries[0].state.goes_to_account_first());
}

#[test]
fn giving_up_keeps_an_upload_whose_end_went_out() {
    let queue = Queue::in_memory();
    let ids = queue_files(&queue, &["/v/a.mp4", "/v/b.mp4"], 10, 1);
    let (a, b) = (ids[0], ids[1]);
    queue
        .set_state(a, State::Sending { started_at: 5 })
        .unwrap();
    let sent = State::Sent {
        started_at: 5,
        since: None,
        sent_at: 9,
    };
    queue.set_state(b, sent).unwrap();
    queue.give_up(&[a, b]).unwrap();
    let left = queue.entries().unwrap();
    assert_eq!(left.len(), 1, "a never let its end out: gone");
    assert_eq!(left[0].id, b);
    assert!(matches!(
        left[0].state,
        State::Unknown { started_at: 5, .. }
    ));
}

#[test]
fn an_upload_whose_fate_is_unknown_settles_after_its_connection_ended() {
    use super::run::{Patience, settles_at};
    let patience = Patience {
        settle: std::time::Duration::from_secs(30),
        poll: std::time::Duration::from_secs(1),
        stall: std::time::Duration::from_secs(60),
    };
    // The end never left: nothing to wait for.
    assert_eq!(
        settles_at(&State::Sending { started_at: 0 }, 1_000, &patience),
        0
    );
    // Killed after its last byte a moment ago: from now.
    let sent = State::Sent {
        started_at: 900,
        since: None,
        sent_at: 990,
    };
    assert_eq!(settles_at(&sent, 1_000, &patience), 1_030);
    // Long ago: its sender had given up on the answer by sent_at + stall + a look-up.
    assert_eq!(settles_at(&sent, 9_000, &patience), 990 + 60 + 60 + 30);
    let unknown = State::Unknown {
        reason: "r".into(),
        started_at: 900,
        since: None,
        finished_at: 995,
    };
    assert_eq!(settles_at(&unknown, 9_000, &patience), 1_025);
}
