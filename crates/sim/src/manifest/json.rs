//! One document's YAML tree converted to JSON the way kubectl does it, keeping positions.
//!
//! kubectl reads each document with sigs.k8s.io/yaml `Unmarshal` into a `RawExtension`
//! (apimachinery pkg/util/yaml/decoder.go `YAMLToJSONDecoder.Decode`), that is:
//! goyaml.v2 `Unmarshal` into `interface{}` (YAML 1.1 scalars, maps keyed by any scalar,
//! duplicate keys silently overwritten, `<<` merges in document order), then
//! `convertToJSONableObject` (keys printed as strings) and `encoding/json.Marshal` (keys sorted,
//! floats printed Go's way, NaN and infinities refused). Failures are wrapped as
//! `error converting YAML to JSON: …` (sigs.k8s.io/yaml yaml.go `unmarshal`).

use std::collections::BTreeMap;

use crate::yaml::resolve::{resolve_v2, Resolved, MERGE_TAG, STR_TAG};
use crate::yaml::tree::{Kind, Tree, YNode};
use crate::yaml::Location;

/// The lab's nesting limit: deeper documents are refused before any recursion (go-yaml's own
/// limit is 10000 levels, which the tree builder enforces with go-yaml's message).
pub(crate) const MAX_NESTING: usize = 256;

/// The lab's cap on values produced by alias expansion (go-yaml's ratio check comes first).
const MAX_DECODED: u64 = 1_000_000;

/// A JSON value with the position of the YAML node it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JNode {
    pub value: JValue,
    pub loc: Location,
}

/// A JSON value. Numbers keep the literal text Go's `json.Marshal` writes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<JNode>),
    /// Keys in Go's sorted order (byte-wise, as `encoding/json` sorts map keys).
    Object(BTreeMap<String, JEntry>),
}

/// An object member: where its key was written, and its value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JEntry {
    pub key_loc: Location,
    pub value: JNode,
}

/// A key written twice: the path, the winning (last) key and the lost (first) one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub path: String,
    pub first: Location,
    pub last: Location,
}

/// A conversion failure: the text after `error converting YAML to JSON: `, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConvertError {
    pub message: String,
    pub location: Option<Location>,
    /// The lab's own limit, not a kubectl error.
    pub lab_limit: bool,
}

/// The converted document: `None` for an empty document (kubectl skips it).
pub(crate) struct Converted {
    pub root: Option<JNode>,
    pub duplicates: Vec<Duplicate>,
}

/// Converts the first document of `tree` as kubectl would.
pub(crate) fn convert(tree: &Tree) -> Result<Converted, ConvertError> {
    let Some(doc) = tree.root.and_then(|r| tree.get(r)) else {
        return Ok(Converted {
            root: None,
            duplicates: Vec::new(),
        });
    };
    let content = match doc.content.as_slice() {
        [only] => *only,
        _ => {
            return Ok(Converted {
                root: None,
                duplicates: Vec::new(),
            })
        }
    };
    if nesting(tree, content) > MAX_NESTING {
        return Err(ConvertError {
            message: format!("the lab reads documents nested at most {MAX_NESTING} levels deep"),
            location: tree.get(content).map(|n| n.loc),
            lab_limit: true,
        });
    }
    let mut c = Converter {
        tree,
        active: Vec::new(),
        alias_depth: 0,
        decode_count: 0,
        alias_count: 0,
        duplicates: Vec::new(),
    };
    let root = c.value(content, "", 0)?;
    Ok(Converted {
        root: Some(root),
        duplicates: c.duplicates,
    })
}

