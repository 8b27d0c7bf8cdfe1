//! The CLI's bulk work: `links` in every format, `rename --template`, and folders given by path
//! in every command that takes a folder.

use mp4u::sandbox::{FileRecord, Quirks, SandboxConfig};
use serde_json::Value;

use super::cli::{DEMO_CODE, Fixture, MISSING_CODE};
use crate::common::*;

/// The second and third episodes of /Anime/Frieren/Season 1 (folder 16).
const EP2: &str = "tt0zn3x0pdqx";
const EP3: &str = "j1dybv7zxg02";
const EP1_NAME: &str = "Frieren - S01E01 [1080p].mp4";
const EP2_NAME: &str = "Frieren - S01E02 [1080p].mp4";

/// How many times `needle` appears in stdout and stderr together.
fn mentions(run: &Run, needle: &str) -> usize {
    run.stdout.matches(needle).count() + run.stderr.matches(needle).count()
}

fn lines(run: &Run) -> Vec<&str> {
    run.stdout.lines().collect()
}

fn name_of(fx: &Fixture, code: &str) -> String {
    fx.sb.state().file(code).expect("the file is there").name
}

// ---- links ----

#[test]
fn links_in_every_line_format() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    let links = |format: &str| {
        let run = fx.run(&["links", DEMO_CODE, EP2, "--format", format]);
        run.ok();
        run.stdout
    };
    assert_eq!(
        links("plain"),
        format!("{base}/{DEMO_CODE}\n{base}/{EP2}\n")
    );
    assert_eq!(
        fx.run(&["links", DEMO_CODE, EP2]).stdout,
        links("plain"),
        "plain by default"
    );
    assert_eq!(
        links("embed"),
        format!("{base}/embed-{DEMO_CODE}.html\n{base}/embed-{EP2}.html\n")
    );
    assert_eq!(
        links("bbcode"),
        format!("[url={base}/{DEMO_CODE}]{EP1_NAME}[/url]\n[url={base}/{EP2}]{EP2_NAME}[/url]\n")
    );
    assert_eq!(
        links("html"),
        format!(
            "<a href=\"{base}/{DEMO_CODE}\">{EP1_NAME}</a>\n<a href=\"{base}/{EP2}\">{EP2_NAME}</a>\n"
        )
    );
    assert_eq!(
        links("markdown"),
        format!(
            "[Frieren - S01E01 \\[1080p\\].mp4]({base}/{DEMO_CODE})\n\
             [Frieren - S01E02 \\[1080p\\].mp4]({base}/{EP2})\n"
        )
    );
    // Codes keep the order given; links are read as codes too.
    let reversed = fx.run(&[
        "links",
        &format!("https://www.mp4upload.com/embed-{EP2}.html"),
        DEMO_CODE,
    ]);
    assert_eq!(
        reversed.stdout,
        format!("{base}/{EP2}\n{base}/{DEMO_CODE}\n")
    );
}

#[test]
fn links_as_csv_and_json() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    let record = fx.sb.state().file(DEMO_CODE).expect("demo file");

    let run = fx.run(&["links", DEMO_CODE, EP2, "--format", "csv"]);
    run.ok();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "name", "code", "link", "embed", "size", "uploaded", "folder"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][6], "", "given codes, the folder is not known");
    assert_eq!(&rows[0][0], EP1_NAME);
    assert_eq!(&rows[0][1], DEMO_CODE);
    assert_eq!(rows[0][2], format!("{base}/{DEMO_CODE}"));
    assert_eq!(rows[0][3], format!("{base}/embed-{DEMO_CODE}.html"));
    assert_eq!(rows[0][4], record.size.to_string());
    assert_eq!(rows[0][5], record.uploaded);
    assert_eq!(&rows[1][1], EP2);

    let json = fx
        .run(&["links", DEMO_CODE, EP2, "--format", "json"])
        .json();
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["name"], EP1_NAME);
    assert_eq!(items[0]["code"], DEMO_CODE);
    assert_eq!(items[0]["link"], format!("{base}/{DEMO_CODE}"));
    assert_eq!(items[0]["embed"], format!("{base}/embed-{DEMO_CODE}.html"));
    assert_eq!(items[0]["size"], record.size);
    assert_eq!(items[0]["uploaded"], record.uploaded.as_str());
    // --json is the same.
    assert_eq!(fx.json(&["links", DEMO_CODE, EP2]), json);
}

