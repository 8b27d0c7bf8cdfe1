use std::path::{Path, PathBuf};

use super::*;
use crate::api::{FileInfo, Folder};
use crate::queue::KnownFiles;

fn file(rel: &str, size: u64) -> LocalFile {
    LocalFile {
        path: PathBuf::from("/local").join(rel),
        rel: rel.into(),
        name: rel.rsplit('/').next().unwrap().into(),
        size,
        mtime: None,
    }
}

fn dir(rel: &str, files: Vec<LocalFile>, dirs: Vec<LocalDir>) -> LocalDir {
    LocalDir {
        path: PathBuf::from("/local").join(rel),
        rel: rel.into(),
        name: rel.rsplit('/').next().unwrap().trim().into(),
        files,
        dirs,
    }
}

fn row(code: &str, name: &str, size: u64) -> FileInfo {
    FileInfo {
        name: Some(name.into()),
        size: Some(size),
        ..FileInfo::new(code)
    }
}

fn folder(fld_id: u64, name: &str) -> Folder {
    Folder {
        fld_id,
        name: name.into(),
    }
}

fn remote(folders: Vec<Folder>, files: Option<Vec<FileInfo>>) -> RemoteFolder {
    RemoteFolder {
        folders: Ok(folders),
        files: files.map(KnownFiles::Listed),
    }
}

/// `Show/` holds a.mp4 (on the account), b.mp4 (not), `Season 1/` (on the account, its ep 1
/// listed without extension), ` Season 2 ` (not on the account, with `Extras/` inside) and
/// `Empty/`.
fn season_tree() -> (LocalDir, RemoteTree) {
    let local = dir(
        "",
        vec![file("a.mp4", 10), file("b.mp4", 20)],
        vec![
            dir(
                "Season 1",
                vec![file("Season 1/ep 1.mp4", 5), file("Season 1/ep 2.mp4", 6)],
                vec![],
            ),
            dir(
                " Season 2 ",
                vec![file(" Season 2 /ep 1.mp4", 7)],
                vec![dir(
                    " Season 2 /Extras",
                    vec![file(" Season 2 /Extras/x.mp4", 8)],
                    vec![],
                )],
            ),
            dir("Empty", vec![], vec![]),
        ],
    );
    let mut tree = RemoteTree::new();
    tree.insert(
        1,
        remote(
            vec![folder(2, "Season 1")],
            Some(vec![row("aaaaaaaaaaaa", "a.mp4", 10)]),
        ),
    );
    tree.insert(
        2,
        remote(vec![], Some(vec![row("ep1ep1ep1ep1", "ep 1", 5)])),
    );
    (local, tree)
}

fn rels(uploads: &[PlannedUpload]) -> Vec<(&str, FolderRef)> {
    uploads
        .iter()
        .map(|u| (u.file.rel.as_str(), u.folder))
        .collect()
}

#[test]
fn rclone_copy_semantics() {
    let (local, tree) = season_tree();
    let plan = plan(&local, 1, "/Show", &tree, false);
    assert_eq!(plan.problems, []);
    let created: Vec<(&str, FolderRef)> = plan
        .create
        .iter()
        .map(|f| (f.path.as_str(), f.parent))
        .collect();
    assert_eq!(
        created,
        [
            ("/Show/Season 2", FolderRef::Existing(1)),
            ("/Show/Season 2/Extras", FolderRef::New(0)),
        ],
        "trimmed, parents first, no empty folder"
    );
    assert_eq!(
        rels(&plan.upload),
        [
            ("b.mp4", FolderRef::Existing(1)),
            ("Season 1/ep 2.mp4", FolderRef::Existing(2)),
            (" Season 2 /ep 1.mp4", FolderRef::New(0)),
            (" Season 2 /Extras/x.mp4", FolderRef::New(1)),
        ]
    );
    let skipped: Vec<(&str, &str)> = plan
        .skip
        .iter()
        .map(|s| (s.file.rel.as_str(), s.file_code.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("a.mp4", "aaaaaaaaaaaa"),
            ("Season 1/ep 1.mp4", "ep1ep1ep1ep1"),
        ],
        "the same name and size, a listed name without its extension too"
    );
    assert_eq!(plan.upload[1].folder_path, "/Show/Season 1");
}

