//! Colours as the terminal can show them: what it supports (from the environment, as other
//! tools read it), a colour from its name or `#rrggbb`, the nearest colour a terminal of fewer
//! colours has, and a readable text colour on a given background.

use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    /// The 16 ANSI colours only: what every colour terminal has.
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// Any `#rrggbb`.
    TrueColor,
}

/// What the environment says about the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminal {
    /// `NO_COLOR` set to anything but the empty string (<https://no-color.org>).
    pub no_color: bool,
    pub depth: Depth,
    /// `COLORFGBG` names a light background (`Some(true)`) or a dark one; `None` when unset.
    pub light: Option<bool>,
}

impl Terminal {
    /// Reads `NO_COLOR`, `COLORTERM`, `TERM` and `COLORFGBG`.
    pub fn detect() -> Terminal {
        Terminal::from_vars(|name| std::env::var(name).ok())
    }

    /// The terminal as `var` (an environment lookup) describes it. Colours: `COLORTERM` of
    /// `truecolor` or `24bit` means any colour, a `TERM` naming `256color` (or `truecolor`,
    /// `direct`) the 256-colour palette, anything else only the 16 ANSI colours, which every
    /// colour terminal has.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Terminal {
        let no_color = var("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        let depth = if colorterm == "truecolor"
            || colorterm == "24bit"
            || term.contains("truecolor")
            || term.contains("direct")
        {
            Depth::TrueColor
        } else if term.contains("256color") {
            Depth::Ansi256
        } else {
            Depth::Ansi16
        };
        Terminal {
            no_color,
            depth,
            light: var("COLORFGBG").and_then(|v| light_background(&v)),
        }
    }
}

/// `COLORFGBG` is `fg;bg` (rxvt, Konsole, some others; `fg;default;bg` too): the background is
/// the last field, an ANSI colour number. 7 (light gray) and 9 to 15 but 8 are light.
fn light_background(value: &str) -> Option<bool> {
    let bg: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
    Some(bg == 7 || (9..=15).contains(&bg))
}

/// A colour from the config: a name (`cyan`, `bright blue`, `dark gray`, `reset`…), a number
/// of the 256-colour palette, or `#rrggbb`.
pub fn parse(text: &str) -> Option<Color> {
    text.trim().parse().ok()
}

/// The 16 ANSI colours as xterm shows them by default (terminals differ a little; this is what
/// "nearest" is measured against).
const ANSI: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The six levels of each channel in the 256-colour palette's colour cube (16 to 231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The colour's red, green and blue, as xterm shows it; `None` for the terminal's default.
pub fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    match color {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) if i < 16 => Some(ANSI[i as usize].1),
        Color::Indexed(i) if i < 232 => {
            let i = i - 16;
            Some((
                CUBE[(i / 36) as usize],
                CUBE[(i / 6 % 6) as usize],
                CUBE[(i % 6) as usize],
            ))
        }
        Color::Indexed(i) => {
            let level = 8 + 10 * (i - 232);
            Some((level, level, level))
        }
        named => ANSI.iter().find(|(c, _)| *c == named).map(|(_, rgb)| *rgb),
    }
}

/// How far apart two colours look ("redmean": a cheap weighting close to what eyes see).
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let mean = (a.0 as i32 + b.0 as i32) / 2;
    let (dr, dg, db) = (
        a.0 as i32 - b.0 as i32,
        a.1 as i32 - b.1 as i32,
        a.2 as i32 - b.2 as i32,
    );
    ((((512 + mean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - mean) * db * db) >> 8)) as u32
}

impl Depth {
    /// The colour this terminal can show: itself, or the nearest one it has. Named colours and
    /// the terminal's default fit everywhere.
    pub fn fit(self, color: Color) -> Color {
        let Some(want) = rgb(color) else {
            return color;
        };
        match (self, color) {
            (Depth::TrueColor, _) => color,
            (_, Color::Rgb(..) | Color::Indexed(_)) if self == Depth::Ansi16 => nearest_ansi(want),
            (Depth::Ansi256, Color::Rgb(..)) => nearest_256(want),
            _ => color,
        }
    }
}

fn nearest_ansi(want: (u8, u8, u8)) -> Color {
    ANSI.iter()
        .min_by_key(|(_, rgb)| distance(*rgb, want))
        .map_or(Color::Reset, |(c, _)| *c)
}

/// The nearest colour of the 256-colour palette's cube or gray ramp (not its first 16, which
/// terminals change with their themes).
fn nearest_256(want: (u8, u8, u8)) -> Color {
    let level = |v: u8| {
        (0..6)
            .min_by_key(|&i| (CUBE[i] as i32 - v as i32).abs())
            .unwrap_or(0) as u8
    };
    let cube = 16 + 36 * level(want.0) + 6 * level(want.1) + level(want.2);
    let gray_level = ((want.0 as u32 + want.1 as u32 + want.2 as u32) / 3).clamp(8, 238);
    let gray = 232 + ((gray_level - 8 + 5) / 10).min(23) as u8;
    [cube, gray]
        .into_iter()
        .min_by_key(|&i| rgb(Color::Indexed(i)).map_or(u32::MAX, |c| distance(c, want)))
        .map_or(Color::Reset, Color::Indexed)
}

