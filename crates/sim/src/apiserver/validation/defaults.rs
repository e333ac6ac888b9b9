//! What the API server fills in before it validates, for the fields the lab's structs carry:
//! - `pkg/apis/core/v1/defaults.go` (Services, pods and containers, namespaces, endpoints);
//! - `pkg/apis/apps/v1/defaults.go` (ReplicaSets, Deployments, DaemonSets, StatefulSets);
//! - `pkg/apis/discovery/v1/defaults.go` (EndpointSlice ports);
//! - `plugin/pkg/admission/defaulttolerationseconds/admission.go` (pod tolerations);
//! - the Service REST storage: `NormalizeClusterIPs` (`pkg/registry/core/service/strategy.go`),
//!   `initIPFamilyFields` (`pkg/registry/core/service/storage/alloc.go`) and
//!   `patchAllocatedValues` (`pkg/registry/core/service/storage/storage.go`).
//!
//! A create runs: defaults, then (Services) IP families and allocation, then validation.

use std::collections::BTreeSet;

use crate::api::{
    DaemonSet, Deployment, EndpointSlice, Endpoints, IntOrString, Namespace, PersistentVolume,
    PersistentVolumeClaim, Pod, PodSpec, ReplicaSet, RetentionPolicy, RollingUpdate,
    RollingUpdateDaemonSet, RollingUpdateStatefulSet, Service, StatefulSet, StorageClass,
    Toleration,
};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};

use super::ip::is_ipv6_string;
use super::service::{externally_accessible, validate_cluster_ips_related_fields};

/// `v1.DefaultClientIPServiceAffinitySeconds`: three hours.
pub const DEFAULT_CLIENT_IP_AFFINITY_SECONDS: i32 = 10800;
/// `v1.DefaultTerminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// The DefaultTolerationSeconds admission plugin's default, `--default-not-ready-toleration-seconds`
/// and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
/// `v1.LabelMetadataName`, set on every namespace.
pub const LABEL_METADATA_NAME: &str = "kubernetes.io/metadata.name";

/// `SetDefaults_Namespace` and `SetDefaults_NamespaceStatus`.
pub fn default_namespace(ns: &mut Namespace) {
    let name = ns.metadata.name.clone();
    ns.metadata
        .labels
        .insert(LABEL_METADATA_NAME.to_string(), name);
    if ns.status.phase.is_empty() {
        ns.status.phase = "Active".to_string();
    }
}

/// The pull policy `SetDefaults_Container` picks: `Always` for `:latest` (or no tag and no
/// digest), `IfNotPresent` otherwise, including names `parsers.ParseImageName` rejects.
pub fn default_image_pull_policy(image: &str) -> &'static str {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match name.rfind(':') {
        Some(i) if i >= last_slash => (name.get(..i).unwrap_or(""), name.get(i + 1..)),
        _ => (name, None),
    };
    // ParseNormalizedNamed fails on empty names and upper-case repositories: the tag is then
    // empty, which is not "latest".
    let path = repo.get(last_slash..).unwrap_or("");
    let domain_part = repo.get(..last_slash).unwrap_or("");
    let invalid = repo.is_empty()
        || path.bytes().any(|c| c.is_ascii_uppercase())
        || (domain_part.is_empty() && repo.bytes().any(|c| c.is_ascii_uppercase()));
    if invalid {
        return "IfNotPresent";
    }
    match (tag, digest) {
        (None, None) | (Some("latest"), _) => "Always",
        _ => "IfNotPresent",
    }
}

