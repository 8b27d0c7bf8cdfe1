//! Every client method against the sandbox over real HTTP on 127.0.0.1, and the errors a user
//! can run into, each with its exact variant.

mod secrecy;
mod upload;

use crate::common::*;
use mp4u::api::{ApiError, ApiKey, Client, FileListQuery, StorageLeft, TransportKind};
use mp4u::config::Settings;
use mp4u::sandbox::FileRecord;

/// A demo file in folder 16 ("Frieren / Season 1").
const DEMO_CODE: &str = "xvbothd0wtfl";
const MISSING_CODE: &str = "zzzzzzzzzzzz";

#[tokio::test]
async fn account_info_reports_the_account() {
    let sb = demo().await;
    let info = client(&sb).account_info().await.expect("account/info");
    assert_eq!(info.email.as_deref(), Some("demo@mp4u.example"));
    assert_eq!(info.balance, Some(37.4125));
    assert_eq!(info.storage_used, Some(sb.state().storage_used()));
    let StorageLeft::Bytes(left) = info.storage_left else {
        panic!("storage_left: {:?}", info.storage_left);
    };
    assert_eq!(left + sb.state().storage_used(), 256 * 1024 * 1024 * 1024);
    assert!(
        info.premium_expire
            .as_deref()
            .is_some_and(|s| s.len() == 19),
        "{:?}",
        info.premium_expire
    );
}

#[tokio::test]
async fn account_stats_gives_the_days_asked_for_oldest_first() {
    let sb = demo().await;
    let c = client(&sb);
    let days = c.account_stats(Some(3)).await.expect("account/stats");
    assert_eq!(days.len(), 3);
    assert!(days.windows(2).all(|w| w[0].day < w[1].day), "{days:?}");
    assert_eq!(c.account_stats(None).await.expect("default").len(), 7);
    let month = c.account_stats(Some(30)).await.expect("30 days");
    assert_eq!(month.len(), 30);
    assert!(month.windows(2).all(|w| w[0].day < w[1].day));
}

#[tokio::test]
async fn upload_server_gives_a_url_and_a_live_session() {
    let sb = empty().await;
    let server = client(&sb).upload_server().await.expect("upload/server");
    assert_eq!(server.url, format!("{}/upload/01", sb.base_url()));
    let sess = server.sess_id.expect("the sandbox sends sess_id");
    assert!(sb.state().session_ok(&sess));
}

#[tokio::test]
async fn file_info_reports_found_and_missing_items() {
    let sb = demo().await;
    let want = sb.state().file(DEMO_CODE).expect("demo file");
    let items = client(&sb)
        .file_info(&[DEMO_CODE.to_string(), MISSING_CODE.to_string()])
        .await
        .expect("file/info");
    assert_eq!(items.len(), 2);
    let found = &items[0];
    assert_eq!(found.file_code, DEMO_CODE);
    assert!(found.exists());
    assert_eq!(found.name.as_deref(), Some(want.name.as_str()));
    assert_eq!(found.size, Some(want.size));
    assert_eq!(found.downloads, Some(want.downloads));
    assert_eq!(found.uploaded.as_deref(), Some(want.uploaded.as_str()));
    assert_eq!(found.fld_id, Some(16));
    let missing = &items[1];
    assert_eq!(
        (missing.file_code.as_str(), missing.status, missing.exists()),
        (MISSING_CODE, 404, false)
    );
    assert_eq!(missing.name, None);
}

/// An empty account with a folder and files whose names, visibility and ages differ.
async fn seeded() -> (mp4u::sandbox::Sandbox, u64) {
    let sb = empty().await;
    let state = sb.state();
    let folder = state.create_folder(0, "Shows").expect("folder");
    let mut records = Vec::new();
    for n in 0..25u64 {
        let mut r = FileRecord::new(format!("episode {n:02}.mp4"), 1000 + n, folder);
        // Two old private files; the rest uploaded just now.
        if n < 2 {
            r.uploaded = format!("2020-01-0{} 12:00:00", n + 1);
            r.public = false;
        }
        records.push(r);
    }
    records.push(FileRecord::new("Iron Man trailer.mp4", 5000, 0));
    state.add_files(records);
    (sb, folder)
}

