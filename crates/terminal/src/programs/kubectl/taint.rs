//! `kubectl taint NODE NAME KEY=VALUE:EFFECT… | KEY[:EFFECT]-…`, as
//! staging/src/k8s.io/kubectl/pkg/cmd/taint (taint.go, utils.go) reads its arguments, checks
//! them, merges the taints and names what it did: `tainted`, `untainted` or `modified`.

use svclab_sim::api::{Node, ResourceKind, Taint};
use svclab_sim::apiserver::names::{is_qualified_name, is_valid_label_value};

use crate::io::Output;
use crate::kubectl::selector::parse_selector;
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

fn error(text: &str) -> Output {
    super::fail(&format!("error: {text}"))
}

/// A usage error: cobra's `UsageErrorf` adds where to read more.
fn usage(text: &str) -> Output {
    error(&format!(
        "{text}\nSee 'kubectl taint -h' for help and examples"
    ))
}

/// `kubectl taint …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    // Resources come first; an argument with `=`, `:` or a trailing `-` starts the taints.
    let mut resources: Vec<&str> = Vec::new();
    let mut specs: Vec<&str> = Vec::new();
    for arg in operands {
        let is_taint = arg.contains('=') || arg.contains(':') || arg.ends_with('-');
        match (is_taint, specs.is_empty()) {
            (true, _) => specs.push(arg),
            (false, true) => resources.push(arg),
            (false, false) => {
                return error(&format!(
                    "all resources must be specified before taint changes: {arg}"
                ))
            }
        }
    }
    let Some((resource_type, names)) = resources.split_first() else {
        return error("one or more resources must be specified as <resource> <name>");
    };
    if specs.is_empty() {
        return error("at least one taint update is required");
    }
    let (to_add, to_remove) = match parse_taints(&specs) {
        Ok(parsed) => parsed,
        Err(e) => return usage(&e),
    };
    let resource_type = resource_type.to_ascii_lowercase();
    match ResourceKind::from_resource_arg(&resource_type) {
        None => return error(&super::resource_types::unknown_type(&resource_type)),
        Some(ResourceKind::Node) => {}
        Some(_) => {
            return error(&format!(
                "invalid resource type {resource_type}, only node types are supported"
            ))
        }
    }
    let conflicts: Vec<String> = to_add
        .iter()
        .flat_map(|add| {
            to_remove.iter().filter(move |rm| {
                rm.key == add.key && (rm.effect.is_empty() || rm.effect == add.effect)
            })
        })
        .map(|rm| format!("{{\"{}\":\"{}\"}}", rm.key, rm.effect))
        .collect();
    if !conflicts.is_empty() {
        return error(&format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        ));
    }
    let all = args.has("all");
    let selector = args.value("selector");
    if all && selector.is_some() {
        return error("setting 'all' parameter with a non empty selector is prohibited");
    }
    if !all && selector.is_none() && names.is_empty() {
        return error(
            "at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    let selector = match selector.map(parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return error(&e),
    };
    let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
        return Output::status(1);
    };
    let nodes: Vec<String> = if all || selector.is_some() {
        cluster
            .store
            .list::<Node>(None)
            .filter(|n| {
                selector
                    .as_ref()
                    .is_none_or(|s| s.matches(&n.metadata.labels))
            })
            .map(|n| n.metadata.name.clone())
            .collect()
    } else {
        names.iter().map(|n| (*n).to_owned()).collect()
    };
    let overwrite = args.has("overwrite");
    let mut out = Output::status(0);
    for name in nodes {
        let Some(node) = cluster.store.get::<Node>("", &name) else {
            out.err(format!(
                "Error from server (NotFound): nodes \"{name}\" not found\n"
            ));
            out.status = 1;
            continue;
        };
        match merge(&name, &node.spec.taints, &to_add, &to_remove, overwrite) {
            Ok((operation, taints)) => {
                cluster.modify::<Node>("", &name, |n| n.spec.taints = taints);
                out.out(format!("node/{name} {operation}\n"));
            }
            Err(e) => {
                out.err(format!("error: {e}\n"));
                out.status = 1;
            }
        }
    }
    cluster.settle();
    out
}

