//! `mp4u watch` and `--exec`: each file sent once and never while it grows; temporary names
//! left alone; a new subdirectory becomes a folder; SIGTERM stops it with exit 0 and a restart
//! picks up a file added meanwhile. A hook gets the file in its environment and on its stdin,
//! a failing or hanging one is said and holds nothing up, and no upload runs its hook twice.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::Fixture;
use crate::common::*;
use crate::queue::{left_entry, read_queue, write_queue};
use serde_json::{Value, json};

/// A running `mp4u watch`, its log read as it comes.
struct Watching {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Watching {
    fn start(fx: &Fixture, args: &[&str]) -> Watching {
        let mut child = mp4u_command(&fx.config(), Some(&fx.sb.base_url()), Some(fx.sb.key()))
            .arg("watch")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mp4u watch");
        let log = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        Watching { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log holds `text`.
    fn wait_for(&self, text: &str) {
        wait_until(
            &format!("{text:?} in the log"),
            Duration::from_secs(30),
            || self.log().contains(text),
        );
    }

    /// SIGTERM, as systemd stops it: the exit status and the whole log.
    fn stop(mut self) -> (i32, String) {
        let pid = self.child.id() as i32;
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let status = self.child.wait().expect("wait");
        std::thread::sleep(Duration::from_millis(100));
        (status.code().unwrap_or(-1), self.log())
    }
}

fn write_slowly(path: &Path, chunks: usize, every: Duration) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for i in 0..chunks {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        std::io::Write::write_all(&mut file, &vec![i as u8 + 1; 40_000]).unwrap();
        drop(file);
        std::thread::sleep(every);
    }
}

/// An empty account, a temporary directory, and `in/` in it: the directory watched.
fn empty_account_and_dir() -> (Fixture, tempfile::TempDir, std::path::PathBuf) {
    let local = tempfile::tempdir().unwrap();
    let dir = local.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    (Fixture::empty(), local, dir)
}

/// A file last changed an hour ago: ready as soon as watch has seen it.
fn long_unchanged(dir: &Path, name: &str, len: usize, seed: u64) {
    let (path, _) = random_file(dir, name, len, seed);
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn watch_sends_each_file_once_never_while_it_grows_and_picks_up_what_came_while_down() {
    let (fx, local, dir) = empty_account_and_dir();
    // Here before watch started, and long unchanged: sent at once.
    long_unchanged(&dir, "old.mp4", 20_000, 1);
    let hooks = local.path().join("hooks.txt");
    let exec = format!(
        "printf '%s|%s|%s|%s|%s|%s\\n' \"$MP4U_NAME\" \"$MP4U_CODE\" \"$MP4U_FOLDER\" \
         \"$MP4U_FOLDER_ID\" \"$MP4U_SIZE\" \"$MP4U_EMBED\" >> '{0}'; cat >> '{0}.json'",
        hooks.display()
    );
    let args = [
        dir.to_str().unwrap(),
        "--folder",
        "/Show",
        "--settle",
        "2",
        "--exec",
        &exec,
    ];
    // A folder the account does not have is said at once, not a minute at a time.
    let out = fx.run(&["watch", dir.to_str().unwrap(), "--folder", "999"]);
    assert_eq!(out.code, 1, "{out:?}");
    out.complains("folder 999: mp4upload found no such item");

    let watching = Watching::start(&fx, &args);
    watching.wait_for("uploaded  old.mp4");

    // A download under a temporary name, renamed when complete; a file written slowly into a
    // new subdirectory, over four seconds (twice the settle time).
    let part = dir.join("new.mp4.part");
    random_file(&dir, "new.mp4.part", 30_000, 2);
    let writer = {
        let slow = dir.join("Season 2/slow.mp4");
        std::thread::spawn(move || write_slowly(&slow, 5, Duration::from_millis(900)))
    };
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        fx.sb.state().find_by_name("new.mp4.part").is_empty(),
        "a .part is never sent"
    );
    std::fs::rename(&part, dir.join("new.mp4")).unwrap();
    writer.join().unwrap();
    watching.wait_for("uploaded  new.mp4");
    watching.wait_for("uploaded  Season 2/slow.mp4");
    let (code, log) = watching.stop();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("  stopped"), "{log}");
    let slow = fx.sb.state().find_by_name("slow.mp4");
    assert_eq!(slow.len(), 1, "{log}");
    assert_eq!(
        slow[0].size, 200_000,
        "sent whole, once it stopped growing: {log}"
    );
    assert!(log.contains("  created   folder /Show/Season 2"), "{log}");

    // Stopped; a file arrives; started again (its log as JSON lines this time): that file is
    // sent, the rest are there.
    random_file(&dir, "while down.mp4", 25_000, 3);
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let watching = Watching::start(&fx, &json_args);
    watching.wait_for("\"file\":\"while down.mp4\"");
    let (code, log) = watching.stop();
    assert_eq!(code, 0, "{log}");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let of = |event: &str| lines.iter().filter(|l| l["event"] == event).count();
    assert_eq!(of("skipped"), 3, "{log}");
    assert_eq!(of("uploaded"), 1, "{log}");
    assert!(
        lines
            .iter()
            .all(|l| l["time"].as_str().is_some_and(|t| t.ends_with('Z')))
    );
    assert_eq!(lines.last().unwrap()["event"], "stopped");

