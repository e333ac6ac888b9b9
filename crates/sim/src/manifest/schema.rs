//! The real API's field schema for the kinds the lab decodes, read from `schema.txt`.
//!
//! `schema.txt` is generated once by `crates/sim/examples/gen_manifest_schema.rs` from the
//! Kubernetes release-1.33 OpenAPI spec and the Go field types of k8s.io/api v0.33.1 (its header
//! names the exact sources). Format, one item a line:
//! - `# …` comments;
//! - `%<apiVersion> <Kind> <Kind>…`: kinds a kind v1.33 cluster serves (GA versions);
//! - `!<apiVersion> <Kind> <Def>`: a kind the lab decodes and its root definition;
//! - `=<Def>`: starts a definition; `Name@group` when two API groups share a Go type name;
//! - `<field> <shape>[ <go type>]`: a field of the current definition. The shape is an optional
//!   `*` (Go pointer), then `[` (array of) / `{` (map of string to) prefixes, then `s` string, `y` bytes (base64),
//!   `i` int32, `l` int64, `b` bool, `f` float64, `q` quantity, `n` int-or-string, `t` time,
//!   `a` anything, or a definition name. The Go type (as reflect prints it in the API server's
//!   JSON type errors) follows only when it differs from what the shape implies.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const SCHEMA_TEXT: &str = include_str!("schema.txt");

/// A field's JSON shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Str,
    /// `[]byte`: base64 text in JSON.
    Bytes,
    Int32,
    Int64,
    Bool,
    Float,
    Quantity,
    IntOrString,
    Time,
    Any,
    Def(&'static str),
    Array(Box<Shape>),
    Map(Box<Shape>),
}

/// One field of a definition.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub shape: Shape,
    /// A Go pointer: absent means nil, not the zero value.
    pub pointer: bool,
    /// reflect's name for the Go type when the shape alone does not give it.
    pub go_type: Option<&'static str>,
}

impl Field {
    /// The Go type as the API server's JSON decoder prints it.
    pub fn display(&self) -> String {
        match self.go_type {
            Some(t) => t.to_owned(),
            None => implied_display(&self.shape),
        }
    }
}

/// A definition: its fields sorted by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Def {
    pub fields: Vec<Field>,
}

impl Def {
    /// The field called `name` (exact, case-sensitive, as the API server matches).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .binary_search_by(|f| f.name.cmp(name))
            .ok()
            .and_then(|i| self.fields.get(i))
    }
}

/// The whole schema.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub defs: BTreeMap<&'static str, Def>,
    /// (apiVersion, kind, root definition) for the kinds the lab decodes.
    pub roots: Vec<(&'static str, &'static str, &'static str)>,
    /// (apiVersion, kind) the real cluster serves.
    pub served: Vec<(&'static str, &'static str)>,
}

impl Schema {
    /// The definition called `name`.
    pub fn def(&self, name: &str) -> Option<&Def> {
        self.defs.get(name)
    }

    /// The root definition of a kind the lab decodes.
    pub fn root(&self, api_version: &str, kind: &str) -> Option<&'static str> {
        self.roots
            .iter()
            .find(|(av, k, _)| *av == api_version && *k == kind)
            .map(|r| r.2)
    }

    /// Whether a kind v1.33 cluster serves this kind.
    pub fn served(&self, api_version: &str, kind: &str) -> bool {
        self.served
            .iter()
            .any(|(av, k)| *av == api_version && *k == kind)
    }
}

/// The schema, parsed on first use.
pub(crate) fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| parse(SCHEMA_TEXT))
}

/// The Go type name of a definition key (`EndpointPort@discovery` → `EndpointPort`).
pub(crate) fn def_go_name(key: &str) -> &str {
    key.split('@').next().unwrap_or(key)
}

