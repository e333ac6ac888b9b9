//! The API server's strict decoding of one object, against the real schema.
//!
//! kubectl v1.33 sends `fieldValidation=Strict` and the object as JSON. The API server decodes it
//! with sigs.k8s.io/json `UnmarshalStrict` (apimachinery runtime/serializer/json/json.go
//! `Serializer.unmarshal`), a fork of Go's encoding/json that walks the JSON in order (kubectl's
//! JSON has sorted keys) and:
//! - saves the *first* type mismatch (`json: cannot unmarshal string into Go struct field
//!   ServicePort.spec.ports.port of type int32`: the innermost struct's Go name, then the JSON
//!   names of the struct fields on the way, without indexes; `number <literal>` when a number
//!   does not fit) and skips the mismatched value;
//! - returns at once the error of a type with its own `UnmarshalJSON` (int-or-string, quantity,
//!   time), with the same context added when it is a type mismatch;
//! - collects `unknown field "spec.template.spec.containers[0].foo"` errors (paths with
//!   indexes, at most 100, deduplicated), which only count when nothing else failed
//!   (`strict decoding error: a, b`).
//!
//! Duplicate fields cannot reach the server from kubectl: its YAML-to-JSON conversion already
//! kept only the last value (see `json.rs`).
//! The handler wraps the failure as `<Kind> in version "<v>" cannot be handled as a <Kind>: …`
//! (apiserver pkg/endpoints/handlers/rest.go `transformDecodeError`), a BadRequest.

use super::json::{JNode, JValue};
use super::schema::{def_go_name, implied_display, Field, Schema, Shape};
use crate::yaml::Location;

/// The outcome of a failed strict decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StrictFailure {
    /// The decoder's error text (what follows `cannot be handled as a <Kind>: `).
    pub message: String,
    /// The offending positions with their paths, the first being the primary one.
    pub places: Vec<(String, Location)>,
}

