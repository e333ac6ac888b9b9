//! What `kind create cluster` leaves in a new cluster: the Node objects, the namespaces, the
//! control plane's static pods, kube-proxy and kindnet on every node, CoreDNS, the
//! local-path provisioner, and the `kubernetes` and `kube-dns` Services.
//!
//! Sources: kind v0.29.0 (pkg/cluster/internal/create/actions/*, its kindnetd and
//! local-path-storage manifests), kubeadm v1.33 (cmd/kubeadm/app/phases/addons/dns, the
//! control-plane manifests), and a freshly created kind v0.29.0 cluster's `kubectl get all -A`.

use std::net::Ipv4Addr;

use crate::api::{
    Condition, Container, ContainerPort, Deployment, IntOrString, LabelSelector, Namespace,
    NamespaceStatus, Node, NodeAddress, NodeSystemInfo, ObjectMeta, OwnerReference, Pod,
    PodTemplateSpec, Quantity, ReplicaSet, ResourceRequirements, Service, ServicePort, StringMap,
    Taint, Toleration,
};
use crate::iptables::Ipv4Cidr;
use crate::kind::{NodeLayout, NodeRole, CONTROL_PLANE_TAINT_KEY};
use crate::kubeproxy::NodeView;
use crate::netfilter::NodeBaseRules;

use super::system_daemonsets::{SystemDaemonSets, KINDNET_IMAGE, KUBE_PROXY_IMAGE};
use super::{rfc3339, Cluster, KeptTables, NodeRuntime};

/// The namespaces of a new kind cluster.
const NAMESPACES: [&str; 5] = [
    "default",
    "kube-node-lease",
    "kube-public",
    "kube-system",
    "local-path-storage",
];

/// Seconds from `kind create cluster` starting to the control plane registering, and from
/// there to the workers joining (kind joins workers after `kubeadm init`).
const CONTROL_PLANE_REGISTERS_MS: u64 = 8_000;
const WORKERS_JOIN_MS: u64 = 15_000;
const CREATE_DONE_MS: u64 = 12_000;

/// The node OS, runtime and kernel a kind v0.29.0 node reports (kindest/node:v1.33.1 is built
/// on debian bookworm with containerd 2.1.1; the kernel is the host's: a Docker Desktop VM here).
const OS_IMAGE: &str = "Debian GNU/Linux 12 (bookworm)";
const CONTAINER_RUNTIME: &str = "containerd://2.1.1";
const KERNEL_VERSION: &str = "6.10.14-linuxkit";

/// The system images kindest/node:v1.33.1 ships preloaded.
const LOCAL_PATH_IMAGE: &str = "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a";
const ETCD_IMAGE: &str = "registry.k8s.io/etcd:3.5.21-0";

/// Everything preloaded in the node image, so these pods start without a pull.
pub const PRELOADED_IMAGES: [&str; 8] = [
    KUBE_PROXY_IMAGE,
    KINDNET_IMAGE,
    LOCAL_PATH_IMAGE,
    ETCD_IMAGE,
    COREDNS_IMAGE,
    "registry.k8s.io/kube-apiserver:v1.33.1",
    "registry.k8s.io/kube-controller-manager:v1.33.1",
    "registry.k8s.io/kube-scheduler:v1.33.1",
];

/// CoreDNS as kubeadm v1.33 installs it.
const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";
/// The ReplicaSet hash of kubeadm v1.33's CoreDNS Deployment, as seen in kind v1.33 clusters.
const COREDNS_RS_HASH: &str = "674b8bbfcf";

/// The cluster's well-known Service IPs (GetIndexedIP(serviceCIDR, 1) and 10).
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";
/// kube-dns, the 10th IP of the service CIDR (kubeadm `GetDNSIP`).
pub const KUBE_DNS_SERVICE_IP: &str = "10.96.0.10";

