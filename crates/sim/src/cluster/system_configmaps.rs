//! The ConfigMaps `kind create cluster` leaves (a fresh kind v0.29.0 cluster's
//! `kubectl get cm -A`), with the texts the components wrote:
//! - `kube-system/kube-proxy`: kubeadm's `KubeProxyConfigMap19` (cmd/kubeadm/app/phases/
//!   addons/proxy/manifests.go). `config.conf` is kind's KubeProxyConfiguration (mode,
//!   `iptables.minSyncPeriod: 1s`, `conntrack.maxPerCore: 0`) plus kubeadm's bindAddress,
//!   clusterCIDR and kubeconfig, every other field at Go's zero value (kubeadm applies no
//!   kube-proxy defaulting), keys in sigs.k8s.io/yaml's order. kubeadm signs a component's
//!   ConfigMap with a hash annotation only when the configuration is its own; kind supplies
//!   both kube-proxy's and the kubelet's, so neither is signed.
//! - `kube-system/kubeadm-config` (the ClusterConfiguration kind wrote, as kubeadm v1.33
//!   uploads it in v1beta4) and `kube-system/kubelet-config` (kind's KubeletConfiguration
//!   with kubeadm's defaults).
//! - `kube-system/coredns`: kubeadm's `CoreDNSConfigMap` Corefile (v1.32+, with the cache
//!   `disable` block).
//! - `kube-public/cluster-info`: kubeadm's clusterinfo phase (the CA and the API server's
//!   address) and the bootstrap signer's JWS for kind's token `abcdef`.
//! - `local-path-storage/local-path-config`: kind v0.29.0's const_storage.go, applied with
//!   `kubectl apply` (hence its last-applied annotation).
//! - the API server's own: `extension-apiserver-authentication` (clusterauthenticationtrust;
//!   `requestheader-uid-headers` is written unconditionally since v1.33, kubernetes#130560)
//!   and `kube-apiserver-legacy-service-account-token-tracking`.
//!
//! `kube-root-ca.crt` in every namespace is the root CA publisher's (`controllers/root_ca.rs`).

use std::collections::BTreeMap;

use crate::api::{ConfigMap, StringMap};

use super::Cluster;

const KUBE_PROXY_CONFIG: &str = include_str!("configmap_texts/kube-proxy-config.conf");
const KUBE_PROXY_KUBECONFIG: &str = include_str!("configmap_texts/kube-proxy-kubeconfig.conf");
const COREFILE: &str = include_str!("configmap_texts/Corefile");
const CLUSTER_CONFIGURATION: &str =
    include_str!("configmap_texts/kubeadm-ClusterConfiguration.yaml");
const KUBELET_CONFIG: &str = include_str!("configmap_texts/kubelet-config.yaml");
/// local-path-config's keys and values (no value ends in a newline).
const LOCAL_PATH: [(&str, &str); 4] = [
    (
        "config.json",
        include_str!("configmap_texts/local-path-config.json"),
    ),
    (
        "helperPod.yaml",
        include_str!("configmap_texts/local-path-helperPod.yaml"),
    ),
    ("setup", include_str!("configmap_texts/local-path-setup")),
    (
        "teardown",
        include_str!("configmap_texts/local-path-teardown"),
    ),
];

