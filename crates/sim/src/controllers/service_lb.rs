//! LoadBalancer Services on kind, as cloud-provider-kind serves them: each gets a load-balancer
//! container on the `kind` Docker network, whose address becomes the Service's ingress IP a few
//! seconds after creation (kubernetes-sigs/cloud-provider-kind, pkg/loadbalancer). Until then
//! kubectl shows `<pending>`.
//!
//! cloud-provider-kind runs k8s.io/cloud-provider's service controller
//! (controllers/service/controller.go `syncLoadBalancerIfNeeded`): it records
//! `EnsuringLoadBalancer` and adds the `service.kubernetes.io/load-balancer-cleanup` finalizer
//! before making the load balancer, `EnsuredLoadBalancer` once it is up, and when the Service
//! no longer wants one, `DeletingLoadBalancer` (if it was made), the finalizer removed, and
//! `DeletedLoadBalancer`. (A deleted Service goes at once here; upstream the finalizer holds
//! it for the moment the cleanup takes.)

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::api::{LoadBalancerIngress, PortStatus, Service};
use crate::cluster::{timing, Cluster, ObjectKey, Timer};

/// The finalizer that keeps a Service until its load balancer is deleted.
pub const LOAD_BALANCER_CLEANUP: &str = "service.kubernetes.io/load-balancer-cleanup";
/// The service controller's event source.
const SERVICE_CONTROLLER: &str = "service-controller";

/// The load balancers of one cluster and the addresses they took on the kind network.
#[derive(Clone, Debug, Default)]
pub struct LoadBalancerPool {
    /// Services waiting for their load balancer.
    pub pending: BTreeSet<ObjectKey>,
    /// Services with a load balancer, and its IP.
    pub assigned: BTreeMap<ObjectKey, Ipv4Addr>,
}

pub(super) fn reconcile(cluster: &mut Cluster) {
    // Only LoadBalancer Services (the store's index) can want a load balancer.
    let wanting: Vec<ObjectKey> = cluster
        .store
        .tracker()
        .load_balancer_services
        .iter()
        .filter(|(ns, name)| {
            cluster
                .store
                .get::<Service>(ns, name)
                .is_some_and(|s| s.status.load_balancer.ingress.is_empty())
        })
        .filter(|k| !cluster.load_balancers.pending.contains(*k))
        .cloned()
        .collect();
    for key in wanting {
        let (ns, name) = (&key.0, &key.1);
        cluster.record_event(
            ns,
            &format!("service/{name}"),
            false,
            "EnsuringLoadBalancer",
            "Ensuring load balancer",
            SERVICE_CONTROLLER,
        );
        cluster.modify::<Service>(ns, name, |s| {
            s.metadata.add_finalizer(LOAD_BALANCER_CLEANUP);
        });
        cluster.load_balancers.pending.insert(key.clone());
        let due = cluster.now_ms().saturating_add(timing::LOAD_BALANCER_MS);
        cluster.timers.set(
            due,
            Timer::LoadBalancerReady {
                namespace: key.0,
                name: key.1,
            },
        );
    }
    // A Service deleted or no longer of type LoadBalancer gives its container back (or
    // stops waiting for one).
    let lb = &cluster.load_balancers;
    let gone: Vec<ObjectKey> = lb
        .assigned
        .keys()
        .chain(&lb.pending)
        .filter(|(ns, name)| {
            cluster
                .store
                .get::<Service>(ns, name)
                .is_none_or(|s| s.spec.type_ != "LoadBalancer")
        })
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for key in gone {
        let (ns, name) = (&key.0, &key.1);
        let object = format!("service/{name}");
        if cluster.load_balancers.assigned.remove(&key).is_some() {
            cluster.record_event(
                ns,
                &object,
                false,
                "DeletingLoadBalancer",
                "Deleting load balancer",
                SERVICE_CONTROLLER,
            );
        }
        cluster.load_balancers.pending.remove(&key);
        cluster.modify::<Service>(ns, name, |s| {
            s.status.load_balancer.ingress.clear();
            s.metadata.finalizers.retain(|f| f != LOAD_BALANCER_CLEANUP);
        });
        cluster.record_event(
            ns,
            &object,
            false,
            "DeletedLoadBalancer",
            "Deleted load balancer",
            SERVICE_CONTROLLER,
        );
    }
}

/// The load balancer is up: the Service gets the next free address on the kind network.
pub(super) fn assign(cluster: &mut Cluster, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    cluster.load_balancers.pending.remove(&key);
    let is_lb = cluster
        .store
        .get::<Service>(ns, name)
        .is_some_and(|s| s.spec.type_ == "LoadBalancer");
    if !is_lb {
        return;
    }
    let Some(ip) = next_free_address(cluster) else {
        return;
    };
    cluster.load_balancers.assigned.insert(key, ip);
    // cloud-provider-kind reports the Envoy container's IP in Proxy mode, with the Service's
    // ports (pkg/loadbalancer/server.go GetLoadBalancer).
    cluster.modify::<Service>(ns, name, |s| {
        let ports = s
            .spec
            .ports
            .iter()
            .map(|p| PortStatus {
                port: p.port,
                protocol: if p.protocol.is_empty() {
                    "TCP".into()
                } else {
                    p.protocol.clone()
                },
            })
            .collect();
        s.status.load_balancer.ingress = vec![LoadBalancerIngress {
            ip: ip.to_string(),
            hostname: String::new(),
            ip_mode: Some("Proxy".into()),
            ports,
        }];
    });
    cluster.record_event(
        ns,
        &format!("service/{name}"),
        false,
        "EnsuredLoadBalancer",
        "Ensured load balancer",
        SERVICE_CONTROLLER,
    );
}

/// The lowest address of the kind network after the gateway that no node, kind load balancer
/// or other Service load balancer holds.
fn next_free_address(cluster: &Cluster) -> Option<Ipv4Addr> {
    let mut taken: BTreeSet<Ipv4Addr> = cluster.nodes.values().map(|n| n.ip).collect();
    taken.extend(cluster.load_balancers.assigned.values().copied());
    if let Some(lb) = &cluster.layout.external_load_balancer {
        taken.insert(lb.ip);
    }
    (2u32..=0xfffe)
        .map(|i| Ipv4Addr::from(u32::from(Ipv4Addr::new(172, 18, 0, 0)) + i))
        .find(|ip| !taken.contains(ip))
}
