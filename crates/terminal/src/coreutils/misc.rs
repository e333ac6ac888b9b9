//! `seq`, `basename`, `dirname`, `date`, `env`, `xargs` and `sleep`'s argument parsing.

use super::{usage, Env};
use crate::io::Output;

/// `sleep`'s operands (`1`, `0.5`, `2s`, `1m`, summed) in milliseconds; `None` after printing
/// GNU's error into `out`.
pub fn sleep_duration(args: &[String], out: &mut Output) -> Option<u64> {
    if args.is_empty() {
        out.chunks
            .extend(usage("sleep", "missing operand", 1).chunks);
        return None;
    }
    let mut total = 0f64;
    for a in args {
        let (num, mult) = match a.char_indices().last() {
            Some((i, 's')) => (&a[..i], 1.0),
            Some((i, 'm')) => (&a[..i], 60.0),
            Some((i, 'h')) => (&a[..i], 3600.0),
            Some((i, 'd')) => (&a[..i], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        match num.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() && !num.is_empty() => total += v * mult,
            _ => {
                out.chunks
                    .extend(usage("sleep", &format!("invalid time interval '{a}'"), 1).chunks);
                return None;
            }
        }
    }
    Some((total * 1000.0).min(1e15) as u64)
}

fn decimals(s: &str) -> usize {
    s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0)
}

/// `seq [-s SEP] [-w] [FIRST [INCR]] LAST`.
pub fn seq(args: &[String]) -> Output {
    let mut sep = "\n".to_string();
    let mut width = false;
    let mut nums = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let is_number = a.parse::<f64>().is_ok();
        if a.starts_with('-') && !is_number && a.len() > 1 {
            if let Some(s) = a.strip_prefix("-s") {
                sep = if s.is_empty() {
                    i += 1;
                    match args.get(i - 1) {
                        Some(v) => v.clone(),
                        None => return usage("seq", "option requires an argument -- 's'", 1),
                    }
                } else {
                    s.to_string()
                };
            } else if a == "-w" {
                width = true;
            } else if a == "--" {
                continue;
            } else {
                let c = a.chars().nth(1).unwrap_or('-');
                return usage("seq", &format!("invalid option -- '{c}'"), 1);
            }
        } else {
            nums.push(a.clone());
        }
    }
    let (first, incr, last) = match nums.as_slice() {
        [] => return usage("seq", "missing operand", 1),
        [l] => ("1".to_string(), "1".to_string(), l.clone()),
        [f, l] => (f.clone(), "1".to_string(), l.clone()),
        [f, s, l] => (f.clone(), s.clone(), l.clone()),
        [_, _, _, extra, ..] => return usage("seq", &format!("extra operand '{extra}'"), 1),
    };
    let mut vals = [0f64; 3];
    for (slot, s) in vals.iter_mut().zip([&first, &incr, &last]) {
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => *slot = v,
            _ => return usage("seq", &format!("invalid floating point argument: '{s}'"), 1),
        }
    }
    let [a, step, b] = vals;
    if step == 0.0 {
        return usage("seq", &format!("invalid Zero increment value: '{incr}'"), 1);
    }
    let prec = decimals(&first).max(decimals(&incr));
    let fmt = |v: f64| format!("{v:.prec$}");
    let w = if width {
        fmt(a).len().max(fmt(b).len())
    } else {
        0
    };
    let mut items = Vec::new();
    let mut k = 0f64;
    loop {
        let v = a + k * step;
        if (step > 0.0 && v > b + 1e-9) || (step < 0.0 && v < b - 1e-9) {
            break;
        }
        let s = fmt(v);
        items.push(if width && s.len() < w {
            if let Some(d) = s.strip_prefix('-') {
                format!("-{}{d}", "0".repeat(w - s.len()))
            } else {
                format!("{}{s}", "0".repeat(w - s.len()))
            }
        } else {
            s
        });
        k += 1.0;
        if items.len() >= 1_000_000 {
            break;
        }
    }
    let mut o = Output::default();
    if !items.is_empty() {
        o.out(format!("{}\n", items.join(&sep)));
    }
    o
}