    assert_eq!(fx.sb.calls_of("upload"), 4, "each file once");
    for name in ["old.mp4", "new.mp4", "slow.mp4", "while down.mp4"] {
        assert_eq!(fx.sb.state().find_by_name(name).len(), 1, "{name}");
    }
    // One hook run an upload, with the file in its environment and on its stdin.
    let said = std::fs::read_to_string(&hooks).unwrap();
    assert_eq!(said.lines().count(), 4, "{said}");
    let slow_line = said
        .lines()
        .find(|l| l.starts_with("slow.mp4|"))
        .expect("the slow file's hook");
    let fields: Vec<&str> = slow_line.split('|').collect();
    assert_eq!(fields[1], slow[0].code);
    assert_eq!(fields[2], "/Show/Season 2");
    assert_eq!(fields[3], slow[0].fld_id.to_string());
    assert_eq!(fields[4], "200000");
    assert_eq!(
        fields[5],
        format!("{}/embed-{}.html", fx.sb.base_url(), slow[0].code)
    );
    let objects: Vec<Value> = std::fs::read_to_string(format!("{}.json", hooks.display()))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(objects.len(), 4);
    let object = objects.iter().find(|o| o["name"] == "slow.mp4").unwrap();
    assert_eq!(object["code"], slow[0].code.as_str());
    assert_eq!(object["folder"], "/Show/Season 2");
    assert_eq!(object["size"], 200_000);
}

#[test]
fn a_failing_or_hanging_hook_is_said_and_holds_no_upload_up() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let paths: Vec<String> = ["a.mp4", "b.mp4", "c.mp4"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (path, _) = random_file(local.path(), name, 10_000, i as u64);
            path.display().to_string()
        })
        .collect();
    let ran = local.path().join("ran.txt");
    let exec = format!(
        "echo \"$MP4U_NAME\" >> '{}'; case \"$MP4U_NAME\" in a.mp4) echo 'no route to the site' >&2; \
         exit 3;; b.mp4) sleep 30;; esac",
        ran.display()
    );
    let started = Instant::now();
    let mut args = vec![
        "upload",
        "--parallel",
        "1",
        "--exec",
        &exec,
        "--exec-timeout",
        "2",
    ];
    args.extend(paths.iter().map(String::as_str));
    let out = fx.run(&args);
    assert_eq!(out.code, 0, "a hook does not make an upload fail: {out:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the hanging hook was stopped"
    );
    for said in [
        "mp4u: a.mp4: the --exec command failed: exit status 3: no route to the site (the upload is done)",
        "mp4u: b.mp4: the --exec command failed: did not end within 2 s; stopped",
    ] {
        assert!(out.stderr.contains(said), "{said:?} in {}", out.stderr);
    }
    for name in ["a.mp4", "b.mp4", "c.mp4"] {
        assert_eq!(fx.sb.state().find_by_name(name).len(), 1, "{name}");
    }
    // The queue keeps how each ended.
    let queue = read_queue(&fx);
    let ended: Vec<(String, String)> = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["hook"]["ended"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(ended.contains(&("c.mp4".into(), "ok".into())), "{ended:?}");
    assert!(
        ended
            .iter()
            .any(|(n, e)| n == "a.mp4" && e.starts_with("exit status 3"))
    );
    // The same command again: the files are there, skipped; no hook runs again.
    let out = fx.run(&args);
    out.ok();
    assert_eq!(std::fs::read_to_string(&ran).unwrap().lines().count(), 3);
}

#[test]
fn a_hook_owed_by_a_run_that_died_runs_once_at_the_next() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (path, _) = random_file(local.path(), "ep 1.mp4", 10_000, 1);
    let code = fx
        .sb
        .state()
        .add_files([mp4u::sandbox::FileRecord::new("ep 1.mp4", 10_000, 0)]);
    let ran = local.path().join("ran.txt");
    let command = format!("echo \"$MP4U_CODE\" >> '{}'", ran.display());
    // Uploaded and done, then the process died before its hook began.
    let done = json!({"state": "done", "file_code": code[0], "url": "x", "finished_at": mp4u::api::unix_now(),
                      "hook": {"command": command}});
    write_queue(&fx, vec![left_entry(&fx, 1, &path, 0, done)]);
    for _ in 0..2 {
        let out = fx.run(&["upload", "--resume"]);
        out.ok();
    }
    let said = std::fs::read_to_string(&ran).unwrap();
    assert_eq!(said, format!("{}\n", code[0]), "once");
    assert_eq!(read_queue(&fx)["entries"][0]["hook"]["ended"], "ok");
}

#[test]
fn a_slow_hook_holds_up_no_later_upload() {
    let (fx, local, dir) = empty_account_and_dir();
    long_unchanged(&dir, "a.mp4", 5_000, 1);
    let ended = local.path().join("ended.txt");
    let exec = format!("sleep 8; echo \"$MP4U_NAME\" >> '{}'", ended.display());
    let args = [
        dir.to_str().unwrap(),
        "--folder",
        "/",
        "--settle",
        "1",
        "--exec",
        &exec,
    ];
    let watching = Watching::start(&fx, &args);
    watching.wait_for("uploaded  a.mp4");
    // A's hook sleeps on; b arrives and is sent meanwhile.
    long_unchanged(&dir, "b.mp4", 5_000, 2);
    watching.wait_for("uploaded  b.mp4");
    let ended_then = std::fs::read_to_string(&ended).unwrap_or_default();
    assert!(ended_then.is_empty(), "b waited for a's hook: {ended_then}");
    let (code, log) = watching.stop();
    assert_eq!(code, 0, "{log}");
    // Stopping waits for the hooks on their way: both ran, once each.
    let ended = std::fs::read_to_string(&ended).unwrap();
    assert_eq!(ended.lines().count(), 2, "{ended}");
}
