//! What the CLI answers when the answer is not simply yes: files that do not exist, values that
//! make no sense, listings under a page cap, folders the listing does not name, uploads the
//! server will not take or will not move, lockouts, `--demo` with every subcommand, and
//! `mp4u doctor`.

use mp4u::sandbox::{FileRecord, LOCKOUT_MESSAGE, Quirks, SandboxConfig};

use super::cli::{DEMO_CODE, Fixture, MISSING_CODE};
use crate::common::*;

fn quirky(quirks: Quirks) -> Fixture {
    Fixture::with(SandboxConfig {
        quirks,
        ..SandboxConfig::default()
    })
}

/// How many times `needle` appears in the run's stdout and stderr together.
fn mentions(run: &Run, needle: &str) -> usize {
    run.stdout.matches(needle).count() + run.stderr.matches(needle).count()
}

#[test]
fn a_missing_file_exits_1_and_is_named_once() {
    let fx = Fixture::demo();
    let info = fx.run(&["info", DEMO_CODE, MISSING_CODE]);
    assert_eq!(info.code, 1, "{info:?}");
    assert!(
        info.stdout.contains(DEMO_CODE),
        "the file that exists is shown"
    );
    assert_eq!(mentions(&info, MISSING_CODE), 1, "{info:?}");
    assert!(info.stderr.contains("no such file"), "{info:?}");

    let rename = fx.run(&["rename", DEMO_CODE, MISSING_CODE, "--name", "x.mp4"]);
    assert_eq!(rename.code, 1, "{rename:?}");
    assert_eq!(mentions(&rename, MISSING_CODE), 1, "{rename:?}");
    assert_eq!(fx.sb.state().file(DEMO_CODE).expect("there").name, "x.mp4");

    let mv = fx.run(&["mv", DEMO_CODE, MISSING_CODE, "--folder", "0"]);
    assert_eq!(mv.code, 1, "{mv:?}");
    assert_eq!(mentions(&mv, MISSING_CODE), 1, "{mv:?}");
    assert_eq!(
        fx.sb.state().file(DEMO_CODE).expect("there").fld_id,
        0,
        "the rest moved"
    );

    let clone = fx.run(&["clone", MISSING_CODE]);
    assert_eq!(clone.code, 1, "{clone:?}");
    assert_eq!(mentions(&clone, MISSING_CODE), 1, "{clone:?}");
}

#[test]
fn a_folder_id_the_account_has_not_is_named_in_the_error() {
    let fx = Fixture::demo();
    let local = tempfile::tempdir().expect("tempdir");
    std::fs::write(local.path().join("a.mp4"), b"video").expect("write");
    let dir = local.path().to_str().unwrap();
    let file = local.path().join("a.mp4");
    for args in [
        vec!["sync", dir, "--folder", "999"],
        vec!["ls", "999"],
        vec!["upload", "--folder", "999", file.to_str().unwrap()],
    ] {
        let run = fx.run(&args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        run.complains("folder 999");
    }
    assert_eq!(fx.sb.calls_of("upload"), 0, "nothing sent");
}

#[test]
fn a_config_flag_naming_no_file_exits_3_saying_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("wrok.toml");
    for args in [&["ls"][..], &["keys"], &["upload", "--resume"]] {
        let out: Run = std::process::Command::new(env!("CARGO_BIN_EXE_mp4u"))
            .arg("--config")
            .arg(&missing)
            .args(args)
            .env("MP4UPLOAD_API_KEY", "mp4udemo7x2k9qwmz")
            .env("MP4UPLOAD_API_URL", "http://127.0.0.1:9")
            .env("MP4U_STATE_DIR", dir.path().join("state"))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("mp4u")
            .into();
        assert_eq!(out.code, 3, "{args:?}: {out:?}");
        assert_eq!(out.stderr_lines().len(), 1, "one line: {}", out.stderr);
        out.complains("wrok.toml: no such file (create it, or leave out --config");
    }
    // The doctor runs and says so.
    let doctor: Run = std::process::Command::new(env!("CARGO_BIN_EXE_mp4u"))
        .arg("--config")
        .arg(&missing)
        .arg("doctor")
        .env("MP4U_STATE_DIR", dir.path().join("state"))
        .env_remove("MP4UPLOAD_API_KEY")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("mp4u")
        .into();
    doctor.says("no such file: --config names it");
}

