//! One simulated kind cluster: its nodes, its API objects, its virtual clock and its own seeded
//! randomness. Controllers (`crate::controllers`) settle it after every change.

mod bootstrap;
mod bootstrap_token;
mod certificate;
mod clock;
mod events;
mod interned;
mod ipam;
mod node_runtime;
mod store;
mod system_configmaps;
mod system_daemonsets;
mod timers;
pub mod timing;
mod tracker;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeMap;

pub use clock::{ctime, http_date, nginx_log_time, rfc3339, Civil, Clock, LAB_EPOCH_MS};
pub use events::{Event, EventLog};
pub use interned::Interned;
pub use ipam::HostLocalIpam;
pub use node_runtime::{KeptTables, NodeRuntime};
pub use store::{key_of, ObjectKey, Resource, Store};
pub use timers::{Timer, Timers};
pub use tracker::{drain_in_order, OwnerKey, SortedSet, Tracker, REVISION_LABEL};

use crate::api::ObjectMeta;
use crate::kind::ClusterLayout;
use crate::kubeproxy::ServicePortInput;
use crate::random::LabRng;

/// Formats 16 bytes as a version 4 UUID.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A running kind cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// The shape kind built: names, IPs, CIDRs, taints.
    pub layout: ClusterLayout,
    /// Every API object.
    pub store: Store,
    /// Each node's runtime, by node name.
    pub nodes: BTreeMap<String, NodeRuntime>,
    /// The event log.
    pub events: EventLog,
    /// Work due later.
    pub timers: Timers,
    /// This cluster's share of the lab's randomness.
    pub rng: LabRng,
    /// What kube-proxy was last told about each service port (by `ns/name:port`), so that a
    /// change reaches the nodes as an incremental update of just that port.
    pub proxied: BTreeMap<String, ServicePortInput>,
    /// The Service ClusterIP allocator over the service subnet.
    pub cluster_ips: crate::apiserver::allocators::ClusterIpAllocator,
    /// The node-port allocator (30000-32767).
    pub node_ports: crate::apiserver::allocators::NodePortAllocator,
    /// The resourceVersion the nodes' routes were last built at.
    pub routes_version: Option<u64>,
    /// Files written into containers (by `kubectl exec`), by pod uid.
    pub container_files: BTreeMap<String, crate::network::nginx::Files>,
    /// What pods wrote into PersistentVolumes, by volume name, paths relative to the volume:
    /// the files outlive the pods (a local-path directory on the node).
    pub volume_files: BTreeMap<String, crate::network::nginx::Files>,
    /// What each started container's ConfigMap references gave, by pod uid and container
    /// name (only containers that have some).
    pub container_env: BTreeMap<String, BTreeMap<String, crate::api::ReferencedEnv>>,
    /// nginx access logs, by pod uid (`kubectl logs`: see [`Cluster::access_log_lines`]).
    pub access_logs: BTreeMap<String, crate::network::access_log::AccessLog>,
    /// cloud-provider-kind's load balancers.
    pub load_balancers: crate::controllers::LoadBalancerPool,
    /// What the scheduler derived from the nodes, kept until a Node is written.
    pub(crate) scheduler_nodes: crate::controllers::SchedulerNodes,
    /// The taint eviction controller's list of nodes with NoExecute taints.
    pub(crate) no_execute_nodes: crate::controllers::NoExecuteNodes,
    /// What the DaemonSet controller keeps between passes.
    pub(crate) daemonsets: crate::controllers::DaemonSetCache,
    /// Pod parts handed out shared.
    pub interned: Interned,
    clock: Clock,
}

/// The ClusterIP allocator for the cluster's (first, IPv4) service subnet; kind's default
/// 10.96.0.0/16 if that subnet cannot be used.
fn service_ip_allocator(subnet: &str) -> crate::apiserver::allocators::ClusterIpAllocator {
    let first = subnet.split(',').next().unwrap_or("").trim();
    crate::apiserver::allocators::ClusterIpAllocator::new(first).unwrap_or_default()
}

/// The most passes controllers get to settle one change; each pass is a full round of every
/// controller, and a real change settles in a handful.
const MAX_SETTLE_PASSES: usize = 64;