#[test]
fn links_escape_names_as_each_format_needs() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    let name = r#"Tom & Jerry "<b>best</b>", part [1].mp4"#;
    let code = fx.sb.state().add_files([FileRecord::new(name, 1000, 0)])[0].clone();
    let line = |format: &str| {
        let run = fx.run(&["links", &code, "--format", format]);
        run.ok();
        run.stdout
    };
    assert_eq!(
        line("html"),
        format!(
            "<a href=\"{base}/{code}\">Tom &amp; Jerry &quot;&lt;b&gt;best&lt;/b&gt;&quot;, part [1].mp4</a>\n"
        )
    );
    assert_eq!(
        line("markdown"),
        format!("[Tom \\& Jerry \"\\<b\\>best\\</b\\>\", part \\[1\\].mp4]({base}/{code})\n")
    );
    assert_eq!(line("bbcode"), format!("[url={base}/{code}]{name}[/url]\n"));
    let csv_text = line("csv");
    assert!(
        csv_text.contains(r#""Tom & Jerry ""<b>best</b>"", part [1].mp4""#),
        "{csv_text}"
    );
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let row = reader.records().next().expect("a row").expect("parses");
    assert_eq!(&row[0], name);
    let json: Value = serde_json::from_str(&line("json")).expect("json");
    assert_eq!(json[0]["name"], name);
}

#[test]
fn links_of_a_folder_by_path_in_name_order() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    let mut season = fx.sb.state().files_in(16);
    season.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(season.len(), 28);

    let run = fx.run(&[
        "links",
        "--folder",
        "/Anime/Frieren/Season 1",
        "--format",
        "bbcode",
    ]);
    run.ok();
    let expected: Vec<String> = season
        .iter()
        .map(|f| format!("[url={base}/{}]{}[/url]", f.code, f.name))
        .collect();
    assert_eq!(lines(&run), expected);
    assert!(lines(&run)[0].contains("S01E01") && lines(&run)[27].contains("S01E28"));

    // By id, and in any case, the same.
    let by_id = fx.run(&["links", "--folder", "16", "--format", "bbcode"]);
    assert_eq!(by_id.stdout, run.stdout);
    let any_case = fx.run(&[
        "links",
        "--folder",
        "anime/frieren/season 1/",
        "--format",
        "bbcode",
    ]);
    assert_eq!(any_case.stdout, run.stdout);

    // Only the folder's own files, not its subfolders'.
    let anime = fx.run(&["links", "--folder", "/Anime"]);
    anime.ok();
    assert_eq!(lines(&anime).len(), fx.sb.state().files_in(11).len());

    // Numbers sort by value.
    let dir = fx.sb.state().create_folder(0, "Numbers").expect("folder");
    fx.sb.state().add_files(
        ["ep 10.mp4", "ep 9.mp4", "ep 1.mp4"]
            .into_iter()
            .map(|n| FileRecord::new(n, 10, dir)),
    );
    let json = fx
        .run(&["links", "--folder", "/Numbers", "--format", "json"])
        .json();
    let names: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["ep 1.mp4", "ep 9.mp4", "ep 10.mp4"]);
}

#[test]
fn links_of_an_empty_folder_print_nothing_and_say_so() {
    let fx = Fixture::demo();
    fx.sb.state().create_folder(0, "Empty").expect("folder");
    let run = fx.run(&["links", "--folder", "/Empty"]);
    run.ok();
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("no files"), "{run:?}");
    let csv = fx.run(&["links", "--folder", "/Empty", "--format", "csv"]);
    assert_eq!(csv.stdout, "name,code,link,embed,size,uploaded,folder\n");
}

#[test]
fn links_name_missing_codes_once_and_print_the_rest() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    for format in ["plain", "csv", "json"] {
        let run = fx.run(&["links", DEMO_CODE, MISSING_CODE, EP2, "--format", format]);
        assert_eq!(run.code, 1, "{format}: {run:?}");
        assert_eq!(mentions(&run, MISSING_CODE), 1, "{format}: {run:?}");
        assert_eq!(run.stderr_lines().len(), 1, "{format}: {run:?}");
        assert!(run.stderr.contains("no such file"), "{run:?}");
        assert!(run.stdout.contains(&format!("{base}/{EP2}")), "{run:?}");
    }
}

