//! `kubectl config current-context | get-contexts | use-context | set-context --current`.

use crate::io::Output;
use crate::programs::Context;

/// Runs `kubectl config SUBCOMMAND …` (args after `config`).
pub fn run(args: &[String], ctx: &mut Context<'_>) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out = Output::status(0);
    match words.as_slice() {
        ["current-context"] => match &ctx.lab.kubeconfig.current {
            Some(c) => out.out(format!("{c}\n")),
            None => {
                out.status = 1;
                out.err("error: current-context is not set\n");
            }
        },
        ["get-contexts", rest @ ..] => {
            let only = rest.iter().find(|w| !w.starts_with('-'));
            let mut rows = String::from("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
            for (name, c) in &ctx.lab.kubeconfig.contexts {
                if only.is_some_and(|o| *o != name) {
                    continue;
                }
                let mark = if ctx.lab.kubeconfig.current.as_deref() == Some(name.as_str()) {
                    "*"
                } else {
                    " "
                };
                rows.push_str(&format!(
                    "{mark}\t{name}\t{}\t{}\t{}\n",
                    c.cluster, c.user, c.namespace
                ));
            }
            if let Some(o) = only {
                if !ctx.lab.kubeconfig.contexts.contains_key(*o) {
                    out.status = 1;
                    out.err(format!("error: context {o} not found\n"));
                    return out;
                }
            }
            out.out(crate::kubectl::tabwriter::format_table(&rows));
        }
        ["use-context", name] => {
            if ctx.lab.kubeconfig.contexts.contains_key(*name) {
                ctx.lab.kubeconfig.current = Some(name.to_string());
                out.out(format!("Switched to context \"{name}\".\n"));
            } else {
                out.status = 1;
                out.err(format!(
                    "error: no context exists with the name: \"{name}\"\n"
                ));
            }
        }
        ["set-context", "--current", ns] if ns.starts_with("--namespace=") => {
            let ns = ns.trim_start_matches("--namespace=");
            let current = ctx.lab.kubeconfig.current.clone();
            match current.and_then(|c| ctx.lab.kubeconfig.contexts.get_mut(&c).map(|e| (c, e))) {
                Some((name, entry)) => {
                    entry.namespace = ns.to_string();
                    out.out(format!("Context \"{name}\" modified.\n"));
                }
                None => {
                    out.status = 1;
                    out.err("error: current-context is not set\n");
                }
            }
        }
        _ => {
            out.status = 1;
            out.err("error: the lab's kubectl config knows current-context, get-contexts, use-context and set-context --current --namespace=NS\n");
        }
    }
    out
}