/// The Go type a shape implies.
pub(crate) fn implied_display(shape: &Shape) -> String {
    match shape {
        Shape::Str => "string".to_owned(),
        Shape::Bytes => "[]uint8".to_owned(),
        Shape::Int32 => "int32".to_owned(),
        Shape::Int64 => "int64".to_owned(),
        Shape::Bool => "bool".to_owned(),
        Shape::Float => "float64".to_owned(),
        Shape::Quantity => "resource.Quantity".to_owned(),
        Shape::IntOrString => "intstr.IntOrString".to_owned(),
        Shape::Time => "v1.Time".to_owned(),
        Shape::Any => "interface {}".to_owned(),
        Shape::Def(d) => format!("v1.{}", def_go_name(d)),
        Shape::Array(e) => format!("[]{}", implied_display(e)),
        Shape::Map(e) => format!("map[string]{}", implied_display(e)),
    }
}

fn parse_shape(s: &'static str) -> Shape {
    if let Some(rest) = s.strip_prefix('[') {
        return Shape::Array(Box::new(parse_shape(rest)));
    }
    if let Some(rest) = s.strip_prefix('{') {
        return Shape::Map(Box::new(parse_shape(rest)));
    }
    match s {
        "s" => Shape::Str,
        "y" => Shape::Bytes,
        "i" => Shape::Int32,
        "l" => Shape::Int64,
        "b" => Shape::Bool,
        "f" => Shape::Float,
        "q" => Shape::Quantity,
        "n" => Shape::IntOrString,
        "t" => Shape::Time,
        "a" | "" => Shape::Any,
        def => Shape::Def(def),
    }
}

fn parse(text: &'static str) -> Schema {
    let mut schema = Schema::default();
    let mut current: Option<(&'static str, Def)> = None;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('%') {
            let mut parts = rest.split(' ');
            let av = parts.next().unwrap_or("");
            schema.served.extend(parts.map(|k| (av, k)));
        } else if let Some(rest) = line.strip_prefix('!') {
            let parts: Vec<&'static str> = rest.split(' ').collect();
            if let [av, kind, def] = parts.as_slice() {
                schema.roots.push((av, kind, def));
            }
        } else if let Some(name) = line.strip_prefix('=') {
            if let Some((n, d)) = current.take() {
                schema.defs.insert(n, d);
            }
            current = Some((name, Def::default()));
        } else if let Some((_, def)) = current.as_mut() {
            let mut parts = line.splitn(3, ' ');
            let name = parts.next().unwrap_or("");
            let shape = parts.next().unwrap_or("");
            let go_type = parts.next();
            let (pointer, shape) = match shape.strip_prefix('*') {
                Some(s) => (true, s),
                None => (false, shape),
            };
            def.fields.push(Field {
                name,
                shape: parse_shape(shape),
                pointer,
                go_type,
            });
        }
    }
    if let Some((n, d)) = current.take() {
        schema.defs.insert(n, d);
    }
    for d in schema.defs.values_mut() {
        d.fields.sort_by(|a, b| a.name.cmp(b.name));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_covers_the_lab_kinds() {
        let s = schema();
        for (av, kind) in [
            ("v1", "Namespace"),
            ("v1", "Pod"),
            ("apps/v1", "ReplicaSet"),
            ("apps/v1", "Deployment"),
            ("apps/v1", "DaemonSet"),
            ("v1", "ConfigMap"),
            ("v1", "Service"),
            ("v1", "Endpoints"),
            ("discovery.k8s.io/v1", "EndpointSlice"),
        ] {
            let root = s.root(av, kind);
            assert!(root.and_then(|r| s.def(r)).is_some(), "{av} {kind}");
        }
        let port = s.def("ServicePort").and_then(|d| d.field("protocol"));
        assert_eq!(port.map(Field::display).as_deref(), Some("v1.Protocol"));
        let c = s.def("Container").and_then(|d| d.field("livenessProbe"));
        assert_eq!(c.map(|f| f.shape.clone()), Some(Shape::Def("Probe")));
        assert!(s.served("v1", "ConfigMap"));
        assert!(!s.served("apps/v1beta2", "Deployment"));
        // Every referenced definition exists.
        for d in s.defs.values() {
            for f in &d.fields {
                let mut shape = &f.shape;
                while let Shape::Array(e) | Shape::Map(e) = shape {
                    shape = e;
                }
                if let Shape::Def(r) = shape {
                    assert!(s.def(r).is_some(), "{r}");
                }
            }
        }
    }
}
