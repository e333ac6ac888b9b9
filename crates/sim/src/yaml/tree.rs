//! YAML text to a node tree, the way go-yaml's `parser` builds one.
//!
//! kind v0.29.0 decodes its config with `sigs.k8s.io/yaml/goyaml.v3`, and kubectl converts
//! manifests with `sigs.k8s.io/yaml/goyaml.v2`; both are ports of libyaml
//! (`pkg/internal/apis/config/encoding/load.go`). The events here come from `unsafe-libyaml`,
//! the libyaml translation serde_yaml_ng already links, so syntax errors carry libyaml's own
//! problem texts, and the tree carries the 1-based line/column that go-yaml puts on its nodes
//! (goyaml.v3/decode.go: `parser.node`, `parser.fail`).

use super::location::Location;
use super::resolve::{resolve_plain_tag, short_tag, MAP_TAG, MERGE_TAG, SEQ_TAG, STR_TAG};
use std::collections::BTreeMap;
use std::ffi::CStr;
use std::mem::MaybeUninit;
use unsafe_libyaml as unsafe_yaml;

/// go-yaml's nesting limit.
const MAX_DEPTH: usize = 10_000;

/// What a node is (goyaml.v3 `Kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Sequence,
    Mapping,
    Scalar,
    Alias,
}

/// One node of the tree; children are indexes into [`Tree::nodes`].
#[derive(Clone, Debug)]
pub(crate) struct YNode {
    pub kind: Kind,
    /// The short tag go-yaml records (`!!str`, `!!int`, `!!map`, a custom `!foo`, or empty for aliases).
    pub tag: String,
    pub value: String,
    /// Quoted, literal or folded scalar: go-yaml's `indicatedString` needs it.
    pub styled: bool,
    /// Whether the text carried an explicit tag (`!!int "5"`); go-yaml v2 resolves plain
    /// untagged scalars with its own YAML 1.1 table, so it must tell the two apart.
    pub explicit_tag: bool,
    pub loc: Location,
    pub content: Vec<usize>,
    /// For aliases: the anchored node.
    pub alias: Option<usize>,
}

/// Which go-yaml major version's error wording to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// goyaml.v2 (kubectl's `sigs.k8s.io/yaml`): the problem mark's line wins.
    V2,
    /// goyaml.v3 (kind's config loader): the context mark's line wins.
    V3,
}

/// The first document of a YAML stream. Nodes live in one arena, so dropping a deeply nested
/// document never recurses.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<YNode>,
    /// The document node, or `None` for an empty stream.
    pub root: Option<usize>,
}

impl Tree {
    /// The node at `id`, if any.
    pub fn get(&self, id: usize) -> Option<&YNode> {
        self.nodes.get(id)
    }
}

/// A syntax error, already in go-yaml's words (`yaml: line N: <problem>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub location: Option<Location>,
}

/// Frees the libyaml parser however we leave.
struct ParserGuard(Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>);

impl Drop for ParserGuard {
    fn drop(&mut self) {
        // SAFETY: the guard is only built after yaml_parser_initialize succeeded.
        unsafe { unsafe_yaml::yaml_parser_delete(self.0.as_mut_ptr()) }
    }
}

/// What we copy out of one libyaml event before freeing it.
enum Ev {
    StreamStart,
    StreamEnd,
    DocStart,
    DocEnd,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: String,
        value: String,
        plain: bool,
    },
    SeqStart {
        anchor: Option<String>,
        tag: String,
    },
    SeqEnd,
    MapStart {
        anchor: Option<String>,
        tag: String,
    },
    MapEnd,
    Other,
}

/// Copies a NUL-terminated libyaml string.
///
/// # Safety
/// `p` must be null or point to a NUL-terminated string that lives through the call.
unsafe fn c_string(p: *const u8) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    let s = unsafe { CStr::from_ptr(p.cast()) };
    Some(String::from_utf8_lossy(s.to_bytes()).into_owned())
}

/// Parses the first document of `src` into a tree, failing as go-yaml v3's `parser.fail` does.
pub(crate) fn parse_first_document(src: &str) -> Result<Tree, SyntaxError> {
    parse_first_document_as(src, Dialect::V3)
}

