//! Unit tests of the account logic.

use super::*;

fn demo() -> SandboxState {
    SandboxState::new("http://127.0.0.1:1/", true)
}

fn empty() -> SandboxState {
    SandboxState::new("http://127.0.0.1:1", false)
}

fn all(st: &SandboxState, mut q: ListQuery) -> Vec<FileRecord> {
    q.page = 1;
    q.per_page = usize::MAX;
    st.list(&q).expect("folder exists")
}

#[test]
fn empty_account_has_only_root() {
    let st = empty();
    assert_eq!(st.base_url(), "http://127.0.0.1:1");
    assert_eq!(st.file_count(), 0);
    assert_eq!(st.folder(0).map(|f| f.fld_id), Some(0));
    assert!(st.subfolders(0).is_empty());
    assert!(st.deleted(100).is_empty());
    assert_eq!(st.storage_used(), 0);
}

#[test]
fn demo_account_is_seeded() {
    let st = demo();
    assert!(st.file_count() >= 300);
    let top: Vec<String> = st.subfolders(0).into_iter().map(|f| f.name).collect();
    assert!(top.contains(&"Anime".to_string()), "{top:?}");
    assert!(!st.files_in(0).is_empty());
    let deleted = st.deleted(1000);
    assert!(deleted.len() > 20);
    assert!(deleted.windows(2).all(|w| w[0].deleted >= w[1].deleted));
    let used: u64 = all(&st, ListQuery::default()).iter().map(|f| f.size).sum();
    assert_eq!(st.storage_used(), used);
}

#[test]
fn list_is_newest_first_and_pages() {
    let st = demo();
    let everything = all(&st, ListQuery::default());
    assert_eq!(everything.len(), st.file_count());
    assert!(
        everything
            .windows(2)
            .all(|w| w[0].uploaded >= w[1].uploaded)
    );
    let q = |page, per_page| ListQuery {
        page,
        per_page,
        ..ListQuery::default()
    };
    let p1 = st.list(&q(1, 20)).expect("list");
    let p2 = st.list(&q(2, 20)).expect("list");
    assert_eq!(p1, everything[..20]);
    assert_eq!(p2, everything[20..40]);
    assert!(st.list(&q(1000, 20)).expect("list").is_empty());
    let last_page = everything.len().div_ceil(7);
    let tail = st.list(&q(last_page, 7)).expect("list");
    assert_eq!(tail.len(), everything.len() - (last_page - 1) * 7);
}

#[test]
fn list_filters() {
    let st = demo();
    let frieren = all(
        &st,
        ListQuery {
            name: Some("FRIEREN - s01".into()),
            ..ListQuery::default()
        },
    );
    assert_eq!(frieren.len(), 28);
    let private = all(
        &st,
        ListQuery {
            public: Some(false),
            ..ListQuery::default()
        },
    );
    assert!(!private.is_empty() && private.iter().all(|f| !f.public));
    let root = all(
        &st,
        ListQuery {
            fld_id: Some(0),
            ..ListQuery::default()
        },
    );
    assert_eq!(root, st.files_in(0));
    let unknown = ListQuery {
        fld_id: Some(999_999),
        ..ListQuery::default()
    };
    assert!(st.list(&unknown).is_none());
}

#[test]
fn created_filter() {
    let st = demo();
    let hour_ago = clock::stamp(clock::now() - Duration::hours(1));
    let recent = all(
        &st,
        ListQuery {
            created_after: Some(hour_ago.clone()),
            ..ListQuery::default()
        },
    );
    assert_eq!(recent.len(), 1, "{recent:?}");
    assert!(recent.iter().all(|f| f.uploaded > hour_ago));
    let year_ago = clock::stamp(clock::now() - Duration::days(365));
    let n = all(
        &st,
        ListQuery {
            created_after: Some(year_ago),
            ..ListQuery::default()
        },
    )
    .len();
    assert!(n > 10 && n < st.file_count(), "{n}");
}

#[test]
fn rename_changes_listing() {
    let st = demo();
    let code = st.files_in(0)[0].code.clone();
    let out = st.rename_files(&[code.clone(), "nosuchcode00".into()], "renamed.mp4");
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].as_ref().map(|r| r.name.as_str()), Ok("renamed.mp4"));
    assert_eq!(out[1], Err("nosuchcode00".to_string()));
    assert_eq!(st.find_by_name("renamed.mp4").len(), 1);
    assert_eq!(st.file(&code).map(|f| f.name), Some("renamed.mp4".into()));
}

#[test]
fn clone_makes_a_new_file() {
    let st = demo();
    let before = st.file_count();
    let orig = st.files_in(16)[0].clone();
    let copy = st.clone_file(&orig.code).expect("cloned");
    assert_ne!(copy.code, orig.code);
    assert_eq!(copy.code.len(), 12);
    assert_eq!(
        (copy.name.as_str(), copy.size, copy.fld_id),
        (orig.name.as_str(), orig.size, 16)
    );
    assert_eq!(copy.downloads, 0);
    assert_eq!(st.file_count(), before + 1);
    assert_eq!(
        all(&st, ListQuery::default())[0].code,
        copy.code,
        "newest first"
    );
    assert_eq!(
        st.storage_used(),
        all(&st, ListQuery::default())
            .iter()
            .map(|f| f.size)
            .sum::<u64>()
    );
    assert!(st.clone_file("nosuchcode00").is_none());
}

