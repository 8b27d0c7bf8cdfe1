//! Reads file codes out of whatever people paste: bare codes, `https://www.mp4upload.com/CODE`,
//! `…/CODE.html`, embed links, separated by spaces, commas or new lines. Duplicates and
//! anything that is not a code are counted, not fatal. And writes links in the forms sites
//! take ([`LinkFormat`], [`render`]).

mod formats;

use std::collections::HashSet;

use crate::api::is_code;

pub use formats::{
    LinkFile, LinkFormat, embed_link, html_escape, markdown_destination, markdown_text, render,
    render_one,
};

/// Whether links of `host` (`name[:port]`) are links of the server `extra`: the same host, or
/// both on this machine's loopback (a sandbox's port changes between runs).
fn same_server(host: &str, extra: &str) -> bool {
    let extra = extra.to_ascii_lowercase();
    if host == extra {
        return true;
    }
    let name = |h: &str| -> String {
        match h.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6).to_string(),
            None => h.rsplit_once(':').map_or(h, |(n, _)| n).to_string(),
        }
    };
    let loopback = |n: &str| {
        n == "localhost"
            || n.parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    };
    loopback(&name(host)) && loopback(&name(&extra))
}

/// What a paste held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedLinks {
    /// Codes in the order they first appeared.
    pub codes: Vec<String>,
    /// Codes seen again.
    pub duplicates: usize,
    /// Pieces that are neither a code nor a link to one.
    pub ignored: Vec<String>,
}

/// The code in one piece of text, if it is a code or a link to one. `extra_host` is another
/// host whose links count (the sandbox's, in the demo): on this machine's loopback, any port
/// counts, since each demo or sandbox run listens on a port of its own.
pub fn code_of(piece: &str, extra_host: Option<&str>) -> Option<String> {
    let piece = piece.trim_matches(|c: char| "\"'<>()[]{}".contains(c) || c.is_whitespace());
    if piece.is_empty() {
        return None;
    }
    let is_link = piece.contains("://") || piece.contains('/') || piece.starts_with("www.");
    let candidate = if is_link {
        let without_scheme = piece.split_once("://").map_or(piece, |(_, rest)| rest);
        let (host, path) = without_scheme
            .split_once('/')
            .unwrap_or((without_scheme, ""));
        let host = host.to_ascii_lowercase();
        let host_ok =
            host.contains("mp4upload") || extra_host.is_some_and(|extra| same_server(&host, extra));
        if !host_ok {
            return None;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let last = path.split('/').rfind(|s| !s.is_empty())?;
        let last = last.strip_suffix(".html").unwrap_or(last);
        let last = last.strip_prefix("embed-").unwrap_or(last);
        // `…/CODE/name.mp4.html` style: the code is the first segment.
        if is_code(last) {
            last.to_string()
        } else {
            path.split('/').find(|s| is_code(s))?.to_string()
        }
    } else {
        piece.to_string()
    };
    is_code(&candidate).then(|| candidate.to_ascii_lowercase())
}

/// Every code in `text`, once each, in order.
pub fn parse(text: &str, extra_host: Option<&str>) -> ParsedLinks {
    let mut out = ParsedLinks::default();
    let mut seen = HashSet::new();
    for piece in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        if piece.trim().is_empty() {
            continue;
        }
        match code_of(piece, extra_host) {
            Some(code) if seen.insert(code.clone()) => out.codes.push(code),
            Some(_) => out.duplicates += 1,
            None => out.ignored.push(piece.to_string()),
        }
    }
    out
}

impl ParsedLinks {
    /// `12 codes, 2 duplicates and 1 unrecognised piece ignored`.
    pub fn summary(&self) -> String {
        let mut text = crate::format::plural(self.codes.len(), "code");
        let mut skipped = Vec::new();
        if self.duplicates > 0 {
            skipped.push(crate::format::plural(self.duplicates, "duplicate"));
        }
        if !self.ignored.is_empty() {
            skipped.push(crate::format::plural(
                self.ignored.len(),
                "unrecognised piece",
            ));
        }
        if !skipped.is_empty() {
            text.push_str(&format!("; {} ignored", skipped.join(" and ")));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sandbox_on_loopback_is_one_server_whatever_its_port() {
        for (a, b, same) in [
            ("127.0.0.1:41234", "127.0.0.1:5555", true),
            ("localhost:80", "127.0.0.1:9", true),
            ("[::1]:8080", "127.0.0.1:9", true),
            ("example.com:41234", "127.0.0.1:41234", false),
            ("127.0.0.1:41234", "files.example.com", false),
            ("files.example.com", "FILES.example.com", true),
        ] {
            assert_eq!(same_server(a, b), same, "{a} and {b}");
        }
        assert_eq!(
            code_of("http://127.0.0.1:1/xvbothd0wtfl", Some("127.0.0.1:2")).as_deref(),
            Some("xvbothd0wtfl")
        );
        assert_eq!(code_of("http://127.0.0.1:1/xvbothd0wtfl", None), None);
    }

    #[test]
    fn every_form() {
        let text = "gi4o0tlro01u, https://www.mp4upload.com/abc123def456\n\
                    https://www.mp4upload.com/qwe123rty456.html  http://mp4upload.com/embed-zxc098vbn765.html\n\
                    www.mp4upload.com/poi987lkj654 https://www.mp4upload.com/mnb456vcx321/My_Video.mp4.html\n\
                    'GI4O0TLRO01U' <https://www.mp4upload.com/abc123def456?autoplay=1#t=3>";
        let parsed = parse(text, None);
        assert_eq!(
            parsed.codes,
            [
                "gi4o0tlro01u",
                "abc123def456",
                "qwe123rty456",
                "zxc098vbn765",
                "poi987lkj654",
                "mnb456vcx321"
            ]
        );
        assert_eq!(parsed.duplicates, 2);
        assert!(parsed.ignored.is_empty(), "{:?}", parsed.ignored);
    }

    #[test]
    fn garbage_is_counted() {
        let parsed = parse(
            "hello https://youtube.com/watch?v=abcdefghijkl ab-cd ;; x https://www.mp4upload.com/",
            None,
        );
        assert!(parsed.codes.is_empty());
        assert_eq!(parsed.ignored.len(), 5, "{:?}", parsed.ignored);
        assert_eq!(parsed.summary(), "0 codes; 5 unrecognised pieces ignored");
    }

    #[test]
    fn the_sandbox_host_counts_when_named() {
        let link = "http://127.0.0.1:4242/abc123def456";
        assert!(parse(link, None).codes.is_empty());
        assert_eq!(parse(link, Some("127.0.0.1:4242")).codes, ["abc123def456"]);
    }
}
