//! `kubectl edit (TYPE NAME | TYPE/NAME)`: the object opens in an editor as YAML under
//! kubectl's header; what is saved goes back to the API server as an update. An update the
//! server refuses as Invalid reopens the editor with the reasons on top; saving the same text
//! again, or quitting, gives up and says where the changes were kept. The loop and every
//! message are `k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go` (`Run`, `editHeader`,
//! `editResults.addError`, `preservedFile`) and `cmdutil.StripComments`.
//!
//! The editor is the page's edit dialog (or, in `svclab`, the learner's `$EDITOR`); the
//! session holds an [`EditSession`] while it is open.

use svclab_sim::api::ResourceKind;
use svclab_sim::apiserver::errors::StatusReason;
use svclab_sim::apiserver::rest::{self, Applied};
use svclab_sim::manifest::{decode_manifests, kubectl_view};

use crate::io::Output;
use crate::kubectl::value::object_value;
use crate::kubectl::yaml::to_yaml;
use crate::programs::Context;

use super::operands::{kind_and_names, OperandError};
use super::target::Target;

/// The comment kubectl puts above the object.
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// An edit in progress: the object, and what the editor shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditSession {
    cluster: String,
    namespace: String,
    kind: ResourceKind,
    name: String,
    /// The temporary file kubectl wrote the buffer to (`/tmp/kubectl-edit-N.yaml`).
    pub file: String,
    /// The object as first printed, header included.
    original: String,
    /// What the editor shows now.
    pub buffer: String,
    /// The text of the last save that failed, while the editor is reopened on it.
    failed: Option<String>,
}

