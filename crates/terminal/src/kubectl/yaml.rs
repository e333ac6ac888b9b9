//! `-o yaml`: `sigs.k8s.io/yaml.Marshal` = JSON, then go-yaml v2's encoder
//! (`gopkg.in/yaml.v2` `encode.go` `stringv`, `resolve.go`, and the libyaml port in
//! `emitterc.go`): keys sorted, two-space indent, sequences not indented under their key,
//! strings plain unless they would read back as another type (`"80"`, `"true"`, `""`,
//! timestamps) or the emitter forbids plain (`'*'`, leading spaces, `: `, ` #`), literal
//! blocks for multi-line strings, and plain or single-quoted scalars folded past column 80.

use super::value::Value;

/// go-yaml's `best_width`.
const BEST_WIDTH: usize = 80;

/// `-o yaml` of a value (a trailing newline included).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => emit_mapping(m, 0, false, &mut out),
        Value::Array(a) if !a.is_empty() => emit_sequence(a, 0, false, &mut out),
        other => {
            inline_scalar(other, 0, 0, &mut out);
            out.push('\n');
        }
    }
    out
}

fn spaces(n: usize, out: &mut String) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn column(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

fn emit_mapping(m: &[(String, Value)], indent: usize, first_inline: bool, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !first_inline {
            spaces(indent, out);
        }
        out.push_str(&key_scalar(k));
        out.push(':');
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_mapping(inner, indent + 2, false, out);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                emit_sequence(items, indent, false, out);
            }
            other => {
                out.push(' ');
                let col = column(out);
                inline_scalar(other, col, indent, out);
                out.push('\n');
            }
        }
    }
}

fn emit_sequence(items: &[Value], indent: usize, first_inline: bool, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !first_inline {
            spaces(indent, out);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => emit_mapping(m, indent + 2, true, out),
            Value::Array(a) if !a.is_empty() => emit_sequence(a, indent + 2, true, out),
            other => {
                let col = column(out);
                inline_scalar(other, col, indent, out);
                out.push('\n');
            }
        }
    }
}

/// Writes a scalar (or `{}`/`[]`) that starts at `col`; `indent` is the enclosing block's
/// indentation (continuation lines go two further).
fn inline_scalar(v: &Value, col: usize, indent: usize, out: &mut String) -> usize {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&go_float(*f)),
        Value::Str(s) => write_string(s, col, indent + 2, true, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
    col
}

fn go_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "+.inf" } else { "-.inf" }.into()
    } else if f == f.trunc() && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn key_scalar(k: &str) -> String {
    let mut out = String::new();
    write_string(k, 0, 0, false, &mut out);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// go-yaml v2 `stringv` + libyaml's `select_scalar_style`.
fn style_for(s: &str, allow_block: bool) -> Style {
    let a = analyze(s);
    let mut style = if s.contains('\n') {
        Style::Literal
    } else if resolves_to_str(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    };
    if style == Style::Literal && (!a.block_allowed || !allow_block) {
        style = Style::Double;
    }
    if style == Style::Plain && !a.block_plain_allowed {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    style
}

fn write_string(s: &str, col: usize, cont_indent: usize, value_ctx: bool, out: &mut String) {
    match style_for(s, value_ctx) {
        Style::Plain => write_folded(s, col, cont_indent, value_ctx, false, out),
        Style::Single => {
            out.push('\'');
            write_folded(s, col + 1, cont_indent, value_ctx, true, out);
            out.push('\'');
        }
        Style::Double => out.push_str(&double_quoted(s)),
        Style::Literal => write_literal(s, cont_indent, out),
    }
}

/// Plain and single-quoted scalars: a space past column 80 (not followed by another space)
/// becomes a line break and indentation (`yaml_emitter_write_plain_scalar`).
fn write_folded(
    s: &str,
    start_col: usize,
    cont_indent: usize,
    allow_breaks: bool,
    single: bool,
    out: &mut String,
) {
    let chars: Vec<char> = s.chars().collect();
    let mut col = start_col;
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            let inner = !single || (i > 0 && i + 1 < chars.len());
            if allow_breaks && !prev_space && col > BEST_WIDTH && !next_space && inner {
                out.push('\n');
                spaces(cont_indent, out);
                col = cont_indent;
            } else {
                out.push(' ');
                col += 1;
            }
            prev_space = true;
        } else {
            if single && c == '\'' {
                out.push_str("''");
                col += 2;
            } else {
                out.push(c);
                col += 1;
            }
            prev_space = false;
        }
    }
}

