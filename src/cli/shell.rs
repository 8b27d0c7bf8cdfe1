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

    page.extend_from_slice(MORE_SECTIONS.as_bytes());
    for render in [Man::render_extra_section, Man::render_version_section] {
        page.extend(body(&man, render, Heading::Keep));
    }
    page
}

/// The sections a man page has that `--help` does not: the exit status, the environment, the
/// files, the configuration in brief, examples. Plain roff: `.SH`, `.TP`, `.PP`, `.nf`/`.fi`.
const MORE_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
0
Success.
.TP
1
The API or the network said no: a refused key, a missing file or folder, a server or
connection error, a failed upload or one left in /, a listing that could not be completed, a
lockout.
.TP
2
A usage error: an unknown flag or command, a bad value, no API key configured, the file
manager without a terminal.
.TP
3
The config file cannot be used: it cannot be read, is not TOML, or a setting has a value of the
wrong kind (the message names the line, the setting and what it takes).
.TP
141
The reader of the output went away (a closed pipe).
.SH ENVIRONMENT
.TP
MP4UPLOAD_API_KEY
The API key (else api_key in the config file; never a flag).
.TP
MP4UPLOAD_API_URL
The API address (else --api-url, else api_url in the config file, else
https://www.mp4upload.com).
.TP
MP4U_PROFILE
The profile to use, [profiles.NAME] in the config file (--profile wins over it; else
default_profile).
.TP
MP4U_STATE_DIR
Where the upload queue and the demo's account are kept.
.TP
MP4U_UPLOAD_SETTLE
Seconds an upload whose fate is unknown is waited for before it is sent again (over
upload_settle; default 120).
.TP
NO_COLOR
No colours in the file manager.
.SH FILES
.TP
~/.config/mp4u/config.toml
The config file on Linux ($XDG_CONFIG_HOME if set; --config names another), mode 0600.
.TP
~/.local/state/mp4u/queue/queue.json
The upload queue: every upload and its state, read by every mp4u of the user
($MP4U_STATE_DIR/queue when set); a profile's is profiles/NAME/queue beside it.
.TP
~/.local/state/mp4u/mp4u.log
The file manager's log (never the key).
.SH CONFIGURATION
The config file is TOML; every setting is optional:
.PP
.nf
api_key = "your16pluscharkey"
api_url = "https://www.mp4upload.com"
max_upload_bytes = 500000000
parallel_uploads = 2
sort = "date-desc"
link_format = "bbcode"
bwlimit = "2M"
upload_settle = 120
default_folder = "/Incoming"
default_profile = "site"

[profiles.site]
api_key = "anotheraccountskey"
parallel_uploads = 4
.fi
.PP
Each [profiles.NAME] table is an account of its own (its key, address, settings and queue);
--profile NAME picks one. The tables [theme] and [keys] set the colours and move the keys; mp4u keys prints the keys in
effect. A setting mp4u does not know is said at start, with the nearest it knows.
.SH EXAMPLES
.nf
mp4u --demo
mp4u ls "/Anime/Frieren"
mp4u upload --folder "/Anime/Frieren/Season 2" *.mkv --bwlimit 2M
mp4u sync ~/Videos/Frieren --folder /Anime/Frieren --dry-run
mp4u upload --resume
mp4u queue
mp4u links --folder "/Anime/Frieren/Season 2" --format bbcode > season2.txt
mp4u watch ~/Encoded --folder /Anime/Frieren --exec 'echo "$MP4U_EMBED" >> posted.txt'
mp4u repair season1.csv --from ~/Videos/Frieren --format sed > fix.sed
mp4u --profile site profiles
mp4u files --all --json | jq -r '.files[] | select(.downloads == 0) | .file_code'
.fi
"#;

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
