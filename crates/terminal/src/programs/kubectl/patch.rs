//! `kubectl patch (TYPE NAME… | TYPE/NAME) (-p PATCH | --patch-file FILE)
//! [--type strategic|merge|json]`: the patch is applied to the stored object as the API
//! server applies it (`k8s.io/kubectl/pkg/cmd/patch/patch.go`; the merge rules are in
//! [`crate::kubectl::merge_patch`]), then the result goes through the same validation as any
//! update. `kind/name patched`, or `patched (no change)` when the result is the object as it
//! was.

use svclab_sim::apiserver::errors::kubectl_error_output;
use svclab_sim::apiserver::rest;
use svclab_sim::manifest::{decode_manifests, kubectl_view};

use crate::io::Output;
use crate::kubectl::merge_patch::{json_merge, json_patch, strategic_merge};
use crate::kubectl::value::{object_value, Value};
use crate::kubectl::yaml::to_yaml;
use crate::programs::args::Args;
use crate::programs::Context;

use super::fail;
use super::files::read_all;
use super::operands::{kind_and_names, OperandError};
use super::target::Target;

/// Go's name for the JSON type a non-object patch decodes to, for the server's message.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "string",
        Value::Array(_) => "array",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null | Value::Object(_) => "object",
    }
}

/// Runs `kubectl patch …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let (kind, names) = match kind_and_names(operands) {
        Ok((kind, names)) if !names.is_empty() => (kind, names),
        Ok(_) | Err(OperandError::Missing) => {
            return fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
        }
        Err(OperandError::UnknownType(message)) => return fail(message.trim_end()),
    };
    let patch_type = args.value("type").unwrap_or("strategic");
    if !matches!(patch_type, "json" | "merge" | "strategic") {
        return fail(&format!(
            "error: --type must be one of [json merge strategic], not \"{patch_type}\""
        ));
    }
    let text =
        match (args.value("patch"), args.value("patch-file")) {
            (Some(p), _) => p.to_string(),
            (None, Some(file)) => match read_all(&[file], ctx.workspace, "") {
                Ok(sources) => sources.into_iter().map(|s| s.text).collect(),
                Err(out) => return out,
            },
            (None, None) => return fail(
                "error: must specify --patch or --patch-file containing the contents of the patch",
            ),
        };
    let patch = match Value::parse_yaml(&text) {
        Ok(p) => p,
        Err(e) => return fail(&format!("error: unable to parse \"{text}\": {e}")),
    };
    let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
        return Output::status(1);
    };
    let info = kind.info();
    let namespace = if info.namespaced {
        target.namespace.as_str()
    } else {
        ""
    };
    let mut out = Output::status(0);
    for name in names {
        let key = (namespace.to_string(), name.clone());
        let Some(current) = cluster
            .store
            .get_object(kind, &key)
            .map(|o| object_value(&o))
        else {
            out.status = 1;
            let resource = kind.qualified_plural();
            out.err(format!(
                "Error from server (NotFound): {resource} \"{name}\" not found\n"
            ));
            continue;
        };
        let patched = match patch_type {
            "json" => match json_patch(&current, &patch) {
                Ok(p) => p,
                Err(e) => {
                    out.status = 1;
                    out.err(format!("The request is invalid: {e}\n"));
                    continue;
                }
            },
            _ if !matches!(patch, Value::Object(_)) => {
                out.status = 1;
                out.err(format!(
                    "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type map[string]interface {{}}\n",
                    go_type(&patch)
                ));
                continue;
            }
            "merge" => json_merge(&current, &patch),
            _ => strategic_merge(&current, &patch),
        };
        let shown = format!("{}/{name}", kind.qualified_lower());
        if patched == current {
            out.out(format!("{shown} patched (no change)\n"));
            continue;
        }
        let decoded = decode_manifests(&name, &to_yaml(&patched));
        let object = match kubectl_view(&decoded).first() {
            Some(Ok(doc)) => doc.object.clone(),
            Some(Err(e)) => {
                out.status = 1;
                out.err(format!("{}\n", e.printed()));
                continue;
            }
            None => continue,
        };
        match rest::apply(cluster, object, &target.namespace) {
            Ok(_) => out.out(format!("{shown} patched\n")),
            Err(e) => {
                out.status = 1;
                out.err(kubectl_error_output(&e, None));
            }
        }
    }
    out
}
