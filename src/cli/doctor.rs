//! `mp4u doctor`: checks the setup against the real service and prints a report a user can
//! paste into a bug report: the key's form, whether the API answers and how fast, the upload
//! server (its scheme, whether it gives a session), TLS, what `file/list` says of its page size,
//! and the shape of every reply (field names and JSON types). Never a value, never the key:
//! only read-only calls, and the upload server's host is the one thing of a reply it names.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

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
    api_url: String,
    checks: Vec<Check>,
    /// For each call: its reply's paths and the JSON types seen there.
    shapes: BTreeMap<&'static str, Shape>,
}

pub async fn run(cx: &Context) -> Result<(), Failure> {
    let client = &cx.client;
    let mut report = Report {
        api_url: client.base_url().to_string(),
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
    report.checks.push(Check {
        name: "tls",
        ok: https && reached,
        detail: match (https, reached) {
            (true, true) => "the API is https and its certificate was verified".into(),
            (true, false) => "the API is https but could not be reached (see above)".into(),
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
    let mut out = format!("mp4u doctor: {}\n\n", report.api_url);
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
    out.push_str("\nReply shapes (field names and JSON types; no values):\n");
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
    let mut de = serde_json::Deserializer::from_slice(body);
    let read = ShapeSeed {
        path: String::new(),
        out: &mut shape,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if read.is_err() {
        shape.clear();
        let text = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
        let kind = if text.trim_start().starts_with('<') {
            "an HTML page"
        } else {
            "not JSON"
        };
        shape.entry("(body)".into()).or_default().insert(kind);
    }
    shape
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

struct ShapeSeed<'a> {
    path: String,
    out: &'a mut Shape,
}

impl ShapeSeed<'_> {
    fn record(self, kind: &'static str) {
        let path = if self.path.is_empty() {
            "(top)".to_string()
        } else {
            self.path
        };
        self.out.entry(path).or_default().insert(kind);
    }
}

impl<'de> DeserializeSeed<'de> for ShapeSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ShapeSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.record("boolean");
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.record("number");
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.record("number");
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.record("number");
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.record("string");
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.record("null");
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let path = format!("{}[]", self.path);
        let out = self.out;
        let own = if self.path.is_empty() {
            "(top)".to_string()
        } else {
            self.path
        };
        out.entry(own).or_default().insert("array");
        while seq
            .next_element_seed(ShapeSeed {
                path: path.clone(),
                out: &mut *out,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.out;
        let base = self.path;
        out.entry(if base.is_empty() {
            "(top)".into()
        } else {
            base.clone()
        })
        .or_default()
        .insert("object");
        while let Some(key) = map.next_key::<String>()? {
            let path = if base.is_empty() {
                shown_key(&key).to_string()
            } else {
                format!("{base}.{}", shown_key(&key))
            };
            map.next_value_seed(ShapeSeed {
                path,
                out: &mut *out,
            })?;
        }
        Ok(())
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
