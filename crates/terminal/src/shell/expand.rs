//! Word expansion in bash's order: brace expansion, tilde, parameters, command substitution
//! and arithmetic (left to right), word splitting of unquoted results on `IFS`, quote removal.
//!
//! Pathname expansion (globbing) is not done: the lab's hosts have no directory listing, and
//! bash leaves a pattern that matches no file as it is (`nullglob` off) — which is what the
//! learner sees here for every pattern.

use crate::io::Output;

use super::ast::{List, Param, ParamOp, ReplaceMode, Word, WordPart};
use super::exec::{Ctx, MAX_CALL_DEPTH};
use super::pattern::{self, Pat};
use super::state::{Flow, Input, State};

/// Why an expansion failed.
#[derive(Debug)]
pub(crate) enum ExpError {
    /// bash's message (without the `bash: ` prefix); the command does not run, status 1.
    Message(String),
    /// The run was stopped (Ctrl-C or a limit) inside a command substitution.
    Abort,
}

/// A piece of an expanded word: its text and whether word splitting may cut it.
#[derive(Debug)]
pub(super) enum Frag {
    Text(String, bool),
    /// A field boundary that is not IFS (between the words of `"$@"`).
    Break,
    /// `""`: makes a field exist even if empty.
    Empty,
}

pub(super) fn splittable(frags: &mut Vec<Frag>, text: String, split: bool) {
    frags.push(Frag::Text(text, split));
}

