//! `grep` (GNU grep 3): `-E -F -G -i -v -c -o -w -x -n -q -s -h -H -l -L -e PATTERN`, several
//! files, exit status 0 (selected), 1 (none), 2 (error).

use super::regex::{Regex, Syntax};
use super::{inputs, lines, Env};
use crate::io::Output;

fn usage_error(msg: &str) -> Output {
    let mut o = Output::status(2);
    if !msg.is_empty() {
        o.err(format!("grep: {msg}\n"));
    }
    o.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    o
}

/// Runs grep; `flavor` 1 is `egrep`, 2 is `fgrep`.
pub fn grep(args: &[String], stdin: &str, env: &mut dyn Env, flavor: u8) -> Output {
    let mut syntax = match flavor {
        1 => Syntax::Extended,
        2 => Syntax::Fixed,
        _ => Syntax::Basic,
    };
    let mut patterns: Vec<String> = Vec::new();
    let mut files = Vec::new();
    let (
        mut invert,
        mut icase,
        mut count,
        mut only,
        mut word,
        mut line_x,
        mut number,
        mut quiet,
        mut silent,
    ) = (
        false, false, false, false, false, false, false, false, false,
    );
    let (mut names_only, mut names_without, mut with_name, mut no_name) =
        (false, false, false, false);
    let mut max_count: Option<usize> = None;
    // Context lines (-A, -B, -C): after and before each selected line.
    let (mut after, mut before) = (0usize, 0usize);
    let mut i = 0;
    let mut operands_only = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if operands_only || !a.starts_with('-') || a == "-" {
            files.push(a.clone());
            continue;
        }
        if a == "--" {
            operands_only = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (k, v) = match long.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (long, None),
            };
            match k {
                "color" | "colour" => {}
                "extended-regexp" => syntax = Syntax::Extended,
                "fixed-strings" => syntax = Syntax::Fixed,
                "basic-regexp" => syntax = Syntax::Basic,
                "ignore-case" => icase = true,
                "invert-match" => invert = true,
                "count" => count = true,
                "only-matching" => only = true,
                "word-regexp" => word = true,
                "line-regexp" => line_x = true,
                "line-number" => number = true,
                "quiet" | "silent" => quiet = true,
                "no-messages" => silent = true,
                "after-context" | "before-context" | "context" => {
                    let Some(n) = v.as_deref().and_then(|v| v.parse::<usize>().ok()) else {
                        return usage_error(&format!("{a}: invalid context length argument"));
                    };
                    if k != "before-context" {
                        after = n;
                    }
                    if k != "after-context" {
                        before = n;
                    }
                }
                "regexp" => match v.or_else(|| {
                    i += 1;
                    args.get(i - 1).cloned()
                }) {
                    Some(p) => patterns.push(p),
                    None => return usage_error("option '--regexp' requires an argument"),
                },
                _ => return usage_error(&format!("unrecognized option '{a}'")),
            }
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while let Some(&c) = chars.get(k) {
            k += 1;
            match c {
                'E' => syntax = Syntax::Extended,
                'F' => syntax = Syntax::Fixed,
                'G' => syntax = Syntax::Basic,
                'i' | 'y' => icase = true,
                'v' => invert = true,
                'c' => count = true,
                'o' => only = true,
                'w' => word = true,
                'x' => line_x = true,
                'n' => number = true,
                'q' => quiet = true,
                's' => silent = true,
                'l' => names_only = true,
                'L' => names_without = true,
                'H' => with_name = true,
                'h' => no_name = true,
                'a' | 'I' | 'U' | 'r' | 'R' => {}
                'A' | 'B' | 'C' => {
                    let rest: String = chars[k..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return usage_error(&format!("option requires an argument -- '{c}'"));
                    };
                    let Ok(n) = value.parse::<usize>() else {
                        let mut o = Output::status(2);
                        o.err(format!("grep: {value}: invalid context length argument\n"));
                        return o;
                    };
                    if c != 'B' {
                        after = n;
                    }
                    if c != 'A' {
                        before = n;
                    }
                    break;
                }
                'e' | 'm' => {
                    let rest: String = chars[k..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return usage_error(&format!("option requires an argument -- '{c}'"));
                    };
                    if c == 'e' {
                        patterns.push(value);
                    } else {
                        match value.parse() {
                            Ok(n) => max_count = Some(n),
                            Err(_) => {
                                let mut o = Output::status(2);
                                o.err("grep: invalid max count\n");
                                return o;
                            }
                        }
                    }
                    break;
                }
                other => return usage_error(&format!("invalid option -- '{other}'")),
            }
        }
    }
    if patterns.is_empty() {
        if files.is_empty() {
            return usage_error("");
        }
        patterns.push(files.remove(0));
    }
    let mut regexes = Vec::new();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        match Regex::with_options(p, syntax, icase, word, line_x) {
            Ok(r) => regexes.push(r),
            Err(e) => {
                let mut o = Output::status(2);
                o.err(format!("grep: {e}\n"));
                return o;
            }
        }
    }
    let mut out = Output::default();
    let mut errs = Output::default();
    let (ins, failed) = inputs("grep", &files, stdin, env, &mut errs);
    if !silent {
        out.chunks.extend(errs.chunks);
    }
    let show_name = (files.len() > 1 || with_name) && !no_name;
    let mut any = false;
    for (fname, text) in &ins {
        let shown = if fname == "-" {
            "(standard input)"
        } else {
            fname.as_str()
        };
        let prefix = if show_name {
            format!("{shown}:")
        } else {
            String::new()
        };
        let mut n_selected = 0usize;
        let all_lines = lines(text);
        // With context, GNU grep prints neighbours of each selected line, with `-` instead of
        // `:` after the name and number, and `--` between groups that are not adjacent.
        let context = (after > 0 || before > 0) && !(count || only || names_only || names_without);
        let mut selected_at: Vec<usize> = Vec::new();
        for (ln, line) in all_lines.iter().enumerate() {
            if max_count.is_some_and(|m| n_selected >= m) {
                break;
            }
            let chars: Vec<char> = line.chars().collect();
            let hit = regexes.iter().any(|r| r.find_at(&chars, 0).is_some());
            if hit == invert {
                continue;
            }
            n_selected += 1;
            any = true;
            if quiet {
                return Output::status(0);
            }
            if count || names_only || names_without {
                continue;
            }
            if context {
                selected_at.push(ln);
                continue;
            }
            let num = if number {
                format!("{}:", ln + 1)
            } else {
                String::new()
            };
            if only {
                if invert {
                    continue;
                }
                // Matches of all patterns, leftmost first (longest on ties), not overlapping.
                let mut from = 0;
                loop {
                    let best = regexes
                        .iter()
                        .filter_map(|r| r.find_at(&chars, from))
                        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                    let Some((s, e)) = best else { break };
                    if e > s {
                        let m: String = chars[s..e].iter().collect();
                        out.out(format!("{prefix}{num}{m}\n"));
                        from = e;
                    } else {
                        from = e + 1;
                    }
                    if from > chars.len() {
                        break;
                    }
                }
            } else {
                out.out(format!("{prefix}{num}{line}\n"));
            }
        }
        if context {
            let mut last_printed: Option<usize> = None;
            for &sel in &selected_at {
                let from = sel.saturating_sub(before);
                let to = (sel + after).min(all_lines.len().saturating_sub(1));
                let start = last_printed.map_or(from, |l| from.max(l + 1));
                if let Some(l) = last_printed {
                    if start > l + 1 {
                        out.out("--\n");
                    }
                }
                for ln in start..=to {
                    let sep = if selected_at.binary_search(&ln).is_ok() {
                        ':'
                    } else {
                        '-'
                    };
                    let name = if show_name {
                        format!("{shown}{sep}")
                    } else {
                        String::new()
                    };
                    let num = if number {
                        format!("{}{sep}", ln + 1)
                    } else {
                        String::new()
                    };
                    if let Some(line) = all_lines.get(ln) {
                        out.out(format!("{name}{num}{line}\n"));
                    }
                    last_printed = Some(ln);
                }
            }
        }
        if count {
            out.out(format!("{prefix}{n_selected}\n"));
        }
        if names_only && n_selected > 0 {
            out.out(format!("{shown}\n"));
        }
        if names_without && n_selected == 0 {
            out.out(format!("{shown}\n"));
        }
    }
    out.status = if failed && !(quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    };
    out
}
