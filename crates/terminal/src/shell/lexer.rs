//! Turning characters into tokens: operators, newlines and words with their quoting.
//!
//! Lexing and parsing share one cursor ([`Parser`]) because bash parses `$(…)` recursively while
//! it reads a word: the end of a command substitution is found by parsing it, not by counting
//! parentheses (`$(echo ")")` ends at the second `)`).

use super::ast::{List, Param, ParamOp, ReplaceMode, Word, WordPart};

/// How deep commands may nest (compound commands, `$(…)`, backquotes) before the parser gives
/// up: it keeps recursion bounded whatever a learner pastes.
pub const MAX_NESTING: usize = 64;

/// A token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A word, with its source text (for error messages and reserved words).
    Word(Word, String),
    /// An operator such as `|`, `&&`, `;`, `>`.
    Op(&'static str),
    /// Digits written right before a redirection operator (`2>`).
    IoNumber(u32),
    /// A newline.
    Newline,
    /// The end of the text.
    Eof,
}

impl Tok {
    /// How bash names the token in `syntax error near unexpected token`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Word(_, raw) => raw.clone(),
            Tok::Op(op) => (*op).to_string(),
            Tok::IoNumber(n) => n.to_string(),
            Tok::Newline | Tok::Eof => "newline".to_string(),
        }
    }
}

/// Why a text does not parse.
#[derive(Clone, Debug, PartialEq)]
pub enum ParseError {
    /// The text stops inside a construct: an interactive shell asks for more lines.
    /// `Some(c)`: inside a quote or substitution closed by `c`; `None`: inside a compound
    /// command or after an operator.
    Incomplete {
        /// The closing character bash was looking for.
        looking_for: Option<char>,
        /// The line bash reports.
        line: usize,
    },
    /// A token where the grammar does not allow it.
    Unexpected {
        /// The token as bash prints it (`done`, `newline`, `)`).
        token: String,
        /// The line it is on.
        line: usize,
    },
    /// Something this shell does not implement (here-documents, arrays, nesting too deep).
    Unsupported {
        /// What it is.
        what: String,
        /// The line it is on.
        line: usize,
    },
}

/// The shared cursor of the lexer and the parser.
pub(crate) struct Parser {
    pub(crate) chars: Vec<char>,
    pub(crate) pos: usize,
    pub(crate) line: usize,
    pub(crate) depth: usize,
    pub(crate) peeked: Option<Tok>,
    /// Here-document bodies taken out of `chars`: the newline they followed, and how many
    /// lines they held, so line numbers after them stay those of the text as typed.
    pub(crate) lifted_lines: Vec<(usize, usize)>,
    /// Whether the input has ended (end of a script, Ctrl-D): a here-document missing its
    /// delimiter then ends at the end of the text, as bash lets it, with a warning.
    pub(crate) at_end_of_input: bool,
    /// Here-documents that ended that way: the line of their `<<` and the delimiter wanted.
    pub(crate) unterminated_here_documents: Vec<(usize, String)>,
}

/// What a double-quote-like body is, which decides where it ends and what `"` means.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DoubleBody {
    /// `"…"`: ends at the closing quote.
    Quoted,
    /// `$((…))` text: runs to the end, quotes dropped.
    Arith,
    /// A here-document body: runs to the end, quotes kept.
    HereDoc,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '|' | '&' | ';' | '(' | ')' | '<' | '>'
    )
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Appends literal text to the parts, merging with a previous piece of the same kind.
fn push_lit(parts: &mut Vec<WordPart>, text: &str, quoted: bool) {
    if text.is_empty() {
        return;
    }
    match (parts.last_mut(), quoted) {
        (Some(WordPart::Lit(s)), false) | (Some(WordPart::Quoted(s)), true) => s.push_str(text),
        _ => parts.push(if quoted {
            WordPart::Quoted(text.to_string())
        } else {
            WordPart::Lit(text.to_string())
        }),
    }
}