/// Decodes `root` as the definition `def`; `None` when the server would accept it.
pub(crate) fn check(schema: &Schema, def: &'static str, root: &JNode) -> Option<StrictFailure> {
    let mut w = Walker {
        schema,
        strict: Vec::new(),
        saved: None,
        fatal: None,
        strict_path: String::new(),
        struct_name: None,
        field_stack: Vec::new(),
    };
    w.value(root, &Shape::Def(def), &format!("v1.{}", def_go_name(def)));
    if let Some(f) = w.fatal {
        return Some(f);
    }
    if let Some(f) = w.saved {
        return Some(f);
    }
    if w.strict.is_empty() {
        return None;
    }
    let message = format!(
        "strict decoding error: {}",
        w.strict
            .iter()
            .map(|(p, _)| format!("unknown field {}", crate::yaml::go_quote(p)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(StrictFailure {
        message,
        places: w.strict,
    })
}

struct Walker<'s> {
    schema: &'s Schema,
    strict: Vec<(String, Location)>,
    saved: Option<StrictFailure>,
    fatal: Option<StrictFailure>,
    /// sigs.k8s.io/json `strictFieldStack`, joined.
    strict_path: String,
    /// encoding/json `errorContext`: the innermost struct and the struct fields on the way.
    struct_name: Option<&'static str>,
    field_stack: Vec<&'static str>,
}

/// The JSON kind encoding/json names in type errors.
fn kind_word(v: &JValue) -> &'static str {
    match v {
        JValue::Null => "null",
        JValue::Bool(_) => "bool",
        JValue::Number(_) => "number",
        JValue::String(_) => "string",
        JValue::Array(_) => "array",
        JValue::Object(_) => "object",
    }
}

impl Walker<'_> {
    fn type_error_text(&self, value: &str, ty: &str) -> String {
        if self.struct_name.is_some() || !self.field_stack.is_empty() {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {ty}",
                self.struct_name.unwrap_or(""),
                self.field_stack.join(".")
            )
        } else {
            format!("json: cannot unmarshal {value} into Go value of type {ty}")
        }
    }

    /// encoding/json `saveError`: only the first one is kept.
    fn save(&mut self, value: &str, ty: &str, loc: Location) {
        if self.saved.is_none() {
            self.saved = Some(StrictFailure {
                message: self.type_error_text(value, ty),
                places: vec![(self.strict_path.clone(), loc)],
            });
        }
    }

    fn set_fatal(&mut self, message: String, loc: Location) {
        self.fatal = Some(StrictFailure {
            message,
            places: vec![(self.strict_path.clone(), loc)],
        });
    }

    /// Decodes `node` into a value of `shape` whose Go type prints as `display`.
    fn value(&mut self, node: &JNode, shape: &Shape, display: &str) {
        if self.fatal.is_some() {
            return;
        }
        let v = &node.value;
        // null is accepted everywhere (pointers, maps and slices become nil, the rest is left).
        if matches!(v, JValue::Null) {
            return;
        }
        match shape {
            Shape::Any => {}
            Shape::Str => {
                if !matches!(v, JValue::String(_)) {
                    self.save(kind_word(v), display, node.loc);
                }
            }
            // encoding/json's []byte: a string is base64 (its error is saved bare, as
            // `illegal base64 data at input byte N`); an array holds the bytes as numbers.
            Shape::Bytes => match v {
                JValue::String(s) => {
                    if let Err(at) = crate::base64::decode(s) {
                        if self.saved.is_none() {
                            self.saved = Some(StrictFailure {
                                message: crate::base64::error_text(at),
                                places: vec![(self.strict_path.clone(), node.loc)],
                            });
                        }
                    }
                }
                JValue::Array(items) => {
                    for item in items {
                        match &item.value {
                            JValue::Number(n) if n.parse::<u8>().is_ok() => {}
                            JValue::Number(n) => {
                                self.save(&format!("number {n}"), "uint8", item.loc)
                            }
                            other => self.save(kind_word(other), "uint8", item.loc),
                        }
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
            Shape::Bool => {
                if !matches!(v, JValue::Bool(_)) {
                    self.save(kind_word(v), display, node.loc);
                }
            }
            Shape::Int32 | Shape::Int64 => match v {
                JValue::Number(n) => {
                    if !fits_int(n, matches!(shape, Shape::Int32)) {
                        self.save(&format!("number {n}"), display, node.loc);
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
            Shape::Float => match v {
                JValue::Number(n) => {
                    if n.parse::<f64>().map_or(true, |f| !f.is_finite()) {
                        self.save(&format!("number {n}"), display, node.loc);
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
            Shape::IntOrString => match v {
                // intstr.IntOrString.UnmarshalJSON: strings as they are, anything else into an
                // int32 with encoding/json, whose type error gets this field's context.
                JValue::String(_) => {}
                JValue::Number(n) => {
                    if !fits_int(n, true) {
                        let m = self.type_error_text(&format!("number {n}"), "int32");
                        self.set_fatal(m, node.loc);
                    }
                }
                other => {
                    let m = self.type_error_text(kind_word(other), "int32");
                    self.set_fatal(m, node.loc);
                }
            },
            Shape::Quantity => {
                let raw = match v {
                    JValue::String(s) => s.trim().to_owned(),
                    JValue::Number(n) => n.clone(),
                    JValue::Bool(b) => b.to_string(),
                    JValue::Array(_) => "[".to_owned(),
                    JValue::Object(_) => "{".to_owned(),
                    JValue::Null => return,
                };
                if let Err(e) = super::quantity::parse_quantity(&raw) {
                    self.set_fatal(e.to_owned(), node.loc);
                }
            }
            Shape::Time => match v {
                JValue::String(s) => {
                    if let Err(e) = super::quantity::parse_rfc3339(s) {
                        self.set_fatal(e, node.loc);
                    }
                }
                other => {
                    let m = self.type_error_text(kind_word(other), "string");
                    self.set_fatal(m, node.loc);
                }
            },
            Shape::Array(elem) => match v {
                JValue::Array(items) => {
                    let elem_display = elem_display(display, elem);
                    let base = self.strict_path.len();
                    for (i, item) in items.iter().enumerate() {
                        self.strict_path.push_str(&format!("[{i}]"));
                        self.value(item, elem, &elem_display);
                        self.strict_path.truncate(base);
                        if self.fatal.is_some() {
                            return;
                        }
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
            Shape::Map(elem) => match v {
                JValue::Object(m) => {
                    let elem_display = elem_display(display, elem);
                    let base = self.strict_path.len();
                    for (k, e) in m {
                        self.push_strict_key(k);
                        self.value(&e.value, elem, &elem_display);
                        self.strict_path.truncate(base);
                        if self.fatal.is_some() {
                            return;
                        }
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
            Shape::Def(name) => match v {
                JValue::Object(m) => {
                    let Some(def) = self.schema.def(name) else {
                        return;
                    };
                    let go_name = def_go_name(name);
                    let base = self.strict_path.len();
                    for (k, e) in m {
                        match def.field(k) {
                            Some(f) => self.field(go_name, f, &e.value),
                            None => {
                                if self.strict.len() < 100 {
                                    let p = if self.strict_path.is_empty() {
                                        k.clone()
                                    } else {
                                        format!("{}.{k}", self.strict_path)
                                    };
                                    if !self.strict.iter().any(|(q, _)| *q == p) {
                                        self.strict.push((p, e.key_loc));
                                    }
                                }
                            }
                        }
                        self.strict_path.truncate(base);
                        if self.fatal.is_some() {
                            return;
                        }
                    }
                }
                other => self.save(kind_word(other), display, node.loc),
            },
        }
    }

    fn push_strict_key(&mut self, k: &str) {
        if !self.strict_path.is_empty() {
            self.strict_path.push('.');
        }
        self.strict_path.push_str(k);
    }

    /// A known struct field: the error context gains the struct and the field's name.
    fn field(&mut self, go_name: &'static str, f: &Field, value: &JNode) {
        let saved_struct = self.struct_name;
        let depth = self.field_stack.len();
        self.struct_name = Some(go_name);
        self.field_stack.push(f.name);
        self.push_strict_key(f.name);
        self.value(value, &f.shape, &f.display());
        self.field_stack.truncate(depth);
        self.struct_name = saved_struct;
    }
}

/// The Go type of an array's or a map's elements, from the container's printed type.
fn elem_display(display: &str, elem: &Shape) -> String {
    if let Some(rest) = display.strip_prefix("[]") {
        return rest.to_owned();
    }
    if let Some(rest) = display.strip_prefix("map[") {
        if let Some((_, v)) = rest.split_once(']') {
            return v.to_owned();
        }
    }
    implied_display(elem)
}

/// strconv.ParseInt(literal, 10, 64) and the target's overflow check.
fn fits_int(literal: &str, int32: bool) -> bool {
    match literal.parse::<i64>() {
        Ok(n) => !int32 || i32::try_from(n).is_ok(),
        Err(_) => false,
    }
}
