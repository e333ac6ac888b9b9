//! Which endpoints each traffic policy uses: pkg/proxy/topology.go `CategorizeEndpoints`
//! and pkg/proxy/serviceport.go (`UsesClusterEndpoints`, `UsesLocalEndpoints`).
//! Topology hints are not modelled (kind sets none), so topologyMode is always "".

use std::borrow::Borrow;

use super::model::{Endpoint, ServicePortInput, ServiceType, TrafficPolicy};

/// The result of categorizing a service port's endpoints for one node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Categorized {
    /// Endpoints for Cluster policy (empty if the port never uses Cluster policy).
    pub cluster: Vec<Endpoint>,
    /// Endpoints for Local policy (empty if the port never uses Local policy).
    pub local: Vec<Endpoint>,
    /// Union of both: the endpoints that get a KUBE-SEP chain on this node.
    pub all_reachable: Vec<Endpoint>,
    /// Whether any usable endpoint exists anywhere in the cluster.
    pub has_any: bool,
}

/// `apiservice.ExternalPolicyLocal`: only NodePort/LoadBalancer honour `Local`.
pub fn external_policy_local(svc: &ServicePortInput) -> bool {
    matches!(
        svc.service_type,
        ServiceType::NodePort | ServiceType::LoadBalancer
    ) && svc.external_traffic_policy == TrafficPolicy::Local
}

/// `apiservice.InternalPolicyLocal`.
pub fn internal_policy_local(svc: &ServicePortInput) -> bool {
    svc.internal_traffic_policy == TrafficPolicy::Local
}

/// `ExternallyAccessible`: a NodePort, LB VIPs or external IPs exist.
pub fn externally_accessible(node_port: u16, lb_ips: usize, external_ips: usize) -> bool {
    node_port != 0 || lb_ips != 0 || external_ips != 0
}

/// `CategorizeEndpoints(endpoints, svcInfo, nodeName, nodeLabels)` without topology hints.
/// `endpoints` must already be sorted and deduplicated by `ip:port` (EndpointSliceCache).
pub fn categorize(
    endpoints: &[Endpoint],
    node_name: &str,
    internal_local: bool,
    external_local: bool,
    externally_accessible: bool,
) -> Categorized {
    let idx = categorize_indices(
        endpoints,
        node_name,
        internal_local,
        external_local,
        externally_accessible,
    );
    let pick = |list: &[usize]| -> Vec<Endpoint> {
        list.iter()
            .filter_map(|&i| endpoints.get(i).cloned())
            .collect()
    };
    Categorized {
        cluster: pick(&idx.cluster),
        local: pick(&idx.local),
        all_reachable: pick(&idx.all_reachable),
        has_any: idx.has_any,
    }
}

/// [`Categorized`] as positions in the endpoint list, so the generator clones nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CategorizedIndices {
    /// See [`Categorized::cluster`].
    pub cluster: Vec<usize>,
    /// See [`Categorized::local`].
    pub local: Vec<usize>,
    /// See [`Categorized::all_reachable`].
    pub all_reachable: Vec<usize>,
    /// See [`Categorized::has_any`].
    pub has_any: bool,
}

/// [`categorize`] over any list of endpoints (owned or borrowed), returning positions.
pub(crate) fn categorize_indices<E: Borrow<Endpoint>>(
    endpoints: &[E],
    node_name: &str,
    internal_local: bool,
    external_local: bool,
    externally_accessible: bool,
) -> CategorizedIndices {
    let uses_cluster = !internal_local || externally_accessible;
    let uses_local = internal_local || (external_local && externally_accessible);
    let is_local = |e: &Endpoint| e.node_name.as_deref() == Some(node_name);
    let select = |keep: &dyn Fn(&Endpoint) -> bool| -> Vec<usize> {
        endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| keep((*e).borrow()))
            .map(|(i, _)| i)
            .collect()
    };
    let mut out = CategorizedIndices::default();

    if uses_cluster {
        out.cluster = select(&|e| e.ready);
        if out.cluster.is_empty() {
            out.cluster = select(&|e| e.serving && e.terminating);
        }
        out.has_any = !out.cluster.is_empty();
    }
    if !uses_local {
        out.all_reachable = out.cluster.clone();
        return out;
    }

    let mut local_ready = false;
    let mut local_serving_terminating = false;
    for e in endpoints.iter().map(Borrow::borrow) {
        if e.ready {
            out.has_any = true;
            local_ready |= is_local(e);
        } else if e.serving && e.terminating {
            out.has_any = true;
            local_serving_terminating |= is_local(e);
        }
    }
    let mut use_serving_terminating = false;
    if local_ready {
        out.local = select(&|e| is_local(e) && e.ready);
    } else if local_serving_terminating {
        use_serving_terminating = true;
        out.local = select(&|e| is_local(e) && e.serving && e.terminating);
    }
    if !uses_cluster {
        out.all_reachable = out.local.clone();
        return out;
    }
    if !use_serving_terminating {
        // clusterEndpoints already contains every ready (hence every local ready) endpoint.
        out.all_reachable = out.cluster.clone();
        return out;
    }
    // Upstream merges through a Go map (random order); we keep a stable ip:port order.
    let ep = |i: usize| endpoints.get(i).map(Borrow::borrow);
    let same = |a: usize, b: usize| match (ep(a), ep(b)) {
        (Some(x), Some(y)) => x.ip == y.ip && x.port == y.port,
        _ => false,
    };
    let mut all = out.cluster.clone();
    for &l in &out.local {
        if !all.iter().any(|&a| same(a, l)) {
            all.push(l);
        }
    }
    all.sort_by_key(|&i| ep(i).map(Endpoint::key));
    out.all_reachable = all;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(ip: &str, node: &str, ready: bool, terminating: bool) -> Endpoint {
        Endpoint {
            ip: ip.parse().unwrap(),
            port: 80,
            node_name: Some(node.to_string()),
            ready,
            serving: ready || terminating,
            terminating,
        }
    }

    #[test]
    fn local_policy_falls_back_to_serving_terminating() {
        let eps = [
            ep("10.0.0.1", "a", true, false),
            ep("10.0.0.2", "me", false, true),
        ];
        let c = categorize(&eps, "me", false, true, true);
        assert_eq!(c.cluster.len(), 1);
        assert_eq!(c.local.len(), 1);
        assert_eq!(c.all_reachable.len(), 2);
        assert!(c.has_any);
        let c = categorize(&eps, "me", true, false, false);
        assert!(c.cluster.is_empty());
        assert_eq!(c.all_reachable, c.local);
        let none = categorize(
            &[ep("10.0.0.3", "x", false, false)],
            "me",
            false,
            false,
            false,
        );
        assert!(!none.has_any);
    }
}
