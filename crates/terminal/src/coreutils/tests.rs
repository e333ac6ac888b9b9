//! Tests for the utilities: GNU behaviour checked on Debian's coreutils 9 and grep 3.

use super::regex::{Regex, Syntax};
use super::{run, Env};
use crate::io::Output;

struct NoEnv;

impl Env for NoEnv {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        match path {
            "three" => Ok("a\nb\nc\n".into()),
            _ => Err("No such file or directory".into()),
        }
    }
    fn write_file(&mut self, _: &str, _: &str, _: bool) -> Result<(), String> {
        Ok(())
    }
    fn environment(&self) -> Vec<(String, String)> {
        vec![("HOME".into(), "/root".into())]
    }
    fn run(&mut self, argv: &[String], _: &str, _: &[(String, String)]) -> Output {
        let mut o = Output::default();
        o.out(format!("{}\n", argv.join(" ")));
        o
    }
    fn sleep_ms(&mut self, _: u64) {}
    fn now_ms(&self) -> i64 {
        0
    }
    fn hostname(&self) -> String {
        "node".into()
    }
}

fn util(args: &[&str], stdin: &str) -> Output {
    let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    run(&argv, stdin, &mut NoEnv)
}

#[test]
fn regex_table() {
    // (pattern, extended, text, leftmost-longest match)
    type Case<'a> = (&'a str, bool, &'a str, Option<(usize, usize)>);
    let cases: &[Case] = &[
        ("abc", false, "xxabcxx", Some((2, 5))),
        ("a.c", false, "abc", Some((0, 3))),
        ("a*", false, "baaa", Some((0, 0))),
        ("ba*", false, "baaa", Some((0, 4))),
        ("^b", false, "ab", None),
        ("b$", false, "ab", Some((1, 2))),
        ("a$b", false, "a$b", Some((0, 3))),
        ("[0-9]+", true, "ab123c", Some((2, 5))),
        ("[^a-z]", false, "abC", Some((2, 3))),
        ("x|yz", true, "ayz", Some((1, 3))),
        ("(ab)+", true, "ababa", Some((0, 4))),
        ("\\(ab\\)*c", false, "ababc", Some((0, 5))),
        ("a{2}", true, "aaa", Some((0, 2))),
        ("a\\{2,\\}", false, "aaaa", Some((0, 4))),
        ("colou?r", true, "color", Some((0, 5))),
        ("[[:digit:]][[:alpha:]]", false, "1a", Some((0, 2))),
        ("\\bfoo\\b", false, "a foo b", Some((2, 5))),
        ("\\<f", false, "of f", Some((3, 4))),
        ("a+b", false, "a+b", Some((0, 3))),
        ("{", true, "a{", Some((1, 2))),
    ];
    for (p, ere, text, want) in cases {
        let re = Regex::new(p, *ere, false).unwrap_or_else(|e| panic!("{p}: {e}"));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(re.find_at(&chars, 0), *want, "pattern {p} on {text}");
    }
    assert_eq!(
        Regex::new("a\\{1", false, false).err().as_deref(),
        Some("Unmatched \\{")
    );
    assert_eq!(
        Regex::new("(a", true, false).err().as_deref(),
        Some("Unmatched ( or \\(")
    );
    assert_eq!(
        Regex::new("[a", false, false).err().as_deref(),
        Some("Unmatched [, [^, [:, [., or [=")
    );
    let w = Regex::with_options("wor", Syntax::Basic, false, true, false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!w.is_match("hello world"));
    assert!(Regex::with_options("ABC", Syntax::Fixed, true, false, true)
        .is_ok_and(|r| r.is_match("abc")));
}

#[test]
fn grep_messages_and_status() {
    let o = util(&["grep"], "");
    assert_eq!(
        o.stderr(),
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
    );
    assert_eq!(o.status, 2);
    let o = util(&["grep", "-E", "(a"], "a\n");
    assert_eq!(o.stderr(), "grep: Unmatched ( or \\(\n");
    let o = util(&["grep", "b", "three", "nofile"], "");
    assert_eq!(
        o.combined(),
        "grep: nofile: No such file or directory\nthree:b\n"
    );
    assert_eq!(o.status, 2);
    let o = util(&["grep", "-c", "z", "three"], "");
    assert_eq!((o.stdout().as_str(), o.status), ("0\n", 1));
}