fn write_literal(s: &str, indent: usize, out: &mut String) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push('|');
    if s.starts_with(' ') {
        out.push('2');
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    let mut lines: Vec<&str> = body.split('\n').collect();
    if trailing > 1 {
        // Keep the extra breaks as empty lines.
        lines.pop();
    }
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            spaces(indent, out);
            out.push_str(line);
        }
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if !is_printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_printable(c: char) -> bool {
    let n = c as u32;
    n == 0x0a
        || (0x20..=0x7e).contains(&n)
        || n == 0x85
        || (0xa0..=0xd7ff).contains(&n)
        || ((0xe000..=0xfffd).contains(&n) && n != 0xfeff)
        || (0x10000..=0x10ffff).contains(&n)
}

struct Analysis {
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// libyaml's `yaml_emitter_analyze_scalar`, block context.
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut special = false;
    let mut line_breaks = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_ws = chars
            .get(i + 1)
            .is_none_or(|&d| d == ' ' || d == '\t' || d == '\n' || d == '\r');
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                block_indicators = true;
            }
            if (c == '?' || c == ':') && followed_by_ws {
                block_indicators = true;
            }
            if c == '-' && followed_by_ws {
                block_indicators = true;
            }
        } else {
            if c == ':' && followed_by_ws {
                block_indicators = true;
            }
            if c == '#' && preceded_by_ws {
                block_indicators = true;
            }
        }
        if !is_printable(c) || c == '\u{feff}' {
            special = true;
        }
        let is_break =
            c == '\n' || c == '\r' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}';
        if is_break {
            line_breaks = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break {
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = c == ' ' || c == '\t' || is_break;
    }
    let mut block_plain = true;
    let mut single = true;
    let mut block = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        block_plain = false;
    }
    if trailing_space {
        block = false;
    }
    if break_space {
        block_plain = false;
        single = false;
    }
    if space_break || special {
        block_plain = false;
        single = false;
        block = false;
    }
    if line_breaks {
        block_plain = false;
    }
    if block_indicators {
        block_plain = false;
    }
    Analysis {
        block_plain_allowed: block_plain,
        single_quoted_allowed: single,
        block_allowed: block,
    }
}

/// Whether go-yaml v2's `resolve("", s)` would read `s` back as a string.
pub fn resolves_to_str(s: &str) -> bool {
    const SPECIAL: [&str; 35] = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "<<", "+.inf",
    ];
    const MORE: [&str; 5] = ["+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"];
    if SPECIAL.contains(&s) || MORE.contains(&s) {
        return false;
    }
    let Some(first) = s.chars().next() else {
        return false;
    };
    match first {
        '.' => s.parse::<f64>().is_err(),
        '0'..='9' | '+' | '-' => {
            if first.is_ascii_digit() && is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            if go_parse_int(&plain) || plain.parse::<f64>().is_ok() {
                return false;
            }
            let bin = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"));
            !bin.is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1'))
        }
        _ => true,
    }
}

/// `strconv.ParseInt(s, 0, 64)` succeeding (ignoring overflow for the prefix forms).
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return false;
    }
    let (digits, radix) = if let Some(h) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(o) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (o, 8)
    } else if let Some(b) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (b, 2)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && i64::from_str_radix(digits, radix).is_ok()
}

fn is_base60_float(s: &str) -> bool {
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if !f.chars().all(|c| c.is_ascii_digit() || c == '_') {
            return false;
        }
    }
    let mut parts = main.split(':');
    let Some(head) = parts.next() else {
        return false;
    };
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && rest.iter().all(|p| {
            let b = p.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        })
}

fn take_digits(s: &str, min: usize, max: usize) -> Option<(&str, &str)> {
    let n = s.chars().take_while(char::is_ascii_digit).count();
    if n < min {
        return None;
    }
    let n = n.min(max);
    Some((&s[..n], &s[n..]))
}