/// `SetDefaults_PodSpec`, `SetDefaults_Container`, `SetDefaults_ContainerPort` and
/// `SetDefaults_ObjectFieldSelector` (pods and pod templates alike).
pub fn default_pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".to_string();
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    // SetDefaults_ConfigMapVolumeSource, _SecretVolumeSource, _DownwardAPIVolumeSource and
    // _ProjectedVolumeSource: files are 0644.
    for v in &mut spec.volumes {
        let default_mode = match (&mut v.config_map, &mut v.secret, &mut v.downward_api) {
            (Some(cm), _, _) => Some(&mut cm.default_mode),
            (None, Some(secret), _) => Some(&mut secret.default_mode),
            (None, None, Some(downward)) => Some(&mut downward.default_mode),
            (None, None, None) => v.projected.as_mut().map(|p| &mut p.default_mode),
        };
        if let Some(mode) = default_mode {
            mode.get_or_insert(0o644);
        }
        // SetDefaults_ObjectFieldSelector for the downward API's files.
        let projected = v.projected.iter_mut().flat_map(|p| &mut p.sources);
        let downward = v
            .downward_api
            .iter_mut()
            .chain(projected.filter_map(|s| s.downward_api.as_mut()));
        for field in downward
            .flat_map(|d| &mut d.items)
            .filter_map(|i| i.field_ref.as_mut())
        {
            if field.api_version.is_empty() {
                field.api_version = "v1".into();
            }
        }
    }
    // A template's pods share its containers: leave them shared when there is nothing to fill.
    let needs = |c: &crate::api::Container| {
        c.image_pull_policy.is_empty()
            || c.ports.iter().any(|p| p.protocol.is_empty())
            || c.env.iter().any(|e| {
                e.value_from
                    .as_ref()
                    .and_then(|v| v.field_ref.as_ref())
                    .is_some_and(|fr| fr.api_version.is_empty())
            })
    };
    if !spec.containers.iter().any(needs) {
        return;
    }
    for c in spec.containers.iter_mut() {
        if c.image_pull_policy.is_empty() {
            c.image_pull_policy = default_image_pull_policy(&c.image).to_string();
        }
        for p in &mut c.ports {
            if p.protocol.is_empty() {
                p.protocol = "TCP".to_string();
            }
        }
        for e in &mut c.env {
            if let Some(fr) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
                if fr.api_version.is_empty() {
                    fr.api_version = "v1".to_string();
                }
            }
        }
    }
}

/// Pod defaulting (`SetObjectDefaults_Pod`); admission adds tolerations separately, see
/// [`add_default_tolerations`].
pub fn default_pod(pod: &mut Pod) {
    default_pod_spec(&mut pod.spec);
    // SetDefaults_Pod: a limit without a request requests that much.
    let unrequested = pod.spec.containers.iter().any(|c| {
        c.resources
            .limits
            .keys()
            .any(|k| !c.resources.requests.contains_key(k))
    });
    if unrequested {
        for c in pod.spec.containers.iter_mut() {
            let r = &mut c.resources;
            for (name, limit) in &r.limits {
                r.requests.entry(name.clone()).or_insert(*limit);
            }
        }
    }
}

/// The DefaultTolerationSeconds admission plugin: unless a toleration already covers them,
/// tolerate `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` NoExecute for
/// 300 seconds. Applies to pods being created, not to templates.
pub fn add_default_tolerations(pod: &mut Pod) {
    let covers = |t: &Toleration, key: &str| {
        (t.key == key || t.key.is_empty()) && (t.effect == "NoExecute" || t.effect.is_empty())
    };
    let not_ready = "node.kubernetes.io/not-ready";
    let unreachable = "node.kubernetes.io/unreachable";
    let has_not_ready = pod.spec.tolerations.iter().any(|t| covers(t, not_ready));
    let has_unreachable = pod.spec.tolerations.iter().any(|t| covers(t, unreachable));
    for (has, key) in [(has_not_ready, not_ready), (has_unreachable, unreachable)] {
        if !has {
            pod.spec.tolerations.push(Toleration {
                key: key.to_string(),
                operator: "Exists".to_string(),
                value: String::new(),
                effect: "NoExecute".to_string(),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
            });
        }
    }
}

/// `SetDefaults_ReplicaSet`: one replica; the template gets pod defaults.
pub fn default_replica_set(rs: &mut ReplicaSet) {
    if rs.spec.replicas.is_none() {
        rs.spec.replicas = Some(1);
    }
    default_pod_spec(&mut rs.spec.template.spec);
}

