//! The small programs scripts lean on, with GNU coreutils/grep/gawk semantics and messages as
//! on a kind node (Debian, C locale: ASCII quotes in messages).
//!
//! Each utility takes its argv, its standard input and an [`Env`] (files relative to the
//! shell's directory, the exported variables, running other commands) and returns an
//! [`Output`].

mod awk;
mod base64;
mod grep;
pub mod help;
mod misc;
pub mod regex;
mod sort;
mod text;

use crate::io::Output;

pub use misc::sleep_duration;

/// What a utility may use of the shell around it.
pub trait Env {
    /// Reads a file (path as the user typed it; the shell resolves it).
    fn read_file(&mut self, path: &str) -> Result<String, String>;
    /// Writes or appends to a file.
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String>;
    /// The exported variables.
    fn environment(&self) -> Vec<(String, String)>;
    /// Runs a command (for `xargs` and `env CMD`), with extra variables set.
    fn run(&mut self, argv: &[String], stdin: &str, env: &[(String, String)]) -> Output;
    /// Lets virtual time pass.
    fn sleep_ms(&mut self, ms: u64);
    /// The virtual wall clock, milliseconds since 1970.
    fn now_ms(&self) -> i64;
    /// The host name (`HOSTNAME`).
    fn hostname(&self) -> String;
}

/// The utilities, as `help` lists them.
pub const UTILITIES: &[&str] = &[
    "awk", "base64", "basename", "cat", "cut", "date", "dirname", "env", "grep", "head",
    "hostname", "printenv", "seq", "sort", "tail", "tee", "tr", "uniq", "wc", "xargs",
];

/// Whether `name` is one of the utilities.
pub fn is_utility(name: &str) -> bool {
    UTILITIES.contains(&name)
        || name == "egrep"
        || name == "fgrep"
        || name == "gawk"
        || name == "mawk"
}

/// Whether the utility reads its standard input (the shell then hands it all of it).
pub fn reads_stdin(name: &str) -> bool {
    !matches!(
        name,
        "seq" | "basename" | "dirname" | "date" | "hostname" | "env" | "printenv"
    )
}

/// Runs a utility.
pub fn run(argv: &[String], stdin: &str, env: &mut dyn Env) -> Output {
    let name = argv.first().map(String::as_str).unwrap_or("");
    let args = argv.get(1..).unwrap_or(&[]);
    // GNU tools answer `--help` wherever it comes before `--`.
    if args
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help")
    {
        if let Some(text) = help::usage(name) {
            let mut out = Output::status(0);
            out.out(text);
            return out;
        }
    }
    match name {
        "cat" => text::cat(args, stdin, env),
        "head" => text::head_tail(args, stdin, env, true),
        "tail" => text::head_tail(args, stdin, env, false),
        "wc" => text::wc(args, stdin, env),
        "tee" => text::tee(args, stdin, env),
        "cut" => text::cut(args, stdin, env),
        "tr" => text::tr(args, stdin),
        "grep" => grep::grep(args, stdin, env, 0),
        "egrep" => grep::grep(args, stdin, env, 1),
        "fgrep" => grep::grep(args, stdin, env, 2),
        "sort" => sort::sort(args, stdin, env),
        "uniq" => sort::uniq(args, stdin, env),
        "awk" | "gawk" | "mawk" => awk::awk(args, stdin, env),
        "base64" => base64::base64(args, stdin, env),
        "seq" => misc::seq(args),
        "basename" => misc::basename(args),
        "dirname" => misc::dirname(args),
        "date" => misc::date(args, env),
        "env" => misc::env(args, stdin, env),
        "printenv" => misc::printenv(args, env),
        "hostname" => {
            let mut o = Output::default();
            o.out(format!("{}\n", env.hostname()));
            o
        }
        "xargs" => misc::xargs(args, stdin, env),
        _ => Output::status(127),
    }
}

/// A usage error: `NAME: MESSAGE` and `Try 'NAME --help' for more information.`.
pub(crate) fn usage(name: &str, message: &str, status: i32) -> Output {
    let mut o = Output::status(status);
    o.err(format!(
        "{name}: {message}\nTry '{name} --help' for more information.\n"
    ));
    o
}

/// The inputs named by `files` (`-` or none: standard input). A file that cannot be read is
/// reported as `NAME: FILE: reason` and skipped; the flag says whether any failed.
pub(crate) fn inputs(
    name: &str,
    files: &[String],
    stdin: &str,
    env: &mut dyn Env,
    out: &mut Output,
) -> (Vec<(String, String)>, bool) {
    if files.is_empty() {
        return (vec![("-".into(), stdin.to_string())], false);
    }
    let mut v = Vec::new();
    let mut failed = false;
    for f in files {
        if f == "-" {
            v.push(("-".into(), stdin.to_string()));
            continue;
        }
        match env.read_file(f) {
            Ok(t) => v.push((f.clone(), t)),
            Err(e) => {
                out.err(format!("{name}: {f}: {e}\n"));
                failed = true;
            }
        }
    }
    (v, failed)
}

/// Splits text into lines without their newlines (a last line without one still counts).
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let t = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    t.split('\n').collect()
}

/// Splits `-n5`-style and `-abc` option clusters: returns (flags, value-taking options with
/// values, operands). `with_value` lists the options that take a value.
pub(crate) struct Opts {
    pub flags: Vec<char>,
    pub values: Vec<(char, String)>,
    pub operands: Vec<String>,
}

pub(crate) fn parse_opts(
    name: &str,
    args: &[String],
    with_value: &str,
    flags_ok: &str,
) -> Result<Opts, Output> {
    let mut o = Opts {
        flags: Vec::new(),
        values: Vec::new(),
        operands: Vec::new(),
    };
    let mut i = 0;
    let mut only_operands = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if only_operands || !a.starts_with('-') || a == "-" {
            o.operands.push(a.clone());
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            o.values.push(('-', long.to_string()));
            continue;
        }
        let chars: Vec<char> = a.chars().skip(1).collect();
        let mut k = 0;
        while let Some(&c) = chars.get(k) {
            k += 1;
            if with_value.contains(c) {
                let rest: String = chars[k..].iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    v.clone()
                } else {
                    return Err(usage(
                        name,
                        &format!("option requires an argument -- '{c}'"),
                        if name == "grep" { 2 } else { 1 },
                    ));
                };
                o.values.push((c, value));
                break;
            } else if flags_ok.contains(c) {
                o.flags.push(c);
            } else {
                return Err(usage(
                    name,
                    &format!("invalid option -- '{c}'"),
                    if name == "grep" { 2 } else { 1 },
                ));
            }
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests;
