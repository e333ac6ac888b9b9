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
        let delimiter_word = self.redir_word()?;
        let quoted = !delimiter_word
            .parts
            .iter()
            .all(|p| matches!(p, WordPart::Lit(_)));
        let delimiter = literal_text(&delimiter_word.parts);
        let body = self.lift_body(&delimiter, strip_tabs)?;
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
    fn lift_body(&mut self, delimiter: &str, strip_tabs: bool) -> Result<String, ParseError> {
        let len = self.chars.len();
        let Some(newline) = (self.pos..len).find(|&i| self.chars[i] == '\n') else {
            return Err(self.incomplete(None));
        };
        let mut body = String::new();
        let mut start = newline + 1;
        let mut lines = 0;
        loop {
            if start >= len {
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

/// The delimiter as bash compares it: the word's text with its quotes removed.
fn literal_text(parts: &[WordPart]) -> String {
    let mut text = String::new();
    for part in parts {
        match part {
            WordPart::Lit(s) | WordPart::Quoted(s) => text.push_str(s),
            WordPart::Double(inner) => text.push_str(&literal_text(inner)),
            // `<<$X` compares against the text `$X`; rare enough to keep simple.
            _ => text.push('$'),
        }
    }
    text
}