/// `SetDefaults_DaemonSet`: RollingUpdate with maxUnavailable 1 and maxSurge 0, ten old
/// revisions kept; the template gets pod defaults. The apps/v1 conversion adds the
/// `deprecated.daemonset.template.generation` annotation (`Convert_apps_DaemonSet_To_v1_DaemonSet`).
pub fn default_daemon_set(ds: &mut DaemonSet) {
    let s = &mut ds.spec;
    if s.update_strategy.type_.is_empty() {
        s.update_strategy.type_ = "RollingUpdate".to_string();
    }
    if s.update_strategy.type_ == "RollingUpdate" {
        let ru = s
            .update_strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    if s.revision_history_limit.is_none() {
        s.revision_history_limit = Some(10);
    }
    default_pod_spec(&mut s.template.spec);
    if !ds.metadata.annotations.contains_key(TEMPLATE_GENERATION) {
        ds.metadata
            .annotations
            .insert(TEMPLATE_GENERATION.to_string(), "1".to_string());
    }
}

/// `SetDefaults_StatefulSet` (apps/v1 defaults.go): OrderedReady, RollingUpdate with
/// partition 0, claims retained (StatefulSetAutoDeletePVC, GA in v1.32), one replica, ten old
/// revisions kept; the template gets pod defaults and each claim template
/// `SetDefaults_PersistentVolumeClaim` (Filesystem, phase Pending) and the `v1` type meta the
/// conversion writes.
pub fn default_stateful_set(set: &mut StatefulSet) {
    let s = &mut set.spec;
    if s.pod_management_policy.is_empty() {
        s.pod_management_policy = "OrderedReady".to_string();
    }
    if s.update_strategy.type_.is_empty() {
        s.update_strategy.type_ = "RollingUpdate".to_string();
        s.update_strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateStatefulSet::default);
    }
    if s.update_strategy.type_ == "RollingUpdate" {
        if let Some(ru) = s.update_strategy.rolling_update.as_mut() {
            ru.partition.get_or_insert(0);
        }
    }
    let policy = s
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(RetentionPolicy::default);
    for when in [&mut policy.when_deleted, &mut policy.when_scaled] {
        if when.is_empty() {
            *when = "Retain".to_string();
        }
    }
    s.replicas.get_or_insert(1);
    s.revision_history_limit.get_or_insert(10);
    default_pod_spec(&mut s.template.spec);
    for claim in &mut s.volume_claim_templates {
        claim.api_version = "v1".to_string();
        claim.kind = "PersistentVolumeClaim".to_string();
        default_persistent_volume_claim(claim);
    }
}

/// `SetDefaults_PersistentVolumeClaim` (and its status): a `Filesystem` volume, `Pending`.
pub fn default_persistent_volume_claim(claim: &mut PersistentVolumeClaim) {
    claim
        .spec
        .volume_mode
        .get_or_insert_with(|| "Filesystem".to_string());
    if claim.status.phase.is_empty() {
        claim.status.phase = "Pending".to_string();
    }
}

/// `SetDefaults_PersistentVolume` (and its status): `Retain`, `Filesystem`, `Pending`.
pub fn default_persistent_volume(pv: &mut PersistentVolume) {
    if pv.spec.persistent_volume_reclaim_policy.is_empty() {
        pv.spec.persistent_volume_reclaim_policy = "Retain".to_string();
    }
    pv.spec
        .volume_mode
        .get_or_insert_with(|| "Filesystem".to_string());
    if pv.status.phase.is_empty() {
        pv.status.phase = "Pending".to_string();
    }
}

/// `SetDefaults_StorageClass` (storage/v1 defaults.go): `Delete`, `Immediate`.
pub fn default_storage_class(class: &mut StorageClass) {
    class
        .reclaim_policy
        .get_or_insert_with(|| "Delete".to_string());
    class
        .volume_binding_mode
        .get_or_insert_with(|| "Immediate".to_string());
}

