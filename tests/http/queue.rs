//! The upload queue through the binary: `upload` writes it, `queue` lists and tidies it, and
//! `upload --resume` takes up what a dead process left, sending each file exactly once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli::Fixture;
use crate::common::*;
use mp4u::queue::Account;
use mp4u::sandbox::{ApiFaults, FileRecord, UploadFaults};
use serde_json::{Value, json};

/// A token no running process holds: the owner of entries a dead process left.
const DEAD_OWNER: &str = "4242-00000000deadbeef";

pub(crate) fn queue_file(fx: &Fixture) -> PathBuf {
    state_dir(&fx.config()).join("queue").join("queue.json")
}

pub(crate) fn read_queue(fx: &Fixture) -> Value {
    serde_json::from_slice(&std::fs::read(queue_file(fx)).expect("queue file")).expect("JSON")
}

fn now() -> u64 {
    mp4u::api::unix_now()
}

/// An entry as a process that died left it.
pub(crate) fn left_entry(fx: &Fixture, id: u64, path: &Path, folder: u64, state: Value) -> Value {
    let account = Account::of(&client(&fx.sb));
    let mut entry = json!({
        "id": id,
        "path": path,
        "name": path.file_name().unwrap().to_str().unwrap(),
        "size": std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        "folder": folder,
        "account": account.id,
        "server": account.server,
        "added_at": now() - 30,
        "changed_at": now() - 20,
        "owner": DEAD_OWNER,
    });
    for (k, v) in state.as_object().unwrap() {
        entry[k] = v.clone();
    }
    entry
}

fn sending() -> Value {
    json!({"state": "sending", "started_at": now() - 20})
}

pub(crate) fn write_queue(fx: &Fixture, entries: Vec<Value>) {
    let path = queue_file(fx);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = json!({"version": 1, "next_id": 100, "entries": entries});
    std::fs::write(&path, serde_json::to_vec_pretty(&text).unwrap()).unwrap();
}

fn entry_states(fx: &Fixture) -> Vec<String> {
    read_queue(fx)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn upload_writes_the_queue_and_queue_lists_and_clears_it() {
    let fx = Fixture::empty();
    let folder = fx.sb.state().create_folder(0, "Trips").unwrap();
    let local = tempfile::tempdir().unwrap();
    let (a, _) = random_file(local.path(), "a.mp4", 3_000, 1);
    let (b, _) = random_file(local.path(), "b.mp4", 4_000, 2);
    let out = fx.run(&[
        "upload",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--folder",
        "/Trips",
    ]);
    out.ok();

    let listed = fx.json(&["queue"]);
    let items = listed.as_array().unwrap();
    assert_eq!(items.len(), 2, "{listed}");
    for (item, path) in items.iter().zip([&a, &b]) {
        assert_eq!(item["state"], "done");
        assert_eq!(item["path"], path.to_str().unwrap());
        assert_eq!(item["folder"], folder);
        assert_eq!(item["folder_path"], "/Trips");
        assert_eq!(item["active"], false);
        assert!(
            item.get("account").is_none(),
            "no fingerprint shown: {item}"
        );
        let code = item["file_code"].as_str().unwrap();
        assert_eq!(item["url"], format!("{}/{code}", fx.sb.base_url()));
        assert_eq!(fx.sb.state().file(code).unwrap().fld_id, folder);
    }
    let file = std::fs::read_to_string(queue_file(&fx)).unwrap();
    assert!(!leaks(&file, fx.sb.key()), "no key in the queue file");
    let table = fx.run(&["queue"]);
    table.ok();
    assert!(table.stdout.starts_with("ID  STATE"), "{}", table.stdout);
    table.says("done");
    table.says("/Trips");

    // The same file twice in one run goes once.
    let twice = fx.json(&[
        "upload",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--allow-duplicates",
    ]);
    assert_eq!(twice[0]["status"], "uploaded");
    assert_eq!(twice[1]["status"], "skipped");
    assert_eq!(
        twice[1]["reason"],
        "given more than once for the same folder: sent once"
    );
    assert_eq!(fx.sb.calls_of("upload"), 3);
    fx.run(&["queue", "--remove", "3"]).ok();

    let cleared = fx.run(&["queue", "--clear-done"]);
    cleared.ok();
    assert_eq!(
        cleared.stdout,
        "removed 2 finished uploads from the queue\n"
    );
    let table = fx.run(&["queue"]);
    assert!(
        table.stdout.starts_with("the upload queue is empty"),
        "{}",
        table.stdout
    );
    assert!(!leaks(&table.stdout, fx.sb.key()));
}

#[test]
fn resume_finds_a_file_that_arrived_and_sends_nothing() {
    let fx = Fixture::empty();
    let folder = fx.sb.state().create_folder(0, "Season 1").unwrap();
    let local = tempfile::tempdir().unwrap();
    let (path, bytes) = random_file(local.path(), "Episode 1.mp4", 5_000, 3);
    // The upload arrived (listed without its extension, as the live service may), but the
    // process died before moving it into its folder and recording it.
    fx.sb.set_quirks(mp4u::sandbox::Quirks {
        bare_names: true,
        ..Default::default()
    });
    let code = fx
        .sb
        .state()
        .add_files([FileRecord::new("Episode 1.mp4", bytes.len() as u64, 0)])[0]
        .clone();
    write_queue(&fx, vec![left_entry(&fx, 7, &path, folder, sending())]);

    let out = fx.run(&["upload", "--resume", "--json"]);
    let v = out.json();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["status"], "uploaded");
    assert_eq!(v[0]["file_code"], code.as_str());
    assert_eq!(v[0]["recovered"], true);
    assert!(
        out.stderr.contains("resuming 1 upload (1 may have arrived"),
        "{}",
        out.stderr
    );
    assert_eq!(fx.sb.calls_of("upload"), 0, "never sent again");
    assert_eq!(fx.sb.calls_of("upload/server"), 0);
    assert_eq!(fx.sb.state().file_count(), 1);
    assert_eq!(
        fx.sb.state().file(&code).unwrap().fld_id,
        folder,
        "moved into place"
    );
    assert_eq!(entry_states(&fx), ["done"]);

    // Nothing left.
    let again = fx.run(&["upload", "--resume"]);
    again.ok();
    again.complains("nothing to resume");
    assert_eq!(fx.sb.calls_of("upload"), 0);
}

