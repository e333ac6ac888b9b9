//! Whether a lesson's checks hold in the lab, read from the simulator and the terminal's
//! history.

use svclab_sim::api::{Namespace, Node, Pod, Service};
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
        Check::NoPodsOn(node) => !store
            .list::<Pod>(None)
            .any(|p| &p.spec.node_name == node && !crate::view::is_system(&p.metadata.namespace)),
        Check::Service {
            namespace,
            name,
            type_,
            node_port,
        } => store.get::<Service>(namespace, name).is_some_and(|s| {
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
        }),
        Check::NoService { namespace, name } => store.get::<Service>(namespace, name).is_none(),
        Check::NodeStopped(node) => cluster.nodes.get(node).is_some_and(|r| !r.running),
    }
}