/// The annotation holding a DaemonSet's template generation.
pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// `SetDefaults_Deployment`: one replica, RollingUpdate 25%/25%, ten old ReplicaSets kept,
/// 600 s progress deadline.
pub fn default_deployment(d: &mut Deployment) {
    let s = &mut d.spec;
    if s.replicas.is_none() {
        s.replicas = Some(1);
    }
    if s.strategy.type_.is_empty() {
        s.strategy.type_ = "RollingUpdate".to_string();
    }
    if s.strategy.type_ == "RollingUpdate" {
        let ru = s
            .strategy
            .rolling_update
            .get_or_insert_with(RollingUpdate::default);
        if ru.max_unavailable.is_none() {
            ru.max_unavailable = Some(IntOrString::String("25%".to_string()));
        }
        if ru.max_surge.is_none() {
            ru.max_surge = Some(IntOrString::String("25%".to_string()));
        }
    }
    if s.revision_history_limit.is_none() {
        s.revision_history_limit = Some(10);
    }
    if s.progress_deadline_seconds.is_none() {
        s.progress_deadline_seconds = Some(600);
    }
    default_pod_spec(&mut s.template.spec);
}

/// `SetDefaults_Service`, plus `NormalizeClusterIPs` for a create (`clusterIP` alone fills
/// `clusterIPs`).
pub fn default_service(svc: &mut Service) {
    let s = &mut svc.spec;
    if s.session_affinity.is_empty() {
        s.session_affinity = "None".to_string();
    }
    if s.session_affinity == "None" {
        s.session_affinity_config = None;
    }
    if s.session_affinity == "ClientIP" {
        let missing = s
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds)
            .is_none();
        if missing {
            s.session_affinity_config = Some(crate::api::SessionAffinityConfig {
                client_ip: Some(crate::api::ClientIpConfig {
                    timeout_seconds: Some(DEFAULT_CLIENT_IP_AFFINITY_SECONDS),
                }),
            });
        }
    }
    if s.type_.is_empty() {
        s.type_ = "ClusterIP".to_string();
    }
    for p in &mut s.ports {
        if p.protocol.is_empty() {
            p.protocol = "TCP".to_string();
        }
        let unset = match &p.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(name)) => name.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    let accessible = externally_accessible(svc);
    let s = &mut svc.spec;
    if accessible && s.external_traffic_policy.is_empty() {
        s.external_traffic_policy = "Cluster".to_string();
    }
    if s.internal_traffic_policy.is_none()
        && matches!(s.type_.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP")
    {
        s.internal_traffic_policy = Some("Cluster".to_string());
    }
    if s.type_ == "LoadBalancer" {
        if s.allocate_load_balancer_node_ports.is_none() {
            s.allocate_load_balancer_node_ports = Some(true);
        }
        for ing in &mut svc.status.load_balancer.ingress {
            if !ing.ip.is_empty() && ing.ip_mode.is_none() {
                ing.ip_mode = Some("VIP".to_string());
            }
        }
    }
    let s = &mut svc.spec;
    if !s.cluster_ip.is_empty() && s.cluster_ips.is_empty() {
        s.cluster_ips = vec![s.cluster_ip.clone()];
    }
}

