//! `-o jsonpath=TEMPLATE` (`staging/src/k8s.io/client-go/util/jsonpath`: `parser.go`,
//! `jsonpath.go`), with kubectl's `AllowMissingKeys(true)`: fields, `*`, indexes, slices,
//! `..name`, unions (`,`), filters `[?(@.type=="Ready")]`, `{range …}{end}`, string literals
//! such as `{"\n"}`. Several results of one expression are joined by a space; maps and lists
//! print as compact JSON.

use super::json::to_json_compact;
use super::value::Value;

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Root,
    Field(String),
    Wildcard,
    Recursive(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Filter(Box<Filter>),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Path(Vec<Step>),
    Str(String),
    Num(f64),
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Operand,
    op: Option<String>,
    right: Option<Operand>,
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Path(Vec<Step>),
    Literal(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    List(Vec<Expr>),
    Range(Vec<Expr>, Vec<Node>),
}

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath {
    nodes: Vec<Node>,
}

impl JsonPath {
    /// Parses a template; errors read like client-go's parser errors.
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let mut stack: Vec<(Vec<Expr>, Vec<Node>)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let chars: Vec<char> = template.chars().collect();
        let mut i = 0;
        let mut text = String::new();
        while i < chars.len() {
            if chars[i] != '{' {
                text.push(chars[i]);
                i += 1;
                continue;
            }
            if !text.is_empty() {
                nodes.push(Node::Text(std::mem::take(&mut text)));
            }
            // Find the matching '}' outside quotes.
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            let mut depth = 0;
            while j < chars.len() {
                let c = chars[j];
                match quote {
                    Some(q) => {
                        if c == '\\' {
                            j += 1;
                        } else if c == q {
                            quote = None;
                        }
                    }
                    None => match c {
                        '"' | '\'' => quote = Some(c),
                        '[' | '(' => depth += 1,
                        ']' | ')' => depth -= 1,
                        '}' if depth <= 0 => break,
                        _ => {}
                    },
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err("unclosed action".to_string());
            }
            let inner: String = chars[i + 1..j].iter().collect();
            let inner = inner.trim();
            i = j + 1;
            if inner == "end" {
                let Some((exprs, outer)) = stack.pop() else {
                    return Err("not in range, nothing to end".to_string());
                };
                let body = std::mem::replace(&mut nodes, outer);
                nodes.push(Node::Range(exprs, body));
            } else if let Some(rest) = inner.strip_prefix("range") {
                let exprs = parse_exprs(rest.trim())?;
                stack.push((exprs, std::mem::take(&mut nodes)));
            } else {
                nodes.push(Node::List(parse_exprs(inner)?));
            }
        }
        if !text.is_empty() {
            nodes.push(Node::Text(text));
        }
        if !stack.is_empty() {
            return Err("unclosed range".to_string());
        }
        Ok(JsonPath { nodes })
    }

    /// The groups of results, one per template action, as `FindResults` returns them.
    fn find(&self, root: &Value) -> Vec<Vec<Value>> {
        let mut out = Vec::new();
        walk(&self.nodes, root, root, &mut out);
        out
    }

    /// `Execute`: prints every result group.
    pub fn execute(&self, root: &Value) -> String {
        let mut s = String::new();
        for group in self.find(root) {
            let n = group.len();
            for (i, v) in group.iter().enumerate() {
                s.push_str(&text_of(v));
                if i + 1 != n {
                    s.push(' ');
                }
            }
        }
        s
    }

    /// The values the template finds (flattened), as custom-columns reads them.
    pub fn values(&self, root: &Value) -> Vec<Value> {
        self.find(root).into_iter().flatten().collect()
    }
}

fn walk(nodes: &[Node], root: &Value, cur: &Value, out: &mut Vec<Vec<Value>>) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push(vec![Value::Str(t.clone())]),
            Node::List(exprs) => out.push(eval_exprs(exprs, root, cur)),
            Node::Range(exprs, body) => {
                for item in eval_exprs(exprs, root, cur) {
                    walk(body, root, &item, out);
                }
            }
        }
    }
}

fn eval_exprs(exprs: &[Expr], root: &Value, cur: &Value) -> Vec<Value> {
    let mut res = Vec::new();
    for e in exprs {
        match e {
            Expr::Literal(s) => res.push(Value::Str(s.clone())),
            Expr::Path(steps) => res.extend(eval_path(steps, root, cur)),
        }
    }
    res
}

