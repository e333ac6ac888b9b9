//! `kubectl describe` for pods, services, nodes, replica sets and deployments
//! (`staging/src/k8s.io/kubectl/pkg/describe/describe.go`, v1.33: `describePod`,
//! `describeService` (from EndpointSlices), `describeNode`, `describeReplicaSet`,
//! `describeDeployment`, `describeDaemonSet`, `ConfigMapDescriber`, `DescribePodTemplate`,
//! `DescribeEvents`). Text is written with
//! `PrefixWriter` levels (two spaces each) and aligned by `tabbedString`'s tabwriter
//! (minwidth 0, tabwidth 8, padding 2).
//!
//! Fields the lab does not model print as the real describers print them when unset; the
//! API server's pod defaults the lab lacks (`Priority: 0`, `Service Account: default`) are
//! printed as a kind cluster shows them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use svclab_sim::api::{
    add_quantities, field_value, ConfigMap, Container, ContainerStatus, DaemonSet, Deployment,
    DownwardApiVolumeSource, EndpointSlice, Endpoints, IntOrString, Namespace, Node, Pod,
    PodTemplateSpec, ProjectedVolumeSource, Quantity, ReplicaSet, Secret, Service, StringMap,
    Toleration, Volume,
};
use svclab_sim::cluster::Event;

use super::derived_pod;
use super::duration::{age, age_ms, rfc1123z, rfc1123z_ms};
use super::printers::node_roles;
use super::selector::{format_label_selector, format_labels, Selector};
use super::tabwriter::format_describe;

/// `PrefixWriter`: each level indents two spaces.
pub(super) struct W {
    text: String,
}

impl W {
    pub(super) fn new() -> W {
        W {
            text: String::new(),
        }
    }
    pub(super) fn line(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
    }
    pub(super) fn finish(self) -> String {
        format_describe(&self.text)
    }
}

/// Annotations `describe` never prints (`skipAnnotations`).
const SKIP_ANNOTATIONS: [&str; 1] = ["kubectl.kubernetes.io/last-applied-configuration"];

