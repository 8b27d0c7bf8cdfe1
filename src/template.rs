//! Name templates for renaming many files at once: `Show - S01E{n:02}{ext}`.
//!
//! | placeholder | becomes |
//! | --- | --- |
//! | `{n}` | the file's number: `--start` (1 by default) for the first file, then counting up |
//! | `{n:0W}` | the number zero-padded to W digits: `{n:02}` gives `01`, `{n:03}` `001` |
//! | `{name}` | the current name without its extension |
//! | `{ext}` | the current extension with its dot (`.mp4`), empty when the name has none |
//! | `{{`, `}}` | a literal `{`, `}` |
//!
//! An extension is what follows the last dot when it is 1 to 5 characters without spaces
//! ([`crate::api::name_stem`]): `Sherlock Jr. (1924)` has none, and neither has a name the live
//! service lists without its extension.

use std::fmt;

/// The placeholders, as the help and the errors name them.
pub const PLACEHOLDERS: &str = "{n}, {n:0W} (e.g. {n:02}), {name}, {ext}; {{ and }} for braces";

/// The widest zero padding taken (a name is at most 255 characters).
const MAX_WIDTH: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// The number, zero-padded to this many digits (0: as it is).
    Number(usize),
    Name,
    Ext,
}

/// A parsed name template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl Template {
    /// Reads a template; the error names what is wrong (`unknown placeholder {title}`).
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().is_some_and(|&(_, c)| c == '{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().is_some_and(|&(_, c)| c == '}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => {
                    return Err(format!(
                        "a lone }} at character {} (write }}}} for a brace)",
                        char_pos(text, at)
                    ));
                }
                '{' => {
                    let inner: String = chars
                        .by_ref()
                        .map(|(_, c)| c)
                        .take_while(|&c| c != '}')
                        .collect();
                    let closed = text[at + 1..].contains('}');
                    if !closed {
                        return Err(format!(
                            "an unclosed {{ at character {} (write {{{{ for a brace)",
                            char_pos(text, at)
                        ));
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(placeholder(&inner)?);
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template {
            source: text.to_string(),
            parts,
        })
    }

    /// The name for the file numbered `n` whose name is now `current_name`. Not checked: the
    /// caller checks it as every name is ([`crate::api::clean_name`]).
    pub fn render(&self, n: u64, current_name: &str) -> String {
        let (stem, ext) = split_extension(current_name);
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Number(width) => out.push_str(&format!("{n:0width$}")),
                Part::Name => out.push_str(stem),
                Part::Ext => out.push_str(ext),
            }
        }
        out
    }

    /// Whether the template reads the current name (`{name}` or `{ext}`).
    pub fn uses_name(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Name | Part::Ext))
    }

    /// Whether the template numbers the files (`{n}`).
    pub fn uses_number(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Number(_)))
    }

    /// The narrowest `{n:0W}` of the template, when it pads its numbers.
    pub fn number_width(&self) -> Option<usize> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Number(width) if *width > 1 => Some(*width),
                _ => None,
            })
            .min()
    }

    /// The template as it was written.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for Template {
    type Err = String;
    fn from_str(s: &str) -> Result<Template, String> {
        Template::parse(s)
    }
}

/// A name split into its stem and its extension with the dot: `("holiday", ".mp4")`;
/// `(name, "")` when it has none (the rule of [`crate::api::name_stem`]).
pub fn split_extension(name: &str) -> (&str, &str) {
    let stem = crate::api::name_stem(name);
    (stem, &name[stem.len()..])
}

fn placeholder(inner: &str) -> Result<Part, String> {
    match inner {
        "n" => return Ok(Part::Number(0)),
        "name" => return Ok(Part::Name),
        "ext" => return Ok(Part::Ext),
        _ => {}
    }
    if let Some(spec) = inner.strip_prefix("n:") {
        let width = spec
            .strip_prefix('0')
            .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|w| w.parse::<usize>().ok());
        return match width {
            Some(w) if w <= MAX_WIDTH => Ok(Part::Number(w)),
            Some(_) => Err(format!(
                "{{{inner}}} pads wider than a name can be ({MAX_WIDTH} characters)"
            )),
            None => Err(format!(
                "{{{inner}}}: a number is padded as {{n:0W}}, W digits with zeros (e.g. {{n:02}})"
            )),
        };
    }
    Err(format!(
        "unknown placeholder {{{inner}}} (known: {PLACEHOLDERS})"
    ))
}

