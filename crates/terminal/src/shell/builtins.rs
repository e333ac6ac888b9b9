//! The builtins: commands the shell runs itself because they change its state (`cd`,
//! `export`, `exit`, …) or because bash has them built in (`echo`, `printf`, `test`).

use crate::coreutils;
use crate::io::Output;

use super::exec::Ctx;
use super::state::{normalize, Flow, Input, State};

/// What `clear` writes: the sequence ncurses' `clear` prints for xterm (home, erase screen,
/// erase scrollback). The page clears its terminal when it sees it.
pub const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

/// The builtins, as `help` lists them.
pub const BUILTINS: &[&str] = &[
    ":",
    "[",
    "[[",
    "break",
    "bg",
    "cd",
    "clear",
    "continue",
    "echo",
    "eval",
    "exit",
    "export",
    "false",
    "fg",
    "help",
    "history",
    "jobs",
    "kill",
    "mapfile",
    "printf",
    "pwd",
    "read",
    "readarray",
    "return",
    "set",
    "shift",
    "sleep",
    "test",
    "true",
    "type",
    "unset",
    "wait",
];

/// The reserved words, for `type`.
pub const KEYWORDS: &[&str] = &[
    "!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "then",
    "until", "while", "{", "}",
];

/// Whether the shell runs `name` itself.
pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