/// `basename NAME [SUFFIX]`.
pub fn basename(args: &[String]) -> Output {
    let Some(name) = args.first() else {
        return usage("basename", "missing operand", 1);
    };
    let trimmed = name.trim_end_matches('/');
    let mut base = if trimmed.is_empty() && name.starts_with('/') {
        "/".to_string()
    } else {
        trimmed.rsplit('/').next().unwrap_or("").to_string()
    };
    if let Some(suffix) = args.get(1) {
        if base != *suffix {
            if let Some(b) = base.strip_suffix(suffix.as_str()) {
                base = b.to_string();
            }
        }
    }
    let mut o = Output::default();
    o.out(format!("{base}\n"));
    o
}

/// `dirname NAME…`.
pub fn dirname(args: &[String]) -> Output {
    if args.is_empty() {
        return usage("dirname", "missing operand", 1);
    }
    let mut o = Output::default();
    for name in args {
        let t = name.trim_end_matches('/');
        let d = match t.rfind('/') {
            None => {
                if name.starts_with('/') {
                    "/".to_string()
                } else {
                    ".".to_string()
                }
            }
            Some(i) => {
                let d = t[..i].trim_end_matches('/');
                if d.is_empty() {
                    "/".to_string()
                } else {
                    d.to_string()
                }
            }
        };
        o.out(format!("{d}\n"));
    }
    o
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a UTC time with `date`'s conversions.
pub fn format_time(ms: i64, fmt: &str) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (sod / 3600, (sod / 60) % 60, sod % 60);
    let wd = DAYS.get(days.rem_euclid(7) as usize).copied().unwrap_or("");
    let mon = MONTHS.get(m as usize - 1).copied().unwrap_or("");
    let yday = days - {
        // days at Jan 1 of year y
        let mut lo = days - 366;
        while civil(lo).0 < y {
            lo += 1;
        }
        lo
    } + 1;
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:2}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('I') => out.push_str(&format!("{:02}", if hh % 12 == 0 { 12 } else { hh % 12 })),
            Some('p') => out.push_str(if hh < 12 { "AM" } else { "PM" }),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('N') => out.push_str(&format!("{:09}", ms.rem_euclid(1000) * 1_000_000)),
            Some('s') => out.push_str(&secs.to_string()),
            Some('a') => out.push_str(wd.get(..3).unwrap_or("")),
            Some('A') => out.push_str(wd),
            Some('b') | Some('h') => out.push_str(mon.get(..3).unwrap_or("")),
            Some('B') => out.push_str(mon),
            Some('j') => out.push_str(&format!("{yday:03}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('T') => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('R') => out.push_str(&format!("{hh:02}:{mm:02}")),
            Some('F') => out.push_str(&format!("{y}-{m:02}-{d:02}")),
            Some('D') => out.push_str(&format!("{m:02}/{d:02}/{:02}", y.rem_euclid(100))),
            Some('u') => out.push_str(&(((days + 3).rem_euclid(7)) + 1).to_string()),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `date [-u] [+FORMAT]`: the virtual clock, in UTC (a kind node's time zone). `-d` is not
/// supported.
pub fn date(args: &[String], env: &mut dyn Env) -> Output {
    let mut fmt = "%a %b %e %H:%M:%S %Z %Y".to_string();
    for a in args {
        if let Some(f) = a.strip_prefix('+') {
            fmt = f.to_string();
        } else if a == "-u" || a == "--utc" {
        } else if a == "-R" {
            fmt = "%a, %d %b %Y %H:%M:%S +0000".into();
        } else if a == "-I" {
            fmt = "%F".into();
        } else {
            let mut o = Output::status(1);
            o.err(format!("date: invalid date '{a}'\n"));
            return o;
        }
    }
    let mut o = Output::default();
    o.out(format!("{}\n", format_time(env.now_ms(), &fmt)));
    o
}

/// `env [-i] [-u NAME] [NAME=VALUE…] [COMMAND [ARG…]]`.
/// `printenv [NAME]...` (GNU coreutils `printenv.c`): every variable as `NAME=VALUE`, or the
/// values of the named ones, one per line; exit status 1 if any is not set.
pub fn printenv(args: &[String], env: &mut dyn Env) -> Output {
    let vars = env.environment();
    let mut o = Output::default();
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        for (k, v) in vars {
            o.out(format!("{k}={v}\n"));
        }
        return o;
    }
    let mut missing = false;
    for name in names {
        match vars.iter().find(|(k, _)| k == name) {
            Some((_, v)) => o.out(format!("{v}\n")),
            None => missing = true,
        }
    }
    if missing {
        o.status = 1;
    }
    o
}

pub fn env(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let mut vars = env.environment();
    let mut extra = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-i" || a == "-" {
            vars.clear();
        } else if a == "-u" {
            i += 1;
            if let Some(n) = args.get(i) {
                vars.retain(|(k, _)| k != n);
            }
        } else if let Some((k, v)) = a.split_once('=') {
            vars.retain(|(x, _)| x != k);
            vars.push((k.to_string(), v.to_string()));
            extra.push((k.to_string(), v.to_string()));
        } else {
            break;
        }
        i += 1;
    }
    let rest = args.get(i..).unwrap_or(&[]);
    if rest.is_empty() {
        let mut o = Output::default();
        for (k, v) in vars {
            o.out(format!("{k}={v}\n"));
        }
        return o;
    }
    let o = env.run(rest, stdin, &extra);
    if o.status == 127 && o.stderr().ends_with("command not found\n") {
        let mut e = Output::status(127);
        e.err(format!(
            "env: '{}': No such file or directory\n",
            rest.first().cloned().unwrap_or_default()
        ));
        return e;
    }
    o
}