/// The nesting depth below `id`, counting through aliases once (iterative).
fn nesting(tree: &Tree, id: usize) -> usize {
    let mut max = 0usize;
    let mut stack = vec![(id, 1usize)];
    let mut visited = vec![false; tree.nodes.len()];
    while let Some((id, depth)) = stack.pop() {
        max = max.max(depth);
        if max > MAX_NESTING {
            return max;
        }
        let Some(n) = tree.get(id) else { continue };
        if let Some(seen) = visited.get_mut(id) {
            if *seen {
                continue;
            }
            *seen = true;
        }
        if let Some(t) = n.alias {
            stack.push((t, depth));
        }
        for &c in &n.content {
            stack.push((c, depth + 1));
        }
    }
    max
}

struct Converter<'t> {
    tree: &'t Tree,
    active: Vec<usize>,
    alias_depth: usize,
    decode_count: u64,
    alias_count: u64,
    duplicates: Vec<Duplicate>,
}

fn fail(message: String, loc: Location) -> ConvertError {
    ConvertError {
        message,
        location: Some(loc),
        lab_limit: false,
    }
}

impl<'t> Converter<'t> {
    fn node(&self, id: usize) -> Result<&'t YNode, ConvertError> {
        self.tree.get(id).ok_or(ConvertError {
            message: "yaml: internal error: missing node".to_owned(),
            location: None,
            lab_limit: true,
        })
    }

    /// goyaml.v2 decode.go `unmarshal`: counts decodes and refuses excessive aliasing.
    fn tick(&mut self, loc: Location) -> Result<(), ConvertError> {
        self.decode_count = self.decode_count.saturating_add(1);
        if self.alias_depth > 0 {
            self.alias_count = self.alias_count.saturating_add(1);
        }
        let excessive = if self.alias_count > 100 && self.decode_count > 1000 {
            let ratio = self.alias_count as f64 / self.decode_count as f64;
            let allowed = match self.decode_count {
                c if c <= 400_000 => 0.99,
                c if c >= 4_000_000 => 0.10,
                c => 0.99 - 0.89 * ((c - 400_000) as f64 / 3_600_000.0),
            };
            ratio > allowed
        } else {
            false
        };
        if excessive || self.decode_count > MAX_DECODED {
            return Err(fail(
                "yaml: document contains excessive aliasing".to_owned(),
                loc,
            ));
        }
        Ok(())
    }

    fn value(&mut self, id: usize, path: &str, depth: usize) -> Result<JNode, ConvertError> {
        let n = self.node(id)?;
        self.tick(n.loc)?;
        if depth > MAX_NESTING * 2 {
            return Err(ConvertError {
                message: format!(
                    "the lab reads documents nested at most {MAX_NESTING} levels deep"
                ),
                location: Some(n.loc),
                lab_limit: true,
            });
        }
        match n.kind {
            Kind::Alias => {
                if self.active.contains(&id) {
                    return Err(fail(
                        format!("yaml: anchor '{}' value contains itself", n.value),
                        n.loc,
                    ));
                }
                let Some(target) = n.alias else {
                    return Err(fail(
                        format!("yaml: unknown anchor '{}' referenced", n.value),
                        n.loc,
                    ));
                };
                self.active.push(id);
                self.alias_depth += 1;
                let r = self.value(target, path, depth + 1);
                self.alias_depth = self.alias_depth.saturating_sub(1);
                self.active.pop();
                r
            }
            Kind::Scalar => Ok(JNode {
                value: scalar(n)?,
                loc: n.loc,
            }),
            Kind::Sequence => {
                let mut items = Vec::with_capacity(n.content.len());
                for (i, &c) in n.content.iter().enumerate() {
                    items.push(self.value(c, &format!("{path}[{i}]"), depth + 1)?);
                }
                Ok(JNode {
                    value: JValue::Array(items),
                    loc: n.loc,
                })
            }
            Kind::Mapping => {
                let mut map = BTreeMap::new();
                self.mapping(n, path, depth, &mut map)?;
                Ok(JNode {
                    value: JValue::Object(map),
                    loc: n.loc,
                })
            }
            Kind::Document => Ok(JNode {
                value: JValue::Null,
                loc: n.loc,
            }),
        }
    }

    /// goyaml.v2 `decoder.mapping` into `map[interface{}]interface{}`: in order, `<<` merged
    /// where it stands, later keys overwrite earlier ones.
    fn mapping(
        &mut self,
        n: &'t YNode,
        path: &str,
        depth: usize,
        map: &mut BTreeMap<String, JEntry>,
    ) -> Result<(), ConvertError> {
        for pair in n.content.chunks(2) {
            let (&k, &v) = match pair {
                [k, v] => (k, v),
                _ => continue,
            };
            let kn = self.node(k)?;
            if kn.kind == Kind::Scalar && kn.value == "<<" && kn.tag == MERGE_TAG {
                self.merge(v, path, depth, map)?;
                continue;
            }
            let key = self.key(k, depth)?;
            let child_path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let value = self.value(v, &child_path, depth + 1)?;
            if let Some(old) = map.get(&key) {
                self.duplicates.push(Duplicate {
                    path: child_path,
                    first: old.key_loc,
                    last: kn.loc,
                });
            }
            map.insert(
                key,
                JEntry {
                    key_loc: kn.loc,
                    value,
                },
            );
        }
        Ok(())
    }

    /// goyaml.v2 `decoder.merge`.
    fn merge(
        &mut self,
        v: usize,
        path: &str,
        depth: usize,
        map: &mut BTreeMap<String, JEntry>,
    ) -> Result<(), ConvertError> {
        let vn = self.node(v)?;
        let want_map = || {
            fail(
                "yaml: map merge requires map or sequence of maps as the value".to_owned(),
                vn.loc,
            )
        };
        let target_kind = |c: &Self, id: usize| -> Result<Kind, ConvertError> {
            let n = c.node(id)?;
            Ok(match (n.kind, n.alias) {
                (Kind::Alias, Some(t)) => c.node(t)?.kind,
                (k, _) => k,
            })
        };
        let sources: Vec<usize> = match vn.kind {
            Kind::Mapping => vec![v],
            Kind::Alias => {
                if target_kind(self, v)? != Kind::Mapping {
                    return Err(want_map());
                }
                vec![v]
            }
            Kind::Sequence => {
                // Step backwards as earlier nodes take precedence.
                let mut s = Vec::new();
                for &item in vn.content.iter().rev() {
                    if target_kind(self, item)? != Kind::Mapping {
                        return Err(want_map());
                    }
                    s.push(item);
                }
                s
            }
            _ => return Err(want_map()),
        };
        for src in sources {
            let merged = self.value(src, path, depth + 1)?;
            if let JValue::Object(m) = merged.value {
                for (k, e) in m {
                    map.insert(k, e);
                }
            }
        }
        Ok(())
    }

    /// A map key as `convertToJSONableObject` prints it.
    fn key(&mut self, k: usize, depth: usize) -> Result<String, ConvertError> {
        let kn = self.node(k)?;
        let kn = match (kn.kind, kn.alias) {
            (Kind::Alias, Some(t)) => {
                self.tick(kn.loc)?;
                self.node(t)?
            }
            _ => kn,
        };
        match kn.kind {
            Kind::Scalar => {}
            _ => {
                let v = self.value(k, "", depth + 1)?;
                return Err(fail(
                    format!("yaml: invalid map key: {}", go_sharp_v(&v.value)),
                    kn.loc,
                ));
            }
        }
        let resolved = resolve_scalar(kn)?;
        Ok(match resolved {
            Resolved::Str(s) => s,
            Resolved::Int(i) if i > i128::from(i64::MAX) => {
                return Err(fail(
                    format!(
                        "unsupported map key of type: uint64, key: 0x{i:x}, value: {}",
                        "<value>"
                    ),
                    kn.loc,
                ))
            }
            Resolved::Int(i) => i.to_string(),
            Resolved::Bool(b) => b.to_string(),
            Resolved::Float(f) => go_format_float32_g(f),
            Resolved::Null => {
                return Err(fail(
                    "unsupported map key of type: %!s(<nil>), key: <nil>, value: <value>"
                        .to_owned(),
                    kn.loc,
                ))
            }
            Resolved::Timestamp => kn.value.clone(),
        })
    }
}