/// The job-control builtins where the host runs no background jobs (a node's or a pod's
/// shell): there are none to list, kill or resume.
fn no_jobs(name: &str, args: &[String]) -> Output {
    let mut out = Output::status(0);
    let first = args.iter().find(|a| !a.starts_with('-') || a.len() == 1);
    match (name, first) {
        ("jobs", _) => {}
        ("kill", None) => {
            out.status = 2;
            out.err("bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
        }
        ("kill", Some(spec)) if spec.starts_with('%') => {
            out.status = 1;
            out.err(format!("bash: kill: {spec}: no such job\n"));
        }
        ("kill", Some(pid)) => {
            out.status = 1;
            out.err(format!("bash: kill: ({pid}) - No such process\n"));
        }
        (_, None) => {
            out.status = 1;
            out.err(format!("bash: {name}: current: no such job\n"));
        }
        (_, Some(spec)) => {
            out.status = 1;
            out.err(format!("bash: {name}: {spec}: no such job\n"));
        }
    }
    out
}

fn ok(st: &mut State, status: i32) -> Flow {
    st.status = status;
    Flow::Next
}

/// Runs a builtin.
pub(crate) fn run(
    cx: &mut Ctx,
    st: &mut State,
    argv: &[String],
    input: &mut Input,
    out: &mut Output,
) -> Flow {
    let name = argv.first().map(String::as_str).unwrap_or("");
    let args = argv.get(1..).unwrap_or(&[]);
    let p = cx.prefix();
    if args.first().is_some_and(|a| a == "--help") && super::builtin_help::takes_help_option(name) {
        out.out(super::builtin_help::help_text(name).unwrap_or_default());
        return ok(st, 0);
    }
    match name {
        ":" | "true" | "wait" => ok(st, 0),
        "jobs" | "kill" | "fg" | "bg" => {
            let produced = cx
                .host
                .job_control(name, args)
                .unwrap_or_else(|| no_jobs(name, args));
            let status = produced.status;
            cx.emit(out, produced);
            ok(st, status)
        }
        "false" => ok(st, 1),
        "echo" => {
            out.out(echo(args));
            ok(st, 0)
        }
        "printf" => {
            let produced = printf(args, &p);
            let status = produced.status;
            cx.emit(out, produced);
            ok(st, status)
        }
        "pwd" => {
            out.out(format!("{}\n", st.cwd));
            ok(st, 0)
        }
        "cd" => cd(cx, st, args, out),
        "clear" => {
            out.out(CLEAR_SCREEN);
            ok(st, 0)
        }
        "sleep" if args.first().is_some_and(|a| a == "--help") => {
            // The lab's sleep is a builtin (it moves the virtual clock); a shell's sleep is
            // coreutils', which answers --help.
            out.out(coreutils::help::usage("sleep").unwrap_or_default());
            ok(st, 0)
        }
        "sleep" => {
            let mut env_out = Output::default();
            match coreutils::sleep_duration(args, &mut env_out) {
                Some(ms) => {
                    cx.host.sleep_ms(ms);
                    cx.clock_ms = cx.clock_ms.saturating_add(ms as i64);
                    ok(st, 0)
                }
                None => {
                    cx.emit(out, env_out);
                    ok(st, 1)
                }
            }
        }
        "exit" | "return" => {
            let status = match args.first() {
                None => st.status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        out.err(format!("{p}{name}: {a}: numeric argument required\n"));
                        2
                    }
                },
            };
            st.status = status;
            if name == "return" {
                if st.call_depth == 0 {
                    out.err(format!(
                        "{p}return: can only `return' from a function or sourced script\n"
                    ));
                    return ok(st, 1);
                }
                return Flow::Return;
            }
            Flow::Exit
        }
        "break" | "continue" => {
            let n = match args.first().map(|a| a.parse::<u32>()) {
                None => 1,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => {
                    out.err(format!(
                        "{p}{name}: {}: loop count out of range\n",
                        args.first().map(String::as_str).unwrap_or("")
                    ));
                    return ok(st, 1);
                }
            };
            st.status = 0;
            if name == "break" {
                Flow::Break(n)
            } else {
                Flow::Continue(n)
            }
        }
        "export" => {
            if args.is_empty() || args.first().map(String::as_str) == Some("-p") {
                let mut vars = st.environment();
                vars.sort();
                for (k, v) in vars {
                    out.out(format!(
                        "declare -x {k}=\"{}\"\n",
                        v.replace('\\', "\\\\").replace('"', "\\\"")
                    ));
                }
                return ok(st, 0);
            }
            let mut status = 0;
            for a in args {
                let (n, v) = match a.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (a.as_str(), None),
                };
                if !valid_name(n) {
                    out.err(format!("{p}export: `{a}': not a valid identifier\n"));
                    status = 1;
                    continue;
                }
                if let Some(v) = v {
                    st.set(n, v.to_string());
                } else if st.get(n).is_none() {
                    st.set(n, String::new());
                }
                st.export(n);
            }
            ok(st, status)
        }
        "unset" => {
            let mut functions = false;
            let mut status = 0;
            for a in args {
                match a.as_str() {
                    "-f" => functions = true,
                    "-v" => functions = false,
                    n if functions => st.functions.retain(|(k, _)| k != n),
                    n => match n.strip_suffix(']').and_then(|n| n.split_once('[')) {
                        Some((base, sub)) => {
                            let value = super::arith::eval(sub, st).unwrap_or(-1);
                            let elements = st.elements(base);
                            match super::array::from_end(elements.as_ref(), value) {
                                Some(index) => st.unset_element(base, index),
                                None => {
                                    out.err(format!("{}{n}: bad array subscript\n", p));
                                    status = 1;
                                }
                            }
                        }
                        None => st.unset(n),
                    },
                }
            }
            ok(st, status)
        }
        "set" => set(st, args, out, &p),
        "shift" => {
            let n = args
                .first()
                .and_then(|a| a.parse::<usize>().ok())
                .unwrap_or(1);
            if n > st.positional.len() {
                return ok(st, 1);
            }
            st.positional.drain(..n);
            ok(st, 0)
        }
        "history" => history(cx, st, args, out, &p),
        "help" if !args.is_empty() => {
            // `help NAME…`: each builtin's synopsis; bash's message when none matches.
            let mut status = 0;
            for name in args.iter().filter(|a| *a != "--") {
                match super::builtin_help::help_text(name) {
                    Some(text) => out.out(text),
                    None => {
                        out.err(format!("{p}help: no help topics match `{name}'.  Try `help help' or `man -k {name}' or `info {name}'.\n"));
                        status = 1;
                    }
                }
            }
            ok(st, status)
        }
        "help" => {
            out.out(help(cx));
            ok(st, 0)
        }
        "type" => type_builtin(cx, st, args, out, &p),
        "eval" => {
            let text = args.join(" ");
            let saved = cx.interactive;
            let flow = match super::parser::parse(&text) {
                Ok(list) => cx.exec_list(st, &list, input, out),
                Err(e) => {
                    out.err(super::exec::syntax_message(
                        &e,
                        &format!("{}eval", p),
                        true,
                        &text,
                        0,
                    ));
                    st.status = 2;
                    Flow::Next
                }
            };
            cx.interactive = saved;
            flow
        }
        "read" => read(st, args, input, out, &p),
        "mapfile" | "readarray" => {
            // `mapfile [-t] [NAME]`: every line of the input, one element each.
            let strip = args.iter().any(|a| a == "-t");
            let name = args
                .iter()
                .rfind(|a| !a.starts_with('-'))
                .map_or("MAPFILE", String::as_str);
            let text = input.take_all();
            let lines = text
                .split_inclusive('\n')
                .map(|l| if strip { l.trim_end_matches('\n') } else { l }.to_string())
                .enumerate()
                .collect();
            st.set_elements(name, lines);
            ok(st, 0)
        }
        "test" | "[" | "[[" => {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            let close = match name {
                "[" => Some("]"),
                "[[" => Some("]]"),
                _ => None,
            };
            if let Some(c) = close {
                if args.last() != Some(&c) {
                    out.err(format!("{p}{name}: missing `{c}'\n"));
                    return ok(st, 2);
                }
                args.pop();
            }
            match test(&args, name == "[[") {
                Ok(true) => ok(st, 0),
                Ok(false) => ok(st, 1),
                Err(e) => {
                    out.err(format!("{p}{name}: {e}\n"));
                    ok(st, 2)
                }
            }
        }
        _ => ok(st, 127),
    }
}

