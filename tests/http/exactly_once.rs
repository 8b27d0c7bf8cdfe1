//! Every upload lands exactly once, in its folder, and no other file is touched: the real
//! binary on a sandbox over HTTP, killed with SIGKILL at each point of a multi-file upload
//! where a file's fate changes hands, then `upload --resume` at once. Also: a move that failed
//! is finished by the same command run again (and by `--resume`, and by `sync`) without
//! sending anything; a lost upload is never matched to a file outside `/`.

use std::path::PathBuf;
use std::process::Child;
use std::time::Duration;

use crate::cli::Fixture;
use crate::common::*;
use mp4u::sandbox::{FileRecord, Quirks, SandboxConfig, UploadFaults};
use serde_json::Value;

const FILES: usize = 3;
const SIZE: usize = 240_000;

/// Where the kill lands.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// Queued, nothing read by the server yet.
    BeforeFirstByte,
    /// This many bytes of the upload read by the server (across its files); the rest of the
    /// file in the socket's buffers.
    MidFile(u64),
    /// The last byte out and read, the server storing it late: not on the account yet.
    AfterLastByte,
    /// On the account (in `/`), its move into the folder not made yet.
    BetweenReplyAndMove,
}

fn queue_states(fx: &Fixture) -> Vec<(String, String)> {
    let path = state_dir(&fx.config()).join("queue").join("queue.json");
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v["entries"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let f = |k: &str| e[k].as_str().unwrap_or("?").to_string();
            (f("name"), f("state"))
        })
        .collect()
}

/// A stamp `secs` seconds ago, as the sandbox writes them.
fn stamp_ago(secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The user's own files that a look-up must never take: the same name and size as the first
/// upload, one in /Movies uploaded 45 s ago, one in `/` uploaded an hour ago.
fn seed_lookalikes(fx: &Fixture, name: &str) -> (u64, Vec<String>) {
    let movies = fx.sb.state().create_folder(0, "Movies").expect("folder");
    let codes = fx.sb.state().add_files([
        FileRecord {
            uploaded: stamp_ago(45),
            ..FileRecord::new(name, SIZE as u64, movies)
        },
        FileRecord {
            uploaded: stamp_ago(3600),
            ..FileRecord::new(name, SIZE as u64, 0)
        },
    ]);
    (movies, codes)
}

fn spawn_upload(fx: &Fixture, folder: &str, files: &[PathBuf]) -> Child {
    let mut cmd = mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()));
    cmd.args(["upload", "--parallel", "1", "--folder", folder])
        .args(files)
        .env("MP4U_UPLOAD_SETTLE", "4")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd.spawn().expect("mp4u upload")
}

fn resume(fx: &Fixture) -> Run {
    mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
        .args(["upload", "--resume"])
        .env("MP4U_UPLOAD_SETTLE", "4")
        .output()
        .expect("mp4u upload --resume")
        .into()
}

