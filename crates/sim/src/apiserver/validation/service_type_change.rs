//! What an update that changes a Service's type drops (pkg/registry/core/service/strategy.go
//! `dropTypeDependentFields`, run by `PrepareForUpdate`). A Service is a union keyed by its
//! type, and fields the old type needed (some allocated or defaulted by the server) make no
//! sense for the new one: each is cleared when the update left it as it was, so
//! `kubectl patch svc web -p '{"spec":{"type":"ClusterIP"}}'` works on a NodePort Service. A
//! field the user changed too stays, for validation to refuse.

use super::defaults::{needs_cluster_ip, needs_node_port};
use super::service::{externally_accessible, needs_health_check};
use crate::api::{LoadBalancerStatus, Service};

/// Clears from `new` what its type no longer uses and the update did not touch.
pub fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    if needs_cluster_ip(old) && !needs_cluster_ip(new) {
        if new.spec.cluster_ip == old.spec.cluster_ip
            && new.spec.cluster_ips == old.spec.cluster_ips
        {
            // Released when the update is stored.
            new.spec.cluster_ip.clear();
            new.spec.cluster_ips.clear();
        }
        if new.spec.ip_families == old.spec.ip_families {
            new.spec.ip_families.clear();
        }
        if new.spec.ip_family_policy == old.spec.ip_family_policy {
            new.spec.ip_family_policy = None;
        }
    }
    if needs_node_port(old) && !needs_node_port(new) && same_node_ports(old, new) {
        for p in &mut new.spec.ports {
            p.node_port = None;
        }
    }
    if needs_health_check(old)
        && !needs_health_check(new)
        && new.spec.health_check_node_port == old.spec.health_check_node_port
    {
        new.spec.health_check_node_port = None;
    }
    if old.spec.type_ == "LoadBalancer"
        && new.spec.type_ != "LoadBalancer"
        && new.spec.allocate_load_balancer_node_ports.is_some()
        && new.spec.allocate_load_balancer_node_ports == old.spec.allocate_load_balancer_node_ports
    {
        new.spec.allocate_load_balancer_node_ports = None;
    }
    if externally_accessible(old)
        && !externally_accessible(new)
        && new.spec.external_traffic_policy == old.spec.external_traffic_policy
    {
        new.spec.external_traffic_policy.clear();
    }
    // LB de-provisioning is asynchronous, but the status says so at once.
    if new.spec.type_ != "LoadBalancer" {
        new.status.load_balancer = LoadBalancerStatus::default();
    }
}

/// `sameNodePorts`: the update added no node port the Service did not have.
fn same_node_ports(old: &Service, new: &Service) -> bool {
    let had: Vec<i32> = old.spec.ports.iter().filter_map(|p| p.node_port).collect();
    new.spec
        .ports
        .iter()
        .filter_map(|p| p.node_port)
        .filter(|&n| n != 0)
        .all(|n| had.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ServicePort;

    fn node_port_service() -> Service {
        let mut s = Service::default();
        s.spec.type_ = "NodePort".into();
        s.spec.cluster_ip = "10.96.0.20".into();
        s.spec.cluster_ips = vec!["10.96.0.20".into()];
        s.spec.external_traffic_policy = "Cluster".into();
        s.spec.ports = vec![ServicePort {
            port: 80,
            node_port: Some(30080),
            ..Default::default()
        }];
        s
    }

    #[test]
    fn a_node_port_service_turned_cluster_ip_drops_its_node_port_and_policy() {
        let old = node_port_service();
        let mut new = old.clone();
        new.spec.type_ = "ClusterIP".into();
        drop_type_dependent_fields(&mut new, &old);
        assert_eq!(new.spec.ports[0].node_port, None);
        assert_eq!(new.spec.external_traffic_policy, "");
        assert_eq!(
            new.spec.cluster_ip, "10.96.0.20",
            "a ClusterIP still needs it"
        );
    }

    #[test]
    fn a_new_node_port_in_the_same_update_is_kept_for_validation_to_refuse() {
        let old = node_port_service();
        let mut new = old.clone();
        new.spec.type_ = "ClusterIP".into();
        new.spec.ports[0].node_port = Some(30081);
        drop_type_dependent_fields(&mut new, &old);
        assert_eq!(new.spec.ports[0].node_port, Some(30081));
    }

    #[test]
    fn an_external_name_drops_the_cluster_ip() {
        let old = node_port_service();
        let mut new = old.clone();
        new.spec.type_ = "ExternalName".into();
        new.spec.external_name = "example.com".into();
        drop_type_dependent_fields(&mut new, &old);
        assert_eq!(new.spec.cluster_ip, "");
        assert!(new.spec.cluster_ips.is_empty());
        assert_eq!(new.spec.ports[0].node_port, None);
    }
}
