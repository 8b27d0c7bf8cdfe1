//! `mp4u doctor`: checks the setup against the real service and prints a report a user can
//! paste into a bug report: the key's form, whether the API answers and how fast, the upload
//! server (its scheme, whether it gives a session), TLS, what `file/list` says of its page size,
//! and the shape of every reply (field names and JSON types). Never a value, never the key:
//! only read-only calls, and the upload server's host is the one thing of a reply it names.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::Serialize;

use super::{Context, Failure};
use crate::api::{ApiError, FileListQuery, envelope};

/// One check: what was tried, whether it worked, and what it found.
#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    millis: Option<u64>,
}

/// The paths of a reply (`result[].filecode`) and the JSON types seen at each.
type Shape = BTreeMap<String, BTreeSet<&'static str>>;

#[derive(Debug, Serialize)]
struct Report {
    /// This mp4u and where it runs: what a bug report needs besides the checks.
    setup: Vec<(String, String)>,
    api_url: String,
    checks: Vec<Check>,
    /// For each call: its reply's paths and the JSON types seen there.
    shapes: BTreeMap<&'static str, Shape>,
}

/// `mp4u doctor`: what this mp4u is and where it runs, then, when a key and the config allow,
/// the checks against the service. A missing key or a config that cannot be used is said, not
/// a reason to print nothing.
pub async fn diagnose(cli: &super::Cli) -> Result<(), Failure> {
    let mut setup = vec![
        ("mp4u".to_string(), env!("CARGO_PKG_VERSION").to_string()),
        (
            "system".into(),
            format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        ),
        ("terminal".into(), terminal_line()),
    ];
    let config_path = cli
        .config
        .clone()
        .or_else(crate::config::default_path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(none known)".into());
    let settings = if cli.demo {
        setup.push(("config".into(), "the demo reads none".into()));
        None
    } else {
        match crate::config::Settings::resolve(
            cli.config.as_deref(),
            cli.api_url.as_deref(),
            cli.profile.as_deref(),
        ) {
            Ok(settings) => {
                let problems = settings.file.problems();
                let verdict = if !std::path::Path::new(&config_path).exists() {
                    if cli.config.is_some() {
                        // Every other command stops on this (exit 3).
                        "no such file: --config names it (create it, or leave out --config)"
                            .to_string()
                    } else {
                        "none there (the defaults)".to_string()
                    }
                } else if problems.is_empty() {
                    "read".to_string()
                } else {
                    format!("read; {}", problems.join("; "))
                };
                setup.push(("config".into(), format!("{config_path}: {verdict}")));
                Some(settings)
            }
            Err(e) => {
                setup.push(("config".into(), e.to_string()));
                None
            }
        }
    };
    if let Some(settings) = &settings {
        setup.push((
            "profile".into(),
            settings
                .profile
                .clone()
                .unwrap_or_else(|| "none (the top level)".into()),
        ));
        setup.push(("key from".into(), settings.key_source().into()));
        setup.push(("settings".into(), settings_line(settings)));
    }
    let profile = settings.as_ref().and_then(|s| s.profile.as_deref());
    let state = crate::queue::default_dir(cli.demo, profile);
    let queued = state
        .as_ref()
        .and_then(|dir| crate::queue::Queue::open(dir).ok())
        .and_then(|q| q.entries().ok())
        .map(|entries| {
            let unfinished = entries.iter().filter(|e| !e.state.is_done()).count();
            format!("{} uploads, {unfinished} unfinished", entries.len())
        })
        .unwrap_or_else(|| "no queue".into());
    setup.push((
        "upload queue".into(),
        match &state {
            Some(dir) => format!("{}: {queued}", dir.display()),
            None => "no state directory is known".into(),
        },
    ));
    setup.push((
        "log".into(),
        crate::config::default_log_path().map_or_else(
            || "(no state directory)".into(),
            |p| p.display().to_string(),
        ),
    ));

    let why_not = match &settings {
        _ if cli.demo => None,
        None => Some("the config file cannot be used (see config above)".to_string()),
        Some(s) if !s.has_key() => Some(format!(
            "no API key: set {} or api_key in the config file",
            crate::config::ENV_KEY
        )),
        Some(_) => None,
    };
    if let Some(why) = why_not {
        let report = Report {
            setup,
            api_url: settings.as_ref().map_or_else(
                || "(not known: see config)".into(),
                |s| without_userinfo(&s.base_url),
            ),
            checks: vec![Check {
                name: "service",
                ok: false,
                detail: format!("not checked: {why}"),
                millis: None,
            }],
            shapes: BTreeMap::new(),
        };
        let out = super::Output { json: cli.json };
        out.print(&report, || render(&report))?;
        return Err(Failure::Api(format!("the service was not checked: {why}")));
    }
    let cx = super::context(cli).await?;
    run(&cx, setup).await
}

/// `TERM`, `COLORTERM` and whether `NO_COLOR` is set.
fn terminal_line() -> String {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "(unset)".into());
    format!(
        "TERM={} COLORTERM={} NO_COLOR {}",
        var("TERM"),
        var("COLORTERM"),
        if std::env::var_os("NO_COLOR").is_some() {
            "set"
        } else {
            "unset"
        }
    )
}

