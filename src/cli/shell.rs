//! `mp4u completions SHELL` and `mp4u man`: both are made from the same clap definitions as
//! `--help`, so they cannot drift from it. Neither needs a key, a config file or the network.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use super::Cli;

/// The completion script for `shell`, for the binary named `mp4u`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mp4u", &mut script);
    script
}

/// The manual page, as roff: the top-level page clap_mangen renders (name, synopsis,
/// description, options), then a COMMANDS section in which every subcommand has its own
/// synopsis, description and options, so one page holds the whole CLI.
pub fn man_page() -> Vec<u8> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    // Writing into a Vec cannot fail.
    man.render_title(&mut page).expect("write to memory");
    for render in [
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ] {
        page.extend(body(&man, render, Heading::Keep));
    }

    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name());
        // A quoted macro argument: clap's names hold no quotes.
        page.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
        // The global flags and --help are described once, above, not under every command.
        let sub = sub.clone().mut_args(|arg| {
            if arg.is_global_set() || arg.get_id() == "help" {
                arg.hide(true)
            } else {
                arg
            }
        });
        let has_options = sub.get_arguments().any(|a| !a.is_hide_set());
        let sub_man = Man::new(sub);
        page.extend(body(&sub_man, Man::render_synopsis_section, Heading::Drop));
        page.extend_from_slice(b".PP\n");
        page.extend(body(
            &sub_man,
            Man::render_description_section,
            Heading::Drop,
        ));
        if has_options {
            page.extend(body(&sub_man, Man::render_options_section, Heading::Drop));
        }
    }

    for render in [Man::render_extra_section, Man::render_version_section] {
        page.extend(body(&man, render, Heading::Keep));
    }
    page
}

#[derive(Clone, Copy, PartialEq)]
enum Heading {
    Keep,
    Drop,
}

/// What one of clap_mangen's section renderers writes, without the two-line preamble roff puts
/// before each document (the page has it once, from the title), and without the section's
/// `.SH` heading when it goes under a command's `.SS` instead.
fn body(
    man: &Man,
    render: fn(&Man, &mut dyn Write) -> std::io::Result<()>,
    heading: Heading,
) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut out = Vec::new();
    render(man, &mut out).expect("write to memory");
    let text = String::from_utf8(out).expect("roff renders UTF-8");
    let mut text = text.strip_prefix(PREAMBLE).unwrap_or(&text);
    if heading == Heading::Drop && text.starts_with(".SH ") {
        text = text.split_once('\n').map_or("", |(_, rest)| rest);
    }
    text.as_bytes().to_vec()
}

/// Writes to stdout; a closed pipe (`mp4u man | head`) is not an error worth a message.
pub fn print(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
}
