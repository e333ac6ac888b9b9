//! The two DaemonSets of a new kind cluster, and their pod on each node:
//! - `kube-proxy`, as kubeadm v1.33 installs it (cmd/kubeadm/app/phases/addons/proxy/
//!   manifests.go `KubeProxyDaemonSet19`);
//! - `kindnet`, kind v0.29.0's CNI (pkg/build/nodeimage/const_cni.go, with the
//!   `CONTROL_PLANE_ENDPOINT` variable kind's installcni action patches in).
//!
//! kindnet requests and limits 100m CPU and 50Mi memory. Volumes, the security context, the
//! service account and the priority class are not kept by the lab's pod spec, so they do not
//! show.

use crate::api::{
    Container, DaemonSet, EnvVar, EnvVarSource, LabelSelector, Pod, PodTemplateSpec, StringMap,
    Toleration,
};
use crate::controllers::{daemon_hash, daemon_pod};

use super::bootstrap::labels;
use super::Cluster;

/// kube-proxy's image in kindest/node:v1.33.1.
pub const KUBE_PROXY_IMAGE: &str = "registry.k8s.io/kube-proxy:v1.33.1";
/// kindnetd's image in kind v0.29.0.
pub const KINDNET_IMAGE: &str = "docker.io/kindest/kindnetd:v20250512-df8de77b";

/// The stored DaemonSets, to make each node's pods from.
pub(super) struct SystemDaemonSets {
    sets: [DaemonSet; 2],
}

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(EnvVarSource::field(path)),
    }
}

fn value_env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
    }
}

/// A host-network template that tolerates every taint and runs on Linux nodes.
fn template(pod_labels: StringMap, container: Container) -> PodTemplateSpec {
    let mut t = PodTemplateSpec::default();
    t.metadata.labels = pod_labels;
    t.spec.containers = vec![container].into();
    t.spec.host_network = true;
    t.spec.node_selector = labels(&[("kubernetes.io/os", "linux")]);
    t.spec.tolerations = vec![Toleration {
        operator: "Exists".into(),
        ..Default::default()
    }]
    .into();
    t
}

fn kube_proxy() -> DaemonSet {
    let mut ds = DaemonSet::default();
    ds.metadata.name = "kube-proxy".into();
    ds.metadata.labels = labels(&[("k8s-app", "kube-proxy")]);
    ds.spec.selector = LabelSelector {
        match_labels: labels(&[("k8s-app", "kube-proxy")]),
        ..Default::default()
    };
    let container = Container {
        name: "kube-proxy".into(),
        image: KUBE_PROXY_IMAGE.into(),
        command: vec![
            "/usr/local/bin/kube-proxy".into(),
            "--config=/var/lib/kube-proxy/config.conf".into(),
            "--hostname-override=$(NODE_NAME)".into(),
        ],
        env: vec![field_env("NODE_NAME", "spec.nodeName")],
        image_pull_policy: "IfNotPresent".into(),
        ..Default::default()
    };
    ds.spec.template = template(labels(&[("k8s-app", "kube-proxy")]), container);
    ds
}

fn kindnet(pod_subnet: &str, control_plane: &str) -> DaemonSet {
    let mut ds = DaemonSet::default();
    ds.metadata.name = "kindnet".into();
    let all = labels(&[("app", "kindnet"), ("k8s-app", "kindnet"), ("tier", "node")]);
    ds.metadata.labels = all.clone();
    ds.spec.selector = LabelSelector {
        match_labels: labels(&[("app", "kindnet")]),
        ..Default::default()
    };
    let container = Container {
        name: "kindnet-cni".into(),
        image: KINDNET_IMAGE.into(),
        env: vec![
            field_env("HOST_IP", "status.hostIP"),
            field_env("POD_IP", "status.podIP"),
            value_env("POD_SUBNET", pod_subnet),
            value_env("CONTROL_PLANE_ENDPOINT", &format!("{control_plane}:6443")),
        ],
        resources: super::bootstrap::resources(&[
            ("cpu", "100m", "100m"),
            ("memory", "50Mi", "50Mi"),
        ]),
        ..Default::default()
    };
    ds.spec.template = template(all, container);
    ds
}

impl SystemDaemonSets {
    /// Stores both DaemonSets, created now. Their uids are the first two draws of the
    /// cluster's generator at this point, as they always were.
    pub(super) fn store(cluster: &mut Cluster, control_plane: &str) -> SystemDaemonSets {
        let pod_subnet = cluster.layout.pod_subnet.clone();
        let mut sets = [kube_proxy(), kindnet(&pod_subnet, control_plane)];
        for ds in &mut sets {
            ds.metadata.namespace = "kube-system".into();
            crate::apiserver::validation::default_daemon_set(ds);
            cluster.stamp_new(&mut ds.metadata);
            ds.metadata.generation = 1;
            cluster.store.put(ds.clone());
        }
        SystemDaemonSets { sets }
    }

    /// Each DaemonSet's pod for `node`, as the controller makes it, already bound (the
    /// DaemonSet controller and the scheduler run before the node's kubelet reports).
    pub(super) fn pods_for(&self, node: &str) -> Vec<Pod> {
        self.sets
            .iter()
            .map(|ds| {
                let mut pod = daemon_pod(ds, node, &daemon_hash(ds));
                pod.spec.node_name = node.into();
                pod
            })
            .collect()
    }
}