/// The settings in effect (never the key).
fn settings_line(settings: &crate::config::Settings) -> String {
    let f = &settings.file;
    format!(
        "parallel_uploads={} max_upload_bytes={} bwlimit={} upload_settle={}s sort={} \
         link_format={}",
        settings.parallel_uploads(),
        settings.max_upload_bytes(),
        match settings.bwlimit(None) {
            Ok(Some(rate)) => crate::format::size(rate) + "/s",
            Ok(None) => "none".into(),
            Err(e) => e,
        },
        settings.patience().settle.as_secs(),
        f.sort.as_deref().unwrap_or("(default)"),
        f.link_format.as_deref().unwrap_or("(default)"),
    )
}

/// An address without a user name or password in it (`http://bob:pw@host` is `http://host`).
fn without_userinfo(address: &str) -> String {
    match url::Url::parse(address) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

async fn run(cx: &Context, setup: Vec<(String, String)>) -> Result<(), Failure> {
    let client = &cx.client;
    let mut report = Report {
        setup,
        api_url: without_userinfo(client.base_url()),
        checks: Vec::new(),
        shapes: BTreeMap::new(),
    };
    report.checks.push(Check {
        name: "key",
        ok: true,
        detail: "well formed (16 or more lowercase letters and digits); never shown".into(),
        millis: None,
    });
    let https = client.base_url().starts_with("https://");

    // Every read-only call, once: its shape, status and time.
    let calls: [(&'static str, Vec<(&str, String)>); 5] = [
        ("account/info", vec![]),
        ("account/stats", vec![("last", "1".into())]),
        ("folder/list", vec![("fld_id", "0".into())]),
        ("files/deleted", vec![("last", "1".into())]),
        ("upload/server", vec![]),
    ];
    let mut reached = false;
    for (call, params) in calls {
        match client.raw_get(call, &params).await {
            Ok((status, body, took)) => {
                reached = true;
                report.shapes.insert(call, shape_of(&body));
                let verdict = envelope::decode(status, &body, "");
                report.checks.push(Check {
                    name: call,
                    ok: verdict.is_ok(),
                    detail: match &verdict {
                        Ok(env) => format!("answered (HTTP {status}, status {})", env.status),
                        Err(e) => e.to_string(),
                    },
                    millis: Some(millis(took)),
                });
            }
            Err(e) => report.checks.push(Check {
                name: call,
                ok: false,
                detail: e.to_string(),
                millis: None,
            }),
        }
    }
    // A sandbox on this machine's loopback (the demo) is plain http and harmless.
    let on_loopback =
        url::Url::parse(client.base_url()).is_ok_and(|u| !crate::api::sends_in_the_clear(&u));
    report.checks.push(Check {
        name: "tls",
        ok: (https || on_loopback) && reached,
        detail: match (https, reached) {
            (true, true) => "the API is https and its certificate was verified".into(),
            (true, false) => "the API is https but could not be reached (see above)".into(),
            (false, _) if on_loopback => {
                "the API is on this machine (plain http over loopback: nothing leaves it)".into()
            }
            (false, _) => "the API address is plain http: the key travels unencrypted".into(),
        },
        millis: None,
    });

    // The upload server: scheme, host, session.
    match client.upload_server().await {
        Ok(server) => {
            let url = url::Url::parse(&server.url).ok();
            let scheme = url.as_ref().map_or("?", |u| u.scheme()).to_string();
            let host = url
                .as_ref()
                .and_then(|u| u.host_str())
                .unwrap_or("?")
                .to_string();
            let session = server.sess_id.is_some();
            report.checks.push(Check {
                name: "upload server",
                ok: session || scheme == "https",
                detail: format!(
                    "{scheme}://{host}; {}",
                    match (session, scheme.as_str()) {
                        (true, "https") => "a session was given".to_string(),
                        (true, _) => "a session was given (files travel unencrypted)".into(),
                        (false, "https") =>
                            "no session: the key stands in for one, over https".into(),
                        (false, _) => "no session and plain http: mp4u will not upload there \
                                       (the key never goes over plain http)"
                            .into(),
                    }
                ),
                millis: None,
            });
        }
        Err(e) => report.checks.push(Check {
            name: "upload server",
            ok: false,
            detail: e.to_string(),
            millis: None,
        }),
    }

    page_size_check(cx, &mut report).await;

    let failed = report.checks.iter().filter(|c| !c.ok).count();
    cx.out.print(&report, || render(&report))?;
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Api(format!(
            "{} of {} checks failed (the report above says why)",
            failed,
            report.checks.len()
        )))
    }
}

