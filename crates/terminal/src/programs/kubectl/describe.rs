//! `kubectl describe (pod|service|node|replicaset|deployment|daemonset|configmap|secret|
//! namespace|endpoints|endpointslice) NAME…` (also `TYPE/NAME` and
//! a bare type for all of them).

use svclab_sim::api::{
    ConfigMap, ControllerRevision, DaemonSet, Deployment, EndpointSlice, Endpoints, Namespace,
    Node, Object, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, ResourceKind, Secret,
    Service, StatefulSet, StorageClass,
};
use svclab_sim::cluster::{Cluster, Event};

use crate::io::Output;
use crate::kubectl as printers;
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

fn events<'a>(cluster: &'a Cluster, ns: &'a str, object: &'a str) -> Vec<&'a Event> {
    cluster.events.about(ns, object).collect()
}

/// Runs `kubectl describe …` (`-l` picks the objects of the type by label).
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let mut out = Output::status(0);
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    let (kind, names) = match super::operands::kind_and_names(operands) {
        Ok(found) => found,
        Err(super::operands::OperandError::Missing) => {
            out.status = 1;
            out.err("error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl describe -h' for help and examples\n");
            return out;
        }
        Err(super::operands::OperandError::UnknownType(message)) => {
            out.status = 1;
            out.err(message);
            return out;
        }
    };
    let ns = if kind.info().namespaced {
        target.namespace.as_str()
    } else {
        ""
    };
    let selector = match args.value("selector").map(printers::parse_selector) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            out.status = 1;
            out.err(format!("error: {e}\n"));
            return out;
        }
        None => None,
    };
    let names: Vec<String> = if names.is_empty() {
        cluster
            .store
            .keys_of(kind, Some(ns))
            .into_iter()
            .filter(|key| {
                selector.as_ref().is_none_or(|s| {
                    cluster
                        .store
                        .get_object(kind, key)
                        .is_some_and(|o| s.matches(&o.meta().labels))
                })
            })
            .map(|(_, n)| n)
            .collect()
    } else {
        names
    };
    if names.is_empty() && selector.is_some() {
        out.err(printers::no_resources_found(
            kind.info().namespaced.then_some(ns),
        ));
        return out;
    }
    let now = cluster.now_ms();
    let mut texts = Vec::new();
    for name in &names {
        let object = format!("{}/{name}", kind.info().singular);
        let text = match kind {
            ResourceKind::Pod => cluster
                .store
                .get::<Pod>(ns, name)
                .map(|p| printers::describe_pod(p, &events(cluster, ns, &object), now)),
            ResourceKind::Service => cluster.store.get::<Service>(ns, name).map(|s| {
                let slices: Vec<&EndpointSlice> = cluster
                    .store
                    .list::<EndpointSlice>(Some(ns))
                    .filter(|e| e.metadata.labels.get("kubernetes.io/service-name") == Some(name))
                    .collect();
                printers::describe_service(s, &slices, &events(cluster, ns, &object), now)
            }),
            ResourceKind::Node => cluster.store.get::<Node>("", name).map(|n| {
                let pods: Vec<&Pod> = cluster
                    .store
                    .list::<Pod>(None)
                    .filter(|p| p.spec.node_name == *name)
                    .collect();
                printers::describe_node(n, &pods, &events(cluster, "", &object), now)
            }),
            ResourceKind::ReplicaSet => cluster.store.get::<ReplicaSet>(ns, name).map(|r| {
                let pods: Vec<&Pod> = cluster.store.list::<Pod>(Some(ns)).collect();
                printers::describe_replica_set(r, &pods, &events(cluster, ns, &object), now)
            }),
            ResourceKind::Deployment => cluster.store.get::<Deployment>(ns, name).map(|d| {
                let sets: Vec<&ReplicaSet> = cluster.store.list::<ReplicaSet>(Some(ns)).collect();
                printers::describe_deployment(d, &sets, &events(cluster, ns, &object), now)
            }),
            ResourceKind::DaemonSet => cluster.store.get::<DaemonSet>(ns, name).map(|d| {
                let pods: Vec<&Pod> = cluster.store.list::<Pod>(Some(ns)).collect();
                printers::describe_daemon_set(d, &pods, &events(cluster, ns, &object), now)
            }),
            ResourceKind::StatefulSet => cluster.store.get::<StatefulSet>(ns, name).map(|s| {
                let pods: Vec<&Pod> = cluster.store.list::<Pod>(Some(ns)).collect();
                printers::statefulset::describe_stateful_set(
                    s,
                    &pods,
                    &events(cluster, ns, &object),
                    now,
                )
            }),
            ResourceKind::ControllerRevision => {
                cluster.store.get::<ControllerRevision>(ns, name).map(|r| {
                    printers::generic_describe::describe_generic(
                        &Object::ControllerRevision(r.clone()),
                        &events(cluster, ns, &object),
                        now,
                    )
                })
            }
            ResourceKind::PersistentVolumeClaim => cluster
                .store
                .get::<PersistentVolumeClaim>(ns, name)
                .map(|c| {
                    let pods: Vec<&Pod> = cluster.store.list::<Pod>(Some(ns)).collect();
                    printers::storage::describe_persistent_volume_claim(
                        c,
                        &pods,
                        &events(cluster, ns, &object),
                        now,
                    )
                }),
            ResourceKind::PersistentVolume => {
                cluster.store.get::<PersistentVolume>("", name).map(|v| {
                    printers::storage::describe_persistent_volume(
                        v,
                        &events(cluster, "", &object),
                        now,
                    )
                })
            }
            ResourceKind::StorageClass => cluster.store.get::<StorageClass>("", name).map(|c| {
                printers::storage::describe_storage_class(c, &events(cluster, "", &object), now)
            }),
            ResourceKind::ConfigMap => cluster
                .store
                .get::<ConfigMap>(ns, name)
                .map(|c| printers::describe_config_map(c, &events(cluster, ns, &object), now)),
            ResourceKind::Endpoints => {
                // The API server warns on every read of v1 Endpoints since v1.33.
                if !out
                    .stderr()
                    .contains(printers::ENDPOINTS_DEPRECATION_WARNING)
                {
                    out.err(printers::ENDPOINTS_DEPRECATION_WARNING);
                }
                cluster
                    .store
                    .get::<Endpoints>(ns, name)
                    .map(|e| printers::describe_endpoints(e, &events(cluster, ns, &object), now))
            }
            ResourceKind::EndpointSlice => cluster
                .store
                .get::<EndpointSlice>(ns, name)
                .map(|e| printers::describe_endpoint_slice(e, &events(cluster, ns, &object), now)),
            ResourceKind::Namespace => cluster
                .store
                .get::<Namespace>("", name)
                .map(printers::describe_namespace),
            // SecretDescriber prints no events.
            ResourceKind::Secret => cluster
                .store
                .get::<Secret>(ns, name)
                .map(printers::describe_secret),
        };
        match text {
            Some(t) => texts.push(t),
            None => {
                out.status = 1;
                out.err(format!(
                    "Error from server (NotFound): {}{} \"{name}\" not found\n",
                    kind.info().plural,
                    if kind.info().group.is_empty() {
                        String::new()
                    } else {
                        format!(".{}", kind.info().group)
                    }
                ));
            }
        }
    }
    // kubectl separates several descriptions with a blank line.
    out.out(texts.join("\n\n"));
    out
}
