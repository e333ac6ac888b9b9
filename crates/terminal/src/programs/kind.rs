//! `kind`: create, delete and list clusters (kind v0.29.0, pkg/cmd/kind). kind writes its
//! status and errors to stderr; lists go to stdout.

use crate::io::Output;

use super::args::{parse, FlagSpec};
use super::Context;

const USAGE: &str =
    "kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Available Commands:
  build       Build one of [node-image]
  completion  Output shell completion code for the specified shell (bash, zsh or fish)
  create      Creates one of [cluster]
  delete      Deletes one of [cluster]
  export      Exports one of [kubeconfig, logs]
  get         Gets one of [clusters, nodes, kubeconfig]
  help        Help about any command
  load        Loads images into nodes
  version     Prints the kind CLI version

Flags:
  -h, --help              help for kind
      --loglevel string   DEPRECATED: see -v instead
  -q, --quiet             silence all stderr output
  -v, --verbosity int32   info log verbosity, higher value produces more output
      --version           version for kind

Use \"kind [command] --help\" for more information about a command.
";

const VERSION: &str = "kind v0.29.0 go1.24.2 linux/amd64\n";

/// Runs `kind ARGS…`.
pub fn run(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let words: Vec<&str> = argv.iter().map(String::as_str).collect();
    let rest: Vec<String> = argv.iter().skip(2).cloned().collect();
    match words.as_slice() {
        [] | ["help"] | ["-h"] | ["--help"] => ok(USAGE),
        ["version", ..] | ["--version"] => ok(VERSION),
        ["create", "cluster", ..] => create(&rest, ctx),
        ["delete", "cluster", ..] => delete(&rest, ctx),
        ["get", "clusters", ..] => get_clusters(ctx),
        ["get", "nodes", ..] => get_nodes(&rest, ctx),
        ["get", "kubeconfig", ..] => get_kubeconfig(&rest, ctx),
        [verb, ..] => {
            let mut out = Output::status(1);
            out.err(format!(
                "ERROR: unknown command \"{verb}\" for \"kind\"\n\nRun 'kind --help' for usage.\n"
            ));
            out
        }
    }
}

fn ok(text: &str) -> Output {
    let mut out = Output::status(0);
    out.out(text);
    out
}

fn fail(message: String) -> Output {
    let mut out = Output::status(1);
    out.err(format!("ERROR: {message}\n"));
    out
}

const CLUSTER_FLAGS: FlagSpec = FlagSpec {
    with_value: &[
        ("name", "n"),
        ("config", ""),
        ("image", ""),
        ("wait", ""),
        ("kubeconfig", ""),
    ],
    switches: &[("retain", ""), ("quiet", "q")],
};

/// `--wait 60s` / `--wait 5m` in whole seconds (time.ParseDuration's common forms).
fn parse_wait(text: &str) -> Option<u64> {
    let (number, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = number.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "ms" => n / 1000.0,
        _ => return None,
    };
    (secs >= 0.0).then_some(secs as u64)
}

fn create(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let args = match parse(argv, &CLUSTER_FLAGS) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let config = match args.value("config") {
        Some(path) => match ctx.workspace.read(path) {
            Ok(text) => Some(text),
            Err(e) => return fail(format!("failed to create cluster: error reading file: {e}")),
        },
        None => None,
    };
    let wait = match args.value("wait") {
        Some(w) => match parse_wait(w) {
            Some(s) => s,
            None => {
                return fail(format!(
                    "invalid argument \"{w}\" for \"--wait\" flag: time: invalid duration \"{w}\""
                ))
            }
        },
        None => 0,
    };
    match ctx
        .lab
        .create_cluster(config.as_deref(), args.value("name"), wait)
    {
        Ok(created) => {
            let mut out = Output::status(0);
            for w in &created.plan.warnings {
                out.err(format!("WARNING: {w}\n"));
            }
            for line in created.status_lines {
                out.err(format!("{line}\n"));
            }
            out
        }
        Err(e) => {
            let mut out = Output::status(1);
            for w in &e.warnings {
                out.err(format!("WARNING: {w}\n"));
            }
            out.err(format!("{}\n", e.cli_message()));
            out
        }
    }
}

fn cluster_name(argv: &[String]) -> Result<String, Output> {
    let args = parse(argv, &CLUSTER_FLAGS).map_err(fail)?;
    Ok(args
        .value("name")
        .unwrap_or(svclab_sim::kind::DEFAULT_CLUSTER_NAME)
        .to_string())
}

