//! Duplicates skipped (and allowed) by `upload`, and `mp4u sync` over nested trees: a second run
//! sends and creates nothing, a dry run changes nothing, folders by path.

use std::path::Path;

use crate::cli::Fixture;
use crate::common::*;
use crate::queue::read_queue;
use mp4u::sandbox::{Quirks, SandboxConfig, UploadFaults};
use serde_json::Value;

/// Calls that change the account.
fn changes(fx: &Fixture) -> [u64; 3] {
    [
        fx.sb.calls_of("upload"),
        fx.sb.calls_of("folder/create"),
        fx.sb.calls_of("file/set_folder"),
    ]
}

fn write(path: &Path, len: usize, seed: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    random_file(
        path.parent().unwrap(),
        path.file_name().unwrap().to_str().unwrap(),
        len,
        seed,
    );
}

/// `Show/`: two episodes at the top, `Season 1/` with two, ` Season 2 /Extras/` with one,
/// an empty directory and a hidden file.
fn season_tree(root: &Path) {
    write(&root.join("Pilot.mp4"), 3_000, 1);
    write(&root.join("Trailer.mp4"), 2_000, 2);
    write(&root.join("Season 1/ep 01.mp4"), 4_000, 3);
    write(&root.join("Season 1/ep 02.mp4"), 4_100, 4);
    write(&root.join(" Season 2 /Extras/Making of.mp4"), 5_000, 5);
    std::fs::create_dir_all(root.join("Empty")).unwrap();
    write(&root.join(".DS_Store"), 10, 6);
}

#[test]
fn upload_skips_a_file_already_in_the_folder_unless_allowed() {
    let fx = Fixture::with(SandboxConfig {
        demo_data: false,
        quirks: Quirks {
            bare_names: true,
            page_cap: Some(7),
            ..Quirks::default()
        },
        ..SandboxConfig::default()
    });
    let folder = fx.sb.state().create_folder(0, "Holidays").unwrap();
    // Many files, listed without extension, seven a page: the match is on a later page.
    fx.sb.state().generate_files(folder, 40, "Other");
    let local = tempfile::tempdir().unwrap();
    let (path, bytes) = random_file(local.path(), "holiday.mp4", 9_000, 1);
    let code = fx.sb.state().add_files([{
        let mut r = mp4u::sandbox::FileRecord::new("holiday.mp4", bytes.len() as u64, folder);
        r.uploaded = "2020-01-01 00:00:00".into();
        r
    }])[0]
        .clone();
    let path = path.to_str().unwrap();

    let out = fx.run(&["upload", path, "--folder", "/Holidays"]);
    out.ok();
    assert_eq!(out.stdout, "", "nothing uploaded");
    let link = format!("{}/{code}", fx.sb.base_url());
    assert!(
        out.stderr
            .contains(&format!("already on the account: holiday.mp4 → {link}")),
        "{}",
        out.stderr
    );
    assert_eq!(fx.sb.calls_of("upload"), 0);
    assert!(fx.sb.calls_of("file/list") >= 6, "paged to the end");

    let v = fx.json(&["upload", path, "--folder", "/Holidays"]);
    assert_eq!(v[0]["status"], "skipped");
    assert_eq!(v[0]["reason"], "already on the account");
    assert_eq!(v[0]["file_code"], code.as_str());
    assert_eq!(v[0]["url"], link.as_str());

    let v = fx.json(&[
        "upload",
        path,
        "--folder",
        "/Holidays",
        "--allow-duplicates",
    ]);
    assert_eq!(v[0]["status"], "uploaded");
    assert_ne!(v[0]["file_code"], code.as_str());
    assert_eq!(fx.sb.calls_of("upload"), 1);
    assert_eq!(fx.sb.state().find_by_name("holiday.mp4").len(), 2);
}

#[test]
fn the_same_name_with_another_size_is_uploaded() {
    let fx = Fixture::empty();
    let local = tempfile::tempdir().unwrap();
    let (path, _) = random_file(local.path(), "clip.mp4", 1_000, 2);
    fx.sb
        .state()
        .add_files([mp4u::sandbox::FileRecord::new("clip.mp4", 999, 0)]);
    let v = fx.json(&["upload", path.to_str().unwrap()]);
    assert_eq!(v[0]["status"], "uploaded");
    assert_eq!(fx.sb.calls_of("upload"), 1);
}

