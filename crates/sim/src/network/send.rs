//! One request's journey: from its source (the learner's host, a node, a pod, a load balancer)
//! through each node's netfilter hooks and kindnet's routes to a pod, whose server answers.
//!
//! The data path is the real one: the host reaches only the kind Docker network (node and
//! load-balancer IPs), so ClusterIPs and pod IPs time out from there; a node answers on every
//! node port; DNAT picks the pod; a pod on another node is reached over the pod network
//! (kindnet's route via that node); masquerade happens where the rules say, so the pod logs
//! the client address it really sees.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::{Cluster, KeptTables, NodeRuntime, Store};
use crate::netfilter::eval::Notes;
use crate::netfilter::fasthash::FastMap;
use crate::netfilter::path::{traverse_in, DeliveryRef, IngressRef};
use crate::netfilter::run::{NodeDeltas, NodeView};
use crate::netfilter::{veth_name, Packet, PeerNode, TraceEntry, Tuple, Verdict, L4};
use crate::random::LabRng;

use super::access_log::AccessLog;
use super::nginx::{self, Files, Request, Response};
use super::reach::{full_nodes, FullNodes};

/// Where a request starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The learner's machine, outside the cluster (on the Docker bridge, 172.18.0.1).
    Host,
    /// A process on a node (`docker exec NODE curl …`).
    Node(String),
    /// A container of a pod (`kubectl exec` / `kubectl run … -- curl`).
    Pod {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
    },
    /// A load balancer on the kind network that forwards to `node` (an ALB target or
    /// cloud-provider-kind's envoy), from its own address.
    Balancer {
        /// The balancer's address.
        ip: Ipv4Addr,
        /// The node it picked.
        node: String,
    },
}

/// One place a request passed, with the rules that matched there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Where: `host`, a node name, a pod name, or a balancer.
    pub place: String,
    /// What happened there, in a few words.
    pub note: String,
    /// The packet as it left (source and destination after NAT).
    pub packet: String,
    /// Matched rules, in order.
    pub rules: Vec<TraceEntry>,
}

/// How the request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// A pod's server answered.
    Served {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        pod: String,
        /// The node it runs on.
        node: String,
        /// The client address the pod saw.
        client: Ipv4Addr,
        /// The answer.
        response: Response,
    },
    /// Nothing answered: dropped, lost, or no route (curl's error 28 after its timeout).
    TimedOut,
    /// Refused: a REJECT rule, or nothing listening (curl's error 7).
    Refused,
}

/// The whole journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Where it went.
    pub hops: Vec<Hop>,
    /// How it ended.
    pub ending: Ending,
}

/// Nodes a request may cross before the lab calls it a loop.
const MAX_NODE_HOPS: usize = 8;

/// Connections kept per node before the table is cleared: enough for `conntrack -L` to show
/// recent traffic, bounded so a million requests do not grow memory.
const CONNTRACK_KEEP: usize = 4096;

/// Sends one HTTP request to `dst:port` from `source`.
pub fn send(
    cluster: &mut Cluster,
    source: &Source,
    dst: Ipv4Addr,
    port: u16,
    request: &Request,
) -> Outcome {
    let now = cluster.now_ms();
    let mut hops = Vec::new();
    let (ending, deltas) = Journeys::run(cluster, source, (dst, port), request, |j| {
        let start = j.start(source, dst);
        match j.go(&start, dst, port, Some(&mut hops)) {
            End::Served { pod, client } => match j.pods.get(pod) {
                Some(p) => Ending::Served {
                    namespace: p.pod.metadata.namespace.clone(),
                    pod: p.pod.metadata.name.clone(),
                    node: p.pod.spec.node_name.clone(),
                    client,
                    response: nginx::serve(j.files_of(p.pod), request, now),
                },
                None => Ending::TimedOut,
            },
            End::TimedOut => Ending::TimedOut,
            End::Refused => Ending::Refused,
        }
    });
    apply(cluster, deltas);
    Outcome { hops, ending }
}