#[test]
fn links_refuse_codes_with_a_folder_and_other_nonsense() {
    let fx = Fixture::demo();
    for args in [
        &["links", DEMO_CODE, "--folder", "16"][..],
        &["links"][..],
        &["links", DEMO_CODE, "--format", "rtf"][..],
        &["links", DEMO_CODE, "--format", "csv", "--json"][..],
        &["links", DEMO_CODE, "--format", "plain", "--json"][..],
        &["links", "not a code"][..],
        &["links", "--folder", ""][..],
    ] {
        let run = fx.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
    assert_eq!(fx.sb.calls_of("file/info"), 0);
}

#[test]
fn links_of_a_listing_that_could_not_complete_print_what_came_and_exit_1() {
    // A server that sends the same 25 files whatever the page.
    let items: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"filecode":"code{i:08}","name":"f{i}.mp4","size":"1"}}"#))
        .collect();
    let rt = runtime();
    let server = rt.block_on(canned(Canned::json(format!(
        r#"{{"msg":"OK","status":200,"result":[{}]}}"#,
        items.join(",")
    ))));
    let dir = tempfile::tempdir().expect("tempdir");
    let run = run_mp4u(
        &dir.path().join("config.toml"),
        Some(&server.url()),
        Some("mp4udemo7x2k9qwmz"),
        &["links", "--folder", "7"],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(lines(&run).len(), 25, "{run:?}");
    assert!(run.stderr.contains("incomplete"), "{run:?}");
    assert_eq!(run.stderr_lines().len(), 1, "{run:?}");
}

// ---- rename --template ----

#[test]
fn rename_with_a_numbered_template() {
    let fx = Fixture::demo();
    let run = fx.run(&[
        "rename",
        EP3,
        DEMO_CODE,
        EP2,
        "--template",
        "Frieren - S01E{n:02}{ext}",
    ]);
    run.ok();
    assert_eq!(
        lines(&run),
        [
            format!("renamed {EP3}: Frieren - S01E03 [1080p].mp4 → Frieren - S01E01.mp4"),
            format!("renamed {DEMO_CODE}: {EP1_NAME} → Frieren - S01E02.mp4"),
            format!("renamed {EP2}: {EP2_NAME} → Frieren - S01E03.mp4"),
        ]
    );
    assert_eq!(name_of(&fx, EP3), "Frieren - S01E01.mp4");
    assert_eq!(name_of(&fx, DEMO_CODE), "Frieren - S01E02.mp4");
    assert_eq!(name_of(&fx, EP2), "Frieren - S01E03.mp4");
    assert_eq!(fx.sb.calls_of("file/rename"), 3, "one call per file");
}

#[test]
fn rename_with_start_name_and_literal_braces() {
    let fx = Fixture::demo();
    let v = fx.json(&[
        "rename",
        DEMO_CODE,
        EP2,
        "--template",
        "{{{n:03}}} {name}{ext}",
        "--start",
        "9",
    ]);
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["file_code"], DEMO_CODE);
    assert_eq!(items[0]["old_name"], EP1_NAME);
    assert_eq!(items[0]["new_name"], "{009} Frieren - S01E01 [1080p].mp4");
    assert_eq!(items[0]["renamed"], true);
    assert_eq!(name_of(&fx, EP2), "{010} Frieren - S01E02 [1080p].mp4");
}

#[test]
fn a_dry_run_changes_nothing() {
    let fx = Fixture::demo();
    let run = fx.run(&[
        "rename",
        DEMO_CODE,
        EP2,
        "--template",
        "Show - S01E{n:02}{ext}",
        "--dry-run",
    ]);
    run.ok();
    assert_eq!(
        lines(&run),
        [
            format!("{EP1_NAME} → Show - S01E01.mp4"),
            format!("{EP2_NAME} → Show - S01E02.mp4"),
            "dry run: 2 files to rename, nothing was sent".to_string(),
        ]
    );
    assert_eq!(name_of(&fx, DEMO_CODE), EP1_NAME);
    assert_eq!(name_of(&fx, EP2), EP2_NAME);
    assert_eq!(fx.sb.calls_of("file/rename"), 0);
    let v = fx.json(&["rename", DEMO_CODE, "--template", "x{ext}", "--dry-run"]);
    assert_eq!(v[0]["new_name"], "x.mp4");
    assert_eq!(v[0]["renamed"], false);
    assert_eq!(fx.sb.calls_of("file/rename"), 0);
}

