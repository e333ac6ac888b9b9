//! `kubectl` v1.33 against the lab's clusters: the verbs of the article and of a learner's
//! first week, with kubectl's messages.

mod apply;
mod config;
mod create;
mod describe;
pub mod dry_run;
pub mod edit;
mod files;
mod get;
mod help;
pub mod info;
mod logs;
mod mutate;
mod operands;
mod patch;
pub mod pods_for_object;
pub mod port_forward;
mod resource_types;
mod rollout;
mod rollout_revisions;
mod set;
mod taint;
pub mod target;
mod wait;

#[cfg(test)]
mod tests;

use svclab_sim::api::Pod;

use crate::io::Output;
use crate::programs::args::{parse, Args, FlagSpec};
use crate::programs::Context;

/// Every flag the lab's kubectl verbs accept (pflag merges a command's flags with the
/// global ones; an unknown one is an error).
pub const FLAGS: FlagSpec = FlagSpec {
    with_value: &[
        ("namespace", "n"),
        ("output", "o"),
        ("selector", "l"),
        ("filename", "f"),
        ("context", ""),
        ("replicas", ""),
        ("image", ""),
        ("port", ""),
        ("target-port", ""),
        ("tcp", ""),
        ("node-port", ""),
        ("type", ""),
        ("restart", ""),
        ("container", "c"),
        ("tail", ""),
        ("timeout", ""),
        ("for", ""),
        ("grace-period", ""),
        ("external-name", ""),
        ("name", ""),
        ("field-selector", ""),
        ("dry-run", ""),
        ("protocol", ""),
        ("labels", ""),
        ("cascade", ""),
        ("sort-by", ""),
        ("max-log-requests", ""),
        ("patch", "p"),
        ("patch-file", ""),
        ("from-literal", ""),
        ("from-file", ""),
        ("from-env-file", ""),
        ("revision", ""),
        ("address", ""),
        ("to-revision", ""),
        ("label-columns", "L"),
    ],
    switches: &[
        ("all-namespaces", "A"),
        ("show-labels", ""),
        ("no-headers", ""),
        ("stdin", "i"),
        ("tty", "t"),
        ("rm", ""),
        ("overwrite", ""),
        ("all", ""),
        ("ignore-daemonsets", ""),
        ("delete-emptydir-data", ""),
        ("force", ""),
        ("now", ""),
        ("watch", "w"),
        ("wait", ""),
        ("help", "h"),
        ("quiet", "q"),
        ("prefix", ""),
        ("all-pods", ""),
        ("follow", ""),
    ],
};

fn fail(message: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!("{message}\n"));
    out
}

/// Runs `kubectl ARGS…` from the host. `exec`, `run` and `get`/`describe` output are handed
/// to the callers that own a shell and the printers.
pub fn run(argv: &[String], stdin: &str, ctx: &mut Context<'_>) -> Output {
    let rest = follow_for_logs(argv.get(1..).unwrap_or_default());
    let rest = rest.as_slice();
    let args = match parse(rest, &FLAGS) {
        Ok(a) => a,
        Err(e) => {
            let verb = rest.first().map(String::as_str).unwrap_or("");
            return fail(&format!(
                "error: {e}\nSee 'kubectl {verb} --help' for usage."
            ));
        }
    };
    let words: Vec<&str> = args.positionals.iter().map(String::as_str).collect();
    let Some((verb, operands)) = words.split_first() else {
        let mut out = Output::status(0);
        out.out(info::USAGE);
        return out;
    };
    if args.has("help") {
        if let Some(text) = help::verb_help(verb) {
            let mut out = Output::status(0);
            out.out(text);
            return out;
        }
    }
    match *verb {
        "config" => return config::run(&args.positionals[1..], ctx),
        "version" => return info::version(ctx, &args),
        _ => {}
    }
    // kubectl rejects an unknown command before it talks to any server.
    if !info::VERBS.contains(verb) {
        return fail(&info::unknown_command(verb));
    }
    let target = match target::resolve(ctx.lab, args.value("context"), args.value("namespace")) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let files = args.all("filename");
    let dry_run = match dry_run::DryRun::from_args(&args) {
        Err(out) => return out,
        Ok(d) if d != dry_run::DryRun::None && !dry_run::VERBS.contains(verb) => {
            return dry_run::unsupported(verb)
        }
        Ok(d) => d,
    };
    match *verb {
        "apply" if !files.is_empty() => apply::apply(&files, dry_run, &target, stdin, ctx),
        "apply" => fail("error: must specify one of -f and -k"),
        "delete" if !files.is_empty() => apply::delete(&files, dry_run, &target, stdin, ctx),
        "delete" => mutate::delete_by_name(operands, &args, &target, ctx),
        "create" if !files.is_empty() => {
            create::from_files(&files, (dry_run, args.value("output")), &target, stdin, ctx)
        }
        "create" => create::run(operands, &args, &target, ctx),
        "scale" => mutate::scale(operands, &args, &target, ctx),
        "label" => mutate::label(operands, &args, &target, ctx, mutate::MetaMap::Labels),
        "annotate" => mutate::label(operands, &args, &target, ctx, mutate::MetaMap::Annotations),
        "patch" => patch::run(operands, &args, &target, ctx),
        "set" => set::run(operands, &target, ctx),
        // The shell's world opens the editor; a kubectl run from elsewhere has none.
        "edit" => fail("error: kubectl edit needs the lab's terminal to open an editor"),
        "cordon" | "uncordon" => mutate::cordon(verb, operands, &target, ctx),
        "drain" => mutate::drain(operands, &args, &target, ctx),
        "logs" => logs::run(operands, &args, &target, ctx),
        "get" => get::run(operands, &args, &target, ctx),
        "describe" => describe::run(operands, &args, &target, ctx),
        "cluster-info" => info::cluster_info(&target, ctx),
        "expose" => create::expose(operands, &args, &target, ctx),
        "rollout" => rollout::run(operands, &args, &target, ctx),
        "wait" => wait::run(operands, &args, &target, ctx),
        // kind installs no metrics-server.
        "top" => fail("error: Metrics API not available"),
        "taint" => taint::run(operands, &args, &target, ctx),
        other => fail(&info::unknown_command(other)),
    }
}

