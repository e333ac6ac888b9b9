//! Scrollback lines and the small rules around them (no DOM here).

/// Which kind of text a line is, for colour and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// The prompt and what was typed.
    Input,
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl LineKind {
    /// The line's CSS class.
    pub fn class(self) -> &'static str {
        match self {
            LineKind::Input => "lab-terminal__line lab-terminal__line--input",
            LineKind::Stdout => "lab-terminal__line",
            LineKind::Stderr => "lab-terminal__line lab-terminal__line--stderr",
        }
    }
}

/// One line of scrollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// What it is.
    pub kind: LineKind,
    /// Its text.
    pub text: String,
}

/// Lines kept in the scrollback; older ones scroll away.
pub const SCROLLBACK: usize = 5000;

impl Line {
    /// The prompt followed by the typed command.
    pub fn input(prompt: &str, typed: &str) -> Line {
        Line {
            kind: LineKind::Input,
            text: format!("{prompt}{typed}"),
        }
    }

    /// A program's output as lines; CRLF (HTTP headers) shows as a plain line break.
    pub fn split(text: &str, kind: LineKind) -> Vec<Line> {
        let text = text.replace("\r\n", "\n");
        let body = text.strip_suffix('\n').unwrap_or(&text);
        body.split('\n')
            .map(|l| Line {
                kind,
                text: l.to_string(),
            })
            .collect()
    }
}

/// What `clear` writes (as xterm's `clear` does): the screen is emptied when it arrives.
pub const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

/// Appends a command's output to the scrollback, honouring `clear`, and trims it.
pub fn append_output(all: &mut Vec<Line>, chunks: Vec<svclab_protocol::Chunk>) {
    for chunk in chunks {
        if chunk.text.contains(CLEAR_SCREEN) {
            all.clear();
            continue;
        }
        let kind = if chunk.stderr {
            LineKind::Stderr
        } else {
            LineKind::Stdout
        };
        all.extend(Line::split(&chunk.text, kind));
    }
    trim_scrollback(all);
}

/// Drops the oldest lines past [`SCROLLBACK`].
pub fn trim_scrollback(lines: &mut Vec<Line>) {
    if lines.len() > SCROLLBACK {
        let extra = lines.len() - SCROLLBACK;
        lines.drain(..extra);
    }
}

/// The next history position for ↑ (`up`) or ↓ from `current` (None = a new line).
pub fn step_history(current: Option<usize>, len: usize, up: bool) -> Option<usize> {
    match (current, up) {
        (_, _) if len == 0 => None,
        (None, true) => Some(len - 1),
        (Some(0), true) => Some(0),
        (Some(i), true) => Some(i - 1),
        (Some(i), false) if i + 1 < len => Some(i + 1),
        (_, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_splits_into_lines_without_carriage_returns() {
        let lines = Line::split("HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n", LineKind::Stdout);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["HTTP/1.1 200 OK", "Server: nginx", ""]);
    }

    #[test]
    fn clear_empties_the_scrollback_and_stderr_keeps_its_kind() {
        let chunk = |stderr: bool, text: &str| svclab_protocol::Chunk {
            stderr,
            text: text.into(),
        };
        let mut all = vec![Line::input("$ ", "ls")];
        append_output(
            &mut all,
            vec![chunk(false, CLEAR_SCREEN), chunk(true, "oops\n")],
        );
        assert_eq!(
            all,
            vec![Line {
                kind: LineKind::Stderr,
                text: "oops".into()
            }]
        );
    }

    #[test]
    fn history_walks_up_and_back_down_to_a_new_line() {
        assert_eq!(step_history(None, 3, true), Some(2));
        assert_eq!(step_history(Some(0), 3, true), Some(0));
        assert_eq!(step_history(Some(1), 3, false), Some(2));
        assert_eq!(step_history(Some(2), 3, false), None);
        assert_eq!(step_history(None, 0, true), None);
    }
}
