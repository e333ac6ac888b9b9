//! Decoding a node tree into typed fields, with go-yaml v3's rules and error texts.
//!
//! kind reads its config with `yaml.NewDecoder(...).KnownFields(true)` (load.go), so the errors a
//! user sees are go-yaml's (sigs.k8s.io/yaml goyaml.v3/decode.go, `decoder`):
//! - `line N: field foo not found in type v1alpha4.Node` (mappingStruct, knownFields)
//! - ``line N: cannot unmarshal !!str `abc` into int32`` (terror; values over 10 bytes are cut)
//! - `line N: mapping key "name" already defined at line M` (mapping, uniqueKeys)
//!
//! all collected, then printed as `yaml: unmarshal errors:\n  <e1>\n  <e2>` (yaml.go `TypeError`).
//! Structural failures (`anchor 'a' value contains itself`, bad merges, bad explicit tags) stop
//! decoding at once, as go-yaml's `failf` panics do.

use super::config::{FieldSpan, SourceMap};
use super::error::{go_quote, Location};
use crate::yaml::resolve::{
    resolve, short_tag, Resolved, MAP_TAG, MERGE_TAG, NULL_TAG, SEQ_TAG, STR_TAG,
};
use crate::yaml::tree::{Kind, Tree, YNode};
use std::collections::{BTreeMap, BTreeSet};

/// A decoding failure that stops everything (go-yaml `failf`); the message starts with `yaml: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fatal {
    pub message: String,
    pub location: Option<Location>,
}

/// One collected type error: the `line N: …` text and where it points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TypeErr {
    pub text: String,
    pub location: Location,
}

pub(crate) type DResult<T> = Result<T, Fatal>;

/// Decodes fields out of a [`Tree`], collecting go-yaml's type errors and the field positions.
pub(crate) struct Decoder<'t> {
    tree: &'t Tree,
    pub errors: Vec<TypeErr>,
    known_fields: bool,
    pub spans: SourceMap,
    active_aliases: Vec<usize>,
    decode_count: u64,
    alias_count: u64,
    merged_fields: Option<BTreeSet<String>>,
    /// For each merge under way: whether it created `merged_fields` (and so must clear it).
    merge_owner_depth: Vec<bool>,
}