/// Black or white, whichever reads better on `bg`.
pub fn text_on(bg: Color) -> Color {
    match rgb(bg) {
        Some((r, g, b)) => {
            let luminance = 0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64;
            if luminance > 127.0 {
                Color::Black
            } else {
                Color::White
            }
        }
        None => Color::Reset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn the_environment_says_how_many_colours() {
        let t = Terminal::from_vars(vars(&[("TERM", "xterm")]));
        assert_eq!((t.no_color, t.depth, t.light), (false, Depth::Ansi16, None));
        let t = Terminal::from_vars(vars(&[("TERM", "xterm-256color")]));
        assert_eq!(t.depth, Depth::Ansi256);
        let t = Terminal::from_vars(vars(&[
            ("TERM", "xterm-256color"),
            ("COLORTERM", "truecolor"),
        ]));
        assert_eq!(t.depth, Depth::TrueColor);
        let t = Terminal::from_vars(vars(&[("COLORTERM", "24bit")]));
        assert_eq!(t.depth, Depth::TrueColor);
        // Nothing said: the 16 colours every terminal has.
        assert_eq!(Terminal::from_vars(vars(&[])).depth, Depth::Ansi16);
    }

    #[test]
    fn no_color_counts_only_when_not_empty() {
        assert!(Terminal::from_vars(vars(&[("NO_COLOR", "1")])).no_color);
        assert!(Terminal::from_vars(vars(&[("NO_COLOR", "yes please")])).no_color);
        assert!(!Terminal::from_vars(vars(&[("NO_COLOR", "")])).no_color);
        assert!(!Terminal::from_vars(vars(&[])).no_color);
    }

    #[test]
    fn colorfgbg_names_the_background() {
        let light = |v: &str| Terminal::from_vars(vars(&[("COLORFGBG", v)])).light;
        assert_eq!(light("0;15"), Some(true));
        assert_eq!(light("0;7"), Some(true));
        assert_eq!(light("15;0"), Some(false));
        assert_eq!(light("15;default;0"), Some(false));
        assert_eq!(light("12;8"), Some(false));
        assert_eq!(light("rubbish"), None);
    }

    #[test]
    fn colours_by_name_and_hex() {
        assert_eq!(parse("cyan"), Some(Color::Cyan));
        assert_eq!(parse("Bright Blue"), Some(Color::LightBlue));
        assert_eq!(parse("dark gray"), Some(Color::DarkGray));
        assert_eq!(parse("dark-grey"), Some(Color::DarkGray));
        assert_eq!(parse("reset"), Some(Color::Reset));
        assert_eq!(parse("#ff8800"), Some(Color::Rgb(255, 136, 0)));
        assert_eq!(parse("208"), Some(Color::Indexed(208)));
        assert_eq!(parse("orang"), None);
        assert_eq!(parse("#ff88"), None);
        assert_eq!(parse("#gg0000"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn a_terminal_of_16_colours_gets_the_nearest_ansi_colour() {
        let fit = |c| Depth::Ansi16.fit(c);
        assert_eq!(fit(Color::Rgb(255, 136, 0)), Color::Yellow);
        assert_eq!(fit(Color::Rgb(250, 10, 10)), Color::LightRed);
        assert_eq!(fit(Color::Rgb(0, 0, 139)), Color::Blue);
        assert_eq!(fit(Color::Rgb(10, 10, 10)), Color::Black);
        assert_eq!(fit(Color::Rgb(0, 180, 200)), Color::Cyan);
        assert_eq!(fit(Color::Indexed(236)), Color::Black);
        assert_eq!(fit(Color::Indexed(196)), Color::LightRed);
        // Named colours and the default are every terminal's.
        assert_eq!(fit(Color::Magenta), Color::Magenta);
        assert_eq!(fit(Color::Reset), Color::Reset);
    }

    #[test]
    fn a_terminal_of_256_colours_gets_the_nearest_palette_colour() {
        let fit = |c| Depth::Ansi256.fit(c);
        assert_eq!(fit(Color::Rgb(255, 135, 0)), Color::Indexed(208));
        assert_eq!(fit(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(fit(Color::Rgb(128, 128, 128)), Color::Indexed(244));
        assert_eq!(fit(Color::Indexed(236)), Color::Indexed(236));
        assert_eq!(fit(Color::Cyan), Color::Cyan);
        assert_eq!(
            Depth::TrueColor.fit(Color::Rgb(1, 2, 3)),
            Color::Rgb(1, 2, 3)
        );
    }

    #[test]
    fn text_reads_on_its_background() {
        assert_eq!(text_on(Color::Cyan), Color::Black);
        assert_eq!(text_on(Color::Yellow), Color::Black);
        assert_eq!(text_on(Color::Green), Color::Black);
        assert_eq!(text_on(Color::Gray), Color::Black);
        assert_eq!(text_on(Color::Red), Color::White);
        assert_eq!(text_on(Color::Blue), Color::White);
        assert_eq!(text_on(Color::DarkGray), Color::White);
        assert_eq!(text_on(Color::Rgb(255, 136, 0)), Color::Black);
        assert_eq!(text_on(Color::Rgb(40, 0, 80)), Color::White);
    }
}
