//! Rows for `kubectl get`, as the API server's table printers build them
//! (`pkg/printers/internalversion/printers.go`, v1.33: `printPod`, `printService`,
//! `printEndpoints`, `printEndpointSlice`, `printReplicaSet`, `printDeployment`, `printNode`,
//! `printNamespace`, `printEvent`), and `kubectl get all`'s sections.

use svclab_sim::api::{
    ConfigMap, Container, DaemonSet, Deployment, EndpointPort, EndpointSlice, Endpoints,
    IntOrString, Namespace, Node, Pod, ReplicaSet, Secret, Service, StatefulSet,
};
use svclab_sim::cluster::Event;

use super::duration::{age, age_ms};
use super::selector::{format_label_selector, format_labels, Selector};
use super::table::{Column, PrintOptions, Row, Table};

pub(super) fn row(meta: &svclab_sim::api::ObjectMeta, cells: Vec<String>) -> Row {
    Row {
        cells,
        namespace: meta.namespace.clone(),
        labels: meta.labels.clone(),
    }
}

/// The pod's STATUS column, as `printPod` computes it.
pub fn pod_status(pod: &Pod) -> String {
    let mut reason = if pod.status.reason.is_empty() {
        pod.status.phase.clone()
    } else {
        pod.status.reason.clone()
    };
    if pod
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason == "SchedulingGated")
    {
        reason = "SchedulingGated".to_string();
    }
    let mut has_running = false;
    for c in pod.status.container_statuses.iter().rev() {
        let st = &c.state;
        if let Some(w) = st.waiting.as_ref().filter(|w| !w.reason.is_empty()) {
            reason = w.reason.clone();
        } else if let Some(t) = st.terminated.as_ref() {
            // The lab keeps no exit codes or signals: an unnamed termination reads ExitCode:0.
            reason = if t.reason.is_empty() {
                "ExitCode:0".to_string()
            } else {
                t.reason.clone()
            };
        } else if c.ready && st.running.is_some() {
            has_running = true;
        }
    }
    if reason == "Completed" && has_running {
        let ready = pod
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        reason = if ready { "Running" } else { "NotReady" }.to_string();
    }
    let terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed";
    if pod.metadata.deletion_timestamp.is_some() && pod.status.reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if pod.metadata.deletion_timestamp.is_some() && !terminal {
        reason = "Terminating".to_string();
    }
    reason
}