/// Adds the counters a run of requests counted to the nodes' tables.
pub(super) fn apply(cluster: &mut Cluster, deltas: Vec<(String, NodeDeltas)>) {
    for (name, d) in deltas {
        if let Some(n) = cluster.nodes.get_mut(&name) {
            d.apply(&mut n.filter, &mut n.nat, &mut n.mangle);
        }
    }
}

/// How a request ended, compactly (a batch counts these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum End {
    /// Served by pod number `pod` of [`Journeys::pods`], seeing `client`.
    Served {
        /// The pod.
        pod: usize,
        /// The client address the pod saw.
        client: Ipv4Addr,
    },
    /// See [`Ending::TimedOut`].
    TimedOut,
    /// See [`Ending::Refused`].
    Refused,
}

/// One node, borrowed for the run.
struct NodeAt<'a> {
    /// The key in `Cluster::nodes`: the node's name.
    key: &'a str,
    ip: Ipv4Addr,
    running: bool,
    net: NodeNet<'a>,
}

/// A node's network stack for the run, or the node itself until a packet first crosses it.
enum NodeNet<'a> {
    Built(Box<NodeView<'a>>),
    Pending(&'a mut NodeRuntime),
    /// Only while a pending node is being built.
    Gone,
}

/// Builds a node a packet crosses on its way to a pod ([`KeptTables::Fixed`]: see
/// [`super::reach`]) and its view for the run.
fn build_fixed(net: &mut NodeNet<'_>, peers: &[(String, PeerNode)], store: &Store) {
    // Swap in a placeholder to move the borrow of the node out of the enum.
    let NodeNet::Pending(n) = std::mem::replace(net, NodeNet::Gone) else {
        return;
    };
    crate::controllers::keep_fixed_chains(n);
    n.routing = crate::controllers::kind_node_routing(
        n,
        peers,
        crate::controllers::pod_veths(store, &n.name),
    );
    *net = NodeNet::Built(Box::new(built_view(n)));
}

/// The walker's view of a built node. kube-proxy turns route_localnet on (see
/// `NodeRuntime::net`).
fn built_view(n: &mut NodeRuntime) -> NodeView<'_> {
    NodeView::new(
        [&n.filter, &n.nat, &n.mangle],
        &mut n.conntrack,
        &mut n.recent,
        &n.routing,
        true,
    )
}

/// A pod, with what its server answers to the run's request once asked.
pub(super) struct PodAt<'a> {
    /// The pod.
    pub pod: &'a Pod,
    served: Option<Served>,
    /// The pod's access log, taken out of the cluster's map when the pod first answers and
    /// put back when the run ends: a batch appends to it without a lookup by uid per request.
    /// With it, the number of the run's request line in it ([`AccessLog::intern`]).
    log: Option<(AccessLog, usize)>,
}

/// Whether a pod serves HTTP on 80, and what.
#[derive(Clone, Copy)]
struct Served {
    running: bool,
    nginx: bool,
    answer: nginx::Answer,
}

/// Where requests from one source enter, worked out once for a run.
pub(super) struct Start<'s> {
    /// The hop before the first node.
    lead: Lead<'s>,
    then: Then<'s>,
}

enum Lead<'s> {
    None,
    Host,
    Balancer { ip: Ipv4Addr, node: &'s str },
    Pod { name: &'s str, ip: Ipv4Addr },
}

enum Then<'s> {
    /// Enter `node` (`place` names it; `node` is None if there is no such node).
    Node {
        node: Option<usize>,
        place: &'s str,
        src: Ipv4Addr,
        ingress: Entry,
    },
    /// The request ends before any node.
    Fail { place: &'s str, why: &'static str },
    /// A pod asking its own IP: its server answers directly.
    Itself { pod: usize, ip: Ipv4Addr },
}

/// How the packet enters the first node.
enum Entry {
    Local,
    Eth0,
    Veth(String),
}

