//! A server that speaks the API with the OTHER variations API.md lists (numeric ids, `status`
//! as a string, upload/server's URL and session inside an object, `file/list` as an object, the
//! `{"files":[…]}` and HTML textarea upload replies). The `mp4u` binary must work against it
//! unchanged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::common::*;
use axum::Json;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const KEY: &str = "variantkey0000000000";
const CODE_A: &str = "aaaa1111bbbb";
const CODE_B: &str = "cccc2222dddd";
const UPLOADED_CODE: &str = "newf1le0c0de";
const SESSION: &str = "variantsess00001";

/// How the upload server answers.
#[derive(Clone, Copy, Debug)]
enum UploadShape {
    /// `{"files":[{"filecode","filename","status"}]}`
    Files,
    /// An old HTML page with `<textarea name='fn'>` and `<textarea name='st'>`.
    Html,
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    sess_ids: Vec<String>,
    /// (file name, hex SHA-256 of its bytes)
    uploads: Vec<(String, String)>,
    /// (file_code, fld_id) of set_folder calls
    moves: Vec<(String, String)>,
}

#[derive(Clone)]
struct Variant {
    base: String,
    shape: UploadShape,
    seen: Arc<Mutex<Seen>>,
}

type Params = Query<HashMap<String, String>>;

/// The envelope with `status` as a string.
fn ok(result: Value) -> Response {
    Json(json!({"msg": "OK", "server_time": "2024-05-01 10:00:00", "status": "200", "result": result}))
        .into_response()
}

fn refuse_key(p: &HashMap<String, String>) -> Option<Response> {
    (p.get("key").map(String::as_str) != Some(KEY)).then(|| {
        Json(json!({"msg": "Wrong auth", "server_time": "2024-05-01 10:00:00", "status": "403"}))
            .into_response()
    })
}

async fn account_info(Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    ok(json!({
        "email": "variant@example.com",
        "balance": 12.5,
        "storage_used": 2048,
        "storage_left": "inf",
        "premium_expire": null,
    }))
}

async fn folder_list(Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    ok(json!({
        "folders": [{"name": "Sub", "fld_id": 24}, {"name": "Other", "fld_id": 25}],
        "files": [{
            "link": format!("https://www.mp4upload.com/{CODE_A}.html"),
            "uploaded": "2024-04-30 09:00:00",
            "file_code": CODE_A,
            "fld_id": 0,
            "name": "root video.mp4",
        }],
    }))
}

async fn file_list(Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    ok(json!({
        "files": [
            {"filecode": CODE_A, "name": "root video.mp4", "downloads": 5, "size": 1000,
             "uploaded": "2024-04-30 09:00:00", "fld_id": 0, "public": 1, "status": "200"},
            {"filecode": CODE_B, "name": "sub video.mkv", "downloads": 0, "size": 123456789,
             "uploaded": "2024-04-29 09:00:00", "fld_id": 24, "public": 0, "status": 200},
        ],
        "results_total": 2,
        "total_pages": 1,
    }))
}

async fn file_info(Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    let items: Vec<Value> = p
        .get("file_code")
        .map(String::as_str)
        .unwrap_or_default()
        .split(',')
        .map(|code| {
            if code == CODE_A {
                json!({"status": "200", "filecode": CODE_A, "name": "root video.mp4",
                       "download": 5, "size": 1000, "uploaded": "2024-04-30 09:00:00", "fld_id": 0})
            } else {
                json!({"status": "404", "filecode": code})
            }
        })
        .collect();
    ok(Value::Array(items))
}

/// upload/server with the URL and the session in an object (no top-level `sess_id`).
async fn upload_server(State(v): State<Variant>, Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    ok(json!({"url": format!("{}/cgi-bin/upload.cgi", v.base), "sess_id": SESSION}))
}

async fn set_folder(State(v): State<Variant>, Query(p): Params) -> Response {
    if let Some(r) = refuse_key(&p) {
        return r;
    }
    let code = p.get("file_code").cloned().unwrap_or_default();
    let fld = p.get("fld_id").cloned().unwrap_or_default();
    v.seen.lock().unwrap().moves.push((code, fld));
    Json(json!({"msg": "OK", "server_time": "2024-05-01 10:00:00", "status": "200"}))
        .into_response()
}

async fn upload(State(v): State<Variant>, mut form: Multipart) -> Response {
    let mut name = String::new();
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "sess_id" => {
                let text = field.text().await.unwrap_or_default();
                v.seen.lock().unwrap().sess_ids.push(text);
            }
            "file_0" | "file" => {
                name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.unwrap_or_default();
                let sha = format!("{:x}", Sha256::digest(&bytes));
                v.seen.lock().unwrap().uploads.push((name.clone(), sha));
            }
            _ => {
                let _ = field.bytes().await;
            }
        }
    }
    match v.shape {
        UploadShape::Files => Json(json!({
            "files": [{"filecode": UPLOADED_CODE, "filename": name, "status": "OK"}]
        }))
        .into_response(),
        UploadShape::Html => Html(format!(
            "<HTML><BODY><Form name='F1' action='' method='POST'>\
             <textarea name='op'>upload_result</textarea>\
             <textarea name='fn'>{UPLOADED_CODE}</textarea>\
             <textarea name='st'>OK</textarea></Form></BODY></HTML>"
        ))
        .into_response(),
    }
}

/// The variant server on its own runtime, for the life of a test.
struct Fixture {
    base: String,
    seen: Arc<Mutex<Seen>>,
    dir: tempfile::TempDir,
    _rt: tokio::runtime::Runtime,
}