/// goyaml.v2 `decoder.scalar` into `interface{}`: untagged quoted or block scalars are strings,
/// everything else goes through `resolve`.
fn resolve_scalar(n: &YNode) -> Result<Resolved, ConvertError> {
    if n.styled && !n.explicit_tag {
        return Ok(Resolved::Str(n.value.clone()));
    }
    let tag = if n.explicit_tag { n.tag.as_str() } else { "" };
    if tag == STR_TAG {
        return Ok(Resolved::Str(n.value.clone()));
    }
    resolve_v2(tag, &n.value)
        .map(|(_, r)| r)
        .map_err(|m| fail(format!("yaml: {m}"), n.loc))
}

fn scalar(n: &YNode) -> Result<JValue, ConvertError> {
    Ok(match resolve_scalar(n)? {
        Resolved::Null => JValue::Null,
        Resolved::Bool(b) => JValue::Bool(b),
        Resolved::Int(i) => JValue::Number(i.to_string()),
        Resolved::Float(f) => match go_json_float(f) {
            Some(s) => JValue::Number(s),
            None => {
                return Err(fail(
                    format!("json: unsupported value: {}", go_float_g(f)),
                    n.loc,
                ))
            }
        },
        Resolved::Str(s) => JValue::String(s),
        Resolved::Timestamp => JValue::String(n.value.clone()),
    })
}