/// go-yaml v2 `parseTimestamp` with its four allowed layouts.
fn is_timestamp(s: &str) -> bool {
    let Some((_, r)) = take_digits(s, 4, 4) else {
        return false;
    };
    let Some(r) = r.strip_prefix('-') else {
        return false;
    };
    let Some((_, r)) = take_digits(r, 1, 2) else {
        return false;
    };
    let Some(r) = r.strip_prefix('-') else {
        return false;
    };
    let Some((_, r)) = take_digits(r, 1, 2) else {
        return false;
    };
    if r.is_empty() {
        return true;
    }
    let (zoned, r) = match r.chars().next() {
        Some('T') | Some('t') => (true, &r[1..]),
        Some(' ') => (false, &r[1..]),
        _ => return false,
    };
    fn time(r: &str) -> Option<&str> {
        let (_, r) = take_digits(r, 1, 2)?;
        let r = r.strip_prefix(':')?;
        let (_, r) = take_digits(r, 1, 2)?;
        let r = r.strip_prefix(':')?;
        let (_, r) = take_digits(r, 1, 2)?;
        match r.strip_prefix('.') {
            Some(f) => Some(take_digits(f, 1, 9)?.1),
            None => Some(r),
        }
    }
    let Some(r) = time(r) else {
        return false;
    };
    if !zoned {
        return r.is_empty();
    }
    if r == "Z" {
        return true;
    }
    let b = r.as_bytes();
    b.len() == 6
        && (b[0] == b'+' || b[0] == b'-')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3] == b':'
        && b[4].is_ascii_digit()
        && b[5].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::Str(x.into())
    }

    #[test]
    fn quoting_follows_go_yaml_v2() {
        for (input, want) in [
            ("80", "\"80\""),
            ("", "\"\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("2024-08-13T22:50:00Z", "\"2024-08-13T22:50:00Z\""),
            ("10.96.0.1", "10.96.0.1"),
            ("nginx:latest", "nginx:latest"),
            ("1.5", "\"1.5\""),
            ("0x1F", "\"0x1F\""),
            ("1:20", "\"1:20\""),
            ("*", "'*'"),
            ("- x", "'- x'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            (" lead", "' lead'"),
            ("it's", "it's"),
            ("<none>", "<none>"),
            ("null", "\"null\""),
            ("app.kubernetes.io/name", "app.kubernetes.io/name"),
            ("10.244.0.0/24", "10.244.0.0/24"),
            ("TCP", "TCP"),
        ] {
            let mut out = String::new();
            write_string(input, 0, 2, true, &mut out);
            assert_eq!(out, want, "{input:?}");
        }
    }

    #[test]
    fn block_layout_and_lists() {
        let v = Value::object(vec![
            ("apiVersion", s("v1")),
            (
                "items",
                Value::Array(vec![Value::object(vec![
                    ("kind", s("Pod")),
                    (
                        "spec",
                        Value::object(vec![(
                            "containers",
                            Value::Array(vec![Value::object(vec![
                                ("name", s("nginx")),
                                (
                                    "ports",
                                    Value::Array(vec![Value::object(vec![(
                                        "containerPort",
                                        Value::Int(80),
                                    )])]),
                                ),
                            ])]),
                        )]),
                    ),
                ])]),
            ),
            ("kind", s("List")),
            ("metadata", Value::object(vec![("resourceVersion", s(""))])),
            (
                "status",
                Value::object(vec![("loadBalancer", Value::object(vec![]))]),
            ),
        ]);
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nitems:\n- kind: Pod\n  spec:\n    containers:\n    - name: nginx\n      ports:\n      - containerPort: 80\nkind: List\nmetadata:\n  resourceVersion: \"\"\nstatus:\n  loadBalancer: {}\n"
        );
    }

    #[test]
    fn literal_blocks_and_folding() {
        let v = Value::object(vec![(
            "metadata",
            Value::object(vec![(
                "annotations",
                Value::object(vec![("k", s("{\"a\":1}\n"))]),
            )]),
        )]);
        assert_eq!(
            to_yaml(&v),
            "metadata:\n  annotations:\n    k: |\n      {\"a\":1}\n"
        );
        let long = "ReplicaSet \"nginx-deployment-7c5ddbdf54\" has successfully progressed and more words.";
        let v = Value::object(vec![("message", s(long))]);
        let y = to_yaml(&v);
        assert!(y.contains("\n  "), "{y}");
        assert!(y.lines().next().is_some_and(|l| l.len() > 80));
    }
}