/// `initIPFamilyFields` for a create on a cluster serving `cluster_families` (kind's default
/// is `["IPv4"]`): fills `ipFamilyPolicy` and `ipFamilies`, or returns the Invalid causes the
/// real server answers with (wrap them with `StatusError::invalid("", "Service", name, ...)`).
pub fn init_service_ip_families(svc: &mut Service, cluster_families: &[&str]) -> Vec<FieldError> {
    if svc.spec.type_ == "ExternalName" {
        return Vec::new();
    }
    let headless_selectorless = svc.spec.cluster_ip == "None" && svc.spec.selector.is_empty();
    if svc.spec.ip_family_policy.is_none() {
        svc.spec.ip_family_policy = Some(if headless_selectorless {
            "RequireDualStack".to_string()
        } else {
            "SingleStack".to_string()
        });
    }
    let errs = validate_cluster_ips_related_fields(svc);
    if !errs.is_empty() {
        return errs;
    }
    let spec = FieldPath::new("spec");
    let policy = svc.spec.ip_family_policy.clone().unwrap_or_default();
    let policy_value = BadValue::str(&policy);
    let mut errs = Vec::new();
    if policy == "SingleStack" {
        if svc.spec.cluster_ips.len() == 2 {
            errs.push(FieldError::invalid(
                &spec.child("ipFamilyPolicy"),
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
            ));
        }
        if svc.spec.ip_families.len() == 2 {
            errs.push(FieldError::invalid(
                &spec.child("ipFamilyPolicy"),
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            ));
        }
    }
    let configured: BTreeSet<&str> = cluster_families.iter().copied().collect();
    let ips = svc.spec.cluster_ips.clone();
    for (i, ip) in ips.iter().enumerate() {
        if ip == "None" {
            break;
        }
        let fam = if is_ipv6_string(ip) { "IPv6" } else { "IPv4" };
        if i >= svc.spec.ip_families.len() {
            if configured.contains(fam) {
                svc.spec.ip_families.push(fam.to_string());
            } else {
                errs.push(FieldError::invalid(
                    &spec.child("clusterIPs").index(i),
                    BadValue::Strings(ips.clone()),
                    &format!("{fam} is not configured on this cluster"),
                ));
            }
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    let default_family = cluster_families.first().copied().unwrap_or("IPv4");
    if headless_selectorless {
        if svc.spec.ip_families.is_empty() {
            svc.spec.ip_families = vec![default_family.to_string()];
        }
        if svc.spec.ip_families.len() < 2 && policy != "SingleStack" {
            let alt = if svc.spec.ip_families.first().map(String::as_str) == Some("IPv4") {
                "IPv6"
            } else {
                "IPv4"
            };
            svc.spec.ip_families.push(alt.to_string());
        }
        return Vec::new();
    }
    if policy == "RequireDualStack" && configured.len() < 2 {
        errs.push(FieldError::invalid(
            &spec.child("ipFamilyPolicy"),
            policy_value,
            "this cluster is not configured for dual-stack services",
        ));
    }
    for (i, fam) in svc.spec.ip_families.iter().enumerate() {
        if !configured.contains(fam.as_str()) {
            errs.push(FieldError::invalid(
                &spec.child("ipFamilies").index(i),
                BadValue::str(fam),
                "not configured on this cluster",
            ));
        }
    }
    if !errs.is_empty() {
        return errs;
    }
    if svc.spec.ip_families.is_empty() {
        svc.spec.ip_families = vec![default_family.to_string()];
    }
    if policy != "SingleStack" && svc.spec.ip_families.len() == 1 && configured.len() == 2 {
        let alt = if svc.spec.ip_families.first().map(String::as_str) == Some("IPv4") {
            "IPv6"
        } else {
            "IPv4"
        };
        svc.spec.ip_families.push(alt.to_string());
    }
    Vec::new()
}

pub(super) fn needs_cluster_ip(svc: &Service) -> bool {
    svc.spec.type_ != "ExternalName"
}

pub(super) fn needs_node_port(svc: &Service) -> bool {
    matches!(svc.spec.type_.as_str(), "NodePort" | "LoadBalancer")
}

/// On update, keep what was allocated when the new object leaves it out (`patchAllocatedValues`,
/// as `kubectl apply` and `replace` rely on), then `NormalizeClusterIPs` for an update. Also
/// carries over the IP family fields when the new object omits them, as `initIPFamilyFields`
/// adopts the old policy.
pub fn patch_allocated_values(new: &mut Service, old: &Service) {
    if needs_cluster_ip(old) && needs_cluster_ip(new) {
        if new.spec.cluster_ip.is_empty() {
            new.spec.cluster_ip = old.spec.cluster_ip.clone();
        }
        if new.spec.cluster_ips.is_empty() && !old.spec.cluster_ips.is_empty() {
            new.spec.cluster_ips = old.spec.cluster_ips.clone();
        }
        if new.spec.ip_family_policy.is_none() {
            new.spec.ip_family_policy = old.spec.ip_family_policy.clone();
        }
        if new.spec.ip_families.is_empty() {
            new.spec.ip_families = old.spec.ip_families.clone();
        }
    }
    if needs_node_port(old) && needs_node_port(new) {
        let used = |s: &Service| -> BTreeSet<i32> {
            s.spec
                .ports
                .iter()
                .filter_map(|p| p.node_port)
                .filter(|&n| n != 0)
                .collect()
        };
        let old_used = used(old);
        let new_used = used(new);
        let in_both: BTreeSet<i32> = old_used.intersection(&new_used).copied().collect();
        for p in &mut new.spec.ports {
            if p.node_port.unwrap_or(0) == 0 {
                let old_val = old
                    .spec
                    .ports
                    .iter()
                    .rev()
                    .find(|o| o.name == p.name)
                    .and_then(|o| o.node_port)
                    .unwrap_or(0);
                if !in_both.contains(&old_val) && old_val != 0 {
                    p.node_port = Some(old_val);
                }
            }
        }
    }
    let needs_hc =
        |s: &Service| s.spec.type_ == "LoadBalancer" && s.spec.external_traffic_policy == "Local";
    if needs_hc(old) && needs_hc(new) && new.spec.health_check_node_port.unwrap_or(0) == 0 {
        new.spec.health_check_node_port = old.spec.health_check_node_port;
    }
    // NormalizeClusterIPs (update).
    if !old.spec.cluster_ips.is_empty()
        && new.spec.cluster_ips.is_empty()
        && old.spec.cluster_ip == new.spec.cluster_ip
    {
        new.spec.cluster_ips = old.spec.cluster_ips.clone();
    }
    if old.spec.cluster_ip != new.spec.cluster_ip {
        if !old.spec.cluster_ip.is_empty() && new.spec.cluster_ip.is_empty() {
            if old.spec.cluster_ips == new.spec.cluster_ips {
                new.spec.cluster_ips = Vec::new();
            }
        } else if old.spec.cluster_ips == new.spec.cluster_ips {
            new.spec.cluster_ips = vec![new.spec.cluster_ip.clone()];
        }
    }
}

/// `SetDefaults_Endpoints`: ports default to TCP.
pub fn default_endpoints(ep: &mut Endpoints) {
    for ss in &mut ep.subsets {
        for p in &mut ss.ports {
            if p.protocol.as_deref().is_none_or(str::is_empty) {
                p.protocol = Some("TCP".to_string());
            }
        }
    }
}

/// discovery/v1 `SetDefaults_EndpointPort`: name `""` and protocol TCP.
pub fn default_endpoint_slice(slice: &mut EndpointSlice) {
    for p in &mut slice.ports {
        if p.name.is_none() {
            p.name = Some(String::new());
        }
        if p.protocol.is_none() {
            p.protocol = Some("TCP".to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Container, ObjectMeta, ServicePort, ServiceSpec};

    #[test]
    fn pull_policy_follows_the_tag() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.27", "IfNotPresent"),
            ("registry.k8s.io/pause:3.10", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:v1", "IfNotPresent"),
            ("nginx@sha256:abcd", "IfNotPresent"),
            ("nginx:latest@sha256:abcd", "Always"),
            ("NGINX", "IfNotPresent"),
            ("", "IfNotPresent"),
        ] {
            assert_eq!(default_image_pull_policy(image), want, "{image}");
        }
    }

    #[test]
    fn pods_get_spec_defaults_and_tolerations() {
        let mut pod = Pod {
            spec: PodSpec {
                containers: crate::api::Shared::from(vec![Container {
                    name: "c".into(),
                    image: "nginx".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            },
            ..Default::default()
        };
        default_pod(&mut pod);
        add_default_tolerations(&mut pod);
        assert_eq!(pod.spec.restart_policy, "Always");
        assert_eq!(pod.spec.termination_grace_period_seconds, Some(30));
        assert_eq!(pod.spec.containers[0].image_pull_policy, "Always");
        let keys: Vec<(&str, &str, Option<i64>)> = pod
            .spec
            .tolerations
            .iter()
            .map(|t| (t.key.as_str(), t.operator.as_str(), t.toleration_seconds))
            .collect();
        assert_eq!(
            keys,
            [
                ("node.kubernetes.io/not-ready", "Exists", Some(300)),
                ("node.kubernetes.io/unreachable", "Exists", Some(300)),
            ]
        );
        // A toleration of everything covers both.
        let mut p2 = Pod::default();
        p2.spec.tolerations.push(Toleration {
            operator: "Exists".into(),
            ..Default::default()
        });
        add_default_tolerations(&mut p2);
        assert_eq!(p2.spec.tolerations.len(), 1);
    }

    #[test]
    fn deployments_get_rolling_update_defaults() {
        let mut d = Deployment::default();
        default_deployment(&mut d);
        assert_eq!(d.spec.replicas, Some(1));
        assert_eq!(d.spec.strategy.type_, "RollingUpdate");
        let ru = d.spec.strategy.rolling_update.clone().unwrap_or_default();
        assert_eq!(ru.max_surge, Some(IntOrString::String("25%".into())));
        assert_eq!(ru.max_unavailable, Some(IntOrString::String("25%".into())));
        assert_eq!(d.spec.revision_history_limit, Some(10));
        assert_eq!(d.spec.progress_deadline_seconds, Some(600));
        let mut rs = ReplicaSet::default();
        default_replica_set(&mut rs);
        assert_eq!(rs.spec.replicas, Some(1));
    }

    #[test]
    fn services_get_their_defaults() {
        let mut svc = Service {
            metadata: ObjectMeta {
                name: "web".into(),
                ..Default::default()
            },
            spec: ServiceSpec {
                type_: "NodePort".into(),
                ports: vec![ServicePort {
                    port: 80,
                    ..Default::default()
                }],
                selector: [("app".to_string(), "web".to_string())].into(),
                ..Default::default()
            },
            ..Default::default()
        };
        default_service(&mut svc);
        assert!(init_service_ip_families(&mut svc, &["IPv4"]).is_empty());
        let s = &svc.spec;
        assert_eq!(s.session_affinity, "None");
        assert_eq!(s.ports[0].protocol, "TCP");
        assert_eq!(s.ports[0].target_port, Some(IntOrString::Int(80)));
        assert_eq!(s.external_traffic_policy, "Cluster");
        assert_eq!(s.internal_traffic_policy.as_deref(), Some("Cluster"));
        assert_eq!(s.ip_family_policy.as_deref(), Some("SingleStack"));
        assert_eq!(s.ip_families, ["IPv4"]);

        let mut headless = Service::default();
        headless.spec.cluster_ip = "None".into();
        default_service(&mut headless);
        assert!(init_service_ip_families(&mut headless, &["IPv4"]).is_empty());
        assert_eq!(headless.spec.cluster_ips, ["None"]);
        assert_eq!(
            headless.spec.ip_family_policy.as_deref(),
            Some("RequireDualStack")
        );
        assert_eq!(headless.spec.ip_families, ["IPv4", "IPv6"]);

        let mut dual = Service::default();
        dual.spec.selector.insert("a".into(), "b".into());
        dual.spec.ip_family_policy = Some("RequireDualStack".into());
        default_service(&mut dual);
        let errs = init_service_ip_families(&mut dual, &["IPv4"]);
        assert_eq!(
            errs[0].to_string(),
            "spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"
        );
    }

    #[test]
    fn updates_keep_allocated_values() {
        let mut old = Service::default();
        old.spec.type_ = "NodePort".into();
        old.spec.cluster_ip = "10.96.3.4".into();
        old.spec.cluster_ips = vec!["10.96.3.4".into()];
        old.spec.ports = vec![ServicePort {
            name: "http".into(),
            port: 80,
            node_port: Some(31000),
            ..Default::default()
        }];
        let mut new = old.clone();
        new.spec.cluster_ip.clear();
        new.spec.cluster_ips.clear();
        new.spec.ports[0].node_port = None;
        patch_allocated_values(&mut new, &old);
        assert_eq!(new.spec.cluster_ips, ["10.96.3.4"]);
        assert_eq!(new.spec.ports[0].node_port, Some(31000));
    }

    #[test]
    fn namespaces_get_their_name_label() {
        let mut ns = Namespace::default();
        ns.metadata.name = "dev".into();
        default_namespace(&mut ns);
        assert_eq!(
            ns.metadata
                .labels
                .get(LABEL_METADATA_NAME)
                .map(String::as_str),
            Some("dev")
        );
        assert_eq!(ns.status.phase, "Active");
    }
}
