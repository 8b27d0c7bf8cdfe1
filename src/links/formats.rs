//! Links in the forms sites take: a bare link, an embed link, BBCode, HTML, Markdown, CSV and
//! JSON. `mp4u links` prints them; the file manager copies and exports them with the same code.

use std::fmt;

use serde::Serialize;

use crate::api::{FileInfo, file_link};

/// How links are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinkFormat {
    /// `https://www.mp4upload.com/CODE`
    #[default]
    Plain,
    /// `https://www.mp4upload.com/embed-CODE.html` (the player alone, for an iframe)
    Embed,
    /// `[url=LINK]NAME[/url]`
    Bbcode,
    /// `<a href="LINK">NAME</a>`
    Html,
    /// `[NAME](LINK)`
    Markdown,
    /// A header, then `name,code,link,embed,size,uploaded,folder` per file.
    Csv,
    /// An array of objects with the fields of the CSV.
    Json,
}

impl LinkFormat {
    /// Every format, in the order the help lists them.
    pub const ALL: [LinkFormat; 7] = [
        LinkFormat::Plain,
        LinkFormat::Embed,
        LinkFormat::Bbcode,
        LinkFormat::Html,
        LinkFormat::Markdown,
        LinkFormat::Csv,
        LinkFormat::Json,
    ];

    /// The format's name on the command line: `plain`, `embed`, `bbcode`, `html`, `markdown`,
    /// `csv`, `json`.
    pub fn name(self) -> &'static str {
        match self {
            LinkFormat::Plain => "plain",
            LinkFormat::Embed => "embed",
            LinkFormat::Bbcode => "bbcode",
            LinkFormat::Html => "html",
            LinkFormat::Markdown => "markdown",
            LinkFormat::Csv => "csv",
            LinkFormat::Json => "json",
        }
    }

    /// A format by its name, in any case (`md` is Markdown too).
    pub fn parse(text: &str) -> Result<LinkFormat, String> {
        let wanted = text.trim().to_ascii_lowercase();
        if wanted == "md" {
            return Ok(LinkFormat::Markdown);
        }
        LinkFormat::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = LinkFormat::ALL.iter().map(|f| f.name()).collect();
                format!("{text:?} is not a link format ({})", names.join(", "))
            })
    }

    /// What the format is, in a few words, for a menu.
    pub fn description(self) -> &'static str {
        match self {
            LinkFormat::Plain => "the links, one a line",
            LinkFormat::Embed => "the player's links, for an iframe",
            LinkFormat::Bbcode => "[url=LINK]NAME[/url], for forums",
            LinkFormat::Html => "<a href=\"LINK\">NAME</a>",
            LinkFormat::Markdown => "[NAME](LINK)",
            LinkFormat::Csv => "a table: name, code, link, embed, size, date, folder",
            LinkFormat::Json => "the table's rows as JSON objects",
        }
    }

    /// The extension of a file written in this format.
    pub fn extension(self) -> &'static str {
        match self {
            LinkFormat::Plain | LinkFormat::Embed | LinkFormat::Bbcode => "txt",
            LinkFormat::Html => "html",
            LinkFormat::Markdown => "md",
            LinkFormat::Csv => "csv",
            LinkFormat::Json => "json",
        }
    }

    /// Whether each file is one line of its own (everything but CSV's header and JSON).
    pub fn is_one_line_per_file(self) -> bool {
        !matches!(self, LinkFormat::Csv | LinkFormat::Json)
    }
}

impl fmt::Display for LinkFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for LinkFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<LinkFormat, String> {
        LinkFormat::parse(s)
    }
}

/// What a link is made of: a file's code, name, and (for CSV and JSON) size, upload time and
/// folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkFile {
    pub code: String,
    pub name: String,
    pub size: Option<u64>,
    /// `YYYY-MM-DD HH:MM:SS`, server time.
    pub uploaded: Option<String>,
    /// The folder's path (`/Anime/Frieren`), where known: what `mp4u repair` puts a dead file
    /// back into.
    pub folder: Option<String>,
}

impl LinkFile {
    /// A file as the API describes it; a file the server names not is named by its code.
    pub fn from_info(file: &FileInfo) -> LinkFile {
        LinkFile {
            code: file.file_code.clone(),
            name: file
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| file.file_code.clone()),
            size: file.size,
            uploaded: file.uploaded.as_ref().map(|u| u.to_string()),
            folder: None,
        }
    }

    /// The same, in the folder at `path`.
    pub fn in_folder(mut self, path: Option<String>) -> LinkFile {
        self.folder = path;
        self
    }
}

impl From<&FileInfo> for LinkFile {
    fn from(file: &FileInfo) -> LinkFile {
        LinkFile::from_info(file)
    }
}

