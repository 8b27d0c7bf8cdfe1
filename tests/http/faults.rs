//! The client's policy against each fault the sandbox can inject: calls that read are tried
//! three times, calls that change something once; the pace keeps under the rate limit; a
//! lost upload reply is not a lost upload; no error text holds the key.

use std::time::{Duration, Instant};

use mp4u::api::{ApiError, ApiKey, Client, policy};
use mp4u::sandbox::{ApiFaults, Sandbox, SandboxConfig, UploadFaults};

/// A client with the real pace and retries, but short waits between tries.
fn client(sb: &Sandbox) -> Client {
    Client::new(&sb.base_url(), ApiKey::parse(sb.key()).unwrap())
        .unwrap()
        .with_retries(policy::READ_TRIES, Duration::from_millis(20))
}

async fn sandbox(faults: ApiFaults) -> Sandbox {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sb.set_api_faults(faults);
    sb
}

fn no_key(sb: &Sandbox, e: &ApiError) {
    let text = format!("{e} {e:?}");
    assert!(!text.contains(sb.key()), "{text}");
}

#[tokio::test]
async fn reads_are_tried_three_times_then_fail_clearly() {
    for (faults, check) in [
        (ApiFaults::failing(), "500"),
        (ApiFaults::html_pages(), "HTTP 502"),
        (ApiFaults::broken_json(), "invalid JSON"),
    ] {
        let sb = sandbox(faults.clone()).await;
        let before = sb.api_calls();
        let e = client(&sb).account_info().await.expect_err("fails");
        let tries = sb.api_calls() - before;
        assert!(e.to_string().contains(check), "{faults:?}: {e}");
        no_key(&sb, &e);
        // Invalid JSON is not a transient error: asked once. The others: three times.
        let expected = if faults.invalid_json {
            1
        } else {
            u64::from(policy::READ_TRIES)
        };
        assert_eq!(tries, expected, "{faults:?}");
    }
}

#[tokio::test]
async fn a_flaky_server_is_mostly_invisible_to_reads() {
    let sb = sandbox(ApiFaults {
        fail_rate: Some(0.3),
        ..Default::default()
    })
    .await;
    let c = client(&sb);
    let mut ok = 0;
    for _ in 0..30 {
        ok += usize::from(c.folder_list(0).await.is_ok());
    }
    // 0.3³ ≈ 3% of reads fail all three tries.
    assert!(ok >= 25, "{ok} of 30 succeeded");
}

#[tokio::test]
async fn changes_are_sent_once_moves_are_tried_like_reads_and_no_copy_is_made_twice() {
    let sb = sandbox(ApiFaults::default()).await;
    let state = sb.state();
    let c = client(&sb);
    let file = c
        .file_list(&Default::default())
        .await
        .unwrap()
        .files
        .into_iter()
        .next()
        .unwrap();
    let count_before = state.file_count();
    sb.set_api_faults(ApiFaults::failing());
    for op in ["clone", "rename", "mkdir", "move"] {
        let before = sb.api_calls();
        let e = match op {
            "clone" => c.file_clone(&file.file_code).await.map(|_| ()),
            "rename" => c
                .file_rename(std::slice::from_ref(&file.file_code), "x.mp4")
                .await
                .map(|_| ()),
            "move" => {
                c.file_set_folder(std::slice::from_ref(&file.file_code), 0)
                    .await
            }
            _ => c.folder_create(None, "New").await.map(|_| ()),
        }
        .expect_err(op);
        // Moving a file where it already is changes nothing: a move is tried like a read.
        let tries = if op == "move" {
            u64::from(mp4u::api::policy::READ_TRIES)
        } else {
            1
        };
        assert_eq!(
            sb.api_calls() - before,
            tries,
            "{op} is sent {tries} times: {e}"
        );
        no_key(&sb, &e);
    }
    assert_eq!(state.file_count(), count_before, "no copy appeared");
    // Half the calls failing: ten clone presses make at most ten copies.
    sb.set_api_faults(ApiFaults {
        fail_rate: Some(0.5),
        ..Default::default()
    });
    let mut made = 0;
    for _ in 0..10 {
        made += usize::from(c.file_clone(&file.file_code).await.is_ok());
    }
    assert_eq!(state.file_count(), count_before + made);
}

