//! End-to-end tests over loopback HTTP with reqwest (the client the app uses).

use super::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn get(c: &reqwest::Client, sb: &Sandbox, path_query: &str) -> Value {
    let url = format!("{}/api/{path_query}", sb.base_url());
    let resp = c.get(url).send().await.expect("reply");
    assert_eq!(resp.status(), 200);
    json(resp).await
}

async fn json(resp: reqwest::Response) -> Value {
    let text = resp.text().await.expect("body");
    serde_json::from_str(&text).expect("json")
}

async fn post(c: &reqwest::Client, url: &str, form: reqwest::multipart::Form) -> Value {
    json(c.post(url).multipart(form).send().await.expect("reply")).await
}

fn upload_form(sess: &str, name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::stream(bytes).file_name(name.to_string());
    reqwest::multipart::Form::new()
        .text("sess_id", sess.to_string())
        .text("utype", "reg")
        .part("file_0", part)
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn envelope_and_errors() {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("start");
    let c = client();
    let k = sb.key().to_string();
    let v = get(&c, &sb, "account/info").await;
    assert_eq!(
        (v["status"].as_u64(), v["msg"].as_str()),
        (Some(400), Some("Invalid key"))
    );
    let v = get(&c, &sb, "account/info?key=abcdefghijklmnop").await;
    assert_eq!(
        (v["status"].as_u64(), v["msg"].as_str()),
        (Some(403), Some("Wrong auth"))
    );
    let v = get(&c, &sb, &format!("nope?key={k}")).await;
    assert_eq!(v["status"], 404);
    let v = get(&c, &sb, &format!("account/info?key={k}")).await;
    assert_eq!(v["status"], 200);
    assert!(v["result"]["storage_used"].is_string());
    assert!(v["result"]["storage_left"].is_u64());
    assert!(v["server_time"].as_str().is_some_and(|s| s.len() == 19));
    let v = get(&c, &sb, &format!("file/list?key={k}&fld_id=abc")).await;
    assert_eq!(v["status"], 400);
    let v = get(&c, &sb, &format!("folder/list?key={k}&fld_id=16")).await;
    assert_eq!(v["result"]["files"].as_array().map(Vec::len), Some(28));
    sb.shutdown().await;
}

#[tokio::test]
async fn upload_streams_and_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SandboxConfig {
        demo_data: false,
        store_dir: Some(dir.path().to_path_buf()),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(config).await.expect("start");
    let c = client();
    let v = get(&c, &sb, &format!("upload/server?key={}", sb.key())).await;
    let url = v["result"].as_str().expect("url").to_string();
    let sess = v["sess_id"].as_str().expect("sess_id").to_string();
    assert_eq!(url, format!("{}/upload/01", sb.base_url()));
    let bytes = data(3_000_000);
    let want = format!("{:x}", Sha256::digest(&bytes));
    let full = format!("{url}?upload_type=file&utype=reg");
    let reply = post(&c, &full, upload_form(&sess, "clip.mp4", bytes)).await;
    assert_eq!(reply[0]["file_status"], "OK");
    let code = reply[0]["file_code"].as_str().expect("code");
    let f = sb.state().file(code).expect("recorded");
    assert_eq!(
        (f.name.as_str(), f.size, f.fld_id),
        ("clip.mp4", 3_000_000, 0)
    );
    assert_eq!(f.sha256.as_deref(), Some(want.as_str()));
    let stored = std::fs::read(dir.path().join(code)).expect("stored");
    assert_eq!(format!("{:x}", Sha256::digest(&stored)), want);
    // A session nobody issued is refused; the API key itself is accepted.
    let reply: Value = post(&c, &url, upload_form("notasession00000", "x.mp4", data(10))).await;
    assert_eq!(reply[0]["file_code"], "undef");
    assert_eq!(reply[0]["file_status"], "invalid session");
    let reply: Value = post(&c, &url, upload_form(sb.key(), "y.mp4", data(10))).await;
    assert_eq!(reply[0]["file_status"], "OK");
    assert_eq!(sb.state().file_count(), 2);
    sb.shutdown().await;
}

/// Whether an upload of `len` bytes gets an answer (a transport error: it does not).
async fn upload_arrives(c: &reqwest::Client, url: &str, key: &str, len: usize) -> bool {
    let sent = c
        .post(url)
        .multipart(upload_form(key, "big.mp4", data(len)));
    match sent.send().await {
        Ok(resp) => resp.text().await.is_ok(),
        Err(_) => false,
    }
}

/// A sandbox started with these upload faults.
async fn with_upload_faults(upload: UploadFaults) -> Sandbox {
    let config = SandboxConfig::with_upload(upload);
    Sandbox::start(config).await.expect("start")
}

#[tokio::test]
async fn upload_refused_then_the_port_is_closed() {
    // (An upload cut by `drop_after` is in `upload_faults_switch_while_running`.)
    let c = client();
    let refuse = with_upload_faults(UploadFaults::refusing(
        "uploads are not enabled for your account type",
    ))
    .await;
    let url = format!("{}/upload/01", refuse.base_url());
    let reply: Value = post(&c, &url, upload_form(refuse.key(), "a.mp4", data(100_000))).await;
    assert_eq!(reply[0]["file_code"], "undef");
    assert_eq!(
        reply[0]["file_status"],
        "uploads are not enabled for your account type"
    );
    let addr = refuse.addr();
    refuse.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn upload_faults_switch_while_running() {
    let sb = with_upload_faults(UploadFaults::cut_after(1_000_000)).await;
    assert_eq!(sb.upload_faults(), UploadFaults::cut_after(1_000_000));
    let c = client();
    let before = sb.state().file_count();
    let url = format!("{}/upload/01?upload_type=file&utype=reg", sb.base_url());
    assert!(
        !upload_arrives(&c, &url, sb.key(), 3_000_000).await,
        "cut while the fault is on"
    );
    assert_eq!(sb.state().file_count(), before);

    // Off: the same upload goes through.
    sb.set_upload_faults(UploadFaults::default());
    let reply = post(&c, &url, upload_form(sb.key(), "big.mp4", data(3_000_000))).await;
    assert_eq!(reply[0]["file_status"], "OK");
    assert_eq!(sb.state().file_count(), before + 1);

    // Refused from now on, and nothing stored.
    sb.set_upload_faults(UploadFaults::refusing("uploads are paused"));
    let reply = post(&c, &url, upload_form(sb.key(), "c.mp4", data(1000))).await;
    assert_eq!(reply[0]["file_code"], "undef");
    assert_eq!(reply[0]["file_status"], "uploads are paused");
    assert_eq!(sb.state().file_count(), before + 1);
    sb.shutdown().await;
}