/// `strconv.FormatFloat(f, 'g', -1, 64)` for the values json.Marshal refuses.
fn go_float_g(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

/// encoding/json's float encoder (encode.go `floatEncoder`): `'f'` format unless the magnitude
/// is below 1e-6 or at least 1e21, then `'e'` with a two-digit exponent trimmed to one for
/// small negatives (`1e-07` → `1e-7`). `None` for NaN and infinities.
pub(crate) fn go_json_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust's `{:e}` gives the shortest digits, e.g. `1e21`, `1.5e-7`.
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e')?;
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("+", exp),
        };
        let digits = if sign == "+" && digits.len() < 2 {
            format!("0{digits}")
        } else {
            digits.to_owned()
        };
        return Some(format!("{mant}e{sign}{digits}"));
    }
    if f == 0.0 {
        return Some(if f.is_sign_negative() { "-0" } else { "0" }.to_owned());
    }
    Some(format!("{f}"))
}

/// `strconv.FormatFloat(f, 'g', -1, 32)` with sigs.k8s.io/yaml's `.inf`/`.nan` names, as
/// float map keys are printed.
fn go_format_float32_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let f32v = f as f32;
    if f32v == 0.0 {
        return "0".to_owned();
    }
    let s = format!("{f32v:e}");
    let Some((mant, exp)) = s.split_once('e') else {
        return s;
    };
    let e: i32 = exp.parse().unwrap_or(0);
    // FormatFloat 'g' with the shortest precision switches to %e below 1e-4 or from 1e6.
    if !(-4..6).contains(&e) {
        let (sign, digits) = if e < 0 { ("-", -e) } else { ("+", e) };
        return format!("{mant}e{sign}{digits:02}");
    }
    format!("{f32v}")
}

