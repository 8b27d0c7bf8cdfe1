//! `POST /upload/01`: multipart upload, streamed chunk by chunk (hashed, counted,
//! optionally stored), never held in memory whole.

use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::clock;
use super::service::Service;
use super::state::FileRecord;

/// Longest `sess_id` field read.
const MAX_SESS_LEN: usize = 256;

/// Why reading the upload stopped early.
enum Stop {
    /// `UploadFaults::drop_after` reached, or the client broke the body: cut the connection.
    Abort,
    /// Storing the bytes failed: refuse with this reason.
    Store(String),
}

/// A file received in full.
struct Received {
    code: String,
    name: String,
    size: u64,
    sha256: String,
    part: Option<PathBuf>,
}

/// Counts body bytes, throttles and decides when to cut the connection.
struct Meter {
    read: u64,
    started: Instant,
    rate: Option<u64>,
    drop_after: Option<u64>,
    /// Every upload's bytes, counted as they are read.
    total: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Meter {
    async fn advance(&mut self, n: usize) -> Result<(), Stop> {
        self.read += n as u64;
        self.total
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        if self.drop_after.is_some_and(|limit| self.read >= limit) {
            return Err(Stop::Abort);
        }
        if let Some(rate) = self.rate.filter(|r| *r > 0) {
            let due = Duration::from_secs_f64(self.read as f64 / rate as f64);
            let elapsed = self.started.elapsed();
            if due > elapsed {
                tokio::time::sleep(due - elapsed).await;
            }
        }
        Ok(())
    }
}

pub async fn upload(
    State(app): State<Service>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // Counted as `upload` ([`super::Sandbox::calls_of`]): every upload that reached the server.
    app.api_faults.count("upload");
    let Ok(mut multipart) = multipart else {
        return refused("invalid request: multipart/form-data expected");
    };
    // Read once: a fault switched while this upload runs applies to the next one.
    let faults = app.upload_faults();
    let mut meter = Meter {
        read: 0,
        started: Instant::now(),
        rate: faults.bytes_per_sec,
        drop_after: faults.drop_after,
        total: app.state.upload_counter(),
    };
    let mut sess: Option<String> = None;
    let mut received: Vec<Received> = Vec::new();
    let outcome = loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break Ok(()),
            Err(_) => break Err(Stop::Abort),
        };
        let name = field.name().unwrap_or_default().to_string();
        let step = if name == "sess_id" {
            read_small(field).await.map(|s| sess = Some(s))
        } else if name == "file" || name.starts_with("file_") {
            // Refused before the file? Read and discard, store nothing.
            let doomed =
                faults.refuse.is_some() || sess.as_deref().is_some_and(|s| !session_ok(&app, s));
            if doomed {
                drain(field, &mut meter).await
            } else {
                receive(&app, field, &mut meter)
                    .await
                    .map(|r| received.push(r))
            }
        } else {
            drain(field, &mut meter).await
        };
        if let Err(stop) = step {
            break Err(stop);
        }
    };
    match outcome {
        Err(Stop::Abort) => {
            discard(&received).await;
            abort()
        }
        Err(Stop::Store(reason)) => {
            discard(&received).await;
            refused(&reason)
        }
        Ok(()) => {
            if let Some(ms) = faults.store_late_ms {
                // Stored later, by a task of its own: it happens whether or not the sender is
                // still there to read the answer (its going drops this handler, not the task).
                let delay = Duration::from_millis(ms);
                let (app, refuse, sess) = (app.clone(), faults.refuse.clone(), sess.clone());
                let stored = tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    finish(&app, refuse.as_deref(), sess.as_deref(), received).await
                });
                let reply = stored.await.unwrap_or_else(|_| abort());
                return if faults.drop_reply { abort() } else { reply };
            }
            let reply = finish(&app, faults.refuse.as_deref(), sess.as_deref(), received).await;
            // The file is kept; the answer is lost on the way.
            if faults.drop_reply { abort() } else { reply }
        }
    }
}

