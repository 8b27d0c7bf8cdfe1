//! The house rules of the source tree, checked on every run: no module importing one that
//! imports it back (a child using its parent's items is not a circle). Files are split by
//! meaning, not by a count of lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
}

/// `src/app/keys/mod.rs` → `["app", "keys"]`; `src/lib.rs` → `[]`.
fn module_of(path: &Path) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The module paths a file names (`crate::a::b`, `super::c`), resolved to the deepest module
/// that exists. Test modules inline in the file are left out.
fn imports(module: &[String], text: &str, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let text = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or(text);
    let mut found = BTreeSet::new();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .collect();
    for word in words {
        let mut segs = word.split("::").filter(|s| !s.is_empty());
        let mut base: Vec<String> = match segs.next() {
            Some("crate") => Vec::new(),
            Some("super") => module[..module.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        let mut segs = segs.peekable();
        while segs.peek() == Some(&"super") {
            segs.next();
            base.pop();
        }
        let mut best = known.contains(&base).then(|| base.clone());
        for seg in segs {
            base.push(seg.to_string());
            if known.contains(&base) {
                best = Some(base.clone());
            } else {
                break;
            }
        }
        if let Some(target) = best {
            let is_ancestor = target.len() < module.len() && module.starts_with(&target);
            if target != module && !is_ancestor {
                found.insert(target);
            }
        }
    }
    found
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let files = src_files();
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        let text = std::fs::read_to_string(file).unwrap();
        edges.insert(module.clone(), imports(&module, &text, &known));
    }
    // Every circle, of any length: a module that reaches itself through what it imports.
    let mut circles = Vec::new();
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<Vec<String>>> = vec![vec![start.clone()]];
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            for next in edges.get(last).into_iter().flatten() {
                if next == start {
                    circles.push(
                        path.iter()
                            .map(|m| m.join("::"))
                            .collect::<Vec<_>>()
                            .join(" → "),
                    );
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_circle_check_sees_a_circle() {
    let known: BTreeSet<Vec<String>> = [vec!["a".to_string()], vec!["b".to_string()]].into();
    let a = imports(&["a".into()], "use super::b::Thing;", &known);
    let b = imports(&["b".into()], "use crate::a::{x, y};", &known);
    assert!(a.contains(&vec!["b".to_string()]) && b.contains(&vec!["a".to_string()]));
}

/// The layers, from the ground up: a module may use its own layer and those below it.
const LAYERS: &[&[&str]] = &[
    &[
        "format", "geometry", "text", "theme", "api", "links", "sort", "stop",
    ],
    &["template", "queue", "sync", "config", "sandbox", "hook"],
    &["app"],
    &["ui", "worker", "cli"],
    &["look", "tui", "main", "lib"],
];

/// Arrows that still run up, each with the issue that turns it: none may be added.
const KNOWN_UPWARD: &[(&str, &str)] = &[];

fn layer_of(top: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top))
        .unwrap_or_else(|| panic!("module {top} is in no layer of LAYERS: add it"))
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let files = src_files();
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f)).collect();
    let mut upward = BTreeSet::new();
    for file in &files {
        let module = module_of(file);
        let from = module.first().map_or("lib", String::as_str).to_string();
        let from = if file.ends_with("main.rs") {
            "main".into()
        } else {
            from
        };
        let text = std::fs::read_to_string(file).unwrap();
        for target in imports(&module, &text, &known) {
            let Some(to) = target.first() else { continue };
            if layer_of(to) > layer_of(&from) {
                upward.insert((from.clone(), to.clone(), file.display().to_string()));
            }
        }
    }
    let new: Vec<_> = upward
        .iter()
        .filter(|(from, to, _)| !KNOWN_UPWARD.contains(&(from.as_str(), to.as_str())))
        .collect();
    assert!(new.is_empty(), "a lower layer uses a higher one: {new:?}");
    // A known arrow that is gone must leave the list too.
    for (from, to) in KNOWN_UPWARD {
        assert!(
            upward.iter().any(|(f, t, _)| f == from && t == to),
            "{from} -> {to} no longer runs up: take it out of KNOWN_UPWARD"
        );
    }
}