fn names(list: &mp4u::api::FileList) -> Vec<String> {
    list.files
        .iter()
        .map(|f| f.name.clone().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn file_list_filters_and_pages() {
    let (sb, folder) = seeded().await;
    let c = client(&sb);
    let q = |f: fn(&mut FileListQuery)| {
        let mut q = FileListQuery {
            per_page: Some(100),
            ..FileListQuery::default()
        };
        f(&mut q);
        q
    };

    let all = c.file_list(&q(|_| {})).await.expect("all");
    assert_eq!(all.files.len(), 26);

    let in_folder = c
        .file_list(&FileListQuery {
            fld_id: Some(folder),
            per_page: Some(100),
            ..FileListQuery::default()
        })
        .await
        .expect("fld_id");
    assert_eq!(in_folder.files.len(), 25);
    assert!(in_folder.files.iter().all(|f| f.fld_id == Some(folder)));
    let at_root = c
        .file_list(&FileListQuery {
            fld_id: Some(0),
            ..FileListQuery::default()
        })
        .await
        .expect("root");
    assert_eq!(names(&at_root), ["Iron Man trailer.mp4"]);

    let by_name = c
        .file_list(&q(|q| q.name = Some("iron man".into())))
        .await
        .expect("name");
    assert_eq!(names(&by_name), ["Iron Man trailer.mp4"]);

    let private = c
        .file_list(&q(|q| q.public = Some(false)))
        .await
        .expect("public=0");
    assert_eq!(names(&private), ["episode 01.mp4", "episode 00.mp4"]);
    let public = c
        .file_list(&q(|q| q.public = Some(true)))
        .await
        .expect("public=1");
    assert_eq!(public.files.len(), 24);
    assert!(public.files.iter().all(|f| f.public == Some(true)));

    let after = c
        .file_list(&q(|q| q.created = Some("2020-01-01 18:00:00".into())))
        .await
        .expect("created timestamp");
    assert_eq!(after.files.len(), 25, "all but the file of 2020-01-01");
    assert!(!names(&after).contains(&"episode 00.mp4".to_string()));
    let last_hour = c
        .file_list(&q(|q| q.created = Some("60".into())))
        .await
        .expect("created minutes");
    assert_eq!(last_hour.files.len(), 24, "the two files of 2020 are older");

    // Pages of 10: 10, 10, 6, then nothing; together every file once, newest first.
    let mut seen = Vec::new();
    for (page, expect) in [(1, 10), (2, 10), (3, 6), (4, 0)] {
        let got = c
            .file_list(&FileListQuery {
                page: Some(page),
                per_page: Some(10),
                ..FileListQuery::default()
            })
            .await
            .expect("page");
        assert_eq!(got.files.len(), expect, "page {page}");
        seen.extend(got.files.into_iter().map(|f| f.file_code));
    }
    let all_codes: Vec<String> = all.files.iter().map(|f| f.file_code.clone()).collect();
    assert_eq!(seen, all_codes);
    assert_eq!(
        all.files.last().and_then(|f| f.name.as_deref()),
        Some("episode 00.mp4"),
        "oldest last"
    );
}

#[tokio::test]
async fn file_rename_then_the_new_name_lists() {
    let (sb, _) = seeded().await;
    let c = client(&sb);
    let code = sb.state().find_by_name("episode 07.mp4")[0].code.clone();
    let renamed = c
        .file_rename(
            &[code.clone(), MISSING_CODE.to_string()],
            "Pilot (director's cut).mp4",
        )
        .await
        .expect("file/rename");
    assert_eq!(renamed.len(), 2);
    assert_eq!(renamed[0].file_code, code);
    assert_eq!(
        renamed[0].name.as_deref(),
        Some("Pilot (director's cut).mp4")
    );
    assert!(!renamed[1].exists(), "the unknown code is a 404 item");

    let found = c
        .file_list(&FileListQuery {
            name: Some("director's cut".into()),
            ..FileListQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(
        found
            .files
            .iter()
            .map(|f| f.file_code.as_str())
            .collect::<Vec<_>>(),
        [code.as_str()]
    );
    let old = c
        .file_list(&FileListQuery {
            name: Some("episode 07".into()),
            ..FileListQuery::default()
        })
        .await
        .expect("list");
    assert!(old.files.is_empty());
}

#[tokio::test]
async fn file_clone_makes_a_new_file_in_the_same_folder() {
    let sb = demo().await;
    let c = client(&sb);
    let before = sb.state().files_in(16).len();
    let cloned = c.file_clone(DEMO_CODE).await.expect("file/clone");
    assert_ne!(cloned.file_code, DEMO_CODE);
    assert_eq!(
        cloned.url.as_deref(),
        Some(format!("{}/{}", sb.base_url(), cloned.file_code).as_str())
    );
    let original = sb.state().file(DEMO_CODE).expect("original stays");
    let copy = sb.state().file(&cloned.file_code).expect("copy exists");
    assert_eq!(
        (copy.name.as_str(), copy.size, copy.fld_id),
        (original.name.as_str(), original.size, 16)
    );
    let listing = c.folder_list(16).await.expect("folder/list");
    assert_eq!(listing.files.len(), before + 1);
    assert!(
        listing
            .files
            .iter()
            .any(|f| f.file_code == cloned.file_code)
    );
}

#[tokio::test]
async fn file_set_folder_moves_files() {
    let (sb, folder) = seeded().await;
    let c = client(&sb);
    let target = sb.state().create_folder(0, "Target").expect("folder");
    let codes: Vec<String> = sb.state().files_in(folder)[..3]
        .iter()
        .map(|f| f.code.clone())
        .collect();
    c.file_set_folder(&codes, target)
        .await
        .expect("file/set_folder");
    let listing = c.folder_list(target).await.expect("folder/list");
    let mut listed: Vec<String> = listing.files.iter().map(|f| f.file_code.clone()).collect();
    listed.sort();
    let mut want = codes.clone();
    want.sort();
    assert_eq!(listed, want);
    assert_eq!(c.folder_list(folder).await.expect("source").files.len(), 22);
    // And back to the root.
    c.file_set_folder(&codes[..1], 0).await.expect("to root");
    assert_eq!(sb.state().file(&codes[0]).map(|f| f.fld_id), Some(0));
}

#[tokio::test]
async fn folder_list_gives_subfolders_and_files() {
    let sb = demo().await;
    let c = client(&sb);
    let root = c.folder_list(0).await.expect("root");
    let names: Vec<&str> = root.folders.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["Anime", "Drone", "Family", "Gaming", "Movies", "Tutorials"]
    );
    assert_eq!(root.folders[0].fld_id, 11);
    assert_eq!(root.files.len(), sb.state().files_in(0).len());
    let season = c.folder_list(16).await.expect("folder 16");
    assert!(season.folders.is_empty());
    assert_eq!(season.files.len(), 28);
    let f = season
        .files
        .iter()
        .find(|f| f.file_code == DEMO_CODE)
        .expect("demo file listed");
    assert_eq!(f.fld_id, Some(16));
    assert!(f.link.as_deref().is_some_and(|l| l.ends_with(".html")));
}

#[tokio::test]
async fn folder_create_nests_and_shows_in_the_parent() {
    let sb = empty().await;
    let c = client(&sb);
    let outer = c.folder_create(None, "Outer").await.expect("at root");
    let inner = c.folder_create(Some(outer), "Inner").await.expect("nested");
    assert_ne!(outer, inner);
    let root = c.folder_list(0).await.expect("root");
    assert_eq!(
        root.folders
            .iter()
            .map(|f| (f.fld_id, f.name.as_str()))
            .collect::<Vec<_>>(),
        [(outer, "Outer")]
    );
    let in_outer = c.folder_list(outer).await.expect("outer");
    assert_eq!(
        in_outer
            .folders
            .iter()
            .map(|f| (f.fld_id, f.name.as_str()))
            .collect::<Vec<_>>(),
        [(inner, "Inner")]
    );
    assert_eq!(sb.state().folder(inner).map(|f| f.parent_id), Some(outer));
}

#[tokio::test]
async fn folder_rename_shows_in_the_listing() {
    let sb = empty().await;
    let c = client(&sb);
    let id = c.folder_create(None, "Old").await.expect("create");
    c.folder_rename(id, "New & improved")
        .await
        .expect("folder/rename");
    let root = c.folder_list(0).await.expect("root");
    assert_eq!(root.folders[0].name, "New & improved");
}

#[tokio::test]
async fn files_deleted_gives_the_most_recent() {
    let sb = demo().await;
    let c = client(&sb);
    let five = c.files_deleted(Some(5)).await.expect("files/deleted");
    assert_eq!(five.len(), 5);
    let ages: Vec<u64> = five
        .iter()
        .map(|d| d.deleted_ago_sec.expect("age"))
        .collect();
    assert!(
        ages.windows(2).all(|w| w[0] <= w[1]),
        "newest first: {ages:?}"
    );
    assert!(five.iter().all(|d| d.name.is_some() && d.deleted.is_some()));
    assert_eq!(c.files_deleted(None).await.expect("default").len(), 20);
}

// ---- errors ----

#[tokio::test]
async fn wrong_key_is_an_auth_error() {
    let sb = demo().await;
    let c = client_for(&sb.base_url(), WRONG_KEY);
    let e = c.account_info().await.expect_err("wrong key");
    assert_eq!(
        e,
        ApiError::Api {
            status: 403,
            msg: "Wrong auth".into()
        }
    );
    assert!(e.is_auth());
    assert!(!e.is_transient());
    // Every call says the same.
    let e = c.folder_list(0).await.expect_err("wrong key");
    assert!(e.is_auth(), "{e:?}");
}

#[tokio::test]
async fn malformed_key_is_refused_before_anything_is_sent() {
    let server = Untouched::new();
    for bad in ["", "short", "UPPERCASEKEY00000", "with-dash-000000000"] {
        assert_eq!(ApiKey::parse(bad), Err(ApiError::MalformedKey), "{bad:?}");
    }
    assert!(ApiError::MalformedKey.is_auth());
    // The way the CLI builds its client: the key is checked before a client exists.
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = Settings::resolve_with(
        Some(&dir.path().join("config.toml")),
        Some(&server.url()),
        None,
        Some("NOT A KEY".into()),
        None,
    )
    .expect("settings");
    let e = settings.key().expect_err("malformed");
    assert!(e.to_string().contains("malformed"), "{e}");
    assert!(!server.was_contacted());
}

#[tokio::test]
async fn unknown_file_code_is_a_404() {
    let sb = demo().await;
    let c = client(&sb);
    let e = c.file_clone(MISSING_CODE).await.expect_err("clone");
    assert_eq!(e.api_status(), Some(404), "{e:?}");
    assert!(!e.is_auth());
    let e = c
        .file_set_folder(&[MISSING_CODE.to_string()], 11)
        .await
        .expect_err("move");
    assert_eq!(e.api_status(), Some(404), "{e:?}");
    // file/info and file/rename answer per item instead.
    let items = c
        .file_info(&[MISSING_CODE.to_string()])
        .await
        .expect("info");
    assert_eq!(items[0].status, 404);
}

#[tokio::test]
async fn unknown_folder_is_a_404() {
    let sb = demo().await;
    let c = client(&sb);
    let api_404 = |r: Result<_, ApiError>| matches!(r, Err(ApiError::Api { status: 404, .. }));
    assert!(api_404(c.folder_list(9999).await.map(|_| ())));
    assert!(api_404(c.folder_create(Some(9999), "x").await.map(|_| ())));
    assert!(api_404(c.folder_rename(9999, "x").await));
    assert!(api_404(
        c.file_set_folder(&[DEMO_CODE.to_string()], 9999).await
    ));
    let list = c
        .file_list(&FileListQuery {
            fld_id: Some(9999),
            ..FileListQuery::default()
        })
        .await;
    assert!(api_404(list.map(|_| ())));
    // Nothing moved.
    assert_eq!(sb.state().file(DEMO_CODE).map(|f| f.fld_id), Some(16));
}

#[tokio::test]
async fn bad_names_and_codes_are_refused_before_sending() {
    let server = Untouched::new();
    let c = client_for(&server.url(), WRONG_KEY);
    let code = vec![DEMO_CODE.to_string()];
    let long = "x".repeat(256);
    for name in ["", "   ", "tab\there", long.as_str()] {
        assert!(
            matches!(
                c.file_rename(&code, name).await,
                Err(ApiError::InvalidInput(_))
            ),
            "file/rename {name:?}"
        );
        assert!(matches!(
            c.folder_create(None, name).await,
            Err(ApiError::InvalidInput(_))
        ));
        assert!(matches!(
            c.folder_rename(3, name).await,
            Err(ApiError::InvalidInput(_))
        ));
    }
    assert!(matches!(
        c.file_info(&[]).await,
        Err(ApiError::InvalidInput(_))
    ));
    assert!(matches!(
        c.file_clone("a b").await,
        Err(ApiError::InvalidInput(_))
    ));
    assert!(!server.was_contacted(), "nothing may be sent");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let c = client_for(&format!("http://127.0.0.1:{}", closed_port()), WRONG_KEY);
    let e = c.account_info().await.expect_err("refused");
    assert!(
        matches!(
            &e,
            ApiError::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.is_transient());
    assert!(
        e.to_string().starts_with("could not connect to 127.0.0.1:"),
        "{e}"
    );
}

#[tokio::test]
async fn an_html_502_page_is_an_http_error() {
    let server = canned(Canned::html(
        "502 Bad Gateway",
        "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>",
    ))
    .await;
    let e = client_for(&server.url(), WRONG_KEY)
        .account_info()
        .await
        .expect_err("502");
    assert!(matches!(&e, ApiError::Http { status: 502, .. }), "{e:?}");
    assert!(e.is_transient());
    let text = e.to_string();
    assert!(
        text.contains("HTTP 502") && text.contains("Bad Gateway"),
        "{text}"
    );
    assert!(!text.contains('\n'));
    assert_eq!(
        server.targets().len(),
        mp4u::api::policy::READ_TRIES as usize,
        "a call that only reads is tried again on a 502"
    );
    assert!(server.targets()[0].starts_with("/api/account/info?key="));
}

#[tokio::test]
async fn invalid_json_is_reported_as_such() {
    let server = canned(Canned::json(
        r#"{"msg":"OK","status":200,"result":{"email":"a@b"#,
    ))
    .await;
    let e = client_for(&server.url(), WRONG_KEY)
        .account_info()
        .await
        .expect_err("invalid JSON");
    assert!(matches!(&e, ApiError::InvalidJson { .. }), "{e:?}");
    assert!(
        e.to_string().starts_with("the server sent invalid JSON"),
        "{e}"
    );
}

#[tokio::test]
async fn an_api_error_with_http_200_is_an_api_error() {
    let server = canned(Canned::json(
        r#"{"msg":"Too Many Requests","server_time":"x","status":"429"}"#,
    ))
    .await;
    let e = client_for(&server.url(), WRONG_KEY)
        .folder_list(0)
        .await
        .expect_err("429");
    assert_eq!(
        e,
        ApiError::Api {
            status: 429,
            msg: "Too Many Requests".into()
        }
    );
    assert!(e.is_transient());
}

#[tokio::test]
async fn a_base_url_with_a_path_is_kept() {
    // mp4u may sit behind a proxy path; calls go below it.
    let server = canned(Canned::json(r#"{"status":200,"msg":"OK","result":[]}"#)).await;
    let c = client_for(&format!("{}/proxy", server.url()), WRONG_KEY);
    c.files_deleted(Some(3)).await.expect("files/deleted");
    let target = &server.targets()[0];
    assert!(
        target.starts_with("/proxy/api/files/deleted?key="),
        "{target}"
    );
    assert!(target.ends_with("&last=3"), "{target}");
    assert!(matches!(
        Client::new("ftp://example.com", ApiKey::parse(WRONG_KEY).unwrap()),
        Err(ApiError::BadUrl(_))
    ));
}
