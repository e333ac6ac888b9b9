//! A kind node's addresses and routes: the `ip route` it prints, the route lookup the packet
//! walk needs (which interface, which next hop, which source address MASQUERADE picks), and
//! the address types `-m addrtype` tests.
//!
//! What a kind node has (kind v0.29.0, kindnetd with the CNI `ptp` plugin):
//! - `eth0` on the docker network `kind`, address from Docker IPAM, default route via the
//!   bridge gateway (set by Docker through netlink, protocol `boot`, so no `proto` is printed);
//!   the kernel's prefix route `172.18.0.0/16 dev eth0 proto kernel scope link src <ip>`.
//! - kindnetd `syncRoute` (images/kindnetd/cmd/kindnetd/routes.go): for every *other* node,
//!   `netlink.Route{Dst: podCIDR, Gw: nodeIP}` → `10.244.2.0/24 via 172.18.0.4 dev eth0`.
//! - For every local pod, ptp's `setupHostVeth` (containernetworking/plugins
//!   plugins/main/ptp/ptp.go): the gateway (`.1` of the node's pod CIDR) as a /32 address on
//!   the host-side veth, and `ip.AddHostRoute` → `10.244.1.2 dev vethXXXXXXXX scope host`.
//!   The veth name is `ip.RandomVethName()` (pkg/ip/link_linux.go): `fmt.Sprintf("veth%x",
//!   4 random bytes)`.

use std::fmt::Write as _;
use std::net::Ipv4Addr;

use sha2::{Digest, Sha256};

use crate::iptables::Ipv4Cidr;

/// `rtm_scope` values iproute2 prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteScope {
    /// `RT_SCOPE_UNIVERSE` (not printed).
    Universe,
    /// `RT_SCOPE_LINK`.
    Link,
    /// `RT_SCOPE_HOST`.
    Host,
}

/// One route of the main table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    /// Destination prefix (`0.0.0.0/0` is printed `default`).
    pub dst: Ipv4Cidr,
    /// Gateway (`via`).
    pub via: Option<Ipv4Addr>,
    /// Output device.
    pub dev: String,
    /// `proto kernel` (a prefix route the kernel added with an address); otherwise `boot`,
    /// which iproute2 does not print.
    pub proto_kernel: bool,
    /// Scope.
    pub scope: RouteScope,
    /// Preferred source (`src`).
    pub src: Option<Ipv4Addr>,
}

impl Route {
    /// The line `ip route` prints (iproute2 ip/iproute.c `print_route`: every field is
    /// printed as `"%s "`, so each line ends with a space).
    pub fn line(&self) -> String {
        let mut s = String::new();
        if self.dst.is_any() {
            s.push_str("default ");
        } else {
            // format_host + "/len" unless it is a host route.
            let _ = write!(s, "{} ", self.dst.to_list_numeric());
        }
        if let Some(g) = self.via {
            let _ = write!(s, "via {g} ");
        }
        let _ = write!(s, "dev {} ", self.dev);
        if self.proto_kernel {
            s.push_str("proto kernel ");
        }
        match self.scope {
            RouteScope::Universe => {}
            RouteScope::Link => s.push_str("scope link "),
            RouteScope::Host => s.push_str("scope host "),
        }
        if let Some(src) = self.src {
            let _ = write!(s, "src {src} ");
        }
        s
    }
}

/// An address on an interface (`ip -4 addr`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IfaceAddr {
    /// The device.
    pub dev: String,
    /// The address.
    pub addr: Ipv4Addr,
    /// Its prefix length.
    pub prefix: u8,
}

/// Where the routing decision sends a packet.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RouteHit {
    /// A local address: delivered through INPUT (`RTN_LOCAL`).
    Local,
    /// Out of a device.
    Out {
        /// The output device.
        dev: String,
        /// The next hop (the gateway, or the destination itself on a link/host route).
        next_hop: Ipv4Addr,
        /// The address the kernel would use as source on this device (`inet_select_addr`):
        /// what a locally generated packet gets and what MASQUERADE rewrites to.
        src: Option<Ipv4Addr>,
    },
}