fn valid_name(n: &str) -> bool {
    let mut c = n.chars();
    c.next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && c.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn cd(cx: &mut Ctx, st: &mut State, args: &[String], out: &mut Output) -> Flow {
    let p = cx.prefix();
    let args: Vec<&String> = args
        .iter()
        .filter(|a| a.as_str() != "-L" && a.as_str() != "-P")
        .collect();
    if args.len() > 1 {
        out.err(format!("{p}cd: too many arguments\n"));
        return ok(st, 1);
    }
    let target = match args.first().map(|s| s.as_str()) {
        None => match st.get("HOME") {
            Some(h) => h.to_string(),
            None => {
                out.err(format!("{p}cd: HOME not set\n"));
                return ok(st, 1);
            }
        },
        Some("-") => match st.get("OLDPWD") {
            Some(o) => {
                let o = o.to_string();
                out.out(format!("{o}\n"));
                o
            }
            None => {
                out.err(format!("{p}cd: OLDPWD not set\n"));
                return ok(st, 1);
            }
        },
        Some(d) => d.to_string(),
    };
    let path = st.resolve(&target);
    // The host cannot list directories; a path that reads as a file is not one.
    if cx.host.read_file(&path).is_ok() {
        out.err(format!("{p}cd: {target}: Not a directory\n"));
        return ok(st, 1);
    }
    let old = std::mem::replace(&mut st.cwd, normalize(&path));
    st.set("OLDPWD", old);
    st.export("OLDPWD");
    let cwd = st.cwd.clone();
    st.set("PWD", cwd);
    ok(st, 0)
}

fn set(st: &mut State, args: &[String], out: &mut Output, p: &str) -> Flow {
    if args.is_empty() {
        let mut vars: Vec<(String, String)> = st
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        vars.sort();
        for (k, v) in vars {
            out.out(format!("{k}={}\n", quote(&v)));
        }
        return ok(st, 0);
    }
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "--" => {
                st.positional = args.get(i + 1..).unwrap_or(&[]).to_vec();
                return ok(st, 0);
            }
            "-o" | "+o" => {
                let on = a == "-o";
                match args.get(i + 1).map(String::as_str) {
                    Some("errexit") => st.errexit = on,
                    Some("pipefail") => st.pipefail = on,
                    Some(_) => {}
                    None => {
                        out.out(format!(
                            "errexit        \t{}\n",
                            if st.errexit { "on" } else { "off" }
                        ));
                        out.out(format!(
                            "pipefail       \t{}\n",
                            if st.pipefail { "on" } else { "off" }
                        ));
                    }
                }
                i += 2;
                continue;
            }
            s if s.starts_with('-') || s.starts_with('+') => {
                let on = s.starts_with('-');
                for c in s.chars().skip(1) {
                    match c {
                        'e' => st.errexit = on,
                        'u' | 'x' | 'v' | 'h' | 'B' | 'm' | 'f' | 'C' | 'b' => {}
                        other => {
                            out.err(format!(
                                "{p}set: {}{other}: invalid option\n",
                                if on { '-' } else { '+' }
                            ));
                            return ok(st, 2);
                        }
                    }
                }
            }
            _ => {
                st.positional = args.get(i..).unwrap_or(&[]).to_vec();
                return ok(st, 0);
            }
        }
        i += 1;
    }
    ok(st, 0)
}