#[test]
fn values_that_make_no_sense_exit_2_with_the_reason() {
    let fx = Fixture::demo();
    for (args, reason) in [
        (&["files", "--created", "yesterday"][..], "yesterday"),
        (&["files", "--per-page", "0"][..], "per-page"),
        (&["files", "--page", "0"][..], "page"),
        (&["find", "frieren", "--limit", "0"][..], "limit"),
        (
            &["clone", &format!("{DEMO_CODE},{MISSING_CODE}")][..],
            "one file",
        ),
        (&["stats", "--last", "0"][..], "last"),
        (&["rename", DEMO_CODE, "--name", "   "][..], "empty"),
        (&["mkdir", "a\u{202E}b"][..], "bidirectional"),
    ] {
        let run = fx.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(reason), "{args:?}: {}", run.stderr);
    }
    // A date alone, or minutes, are fine.
    fx.run(&["files", "--created", "2020-01-01"]).ok();
    fx.run(&["files", "--created", "90"]).ok();
}

#[test]
fn names_are_trimmed_as_the_file_manager_trims_them() {
    let fx = Fixture::demo();
    fx.run(&["rename", DEMO_CODE, "--name", "  spaced.mp4  "])
        .ok();
    assert_eq!(
        fx.sb.state().file(DEMO_CODE).expect("there").name,
        "spaced.mp4"
    );
    let v = fx.json(&["mkdir", "  Season 2 "]);
    assert_eq!(v["name"], "Season 2");
}

#[test]
fn files_all_pages_through_a_cap_of_25() {
    let fx = quirky(Quirks {
        page_cap: Some(25),
        ..Quirks::default()
    });
    let big = fx.sb.state().create_folder(0, "Big").expect("folder");
    fx.sb.state().generate_files(big, 137, "ep");
    let v = fx.json(&["files", "--folder", &big.to_string(), "--all"]);
    assert_eq!(v["files"].as_array().expect("files").len(), 137);
    assert_eq!(v["complete"], true);
    let text = fx.run(&["files", "--folder", &big.to_string(), "--all"]);
    text.ok();
    text.says("137 files");
    // One page, as asked, is the server's page, and says that more may follow.
    let one = fx.json(&["files", "--folder", &big.to_string()]);
    assert_eq!(one["files"].as_array().expect("files").len(), 20);
    let capped = fx.run(&["files", "--folder", &big.to_string(), "--per-page", "100"]);
    capped.ok();
    assert!(
        capped
            .stderr
            .contains("page 1 (25 files); more may follow: --page 2, or --all"),
        "{}",
        capped.stderr
    );
    let past = fx.run(&["files", "--folder", &big.to_string(), "--page", "99"]);
    past.ok();
    assert!(!past.stderr.contains("more may follow"), "{}", past.stderr);
}

#[test]
fn find_names_the_folder_when_the_listing_does_not() {
    let fx = quirky(Quirks {
        no_fld_id: true,
        page_cap: Some(25),
        ..Quirks::default()
    });
    let v = fx.json(&["find", "frieren"]);
    let files = v.as_array().expect("array");
    // 28 episodes and the opening and ending (in /Anime/Frieren), past the page cap.
    assert_eq!(files.len(), 30);
    for f in files {
        let name = f["name"].as_str().expect("name");
        let path = if name.contains("S01E") {
            "/Anime/Frieren/Season 1"
        } else {
            "/Anime/Frieren"
        };
        assert_eq!(f["folder_path"], path, "{f}");
    }
    // A file in no folder a listing names is unknown, never the root.
    let lost = fx
        .sb
        .state()
        .add_files([FileRecord::new("frieren orphan.mp4", 5, 999)]);
    let text = fx.run(&["find", "orphan"]);
    text.ok();
    let row = text
        .stdout
        .lines()
        .find(|l| l.contains(&lost[0]))
        .expect("row");
    assert!(row.trim_end().ends_with("unknown"), "{row}");
    let v = fx.json(&["find", "orphan"]);
    assert_eq!(v[0]["folder_path"], serde_json::Value::Null);
}

#[test]
fn an_upload_left_in_the_root_exits_1_naming_the_code_and_its_folder() {
    let fx = quirky(Quirks {
        fail_set_folder: true,
        ..Quirks::default()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "holiday.mp4", 20_000, 9);
    let run = fx.run(&["upload", path.to_str().expect("utf-8"), "--folder", "16"]);
    assert_eq!(run.code, 1, "{run:?}");
    let code = fx
        .sb
        .state()
        .find_by_name("holiday.mp4")
        .first()
        .expect("uploaded")
        .code
        .clone();
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains(&code))
        .unwrap_or_else(|| panic!("no line names {code}: {}", run.stderr));
    assert!(
        line.contains("is in /") && line.contains("folder 16"),
        "{line}"
    );
    assert!(!run.stdout.contains("/Movies") && !run.stderr.contains("done"));
}

