//! Text filters: `cat`, `head`, `tail`, `wc`, `tee`, `cut`, `tr` (GNU coreutils behaviour).

use super::{inputs, lines, parse_opts, usage, Env};
use crate::io::Output;

/// `cat [-n] [FILE…]`.
pub fn cat(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("cat", args, "", "nbsAEvuT") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let mut out = Output::default();
    let (ins, failed) = inputs("cat", &o.operands, stdin, env, &mut out);
    let number = o.flags.contains(&'n');
    let mut n = 0;
    for (_, text) in ins {
        if number {
            for l in text.split_inclusive('\n') {
                n += 1;
                out.out(format!("{n:6}\t{l}"));
            }
        } else {
            out.out(text);
        }
    }
    out.status = i32::from(failed);
    out
}

fn count_arg(name: &str, v: &str, lines_word: &str) -> Result<(bool, bool, usize), Output> {
    // (plus: `+N`, minus: `-N`, value)
    let (plus, minus, digits) = if let Some(d) = v.strip_prefix('+') {
        (true, false, d)
    } else if let Some(d) = v.strip_prefix('-') {
        (false, true, d)
    } else {
        (false, false, v)
    };
    match digits.parse::<usize>() {
        Ok(n) => Ok((plus, minus, n)),
        Err(_) => {
            let mut o = Output::status(1);
            o.err(format!("{name}: invalid number of {lines_word}: '{v}'\n"));
            Err(o)
        }
    }
}

/// `head`/`tail` with `-n N`, `-N`, `-n -N` (head), `-n +N` (tail), `-c N`, several files.
pub fn head_tail(args: &[String], stdin: &str, env: &mut dyn Env, head: bool) -> Output {
    let name = if head { "head" } else { "tail" };
    // `-5` is `-n 5`.
    let mut prev_takes_value = false;
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            let mapped = if !prev_takes_value
                && a.len() > 1
                && a.starts_with('-')
                && a[1..].chars().all(|c| c.is_ascii_digit())
            {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            };
            prev_takes_value = a == "-n" || a == "-c";
            mapped
        })
        .collect();
    let o = match parse_opts(name, &args, "nc", "qvfFz") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let mut count = (false, false, 10usize);
    let mut bytes = false;
    for (k, v) in &o.values {
        match k {
            'n' => match count_arg(name, v, "lines") {
                Ok(c) => count = c,
                Err(e) => return e,
            },
            'c' => match count_arg(name, v, "bytes") {
                Ok(c) => {
                    count = c;
                    bytes = true;
                }
                Err(e) => return e,
            },
            _ => {}
        }
    }
    let mut out = Output::default();
    let (ins, failed) = inputs(name, &o.operands, stdin, env, &mut out);
    let headers = (ins.len() > 1 || o.flags.contains(&'v')) && !o.flags.contains(&'q');
    let (plus, minus, n) = count;
    for (i, (fname, text)) in ins.iter().enumerate() {
        if headers {
            let shown = if fname == "-" {
                "standard input"
            } else {
                fname
            };
            out.out(format!(
                "{}==> {shown} <==\n",
                if i > 0 { "\n" } else { "" }
            ));
        }
        if bytes {
            let b = text.as_bytes();
            let slice = if head {
                if minus {
                    &b[..b.len().saturating_sub(n)]
                } else {
                    &b[..n.min(b.len())]
                }
            } else if plus {
                &b[n.saturating_sub(1).min(b.len())..]
            } else {
                &b[b.len().saturating_sub(n)..]
            };
            out.out(String::from_utf8_lossy(slice).into_owned());
            continue;
        }
        let ls: Vec<&str> = text.split_inclusive('\n').collect();
        let picked: &[&str] = if head {
            if minus {
                &ls[..ls.len().saturating_sub(n)]
            } else {
                &ls[..n.min(ls.len())]
            }
        } else if plus {
            &ls[n.saturating_sub(1).min(ls.len())..]
        } else {
            &ls[ls.len().saturating_sub(n)..]
        };
        out.out(picked.concat());
    }
    out.status = i32::from(failed);
    out
}