/// Clusters with at most this many nodes keep every node's kube-proxy tables and routes up to
/// date after every change (as the lab always did, and as the packet walker expects); larger
/// ones build a node's only when asked ([`Cluster::node_tables_ready`]). At Kubernetes' 10,000
/// Services one node's tables take over 100 MiB, so 5,000 eager nodes cannot fit.
pub const EAGER_KUBE_PROXY_NODES: usize = 50;

impl Cluster {
    /// The cluster `kind create cluster` leaves behind: nodes Ready, system pods running.
    pub fn boot(layout: ClusterLayout, seed: u64, now_ms: u64) -> Cluster {
        let mut clock = Clock::default();
        clock.advance_to(now_ms);
        let layout_subnet = layout.service_subnet.clone();
        let mut cluster = Cluster {
            layout,
            store: Store::default(),
            nodes: BTreeMap::new(),
            events: EventLog::default(),
            timers: Timers::default(),
            rng: LabRng::from_seed(seed),
            proxied: BTreeMap::new(),
            cluster_ips: service_ip_allocator(&layout_subnet),
            node_ports: crate::apiserver::allocators::NodePortAllocator::default(),
            load_balancers: Default::default(),
            routes_version: None,
            container_files: BTreeMap::new(),
            volume_files: BTreeMap::new(),
            container_env: BTreeMap::new(),
            access_logs: BTreeMap::new(),
            scheduler_nodes: Default::default(),
            no_execute_nodes: Default::default(),
            daemonsets: Default::default(),
            interned: Interned::default(),
            clock,
        };
        bootstrap::boot(&mut cluster);
        cluster
    }

    /// Whether nodes' kube-proxy tables are built on demand (more than
    /// [`EAGER_KUBE_PROXY_NODES`] nodes) rather than kept up to date on every node.
    pub fn lazy_kube_proxy(&self) -> bool {
        self.layout.nodes.len() > EAGER_KUBE_PROXY_NODES
    }

    /// Brings one node's kube-proxy rules, netfilter tables and routes up to date (a full sync
    /// from `proxied` if it has none yet) and keeps them so from then on. Call it before reading
    /// a node's `filter`, `nat`, `mangle`, `proxy` or `routing`, e.g. before walking a packet
    /// through it. Returns whether the node exists.
    pub fn node_tables_ready(&mut self, node: &str) -> bool {
        if !self.nodes.contains_key(node) {
            return false;
        }
        crate::controllers::materialize_node(self, node);
        true
    }

    /// The cluster's name.
    pub fn name(&self) -> &str {
        &self.layout.name
    }

    /// Now, in virtual milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// Runs time forward to `at_ms`: every timer due fires at its own instant, and the
    /// controllers settle after each.
    pub fn advance_to(&mut self, at_ms: u64) {
        while let Some((due, timer)) = self.timers.pop_due(at_ms) {
            self.clock.advance_to(due);
            crate::controllers::fire(self, timer);
            self.settle();
        }
        self.clock.advance_to(at_ms);
    }

    /// Runs every controller until nothing changes (a bounded number of passes).
    pub fn settle(&mut self) {
        for _ in 0..MAX_SETTLE_PASSES {
            if !crate::controllers::reconcile_all(self) {
                break;
            }
        }
        crate::controllers::sync_kube_proxies(self);
    }

    /// Fills in what the API server sets on create: the name from `generateName`, uid,
    /// resourceVersion and creationTimestamp.
    pub fn stamp_new(&mut self, meta: &mut ObjectMeta) {
        if meta.name.is_empty() && !meta.generate_name.is_empty() {
            meta.name = crate::names::generate_name(&mut self.rng, &meta.generate_name);
        }
        let uid = self.new_uid();
        self.stamp_created(meta, uid);
    }

    /// The uid, a new resourceVersion and the creation time.
    fn stamp_created(&mut self, meta: &mut ObjectMeta, uid: String) {
        meta.uid = uid;
        meta.resource_version = self.store.next_resource_version();
        meta.creation_timestamp = rfc3339(self.now_ms());
    }

