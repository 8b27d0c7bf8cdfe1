//! The live service's ways that the demo does not show, played by the sandbox's quirks: a page
//! cap on file/list, a cap on file/info, listings without fld_id and with names cut of their
//! extension, an upload status that is a failure, no upload session, a lockout, a bandwidth
//! limit, and a set_folder that fails. Every answer mp4u gives must be right, or say it is not
//! sure.

use std::collections::HashSet;

use mp4u::api::{ApiError, Completeness, FileListQuery, Placement};
use mp4u::sandbox::{FileRecord, LOCKOUT_MESSAGE, Quirks, SandboxConfig};

use crate::common::*;

/// A sandbox with an empty account playing `quirks`.
async fn quirky(quirks: Quirks) -> mp4u::sandbox::Sandbox {
    sandbox(SandboxConfig {
        demo_data: false,
        quirks,
        ..SandboxConfig::default()
    })
    .await
}

/// `n` files in a new folder; their codes.
fn fill(sb: &mut mp4u::sandbox::Sandbox, name: &str, n: usize) -> (u64, Vec<String>) {
    let state = sb.state();
    let folder = state.create_folder(0, name).expect("folder");
    (folder, state.generate_files(folder, n, name))
}

#[tokio::test]
async fn a_listing_under_a_page_cap_of_25_holds_every_file() {
    for files in [0, 7, 25, 26, 60, 1234] {
        let mut sb = quirky(Quirks {
            page_cap: Some(25),
            ..Quirks::default()
        })
        .await;
        let (folder, codes) = fill(&mut sb, "Capped", files);
        let c = client(&sb);
        let listing = c
            .file_list_all(
                &FileListQuery {
                    fld_id: Some(folder),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("listing");
        assert_eq!(
            listing.completeness,
            Completeness::Complete,
            "{files} files"
        );
        let listed: HashSet<&str> = listing.files.iter().map(|f| f.file_code.as_str()).collect();
        assert_eq!(listed.len(), files, "{files} files listed once each");
        assert!(codes.iter().all(|c| listed.contains(c.as_str())));
        assert!(listing.files.iter().all(|f| f.fld_id == Some(folder)));
    }
}

#[tokio::test]
async fn a_learnt_page_cap_makes_later_listings_cost_no_extra_call() {
    let mut sb = quirky(Quirks {
        page_cap: Some(25),
        ..Quirks::default()
    })
    .await;
    let (big, _) = fill(&mut sb, "Big", 60);
    let (small, _) = fill(&mut sb, "Small", 7);
    let c = client(&sb);
    let all = |fld_id| FileListQuery {
        fld_id: Some(fld_id),
        ..Default::default()
    };
    let before = sb.calls_of("file/list");
    c.file_list_all(&all(big), None).await.expect("big");
    assert_eq!(
        sb.calls_of("file/list") - before,
        3,
        "25 + 25 (the cap learnt) + 10"
    );
    assert_eq!(c.page_size().cap, Some(25));
    let before = sb.calls_of("file/list");
    let small = c.file_list_all(&all(small), None).await.expect("small");
    assert_eq!(small.files.len(), 7);
    assert_eq!(
        sb.calls_of("file/list") - before,
        1,
        "7 < 25: the last page"
    );
}

#[tokio::test]
async fn a_server_that_ignores_page_is_said_to_be_incomplete() {
    // Always the same 25 files, whatever the page.
    let items: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"filecode":"code{i:08}","name":"f{i}.mp4","size":"1"}}"#))
        .collect();
    let server = canned(Canned::json(format!(
        r#"{{"msg":"OK","status":200,"result":[{}]}}"#,
        items.join(",")
    )))
    .await;
    let c = client_for(&server.url(), "mp4udemo7x2k9qwmz");
    let listing = c
        .file_list_all(&FileListQuery::default(), None)
        .await
        .expect("listing");
    assert_eq!(listing.files.len(), 25);
    assert!(
        matches!(&listing.completeness, Completeness::Incomplete(why) if why.contains("again")),
        "{:?}",
        listing.completeness
    );
}