/// `wc [-lwcm] [FILE…]` with GNU's column widths.
pub fn wc(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("wc", args, "", "lwcmL") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let mut which: Vec<char> = ['l', 'w', 'm', 'c', 'L']
        .into_iter()
        .filter(|c| o.flags.contains(c))
        .collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let mut out = Output::default();
    let (ins, failed) = inputs("wc", &o.operands, stdin, env, &mut out);
    let counts: Vec<(String, Vec<usize>)> = ins
        .iter()
        .map(|(name, t)| {
            let v = which
                .iter()
                .map(|c| match c {
                    'l' => t.matches('\n').count(),
                    'w' => t.split_whitespace().count(),
                    'm' => t.chars().count(),
                    'L' => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
                    _ => t.len(),
                })
                .collect();
            (name.clone(), v)
        })
        .collect();
    // GNU: one count of one input is printed bare; otherwise the width fits the total size of
    // the regular files, at least 7 when reading a pipe.
    let width = if which.len() == 1 && ins.len() == 1 {
        1
    } else {
        let mut min = 1;
        let mut total = 0usize;
        for (name, t) in &ins {
            if name == "-" {
                min = 7;
            } else {
                total += t.len();
            }
        }
        total.to_string().len().max(min)
    };
    let line = |v: &[usize], name: &str| {
        let nums: Vec<String> = v.iter().map(|n| format!("{n:>width$}")).collect();
        if name == "-" && ins_is_stdin_only(&o.operands) {
            format!("{}\n", nums.join(" "))
        } else {
            format!("{} {}\n", nums.join(" "), name)
        }
    };
    let mut totals = vec![0usize; which.len()];
    for (name, v) in &counts {
        for (t, n) in totals.iter_mut().zip(v) {
            *t += n;
        }
        out.out(line(v, name));
    }
    if counts.len() > 1 {
        out.out(line(&totals, "total"));
    }
    out.status = i32::from(failed);
    out
}

fn ins_is_stdin_only(operands: &[String]) -> bool {
    operands.is_empty()
}

/// `tee [-a] [FILE…]`.
pub fn tee(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("tee", args, "", "ai") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let append = o.flags.contains(&'a');
    let mut out = Output::default();
    out.out(stdin);
    for f in &o.operands {
        if let Err(e) = env.write_file(f, stdin, append) {
            out.err(format!("tee: {f}: {e}\n"));
            out.status = 1;
        }
    }
    out
}

/// A cut list (`1,3-5,7-`): 1-based inclusive ranges.
fn cut_list(spec: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut v = Vec::new();
    for part in spec.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let a: usize = if a.is_empty() {
            1
        } else {
            a.parse()
                .map_err(|_| format!("invalid field value '{part}'"))?
        };
        let b: usize = if b.is_empty() {
            usize::MAX
        } else {
            b.parse()
                .map_err(|_| format!("invalid field value '{part}'"))?
        };
        if a == 0 {
            return Err("fields and positions are numbered from 1".into());
        }
        if b < a {
            return Err("invalid decreasing range".into());
        }
        v.push((a, b));
    }
    Ok(v)
}

