//! Whether a lesson's checks hold in the lab, read from the simulator and the terminal's
//! history.

use svclab_sim::api::{Endpoints, Namespace, Node, PersistentVolumeClaim, Pod, Service};
use svclab_sim::cluster::Cluster;
use svclab_terminal::session::Session;

use super::format::Check;

/// Whether `check` holds.
pub fn holds(session: &Session, check: &Check) -> bool {
    if let Check::Typed(text) = check {
        return session
            .commands()
            .iter()
            .any(|line| line.contains(text.as_str()));
    }
    let lab = &session.lab;
    let Some(cluster) = lab.current_cluster_name().and_then(|n| lab.cluster(&n)) else {
        return false;
    };
    holds_in(cluster, check)
}

fn holds_in(cluster: &Cluster, check: &Check) -> bool {
    let store = &cluster.store;
    match check {
        Check::Typed(_) => false,
        Check::Nodes(n) => store.list::<Node>(None).count() == *n,
        Check::Namespace(ns) => store.get::<Namespace>("", ns).is_some(),
        Check::PodsReady { namespace, count } => {
            store
                .list::<Pod>(Some(namespace))
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter(|p| {
                    p.status
                        .conditions
                        .iter()
                        .any(|c| c.type_ == "Ready" && c.status == "True")
                })
                .count()
                == *count
        }
        Check::ClaimsBound { namespace, count } => {
            store
                .list::<PersistentVolumeClaim>(Some(namespace))
                .filter(|c| c.status.phase == "Bound")
                .count()
                == *count
        }
        Check::NoPodsOn(node) => !store
            .list::<Pod>(None)
            .any(|p| &p.spec.node_name == node && !crate::view::is_system(&p.metadata.namespace)),
        Check::Service {
            namespace,
            name,
            type_,
            node_port,
            external_traffic_policy,
            session_affinity,
        } => store.get::<Service>(namespace, name).is_some_and(|s| {
            let etp = if s.spec.external_traffic_policy.is_empty() {
                "Cluster"
            } else {
                s.spec.external_traffic_policy.as_str()
            };
            let affinity = if s.spec.session_affinity.is_empty() {
                "None"
            } else {
                s.spec.session_affinity.as_str()
            };
            let kind = if s.spec.type_.is_empty() {
                "ClusterIP"
            } else {
                s.spec.type_.as_str()
            };
            type_.as_deref().is_none_or(|t| t == kind)
                && node_port.is_none_or(|np| {
                    s.spec
                        .ports
                        .iter()
                        .any(|p| p.node_port == Some(i32::from(np)))
                })
                && external_traffic_policy.as_deref().is_none_or(|p| p == etp)
                && session_affinity.as_deref().is_none_or(|a| a == affinity)
        }),
        Check::LoadBalancerIp { namespace, name } => {
            store.get::<Service>(namespace, name).is_some_and(|s| {
                s.status
                    .load_balancer
                    .ingress
                    .iter()
                    .any(|i| !i.ip.is_empty())
            })
        }
        Check::Endpoints {
            namespace,
            name,
            count,
        } => {
            store.get::<Endpoints>(namespace, name).map_or(0, |e| {
                e.subsets.iter().map(|s| s.addresses.len()).sum::<usize>()
            }) == *count
        }
        Check::NoService { namespace, name } => store.get::<Service>(namespace, name).is_none(),
        Check::NodeStopped(node) => cluster.nodes.get(node).is_some_and(|r| !r.running),
    }
}