/// The pod's READY column: ready running containers over containers.
pub fn pod_ready(pod: &Pod) -> String {
    let ready = pod
        .status
        .container_statuses
        .iter()
        .filter(|c| {
            c.ready
                && c.state.running.is_some()
                && c.state.waiting.as_ref().is_none_or(|w| w.reason.is_empty())
                && c.state.terminated.is_none()
        })
        .count();
    format!("{}/{}", ready, pod.spec.containers.len())
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// `kubectl get pods`.
pub fn pods_table<'a>(pods: impl IntoIterator<Item = &'a Pod>, now_ms: u64) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Ready"),
        Column::base("Status"),
        Column::base("Restarts"),
        Column::base("Age"),
        Column::wide("IP"),
        Column::wide("Node"),
        Column::wide("Nominated Node"),
        Column::wide("Readiness Gates"),
    ];
    let rows = pods
        .into_iter()
        .map(|p| {
            // The lab keeps no lastState, so there is no "(Xs ago)" suffix to add.
            let restarts: i64 = p
                .status
                .container_statuses
                .iter()
                .map(|c| i64::from(c.restart_count))
                .sum();
            row(
                &p.metadata,
                vec![
                    p.metadata.name.clone(),
                    pod_ready(p),
                    pod_status(p),
                    restarts.to_string(),
                    age(&p.metadata.creation_timestamp, now_ms),
                    or_none(&p.status.pod_ip),
                    or_none(&p.spec.node_name),
                    "<none>".into(),
                    "<none>".into(),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `loadBalancerStatusStringer`: ingress IPs (or hostnames), sorted and de-duplicated, clipped
/// to 16 bytes unless wide.
fn load_balancer_string(svc: &Service, wide: bool) -> String {
    let mut set: Vec<String> = svc
        .status
        .load_balancer
        .ingress
        .iter()
        .filter_map(|i| {
            if !i.ip.is_empty() {
                Some(i.ip.clone())
            } else if !i.hostname.is_empty() {
                Some(i.hostname.clone())
            } else {
                None
            }
        })
        .collect();
    set.sort();
    set.dedup();
    let r = set.join(",");
    if !wide && r.len() > 16 {
        format!("{}...", r.get(..13).unwrap_or(&r))
    } else {
        r
    }
}

/// The service's EXTERNAL-IP column (`getServiceExternalIP`).
pub fn service_external_ip(svc: &Service, wide: bool) -> String {
    let type_ = if svc.spec.type_.is_empty() {
        "ClusterIP"
    } else {
        svc.spec.type_.as_str()
    };
    match type_ {
        "ClusterIP" | "NodePort" => {
            if svc.spec.external_ips.is_empty() {
                "<none>".into()
            } else {
                svc.spec.external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_string(svc, wide);
            if !svc.spec.external_ips.is_empty() {
                let mut results: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(',').map(str::to_string));
                }
                results.extend(svc.spec.external_ips.iter().cloned());
                return results.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb
            }
        }
        "ExternalName" => svc.spec.external_name.clone(),
        _ => "<unknown>".into(),
    }
}

/// `makePortString`: `80/TCP`, `80:30080/TCP`, joined by `,`.
pub fn service_ports(svc: &Service) -> String {
    svc.spec
        .ports
        .iter()
        .map(|p| {
            let proto = if p.protocol.is_empty() {
                "TCP"
            } else {
                p.protocol.as_str()
            };
            match p.node_port.filter(|n| *n > 0) {
                Some(np) => format!("{}:{}/{}", p.port, np, proto),
                None => format!("{}/{}", p.port, proto),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `kubectl get services`.
pub fn services_table<'a>(
    services: impl IntoIterator<Item = &'a Service>,
    now_ms: u64,
    wide: bool,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Type"),
        Column::base("Cluster-IP"),
        Column::base("External-IP"),
        Column::base("Port(s)"),
        Column::base("Age"),
        Column::wide("Selector"),
    ];
    let rows = services
        .into_iter()
        .map(|s| {
            let cluster_ip = s
                .spec
                .cluster_ips
                .first()
                .cloned()
                .or_else(|| (!s.spec.cluster_ip.is_empty()).then(|| s.spec.cluster_ip.clone()))
                .unwrap_or_else(|| "<none>".into());
            let ports = service_ports(s);
            row(
                &s.metadata,
                vec![
                    s.metadata.name.clone(),
                    s.spec.type_.clone(),
                    cluster_ip,
                    service_external_ip(s, wide),
                    if ports.is_empty() {
                        "<none>".into()
                    } else {
                        ports
                    },
                    age(&s.metadata.creation_timestamp, now_ms),
                    format_labels(&s.spec.selector),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `net.JoinHostPort`: IPv6 addresses get brackets.
fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `formatEndpoints(endpoints, nil)`: up to three `ip:port`, then ` + N more...`; `<none>`
/// without subsets.
pub fn format_endpoints(ep: &Endpoints) -> String {
    if ep.subsets.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &ep.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port.unwrap_or(0)));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

/// `kubectl get endpoints` (the caller also prints [`super::ENDPOINTS_DEPRECATION_WARNING`]
/// on stderr).
pub fn endpoints_table<'a>(eps: impl IntoIterator<Item = &'a Endpoints>, now_ms: u64) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Endpoints"),
        Column::base("Age"),
    ];
    let rows = eps
        .into_iter()
        .map(|e| {
            row(
                &e.metadata,
                vec![
                    e.metadata.name.clone(),
                    format_endpoints(e),
                    age(&e.metadata.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

fn list_with_more(list: Vec<String>, more: bool, count: usize, max: usize) -> String {
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count - max);
    }
    if ret.is_empty() {
        "<unset>".into()
    } else {
        ret
    }
}

/// `formatDiscoveryPorts`: port numbers (or names, or `*`), three at most.
pub fn format_discovery_ports(ports: &[EndpointPort]) -> String {
    let max = 3;
    let mut list = Vec::new();
    let mut more = false;
    let mut count = 0;
    for p in ports {
        if list.len() < max {
            list.push(match (&p.port, &p.name) {
                (Some(n), _) => n.to_string(),
                (None, Some(name)) => name.clone(),
                _ => "*".into(),
            });
        } else if list.len() == max {
            more = true;
        }
        count += 1;
    }
    list_with_more(list, more, count, max)
}

/// `formatDiscoveryEndpoints`: addresses, three at most.
pub fn format_discovery_endpoints(slice: &EndpointSlice) -> String {
    let max = 3;
    let mut list = Vec::new();
    let mut more = false;
    let mut count = 0;
    for e in &slice.endpoints {
        for a in &e.addresses {
            if list.len() < max {
                list.push(a.clone());
            } else if list.len() == max {
                more = true;
            }
            count += 1;
        }
    }
    list_with_more(list, more, count, max)
}

/// `kubectl get endpointslices`.
pub fn endpoint_slices_table<'a>(
    slices: impl IntoIterator<Item = &'a EndpointSlice>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("AddressType"),
        Column::base("Ports"),
        Column::base("Endpoints"),
        Column::base("Age"),
    ];
    let rows = slices
        .into_iter()
        .map(|s| {
            row(
                &s.metadata,
                vec![
                    s.metadata.name.clone(),
                    s.address_type.clone(),
                    format_discovery_ports(&s.ports),
                    format_discovery_endpoints(s),
                    age(&s.metadata.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `layoutContainerCells`: names and images, comma-joined.
pub(super) fn container_cells(containers: &[Container]) -> (String, String) {
    (
        containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(","),
        containers
            .iter()
            .map(|c| c.image.as_str())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// `kubectl get replicasets`.
pub fn replica_sets_table<'a>(
    sets: impl IntoIterator<Item = &'a ReplicaSet>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Desired"),
        Column::base("Current"),
        Column::base("Ready"),
        Column::base("Age"),
        Column::wide("Containers"),
        Column::wide("Images"),
        Column::wide("Selector"),
    ];
    let rows = sets
        .into_iter()
        .map(|rs| {
            let (names, images) = container_cells(&rs.spec.template.spec.containers);
            row(
                &rs.metadata,
                vec![
                    rs.metadata.name.clone(),
                    rs.spec.replicas.unwrap_or(1).to_string(),
                    rs.status.replicas.to_string(),
                    rs.status.ready_replicas.to_string(),
                    age(&rs.metadata.creation_timestamp, now_ms),
                    names,
                    images,
                    format_label_selector(&rs.spec.selector),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get deployments`.
pub fn deployments_table<'a>(
    deployments: impl IntoIterator<Item = &'a Deployment>,
    now_ms: u64,
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Ready"),
        Column::base("Up-to-date"),
        Column::base("Available"),
        Column::base("Age"),
        Column::wide("Containers"),
        Column::wide("Images"),
        Column::wide("Selector"),
    ];
    let rows = deployments
        .into_iter()
        .map(|d| {
            let (names, images) = container_cells(&d.spec.template.spec.containers);
            row(
                &d.metadata,
                vec![
                    d.metadata.name.clone(),
                    format!(
                        "{}/{}",
                        d.status.ready_replicas,
                        d.spec.replicas.unwrap_or(1)
                    ),
                    d.status.updated_replicas.to_string(),
                    d.status.available_replicas.to_string(),
                    age(&d.metadata.creation_timestamp, now_ms),
                    names,
                    images,
                    // printDeployment uses selector.String(), which is empty (not <none>).
                    Selector::from_label_selector(&d.spec.selector).to_selector_string(),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get daemonsets` (`printDaemonSet`).
pub fn daemon_sets_table<'a>(sets: impl IntoIterator<Item = &'a DaemonSet>, now_ms: u64) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Desired"),
        Column::base("Current"),
        Column::base("Ready"),
        Column::base("Up-to-date"),
        Column::base("Available"),
        Column::base("Node Selector"),
        Column::base("Age"),
        Column::wide("Containers"),
        Column::wide("Images"),
        Column::wide("Selector"),
    ];
    let rows = sets
        .into_iter()
        .map(|ds| {
            let (names, images) = container_cells(&ds.spec.template.spec.containers);
            let s = &ds.status;
            row(
                &ds.metadata,
                vec![
                    ds.metadata.name.clone(),
                    s.desired_number_scheduled.to_string(),
                    s.current_number_scheduled.to_string(),
                    s.number_ready.to_string(),
                    s.updated_number_scheduled.to_string(),
                    s.number_available.to_string(),
                    format_labels(&ds.spec.template.spec.node_selector),
                    age(&ds.metadata.creation_timestamp, now_ms),
                    names,
                    images,
                    format_label_selector(&ds.spec.selector),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get configmaps` (`printConfigMap`): DATA counts text and binary keys.
pub fn config_maps_table<'a>(maps: impl IntoIterator<Item = &'a ConfigMap>, now_ms: u64) -> Table {
    name_value_age_table(maps, "Data", now_ms, |cm| {
        (
            &cm.metadata,
            (cm.data.len() + cm.binary_data.len()).to_string(),
        )
    })
}

/// `kubectl get secrets` (`printSecret`): DATA counts the keys.
pub fn secrets_table<'a>(secrets: impl IntoIterator<Item = &'a Secret>, now_ms: u64) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Type"),
        Column::base("Data"),
        Column::base("Age"),
    ];
    let rows = secrets
        .into_iter()
        .map(|s| {
            let meta = &s.metadata;
            row(
                meta,
                vec![
                    meta.name.clone(),
                    s.type_.clone(),
                    s.data.len().to_string(),
                    age(&meta.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// The tables of NAME, one column, AGE (namespaces, config maps): `cells` gives an object's
/// metadata and its middle cell.
fn name_value_age_table<'a, T: 'a>(
    objects: impl IntoIterator<Item = &'a T>,
    middle: &'static str,
    now_ms: u64,
    cells: impl Fn(&'a T) -> (&'a svclab_sim::api::ObjectMeta, String),
) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base(middle),
        Column::base("Age"),
    ];
    let rows = objects
        .into_iter()
        .map(|o| {
            let (meta, value) = cells(o);
            row(
                meta,
                vec![
                    meta.name.clone(),
                    value,
                    age(&meta.creation_timestamp, now_ms),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// The node's STATUS column: `Ready`/`NotReady`/`Unknown`, plus `,SchedulingDisabled`.
pub fn node_status(node: &Node) -> String {
    let mut status: Vec<&str> = Vec::new();
    if let Some(c) = node
        .status
        .conditions
        .iter()
        .rev()
        .find(|c| c.type_ == "Ready")
    {
        status.push(if c.status == "True" {
            "Ready"
        } else {
            "NotReady"
        });
    }
    if status.is_empty() {
        status.push("Unknown");
    }
    if node.spec.unschedulable {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>`, sorted.
pub fn node_roles(node: &Node) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &node.metadata.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    roles
}

fn node_address(node: &Node, type_: &str) -> String {
    node.status
        .addresses
        .iter()
        .find(|a| a.type_ == type_)
        .map_or_else(|| "<none>".to_string(), |a| a.address.clone())
}

fn or_unknown(s: &str) -> String {
    if s.is_empty() {
        "<unknown>".into()
    } else {
        s.to_string()
    }
}

/// `kubectl get nodes`.
pub fn nodes_table<'a>(nodes: impl IntoIterator<Item = &'a Node>, now_ms: u64) -> Table {
    let columns = vec![
        Column::base("Name"),
        Column::base("Status"),
        Column::base("Roles"),
        Column::base("Age"),
        Column::base("Version"),
        Column::wide("Internal-IP"),
        Column::wide("External-IP"),
        Column::wide("OS-Image"),
        Column::wide("Kernel-Version"),
        Column::wide("Container-Runtime"),
    ];
    let rows = nodes
        .into_iter()
        .map(|n| {
            let roles = node_roles(n).join(",");
            let info = &n.status.node_info;
            row(
                &n.metadata,
                vec![
                    n.metadata.name.clone(),
                    node_status(n),
                    or_none(&roles),
                    age(&n.metadata.creation_timestamp, now_ms),
                    info.kubelet_version.clone(),
                    node_address(n, "InternalIP"),
                    node_address(n, "ExternalIP"),
                    or_unknown(&info.os_image),
                    or_unknown(&info.kernel_version),
                    or_unknown(&info.container_runtime_version),
                ],
            )
        })
        .collect();
    Table { columns, rows }
}

/// `kubectl get namespaces`.
pub fn namespaces_table<'a>(nss: impl IntoIterator<Item = &'a Namespace>, now_ms: u64) -> Table {
    name_value_age_table(nss, "Status", now_ms, |n| {
        (&n.metadata, n.status.phase.clone())
    })
}

/// The name the event recorder gives an event: `<object name>.<UnixNano in hex>`
/// (client-go `tools/record/event.go` `makeEvent`).
pub fn event_name(e: &Event) -> String {
    let obj = e.object.split_once('/').map_or(e.object.as_str(), |x| x.1);
    format!(
        "{}.{:x}",
        obj,
        u128::from(e.first_ms) * 1_000_000 + u128::from(e.first_ns)
    )
}

/// Events in the order the API server lists them: by namespace, then by name.
pub fn sorted_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events.into_iter().collect();
    v.sort_by_cached_key(|e| (e.namespace.clone(), event_name(e)));
    v
}

/// `kubectl get events` (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide adds SUBOBJECT,
/// SOURCE, FIRST SEEN, COUNT, NAME). Rows come in list order ([`sorted_events`]).
/// `source` gives the SOURCE column (component, and the reporting instance when known).
pub fn events_table<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    now_ms: u64,
    source: impl Fn(&Event) -> String,
) -> Table {
    let columns = vec![
        Column::base("Last Seen"),
        Column::base("Type"),
        Column::base("Reason"),
        Column::base("Object"),
        Column::wide("Subobject"),
        Column::wide("Source"),
        Column::base("Message"),
        Column::wide("First Seen"),
        Column::wide("Count"),
        Column::wide("Name"),
    ];
    let rows = sorted_events(events)
        .into_iter()
        .map(|e| Row {
            cells: vec![
                age_ms(e.last_ms, now_ms),
                e.type_.clone(),
                e.reason.clone(),
                e.object.clone(),
                e.field_path.clone(),
                source(e),
                e.message.trim().to_string(),
                age_ms(e.first_ms, now_ms),
                e.count.max(1).to_string(),
                event_name(e),
            ],
            namespace: e.namespace.clone(),
            labels: Default::default(),
        })
        .collect();
    Table { columns, rows }
}

/// The objects `kubectl get all` shows in the lab, in the order kubectl prints the "all"
/// category (pods, services, daemonsets.apps, deployments.apps, replicasets.apps,
/// statefulsets.apps; the lab has no jobs, cronjobs, HPAs or replication controllers).
#[derive(Clone, Copy, Debug, Default)]
pub struct AllObjects<'a> {
    /// Pods.
    pub pods: &'a [&'a Pod],
    /// Services.
    pub services: &'a [&'a Service],
    /// DaemonSets.
    pub daemon_sets: &'a [&'a DaemonSet],
    /// Deployments.
    pub deployments: &'a [&'a Deployment],
    /// ReplicaSets.
    pub replica_sets: &'a [&'a ReplicaSet],
    /// StatefulSets.
    pub stateful_sets: &'a [&'a StatefulSet],
}

/// `kubectl get all`: one section per kind with names prefixed `pod/`, `service/`,
/// `deployment.apps/`, `replicaset.apps/`, blank lines between the non-empty ones.
/// `opts.with_kind` is ignored (each section sets its own). Empty when nothing exists; the
/// caller then prints [`super::no_resources_found`] on stderr.
pub fn print_get_all(objs: &AllObjects<'_>, now_ms: u64, opts: &PrintOptions) -> String {
    let with = |kind: &str| PrintOptions {
        with_kind: Some(kind.to_string()),
        ..opts.clone()
    };
    super::table::print_sections(&[
        (pods_table(objs.pods.iter().copied(), now_ms), with("pod")),
        (
            services_table(objs.services.iter().copied(), now_ms, opts.wide),
            with("service"),
        ),
        (
            daemon_sets_table(objs.daemon_sets.iter().copied(), now_ms),
            with("daemonset.apps"),
        ),
        (
            deployments_table(objs.deployments.iter().copied(), now_ms),
            with("deployment.apps"),
        ),
        (
            replica_sets_table(objs.replica_sets.iter().copied(), now_ms),
            with("replicaset.apps"),
        ),
        (
            super::statefulset::stateful_sets_table(objs.stateful_sets.iter().copied(), now_ms),
            with("statefulset.apps"),
        ),
    ])
}

/// `targetPort` as describe prints it: a number or a name.
pub fn target_port_string(tp: Option<&IntOrString>, port: i32) -> String {
    match tp {
        Some(t) => t.to_string(),
        None => port.to_string(),
    }
}