#[test]
fn a_second_run_over_what_the_first_made_plans_nothing() {
    let (local, mut tree) = season_tree();
    tree.get_mut(&1).unwrap().folders = Ok(vec![folder(2, "Season 1"), folder(3, "Season 2")]);
    if let Some(KnownFiles::Listed(rows)) = &mut tree.get_mut(&1).unwrap().files {
        rows.push(row("bbbbbbbbbbbb", "b.mp4", 20));
    }
    if let Some(KnownFiles::Listed(rows)) = &mut tree.get_mut(&2).unwrap().files {
        rows.push(row("ep2ep2ep2ep2", "EP 2.MP4", 6));
    }
    tree.insert(
        3,
        remote(
            vec![folder(4, "Extras")],
            Some(vec![row("s2e1s2e1s2e1", "ep 1.mp4", 7)]),
        ),
    );
    tree.insert(4, remote(vec![], Some(vec![row("xxxxxxxxxxxx", "x", 8)])));
    let plan = plan(&local, 1, "/Show", &tree, false);
    assert_eq!(plan.create, []);
    assert_eq!(plan.upload, []);
    assert_eq!(plan.skip.len(), 6);
    assert_eq!(plan.problems, []);
}

#[test]
fn allow_duplicates_uploads_files_already_there() {
    let (local, tree) = season_tree();
    let plan = plan(&local, 1, "/Show", &tree, true);
    assert_eq!(plan.skip, []);
    assert_eq!(plan.upload.len(), 6);
}

#[test]
fn another_size_is_another_file() {
    let (mut local, tree) = season_tree();
    local.files[0].size = 11;
    let plan = plan(&local, 1, "/Show", &tree, false);
    assert!(plan.upload.iter().any(|u| u.file.rel == "a.mp4"));
}

#[test]
fn folders_match_in_any_case_unless_two_answer() {
    let (local, mut tree) = season_tree();
    tree.get_mut(&1).unwrap().folders = Ok(vec![
        folder(2, "SEASON 1"),
        folder(5, "season 2"),
        folder(6, "SEASON 2"),
    ]);
    let plan = plan(&local, 1, "/", &tree, false);
    assert_eq!(plan.upload[1].folder_path, "/SEASON 1");
    assert_eq!(plan.create, [], "nothing created beside two that answer");
    assert_eq!(plan.problems.len(), 1, "{:?}", plan.problems);
    assert_eq!(plan.problems[0].path, " Season 2 ");
    assert!(
        plan.problems[0]
            .reason
            .contains("/ holds 2 folders named \"Season 2\" (ids 5, 6); 2 files left out"),
        "{:?}",
        plan.problems
    );
}

#[test]
fn a_folder_that_could_not_be_listed_sends_nothing_unchecked() {
    let (local, mut tree) = season_tree();
    tree.get_mut(&2).unwrap().files = Some(KnownFiles::Unlisted("status 500".into()));
    tree.get_mut(&1).unwrap().folders = Err("status 500".into());
    let plan = plan(&local, 1, "/Show", &tree, false);
    assert_eq!(rels(&plan.upload), [("b.mp4", FolderRef::Existing(1))]);
    let paths: Vec<&str> = plan.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["Season 1", " Season 2 "]);
    assert!(
        plan.problems[0]
            .reason
            .contains("could not be listed (status 500)")
    );
}

#[cfg(unix)]
mod scan {
    use super::*;
    use std::os::unix::fs::symlink;