fn eval_path(steps: &[Step], root: &Value, cur: &Value) -> Vec<Value> {
    let mut vals = vec![cur.clone()];
    for step in steps {
        let mut next = Vec::new();
        for v in &vals {
            match step {
                Step::Root => next.push(root.clone()),
                Step::Field(name) => {
                    if let Some(x) = v.get(name) {
                        next.push(x.clone());
                    }
                }
                Step::Wildcard => match v {
                    Value::Array(a) => next.extend(a.iter().cloned()),
                    Value::Object(m) => next.extend(m.iter().map(|(_, x)| x.clone())),
                    _ => {}
                },
                Step::Recursive(name) => recurse(v, name, &mut next),
                Step::Index(i) => {
                    if let Value::Array(a) = v {
                        let len = a.len() as i64;
                        let idx = if *i < 0 { len + i } else { *i };
                        if (0..len).contains(&idx) {
                            next.push(a[idx as usize].clone());
                        }
                    }
                }
                Step::Slice(start, end, step) => {
                    if let Value::Array(a) = v {
                        let len = a.len() as i64;
                        let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                        let s = norm(start.unwrap_or(0));
                        let e = norm(end.unwrap_or(len));
                        let st = step.unwrap_or(1).max(1);
                        let mut k = s;
                        while k < e {
                            next.push(a[k as usize].clone());
                            k += st;
                        }
                    }
                }
                Step::Filter(f) => {
                    let items: Vec<Value> = match v {
                        Value::Array(a) => a.clone(),
                        other => vec![other.clone()],
                    };
                    for item in items {
                        if filter_matches(f, root, &item) {
                            next.push(item);
                        }
                    }
                }
            }
        }
        vals = next;
    }
    vals
}

fn recurse(v: &Value, name: &str, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == name {
                    out.push(x.clone());
                }
            }
            for (_, x) in m {
                recurse(x, name, out);
            }
        }
        Value::Array(a) => {
            for x in a {
                recurse(x, name, out);
            }
        }
        _ => {}
    }
}

fn operand_values(o: &Operand, root: &Value, cur: &Value) -> Vec<Value> {
    match o {
        Operand::Path(p) => eval_path(p, root, cur),
        Operand::Str(s) => vec![Value::Str(s.clone())],
        Operand::Num(n) => vec![Value::Float(*n)],
    }
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn filter_matches(f: &Filter, root: &Value, item: &Value) -> bool {
    let left = operand_values(&f.left, root, item);
    let (Some(op), Some(right)) = (&f.op, &f.right) else {
        return !left.is_empty();
    };
    let right = operand_values(right, root, item);
    let (Some(l), Some(r)) = (left.first(), right.first()) else {
        return false;
    };
    let ord = match (num(l), num(r)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => match (l, r) {
            (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
            (Value::Bool(a), Value::Bool(b)) if op == "==" || op == "!=" => Some(a.cmp(b)),
            _ => None,
        },
    };
    let Some(ord) = ord else {
        return op == "!=";
    };
    use std::cmp::Ordering::*;
    match op.as_str() {
        "==" => ord == Equal,
        "!=" => ord != Equal,
        "<" => ord == Less,
        "<=" => ord != Greater,
        ">" => ord == Greater,
        ">=" => ord != Less,
        _ => false,
    }
}

/// How one result prints: strings raw, maps and lists as compact JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Array(_) | Value::Object(_) => to_json_compact(v),
    }
}

