//! Errors of `kind create cluster`, worded and combined as kind does.
//!
//! kind combines several errors with its fork of apimachinery's aggregate
//! (`pkg/errors/aggregate_forked.go`): one message stands alone, several become
//! `[a, b]`, duplicates are dropped. The CLI wraps the result with
//! `errors.Wrap(err, "failed to create cluster")` (`pkg/cmd/kind/create/cluster/createcluster.go`)
//! and prints `ERROR: %v` (`cmd/kind/app/main.go`, non-colour form).

use std::fmt;

/// What the kind CLI puts in front of a create error.
pub const CREATE_ERROR_PREFIX: &str = "ERROR: failed to create cluster: ";

pub use crate::yaml::Location;

/// One underlying problem of a failed create, for the editor to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The problem's own text, as it appears inside kind's message.
    pub message: String,
    /// The config field it is about, as a YAML path (`nodes[1].role`); empty when none.
    pub path: String,
    /// Where in the YAML, when known.
    pub location: Option<Location>,
}

/// Which step of `kind create cluster` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateErrorKind {
    /// The YAML could not be read, or `kind`/`apiVersion` are missing or unknown (load.go).
    Parse,
    /// A cluster with that name already exists (create.go `alreadyExists`).
    AlreadyExists,
    /// The config is readable but invalid (validate.go).
    Validation,
}

/// A failed `kind create cluster`, with kind's message and structured positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateError {
    /// Which step failed.
    pub kind: CreateErrorKind,
    /// kind's message, the part after `ERROR: failed to create cluster: ` (may span lines).
    pub message: String,
    /// The underlying problems with their YAML positions.
    pub problems: Vec<Problem>,
    /// Warnings kind logged before failing (e.g. a very long cluster name).
    pub warnings: Vec<String>,
}

impl CreateError {
    /// The text kind prints on stderr: `ERROR: failed to create cluster: …`.
    pub fn cli_message(&self) -> String {
        format!("{CREATE_ERROR_PREFIX}{}", self.message)
    }
}

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cli_message())
    }
}

impl std::error::Error for CreateError {}

/// kind's `errors.NewAggregate(...).Error()`: `None` for no errors, the message itself for one
/// distinct message, else `[a, b, …]` without duplicates.
pub(crate) fn aggregate(messages: &[String]) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for m in messages {
        if !seen.contains(&m.as_str()) {
            seen.push(m);
        }
    }
    match seen.len() {
        0 => None,
        1 => seen.first().map(|s| (*s).to_owned()),
        _ => Some(format!("[{}]", seen.join(", "))),
    }
}

pub(crate) use crate::yaml::go_quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_like_kind() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let cases: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["a"], Some("a")),
            (&["a", "b"], Some("[a, b]")),
            (&["a", "a"], Some("a")),
            (&["a", "b", "a"], Some("[a, b]")),
        ];
        for (input, want) in cases {
            assert_eq!(aggregate(&s(input)).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn go_quote_escapes() {
        assert_eq!(go_quote("master"), "\"master\"");
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
        assert_eq!(go_quote("ノード"), "\"ノード\"");
    }

    #[test]
    fn cli_message_has_kind_prefix() {
        let e = CreateError {
            kind: CreateErrorKind::Validation,
            message: "must have at least one control-plane node".to_owned(),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        assert_eq!(
            e.cli_message(),
            "ERROR: failed to create cluster: must have at least one control-plane node"
        );
    }
}