impl Ctx<'_> {
    /// Expands a word into fields (the arguments it becomes).
    pub(crate) fn expand_fields(
        &mut self,
        st: &mut State,
        word: &Word,
        out: &mut Output,
    ) -> Result<Vec<String>, ExpError> {
        let mut fields = Vec::new();
        for w in super::brace::expand(word) {
            let mut frags = Vec::new();
            let parts = tilde(&w, st);
            self.expand_parts(st, &parts, false, false, &mut frags, out)?;
            split_fields(frags, st, &mut fields);
        }
        Ok(fields)
    }

    /// Expands a word into one string, without splitting (redirection targets, `case`).
    pub(crate) fn expand_string(
        &mut self,
        st: &mut State,
        word: &Word,
        out: &mut Output,
    ) -> Result<String, ExpError> {
        let mut frags = Vec::new();
        let parts = tilde(word, st);
        self.expand_parts(st, &parts, true, false, &mut frags, out)?;
        Ok(join(frags))
    }

    /// The value of `NAME=value`: tilde, parameters, substitutions; no splitting.
    pub(crate) fn expand_assignment(
        &mut self,
        st: &mut State,
        word: &Word,
        out: &mut Output,
    ) -> Result<String, ExpError> {
        self.expand_string(st, word, out)
    }

    /// Expands a pattern word: quoted characters stay literal.
    pub(crate) fn expand_pattern(
        &mut self,
        st: &mut State,
        word: &Word,
        out: &mut Output,
    ) -> Result<Vec<Pat>, ExpError> {
        let mut pieces = Vec::new();
        let parts = tilde(word, st);
        for part in &parts {
            match part {
                WordPart::Lit(s) => pieces.push((s.clone(), false)),
                WordPart::Quoted(s) => pieces.push((s.clone(), true)),
                WordPart::Double(_) => {
                    let mut frags = Vec::new();
                    self.expand_parts(
                        st,
                        std::slice::from_ref(part),
                        true,
                        false,
                        &mut frags,
                        out,
                    )?;
                    pieces.push((join(frags), true));
                }
                other => {
                    let mut frags = Vec::new();
                    self.expand_parts(
                        st,
                        std::slice::from_ref(other),
                        true,
                        false,
                        &mut frags,
                        out,
                    )?;
                    pieces.push((join(frags), false));
                }
            }
        }
        Ok(pattern::compile(&pieces))
    }

    pub(super) fn expand_parts(
        &mut self,
        st: &mut State,
        parts: &[WordPart],
        quoted: bool,
        lit_splits: bool,
        frags: &mut Vec<Frag>,
        out: &mut Output,
    ) -> Result<(), ExpError> {
        for part in parts {
            match part {
                WordPart::Lit(s) => splittable(frags, s.clone(), lit_splits && !quoted),
                WordPart::Quoted(s) => {
                    frags.push(Frag::Empty);
                    splittable(frags, s.clone(), false);
                }
                WordPart::Double(inner) => {
                    // `"$@"` with no positional parameters, or `"${a[@]}"` of an empty array,
                    // makes no field at all.
                    let nothing = match inner.as_slice() {
                        [WordPart::Param(p)] if p.op == ParamOp::Plain => {
                            (p.name == "@" && st.positional.is_empty())
                                || p.name.strip_suffix("[@]").is_some_and(|base| {
                                    st.elements(base).is_none_or(|e| e.is_empty())
                                })
                        }
                        _ => false,
                    };
                    if !nothing {
                        frags.push(Frag::Empty);
                    }
                    self.expand_parts(st, inner, true, false, frags, out)?;
                }
                WordPart::Param(p) => self.expand_param(st, p, quoted, frags, out)?,
                WordPart::Command(list) => {
                    let text = self.command_substitution(st, list, out)?;
                    splittable(frags, text, !quoted);
                }
                WordPart::Arith(inner) => {
                    let mut f = Vec::new();
                    self.expand_parts(st, inner, true, false, &mut f, out)?;
                    let text = join(f);
                    let v = super::arith::eval(&text, st).map_err(ExpError::Message)?;
                    splittable(frags, v.to_string(), !quoted);
                }
            }
        }
        Ok(())
    }

    /// Runs `$(…)` in a subshell and returns its output without trailing newlines; its
    /// errors go to the terminal.
    fn command_substitution(
        &mut self,
        st: &mut State,
        list: &List,
        out: &mut Output,
    ) -> Result<String, ExpError> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(ExpError::Message(
                "command substitution nested too deeply (Service Lab's limit)".into(),
            ));
        }
        let mut sub = st.clone();
        let mut tmp = Output::default();
        let line = self.line;
        self.depth += 1;
        let flow = self.exec_list(&mut sub, list, &mut Input::default(), &mut tmp);
        self.depth -= 1;
        self.line = line;
        let mut text = String::new();
        for (stream, t) in tmp.chunks {
            match stream {
                crate::io::Stream::Stdout => text.push_str(&t),
                crate::io::Stream::Stderr => out.err(t),
            }
        }
        if flow == Flow::Abort {
            return Err(ExpError::Abort);
        }
        st.status = sub.status;
        self.subst_status = Some(sub.status);
        let trimmed = text.trim_end_matches('\n').len();
        text.truncate(trimmed);
        Ok(text)
    }

    fn expand_param(
        &mut self,
        st: &mut State,
        p: &Param,
        quoted: bool,
        frags: &mut Vec<Frag>,
        out: &mut Output,
    ) -> Result<(), ExpError> {
        let name = p.name.as_str();
        if (name == "@" || name == "*") && p.op == ParamOp::Plain {
            let values = st.positional.clone();
            push_list(frags, values, name == "@", quoted, st);
            return Ok(());
        }
        let subscript = name.strip_suffix(']').and_then(|n| n.split_once('['));
        if let Some((base, sub @ ("@" | "*"))) = subscript {
            return self.expand_all_elements(st, p, base, sub == "@", quoted, frags, out);
        }
        let value = match subscript {
            Some((base, sub)) => {
                let index = self.element_index(st, base, sub, out)?;
                st.elements(base).and_then(|e| e.get(&index).cloned())
            }
            None if p.op == ParamOp::Indirect => {
                let target = st.param(name).unwrap_or_default();
                if target.is_empty() {
                    return Err(ExpError::Message(format!(
                        "{name}: invalid indirect expansion"
                    )));
                }
                st.param(&target)
            }
            None => st.param(name),
        };
        let is_null =
            |v: &Option<String>, colon: bool| v.is_none() || (colon && v.as_deref() == Some(""));
        let text = match &p.op {
            ParamOp::Plain | ParamOp::Indirect => value.unwrap_or_default(),
            ParamOp::Keys => return Err(ExpError::Message(format!("{name}: bad substitution"))),
            ParamOp::Length => {
                if name == "@" || name == "*" {
                    st.positional.len().to_string()
                } else {
                    value.unwrap_or_default().chars().count().to_string()
                }
            }
            ParamOp::Default { colon, word } => {
                if is_null(&value, *colon) {
                    return self.expand_parts(st, &word.parts, quoted, true, frags, out);
                }
                value.unwrap_or_default()
            }
            ParamOp::Assign { colon, word } => {
                if is_null(&value, *colon) {
                    let v = self.expand_string(st, word, out)?;
                    match subscript {
                        Some((base, sub)) => {
                            let index = self.element_index(st, base, sub, out)?;
                            st.set_element(base, index, v.clone());
                        }
                        None => st.set(name, v.clone()),
                    }
                    v
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Alternate { colon, word } => {
                if !is_null(&value, *colon) {
                    return self.expand_parts(st, &word.parts, quoted, true, frags, out);
                }
                String::new()
            }
            ParamOp::Error { colon, word } => {
                if is_null(&value, *colon) {
                    let msg = self.expand_string(st, word, out)?;
                    let msg = if msg.is_empty() {
                        "parameter null or not set".to_string()
                    } else {
                        msg
                    };
                    return Err(ExpError::Message(format!("{name}: {msg}")));
                }
                value.unwrap_or_default()
            }
            ParamOp::TrimPrefix { longest, pattern } | ParamOp::TrimSuffix { longest, pattern } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let pat = self.expand_pattern(st, pattern, out)?;
                let prefix = matches!(p.op, ParamOp::TrimPrefix { .. });
                trim(&v, &pat, prefix, *longest)
            }
            ParamOp::Replace {
                mode,
                pattern,
                with,
            } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let pat = self.expand_pattern(st, pattern, out)?;
                let with = self.expand_string(st, with, out)?;
                replace(&v, &pat, &with, *mode)
            }
            ParamOp::Substring { offset, length } => {
                let v: Vec<char> = value.unwrap_or_default().chars().collect();
                let len = v.len() as i64;
                let off = super::arith::eval(offset, st).map_err(ExpError::Message)?;
                let start = if off < 0 {
                    (len + off).max(0)
                } else {
                    off.min(len)
                };
                let end = match length {
                    None => len,
                    Some(l) => {
                        let l = super::arith::eval(l, st).map_err(ExpError::Message)?;
                        if l < 0 {
                            let e = len + l;
                            if e < start {
                                return Err(ExpError::Message(format!(
                                    "{l}: substring expression < 0"
                                )));
                            }
                            e
                        } else {
                            (start + l).min(len)
                        }
                    }
                };
                v.get(start as usize..end.max(start) as usize)
                    .unwrap_or(&[])
                    .iter()
                    .collect()
            }
            ParamOp::Bad(text) => {
                return Err(ExpError::Message(format!("{text}: bad substitution")))
            }
        };
        splittable(frags, text, !quoted);
        Ok(())
    }
}

