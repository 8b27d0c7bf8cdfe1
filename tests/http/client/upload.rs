//! Uploads through the client: byte-identical arrival, progress, folders, refusals, cuts and
//! local checks.

use std::sync::{Arc, Mutex};

use mp4u::api::{ApiError, Placement, TransportKind};
use mp4u::sandbox::SandboxConfig;

use crate::common::*;

const MIB: usize = 1024 * 1024;

/// A progress callback that records every value it is given.
fn recorder() -> (Arc<Mutex<Vec<u64>>>, impl Fn(u64) + Send + Sync + 'static) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |n| sink.lock().unwrap().push(n))
}

#[tokio::test]
async fn a_large_file_arrives_byte_identical_with_monotonic_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, bytes) = random_file(dir.path(), "holiday.mp4", 6 * MIB + 123, 42);
    let sb = empty().await;
    let (seen, progress) = recorder();

    let up = client(&sb)
        .upload(&path, None, progress)
        .await
        .expect("upload");

    assert_eq!(up.name, "holiday.mp4");
    assert_eq!(up.size, bytes.len() as u64);
    assert_eq!(up.url, format!("{}/{}", sb.base_url(), up.file_code));
    assert_eq!(up.placement, Placement::InFolder { fld_id: 0 });
    let record = sb.state().file(&up.file_code).expect("on the server");
    assert_eq!(record.name, "holiday.mp4");
    assert_eq!(record.size, bytes.len() as u64);
    assert_eq!(record.fld_id, 0);
    assert_eq!(record.sha256.as_deref(), Some(sha256_hex(&bytes).as_str()));

    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 1, "progress is reported as bytes go out");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "progress never goes back"
    );
    assert_eq!(seen.last().copied(), Some(bytes.len() as u64));
}

#[tokio::test]
async fn the_stored_bytes_match_the_local_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = tempfile::tempdir().expect("store");
    let (path, bytes) = random_file(dir.path(), "clip.mkv", MIB + 1, 7);
    let sb = sandbox(SandboxConfig {
        demo_data: false,
        store_dir: Some(store.path().to_path_buf()),
        ..SandboxConfig::default()
    })
    .await;
    let up = upload_to_root(&sb, &path).await.expect("upload");
    let stored = std::fs::read(store.path().join(&up.file_code)).expect("stored file");
    assert!(stored == bytes, "stored bytes differ from the local file");
}

#[tokio::test]
async fn an_upload_into_a_folder_lands_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "ep1.mp4", 200_000, 1);
    let sb = empty().await;
    let folder = sb.state().create_folder(0, "Season 1").expect("folder");
    let c = client(&sb);
    let up = c.upload(&path, Some(folder), |_| {}).await.expect("upload");
    assert_eq!(up.placement, Placement::InFolder { fld_id: folder });
    assert_eq!(
        sb.state().file(&up.file_code).map(|f| f.fld_id),
        Some(folder)
    );
    let listing = c.folder_list(folder).await.expect("folder/list");
    assert_eq!(listing.files.len(), 1);
    assert_eq!(listing.files[0].file_code, up.file_code);
    assert!(sb.state().files_in(0).is_empty());
}

#[tokio::test]
async fn an_upload_into_a_missing_folder_keeps_the_file_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "ep1.mp4", 10_000, 1);
    let sb = empty().await;
    let up = client(&sb)
        .upload(&path, Some(9999), |_| {})
        .await
        .expect("the upload itself works");
    assert!(
        matches!(&up.placement, Placement::LeftInRoot { wanted: 9999, reason } if reason.contains("404")),
        "{:?}",
        up.placement
    );
    assert_eq!(sb.state().file(&up.file_code).map(|f| f.fld_id), Some(0));
}

#[tokio::test]
async fn a_refused_upload_carries_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "a.mp4", 300_000, 2);
    let reason = "uploads are not enabled for your account type";
    let sb = sandbox(SandboxConfig {
        upload: mp4u::sandbox::UploadFaults::refusing(reason),
        demo_data: false,
        ..SandboxConfig::default()
    })
    .await;
    let e = upload_to_root(&sb, &path).await.expect_err("refused");
    assert_eq!(
        e,
        ApiError::UploadRefused {
            reason: reason.into()
        }
    );
    assert_eq!(
        e.to_string(),
        format!("mp4upload refused the upload: {reason}")
    );
    assert_eq!(sb.state().file_count(), 0);
}

#[tokio::test]
async fn a_cut_connection_is_a_transport_error_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "big.mp4", 3 * MIB, 3);
    let sb = sandbox(SandboxConfig {
        upload: mp4u::sandbox::UploadFaults::cut_after(MIB as u64),
        demo_data: false,
        ..SandboxConfig::default()
    })
    .await;
    let e = upload_to_root(&sb, &path).await.expect_err("cut");
    assert!(
        matches!(
            &e,
            ApiError::Transport {
                kind: TransportKind::Interrupted | TransportKind::Other,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(sb.state().file_count(), 0);
}

#[tokio::test]
async fn bad_local_paths_are_refused_before_any_request() {
    let server = Untouched::new();
    let c = client_for(&server.url(), WRONG_KEY);
    let dir = tempfile::tempdir().expect("tempdir");
    let empty_file = dir.path().join("empty.mp4");
    std::fs::write(&empty_file, b"").expect("write");
    let cases = [
        (dir.path().join("missing.mp4"), "no such file"),
        (empty_file, "is empty"),
        (dir.path().to_path_buf(), "is a directory"),
    ];
    for (path, why) in cases {
        let e = c.upload(&path, None, |_| {}).await.expect_err("refused");
        match &e {
            ApiError::LocalFile { path: p, reason } => {
                assert_eq!(p, &path.display().to_string());
                assert!(reason.contains(why), "{reason}");
            }
            other => panic!("{path:?}: {other:?}"),
        }
        assert!(e.to_string().contains(why));
    }
    assert!(!server.was_contacted(), "nothing may be sent");
}

#[tokio::test]
async fn an_api_error_from_the_upload_server_keeps_its_message() {
    let server = raw_server(|target| {
        Reaction::Answer(Canned::json(if target.starts_with("/api/upload/server") {
            r#"{"status":200,"msg":"OK","result":"http://{HOST}/upload/01","sess_id":"s1"}"#
        } else {
            r#"{"msg":"Upload session expired","server_time":"2024-01-01 00:00:00","status":403}"#
        }))
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = random_file(dir.path(), "a.mp4", 5000, 4);
    let e = client_for(&server.url(), WRONG_KEY)
        .upload(&path, None, |_| {})
        .await
        .expect_err("refused");
    assert_eq!(
        e,
        ApiError::Api {
            status: 403,
            msg: "Upload session expired".into()
        }
    );
}