/// Parses the first document of `src`, with the error wording of go-yaml `dialect`.
pub(crate) fn parse_first_document_as(src: &str, dialect: Dialect) -> Result<Tree, SyntaxError> {
    // go-yaml lets libyaml detect the encoding, which consumes a leading byte-order mark
    // without moving the column (readerc.go `yaml_parser_determine_encoding`); we set UTF-8
    // ourselves, so drop the mark here.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    // goyaml.v3 newParser: an empty buffer is replaced by a single newline.
    let input: &[u8] = if src.is_empty() {
        b"\n"
    } else {
        src.as_bytes()
    };
    let mut raw: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
    // SAFETY: yaml_parser_initialize fully initialises the struct it is given.
    let ok = unsafe { unsafe_yaml::yaml_parser_initialize(raw.as_mut_ptr()) };
    if ok.fail {
        return Err(SyntaxError {
            message: "yaml: failed to initialize YAML parser".to_owned(),
            location: None,
        });
    }
    let mut guard = ParserGuard(raw);
    let parser = guard.0.as_mut_ptr();
    // SAFETY: `input` outlives `guard`, which is dropped at the end of this function.
    unsafe {
        unsafe_yaml::yaml_parser_set_encoding(parser, unsafe_yaml::YAML_UTF8_ENCODING);
        unsafe_yaml::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as u64);
    }
    let next = || next_event(parser, dialect);

    let mut tree = Tree::default();
    if !matches!(next()?.0, Ev::StreamStart) {
        return Err(fail_plain("expected STREAM-START"));
    }
    let (first, first_loc) = next()?;
    match first {
        Ev::StreamEnd => return Ok(tree),
        Ev::DocStart => {}
        _ => return Err(fail_plain("expected DOCUMENT-START")),
    }
    let doc = push(
        &mut tree,
        YNode::new(Kind::Document, "", "", false, first_loc),
    );
    tree.root = Some(doc);
    let mut anchors: BTreeMap<String, usize> = BTreeMap::new();
    let mut stack: Vec<usize> = vec![doc];
    loop {
        let (ev, loc) = next()?;
        let is_seq = matches!(ev, Ev::SeqStart { .. });
        let parent = match stack.last() {
            Some(&p) => p,
            None => break,
        };
        match ev {
            Ev::DocEnd => {
                if stack.len() == 1 {
                    break;
                }
                return Err(fail_plain("expected DOCUMENT-END"));
            }
            Ev::Scalar {
                anchor,
                tag,
                value,
                plain,
            } => {
                // goyaml.v3 parser.scalar: quoted/block scalars default to !!str, a plain `<<` to !!merge.
                let default_tag = if !plain {
                    STR_TAG
                } else if value == "<<" {
                    MERGE_TAG
                } else {
                    ""
                };
                let explicit = !tag.is_empty() && tag != "!";
                let tag = node_tag(Kind::Scalar, default_tag, &tag, &value);
                let mut n = YNode::new(Kind::Scalar, &tag, &value, !plain, loc);
                n.explicit_tag = explicit;
                let id = push(&mut tree, n);
                attach(&mut tree, parent, id);
                if let Some(a) = anchor {
                    anchors.insert(a, id);
                }
            }
            Ev::Alias(name) => {
                let target = match anchors.get(&name) {
                    Some(&t) => t,
                    None => {
                        return Err(SyntaxError {
                            message: format!("yaml: unknown anchor '{name}' referenced"),
                            location: Some(loc),
                        })
                    }
                };
                let mut n = YNode::new(Kind::Alias, "", &name, false, loc);
                n.alias = Some(target);
                let id = push(&mut tree, n);
                attach(&mut tree, parent, id);
            }
            Ev::SeqStart { anchor, tag } | Ev::MapStart { anchor, tag } => {
                let (kind, default_tag) = if is_seq {
                    (Kind::Sequence, SEQ_TAG)
                } else {
                    (Kind::Mapping, MAP_TAG)
                };
                let tag = node_tag(kind, default_tag, &tag, "");
                let id = push(&mut tree, YNode::new(kind, &tag, "", false, loc));
                attach(&mut tree, parent, id);
                // go-yaml's scanner stops at 10000 nested flow or block levels
                // (scannerc.go `max_flow_level`, `max_indents`); this also bounds our stack.
                if stack.len() > MAX_DEPTH {
                    return Err(SyntaxError {
                        message: format!(
                            "yaml: line {}: exceeded max depth of {MAX_DEPTH}",
                            loc.line
                        ),
                        location: Some(loc),
                    });
                }
                // go-yaml registers the anchor before reading the children, so a collection
                // can refer to itself; the decoder reports that as go-yaml does.
                if let Some(a) = anchor {
                    anchors.insert(a, id);
                }
                stack.push(id);
            }
            Ev::SeqEnd | Ev::MapEnd => {
                stack.pop();
            }
            Ev::StreamStart | Ev::StreamEnd | Ev::DocStart | Ev::Other => {
                return Err(fail_plain("unexpected event"));
            }
        }
    }
    Ok(tree)
}

fn push(tree: &mut Tree, n: YNode) -> usize {
    tree.nodes.push(n);
    tree.nodes.len() - 1
}

fn attach(tree: &mut Tree, parent: usize, child: usize) {
    if let Some(p) = tree.nodes.get_mut(parent) {
        p.content.push(child);
    }
}

/// goyaml.v3 `parser.node`: an explicit tag wins, then the default, then (scalars) the resolved tag.
fn node_tag(kind: Kind, default_tag: &str, tag: &str, value: &str) -> String {
    if !tag.is_empty() && tag != "!" {
        short_tag(tag)
    } else if !default_tag.is_empty() {
        default_tag.to_owned()
    } else if kind == Kind::Scalar {
        resolve_plain_tag(value).to_owned()
    } else {
        String::new()
    }
}

