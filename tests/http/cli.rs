//! The `mp4u` binary against an in-process sandbox: every subcommand, as a table and as JSON,
//! changes visible in the next listing, exit codes, and the standalone `mp4u sandbox`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;
use mp4u::sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

/// A demo file in folder 16 ("Frieren / Season 1").
pub(crate) const DEMO_CODE: &str = "xvbothd0wtfl";
pub(crate) const MISSING_CODE: &str = "zzzzzzzzzzzz";

/// A sandbox on its own runtime (kept alive while the binary runs) and a temp directory
/// holding the (absent) config file.
pub(crate) struct Fixture {
    pub(crate) sb: Sandbox,
    dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

impl Fixture {
    pub(crate) fn demo() -> Fixture {
        Fixture::with(SandboxConfig::default())
    }

    /// A sandbox with an empty account.
    pub(crate) fn empty() -> Fixture {
        Fixture::with(SandboxConfig {
            demo_data: false,
            ..SandboxConfig::default()
        })
    }

    pub(crate) fn with(config: SandboxConfig) -> Fixture {
        let rt = runtime();
        let sb = rt.block_on(Sandbox::start(config)).expect("sandbox starts");
        Fixture {
            sb,
            dir: tempfile::tempdir().expect("tempdir"),
            _rt: rt,
        }
    }

    pub(crate) fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// Runs `mp4u ARGS` against the sandbox with its key.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_mp4u(
            &self.config(),
            Some(&self.sb.base_url()),
            Some(self.sb.key()),
            args,
        )
    }

    /// Runs `mp4u ARGS --json`, expects success, parses stdout.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        self.run(&args).json()
    }

    /// The codes of the files `mp4u ls FOLDER --json` shows.
    fn ls_codes(&self, folder: u64) -> Vec<String> {
        let v = self.json(&["ls", &folder.to_string()]);
        v["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["file_code"].as_str().expect("code").to_string())
            .collect()
    }
}

fn array(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array: {v}"))
}

/// The rows of a table (its lines after the header).
fn rows(text: &str) -> Vec<&str> {
    text.lines().skip(1).collect()
}

#[test]
fn account() {
    let fx = Fixture::demo();
    let v = fx.json(&["account"]);
    assert_eq!(v["email"], "demo@mp4u.example");
    assert_eq!(v["storage_used"], fx.sb.state().storage_used());
    assert!(v["storage_left"].as_u64().is_some_and(|n| n > 0), "{v}");
    assert_eq!(v["balance"], 37.4125);
    let out = fx.run(&["account"]);
    out.ok();
    out.says("demo@mp4u.example");
    for label in [
        "Email",
        "Balance",
        "Storage used",
        "Storage left",
        "Premium until",
    ] {
        assert!(out.stdout.contains(label), "{label}: {}", out.stdout);
    }
    out.says("$37.41");
}

#[test]
fn stats_last_n() {
    let fx = Fixture::demo();
    let v = fx.json(&["stats", "--last", "3"]);
    let days = array(&v);
    assert_eq!(days.len(), 3);
    for d in days {
        for field in ["day", "views", "downloads", "profit_total"] {
            assert!(!d[field].is_null(), "{field} in {d}");
        }
    }
    assert!(days[0]["day"].as_str() < days[2]["day"].as_str());
    assert_eq!(array(&fx.json(&["stats"])).len(), 7, "7 days by default");
    let out = fx.run(&["stats", "--last", "3"]);
    out.ok();
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 4, "3 days and a total: {}", out.stdout);
    assert!(rows[3].starts_with("total"), "{}", out.stdout);
    // The total row adds up the days above it (views are the second column).
    let views = |row: &str| -> u64 {
        row.split_whitespace()
            .nth(1)
            .and_then(|v| v.replace(',', "").parse().ok())
            .unwrap_or_else(|| panic!("views in {row:?}"))
    };
    assert_eq!(
        rows[..3].iter().map(|r| views(r)).sum::<u64>(),
        views(rows[3])
    );
}

