//! Names kind gives a cluster's containers and kubeconfig entries.
//!
//! `pkg/cluster/internal/providers/common/namer.go`: `<cluster>-<role><suffix>`, the suffix
//! empty for the first node of a role, then 2, 3, …; `pkg/cluster/constants`:
//! `external-load-balancer`; `pkg/cluster/internal/kubeconfig/internal/kubeconfig/helpers.go`:
//! `kind-<cluster>` for the cluster, user and context.

use std::collections::BTreeMap;

/// The role value of kind's implicit load balancer (`ExternalLoadBalancerNodeRoleValue`).
pub const EXTERNAL_LOAD_BALANCER_ROLE: &str = "external-load-balancer";

/// namer.go `MakeNodeNamer`: hands out `<cluster>-<role>`, `<cluster>-<role>2`, … per role.
#[derive(Clone, Debug, Default)]
pub struct NodeNamer {
    cluster: String,
    counts: BTreeMap<String, u32>,
}

impl NodeNamer {
    /// A namer for the cluster `cluster`.
    pub fn new(cluster: &str) -> NodeNamer {
        NodeNamer {
            cluster: cluster.to_owned(),
            counts: BTreeMap::new(),
        }
    }

    /// The next container name for `role`.
    pub fn next_name(&mut self, role: &str) -> String {
        let count = self.counts.entry(role.to_owned()).or_insert(0);
        *count = count.saturating_add(1);
        if *count == 1 {
            format!("{}-{role}", self.cluster)
        } else {
            format!("{}-{role}{count}", self.cluster)
        }
    }
}

/// `KINDClusterKey`: the kubeconfig cluster, user and context name, `kind-<cluster>`.
pub fn kubeconfig_context(cluster: &str) -> String {
    format!("kind-{cluster}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_role() {
        let mut n = NodeNamer::new("kind");
        let got: Vec<String> = [
            "control-plane",
            "worker",
            "control-plane",
            "worker",
            "worker",
        ]
        .iter()
        .map(|r| n.next_name(r))
        .collect();
        assert_eq!(
            got,
            [
                "kind-control-plane",
                "kind-worker",
                "kind-control-plane2",
                "kind-worker2",
                "kind-worker3"
            ]
        );
        assert_eq!(
            n.next_name(EXTERNAL_LOAD_BALANCER_ROLE),
            "kind-external-load-balancer"
        );
        assert_eq!(kubeconfig_context("service-demo"), "kind-service-demo");
    }
}