fn history(cx: &mut Ctx, st: &mut State, args: &[String], out: &mut Output, p: &str) -> Flow {
    match args.first().map(String::as_str) {
        Some("-c") => {
            cx.history.clear();
            ok(st, 0)
        }
        Some(n) => match n.parse::<usize>() {
            Ok(n) => {
                let skip = cx.history.len().saturating_sub(n);
                for (i, h) in cx.history.iter().enumerate().skip(skip) {
                    out.out(format!("{:5}  {}\n", i + 1, h));
                }
                ok(st, 0)
            }
            Err(_) => {
                out.err(format!("{p}history: {n}: numeric argument required\n"));
                ok(st, 1)
            }
        },
        None => {
            for (i, h) in cx.history.iter().enumerate() {
                out.out(format!("{:5}  {}\n", i + 1, h));
            }
            ok(st, 0)
        }
    }
}

fn help(cx: &mut Ctx) -> String {
    let mut programs = cx.host.programs();
    programs.sort();
    let wrap = |names: &[&str]| {
        let mut s = String::new();
        let mut col = 0;
        for n in names {
            if col + n.len() + 1 > 76 && col > 0 {
                s.push('\n');
                col = 0;
            }
            s.push_str("  ");
            s.push_str(n);
            col += n.len() + 2;
        }
        s.push('\n');
        s
    };
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    format!(
        "Service Lab shell: a subset of GNU bash 5.2 (pipes, redirections, variables, \
         for/while/if/case, arrays, here-documents, $(...), $((...))).\n\nShell builtins:\n{}\nUtilities:\n{}\nPrograms:\n{}",
        wrap(BUILTINS),
        wrap(coreutils::UTILITIES),
        wrap(&programs)
    )
}

fn type_builtin(cx: &mut Ctx, st: &mut State, args: &[String], out: &mut Output, p: &str) -> Flow {
    let mut status = 0;
    let programs = cx.host.programs();
    for a in args {
        if KEYWORDS.contains(&a.as_str()) {
            out.out(format!("{a} is a shell keyword\n"));
        } else if st.function(a).is_some() {
            out.out(format!("{a} is a function\n"));
        } else if is_builtin(a) && a != "clear" && a != "sleep" {
            out.out(format!("{a} is a shell builtin\n"));
        } else if coreutils::is_utility(a)
            || a == "clear"
            || a == "sleep"
            || a == "sh"
            || a == "bash"
        {
            out.out(format!("{a} is /usr/bin/{a}\n"));
        } else if programs.iter().any(|n| n == a) {
            out.out(format!("{a} is /usr/local/bin/{a}\n"));
        } else {
            out.err(format!("{p}type: {a}: not found\n"));
            status = 1;
        }
    }
    ok(st, status)
}

