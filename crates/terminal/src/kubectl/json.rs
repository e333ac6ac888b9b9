//! `-o json`: Go's `json.MarshalIndent(obj, "", "    ")` plus a newline
//! (`staging/src/k8s.io/cli-runtime/pkg/printers/json.go`). Go escapes `<`, `>` and `&` as
//! `\u003c`, `\u003e`, `\u0026` (HTML-safe encoding), and U+2028/U+2029.

use super::value::Value;

/// Go's `encoding/json` string encoding (the simulator's, shared with its revision data).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    svclab_sim::manifest::go_json_string(s, &mut out);
    out
}

/// A Go float as `encoding/json` writes it (shortest representation, `e` notation only for
/// very large or small magnitudes).
fn float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == f.trunc() && f.abs() < 1e21 {
        return format!("{}", f as i64);
    }
    format!("{f}")
}

fn write(v: &Value, indent: &str, depth: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float(*f)),
        Value::Str(s) => out.push_str(&quote(s)),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                write(x, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                out.push_str(&quote(k));
                out.push(':');
                if !indent.is_empty() {
                    out.push(' ');
                }
                write(x, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push('}');
        }
    }
}

fn newline(indent: &str, depth: usize, out: &mut String) {
    if indent.is_empty() {
        return;
    }
    out.push('\n');
    for _ in 0..depth {
        out.push_str(indent);
    }
}

/// `-o json` of a value: four-space indent and a trailing newline.
pub fn to_json_pretty(v: &Value) -> String {
    let mut out = String::new();
    write(v, "    ", 0, &mut out);
    out.push('\n');
    out
}

/// Compact JSON (`json.Marshal`), as jsonpath prints maps and lists.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write(v, "", 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marshal_indent_shape() {
        let v = Value::object(vec![
            ("kind", Value::Str("List".into())),
            ("items", Value::Array(vec![])),
            (
                "metadata",
                Value::object(vec![("resourceVersion", Value::Str(String::new()))]),
            ),
            ("n", Value::Int(3)),
        ]);
        assert_eq!(
            to_json_pretty(&v),
            "{\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    },\n    \"n\": 3\n}\n"
        );
        assert_eq!(quote("<none> & co"), "\"\\u003cnone\\u003e \\u0026 co\"");
        assert_eq!(
            to_json_compact(&Value::object(vec![("app", Value::Str("web".into()))])),
            "{\"app\":\"web\"}"
        );
    }
}