fn go_float(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Go's `%v` of a decoded JSON value (custom-columns cells): `map[k:v]`, `[a b]`.
pub fn go_fmt_value(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => "<nil>".into(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(go_fmt_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, x)| format!("{k}:{}", go_fmt_value(x)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

fn split_top(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escape = false;
    for c in s.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if escape {
                escape = false;
            } else if c == '\\' {
                escape = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                cur.push(c);
            }
            '[' | '(' => {
                depth += 1;
                cur.push(c);
            }
            ']' | ')' => {
                depth -= 1;
                cur.push(c);
            }
            c if c == sep && depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

fn unquote(s: &str) -> Result<String, String> {
    let q = s.chars().next().unwrap_or('"');
    let body = s
        .strip_prefix(q)
        .and_then(|b| b.strip_suffix(q))
        .ok_or_else(|| format!("unterminated string {s}"))?;
    let mut out = String::new();
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Ok(out)
}

fn parse_exprs(s: &str) -> Result<Vec<Expr>, String> {
    let mut exprs = Vec::new();
    for part in split_top(s, ',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        if p.starts_with('"') || p.starts_with('\'') {
            exprs.push(Expr::Literal(unquote(p)?));
        } else {
            exprs.push(Expr::Path(parse_path(p)?));
        }
    }
    Ok(exprs)
}

fn parse_path(s: &str) -> Result<Vec<Step>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    // A field name runs to the next `.` or `[`; `\.` is a dot inside the name
    // (`{.metadata.labels.kubernetes\.io/hostname}`).
    let ident_end = |from: usize| -> usize {
        let mut j = from;
        while j < chars.len() && !matches!(chars[j], '.' | '[') {
            j += if chars[j] == '\\' && chars.get(j + 1) == Some(&'.') {
                2
            } else {
                1
            };
        }
        j
    };
    let ident = |from: usize, to: usize| -> String {
        chars[from..to]
            .iter()
            .collect::<String>()
            .replace("\\.", ".")
    };
    while i < chars.len() {
        match chars[i] {
            '$' => {
                steps.push(Step::Root);
                i += 1;
            }
            '@' => i += 1,
            '.' => {
                if chars.get(i + 1) == Some(&'.') {
                    let j = ident_end(i + 2);
                    let name = ident(i + 2, j);
                    steps.push(Step::Recursive(name));
                    i = j;
                } else {
                    let j = ident_end(i + 1);
                    let name = ident(i + 1, j);
                    match name.as_str() {
                        "" => {}
                        "*" => steps.push(Step::Wildcard),
                        _ => steps.push(Step::Field(name)),
                    }
                    i = j;
                }
            }
            '[' => {
                let mut depth = 0;
                let mut quote: Option<char> = None;
                let mut j = i;
                while j < chars.len() {
                    let c = chars[j];
                    if let Some(q) = quote {
                        if c == q {
                            quote = None;
                        }
                    } else if c == '"' || c == '\'' {
                        quote = Some(c);
                    } else if c == '[' {
                        depth += 1;
                    } else if c == ']' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(format!("unterminated array in {s}"));
                }
                let inner: String = chars[i + 1..j].iter().collect();
                steps.push(parse_bracket(inner.trim())?);
                i = j + 1;
            }
            _ => {
                // A bare leading name (`items[0]`): custom-columns' relaxed form.
                let j = ident_end(i);
                let name: String = chars[i..j].iter().collect();
                steps.push(Step::Field(name));
                i = j;
            }
        }
    }
    Ok(steps)
}

fn parse_bracket(inner: &str) -> Result<Step, String> {
    if inner == "*" {
        return Ok(Step::Wildcard);
    }
    if let Some(f) = inner.strip_prefix('?') {
        let f = f
            .trim()
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .ok_or_else(|| format!("invalid filter {inner}"))?;
        return Ok(Step::Filter(Box::new(parse_filter(f.trim())?)));
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        return Ok(Step::Field(unquote(inner)?));
    }
    if inner.contains(':') {
        let parts: Vec<&str> = inner.split(':').collect();
        let n = |k: usize| -> Result<Option<i64>, String> {
            match parts.get(k).map(|x| x.trim()) {
                None | Some("") => Ok(None),
                Some(x) => x
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| format!("invalid array index {x}")),
            }
        };
        return Ok(Step::Slice(n(0)?, n(1)?, n(2)?));
    }
    inner
        .parse::<i64>()
        .map(Step::Index)
        .map_err(|_| format!("invalid array index {inner}"))
}

fn parse_operand(s: &str) -> Result<Operand, String> {
    let s = s.trim();
    if s.starts_with('"') || s.starts_with('\'') {
        return Ok(Operand::Str(unquote(s)?));
    }
    if let Ok(n) = s.parse::<f64>() {
        return Ok(Operand::Num(n));
    }
    Ok(Operand::Path(parse_path(s)?))
}

fn parse_filter(f: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        let whole = f;
        if let Some(pos) = find_outside_quotes(whole, op) {
            return Ok(Filter {
                left: parse_operand(&whole[..pos])?,
                op: Some(op.to_string()),
                right: Some(parse_operand(&whole[pos + op.len()..])?),
            });
        }
    }
    Ok(Filter {
        left: parse_operand(f)?,
        op: None,
        right: None,
    })
}

fn find_outside_quotes(s: &str, pat: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if c == '"' || c == '\'' {
            quote = Some(c);
            continue;
        }
        if s[i..].starts_with(pat) {
            return Some(i);
        }
    }
    None
}