#[test]
fn the_same_file_in_another_folder_is_not_already_there() {
    // A server whose file/list ignores fld_id: every folder lists the whole account.
    let fx = Fixture::with(SandboxConfig {
        demo_data: false,
        quirks: Quirks {
            list_ignores_folder: true,
            ..Quirks::default()
        },
        ..SandboxConfig::default()
    });
    let movies = fx.sb.state().create_folder(0, "Movies").unwrap();
    let backup = fx.sb.state().create_folder(0, "Backup").unwrap();
    let local = tempfile::tempdir().unwrap();
    let (path, bytes) = random_file(local.path(), "film.mp4", 7_000, 3);
    fx.sb.state().add_files([mp4u::sandbox::FileRecord::new(
        "film.mp4",
        bytes.len() as u64,
        movies,
    )]);
    let path = path.to_str().unwrap();
    // Into Backup: the copy in Movies does not count.
    let v = fx.json(&["upload", path, "--folder", "/Backup"]);
    assert_eq!(v[0]["status"], "uploaded", "{v}");
    let placed: Vec<u64> = fx
        .sb
        .state()
        .find_by_name("film.mp4")
        .iter()
        .map(|f| f.fld_id)
        .collect();
    assert_eq!(placed.len(), 2);
    assert!(placed.contains(&backup) && placed.contains(&movies));
    // Into Movies: there already, skipped.
    let v = fx.json(&["upload", path, "--folder", "/Movies"]);
    assert_eq!(v[0]["status"], "skipped", "{v}");
    assert_eq!(fx.sb.calls_of("upload"), 1);
}

/// The folders under `fld_id`, as `name/` paths, and the files, as paths with their sizes.
fn tree_of(fx: &Fixture, fld_id: u64, prefix: &str, out: &mut Vec<String>) {
    let state = fx.sb.state();
    let mut files: Vec<String> = state
        .files_in(fld_id)
        .iter()
        .map(|f| format!("{prefix}{} ({})", f.name, f.size))
        .collect();
    files.sort();
    out.extend(files);
    for sub in state.subfolders(fld_id) {
        let path = format!("{prefix}{}/", sub.name);
        out.push(path.clone());
        tree_of(fx, sub.fld_id, &path, out);
    }
}

#[test]
fn sync_twice_sends_nothing_the_second_time() {
    let fx = Fixture::empty();
    let show = fx.sb.state().create_folder(0, "Show").unwrap();
    let season1 = fx.sb.state().create_folder(show, "Season 1").unwrap();
    // Already there: ep 01 (same size), and the trailer under another size.
    fx.sb.state().add_files([
        mp4u::sandbox::FileRecord::new("ep 01.mp4", 4_000, season1),
        mp4u::sandbox::FileRecord::new("Trailer.mp4", 1_999, show),
    ]);
    let local = tempfile::tempdir().unwrap();
    let root = local.path().join("Show");
    season_tree(&root);
    let dir = root.to_str().unwrap();

    let v = fx.json(&["sync", dir, "--folder", "/Show"]);
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["folder"]["fld_id"], show);
    assert_eq!(v["folder"]["path"], "/Show");
    assert_eq!(
        v["counts"],
        serde_json::json!({"uploaded": 4, "skipped": 1, "failed": 0, "created": 2, "hidden": 1})
    );
    let created: Vec<&str> = v["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(created, ["/Show/Season 2", "/Show/Season 2/Extras"]);
    for up in v["uploaded"].as_array().unwrap() {
        let code = up["file_code"].as_str().unwrap();
        assert_eq!(up["url"], format!("{}/{code}", fx.sb.base_url()));
    }
    assert_eq!(v["skipped"][0]["file"], "Season 1/ep 01.mp4");
    let mut tree = Vec::new();
    tree_of(&fx, show, "", &mut tree);
    assert_eq!(
        tree,
        [
            "Pilot.mp4 (3000)",
            "Trailer.mp4 (1999)",
            "Trailer.mp4 (2000)",
            "Season 1/",
            "Season 1/ep 01.mp4 (4000)",
            "Season 1/ep 02.mp4 (4100)",
            "Season 2/",
            "Season 2/Extras/",
            "Season 2/Extras/Making of.mp4 (5000)",
        ],
        "no folder for the empty directory, names trimmed"
    );
    // Through the queue.
    let entries = read_queue(&fx)["entries"].as_array().unwrap().len();
    assert_eq!(entries, 4);

    // The second run, with names listed without extension as the live service may.
    fx.sb.set_quirks(Quirks {
        bare_names: true,
        ..Quirks::default()
    });
    let before = changes(&fx);
    let out = fx.run(&["sync", dir, "--folder", "/Show"]);
    out.ok();
    assert_eq!(changes(&fx), before, "nothing sent, nothing created");
    assert!(
        out.stdout.ends_with(
            "0 uploaded, 5 skipped, 0 failed; 0 folders created; 1 hidden entry left out\n"
        ),
        "{}",
        out.stdout
    );
    out.says("skipped   ");
}