pub(super) fn boot(cluster: &mut Cluster) {
    cluster.store.set_resource_version(200);
    cluster.clock.advance_ms(CONTROL_PLANE_REGISTERS_MS);
    for ns in NAMESPACES {
        let mut meta = named("", ns);
        meta.labels
            .insert("kubernetes.io/metadata.name".into(), ns.into());
        cluster.stamp_new(&mut meta);
        cluster.store.put(Namespace {
            metadata: meta,
            status: NamespaceStatus {
                phase: "Active".into(),
            },
        });
    }
    let layouts = cluster.layout.nodes.clone();
    let (control_planes, workers): (Vec<_>, Vec<_>) = layouts
        .iter()
        .partition(|n| n.role == NodeRole::ControlPlane);
    let control_plane = control_planes
        .first()
        .map(|n| n.name.clone())
        .unwrap_or_default();
    let daemonsets = SystemDaemonSets::store(cluster, &control_plane);
    super::system_configmaps::store(cluster, &control_plane);
    super::bootstrap_token::store(cluster);
    for node in &control_planes {
        add_node(cluster, node, &daemonsets);
    }
    if let Some(first) = control_planes.first() {
        add_control_plane_pods(cluster, &first.name);
        add_api_service(cluster, first.ip);
        add_coredns(cluster);
        add_local_path_provisioner(cluster);
        add_default_storage_class(cluster);
    }
    cluster.settle();
    let joined = cluster.now_ms() + WORKERS_JOIN_MS;
    cluster.advance_to(joined);
    for node in &workers {
        add_node(cluster, node, &daemonsets);
    }
    cluster.settle();
    let done = cluster.now_ms() + CREATE_DONE_MS;
    cluster.advance_to(done);
}

fn named(namespace: &str, name: &str) -> ObjectMeta {
    ObjectMeta {
        namespace: namespace.into(),
        name: name.into(),
        ..Default::default()
    }
}

pub(super) fn labels(pairs: &[(&str, &str)]) -> StringMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn condition(type_: &str, status: &str, reason: &str, message: &str, at: &str) -> Condition {
    Condition {
        type_: type_.into(),
        status: status.into(),
        last_transition_time: at.into(),
        reason: reason.into(),
        message: message.into(),
    }
}

/// Registers a node: the Node object, its runtime, and its kube-proxy and kindnet pods.
fn add_node(cluster: &mut Cluster, layout: &NodeLayout, daemonsets: &SystemDaemonSets) {
    let mut meta = named("", &layout.name);
    meta.labels = layout.labels.clone().into();
    meta.annotations = labels(&[
        (
            "kubeadm.alpha.kubernetes.io/cri-socket",
            "unix:///run/containerd/containerd.sock",
        ),
        ("node.alpha.kubernetes.io/ttl", "0"),
        (
            "volumes.kubernetes.io/controller-managed-attach-detach",
            "true",
        ),
    ]);
    cluster.stamp_new(&mut meta);
    let now = rfc3339(cluster.now_ms());
    let mut node = Node {
        metadata: meta,
        ..Default::default()
    };
    node.spec.pod_cidr = layout.pod_cidrs.first().cloned().unwrap_or_default();
    node.spec.pod_cidrs = layout.pod_cidrs.clone();
    node.spec.provider_id = format!("kind://docker/{}/{}", cluster.layout.name, layout.name);
    node.spec.taints = layout
        .taints
        .iter()
        .map(|t| Taint {
            key: t.key.clone(),
            value: t.value.clone(),
            effect: t.effect.clone(),
            time_added: String::new(),
        })
        .collect();
    node.status.conditions = vec![
        condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
            &now,
        ),
        condition(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            &now,
        ),
        condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
            &now,
        ),
        condition(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
            &now,
        ),
    ];
    node.status.addresses = vec![
        NodeAddress {
            type_: "InternalIP".into(),
            address: layout.ip.to_string(),
        },
        NodeAddress {
            type_: "Hostname".into(),
            address: layout.name.clone(),
        },
    ];
    node.status.node_info = NodeSystemInfo {
        kernel_version: KERNEL_VERSION.into(),
        os_image: OS_IMAGE.into(),
        container_runtime_version: CONTAINER_RUNTIME.into(),
        kubelet_version: layout
            .kubernetes_version
            .clone()
            .unwrap_or_else(|| "v1.33.1".into()),
        operating_system: "linux".into(),
        architecture: "amd64".into(),
    };
    let resources = cluster
        .interned
        .node_resources
        .get_or_insert_with(host_resources)
        .clone();
    node.status.capacity = resources.clone();
    node.status.allocatable = resources;
    cluster.store.put(node);

    let pod_cidr = layout.pod_cidrs.first().and_then(|c| Ipv4Cidr::parse(c));
    let mut view = NodeView::kind(&layout.name, layout.ip);
    view.cluster_cidr = Ipv4Cidr::parse(&cluster.layout.pod_subnet);
    // kindest/node:v1.33.1 is built on debian bookworm: iptables 1.8.9 prints protocol numbers.
    view.iptables_version = crate::iptables::IptablesVersion::V1_8_9;
    let mut runtime = NodeRuntime::new(&layout.name, layout.ip, pod_cidr, view);
    // Docker's embedded DNS rules (as kind's entrypoint rewrites them), kindnetd's masquerade
    // chain and the kubelet's chains are there before kube-proxy starts.
    let mut base = NodeBaseRules::kind_default(layout.ip).with_dns_ports_from(&mut cluster.rng);
    if let Some(subnet) = Ipv4Cidr::parse(&cluster.layout.pod_subnet) {
        base.pod_subnet = subnet;
    }
    // A large cluster's nodes get their base rules and kube-proxy tables when first needed
    // (the DNS ports are drawn now all the same, so the seed gives the same ports either way).
    let eager = !cluster.lazy_kube_proxy();
    runtime.set_base_rules(base, eager);
    runtime
        .images
        .extend(PRELOADED_IMAGES.iter().map(|i| i.to_string()));
    runtime.kept = if eager {
        KeptTables::Full
    } else {
        KeptTables::Pending
    };
    cluster.nodes.insert(layout.name.clone(), runtime);

    for mut pod in daemonsets.pods_for(&layout.name) {
        pod.spec.tolerations = cluster
            .interned
            .tolerations
            .intern(pod.spec.tolerations.to_vec());
        cluster.stamp_new(&mut pod.metadata);
        cluster.store.put(pod);
    }
}

