//! The grammar: lists, and-or lists, pipelines, simple and compound commands.
//!
//! A recursive-descent parser over the tokens of [`super::lexer`]. When the text ends inside a
//! construct it answers [`ParseError::Incomplete`], which is how the terminal knows to show the
//! continuation prompt — the same decision bash makes reading a line at a time.

use super::ast::{
    AndOr, Assign, CaseArm, Command, Connector, List, Pipeline, Redir, RedirOp, Word, WordPart,
};
use super::lexer::{ParseError, Parser, Tok, MAX_NESTING};

/// Reserved words that close a construct: unexpected where a command should start.
const CLOSERS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}", "esac"];

/// Parses a whole text into a list of commands.
pub fn parse(text: &str) -> Result<List, ParseError> {
    Parser::new(text, 0).parse_program()
}

/// Parses a text the input ended in (a script's last lines, Ctrl-D): a here-document still
/// waiting for its delimiter ends with the text, as bash lets it. Beside the list come those
/// here-documents: the line of their `<<` and the delimiter they wanted.
pub fn parse_at_end_of_input(text: &str) -> Result<(List, Vec<(usize, String)>), ParseError> {
    let mut parser = Parser::new(text, 0);
    parser.at_end_of_input = true;
    let list = parser.parse_program()?;
    Ok((list, parser.unterminated_here_documents))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Splits `NAME=value` / `NAME+=value` off the front of a word.
fn as_assignment(word: &Word) -> Option<Assign> {
    let Some(WordPart::Lit(first)) = word.parts.first() else {
        return None;
    };
    let eq = first.find('=')?;
    let (name, append) = match first[..eq].strip_suffix('+') {
        Some(n) => (n, true),
        None => (&first[..eq], false),
    };
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(WordPart::Lit(rest.to_string()));
    }
    parts.extend(word.parts.iter().skip(1).cloned());
    Some(Assign {
        name: name.to_string(),
        append,
        value: Word { parts },
        index: None,
        elements: None,
    })
}

/// `NAME[SUBSCRIPT]=value` / `+=`, from the word's source text (the subscript may hold
/// expansions, so the parts alone do not show where it ends).
fn as_element_assignment(raw: &str, depth: usize) -> Option<Assign> {
    let open = raw.find('[')?;
    let name = &raw[..open];
    if !is_name(name) {
        return None;
    }
    let mut nesting = 0usize;
    let close = raw[open..].char_indices().find_map(|(i, c)| match c {
        '[' => {
            nesting += 1;
            None
        }
        ']' => {
            nesting -= 1;
            (nesting == 0).then_some(open + i)
        }
        _ => None,
    })?;
    let after = &raw[close + 1..];
    let (append, value_raw) = match after.strip_prefix("+=") {
        Some(v) => (true, v),
        None => (false, after.strip_prefix('=')?),
    };
    let value = match Parser::new(value_raw, depth + 1).next_tok().ok()? {
        Tok::Word(w, _) => w,
        _ => Word::default(),
    };
    Some(Assign {
        name: name.to_string(),
        append,
        value,
        index: Some(raw[open + 1..close].to_string()),
        elements: None,
    })
}

impl Parser {
    pub(super) fn unexpected(&self, tok: &Tok) -> ParseError {
        match tok {
            Tok::Eof => self.incomplete(None),
            t => ParseError::Unexpected {
                token: t.describe(),
                line: if matches!(t, Tok::Newline) {
                    self.line.saturating_sub(1).max(1)
                } else {
                    self.line
                },
            },
        }
    }