/// The cluster borrowed for a run of requests with one `request`: nodes with their walk
/// caches, pods by address, the RNG and the access logs. Counters are added when it ends.
pub(super) struct Journeys<'a> {
    nodes: Vec<NodeAt<'a>>,
    /// Node indexes by address, the first in `nodes` order (a large cluster has thousands).
    node_by_ip: FastMap<Ipv4Addr, usize>,
    /// Every node's pod CIDR, for the routes of a node built on the way (a large cluster).
    peers: Vec<(String, PeerNode)>,
    store: &'a Store,
    /// The pods the run met, in the order met (a large cluster has 150,000 pods; a run
    /// meets a few).
    pub pods: Vec<PodAt<'a>>,
    /// Their places in `pods`, by the stored pod's address (the store is borrowed for the
    /// run, so an address stays one pod's).
    pod_places: FastMap<usize, usize>,
    /// The pod answering at an address on a node (by node index), found once per run.
    pod_at: FastMap<(usize, Ipv4Addr), Option<usize>>,
    rng: &'a mut LabRng,
    files: &'a BTreeMap<String, Files>,
    logs: &'a mut BTreeMap<String, AccessLog>,
    now: u64,
    request: &'a Request,
    notes: Notes,
}

static NO_FILES: Files = BTreeMap::new();

impl<'a> Journeys<'a> {
    /// Borrows `cluster` for `body`, then returns what it returned and the counters to add.
    pub(super) fn run<R>(
        cluster: &'a mut Cluster,
        source: &Source,
        (dst, port): (Ipv4Addr, u16),
        request: &'a Request,
        body: impl FnOnce(&mut Journeys<'a>) -> R,
    ) -> (R, Vec<(String, NodeDeltas)>) {
        // A large cluster builds nodes on demand: those where a Service's rule may match now,
        // the others with their fixed chains when a packet first crosses them.
        let mut peers = Vec::new();
        if cluster.lazy_kube_proxy() {
            let full: Vec<String> = match full_nodes(cluster, source, dst, port) {
                FullNodes::All => cluster.nodes.keys().cloned().collect(),
                FullNodes::These(names) => names,
            };
            for name in full {
                cluster.node_tables_ready(&name);
            }
            peers = crate::controllers::peer_nodes(&cluster.nodes);
        }
        let now = cluster.now_ms();
        let nodes: Vec<NodeAt<'a>> = cluster
            .nodes
            .iter_mut()
            .map(|(key, n)| NodeAt {
                key,
                ip: n.ip,
                running: n.running,
                net: if n.kept == KeptTables::Pending {
                    NodeNet::Pending(n)
                } else {
                    NodeNet::Built(Box::new(built_view(n)))
                },
            })
            .collect();
        let mut node_by_ip = FastMap::default();
        for (i, n) in nodes.iter().enumerate() {
            node_by_ip.entry(n.ip).or_insert(i);
        }
        let mut j = Journeys {
            nodes,
            node_by_ip,
            peers,
            store: &cluster.store,
            pods: Vec::new(),
            pod_places: FastMap::default(),
            pod_at: FastMap::default(),
            rng: &mut cluster.rng,
            files: &cluster.container_files,
            logs: &mut cluster.access_logs,
            now,
            request,
            notes: Notes::default(),
        };
        let r = body(&mut j);
        for p in &mut j.pods {
            if let Some((log, _)) = p.log.take() {
                j.logs.insert(p.pod.metadata.uid.clone(), log);
            }
        }
        let deltas = j
            .nodes
            .into_iter()
            .filter_map(|n| match n.net {
                NodeNet::Built(view) => Some((n.key.to_string(), view.into_deltas())),
                NodeNet::Pending(_) | NodeNet::Gone => None,
            })
            .collect();
        (r, deltas)
    }

    /// The files written into a pod's container.
    pub(super) fn files_of(&self, pod: &Pod) -> &'a Files {
        self.files.get(&pod.metadata.uid).unwrap_or(&NO_FILES)
    }

    fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.key == name)
    }

    fn node_with_ip(&self, ip: Ipv4Addr) -> Option<usize> {
        self.node_by_ip.get(&ip).copied()
    }

    /// The place in [`Journeys::pods`] of a stored pod, added when first met.
    fn place_of(&mut self, pod: &'a Pod) -> usize {
        let pods = &mut self.pods;
        *self
            .pod_places
            .entry(std::ptr::from_ref(pod) as usize)
            .or_insert_with(|| {
                pods.push(PodAt {
                    pod,
                    served: None,
                    log: None,
                });
                pods.len() - 1
            })
    }

    /// The first pod in store order on node `node` (by index) with address `ip`, not
    /// hostNetwork. The node's pods are its tracker entry, in store order.
    fn pod_with_ip(&mut self, node: usize, ip: Ipv4Addr) -> Option<usize> {
        if let Some(&known) = self.pod_at.get(&(node, ip)) {
            return known;
        }
        let store = self.store;
        let name = self.nodes.get(node)?.key;
        let found = store
            .tracker()
            .pods_by_node
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|(ns, pod)| store.get::<Pod>(ns, pod))
            // `Ipv4Addr` parses only the dotted-decimal form it prints (no leading zeros), so
            // an address that parses is written the way it compares.
            .find(|p| !p.spec.host_network && p.status.pod_ip.parse() == Ok(ip));
        let place = found.map(|p| self.place_of(p));
        self.pod_at.insert((node, ip), place);
        place
    }

    /// Entering node `place` from `src` through `ingress`.
    fn enter<'s>(&self, place: &'s str, src: Ipv4Addr, ingress: Entry) -> Then<'s> {
        Then::Node {
            node: self.node_index(place),
            place,
            src,
            ingress,
        }
    }

    /// Where requests from `source` to `dst` enter the cluster.
    pub(super) fn start<'s>(&mut self, source: &'s Source, dst: Ipv4Addr) -> Start<'s>
    where
        'a: 's,
    {
        match source {
            Source::Host => Start {
                lead: Lead::Host,
                then: match self.node_with_ip(dst) {
                    Some(i) => Then::Node {
                        node: Some(i),
                        place: self.nodes.get(i).map_or("", |n| n.key),
                        src: crate::kind::DOCKER_NETWORK_GATEWAY,
                        ingress: Entry::Eth0,
                    },
                    // Only the kind network is routed from the host: ClusterIPs and pod IPs
                    // are not.
                    None => Then::Fail {
                        place: "host",
                        why: "no route into the cluster from the host",
                    },
                },
            },
            Source::Node(name) => Start {
                lead: Lead::None,
                then: self.enter(name, Ipv4Addr::UNSPECIFIED, Entry::Local),
            },
            Source::Balancer { ip, node } => Start {
                lead: Lead::Balancer { ip: *ip, node },
                then: self.enter(node, *ip, Entry::Eth0),
            },
            Source::Pod { namespace, name } => {
                let store = self.store;
                let found = store.get::<Pod>(namespace, name);
                let Some((i, pod)) = found.map(|p| (self.place_of(p), p)) else {
                    return Start {
                        lead: Lead::None,
                        then: Then::Fail {
                            place: name,
                            why: "the pod does not exist",
                        },
                    };
                };
                if pod.spec.host_network {
                    return Start {
                        lead: Lead::None,
                        then: self.enter(&pod.spec.node_name, Ipv4Addr::UNSPECIFIED, Entry::Local),
                    };
                }
                let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>() else {
                    return Start {
                        lead: Lead::None,
                        then: Then::Fail {
                            place: name,
                            why: "the pod has no IP yet",
                        },
                    };
                };
                if ip == dst {
                    return Start {
                        lead: Lead::None,
                        then: Then::Itself { pod: i, ip },
                    };
                }
                Start {
                    lead: Lead::Pod { name, ip },
                    then: self.enter(
                        &pod.spec.node_name,
                        ip,
                        Entry::Veth(veth_name(&pod.metadata.uid)),
                    ),
                }
            }
        }
    }

    /// One request's journey from `start`; hops are written down when `hops` is given.
    pub(super) fn go(
        &mut self,
        start: &Start<'_>,
        dst: Ipv4Addr,
        port: u16,
        mut hops: Option<&mut Vec<Hop>>,
    ) -> End {
        let sport = self.source_port(&start.then, dst, port);
        if let Some(hops) = hops.as_deref_mut() {
            let (place, note, from) = match start.lead {
                Lead::None => (String::new(), String::new(), None),
                Lead::Host => (
                    "host".into(),
                    "sent over the kind Docker bridge".into(),
                    Some(crate::kind::DOCKER_NETWORK_GATEWAY),
                ),
                Lead::Balancer { ip, node } => (
                    format!("load balancer {ip}"),
                    format!("forwarded to {node}"),
                    Some(ip),
                ),
                Lead::Pod { name, ip } => (
                    format!("pod {name}"),
                    "left through eth0 to its node".into(),
                    Some(ip),
                ),
            };
            if let Some(from) = from {
                hops.push(Hop {
                    place,
                    note,
                    packet: format!("{from}:{sport} -> {dst}:{port}"),
                    rules: Vec::new(),
                });
            }
        }
        let (mut node, mut place, src, entry) = match &start.then {
            Then::Node {
                node,
                place,
                src,
                ingress,
            } => (*node, *place, *src, ingress),
            Then::Fail { place, why } => return timed_out(hops, place, why),
            Then::Itself { pod, ip } => return self.serve_at(hops, *pod, *ip, port),
        };
        let mut packet = Packet::tcp(src, sport, dst, port);
        let mut ingress = match entry {
            Entry::Local => IngressRef::LocalProcess,
            Entry::Eth0 => IngressRef::Iface("eth0"),
            Entry::Veth(v) => IngressRef::Iface(v),
        };
        self.notes.tracing = hops.is_some();
        for _ in 0..MAX_NODE_HOPS {
            let Some(at) = node.and_then(|i| self.nodes.get_mut(i)) else {
                return timed_out(hops, place, "no such node");
            };
            if !at.running {
                return timed_out(hops, place, "the node is down");
            }
            let net = match &mut at.net {
                NodeNet::Built(net) => net,
                pending => {
                    build_fixed(pending, &self.peers, self.store);
                    let NodeNet::Built(net) = pending else {
                        return timed_out(hops, place, "no such node");
                    };
                    net
                }
            };
            if net.conntrack.len() > CONNTRACK_KEEP {
                net.conntrack.flush();
            }
            let result = traverse_in(net, packet, ingress, self.rng, self.now, &mut self.notes);
            let left = result.packet;
            if let Some(hops) = hops.as_deref_mut() {
                hops.push(Hop {
                    place: place.to_string(),
                    note: describe(result.delivery, result.verdict, result.drop_reason),
                    packet: format!("{}:{} -> {}:{}", left.src, left.sport, left.dst, left.dport),
                    rules: std::mem::take(&mut self.notes.trace),
                });
            }
            self.notes.hooks.clear();
            self.notes.warnings.clear();
            match (result.verdict, result.delivery) {
                (Verdict::Reject(_), _) => return End::Refused,
                (Verdict::Drop, _) | (_, None) => return End::TimedOut,
                // Nothing in the lab listens on the nodes themselves but kube-proxy's node
                // ports (handled by DNAT) and the API server.
                (Verdict::Accept, Some(DeliveryRef::Local)) => return End::Refused,
                (Verdict::Accept, Some(DeliveryRef::Out { dev, next_hop })) => {
                    if dev.starts_with("veth") {
                        let Some(pod) = node.and_then(|i| self.pod_with_ip(i, left.dst)) else {
                            return End::TimedOut;
                        };
                        return self.serve_at(hops, pod, left.src, left.dport);
                    }
                    match self.node_with_ip(next_hop) {
                        Some(next) if self.nodes.get(next).is_some_and(|n| n.key != place) => {
                            node = Some(next);
                            place = self.nodes.get(next).map_or("", |n| n.key);
                            packet = left;
                            packet.scrub();
                            ingress = IngressRef::Iface("eth0");
                        }
                        // Out through the Docker gateway: nothing in the lab answers beyond it.
                        _ => return End::TimedOut,
                    }
                }
            }
        }
        timed_out(hops, place, "routing loop")
    }

    /// The client's port: a random one of the ephemeral range (`ip_local_port_range`
    /// 32768–60999) that no connection the entry node still tracks uses with the same
    /// addresses. connect() never reuses a busy 4-tuple (`inet_hash_connect`); drawing one the
    /// node's conntrack holds would make a new request look like a packet of an old
    /// connection, skip the nat table and miss its counters.
    fn source_port(&mut self, then: &Then<'_>, dst: Ipv4Addr, port: u16) -> u16 {
        let mut draw = || 32768 + self.rng.below(28232) as u16;
        let first = draw();
        let Then::Node {
            node: Some(i), src, ..
        } = then
        else {
            return first;
        };
        let conntrack = match self.nodes.get(*i).map(|n| &n.net) {
            Some(NodeNet::Built(view)) => &*view.conntrack,
            Some(NodeNet::Pending(node)) => &node.conntrack,
            _ => return first,
        };
        let busy = |sport| {
            conntrack.holds(&Tuple {
                src: *src,
                sport,
                dst,
                dport: port,
                proto: L4::Tcp,
            })
        };
        // A node keeps at most CONNTRACK_KEEP of the 28,232 ports busy: a free one comes
        // within a few draws; the bound only guards the loop.
        let mut sport = first;
        for _ in 0..64 {
            if !busy(sport) {
                break;
            }
            sport = draw();
        }
        sport
    }

    /// The pod's container answers (nginx images serve HTTP on 80), and logs the request.
    fn serve_at(
        &mut self,
        hops: Option<&mut Vec<Hop>>,
        pod: usize,
        client: Ipv4Addr,
        port: u16,
    ) -> End {
        let files = self.files;
        let request = self.request;
        let Some(p) = self.pods.get_mut(pod) else {
            return End::TimedOut;
        };
        let the_pod = p.pod;
        let served = *p.served.get_or_insert_with(|| Served {
            running: the_pod.status.phase == "Running"
                && the_pod.metadata.deletion_timestamp.is_none(),
            nginx: the_pod
                .spec
                .containers
                .iter()
                .any(|c| is_nginx_image(&c.image)),
            answer: nginx::answer(
                files.get(&the_pod.metadata.uid).unwrap_or(&NO_FILES),
                request,
            ),
        });
        if !served.running || !served.nginx || port != 80 {
            if let Some(hops) = hops {
                hops.push(Hop {
                    place: format!("pod {}", the_pod.metadata.name),
                    note: "nothing listens on that port".into(),
                    packet: String::new(),
                    rules: Vec::new(),
                });
            }
            return End::Refused;
        }
        let answer = served.answer;
        let logs = &mut *self.logs;
        let (log, line) = p.log.get_or_insert_with(|| {
            let mut log = logs
                .remove(the_pod.metadata.uid.as_str())
                .unwrap_or_default();
            let line = log.intern(request);
            (log, line)
        });
        log.push_line(
            client,
            self.now,
            *line,
            answer.status,
            answer.body_bytes_sent,
        );
        if let Some(hops) = hops {
            hops.push(Hop {
                place: format!("pod {}", the_pod.metadata.name),
                note: format!("nginx answered {} {}", answer.status, answer.reason),
                packet: format!("seen from {client}"),
                rules: Vec::new(),
            });
        }
        End::Served { pod, client }
    }
}