/// Values as `$@` (`at`) or `$*` give them: quoted `$@` keeps each a field, quoted `$*` joins
/// them with the first character of `IFS`, unquoted both split.
pub(super) fn push_list(
    frags: &mut Vec<Frag>,
    values: Vec<String>,
    at: bool,
    quoted: bool,
    st: &State,
) {
    if quoted && !at {
        let sep = match st.get("IFS") {
            Some(ifs) => ifs.chars().next().map(String::from).unwrap_or_default(),
            None => " ".into(),
        };
        splittable(frags, values.join(&sep), false);
        return;
    }
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            frags.push(Frag::Break);
        }
        splittable(frags, v, !quoted);
    }
}

pub(super) fn trim(v: &[char], pat: &[Pat], prefix: bool, longest: bool) -> String {
    let n = v.len();
    let mut cuts: Vec<usize> = (0..=n).collect();
    if longest == prefix {
        cuts.reverse();
    }
    for i in cuts {
        let (piece, keep) = if prefix {
            (&v[..i], &v[i..])
        } else {
            (&v[i..], &v[..i])
        };
        if pattern::matches(pat, piece) {
            return keep.iter().collect();
        }
    }
    v.iter().collect()
}

/// `${x/p/r}` and its forms: matches are the longest at their position.
pub(super) fn replace(v: &[char], pat: &[Pat], with: &str, mode: ReplaceMode) -> String {
    let text = |chars: &[char]| chars.iter().collect::<String>();
    match mode {
        ReplaceMode::Prefix => {
            return match (0..=v.len())
                .rev()
                .find(|&e| pattern::matches(pat, &v[..e]))
            {
                Some(e) => format!("{with}{}", text(&v[e..])),
                None => text(v),
            }
        }
        ReplaceMode::Suffix => {
            return match (0..=v.len()).find(|&s| pattern::matches(pat, &v[s..])) {
                Some(s) => format!("{}{with}", text(&v[..s])),
                None => text(v),
            }
        }
        ReplaceMode::First | ReplaceMode::All => {}
    }
    let all = mode == ReplaceMode::All;
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < v.len() {
        if !replaced || all {
            // The longest match starting here.
            if let Some(end) = (i + 1..=v.len())
                .rev()
                .find(|&e| pattern::matches(pat, &v[i..e]))
            {
                out.push_str(with);
                i = end;
                replaced = true;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// `~` and `~/…` at the start of a word become `$HOME`.
fn tilde(word: &Word, st: &State) -> Vec<WordPart> {
    let mut parts = word.parts.clone();
    if let Some(WordPart::Lit(first)) = parts.first_mut() {
        if first == "~" || first.starts_with("~/") {
            let home = st.get("HOME").unwrap_or("").to_string();
            let rest = first[1..].to_string();
            parts.remove(0);
            parts.insert(0, WordPart::Quoted(home));
            if !rest.is_empty() {
                parts.insert(1, WordPart::Lit(rest));
            }
        }
    }
    parts
}

pub(super) fn join(frags: Vec<Frag>) -> String {
    let mut s = String::new();
    for f in frags {
        match f {
            Frag::Text(t, _) => s.push_str(&t),
            Frag::Break => s.push(' '),
            Frag::Empty => {}
        }
    }
    s
}

/// Word splitting: unquoted expansion results are cut at IFS characters; IFS white space
/// collapses and is trimmed, other IFS characters delimit one field each.
fn split_fields(frags: Vec<Frag>, st: &State, fields: &mut Vec<String>) {
    let ifs: String = st.get("IFS").unwrap_or(" \t\n").to_string();
    let mut cur = String::new();
    let mut has = false;
    for f in frags {
        match f {
            Frag::Empty => has = true,
            Frag::Break => {
                if has || !cur.is_empty() {
                    fields.push(std::mem::take(&mut cur));
                }
                has = false;
            }
            Frag::Text(t, false) => {
                if !t.is_empty() {
                    has = true;
                }
                cur.push_str(&t);
            }
            Frag::Text(t, true) => {
                for c in t.chars() {
                    if ifs.contains(c) {
                        if c == ' ' || c == '\t' || c == '\n' {
                            if has {
                                fields.push(std::mem::take(&mut cur));
                                has = false;
                            }
                        } else {
                            fields.push(std::mem::take(&mut cur));
                            has = false;
                        }
                    } else {
                        cur.push(c);
                        has = true;
                    }
                }
            }
        }
    }
    if has {
        fields.push(cur);
    }
}
