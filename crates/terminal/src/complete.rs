//! Tab completion for the terminal: commands, kubectl verbs, resource kinds, object names,
//! node containers, namespaces and the learner's files — what bash-completion offers for
//! kubectl, kind and docker, reduced to the lab's world.

use svclab_sim::api::ResourceKind;

use crate::programs::place::Place;
use crate::session::Session;
use crate::workspace::Workspace;

/// What a Tab press offers: the candidates for the word being typed, which starts at `start`
/// (a byte offset into the line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Where the word being completed starts.
    pub start: usize,
    /// The candidates, sorted, each a whole word.
    pub candidates: Vec<String>,
}

const VERBS_TAKING_KINDS: &[&str] = &[
    "get", "describe", "delete", "label", "annotate", "scale", "expose", "edit", "patch",
];
const KIND_SUBCOMMANDS: &[&str] = &[
    "create cluster",
    "delete cluster",
    "get clusters",
    "get kubeconfig",
    "get nodes",
    "version",
];
const DOCKER_SUBCOMMANDS: &[&str] = &["exec", "ps", "start", "stop"];

/// Completes the last word of `line` as typed in `session`.
pub fn complete(session: &Session, line: &str) -> Completion {
    let start = line.rfind([' ', '|', ';', '&', '(']).map_or(0, |i| i + 1);
    let prefix = &line[start..];
    // The words of the current simple command (after the last |, ;, && or ||).
    let command_start = line[..start]
        .rfind(['|', ';', '&', '('])
        .map_or(0, |i| i + 1);
    let words: Vec<&str> = line[command_start..start].split_whitespace().collect();
    let mut candidates: Vec<String> = match words.as_slice() {
        [] => commands(session),
        ["kubectl", rest @ ..] => kubectl(session, rest),
        ["kind", rest @ ..] => kind(session, rest),
        ["docker", rest @ ..] => docker(session, rest),
        _ => files(&session.workspace),
    };
    candidates.retain(|c| c.starts_with(prefix));
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn commands(session: &Session) -> Vec<String> {
    let mut all = owned(crate::shell::builtins::BUILTINS);
    all.extend(owned(crate::coreutils::UTILITIES));
    all.extend(owned(match session.place() {
        Place::Host => &["brew", "curl", "docker", "kind", "kubectl"][..],
        Place::Node { .. } => &[
            "conntrack",
            "curl",
            "hostname",
            "ip",
            "iptables",
            "iptables-save",
        ][..],
        Place::Pod { .. } => &["curl", "dig", "hostname", "nslookup"][..],
    }));
    all
}

fn files(workspace: &Workspace) -> Vec<String> {
    match workspace {
        Workspace::Memory(map) => map
            .keys()
            .flat_map(|path| {
                let mut out = vec![path.clone(), format!("./{path}")];
                if let Some((dir, _)) = path.rsplit_once('/') {
                    out.push(format!("{dir}/"));
                    out.push(format!("./{dir}/"));
                }
                out
            })
            .collect(),
        Workspace::Disk(_) => Vec::new(),
    }
}

fn kinds() -> Vec<String> {
    ResourceKind::ALL
        .iter()
        .flat_map(|k| {
            let info = k.info();
            let mut names = vec![info.plural.to_string(), info.singular.to_string()];
            names.extend(owned(info.short_names));
            names
        })
        .chain(std::iter::once("all".to_string()))
        .collect()
}

fn kubectl(session: &Session, words: &[&str]) -> Vec<String> {
    let last = words.last().copied().unwrap_or("");
    if matches!(last, "-f" | "--filename") {
        return files(&session.workspace);
    }
    let cluster = session
        .lab
        .current_cluster_name()
        .and_then(|name| session.lab.cluster(&name));
    if matches!(last, "-n" | "--namespace") {
        return cluster.map_or_else(Vec::new, |c| {
            c.store
                .keys_of(ResourceKind::Namespace, None)
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        });
    }
    let positional: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            !w.starts_with('-')
                && !matches!(
                    words.get(i.wrapping_sub(1)).copied(),
                    Some("-n" | "--namespace" | "-o" | "-f" | "-l")
                )
        })
        .map(|(_, w)| *w)
        .collect();
    match positional.as_slice() {
        [] => owned(&crate::programs::kubectl::info::VERBS),
        ["config"] => owned(&["current-context", "get-contexts", "use-context"]),
        ["config", "use-context"] => session.lab.kubeconfig.contexts.keys().cloned().collect(),
        // `kubectl create`'s subcommands the lab has (kubectl completes its cobra commands).
        ["create"] => owned(&["configmap", "deployment", "namespace", "secret", "service"]),
        ["create", "secret"] => owned(&["generic"]),
        ["create", "service"] => owned(&["clusterip", "externalname", "loadbalancer", "nodeport"]),
        [verb] if VERBS_TAKING_KINDS.contains(verb) => kinds(),
        [verb, kind, ..]
            if VERBS_TAKING_KINDS.contains(verb) || *verb == "logs" || *verb == "exec" =>
        {
            let namespace = words
                .iter()
                .position(|w| *w == "-n" || *w == "--namespace")
                .and_then(|i| words.get(i + 1))
                .copied()
                .unwrap_or("default");
            let kind = if *verb == "logs" || *verb == "exec" {
                Some(ResourceKind::Pod)
            } else {
                ResourceKind::from_resource_arg(kind)
            };
            match (cluster, kind) {
                (Some(c), Some(k)) => {
                    let ns = k.info().namespaced.then_some(namespace);
                    c.store.keys_of(k, ns).into_iter().map(|(_, n)| n).collect()
                }
                _ => Vec::new(),
            }
        }
        ["logs" | "exec"] => {
            let namespace = words
                .iter()
                .position(|w| *w == "-n" || *w == "--namespace")
                .and_then(|i| words.get(i + 1))
                .copied()
                .unwrap_or("default");
            cluster.map_or_else(Vec::new, |c| {
                c.store
                    .keys_of(ResourceKind::Pod, Some(namespace))
                    .into_iter()
                    .map(|(_, n)| n)
                    .collect()
            })
        }
        // kubectl taint completes only the type `node`, then node names.
        ["taint"] => owned(&["node"]),
        ["cordon" | "uncordon" | "drain"] | ["taint", _] => {
            cluster.map_or_else(Vec::new, |c| c.nodes.keys().cloned().collect())
        }
        _ => Vec::new(),
    }
}