/// [`RouteHit`] borrowing the device name from the table (no allocation per lookup).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum RouteHitRef<'r> {
    /// A local address.
    Local,
    /// Out of a device.
    Out {
        /// The output device.
        dev: &'r str,
        /// The next hop.
        next_hop: Ipv4Addr,
        /// The source address on that device.
        src: Option<Ipv4Addr>,
    },
}

impl RouteHitRef<'_> {
    /// The owned form.
    pub(crate) fn to_owned_hit(self) -> RouteHit {
        match self {
            RouteHitRef::Local => RouteHit::Local,
            RouteHitRef::Out { dev, next_hop, src } => RouteHit::Out {
                dev: dev.to_string(),
                next_hop,
                src,
            },
        }
    }
}

/// A local pod: its IP and the host-side veth it hangs off.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PodVeth {
    /// The pod IP.
    pub ip: Ipv4Addr,
    /// The host-side veth name.
    pub veth: String,
}

/// Another node whose pod CIDR kindnetd routes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PeerNode {
    /// Its `spec.podCIDR`.
    pub pod_cidr: Ipv4Cidr,
    /// Its InternalIP (the gateway of the route).
    pub node_ip: Ipv4Addr,
}

/// The inputs of [`NodeRouting::kind_node`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KindNodeNetwork {
    /// The node's address on the docker network.
    pub node_ip: Ipv4Addr,
    /// The docker network's subnet (`172.18.0.0/16` when Docker IPAM picks the usual one).
    pub docker_subnet: Ipv4Cidr,
    /// The docker network's gateway (the default route).
    pub gateway: Ipv4Addr,
    /// This node's pod CIDR, if it has one (the veth gateway address is its `.1`).
    pub pod_cidr: Option<Ipv4Cidr>,
    /// The other nodes with pod CIDRs.
    pub peers: Vec<PeerNode>,
    /// The pods running here.
    pub pods: Vec<PodVeth>,
}

/// The address the CNI's ptp plugin gives the host side of every pod's veth: the first of
/// the node's pod CIDR (so it is one of the node's own addresses once a pod runs there).
pub fn pod_gateway(pod_cidr: Ipv4Cidr) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(pod_cidr.addr()).wrapping_add(1))
}

/// A deterministic stand-in for ptp's `RandomVethName()`: `veth` + 8 hex digits, taken from
/// the SHA-256 of a pod's sandbox id (the real name is random; this keeps a seeded lab stable).
pub fn veth_name(sandbox_id: &str) -> String {
    let digest = Sha256::digest(sandbox_id.as_bytes());
    let mut s = String::from("veth");
    for b in digest.iter().take(4) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `RTN_*` route types, the bit positions of `-m addrtype` (see `ADDR_TYPE_NAMES`).
pub mod rtn {
    /// `RTN_UNICAST`.
    pub const UNICAST: u8 = 1;
    /// `RTN_LOCAL`.
    pub const LOCAL: u8 = 2;
    /// `RTN_BROADCAST`.
    pub const BROADCAST: u8 = 3;
    /// `RTN_MULTICAST`.
    pub const MULTICAST: u8 = 5;
}

/// A node's addresses and main routing table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeRouting {
    /// Interface addresses (`lo` first).
    pub addrs: Vec<IfaceAddr>,
    /// The main table.
    pub routes: Vec<Route>,
}

