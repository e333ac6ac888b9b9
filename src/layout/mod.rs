//! The page's panels: the left column (files, inspector, chart) can be hidden, and the splits
//! between the columns and between the map and the terminal can be dragged or moved with the
//! arrow keys. The layout is saved, so it survives a reload.

pub mod splitter;

pub use splitter::Splitter;

const KEY: &str = "service-lab.layout.v1";

/// Where the splits are.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// The left column's width, in percent of the page.
    pub left_pct: f64,
    /// The terminal's height, in percent of the right column.
    pub terminal_pct: f64,
    /// Whether the left column is hidden.
    pub left_hidden: bool,
    /// Presenter mode: large type, the class seed shown big, the lesson's class link.
    pub presenter: bool,
    /// Whether the terminal is hidden (the map takes the whole right column).
    pub terminal_hidden: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            left_pct: 36.0,
            terminal_pct: 32.0,
            left_hidden: false,
            presenter: false,
            terminal_hidden: false,
        }
    }
}

impl Layout {
    /// The saved text: `left,terminal,hidden,presenter,terminal_hidden`.
    pub fn to_text(self) -> String {
        format!(
            "{:.1},{:.1},{},{},{}",
            self.left_pct,
            self.terminal_pct,
            self.left_hidden,
            self.presenter,
            self.terminal_hidden
        )
    }

    /// Reads a saved text, keeping every value in its allowed range; anything else is the default.
    pub fn from_text(text: &str) -> Layout {
        let mut parts = text.split(',');
        let (Some(l), Some(t), Some(h)) = (parts.next(), parts.next(), parts.next()) else {
            return Layout::default();
        };
        let presenter = parts.next() == Some("true");
        let terminal_hidden = parts.next() == Some("true");
        match (l.parse::<f64>(), t.parse::<f64>(), h.parse::<bool>()) {
            (Ok(l), Ok(t), Ok(h)) if l.is_finite() && t.is_finite() => Layout {
                left_pct: l.clamp(LEFT_MIN, LEFT_MAX),
                terminal_pct: t.clamp(TERMINAL_MIN, TERMINAL_MAX),
                left_hidden: h,
                presenter,
                terminal_hidden,
            },
            _ => Layout::default(),
        }
    }

    /// The saved layout, or the default.
    pub fn load() -> Layout {
        crate::browser::read(KEY).map_or_else(Layout::default, |t| Layout::from_text(&t))
    }

    /// Saves it.
    pub fn save(self) {
        crate::browser::write(KEY, &self.to_text());
    }
}

/// The left column's allowed width.
pub const LEFT_MIN: f64 = 20.0;
/// The left column's allowed width.
pub const LEFT_MAX: f64 = 65.0;
/// The terminal's allowed height.
pub const TERMINAL_MIN: f64 = 12.0;
/// The terminal's allowed height.
pub const TERMINAL_MAX: f64 = 80.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_layout_reads_back_and_bad_text_gives_the_default() {
        let l = Layout {
            left_pct: 41.5,
            terminal_pct: 25.0,
            left_hidden: true,
            presenter: true,
            terminal_hidden: true,
        };
        assert_eq!(Layout::from_text(&l.to_text()), l);
        assert_eq!(Layout::from_text("nonsense"), Layout::default());
        assert_eq!(Layout::from_text("NaN,30,false"), Layout::default());
        assert_eq!(Layout::from_text("99,1,false").left_pct, LEFT_MAX);
        assert_eq!(Layout::from_text("99,1,false").terminal_pct, TERMINAL_MIN);
    }
}
