//! The API key never shows in an error or in the client's `Debug`, whatever the server sends
//! back: the request URL echoed in a page, the key in a message, in broken JSON, in a redirect.

use std::time::Duration;

use mp4u::api::ApiError;

use crate::common::*;

/// The account's key; a valid form, so it reaches the servers.
const SECRET: &str = "k3y7s3cr3t0f2t8h1e9u5s7e4r";

fn api(status: u16, msg: &str) -> Canned {
    Canned::json(
        serde_json::json!({"msg": msg, "server_time": "2024-01-01 00:00:00", "status": status})
            .to_string(),
    )
}

/// Runs a call against a server that always gives `answer`; returns the error.
async fn error_from(answer: Canned) -> ApiError {
    let server = canned(answer).await;
    client_for(&server.url(), SECRET)
        .account_info()
        .await
        .expect_err("the call fails")
}

fn assert_secret(what: &str, e: &ApiError) {
    let shown = e.to_string();
    let debug = format!("{e:?}");
    assert!(
        !leaks(&shown, SECRET),
        "{what}: the message shows the key: {shown}"
    );
    assert!(
        !leaks(&debug, SECRET),
        "{what}: Debug shows the key: {debug}"
    );
}

#[tokio::test]
async fn no_error_shows_the_key() {
    let mut errors: Vec<(&str, ApiError)> = Vec::new();

    // The sandbox refuses the key.
    let sb = demo().await;
    let c = client_for(&sb.base_url(), SECRET);
    errors.push(("wrong key", c.account_info().await.expect_err("403")));
    let dir = tempfile::tempdir().expect("tempdir");
    let (file, _) = random_file(dir.path(), "a.mp4", 1000, 9);
    errors.push((
        "wrong key, upload",
        c.upload(&file, None, |_| {}).await.expect_err("403"),
    ));

    // Nothing listens.
    let closed = client_for(&format!("http://127.0.0.1:{}", closed_port()), SECRET);
    errors.push((
        "connection refused",
        closed.account_info().await.expect_err("refused"),
    ));

    // Pages that echo the request URL, query and all.
    let echo = "<html><body><h1>Bad Gateway</h1><p>while fetching {REQUEST}</p></body></html>";
    errors.push((
        "502 echoing the URL",
        error_from(Canned::html("502 Bad Gateway", echo)).await,
    ));
    errors.push((
        "200 page echoing the URL",
        error_from(Canned::html("200 OK", "{REQUEST}")).await,
    ));
    errors.push((
        "API message echoing the URL",
        error_from(Canned::json(
            r#"{"status":404,"msg":"No such call: {REQUEST}"}"#,
        ))
        .await,
    ));

    // The key itself in the body or the message, also where an excerpt would cut it in two.
    errors.push((
        "invalid JSON holding the key",
        error_from(Canned::json(format!(r#"{{"msg":"key {SECRET} is "#))).await,
    ));
    errors.push((
        "invalid JSON, key at the excerpt's edge",
        error_from(Canned::json(format!("{}{SECRET}", "x".repeat(70)))).await,
    ));
    errors.push((
        "HTML 500, key at the excerpt's edge",
        error_from(Canned::html(
            "500 Internal Server Error",
            format!("{} {SECRET}", "word ".repeat(13)),
        ))
        .await,
    ));
    errors.push((
        "message holding the key",
        error_from(api(403, &format!("Wrong auth for key {SECRET}"))).await,
    ));
    errors.push((
        "message holding the key at its edge",
        error_from(api(403, &format!("{}{SECRET}", "y".repeat(190)))).await,
    ));
    errors.push((
        "unexpected result holding the key",
        error_from(Canned::json(format!(
            r#"{{"status":200,"msg":"OK","result":"{SECRET}"}}"#
        )))
        .await,
    ));

    // A redirect that carries the whole URL to a place where nothing listens.
    let mut redirect = Canned::html("302 Found", "");
    redirect.headers = format!(
        "Location: http://127.0.0.1:{}{{REQUEST}}\r\n",
        closed_port()
    );
    errors.push(("redirect to a closed port", error_from(redirect).await));

    // A server that hangs up.
    let server = raw_server(|_| Reaction::HangUp).await;
    errors.push((
        "hang-up",
        client_for(&server.url(), SECRET)
            .folder_list(0)
            .await
            .expect_err("no reply"),
    ));

    // Uploads: a server that refuses with the key in its reason, and one that never answers
    // the upload.
    let refusing = raw_server(|target| {
        if target.starts_with("/api/upload/server") {
            Reaction::Answer(Canned::json(
                r#"{"status":200,"msg":"OK","result":"http://{HOST}/upload/01","sess_id":"s1"}"#,
            ))
        } else {
            Reaction::Answer(Canned::json(format!(
                r#"[{{"file_code":"undef","file_status":"invalid session {SECRET}"}}]"#
            )))
        }
    })
    .await;
    let e = upload_via(&refusing, &file, None).await;
    assert!(matches!(e, ApiError::UploadRefused { .. }), "{e:?}");
    errors.push(("upload refused with the session", e));

    let silent = raw_server(|target| {
        if target.starts_with("/api/upload/server") {
            Reaction::Answer(Canned::json(
                r#"{"status":200,"msg":"OK","result":"http://{HOST}/upload/01","sess_id":"s2"}"#,
            ))
        } else {
            Reaction::Silent
        }
    })
    .await;
    // Every byte went out and nothing came back, and the server says nothing to the look-up
    // either: the file may be on the account.
    let e = upload_via(&silent, &file, Some(Duration::from_secs(1))).await;
    assert!(matches!(e, ApiError::UploadUnconfirmed { .. }), "{e:?}");
    errors.push(("upload stalled, then unconfirmed", e));

    // A server that gives no session: nothing is sent, and the sentence says why.
    let sessionless = raw_server(|target| {
        if target.starts_with("/api/upload/server") {
            Reaction::Answer(Canned::json(
                r#"{"status":200,"msg":"OK","result":"http://{HOST}/upload/01"}"#,
            ))
        } else {
            Reaction::HangUp
        }
    })
    .await;
    let e = upload_via(&sessionless, &file, None).await;
    assert!(matches!(e, ApiError::NoUploadSession { .. }), "{e:?}");
    assert!(
        !sessionless
            .targets()
            .iter()
            .any(|t| t.starts_with("/upload")),
        "nothing was posted to plain http: {:?}",
        sessionless.targets()
    );
    errors.push(("no session", e));

    assert!(errors.len() >= 16);
    for (what, e) in &errors {
        assert_secret(what, e);
    }
}

/// Uploads a file through a raw server; returns the error.
async fn upload_via(
    server: &RawServer,
    file: &std::path::Path,
    stall: Option<Duration>,
) -> ApiError {
    let mut c = client_for(&server.url(), SECRET);
    if let Some(stall) = stall {
        c = c.with_upload_stall(stall);
    }
    c.upload(file, None, |_| {}).await.expect_err("fails")
}

#[test]
fn the_client_debug_hides_the_key() {
    let c = client_for("http://127.0.0.1:1", SECRET);
    let debug = format!("{c:?}");
    assert!(!leaks(&debug, SECRET), "{debug}");
    assert!(debug.contains("127.0.0.1:1"), "{debug}");
}