#[test]
fn set_folder_moves() {
    let st = demo();
    let a = st.files_in(0)[0].code.clone();
    let target = st.create_folder(0, "Inbox").expect("created");
    assert_eq!(
        st.set_folder(std::slice::from_ref(&a), 999_999),
        Err(StateError::FolderNotFound)
    );
    assert_eq!(
        st.set_folder(&["nosuchcode00".into()], target),
        Err(StateError::NoFile)
    );
    assert_eq!(
        st.set_folder(&[a.clone(), "nosuchcode00".into()], target),
        Ok(1)
    );
    assert_eq!(st.files_in(target).len(), 1);
    assert_eq!(st.file(&a).map(|f| f.fld_id), Some(target));
    assert_eq!(st.set_folder(std::slice::from_ref(&a), 0), Ok(1));
    assert!(st.files_in(target).is_empty());
}

#[test]
fn folders_nest_and_rename() {
    let st = empty();
    let a = st.create_folder(0, "A").expect("a");
    let b = st.create_folder(a, "B").expect("b");
    let c = st.create_folder(b, "C").expect("c");
    assert!(st.create_folder(424_242, "X").is_none());
    assert_eq!(st.subfolders(0).len(), 1);
    assert_eq!(st.subfolders(a)[0].fld_id, b);
    assert_eq!(st.subfolders(b)[0].fld_id, c);
    assert_eq!(st.folder(c).map(|f| f.parent_id), Some(b));
    assert_eq!(st.rename_folder(c, "C2"), Ok(()));
    assert_eq!(st.folder(c).map(|f| f.name), Some("C2".into()));
    assert_eq!(st.rename_folder(0, "x"), Err(StateError::RootFolder));
    assert_eq!(
        st.rename_folder(424_242, "x"),
        Err(StateError::FolderNotFound)
    );
    let demo = demo();
    let new = demo.create_folder(0, "New").expect("new");
    assert!(demo.folder(new).is_some());
    assert!(
        demo.subfolders(0)
            .iter()
            .filter(|f| f.fld_id == new)
            .count()
            == 1
    );
}

#[test]
fn codes_are_unique() {
    let st = demo();
    let mut seen = std::collections::HashSet::new();
    for f in all(&st, ListQuery::default()) {
        assert!(seen.insert(f.code));
    }
    for _ in 0..2000 {
        let c = st.new_code();
        assert_eq!(c.len(), 12);
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(seen.insert(c));
    }
    let taken = st.files_in(0)[0].code.clone();
    let mut dup = FileRecord::new("dup.mp4", 1, 0);
    dup.code = taken.clone();
    let codes = st.add_files([dup]);
    assert_ne!(codes[0], taken);
}

#[test]
fn sessions() {
    let st = empty();
    let s = st.new_session();
    assert_eq!(s.len(), 16);
    assert!(st.session_ok(&s));
    assert!(!st.session_ok("0000000000000000"));
}

#[test]
fn bulk_files() {
    let st = empty();
    let f = st.create_folder(0, "Bulk").expect("folder");
    let codes = st.generate_files(f, 100_000, "bulk");
    assert_eq!(codes.len(), 100_000);
    assert_eq!(st.file_count(), 100_000);
    let page = st
        .list(&ListQuery {
            fld_id: Some(f),
            page: 5000,
            per_page: 20,
            ..ListQuery::default()
        })
        .expect("list");
    assert_eq!(page.len(), 20);
    assert_eq!(page[0].name, "bulk 099980.mp4");
}

#[test]
fn a_kept_account_is_the_same_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-account.json");
    let (st, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
    assert!(aside.is_none());
    let seeded = all(&st, ListQuery::default());
    // Every kind of change, each written at once (no orderly stop: as after kill -9).
    let season = st.create_folder(0, "Season 1").unwrap();
    let code = st.new_code();
    st.insert_file(FileRecord::new("Show - E01.mp4", 1234, 0));
    let mut uploaded = FileRecord::new("Show - E02.mp4", 99, 0);
    uploaded.code = code.clone();
    st.insert_file(uploaded);
    st.set_folder(std::slice::from_ref(&code), season).unwrap();
    st.rename_folder(season, "Season 2").unwrap();
    let copy = st.clone_file(&seeded[0].code).unwrap();
    st.rename_files(std::slice::from_ref(&copy.code), "copy.mp4");
    let before = all(&st, ListQuery::default());
    let deleted = st.deleted(1000);
    drop(st);

    let (again, aside) = SandboxState::kept("http://127.0.0.1:2", true, &path);
    assert!(aside.is_none());
    assert_eq!(
        again.base_url(),
        "http://127.0.0.1:2",
        "the new run's address"
    );
    assert_eq!(
        all(&again, ListQuery::default()),
        before,
        "files, in the same order"
    );
    assert_eq!(again.folder(season).unwrap().name, "Season 2");
    assert_eq!(again.file(&code).unwrap().fld_id, season);
    assert_eq!(again.file(&copy.code).unwrap().name, "copy.mp4");
    assert_eq!(
        again.storage_used(),
        before.iter().map(|f| f.size).sum::<u64>()
    );
    let names = |d: Vec<DeletedRecord>| d.into_iter().map(|d| d.code).collect::<Vec<_>>();
    assert_eq!(names(again.deleted(1000)), names(deleted));
    // New codes and folders never reuse the old ones.
    let next = again.create_folder(0, "Next").unwrap();
    assert!(next > season);
    assert!(again.file(&again.new_code()).is_none());
}

#[test]
fn a_damaged_account_file_is_set_aside_and_the_account_starts_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-account.json");
    std::fs::write(&path, b"{\"version\": 1, \"files\": [tru").unwrap();
    let (st, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
    let aside = aside.expect("set aside");
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        b"{\"version\": 1, \"files\": [tru"
    );
    assert!(st.file_count() >= 300, "the demo library again");
    // And written out whole at once: the next run reads it.
    let (again, aside) = SandboxState::kept("http://127.0.0.1:1", true, &path);
    assert!(aside.is_none());
    assert_eq!(again.file_count(), st.file_count());
}