fn kind(session: &Session, words: &[&str]) -> Vec<String> {
    match words {
        [] => KIND_SUBCOMMANDS
            .iter()
            .filter_map(|s| s.split(' ').next().map(str::to_string))
            .collect(),
        [verb] => KIND_SUBCOMMANDS
            .iter()
            .filter_map(|s| s.strip_prefix(&format!("{verb} ")).map(str::to_string))
            .collect(),
        [.., "--config"] => files(&session.workspace),
        [.., "--name"] => session.lab.cluster_names(),
        _ => owned(&["--config", "--name"]),
    }
}

fn docker(session: &Session, words: &[&str]) -> Vec<String> {
    match words {
        [] => owned(DOCKER_SUBCOMMANDS),
        ["exec" | "stop" | "start", ..] => session
            .lab
            .cluster_names()
            .iter()
            .filter_map(|name| session.lab.cluster(name))
            .flat_map(|c| c.nodes.keys().cloned())
            .chain(std::iter::once("-it".to_string()))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let files = std::collections::BTreeMap::from([(
            "manifests/kind-config.yaml".to_string(),
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n".to_string(),
        )]);
        let mut s = Session::new(1, Workspace::Memory(files));
        s.type_line("kind create cluster --name demo --config=./manifests/kind-config.yaml");
        s
    }

    fn candidates(s: &Session, line: &str) -> Vec<String> {
        complete(s, line).candidates
    }

    #[test]
    fn create_completes_its_subcommands() {
        let s = session();
        assert!(candidates(&s, "kubectl create se").contains(&"secret".to_string()));
        assert_eq!(candidates(&s, "kubectl create secret g"), ["generic"]);
    }

    #[test]
    fn commands_verbs_kinds_and_names() {
        let s = session();
        assert_eq!(candidates(&s, "kub"), ["kubectl"]);
        assert_eq!(candidates(&s, "kubectl ge"), ["get"]);
        assert!(candidates(&s, "kubectl get po").contains(&"pods".to_string()));
        let nodes = candidates(&s, "kubectl get nodes demo-");
        assert_eq!(nodes, ["demo-control-plane", "demo-worker"]);
        assert_eq!(
            candidates(&s, "kubectl get pods -n kube-sys"),
            ["kube-system"]
        );
        assert!(candidates(&s, "kubectl frob").is_empty());
        assert_eq!(
            candidates(&s, "kubectl get pods -n kube-"),
            ["kube-node-lease", "kube-public", "kube-system"]
        );
        assert_eq!(candidates(&s, "docker exec -it demo-w"), ["demo-worker"]);
        assert_eq!(candidates(&s, "kind create c"), ["cluster"]);
        assert_eq!(
            candidates(&s, "kubectl apply -f ./manifests/k"),
            ["./manifests/kind-config.yaml"]
        );
        let c = complete(&s, "echo x | gr");
        assert_eq!((c.start, c.candidates), (9, vec!["grep".to_string()]));
        // The later verbs, and names after them.
        assert_eq!(candidates(&s, "kubectl pat"), ["patch"]);
        assert_eq!(candidates(&s, "kubectl ed"), ["edit"]);
        assert_eq!(candidates(&s, "kubectl annot"), ["annotate"]);
        assert_eq!(candidates(&s, "kubectl edit svc kube"), ["kubernetes"]);
        assert_eq!(candidates(&s, "mapf"), ["mapfile"]);
    }
}