/// `printLabelsMultilineWithIndent`.
pub(super) fn labels_multiline(w: &mut W, initial_indent: &str, title: &str, labels: &StringMap) {
    w.line(0, &format!("{initial_indent}{title}:\t"));
    if labels.is_empty() {
        w.line(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.line(0, &format!("{initial_indent}\t"));
        }
        w.line(0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline`.
pub(super) fn annotations_multiline(w: &mut W, title: &str, annotations: &StringMap) {
    w.line(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| !SKIP_ANNOTATIONS.contains(&k.as_str()))
        .collect();
    if keys.is_empty() {
        w.line(0, "<none>\n");
        return;
    }
    for (i, key) in keys.into_iter().enumerate() {
        if i != 0 {
            w.line(0, "\t");
        }
        let value = annotations[key].trim_end_matches('\n');
        if value.len() + key.len() + 2 > 140 || value.contains('\n') {
            w.line(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > 138 {
                    format!("{}...", s.get(..138).unwrap_or(s))
                } else {
                    s.to_string()
                };
                w.line(0, &format!("\t  {short}\n"));
            }
        } else {
            w.line(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
fn tolerations_multiline(w: &mut W, initial_indent: &str, title: &str, tols: &[Toleration]) {
    w.line(0, &format!("{initial_indent}{title}:\t"));
    if tols.is_empty() {
        w.line(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tols.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.line(0, &format!("{initial_indent}\t"));
        }
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            let _ = write!(s, "={}", t.value);
        }
        if !t.effect.is_empty() {
            let _ = write!(s, ":{}", t.effect);
        }
        if t.operator == "Exists" && t.value.is_empty() {
            if !t.key.is_empty() || !t.effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            let _ = write!(s, " for {secs}s");
        }
        w.line(0, &format!("{s}\n"));
    }
}

/// `DescribeEvents`: `Events:  <none>`, or a table sorted by last time seen.
pub(super) fn describe_events(w: &mut W, events: &[&Event], now_ms: u64) {
    if events.is_empty() {
        w.line(0, "Events:\t<none>\n");
        return;
    }
    let mut sorted: Vec<&Event> = events.to_vec();
    sorted.sort_by_key(|e| e.last_ms);
    w.line(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.line(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = age_ms(e.first_ms, now_ms);
        let interval = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                age_ms(e.last_ms, now_ms),
                e.count,
                first
            )
        } else {
            first
        };
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_,
                e.reason,
                interval,
                e.source,
                e.message.trim()
            ),
        );
    }
}

fn print_controller(meta: &svclab_sim::api::ObjectMeta) -> Option<String> {
    meta.controller_ref()
        .map(|r| format!("{}/{}", r.kind, r.name))
}

fn protocol(p: &str) -> &str {
    if p.is_empty() {
        "TCP"
    } else {
        p
    }
}

/// `describeContainers` (with statuses for a pod, without for a template).
fn describe_containers(
    w: &mut W,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.line(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.and_then(|s| s.iter().find(|st| st.name == c.name));
        w.line(1, &format!("{name_indent}{}:\n", c.name));
        // The runtime's ids exist once the container was created.
        let created =
            status.is_some_and(|st| st.state.running.is_some() || st.state.terminated.is_some());
        let uid = pod.map_or("", |p| p.metadata.uid.as_str());
        if status.is_some() {
            let id = if created {
                derived_pod::container_id(uid, &c.name)
            } else {
                String::new()
            };
            w.line(2, &format!("Container ID:\t{id}\n"));
        }
        w.line(2, &format!("Image:\t{}\n", c.image));
        if status.is_some() {
            let id = if created {
                derived_pod::image_id(&c.image)
            } else {
                String::new()
            };
            w.line(2, &format!("Image ID:\t{id}\n"));
        }
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, protocol(&p.protocol)))
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("0/{}", protocol(&p.protocol)))
            .collect();
        let (ps, hps) = (ports.join(", "), host_ports.join(", "));
        if ps.contains(',') {
            w.line(2, &format!("Ports:\t{ps}\n"));
        } else {
            w.line(
                2,
                &format!("Port:\t{}\n", if ps.is_empty() { "<none>" } else { &ps }),
            );
        }
        if hps.contains(',') {
            w.line(2, &format!("Host Ports:\t{hps}\n"));
        } else {
            w.line(
                2,
                &format!(
                    "Host Port:\t{}\n",
                    if hps.is_empty() { "<none>" } else { &hps }
                ),
            );
        }
        if !c.command.is_empty() {
            w.line(2, "Command:\n");
            for s in c.command.iter().flat_map(|x| x.split('\n')) {
                w.line(3, &format!("{s}\n"));
            }
        }
        if !c.args.is_empty() {
            w.line(2, "Args:\n");
            for s in c.args.iter().flat_map(|x| x.split('\n')) {
                w.line(3, &format!("{s}\n"));
            }
        }
        if let Some(st) = status {
            let state = &st.state;
            if let Some(r) = &state.running {
                w.line(2, "State:\tRunning\n");
                w.line(3, &format!("Started:\t{}\n", rfc1123z(&r.started_at)));
            } else if let Some(wt) = &state.waiting {
                w.line(2, "State:\tWaiting\n");
                if !wt.reason.is_empty() {
                    w.line(3, &format!("Reason:\t{}\n", wt.reason));
                }
            } else if let Some(t) = &state.terminated {
                w.line(2, "State:\tTerminated\n");
                if !t.reason.is_empty() {
                    w.line(3, &format!("Reason:\t{}\n", t.reason));
                }
                w.line(3, "Exit Code:\t0\n");
                w.line(3, &format!("Started:\t{}\n", rfc1123z(&t.started_at)));
                w.line(3, "Finished:\t\n");
            } else {
                w.line(2, "State:\tWaiting\n");
            }
            w.line(
                2,
                &format!("Ready:\t{}\n", if st.ready { "True" } else { "False" }),
            );
            w.line(2, &format!("Restart Count:\t{}\n", st.restart_count));
        }
        // describeResources: limits, then requests, names sorted.
        for (title, list) in [
            ("Limits", &c.resources.limits),
            ("Requests", &c.resources.requests),
        ] {
            if !list.is_empty() {
                w.line(2, &format!("{title}:\n"));
            }
            for (name, quantity) in list {
                w.line(3, &format!("{name}:\t{quantity}\n"));
            }
        }
        if !c.env_from.is_empty() {
            describe_env_from(w, c);
        }
        describe_env(w, c, pod);
        // Every pod container also mounts the service account's token volume; sorted by
        // mount path (SortableVolumeMounts).
        let mut mounts: Vec<(String, String, String)> = c
            .volume_mounts
            .iter()
            .map(|m| {
                let mut flags = String::from(if m.read_only { "ro" } else { "rw" });
                if !m.sub_path.is_empty() {
                    flags.push_str(&format!(",path={:?}", m.sub_path));
                }
                (m.mount_path.clone(), m.name.clone(), flags)
            })
            .collect();
        if let Some(p) = pod {
            let token = derived_pod::token_volume_name(&p.metadata.uid);
            mounts.push((derived_pod::TOKEN_MOUNT.to_string(), token, "ro".into()));
        }
        mounts.sort();
        if mounts.is_empty() {
            w.line(2, "Mounts:\t<none>\n");
        } else {
            w.line(2, "Mounts:\n");
            for (path, name, flag) in mounts {
                w.line(3, &format!("{path} from {name} ({flag})\n"));
            }
        }
    }
}

/// `kubectl describe pod`. `events` are the events about this pod.
pub fn describe_pod(pod: &Pod, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &pod.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(0, "Priority:\t0\n");
    w.line(0, "Service Account:\tdefault\n");
    if pod.spec.node_name.is_empty() {
        w.line(0, "Node:\t<none>\n");
    } else {
        w.line(
            0,
            &format!("Node:\t{}/{}\n", pod.spec.node_name, pod.status.host_ip),
        );
    }
    if !pod.status.start_time.is_empty() {
        w.line(
            0,
            &format!("Start Time:\t{}\n", rfc1123z(&pod.status.start_time)),
        );
    }
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    let phase = &pod.status.phase;
    if let (Some(del), false) = (
        m.deletion_timestamp.as_ref(),
        phase == "Failed" || phase == "Succeeded",
    ) {
        w.line(
            0,
            &format!("Status:\tTerminating (lasts {})\n", age(del, now_ms)),
        );
        w.line(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                pod.spec.termination_grace_period_seconds.unwrap_or(30)
            ),
        );
    } else {
        w.line(0, &format!("Status:\t{phase}\n"));
    }
    if !pod.status.reason.is_empty() {
        w.line(0, &format!("Reason:\t{}\n", pod.status.reason));
    }
    w.line(0, &format!("IP:\t{}\n", pod.status.pod_ip));
    if pod.status.pod_ip.is_empty() {
        w.line(0, "IPs:\t<none>\n");
    } else {
        w.line(0, "IPs:\n");
        w.line(1, &format!("IP:\t{}\n", pod.status.pod_ip));
    }
    if let Some(c) = print_controller(m) {
        w.line(0, &format!("Controlled By:\t{c}\n"));
    }
    describe_containers(
        &mut w,
        "Containers",
        &pod.spec.containers,
        Some(&pod.status.container_statuses),
        Some(pod),
        "",
    );
    if !pod.status.conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus\n");
        for c in &pod.status.conditions {
            w.line(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    // The token volume admission adds (printProjectedVolumeSource, sources in order).
    w.line(0, "Volumes:\n");
    describe_volume_sources(&mut w, &pod.spec.volumes, "");
    w.line(
        1,
        &format!("{}:\n", derived_pod::token_volume_name(&pod.metadata.uid)),
    );
    w.line(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    w.line(2, "TokenExpirationSeconds:\t3607\n");
    w.line(2, "ConfigMapName:\tkube-root-ca.crt\n");
    w.line(2, "ConfigMapOptional:\t<nil>\n");
    w.line(2, "DownwardAPI:\ttrue\n");
    w.line(0, &format!("QoS Class:\t{}\n", pod.qos_class()));
    labels_multiline(&mut w, "", "Node-Selectors", &pod.spec.node_selector);
    tolerations_multiline(&mut w, "", "Tolerations", &pod.spec.tolerations);
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `formatEndpointSlices(slices, {portName})`: up to three ready `ip:port`.
pub fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for s in slices {
        if s.ports.is_empty() {
            for e in &s.endpoints {
                if list.len() == max {
                    more = true;
                }
                if e.conditions.ready == Some(false) {
                    continue;
                }
                if !more {
                    if let Some(a) = e.addresses.first() {
                        list.push(a.clone());
                    }
                }
                count += 1;
            }
        } else {
            for p in &s.ports {
                let name = p.name.as_deref().unwrap_or("");
                if port_name.is_some_and(|want| want != name) {
                    continue;
                }
                for e in &s.endpoints {
                    if list.len() == max {
                        more = true;
                    }
                    if e.conditions.ready == Some(false) {
                        continue;
                    }
                    if !more {
                        let addr = e.addresses.first().cloned().unwrap_or_default();
                        let port = p.port.unwrap_or(0);
                        list.push(if addr.contains(':') {
                            format!("[{addr}]:{port}")
                        } else {
                            format!("{addr}:{port}")
                        });
                    }
                    count += 1;
                }
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

/// `kubectl describe service`; `slices` are the Service's EndpointSlices (label
/// `kubernetes.io/service-name`).
pub fn describe_service(
    svc: &Service,
    slices: &[&EndpointSlice],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &svc.metadata;
    let s = &svc.spec;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, &format!("Selector:\t{}\n", format_labels(&s.selector)));
    w.line(0, &format!("Type:\t{}\n", s.type_));
    if let Some(p) = &s.ip_family_policy {
        w.line(0, &format!("IP Family Policy:\t{p}\n"));
    }
    if s.ip_families.is_empty() {
        w.line(0, "IP Families:\t<none>\n");
    } else {
        w.line(0, &format!("IP Families:\t{}\n", s.ip_families.join(",")));
    }
    w.line(0, &format!("IP:\t{}\n", s.cluster_ip));
    if s.cluster_ips.is_empty() {
        w.line(0, "IPs:\t<none>\n");
    } else {
        w.line(0, &format!("IPs:\t{}\n", s.cluster_ips.join(",")));
    }
    if !s.external_ips.is_empty() {
        w.line(0, &format!("External IPs:\t{}\n", s.external_ips.join(",")));
    }
    if !s.load_balancer_ip.is_empty() {
        w.line(
            0,
            &format!("Desired LoadBalancer IP:\t{}\n", s.load_balancer_ip),
        );
    }
    if !s.external_name.is_empty() {
        w.line(0, &format!("External Name:\t{}\n", s.external_name));
    }
    let ingress = &svc.status.load_balancer.ingress;
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                if i.ip.is_empty() {
                    i.hostname.clone()
                } else {
                    match &i.ip_mode {
                        Some(mode) => format!("{} ({mode})", i.ip),
                        None => i.ip.clone(),
                    }
                }
            })
            .collect();
        w.line(0, &format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    for p in &s.ports {
        let name = if p.name.is_empty() {
            "<unset>"
        } else {
            &p.name
        };
        let proto = protocol(&p.protocol);
        w.line(0, &format!("Port:\t{name}\t{}/{proto}\n", p.port));
        let tp = match &p.target_port {
            Some(IntOrString::String(n)) => n.clone(),
            Some(IntOrString::Int(n)) => n.to_string(),
            None => p.port.to_string(),
        };
        w.line(0, &format!("TargetPort:\t{tp}/{proto}\n"));
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            w.line(0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        w.line(
            0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoint_slices(slices, Some(&p.name))
            ),
        );
    }
    let affinity = if s.session_affinity.is_empty() {
        "None"
    } else {
        s.session_affinity.as_str()
    };
    w.line(0, &format!("Session Affinity:\t{affinity}\n"));
    if !s.external_traffic_policy.is_empty() {
        w.line(
            0,
            &format!("External Traffic Policy:\t{}\n", s.external_traffic_policy),
        );
    }
    if let Some(p) = &s.internal_traffic_policy {
        w.line(0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(hc) = s.health_check_node_port.filter(|n| *n != 0) {
        w.line(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    if !s.load_balancer_source_ranges.is_empty() {
        w.line(
            0,
            &format!(
                "LoadBalancer Source Ranges:\t{}\n",
                s.load_balancer_source_ranges.join(",")
            ),
        );
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe node`; `pods` are the node's non-terminated pods. The lab keeps no
/// capacity, lease or machine IDs: those print as the describer prints them unset, the lease
/// as held by the node and renewed now, and every pod's requests as `0 (0%)`.
pub fn describe_node(node: &Node, pods: &[&Pod], events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &node.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    let roles = node_roles(node);
    w.line(
        0,
        &format!(
            "Roles:\t{}\n",
            if roles.is_empty() {
                "<none>".to_string()
            } else {
                roles.join(",")
            }
        ),
    );
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(
        0,
        &format!("CreationTimestamp:\t{}\n", rfc1123z(&m.creation_timestamp)),
    );
    w.line(0, "Taints:\t");
    if node.spec.taints.is_empty() {
        w.line(0, "<none>\n");
    } else {
        let mut taints: Vec<_> = node.spec.taints.iter().collect();
        taints.sort_by_key(|t| format!("{},{}", t.effect, t.key));
        for (i, t) in taints.into_iter().enumerate() {
            if i != 0 {
                w.line(0, "\t");
            }
            let value = if t.value.is_empty() {
                String::new()
            } else {
                format!("={}", t.value)
            };
            w.line(0, &format!("{}{}:{}\n", t.key, value, t.effect));
        }
    }
    w.line(0, &format!("Unschedulable:\t{}\n", node.spec.unschedulable));
    w.line(0, "Lease:\n");
    w.line(1, &format!("HolderIdentity:\t{}\n", m.name));
    w.line(1, "AcquireTime:\t<unset>\n");
    w.line(1, &format!("RenewTime:\t{}\n", rfc1123z_ms(now_ms)));
    if !node.status.conditions.is_empty() {
        w.line(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &node.status.conditions {
            let t = rfc1123z(&c.last_transition_time);
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z_ms(now_ms),
                    t,
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.line(0, "Addresses:\n");
    for a in &node.status.addresses {
        w.line(1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    for (title, list) in [
        ("Capacity", &node.status.capacity),
        ("Allocatable", &node.status.allocatable),
    ] {
        if !list.is_empty() {
            w.line(0, &format!("{title}:\n"));
            for (name, quantity) in list.iter() {
                w.line(1, &format!("{name}:\t{quantity}\n"));
            }
        }
    }
    let info = &node.status.node_info;
    w.line(0, "System Info:\n");
    w.line(0, "  Machine ID:\t\n");
    w.line(0, "  System UUID:\t\n");
    w.line(0, "  Boot ID:\t\n");
    w.line(0, &format!("  Kernel Version:\t{}\n", info.kernel_version));
    w.line(0, &format!("  OS Image:\t{}\n", info.os_image));
    w.line(
        0,
        &format!("  Operating System:\t{}\n", info.operating_system),
    );
    w.line(0, &format!("  Architecture:\t{}\n", info.architecture));
    w.line(
        0,
        &format!(
            "  Container Runtime Version:\t{}\n",
            info.container_runtime_version
        ),
    );
    w.line(
        0,
        &format!("  Kubelet Version:\t{}\n", info.kubelet_version),
    );
    w.line(0, "  Kube-Proxy Version:\t\n");
    if !node.spec.pod_cidr.is_empty() {
        w.line(0, &format!("PodCIDR:\t{}\n", node.spec.pod_cidr));
    }
    if !node.spec.pod_cidrs.is_empty() {
        w.line(
            0,
            &format!("PodCIDRs:\t{}\n", node.spec.pod_cidrs.join(",")),
        );
    }
    if !node.spec.provider_id.is_empty() {
        w.line(0, &format!("ProviderID:\t{}\n", node.spec.provider_id));
    }
    describe_node_resources(&mut w, node, pods, now_ms);
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `DescribePodTemplate` written straight through a `PrefixWriter`, tabs unaligned, as
/// `kubectl rollout history --revision` prints it (`printTemplate`).
pub fn pod_template_text(t: &PodTemplateSpec) -> String {
    let mut w = W::new();
    describe_pod_template(&mut w, t);
    w.text
}

/// `DescribePodTemplate`.
pub(super) fn describe_pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.line(0, "Pod Template:\n");
    labels_multiline(w, "  ", "Labels", &t.metadata.labels);
    let anns: StringMap = t
        .metadata
        .annotations
        .iter()
        .filter(|(k, _)| !SKIP_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !anns.is_empty() {
        annotations_multiline(w, "  Annotations", &anns);
    }
    describe_containers(w, "Containers", &t.spec.containers, None, None, "  ");
    if t.spec.volumes.is_empty() {
        w.line(0, "  Volumes:\t<none>\n");
    } else {
        w.line(0, "  Volumes:\n");
        describe_volume_sources(w, &t.spec.volumes, " ");
    }
    labels_multiline(w, "  ", "Node-Selectors", &t.spec.node_selector);
    tolerations_multiline(w, "  ", "Tolerations", &t.spec.tolerations);
}

/// `getPodStatusForController`: running / waiting / succeeded / failed among the pods
/// controlled by `uid`.
pub(super) fn pod_counts(pods: &[&Pod], uid: &str) -> (usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0);
    for p in pods {
        if p.metadata.controller_ref().is_none_or(|r| r.uid != uid) {
            continue;
        }
        match p.status.phase.as_str() {
            "Running" => c.0 += 1,
            "Pending" => c.1 += 1,
            "Succeeded" => c.2 += 1,
            "Failed" => c.3 += 1,
            _ => {}
        }
    }
    c
}

/// `kubectl describe replicaset`; `pods` are the pods of its namespace (those it controls
/// are counted).
pub fn describe_replica_set(
    rs: &ReplicaSet,
    pods: &[&Pod],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &rs.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(
        0,
        &format!("Selector:\t{}\n", format_label_selector(&rs.spec.selector)),
    );
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    if let Some(c) = print_controller(m) {
        w.line(0, &format!("Controlled By:\t{c}\n"));
    }
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            rs.status.replicas,
            rs.spec.replicas.unwrap_or(1)
        ),
    );
    let (r, wa, s, f) = pod_counts(pods, &m.uid);
    w.line(
        0,
        &format!("Pods Status:\t{r} Running / {wa} Waiting / {s} Succeeded / {f} Failed\n"),
    );
    describe_pod_template(&mut w, &rs.spec.template);
    describe_events(&mut w, events, now_ms);
    w.finish()
}

fn template_without_hash(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    t.metadata.labels.remove("pod-template-hash");
    t
}

/// `kubectl describe deployment`; `replica_sets` are the ReplicaSets of its namespace (those
/// it controls are listed as old or new).
pub fn describe_deployment(
    d: &Deployment,
    replica_sets: &[&ReplicaSet],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &d.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(
        0,
        &format!("CreationTimestamp:\t{}\n", rfc1123z(&m.creation_timestamp)),
    );
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(
        0,
        &format!(
            "Selector:\t{}\n",
            Selector::from_label_selector(&d.spec.selector).to_selector_string()
        ),
    );
    let st = &d.status;
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.spec.replicas.unwrap_or(1),
            st.updated_replicas,
            st.replicas,
            st.available_replicas,
            st.unavailable_replicas
        ),
    );
    let strategy = if d.spec.strategy.type_.is_empty() {
        "RollingUpdate"
    } else {
        d.spec.strategy.type_.as_str()
    };
    w.line(0, &format!("StrategyType:\t{strategy}\n"));
    w.line(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            d.spec.min_ready_seconds.unwrap_or(0)
        ),
    );
    if strategy == "RollingUpdate" {
        let ru = d.spec.strategy.rolling_update.clone().unwrap_or_default();
        let pct = |v: Option<IntOrString>| v.map_or_else(|| "25%".to_string(), |x| x.to_string());
        w.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                pct(ru.max_unavailable),
                pct(ru.max_surge)
            ),
        );
    }
    describe_pod_template(&mut w, &d.spec.template);
    if !st.conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.line(1, "----\t------\t------\n");
        for c in &st.conditions {
            w.line(1, &format!("{} \t{}\t{}\n", c.type_, c.status, c.reason));
        }
    }
    let owned: Vec<&&ReplicaSet> = replica_sets
        .iter()
        .filter(|rs| rs.metadata.controller_ref().is_some_and(|r| r.uid == m.uid))
        .collect();
    let want = template_without_hash(&d.spec.template);
    let (new, old): (Vec<&&ReplicaSet>, Vec<&&ReplicaSet>) = owned
        .into_iter()
        .partition(|rs| template_without_hash(&rs.spec.template) == want);
    if !new.is_empty() || !old.is_empty() {
        let fmt = |v: &[&&ReplicaSet]| {
            let s = v
                .iter()
                .map(|rs| {
                    format!(
                        "{} ({}/{} replicas created)",
                        rs.metadata.name,
                        rs.status.replicas,
                        rs.spec.replicas.unwrap_or(1)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        };
        // `GetAllReplicaSetsInChunks`' first list: old ReplicaSets that still have pods.
        let with_pods: Vec<&&ReplicaSet> = old
            .into_iter()
            .filter(|rs| rs.spec.replicas != Some(0))
            .collect();
        w.line(0, &format!("OldReplicaSets:\t{}\n", fmt(&with_pods)));
        w.line(
            0,
            &format!("NewReplicaSet:\t{}\n", fmt(&new[..new.len().min(1)])),
        );
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe daemonset` (`describeDaemonSet`); `pods` are the pods of its namespace
/// (those it controls are counted).
pub fn describe_daemon_set(
    ds: &DaemonSet,
    pods: &[&Pod],
    events: &[&Event],
    now_ms: u64,
) -> String {
    let mut w = W::new();
    let m = &ds.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    w.line(
        0,
        &format!(
            "Selector:\t{}\n",
            Selector::from_label_selector(&ds.spec.selector).to_selector_string()
        ),
    );
    w.line(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(&ds.spec.template.spec.node_selector)
        ),
    );
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    let s = &ds.status;
    for (what, n) in [
        (
            "Desired Number of Nodes Scheduled",
            s.desired_number_scheduled,
        ),
        (
            "Current Number of Nodes Scheduled",
            s.current_number_scheduled,
        ),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            s.updated_number_scheduled,
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            s.number_available,
        ),
        ("Number of Nodes Misscheduled", s.number_misscheduled),
    ] {
        w.line(0, &format!("{what}: {n}\n"));
    }
    let (r, wa, su, f) = pod_counts(pods, &m.uid);
    w.line(
        0,
        &format!("Pods Status:\t{r} Running / {wa} Waiting / {su} Succeeded / {f} Failed\n"),
    );
    describe_pod_template(&mut w, &ds.spec.template);
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe configmap` (`ConfigMapDescriber`). Real kubectl prints the keys in Go's
/// map order, which differs run to run; the lab prints them sorted.
pub fn describe_config_map(cm: &ConfigMap, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &cm.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        w.line(0, &format!("{k}:\n----\n{v}\n\n"));
    }
    w.line(0, "\nBinaryData\n====\n");
    for (k, v) in &cm.binary_data {
        // The API holds the decoded bytes.
        let bytes = svclab_sim::base64::decode(v).map_or(0, |b| b.len());
        w.line(0, &format!("{k}: {bytes} bytes\n"));
    }
    w.line(0, "\n");
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe endpoints` (`describeEndpoints`): each subset's ready and not-ready
/// addresses, comma-joined, and its ports.
pub fn describe_endpoints(ep: &Endpoints, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &ep.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, "Subsets:\n");
    let ips = |addresses: &[svclab_sim::api::EndpointAddress]| {
        let joined = addresses
            .iter()
            .map(|a| a.ip.as_str())
            .collect::<Vec<_>>()
            .join(",");
        if joined.is_empty() {
            "<none>".to_string()
        } else {
            joined
        }
    };
    for subset in &ep.subsets {
        w.line(1, &format!("Addresses:\t{}\n", ips(&subset.addresses)));
        w.line(
            1,
            &format!("NotReadyAddresses:\t{}\n", ips(&subset.not_ready_addresses)),
        );
        if !subset.ports.is_empty() {
            w.line(1, "Ports:\n");
            w.line(2, "Name\tPort\tProtocol\n");
            w.line(2, "----\t----\t--------\n");
            for port in &subset.ports {
                let name = port.name.as_deref().filter(|n| !n.is_empty());
                w.line(
                    2,
                    &format!(
                        "{}\t{}\t{}\n",
                        name.unwrap_or("<unset>"),
                        port.port.unwrap_or(0),
                        port.protocol.as_deref().unwrap_or_default()
                    ),
                );
            }
        }
        w.line(0, "\n");
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe endpointslice` (`describeEndpointSliceV1`): each endpoint's addresses,
/// readiness, hostname, pod, node and zone.
pub fn describe_endpoint_slice(eps: &EndpointSlice, events: &[&Event], now_ms: u64) -> String {
    let mut w = W::new();
    let m = &eps.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, &format!("AddressType:\t{}\n", eps.address_type));
    let unset = |v: Option<&str>| v.unwrap_or("<unset>").to_string();
    if eps.ports.is_empty() {
        w.line(0, "Ports: <unset>\n");
    } else {
        w.line(0, "Ports:\n");
        w.line(1, "Name\tPort\tProtocol\n");
        w.line(1, "----\t----\t--------\n");
        for port in &eps.ports {
            let name = unset(port.name.as_deref().filter(|n| !n.is_empty()));
            let number = port
                .port
                .map_or_else(|| "<unset>".to_string(), |p| p.to_string());
            let protocol = port.protocol.as_deref().unwrap_or_default();
            w.line(1, &format!("{name}\t{number}\t{protocol}\n"));
        }
    }
    if eps.endpoints.is_empty() {
        w.line(0, "Endpoints: <none>\n");
    } else {
        w.line(0, "Endpoints:\n");
        for endpoint in &eps.endpoints {
            let addresses = endpoint.addresses.join(", ");
            let addresses = if addresses.is_empty() {
                "<none>".to_string()
            } else {
                addresses
            };
            w.line(1, &format!("- Addresses:\t{addresses}\n"));
            w.line(2, "Conditions:\n");
            let ready = endpoint
                .conditions
                .ready
                .map_or_else(|| "<unset>".to_string(), |r| r.to_string());
            w.line(3, &format!("Ready:\t{ready}\n"));
            w.line(
                2,
                &format!("Hostname:\t{}\n", unset(endpoint.hostname.as_deref())),
            );
            if let Some(target) = &endpoint.target_ref {
                w.line(2, &format!("TargetRef:\t{}/{}\n", target.kind, target.name));
            }
            w.line(
                2,
                &format!("NodeName:\t{}\n", unset(endpoint.node_name.as_deref())),
            );
            w.line(2, &format!("Zone:\t{}\n", unset(endpoint.zone.as_deref())));
        }
    }
    describe_events(&mut w, events, now_ms);
    w.finish()
}

/// `kubectl describe namespace` (`describeNamespace`): the lab has no ResourceQuotas or
/// LimitRanges, so both lists are empty. NamespaceDescriber shows no events.
pub fn describe_namespace(ns: &Namespace) -> String {
    let mut w = W::new();
    let m = &ns.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, &format!("Status:\t{}\n", ns.status.phase));
    w.line(0, "\nNo resource quota.\n");
    w.line(0, "\nNo LimitRange resource.\n");
    w.finish()
}

/// `kubectl describe secret` (`describeSecret`): the values' sizes, never the values (but a
/// service account token's). Real kubectl prints the keys in Go's map order; the lab sorts them.
pub fn describe_secret(secret: &Secret) -> String {
    let mut w = W::new();
    let m = &secret.metadata;
    w.line(0, &format!("Name:\t{}\n", m.name));
    w.line(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut w, "", "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    w.line(0, &format!("\nType:\t{}\n", secret.type_));
    w.line(0, "\nData\n====\n");
    for (k, v) in &secret.data {
        if k == "token" && secret.type_ == "kubernetes.io/service-account-token" {
            w.line(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(v)));
        } else {
            w.line(0, &format!("{k}:\t{} bytes\n", v.len()));
        }
    }
    w.finish()
}

/// `describeNodeResource`: each pod's CPU and memory requests and limits against what the
/// node can allocate, then their totals (and the hugepages lines the node reports).
fn describe_node_resources(w: &mut W, node: &Node, pods: &[&Pod], now_ms: u64) {
    let allocatable = if node.status.allocatable.is_empty() {
        &node.status.capacity
    } else {
        &node.status.allocatable
    };
    let of = |name: &str| allocatable.get(name).copied().unwrap_or(Quantity::ZERO);
    // `%d%%` of a float64 fraction; a zero allocatable gives 0.
    let percent = |used: i128, total: i128| {
        if total == 0 {
            0
        } else {
            (used as f64 / total as f64 * 100.0) as i64
        }
    };
    let cell = |q: Option<&Quantity>, name: &str| {
        let q = q.copied().unwrap_or(Quantity::ZERO);
        let p = if name == "cpu" {
            percent(q.milli_value(), of(name).milli_value())
        } else {
            percent(q.value(), of(name).value())
        };
        format!("{q} ({p}%)")
    };
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut totals = [BTreeMap::new(), BTreeMap::new()];
    for p in pods {
        let [req, lim] = p.requests_and_limits();
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                p.metadata.namespace,
                p.metadata.name,
                cell(req.get("cpu"), "cpu"),
                cell(lim.get("cpu"), "cpu"),
                cell(req.get("memory"), "memory"),
                cell(lim.get("memory"), "memory"),
                age(&p.metadata.creation_timestamp, now_ms)
            ),
        );
        add_quantities(&mut totals[0], &req);
        add_quantities(&mut totals[1], &lim);
    }
    w.line(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.line(1, "Resource\tRequests\tLimits\n");
    w.line(1, "--------\t--------\t------\n");
    let hugepages = allocatable
        .keys()
        .filter(|k| k.starts_with("hugepages-"))
        .map(String::as_str);
    for name in ["cpu", "memory", "ephemeral-storage"]
        .into_iter()
        .chain(hugepages)
    {
        let [req, lim] = &totals;
        w.line(
            1,
            &format!(
                "{name}\t{}\t{}\n",
                cell(req.get(name), name),
                cell(lim.get(name), name)
            ),
        );
    }
}

/// `describeVolumes` for the volumes the lab keeps: ConfigMap, Secret, emptyDir, downward API
/// and projected sources as their `print…VolumeSource` print them, any other as `<unknown>`
/// (its source is not kept).
/// `space` is the template's extra indent.
fn describe_volume_sources(w: &mut W, volumes: &[Volume], space: &str) {
    for v in volumes {
        w.line(1, &format!("{space}{}:\n", v.name));
        match (&v.config_map, &v.secret, &v.empty_dir) {
            (Some(cm), _, _) => {
                w.line(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n");
                w.line(2, &format!("Name:\t{}\n", cm.name));
                w.line(2, &format!("Optional:\t{}\n", cm.optional == Some(true)));
            }
            (None, Some(secret), _) => {
                w.line(2, "Type:\tSecret (a volume populated by a Secret)\n");
                w.line(2, &format!("SecretName:\t{}\n", secret.secret_name));
                w.line(
                    2,
                    &format!("Optional:\t{}\n", secret.optional == Some(true)),
                );
            }
            // printEmptyDirVolumeSource.
            (None, None, Some(e)) => {
                let limit = e
                    .size_limit
                    .map_or_else(|| "<unset>".to_string(), |q| q.to_string());
                w.line(
                    2,
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n",
                );
                w.line(2, &format!("Medium:\t{}\n", e.medium));
                w.line(2, &format!("SizeLimit:\t{limit}\n"));
            }
            (None, None, None) => match (&v.downward_api, &v.projected) {
                (Some(downward), _) => describe_downward_api(w, downward),
                (None, Some(projected)) => describe_projected(w, &v.name, projected),
                // printPersistentVolumeClaimVolumeSource.
                (None, None) => match &v.persistent_volume_claim {
                    Some(claim) => {
                        w.line(
                            2,
                            "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n",
                        );
                        w.line(2, &format!("ClaimName:\t{}\n", claim.claim_name));
                        w.line(2, &format!("ReadOnly:\t{}\n", claim.read_only));
                    }
                    None => w.line(1, "<unknown>\n"),
                },
            },
        }
    }
}

/// `printDownwardAPIVolumeSource`: each field and the file it goes to.
fn describe_downward_api(w: &mut W, source: &DownwardApiVolumeSource) {
    w.line(
        2,
        "Type:\tDownwardAPI (a volume populated by information about the pod)\n",
    );
    w.line(2, "Items:\n");
    for item in &source.items {
        if let Some(field) = &item.field_ref {
            w.line(3, &format!("{} -> {}\n", field.field_path, item.path));
        }
        if let Some(resource) = &item.resource_field_ref {
            w.line(3, &format!("{} -> {}\n", resource.resource, item.path));
        }
    }
}

/// `printProjectedVolumeSource`, sources in order. Its `Optional` lines print the field's Go
/// pointer with `%v`: `<nil>` when unset, else an address (one is drawn here from the
/// volume's name, as a Go heap address looks).
fn describe_projected(w: &mut W, volume: &str, source: &ProjectedVolumeSource) {
    w.line(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    let pointer = |optional: Option<bool>, index: usize| match optional {
        None => "<nil>".to_string(),
        Some(_) => {
            let hash = svclab_sim::names::fnv32a(format!("{volume}/{index}").as_bytes());
            format!("0xc000{:06x}", hash & 0x00ff_fff8)
        }
    };
    for (i, projection) in source.sources.iter().enumerate() {
        if let Some(secret) = &projection.secret {
            w.line(2, &format!("SecretName:\t{}\n", secret.name));
            w.line(
                2,
                &format!("SecretOptionalName:\t{}\n", pointer(secret.optional, i)),
            );
        } else if projection.downward_api.is_some() {
            w.line(2, "DownwardAPI:\ttrue\n");
        } else if let Some(cm) = &projection.config_map {
            w.line(2, &format!("ConfigMapName:\t{}\n", cm.name));
            w.line(
                2,
                &format!("ConfigMapOptional:\t{}\n", pointer(cm.optional, i)),
            );
        }
    }
}

/// `describeContainerEnvFrom`.
fn describe_env_from(w: &mut W, c: &Container) {
    w.line(2, "Environment Variables from:\n");
    for e in &c.env_from {
        let (name, from, optional) = e.source().map_or(("", "", false), |(kind, r)| {
            (r.name.as_str(), kind.kind(), r.is_optional())
        });
        if e.prefix.is_empty() {
            w.line(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            let prefix = &e.prefix;
            w.line(
                3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            );
        }
    }
}

/// `describeContainerEnvVars`: literal values, the downward API resolved against the pod, and
/// where ConfigMap and Secret keys come from (never their values).
fn describe_env(w: &mut W, c: &Container, pod: Option<&Pod>) {
    let env_none = if c.env.is_empty() { "\t<none>" } else { "" };
    w.line(2, &format!("Environment:{env_none}\n"));
    for e in &c.env {
        let Some(from) = &e.value_from else {
            let value = e.value.clone().unwrap_or_default();
            for (i, s) in value.split('\n').enumerate() {
                if i == 0 {
                    w.line(3, &format!("{}:\t{}\n", e.name, s));
                } else {
                    w.line(3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        let name = &e.name;
        if let Some(fr) = &from.field_ref {
            let api = if fr.api_version.is_empty() {
                "v1"
            } else {
                fr.api_version.as_str()
            };
            let value = pod
                .and_then(|p| field_value(p, &fr.field_path))
                .unwrap_or_default();
            let path = &fr.field_path;
            w.line(3, &format!("{name}:\t{value} ({api}:{path})\n"));
        } else if let Some(rf) = &from.resource_field_ref {
            // The value is not simulated; the line keeps its shape.
            w.line(3, &format!("{name}:\t ({})\n", rf.resource));
        } else if let Some(k) = &from.secret_key_ref {
            let (key, secret, optional) = (&k.key, &k.name, k.is_optional());
            w.line(
                3,
                &format!("{name}:\t<set to the key '{key}' in secret '{secret}'>\tOptional: {optional}\n"),
            );
        } else if let Some(k) = &from.config_map_key_ref {
            let (key, map, optional) = (&k.key, &k.name, k.is_optional());
            w.line(
                3,
                &format!("{name}:\t<set to the key '{key}' of config map '{map}'>\tOptional: {optional}\n"),
            );
        }
    }
}