/// Starts `kubectl edit …`: the edit session the editor opens on, or kubectl's error.
pub fn edit(argv: &[String], ctx: &mut Context<'_>) -> Result<edit::EditSession, Output> {
    let args = parse(argv.get(1..).unwrap_or_default(), &FLAGS)
        .map_err(|e| fail(&format!("error: {e}\nSee 'kubectl edit --help' for usage.")))?;
    if args.has("help") {
        let mut out = Output::status(0);
        out.out(help::verb_help("edit").unwrap_or_default());
        return Err(out);
    }
    let operands: Vec<&str> = args
        .positionals
        .iter()
        .skip(1)
        .map(String::as_str)
        .collect();
    let target = target::resolve(ctx.lab, args.value("context"), args.value("namespace"))?;
    edit::begin(&operands, &target, ctx)
}

/// `-f` is `--follow` for `kubectl logs` and `--filename` everywhere else: one flag table
/// serves every verb here, so a logs line has its `-f` spelled out first.
fn follow_for_logs(rest: &[String]) -> Vec<String> {
    let without_follow: Vec<String> = rest
        .iter()
        .filter(|a| *a != "-f" && *a != "--follow")
        .cloned()
        .collect();
    let is_logs = parse(&without_follow, &FLAGS)
        .ok()
        .and_then(|a| a.positionals.first().cloned())
        .is_some_and(|verb| verb == "logs");
    rest.iter()
        .map(|a| {
            if is_logs && a == "-f" {
                "--follow".to_owned()
            } else {
                a.clone()
            }
        })
        .collect()
}

/// The verb of a kubectl command line, wherever the global flags put it
/// (`kubectl -n dev run …`).
pub fn verb(argv: &[String]) -> Option<String> {
    parse(argv.get(1..).unwrap_or_default(), &FLAGS)
        .ok()?
        .positionals
        .into_iter()
        .next()
}

/// `kubectl delete` waits for pods to finish terminating (`--wait=true`): time passes until
/// none is left Terminating (bounded by the longest grace period the lab uses).
pub fn wait_for_pods_gone(ctx: &mut Context<'_>, cluster: &str) {
    for _ in 0..60 {
        let terminating = ctx.lab.cluster(cluster).is_some_and(|c| {
            c.store
                .list::<Pod>(None)
                .any(|p| p.metadata.deletion_timestamp.is_some())
        });
        if !terminating {
            return;
        }
        ctx.lab.advance_ms(500);
    }
}

/// The `-n` value the command used, or the target's default.
pub fn namespace_of<'a>(args: &'a Args, target: &'a target::Target) -> &'a str {
    args.value("namespace").unwrap_or(&target.namespace)
}