#[test]
fn wc_widths_like_gnu() {
    assert_eq!(util(&["wc", "-l", "three"], "").stdout(), "3 three\n");
    assert_eq!(util(&["wc", "three"], "").stdout(), "3 3 6 three\n");
    assert_eq!(util(&["wc", "-l"], "a\nb\n").stdout(), "2\n");
    assert_eq!(util(&["wc", "-lw"], "a\nb\n").stdout(), "      2       2\n");
    assert_eq!(
        util(&["wc", "-l", "three", "-"], "x\n").stdout(),
        "      3 three\n      1 -\n      4 total\n"
    );
}

#[test]
fn head_tail_seq_sort() {
    assert_eq!(util(&["head", "-2", "three"], "").stdout(), "a\nb\n");
    assert_eq!(util(&["tail", "-n", "+2", "three"], "").stdout(), "b\nc\n");
    assert_eq!(util(&["head", "-c", "3"], "abcdef").stdout(), "abc");
    assert_eq!(
        util(&["seq", "1", "0.5", "2"], "").stdout(),
        "1.0\n1.5\n2.0\n"
    );
    assert_eq!(util(&["seq", "3", "1"], "").stdout(), "");
    assert_eq!(util(&["seq", "5", "-2", "1"], "").stdout(), "5\n3\n1\n");
    assert_eq!(
        util(&["seq"], "").stderr(),
        "seq: missing operand\nTry 'seq --help' for more information.\n"
    );
    assert_eq!(
        util(&["sort", "-k", "2"], "x b\ny a\n").stdout(),
        "y a\nx b\n"
    );
    assert_eq!(util(&["sort", "-rn"], "2\n10\n1\n").stdout(), "10\n2\n1\n");
    assert_eq!(util(&["uniq", "-d"], "a\na\nb\n").stdout(), "a\n");
}

#[test]
fn misc_utilities() {
    assert_eq!(util(&["basename", "/a/b/"], "").stdout(), "b\n");
    assert_eq!(util(&["dirname", "/a"], "").stdout(), "/\n");
    assert_eq!(
        util(&["date"], "").stdout(),
        "Thu Jan  1 00:00:00 UTC 1970\n"
    );
    assert_eq!(
        util(&["date", "+%F %j %s"], "").stdout(),
        "1970-01-01 001 0\n"
    );
    assert_eq!(util(&["env"], "").stdout(), "HOME=/root\n");
    assert_eq!(util(&["printenv"], "").stdout(), "HOME=/root\n");
    assert_eq!(util(&["printenv", "HOME"], "").stdout(), "/root\n");
    let missing = util(&["printenv", "HOME", "NOPE"], "");
    assert_eq!((missing.stdout().as_str(), missing.status), ("/root\n", 1));
    assert_eq!(util(&["hostname"], "").stdout(), "node\n");
    assert_eq!(
        util(&["xargs", "-n", "2", "echo"], "a b c").stdout(),
        "echo a b\necho c\n"
    );
    assert_eq!(util(&["tr", "-d", "\\n"], "a\nb\n").stdout(), "ab");
    assert_eq!(util(&["tr", "[:lower:]", "[:upper:]"], "ab").stdout(), "AB");
    assert_eq!(
        util(&["cut", "-d:", "-f2-"], "a:b:c\nnodelim\n").stdout(),
        "b:c\nnodelim\n"
    );
    assert_eq!(
        util(&["awk", "{print NR\": \"$0}"], "x\ny\n").stdout(),
        "1: x\n2: y\n"
    );
    assert_eq!(
        util(&["awk", "/b/ {print $2}"], "a 1\nb 2\n").stdout(),
        "2\n"
    );
    assert_eq!(util(&["awk", "$2 > 1"], "a 1\nb 2\n").stdout(), "b 2\n");
    assert_eq!(
        util(&["cat", "-n", "three"], "").stdout(),
        "     1\ta\n     2\tb\n     3\tc\n"
    );
}

#[test]
fn grep_context_lines_like_gnu() {
    // Expected outputs from GNU grep 3.8.
    let text = "a\nb\nc\nd\ne\nf\ng\n";
    assert_eq!(
        util(&["grep", "-A1", "-n", "c"], text).stdout(),
        "3:c\n4-d\n"
    );
    assert_eq!(
        util(&["grep", "-C1", "-e", "b", "-e", "f"], text).stdout(),
        "a\nb\nc\n--\ne\nf\ng\n"
    );
    assert_eq!(
        util(&["grep", "-B", "2", "d"], "a\nb\nc\nd\n").stdout(),
        "b\nc\nd\n"
    );
    assert_eq!(
        util(&["grep", "--after-context=1", "a"], "a\nb\n").stdout(),
        "a\nb\n"
    );
}