impl Parser {
    /// A parser over `text`, at nesting depth `depth`.
    pub(crate) fn new(text: &str, depth: usize) -> Parser {
        Parser {
            chars: text.chars().collect(),
            pos: 0,
            line: 1,
            depth,
            peeked: None,
            lifted_lines: Vec::new(),
            at_end_of_input: false,
            unterminated_here_documents: Vec::new(),
        }
    }

    fn cur(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    /// Consumes one character, counting lines.
    fn bump(&mut self) -> Option<char> {
        let c = self.cur()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            let at = self.pos - 1;
            for &(_, lines) in self.lifted_lines.iter().filter(|(nl, _)| *nl == at) {
                self.line += lines;
            }
        }
        Some(c)
    }

    /// The line bash reports when the text ends too early: the line after the last one.
    pub(crate) fn eof_line(&self) -> usize {
        let newlines = self.chars.iter().filter(|&&c| c == '\n').count();
        if self.chars.last() == Some(&'\n') {
            newlines + 1
        } else {
            newlines + 2
        }
    }

    pub(crate) fn incomplete(&self, looking_for: Option<char>) -> ParseError {
        ParseError::Incomplete {
            looking_for,
            line: if looking_for.is_some() {
                self.line
            } else {
                self.eof_line()
            },
        }
    }

    /// Looks at the next token without consuming it.
    pub(crate) fn peek(&mut self) -> Result<&Tok, ParseError> {
        if self.peeked.is_none() {
            let tok = self.lex()?;
            self.peeked = Some(tok);
        }
        Ok(self.peeked.get_or_insert(Tok::Eof))
    }

    /// Consumes the next token.
    pub(crate) fn next_tok(&mut self) -> Result<Tok, ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn lex(&mut self) -> Result<Tok, ParseError> {
        loop {
            match self.cur() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while let Some(c) = self.cur() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.cur() else {
            return Ok(Tok::Eof);
        };
        let two: String = self.chars.iter().skip(self.pos).take(3).collect();
        let op = |s: &str| two.starts_with(s);
        let found: Option<&'static str> = match c {
            '\n' => {
                self.bump();
                return Ok(Tok::Newline);
            }
            '|' => Some(if op("||") {
                "||"
            } else if op("|&") {
                "|&"
            } else {
                "|"
            }),
            '&' => Some(if op("&&") {
                "&&"
            } else if op("&>>") {
                "&>>"
            } else if op("&>") {
                "&>"
            } else {
                "&"
            }),
            ';' => Some(if op(";;") { ";;" } else { ";" }),
            '(' => Some("("),
            ')' => Some(")"),
            '<' => Some(if op("<<<") {
                "<<<"
            } else if op("<<-") {
                "<<-"
            } else if op("<<") {
                "<<"
            } else if op("<&") {
                "<&"
            } else if op("<>") {
                "<>"
            } else {
                "<"
            }),
            '>' => Some(if op(">>") {
                ">>"
            } else if op(">&") {
                ">&"
            } else if op(">|") {
                ">|"
            } else {
                ">"
            }),
            _ => None,
        };
        if let Some(o) = found {
            self.pos += o.chars().count();
            return Ok(Tok::Op(o));
        }
        // `2>`: digits glued to a redirection operator name a descriptor.
        if c.is_ascii_digit() {
            let mut end = self.pos;
            while self.chars.get(end).is_some_and(|c| c.is_ascii_digit()) {
                end += 1;
            }
            if matches!(self.chars.get(end), Some('<') | Some('>')) {
                let digits: String = self.chars[self.pos..end].iter().collect();
                if let Ok(n) = digits.parse::<u32>() {
                    self.pos = end;
                    return Ok(Tok::IoNumber(n));
                }
            }
        }
        let start = self.pos;
        let word = self.read_word()?;
        let raw: String = self.chars[start..self.pos].iter().collect();
        Ok(Tok::Word(word, raw))
    }