fn delete(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let name = match cluster_name(argv) {
        Ok(n) => n,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    out.err(format!("Deleting cluster \"{name}\" ...\n"));
    if let Some(nodes) = ctx.lab.delete_cluster(&name) {
        let quoted: Vec<String> = nodes.iter().map(|n| format!("\"{n}\"")).collect();
        out.err(format!("Deleted nodes: [{}]\n", quoted.join(" ")));
    }
    out
}

fn get_clusters(ctx: &mut Context<'_>) -> Output {
    let names = ctx.lab.cluster_names();
    let mut out = Output::status(0);
    if names.is_empty() {
        out.err("No kind clusters found.\n");
    }
    for n in names {
        out.out(format!("{n}\n"));
    }
    out
}

fn get_nodes(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let name = match cluster_name(argv) {
        Ok(n) => n,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    match ctx.lab.cluster(&name) {
        Some(cluster) => {
            for node in &cluster.layout.nodes {
                out.out(format!("{}\n", node.name));
            }
        }
        None => out.err(format!("No kind nodes found for cluster \"{name}\".\n")),
    }
    out
}

fn get_kubeconfig(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let name = match cluster_name(argv) {
        Ok(n) => n,
        Err(out) => return out,
    };
    let Some(cluster) = ctx.lab.cluster(&name) else {
        return fail(format!(
            "could not locate any control plane nodes for cluster named '{name}'. Use the --name option to select a different cluster"
        ));
    };
    let key = svclab_sim::kind::kubeconfig_context(&name);
    let port = api_server_port(cluster);
    ok(&format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {CA}\n    server: https://127.0.0.1:{port}\n  name: {key}\ncontexts:\n- context:\n    cluster: {key}\n    user: {key}\n  name: {key}\ncurrent-context: {key}\nkind: Config\npreferences: {{}}\nusers:\n- name: {key}\n  user:\n    client-certificate-data: {CERT}\n    client-key-data: {KEY}\n"
    ))
}

/// The host port Docker published the API server on: the config's `apiServerPort`, or one
/// derived from the cluster name in the ephemeral range (Docker picks a random free one).
pub fn api_server_port(cluster: &svclab_sim::cluster::Cluster) -> u16 {
    match u16::try_from(cluster.layout.api_server_port) {
        Ok(p) if p > 0 => p,
        _ => {
            let hash = svclab_sim::names::fnv32a(cluster.layout.name.as_bytes());
            32768 + (hash % 28000) as u16
        }
    }
}

/// Certificate data: the lab's clusters have no real PKI, so these are stand-ins that read
/// like base64 PEM (`LS0tLS1CRUdJTi…` is `-----BEGIN…`).
const CA: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lJU2VydmljZUxhYlNpbXVsYXRlZENBCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";
const CERT: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURLVENDQWhHZ0F3SUJBZ0lJU2VydmljZUxhYkFkbWluCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";
const KEY: &str = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBU2VydmljZUxhYktleQotLS0tLUVORCBSU0EgUFJJVkFURSBLRVktLS0tLQo=";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;
    use svclab_sim::lab::Lab;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn the_articles_create_command_prints_kinds_status_on_stderr() {
        let mut lab = Lab::new(1);
        let mut files = std::collections::BTreeMap::new();
        files.insert(
            "manifests/kind-config.yaml".to_string(),
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n".to_string(),
        );
        let mut ws = Workspace::Memory(files);
        let mut ctx = Context {
            lab: &mut lab,
            workspace: &mut ws,
        };
        let out = run(
            &argv("create cluster --name service-demo --config=./manifests/kind-config.yaml"),
            &mut ctx,
        );
        assert_eq!(out.status, 0);
        assert_eq!(out.stdout(), "");
        let err = out.stderr();
        assert!(
            err.starts_with("Creating cluster \"service-demo\" ...\n"),
            "{err}"
        );
        assert!(err.contains("Set kubectl context to \"kind-service-demo\"\n"));
        let clusters = run(&argv("get clusters"), &mut ctx);
        assert_eq!(clusters.stdout(), "service-demo\n");
        let nodes = run(&argv("get nodes --name service-demo"), &mut ctx);
        assert_eq!(
            nodes.stdout(),
            "service-demo-control-plane\nservice-demo-worker\nservice-demo-worker2\n"
        );
        let deleted = run(&argv("delete cluster --name service-demo"), &mut ctx);
        assert_eq!(
            deleted.stderr(),
            "Deleting cluster \"service-demo\" ...\nDeleted nodes: [\"service-demo-control-plane\" \"service-demo-worker\" \"service-demo-worker2\"]\n"
        );
        assert_eq!(
            run(&argv("get clusters"), &mut ctx).stderr(),
            "No kind clusters found.\n"
        );
    }

    #[test]
    fn a_missing_config_file_is_kinds_error() {
        let mut lab = Lab::new(1);
        let mut ws = Workspace::Memory(Default::default());
        let mut ctx = Context {
            lab: &mut lab,
            workspace: &mut ws,
        };
        let out = run(&argv("create cluster --config x.yaml"), &mut ctx);
        assert_eq!(out.status, 1);
        assert_eq!(
            out.stderr(),
            "ERROR: failed to create cluster: error reading file: open x.yaml: no such file or directory\n"
        );
    }
}
