//! One request's journey: from its source (the learner's host, a node, a pod, a load balancer)
//! through each node's netfilter hooks and kindnet's routes to a pod, whose server answers.
//!
//! The data path is the real one: the host reaches only the kind Docker network (node and
//! load-balancer IPs), so ClusterIPs and pod IPs time out from there; a node answers on every
//! node port; DNAT picks the pod; a pod on another node is reached over the pod network
//! (kindnet's route via that node); masquerade happens where the rules say, so the pod logs
//! the client address it really sees.

use std::net::Ipv4Addr;

use crate::api::Pod;
use crate::cluster::Cluster;
use crate::netfilter::{traverse, veth_name, Delivery, Ingress, Packet, TraceEntry, Verdict};

use super::nginx::{self, Request, Response};

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

/// Sends one HTTP request to `dst:port` from `source`.
pub fn send(
    cluster: &mut Cluster,
    source: &Source,
    dst: Ipv4Addr,
    port: u16,
    request: &Request,
) -> Outcome {
    let mut hops = Vec::new();
    let sport = 32768 + cluster.rng.below(28232) as u16;
    // Where the packet first meets a node's stack, and how.
    let (mut node, mut packet, mut ingress) = match source {
        Source::Host => {
            let gateway = crate::kind::DOCKER_NETWORK_GATEWAY;
            hops.push(Hop {
                place: "host".into(),
                note: "sent over the kind Docker bridge".into(),
                packet: format!("{gateway}:{sport} -> {dst}:{port}"),
                rules: Vec::new(),
            });
            match node_with_ip(cluster, dst) {
                Some(n) => (
                    n,
                    Packet::tcp(gateway, sport, dst, port),
                    Ingress::Iface("eth0".into()),
                ),
                // Only the kind network is routed from the host: ClusterIPs and pod IPs are not.
                None => return timed_out(hops, "host", "no route into the cluster from the host"),
            }
        }
        Source::Node(name) => (
            name.clone(),
            Packet::tcp(Ipv4Addr::UNSPECIFIED, sport, dst, port),
            Ingress::LocalProcess,
        ),
        Source::Balancer { ip, node } => {
            hops.push(Hop {
                place: format!("load balancer {ip}"),
                note: format!("forwarded to {node}"),
                packet: format!("{ip}:{sport} -> {dst}:{port}"),
                rules: Vec::new(),
            });
            (
                node.clone(),
                Packet::tcp(*ip, sport, dst, port),
                Ingress::Iface("eth0".into()),
            )
        }
        Source::Pod { namespace, name } => {
            let Some(pod) = cluster.store.get::<Pod>(namespace, name).cloned() else {
                return timed_out(hops, name, "the pod does not exist");
            };
            if pod.spec.host_network {
                (
                    pod.spec.node_name.clone(),
                    Packet::tcp(Ipv4Addr::UNSPECIFIED, sport, dst, port),
                    Ingress::LocalProcess,
                )
            } else {
                let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>() else {
                    return timed_out(hops, name, "the pod has no IP yet");
                };
                if ip == dst {
                    return serve_at(cluster, hops, &pod, ip, port, request);
                }
                hops.push(Hop {
                    place: format!("pod {name}"),
                    note: "left through eth0 to its node".into(),
                    packet: format!("{ip}:{sport} -> {dst}:{port}"),
                    rules: Vec::new(),
                });
                let veth = veth_name(&pod.metadata.uid);
                (
                    pod.spec.node_name.clone(),
                    Packet::tcp(ip, sport, dst, port),
                    Ingress::Iface(veth),
                )
            }
        }
    };
    for _ in 0..MAX_NODE_HOPS {
        let now = cluster.now_ms();
        let Some(runtime) = cluster.nodes.get_mut(&node) else {
            return timed_out(hops, &node, "no such node");
        };
        if !runtime.running {
            return timed_out(hops, &node, "the node is down");
        }
        if runtime.conntrack.len() > CONNTRACK_KEEP {
            runtime.conntrack.flush();
        }
        let mut net = runtime.net();
        let result = traverse(&mut net, packet, &ingress, &mut cluster.rng, now);
        let left = result.packet;
        hops.push(Hop {
            place: node.clone(),
            note: describe(
                &result.delivery,
                result.verdict,
                result.drop_reason.as_deref(),
            ),
            packet: format!("{}:{} -> {}:{}", left.src, left.sport, left.dst, left.dport),
            rules: result.trace,
        });
        match (result.verdict, result.delivery) {
            (Verdict::Reject(_), _) => {
                return Outcome {
                    hops,
                    ending: Ending::Refused,
                }
            }
            (Verdict::Drop, _) | (_, None) => {
                return Outcome {
                    hops,
                    ending: Ending::TimedOut,
                }
            }
            (Verdict::Accept, Some(Delivery::Local)) => {
                // Nothing in the lab listens on the nodes themselves but kube-proxy's node
                // ports (handled by DNAT) and the API server.
                return Outcome {
                    hops,
                    ending: Ending::Refused,
                };
            }
            (Verdict::Accept, Some(Delivery::Out { dev, next_hop })) => {
                if dev.starts_with("veth") {
                    let Some(pod) = pod_with_ip(cluster, &node, left.dst) else {
                        return Outcome {
                            hops,
                            ending: Ending::TimedOut,
                        };
                    };
                    return serve_at(cluster, hops, &pod, left.src, left.dport, request);
                }
                match node_with_ip(cluster, next_hop) {
                    Some(next) if next != node => {
                        node = next;
                        packet = left;
                        packet.scrub();
                        ingress = Ingress::Iface("eth0".into());
                    }
                    // Out through the Docker gateway: nothing in the lab answers beyond it.
                    _ => {
                        return Outcome {
                            hops,
                            ending: Ending::TimedOut,
                        }
                    }
                }
            }
        }
    }
    timed_out(hops, &node, "routing loop")
}

