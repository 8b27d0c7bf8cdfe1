//! The theme in effect: the terminal's (no colour, how many colours, light or dark), then the
//! config file's `[theme]` table over it. A wrong setting is reported and its default kept.

use ratatui::style::Color;

use super::colour::{self, Terminal};
use super::{Palette, Theme};

/// The settings of `[theme]`, as docs/configuration.md lists them.
pub const SETTINGS: [&str; 6] = [
    "accent",
    "selection",
    "marked",
    "error",
    "warning",
    "background",
];

impl Theme {
    /// The theme for `terminal` with the config file's `[theme]` table (`None`: no table), and
    /// a sentence for each thing wrong in the table.
    ///
    /// Precedence: `NO_COLOR` takes every colour away (the table's colours are not used); else
    /// the background (`background = "light"`/`"dark"`, else `COLORFGBG`, else dark) chooses
    /// the palette, the table's colours replace its own (`selection` follows `accent` unless
    /// set), and every colour becomes the nearest one the terminal has.
    pub fn build(terminal: &Terminal, table: Option<&toml::Value>) -> (Theme, Vec<String>) {
        let mut problems = Vec::new();
        let mut chosen = Chosen::default();
        match table {
            None => {}
            Some(toml::Value::Table(table)) => {
                for (name, value) in table {
                    chosen.set(name, value, &mut problems);
                }
            }
            Some(_) => problems.push(
                "[theme] should be a table: a line [theme], then lines like accent = \"blue\""
                    .into(),
            ),
        }
        if terminal.no_color {
            return (Theme::mono(), problems);
        }
        let light = chosen.light.or(terminal.light).unwrap_or(false);
        let mut palette = if light {
            Palette::light(terminal.depth)
        } else {
            Palette::dark(terminal.depth)
        };
        if let Some(c) = chosen.accent {
            palette.accent = c;
            palette.selection = c;
        }
        let set = |slot: &mut Color, value: Option<Color>| {
            if let Some(c) = value {
                *slot = c;
            }
        };
        set(&mut palette.selection, chosen.selection);
        set(&mut palette.marked, chosen.marked);
        set(&mut palette.error, chosen.error);
        set(&mut palette.warning, chosen.warning);
        (Theme::colour(palette, terminal.depth), problems)
    }
}

/// What the table chose.
#[derive(Default)]
struct Chosen {
    accent: Option<Color>,
    selection: Option<Color>,
    marked: Option<Color>,
    error: Option<Color>,
    warning: Option<Color>,
    /// `background`: `Some(true)` light, `Some(false)` dark, `None` as the terminal says.
    light: Option<bool>,
}

