//! The README lists every key of the browser as the key table has it, so the README, the key
//! bar and the help popup cannot drift apart.

use mp4u::app::keys::BROWSER;

#[test]
fn readme_lists_every_browser_key() {
    let readme = include_str!("../README.md");
    for binding in BROWSER {
        let row = format!("| {} | {} |", binding.keys_label(), binding.help);
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}

#[test]
fn readme_gives_the_commands_ci_runs() {
    let readme = include_str!("../README.md");
    let ci = include_str!("../.ci/run");
    assert!(readme.contains("mp4u --demo"));
    assert!(readme.contains("cargo test --locked") && ci.contains("\ncargo test --locked\n"));
}