fn read(st: &mut State, args: &[String], input: &mut Input, out: &mut Output, p: &str) -> Flow {
    let mut raw = false;
    let mut names = Vec::new();
    let mut array = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let Some(flags) = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && names.is_empty())
        else {
            names.push(a.to_string());
            continue;
        };
        // Options may be bundled (`-ra NAME`); one that takes a value takes the rest of the
        // word or the next argument.
        for (at, flag) in flags.char_indices() {
            match flag {
                'r' => raw = true,
                's' => {}
                'a' | 'p' | 't' | 'n' | 'd' | 'u' => {
                    let rest = &flags[at + flag.len_utf8()..];
                    let value = if rest.is_empty() {
                        i += 1;
                        match args.get(i - 1) {
                            Some(v) => v.clone(),
                            None => {
                                out.err(format!("{p}read: -{flag}: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n"));
                                return ok(st, 2);
                            }
                        }
                    } else {
                        rest.to_string()
                    };
                    if flag == 'a' {
                        array = Some(value);
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    if let Some(name) = array {
        let Some((line, complete)) = input.read_line() else {
            st.set_elements(&name, Default::default());
            return ok(st, 1);
        };
        let ifs = st.get("IFS").unwrap_or(" \t\n").to_string();
        let line = if raw { line } else { line.replace('\\', "") };
        let fields = line
            .split(|c: char| ifs.contains(c))
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .enumerate()
            .collect();
        st.set_elements(&name, fields);
        return ok(st, if complete { 0 } else { 1 });
    }
    let Some((mut line, complete)) = input.read_line() else {
        for n in &names {
            st.set(n, String::new());
        }
        return ok(st, 1);
    };
    if !raw {
        // Without -r a backslash escapes the next character (and joins continued lines).
        let mut s = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    s.push(n);
                }
            } else {
                s.push(c);
            }
        }
        line = s;
    }
    if names.is_empty() {
        st.set("REPLY", line);
        return ok(st, if complete { 0 } else { 1 });
    }
    let ifs = st.get("IFS").unwrap_or(" \t\n").to_string();
    let mut rest = line
        .trim_matches(|c: char| ifs.contains(c) && c.is_whitespace())
        .to_string();
    let count = names.len();
    for (k, n) in names.iter().enumerate() {
        if k + 1 == count {
            st.set(
                n,
                rest.trim_end_matches(|c: char| ifs.contains(c) && c.is_whitespace())
                    .to_string(),
            );
            break;
        }
        let (field, tail) = match rest.find(|c| ifs.contains(c)) {
            Some(pos) => {
                let (f, t) = rest.split_at(pos);
                (
                    f.to_string(),
                    t.trim_start_matches(|c| ifs.contains(c)).to_string(),
                )
            }
            None => (rest.clone(), String::new()),
        };
        st.set(n, field);
        rest = tail;
    }
    ok(st, if complete { 0 } else { 1 })
}

/// `echo` with bash's options: `-n`, `-e`, `-E` (combinable, only before the first word).
pub fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut s = args.get(i..).unwrap_or(&[]).join(" ");
    if escapes {
        let (text, stop) = unescape(&s, false);
        s = text;
        if stop {
            return s;
        }
    }
    if newline {
        s.push('\n');
    }
    s
}