    /// Changes a stored object through `change`; if that changed anything, the object gets a
    /// new resourceVersion. Returns whether it changed. Controllers write only through this,
    /// so that settling reaches a fixed point.
    pub fn modify<T: Resource + PartialEq>(
        &mut self,
        namespace: &str,
        name: &str,
        change: impl FnOnce(&mut T),
    ) -> bool {
        let Some(current) = self.store.get::<T>(namespace, name) else {
            return false;
        };
        let mut next = current.clone();
        change(&mut next);
        if &next == current {
            return false;
        }
        next.meta_mut().resource_version = self.store.next_resource_version();
        self.store.put(next);
        true
    }

    /// Bumps the resourceVersion of an object being written.
    pub fn stamp_update(&mut self, meta: &mut ObjectMeta) {
        meta.resource_version = self.store.next_resource_version();
    }

    /// A random (version 4) UUID, from the cluster's seeded generator.
    pub fn new_uid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        for chunk in bytes.chunks_mut(4) {
            let word = self.rng.next_u32().to_be_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        uuid_v4(bytes)
    }

    /// Fills in what the API server sets on create, like [`Cluster::stamp_new`], for an
    /// object the lab added to what it first modelled (a system ConfigMap, a namespace's
    /// root CA): its uid comes from its key instead of the seeded generator, so that adding
    /// it does not move every later random draw (pod names, IPs, placement) of a seed.
    pub fn stamp_new_keyed(&mut self, kind: &str, meta: &mut ObjectMeta) {
        let text = format!(
            "{}/{kind}/{}/{}",
            self.layout.name, meta.namespace, meta.name
        );
        let mut bytes = [0u8; 16];
        for (salt, chunk) in bytes.chunks_mut(4).enumerate() {
            let word = crate::names::fnv32a(format!("{salt}{text}").as_bytes()).to_be_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        self.stamp_created(meta, uuid_v4(bytes));
    }

    /// The cluster CA's certificate in PEM, as `kube-root-ca.crt` and the kubeconfig carry
    /// it. kubeadm makes a fresh self-signed RSA 2048 certificate (CN `kubernetes`); the lab
    /// makes text of that shape and length from the cluster's name (no signature to check).
    pub fn ca_certificate(&self) -> String {
        certificate::ca_pem(&self.layout.name)
    }

    /// The front proxy CA's certificate (kubeadm's `front-proxy-ca.crt`), made the same way.
    pub fn front_proxy_ca_certificate(&self) -> String {
        certificate::ca_pem(&format!("{}/front-proxy-ca", self.layout.name))
    }

    /// The nginx access-log lines of the pod with this uid, oldest first (`kubectl logs`).
    pub fn access_log_lines(&self, uid: &str) -> Vec<String> {
        self.access_logs
            .get(uid)
            .map(|log| log.lines())
            .unwrap_or_default()
    }

    /// Records an event at the current instant.
    pub fn record_event(
        &mut self,
        namespace: &str,
        object: &str,
        warning: bool,
        reason: &str,
        message: &str,
        source: &str,
    ) {
        let now = self.now_ms();
        let type_ = if warning { "Warning" } else { "Normal" };
        self.events.record_at(
            now, namespace, object, type_, reason, message, source, "", "",
        );
    }

    /// The kubelet on `node` reports about a pod's container (`spec.containers{NAME}`).
    pub fn record_container_event(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        node: &str,
        reason: &str,
        message: &str,
    ) {
        self.record_container_event_of("Normal", namespace, pod, container, node, reason, message);
    }

    /// [`Cluster::record_container_event`] of the given type (`Normal` or `Warning`).
    #[allow(clippy::too_many_arguments)]
    pub fn record_container_event_of(
        &mut self,
        type_: &str,
        namespace: &str,
        pod: &str,
        container: &str,
        node: &str,
        reason: &str,
        message: &str,
    ) {
        let now = self.now_ms();
        self.events.record_at(
            now,
            namespace,
            &format!("pod/{pod}"),
            type_,
            reason,
            message,
            "kubelet",
            node,
            &format!("spec.containers{{{container}}}"),
        );
    }
}