#[test]
fn resume_sends_a_file_that_never_arrived_exactly_once() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (sent, sent_bytes) = random_file(local.path(), "half sent.mp4", 6_000, 4);
    let (waiting, _) = random_file(local.path(), "waiting.mp4", 7_000, 5);
    write_queue(
        &fx,
        vec![
            left_entry(&fx, 1, &sent, 0, sending()),
            left_entry(&fx, 2, &waiting, 0, json!({"state": "queued"})),
        ],
    );
    let listed = fx.json(&["queue"]);
    assert_eq!(listed[0]["state"], "sending");
    assert_eq!(listed[0]["active"], false, "its process is gone");

    let v = fx.run(&["upload", "--resume", "--json"]).json();
    assert_eq!(v[0]["status"], "uploaded");
    assert_eq!(v[1]["status"], "uploaded");
    assert_eq!(v[0].get("recovered"), None, "sent, not found");
    assert_eq!(fx.sb.calls_of("upload"), 2);
    let on_account = fx.sb.state().find_by_name("half sent.mp4");
    assert_eq!(on_account.len(), 1);
    assert_eq!(on_account[0].sha256, Some(sha256_hex(&sent_bytes)));
    assert_eq!(fx.sb.state().find_by_name("waiting.mp4").len(), 1);
    assert_eq!(entry_states(&fx), ["done", "done"]);

    fx.run(&["upload", "--resume"]).ok();
    assert_eq!(fx.sb.calls_of("upload"), 2, "a second resume sends nothing");
}

