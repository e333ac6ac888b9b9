//! What traffic can come from and go to, read off the map's view (no DOM here).

use svclab_protocol::LabView;

/// `(value, label)` pairs: the host, the hand-made ALB in front of the workers, each node, each
/// of the learner's pods.
pub fn sources(view: &LabView, host_label: &str, alb_label: &str) -> Vec<(String, String)> {
    let mut out = vec![
        ("host".to_owned(), host_label.to_owned()),
        ("alb".to_owned(), alb_label.to_owned()),
    ];
    if let Some(c) = &view.cluster {
        for n in &c.nodes {
            out.push((format!("node {}", n.name), format!("node {}", n.name)));
        }
        for n in &c.nodes {
            for p in &n.pods {
                out.push((
                    format!("pod {}/{}", p.namespace, p.name),
                    format!("pod {}", p.name),
                ));
            }
        }
    }
    out
}

/// The article's hand-made ALB on the kind network (the engine's `ALB_IP`).
pub const ALB_IP: &str = "172.18.0.50";

/// What the ALB can be sent to: each node port, which it forwards to a healthy worker in turn.
pub fn alb_targets(view: &LabView) -> Vec<(String, String)> {
    let Some(c) = &view.cluster else {
        return Vec::new();
    };
    c.services
        .iter()
        .flat_map(|s| {
            s.ports.iter().filter(|p| p.node_port > 0).map(|p| {
                (
                    format!("{ALB_IP}:{}", p.node_port),
                    format!(
                        "ALB → :{} on the workers (NodePort {})",
                        p.node_port, s.name
                    ),
                )
            })
        })
        .collect()
}

/// `(IP:PORT, label)` pairs: every node port on every node, then load balancer addresses,
/// every ClusterIP port, and every Service's DNS name and its pods' own (which only pods can
/// resolve).
pub fn targets(view: &LabView) -> Vec<(String, String)> {
    let Some(c) = &view.cluster else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in &c.services {
        for p in s.ports.iter().filter(|p| p.node_port > 0) {
            for n in &c.nodes {
                out.push((
                    format!("{}:{}", n.ip, p.node_port),
                    format!(
                        "{}:{} (NodePort {} on {})",
                        n.ip, p.node_port, s.name, n.name
                    ),
                ));
            }
        }
    }
    for s in &c.services {
        let lb_ip = s.external_ip.split(',').next().unwrap_or("");
        if s.kind != "LoadBalancer" || lb_ip.parse::<std::net::Ipv4Addr>().is_err() {
            continue;
        }
        for p in &s.ports {
            out.push((
                format!("{lb_ip}:{}", p.port),
                format!("{lb_ip}:{} (LoadBalancer {})", p.port, s.name),
            ));
        }
    }
    for s in &c.services {
        if s.cluster_ip == "<none>" || s.cluster_ip == "None" {
            continue;
        }
        for p in &s.ports {
            out.push((
                format!("{}:{}", s.cluster_ip, p.port),
                format!("{}:{} (ClusterIP {})", s.cluster_ip, p.port, s.name),
            ));
        }
    }
    for s in &c.services {
        for p in &s.ports {
            let name = format!("{}.{}:{}", s.name, s.namespace, p.port);
            out.push((name.clone(), format!("{name} (DNS)")));
            // A StatefulSet pod's own name under its headless Service (`web-0.nginx`).
            for host in &s.hostnames {
                let name = format!("{host}.{}.{}:{}", s.name, s.namespace, p.port);
                out.push((name.clone(), format!("{name} (DNS)")));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use svclab_protocol::{ClusterView, NodeView, PortView, ServiceView};

    /// A lab view of the cluster `service-demo` with these nodes and one Service.
    fn lab(nodes: Vec<NodeView>, service: ServiceView) -> LabView {
        LabView {
            cluster: Some(ClusterView {
                name: "service-demo".into(),
                nodes,
                services: vec![service],
                workloads: Vec::new(),
            }),
            ..LabView::default()
        }
    }

    #[test]
    fn a_node_port_is_offered_on_every_node_before_cluster_ips() {
        let node = |name: &str, ip: &str| NodeView {
            name: name.into(),
            ip: ip.into(),
            ..NodeView::default()
        };
        let view = lab(
            vec![node("cp", "172.18.0.3"), node("w", "172.18.0.2")],
            ServiceView {
                name: "nginx-service".into(),
                cluster_ip: "10.96.0.20".into(),
                ports: vec![PortView {
                    port: 80,
                    node_port: 30000,
                    ..PortView::default()
                }],
                ..ServiceView::default()
            },
        );
        let values: Vec<String> = targets(&view).into_iter().map(|(v, _)| v).collect();
        assert_eq!(
            values,
            [
                "172.18.0.3:30000",
                "172.18.0.2:30000",
                "10.96.0.20:80",
                "nginx-service.:80"
            ]
        );
        assert_eq!(sources(&view, "host", "alb").len(), 4);
        // From the ALB there is one choice per node port, not one per node.
        let alb: Vec<String> = alb_targets(&view).into_iter().map(|(v, _)| v).collect();
        assert_eq!(alb, ["172.18.0.50:30000"]);
    }

    #[test]
    fn a_headless_service_offers_its_name_and_each_pods_own() {
        let view = lab(
            Vec::new(),
            ServiceView {
                namespace: "default".into(),
                name: "nginx".into(),
                cluster_ip: "None".into(),
                ports: vec![PortView {
                    port: 80,
                    ..PortView::default()
                }],
                hostnames: vec!["web-0".into(), "web-1".into()],
                ..ServiceView::default()
            },
        );
        let values: Vec<String> = targets(&view).into_iter().map(|(v, _)| v).collect();
        assert_eq!(
            values,
            [
                "nginx.default:80",
                "web-0.nginx.default:80",
                "web-1.nginx.default:80"
            ]
        );
    }
}