/// The text without comment lines (`#…`, but not `#!`), as kubectl compares edits.
fn strip_comments(text: &str) -> String {
    text.split('\n')
        .filter(|line| {
            let t = line.trim();
            !t.starts_with('#') || t.starts_with("#!")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A temp file name like Go's `os.CreateTemp("", "kubectl-edit-*.yaml")`, its number drawn
/// from the object and the clock so that a replayed lab names it the same.
fn temp_file(name: &str, now_ms: u64) -> String {
    let mut hash: u32 = 2_166_136_261;
    for b in name.bytes().chain(now_ms.to_le_bytes()) {
        hash = (hash ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    format!("/tmp/kubectl-edit-{hash}.yaml")
}

/// Starts `kubectl edit …`: the session to open, or kubectl's error.
pub fn begin(
    operands: &[&str],
    target: &Target,
    ctx: &mut Context<'_>,
) -> Result<EditSession, Output> {
    let fail = |message: String| {
        let mut out = Output::status(1);
        out.err(message);
        out
    };
    let (kind, names) = match kind_and_names(operands) {
        Ok(found) => found,
        Err(OperandError::Missing) => {
            return Err(fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into()))
        }
        Err(OperandError::UnknownType(message)) => return Err(fail(message)),
    };
    let info = kind.info();
    let namespace = if info.namespaced {
        target.namespace.clone()
    } else {
        String::new()
    };
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Err(Output::status(1));
    };
    let name = match names.as_slice() {
        [one] => one.clone(),
        [] => return Err(fail("error: edit cancelled, no objects found\n".into())),
        _ => {
            return Err(fail(
                "error: Service Lab's kubectl edit opens one object at a time\n".into(),
            ))
        }
    };
    let key = (namespace.clone(), name.clone());
    let Some(object) = cluster.store.get_object(kind, &key) else {
        return Err(fail(format!(
            "Error from server (NotFound): {} \"{name}\" not found\n",
            kind.qualified_plural()
        )));
    };
    let original = format!("{HEADER}{}", to_yaml(&object_value(&object)));
    Ok(EditSession {
        file: temp_file(&name, cluster.now_ms()),
        cluster: target.cluster.clone(),
        namespace,
        kind,
        name,
        buffer: original.clone(),
        original,
        failed: None,
    })
}

impl EditSession {
    fn reopen(mut self, edited: &str, reasons: Vec<(String, Vec<String>)>) -> EditSession {
        let mut buffer = HEADER.to_string();
        for (head, other) in reasons {
            if other.is_empty() {
                buffer.push_str(&format!("# {head}\n"));
            } else {
                buffer.push_str(&format!("# {head}:\n"));
            }
            for o in other {
                buffer.push_str(&format!("# * {}\n", o.replace('\n', "\n# ")));
            }
            buffer.push_str("#\n");
        }
        buffer.push_str(strip_comments(edited).trim_start_matches('\n'));
        self.buffer = buffer;
        self.failed = Some(edited.to_string());
        self
    }

    /// The editor closed with `saved` (`None`: quit without writing). Returns what kubectl
    /// prints, and the session again when kubectl reopens the editor.
    pub fn finish(
        self,
        saved: Option<&str>,
        ctx: &mut Context<'_>,
    ) -> (Output, Option<EditSession>) {
        let edited = saved.unwrap_or(&self.buffer).to_string();
        let mut out = Output::status(0);
        let resource = self.kind.qualified_plural();
        let shown = format!("{}/{}", self.kind.qualified_lower(), self.name);
        if let Some(failed) = &self.failed {
            if strip_comments(failed) == strip_comments(&edited) {
                out.status = 1;
                out.err(format!(
                    "A copy of your changes has been stored to \"{}\"\nerror: Edit cancelled, no valid changes were saved.\n",
                    self.file
                ));
                return (out, None);
            }
        }
        if strip_comments(&self.original) == strip_comments(&edited) {
            out.err("Edit cancelled, no changes made.\n");
            return (out, None);
        }
        if strip_comments(&edited).trim().is_empty() {
            out.err("Edit cancelled, saved file was empty.\n");
            return (out, None);
        }
        let decoded = decode_manifests(&self.file, &edited);
        let object = match kubectl_view(&decoded).first() {
            Some(Ok(doc)) => doc.object.clone(),
            Some(Err(e)) => {
                let why = e.printed();
                let why = why.strip_prefix("error: ").unwrap_or(&why).to_string();
                let reason = format!("The edited file had a syntax error: {why}");
                return (out, Some(self.reopen(&edited, vec![(reason, Vec::new())])));
            }
            None => {
                out.err("Edit cancelled, saved file was empty.\n");
                return (out, None);
            }
        };
        if object.kind() != self.kind || object.meta().name != self.name {
            out.status = 1;
            out.err(format!(
                "error: {resource} \"{}\" could not be patched: the name of the object ({}) does not match the name on the URL ({})\nYou can run `kubectl replace -f {}` to try this update again.\n",
                self.name,
                object.meta().name,
                self.name,
                self.file
            ));
            return (out, None);
        }
        let Some(cluster) = ctx.lab.cluster_mut(&self.cluster) else {
            return (Output::status(1), None);
        };
        match rest::apply(cluster, object, &self.namespace) {
            Ok((Applied::Unchanged, _)) => out.out(format!("{shown} skipped\n")),
            Ok(_) => out.out(format!("{shown} edited\n")),
            Err(e) if e.reason == StatusReason::Invalid => {
                out.err(format!("error: {resource} \"{}\" is invalid\n", self.name));
                let causes = e
                    .details
                    .as_ref()
                    .map(|d| {
                        d.causes
                            .iter()
                            .map(|c| format!("{}: {}", c.field, c.message))
                            .collect()
                    })
                    .unwrap_or_default();
                let head = format!("{resource} \"{}\" was not valid", self.name);
                return (out, Some(self.reopen(&edited, vec![(head, causes)])));
            }
            Err(e) => {
                out.status = 1;
                out.err(format!(
                    "error: {resource} \"{}\" could not be patched: {}\nYou can run `kubectl replace -f {}` to try this update again.\n",
                    self.name, e.message, self.file
                ));
            }
        }
        (out, None)
    }
}

#[cfg(test)]
mod tests {
    use super::strip_comments;

    #[test]
    fn comments_go_but_shebangs_and_text_stay() {
        assert_eq!(
            strip_comments("# head\n  # indented\n#!keep\nkind: Service\n"),
            "#!keep\nkind: Service\n"
        );
    }
}