/// Splits xargs input into items: blanks and newlines separate, quotes and backslashes group.
fn xargs_items(input: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if has {
                    items.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            '\'' | '"' => {
                has = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\n') | None => {
                            let kind = if c == '\'' { "single" } else { "double" };
                            return Err(format!(
                                "xargs: unmatched {kind} quote; by default quotes are special to xargs unless you use the -0 option\n"
                            ));
                        }
                        Some(o) => cur.push(o),
                    }
                }
            }
            '\\' => {
                has = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            o => {
                has = true;
                cur.push(o);
            }
        }
    }
    if has {
        items.push(cur);
    }
    Ok(items)
}

/// `xargs [-n N] [-I R] [-t] [COMMAND [ARG…]]` (default `echo`).
pub fn xargs(args: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let mut per: Option<usize> = None;
    let mut repl: Option<String> = None;
    let mut trace = false;
    let mut no_run_empty = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') || a == "-" {
            break;
        }
        i += 1;
        if let Some(n) = a.strip_prefix("-n") {
            let v = if n.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                n.to_string()
            };
            match v.parse::<usize>() {
                Ok(n) if n > 0 => per = Some(n),
                _ => {
                    let mut o = Output::status(1);
                    o.err(format!("xargs: invalid number \"{v}\" for -n option\n"));
                    return o;
                }
            }
        } else if let Some(r) = a.strip_prefix("-I") {
            repl = Some(if r.is_empty() {
                i += 1;
                args.get(i - 1).cloned().unwrap_or_default()
            } else {
                r.to_string()
            });
        } else if a == "-t" {
            trace = true;
        } else if a == "-r" || a == "--no-run-if-empty" {
            no_run_empty = true;
        } else if a == "--" {
            break;
        } else {
            return usage(
                "xargs",
                &format!("invalid option -- '{}'", a.chars().nth(1).unwrap_or('-')),
                1,
            );
        }
    }
    let mut command: Vec<String> = args.get(i..).unwrap_or(&[]).to_vec();
    if command.is_empty() {
        command.push("echo".into());
    }
    let mut out = Output::default();
    let batches: Vec<Vec<String>> = if let Some(r) = &repl {
        stdin
            .lines()
            .map(|l| l.trim_start())
            .filter(|l| !l.is_empty())
            .map(|l| command.iter().map(|c| c.replace(r.as_str(), l)).collect())
            .collect()
    } else {
        let items = match xargs_items(stdin) {
            Ok(i) => i,
            Err(e) => {
                out.err(e);
                out.status = 1;
                return out;
            }
        };
        if items.is_empty() {
            if no_run_empty {
                return out;
            }
            vec![command.clone()]
        } else {
            items
                .chunks(per.unwrap_or(usize::MAX).min(items.len()).max(1))
                .map(|c| {
                    let mut v = command.clone();
                    v.extend(c.iter().cloned());
                    v
                })
                .collect()
        }
    };
    let mut status = 0;
    for argv in batches {
        if trace {
            out.err(format!("{}\n", argv.join(" ")));
        }
        let o = env.run(&argv, "", &[]);
        let s = o.status;
        out.chunks.extend(o.chunks);
        if s == 127 {
            return Output {
                chunks: out.chunks,
                status: 127,
            };
        }
        if s == 130 {
            status = 130;
            break;
        }
        if s != 0 {
            status = 123;
        }
    }
    out.status = status;
    out
}
