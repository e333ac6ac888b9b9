//! Shell pattern matching (`*`, `?`, `[…]`) for `case`, `${x#pat}`, `${x%pat}`, `${x/pat/r}`
//! and `[[ x == pat ]]`. Quoted characters of a pattern match only themselves.

/// One element of a compiled pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Pat {
    /// A character that matches itself.
    Char(char),
    /// `?`.
    Any,
    /// `*`.
    Star,
    /// `[…]`: the ranges and whether it was negated.
    Class(Vec<(char, char)>, bool),
}

/// Compiles a pattern from (text, quoted) pieces.
pub fn compile(pieces: &[(String, bool)]) -> Vec<Pat> {
    let mut out = Vec::new();
    for (text, quoted) in pieces {
        if *quoted {
            out.extend(text.chars().map(Pat::Char));
            continue;
        }
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            match c {
                '*' => out.push(Pat::Star),
                '?' => out.push(Pat::Any),
                '\\' => {
                    i += 1;
                    if let Some(&e) = chars.get(i) {
                        out.push(Pat::Char(e));
                    } else {
                        out.push(Pat::Char('\\'));
                    }
                }
                '[' => match class(&chars, i) {
                    Some((p, end)) => {
                        out.push(p);
                        i = end;
                    }
                    None => out.push(Pat::Char('[')),
                },
                c => out.push(Pat::Char(c)),
            }
            i += 1;
        }
    }
    out
}

/// Parses `[…]` starting at `start`; returns the class and the index of its `]`.
fn class(chars: &[char], start: usize) -> Option<(Pat, usize)> {
    let mut i = start + 1;
    let negate = matches!(chars.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Pat::Class(ranges, negate), i));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                ranges.extend(posix_class(name));
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let e = *chars.get(i + 2)?;
            ranges.push((c, e));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

/// The ranges of a POSIX class name (`alpha`, `digit`, …) in the C locale.
pub fn posix_class(name: &str) -> Vec<(char, char)> {
    match name {
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "digit" => vec![('0', '9')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        "cntrl" => vec![('\0', '\x1f'), ('\x7f', '\x7f')],
        "print" => vec![(' ', '~')],
        "graph" => vec![('!', '~')],
        _ => Vec::new(),
    }
}

fn one(p: &Pat, c: char) -> bool {
    match p {
        Pat::Char(x) => *x == c,
        Pat::Any => true,
        Pat::Star => true,
        Pat::Class(ranges, negate) => ranges.iter().any(|(a, b)| *a <= c && c <= *b) != *negate,
    }
}

/// Whether the whole of `text` matches the pattern (iterative, so no deep recursion).
pub fn matches(pat: &[Pat], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(Pat::Star) => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(q) if text.get(t).is_some_and(|&c| one(q, c)) => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((bp, bt)) => {
                    p = bp + 1;
                    t = bt + 1;
                    backtrack = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    pat[p.min(pat.len())..].iter().all(|q| *q == Pat::Star)
}