/// What every node reports as its capacity and allocatable: a kind node is a container, so
/// it reports the host's CPUs and memory (the lab's host is a Docker Desktop VM, the kernel
/// above, given 8 CPUs and 8 GB), and kind reserves nothing for the system.
fn host_resources() -> crate::api::ResourceList {
    [
        ("cpu", "8"),
        ("ephemeral-storage", "61202244Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "8024092Ki"),
        ("pods", "110"),
    ]
    .iter()
    .filter_map(|(k, v)| Some((k.to_string(), Quantity::parse(v).ok()?)))
    .collect()
}

/// `resources` from `(name, request, limit)` triples; an empty string leaves that side unset.
pub(super) fn resources(entries: &[(&str, &str, &str)]) -> ResourceRequirements {
    let mut r = ResourceRequirements::default();
    for (name, request, limit) in entries {
        if let Ok(q) = Quantity::parse(request) {
            r.requests.insert(name.to_string(), q);
        }
        if let Ok(q) = Quantity::parse(limit) {
            r.limits.insert(name.to_string(), q);
        }
    }
    r
}

fn host_network_pod(meta: ObjectMeta, container: &str, image: &str, node: &str) -> Pod {
    let mut pod = Pod {
        metadata: meta,
        ..Default::default()
    };
    pod.spec.containers = crate::api::Shared::from(vec![Container {
        name: container.into(),
        image: image.into(),
        ..Default::default()
    }]);
    pod.spec.host_network = true;
    pod.spec.node_name = node.into();
    pod.spec.restart_policy = "Always".into();
    pod
}

/// The control plane's static pods, mirrored into the API as `<component>-<node>`.
fn add_control_plane_pods(cluster: &mut Cluster, node: &str) {
    // kubeadm's static pod manifests request CPU (and etcd memory) and set no limits
    // (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go).
    for (component, image, cpu, memory) in [
        ("etcd", ETCD_IMAGE, "100m", "100Mi"),
        (
            "kube-apiserver",
            "registry.k8s.io/kube-apiserver:v1.33.1",
            "250m",
            "",
        ),
        (
            "kube-controller-manager",
            "registry.k8s.io/kube-controller-manager:v1.33.1",
            "200m",
            "",
        ),
        (
            "kube-scheduler",
            "registry.k8s.io/kube-scheduler:v1.33.1",
            "100m",
            "",
        ),
    ] {
        let mut meta = named("kube-system", &format!("{component}-{node}"));
        meta.labels = labels(&[("component", component), ("tier", "control-plane")]);
        meta.owner_references = vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Node".into(),
            name: node.into(),
            uid: String::new(),
            controller: Some(true),
            block_owner_deletion: None,
        }];
        let mut pod = host_network_pod(meta, component, image, node);
        if let Some(c) = pod.spec.containers.first_mut() {
            c.resources = resources(&[("cpu", cpu, ""), ("memory", memory, "")]);
        }
        pod.spec.tolerations = crate::api::Shared::from(vec![Toleration {
            operator: "Exists".into(),
            effect: "NoExecute".into(),
            ..Default::default()
        }]);
        cluster.stamp_new(&mut pod.metadata);
        cluster.store.put(pod);
    }
}