#[test]
fn ls_root_and_folder() {
    let fx = Fixture::demo();
    let root = fx.json(&["ls"]);
    let folders: Vec<(u64, &str)> = array(&root["folders"])
        .iter()
        .map(|f| (f["fld_id"].as_u64().unwrap(), f["name"].as_str().unwrap()))
        .collect();
    assert_eq!(folders[0], (11, "Anime"));
    assert_eq!(folders.len(), 6);
    assert_eq!(array(&root["files"]).len(), fx.sb.state().files_in(0).len());
    let codes = fx.ls_codes(16);
    assert_eq!(codes.len(), 28);
    assert!(codes.iter().any(|c| c == DEMO_CODE));

    let out = fx.run(&["ls"]);
    out.ok();
    assert!(out.stdout.lines().next().unwrap().contains("NAME"));
    for name in ["Anime/", "Movies/", "Tutorials/"] {
        assert!(out.stdout.contains(name), "{name}: {}", out.stdout);
    }
    let out = fx.run(&["ls", "11"]);
    out.ok();
    out.says("Frieren/");
    assert!(!out.stdout.contains("Anime/"), "{}", out.stdout);

    let out = fx.run(&["ls", "9999"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{out:?}");
    out.complains("404");
}

/// `files --json` with these flags: the files.
fn files(fx: &Fixture, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["files"];
    all.extend_from_slice(args);
    let v = fx.json(&all);
    array(&v["files"]).clone()
}

#[test]
fn files_filters() {
    let fx = Fixture::demo();
    let everything = files(&fx, &["--per-page", "500"]);
    assert_eq!(everything.len(), 325);
    assert_eq!(files(&fx, &[]).len(), 20, "20 per page by default");

    let folder = files(&fx, &["--folder", "16", "--per-page", "100"]);
    assert_eq!(folder.len(), 28);
    assert!(folder.iter().all(|f| f["fld_id"] == 16));

    let page2 = files(&fx, &["--folder", "16", "--page", "2", "--per-page", "20"]);
    assert_eq!(page2.len(), 8);
    assert_eq!(page2[0]["file_code"], folder[20]["file_code"]);

    let named = files(&fx, &["--name", "frieren", "--per-page", "500"]);
    assert!(!named.is_empty() && named.len() < everything.len());
    assert!(named.iter().all(|f| {
        f["name"]
            .as_str()
            .is_some_and(|n| n.to_lowercase().contains("frieren"))
    }));

    let private = files(&fx, &["--public", "0", "--per-page", "500"]);
    let public = files(&fx, &["--public", "1", "--per-page", "500"]);
    assert!(!private.is_empty());
    assert!(private.iter().all(|f| f["public"] == false));
    assert!(public.iter().all(|f| f["public"] == true));
    assert_eq!(private.len() + public.len(), everything.len());

    // Newest first: asking for files after the 5th newest gives the 4 before it.
    let fifth = everything[4]["uploaded"].as_str().expect("uploaded");
    let newer = files(&fx, &["--created", fifth, "--per-page", "500"]);
    assert_eq!(
        newer.iter().map(|f| &f["file_code"]).collect::<Vec<_>>(),
        everything[..4]
            .iter()
            .map(|f| &f["file_code"])
            .collect::<Vec<_>>()
    );
    // The demo library has exactly one file from the last hour.
    assert_eq!(files(&fx, &["--created", "60"]).len(), 1);

    let out = fx.run(&["files", "--folder", "16", "--per-page", "5"]);
    out.ok();
    assert!(out.stdout.starts_with("CODE"), "{}", out.stdout);
    assert_eq!(rows(&out.stdout).len(), 5);
    let out = fx.run(&["files", "--name", "no such name anywhere"]);
    out.ok();
    assert_eq!(out.stdout, "(no files)\n");
}

#[test]
fn info() {
    let fx = Fixture::demo();
    let want = fx.sb.state().file(DEMO_CODE).expect("demo file");
    let link = format!("https://www.mp4upload.com/{DEMO_CODE}.html");
    let run = fx.run(&["info", &link, MISSING_CODE, "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let v: Value = serde_json::from_str(&run.stdout).expect("json");
    let items = array(&v);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["file_code"], DEMO_CODE);
    assert_eq!(items[0]["status"], 200);
    assert_eq!(items[0]["name"], want.name.as_str());
    assert_eq!(items[0]["size"], want.size);
    assert_eq!(items[1]["file_code"], MISSING_CODE);
    assert_eq!(items[1]["status"], 404);

    let out = fx.run(&["info", DEMO_CODE, MISSING_CODE]);
    assert_eq!(out.code, 1, "a missing file fails the run: {out:?}");
    let rows = rows(&out.stdout);
    assert!(rows[0].contains(DEMO_CODE), "{}", rows[0]);
    assert!(rows[0].contains(&want.name));
    assert_eq!(rows.len(), 1, "the missing file is said once, on stderr");
    assert_eq!(
        out.stderr_lines(),
        [format!("mp4u: no such file: {MISSING_CODE}").as_str()]
    );

    let out = fx.run(&["info", "not a code"]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn rename_then_files_finds_it() {
    let fx = Fixture::demo();
    let v = fx.json(&["rename", DEMO_CODE, "--name", "Renamed by the test.mp4"]);
    assert_eq!(v[0]["file_code"], DEMO_CODE);
    assert_eq!(v[0]["name"], "Renamed by the test.mp4");
    let found = files(&fx, &["--name", "renamed by the test"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["file_code"], DEMO_CODE);

    let out = fx.run(&["rename", DEMO_CODE, "--name", "Second name.mp4"]);
    out.ok();
    assert_eq!(
        out.stdout,
        format!("renamed {DEMO_CODE} to Second name.mp4\n")
    );
    assert_eq!(files(&fx, &["--name", "Second name"]).len(), 1);

    // A missing file: said once (on stderr), and the run fails.
    let out = fx.run(&["rename", MISSING_CODE, "--name", "x.mp4"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("no such file: {MISSING_CODE}"))
    );
    assert!(!out.stdout.contains(MISSING_CODE), "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{out:?}");
    // An empty name is a usage error, and nothing changes.
    let out = fx.run(&["rename", DEMO_CODE, "--name", " "]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        fx.sb.state().file(DEMO_CODE).map(|f| f.name),
        Some("Second name.mp4".into())
    );
}

#[test]
fn clone_adds_a_file_to_the_same_folder() {
    let fx = Fixture::demo();
    let v = fx.json(&["clone", DEMO_CODE]);
    let new = v["file_code"].as_str().expect("file_code").to_string();
    assert_ne!(new, DEMO_CODE);
    assert_eq!(v["url"], format!("{}/{new}", fx.sb.base_url()));
    assert!(fx.ls_codes(16).contains(&new));

    let out = fx.run(&["clone", DEMO_CODE]);
    out.ok();
    let first = out.stdout.lines().next().unwrap_or_default().to_string();
    let prefix = format!("cloned {DEMO_CODE} as ");
    assert!(first.starts_with(&prefix), "{}", out.stdout);
    let second = &first[prefix.len()..];
    assert!(fx.sb.state().file(second).is_some(), "{}", out.stdout);
    assert_eq!(fx.ls_codes(16).len(), 30);

    let out = fx.run(&["clone", MISSING_CODE]);
    assert_eq!(out.code, 1, "{out:?}");
}

#[test]
fn mv_then_ls_of_the_target_shows_the_files() {
    let fx = Fixture::demo();
    let codes: Vec<String> = fx.sb.state().files_in(16)[..2]
        .iter()
        .map(|f| f.code.clone())
        .collect();
    let v = fx.json(&["mv", &codes[0], &codes[1], "--folder", "24"]);
    assert_eq!(v["fld_id"], 24);
    assert_eq!(v["moved"], serde_json::json!(codes));
    let in_target = fx.ls_codes(24);
    assert!(codes.iter().all(|c| in_target.contains(c)), "{in_target:?}");
    assert!(!fx.ls_codes(16).contains(&codes[0]));

    let out = fx.run(&["mv", DEMO_CODE, "--folder", "0"]);
    out.ok();
    assert_eq!(out.stdout, "moved 1 file to folder 0\n");
    assert!(fx.ls_codes(0).contains(&DEMO_CODE.to_string()));

    let out = fx.run(&["mv", DEMO_CODE, "--folder", "9999"]);
    assert_eq!(out.code, 1, "{out:?}");
    let out = fx.run(&["mv", DEMO_CODE]);
    assert_eq!(out.code, 2, "--folder is required: {out:?}");
}

#[test]
fn mkdir_and_rename_folder_show_in_ls() {
    let fx = Fixture::demo();
    let v = fx.json(&["mkdir", "Test folder", "--parent", "24"]);
    assert_eq!(v["name"], "Test folder");
    assert_eq!(v["parent_id"], 24);
    let id = v["fld_id"].as_u64().expect("fld_id");
    let out = fx.run(&["ls", "24"]);
    out.ok();
    out.says("Test folder/");
    assert_eq!(fx.sb.state().folder(id).map(|f| f.parent_id), Some(24));

    let out = fx.run(&["mkdir", "Top level"]);
    out.ok();
    assert!(
        out.stdout.starts_with("created folder Top level (id ")
            && out.stdout.contains("in folder 0"),
        "{}",
        out.stdout
    );
    assert!(fx.run(&["ls"]).stdout.contains("Top level/"));

    let v = fx.json(&["rename-folder", &id.to_string(), "Renamed folder"]);
    assert_eq!(v["fld_id"], id);
    assert_eq!(v["name"], "Renamed folder");
    let listing = fx.json(&["ls", "24"]);
    let names: Vec<&str> = array(&listing["folders"])
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.contains(&"Renamed folder"), "{names:?}");
    assert!(!names.contains(&"Test folder"), "{names:?}");

    let out = fx.run(&["rename-folder", &id.to_string(), "Third"]);
    out.ok();
    assert_eq!(out.stdout, format!("renamed folder {id} to Third\n"));

    assert_eq!(fx.run(&["mkdir", "x", "--parent", "9999"]).code, 1);
    assert_eq!(fx.run(&["rename-folder", "9999", "x"]).code, 1);
    assert_eq!(fx.run(&["mkdir", ""]).code, 2);
}

#[test]
fn deleted_last_n() {
    let fx = Fixture::demo();
    let v = fx.json(&["deleted", "--last", "5"]);
    let items = array(&v);
    assert_eq!(items.len(), 5);
    for d in items {
        assert!(d["file_code"].is_string() && d["name"].is_string() && d["deleted"].is_string());
        assert!(d["deleted_ago_sec"].is_u64());
    }
    assert_eq!(array(&fx.json(&["deleted"])).len(), 20, "20 by default");
    let out = fx.run(&["deleted", "--last", "3"]);
    out.ok();
    assert_eq!(rows(&out.stdout).len(), 3);
    assert!(out.stdout.contains(items[0]["file_code"].as_str().unwrap()));
}

#[test]
fn upload_into_a_folder_and_the_root() {
    let fx = Fixture::empty();
    let folder = fx.sb.state().create_folder(0, "Uploads").expect("folder");
    let (path, bytes) = random_file(fx.dir.path(), "trip.mp4", 700_000, 5);
    let path_text = path.to_str().expect("utf-8 path");

    let v = fx.json(&["upload", path_text, "--folder", &folder.to_string()]);
    let item = &array(&v)[0];
    assert_eq!(item["file"], path_text);
    assert_eq!(item["name"], "trip.mp4");
    assert_eq!(item["size"], bytes.len());
    assert_eq!(item["fld_id"], folder);
    let code = item["file_code"].as_str().expect("code").to_string();
    assert_eq!(item["url"], format!("{}/{code}", fx.sb.base_url()));
    assert_eq!(
        fx.sb.state().file(&code).and_then(|f| f.sha256),
        Some(sha256_hex(&bytes))
    );
    assert_eq!(fx.ls_codes(folder), [code]);

    let out = fx.run(&["upload", path_text]);
    out.ok();
    let line = out.stdout.trim_end();
    assert!(line.ends_with("  trip.mp4"), "{}", out.stdout);
    let url = line.split_whitespace().next().unwrap();
    let code = url.rsplit('/').next().unwrap();
    assert_eq!(fx.sb.state().file(code).map(|f| f.fld_id), Some(0));

    // A missing file fails the run and names the file.
    let out = fx.run(&["upload", "/no/such/file.mp4"]);
    assert_eq!(out.code, 1, "{out:?}");
    out.complains("/no/such/file.mp4: no such file");
    assert_eq!(
        out.stderr.matches("/no/such/file.mp4").count(),
        1,
        "said once: {}",
        out.stderr
    );
    assert_eq!(fx.sb.state().file_count(), 2);
}

#[test]
fn the_config_file_is_read() {
    let fx = Fixture::demo();
    std::fs::write(
        fx.config(),
        format!(
            "api_key = \"{}\"\napi_url = \"{}\"\n",
            fx.sb.key(),
            fx.sb.base_url()
        ),
    )
    .expect("write config");
    let out = run_mp4u(&fx.config(), None, None, &["account", "--json"]);
    assert_eq!(out.json()["email"], "demo@mp4u.example");
    // --api-url wins over the file.
    let out = run_mp4u(
        &fx.config(),
        None,
        None,
        &[
            "--api-url",
            &format!("http://127.0.0.1:{}", closed_port()),
            "account",
        ],
    );
    assert_eq!(out.code, 1, "{out:?}");
    out.complains("could not connect");
}

#[test]
fn a_wrong_key_fails_with_one_line_and_never_shows_the_key() {
    let fx = Fixture::demo();
    for args in [&["account"][..], &["ls", "--json"], &["files"]] {
        let out = run_mp4u(&fx.config(), Some(&fx.sb.base_url()), Some(WRONG_KEY), args);
        assert_eq!(out.code, 1, "{out:?}");
        assert_eq!(
            out.stderr_lines(),
            ["mp4u: mp4upload rejected the API key (403 Wrong auth)"]
        );
        assert!(out.stdout.is_empty(), "{out:?}");
        assert!(!leaks(&out.stderr, WRONG_KEY) && !leaks(&out.stdout, WRONG_KEY));
    }
}

#[test]
fn a_malformed_key_fails_before_anything_is_sent() {
    let server = Untouched::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let bad = "Not-A-Valid-Key-123456";
    let out = run_mp4u(&config, Some(&server.url()), Some(bad), &["account"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{out:?}");
    out.complains("malformed");
    assert!(!out.stderr.contains(bad) && !out.stdout.contains(bad));
    assert!(!server.was_contacted(), "nothing may be sent");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let url = Some("http://127.0.0.1:1");
    let key = Some(WRONG_KEY);
    for args in [
        &["account", "--no-such-flag"][..],
        &["no-such-command"],
        // Anything but digits is a path; nothing at all is neither.
        &["ls", ""],
        &["mv", DEMO_CODE, "--folder", " "],
        &["files", "--public", "2"],
        &["stats", "--last", "many"],
        &["rename", DEMO_CODE],
        &["upload"],
    ] {
        let out = run_mp4u(&config, url, key, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(!out.stderr.is_empty());
    }
    // No key anywhere.
    let out = run_mp4u(&config, url, None, &["account"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{out:?}");
    out.complains("MP4UPLOAD_API_KEY");
    // Help and version are not errors.
    assert_eq!(run_mp4u(&config, url, key, &["--help"]).code, 0);
    let out = run_mp4u(&config, url, key, &["--version"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("mp4u "), "{}", out.stdout);
}

/// Kills the child when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_standalone_sandbox_prints_its_address_and_key_and_serves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let port = closed_port();
    let mut child = mp4u_command(&config, None, None)
        .args(["sandbox", "--port", &port.to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn mp4u sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut child = KillOnDrop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = || {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("the sandbox prints a line")
    };
    let url = format!("http://127.0.0.1:{port}");
    assert_eq!(next_line(), format!("mp4u sandbox listening on {url}"));
    let key_line = next_line();
    let key = key_line.strip_prefix("API key: ").expect("key line");
    assert_eq!(key, mp4u::sandbox::DEMO_KEY);

    let out = run_mp4u(&config, Some(&url), Some(key), &["ls", "--json"]);
    assert_eq!(array(&out.json()["folders"]).len(), 6);

    child.0.kill().expect("kill");
    child.0.wait().expect("wait");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

impl Fixture {
    /// Runs `mp4u ARGS` with `input` on its standard input.
    fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = mp4u_command(
            &self.config(),
            Some(&self.sb.base_url()),
            Some(self.sb.key()),
        )
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn mp4u");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
        drop(stdin);
        child.wait_with_output().expect("wait for mp4u").into()
    }

    /// `base_url/CODE`: a link of the sandbox, which counts as an mp4upload link.
    fn link(&self, code: &str) -> String {
        format!("{}/{code}", self.sb.base_url())
    }
}

/// Demo files of folder 16, beside [`DEMO_CODE`] (its first).
const E02_CODE: &str = "tt0zn3x0pdqx";
const E03_CODE: &str = "j1dybv7zxg02";

/// Mixed forms: bare codes (one in capitals), links with and without `.html`, a made-up code,
/// the first file again as a link (a duplicate) and two pieces that are no code.
fn mixed(fx: &Fixture) -> Vec<String> {
    vec![
        DEMO_CODE.to_string(),
        E02_CODE.to_uppercase(),
        fx.link(E03_CODE),
        format!("{}.html", fx.link(DEMO_CODE)),
        MISSING_CODE.to_string(),
        "hello".to_string(),
        "https://youtube.com/watch?v=abcdefghijkl".to_string(),
    ]
}

#[test]
fn check_codes_and_links_given_as_arguments() {
    let fx = Fixture::demo();
    assert!(fx.sb.state().file(MISSING_CODE).is_none());
    let mut args = vec!["check".to_string()];
    args.extend(mixed(&fx));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = fx.run(&args);
    out.ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("STATUS"), "{}", out.stdout);
    // One row per code, in the order given, then the counts.
    assert_eq!(lines.len(), 6, "{}", out.stdout);
    let state = fx.sb.state();
    for (line, code) in lines[1..4].iter().zip([DEMO_CODE, E02_CODE, E03_CODE]) {
        let file = state.file(code).expect("a demo file");
        assert!(line.starts_with("alive"), "{line}");
        assert!(line.contains(code) && line.contains(&file.name), "{line}");
        assert!(line.trim_end().ends_with(&fx.link(code)), "{line}");
    }
    assert!(
        lines[4].starts_with("missing") && lines[4].contains(MISSING_CODE),
        "{}",
        lines[4]
    );
    assert_eq!(
        lines[5],
        "3 alive, 1 missing (4 codes; 1 duplicate and 2 unrecognised pieces ignored)"
    );
}

#[test]
fn check_reads_standard_input() {
    let fx = Fixture::demo();
    let text = mixed(&fx).join("\n") + "\n";
    let out = fx.run_stdin(&["check"], &text);
    out.ok();
    assert!(
        out.stdout.ends_with(
            "3 alive, 1 missing (4 codes; 1 duplicate and 2 unrecognised pieces ignored)\n"
        ),
        "{}",
        out.stdout
    );
    // `-` reads it too; separators may be commas, semicolons and spaces.
    let out = fx.run_stdin(
        &["check", "-", "--json"],
        &format!("{DEMO_CODE}, {MISSING_CODE};{DEMO_CODE} junk"),
    );
    let v = out.json();
    assert_eq!(array(&v["alive"]).len(), 1);
    assert_eq!(v["missing"], serde_json::json!([MISSING_CODE]));
    assert_eq!(v["duplicates"], 1);
    assert_eq!(v["ignored"], serde_json::json!(["junk"]));
}

#[test]
fn check_json_shape() {
    let fx = Fixture::demo();
    let mut args = vec!["check".to_string()];
    args.extend(mixed(&fx));
    args.push("--json".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = fx.run(&args).json();
    let obj = v.as_object().expect("an object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["alive", "duplicates", "ignored", "missing"]);
    let alive = array(&v["alive"]);
    let codes: Vec<&str> = alive
        .iter()
        .map(|f| f["file_code"].as_str().expect("file_code"))
        .collect();
    assert_eq!(codes, [DEMO_CODE, E02_CODE, E03_CODE]);
    let want = fx.sb.state().file(DEMO_CODE).expect("demo file");
    assert_eq!(alive[0]["name"], want.name.as_str());
    assert_eq!(alive[0]["size"], want.size);
    assert_eq!(v["missing"], serde_json::json!([MISSING_CODE]));
    assert_eq!(v["duplicates"], 1);
    assert_eq!(
        v["ignored"],
        serde_json::json!(["hello", "https://youtube.com/watch?v=abcdefghijkl"])
    );
}

/// 120 files and 5 made-up codes: more than a call may carry (the sandbox refuses more than
/// 100 codes per call), so the client asks in batches, and every code gets its answer in order.
#[test]
fn check_many_codes_in_batches() {
    let fx = Fixture::demo();
    let codes = fx.sb.state().generate_files(24, 120, "bulk");
    assert_eq!(codes.len(), 120);
    let made_up: Vec<String> = (0..5).map(|n| format!("nosuchfile{n:02}")).collect();
    for code in &made_up {
        assert!(fx.sb.state().file(code).is_none());
    }
    let mut all = codes.clone();
    all.insert(60, made_up[0].clone());
    all.extend(made_up[1..].iter().cloned());
    let text = all.join("\n");
    // The calls one code takes, and the calls 125 take: two more, so 3 batches of 50.
    let start = fx.sb.api_calls();
    fx.run(&["check", DEMO_CODE]).ok();
    let one = fx.sb.api_calls() - start;
    let start = fx.sb.api_calls();
    let v = fx.run_stdin(&["check", "--json"], &text).json();
    assert_eq!(fx.sb.api_calls() - start, one + 2, "125 codes, 50 per call");
    let alive: Vec<&str> = array(&v["alive"])
        .iter()
        .map(|f| f["file_code"].as_str().expect("file_code"))
        .collect();
    assert_eq!(alive, codes);
    assert_eq!(v["missing"], serde_json::json!(made_up));
    assert_eq!(v["duplicates"], 0);

    let out = fx.run_stdin(&["check"], &text);
    out.ok();
    assert_eq!(rows(&out.stdout).len(), 125 + 1, "{}", out.stdout);
    assert!(
        out.stdout.ends_with("120 alive, 5 missing (125 codes)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_without_a_code_is_a_usage_error() {
    let fx = Fixture::demo();
    let out = fx.run(&["check", "hello", "https://youtube.com/watch?v=abcdefghijkl"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stderr_lines().len(), 1, "{out:?}");
    assert!(
        out.stderr
            .contains("no file code or link found (0 codes; 2 unrecognised pieces ignored)"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    let out = fx.run_stdin(&["check"], "");
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no file code or link found"), "{out:?}");
}

#[test]
fn find_across_the_account_with_folder_paths() {
    let fx = Fixture::demo();
    let out = fx.run(&["find", "S01E0"]);
    out.ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("CODE") && lines[0].contains("FOLDER"));
    assert_eq!(lines.len(), 1 + 18 + 1, "{}", out.stdout);
    assert_eq!(lines[19], "18 files");
    for line in &lines[1..19] {
        let folder = if line.contains("Frieren") {
            "/Anime/Frieren/Season 1"
        } else {
            "/Anime/Dungeon Meshi/Season 1"
        };
        assert!(line.trim_end().ends_with(folder), "{line}");
    }
    out.says(DEMO_CODE);

    let v = fx.json(&["find", "s01e0"]);
    let found = array(&v);
    assert_eq!(found.len(), 18, "any case");
    let state = fx.sb.state();
    for f in found {
        let code = f["file_code"].as_str().expect("file_code");
        let record = state.file(code).expect("a file of the account");
        assert_eq!(f["name"], record.name.as_str());
        assert_eq!(f["fld_id"], record.fld_id);
        let path = match record.fld_id {
            16 => "/Anime/Frieren/Season 1",
            20 => "/Anime/Dungeon Meshi/Season 1",
            other => panic!("folder {other}"),
        };
        assert_eq!(f["folder_path"], path);
    }
}

// Each `find` that finds something walks the folder tree (a call per folder) under the client's
// pace of calls: a few seconds each, so these tests run it as few times as they can.

#[test]
fn find_limit() {
    let fx = Fixture::demo();
    let out = fx.run(&["find", "S01E0", "--limit", "3"]);
    out.ok();
    assert_eq!(rows(&out.stdout).len(), 3 + 1, "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("3 files (the first 3; --limit shows more)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn find_public_or_private() {
    let fx = Fixture::demo();
    // IMG_ files: some public, some private (all in /Family/Holidays 2023).
    let state = fx.sb.state();
    let img: Vec<_> = state
        .files_in(50)
        .into_iter()
        .filter(|f| f.name.contains("IMG_"))
        .collect();
    for (flag, public) in [("1", true), ("0", false)] {
        let mut want: Vec<&str> = img
            .iter()
            .filter(|f| f.public == public)
            .map(|f| f.code.as_str())
            .collect();
        want.sort();
        assert!(!want.is_empty() && want.len() < img.len(), "{img:?}");
        let v = fx.json(&["find", "IMG_", "--public", flag]);
        let found = array(&v);
        let mut codes: Vec<&str> = found
            .iter()
            .map(|f| f["file_code"].as_str().expect("file_code"))
            .collect();
        codes.sort();
        assert_eq!(codes, want, "--public {flag}");
        assert!(found.iter().all(|f| f["public"] == public), "{v}");
        assert!(
            found
                .iter()
                .all(|f| f["folder_path"] == "/Family/Holidays 2023"),
            "{v}"
        );
    }
    assert_eq!(fx.run(&["find", "IMG_", "--public", "2"]).code, 2);
}

#[test]
fn find_without_a_match_says_so() {
    let fx = Fixture::demo();
    let out = fx.run(&["find", "no such name anywhere"]);
    out.ok();
    assert_eq!(
        out.stdout,
        "no file name contains \"no such name anywhere\"\n"
    );
    assert_eq!(
        fx.json(&["find", "no such name anywhere"]),
        serde_json::json!([])
    );
    let out = fx.run(&["find", " "]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn a_closed_pipe_ends_a_command_quietly_never_a_panic() {
    // Both outputs lead to a pipe nobody reads any more: every write fails.
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let dir = tempfile::tempdir().expect("tempdir");
    let status = mp4u_command(&dir.path().join("config.toml"), None, None)
        .args(["--demo", "info", "xvbothd0wtfl", "zzzzzzzzzzzz"])
        .stdout(writer.try_clone().expect("a second end"))
        .stderr(writer)
        .status()
        .expect("run mp4u");
    assert_ne!(status.code(), Some(101), "a panic: {status:?}");
    assert_eq!(
        status.code(),
        Some(141),
        "ended as a closed pipe ends a filter"
    );
}

#[test]
fn the_demos_links_are_taken_back_by_a_later_demo() {
    // Each demo run listens on a port of its own: its links must still read as codes.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let demo = |args: &[&str]| run_demo(&config, args);
    let links = demo(&["links", "--folder", "/Anime/Frieren/Season 1"]);
    links.ok();
    let first: Vec<&str> = links.stdout.lines().take(2).collect();
    assert!(first[0].starts_with("http://127.0.0.1:"), "{first:?}");
    let mut info = vec!["info"];
    info.extend(&first);
    let out = demo(&info);
    out.ok();
    out.says("Frieren - S01E01");
    let mut rename = vec!["rename"];
    rename.extend(&first);
    rename.extend(["--template", "Frieren S01E{n:02}.mp4", "--dry-run"]);
    demo(&rename).ok();
}

#[test]
fn a_setting_of_the_wrong_kind_is_named_with_what_it_takes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    for (text, said) in [
        (
            "parallel_uploads = \"two\"\n",
            "line 1, column 20 (parallel_uploads): invalid type: string \"two\", expected a whole number",
        ),
        (
            "sort = \"name\"\nbwlimit = -5\n",
            "line 2, column 11 (bwlimit): expected a rate like \"2M\"",
        ),
        (
            "api_key = \"abcdefghijklmnop1234\"\nmax_upload_bytes = -1\n",
            "line 2, column 20 (max_upload_bytes): invalid value",
        ),
    ] {
        std::fs::write(&config, text).expect("config");
        let out = run_mp4u(&config, Some("http://127.0.0.1:9"), None, &["ls"]);
        assert_eq!(out.code, 3, "{text}: {out:?}");
        assert!(
            out.stderr.starts_with("mp4u: the config file ") && out.stderr.contains(said),
            "{text}: {}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(
            !out.stderr.contains("abcdefghijklmnop1234"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn unknown_settings_and_values_out_of_range_are_said_and_the_command_goes_on() {
    let fx = Fixture::demo();
    std::fs::write(
        fx.config(),
        "parralel_uploads = 3\nbwlimt = \"2M\"\nparallel_uploads = 9\nsomething_else = 1\n\
         sort = \"popularity\"\nlink_format = \"rtf\"\n",
    )
    .expect("config");
    let out = fx.run(&["ls"]);
    out.ok();
    let said = out.stderr_lines();
    for expected in [
        "mp4u: config: unknown setting parralel_uploads (did you mean parallel_uploads?); ignored",
        "mp4u: config: unknown setting bwlimt (did you mean bwlimit?); ignored",
        "mp4u: config: unknown setting something_else; ignored",
        "mp4u: config: parallel_uploads = 9: it takes 1 to 8; 8 is used",
        "mp4u: config: sort = \"popularity\": not an order mp4u knows (name, name-desc, \
         size-desc, size, date-desc, date, downloads-desc, downloads); files are sorted by name",
        "mp4u: config: link_format: \"rtf\" is not a link format (plain, embed, bbcode, html, \
         markdown, csv, json); plain is offered first",
    ] {
        assert!(said.contains(&expected), "{expected:?} not in {said:#?}");
    }
}

#[test]
fn the_file_manager_without_a_terminal_says_so_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_mp4u(&dir.path().join("config.toml"), None, None, &["--demo"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
    assert!(
        !out.stderr.contains('\u{1b}'),
        "no escape codes: {:?}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    out.complains("needs a terminal");
}

#[test]
fn an_api_address_with_api_or_https_on_plain_http_is_understood_or_explained() {
    let fx = Fixture::demo();
    let base = fx.sb.base_url();
    // `…/api`, as the documentation's examples read: the same server.
    let out = run_mp4u(
        &fx.config(),
        Some(&format!("{base}/api")),
        Some(fx.sb.key()),
        &["account"],
    );
    out.ok();
    out.says("demo@mp4u.example");
    // https:// to a server that speaks plain http: said in words.
    let https = base.replacen("http://", "https://", 1);
    let out = run_mp4u(&fx.config(), Some(&https), Some(fx.sb.key()), &["account"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr.contains("does not speak https (TLS) there") && out.stderr.contains("http://"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("InvalidContentType"), "{}", out.stderr);
}

#[test]
fn a_usage_error_is_one_line_that_says_where_to_look() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    for (args, said) in [
        (
            &["sync", "/tmp", "/Shows"][..],
            "mp4u: unexpected argument '/Shows' found (see `mp4u sync --help`)",
        ),
        (
            &["upload"][..],
            "mp4u: the following required arguments were not provided: <FILE>... (see `mp4u upload --help`)",
        ),
        (
            &["--frobnicate"][..],
            "mp4u: unexpected argument '--frobnicate' found (see `mp4u --help`)",
        ),
    ] {
        let out = run_mp4u(&config, None, None, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stderr.trim_end(), said, "{args:?}");
    }
    // --help and --version print as ever, with success.
    let help = run_mp4u(&config, None, None, &["sync", "--help"]);
    help.ok();
    help.says("Usage: mp4u sync");
}

#[test]
fn a_rename_template_that_would_clash_or_misorder_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let rename = |extra: &[&str]| {
        let mut args = vec!["--demo", "rename", "xvbothd0wtfl", "tt0zn3x0pdqx"];
        args.extend_from_slice(extra);
        run_mp4u(&config, None, None, &args)
    };
    for (extra, said) in [
        (
            &["--template", "same.mp4"][..],
            "the same name \"same.mp4\"",
        ),
        (
            &["--template", "E{n:02}.mp4", "--start", "99"][..],
            "pads numbers to 2 digits, and they run to 100",
        ),
        (
            &["--template", "E{n}.mp4", "--start", "18446744073709551615"][..],
            "leaves no room to number 2 files",
        ),
    ] {
        let out = rename(extra);
        assert_eq!(out.code, 2, "{extra:?}: {out:?}");
        assert!(out.stderr.contains(said), "{extra:?}: {}", out.stderr);
    }
    rename(&["--template", "E{n:02}.mp4", "--start", "98", "--dry-run"]).ok();
}

#[test]
fn one_refusal_for_many_files_is_said_once() {
    let fx = Fixture::with(SandboxConfig {
        upload: mp4u::sandbox::UploadFaults::refusing(
            "uploads are not enabled for your account type",
        ),
        demo_data: false,
        ..SandboxConfig::default()
    });
    let local = tempfile::tempdir().expect("tempdir");
    let paths: Vec<String> = (1..=6)
        .map(|i| {
            random_file(local.path(), &format!("ep{i}.mp4"), 1_000, i)
                .0
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["upload"];
    args.extend(paths.iter().map(String::as_str));
    let out = fx.run(&args);
    assert_eq!(out.code, 1, "{out:?}");
    let refused: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("not enabled for your account type"))
        .collect();
    assert_eq!(
        refused,
        [
            "mp4u: 6 files (ep1.mp4, ep2.mp4 and 4 more): mp4upload refused the upload: uploads are \
          not enabled for your account type"
        ],
        "{}",
        out.stderr
    );
    // The same refusal twice in a row is the account's: the rest are not sent whole only to be
    // refused at their end.
    let sent = fx.sb.calls_of("upload");
    assert!((2..=3).contains(&sent), "{sent} files sent to be refused");
    // sync says it once too.
    let out = fx.run(&["sync", local.path().to_str().unwrap(), "--folder", "/"]);
    assert_eq!(out.code, 1, "{out:?}");
    let said = out
        .stderr
        .lines()
        .filter(|l| l.contains("not enabled for your account type"))
        .count();
    assert_eq!(said, 1, "{}", out.stderr);
    assert!(fx.sb.calls_of("upload") <= sent + 3, "{}", out.stderr);
}