    /// At an unquoted `'`, `"`, `$` or `` ` `` inside a word: reads the quoted text or the
    /// expansion into `parts`.
    fn read_quote_or_expansion(
        &mut self,
        c: char,
        parts: &mut Vec<WordPart>,
    ) -> Result<(), ParseError> {
        match c {
            '\'' => {
                self.pos += 1;
                let s = self.read_single()?;
                parts.push(WordPart::Quoted(s));
            }
            '"' => {
                self.pos += 1;
                let inner = self.read_double(DoubleBody::Quoted)?;
                parts.push(WordPart::Double(inner));
            }
            '$' => match self.read_dollar(false)? {
                Some(p) => parts.push(p),
                None => push_lit(parts, "$", false),
            },
            _ => {
                self.pos += 1;
                let p = self.read_backquote(false)?;
                parts.push(p);
            }
        }
        Ok(())
    }

    /// Reads an unquoted word up to the next blank or operator.
    fn read_word(&mut self) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        while let Some(c) = self.cur() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => {
                    self.pos += 1;
                    match self.cur() {
                        // Line continuation: both characters vanish.
                        Some('\n') => {
                            self.bump();
                        }
                        Some(e) => {
                            self.pos += 1;
                            push_lit(&mut parts, &e.to_string(), true);
                        }
                        // A lone backslash at the very end stays (bash -c 'echo \' prints `\`).
                        None => push_lit(&mut parts, "\\", true),
                    }
                }
                '\'' | '"' | '$' | '`' => self.read_quote_or_expansion(c, &mut parts)?,
                _ => {
                    self.pos += 1;
                    push_lit(&mut parts, &c.to_string(), false);
                }
            }
        }
        Ok(Word { parts })
    }

    fn read_single(&mut self) -> Result<String, ParseError> {
        let start_line = self.line;
        let mut s = String::new();
        loop {
            match self.bump() {
                Some('\'') => return Ok(s),
                Some(c) => s.push(c),
                None => {
                    return Err(ParseError::Incomplete {
                        looking_for: Some('\''),
                        line: start_line,
                    })
                }
            }
        }
    }

    /// Reads a double-quoted body up to the closing `"`; arithmetic text and here-document
    /// bodies run to the end of the text instead.
    pub(crate) fn read_double(&mut self, body: DoubleBody) -> Result<Vec<WordPart>, ParseError> {
        let start_line = self.line;
        let mut parts = Vec::new();
        loop {
            let Some(c) = self.cur() else {
                if body != DoubleBody::Quoted {
                    return Ok(parts);
                }
                return Err(ParseError::Incomplete {
                    looking_for: Some('"'),
                    line: start_line,
                });
            };
            match c {
                '"' => {
                    self.pos += 1;
                    match body {
                        DoubleBody::Quoted => return Ok(parts),
                        DoubleBody::Arith => {}
                        // A here-document keeps its double quotes as text.
                        DoubleBody::HereDoc => push_lit(&mut parts, "\"", true),
                    }
                }
                '\\' => {
                    self.pos += 1;
                    match self.cur() {
                        // Inside double quotes a backslash only escapes these (and in a
                        // here-document, not `"`).
                        Some('\n') => {
                            self.bump();
                        }
                        Some(e @ ('$' | '`' | '\\')) => {
                            self.pos += 1;
                            push_lit(&mut parts, &e.to_string(), true);
                        }
                        Some('"') if body != DoubleBody::HereDoc => {
                            self.pos += 1;
                            push_lit(&mut parts, "\"", true);
                        }
                        _ => push_lit(&mut parts, "\\", true),
                    }
                }
                '$' => match self.read_dollar(true)? {
                    Some(p) => parts.push(p),
                    None => push_lit(&mut parts, "$", true),
                },
                '`' => {
                    self.pos += 1;
                    let p = self.read_backquote(true)?;
                    parts.push(p);
                }
                _ => {
                    self.bump();
                    push_lit(&mut parts, &c.to_string(), true);
                }
            }
        }
    }

    /// At a `$`: reads the expansion, or returns `None` (and consumes the `$`) when the `$`
    /// is literal.
    fn read_dollar(&mut self, in_double: bool) -> Result<Option<WordPart>, ParseError> {
        self.pos += 1;
        if self.depth >= MAX_NESTING {
            return Err(ParseError::Unsupported {
                what: "expansions nested too deeply".into(),
                line: self.line,
            });
        }
        let Some(c) = self.cur() else {
            return Ok(None);
        };
        match c {
            '(' => {
                if self.at(1) == Some('(') {
                    if let Some(p) = self.try_arith()? {
                        return Ok(Some(p));
                    }
                }
                self.pos += 1;
                let list = self.read_subst_list()?;
                Ok(Some(WordPart::Command(Box::new(list))))
            }
            '{' => {
                self.pos += 1;
                // `${x:-${y:-…}}` nests: count it against the same limit.
                self.depth += 1;
                let p = self.read_braced_param();
                self.depth -= 1;
                Ok(Some(WordPart::Param(Box::new(p?))))
            }
            '\'' if !in_double => {
                self.pos += 1;
                let s = self.read_ansi_c()?;
                Ok(Some(WordPart::Quoted(s)))
            }
            '"' if !in_double => {
                self.pos += 1;
                let inner = self.read_double(DoubleBody::Quoted)?;
                Ok(Some(WordPart::Double(inner)))
            }
            c if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.cur().filter(|&c| is_name_char(c)) {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Some(WordPart::Param(Box::new(Param {
                    name,
                    op: ParamOp::Plain,
                }))))
            }
            c if c.is_ascii_digit() || matches!(c, '?' | '$' | '#' | '@' | '*' | '!' | '-') => {
                self.pos += 1;
                Ok(Some(WordPart::Param(Box::new(Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                }))))
            }
            _ => Ok(None),
        }
    }

    /// `$((…))` when the text really is arithmetic; otherwise restores the cursor so the caller
    /// reads `$( (…) )` as a command substitution, as bash does.
    fn try_arith(&mut self) -> Result<Option<WordPart>, ParseError> {
        let start = self.pos + 2;
        let mut i = start;
        let mut depth = 0usize;
        while let Some(&c) = self.chars.get(i) {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    if self.chars.get(i + 1) == Some(&')') {
                        let text: String = self.chars[start..i].iter().collect();
                        let mut sub = Parser::new(&text, self.depth + 1);
                        let parts = sub.read_double(DoubleBody::Arith)?;
                        for ch in &self.chars[self.pos..i + 2] {
                            if *ch == '\n' {
                                self.line += 1;
                            }
                        }
                        self.pos = i + 2;
                        return Ok(Some(WordPart::Arith(parts)));
                    }
                    return Ok(None);
                }
                ')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        Ok(None)
    }

    /// The list inside `$(…)`, through the closing `)`.
    fn read_subst_list(&mut self) -> Result<List, ParseError> {
        if self.depth >= MAX_NESTING {
            return Err(ParseError::Unsupported {
                what: "commands nested too deeply".into(),
                line: self.line,
            });
        }
        let saved = self.peeked.take();
        self.depth += 1;
        let list = self.parse_list(&[]);
        self.depth -= 1;
        let list = match list {
            Ok(l) => l,
            Err(ParseError::Incomplete { .. }) => return Err(self.incomplete(Some(')'))),
            Err(e) => return Err(e),
        };
        let tok = self.next_tok()?;
        self.peeked = saved;
        match tok {
            Tok::Op(")") => Ok(list),
            Tok::Eof => Err(ParseError::Incomplete {
                looking_for: Some(')'),
                line: self.eof_line(),
            }),
            t => Err(ParseError::Unexpected {
                token: t.describe(),
                line: self.line,
            }),
        }
    }

    /// A backquoted command: the text up to the closing backquote, unescaped and parsed.
    fn read_backquote(&mut self, in_double: bool) -> Result<WordPart, ParseError> {
        let start_line = self.line;
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError::Incomplete {
                        looking_for: Some('`'),
                        line: start_line,
                    })
                }
                Some('`') => break,
                Some('\\') => match self.cur() {
                    Some(e @ ('$' | '`' | '\\')) => {
                        self.pos += 1;
                        text.push(e);
                    }
                    Some('"') if in_double => {
                        self.pos += 1;
                        text.push('"');
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        if self.depth >= MAX_NESTING {
            return Err(ParseError::Unsupported {
                what: "commands nested too deeply".into(),
                line: self.line,
            });
        }
        let mut sub = Parser::new(&text, self.depth + 1);
        match sub.parse_program() {
            Ok(list) => Ok(WordPart::Command(Box::new(list))),
            Err(ParseError::Incomplete { .. }) => Err(ParseError::Incomplete {
                looking_for: Some('`'),
                line: start_line,
            }),
            Err(e) => Err(e),
        }
    }

    /// `$'…'`: ANSI-C escapes.
    fn read_ansi_c(&mut self) -> Result<String, ParseError> {
        let start_line = self.line;
        let mut s = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(ParseError::Incomplete {
                    looking_for: Some('\''),
                    line: start_line,
                });
            };
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(e) = self.bump() else { continue };
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        '0'..='7' => {
                            let mut v = e.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.cur().and_then(|c| c.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v).unwrap_or('?'));
                        }
                        'x' => {
                            let mut v = 0;
                            let mut n = 0;
                            while n < 2 {
                                match self.cur().and_then(|c| c.to_digit(16)) {
                                    Some(d) => {
                                        v = v * 16 + d;
                                        self.pos += 1;
                                        n += 1;
                                    }
                                    None => break,
                                }
                            }
                            if n == 0 {
                                s.push_str("\\x");
                            } else {
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                        }
                        '\\' | '\'' | '"' | '?' => s.push(e),
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                c => s.push(c),
            }
        }
    }

    /// `${…}` after the `${`.
    fn read_braced_param(&mut self) -> Result<Param, ParseError> {
        let start = self.pos.saturating_sub(2);
        let start_line = self.line;
        let eof = |p: &Parser| ParseError::Incomplete {
            looking_for: Some('}'),
            line: if p.cur().is_none() {
                start_line
            } else {
                p.line
            },
        };
        // `${#x}` is a length; `${#}` is the number of positional parameters.
        let length = self.cur() == Some('#')
            && self
                .at(1)
                .is_some_and(|c| c != '}' && (is_name_char(c) || "?$#@*!-".contains(c)));
        if length {
            self.pos += 1;
        }
        // `${!x}` / `${!x[@]}`: indirection and an array's indices.
        let bang = !length && self.cur() == Some('!') && self.at(1).is_some_and(is_name_start);
        if bang {
            self.pos += 1;
        }
        let mut name = String::new();
        match self.cur() {
            Some(c) if is_name_start(c) => {
                while let Some(c) = self.cur().filter(|&c| is_name_char(c)) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.cur().filter(|c| c.is_ascii_digit()) {
                    name.push(c);
                    self.pos += 1;
                }
            }
            Some(c) if "?$#@*!-".contains(c) => {
                name.push(c);
                self.pos += 1;
            }
            None => return Err(eof(self)),
            _ => {}
        }
        // `${a[1]}`, `${a[@]}`, `${PIPESTATUS[0]}`: the subscript stays part of the name and is
        // evaluated when the word is expanded.
        if !name.is_empty() && self.cur() == Some('[') {
            let mut sub = String::new();
            let mut j = self.pos + 1;
            let mut nesting = 0usize;
            while let Some(&c) = self.chars.get(j) {
                match c {
                    '[' => nesting += 1,
                    ']' if nesting == 0 => break,
                    ']' => nesting -= 1,
                    _ => {}
                }
                sub.push(c);
                j += 1;
            }
            if self.chars.get(j) == Some(&']') {
                name = format!("{name}[{sub}]");
                self.pos = j + 1;
            }
        }
        let op = if name.is_empty() {
            None
        } else if bang {
            match self.cur() {
                Some('}') => {
                    self.pos += 1;
                    Some(if name.ends_with("[@]") || name.ends_with("[*]") {
                        ParamOp::Keys
                    } else {
                        ParamOp::Indirect
                    })
                }
                _ => None,
            }
        } else if length {
            match self.cur() {
                Some('}') => {
                    self.pos += 1;
                    Some(ParamOp::Length)
                }
                _ => None,
            }
        } else {
            let c = self.cur();
            let c2 = self.at(1);
            match (c, c2) {
                (None, _) => return Err(eof(self)),
                (Some('}'), _) => {
                    self.pos += 1;
                    Some(ParamOp::Plain)
                }
                (Some(':'), Some(o @ ('-' | '=' | '+' | '?')))
                | (Some(o @ ('-' | '=' | '+' | '?')), _) => {
                    let colon = c == Some(':');
                    self.pos += if colon { 2 } else { 1 };
                    let _ = o;
                    let word = self.read_brace_word(false)?;
                    let o = if colon { c2 } else { c };
                    Some(match o {
                        Some('-') => ParamOp::Default { colon, word },
                        Some('=') => ParamOp::Assign { colon, word },
                        Some('+') => ParamOp::Alternate { colon, word },
                        _ => ParamOp::Error { colon, word },
                    })
                }
                (Some('#'), _) | (Some('%'), _) => {
                    let prefix = c == Some('#');
                    self.pos += 1;
                    let longest = self.cur() == c;
                    if longest {
                        self.pos += 1;
                    }
                    let pattern = self.read_brace_word(false)?;
                    Some(if prefix {
                        ParamOp::TrimPrefix { longest, pattern }
                    } else {
                        ParamOp::TrimSuffix { longest, pattern }
                    })
                }
                (Some('/'), _) => {
                    self.pos += 1;
                    let mode = match self.cur() {
                        Some('/') => ReplaceMode::All,
                        Some('#') => ReplaceMode::Prefix,
                        Some('%') => ReplaceMode::Suffix,
                        _ => ReplaceMode::First,
                    };
                    if mode != ReplaceMode::First {
                        self.pos += 1;
                    }
                    let pattern = self.read_brace_word(true)?;
                    let with = if self.chars.get(self.pos.wrapping_sub(1)) == Some(&'/') {
                        self.read_brace_word(false)?
                    } else {
                        Word::default()
                    };
                    Some(ParamOp::Replace {
                        mode,
                        pattern,
                        with,
                    })
                }
                (Some(':'), _) => {
                    self.pos += 1;
                    let mut offset = String::new();
                    let mut length = None;
                    loop {
                        match self.bump() {
                            None => return Err(eof(self)),
                            Some('}') => break,
                            Some(':') if length.is_none() => length = Some(String::new()),
                            Some(ch) => match length.as_mut() {
                                Some(l) => l.push(ch),
                                None => offset.push(ch),
                            },
                        }
                    }
                    Some(ParamOp::Substring { offset, length })
                }
                _ => None,
            }
        };
        match op {
            Some(op) => Ok(Param { name, op }),
            None => {
                // Skip to the closing brace; bash reports `bad substitution` when it runs.
                loop {
                    match self.bump() {
                        None => return Err(eof(self)),
                        Some('}') => break,
                        Some(_) => {}
                    }
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                Ok(Param {
                    name: String::new(),
                    op: ParamOp::Bad(text),
                })
            }
        }
    }

    /// The word inside `${x:-WORD}`: quotes and expansions as usual, blanks are literal; ends
    /// at the closing `}` (consumed) or, with `slash`, at a `/` (consumed).
    fn read_brace_word(&mut self, slash: bool) -> Result<Word, ParseError> {
        let start_line = self.line;
        let mut parts = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.cur() else {
                return Err(ParseError::Incomplete {
                    looking_for: Some('}'),
                    line: start_line,
                });
            };
            match c {
                '}' if depth == 0 => {
                    self.pos += 1;
                    return Ok(Word { parts });
                }
                '/' if slash && depth == 0 => {
                    self.pos += 1;
                    return Ok(Word { parts });
                }
                '\\' => {
                    self.pos += 1;
                    match self.bump() {
                        Some('\n') | None => {}
                        Some(e) => push_lit(&mut parts, &e.to_string(), true),
                    }
                }
                '\'' | '"' | '$' | '`' => self.read_quote_or_expansion(c, &mut parts)?,
                _ => {
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        depth -= 1;
                    }
                    self.bump();
                    push_lit(&mut parts, &c.to_string(), false);
                }
            }
        }
    }
}