/// `default/kubernetes`: 10.96.0.1:443 in front of the API server on the control plane.
fn add_api_service(cluster: &mut Cluster, control_plane_ip: Ipv4Addr) {
    let mut meta = named("default", "kubernetes");
    meta.labels = labels(&[("component", "apiserver"), ("provider", "kubernetes")]);
    cluster.stamp_new(&mut meta);
    let mut svc = Service {
        metadata: meta,
        ..Default::default()
    };
    svc.spec.ports = vec![ServicePort {
        name: "https".into(),
        protocol: "TCP".into(),
        port: 443,
        target_port: Some(IntOrString::Int(6443)),
        node_port: None,
    }];
    let _ = cluster.cluster_ips.allocate_str(KUBERNETES_SERVICE_IP);
    svc.spec.cluster_ip = KUBERNETES_SERVICE_IP.into();
    svc.spec.cluster_ips = vec![KUBERNETES_SERVICE_IP.into()];
    svc.spec.type_ = "ClusterIP".into();
    svc.spec.session_affinity = "None".into();
    svc.spec.ip_families = vec!["IPv4".into()];
    svc.spec.ip_family_policy = Some("SingleStack".into());
    svc.spec.internal_traffic_policy = Some("Cluster".into());
    cluster.store.put(svc);
    crate::controllers::set_api_server_endpoints(cluster, control_plane_ip);
}

fn coredns_template() -> PodTemplateSpec {
    let mut template = PodTemplateSpec::default();
    template.metadata.labels = labels(&[("k8s-app", "kube-dns")]);
    template.spec.containers = crate::api::Shared::from(vec![Container {
        name: "coredns".into(),
        image: COREDNS_IMAGE.into(),
        args: vec!["-conf".into(), "/etc/coredns/Corefile".into()],
        ports: vec![
            ContainerPort {
                name: "dns".into(),
                container_port: 53,
                protocol: "UDP".into(),
            },
            ContainerPort {
                name: "dns-tcp".into(),
                container_port: 53,
                protocol: "TCP".into(),
            },
            ContainerPort {
                name: "metrics".into(),
                container_port: 9153,
                protocol: "TCP".into(),
            },
        ],
        // kubeadm's CoreDNS Deployment (cmd/kubeadm/app/phases/addons/dns/manifests.go).
        resources: resources(&[("cpu", "100m", ""), ("memory", "70Mi", "170Mi")]),
        image_pull_policy: "IfNotPresent".into(),
        ..Default::default()
    }]);
    template.spec.restart_policy = "Always".into();
    template.spec.node_selector = labels(&[("kubernetes.io/os", "linux")]);
    template.spec.tolerations = crate::api::Shared::from(vec![
        Toleration {
            key: "CriticalAddonsOnly".into(),
            operator: "Exists".into(),
            ..Default::default()
        },
        Toleration {
            key: CONTROL_PLANE_TAINT_KEY.into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        },
    ]);
    template
}

/// CoreDNS: a two-replica Deployment, its ReplicaSet, and the kube-dns Service (10.96.0.10).
fn add_coredns(cluster: &mut Cluster) {
    let template = coredns_template();
    let selector = LabelSelector {
        match_labels: labels(&[("k8s-app", "kube-dns")]),
        ..Default::default()
    };
    let mut meta = named("kube-system", "coredns");
    meta.labels = labels(&[("k8s-app", "kube-dns")]);
    meta.generation = 1;
    cluster.stamp_new(&mut meta);
    let mut deploy = Deployment {
        metadata: meta,
        ..Default::default()
    };
    deploy.spec.replicas = Some(2);
    deploy.spec.selector = selector.clone();
    deploy.spec.template = template.clone();
    let deploy_uid = deploy.metadata.uid.clone();
    cluster.store.put(deploy);

    // The ReplicaSet under kubeadm's real template hash; the Deployment controller adopts it.
    let mut rs_template = template;
    rs_template
        .metadata
        .labels
        .insert("pod-template-hash".into(), COREDNS_RS_HASH.into());
    let mut rs_selector = selector;
    rs_selector
        .match_labels
        .insert("pod-template-hash".into(), COREDNS_RS_HASH.into());
    let mut meta = named("kube-system", &format!("coredns-{COREDNS_RS_HASH}"));
    meta.labels = rs_template.metadata.labels.clone();
    meta.generation = 1;
    meta.owner_references = vec![crate::controllers::owner_ref(
        "apps/v1",
        "Deployment",
        "coredns",
        &deploy_uid,
    )];
    meta.annotations = labels(&[
        ("deployment.kubernetes.io/desired-replicas", "2"),
        ("deployment.kubernetes.io/max-replicas", "3"),
        ("deployment.kubernetes.io/revision", "1"),
    ]);
    cluster.stamp_new(&mut meta);
    let mut rs = ReplicaSet {
        metadata: meta,
        ..Default::default()
    };
    rs.spec.replicas = Some(2);
    rs.spec.selector = rs_selector;
    rs.spec.template = rs_template;
    cluster.store.put(rs);

    let mut meta = named("kube-system", "kube-dns");
    meta.labels = labels(&[
        ("k8s-app", "kube-dns"),
        ("kubernetes.io/cluster-service", "true"),
        ("kubernetes.io/name", "CoreDNS"),
    ]);
    meta.annotations = labels(&[
        ("prometheus.io/port", "9153"),
        ("prometheus.io/scrape", "true"),
    ]);
    cluster.stamp_new(&mut meta);
    let mut svc = Service {
        metadata: meta,
        ..Default::default()
    };
    let port = |name: &str, protocol: &str, number: i32| ServicePort {
        name: name.into(),
        protocol: protocol.into(),
        port: number,
        target_port: Some(IntOrString::Int(number)),
        node_port: None,
    };
    svc.spec.ports = vec![
        port("dns", "UDP", 53),
        port("dns-tcp", "TCP", 53),
        port("metrics", "TCP", 9153),
    ];
    svc.spec.selector = labels(&[("k8s-app", "kube-dns")]);
    let _ = cluster.cluster_ips.allocate_str(KUBE_DNS_SERVICE_IP);
    svc.spec.cluster_ip = KUBE_DNS_SERVICE_IP.into();
    svc.spec.cluster_ips = vec![KUBE_DNS_SERVICE_IP.into()];
    svc.spec.type_ = "ClusterIP".into();
    svc.spec.session_affinity = "None".into();
    svc.spec.ip_families = vec!["IPv4".into()];
    svc.spec.ip_family_policy = Some("SingleStack".into());
    svc.spec.internal_traffic_policy = Some("Cluster".into());
    cluster.store.put(svc);
}