/// `parseTaints`: taints to add (each with an effect, unique by key and effect) and taints to
/// remove (`KEY-` or `KEY:EFFECT-`).
fn parse_taints(specs: &[&str]) -> Result<(Vec<Taint>, Vec<Taint>), String> {
    let mut add: Vec<Taint> = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if let Some(removal) = spec.strip_suffix('-') {
            let mut taint = parse_taint(removal)?;
            taint.value.clear();
            remove.push(taint);
            continue;
        }
        let taint = parse_taint(spec)?;
        if taint.effect.is_empty() {
            return Err(format!("invalid taint spec: {spec}"));
        }
        if add
            .iter()
            .any(|t| t.key == taint.key && t.effect == taint.effect)
        {
            // Go's %v of the Taint struct.
            return Err(format!(
                "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                taint.key, taint.value, taint.effect
            ));
        }
        add.push(taint);
    }
    Ok((add, remove))
}

/// `parseTaint`: `KEY=VALUE:EFFECT`, `KEY:EFFECT` or `KEY`.
fn parse_taint(spec: &str) -> Result<Taint, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (key, value, effect) = match parts.as_slice() {
        [key] => (*key, "", ""),
        [key_value, effect] => {
            if !matches!(*effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = key_value.split('=').collect();
            match kv.as_slice() {
                [key] => (*key, "", *effect),
                [key, value] => {
                    let errs = is_valid_label_value(value);
                    if !errs.is_empty() {
                        return Err(format!("invalid taint spec: {spec}, {}", errs.join("; ")));
                    }
                    (*key, *value, *effect)
                }
                _ => return Err(format!("invalid taint spec: {spec}")),
            }
        }
        _ => return Err(format!("invalid taint spec: {spec}")),
    };
    let errs = is_qualified_name(key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {spec}, {}", errs.join("; ")));
    }
    Ok(Taint {
        key: key.into(),
        value: value.into(),
        effect: effect.into(),
        ..Taint::default()
    })
}

/// `Taint.ToString`.
fn taint_string(t: &Taint) -> String {
    match (t.value.is_empty(), t.effect.is_empty()) {
        (true, true) => t.key.clone(),
        (false, true) => format!("{}={}:", t.key, t.value),
        (true, false) => format!("{}:{}", t.key, t.effect),
        (false, false) => format!("{}={}:{}", t.key, t.value, t.effect),
    }
}

/// `updateTaints` and `reorganizeTaints`: the new taints first, then the old ones they do not
/// replace, less the removed; and the word for what happened.
fn merge(
    node: &str,
    old: &[Taint],
    to_add: &[Taint],
    to_remove: &[Taint],
    overwrite: bool,
) -> Result<(&'static str, Vec<Taint>), String> {
    if !overwrite {
        let existing: Vec<&str> = to_add
            .iter()
            .flat_map(|t| {
                old.iter()
                    .filter(move |o| o.key == t.key && o.effect == t.effect)
                    .map(move |_| t.key.as_str())
            })
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "node {node} already has {} taint(s) with same effect(s) and --overwrite is false",
                existing.join(",")
            ));
        }
    }
    let mut taints = to_add.to_vec();
    for o in old {
        if !taints
            .iter()
            .any(|t| t.key == o.key && t.effect == o.effect)
        {
            taints.push(o.clone());
        }
    }
    let added = taints.len() != old.len();
    let mut not_found = Vec::new();
    let mut deleted = false;
    for rm in to_remove {
        let before = taints.len();
        taints.retain(|t| !(t.key == rm.key && (rm.effect.is_empty() || t.effect == rm.effect)));
        deleted = taints.len() != before;
        if !deleted {
            not_found.push(format!("taint \"{}\" not found", taint_string(rm)));
        }
    }
    match not_found.as_slice() {
        [] => {}
        [one] => return Err(one.clone()),
        many => return Err(format!("[{}]", many.join(", "))),
    }
    let operation = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((operation, taints))
}
