//! The user's look and keys: the theme (the terminal, then the config file's `[theme]`) and
//! the keymap (the default tables, then `[keys]`), built once at start, with a sentence for
//! each thing wrong in the two tables. Nothing wrong there stops the program.

use std::path::Path;

use crate::app::keys::Keymap;
use crate::config::ConfigFile;
use crate::theme::{Terminal, Theme};

#[derive(Debug, Clone, Default)]
pub struct Look {
    pub theme: Theme,
    pub keymap: Keymap,
    /// What was wrong in the settings, `[theme]` and `[keys]`, to say once at start.
    pub problems: Vec<String>,
}

impl Look {
    /// The look of a config file on this terminal.
    pub fn new(file: &ConfigFile, terminal: &Terminal) -> Look {
        let mut problems = file.problems();
        let (theme, theme_problems) = Theme::build(terminal, file.theme.as_ref());
        problems.extend(theme_problems);
        let (keymap, key_problems) = Keymap::from_config(file.keys.as_ref());
        problems.extend(key_problems);
        Look {
            theme,
            keymap,
            problems,
        }
    }

    /// The look of the config file at `path` (a missing file: the defaults). A file that
    /// cannot be read or is not TOML gives the defaults and says why: for `--demo`, which
    /// reads nothing else of the file.
    pub fn load(path: Option<&Path>, terminal: &Terminal) -> Look {
        let file = path
            .map(ConfigFile::load)
            .unwrap_or(Ok(ConfigFile::default()));
        match file {
            Ok(file) => Look::new(&file, terminal),
            Err(e) => {
                let mut look = Look::new(&ConfigFile::default(), terminal);
                look.problems
                    .push(format!("{e}; the default colours and keys are used"));
                look
            }
        }
    }
}