    fn write(path: &Path, bytes: usize) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, vec![7u8; bytes]).unwrap();
    }

    fn names(dir: &LocalDir) -> Vec<String> {
        let mut out: Vec<String> = dir.files.iter().map(|f| f.rel.clone()).collect();
        for sub in &dir.dirs {
            out.push(format!("{}/", sub.rel));
            out.extend(names(sub));
        }
        out
    }

    #[test]
    fn what_is_uploaded_and_what_is_left_out() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("Show");
        write(&root.join("ep 10.mp4"), 3);
        write(&root.join("ep 9.mp4"), 3);
        write(&root.join(".DS_Store"), 3);
        write(&root.join(".hidden/secret.mp4"), 3);
        write(&root.join("empty.mp4"), 0);
        write(&root.join("big.mp4"), 101);
        write(&root.join(" Season 2 /ep 1.mp4"), 4);
        std::fs::create_dir_all(root.join("Empty dir")).unwrap();
        write(&root.join("Season 1/ep 1.mp4"), 5);
        // A loop, a link to a file, a broken link, and a FIFO.
        symlink(&root, root.join("Season 1/back to show")).unwrap();
        symlink(root.join("ep 9.mp4"), root.join("Season 1/linked.mp4")).unwrap();
        symlink(root.join("nowhere"), root.join("broken.mp4")).unwrap();
        let fifo = std::ffi::CString::new(root.join("pipe").to_str().unwrap()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);

        let scan = scan(&root, Some(100)).unwrap();
        assert_eq!(
            names(&scan.root),
            [
                "ep 9.mp4",
                "ep 10.mp4",
                "Empty dir/",
                "Season 1/",
                "Season 1/ep 1.mp4",
                "Season 1/linked.mp4",
                " Season 2 /",
                " Season 2 /ep 1.mp4",
            ],
            "natural order, links to files followed"
        );
        let season2 = scan
            .root
            .dirs
            .iter()
            .find(|d| d.rel == " Season 2 ")
            .unwrap();
        assert_eq!(
            season2.name, "Season 2",
            "trimmed as the file manager trims"
        );
        let mut hidden = scan.hidden.clone();
        hidden.sort();
        assert_eq!(hidden, [".DS_Store", ".hidden"]);
        let mut problems: Vec<(String, String)> = scan
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.reason.clone()))
            .collect();
        problems.sort();
        let expect = [
            (
                "Season 1/back to show",
                "a symbolic link to a directory it is in (a loop)",
            ),
            ("big.mp4", "larger than the limit"),
            ("broken.mp4", "a broken symbolic link"),
            ("empty.mp4", "is empty"),
            ("pipe", "not a regular file"),
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:?}");
        for ((path, reason), (want_path, want_reason)) in problems.iter().zip(expect) {
            assert_eq!(path, want_path);
            assert!(reason.contains(want_reason), "{path}: {reason}");
        }
        assert!(scan.root.files[0].path.is_absolute());
        assert_eq!(scan.root.file_count(), 5);
    }

    #[test]
    fn names_that_clash_once_trimmed_or_cannot_be_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(&root.join("dir/a.mp4"), 1);
        write(&root.join("dir /b.mp4"), 1);
        write(&root.join("tab\there.mp4"), 1);
        let scan = scan(root, None).unwrap();
        assert_eq!(names(&scan.root), ["dir/", "dir/a.mp4"]);
        assert_eq!(scan.problems.len(), 2, "{:?}", scan.problems);
        assert!(
            scan.problems
                .iter()
                .any(|p| p.path == "dir " && p.reason.contains("the same folder name as \"dir\""))
        );
        assert!(
            scan.problems
                .iter()
                .any(|p| p.path == "tab\there.mp4" && p.reason.contains("control characters"))
        );
    }

    #[test]
    fn a_missing_directory_or_a_file_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(
            scan(&tmp.path().join("nope"), None)
                .unwrap_err()
                .contains("no such directory")
        );
        write(&tmp.path().join("f.mp4"), 1);
        assert!(
            scan(&tmp.path().join("f.mp4"), None)
                .unwrap_err()
                .contains("is not a directory")
        );
    }
}