#[test]
fn names_without_an_extension_get_none() {
    let fx = Fixture::demo();
    let codes = fx.sb.state().add_files([
        FileRecord::new("Holiday clip", 10, 0),
        FileRecord::new("Sherlock Jr. (1924)", 10, 0),
        FileRecord::new("trip.webm", 10, 0),
    ]);
    let mut args = vec!["rename"];
    args.extend(codes.iter().map(String::as_str));
    args.extend(["--template", "{name} ({n}){ext}"]);
    fx.run(&args).ok();
    assert_eq!(name_of(&fx, &codes[0]), "Holiday clip (1)");
    assert_eq!(name_of(&fx, &codes[1]), "Sherlock Jr. (1924) (2)");
    assert_eq!(name_of(&fx, &codes[2]), "trip (3).webm");
}

#[test]
fn a_service_that_lists_bare_names_gives_an_empty_ext() {
    let fx = Fixture::with(SandboxConfig {
        quirks: Quirks {
            bare_names: true,
            ..Quirks::default()
        },
        ..SandboxConfig::default()
    });
    let run = fx.run(&[
        "rename",
        DEMO_CODE,
        "--template",
        "E{n:02}{ext}",
        "--dry-run",
    ]);
    run.ok();
    assert_eq!(lines(&run)[0], "Frieren - S01E01 [1080p] → E01");
}

