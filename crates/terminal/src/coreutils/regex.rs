//! A small POSIX regular-expression engine for `grep` (no regex crate: the page's size budget).
//!
//! Parses GNU's basic (BRE) and extended (ERE) syntax — literals, `.`, `[…]` with ranges,
//! negation and `[:classes:]`, `^`, `$`, `*`, `+`, `?`, `{m,n}`, alternation, groups, and the
//! GNU escapes `\w \W \s \S \b \B \< \>` — into a Thompson NFA run as a set of states (a Pike
//! VM without captures). Matching time is linear per start position: no input can make it
//! backtrack exponentially. Matches are leftmost-longest, as POSIX and GNU grep report them.

/// The largest repetition count accepted in `{m,n}` (bigger programs are refused, as GNU
/// refuses `{32768}`).
const MAX_REPEAT: u32 = 1000;
/// The largest compiled program.
const MAX_PROGRAM: usize = 100_000;
/// How deep groups may nest.
const MAX_GROUP_DEPTH: usize = 200;

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    /// `grep -w`: no word character right before / after.
    NoWordBefore,
    NoWordAfter,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    Empty,
}

#[derive(Clone, Debug)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn matches(&self, c: char, icase: bool) -> bool {
        let hit = |c: char| self.ranges.iter().any(|(a, b)| *a <= c && c <= *b);
        let found = if icase {
            hit(c) || hit(c.to_ascii_lowercase()) || hit(c.to_ascii_uppercase())
        } else {
            hit(c)
        };
        found != self.negated
    }
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    WordBoundary(bool),
    WordStart,
    WordEnd,
    NoWordBefore,
    NoWordAfter,
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// Which pattern language (`grep -G`, `-E`, `-F`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Basic regular expressions (grep's default).
    Basic,
    /// Extended regular expressions (`-E`).
    Extended,
    /// Fixed strings (`-F`).
    Fixed,
}

/// A compiled regular expression.
#[derive(Clone, Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    icase: bool,
}