fn kill_at(point: Point) {
    let fx = Fixture::with(SandboxConfig {
        api: mp4u::sandbox::ApiFaults {
            // Every call waits: a file on the account waits a while for its move.
            latency_ms: if matches!(point, Point::BetweenReplyAndMove) {
                700
            } else {
                0
            },
            ..mp4u::sandbox::ApiFaults::default()
        },
        upload: UploadFaults {
            // About 0.8 s a file: the kill can land within one.
            bytes_per_sec: Some(300_000),
            store_late_ms: matches!(point, Point::AfterLastByte).then_some(2_500),
            ..UploadFaults::default()
        },
        demo_data: false,
        ..SandboxConfig::default()
    });
    let anime = fx.sb.state().create_folder(0, "Anime").expect("folder");
    let local = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = (1..=FILES).map(|i| format!("Ep{i:02}.mp4")).collect();
    let paths: Vec<PathBuf> = names
        .iter()
        .enumerate()
        .map(|(i, n)| random_file(local.path(), n, SIZE, 90 + i as u64).0)
        .collect();
    let (movies, lookalikes) = seed_lookalikes(&fx, &names[0]);

    let mut child = spawn_upload(&fx, "/Anime", &paths);
    let sb = &fx.sb;
    let first_on_account = || {
        sb.state()
            .find_by_name(&names[0])
            .iter()
            .any(|f| !lookalikes.contains(&f.code))
    };
    match point {
        Point::BeforeFirstByte => wait_until("the queue written", Duration::from_secs(30), || {
            !queue_states(&fx).is_empty()
        }),
        Point::MidFile(bytes) => wait_until("bytes read", Duration::from_secs(30), || {
            sb.upload_bytes() >= bytes
        }),
        Point::AfterLastByte => {
            wait_until("the last byte out", Duration::from_secs(30), || {
                queue_states(&fx).iter().any(|(_, s)| s == "sent")
                    && sb.upload_bytes() >= SIZE as u64
            });
            // Stored 2.5 s later (under a heavy load, maybe before the kill lands: the
            // property below holds either way).
        }
        Point::BetweenReplyAndMove => wait_until(
            "a file in / before its move",
            Duration::from_secs(30),
            || first_on_account() && sb.state().files_in(anime).is_empty(),
        ),
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let out = resume(&fx);
    assert_eq!(out.code, 0, "{point:?}: {}", out.stderr);
    for (name, path) in names.iter().zip(&paths) {
        let mine: Vec<_> = sb
            .state()
            .find_by_name(name)
            .into_iter()
            .filter(|f| !lookalikes.contains(&f.code))
            .collect();
        assert_eq!(mine.len(), 1, "{point:?}: {name} exactly once: {mine:?}");
        assert_eq!(mine[0].fld_id, anime, "{point:?}: {name} in /Anime");
        assert_eq!(mine[0].size, std::fs::metadata(path).unwrap().len());
    }
    // The user's look-alikes are where they were.
    assert_eq!(sb.state().file(&lookalikes[0]).unwrap().fld_id, movies);
    assert_eq!(sb.state().file(&lookalikes[1]).unwrap().fld_id, 0);
    assert!(
        queue_states(&fx).iter().all(|(_, s)| s == "done"),
        "{point:?}: {:?}",
        queue_states(&fx)
    );
}

#[test]
fn killed_before_the_first_byte_a_resume_sends_each_file_once() {
    kill_at(Point::BeforeFirstByte);
}

#[test]
fn killed_mid_file_with_the_rest_in_the_socket_a_resume_sends_each_file_once() {
    kill_at(Point::MidFile(SIZE as u64 / 3));
}

/// Killed once the server read `share` files' worth of the upload: through the first, second
/// and third file, near their ends too. Each its own test, so that they run side by side.
fn kill_through(share: f64) {
    kill_at(Point::MidFile((share * SIZE as f64) as u64));
}

#[test]
fn killed_near_the_end_of_the_first_file() {
    kill_through(0.55);
    kill_through(0.95);
}

#[test]
fn killed_in_the_second_file() {
    kill_through(1.3);
    kill_through(1.97);
}

#[test]
fn killed_in_the_third_file() {
    kill_through(2.4);
    kill_through(2.9);
}

#[test]
fn killed_after_the_last_byte_a_resume_waits_for_the_late_store_and_sends_nothing_twice() {
    kill_at(Point::AfterLastByte);
}

#[test]
fn killed_between_the_reply_and_the_move_a_resume_moves_and_sends_nothing() {
    kill_at(Point::BetweenReplyAndMove);
}

/// `fail_set_folder` on or off while the sandbox runs.
fn set_failing_moves(fx: &Fixture, failing: bool) {
    fx.sb.set_quirks(Quirks {
        fail_set_folder: failing,
        ..fx.sb.quirks()
    });
}

#[test]
fn after_a_failed_move_the_same_command_moves_the_file_and_sends_nothing() {
    let fx = Fixture::empty();
    let anime = fx.sb.state().create_folder(0, "Anime").expect("folder");
    let local = tempfile::tempdir().expect("tempdir");
    let (a, _) = random_file(local.path(), "Ep01.mp4", 50_000, 1);
    let (b, _) = random_file(local.path(), "Ep02.mp4", 50_000, 2);
    let args = |p: &PathBuf| {
        vec![
            "upload".to_string(),
            "--folder".into(),
            "/Anime".into(),
            p.display().to_string(),
        ]
    };
    let run = |args: Vec<String>| fx.run(&args.iter().map(String::as_str).collect::<Vec<_>>());

    set_failing_moves(&fx, true);
    let out = run(args(&a));
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.complains("is in / (the root)");
    assert_eq!(fx.sb.state().files_in(0).len(), 1, "left in /");
    // The queue says so, in the words the transfers view uses.
    let listed = fx.run(&["queue"]);
    listed.says("not moved");

    // Still failing: the same command tries the move again, and sends nothing.
    let out = run(args(&a));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 1, "nothing sent again");

    set_failing_moves(&fx, false);
    let out = run(args(&a));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 1, "nothing sent again");
    assert_eq!(fx.sb.state().files_in(anime).len(), 1, "moved");
    assert!(fx.sb.state().files_in(0).is_empty());

    // `upload --resume` retries an owed move too.
    set_failing_moves(&fx, true);
    assert_eq!(run(args(&b)).code, 1);
    set_failing_moves(&fx, false);
    let out = fx.run(&["upload", "--resume"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 2, "each file sent once");
    assert_eq!(fx.sb.state().files_in(anime).len(), 2);
    assert!(fx.sb.state().files_in(0).is_empty());
    let entries = queue_states(&fx);
    assert_eq!(entries.len(), 2, "one entry a file: {entries:?}");
    assert!(entries.iter().all(|(_, s)| s == "done"), "{entries:?}");
}