/// `cut -d D -f LIST` / `cut -c LIST`.
pub fn cut(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let o = match parse_opts("cut", args, "dfcb", "sn") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let mut delim = '\t';
    let mut fields = None;
    let mut chars = None;
    for (k, v) in &o.values {
        match k {
            'd' => {
                let mut it = v.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => delim = c,
                    _ => return usage("cut", "the delimiter must be a single character", 1),
                }
            }
            'f' => fields = Some(v.clone()),
            'c' | 'b' => chars = Some(v.clone()),
            _ => {}
        }
    }
    let (spec, by_field) = match (fields, chars) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        (Some(_), Some(_)) => return usage("cut", "only one type of list may be specified", 1),
        (None, None) => {
            return usage(
                "cut",
                "you must specify a list of bytes, characters, or fields",
                1,
            )
        }
    };
    let ranges = match cut_list(&spec) {
        Ok(r) => r,
        Err(e) => return usage("cut", &e, 1),
    };
    let want = |i: usize| ranges.iter().any(|(a, b)| *a <= i && i <= *b);
    let mut out = Output::default();
    let (ins, failed) = inputs("cut", &o.operands, stdin, env, &mut out);
    for (_, text) in ins {
        for line in lines(&text) {
            if by_field {
                if !line.contains(delim) {
                    if !o.flags.contains(&'s') {
                        out.out(format!("{line}\n"));
                    }
                    continue;
                }
                let picked: Vec<&str> = line
                    .split(delim)
                    .enumerate()
                    .filter(|(i, _)| want(i + 1))
                    .map(|(_, f)| f)
                    .collect();
                out.out(format!("{}\n", picked.join(&delim.to_string())));
            } else {
                let picked: String = line
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| want(i + 1))
                    .map(|(_, c)| c)
                    .collect();
                out.out(format!("{picked}\n"));
            }
        }
    }
    out.status = i32::from(failed);
    out
}

/// Expands a `tr` set: ranges, escapes and `[:class:]`.
fn tr_set(s: &str) -> Vec<char> {
    let chars: Vec<char> = s.chars().collect();
    let mut raw: Vec<char> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                for (a, b) in crate::shell::pattern::posix_class(name) {
                    raw.extend(a..=b);
                }
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        let (c, len) = if c == '\\' {
            match chars.get(i + 1) {
                Some('n') => ('\n', 2),
                Some('t') => ('\t', 2),
                Some('r') => ('\r', 2),
                Some('\\') => ('\\', 2),
                Some(&o) => (o, 2),
                None => ('\\', 1),
            }
        } else {
            (c, 1)
        };
        if chars.get(i + len) == Some(&'-') {
            if let Some(&e) = chars.get(i + len + 1) {
                if e >= c {
                    raw.extend(c..=e);
                    i += len + 2;
                    continue;
                }
            }
        }
        raw.push(c);
        i += len;
    }
    raw
}

/// `tr [-d] [-s] [-c] SET1 [SET2]`.
pub fn tr(args: &[String], stdin: &str) -> Output {
    let o = match parse_opts("tr", args, "", "dscC") {
        Ok(o) => o,
        Err(e) => return e,
    };
    let delete = o.flags.contains(&'d');
    let squeeze = o.flags.contains(&'s');
    let complement = o.flags.contains(&'c') || o.flags.contains(&'C');
    let sets: Vec<Vec<char>> = o.operands.iter().map(|s| tr_set(s)).collect();
    let set1 = sets.first().cloned().unwrap_or_default();
    let set2 = sets.get(1).cloned();
    match (o.operands.len(), delete, squeeze) {
        (0, _, _) => return usage("tr", "missing operand", 1),
        (1, false, false) => {
            return usage(
                "tr",
                &format!(
                    "missing operand after '{}'",
                    o.operands.first().cloned().unwrap_or_default()
                ),
                1,
            )
        }
        _ => {}
    }
    let in1 = |c: char| set1.contains(&c) != complement;
    let mut out = String::new();
    let mut last: Option<char> = None;
    let squeeze_set: Vec<char> = match (&set2, delete) {
        (Some(s2), _) => s2.clone(),
        (None, _) => set1.clone(),
    };
    for c in stdin.chars() {
        if delete && in1(c) {
            continue;
        }
        let mapped = match (&set2, delete) {
            (Some(s2), false) if in1(c) => {
                if complement {
                    s2.last().copied().unwrap_or(c)
                } else {
                    let idx = set1.iter().rposition(|&x| x == c).unwrap_or(0);
                    s2.get(idx).or(s2.last()).copied().unwrap_or(c)
                }
            }
            _ => c,
        };
        let squeezable = if set2.is_some() || delete {
            squeeze_set.contains(&mapped)
        } else {
            in1(mapped)
        };
        if squeeze && squeezable && last == Some(mapped) {
            continue;
        }
        last = Some(mapped);
        out.push(mapped);
    }
    let mut o = Output::default();
    o.out(out);
    o
}