/// A struct field decoder: gets the field name, the value node and the field's path.
pub(crate) type FieldFn<'a, 't> =
    dyn FnMut(&mut Decoder<'t>, &str, usize, &str) -> DResult<()> + 'a;

impl<'t> Decoder<'t> {
    /// A decoder over `tree`; `known_fields` rejects unknown keys as kind's strict decode does.
    pub fn new(tree: &'t Tree, known_fields: bool) -> Decoder<'t> {
        Decoder {
            tree,
            errors: Vec::new(),
            known_fields,
            spans: SourceMap::default(),
            active_aliases: Vec::new(),
            decode_count: 0,
            alias_count: 0,
            merged_fields: None,
            merge_owner_depth: Vec::new(),
        }
    }

    /// go-yaml's `TypeError` text, if any type errors were collected.
    pub fn type_error_message(&self) -> Option<String> {
        if self.errors.is_empty() {
            return None;
        }
        let lines: Vec<&str> = self.errors.iter().map(|e| e.text.as_str()).collect();
        Some(format!("yaml: unmarshal errors:\n  {}", lines.join("\n  ")))
    }

    /// The document's content node (goyaml.v3 `decoder.document` needs exactly one child).
    pub fn document_content(&self) -> Option<usize> {
        let root = self.tree.get(self.tree.root?)?;
        match root.content.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    fn node(&self, id: usize) -> DResult<&'t YNode> {
        self.tree.get(id).ok_or_else(|| Fatal {
            message: "yaml: internal error: missing node".to_owned(),
            location: None,
        })
    }

    /// goyaml.v3 `unmarshal`'s alias-ratio guard against billion-laughs documents.
    fn tick(&mut self) -> DResult<()> {
        self.decode_count = self.decode_count.saturating_add(1);
        if !self.active_aliases.is_empty() {
            self.alias_count = self.alias_count.saturating_add(1);
        }
        if self.alias_count > 100 && self.decode_count > 1000 {
            let ratio = self.alias_count as f64 / self.decode_count as f64;
            let allowed = match self.decode_count {
                c if c <= 400_000 => 0.99,
                c if c >= 4_000_000 => 0.10,
                c => 0.99 - 0.89 * ((c - 400_000) as f64 / 3_600_000.0),
            };
            if ratio > allowed {
                return Err(Fatal {
                    message: "yaml: document contains excessive aliasing".to_owned(),
                    location: None,
                });
            }
        }
        Ok(())
    }

    /// Follows aliases (goyaml.v3 `decoder.alias`); returns the node and a mark for [`Self::leave`].
    fn enter(&mut self, mut id: usize) -> DResult<(&'t YNode, usize)> {
        let mark = self.active_aliases.len();
        loop {
            self.tick()?;
            let n = self.node(id)?;
            if n.kind != Kind::Alias {
                return Ok((n, mark));
            }
            if self.active_aliases.contains(&id) {
                self.active_aliases.truncate(mark);
                return Err(Fatal {
                    message: format!("yaml: anchor '{}' value contains itself", n.value),
                    location: Some(n.loc),
                });
            }
            self.active_aliases.push(id);
            id = match n.alias {
                Some(t) => t,
                None => {
                    self.active_aliases.truncate(mark);
                    return Err(Fatal {
                        message: format!("yaml: unknown anchor '{}' referenced", n.value),
                        location: Some(n.loc),
                    });
                }
            };
        }
    }

    fn leave(&mut self, mark: usize) {
        self.active_aliases.truncate(mark);
    }

    /// goyaml.v3 `Node.ShortTag`.
    pub fn short_tag_of(&self, id: usize) -> String {
        let mut id = id;
        // Bounded: an alias chain cannot be longer than the arena.
        for _ in 0..=self.tree.nodes.len() {
            let Some(n) = self.tree.get(id) else {
                return String::new();
            };
            match n.kind {
                Kind::Alias => match n.alias {
                    Some(t) => id = t,
                    None => return String::new(),
                },
                Kind::Scalar if indicated_string(n) => return STR_TAG.to_owned(),
                _ => return short_tag(&n.tag),
            }
        }
        String::new()
    }

    /// goyaml.v3 `terror`.
    fn terror(&mut self, n: &YNode, tag: &str, ty: &str) {
        let tag = if n.tag.is_empty() {
            tag
        } else {
            n.tag.as_str()
        };
        let value = if tag != SEQ_TAG && tag != MAP_TAG {
            if n.value.len() > 10 {
                let cut = n.value.as_bytes().get(..7).unwrap_or_default();
                format!(" `{}...`", String::from_utf8_lossy(cut))
            } else {
                format!(" `{}`", n.value)
            }
        } else {
            String::new()
        };
        self.errors.push(TypeErr {
            text: format!(
                "line {}: cannot unmarshal {}{} into {}",
                n.loc.line,
                short_tag(tag),
                value,
                ty
            ),
            location: n.loc,
        });
    }

    /// goyaml.v3 `mapping`'s duplicate-key check; `true` when duplicates were reported.
    fn duplicate_keys(&mut self, n: &YNode) -> DResult<bool> {
        let keys: Vec<&YNode> = n
            .content
            .iter()
            .step_by(2)
            .map(|&k| self.node(k))
            .collect::<DResult<_>>()?;
        let before = self.errors.len();
        for (i, ki) in keys.iter().enumerate() {
            for kj in keys.iter().skip(i + 1) {
                if ki.kind == kj.kind && ki.value == kj.value {
                    self.errors.push(TypeErr {
                        text: format!(
                            "line {}: mapping key {} already defined at line {}",
                            kj.loc.line,
                            go_quote(&kj.value),
                            ki.loc.line
                        ),
                        location: kj.loc,
                    });
                }
            }
        }
        Ok(self.errors.len() > before)
    }

    fn resolve_scalar(&self, n: &YNode) -> DResult<(String, Resolved)> {
        if indicated_string(n) {
            return Ok((STR_TAG.to_owned(), Resolved::Str(n.value.clone())));
        }
        resolve(&n.tag, &n.value).map_err(|m| Fatal {
            message: format!("yaml: {m}"),
            location: Some(n.loc),
        })
    }

    /// Decodes into a Go string-kind field of type `ty` (string, v1alpha4.NodeRole, …).
    pub fn string(&mut self, id: usize, out: &mut String, ty: &str) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.string_inner(n, out, ty);
        self.leave(mark);
        r
    }

    fn string_inner(&mut self, n: &YNode, out: &mut String, ty: &str) -> DResult<bool> {
        match n.kind {
            Kind::Scalar => {
                let (_, resolved) = self.resolve_scalar(n)?;
                match resolved {
                    Resolved::Null => Ok(false),
                    Resolved::Str(s) if short_tag(&n.tag) == crate::yaml::resolve::BINARY_TAG => {
                        *out = s;
                        Ok(true)
                    }
                    _ => {
                        out.clone_from(&n.value);
                        Ok(true)
                    }
                }
            }
            Kind::Mapping => {
                if !self.duplicate_keys(n)? {
                    self.terror(n, MAP_TAG, ty);
                }
                Ok(false)
            }
            _ => {
                self.terror(n, SEQ_TAG, ty);
                Ok(false)
            }
        }
    }

    /// Decodes into an `int32` field.
    pub fn int32(&mut self, id: usize, out: &mut i32) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.int32_inner(n, out);
        self.leave(mark);
        r
    }

    fn int32_inner(&mut self, n: &YNode, out: &mut i32) -> DResult<bool> {
        const TY: &str = "int32";
        match n.kind {
            Kind::Scalar => {
                let (tag, resolved) = self.resolve_scalar(n)?;
                let value = match resolved {
                    Resolved::Null => return Ok(false),
                    Resolved::Int(i) => i32::try_from(i).ok(),
                    // Go converts with int64(f): fractions are truncated; NaN and overflow fail.
                    Resolved::Float(f) if !f.is_nan() => {
                        let t = f.trunc();
                        (t >= f64::from(i32::MIN) && t <= f64::from(i32::MAX)).then_some(t as i32)
                    }
                    _ => None,
                };
                match value {
                    Some(v) => {
                        *out = v;
                        Ok(true)
                    }
                    None => {
                        self.terror(n, &tag, TY);
                        Ok(false)
                    }
                }
            }
            Kind::Mapping => {
                if !self.duplicate_keys(n)? {
                    self.terror(n, MAP_TAG, TY);
                }
                Ok(false)
            }
            _ => {
                self.terror(n, SEQ_TAG, TY);
                Ok(false)
            }
        }
    }

    /// Decodes into a `bool` field (YAML 1.1 yes/no/on/off accepted, as go-yaml does for bools).
    pub fn boolean(&mut self, id: usize, out: &mut bool) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.boolean_inner(n, out);
        self.leave(mark);
        r
    }

    fn boolean_inner(&mut self, n: &YNode, out: &mut bool) -> DResult<bool> {
        const TY: &str = "bool";
        match n.kind {
            Kind::Scalar => {
                let (tag, resolved) = self.resolve_scalar(n)?;
                let value = match resolved {
                    Resolved::Null => return Ok(false),
                    Resolved::Bool(b) => Some(b),
                    Resolved::Str(s) => match s.as_str() {
                        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
                        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
                        _ => None,
                    },
                    _ => None,
                };
                match value {
                    Some(v) => {
                        *out = v;
                        Ok(true)
                    }
                    None => {
                        self.terror(n, &tag, TY);
                        Ok(false)
                    }
                }
            }
            Kind::Mapping => {
                if !self.duplicate_keys(n)? {
                    self.terror(n, MAP_TAG, TY);
                }
                Ok(false)
            }
            _ => {
                self.terror(n, SEQ_TAG, TY);
                Ok(false)
            }
        }
    }

    /// Decodes a `map[string]T` (goyaml.v3 `mapping` into a map), `ty` being its Go type name.
    pub fn map<T: Default>(
        &mut self,
        id: usize,
        out: &mut BTreeMap<String, T>,
        ty: &str,
        elem: fn(&mut Decoder<'t>, usize, &mut T) -> DResult<bool>,
    ) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.map_inner(n, out, ty, elem);
        self.leave(mark);
        r
    }

    fn map_inner<T: Default>(
        &mut self,
        n: &'t YNode,
        out: &mut BTreeMap<String, T>,
        ty: &str,
        elem: fn(&mut Decoder<'t>, usize, &mut T) -> DResult<bool>,
    ) -> DResult<bool> {
        match n.kind {
            Kind::Scalar => {
                let (tag, resolved) = self.resolve_scalar(n)?;
                if resolved == Resolved::Null {
                    out.clear();
                    return Ok(true);
                }
                self.terror(n, &tag, ty);
                return Ok(false);
            }
            Kind::Sequence => {
                self.terror(n, SEQ_TAG, ty);
                return Ok(false);
            }
            _ => {}
        }
        if self.duplicate_keys(n)? {
            return Ok(false);
        }
        let mut merged = self.merged_fields.take();
        let mut merge_node = None;
        for pair in n.content.chunks(2) {
            let (&k, &v) = match pair {
                [k, v] => (k, v),
                _ => continue,
            };
            if self.is_merge(k) {
                merge_node = Some(v);
                continue;
            }
            let mut key = String::new();
            if !self.string(k, &mut key, "string")? {
                continue;
            }
            if let Some(m) = merged.as_mut() {
                if !m.insert(key.clone()) {
                    continue;
                }
            }
            let mut e = T::default();
            if elem(self, v, &mut e)?
                || (self.short_tag_of(v) == NULL_TAG && !out.contains_key(&key))
            {
                out.insert(key, e);
            }
        }
        self.merged_fields = merged;
        if let Some(m) = merge_node {
            for src in self.merge_sources(n, m)? {
                self.map(src, out, ty, elem)?;
            }
            self.end_merge();
        }
        Ok(true)
    }

    /// Decodes a slice; items that fail to decode are dropped, as go-yaml does.
    pub fn seq<T: Default>(
        &mut self,
        id: usize,
        out: &mut Vec<T>,
        ty: &str,
        path: &str,
        elem: &mut dyn FnMut(&mut Decoder<'t>, usize, &mut T, &str) -> DResult<bool>,
    ) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.seq_inner(n, out, ty, path, elem);
        self.leave(mark);
        r
    }

    fn seq_inner<T: Default>(
        &mut self,
        n: &'t YNode,
        out: &mut Vec<T>,
        ty: &str,
        path: &str,
        elem: &mut dyn FnMut(&mut Decoder<'t>, usize, &mut T, &str) -> DResult<bool>,
    ) -> DResult<bool> {
        match n.kind {
            Kind::Scalar => {
                let (tag, resolved) = self.resolve_scalar(n)?;
                if resolved == Resolved::Null {
                    out.clear();
                    return Ok(true);
                }
                self.terror(n, &tag, ty);
                Ok(false)
            }
            Kind::Mapping => {
                if !self.duplicate_keys(n)? {
                    self.terror(n, MAP_TAG, ty);
                }
                Ok(false)
            }
            _ => {
                out.clear();
                for &item in &n.content {
                    let item_path = format!("{path}[{}]", out.len());
                    let mut e = T::default();
                    if elem(self, item, &mut e, &item_path)? {
                        let loc = self.node(item)?.loc;
                        self.spans.insert(
                            item_path,
                            FieldSpan {
                                key: loc,
                                value: loc,
                            },
                        );
                        out.push(e);
                    }
                }
                Ok(true)
            }
        }
    }

    /// Decodes a struct of Go type `ty` whose yaml keys are `fields` (goyaml.v3 `mappingStruct`).
    pub fn structure(
        &mut self,
        id: usize,
        ty: &str,
        path: &str,
        fields: &[&str],
        field: &mut FieldFn<'_, 't>,
    ) -> DResult<bool> {
        let (n, mark) = self.enter(id)?;
        let r = self.structure_inner(n, ty, path, fields, field);
        self.leave(mark);
        r
    }

    fn structure_inner(
        &mut self,
        n: &'t YNode,
        ty: &str,
        path: &str,
        fields: &[&str],
        field: &mut FieldFn<'_, 't>,
    ) -> DResult<bool> {
        match n.kind {
            Kind::Scalar => {
                let (tag, resolved) = self.resolve_scalar(n)?;
                if resolved != Resolved::Null {
                    self.terror(n, &tag, ty);
                }
                return Ok(false);
            }
            Kind::Sequence => {
                self.terror(n, SEQ_TAG, ty);
                return Ok(false);
            }
            _ => {}
        }
        if self.duplicate_keys(n)? {
            return Ok(false);
        }
        let mut merged = self.merged_fields.take();
        let mut merge_node = None;
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for pair in n.content.chunks(2) {
            let (&k, &v) = match pair {
                [k, v] => (k, v),
                _ => continue,
            };
            if self.is_merge(k) {
                merge_node = Some(v);
                continue;
            }
            let mut name = String::new();
            if !self.string(k, &mut name, "string")? {
                continue;
            }
            if let Some(m) = merged.as_mut() {
                if !m.insert(name.clone()) {
                    continue;
                }
            }
            let key_node = self.node(k)?;
            if let Some(&known) = fields.iter().find(|f| **f == name) {
                if !done.insert(known) {
                    self.errors.push(TypeErr {
                        text: format!(
                            "line {}: field {} already set in type {}",
                            key_node.loc.line, name, ty
                        ),
                        location: key_node.loc,
                    });
                    continue;
                }
                let field_path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                let value_loc = self.node(v)?.loc;
                self.spans.insert(
                    field_path.clone(),
                    FieldSpan {
                        key: key_node.loc,
                        value: value_loc,
                    },
                );
                field(self, known, v, &field_path)?;
            } else if self.known_fields {
                self.errors.push(TypeErr {
                    text: format!(
                        "line {}: field {} not found in type {}",
                        key_node.loc.line, name, ty
                    ),
                    location: key_node.loc,
                });
            }
        }
        self.merged_fields = merged;
        if let Some(m) = merge_node {
            for src in self.merge_sources(n, m)? {
                self.structure(src, ty, path, fields, field)?;
            }
            self.end_merge();
        }
        Ok(true)
    }

    /// goyaml.v3 `isMerge`.
    fn is_merge(&self, id: usize) -> bool {
        self.tree
            .get(id)
            .is_some_and(|n| n.kind == Kind::Scalar && n.value == "<<" && n.tag == MERGE_TAG)
    }

    /// goyaml.v3 `merge`, first half: checks the merge value and returns the mappings to decode
    /// into the same target; keys the parent already set are recorded so they win.
    fn merge_sources(&mut self, parent: &YNode, merge: usize) -> DResult<Vec<usize>> {
        let want_map = || Fatal {
            message: "yaml: map merge requires map or sequence of maps as the value".to_owned(),
            location: None,
        };
        if self.merged_fields.is_none() {
            let mut keys = BTreeSet::new();
            for &k in parent.content.iter().step_by(2) {
                let (kn, mark) = self.enter(k)?;
                if kn.kind == Kind::Scalar {
                    keys.insert(kn.value.clone());
                }
                self.leave(mark);
            }
            self.merged_fields = Some(keys);
            self.merge_owner_depth.push(true);
        } else {
            self.merge_owner_depth.push(false);
        }
        let target_kind = |d: &Self, id: usize| -> DResult<Kind> {
            let n = d.node(id)?;
            Ok(match (n.kind, n.alias) {
                (Kind::Alias, Some(t)) => d.node(t)?.kind,
                (k, _) => k,
            })
        };
        let m = self.node(merge)?;
        let sources = match m.kind {
            Kind::Mapping => vec![merge],
            Kind::Alias => {
                if target_kind(self, merge)? != Kind::Mapping {
                    return Err(want_map());
                }
                vec![merge]
            }
            Kind::Sequence => {
                for &item in &m.content {
                    if target_kind(self, item)? != Kind::Mapping {
                        return Err(want_map());
                    }
                }
                m.content.clone()
            }
            _ => return Err(want_map()),
        };
        Ok(sources)
    }

    fn end_merge(&mut self) {
        if self.merge_owner_depth.pop() == Some(true) {
            self.merged_fields = None;
        }
    }
}

/// goyaml.v3 `Node.indicatedString`.
fn indicated_string(n: &YNode) -> bool {
    n.kind == Kind::Scalar && (n.tag == STR_TAG || (n.tag.is_empty() && n.styled))
}
