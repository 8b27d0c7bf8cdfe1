//! `mp4u rename CODE... --template T [--start N] [--dry-run]`: each file gets its own name from
//! a template ([`Template`]), numbered in the order the codes were given.
//!
//! Every new name is made and checked before anything is sent: a template that gives any file
//! a name that cannot be (empty, too long, control characters) renames nothing and exits 2,
//! naming the file. Then one `file/rename` per file, each result printed as it comes; files
//! that do not exist are named once on stderr, and any failure makes the run exit 1.

use std::io::Write;

use serde::Serialize;

use super::files::no_such_files;
use super::{Context, Failure, codes_from};
use crate::api::{FileInfo, clean_name};
use crate::format::plural;
use crate::template::Template;

/// What happens to one file.
#[derive(Debug, Serialize)]
struct Renaming {
    file_code: String,
    old_name: String,
    new_name: String,
    /// Renamed (false in a dry run, or when it failed).
    renamed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The new name of each file that exists, in order; `Err` for a template that gives a file a
/// name that cannot be.
fn plan(files: &[FileInfo], template: &Template, start: u64) -> Result<Vec<Renaming>, Failure> {
    let last = start
        .checked_add(files.len().saturating_sub(1) as u64)
        .ok_or_else(|| {
            Failure::Usage(format!(
                "--start {start} leaves no room to number {}",
                plural(files.len(), "file")
            ))
        })?;
    // Padded numbers sort as names only while they fit their width.
    if let Some(width) = template.number_width()
        && last.to_string().len() > width
    {
        return Err(Failure::Usage(format!(
            "--template {:?} pads numbers to {width} digits, and they run to {last}: names would \
             no longer sort in order; pad to {} digits ({{n:0{}}})",
            template.as_str(),
            last.to_string().len(),
            last.to_string().len()
        )));
    }
    let mut plans = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for (i, file) in files.iter().enumerate() {
        if !file.exists() {
            continue;
        }
        // A file keeps its place in the numbering even when one before it does not exist.
        let n = start.saturating_add(i as u64);
        let old = file.name.clone().unwrap_or_default();
        let new = template.render(n, &old);
        match clean_name(&new) {
            Ok(new) => plans.push(Renaming {
                file_code: file.file_code.clone(),
                old_name: old,
                new_name: new,
                renamed: false,
                error: None,
            }),
            Err(why) => bad.push(format!("{} ({old:?}): {why}", file.file_code)),
        }
    }
    // Two files given one name: one of them would be found under the other's.
    let mut seen = std::collections::HashMap::new();
    for p in &plans {
        if let Some(first) = seen.insert(p.new_name.to_lowercase(), &p.file_code) {
            return Err(Failure::Usage(format!(
                "--template {:?} gives {first} and {} the same name {:?}; add {{n}} (or \
                 {{name}}) so that each file gets its own",
                template.as_str(),
                p.file_code,
                p.new_name
            )));
        }
    }
    match bad.as_slice() {
        [] => Ok(plans),
        [first, rest @ ..] => {
            let more = if rest.is_empty() {
                String::new()
            } else {
                format!(" (and for {})", plural(rest.len(), "more file"))
            };
            Err(Failure::Usage(format!(
                "--template {:?} makes a bad name for {first}{more}; nothing was renamed",
                template.as_str()
            )))
        }
    }
}

/// A line on stdout as it happens (a closed pipe is not worth a message).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

pub async fn each(
    cx: &Context,
    codes: &[String],
    template: &Template,
    start: u64,
    dry_run: bool,
) -> Result<(), Failure> {
    let codes = codes_from(codes, super::link_host(&cx.client).as_deref())?;
    let files = cx.client.file_info(&codes).await?;
    let mut plans = plan(&files, template, start)?;
    let mut missing: Vec<String> = files
        .iter()
        .filter(|f| !f.exists())
        .map(|f| f.file_code.clone())
        .collect();
    let mut failed = 0;
    if dry_run {
        cx.out.print(&plans, || {
            let mut text: String = plans
                .iter()
                .map(|p| format!("{} → {}\n", p.old_name, p.new_name))
                .collect();
            text.push_str(&format!(
                "dry run: {} to rename, nothing was sent\n",
                plural(plans.len(), "file")
            ));
            text
        })?;
    } else {
        for p in &mut plans {
            if p.old_name == p.new_name {
                if !cx.json {
                    say(&format!("unchanged {}: {}", p.file_code, p.old_name));
                }
                continue;
            }
            let result = cx
                .client
                .file_rename(std::slice::from_ref(&p.file_code), &p.new_name)
                .await;
            match result {
                Ok(items) => {
                    let item = items
                        .iter()
                        .find(|f| f.file_code.eq_ignore_ascii_case(&p.file_code));
                    match item {
                        Some(f) if f.exists() => {
                            p.renamed = true;
                            if let Some(name) = f.name.as_deref().filter(|n| !n.is_empty()) {
                                p.new_name = name.to_string();
                            }
                            if !cx.json {
                                say(&format!(
                                    "renamed {}: {} → {}",
                                    p.file_code, p.old_name, p.new_name
                                ));
                            }
                        }
                        // Gone since it was looked up.
                        _ => {
                            p.error = Some("no such file".into());
                            missing.push(p.file_code.clone());
                        }
                    }
                }
                Err(e) => {
                    failed += 1;
                    if !cx.json {
                        eprintln!("mp4u: {}: {e}", p.file_code);
                    }
                    p.error = Some(e.to_string());
                }
            }
        }
        if cx.json {
            cx.out.print(&plans, String::new)?;
        }
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        problems.push(no_such_files(&missing).message().to_string());
    }
    if failed > 0 {
        problems.push(format!(
            "{failed} of {} failed",
            plural(plans.len(), "rename")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Api(problems.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(code: &str, name: &str) -> FileInfo {
        FileInfo {
            name: Some(name.into()),
            ..FileInfo::new(code)
        }
    }

    #[test]
    fn numbers_follow_the_order_given_and_missing_files_keep_theirs() {
        let files = [
            file("aaaaaaaa", "x.mp4"),
            FileInfo::missing("bbbbbbbb"),
            file("cccccccc", "y"),
        ];
        let t = Template::parse("E{n:02}{ext}").unwrap();
        let plans = plan(&files, &t, 5).unwrap();
        let names: Vec<(&str, &str)> = plans
            .iter()
            .map(|p| (p.file_code.as_str(), p.new_name.as_str()))
            .collect();
        assert_eq!(names, [("aaaaaaaa", "E05.mp4"), ("cccccccc", "E07")]);
    }

    #[test]
    fn a_bad_name_refuses_the_whole_run_naming_the_file() {
        let files = [
            file("aaaaaaaa", "x.mp4"),
            file("bbbbbbbb", "   "),
            file("cccccccc", " "),
        ];
        let t = Template::parse("{name}").unwrap();
        let err = plan(&files, &t, 1).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.message();
        assert!(
            text.contains("bbbbbbbb") && text.contains("empty"),
            "{text}"
        );
        assert!(text.contains("(and for 1 more file)"), "{text}");
        let long = Template::parse(&"a".repeat(300)).unwrap();
        assert!(
            plan(&files[..1], &long, 1)
                .unwrap_err()
                .message()
                .contains("255")
        );
    }
}