impl YNode {
    fn new(kind: Kind, tag: &str, value: &str, styled: bool, loc: Location) -> YNode {
        YNode {
            kind,
            tag: tag.to_owned(),
            value: value.to_owned(),
            styled,
            explicit_tag: false,
            loc,
            content: Vec::new(),
            alias: None,
        }
    }
}

fn fail_plain(problem: &str) -> SyntaxError {
    SyntaxError {
        message: format!("yaml: {problem}"),
        location: None,
    }
}

/// Reads one event and copies out what the tree needs.
fn next_event(
    parser: *mut unsafe_yaml::yaml_parser_t,
    dialect: Dialect,
) -> Result<(Ev, Location), SyntaxError> {
    let mut event = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
    // SAFETY: `parser` is initialised and alive (see parse_first_document); on success libyaml
    // fills `event`, which we read and then free exactly once.
    unsafe {
        if unsafe_yaml::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
            return Err(parser_error(parser, dialect));
        }
        let e = event.as_mut_ptr();
        let loc = mark_location((*e).start_mark);
        let out = match (*e).type_ {
            unsafe_yaml::YAML_STREAM_START_EVENT => Ev::StreamStart,
            unsafe_yaml::YAML_STREAM_END_EVENT => Ev::StreamEnd,
            unsafe_yaml::YAML_DOCUMENT_START_EVENT => Ev::DocStart,
            unsafe_yaml::YAML_DOCUMENT_END_EVENT => Ev::DocEnd,
            unsafe_yaml::YAML_ALIAS_EVENT => {
                Ev::Alias(c_string((*e).data.alias.anchor).unwrap_or_default())
            }
            unsafe_yaml::YAML_SCALAR_EVENT => {
                let s = (*e).data.scalar;
                let bytes: &[u8] = if s.value.is_null() {
                    &[]
                } else {
                    std::slice::from_raw_parts(s.value, s.length as usize)
                };
                Ev::Scalar {
                    anchor: c_string(s.anchor),
                    tag: c_string(s.tag).unwrap_or_default(),
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    plain: s.style == unsafe_yaml::YAML_PLAIN_SCALAR_STYLE,
                }
            }
            unsafe_yaml::YAML_SEQUENCE_START_EVENT => {
                let s = (*e).data.sequence_start;
                Ev::SeqStart {
                    anchor: c_string(s.anchor),
                    tag: c_string(s.tag).unwrap_or_default(),
                }
            }
            unsafe_yaml::YAML_SEQUENCE_END_EVENT => Ev::SeqEnd,
            unsafe_yaml::YAML_MAPPING_START_EVENT => {
                let s = (*e).data.mapping_start;
                Ev::MapStart {
                    anchor: c_string(s.anchor),
                    tag: c_string(s.tag).unwrap_or_default(),
                }
            }
            unsafe_yaml::YAML_MAPPING_END_EVENT => Ev::MapEnd,
            _ => Ev::Other,
        };
        unsafe_yaml::yaml_event_delete(e);
        Ok((out, loc))
    }
}

fn mark_location(m: unsafe_yaml::yaml_mark_t) -> Location {
    Location {
        line: usize::try_from(m.line)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
        column: usize::try_from(m.column)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
    }
}

/// go-yaml's `parser.fail`. goyaml.v3: the line is the context mark's (0-based!) line when
/// non-zero, else the problem mark's; scanner errors add one. goyaml.v2 (sigs.k8s.io/yaml
/// goyaml.v2/decode.go): the problem mark's line when non-zero (plus one for scanner errors),
/// else the context mark's. The editor gets the problem mark, 1-based.
///
/// # Safety
/// `parser` must be an initialised libyaml parser.
unsafe fn parser_error(parser: *mut unsafe_yaml::yaml_parser_t, dialect: Dialect) -> SyntaxError {
    // SAFETY: guaranteed by the caller; the prefix view is libyaml's public error fields.
    let p = unsafe { &**parser };
    let scanner = p.error == unsafe_yaml::YAML_SCANNER_ERROR;
    let mut line = 0u64;
    match dialect {
        Dialect::V3 => {
            if p.context_mark.line != 0 {
                line = p.context_mark.line;
            } else if p.problem_mark.line != 0 {
                line = p.problem_mark.line;
            }
            if line != 0 && scanner {
                line = line.saturating_add(1);
            }
        }
        Dialect::V2 => {
            if p.problem_mark.line != 0 {
                line = p.problem_mark.line;
                if scanner {
                    line = line.saturating_add(1);
                }
            } else if p.context_mark.line != 0 {
                line = p.context_mark.line;
            }
        }
    }
    let problem = unsafe { c_string(p.problem.cast()) }
        .filter(|s| !s.is_empty())
        // go-yaml's scanner spells this one differently from libyaml.
        .map(|s| s.replace("expected hexadecimal number", "expected hexdecimal number"))
        .unwrap_or_else(|| "unknown problem parsing YAML content".to_owned());
    let message = if line != 0 {
        format!("yaml: line {line}: {problem}")
    } else {
        format!("yaml: {problem}")
    };
    SyntaxError {
        message,
        location: Some(mark_location(p.problem_mark)),
    }
}