impl Fixture {
    fn start(shape: UploadShape) -> Fixture {
        let rt = runtime();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let app = Router::new()
            .route("/api/account/info", get(account_info))
            .route("/api/folder/list", get(folder_list))
            .route("/api/file/list", get(file_list))
            .route("/api/file/info", get(file_info))
            .route("/api/file/set_folder", get(set_folder))
            .route("/api/upload/server", get(upload_server))
            .route("/cgi-bin/upload.cgi", post(upload))
            .with_state(Variant {
                base: base.clone(),
                shape,
                seen: Arc::clone(&seen),
            });
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fixture {
            base,
            seen,
            dir: tempfile::tempdir().expect("tempdir"),
            _rt: rt,
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        run_mp4u(
            &self.dir.path().join("config.toml"),
            Some(&self.base),
            Some(KEY),
            args,
        )
    }
}

#[test]
fn account_with_string_status_and_unlimited_storage() {
    let fx = Fixture::start(UploadShape::Files);
    let v = fx.run(&["account", "--json"]).json();
    assert_eq!(v["email"], "variant@example.com");
    assert_eq!(v["storage_used"], 2048);
    assert_eq!(v["storage_left"], "inf");
    assert_eq!(v["balance"], 12.5);
    let out = fx.run(&["account"]);
    out.ok();
    out.says("unlimited");
    out.says("$12.50");
    // A string "403" is still a refused key.
    let out = run_mp4u(
        &fx.dir.path().join("config.toml"),
        Some(&fx.base),
        Some(WRONG_KEY),
        &["account"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr_lines(),
        ["mp4u: mp4upload rejected the API key (403 Wrong auth)"]
    );
}

#[test]
fn ls_with_numeric_ids() {
    let fx = Fixture::start(UploadShape::Files);
    let v = fx.run(&["ls", "--json"]).json();
    assert_eq!(
        v["folders"],
        json!([{"fld_id": 24, "name": "Sub"}, {"fld_id": 25, "name": "Other"}])
    );
    assert_eq!(v["files"][0]["file_code"], CODE_A);
    assert_eq!(v["files"][0]["fld_id"], 0);
    let out = fx.run(&["ls"]);
    out.ok();
    assert!(
        out.stdout.contains("24") && out.stdout.contains("Sub/"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(CODE_A) && out.stdout.contains("root video.mp4"));
}

#[test]
fn files_as_an_object_with_totals() {
    let fx = Fixture::start(UploadShape::Files);
    let v = fx.run(&["files", "--json"]).json();
    assert_eq!(v["results_total"], 2);
    assert_eq!(v["total_pages"], 1);
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["file_code"], CODE_B);
    assert_eq!(files[1]["size"], 123456789);
    assert_eq!(files[1]["fld_id"], 24);
    assert_eq!(files[1]["public"], false);
    let out = fx.run(&["files"]);
    out.ok();
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    assert!(out.stdout.contains("sub video.mkv"));
}

#[test]
fn info_with_string_item_statuses() {
    let fx = Fixture::start(UploadShape::Files);
    // One file exists, one does not: exit 1, the missing one named on stderr.
    let run = fx.run(&["info", CODE_A, CODE_B, "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let v: Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v[0]["status"], 200);
    assert_eq!(v[0]["downloads"], 5);
    assert_eq!(v[1]["file_code"], CODE_B);
    assert_eq!(v[1]["status"], 404);
    let out = fx.run(&["info", CODE_A, CODE_B]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[1].contains(CODE_A), "{}", out.stdout);
    assert_eq!(lines.len(), 2, "only the file that exists: {}", out.stdout);
    out.complains(&format!("no such file: {CODE_B}"));
}

/// Uploads with `--folder` against a server of `shape`; checks what the server received.
fn upload_works(shape: UploadShape) {
    let fx = Fixture::start(shape);
    let (path, bytes) = random_file(fx.dir.path(), "variant clip.mp4", 150_000, 11);
    let path_text = path.to_str().expect("utf-8 path");
    let v = fx
        .run(&["upload", path_text, "--folder", "24", "--json"])
        .json();
    assert_eq!(v[0]["file_code"], UPLOADED_CODE, "{shape:?}: {v}");
    assert_eq!(v[0]["fld_id"], 24, "{shape:?}: {v}");
    assert_eq!(v[0]["url"], format!("{}/{UPLOADED_CODE}", fx.base));

    let out = fx.run(&["upload", path_text]);
    out.ok();
    assert_eq!(
        out.stdout,
        format!("{}/{UPLOADED_CODE}  variant clip.mp4\n", fx.base)
    );

    let seen = fx.seen.lock().unwrap();
    // The session read from inside the result; the key never goes as one over plain http.
    assert_eq!(seen.sess_ids, [SESSION, SESSION], "{shape:?}");
    let want = ("variant clip.mp4".to_string(), sha256_hex(&bytes));
    assert_eq!(seen.uploads, [want.clone(), want], "{shape:?}");
    assert_eq!(
        seen.moves,
        [(UPLOADED_CODE.to_string(), "24".to_string())],
        "{shape:?}"
    );
}

#[test]
fn upload_with_a_files_object_reply_and_the_session_in_an_object() {
    upload_works(UploadShape::Files);
}

#[test]
fn upload_with_an_html_textarea_reply_and_the_session_in_an_object() {
    upload_works(UploadShape::Html);
}
