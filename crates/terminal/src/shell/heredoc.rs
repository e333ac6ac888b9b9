//! Here-documents (`<<WORD` and `<<-WORD`), read as bash reads them: the body is the lines
//! after the end of the command's line, up to a line that is exactly the delimiter. A quoted
//! delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) keeps the body literal; otherwise `$`, `` ` ``
//! and `\` work as inside double quotes, and `"` stays text. `<<-` strips leading tabs.
//! (bash 5.2 `make_here_document` / `read_secondary_line` in make_cmd.c and parse.y.)

use super::ast::{Redir, RedirOp, Word, WordPart};
use super::lexer::{DoubleBody, ParseError, Parser};

impl Parser {
    /// After `<<` or `<<-`: reads the delimiter, lifts the body out of the text, and returns
    /// the redirection with the body as its target.
    pub(super) fn here_document(
        &mut self,
        fd: Option<u32>,
        strip_tabs: bool,
    ) -> Result<Redir, ParseError> {
        let here_line = self.line;
        let start = self.pos;
        self.redir_word()?;
        // bash compares against the word as written, quotes removed and nothing expanded
        // (`<<$X` waits for a line `$X`).
        let raw: String = self.chars[start..self.pos.min(self.chars.len())]
            .iter()
            .collect();
        let raw = raw.trim();
        let quoted = raw.contains(['\'', '"', '\\']);
        let delimiter = quotes_removed(raw);
        let body = self.lift_body(&delimiter, strip_tabs, here_line)?;
        let parts = if quoted {
            vec![WordPart::Quoted(body)]
        } else {
            let mut sub = Parser::new(&body, self.depth + 1);
            sub.line = self.line + 1;
            vec![WordPart::Double(sub.read_double(DoubleBody::HereDoc)?)]
        };
        Ok(Redir {
            fd: fd.unwrap_or(0),
            op: RedirOp::HereDoc,
            target: Word { parts },
        })
    }

    /// Takes the body lines (those after the current line, up to the delimiter line) out of
    /// the text so the lexer carries on after them, and returns the body. No delimiter yet
    /// means the command is incomplete: an interactive shell asks for more.
    fn lift_body(
        &mut self,
        delimiter: &str,
        strip_tabs: bool,
        here_line: usize,
    ) -> Result<String, ParseError> {
        let len = self.chars.len();
        let Some(newline) = self.logical_line_end() else {
            if self.at_end_of_input {
                self.unterminated_here_documents
                    .push((here_line, delimiter.to_string()));
                return Ok(String::new());
            }
            return Err(self.incomplete(None));
        };
        let mut body = String::new();
        let mut start = newline + 1;
        let mut lines = 0;
        loop {
            if start >= len {
                if self.at_end_of_input {
                    self.chars.drain(newline + 1..len);
                    self.lifted_lines.push((newline, lines));
                    self.unterminated_here_documents
                        .push((here_line, delimiter.to_string()));
                    return Ok(body);
                }
                return Err(self.incomplete(None));
            }
            let end = (start..len).find(|&i| self.chars[i] == '\n').unwrap_or(len);
            let line: String = self.chars[start..end].iter().collect();
            let line = if strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line.as_str()
            };
            lines += 1;
            if line == delimiter {
                self.chars.drain(newline + 1..(end + 1).min(len));
                self.lifted_lines.push((newline, lines));
                return Ok(body);
            }
            body.push_str(line);
            body.push('\n');
            start = end + 1;
        }
    }
}

impl Parser {
    /// Where the command line holding the `<<` ends: the first newline after it that is not
    /// inside quotes, `$(…)` or after a `\\`. bash reads the bodies after that newline token,
    /// so a quoted string may carry on past the `<<` line.
    fn logical_line_end(&self) -> Option<usize> {
        let chars = &self.chars;
        let mut i = self.pos;
        let mut depth = 0usize;
        let closing = |from: usize, quote: char| {
            let mut j = from;
            while let Some(&c) = chars.get(j) {
                match c {
                    '\\' if quote != '\'' => j += 2,
                    c if c == quote => return Some(j),
                    _ => j += 1,
                }
            }
            None
        };
        while let Some(&c) = chars.get(i) {
            match c {
                '\\' => i += 1,
                '\'' | '"' | '`' => i = closing(i + 1, c)?,
                '$' if chars.get(i + 1) == Some(&'(') => {
                    depth += 1;
                    i += 1;
                }
                '(' if depth > 0 => depth += 1,
                ')' if depth > 0 => depth -= 1,
                '#' if depth == 0 && (i == 0 || chars[i - 1].is_whitespace()) => {
                    return (i..chars.len()).find(|&j| chars[j] == '\n');
                }
                '\n' if depth == 0 => return Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// A word with its quotes removed: `'…'` and `"…"` lose their quotes, `\x` becomes `x`
/// (inside double quotes only before `$`, `` ` ``, `"`, `\` or a newline).
fn quotes_removed(raw: &str) -> String {
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => text.extend(chars.by_ref().take_while(|&c| c != '\'')),
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('$' | '`' | '"' | '\\' | '\n')) => {
                            text.extend(chars.next());
                        }
                        c => text.push(c),
                    }
                }
            }
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::quotes_removed;

    #[test]
    fn a_delimiter_is_compared_as_written_without_its_quotes() {
        assert_eq!(quotes_removed("EOF"), "EOF");
        assert_eq!(quotes_removed("'EOF'"), "EOF");
        assert_eq!(quotes_removed("\"E\"OF"), "EOF");
        assert_eq!(quotes_removed("\\EOF"), "EOF");
        assert_eq!(quotes_removed("$X"), "$X");
        assert_eq!(quotes_removed("\"a\\$b\\c\""), "a$b\\c");
    }
}
