//! CoreDNS's `kubernetes` plugin as a pod sees it (coredns/plugin/kubernetes; the DNS spec in
//! kubernetes/dns docs/specification.md): Service names resolve to their ClusterIP, headless
//! Services to their ready endpoints, ExternalName Services to a CNAME, and pods by their
//! dashed IP. A pod's resolv.conf searches `<ns>.svc.cluster.local svc.cluster.local
//! cluster.local` with `ndots:5`, so a short name is tried with each suffix first.

use std::net::Ipv4Addr;

use crate::api::{EndpointSlice, Service};
use crate::cluster::Cluster;

/// The cluster domain kubeadm configures.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// resolv.conf's `ndots` for pods with dnsPolicy ClusterFirst.
const NDOTS: usize = 5;

/// What a lookup found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A records, with the fully qualified name that answered.
    Addresses {
        /// e.g. `nginx-service.dev.svc.cluster.local`.
        fqdn: String,
        /// The IPs.
        ips: Vec<Ipv4Addr>,
    },
    /// An ExternalName Service: a CNAME to a name outside the cluster, which the lab (having
    /// no internet) cannot resolve further.
    Alias {
        /// The Service's FQDN.
        fqdn: String,
        /// Its `externalName`.
        target: String,
    },
    /// No such name (NXDOMAIN after every search suffix).
    NotFound,
}

/// The search list of a pod in `namespace`.
pub fn search_list(namespace: &str) -> Vec<String> {
    vec![
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ]
}

/// Resolves `name` as a pod in `namespace` would (the node's resolver, for `None`, knows only
/// absolute cluster names and IP literals).
pub fn resolve(cluster: &Cluster, name: &str, namespace: Option<&str>) -> Answer {
    let rooted = name.ends_with('.');
    let name = name.trim_end_matches('.');
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Answer::Addresses {
            fqdn: name.to_string(),
            ips: vec![ip],
        };
    }
    let absolute = rooted || name.matches('.').count() >= NDOTS;
    let mut candidates = Vec::new();
    if let (false, Some(ns)) = (absolute, namespace) {
        candidates.extend(search_list(ns).into_iter().map(|s| format!("{name}.{s}")));
    }
    candidates.push(name.to_string());
    for fqdn in candidates {
        if let Some(answer) = lookup(cluster, &fqdn) {
            return answer;
        }
    }
    Answer::NotFound
}

/// An exact lookup of a fully qualified cluster name.
fn lookup(cluster: &Cluster, fqdn: &str) -> Option<Answer> {
    let rest = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}"))?;
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [service, ns, "svc"] => service_answer(cluster, fqdn, ns, service),
        [host, service, ns, "svc"] => endpoint_answer(cluster, fqdn, ns, service, host),
        [ip, _ns, "pod"] => {
            let ip: Ipv4Addr = ip.replace('-', ".").parse().ok()?;
            Some(Answer::Addresses {
                fqdn: fqdn.to_string(),
                ips: vec![ip],
            })
        }
        _ => None,
    }
}

fn service_answer(cluster: &Cluster, fqdn: &str, ns: &str, name: &str) -> Option<Answer> {
    let svc = cluster.store.get::<Service>(ns, name)?;
    if svc.spec.type_ == "ExternalName" {
        return Some(Answer::Alias {
            fqdn: fqdn.to_string(),
            target: svc.spec.external_name.clone(),
        });
    }
    if svc.spec.cluster_ip == "None" {
        // Headless: one A record per ready endpoint.
        return addresses(fqdn, ready_endpoints(cluster, ns, name).map(|(_, ip)| ip));
    }
    let ip = svc.spec.cluster_ip.parse().ok()?;
    Some(Answer::Addresses {
        fqdn: fqdn.to_string(),
        ips: vec![ip],
    })
}

/// `<host>.<service>.<ns>.svc`: the ready endpoints of the Service whose hostname is `host`,
/// or, without one, whose dashed address is (CoreDNS `endpointHostname`). A StatefulSet's pods
/// get such names (`web-0.nginx`) from their hostname and subdomain.
fn endpoint_answer(
    cluster: &Cluster,
    fqdn: &str,
    ns: &str,
    service: &str,
    host: &str,
) -> Option<Answer> {
    cluster.store.get::<Service>(ns, service)?;
    let ips = ready_endpoints(cluster, ns, service)
        .filter(|(hostname, ip)| match hostname {
            Some(h) => h.as_str() == host,
            None => ip.to_string().replace('.', "-") == host,
        })
        .map(|(_, ip)| ip);
    addresses(fqdn, ips)
}

/// The Service's ready endpoints (CoreDNS serves no others), with their hostnames.
fn ready_endpoints<'a>(
    cluster: &'a Cluster,
    ns: &'a str,
    service: &'a str,
) -> impl Iterator<Item = (Option<&'a String>, Ipv4Addr)> + 'a {
    cluster
        .store
        .list::<EndpointSlice>(Some(ns))
        .filter(move |s| {
            s.metadata
                .labels
                .get("kubernetes.io/service-name")
                .map(String::as_str)
                == Some(service)
        })
        .flat_map(|s| s.endpoints.iter())
        .filter(|e| e.conditions.ready.unwrap_or(true))
        .filter_map(|e| Some((e.hostname.as_ref(), e.addresses.first()?.parse().ok()?)))
}

/// A records for the addresses, sorted and without repeats; none is no answer.
fn addresses(fqdn: &str, ips: impl Iterator<Item = Ipv4Addr>) -> Option<Answer> {
    let mut ips: Vec<Ipv4Addr> = ips.collect();
    ips.sort();
    ips.dedup();
    (!ips.is_empty()).then(|| Answer::Addresses {
        fqdn: fqdn.to_string(),
        ips,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::tests::article_cluster;

    #[test]
    fn short_names_use_the_pods_search_path() {
        let cluster = article_cluster(1);
        let from_default = resolve(&cluster, "kubernetes", Some("default"));
        assert_eq!(
            from_default,
            Answer::Addresses {
                fqdn: "kubernetes.default.svc.cluster.local".into(),
                ips: vec![Ipv4Addr::new(10, 96, 0, 1)],
            }
        );
        // From another namespace the short name misses, but `name.namespace` works.
        assert_eq!(
            resolve(&cluster, "kubernetes", Some("dev")),
            Answer::NotFound
        );
        let dns = resolve(&cluster, "kube-dns.kube-system", Some("dev"));
        assert!(
            matches!(dns, Answer::Addresses { ref ips, .. } if ips == &[Ipv4Addr::new(10, 96, 0, 10)])
        );
    }

    #[test]
    fn pod_names_and_literals_resolve() {
        let cluster = article_cluster(1);
        let pod = resolve(&cluster, "10-244-1-2.dev.pod.cluster.local", Some("dev"));
        assert!(
            matches!(pod, Answer::Addresses { ref ips, .. } if ips == &[Ipv4Addr::new(10, 244, 1, 2)])
        );
        assert!(matches!(
            resolve(&cluster, "10.96.0.1", None),
            Answer::Addresses { .. }
        ));
        assert_eq!(
            resolve(&cluster, "example.com", Some("dev")),
            Answer::NotFound
        );
    }
}