#[tokio::test]
async fn file_info_is_asked_50_codes_a_call_and_again_for_codes_left_out() {
    let mut sb = quirky(Quirks {
        info_cap: Some(20),
        ..Quirks::default()
    })
    .await;
    let (_, mut codes) = fill(&mut sb, "Many", 120);
    codes.push("nosuchfile12".into());
    let info = client(&sb).file_info(&codes).await.expect("info");
    assert_eq!(info.len(), 121, "one entry per code, in order");
    for (asked, got) in codes.iter().zip(&info) {
        assert_eq!(&got.file_code, asked);
    }
    assert_eq!(
        info.iter().filter(|f| f.exists()).count(),
        120,
        "none made missing by the cap"
    );
    assert!(!info[120].exists());
    // 121 codes under a cap of 20: 7 calls at least, never 50 codes at once.
    assert!(sb.calls_of("file/info") >= 7);
}

#[tokio::test]
async fn a_lockout_is_not_retried_and_its_sentence_is_shown() {
    let sb = quirky(Quirks {
        lockout: Some(LOCKOUT_MESSAGE.into()),
        ..Quirks::default()
    })
    .await;
    let c = client(&sb);
    let err = c.account_info().await.expect_err("locked out");
    assert!(err.is_lockout(), "{err:?}");
    assert!(err.to_string().contains(LOCKOUT_MESSAGE), "{err}");
    assert_eq!(sb.api_calls(), 1, "asked once, not again");
    // Calls meanwhile fail at once, without reaching the server.
    let again = c
        .file_list(&FileListQuery::default())
        .await
        .expect_err("locked");
    assert!(again.is_lockout());
    assert_eq!(sb.api_calls(), 1, "nothing sent during the lockout");
}

#[tokio::test]
async fn an_exceeded_bandwidth_is_not_retried() {
    let server = canned(Canned::json(
        r#"{"msg":"Bandwidth Limit Exceeded","status":509}"#,
    ))
    .await;
    let c = client_for(&server.url(), "mp4udemo7x2k9qwmz");
    let err = c.account_info().await.expect_err("509");
    assert_eq!(err.api_status(), Some(509));
    assert_eq!(server.targets().len(), 1, "one call: a 509 lasts");
}

#[tokio::test]
async fn an_upload_with_a_status_that_is_not_ok_is_a_failure_with_the_servers_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "holiday.mp4", 10_000, 1);
    let sb = quirky(Quirks {
        upload_status: Some("Error: disk quota exceeded".into()),
        ..Quirks::default()
    })
    .await;
    let err = upload_to_root(&sb, &path).await.expect_err("quota");
    assert!(matches!(err, ApiError::UploadRefused { .. }), "{err:?}");
    assert!(
        err.to_string().contains("Error: disk quota exceeded"),
        "{err}"
    );
    assert_eq!(sb.state().file_count(), 0);
}

#[tokio::test]
async fn without_a_session_the_key_never_travels_over_plain_http() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "holiday.mp4", 10_000, 2);
    let sb = quirky(Quirks {
        no_session: true,
        ..Quirks::default()
    })
    .await;
    let err = upload_to_root(&sb, &path)
        .await
        .expect_err("no session over http");
    assert!(matches!(err, ApiError::NoUploadSession { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no session") && text.contains("unencrypted"),
        "{text}"
    );
    assert!(!leaks(&text, sb.key()));
    assert_eq!(
        sb.calls_of("upload/server"),
        2,
        "asked once more for a session"
    );
    assert_eq!(sb.key_sessions(), 0, "the key was never sent as a session");
    assert_eq!(sb.state().file_count(), 0);
}

#[tokio::test]
async fn a_move_that_keeps_failing_leaves_the_upload_in_the_root_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "holiday.mp4", 10_000, 3);
    let mut sb = quirky(Quirks {
        fail_set_folder: true,
        ..Quirks::default()
    })
    .await;
    let (movies, _) = fill(&mut sb, "Movies", 0);
    let up = client(&sb)
        .upload(&path, Some(movies), |_| {})
        .await
        .expect("uploaded");
    match &up.placement {
        Placement::LeftInRoot { wanted, reason } => {
            assert_eq!(*wanted, movies);
            assert!(reason.contains("500"), "{reason}");
        }
        other => panic!("said to be in {other:?}"),
    }
    assert_eq!(up.placement.folder(), 0);
    assert_eq!(sb.state().file(&up.file_code).expect("kept").fld_id, 0);
    assert_eq!(
        sb.calls_of("file/set_folder"),
        mp4u::api::policy::READ_TRIES as u64,
        "moving is idempotent: tried like a read"
    );
}