/// The player page of a file, for an iframe: `<base>/embed-<code>.html`.
pub fn embed_link(base_url: &str, code: &str) -> String {
    format!("{}/embed-{}.html", base_url.trim_end_matches('/'), code)
}

/// One row of CSV and one object of JSON.
#[derive(Serialize)]
struct LinkRow<'a> {
    name: std::borrow::Cow<'a, str>,
    code: &'a str,
    link: String,
    embed: String,
    size: Option<u64>,
    uploaded: Option<&'a str>,
    folder: Option<&'a str>,
}

impl<'a> LinkRow<'a> {
    fn of(base_url: &str, file: &'a LinkFile) -> LinkRow<'a> {
        LinkRow {
            name: std::borrow::Cow::Borrowed(&file.name),
            code: &file.code,
            link: file_link(base_url, &file.code),
            embed: embed_link(base_url, &file.code),
            size: file.size,
            uploaded: file.uploaded.as_deref(),
            folder: file.folder.as_deref(),
        }
    }
}

/// The links of `files` in `format`, in the order given; every line (CSV's header too) ends
/// with `\n`. Names are escaped as each format needs: HTML entities, Markdown backslashes,
/// CSV quotes. BBCode has no escape: a tag in a name gets full-width brackets (see
/// [`bbcode_text`]).
pub fn render(format: LinkFormat, base_url: &str, files: &[LinkFile]) -> String {
    match format {
        LinkFormat::Csv => return csv(base_url, files),
        LinkFormat::Json => {
            let rows: Vec<LinkRow> = files.iter().map(|f| LinkRow::of(base_url, f)).collect();
            // Serialising plain strings and numbers cannot fail.
            let mut text = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
            text.push('\n');
            return text;
        }
        _ => {}
    }
    let mut out = String::new();
    for file in files {
        out.push_str(&line(format, base_url, file));
        out.push('\n');
    }
    out
}

/// One file in a line format (without the new line); CSV and JSON give a whole document.
pub fn render_one(format: LinkFormat, base_url: &str, file: &LinkFile) -> String {
    if format.is_one_line_per_file() {
        line(format, base_url, file)
    } else {
        render(format, base_url, std::slice::from_ref(file))
    }
}

fn line(format: LinkFormat, base_url: &str, file: &LinkFile) -> String {
    let link = file_link(base_url, &file.code);
    let name = printable(&file.name);
    match format {
        LinkFormat::Plain => link,
        LinkFormat::Embed => embed_link(base_url, &file.code),
        LinkFormat::Bbcode => format!("[url={link}]{}[/url]", bbcode_text(&name)),
        LinkFormat::Html => format!(
            "<a href=\"{}\">{}</a>",
            html_escape(&link),
            html_escape(&name)
        ),
        LinkFormat::Markdown => format!(
            "[{}]({})",
            markdown_text(&name),
            markdown_destination(&link)
        ),
        LinkFormat::Csv | LinkFormat::Json => unreachable!("whole documents"),
    }
}

/// A name on one line: the API refuses control characters in names, but a name read from a
/// server is not checked; a new line in one would split its line in two.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text safe in HTML content and in a quoted attribute.
pub fn html_escape(text: &str) -> String {
    replace_chars(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    })
}

/// `text` with each character `with` names replaced by what it names.
fn replace_chars(text: &str, with: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match with(c) {
            Some(other) => out.push_str(other),
            None => out.push(c),
        }
    }
    out
}

/// Tags forums read (`[b]`, `[/url]`, `[color=red]`, `[*]`…), in lower case.
const BBCODE_TAGS: &[&str] = &[
    "*", "align", "b", "center", "code", "color", "colour", "email", "font", "hr", "i", "img",
    "indent", "justify", "left", "li", "list", "media", "noparse", "ol", "plain", "quote", "right",
    "s", "size", "spoiler", "strike", "sub", "sup", "table", "td", "th", "tr", "u", "ul", "url",
    "video", "youtube",
];

