//! `kubectl version`, `kubectl cluster-info`, usage text and verb suggestions.

use crate::io::Output;
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

/// `kubectl` with no arguments (abridged to the commands the lab has).
pub const USAGE: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster

Basic Commands (Intermediate):
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// The verbs the lab's kubectl knows (for suggestions and completion).
pub const VERBS: [&str; 26] = [
    "annotate",
    "apply",
    "cluster-info",
    "config",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "edit",
    "exec",
    "expose",
    "get",
    "label",
    "logs",
    "patch",
    "port-forward",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// Every command of kubectl v1.33, sorted as cobra lists them: the ones the lab has
/// ([`VERBS`]) and the ones it does not simulate.
const KUBECTL_COMMANDS: [&str; 44] = [
    "alpha",
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// What kubectl says to a command it does not have. Like cobra's `findSuggestions`, it
/// suggests every command within two edits (ignoring case) or starting with what was typed,
/// and nothing when none is that close. A real command the lab does not simulate is said so,
/// rather than called unknown.
pub fn unknown_command(typed: &str) -> String {
    if KUBECTL_COMMANDS.contains(&typed) {
        return format!(
            "error: \"kubectl {typed}\" is a kubectl command that this lab does not simulate.\nRun 'kubectl --help' for the commands it has."
        );
    }
    let lower = typed.to_lowercase();
    let suggestions: Vec<&str> = KUBECTL_COMMANDS
        .into_iter()
        .filter(|c| levenshtein(&lower, c) <= 2 || c.starts_with(&lower))
        .collect();
    let mut text = format!("error: unknown command \"{typed}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            text.push_str(&format!("\t{s}\n"));
        }
    }
    text.push_str("\nRun 'kubectl --help' for usage.");
    text
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// `kubectl version`: client, kustomize and (when a cluster answers) server versions.
pub fn version(ctx: &mut Context<'_>, args: &Args) -> Output {
    let mut out = Output::status(0);
    out.out("Client Version: v1.33.1\nKustomize Version: v5.6.0\n");
    match super::target::resolve(ctx.lab, args.value("context"), None) {
        Ok(_) => out.out("Server Version: v1.33.1\n"),
        Err(e) => {
            out.status = 1;
            out.err(e.stderr());
        }
    }
    out
}

/// `kubectl cluster-info` (without the terminal colours kubectl adds on a TTY).
pub fn cluster_info(target: &Target, _ctx: &mut Context<'_>) -> Output {
    let mut out = Output::status(0);
    let server = &target.server;
    out.out(format!(
        "Kubernetes control plane is running at https://{server}\nCoreDNS is running at https://{server}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_the_commands_within_two_edits_or_starting_with_the_typed_word() {
        assert!(unknown_command("gte").contains("Did you mean this?\n\tget\n\n"));
        assert!(unknown_command("aply").contains("Did you mean this?\n\tapply\n\n"));
        assert!(unknown_command("roll").contains("\trollout\n"));
        assert!(!unknown_command("xyzzyq").contains("Did you mean"));
    }
}