/// `-o jsonpath=TEMPLATE` over a value (`kubectl get` passes the List for several objects,
/// the object itself for one). No trailing newline is added, as kubectl adds none.
pub fn jsonpath_output(template: &str, data: &Value) -> Result<String, String> {
    let jp =
        JsonPath::parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
    Ok(jp.execute(data))
}

/// `RelaxedJSONPathExpression` (kubectl's `get/customcolumn.go`): `a.b`, `.a.b`, `{a.b}` and
/// `{.a.b}` all become `{.a.b}`.
pub fn relaxed_expression(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let inner = match expr.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
        Some(i) => i,
        None => expr,
    };
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    if inner.is_empty() || inner.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string());
    }
    Ok(format!("{{.{inner}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Value {
        let pod = |name: &str, ip: &str| {
            Value::object(vec![
                (
                    "metadata",
                    Value::object(vec![
                        ("name", Value::Str(name.into())),
                        (
                            "labels",
                            Value::object(vec![("app", Value::Str("nginx".into()))]),
                        ),
                    ]),
                ),
                (
                    "status",
                    Value::object(vec![
                        ("podIP", Value::Str(ip.into())),
                        (
                            "conditions",
                            Value::Array(vec![
                                Value::object(vec![
                                    ("type", Value::Str("Initialized".into())),
                                    ("status", Value::Str("True".into())),
                                ]),
                                Value::object(vec![
                                    ("type", Value::Str("Ready".into())),
                                    ("status", Value::Str("False".into())),
                                ]),
                            ]),
                        ),
                    ]),
                ),
            ])
        };
        super::super::value::list_value(vec![pod("a", "10.244.1.2"), pod("b", "10.244.2.2")])
    }

    #[test]
    fn an_escaped_dot_belongs_to_the_field_name() {
        let node = Value::object(vec![(
            "labels",
            Value::object(vec![("kubernetes.io/os", Value::Str("linux".into()))]),
        )]);
        assert_eq!(
            jsonpath_output("{.labels.kubernetes\\.io/os}", &node).as_deref(),
            Ok("linux")
        );
        assert_eq!(
            jsonpath_output("{.labels.kubernetes.io/os}", &node).as_deref(),
            Ok("")
        );
    }

    #[test]
    fn templates_from_the_article_and_the_docs() {
        let d = data();
        for (t, want) in [
            ("{.items[*].metadata.name}", "a b"),
            ("{.items[0].status.podIP}", "10.244.1.2"),
            ("{.items[-1].metadata.name}", "b"),
            ("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", "a\nb\n"),
            (
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}",
                "a\t10.244.1.2\nb\t10.244.2.2\n",
            ),
            ("{.items[0].metadata.labels.app}", "nginx"),
            ("{.items[0].metadata.labels}", "{\"app\":\"nginx\"}"),
            (
                "{.items[0].status.conditions[?(@.type==\"Ready\")].status}",
                "False",
            ),
            ("{.kind}", "List"),
            ("{.items[*].missing}", ""),
            ("names: {.items[0:1].metadata.name}", "names: a"),
            ("{..podIP}", "10.244.1.2 10.244.2.2"),
            ("{.items[*]['metadata']['name']}", "a b"),
        ] {
            assert_eq!(jsonpath_output(t, &d).as_deref(), Ok(want), "{t}");
        }
        assert!(jsonpath_output("{.items[", &d).is_err());
        assert!(jsonpath_output("{range .items[*]}", &d).is_err());
    }

    #[test]
    fn relaxed_paths() {
        assert_eq!(
            relaxed_expression(".metadata.name").as_deref(),
            Ok("{.metadata.name}")
        );
        assert_eq!(
            relaxed_expression("metadata.name").as_deref(),
            Ok("{.metadata.name}")
        );
        assert_eq!(
            relaxed_expression("{.status.podIP}").as_deref(),
            Ok("{.status.podIP}")
        );
        assert_eq!(
            go_fmt_value(&Value::object(vec![("app", Value::Str("x".into()))])),
            "map[app:x]"
        );
    }
}