/// What `file/list` says of its page size, whether its files name their folder, and whether
/// names keep their extension; and `file/info`'s shape on the codes it listed.
async fn page_size_check(cx: &Context, report: &mut Report) {
    let client = &cx.client;
    let first = FileListQuery {
        page: Some(1),
        per_page: Some(crate::api::paging::ASK_PER_PAGE),
        ..Default::default()
    };
    let raw = client
        .raw_get(
            "file/list",
            &[
                ("page", "1".into()),
                ("per_page", crate::api::paging::ASK_PER_PAGE.to_string()),
            ],
        )
        .await;
    if let Ok((_, body, _)) = &raw {
        report.shapes.insert("file/list", shape_of(body));
    }
    let page = match client.file_list(&first).await {
        Ok(page) => page,
        Err(e) => {
            report.checks.push(Check {
                name: "file/list",
                ok: false,
                detail: e.to_string(),
                millis: None,
            });
            return;
        }
    };
    let n = page.files.len() as u64;
    let mut detail = if n == crate::api::paging::ASK_PER_PAGE {
        format!("{n} files on a page when {n} are asked: no cap below that")
    } else if n == 0 {
        "no files on the account: the page size is not known".into()
    } else {
        // One more page, asked with the size that came, tells a cap from the last page.
        let second = client
            .file_list(&FileListQuery {
                page: Some(2),
                per_page: Some(n),
                ..Default::default()
            })
            .await;
        match second {
            Ok(next) if next.files.is_empty() => {
                format!("{n} files in all, on one page (the cap, if any, is {n} or more)")
            }
            Ok(_) => format!("pages capped at {n} files (asked for 500)"),
            Err(e) => format!("{n} files on the first page; the second failed: {e}"),
        }
    };
    let with_folder = page.files.iter().filter(|f| f.fld_id.is_some()).count();
    let with_ext = page
        .files
        .iter()
        .filter(|f| {
            f.name
                .as_deref()
                .is_some_and(|name| crate::api::name_stem(name).len() < name.len())
        })
        .count();
    if n > 0 {
        detail.push_str(&format!(
            "; {with_folder} of {n} name their folder; {with_ext} of {n} names have an extension"
        ));
    }
    report.checks.push(Check {
        name: "file/list",
        ok: true,
        detail,
        millis: None,
    });
    let codes: Vec<String> = page
        .files
        .iter()
        .take(3)
        .map(|f| f.file_code.clone())
        .collect();
    if !codes.is_empty()
        && let Ok((status, body, took)) = client
            .raw_get("file/info", &[("file_code", codes.join(","))])
            .await
    {
        report.shapes.insert("file/info", shape_of(&body));
        let verdict = envelope::decode(status, &body, "");
        report.checks.push(Check {
            name: "file/info",
            ok: verdict.is_ok(),
            detail: verdict.map_or_else(
                |e: ApiError| e.to_string(),
                |_| format!("answered about {} listed files", codes.len()),
            ),
            millis: Some(millis(took)),
        });
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn render(report: &Report) -> String {
    let mut out = String::from("mp4u doctor\n\n");
    for (what, value) in &report.setup {
        out.push_str(&format!("  {what:<14} {value}\n"));
    }
    out.push_str(&format!("\nThe service at {}:\n", report.api_url));
    for check in &report.checks {
        let time = check
            .millis
            .map(|ms| format!(" ({ms} ms)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {:<14} {}{time}\n",
            if check.ok { "ok  " } else { "FAIL" },
            check.name,
            check.detail
        ));
    }
    if !report.shapes.is_empty() {
        out.push_str("\nReply shapes (field names and JSON types; no values):\n");
    }
    for (call, shape) in &report.shapes {
        out.push_str(&format!("  {call}\n"));
        for (path, types) in shape {
            let types: Vec<&str> = types.iter().copied().collect();
            out.push_str(&format!("    {path}: {}\n", types.join("|")));
        }
    }
    out.push_str("\nNothing above is a value from your account; it is safe to paste.\n");
    out
}

/// The shape of a reply body: every path and the JSON types seen there, read without keeping
/// any value. A body that is not JSON is described by what it looks like.
fn shape_of(body: &[u8]) -> Shape {
    let mut shape = Shape::new();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => record_shape(&value, String::new(), &mut shape),
        Err(_) => {
            let text = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            let kind = if text.trim_start().starts_with('<') {
                "an HTML page"
            } else {
                "not JSON"
            };
            shape.entry("(body)".into()).or_default().insert(kind);
        }
    }
    shape
}

/// Records the JSON type of `value` at `path`, and of everything inside it below.
fn record_shape(value: &serde_json::Value, path: String, out: &mut Shape) {
    use serde_json::Value;
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let own = if path.is_empty() {
        "(top)".to_string()
    } else {
        path.clone()
    };
    out.entry(own).or_default().insert(kind);
    match value {
        Value::Array(items) => {
            for item in items {
                record_shape(item, format!("{path}[]"), out);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                let inner = if path.is_empty() {
                    shown_key(key).to_string()
                } else {
                    format!("{path}.{}", shown_key(key))
                };
                record_shape(field, inner, out);
            }
        }
        _ => {}
    }
}

/// A field name as the report may show it: letters and underscores only (a name holding digits
/// may be a file code or an id, which are the user's).
fn shown_key(key: &str) -> &str {
    if !key.is_empty()
        && key.len() <= 40
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        key
    } else {
        "<key>"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_name_fields_and_types_never_values() {
        let body = br#"{"msg":"OK","status":200,"result":[{"filecode":"abc123def456","size":"20",
            "fld_id":15},{"filecode":"x9","size":20,"name":"secret name.mp4"}],
            "sess_id":"s3cr3t","abc123def456":{"a":1}}"#;
        let shape = shape_of(body);
        let text = format!("{shape:?}");
        for secret in ["abc123def456", "secret name", "s3cr3t", "x9"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(shape["result[].size"], BTreeSet::from(["number", "string"]));
        assert!(shape.contains_key("result[].fld_id"));
        assert!(shape.contains_key("<key>.a"));
        assert_eq!(shape["result"], BTreeSet::from(["array"]));
        assert_eq!(
            shape_of(b"<html>502</html>")["(body)"],
            BTreeSet::from(["an HTML page"])
        );
    }
}
