//! `sort` (`-n -r -u -k N[,M] -t C -f -s`) and `uniq` (`-c -d -u -i`), in the C locale's byte
//! order as on a kind node.

use std::cmp::Ordering;

use super::{inputs, lines, parse_opts, usage, Env};
use crate::io::Output;

struct Key {
    start: usize,
    end: Option<usize>,
    numeric: bool,
    reverse: bool,
}

fn parse_key(spec: &str) -> Option<Key> {
    let (a, b) = match spec.split_once(',') {
        Some((a, b)) => (a, Some(b)),
        None => (spec, None),
    };
    let mut numeric = false;
    let mut reverse = false;
    let strip = |s: &str, numeric: &mut bool, reverse: &mut bool| -> Option<usize> {
        let digits: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        for c in s[digits.len()..].chars() {
            match c {
                'n' | 'g' | 'h' => *numeric = true,
                'r' => *reverse = true,
                'b' | 'f' | 'd' | 'i' | 'M' | 'V' => {}
                _ => return None,
            }
        }
        let field = digits.split('.').next().unwrap_or("");
        field.parse::<usize>().ok().filter(|n| *n > 0)
    };
    let start = strip(a, &mut numeric, &mut reverse)?;
    let end = match b {
        Some(b) => Some(strip(b, &mut numeric, &mut reverse)?),
        None => None,
    };
    Some(Key {
        start,
        end,
        numeric,
        reverse,
    })
}

/// The text of fields `start..=end` (1-based) of a line.
fn key_text<'a>(line: &'a str, key: &Key, sep: Option<char>) -> &'a str {
    // Byte offsets where each field starts; without -t a field starts at the blanks before it.
    let mut starts = vec![0usize];
    match sep {
        Some(c) => {
            for (i, ch) in line.char_indices() {
                if ch == c {
                    starts.push(i + ch.len_utf8());
                }
            }
        }
        None => {
            let mut prev_blank = true;
            for (i, ch) in line.char_indices() {
                let blank = ch == ' ' || ch == '\t';
                if blank && !prev_blank && i > 0 {
                    starts.push(i);
                }
                prev_blank = blank;
            }
        }
    }
    let Some(&from) = starts.get(key.start - 1) else {
        return "";
    };
    let to = match key.end {
        Some(e) => match starts.get(e) {
            Some(&next) => {
                if sep.is_some() {
                    next.saturating_sub(1)
                } else {
                    next
                }
            }
            None => line.len(),
        },
        None => line.len(),
    };
    line.get(from..to.max(from)).unwrap_or("")
}

/// GNU `-n`: leading blanks, sign, digits, one decimal point; anything else counts as 0.
fn numeric_value(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() || c == '.' || (i == 0 && c == '-') {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

/// `sort`.
pub fn sort(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("sort", args, "ktoS", "nrufsbgVhdMi") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let numeric = o.flags.iter().any(|c| matches!(c, 'n' | 'g' | 'h'));
    let reverse = o.flags.contains(&'r');
    let unique = o.flags.contains(&'u');
    let fold = o.flags.contains(&'f');
    let stable = o.flags.contains(&'s');
    let mut keys = Vec::new();
    let mut sep = None;
    let mut output_file = None;
    for (k, v) in &o.values {
        match k {
            'k' => {
                match parse_key(v) {
                    Some(key) => keys.push(key),
                    None => {
                        let mut out = Output::status(2);
                        out.err(format!("sort: invalid number at field start: invalid count at start of '{v}'\n"));
                        return out;
                    }
                }
            }
            't' => {
                let mut it = v.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => sep = Some(c),
                    _ => return usage("sort", "multi-character tab", 2),
                }
            }
            'o' => output_file = Some(v.clone()),
            _ => {}
        }
    }
    let mut out = Output::default();
    let (ins, failed) = inputs("sort", &o.operands, stdin, env, &mut out);
    if failed {
        out.status = 2;
        return out;
    }
    let all: String = ins
        .into_iter()
        .map(|(_, t)| {
            if t.is_empty() || t.ends_with('\n') {
                t
            } else {
                t + "\n"
            }
        })
        .collect();
    let mut ls: Vec<&str> = lines(&all);
    let cmp_text = |a: &str, b: &str, num: bool| -> Ordering {
        if num {
            numeric_value(a)
                .partial_cmp(&numeric_value(b))
                .unwrap_or(Ordering::Equal)
        } else if fold {
            a.to_ascii_uppercase().cmp(&b.to_ascii_uppercase())
        } else {
            a.cmp(b)
        }
    };
    let compare_keys = |a: &str, b: &str| -> Ordering {
        if keys.is_empty() {
            let ord = cmp_text(a, b, numeric);
            return if reverse { ord.reverse() } else { ord };
        }
        for k in &keys {
            let (ka, kb) = (key_text(a, k, sep), key_text(b, k, sep));
            let ord = cmp_text(ka, kb, numeric || k.numeric);
            let ord = if reverse != k.reverse {
                ord.reverse()
            } else {
                ord
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    };
    ls.sort_by(|a, b| {
        let ord = compare_keys(a, b);
        if ord != Ordering::Equal || stable || unique {
            return ord;
        }
        // GNU's last resort: the whole lines, byte by byte.
        let last = a.cmp(b);
        if reverse {
            last.reverse()
        } else {
            last
        }
    });
    if unique {
        ls.dedup_by(|a, b| compare_keys(a, b) == Ordering::Equal);
    }
    let text: String = ls.iter().map(|l| format!("{l}\n")).collect();
    match output_file {
        Some(f) => {
            if let Err(e) = env.write_file(&f, &text, false) {
                out.err(format!("sort: open failed: {f}: {e}\n"));
                out.status = 2;
            }
        }
        None => out.out(text),
    }
    out
}

/// `uniq [-c] [-d] [-u] [-i] [INPUT [OUTPUT]]`.
pub fn uniq(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("uniq", args, "fsw", "cdui") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let count = o.flags.contains(&'c');
    let dups = o.flags.contains(&'d');
    let uniques = o.flags.contains(&'u');
    let icase = o.flags.contains(&'i');
    let mut out = Output::default();
    let files: Vec<String> = o.operands.iter().take(1).cloned().collect();
    let (ins, failed) = inputs("uniq", &files, stdin, env, &mut out);
    if failed {
        out.status = 1;
        return out;
    }
    let text: String = ins.into_iter().map(|(_, t)| t).collect();
    let same = |a: &str, b: &str| {
        if icase {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for l in lines(&text) {
        match groups.last_mut() {
            Some((g, n)) if same(g, l) => *n += 1,
            _ => groups.push((l, 1)),
        }
    }
    let mut result = String::new();
    for (l, n) in groups {
        if (dups && n < 2) || (uniques && n > 1) {
            continue;
        }
        if count {
            // GNU prints the count as "%7d ".
            result.push_str(&format!("{n:7} {l}\n"));
        } else {
            result.push_str(&format!("{l}\n"));
        }
    }
    match o.operands.get(1) {
        Some(f) => {
            if let Err(e) = env.write_file(f, &result, false) {
                out.err(format!("uniq: {f}: {e}\n"));
                out.status = 1;
            }
        }
        None => out.out(result),
    }
    out
}
