//! Tiny HTML pages: `/`, `/{code}` and `/{code}.html`, so "open in browser" lands somewhere.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::service::Service;

pub async fn index(State(app): State<Service>) -> Html<String> {
    Html(page(
        "mp4u sandbox",
        &format!(
            "<h1>mp4u sandbox</h1><p>A local stand-in for the mp4upload API, \
             serving {} files.</p><p>API base: <code>{}/api/</code></p>",
            app.state.file_count(),
            escape(&app.state.base_url())
        ),
    ))
}

pub async fn file_page(State(app): State<Service>, Path(segment): Path<String>) -> Response {
    let code = segment.strip_suffix(".html").unwrap_or(&segment);
    match app.state.file(code) {
        Some(f) => Html(page(
            &f.name,
            &format!(
                "<h1>{}</h1><dl><dt>Size</dt><dd>{} ({} bytes)</dd>\
                 <dt>Uploaded</dt><dd>{}</dd><dt>Downloads</dt><dd>{}</dd>\
                 <dt>File code</dt><dd><code>{}</code></dd></dl>\
                 <p><em>Sandbox copy: there is no video to play here.</em></p>",
                escape(&f.name),
                human_size(f.size),
                f.size,
                escape(&f.uploaded),
                f.downloads,
                escape(&f.code)
            ),
        ))
        .into_response(),
        None => not_found().await,
    }
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "File not found",
            "<h1>File not found</h1><p>The file you were looking for could not be found, sorry.</p>",
        )),
    )
        .into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{} - mp4u sandbox</title>\
         </head><body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\">{body}</body></html>\n",
        escape(title)
    )
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(escape("<a&'\">"), "&lt;a&amp;&#39;&quot;&gt;");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1_500_000), "1.5 MB");
    }
}