#[test]
fn a_bad_template_exits_2_and_renames_nothing() {
    let fx = Fixture::demo();
    let bare = fx
        .sb
        .state()
        .add_files([FileRecord::new("No extension", 10, 0)])[0]
        .clone();
    for (args, says) in [
        (
            vec!["rename", DEMO_CODE, "--template", "{title}{ext}"],
            "unknown placeholder {title}",
        ),
        (vec!["rename", DEMO_CODE, "--template", "{n:2}"], "{n:0W}"),
        (vec!["rename", DEMO_CODE, "--template", "a{n"], "unclosed"),
        (
            vec!["rename", DEMO_CODE, "--template", "x", "--name", "y"],
            "cannot be used",
        ),
        (
            vec!["rename", DEMO_CODE, "--name", "y", "--start", "3"],
            "cannot be used",
        ),
        (vec!["rename", DEMO_CODE], "--name"),
        // A name that cannot be, for one file: named, and nothing is sent for any.
        (
            vec!["rename", DEMO_CODE, bare.as_str(), "--template", "{ext}"],
            bare.as_str(),
        ),
    ] {
        let run = fx.run(&args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert_eq!(fx.sb.calls_of("file/rename"), 0);
    assert_eq!(name_of(&fx, DEMO_CODE), EP1_NAME);
    let long = "x".repeat(250) + "{n:06}";
    let run = fx.run(&["rename", DEMO_CODE, "--template", &long]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("255") && run.stderr.contains(DEMO_CODE),
        "{run:?}"
    );
}

#[test]
fn rename_with_a_template_names_missing_files_once() {
    let fx = Fixture::demo();
    let run = fx.run(&[
        "rename",
        DEMO_CODE,
        MISSING_CODE,
        EP2,
        "--template",
        "E{n:02}{ext}",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(mentions(&run, MISSING_CODE), 1, "{run:?}");
    // The missing file keeps its number: the third file is E03.
    assert_eq!(name_of(&fx, DEMO_CODE), "E01.mp4");
    assert_eq!(name_of(&fx, EP2), "E03.mp4");
    let dry = fx.run(&["rename", MISSING_CODE, "--template", "x", "--dry-run"]);
    assert_eq!(dry.code, 1, "{dry:?}");
    assert_eq!(mentions(&dry, MISSING_CODE), 1, "{dry:?}");
}

// ---- folders by path ----

#[test]
fn ls_and_files_take_a_path() {
    let fx = Fixture::demo();
    let by_path = fx.json(&["ls", "/Anime/Frieren"]);
    assert_eq!(by_path, fx.json(&["ls", "14"]));
    assert_eq!(fx.json(&["ls", "anime/FRIEREN/"]), by_path, "any case");
    assert_eq!(fx.json(&["ls", "/"]), fx.json(&["ls"]), "/ is the root");
    let files = fx.json(&[
        "files",
        "--folder",
        "/Anime/Frieren/Season 1",
        "--per-page",
        "100",
    ]);
    let files = files["files"].as_array().expect("files");
    assert_eq!(files.len(), 28);
    assert!(files.iter().all(|f| f["fld_id"] == 16));
    // A root folder whose name is all digits: by path with its slash.
    let id = fx.sb.state().create_folder(0, "2023").expect("folder");
    let v = fx.json(&["mkdir", "inside", "--parent", "/2023"]);
    assert_eq!(v["parent_id"], id);
}

#[test]
fn a_path_that_leads_nowhere_exits_1_naming_the_missing_part() {
    let fx = Fixture::demo();
    let run = fx.run(&["ls", "/Anime/Season 9/Extras"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        ["mp4u: no folder \"Season 9\" in /Anime"],
        "{run:?}"
    );
    let run = fx.run(&["ls", "/Nothing"]);
    assert!(run.stderr.contains("no folder \"Nothing\" in /"), "{run:?}");
    let mv = fx.run(&["mv", DEMO_CODE, "--folder", "/Movies/1999"]);
    assert_eq!(mv.code, 1, "{mv:?}");
    assert!(mv.stderr.contains("\"1999\" in /Movies"), "{mv:?}");
    assert_eq!(fx.sb.state().file(DEMO_CODE).expect("there").fld_id, 16);
    assert_eq!(fx.sb.calls_of("file/set_folder"), 0);
}

#[test]
fn two_folders_answering_a_path_exit_1_with_their_ids() {
    let fx = Fixture::demo();
    let twin = fx.sb.state().create_folder(11, "frieren").expect("folder");
    // Exact first: each spelling finds its own.
    assert_eq!(fx.json(&["ls", "/Anime/Frieren"]), fx.json(&["ls", "14"]));
    assert_eq!(
        fx.json(&["ls", "/Anime/frieren"]),
        fx.json(&["ls", &twin.to_string()])
    );
    // Any case matches both: ambiguous.
    let run = fx.run(&["ls", "/Anime/FRIEREN"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stderr_lines().len(), 1, "{run:?}");
    assert!(
        run.stderr
            .contains("/Anime holds 2 folders named \"FRIEREN\"")
            && run.stderr.contains(&format!("14, {twin}")),
        "{run:?}"
    );
}

#[test]
fn mv_mkdir_and_rename_folder_take_a_path() {
    let fx = Fixture::demo();
    let run = fx.run(&["mv", DEMO_CODE, EP2, "--folder", "/movies/2023"]);
    run.ok();
    assert_eq!(run.stdout, "moved 2 files to /Movies/2023 (folder 26)\n");
    assert_eq!(fx.sb.state().file(DEMO_CODE).expect("there").fld_id, 26);
    fx.run(&["mv", EP2, "--folder", "/"]).ok();
    assert_eq!(fx.sb.state().file(EP2).expect("there").fld_id, 0);

    let run = fx.run(&["mkdir", "Season 2", "--parent", "/Anime/Frieren"]);
    run.ok();
    let id = fx
        .sb
        .state()
        .subfolders(14)
        .into_iter()
        .find(|f| f.name == "Season 2")
        .expect("created in /Anime/Frieren")
        .fld_id;
    assert_eq!(
        run.stdout,
        format!("created folder Season 2 (id {id}) in /Anime/Frieren (folder 14)\n")
    );

    let run = fx.run(&["rename-folder", "/Anime/Frieren/Season 2", "Season Two"]);
    run.ok();
    assert_eq!(
        run.stdout,
        format!("renamed folder /Anime/Frieren/Season 2 (id {id}) to Season Two\n")
    );
    assert_eq!(fx.sb.state().folder(id).expect("folder").name, "Season Two");
    let v = fx.json(&["rename-folder", "/anime/frieren/season two", "S2"]);
    assert_eq!(v["fld_id"], id);
}

#[test]
fn upload_takes_a_path() {
    let fx = Fixture::demo();
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "glacier.mp4", 50_000, 9);
    let path = path.to_str().expect("utf-8 path");
    let v = fx.json(&["upload", path, "--folder", "/Drone/iceland 2024"]);
    let code = v[0]["file_code"].as_str().expect("code");
    assert_eq!(fx.sb.state().file(code).expect("uploaded").fld_id, 59);

    let before = fx.sb.state().file_count();
    let run = fx.run(&["upload", path, "--folder", "/Drone/Iceland 2025"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no folder \"Iceland 2025\" in /Drone"),
        "{run:?}"
    );
    assert_eq!(fx.sb.state().file_count(), before, "nothing was sent");
}