/// The 1-based character position of byte offset `at`.
fn char_pos(text: &str, at: usize) -> usize {
    text[..at].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, n: u64, name: &str) -> String {
        Template::parse(template).unwrap().render(n, name)
    }

    /// Each template, number and name with the name it makes.
    fn renders(cases: &[(&str, u64, &str, &str)]) {
        for (template, n, name, want) in cases {
            assert_eq!(render(template, *n, name), *want, "{template} {n} {name}");
        }
    }

    #[test]
    fn numbers_names_and_extensions() {
        let t = "Show - S01E{n:02}{ext}";
        renders(&[
            (t, 1, "Frieren - S01E01 [1080p].mp4", "Show - S01E01.mp4"),
            (t, 12, "x.mkv", "Show - S01E12.mkv"),
            (t, 123, "x.mkv", "Show - S01E123.mkv"),
            ("{n}", 7, "x", "7"),
            ("{n:010}", 7, "x", "0000000007"),
            ("{n:03} {name}{ext}", 5, "holiday.mp4", "005 holiday.mp4"),
            ("{name} (old){ext}", 1, "a.b.c.webm", "a.b.c (old).webm"),
        ]);
    }

    #[test]
    fn names_without_an_extension() {
        renders(&[
            (
                "{name}!{ext}",
                1,
                "Frieren - S01E01 [1080p]",
                "Frieren - S01E01 [1080p]!",
            ),
            (
                "{name}|{ext}",
                1,
                "Sherlock Jr. (1924)",
                "Sherlock Jr. (1924)|",
            ),
            ("{name}|{ext}", 1, ".hidden", ".hidden|"),
            ("{name}|{ext}", 1, "trailing.", "trailing.|"),
            ("{name}|{ext}", 1, "long.extension", "long.extension|"),
        ]);
        assert_eq!(split_extension("a.MP4"), ("a", ".MP4"));
        assert_eq!(split_extension("a"), ("a", ""));
    }

    #[test]
    fn braces() {
        assert_eq!(render("{{n}} {n}", 3, "x"), "{n} 3");
        assert_eq!(render("}}{{", 3, "x"), "}{");
        assert_eq!(render("plain", 3, "x"), "plain");
        assert_eq!(render("", 3, "x"), "");
        assert_eq!(render("ä{n}ö", 3, "x"), "ä3ö");
    }

    #[test]
    fn errors_name_what_is_wrong() {
        for (template, says) in [
            ("{title}", "unknown placeholder {title}"),
            ("{}", "unknown placeholder {}"),
            ("{N}", "unknown placeholder {N}"),
            ("{n:2}", "{n:2}: a number is padded as {n:0W}"),
            ("{n:0}", "{n:0}"),
            ("{n:0x}", "{n:0x}"),
            ("{n:0999}", "wider than a name"),
            ("a{n", "an unclosed { at character 2"),
            ("ä}", "a lone } at character 2"),
        ] {
            let err = Template::parse(template).unwrap_err();
            assert!(err.contains(says), "{template}: {err}");
        }
        assert!(
            Template::parse("{x}").unwrap_err().contains("{n:02}"),
            "the error lists what is known"
        );
    }

    #[test]
    fn what_a_template_reads() {
        let t = Template::parse("S01E{n:02}{ext}").unwrap();
        assert!(t.uses_number() && t.uses_name());
        assert_eq!(t.to_string(), "S01E{n:02}{ext}");
        let t: Template = "Same name".parse().unwrap();
        assert!(!t.uses_number() && !t.uses_name());
        assert_eq!(t.as_str(), "Same name");
    }
}