/// A rough Go `%#v` of a decoded value (only for the rare `invalid map key` message).
fn go_sharp_v(v: &JValue) -> String {
    match v {
        JValue::Null => "interface {}(nil)".to_owned(),
        JValue::Bool(b) => b.to_string(),
        JValue::Number(n) => n.clone(),
        JValue::String(s) => crate::yaml::go_quote(s),
        JValue::Array(items) => format!(
            "[]interface {{}}{{{}}}",
            items
                .iter()
                .map(|i| go_sharp_v(&i.value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        JValue::Object(m) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            m.iter()
                .map(|(k, e)| format!(
                    "{}:{}",
                    crate::yaml::go_quote(k),
                    go_sharp_v(&e.value.value)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// encoding/json's compact encoding of a value (keys sorted, HTML-safe escaping), as kubectl
/// prints the raw object in `Object 'Kind' is missing in '…'`.
pub(crate) fn to_go_json(v: &JValue, out: &mut String) {
    // Iterative, so hostile nesting cannot exhaust the stack.
    enum Step<'a> {
        Value(&'a JValue),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack = vec![Step::Value(v)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Text(t) => out.push_str(t),
            Step::Key(k) => {
                go_json_string(k, out);
                out.push(':');
            }
            Step::Value(v) => match v {
                JValue::Null => out.push_str("null"),
                JValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                JValue::Number(n) => out.push_str(n),
                JValue::String(s) => go_json_string(s, out),
                JValue::Array(items) => {
                    out.push('[');
                    stack.push(Step::Text("]"));
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push(Step::Value(&item.value));
                        if i > 0 {
                            stack.push(Step::Text(","));
                        }
                    }
                }
                JValue::Object(m) => {
                    out.push('{');
                    stack.push(Step::Text("}"));
                    for (i, (k, e)) in m.iter().enumerate().rev() {
                        stack.push(Step::Value(&e.value.value));
                        stack.push(Step::Key(k));
                        if i > 0 {
                            stack.push(Step::Text(","));
                        }
                    }
                }
            },
        }
    }
}

/// encoding/json `appendString` with HTML escaping (Go 1.22+: `\b` and `\f` short forms).
pub fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::tree::{parse_first_document_as, Dialect};

    fn json_of(src: &str) -> String {
        let tree = parse_first_document_as(src, Dialect::V2).unwrap_or_default();
        let mut out = String::new();
        if let Ok(Converted { root: Some(r), .. }) = convert(&tree) {
            to_go_json(&r.value, &mut out);
        }
        out
    }

    #[test]
    fn converts_like_sigs_k8s_io_yaml() {
        assert_eq!(
            json_of("b: yes\na: 1e3\nc: '80'\nd: 0x10\ne: ~\nf: 1.5e-7\ng: <&>\n"),
            r#"{"a":1000,"b":true,"c":"80","d":16,"e":null,"f":1.5e-7,"g":"\u003c\u0026\u003e"}"#
        );
        assert_eq!(
            json_of("1: a\ntrue: b\n1.5: c\n"),
            r#"{"1":"a","1.5":"c","true":"b"}"#
        );
        // YAML 1.1: the key `y` is the boolean true.
        assert_eq!(json_of("y: 1\n"), r#"{"true":1}"#);
        // v2 merges in order: a later explicit key wins, a merge overwrites earlier keys.
        assert_eq!(
            json_of("base: &b {p: 1, q: 2}\nm:\n  p: 0\n  <<: *b\n  q: 3\n"),
            r#"{"base":{"p":1,"q":2},"m":{"p":1,"q":3}}"#
        );
        assert_eq!(json_of("a: 2024-01-02\n"), r#"{"a":"2024-01-02"}"#);
        assert_eq!(json_of("a: 1e21\n"), r#"{"a":1e+21}"#);
    }

    #[test]
    fn go_floats() {
        assert_eq!(go_json_float(80.0).as_deref(), Some("80"));
        assert_eq!(go_json_float(0.5).as_deref(), Some("0.5"));
        assert_eq!(go_json_float(1e-7).as_deref(), Some("1e-7"));
        assert_eq!(go_json_float(1.25e22).as_deref(), Some("1.25e+22"));
        assert_eq!(go_json_float(f64::NAN), None);
        assert_eq!(go_format_float32_g(1e6), "1e+06");
        assert_eq!(go_format_float32_g(0.1), "0.1");
    }
}