fn describe(delivery: Option<DeliveryRef<'_>>, verdict: Verdict, reason: Option<&str>) -> String {
    match (verdict, delivery) {
        (Verdict::Reject(_), _) => "rejected".into(),
        (Verdict::Drop, _) => reason.map_or("dropped".into(), |r| format!("dropped: {r}")),
        (_, Some(DeliveryRef::Local)) => "delivered to the node itself".into(),
        (_, Some(DeliveryRef::Out { dev, next_hop })) => format!("out {dev} via {next_hop}"),
        (_, None) => reason.map_or("dropped".into(), |r| format!("dropped: {r}")),
    }
}

fn timed_out(hops: Option<&mut Vec<Hop>>, place: &str, why: &str) -> End {
    if let Some(hops) = hops {
        hops.push(Hop {
            place: place.into(),
            note: why.into(),
            packet: String::new(),
            rules: Vec::new(),
        });
    }
    End::TimedOut
}

/// Whether an image runs nginx (`nginx`, `nginx:latest`, `docker.io/library/nginx:1.27`, …).
pub fn is_nginx_image(image: &str) -> bool {
    let name = image.split('@').next().unwrap_or(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    let name = name.split(':').next().unwrap_or(name);
    name == "nginx" || name.starts_with("nginx-")
}