#[test]
fn sync_dry_run_changes_nothing() {
    let fx = Fixture::empty();
    let show = fx.sb.state().create_folder(0, "Show").unwrap();
    let local = tempfile::tempdir().unwrap();
    season_tree(local.path());
    let before = fx.sb.state().file_count();
    let out = fx.run(&[
        "sync",
        local.path().to_str().unwrap(),
        "--folder",
        &show.to_string(),
        "--dry-run",
    ]);
    out.ok();
    assert_eq!(changes(&fx), [0, 0, 0]);
    assert_eq!(fx.sb.state().file_count(), before);
    assert_eq!(fx.sb.state().subfolders(show).len(), 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    for line in [
        format!("create folder  folder {show}/Season 1"),
        format!("create folder  folder {show}/Season 2/Extras"),
        format!("upload         Season 1/ep 02.mp4 (4.1 kB) → folder {show}/Season 1"),
    ] {
        assert!(lines.contains(&line.as_str()), "{line}: {}", out.stdout);
    }
    assert!(
        out.stdout.ends_with(
            "dry run: 3 folders to create, 5 files to upload (18.1 kB), 0 to skip, 0 left out; \
             1 hidden entry left out; nothing was changed\n"
        ),
        "{}",
        out.stdout
    );
    let v = fx.json(&[
        "sync",
        local.path().to_str().unwrap(),
        "--folder",
        "/Show",
        "--dry-run",
    ]);
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["counts"]["uploaded"], 5);
    assert_eq!(v["created"][0]["fld_id"], Value::Null);
    assert_eq!(changes(&fx), [0, 0, 0]);
    assert!(
        !state_dir(&fx.config()).join("queue/queue.json").exists(),
        "nothing queued"
    );
}