/// Backslash escapes of `echo -e` and `printf`'s `%b` (`percent_b`: octal is `\0NNN`) or of a
/// printf format. The flag is true when `\c` asked to stop all output.
pub fn unescape(s: &str, format: bool) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = chars.get(i) else {
            out.push('\\');
            break;
        };
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            'e' | 'E' => out.push('\x1b'),
            '\\' => out.push('\\'),
            '"' if format => out.push('"'),
            'c' => return (out, true),
            '0'..='7' => {
                // echo: \0NNN (up to three digits after the 0); printf format: \NNN.
                let mut v = 0u32;
                let mut n = 0;
                let max = if e == '0' && !format { 3 } else { 2 };
                if e != '0' || format {
                    v = e.to_digit(8).unwrap_or(0);
                }
                while n < max {
                    match chars.get(i).and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if e != '0' && !format {
                    out.push('\\');
                    out.push(e);
                    i -= n;
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            'x' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 2 {
                    match chars.get(i).and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(v).unwrap_or('?'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// The widest field `printf` pads to.
const MAX_FIELD: usize = 10_000;

/// `printf FORMAT [ARGS…]`: the format is reused until the arguments run out.
pub fn printf(args: &[String], prefix: &str) -> Output {
    let mut out = Output::default();
    let Some(format) = args.first() else {
        out.err(format!(
            "{prefix}printf: usage: printf [-v var] format [arguments]\n"
        ));
        out.status = 2;
        return out;
    };
    let (format, _) = unescape(format, true);
    let fmt: Vec<char> = format.chars().collect();
    let mut rest = args.get(1..).unwrap_or(&[]).iter();
    let mut text = String::new();
    let mut status = 0;
    loop {
        let mut consumed = false;
        let mut i = 0;
        while let Some(&c) = fmt.get(i) {
            i += 1;
            if c != '%' {
                text.push(c);
                continue;
            }
            if fmt.get(i) == Some(&'%') {
                text.push('%');
                i += 1;
                continue;
            }
            let mut flags = String::new();
            while let Some(&f) = fmt.get(i).filter(|f| "-+ #0".contains(**f)) {
                flags.push(f);
                i += 1;
            }
            let mut width = String::new();
            while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit() || **d == '*') {
                width.push(d);
                i += 1;
            }
            let mut precision = None;
            if fmt.get(i) == Some(&'.') {
                i += 1;
                let mut p = String::new();
                while let Some(&d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    p.push(d);
                    i += 1;
                }
                precision = Some(p.parse::<usize>().unwrap_or(0));
            }
            if width == "*" {
                width = rest.next().cloned().unwrap_or_default();
                consumed = true;
            }
            // Widths and precisions beyond the lab's output limit are clamped.
            if width.parse::<usize>().is_ok_and(|w| w > MAX_FIELD) {
                width = MAX_FIELD.to_string();
            }
            let precision = precision.map(|p| p.min(MAX_FIELD));
            let Some(&conv) = fmt.get(i) else {
                text.push('%');
                text.push_str(&flags);
                text.push_str(&width);
                break;
            };
            i += 1;
            let arg = rest.next();
            if arg.is_some() {
                consumed = true;
            }
            let arg = arg.map(String::as_str).unwrap_or("");
            let body = match conv {
                's' => match precision {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg.to_string(),
                },
                'b' => unescape(arg, false).0,
                'q' => quote(arg),
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let n = match parse_int(arg) {
                        Some(n) => n,
                        None => {
                            out.err(format!("{prefix}printf: {arg}: invalid number\n"));
                            status = 1;
                            0
                        }
                    };
                    let digits = match conv {
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'o' => format!("{n:o}"),
                        _ => n.unsigned_abs().to_string(),
                    };
                    let sign = if n < 0 && matches!(conv, 'd' | 'i') {
                        "-"
                    } else if flags.contains('+') {
                        "+"
                    } else {
                        ""
                    };
                    let digits = match precision {
                        Some(p) if digits.len() < p => {
                            format!("{}{}", "0".repeat(p - digits.len()), digits)
                        }
                        _ => digits,
                    };
                    let w: usize = width.parse().unwrap_or(0);
                    if flags.contains('0') && !flags.contains('-') && sign.len() + digits.len() < w
                    {
                        format!(
                            "{sign}{}{digits}",
                            "0".repeat(w - sign.len() - digits.len())
                        )
                    } else {
                        format!("{sign}{digits}")
                    }
                }
                'f' | 'F' | 'e' | 'g' => {
                    let v: f64 = if arg.is_empty() {
                        0.0
                    } else {
                        arg.parse().unwrap_or(0.0)
                    };
                    format!("{:.*}", precision.unwrap_or(6), v)
                }
                other => {
                    out.err(format!(
                        "{prefix}printf: `{other}': invalid format character\n"
                    ));
                    out.status = 1;
                    out.out(text);
                    return out;
                }
            };
            let w: usize = width.parse().unwrap_or(0);
            let len = body.chars().count();
            if len < w {
                let pad = " ".repeat(w - len);
                if flags.contains('-') {
                    text.push_str(&body);
                    text.push_str(&pad);
                } else {
                    text.push_str(&pad);
                    text.push_str(&body);
                }
            } else {
                text.push_str(&body);
            }
        }
        if !consumed || rest.len() == 0 {
            break;
        }
    }
    out.out(text);
    out.status = status;
    out
}

fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map(|c| c as i64);
    }
    let (neg, d) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(h) = d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if d.len() > 1 && d.starts_with('0') {
        i64::from_str_radix(&d[1..], 8).ok()?
    } else {
        d.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

/// Quotes a string the way bash's `printf %q` does for the common cases.
pub fn quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || "_-./=:,@%+".contains(c) {
            out.push(c);
        } else if c == '\n' {
            return format!(
                "$'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
            );
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// `test` / `[` / `[[`: the POSIX argument-count rules plus `!`, `-a`, `-o` and parentheses.
fn test(args: &[&str], double: bool) -> Result<bool, String> {
    let mut pos = 0;
    let r = test_or(args, &mut pos, double)?;
    if pos < args.len() {
        return Err("too many arguments".into());
    }
    Ok(r)
}

fn test_or(a: &[&str], pos: &mut usize, double: bool) -> Result<bool, String> {
    let mut v = test_and(a, pos, double)?;
    while matches!(a.get(*pos), Some(&"-o") | Some(&"||")) {
        *pos += 1;
        let r = test_and(a, pos, double)?;
        v = v || r;
    }
    Ok(v)
}

fn test_and(a: &[&str], pos: &mut usize, double: bool) -> Result<bool, String> {
    let mut v = test_not(a, pos, double)?;
    while matches!(a.get(*pos), Some(&"-a") | Some(&"&&")) {
        *pos += 1;
        let r = test_not(a, pos, double)?;
        v = v && r;
    }
    Ok(v)
}

fn test_not(a: &[&str], pos: &mut usize, double: bool) -> Result<bool, String> {
    if a.get(*pos) == Some(&"!") && a.len() > *pos + 1 {
        *pos += 1;
        return Ok(!test_not(a, pos, double)?);
    }
    test_primary(a, pos, double)
}

fn int(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| format!("{s}: integer expression expected"))
}

fn test_primary(a: &[&str], pos: &mut usize, double: bool) -> Result<bool, String> {
    let Some(&first) = a.get(*pos) else {
        return Ok(false);
    };
    if first == "(" {
        *pos += 1;
        let v = test_or(a, pos, double)?;
        if a.get(*pos) != Some(&")") {
            return Err("`)' expected".into());
        }
        *pos += 1;
        return Ok(v);
    }
    // Binary operators.
    if let (Some(&op), Some(&rhs)) = (a.get(*pos + 1), a.get(*pos + 2)) {
        let result = match op {
            "=" | "==" => Some(if double {
                let pat = super::pattern::compile(&[(rhs.to_string(), false)]);
                super::pattern::matches(&pat, &first.chars().collect::<Vec<_>>())
            } else {
                first == rhs
            }),
            "!=" => Some(first != rhs),
            "<" => Some(first < rhs),
            ">" => Some(first > rhs),
            "-eq" => Some(int(first)? == int(rhs)?),
            "-ne" => Some(int(first)? != int(rhs)?),
            "-lt" => Some(int(first)? < int(rhs)?),
            "-le" => Some(int(first)? <= int(rhs)?),
            "-gt" => Some(int(first)? > int(rhs)?),
            "-ge" => Some(int(first)? >= int(rhs)?),
            _ => None,
        };
        if let Some(r) = result {
            *pos += 3;
            return Ok(r);
        }
    }
    if let Some(&arg) = a.get(*pos + 1) {
        let result = match first {
            "-z" => Some(arg.is_empty()),
            "-n" => Some(!arg.is_empty()),
            // Without a filesystem listing, file tests answer false.
            "-f" | "-e" | "-d" | "-r" | "-w" | "-x" | "-s" | "-L" | "-h" => Some(false),
            _ => None,
        };
        if let Some(r) = result {
            *pos += 2;
            return Ok(r);
        }
        if first.starts_with('-') && first.len() == 2 && a.len() == *pos + 2 {
            return Err(format!("{first}: unary operator expected"));
        }
    }
    *pos += 1;
    Ok(!first.is_empty())
}