#[test]
fn after_a_failed_move_sync_moves_the_file_and_sends_nothing() {
    let fx = Fixture::empty();
    fx.sb.state().create_folder(0, "Shows").expect("folder");
    let local = tempfile::tempdir().expect("tempdir");
    let season = local.path().join("Season 1");
    std::fs::create_dir_all(&season).unwrap();
    random_file(&season, "Ep01.mp4", 40_000, 3);
    random_file(&season, "Ep02.mp4", 40_000, 4);
    let dir = season.display().to_string();

    set_failing_moves(&fx, true);
    let out = fx.run(&["sync", &dir, "--folder", "/Shows"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        fx.sb.state().files_in(0).len(),
        2,
        "both left in /: {}\n{}",
        out.stdout,
        out.stderr
    );

    set_failing_moves(&fx, false);
    let out = fx.run(&["sync", &dir, "--folder", "/Shows"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 2, "nothing sent again");
    assert!(fx.sb.state().files_in(0).is_empty(), "both moved");
    assert_eq!(fx.sb.state().file_count(), 2);
}

#[test]
fn a_lost_upload_is_never_matched_to_a_file_outside_the_root() {
    // Also on a server whose file/list ignores the folder and names none: the root is told
    // by folder/list.
    for quirks in [
        Quirks::default(),
        Quirks {
            list_ignores_folder: true,
            no_fld_id: true,
            ..Quirks::default()
        },
    ] {
        let fx = Fixture::with(SandboxConfig {
            quirks: quirks.clone(),
            ..slow_uploads(150_000)
        });
        let anime = fx.sb.state().create_folder(0, "Anime").expect("folder");
        let local = tempfile::tempdir().expect("tempdir");
        let (path, _) = random_file(local.path(), "Ep01.mp4", SIZE, 7);
        // Uploaded to /Movies 45 s ago, and so moved out of the root: never this upload.
        let movies = fx.sb.state().create_folder(0, "Movies").expect("folder");
        let theirs = fx.sb.state().add_files([FileRecord {
            uploaded: stamp_ago(45),
            ..FileRecord::new("Ep01.mp4", SIZE as u64, movies)
        }]);
        // Killed on its way: the resume looks (and finds it in `/` once its last bytes are
        // in, or sends it again), and never takes the /Movies file.
        let mut child = spawn_upload(&fx, "/Anime", std::slice::from_ref(&path));
        wait_until("on its way", Duration::from_secs(30), || {
            fx.sb.upload_bytes() > 0 || child.try_wait().ok().flatten().is_some()
        });
        assert!(
            child.try_wait().unwrap().is_none(),
            "{quirks:?}: ended early"
        );
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let out = resume(&fx);
        assert_eq!(out.code, 0, "{quirks:?}: {}", out.stderr);
        assert_eq!(
            fx.sb.state().file(&theirs[0]).unwrap().fld_id,
            movies,
            "{quirks:?}: the user's file stays in /Movies"
        );
        let in_anime = fx.sb.state().files_in(anime);
        assert_eq!(in_anime.len(), 1, "{quirks:?}: {in_anime:?}");
        assert_ne!(in_anime[0].code, theirs[0]);
    }
}

#[test]
fn two_uploads_of_the_same_name_lost_together_take_one_file_each() {
    let fx = Fixture::empty();
    let anime = fx.sb.state().create_folder(0, "Anime").expect("folder");
    let movies = fx.sb.state().create_folder(0, "Movies").expect("folder");
    let local = tempfile::tempdir().expect("tempdir");
    for dir in ["a", "b"] {
        std::fs::create_dir_all(local.path().join(dir)).unwrap();
    }
    let (a, _) = random_file(&local.path().join("a"), "Ep01.mp4", SIZE, 8);
    let (b, _) = random_file(&local.path().join("b"), "Ep01.mp4", SIZE, 9);
    // Both arrived in / and their senders died before the answer.
    let codes = fx.sb.state().add_files([
        FileRecord::new("Ep01.mp4", SIZE as u64, 0),
        FileRecord::new("Ep01.mp4", SIZE as u64, 0),
    ]);
    let account = mp4u::queue::Account::of(&client(&fx.sb));
    let now = mp4u::api::unix_now();
    let entry = |id: u64, path: &PathBuf, folder: u64| {
        serde_json::json!({
            "id": id, "path": path, "name": "Ep01.mp4", "size": SIZE, "folder": folder,
            "account": account.id, "server": account.server, "added_at": now - 10,
            "changed_at": now - 5, "owner": "4242-00000000deadbeef",
            "state": "sent", "started_at": now - 10, "sent_at": now - 5,
        })
    };
    let file = state_dir(&fx.config()).join("queue").join("queue.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let text = serde_json::json!({"version": 1, "next_id": 3,
        "entries": [entry(1, &a, anime), entry(2, &b, movies)]});
    std::fs::write(&file, serde_json::to_vec(&text).unwrap()).unwrap();
    let out = resume(&fx);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 0, "both found, none sent");
    let places: Vec<u64> = codes
        .iter()
        .map(|c| fx.sb.state().file(c).unwrap().fld_id)
        .collect();
    assert!(
        places.contains(&anime) && places.contains(&movies),
        "one each: {places:?}"
    );
}

#[test]
fn a_late_store_after_a_lost_reply_is_waited_for_not_sent_again() {
    let fx = Fixture::empty();
    // Kept 1.5 s after the body, and the answer lost: the sender looks, waits, finds it.
    fx.sb.set_upload_faults(UploadFaults {
        store_late_ms: Some(1_500),
        drop_reply: true,
        ..Default::default()
    });
    let anime = fx.sb.state().create_folder(0, "Anime").expect("folder");
    let local = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(local.path(), "Ep01.mp4", 60_000, 10);
    let out: Run = mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
        .args(["upload", "--folder", "/Anime"])
        .arg(&path)
        .env("MP4U_UPLOAD_SETTLE", "5")
        .output()
        .expect("mp4u upload")
        .into();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fx.sb.calls_of("upload"), 1);
    assert_eq!(fx.sb.state().files_in(anime).len(), 1);
    assert_eq!(fx.sb.state().file_count(), 1);
}
