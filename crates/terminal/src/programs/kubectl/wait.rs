//! `kubectl wait --for=condition=Ready|delete (TYPE NAME | TYPE -l SEL) [--timeout=D]`: time
//! passes (virtually) until every object meets the condition or the timeout runs out.

use svclab_sim::api::{Pod, ResourceKind};
use svclab_sim::cluster::Cluster;

use crate::io::Output;
use crate::kubectl::parse_selector;
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

/// kubectl's default `--timeout` (30s).
const DEFAULT_TIMEOUT_MS: u64 = 30_000;
const STEP_MS: u64 = 500;

fn timeout_ms(text: Option<&str>) -> Option<u64> {
    let Some(t) = text else {
        return Some(DEFAULT_TIMEOUT_MS);
    };
    let (number, unit) = t.split_at(t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len()));
    let n: u64 = number.parse().ok()?;
    match unit {
        "s" | "" => Some(n * 1000),
        "m" => Some(n * 60_000),
        "h" => Some(n * 3_600_000),
        _ => None,
    }
}

/// Whether `name` meets the condition in `cluster` (`None` when it does not exist).
fn met(
    cluster: &Cluster,
    kind: ResourceKind,
    ns: &str,
    name: &str,
    condition: &str,
) -> Option<bool> {
    let key = (
        if kind.info().namespaced { ns } else { "" }.to_string(),
        name.to_string(),
    );
    let object = cluster.store.get_object(kind, &key);
    if condition == "delete" {
        return Some(object.is_none());
    }
    object?;
    let wanted = condition.strip_prefix("condition=")?;
    let (cond, value) = wanted.split_once('=').unwrap_or((wanted, "True"));
    Some(match kind {
        ResourceKind::Pod => cluster.store.get::<Pod>(ns, name).is_some_and(|p| {
            p.status
                .conditions
                .iter()
                .any(|c| c.type_.eq_ignore_ascii_case(cond) && c.status.eq_ignore_ascii_case(value))
        }),
        ResourceKind::Node => cluster
            .store
            .get::<svclab_sim::api::Node>("", name)
            .is_some_and(|n| {
                n.status.conditions.iter().any(|c| {
                    c.type_.eq_ignore_ascii_case(cond) && c.status.eq_ignore_ascii_case(value)
                })
            }),
        ResourceKind::Deployment => cluster
            .store
            .get::<svclab_sim::api::Deployment>(ns, name)
            .is_some_and(|d| {
                d.status.conditions.iter().any(|c| {
                    c.type_.eq_ignore_ascii_case(cond) && c.status.eq_ignore_ascii_case(value)
                })
            }),
        _ => false,
    })
}

/// Runs `kubectl wait …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let mut out = Output::status(0);
    let Some(condition) = args.value("for") else {
        out.status = 1;
        out.err("error: --for must be set to one of: delete, condition=condition-name[=condition-value], jsonpath='{JSONPath expression}'=[JSONPath value] or create\n");
        return out;
    };
    let Some(limit) = timeout_ms(args.value("timeout")) else {
        out.status = 1;
        out.err("error: invalid --timeout\n");
        return out;
    };
    let (kind, mut names) = match super::operands::kind_and_names(operands) {
        Ok(found) => found,
        Err(super::operands::OperandError::Missing) => {
            out.status = 1;
            out.err("error: resource(s) were provided, but no name was specified\n");
            return out;
        }
        Err(super::operands::OperandError::UnknownType(message)) => {
            out.status = 1;
            out.err(message);
            return out;
        }
    };
    let ns = target.namespace.clone();
    if names.is_empty() {
        let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
            return Output::status(1);
        };
        let selector = args.value("selector").map(parse_selector).transpose();
        let Ok(selector) = selector else {
            out.status = 1;
            out.err("error: invalid label selector\n");
            return out;
        };
        let scope = kind.info().namespaced.then_some(ns.as_str());
        names = cluster
            .store
            .keys_of(kind, scope)
            .into_iter()
            .filter(|key| match &selector {
                None => args.has("all"),
                Some(sel) => cluster
                    .store
                    .get_object(kind, key)
                    .is_some_and(|o| sel.matches(&o.meta().labels)),
            })
            .map(|(_, n)| n)
            .collect();
        if names.is_empty() {
            out.status = 1;
            out.err("error: no matching resources found\n");
            return out;
        }
    }
    let mut waited = 0;
    let shown = kind.qualified_lower();
    let mut pending: Vec<String> = names.clone();
    loop {
        let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
            return Output::status(1);
        };
        let mut still = Vec::new();
        for name in &pending {
            match met(cluster, kind, &ns, name, condition) {
                Some(true) => out.out(format!("{shown}/{name} condition met\n")),
                Some(false) => still.push(name.clone()),
                None => {
                    out.status = 1;
                    out.err(format!(
                        "Error from server (NotFound): {} \"{name}\" not found\n",
                        kind.info().plural
                    ));
                }
            }
        }
        pending = still;
        if pending.is_empty() {
            return out;
        }
        if waited >= limit {
            out.status = 1;
            for name in &pending {
                out.err(format!(
                    "error: timed out waiting for the condition on {}/{name}\n",
                    kind.info().plural
                ));
            }
            return out;
        }
        ctx.lab.advance_ms(STEP_MS);
        waited += STEP_MS;
    }
}