#[tokio::test]
async fn a_lost_reply_is_found_when_the_listing_drops_the_extension_and_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "Holiday Trip.mp4", 200_000, 4);
    let sb = quirky(Quirks {
        bare_names: true,
        ..Quirks::default()
    })
    .await;
    sb.set_upload_faults(mp4u::sandbox::UploadFaults::lost_reply());
    let up = upload_to_root(&sb, &path)
        .await
        .expect("found after the lost reply");
    assert!(up.recovered);
    assert_eq!(sb.state().file_count(), 1, "one copy");
    assert_eq!(
        sb.state().file(&up.file_code).expect("there").name,
        "Holiday Trip.mp4"
    );
}

#[tokio::test]
async fn a_lost_reply_whose_lookup_cannot_finish_is_unknown_and_looked_up_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "clip.mp4", 100_000, 5);
    let sb = quirky(Quirks::default()).await;
    // Half a second of sending, then the reply is lost.
    sb.set_upload_faults(mp4u::sandbox::UploadFaults {
        drop_reply: true,
        bytes_per_sec: Some(200_000),
        ..Default::default()
    });
    // Every API call fails once the bytes are going: the look-up cannot finish.
    let c = client(&sb);
    let upload = {
        let c = c.clone();
        let path = path.clone();
        tokio::spawn(async move { c.upload(&path, None, |_| {}).await })
    };
    while sb.calls_of("upload/server") == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    sb.set_api_faults(mp4u::sandbox::ApiFaults::failing());
    let err = upload.await.expect("joined").expect_err("unknown");
    let ApiError::UploadUnconfirmed { lookup, .. } = &err else {
        panic!("expected unknown, got {err:?}");
    };
    assert!(err.to_string().contains("may be on the account"), "{err}");
    assert_eq!(sb.state().file_count(), 1, "the file did arrive");
    // Looking again once the API answers finds it; nothing is sent again.
    sb.set_api_faults(mp4u::sandbox::ApiFaults::default());
    let found = c
        .find_upload(lookup)
        .await
        .expect("look-up")
        .expect("found");
    assert_eq!(found.name.as_deref(), Some("clip.mp4"));
    assert_eq!(sb.state().file_count(), 1);
}

#[tokio::test]
async fn a_file_of_another_size_or_name_is_not_taken_for_the_lost_upload() {
    let sb = quirky(Quirks::default()).await;
    sb.state().add_files([
        FileRecord::new("clip.mp4", 99, 0),
        FileRecord::new("clip2.mp4", 100_000, 0),
        FileRecord::new("CLIP.MP4", 100_000, 0),
    ]);
    let c = client(&sb);
    let lost = |name: &str, size| mp4u::api::LostUpload {
        name: name.into(),
        size,
        since: None,
        asked_at: mp4u::api::unix_now() - 60,
    };
    let found = c
        .find_upload(&lost("clip.mp4", 100_000))
        .await
        .expect("look-up")
        .expect("the same name in another case");
    assert_eq!(found.name.as_deref(), Some("CLIP.MP4"));
    assert!(
        c.find_upload(&lost("other.mp4", 100_000))
            .await
            .expect("look-up")
            .is_none()
    );
}