struct P<'a> {
    c: &'a [char],
    i: usize,
    ere: bool,
    depth: usize,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl P<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.c.get(self.i + 1).copied()
    }

    fn at_alt(&self) -> bool {
        if self.ere {
            self.peek() == Some('|')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some('|')
        }
    }

    fn at_close(&self) -> bool {
        if self.ere {
            self.peek() == Some(')') && self.depth > 0
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        }
    }

    fn alt(&mut self) -> Result<Node, String> {
        let mut alts = vec![self.concat()?];
        while self.at_alt() {
            self.i += if self.ere { 1 } else { 2 };
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        loop {
            if self.peek().is_none() || self.at_alt() || self.at_close() {
                break;
            }
            let start = items.is_empty();
            let atom = self.atom(start)?;
            let atom = self.repeats(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn repeats(&mut self, mut atom: Node) -> Result<Node, String> {
        let mut applied = 0;
        loop {
            // `a****…` nests repetitions; bound it so compiling cannot recurse without limit.
            applied += 1;
            if applied > 64 {
                return Err("Regular expression too big".into());
            }
            let (min, max, len) = match (self.peek(), self.peek2()) {
                (Some('*'), _) => (0, None, 1),
                (Some('+'), _) if self.ere => (1, None, 1),
                (Some('?'), _) if self.ere => (0, Some(1), 1),
                (Some('\\'), Some('+')) if !self.ere => (1, None, 2),
                (Some('\\'), Some('?')) if !self.ere => (0, Some(1), 2),
                (Some('{'), _) if self.ere => {
                    match self.interval(1)? {
                        Some((a, b)) => {
                            atom = Node::Repeat(Box::new(atom), a, b);
                            continue;
                        }
                        // GNU ERE: a `{` that does not start an interval is literal.
                        None => return Ok(atom),
                    }
                }
                (Some('\\'), Some('{')) if !self.ere => match self.interval(2)? {
                    Some((a, b)) => {
                        atom = Node::Repeat(Box::new(atom), a, b);
                        continue;
                    }
                    None => return Err("Invalid content of \\{\\}".into()),
                },
                _ => return Ok(atom),
            };
            self.i += len;
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `{m}`, `{m,}`, `{,n}`, `{m,n}` (BRE: `\{…\}`); `None` if not an interval.
    fn interval(&mut self, open: usize) -> Result<Option<(u32, Option<u32>)>, String> {
        let save = self.i;
        self.i += open;
        let mut a = String::new();
        let mut b = String::new();
        let mut comma = false;
        loop {
            match self.peek() {
                Some(d) if d.is_ascii_digit() => {
                    if comma {
                        b.push(d)
                    } else {
                        a.push(d)
                    }
                }
                Some(',') if !comma => comma = true,
                Some('}') if self.ere => {
                    self.i += 1;
                    break;
                }
                Some('\\') if !self.ere && self.peek2() == Some('}') => {
                    self.i += 2;
                    break;
                }
                _ => {
                    self.i = save;
                    if !self.ere {
                        return Err("Unmatched \\{".into());
                    }
                    return Ok(None);
                }
            }
            self.i += 1;
        }
        if a.is_empty() && !comma {
            self.i = save;
            return if self.ere {
                Ok(None)
            } else {
                Err("Invalid content of \\{\\}".into())
            };
        }
        let min: u32 = if a.is_empty() {
            0
        } else {
            a.parse()
                .map_err(|_| "Regular expression too big".to_string())?
        };
        let max = if !comma {
            Some(min)
        } else if b.is_empty() {
            None
        } else {
            Some(
                b.parse::<u32>()
                    .map_err(|_| "Regular expression too big".to_string())?,
            )
        };
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
            return Err("Regular expression too big".into());
        }
        if max.is_some_and(|m| m < min) {
            return Err("Invalid content of \\{\\}".into());
        }
        Ok(Some((min, max)))
    }

    fn atom(&mut self, at_start: bool) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.i += 1;
        match c {
            '.' => Ok(Node::Any),
            '[' => self.bracket(),
            '^' if self.ere || at_start => Ok(Node::Start),
            '$' => {
                // BRE: `$` is an anchor only at the end of the pattern or of a group/branch.
                if self.ere || self.peek().is_none() || self.at_close() || self.at_alt() {
                    Ok(Node::End)
                } else {
                    Ok(Node::Char('$'))
                }
            }
            '*' if at_start => Ok(Node::Char('*')),
            '*' | '+' | '?' if self.ere && at_start => {
                if c == '*' {
                    Ok(Node::Char('*'))
                } else {
                    Ok(Node::Char(c))
                }
            }
            '(' if self.ere => self.group(),
            '{' if self.ere && at_start => Ok(Node::Char('{')),
            '\\' => {
                let Some(e) = self.peek() else {
                    return Err("Trailing backslash".into());
                };
                self.i += 1;
                match e {
                    '(' if !self.ere => self.group(),
                    ')' if !self.ere => Err("Unmatched ) or \\)".into()),
                    'w' => Ok(Node::Class(Class {
                        ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
                        negated: false,
                    })),
                    'W' => Ok(Node::Class(Class {
                        ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
                        negated: true,
                    })),
                    's' => Ok(Node::Class(Class {
                        ranges: vec![(' ', ' '), ('\t', '\r')],
                        negated: false,
                    })),
                    'S' => Ok(Node::Class(Class {
                        ranges: vec![(' ', ' '), ('\t', '\r')],
                        negated: true,
                    })),
                    'b' => Ok(Node::WordBoundary(true)),
                    'B' => Ok(Node::WordBoundary(false)),
                    '<' => Ok(Node::WordStart),
                    '>' => Ok(Node::WordEnd),
                    other => Ok(Node::Char(other)),
                }
            }
            other => Ok(Node::Char(other)),
        }
    }

    fn group(&mut self) -> Result<Node, String> {
        if self.depth >= MAX_GROUP_DEPTH {
            return Err("Regular expression too big".into());
        }
        self.depth += 1;
        let inner = self.alt()?;
        self.depth -= 1;
        let closed = if self.ere {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        };
        if !closed {
            return Err("Unmatched ( or \\(".into());
        }
        self.i += if self.ere { 1 } else { 2 };
        Ok(inner)
    }

    fn bracket(&mut self) -> Result<Node, String> {
        let err = || "Unmatched [, [^, [:, [., or [=".to_string();
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.i += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or_else(err)?;
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && matches!(self.peek2(), Some(':') | Some('=') | Some('.')) {
                let kind = self.peek2().unwrap_or(':');
                let rest: String = self.c[self.i + 2..].iter().collect();
                let close = format!("{kind}]");
                let end = rest.find(&close).ok_or_else(err)?;
                let name = &rest[..end];
                if kind == ':' {
                    let r = crate::shell::pattern::posix_class(name);
                    if r.is_empty() {
                        return Err("Invalid character class name".into());
                    }
                    ranges.extend(r);
                } else {
                    ranges.extend(name.chars().map(|c| (c, c)));
                }
                self.i += 2 + name.chars().count() + 2;
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.peek2().is_some_and(|e| e != ']') {
                let e = self.peek2().ok_or_else(err)?;
                if e < c {
                    return Err("Invalid range end".into());
                }
                ranges.push((c, e));
                self.i += 2;
            } else {
                ranges.push((c, c));
            }
        }
        Ok(Node::Class(Class { ranges, negated }))
    }
}

struct Compiler {
    prog: Vec<Inst>,
}

impl Compiler {
    fn emit(&mut self, i: Inst) -> Result<usize, String> {
        if self.prog.len() >= MAX_PROGRAM {
            return Err("Regular expression too big".into());
        }
        self.prog.push(i);
        Ok(self.prog.len() - 1)
    }

    fn set(&mut self, at: usize, i: Inst) {
        if let Some(slot) = self.prog.get_mut(at) {
            *slot = i;
        }
    }

    fn node(&mut self, n: &Node) -> Result<(), String> {
        match n {
            Node::Char(c) => {
                self.emit(Inst::Char(*c))?;
            }
            Node::Any => {
                self.emit(Inst::Any)?;
            }
            Node::Class(c) => {
                self.emit(Inst::Class(c.clone()))?;
            }
            Node::Start => {
                self.emit(Inst::Start)?;
            }
            Node::End => {
                self.emit(Inst::End)?;
            }
            Node::WordBoundary(b) => {
                self.emit(Inst::WordBoundary(*b))?;
            }
            Node::WordStart => {
                self.emit(Inst::WordStart)?;
            }
            Node::WordEnd => {
                self.emit(Inst::WordEnd)?;
            }
            Node::NoWordBefore => {
                self.emit(Inst::NoWordBefore)?;
            }
            Node::NoWordAfter => {
                self.emit(Inst::NoWordAfter)?;
            }
            Node::Empty => {}
            Node::Concat(items) => {
                for it in items {
                    self.node(it)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (k, a) in alts.iter().enumerate() {
                    if k + 1 < alts.len() {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(a)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        let next = self.prog.len();
                        self.set(split, Inst::Split(split + 1, next));
                    } else {
                        self.node(a)?;
                    }
                }
                let end = self.prog.len();
                for j in jumps {
                    self.set(j, Inst::Jmp(end));
                }
            }
            Node::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.node(inner)?;
                }
                match max {
                    None => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.node(inner)?;
                        self.emit(Inst::Jmp(split))?;
                        let end = self.prog.len();
                        self.set(split, Inst::Split(split + 1, end));
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.node(inner)?;
                        }
                        let end = self.prog.len();
                        for s in splits {
                            self.set(s, Inst::Split(s + 1, end));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Regex {
    /// Compiles a pattern (`extended`: ERE, else BRE); the error is GNU's message.
    pub fn new(pattern: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        Regex::with_options(
            pattern,
            if extended {
                Syntax::Extended
            } else {
                Syntax::Basic
            },
            icase,
            false,
            false,
        )
    }

    /// Compiles a pattern with grep's options: `word` (`-w`: the match is a whole word) and
    /// `line` (`-x`: the match is the whole line).
    pub fn with_options(
        pattern: &str,
        syntax: Syntax,
        icase: bool,
        word: bool,
        line: bool,
    ) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut node = match syntax {
            Syntax::Fixed => Node::Concat(chars.iter().map(|c| Node::Char(*c)).collect()),
            _ => {
                let mut p = P {
                    c: &chars,
                    i: 0,
                    ere: syntax == Syntax::Extended,
                    depth: 0,
                };
                let node = p.alt()?;
                if p.i < chars.len() {
                    return Err("Unmatched ) or \\)".into());
                }
                node
            }
        };
        if word {
            node = Node::Concat(vec![Node::NoWordBefore, node, Node::NoWordAfter]);
        }
        if line {
            node = Node::Concat(vec![Node::Start, node, Node::End]);
        }
        let mut c = Compiler { prog: Vec::new() };
        c.node(&node)?;
        c.emit(Inst::Match)?;
        Ok(Regex {
            prog: c.prog,
            icase,
        })
    }

    /// Whether the regex matches somewhere in `line`.
    pub fn is_match(&self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        self.find_at(&chars, 0).is_some()
    }

    /// All non-overlapping leftmost-longest matches as character ranges (`grep -o`).
    pub fn find_all(&self, chars: &[char]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while from <= chars.len() {
            let Some((s, e)) = self.find_at(chars, from) else {
                break;
            };
            out.push((s, e));
            from = if e > s { e } else { e + 1 };
        }
        out
    }

    /// The leftmost-longest match starting at or after `from`.
    pub fn find_at(&self, chars: &[char], from: usize) -> Option<(usize, usize)> {
        (from..=chars.len())
            .find_map(|start| self.longest_from(chars, start).map(|end| (start, end)))
    }

    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [bool],
        pc: usize,
        chars: &[char],
        pos: usize,
    ) -> bool {
        // Explicit stack: the epsilon closure without recursion.
        let mut matched = false;
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen.get(pc).copied().unwrap_or(true) {
                continue;
            }
            if let Some(s) = seen.get_mut(pc) {
                *s = true;
            }
            let prev = pos.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(pos).copied();
            let assert_ok = |ok: bool, stack: &mut Vec<usize>| {
                if ok {
                    stack.push(pc + 1);
                }
            };
            match self.prog.get(pc) {
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Jmp(a)) => stack.push(*a),
                Some(Inst::Start) => assert_ok(pos == 0, &mut stack),
                Some(Inst::End) => assert_ok(pos == chars.len(), &mut stack),
                Some(Inst::WordBoundary(want)) => {
                    let b = prev.is_some_and(word_char) != next.is_some_and(word_char);
                    assert_ok(b == *want, &mut stack)
                }
                Some(Inst::WordStart) => assert_ok(
                    !prev.is_some_and(word_char) && next.is_some_and(word_char),
                    &mut stack,
                ),
                Some(Inst::WordEnd) => assert_ok(
                    prev.is_some_and(word_char) && !next.is_some_and(word_char),
                    &mut stack,
                ),
                Some(Inst::NoWordBefore) => assert_ok(!prev.is_some_and(word_char), &mut stack),
                Some(Inst::NoWordAfter) => assert_ok(!next.is_some_and(word_char), &mut stack),
                Some(Inst::Match) => matched = true,
                Some(_) => list.push(pc),
                None => {}
            }
        }
        matched
    }

    fn step_ok(&self, pc: usize, c: char) -> bool {
        match self.prog.get(pc) {
            Some(Inst::Char(x)) => *x == c || (self.icase && x.to_lowercase().eq(c.to_lowercase())),
            Some(Inst::Any) => c != '\n',
            Some(Inst::Class(cl)) => cl.matches(c, self.icase),
            _ => false,
        }
    }

    fn longest_from(&self, chars: &[char], start: usize) -> Option<usize> {
        let n = self.prog.len();
        let mut seen = vec![false; n];
        let mut cur = Vec::new();
        let mut best = None;
        if self.add(&mut cur, &mut seen, 0, chars, start) {
            best = Some(start);
        }
        let mut pos = start;
        while !cur.is_empty() {
            let Some(&c) = chars.get(pos) else { break };
            let mut next = Vec::new();
            seen.iter_mut().for_each(|s| *s = false);
            let mut matched = false;
            for &pc in &cur {
                if self.step_ok(pc, c) && self.add(&mut next, &mut seen, pc + 1, chars, pos + 1) {
                    matched = true;
                }
            }
            pos += 1;
            if matched {
                best = Some(pos);
            }
            cur = next;
        }
        best
    }
}