impl NodeRouting {
    /// The addresses and routes of a kind node (see the module docs for the sources).
    pub fn kind_node(net: &KindNodeNetwork) -> Self {
        let mut addrs = vec![
            IfaceAddr {
                dev: "lo".into(),
                addr: Ipv4Addr::LOCALHOST,
                prefix: 8,
            },
            IfaceAddr {
                dev: "eth0".into(),
                addr: net.node_ip,
                prefix: net.docker_subnet.prefix(),
            },
        ];
        let mut routes = vec![
            Route {
                dst: Ipv4Cidr::any(),
                via: Some(net.gateway),
                dev: "eth0".into(),
                proto_kernel: false,
                scope: RouteScope::Universe,
                src: None,
            },
            Route {
                dst: net.docker_subnet,
                via: None,
                dev: "eth0".into(),
                proto_kernel: true,
                scope: RouteScope::Link,
                src: Some(net.node_ip),
            },
        ];
        for p in &net.peers {
            routes.push(Route {
                dst: p.pod_cidr,
                via: Some(p.node_ip),
                dev: "eth0".into(),
                proto_kernel: false,
                scope: RouteScope::Universe,
                src: None,
            });
        }
        let gw = net.pod_cidr.map(pod_gateway);
        for pod in &net.pods {
            if let Some(g) = gw {
                addrs.push(IfaceAddr {
                    dev: pod.veth.clone(),
                    addr: g,
                    prefix: 32,
                });
            }
            routes.push(Route {
                dst: Ipv4Cidr::host(pod.ip),
                via: None,
                dev: pod.veth.clone(),
                proto_kernel: false,
                scope: RouteScope::Host,
                src: None,
            });
        }
        Self { addrs, routes }
    }

    /// What `ip route` (`ip -4 route show table main`) prints. The kernel dumps the FIB trie
    /// in key order; routes with the same key come longest prefix first.
    pub fn ip_route(&self) -> String {
        let mut sorted: Vec<&Route> = self.routes.iter().collect();
        sorted.sort_by_key(|r| (u32::from(r.dst.addr()), std::cmp::Reverse(r.dst.prefix())));
        let mut out = String::new();
        for r in sorted {
            out.push_str(&r.line());
            out.push('\n');
        }
        out
    }

    /// Whether `ip` is one of this node's addresses (the local table's `local` routes,
    /// including all of 127.0.0.0/8 on `lo`).
    pub fn is_local(&self, ip: Ipv4Addr) -> bool {
        self.addrs.iter().any(|a| {
            if a.dev == "lo" {
                Ipv4Cidr::new(a.addr, a.prefix).contains(ip)
            } else {
                a.addr == ip
            }
        })
    }

    /// `inet_addr_type` (net/ipv4/fib_frontend.c) as `-m addrtype` uses it without
    /// `--limit-iface-*`: 0.0.0.0 and 255.255.255.255 are BROADCAST, 224/4 MULTICAST, then
    /// the local table decides (LOCAL for the node's addresses, BROADCAST for the subnet
    /// broadcast routes), and anything else is UNICAST.
    pub fn addr_type(&self, ip: Ipv4Addr) -> u8 {
        if ip.is_unspecified() || ip.is_broadcast() {
            return rtn::BROADCAST;
        }
        if ip.is_multicast() {
            return rtn::MULTICAST;
        }
        // Exact addresses are /32 `local` routes; they win over everything.
        if self.addrs.iter().any(|a| a.addr == ip) {
            return rtn::LOCAL;
        }
        let is_bcast = self.addrs.iter().any(|a| {
            a.prefix < 31 && {
                let host_bits = u32::MAX.checked_shr(u32::from(a.prefix)).unwrap_or(0);
                u32::from(a.addr) | host_bits == u32::from(ip)
            }
        });
        if is_bcast {
            rtn::BROADCAST
        } else if self.is_local(ip) {
            rtn::LOCAL
        } else {
            rtn::UNICAST
        }
    }

    /// `inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE)`: the first global-scope address of a
    /// device (loopback addresses are host scope and never chosen).
    pub fn device_addr(&self, dev: &str) -> Option<Ipv4Addr> {
        self.addrs
            .iter()
            .find(|a| a.dev == dev && !a.addr.is_loopback())
            .map(|a| a.addr)
    }

    /// The routing decision for a destination: local table first, then the longest
    /// matching prefix of the main table.
    pub fn lookup(&self, dst: Ipv4Addr) -> Option<RouteHit> {
        self.lookup_ref(dst).map(RouteHitRef::to_owned_hit)
    }

