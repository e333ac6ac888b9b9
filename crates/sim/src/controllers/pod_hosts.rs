//! The names a pod's container sees for itself, as the kubelet writes them
//! (pkg/kubelet/kubelet_pods.go `GeneratePodHostNameAndDomain` and `managedHostsFileContent`):
//! its hostname (`spec.hostname`, else its name, cut to 63 characters), its domain under a
//! headless Service (`<subdomain>.<ns>.svc.cluster.local`), and `/etc/hosts`.

use crate::api::Pod;
use crate::network::dns::CLUSTER_DOMAIN;

/// The most a hostname may hold (`validation.DNS1123LabelMaxLength`).
const MAX_HOSTNAME: usize = 63;

/// The pod's hostname.
pub fn hostname(pod: &Pod) -> String {
    let name = if pod.spec.hostname.is_empty() {
        &pod.metadata.name
    } else {
        &pod.spec.hostname
    };
    if name.chars().count() <= MAX_HOSTNAME {
        return name.clone();
    }
    // `truncatePodHostnameIfNeeded`: a name cut at a dash or dot would not be a valid hostname.
    let cut: String = name.chars().take(MAX_HOSTNAME).collect();
    cut.trim_end_matches(['-', '.']).to_string()
}

/// The pod's domain when it has a subdomain, e.g. `nginx.default.svc.cluster.local`.
pub fn domain(pod: &Pod) -> Option<String> {
    (!pod.spec.subdomain.is_empty()).then(|| {
        format!(
            "{}.{}.svc.{CLUSTER_DOMAIN}",
            pod.spec.subdomain, pod.metadata.namespace
        )
    })
}

/// The kubelet-managed `/etc/hosts` of a pod on the pod network.
pub fn etc_hosts(pod: &Pod) -> String {
    let mut text = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    let host = hostname(pod);
    if !pod.status.pod_ip.is_empty() {
        let ip = &pod.status.pod_ip;
        match domain(pod) {
            Some(d) => text.push_str(&format!("{ip}\t{host}.{d}\t{host}\n")),
            None => text.push_str(&format!("{ip}\t{host}\n")),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stateful_pod_has_its_service_domain() {
        let mut pod = Pod::default();
        pod.metadata.name = "web-0".into();
        pod.metadata.namespace = "default".into();
        pod.spec.hostname = "web-0".into();
        pod.spec.subdomain = "nginx".into();
        pod.status.pod_ip = "10.244.1.2".into();
        assert_eq!(hostname(&pod), "web-0");
        assert_eq!(
            domain(&pod).as_deref(),
            Some("nginx.default.svc.cluster.local")
        );
        assert!(etc_hosts(&pod).ends_with(
            "fe00::2\tip6-allrouters\n10.244.1.2\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"
        ));
        pod.spec.subdomain.clear();
        pod.spec.hostname.clear();
        pod.metadata.name = format!("{}-x", "a".repeat(62));
        assert_eq!(hostname(&pod), "a".repeat(62));
        assert!(etc_hosts(&pod).ends_with(&format!("10.244.1.2\t{}\n", "a".repeat(62))));
    }
}