impl Chosen {
    fn set(&mut self, name: &str, value: &toml::Value, problems: &mut Vec<String>) {
        let text = value.as_str();
        if name == "background" {
            match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
                Some("light") => self.light = Some(true),
                Some("dark") => self.light = Some(false),
                Some("auto") => self.light = None,
                _ => problems.push(format!(
                    "[theme] background = {value}: give \"light\", \"dark\" or \"auto\"; \
                     the terminal's stays"
                )),
            }
            return;
        }
        let slot = match name {
            "accent" => &mut self.accent,
            "selection" => &mut self.selection,
            "marked" => &mut self.marked,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            _ => {
                problems.push(format!(
                    "[theme] has no setting {name:?} (it has {}); ignored",
                    SETTINGS.join(", ")
                ));
                return;
            }
        };
        match text.and_then(colour::parse) {
            Some(c) => *slot = Some(c),
            None => problems.push(format!(
                "[theme] {name} = {value} is not a colour (a name like cyan, bright blue or \
                 dark gray, or #rrggbb); the default stays"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Depth;
    use super::*;

    fn terminal(depth: Depth) -> Terminal {
        Terminal {
            no_color: false,
            depth,
            light: None,
        }
    }

    fn table(text: &str) -> toml::Value {
        let doc: toml::Table = toml::from_str(text).expect("TOML");
        doc.get("theme").cloned().expect("a [theme] table")
    }

    #[test]
    fn nothing_set_is_the_dark_theme() {
        let (theme, problems) = Theme::build(&terminal(Depth::Ansi256), None);
        assert_eq!(theme, Theme::default());
        assert!(problems.is_empty());
    }

    #[test]
    fn the_table_sets_the_colours() {
        let t = table(
            "[theme]\naccent = \"magenta\"\nmarked = \"#ff8800\"\nerror = \"bright red\"\n\
             warning = \"blue\"\n",
        );
        let (theme, problems) = Theme::build(&terminal(Depth::TrueColor), Some(&t));
        assert!(problems.is_empty(), "{problems:?}");
        let p = theme.palette;
        assert_eq!(p.accent, Color::Magenta);
        assert_eq!(
            p.selection,
            Color::Magenta,
            "the selection follows the accent"
        );
        assert_eq!(p.marked, Color::Rgb(255, 136, 0));
        assert_eq!(p.error, Color::LightRed);
        assert_eq!(p.warning, Color::Blue);
        let t = table("[theme]\naccent = \"magenta\"\nselection = \"green\"\n");
        let (theme, _) = Theme::build(&terminal(Depth::TrueColor), Some(&t));
        assert_eq!(theme.palette.selection, Color::Green);
    }

    #[test]
    fn a_16_colour_terminal_gets_no_rgb_or_indexed_colour() {
        let t = table("[theme]\naccent = \"#ff8800\"\nmarked = \"208\"\n");
        let (theme, problems) = Theme::build(&terminal(Depth::Ansi16), Some(&t));
        assert!(problems.is_empty(), "{problems:?}");
        let p = theme.palette;
        for c in [
            p.accent,
            p.selection,
            p.inactive,
            p.marked,
            p.error,
            p.warning,
            p.success,
            p.dim,
            p.header,
            p.field,
        ] {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{c:?} on a 16-colour terminal"
            );
        }
        assert_eq!(p.accent, Color::Yellow);
    }

    #[test]
    fn light_from_the_table_or_the_terminal() {
        let light = Palette::light(Depth::Ansi256);
        let t = table("[theme]\nbackground = \"light\"\n");
        let (theme, _) = Theme::build(&terminal(Depth::Ansi256), Some(&t));
        assert_eq!(theme.palette, light);
        let said_light = Terminal {
            light: Some(true),
            ..terminal(Depth::Ansi256)
        };
        assert_eq!(Theme::build(&said_light, None).0.palette, light);
        // The table has the last word.
        let t = table("[theme]\nbackground = \"dark\"\n");
        let (theme, _) = Theme::build(&said_light, Some(&t));
        assert_eq!(theme, Theme::default());
    }

    #[test]
    fn no_color_wins_over_the_table() {
        let t = table("[theme]\naccent = \"magenta\"\nbackground = \"light\"\n");
        let no_color = Terminal {
            no_color: true,
            ..terminal(Depth::TrueColor)
        };
        let (theme, problems) = Theme::build(&no_color, Some(&t));
        assert_eq!(theme, Theme::mono());
        assert!(problems.is_empty());
    }

    #[test]
    fn wrong_settings_are_reported_and_the_defaults_stay() {
        let t = table(
            "[theme]\naccent = \"orang\"\nmarked = 3\nbackground = \"grey\"\nacent = \"red\"\n\
             error = \"red\"\n",
        );
        let (theme, problems) = Theme::build(&terminal(Depth::Ansi256), Some(&t));
        assert_eq!(theme.palette.accent, Color::Cyan);
        assert_eq!(theme.palette.marked, Color::Yellow);
        assert_eq!(theme.palette.error, Color::Red);
        assert_eq!(problems.len(), 4, "{problems:#?}");
        let all = problems.join("\n");
        for said in [
            "accent = \"orang\" is not a colour",
            "marked = 3 is not a colour",
            "background = \"grey\"",
            "no setting \"acent\"",
        ] {
            assert!(all.contains(said), "{said:?} not in {all}");
        }
        let (_, problems) = Theme::build(&terminal(Depth::Ansi256), Some(&toml::Value::from(3)));
        assert_eq!(problems.len(), 1);
    }
}
