//! `--help` for the utilities: the opening lines of what GNU coreutils 9.1, grep 3.8,
//! findutils 4.9 and gawk print (Debian bookworm, the base of kind's node image). The option
//! lists that follow in the real tools are left out; the lab's utilities implement a subset.

/// The usage lines `NAME --help` starts with, or `None` for a utility without one here.
pub fn usage(name: &str) -> Option<String> {
    let coreutils = |lines: &str| {
        format!(
            "{lines}\nFull documentation <https://www.gnu.org/software/coreutils/{name}>\nor available locally via: info '(coreutils) {name} invocation'\n"
        )
    };
    Some(match name {
        "base64" => coreutils("Usage: base64 [OPTION]... [FILE]\nBase64 encode or decode FILE, or standard input, to standard output.\n\nWith no FILE, or when FILE is -, read standard input.\n"),
        "cat" => coreutils("Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s) to standard output.\n"),
        "head" => coreutils("Usage: head [OPTION]... [FILE]...\nPrint the first 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n"),
        "tail" => coreutils("Usage: tail [OPTION]... [FILE]...\nPrint the last 10 lines of each FILE to standard output.\nWith more than one FILE, precede each with a header giving the file name.\n"),
        "wc" => coreutils("Usage: wc [OPTION]... [FILE]...\n  or:  wc [OPTION]... --files0-from=F\nPrint newline, word, and byte counts for each FILE, and a total line if\nmore than one FILE is specified.  A word is a non-zero-length sequence of\nprintable characters delimited by white space.\n"),
        "sort" => coreutils("Usage: sort [OPTION]... [FILE]...\n  or:  sort [OPTION]... --files0-from=F\nWrite sorted concatenation of all FILE(s) to standard output.\n"),
        "uniq" => coreutils("Usage: uniq [OPTION]... [INPUT [OUTPUT]]\nFilter adjacent matching lines from INPUT (or standard input),\nwriting to OUTPUT (or standard output).\n"),
        "cut" => coreutils("Usage: cut OPTION... [FILE]...\nPrint selected parts of lines from each FILE to standard output.\n"),
        "tee" => coreutils("Usage: tee [OPTION]... [FILE]...\nCopy standard input to each FILE, and also to standard output.\n"),
        "sleep" => coreutils("Usage: sleep NUMBER[SUFFIX]...\n  or:  sleep OPTION\nPause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),\n'm' for minutes, 'h' for hours or 'd' for days.\n"),
        "seq" => coreutils("Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST\nPrint numbers from FIRST to LAST, in steps of INCREMENT.\n"),
        "basename" => coreutils("Usage: basename NAME [SUFFIX]\n  or:  basename OPTION... NAME...\nPrint NAME with any leading directory components removed.\nIf specified, also remove a trailing SUFFIX.\n"),
        "dirname" => coreutils("Usage: dirname [OPTION] NAME...\nOutput each NAME with its last non-slash component and trailing slashes\nremoved; if NAME contains no /'s, output '.' (meaning the current directory).\n"),
        "date" => coreutils("Usage: date [OPTION]... [+FORMAT]\n  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\nDisplay date and time in the given FORMAT.\n"),
        "env" => coreutils("Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\nSet each NAME to VALUE in the environment and run COMMAND.\n"),
        "printenv" => coreutils("Usage: printenv [OPTION]... [VARIABLE]...\nPrint the values of the specified environment VARIABLE(s).\nIf no VARIABLE is specified, print name and value pairs for them all.\n"),
        "tr" => coreutils("Usage: tr [OPTION]... STRING1 [STRING2]\nTranslate, squeeze, and/or delete characters from standard input,\nwriting to standard output.\n"),
        "grep" | "egrep" | "fgrep" => "Usage: grep [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE.\nExample: grep -i 'hello world' menu.h main.c\nPATTERNS can contain multiple patterns separated by newlines.\n".to_string(),
        "xargs" => "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\nRun COMMAND with arguments INITIAL-ARGS and more arguments read from input.\n".to_string(),
        "awk" | "gawk" | "mawk" => "Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\n".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::usage;

    #[test]
    fn every_utility_has_a_usage_naming_itself() {
        for name in super::super::UTILITIES {
            if *name == "hostname" {
                continue;
            }
            let text = usage(name).unwrap_or_else(|| panic!("{name} has no usage"));
            let shown = if *name == "egrep" || *name == "fgrep" {
                "grep"
            } else {
                name
            };
            assert!(
                text.starts_with(&format!("Usage: {shown} ")),
                "{name}: {text}"
            );
        }
    }
}