    /// [`Self::lookup`] without copying the device name.
    pub(crate) fn lookup_ref(&self, dst: Ipv4Addr) -> Option<RouteHitRef<'_>> {
        if self.is_local(dst) {
            return Some(RouteHitRef::Local);
        }
        let r = self
            .routes
            .iter()
            .filter(|r| r.dst.contains(dst))
            .max_by_key(|r| r.dst.prefix())?;
        Some(RouteHitRef::Out {
            dev: &r.dev,
            next_hop: r.via.unwrap_or(dst),
            src: r.src.or_else(|| self.device_addr(&r.dev)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    fn worker() -> NodeRouting {
        NodeRouting::kind_node(&KindNodeNetwork {
            node_ip: ip("172.18.0.3"),
            docker_subnet: Ipv4Cidr::parse("172.18.0.0/16").unwrap(),
            gateway: ip("172.18.0.1"),
            pod_cidr: Ipv4Cidr::parse("10.244.1.0/24"),
            peers: vec![
                PeerNode {
                    pod_cidr: Ipv4Cidr::parse("10.244.0.0/24").unwrap(),
                    node_ip: ip("172.18.0.2"),
                },
                PeerNode {
                    pod_cidr: Ipv4Cidr::parse("10.244.2.0/24").unwrap(),
                    node_ip: ip("172.18.0.4"),
                },
            ],
            pods: vec![
                PodVeth {
                    ip: ip("10.244.1.3"),
                    veth: veth_name("sandbox-b"),
                },
                PodVeth {
                    ip: ip("10.244.1.2"),
                    veth: veth_name("sandbox-a"),
                },
            ],
        })
    }

    #[test]
    fn ip_route_of_a_kind_worker() {
        let a = veth_name("sandbox-a");
        let b = veth_name("sandbox-b");
        assert_eq!(a.len(), 12);
        assert!(a.starts_with("veth") && a[4..].bytes().all(|c| c.is_ascii_hexdigit()));
        let expected = format!(
            "default via 172.18.0.1 dev eth0 \n\
             10.244.0.0/24 via 172.18.0.2 dev eth0 \n\
             10.244.1.2 dev {a} scope host \n\
             10.244.1.3 dev {b} scope host \n\
             10.244.2.0/24 via 172.18.0.4 dev eth0 \n\
             172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 \n"
        );
        assert_eq!(worker().ip_route(), expected);
    }

    #[test]
    fn lookups_and_address_types() {
        let r = worker();
        assert_eq!(r.lookup(ip("172.18.0.3")), Some(RouteHit::Local));
        assert_eq!(r.lookup(ip("127.0.0.11")), Some(RouteHit::Local));
        assert_eq!(r.lookup(ip("10.244.1.1")), Some(RouteHit::Local));
        assert_eq!(
            r.lookup(ip("10.244.2.7")),
            Some(RouteHit::Out {
                dev: "eth0".into(),
                next_hop: ip("172.18.0.4"),
                src: Some(ip("172.18.0.3"))
            })
        );
        assert_eq!(
            r.lookup(ip("10.244.1.2")),
            Some(RouteHit::Out {
                dev: veth_name("sandbox-a"),
                next_hop: ip("10.244.1.2"),
                src: Some(ip("10.244.1.1"))
            })
        );
        assert_eq!(
            r.lookup(ip("8.8.8.8")),
            Some(RouteHit::Out {
                dev: "eth0".into(),
                next_hop: ip("172.18.0.1"),
                src: Some(ip("172.18.0.3"))
            })
        );
        assert_eq!(r.addr_type(ip("127.0.0.1")), rtn::LOCAL);
        assert_eq!(r.addr_type(ip("172.18.0.3")), rtn::LOCAL);
        assert_eq!(r.addr_type(ip("172.18.255.255")), rtn::BROADCAST);
        assert_eq!(r.addr_type(ip("224.0.0.1")), rtn::MULTICAST);
        assert_eq!(r.addr_type(ip("127.0.0.11")), rtn::LOCAL);
        assert_eq!(r.addr_type(ip("127.255.255.255")), rtn::BROADCAST);
        assert_eq!(r.addr_type(ip("10.96.0.1")), rtn::UNICAST);
    }
}