#[tokio::test]
async fn the_pace_keeps_under_the_rate_limit() {
    // The service allows about 10 calls a second and locks out after repeated 429s: mp4u's pace
    // (7 starts in any second) never gets one. (The sandbox counts arrivals in fixed windows,
    // so a limit of exactly 7 or 8 could see a few calls of two paced seconds arrive together.)
    let sb = sandbox(ApiFaults {
        rate_limit: Some(10),
        ..Default::default()
    })
    .await;
    let c = client(&sb).with_retries(1, Duration::ZERO);
    let started = Instant::now();
    let calls = futures_util::future::join_all((0..20).map(|_| c.account_info())).await;
    assert!(
        calls.iter().all(Result::is_ok),
        "{:?}",
        calls.iter().find(|r| r.is_err())
    );
    // 20 calls at 7 a second cannot all start within two seconds.
    assert!(started.elapsed() >= Duration::from_secs(2));
    // Without the pace the same burst hits the limit.
    let unpaced = c.clone().with_pace(None);
    let calls = futures_util::future::join_all((0..20).map(|_| unpaced.account_info())).await;
    let limited = calls
        .iter()
        .filter(|r| matches!(r, Err(ApiError::Api { status: 429, .. })))
        .count();
    assert!(limited > 0, "the sandbox's limit works");
}

#[tokio::test]
async fn rate_limited_reads_back_off_and_succeed() {
    let sb = sandbox(ApiFaults {
        rate_limit: Some(2),
        ..Default::default()
    })
    .await;
    let c = client(&sb)
        .with_pace(None)
        .with_retries(policy::READ_TRIES, Duration::from_millis(600));
    let calls = futures_util::future::join_all((0..3).map(|_| c.account_info())).await;
    assert!(
        calls.iter().all(Result::is_ok),
        "the third waits and is tried again: {calls:?}"
    );
}

#[tokio::test]
async fn a_lost_upload_reply_is_not_a_lost_upload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost reply.mp4");
    std::fs::write(&path, vec![7u8; 3_000_000]).unwrap();
    let sb = sandbox(ApiFaults::default()).await;
    sb.set_upload_faults(UploadFaults::lost_reply());
    let state = sb.state();
    let uploaded = client(&sb)
        .upload(&path, Some(24), |_| {})
        .await
        .expect("found on the account");
    assert!(uploaded.recovered);
    let record = state.file(&uploaded.file_code).expect("on the server");
    assert_eq!(
        (record.size, record.fld_id),
        (3_000_000, 24),
        "and moved into its folder"
    );
    assert_eq!(
        state.find_by_name("lost reply.mp4").len(),
        1,
        "no duplicate"
    );
}

#[tokio::test]
async fn a_reply_lost_before_the_whole_file_went_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.mp4");
    std::fs::write(&path, vec![1u8; 3_000_000]).unwrap();
    let sb = sandbox(ApiFaults::default()).await;
    sb.set_upload_faults(UploadFaults::cut_after(500_000));
    let e = client(&sb)
        .upload(&path, None, |_| {})
        .await
        .expect_err("cut");
    assert!(matches!(e, ApiError::Transport { .. }), "{e:?}");
    assert!(sb.state().find_by_name("cut.mp4").is_empty());
    no_key(&sb, &e);
}

#[tokio::test]
async fn latency_slows_but_does_not_fail() {
    let sb = sandbox(ApiFaults {
        latency_ms: 300,
        ..Default::default()
    })
    .await;
    let started = Instant::now();
    client(&sb).account_info().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
}