/// Link text for BBCode, which has no escape: a bracketed part of a name that a forum would
/// read as a tag (`[b]`, `[/url]`, `[size=9]`) gets full-width brackets (`［b］`), so no name
/// can close the link or format the post; other brackets (`[1080p]`, `[SubsPlease]`) stay.
pub fn bbcode_text(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let tag = after
            .find(']')
            .map(|close| &after[..close])
            .filter(|inside| {
                let word = inside.strip_prefix('/').unwrap_or(inside);
                let word = word.split('=').next().unwrap_or_default();
                BBCODE_TAGS.contains(&word.to_ascii_lowercase().as_str())
            });
        match tag {
            Some(inside) => {
                out.push('［');
                out.push_str(inside);
                out.push('］');
                rest = &after[inside.len() + 1..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Link text for Markdown: the characters that would end the text, start markup or an entity
/// get a backslash (CommonMark lets any ASCII punctuation have one).
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link destination for Markdown: parentheses, spaces and angle brackets percent-encoded, so
/// the link ends where it should.
pub fn markdown_destination(link: &str) -> String {
    replace_chars(link, |c| match c {
        '(' => Some("%28"),
        ')' => Some("%29"),
        ' ' => Some("%20"),
        '<' => Some("%3C"),
        '>' => Some("%3E"),
        _ => None,
    })
}

fn csv(base_url: &str, files: &[LinkFile]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(true)
        .from_writer(Vec::new());
    for file in files {
        let mut row = LinkRow::of(base_url, file);
        // A name a spreadsheet would run as a formula (`=cmd|…`, `+1`, `@SUM`) is kept as
        // text: a quote before it, as spreadsheets read it.
        if row.name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            row.name = format!("'{}", row.name).into();
        }
        // Writing to memory fails only on a broken invariant of the crate.
        let _ = writer.serialize(row);
    }
    if files.is_empty() {
        let _ = writer.write_record([
            "name", "code", "link", "embed", "size", "uploaded", "folder",
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://www.mp4upload.com";

    fn file(code: &str, name: &str) -> LinkFile {
        LinkFile {
            code: code.into(),
            name: name.into(),
            size: Some(331_698_805),
            uploaded: Some("2024-01-02 03:04:05".into()),
            folder: Some("/Anime/Frieren".into()),
        }
    }

    fn two() -> Vec<LinkFile> {
        vec![
            file("xvbothd0wtfl", "Frieren - S01E01 [1080p].mp4"),
            file("tt0zn3x0pdqx", r#"Tom & Jerry "<b>best</b>", part 1.mp4"#),
        ]
    }

    #[test]
    fn names_parse_and_display() {
        for f in LinkFormat::ALL {
            assert_eq!(LinkFormat::parse(f.name()), Ok(f));
            assert_eq!(f.to_string(), f.name());
            assert_eq!(f.name().parse::<LinkFormat>(), Ok(f));
        }
        assert_eq!(LinkFormat::parse("BBCode"), Ok(LinkFormat::Bbcode));
        assert_eq!(LinkFormat::parse("md"), Ok(LinkFormat::Markdown));
        let err = LinkFormat::parse("rtf").unwrap_err();
        assert!(err.contains("rtf") && err.contains("markdown"), "{err}");
        assert_eq!(LinkFormat::default(), LinkFormat::Plain);
    }

    #[test]
    fn plain_and_embed() {
        assert_eq!(
            render(LinkFormat::Plain, BASE, &two()),
            "https://www.mp4upload.com/xvbothd0wtfl\nhttps://www.mp4upload.com/tt0zn3x0pdqx\n"
        );
        assert_eq!(
            render(LinkFormat::Embed, "http://127.0.0.1:4242/", &two()[..1]),
            "http://127.0.0.1:4242/embed-xvbothd0wtfl.html\n"
        );
        assert_eq!(render(LinkFormat::Plain, BASE, &[]), "");
    }

    #[test]
    fn bbcode_tags_in_names_cannot_close_the_link() {
        for (name, text) in [
            ("Frieren [1080p].mp4", "Frieren [1080p].mp4"),
            (
                "[SubsPlease] Frieren - 01 [ABCD1234].mkv",
                "[SubsPlease] Frieren - 01 [ABCD1234].mkv",
            ),
            (
                "a[/url][url=http://evil]b.mp4",
                "a［/url］［url=http://evil］b.mp4",
            ),
            ("[B]old[/b] [size=9]x[*]", "［B］old［/b］ ［size=9］x［*］"),
            ("[[b]] [ unclosed", "[［b］] [ unclosed"),
        ] {
            assert_eq!(bbcode_text(name), text, "{name}");
        }
    }

    #[test]
    fn bbcode() {
        assert_eq!(
            render(LinkFormat::Bbcode, BASE, &two()),
            "[url=https://www.mp4upload.com/xvbothd0wtfl]Frieren - S01E01 [1080p].mp4[/url]\n\
             [url=https://www.mp4upload.com/tt0zn3x0pdqx]Tom & Jerry \"<b>best</b>\", part 1.mp4[/url]\n"
        );
    }

    #[test]
    fn html_escapes_names_and_links() {
        assert_eq!(
            render(LinkFormat::Html, BASE, &two()),
            "<a href=\"https://www.mp4upload.com/xvbothd0wtfl\">Frieren - S01E01 [1080p].mp4</a>\n\
             <a href=\"https://www.mp4upload.com/tt0zn3x0pdqx\">Tom &amp; Jerry &quot;&lt;b&gt;best&lt;/b&gt;&quot;, part 1.mp4</a>\n"
        );
        assert_eq!(
            render_one(
                LinkFormat::Html,
                "http://h/?a=1&b=\"2\"",
                &file("abc12345", "it's")
            ),
            "<a href=\"http://h/?a=1&amp;b=&quot;2&quot;/abc12345\">it&#39;s</a>"
        );
    }

    #[test]
    fn markdown_escapes_brackets_and_parentheses() {
        assert_eq!(
            render(LinkFormat::Markdown, BASE, &two()),
            "[Frieren - S01E01 \\[1080p\\].mp4](https://www.mp4upload.com/xvbothd0wtfl)\n\
             [Tom \\& Jerry \"\\<b\\>best\\</b\\>\", part 1.mp4](https://www.mp4upload.com/tt0zn3x0pdqx)\n"
        );
        assert_eq!(
            render_one(
                LinkFormat::Markdown,
                "http://host/a (b)",
                &file("abc12345", r"back\slash *star* _under_ `tick`")
            ),
            r"[back\\slash \*star\* \_under\_ \`tick\`](http://host/a%20%28b%29/abc12345)"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quotes() {
        let text = render(LinkFormat::Csv, BASE, &two());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "name,code,link,embed,size,uploaded,folder");
        assert_eq!(
            lines[1],
            "Frieren - S01E01 [1080p].mp4,xvbothd0wtfl,https://www.mp4upload.com/xvbothd0wtfl,\
             https://www.mp4upload.com/embed-xvbothd0wtfl.html,331698805,2024-01-02 03:04:05,\
             /Anime/Frieren"
        );
        assert_eq!(
            lines[2],
            "\"Tom & Jerry \"\"<b>best</b>\"\", part 1.mp4\",tt0zn3x0pdqx,\
             https://www.mp4upload.com/tt0zn3x0pdqx,https://www.mp4upload.com/embed-tt0zn3x0pdqx.html,\
             331698805,2024-01-02 03:04:05,/Anime/Frieren"
        );
        assert_eq!(lines.len(), 3);
        // Read back, the name is whole.
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let names: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert_eq!(names[1], two()[1].name);
        // Unknown size, time and folder are empty; no files is the header alone.
        let bare = LinkFile {
            code: "abc12345".into(),
            name: "a".into(),
            ..LinkFile::default()
        };
        assert!(
            render(LinkFormat::Csv, BASE, &[bare]).ends_with("\na,abc12345,https://www.mp4upload.com/abc12345,https://www.mp4upload.com/embed-abc12345.html,,,\n")
        );
        assert_eq!(
            render(LinkFormat::Csv, BASE, &[]),
            "name,code,link,embed,size,uploaded,folder\n"
        );
    }

    #[test]
    fn csv_keeps_a_formula_like_name_as_text() {
        let text = render(
            LinkFormat::Csv,
            BASE,
            &[file("abc12345", "=cmd|' /C calc'!A0")],
        );
        assert!(text.contains("\n'=cmd|' /C calc'!A0,abc12345,"), "{text}");
        let json = render(LinkFormat::Json, BASE, &[file("abc12345", "=1+1")]);
        assert!(
            json.contains("\"=1+1\""),
            "JSON keeps the name as it is: {json}"
        );
    }

    #[test]
    fn json_has_the_fields_of_the_csv() {
        let text = render(LinkFormat::Json, BASE, &two());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["name"], two()[1].name.as_str());
        assert_eq!(items[1]["code"], "tt0zn3x0pdqx");
        assert_eq!(items[1]["link"], "https://www.mp4upload.com/tt0zn3x0pdqx");
        assert_eq!(
            items[1]["embed"],
            "https://www.mp4upload.com/embed-tt0zn3x0pdqx.html"
        );
        assert_eq!(items[1]["size"], 331_698_805);
        assert_eq!(items[1]["uploaded"], "2024-01-02 03:04:05");
        assert_eq!(render(LinkFormat::Json, BASE, &[]), "[]\n");
    }

    #[test]
    fn a_name_never_splits_a_line() {
        let odd = file("abc12345", "two\nlines\u{7}");
        for format in LinkFormat::ALL
            .into_iter()
            .filter(|f| f.is_one_line_per_file())
        {
            assert_eq!(
                render(format, BASE, std::slice::from_ref(&odd))
                    .lines()
                    .count(),
                1,
                "{format}"
            );
        }
    }

    #[test]
    fn a_file_without_a_name_is_named_by_its_code() {
        let info = FileInfo::new("abc12345");
        let f = LinkFile::from(&info);
        assert_eq!(f.name, "abc12345");
        assert_eq!(
            render_one(LinkFormat::Bbcode, BASE, &f),
            "[url=https://www.mp4upload.com/abc12345]abc12345[/url]"
        );
    }
}