#[test]
fn a_look_up_that_cannot_finish_leaves_the_entry_unknown_and_unsent() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (path, _) = random_file(local.path(), "maybe.mp4", 2_000, 6);
    write_queue(&fx, vec![left_entry(&fx, 3, &path, 0, sending())]);
    fx.sb.set_api_faults(ApiFaults::failing());
    let out = fx.run(&["upload", "--resume", "--json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["status"], "unknown");
    assert!(
        v[0]["error"].as_str().unwrap().contains("not sent again"),
        "{v}"
    );
    assert_eq!(fx.sb.calls_of("upload"), 0);
    // Killed before its last byte, it cannot have arrived whole: it stays `sending` (looked
    // up again next time, with no wait).
    assert_eq!(entry_states(&fx), ["sending"]);

    // Once the account answers, the look-up finishes, finds nothing, and the file goes once.
    fx.sb.set_api_faults(ApiFaults::default());
    let v = fx.run(&["upload", "--resume", "--json"]).json();
    assert_eq!(v[0]["status"], "uploaded");
    assert_eq!(fx.sb.calls_of("upload"), 1);
    assert_eq!(fx.sb.state().find_by_name("maybe.mp4").len(), 1);
}

#[test]
fn two_resumes_at_once_send_each_file_once() {
    let fx = Fixture::with(slow_uploads(400_000));
    let local = tempfile::tempdir().unwrap();
    let entries = (0..4)
        .map(|i| {
            let (path, _) = random_file(local.path(), &format!("ep {i}.mp4"), 100_000, i);
            left_entry(&fx, i + 1, &path, 0, json!({"state": "queued"}))
        })
        .collect();
    write_queue(&fx, entries);
    let spawn = || {
        mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
            .args(["upload", "--resume", "--parallel", "1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn mp4u")
    };
    let (first, second) = (spawn(), spawn());
    let outs: Vec<Run> = [first, second]
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait").into())
        .collect();
    for out in &outs {
        out.ok();
    }
    assert_eq!(fx.sb.calls_of("upload"), 4, "{outs:#?}");
    for i in 0..4 {
        assert_eq!(fx.sb.state().find_by_name(&format!("ep {i}.mp4")).len(), 1);
    }
    assert_eq!(entry_states(&fx), ["done"; 4]);
}

#[test]
fn an_upload_killed_halfway_resumes_with_every_file_there_once() {
    let fx = Fixture::with(slow_uploads(100_000));
    let folder = fx.sb.state().create_folder(0, "Show").unwrap();
    let local = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..3)
        .map(|i| random_file(local.path(), &format!("part {i}.mp4"), 60_000, 10 + i).0)
        .collect();
    let mut args = vec!["upload", "--folder", "/Show", "--parallel", "1"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let mut child = mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn mp4u");
    // Halfway: one file done, the next one being sent.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let states = std::fs::read(queue_file(&fx))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .map(|_| entry_states(&fx))
            .unwrap_or_default();
        // Being sent: before its last byte, or after it (awaiting the reply).
        if states.first().map(String::as_str) == Some("done")
            && matches!(states.get(1).map(String::as_str), Some("sending" | "sent"))
        {
            break;
        }
        assert!(Instant::now() < deadline, "never got halfway: {states:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(150));
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let left = entry_states(&fx);
    assert!(
        left[0] == "done" && matches!(left[1].as_str(), "sending" | "sent") && left[2] == "queued",
        "{left:?}"
    );

    fx.sb.set_upload_faults(UploadFaults::default());
    let v = fx.run(&["upload", "--resume", "--json"]).json();
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    for i in 0..3 {
        let found = fx.sb.state().find_by_name(&format!("part {i}.mp4"));
        assert_eq!(found.len(), 1, "part {i}.mp4 exactly once");
        assert_eq!(found[0].fld_id, folder);
    }
    assert_eq!(entry_states(&fx), ["done", "done", "done"]);
}

#[test]
fn a_damaged_queue_file_is_set_aside_with_a_notice() {
    let fx = Fixture::empty();
    let path = queue_file(&fx);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"{\"version\": 1, \"entries\": [").unwrap();
    let out = fx.run(&["queue"]);
    out.ok();
    out.complains("could not be read");
    out.complains("set aside as");
    assert!(out.stdout.starts_with("the upload queue is empty"));
    let aside = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("queue.json.damaged-")
        })
        .count();
    assert_eq!(aside, 1);
    // Uploads go on with a fresh queue.
    let local = tempfile::tempdir().unwrap();
    let (file, _) = random_file(local.path(), "after.mp4", 1_000, 7);
    fx.run(&["upload", file.to_str().unwrap()]).ok();
    assert_eq!(entry_states(&fx), ["done"]);
}

#[test]
fn queue_remove_drops_entries_given_up_on() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (a, _) = random_file(local.path(), "a.mp4", 1_000, 8);
    write_queue(
        &fx,
        vec![left_entry(
            &fx,
            5,
            &a,
            0,
            json!({"state": "failed", "reason": "refused", "finished_at": now()}),
        )],
    );
    let table = fx.run(&["queue"]);
    table.says("failed");
    table.complains("upload --resume");
    let out = fx.run(&["queue", "--remove", "5", "6"]);
    // An ID the queue does not hold is a usage error.
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "removed upload 5 from the queue\n");
    out.complains("upload 6 is not in the queue");
    assert_eq!(fx.json(&["queue"]), json!([]));
}

#[test]
fn a_queue_that_cannot_be_written_keeps_uploads_in_memory_and_says_so() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (file, _) = random_file(local.path(), "plain.mp4", 1_000, 9);
    let blocker = local.path().join("not a directory");
    std::fs::write(&blocker, b"").unwrap();
    let out: Run = mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
        .env("MP4U_STATE_DIR", blocker.join("state"))
        .args(["upload", file.to_str().unwrap()])
        .output()
        .expect("run mp4u")
        .into();
    out.ok();
    assert!(
        out.stderr
            .contains("kept in memory only and will not survive a crash"),
        "{}",
        out.stderr
    );
    assert_eq!(fx.sb.calls_of("upload"), 1);
}