#[test]
fn a_lockout_shows_the_services_sentence_and_exits_1() {
    let fx = quirky(Quirks {
        lockout: Some(LOCKOUT_MESSAGE.into()),
        ..Quirks::default()
    });
    let run = fx.run(&["account"]);
    assert_eq!(run.code, 1);
    run.complains(LOCKOUT_MESSAGE);
    assert_eq!(fx.sb.api_calls(), 1, "not retried");
}

#[test]
fn demo_works_with_every_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let demo = |args: &[&str]| run_demo(&config, args);
    demo(&["account"]).ok();
    demo(&["stats", "--last", "3"]).ok();
    demo(&["ls", "11"]).ok();
    demo(&["files", "--all"]).ok();
    demo(&["info", DEMO_CODE]).ok();
    demo(&["find", "frieren"]).ok();
    demo(&["deleted"]).ok();
    demo(&["check", DEMO_CODE]).ok();
    demo(&["mkdir", "Scratch"]).ok();
    let clone = demo(&["clone", DEMO_CODE, "--json"]);
    clone.ok();
    clone.says("file_code");
    assert!(!config.exists(), "the demo never writes the user's config");
    // The demo account is kept between runs, in the state directory: the folder made by one
    // run is there in the next, and the clone too.
    assert!(state_dir(&config).join("demo-account.json").exists());
    let root = demo(&["ls"]);
    root.ok();
    root.says("Scratch");
    let code = clone
        .stdout
        .split('"')
        .skip_while(|s| *s != "file_code")
        .nth(2)
        .expect("the clone's code")
        .to_string();
    demo(&["info", &code]).ok();
}

#[test]
fn doctor_reports_shapes_and_never_a_value_or_the_key() {
    let fx = quirky(Quirks {
        page_cap: Some(25),
        no_fld_id: true,
        ..Quirks::default()
    });
    let run = fx.run(&["doctor"]);
    // The sandbox is plain http on loopback: nothing leaves the machine, and it says so.
    assert_eq!(run.code, 0, "{run:?}");
    run.says("pages capped at 25");
    run.says("result[].filecode: string");
    run.says("plain http over loopback");
    // What a bug report needs besides the checks.
    for field in [
        "mp4u ",
        "system ",
        "terminal ",
        "config ",
        "key from       MP4UPLOAD_API_KEY",
        "settings       parallel_uploads=2",
        "upload queue ",
        "log ",
    ] {
        assert!(run.stdout.contains(field), "{field:?} in {}", run.stdout);
    }
    assert!(!leaks(&run.stdout, fx.sb.key()) && !leaks(&run.stderr, fx.sb.key()));
    for value in ["demo@mp4u.example", DEMO_CODE, "Frieren", "37.41250"] {
        assert!(!run.stdout.contains(value), "{value} in the report");
    }
    let v: serde_json::Value =
        serde_json::from_str(&fx.run(&["doctor", "--json"]).stdout).expect("json");
    assert!(v["checks"].as_array().is_some_and(|c| c.len() >= 8), "{v}");
    assert!(v["shapes"]["folder/list"].is_object(), "{v}");
}

#[test]
fn doctor_runs_without_a_key_and_with_a_broken_config_and_shows_no_password() {
    let fx = Fixture::demo();
    // No key: the setup is reported, the service is not checked, and it says why.
    let run = run_mp4u(&fx.config(), Some(&fx.sb.base_url()), None, &["doctor"]);
    assert_eq!(run.code, 1, "{run:?}");
    run.says("key from       none");
    run.says("not checked: no API key");
    // A config that cannot be used: said, with where and why.
    std::fs::write(fx.config(), "parallel_uploads = \"two\"\n").expect("config");
    let run = fx.run(&["doctor"]);
    assert_eq!(run.code, 1, "{run:?}");
    run.says("(parallel_uploads): invalid type");
    // A password in the address is never shown.
    std::fs::write(fx.config(), "").expect("config");
    let base = fx
        .sb
        .base_url()
        .replacen("http://", "http://bob:s3cretpw@", 1);
    let run = run_mp4u(&fx.config(), Some(&base), Some(fx.sb.key()), &["doctor"]);
    assert!(
        !run.stdout.contains("s3cretpw") && !run.stderr.contains("s3cretpw"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("bob@"), "{}", run.stdout);
}

#[test]
fn the_demos_doctor_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = run_mp4u(
        &dir.path().join("config.toml"),
        None,
        None,
        &["--demo", "doctor"],
    );
    run.ok();
    run.says("the demo reads none");
}

#[cfg(unix)]
#[test]
fn a_config_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::demo();
    std::fs::write(fx.config(), "sort = \"name\"\n").expect("config");
    std::fs::set_permissions(fx.config(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let run = fx.run(&["account"]);
    run.ok();
    run.complains("can be read by other users");
}