/// kind's local-path provisioner (the default StorageClass's backend) in `local-path-storage`.
fn add_local_path_provisioner(cluster: &mut Cluster) {
    let mut template = PodTemplateSpec::default();
    template.metadata.labels = labels(&[("app", "local-path-provisioner")]);
    template.spec.containers = crate::api::Shared::from(vec![Container {
        name: "local-path-provisioner".into(),
        image: LOCAL_PATH_IMAGE.into(),
        image_pull_policy: "IfNotPresent".into(),
        ..Default::default()
    }]);
    template.spec.restart_policy = "Always".into();
    template.spec.node_selector = labels(&[("kubernetes.io/os", "linux")]);
    template.spec.tolerations = crate::api::Shared::from(vec![Toleration {
        key: CONTROL_PLANE_TAINT_KEY.into(),
        operator: "Equal".into(),
        effect: "NoSchedule".into(),
        ..Default::default()
    }]);
    let mut meta = named("local-path-storage", "local-path-provisioner");
    meta.generation = 1;
    cluster.stamp_new(&mut meta);
    let mut deploy = Deployment {
        metadata: meta,
        ..Default::default()
    };
    deploy.spec.replicas = Some(1);
    deploy.spec.selector = LabelSelector {
        match_labels: labels(&[("app", "local-path-provisioner")]),
        ..Default::default()
    };
    deploy.spec.template = template;
    cluster.store.put(deploy);
}

/// kind's default StorageClass (`pkg/build/nodeimage/const_storage.go`, applied by
/// installstorage with `kubectl apply`, hence the last-applied annotation; the manifest's
/// `namespace: kube-system` is dropped for a cluster-scoped kind).
fn add_default_storage_class(cluster: &mut Cluster) {
    let mut class = crate::api::StorageClass {
        provisioner: crate::controllers::persistent_volumes::LOCAL_PATH_PROVISIONER.into(),
        reclaim_policy: Some("Delete".into()),
        volume_binding_mode: Some("WaitForFirstConsumer".into()),
        ..Default::default()
    };
    class.metadata.name = "standard".into();
    class.metadata.annotations = labels(&[
        (
            "kubectl.kubernetes.io/last-applied-configuration",
            "{\"apiVersion\":\"storage.k8s.io/v1\",\"kind\":\"StorageClass\",\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"},\"name\":\"standard\"},\"provisioner\":\"rancher.io/local-path\",\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}\n",
        ),
        (crate::api::DEFAULT_CLASS_ANNOTATION, "true"),
    ]);
    // Keyed: a class added to what the lab first modelled must not move a seed's draws.
    cluster.stamp_new_keyed("StorageClass", &mut class.metadata);
    cluster.store.put(class);
}
