//! Where a request goes first: the source and target as the page names them, resolved as curl
//! would, and the balancer in front (cloud-provider-kind's proxy, or the article's hand-made
//! ALB) that picks a node for each connection.

use std::net::Ipv4Addr;

use svclab_sim::api::Pod;
use svclab_sim::cluster::Cluster;
use svclab_sim::lab::Lab;
use svclab_sim::network::dns::{resolve, Answer};
use svclab_sim::network::load_balancer::{healthy_backends, proxy_target};
use svclab_sim::network::nginx::Request;
use svclab_sim::network::send::Source;

/// The hand-made ALB of the article's "NodePort needs something in front" step: a load
/// balancer on the kind network in front of every worker's node port.
pub const ALB_IP: Ipv4Addr = Ipv4Addr::new(172, 18, 0, 50);

/// A request's first leg: who sends it where, and the node whose rules it meets first.
pub struct Leg {
    /// The sender (a balancer, when one is in front).
    pub source: Source,
    /// The address it connects to.
    pub ip: Ipv4Addr,
    /// The port.
    pub port: u16,
    /// The node it enters, when known.
    pub entered: Option<String>,
}

/// What the page asked for, resolved once per batch.
pub struct Route {
    /// The source as asked (`host`, `alb`, `node NAME`, `pod NS/NAME`).
    pub from: String,
    /// The target as asked (`IP:PORT` or `NAME:PORT`).
    pub to: String,
    /// The sender.
    pub source: Source,
    /// Whether the article's ALB sends (round robin over the healthy workers).
    pub via_alb: bool,
    /// The resolved address.
    pub ip: Ipv4Addr,
    /// The port.
    pub port: u16,
}

impl Route {
    /// The current cluster and the route in it; errors are curl's words (or that there is no
    /// cluster yet).
    pub fn in_lab<'a>(
        lab: &'a mut Lab,
        from: &str,
        to: &str,
    ) -> Result<(&'a mut Cluster, Route), String> {
        let cluster = lab
            .current_cluster_name()
            .and_then(|name| lab.cluster_mut(&name))
            .ok_or("no cluster: run kind create cluster first")?;
        let route = Route::new(cluster, from, to)?;
        Ok((cluster, route))
    }

    /// Reads the page's source and target; errors are curl's words.
    pub fn new(cluster: &Cluster, from: &str, to: &str) -> Result<Route, String> {
        let via_alb = from.trim() == "alb";
        let source = parse_source(from)
            .or(via_alb.then_some(Source::Host))
            .ok_or_else(|| format!("unknown source {from:?}"))?;
        let (ip, port) = resolve_target(cluster, &source, to)?;
        Ok(Route {
            from: from.to_owned(),
            to: to.to_owned(),
            source,
            via_alb,
            ip,
            port,
        })
    }

    /// Whether each connection goes through a balancer that picks a node for it.
    pub fn balanced(&self, cluster: &Cluster) -> bool {
        self.via_alb || self.to_load_balancer(cluster)
    }

    /// Whether the target is a cloud-provider-kind load balancer's address.
    fn to_load_balancer(&self, cluster: &Cluster) -> bool {
        cluster
            .load_balancers
            .assigned
            .values()
            .any(|a| *a == self.ip)
    }

    /// The first leg of connection number `turn`; an error is how it ends before it starts
    /// (no healthy target behind the balancer).
    pub fn leg(&self, cluster: &mut Cluster, turn: usize) -> Result<Leg, String> {
        if self.via_alb {
            // Round robin over the workers that pass the health check (running and Ready;
            // kubeadm's control plane is excluded from load balancers).
            let targets = healthy_backends(cluster);
            let Some((node, node_ip)) = targets.get(turn % targets.len().max(1)).cloned() else {
                return Err(
                    "no answer: the ALB has no healthy target (it answers 503 itself)".into(),
                );
            };
            return Ok(Leg {
                source: Source::Balancer {
                    ip: ALB_IP,
                    node: node.clone(),
                },
                ip: node_ip,
                port: self.port,
                entered: Some(node),
            });
        }
        if self.to_load_balancer(cluster) {
            let Some((source, ip, port)) = proxy_target(cluster, self.ip, self.port) else {
                return Err(self.refused());
            };
            let entered = match &source {
                Source::Balancer { node, .. } => Some(node.clone()),
                _ => None,
            };
            return Ok(Leg {
                source,
                ip,
                port,
                entered,
            });
        }
        Ok(Leg {
            source: self.source.clone(),
            ip: self.ip,
            port: self.port,
            entered: entry_node(cluster, &self.source, self.ip),
        })
    }

    /// curl's words for a refused connection to the target.
    pub fn refused(&self) -> String {
        format!(
            "refused: curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
            self.ip, self.port
        )
    }

    /// The GET curl sends.
    pub fn request(&self) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: self.to.clone(),
            user_agent: "curl/8.9.1".into(),
        }
    }
}

/// The node whose rules a request meets first: the one addressed, else the source's own.
pub fn entry_node(cluster: &Cluster, source: &Source, ip: Ipv4Addr) -> Option<String> {
    cluster
        .nodes
        .values()
        .find(|n| n.ip == ip)
        .map(|n| n.name.clone())
        .or_else(|| match source {
            Source::Node(n) => Some(n.clone()),
            Source::Pod { namespace, name } => cluster
                .store
                .get::<Pod>(namespace, name)
                .map(|p| p.spec.node_name.clone()),
            _ => None,
        })
}

fn parse_source(from: &str) -> Option<Source> {
    let from = from.trim();
    if from == "host" {
        return Some(Source::Host);
    }
    if let Some(node) = from.strip_prefix("node ") {
        return Some(Source::Node(node.trim().to_owned()));
    }
    let (namespace, name) = from.strip_prefix("pod ")?.trim().split_once('/')?;
    Some(Source::Pod {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

/// `IP:PORT` or `NAME:PORT`, the name resolved as curl would from the source: a pod asks
/// CoreDNS with its namespace's search path; the host and the nodes use Docker's resolver,
/// which knows no cluster names. Failures are curl's words.
fn resolve_target(cluster: &Cluster, source: &Source, to: &str) -> Result<(Ipv4Addr, u16), String> {
    let bad = || format!("curl: (3) URL rejected: Bad hostname or port in {to:?}");
    let (host, port) = to.trim().rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok((ip, port));
    }
    // A node's name stands for its address: lessons write nodes this way
    // (`service-demo-worker:30000`), and inside the kind network docker's DNS answers node
    // names too. The page's own menus always send addresses.
    if let Some(node) = cluster.nodes.get(host) {
        return Ok((node.ip, port));
    }
    let unresolved = |name: &str| format!("curl: (6) Could not resolve host: {name}");
    let Source::Pod { namespace, .. } = source else {
        return Err(unresolved(host));
    };
    match resolve(cluster, host, Some(namespace)) {
        Answer::Addresses { ips, .. } => ips
            .first()
            .map(|ip| (*ip, port))
            .ok_or_else(|| unresolved(host)),
        // An ExternalName is a CNAME to a name outside the cluster, which the offline lab
        // cannot resolve: curl names the host it was given.
        Answer::Alias { .. } | Answer::NotFound => Err(unresolved(host)),
    }
}
