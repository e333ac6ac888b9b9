//! Brace expansion: `{a,b}`, `{1..10}`, `{01..10}`, `{a..e}`, `{1..10..2}` — the first
//! expansion bash performs, on the unquoted text of a word only.

use super::ast::{Word, WordPart};

/// The most words one brace expansion may produce, so `{1..1000000000}` cannot exhaust
/// memory; past it the word is left unexpanded.
pub const MAX_BRACE_WORDS: usize = 100_000;

#[derive(Clone, Debug)]
enum Item {
    Ch(char),
    Part(WordPart),
}

fn flatten(word: &Word) -> Vec<Item> {
    let mut items = Vec::new();
    for part in &word.parts {
        match part {
            WordPart::Lit(s) => items.extend(s.chars().map(Item::Ch)),
            other => items.push(Item::Part(other.clone())),
        }
    }
    items
}

fn regroup(items: Vec<Item>) -> Word {
    let mut parts: Vec<WordPart> = Vec::new();
    for item in items {
        match item {
            Item::Ch(c) => match parts.last_mut() {
                Some(WordPart::Lit(s)) => s.push(c),
                _ => parts.push(WordPart::Lit(c.to_string())),
            },
            Item::Part(p) => parts.push(p),
        }
    }
    Word { parts }
}

/// Expands the braces of a word into one or more words (the word itself when it has none).
pub fn expand(word: &Word) -> Vec<Word> {
    let has_brace = word
        .parts
        .iter()
        .any(|p| matches!(p, WordPart::Lit(s) if s.contains('{')));
    if !has_brace {
        return vec![word.clone()];
    }
    let mut out = Vec::new();
    if !expand_items(flatten(word), &mut out, 0) {
        return vec![word.clone()];
    }
    out.into_iter().map(regroup).collect()
}

/// Expands into `out`; false when the result would be too large.
fn expand_items(items: Vec<Item>, out: &mut Vec<Vec<Item>>, depth: usize) -> bool {
    if depth > 64 || out.len() > MAX_BRACE_WORDS {
        return false;
    }
    let mut i = 0;
    while i < items.len() {
        if !matches!(items.get(i), Some(Item::Ch('{'))) {
            i += 1;
            continue;
        }
        // Find the matching close brace and the commas at this level.
        let mut level = 0usize;
        let mut commas = Vec::new();
        let mut close = None;
        for (j, item) in items.iter().enumerate().skip(i) {
            match item {
                Item::Ch('{') => level += 1,
                Item::Ch('}') => {
                    level -= 1;
                    if level == 0 {
                        close = Some(j);
                        break;
                    }
                }
                Item::Ch(',') if level == 1 => commas.push(j),
                _ => {}
            }
        }
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let prefix = &items[..i];
        let suffix = &items[close + 1..];
        let alternatives: Vec<Vec<Item>> = if !commas.is_empty() {
            let mut alts = Vec::new();
            let mut start = i + 1;
            for &c in commas.iter().chain(std::iter::once(&close)) {
                alts.push(items[start..c].to_vec());
                start = c + 1;
            }
            alts
        } else {
            let inner: Option<String> = items[i + 1..close]
                .iter()
                .map(|it| match it {
                    Item::Ch(c) => Some(*c),
                    Item::Part(_) => None,
                })
                .collect();
            match inner.and_then(|s| sequence(&s)) {
                Some(seq) => seq
                    .into_iter()
                    .map(|s| s.chars().map(Item::Ch).collect())
                    .collect(),
                None => {
                    i += 1;
                    continue;
                }
            }
        };
        for alt in alternatives {
            let mut next = prefix.to_vec();
            next.extend(alt);
            next.extend_from_slice(suffix);
            if !expand_items(next, out, depth + 1) {
                return false;
            }
        }
        return true;
    }
    out.push(items);
    out.len() <= MAX_BRACE_WORDS
}

/// `1..10`, `01..10`, `10..1`, `1..10..3`, `a..e`: the words of a sequence expression.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let fields: Vec<&str> = inner.split("..").collect();
    let (a, b, step) = match fields.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, s] => (*a, *b, Some(*s)),
        _ => return None,
    };
    let step: i64 = match step {
        Some(s) => s.parse().ok()?,
        None => 1,
    };
    let step = step.checked_abs()?.max(1);
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let count = (x.abs_diff(y) / step as u64) + 1;
        if count > MAX_BRACE_WORDS as u64 {
            return None;
        }
        // A leading zero on either end pads every number to the longer end's width.
        let padded = |s: &str| {
            let d = s.trim_start_matches('-');
            d.len() > 1 && d.starts_with('0')
        };
        let width = if padded(a) || padded(b) {
            a.len().max(b.len())
        } else {
            0
        };
        let mut out = Vec::new();
        let mut v = x;
        for _ in 0..count {
            out.push(if width > 0 {
                if v < 0 {
                    format!("-{:0w$}", v.unsigned_abs(), w = width.saturating_sub(1))
                } else {
                    format!("{v:0width$}")
                }
            } else {
                v.to_string()
            });
            v = if x <= y { v + step } else { v - step };
        }
        return Some(out);
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    match (ca.next(), ca.next(), cb.next(), cb.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            let (x, y) = (x as u8 as i64, y as u8 as i64);
            let mut out = Vec::new();
            let mut v = x;
            loop {
                out.push(char::from(v as u8).to_string());
                if v == y {
                    break;
                }
                v = if x <= y { v + step } else { v - step };
                if (x <= y && v > y) || (x > y && v < y) {
                    break;
                }
            }
            Some(out)
        }
        _ => None,
    }
}
