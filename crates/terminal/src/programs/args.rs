//! Command-line flags the way Go programs (cobra/pflag) accept them: `--name x`, `--name=x`,
//! `-n x`, `-nx`, and positional arguments in between.

/// Parsed arguments: flags with values, boolean flags, and positionals in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// `(flag, value)` pairs in order; a repeated flag appears each time.
    pub values: Vec<(String, String)>,
    /// Boolean flags given.
    pub switches: Vec<String>,
    /// Everything else, in order.
    pub positionals: Vec<String>,
    /// Arguments after `--`.
    pub rest: Vec<String>,
}

/// How a program's flags look: which take a value, which are switches, and their aliases.
pub struct FlagSpec<'a> {
    /// Flags that take a value, as `(long, short)` (short may be empty).
    pub with_value: &'a [(&'a str, &'a str)],
    /// Flags that take no value.
    pub switches: &'a [(&'a str, &'a str)],
}

impl Args {
    /// The last value of a flag (by its long name).
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == long)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated flag.
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| k == long)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a switch was given.
    pub fn has(&self, long: &str) -> bool {
        self.switches.iter().any(|s| s == long)
    }
}

/// Parses `argv` (without the program and subcommand words); the error is pflag's message.
pub fn parse(argv: &[String], spec: &FlagSpec<'_>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut i = 0;
    let long_of = |name: &str, table: &[(&str, &str)]| {
        table
            .iter()
            .find(|(l, s)| *l == name || (!s.is_empty() && *s == name))
            .map(|(l, _)| l.to_string())
    };
    while let Some(arg) = argv.get(i) {
        i += 1;
        if arg == "--" {
            out.rest = argv.get(i..).unwrap_or_default().to_vec();
            break;
        }
        let (name, inline) = if let Some(long) = arg.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            // pflag: leading shorthand switches may be bundled (`-it`, `-nL`); the first
            // shorthand that takes a value swallows the rest (`-ndev`).
            let mut chars = short.chars().peekable();
            let mut first = String::new();
            while let Some(c) = chars.next() {
                let name = c.to_string();
                let is_switch = long_of(&name, spec.switches).is_some();
                if is_switch && chars.peek().is_some_and(|n| *n != '=') {
                    if let Some(long) = long_of(&name, spec.switches) {
                        out.switches.push(long);
                    }
                    continue;
                }
                first = name;
                break;
            }
            let tail: String = chars.collect();
            let tail = tail.strip_prefix('=').map(str::to_string).unwrap_or(tail);
            (first, (!tail.is_empty()).then_some(tail))
        } else {
            out.positionals.push(arg.clone());
            continue;
        };
        let shown = if arg.starts_with("--") {
            format!("--{name}")
        } else {
            format!("-{name}")
        };
        if let Some(long) = long_of(&name, spec.with_value) {
            let value = match inline {
                Some(v) => v,
                None => {
                    let needs = if arg.starts_with("--") {
                        format!("flag needs an argument: {shown}")
                    } else {
                        format!("flag needs an argument: '{name}' in {arg}")
                    };
                    let v = argv.get(i).cloned().ok_or(needs)?;
                    i += 1;
                    v
                }
            };
            out.values.push((long, value));
        } else if let Some(long) = long_of(&name, spec.switches) {
            match inline.as_deref() {
                None | Some("true") => {}
                Some("false") => continue,
                Some(v) => {
                    return Err(format!(
                        "invalid argument \"{v}\" for \"{shown}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
                    ))
                }
            }
            out.switches.push(long);
        } else if arg.starts_with("--") {
            return Err(format!("unknown flag: --{name}"));
        } else {
            return Err(format!("unknown shorthand flag: '{name}' in {arg}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    const SPEC: FlagSpec = FlagSpec {
        with_value: &[("namespace", "n"), ("output", "o"), ("name", "")],
        switches: &[("all-namespaces", "A"), ("watch", "w")],
    };

    #[test]
    fn long_short_and_inline_values() {
        let a = parse(&argv("pod -n dev -o=wide --name=x -A web"), &SPEC).expect("parses");
        assert_eq!(a.value("namespace"), Some("dev"));
        assert_eq!(a.value("output"), Some("wide"));
        assert_eq!(a.value("name"), Some("x"));
        assert!(a.has("all-namespaces"));
        assert_eq!(a.positionals, ["pod", "web"]);
        let bundled = parse(&argv("-Aw"), &SPEC).expect("parses");
        assert!(bundled.has("all-namespaces") && bundled.has("watch"));
        let b = parse(&argv("-ndev -owide"), &SPEC).expect("parses");
        assert_eq!(
            (b.value("namespace"), b.value("output")),
            (Some("dev"), Some("wide"))
        );
    }

    #[test]
    fn errors_read_like_pflag() {
        assert_eq!(
            parse(&argv("--bogus"), &SPEC),
            Err("unknown flag: --bogus".into())
        );
        assert_eq!(
            parse(&argv("-x"), &SPEC),
            Err("unknown shorthand flag: 'x' in -x".into())
        );
        assert_eq!(
            parse(&argv("pod -n"), &SPEC),
            Err("flag needs an argument: 'n' in -n".into())
        );
        let rest = parse(&argv("exec pod -- sh -c x"), &SPEC).expect("parses");
        assert_eq!(rest.rest, ["sh", "-c", "x"]);
    }
}