async fn finish(
    app: &Service,
    refuse: Option<&str>,
    sess: Option<&str>,
    received: Vec<Received>,
) -> Response {
    if let Some(reason) = refuse {
        discard(&received).await;
        return refused(reason);
    }
    if !sess.is_some_and(|s| session_ok(app, s)) {
        discard(&received).await;
        return refused("invalid session");
    }
    if sess == Some(app.config.key.as_str()) {
        // The key standing in for a session: counted, so tests can say it never came here
        // over plain http.
        app.state.count_key_session();
    }
    if received.is_empty() {
        return refused("no file");
    }
    // A code with a failure status: the server's words, and the file not kept.
    if let Some(status) = app.quirks().upload_status {
        discard(&received).await;
        let items: Vec<Value> = received
            .iter()
            .map(|r| json!({"file_code": r.code, "file_status": status}))
            .collect();
        return Json(Value::Array(items)).into_response();
    }
    let mut items = Vec::new();
    for r in received {
        if r.size == 0 {
            discard(std::slice::from_ref(&r)).await;
            items.push(json!({"file_code": "undef", "file_status": "file is empty"}));
            continue;
        }
        if let (Some(part), Some(dir)) = (&r.part, &app.config.store_dir)
            && tokio::fs::rename(part, dir.join(&r.code)).await.is_err()
        {
            items.push(json!({"file_code": "undef", "file_status": "could not store the file"}));
            continue;
        }
        app.state.insert_file(FileRecord {
            code: r.code.clone(),
            name: r.name,
            size: r.size,
            downloads: 0,
            fld_id: 0,
            uploaded: clock::now_stamp(),
            public: true,
            sha256: Some(r.sha256),
        });
        items.push(json!({"file_code": r.code, "file_status": "OK"}));
    }
    Json(Value::Array(items)).into_response()
}

fn session_ok(app: &Service, sess: &str) -> bool {
    sess == app.config.key || app.state.session_ok(sess)
}

/// Streams one file field: hash, count, maybe store as `<code>.part`.
async fn receive(app: &Service, mut field: Field<'_>, meter: &mut Meter) -> Result<Received, Stop> {
    let code = app.state.new_code();
    let name = file_name(field.file_name());
    let part = app
        .config
        .store_dir
        .as_ref()
        .map(|d| d.join(format!("{code}.part")));
    let mut out = match &part {
        Some(p) => Some(tokio::fs::File::create(p).await.map_err(store_err)?),
        None => None,
    };
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let result = async {
        while let Some(chunk) = field.chunk().await.map_err(|_| Stop::Abort)? {
            hasher.update(&chunk);
            size += chunk.len() as u64;
            if let Some(f) = out.as_mut() {
                f.write_all(&chunk).await.map_err(store_err)?;
            }
            meter.advance(chunk.len()).await?;
        }
        if let Some(f) = out.as_mut() {
            f.flush().await.map_err(store_err)?;
        }
        Ok(())
    }
    .await;
    drop(out);
    if let Err(stop) = result {
        if let Some(p) = &part {
            let _ = tokio::fs::remove_file(p).await;
        }
        return Err(stop);
    }
    Ok(Received {
        code,
        name,
        size,
        sha256: hex(&hasher.finalize()),
        part,
    })
}

fn store_err(e: io::Error) -> Stop {
    Stop::Store(format!("could not store the file: {e}"))
}

/// Reads and discards a field (still counted and throttled).
async fn drain(mut field: Field<'_>, meter: &mut Meter) -> Result<(), Stop> {
    while let Some(chunk) = field.chunk().await.map_err(|_| Stop::Abort)? {
        meter.advance(chunk.len()).await?;
    }
    Ok(())
}

/// Reads a short text field; longer ones are cut at [`MAX_SESS_LEN`] bytes.
async fn read_small(mut field: Field<'_>) -> Result<String, Stop> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| Stop::Abort)? {
        let room = MAX_SESS_LEN.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&buf).trim().to_string())
}

async fn discard(received: &[Received]) {
    for p in received.iter().filter_map(|r| r.part.as_deref()) {
        let _ = tokio::fs::remove_file(p).await;
    }
}

/// The last path component of the multipart filename, without control chars.
fn file_name(raw: Option<&str>) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "upload.bin".to_string()
    } else {
        clean.to_string()
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `[{"file_code":"undef","file_status":reason}]`.
fn refused(reason: &str) -> Response {
    Json(json!([{"file_code": "undef", "file_status": reason}])).into_response()
}

/// A response whose body fails at once: hyper closes the connection before
/// sending anything, so the client sees a transport error, not a reply.
fn abort() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, io::Error>(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "upload cut by the sandbox",
        ))
    });
    Body::from_stream(failing).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hex() {
        assert_eq!(file_name(Some("C:\\videos\\a.mp4")), "a.mp4");
        assert_eq!(file_name(Some("/tmp/x/b c.mp4")), "b c.mp4");
        assert_eq!(file_name(Some("")), "upload.bin");
        assert_eq!(file_name(None), "upload.bin");
        assert_eq!(file_name(Some("a\u{7}b.mp4")), "ab.mp4");
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