/// A `|-` block: the text without its final newline.
fn block(text: &str) -> String {
    text.trim_end_matches('\n').to_string()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A Go JSON string (`json.Marshal`: quotes, backslashes, control characters and `<>&`).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `kubectl.kubernetes.io/last-applied-configuration` of a ConfigMap applied from a
/// manifest with only a name, a namespace and data (compact JSON, sorted keys, a newline).
fn last_applied(namespace: &str, name: &str, data: &BTreeMap<String, String>) -> String {
    let fields: Vec<String> = data
        .iter()
        .map(|(k, v)| format!("{}:{}", json_string(k), json_string(v)))
        .collect();
    format!(
        "{{\"apiVersion\":\"v1\",\"data\":{{{}}},\"kind\":\"ConfigMap\",\"metadata\":{{\"annotations\":{{}},\"name\":{},\"namespace\":{}}}}}\n",
        fields.join(","),
        json_string(name),
        json_string(namespace)
    )
}

impl Cluster {
    /// Stores a ConfigMap a cluster component writes (kubeadm, the API server, the root CA
    /// publisher), its uid from its key (see [`Cluster::stamp_new_keyed`]).
    pub(crate) fn create_system_config_map(
        &mut self,
        (namespace, name): (&str, &str),
        labels: StringMap,
        annotations: StringMap,
        data: BTreeMap<String, String>,
    ) {
        let mut cm = ConfigMap {
            data,
            ..Default::default()
        };
        cm.metadata.namespace = namespace.into();
        cm.metadata.name = name.into();
        cm.metadata.labels = labels;
        cm.metadata.annotations = annotations;
        self.stamp_new_keyed("ConfigMap", &mut cm.metadata);
        self.store.put(cm);
    }
}

/// Stores the ConfigMaps kubeadm and the API server write while the control plane comes up.
pub(super) fn store(cluster: &mut Cluster, control_plane: &str) {
    let ca = cluster.ca_certificate();
    let front_proxy_ca = cluster.front_proxy_ca_certificate();
    let headers = |h: &str| format!("[\"{h}\"]");
    cluster.create_system_config_map(
        ("kube-system", "extension-apiserver-authentication"),
        StringMap::default(),
        StringMap::default(),
        [
            ("client-ca-file".to_string(), ca.clone()),
            (
                "requestheader-allowed-names".to_string(),
                headers("front-proxy-client"),
            ),
            ("requestheader-client-ca-file".to_string(), front_proxy_ca),
            (
                "requestheader-extra-headers-prefix".to_string(),
                headers("X-Remote-Extra-"),
            ),
            (
                "requestheader-group-headers".to_string(),
                headers("X-Remote-Group"),
            ),
            ("requestheader-uid-headers".to_string(), "[]".to_string()),
            (
                "requestheader-username-headers".to_string(),
                headers("X-Remote-User"),
            ),
        ]
        .into(),
    );
    let today = super::rfc3339(cluster.now_ms());
    let since = today.split('T').next().unwrap_or_default().to_string();
    cluster.create_system_config_map(
        (
            "kube-system",
            "kube-apiserver-legacy-service-account-token-tracking",
        ),
        StringMap::default(),
        StringMap::default(),
        [("since".to_string(), since)].into(),
    );
    cluster.create_system_config_map(
        ("kube-system", "coredns"),
        StringMap::default(),
        StringMap::default(),
        map(&[("Corefile", COREFILE)]),
    );
    let mode = match cluster.layout.kube_proxy_mode.as_str() {
        "" => "iptables".to_string(),
        m => m.to_string(),
    };
    let config = KUBE_PROXY_CONFIG
        .replace("{POD_SUBNET}", &cluster.layout.pod_subnet)
        .replace("{MODE}", &mode);
    let kubeconfig = KUBE_PROXY_KUBECONFIG.replace("{ENDPOINT}", &format!("{control_plane}:6443"));
    let data = map(&[
        ("config.conf", &block(&config)),
        ("kubeconfig.conf", &block(&kubeconfig)),
    ]);
    cluster.create_system_config_map(
        ("kube-system", "kube-proxy"),
        [("app".to_string(), "kube-proxy".to_string())].into(),
        StringMap::default(),
        data,
    );
    let endpoint = format!("{control_plane}:6443");
    let layout = cluster.layout.clone();
    let version = layout
        .nodes
        .first()
        .and_then(|n| n.kubernetes_version.clone())
        .unwrap_or_else(|| "v1.33.1".into());
    let cluster_configuration = CLUSTER_CONFIGURATION
        .replace("{CLUSTER}", &layout.name)
        .replace("{ENDPOINT}", &endpoint)
        .replace("{VERSION}", &version)
        .replace("{POD_SUBNET}", &layout.pod_subnet)
        .replace("{SERVICE_SUBNET}", &layout.service_subnet);
    cluster.create_system_config_map(
        ("kube-system", "kubeadm-config"),
        StringMap::default(),
        StringMap::default(),
        map(&[("ClusterConfiguration", &cluster_configuration)]),
    );
    let kubelet = KUBELET_CONFIG.replace("{DNS_IP}", super::bootstrap::KUBE_DNS_SERVICE_IP);
    cluster.create_system_config_map(
        ("kube-system", "kubelet-config"),
        StringMap::default(),
        StringMap::default(),
        map(&[("kubelet", &kubelet)]),
    );
    let kubeconfig = format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {}\n    server: https://{endpoint}\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n",
        crate::base64::encode(cluster.ca_certificate().as_bytes())
    );
    let jws = super::certificate::bootstrap_jws(&layout.name);
    cluster.create_system_config_map(
        ("kube-public", "cluster-info"),
        StringMap::default(),
        StringMap::default(),
        map(&[("jws-kubeconfig-abcdef", &jws), ("kubeconfig", &kubeconfig)]),
    );
    let data = map(&LOCAL_PATH);
    let applied = last_applied("local-path-storage", "local-path-config", &data);
    cluster.create_system_config_map(
        ("local-path-storage", "local-path-config"),
        StringMap::default(),
        [(
            "kubectl.kubernetes.io/last-applied-configuration".to_string(),
            applied,
        )]
        .into(),
        data,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_applied_is_compact_sorted_json() {
        let data = map(&[("b", "x\"y"), ("a", "1\n<")]);
        assert_eq!(
            last_applied("ns", "cm", &data),
            "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\\n\\u003c\",\"b\":\"x\\\"y\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"cm\",\"namespace\":\"ns\"}}\n"
        );
    }

    #[test]
    fn local_path_config_matches_what_kind_applies() {
        let data = map(&LOCAL_PATH);
        let applied = last_applied("local-path-storage", "local-path-config", &data);
        assert!(applied.starts_with(
            "{\"apiVersion\":\"v1\",\"data\":{\"config.json\":\"{\\n        \\\"nodePathMap\\\":["
        ));
        assert!(data.values().all(|v| !v.ends_with('\n')));
    }
}
