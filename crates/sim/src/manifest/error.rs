//! What a failed or partly simulated document reports: kubectl's exact words plus positions.
//!
//! kubectl prints one error as `error: <err>` when it is a client-side error and as
//! `Error from server (<Reason>): <err>` when the API server refused the request
//! (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go `checkErr`, `StandardErrorMessage`).
//! Server errors of `apply -f`/`create -f` carry the source: `error when creating "x.yaml": …`
//! (`AddSourceToErr`).

use crate::yaml::Location;

/// A position in a manifest file, for the page's editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestLocation {
    /// 0-based index of the document in the file (every `---`-separated chunk counts).
    pub document: usize,
    /// 1-based line and column in the whole file.
    pub location: Location,
    /// The field the problem is about, e.g. `spec.ports[0].port`; empty when none.
    pub path: String,
}

/// Which step refused the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestErrorKind {
    /// The YAML cannot be parsed or converted to JSON (`error parsing x.yaml: …`).
    Syntax,
    /// kubectl's client-side check of `apiVersion`/`kind` (`error validating "x.yaml": …`).
    Validation,
    /// `kind: ""` (`unable to decode "x.yaml": Object 'Kind' is missing in '…'`).
    MissingKind,
    /// No such kind in that version (`resource mapping not found for name: …`).
    NoKindMatch,
    /// A real Kubernetes v1.33 kind the lab does not simulate (the lab's own message).
    KindNotSimulated,
    /// The API server's strict decoding refused it (`Error from server (BadRequest): …`).
    BadRequest,
    /// The lab's own limits (e.g. nesting depth) or an internal decoding failure.
    Lab,
}

/// One document kubectl would refuse, with kubectl's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// Which step refused it.
    pub kind: ManifestErrorKind,
    /// The error's text as kubectl holds it (`err.Error()`), source name included, without the
    /// `error: ` / `Error from server (…): ` prefix that [`ManifestError::printed`] adds.
    pub message: String,
    /// For server errors, the status reason (`BadRequest`).
    pub reason: Option<&'static str>,
    /// Where the problem is; `None` when kubectl's error has no position.
    pub location: Option<ManifestLocation>,
    /// Further positions the same message covers (e.g. every unknown field after the first).
    pub related: Vec<ManifestLocation>,
    /// kubectl stops reading the file at this error: later documents are never sent
    /// (cli-runtime pkg/resource/visitor.go `StreamVisitor.Visit` returns on parse and
    /// validation errors, and continues on mapping and server errors).
    pub stops_stream: bool,
}

impl ManifestError {
    /// What kubectl prints for this error alone (`checkErr` with a single error).
    pub fn printed(&self) -> String {
        match self.reason {
            Some(reason) => format!("Error from server ({reason}): {}", self.message),
            None if self.message.starts_with("error: ") => self.message.clone(),
            None => format!("error: {}", self.message),
        }
    }

    /// The line kubectl prints for this error inside a list of several (`MultipleErrors`,
    /// which uses `StandardErrorMessage` or the bare text: no `error: ` prefix).
    pub fn printed_in_list(&self) -> String {
        match self.reason {
            Some(reason) => format!("Error from server ({reason}): {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Something about a document that decoded: worth showing, never silently lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A field the real API accepts but the lab's objects do not keep: it is ignored here.
    NotSimulated {
        /// The field, e.g. `spec.template.spec.containers[0].resources`.
        path: String,
        /// Where its key is.
        location: ManifestLocation,
    },
    /// A key written twice in one mapping: kubectl keeps the last value without a word
    /// (goyaml.v2 `Unmarshal` into a map, sigs.k8s.io/yaml `YAMLToJSON`), so the earlier one is lost.
    DuplicateKey {
        /// The key's path, e.g. `spec.template.spec.containers[0].image`.
        path: String,
        /// The value that wins (the last one).
        location: ManifestLocation,
        /// The first occurrence, which is dropped.
        first: ManifestLocation,
    },
}

/// apimachinery's aggregate `Error()` (pkg/util/errors/errors.go): one message alone, several
/// as `[a, b]` without duplicates.
pub(crate) fn aggregate(messages: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for m in messages {
        if !seen.contains(&m.as_str()) {
            seen.push(m);
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        many => format!("[{}]", many.join(", ")),
    }
}