#[test]
fn sync_into_a_path_reports_what_could_not_go() {
    let fx = Fixture::empty();
    let anime = fx.sb.state().create_folder(0, "Anime").unwrap();
    let frieren = fx.sb.state().create_folder(anime, "Frieren").unwrap();
    let local = tempfile::tempdir().unwrap();
    write(&local.path().join("S1/ep 1.mp4"), 1_000, 1);
    write(&local.path().join("S1/empty.mp4"), 0, 2);
    let out = fx.run(&[
        "sync",
        local.path().to_str().unwrap(),
        "--folder",
        "anime/frieren/",
    ]);
    assert_eq!(out.code, 1, "{out:?}");
    out.complains("S1/empty.mp4: is empty");
    out.complains("mp4u: 1 file of 2 failed");
    out.says("created folder /Anime/Frieren/S1");
    let s1 = fx.sb.state().subfolders(frieren);
    assert_eq!(s1.len(), 1);
    assert_eq!(fx.sb.state().files_in(s1[0].fld_id).len(), 1);

    // A folder that is not there is made first, as `rclone copy` makes it (the empty file
    // still fails).
    let out = fx.run(&[
        "sync",
        local.path().to_str().unwrap(),
        "--folder",
        "/Anime/Nope",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("created folder /Anime/Nope (folder "),
        "{}",
        out.stdout
    );
    // A directory that is not there sends nothing.
    let out = fx.run(&["sync", "/no/such/dir", "--folder", "/"]);
    assert_eq!(out.code, 1);
    out.complains("/no/such/dir: no such directory");
    // ep 1 into /Anime/Frieren/S1, then into /Anime/Nope/S1.
    assert_eq!(fx.sb.calls_of("upload"), 2);
}

#[test]
fn sync_makes_a_target_folder_that_is_not_there_as_rclone_copy_does() {
    let fx = Fixture::empty();
    let anime = fx.sb.state().create_folder(0, "Anime").unwrap();
    let local = tempfile::tempdir().unwrap();
    let show = local.path().join("Show");
    season_tree(&show);
    let dir = show.to_str().unwrap();

    // A dry run says what it would make, and makes nothing.
    let out = fx.run(&[
        "sync",
        dir,
        "--folder",
        "/Anime/New Show/Part 1",
        "--dry-run",
    ]);
    out.ok();
    out.says("create folder  /Anime/New Show\n");
    assert!(
        out.stdout
            .contains("create folder  /Anime/New Show/Part 1\n"),
        "{}",
        out.stdout
    );
    assert_eq!(changes(&fx), [0, 0, 0], "a dry run changes nothing");
    let v = fx.json(&[
        "sync",
        dir,
        "--folder",
        "/Anime/New Show/Part 1",
        "--dry-run",
    ]);
    assert_eq!(v["folder"]["fld_id"], Value::Null, "{v}");

    // The run makes the two folders, then the tree below them, and sends every file.
    let out = fx.run(&["sync", dir, "--folder", "/Anime/New Show/Part 1"]);
    out.ok();
    assert!(
        out.stdout
            .contains("created folder /Anime/New Show (folder "),
        "{}",
        out.stdout
    );
    let new_show = fx.sb.state().subfolders(anime);
    assert_eq!(new_show.len(), 1, "{new_show:?}");
    assert_eq!(new_show[0].name, "New Show");
    assert_eq!(fx.sb.calls_of("upload"), 5);
    // Again: all there, nothing made or sent.
    let before = changes(&fx);
    fx.run(&["sync", dir, "--folder", "/Anime/New Show/Part 1"])
        .ok();
    assert_eq!(changes(&fx), before);
}

#[test]
fn an_account_that_refuses_uploads_gets_no_folder_from_sync() {
    const REFUSED: &str = "uploads are not enabled for your account type";
    let fx = Fixture::with(SandboxConfig {
        demo_data: false,
        ..SandboxConfig::with_upload(UploadFaults::refusing(REFUSED))
    });
    let show = fx.sb.state().create_folder(0, "Show").unwrap();
    let local = tempfile::tempdir().unwrap();
    let root = local.path().join("Show");
    season_tree(&root);
    let dir = root.to_str().unwrap();
    let refusals = |out: &Run| out.stderr.lines().filter(|l| l.contains(REFUSED)).count();

    let out = fx.run(&["sync", dir, "--folder", "/Show"]);
    assert_eq!(out.code, 1, "{out:?}");
    // Found with the two files whose folder is there: said once, no folder made.
    assert_eq!(changes(&fx), [2, 0, 0], "{}", out.stderr);
    assert!(fx.sb.state().subfolders(show).is_empty());
    assert_eq!(refusals(&out), 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("0 uploaded, 0 skipped, 5 failed; 0 folders created"),
        "{}",
        out.stdout
    );

    // Into a folder not there yet: it is made for the first file, and nothing below it.
    let before = changes(&fx);
    let out = fx.run(&["sync", dir, "--folder", "/New Show"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(refusals(&out), 1, "{}", out.stderr);
    let made = changes(&fx)[1] - before[1];
    assert_eq!(made, 1, "only the target folder: {}", out.stdout);

    // Once the account takes uploads, the same sync makes the folders and sends every file.
    fx.sb.set_upload_faults(UploadFaults::default());
    let v = fx.json(&["sync", dir, "--folder", "/Show"]);
    assert_eq!(v["counts"]["uploaded"], 5, "{v}");
    assert_eq!(v["counts"]["created"], 3, "{v}");
    for name in [
        "Pilot.mp4",
        "Trailer.mp4",
        "ep 01.mp4",
        "ep 02.mp4",
        "Making of.mp4",
    ] {
        assert_eq!(fx.sb.state().find_by_name(name).len(), 1, "{name} once");
    }
}

#[test]
fn a_dry_run_ends_with_the_status_the_run_would() {
    let fx = Fixture::empty();
    fx.sb.state().create_folder(0, "Shows").unwrap();
    let local = tempfile::tempdir().unwrap();
    let show = local.path().join("Show");
    season_tree(&show);
    // One file over the size limit: the run would fail it, so the dry run says so too.
    std::fs::write(fx.config(), "max_upload_bytes = 4500\n").unwrap();
    let dir = show.to_str().unwrap();
    let dry = fx.run(&["sync", dir, "--folder", "/Shows", "--dry-run"]);
    assert_eq!(dry.code, 1, "{dry:?}");
    let real = fx.run(&["sync", dir, "--folder", "/Shows"]);
    assert_eq!(real.code, 1, "{real:?}");
}