    /// The whole text: a list, then the end.
    pub(crate) fn parse_program(&mut self) -> Result<List, ParseError> {
        let list = self.parse_list(&[])?;
        match self.next_tok()? {
            Tok::Eof => Ok(list),
            t => Err(self.unexpected(&t)),
        }
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next_tok()?;
        }
        Ok(())
    }

    fn peek_is_word(&mut self, words: &[&str]) -> Result<bool, ParseError> {
        Ok(match self.peek()? {
            Tok::Word(w, _) => w.plain().is_some_and(|p| words.contains(&p)),
            _ => false,
        })
    }

    /// A sequence of and-or lists; stops before a reserved word in `terms`, a `)`, `;;` or the
    /// end (the caller checks which).
    pub(crate) fn parse_list(&mut self, terms: &[&str]) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if matches!(self.peek()?, Tok::Eof | Tok::Op(")") | Tok::Op(";;"))
                || self.peek_is_word(terms)?
            {
                break;
            }
            let ao = self.parse_and_or()?;
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => {
                    self.next_tok()?;
                    items.push((ao, false));
                }
                Tok::Op("&") => {
                    self.next_tok()?;
                    items.push((ao, true));
                }
                _ => {
                    items.push((ao, false));
                    break;
                }
            }
        }
        Ok(List { items })
    }

    /// A list that must hold at least one command, then the reserved word that ends it.
    fn parse_body(&mut self, terms: &[&str]) -> Result<(List, String), ParseError> {
        let list = self.parse_list(terms)?;
        let tok = self.next_tok()?;
        match &tok {
            Tok::Word(w, _) if list.items.is_empty() || w.plain().is_none() => {
                Err(self.unexpected(&tok))
            }
            Tok::Word(w, _) => match w.plain() {
                Some(p) if terms.contains(&p) => Ok((list, p.to_string())),
                _ => Err(self.unexpected(&tok)),
            },
            _ => Err(self.unexpected(&tok)),
        }
    }

    fn parse_and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let conn = match self.peek()? {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.next_tok()?;
            self.skip_newlines()?;
            rest.push((conn, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let negate = self.peek_is_word(&["!"])?;
        if negate {
            self.next_tok()?;
        }
        let mut commands = vec![self.parse_command()?];
        let mut with_stderr = Vec::new();
        loop {
            let both = match self.peek()? {
                Tok::Op("|") => false,
                Tok::Op("|&") => true,
                _ => break,
            };
            self.next_tok()?;
            self.skip_newlines()?;
            with_stderr.push(both);
            commands.push(self.parse_command()?);
        }
        Ok(Pipeline {
            negate,
            commands,
            with_stderr,
        })
    }

    fn parse_command(&mut self) -> Result<Command, ParseError> {
        if self.depth >= MAX_NESTING {
            return Err(ParseError::Unsupported {
                what: "commands nested too deeply".into(),
                line: self.line,
            });
        }
        let keyword = match self.peek()? {
            Tok::Eof => return Err(self.incomplete(None)),
            Tok::Op("(") => Some("(".to_string()),
            Tok::Op(_) | Tok::Newline => {
                let t = self.next_tok()?;
                return Err(self.unexpected(&t));
            }
            Tok::IoNumber(_) => None,
            Tok::Word(w, _) => w.plain().map(str::to_string),
        };
        let compound = match keyword.as_deref() {
            Some(k @ ("if" | "for" | "while" | "until" | "case" | "{" | "(")) => {
                let k = k.to_string();
                self.next_tok()?;
                self.depth += 1;
                let c = self.parse_compound(&k);
                self.depth -= 1;
                c?
            }
            Some(k) if CLOSERS.contains(&k) => {
                let t = self.next_tok()?;
                return Err(self.unexpected(&t));
            }
            Some("function") => {
                self.next_tok()?;
                return self.parse_function(None);
            }
            _ => return self.parse_simple(),
        };
        let mut redirs = Vec::new();
        while matches!(
            self.peek()?,
            Tok::IoNumber(_)
                | Tok::Op(
                    "<" | ">"
                        | ">>"
                        | ">|"
                        | "<&"
                        | ">&"
                        | "&>"
                        | "&>>"
                        | "<<<"
                        | "<<"
                        | "<<-"
                        | "<>"
                )
        ) {
            redirs.push(self.parse_redir()?);
        }
        Ok(match compound {
            Command::Group(l, _) => Command::Group(l, redirs),
            Command::Subshell(l, _) => Command::Subshell(l, redirs),
            Command::For {
                var, words, body, ..
            } => Command::For {
                var,
                words,
                body,
                redirs,
            },
            Command::If {
                branches,
                otherwise,
                ..
            } => Command::If {
                branches,
                otherwise,
                redirs,
            },
            Command::While {
                until, cond, body, ..
            } => Command::While {
                until,
                cond,
                body,
                redirs,
            },
            Command::Case { word, arms, .. } => Command::Case { word, arms, redirs },
            other => other,
        })
    }

    fn parse_compound(&mut self, keyword: &str) -> Result<Command, ParseError> {
        match keyword {
            "{" => {
                let (list, _) = self.parse_body(&["}"])?;
                Ok(Command::Group(list, Vec::new()))
            }
            "(" => {
                let list = self.parse_list(&[])?;
                let tok = self.next_tok()?;
                if tok != Tok::Op(")") || list.items.is_empty() {
                    return Err(self.unexpected(&tok));
                }
                Ok(Command::Subshell(list, Vec::new()))
            }
            "if" => {
                let mut branches = Vec::new();
                let mut otherwise = None;
                let (cond, _) = self.parse_body(&["then"])?;
                let (mut body, mut end) = self.parse_body(&["elif", "else", "fi"])?;
                let mut cond = cond;
                loop {
                    branches.push((cond, body));
                    match end.as_str() {
                        "elif" => {
                            let (c, _) = self.parse_body(&["then"])?;
                            cond = c;
                            let (b, e) = self.parse_body(&["elif", "else", "fi"])?;
                            body = b;
                            end = e;
                        }
                        "else" => {
                            let (b, _) = self.parse_body(&["fi"])?;
                            otherwise = Some(b);
                            break;
                        }
                        _ => break,
                    }
                }
                Ok(Command::If {
                    branches,
                    otherwise,
                    redirs: Vec::new(),
                })
            }
            "while" | "until" => {
                let (cond, _) = self.parse_body(&["do"])?;
                let (body, _) = self.parse_body(&["done"])?;
                Ok(Command::While {
                    until: keyword == "until",
                    cond,
                    body,
                    redirs: Vec::new(),
                })
            }
            "for" => self.parse_for(),
            _ => self.parse_case(),
        }
    }

    fn parse_for(&mut self) -> Result<Command, ParseError> {
        let tok = self.next_tok()?;
        let var = match &tok {
            Tok::Word(_, raw) if is_name(raw) => raw.clone(),
            Tok::Op("(") => {
                return Err(ParseError::Unsupported {
                    what: "arithmetic for loops".into(),
                    line: self.line,
                })
            }
            _ => return Err(self.unexpected(&tok)),
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_is_word(&["in"])? {
            self.next_tok()?;
            let mut list = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w, _) => list.push(w),
                    Tok::Op(";") | Tok::Newline => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            words = Some(list);
        } else if matches!(self.peek()?, Tok::Op(";")) {
            self.next_tok()?;
        }
        self.skip_newlines()?;
        let tok = self.next_tok()?;
        if !matches!(&tok, Tok::Word(w, _) if w.plain() == Some("do")) {
            return Err(self.unexpected(&tok));
        }
        let (body, _) = self.parse_body(&["done"])?;
        Ok(Command::For {
            var,
            words,
            body,
            redirs: Vec::new(),
        })
    }

    fn parse_case(&mut self) -> Result<Command, ParseError> {
        let word = match self.next_tok()? {
            Tok::Word(w, _) => w,
            t => return Err(self.unexpected(&t)),
        };
        self.skip_newlines()?;
        let tok = self.next_tok()?;
        if !matches!(&tok, Tok::Word(w, _) if w.plain() == Some("in")) {
            return Err(self.unexpected(&tok));
        }
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_is_word(&["esac"])? {
                self.next_tok()?;
                break;
            }
            if matches!(self.peek()?, Tok::Op("(")) {
                self.next_tok()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w, _) => patterns.push(w),
                    t => return Err(self.unexpected(&t)),
                }
                match self.next_tok()? {
                    Tok::Op("|") => continue,
                    Tok::Op(")") => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            let body = self.parse_list(&["esac"])?;
            arms.push(CaseArm { patterns, body });
            match self.next_tok()? {
                Tok::Op(";;") => {}
                Tok::Word(w, _) if w.plain() == Some("esac") => break,
                t => return Err(self.unexpected(&t)),
            }
        }
        Ok(Command::Case {
            word,
            arms,
            redirs: Vec::new(),
        })
    }

    /// `function name [()] body` (after `function`), or `name() body` with the name known.
    fn parse_function(&mut self, name: Option<String>) -> Result<Command, ParseError> {
        let name = match name {
            Some(n) => n,
            None => {
                let tok = self.next_tok()?;
                match tok {
                    Tok::Word(_, raw) => raw,
                    t => return Err(self.unexpected(&t)),
                }
            }
        };
        if matches!(self.peek()?, Tok::Op("(")) {
            self.next_tok()?;
            let tok = self.next_tok()?;
            if tok != Tok::Op(")") {
                return Err(self.unexpected(&tok));
            }
        }
        self.skip_newlines()?;
        let body = self.parse_command()?;
        if matches!(body, Command::Simple { .. } | Command::Function { .. }) {
            // bash only takes a compound command as a function body.
            return Err(ParseError::Unexpected {
                token: "newline".into(),
                line: self.line,
            });
        }
        Ok(Command::Function {
            name,
            body: Box::new(body),
        })
    }

    fn parse_simple(&mut self) -> Result<Command, ParseError> {
        let line = self.line;
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        let depth = self.depth;
        loop {
            match self.peek()? {
                Tok::Word(w, raw) => {
                    if words.is_empty() {
                        let found = as_element_assignment(raw, depth).or_else(|| as_assignment(w));
                        if let Some(mut a) = found {
                            let compound =
                                a.index.is_none() && a.value.parts.is_empty() && raw.ends_with('=');
                            self.next_tok()?;
                            // `NAME=(…)` with no blank before `(`: an array's elements.
                            if compound && self.chars.get(self.pos) == Some(&'(') {
                                self.pos += 1;
                                a.elements = Some(self.array_elements()?);
                            }
                            assigns.push(a);
                            continue;
                        }
                    }
                    if let Tok::Word(w, _) = self.next_tok()? {
                        words.push(w);
                    }
                }
                Tok::IoNumber(_)
                | Tok::Op(
                    "<" | ">" | ">>" | ">|" | "<&" | ">&" | "&>" | "&>>" | "<<<" | "<<" | "<<-"
                    | "<>",
                ) => {
                    redirs.push(self.parse_redir()?);
                }
                Tok::Op("(") if words.len() == 1 && assigns.is_empty() && redirs.is_empty() => {
                    let name = words.first().and_then(|w| w.plain()).map(str::to_string);
                    match name {
                        Some(n) if !n.is_empty() => return self.parse_function(Some(n)),
                        _ => {
                            let t = self.next_tok()?;
                            return Err(self.unexpected(&t));
                        }
                    }
                }
                Tok::Op("(") => {
                    let t = self.next_tok()?;
                    return Err(self.unexpected(&t));
                }
                _ => break,
            }
        }
        Ok(Command::Simple {
            assigns,
            words,
            redirs,
            line,
        })
    }

    /// The words of `NAME=(…)` after the `(`, up to the `)`; newlines may separate them.
    fn array_elements(&mut self) -> Result<Vec<Word>, ParseError> {
        let mut elements = Vec::new();
        loop {
            match self.next_tok()? {
                Tok::Word(w, _) => elements.push(w),
                Tok::Newline => {}
                Tok::Op(")") => return Ok(elements),
                other => return Err(self.unexpected(&other)),
            }
        }
    }

    fn parse_redir(&mut self) -> Result<Redir, ParseError> {
        let mut fd = None;
        let mut tok = self.next_tok()?;
        if let Tok::IoNumber(n) = tok {
            fd = Some(n);
            tok = self.next_tok()?;
        }
        let Tok::Op(op) = tok else {
            return Err(self.unexpected(&tok));
        };
        if op == "<<" || op == "<<-" {
            return self.here_document(fd, op == "<<-");
        }
        let target = self.redir_word()?;
        let (default_fd, kind) = match op {
            ">" | ">|" => (1, RedirOp::Out),
            ">>" => (1, RedirOp::Append),
            "<" | "<>" => (0, RedirOp::In),
            "<&" => (0, RedirOp::Dup),
            ">&" => {
                // `>&file` (not a number or `-`) means `&>file`.
                let t = target.plain().unwrap_or("");
                if fd.is_none()
                    && !(t == "-" || (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())))
                {
                    (1, RedirOp::OutErr)
                } else {
                    (1, RedirOp::Dup)
                }
            }
            "&>" => (1, RedirOp::OutErr),
            "&>>" => (1, RedirOp::AppendErr),
            _ => (0, RedirOp::HereString),
        };
        Ok(Redir {
            fd: fd.unwrap_or(default_fd),
            op: kind,
            target,
        })
    }

    /// The word after a redirection operator (a file, a descriptor, a here-string or a
    /// here-document's delimiter).
    pub(super) fn redir_word(&mut self) -> Result<Word, ParseError> {
        match self.next_tok()? {
            Tok::Word(w, _) => Ok(w),
            Tok::Eof => Err(ParseError::Unexpected {
                token: "newline".into(),
                line: self.line,
            }),
            t => Err(self.unexpected(&t)),
        }
    }
}
