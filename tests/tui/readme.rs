//! The README lists every key of every context as the key tables have them, so the README, the
//! key bar and the help popup cannot drift apart. `cargo test --test tui readme:: --
//! --ignored --nocapture` prints the tables to paste after a change.

use mp4u::app::keys::{self, Binding};

fn tables() -> Vec<(&'static str, &'static [Binding])> {
    vec![
        ("Browser", keys::BROWSER),
        ("Filter line", keys::FILTER),
        ("Sort menu", keys::SORT),
        ("Account and statistics", keys::STATS),
        ("Deleted files", keys::DELETED),
        ("Link checker", keys::CHECKER),
        ("Find across the account", keys::SEARCH),
        ("Upload picker", keys::PICKER),
        ("Transfers view", keys::TRANSFERS),
        ("Rename and new folder", keys::INPUT),
        ("Move picker", keys::MOVE),
        ("Details and clone", keys::LINK),
        ("Help", keys::HELP),
        ("Questions", keys::CONFIRM),
        ("First run (key prompt)", keys::LOGIN),
    ]
}

fn row(binding: &Binding) -> String {
    format!("| {} | {} |", binding.keys_label(), binding.help)
}

#[test]
fn readme_lists_every_key_of_every_context() {
    let readme = include_str!("../../README.md");
    for (context, table) in tables() {
        for binding in table {
            assert!(
                readme.contains(&row(binding)),
                "README lacks, under {context}: {}",
                row(binding)
            );
        }
    }
}

#[test]
#[ignore = "prints the README's key tables"]
fn print_key_tables() {
    for (context, table) in tables() {
        println!("\n**{context}**\n\n| keys | action |\n| --- | --- |");
        for binding in table {
            println!("{}", row(binding));
        }
    }
}

#[test]
fn readme_gives_the_commands_ci_runs() {
    let readme = include_str!("../../README.md");
    let ci = include_str!("../../.ci/run");
    assert!(readme.contains("mp4u --demo"));
    assert!(readme.contains("cargo test --locked") && ci.contains("\ncargo test --locked\n"));
}