/// Connections kept per node before the table is cleared: enough for `conntrack -L` to show
/// recent traffic, bounded so a million requests do not grow memory.
const CONNTRACK_KEEP: usize = 4096;

fn describe(delivery: &Option<Delivery>, verdict: Verdict, reason: Option<&str>) -> String {
    match (verdict, delivery) {
        (Verdict::Reject(_), _) => "rejected".into(),
        (Verdict::Drop, _) => reason.map_or("dropped".into(), |r| format!("dropped: {r}")),
        (_, Some(Delivery::Local)) => "delivered to the node itself".into(),
        (_, Some(Delivery::Out { dev, next_hop })) => format!("out {dev} via {next_hop}"),
        (_, None) => reason.map_or("dropped".into(), |r| format!("dropped: {r}")),
    }
}

fn timed_out(mut hops: Vec<Hop>, place: &str, why: &str) -> Outcome {
    hops.push(Hop {
        place: place.into(),
        note: why.into(),
        packet: String::new(),
        rules: Vec::new(),
    });
    Outcome {
        hops,
        ending: Ending::TimedOut,
    }
}

fn node_with_ip(cluster: &Cluster, ip: Ipv4Addr) -> Option<String> {
    cluster
        .nodes
        .values()
        .find(|n| n.ip == ip)
        .map(|n| n.name.clone())
}

fn pod_with_ip(cluster: &Cluster, node: &str, ip: Ipv4Addr) -> Option<Pod> {
    let ip = ip.to_string();
    cluster
        .store
        .list::<Pod>(None)
        .find(|p| p.spec.node_name == node && p.status.pod_ip == ip && !p.spec.host_network)
        .cloned()
}

/// The pod's container answers (nginx images serve HTTP on 80), and logs the request.
fn serve_at(
    cluster: &mut Cluster,
    mut hops: Vec<Hop>,
    pod: &Pod,
    client: Ipv4Addr,
    port: u16,
    request: &Request,
) -> Outcome {
    let running = pod.status.phase == "Running" && pod.metadata.deletion_timestamp.is_none();
    let serves_http = pod.spec.containers.iter().any(|c| is_nginx_image(&c.image)) && port == 80;
    if !running || !serves_http {
        hops.push(Hop {
            place: format!("pod {}", pod.metadata.name),
            note: "nothing listens on that port".into(),
            packet: String::new(),
            rules: Vec::new(),
        });
        return Outcome {
            hops,
            ending: Ending::Refused,
        };
    }
    let now = cluster.now_ms();
    let files = cluster
        .container_files
        .get(&pod.metadata.uid)
        .cloned()
        .unwrap_or_default();
    let response = nginx::serve(&files, request, now);
    let line = nginx::access_log_line(&client.to_string(), now, request, &response);
    let log = cluster
        .access_logs
        .entry(pod.metadata.uid.clone())
        .or_default();
    if log.len() >= ACCESS_LOG_KEEP {
        log.remove(0);
    }
    log.push(line);
    hops.push(Hop {
        place: format!("pod {}", pod.metadata.name),
        note: format!("nginx answered {} {}", response.status, response.reason),
        packet: format!("seen from {client}"),
        rules: Vec::new(),
    });
    Outcome {
        hops,
        ending: Ending::Served {
            namespace: pod.metadata.namespace.clone(),
            pod: pod.metadata.name.clone(),
            node: pod.spec.node_name.clone(),
            client,
            response,
        },
    }
}

/// Access-log lines kept per pod (like a container log rotated by size).
const ACCESS_LOG_KEEP: usize = 1000;

/// Whether an image runs nginx (`nginx`, `nginx:latest`, `docker.io/library/nginx:1.27`, …).
pub fn is_nginx_image(image: &str) -> bool {
    let name = image.split('@').next().unwrap_or(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    let name = name.split(':').next().unwrap_or(name);
    name == "nginx" || name.starts_with("nginx-")
}
