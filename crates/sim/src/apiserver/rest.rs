//! The API server's write path for the lab: create, apply (kubectl's create-or-update) and
//! delete, in kube-apiserver's order — namespace check, defaulting, Service allocation
//! (`BeginCreate` runs before validation), validation, then storage — and the controllers settle
//! the cluster afterwards. A rejected write leaves the cluster exactly as it was.

use crate::api::{Namespace, Object, ResourceKind, Service};
use crate::cluster::Cluster;
use crate::controllers::delete_pod;

use super::admission::Admit;
use super::allocators::{
    dynamic_cluster_ip_error, dynamic_node_port_error, node_port_field_error,
    static_cluster_ip_error,
};
use super::errors::{FieldError, StatusError};
use super::validation::init_service_ip_families;

/// What `kubectl apply` reports for one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// It did not exist: `created`.
    Created,
    /// It changed: `configured`.
    Configured,
    /// Nothing to change: `unchanged`.
    Unchanged,
}

impl Applied {
    /// The word kubectl prints after `kind/name`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Created => "created",
            Applied::Configured => "configured",
            Applied::Unchanged => "unchanged",
        }
    }
}

/// `POST`: creates `object` in `namespace` (used when the object names none).
pub fn create(
    cluster: &mut Cluster,
    object: Object,
    namespace: &str,
) -> Result<Object, StatusError> {
    let result = match object {
        Object::Namespace(o) => create_typed(cluster, o, namespace),
        Object::Node(o) => create_typed(cluster, o, namespace),
        Object::Pod(o) => create_typed(cluster, o, namespace),
        Object::ReplicaSet(o) => create_typed(cluster, o, namespace),
        Object::Deployment(o) => create_typed(cluster, o, namespace),
        Object::DaemonSet(o) => create_typed(cluster, o, namespace),
        Object::StatefulSet(o) => create_typed(cluster, o, namespace),
        Object::ControllerRevision(o) => create_typed(cluster, o, namespace),
        Object::ConfigMap(o) => create_typed(cluster, o, namespace),
        Object::Secret(o) => create_typed(cluster, o, namespace),
        Object::PersistentVolumeClaim(o) => create_typed(cluster, o, namespace),
        Object::PersistentVolume(o) => create_typed(cluster, o, namespace),
        Object::StorageClass(o) => create_typed(cluster, o, namespace),
        Object::Service(o) => create_typed(cluster, o, namespace),
        Object::Endpoints(o) => create_typed(cluster, o, namespace),
        Object::EndpointSlice(o) => create_typed(cluster, o, namespace),
    };
    if result.is_ok() {
        cluster.settle();
    }
    result
}

/// `kubectl apply`: creates the object, or updates it when its content differs.
pub fn apply(
    cluster: &mut Cluster,
    object: Object,
    namespace: &str,
) -> Result<(Applied, Object), StatusError> {
    let result = match object {
        Object::Namespace(o) => apply_typed(cluster, o, namespace),
        Object::Node(o) => apply_typed(cluster, o, namespace),
        Object::Pod(o) => apply_typed(cluster, o, namespace),
        Object::ReplicaSet(o) => apply_typed(cluster, o, namespace),
        Object::Deployment(o) => apply_typed(cluster, o, namespace),
        Object::DaemonSet(o) => apply_typed(cluster, o, namespace),
        Object::StatefulSet(o) => apply_typed(cluster, o, namespace),
        Object::ControllerRevision(o) => apply_typed(cluster, o, namespace),
        Object::ConfigMap(o) => apply_typed(cluster, o, namespace),
        Object::Secret(o) => apply_typed(cluster, o, namespace),
        Object::PersistentVolumeClaim(o) => apply_typed(cluster, o, namespace),
        Object::PersistentVolume(o) => apply_typed(cluster, o, namespace),
        Object::StorageClass(o) => apply_typed(cluster, o, namespace),
        Object::Service(o) => apply_typed(cluster, o, namespace),
        Object::Endpoints(o) => apply_typed(cluster, o, namespace),
        Object::EndpointSlice(o) => apply_typed(cluster, o, namespace),
    };
    if matches!(result, Ok((Applied::Created | Applied::Configured, _))) {
        cluster.settle();
    }
    result
}

/// `DELETE`: removes an object (pods terminate gracefully; dependents go through the garbage
/// collector; a namespace takes its contents with it).
pub fn delete(
    cluster: &mut Cluster,
    kind: ResourceKind,
    namespace: &str,
    name: &str,
) -> Result<(), StatusError> {
    let info = kind.info();
    let ns = if info.namespaced { namespace } else { "" };
    let key = (ns.to_string(), name.to_string());
    let Some(object) = cluster.store.get_object(kind, &key) else {
        return Err(StatusError::not_found(info.group, info.plural, name));
    };
    match object {
        Object::Pod(_) => delete_pod(cluster, ns, name),
        Object::Namespace(_) => delete_namespace(cluster, name),
        Object::PersistentVolumeClaim(_) => {
            crate::controllers::persistent_volumes::delete_claim(cluster, ns, name)
        }
        Object::PersistentVolume(_) => {
            crate::controllers::persistent_volumes::delete_volume(cluster, name)
        }
        Object::Service(svc) => {
            release_service(cluster, &svc);
            cluster.store.remove_object(kind, &key);
            cluster.store.next_resource_version();
        }
        _ => {
            cluster.store.remove_object(kind, &key);
            cluster.store.next_resource_version();
        }
    }
    cluster.settle();
    Ok(())
}

fn not_found_namespace(namespace: &str) -> StatusError {
    StatusError::not_found("", "namespaces", namespace)
}

/// Checks the namespace exists and is not terminating, as the NamespaceLifecycle admission
/// plugin does (plugin/pkg/admission/namespace/lifecycle).
fn check_namespace(cluster: &Cluster, namespace: &str) -> Result<(), StatusError> {
    match cluster.store.get::<Namespace>("", namespace) {
        None => Err(not_found_namespace(namespace)),
        Some(ns) if ns.status.phase == "Terminating" => Err(StatusError::forbidden(
            "",
            "namespaces",
            namespace,
            &format!("unable to create new content in namespace {namespace} because it is being terminated"),
        )),
        Some(_) => Ok(()),
    }
}

fn place<T: Admit>(object: &mut T, namespace: &str) {
    if T::KIND.info().namespaced {
        if object.meta().namespace.is_empty() {
            object.meta_mut().namespace = namespace.to_string();
        }
    } else {
        object.meta_mut().namespace.clear();
    }
}

fn invalid<T: Admit>(name: &str, errs: &[FieldError]) -> StatusError {
    StatusError::invalid(T::GROUP, T::KIND.info().kind, name, errs)
}

fn create_typed<T: Admit>(
    cluster: &mut Cluster,
    mut object: T,
    namespace: &str,
) -> Result<Object, StatusError> {
    place(&mut object, namespace);
    let info = T::KIND.info();
    let ns = object.meta().namespace.clone();
    if info.namespaced {
        check_namespace(cluster, &ns)?;
    }
    // Names from generateName are drawn before validation, as the API server does.
    let mut meta = object.meta().clone();
    let generated = meta.name.is_empty() && !meta.generate_name.is_empty();
    if generated {
        meta.name = crate::names::generate_name(&mut cluster.rng, &meta.generate_name);
    }
    *object.meta_mut() = meta;
    let name = object.meta().name.clone();
    if !name.is_empty() && cluster.store.get::<T>(&ns, &name).is_some() {
        return Err(StatusError::already_exists(info.group, info.plural, &name));
    }
    object.apply_defaults();
    object.admit_with(&cluster.store);
    let allocated = allocate_if_service(cluster, &mut object)?;
    let errs = object.validate();
    if !errs.is_empty() {
        if let Some(svc) = allocated {
            release_service(cluster, &svc);
        }
        return Err(invalid::<T>(&name, &errs));
    }
    let generate_name = std::mem::take(&mut object.meta_mut().generate_name);
    cluster.stamp_new(object.meta_mut());
    object.meta_mut().generate_name = generate_name;
    if matches!(
        T::KIND,
        ResourceKind::ReplicaSet
            | ResourceKind::Deployment
            | ResourceKind::DaemonSet
            | ResourceKind::StatefulSet
    ) {
        object.meta_mut().generation = 1;
    }
    let stored = object.clone().into_object();
    cluster.store.put(object);
    Ok(stored)
}

fn apply_typed<T: Admit>(
    cluster: &mut Cluster,
    mut object: T,
    namespace: &str,
) -> Result<(Applied, Object), StatusError> {
    place(&mut object, namespace);
    let ns = object.meta().namespace.clone();
    let name = object.meta().name.clone();
    let Some(live) = cluster.store.get::<T>(&ns, &name).cloned() else {
        return create_typed(cluster, object, namespace).map(|o| (Applied::Created, o));
    };
    // The live object's server-owned metadata stays; labels and annotations come from the file.
    let mut meta = live.meta().clone();
    meta.labels = object.meta().labels.clone();
    meta.annotations = object.meta().annotations.clone();
    *object.meta_mut() = meta;
    object.keep_server_fields(&live);
    object.apply_defaults();
    if object == live {
        return Ok((Applied::Unchanged, live.into_object()));
    }
    let errs = object.validate_update(&live);
    if !errs.is_empty() {
        return Err(invalid::<T>(&name, &errs));
    }
    if let Some(err) = reallocate_if_service(cluster, &mut object, &live) {
        return Err(err);
    }
    if object.spec_changed(&live) {
        object.meta_mut().generation = live.meta().generation.saturating_add(1);
    }
    cluster.stamp_update(object.meta_mut());
    let stored = object.clone().into_object();
    cluster.store.put(object);
    Ok((Applied::Configured, stored))
}

/// The Service's ClusterIP and node ports, allocated as `BeginCreate` does
/// (pkg/registry/core/service/storage/alloc.go); on failure nothing stays allocated.
fn allocate_if_service<T: Admit>(
    cluster: &mut Cluster,
    object: &mut T,
) -> Result<Option<Service>, StatusError> {
    let Some(Object::Service(mut svc)) = Some(object.clone().into_object()) else {
        return Ok(None);
    };
    let errs = init_service_ip_families(&mut svc, &["IPv4"]);
    if !errs.is_empty() {
        return Err(StatusError::invalid(
            "",
            "Service",
            &svc.metadata.name,
            &errs,
        ));
    }
    allocate_service(cluster, &mut svc)?;
    replace_with_service(object, &svc);
    Ok(Some(svc))
}

/// Puts `svc` back into `object` (which is a Service).
fn replace_with_service<T: Admit>(object: &mut T, svc: &Service) {
    let any: &mut dyn std::any::Any = object;
    if let Some(s) = any.downcast_mut::<Service>() {
        *s = svc.clone();
    }
}

fn needs_cluster_ip(svc: &Service) -> bool {
    svc.spec.type_ != "ExternalName" && svc.spec.cluster_ip != "None"
}

fn needs_node_ports(svc: &Service) -> bool {
    svc.spec.type_ == "NodePort"
        || (svc.spec.type_ == "LoadBalancer"
            && svc.spec.allocate_load_balancer_node_ports != Some(false))
}

fn allocate_service(cluster: &mut Cluster, svc: &mut Service) -> Result<(), StatusError> {
    let name = svc.metadata.name.clone();
    let mut took_ip = None;
    if needs_cluster_ip(svc) {
        if svc.spec.cluster_ip.is_empty() {
            let ip = cluster
                .cluster_ips
                .allocate_next(&mut cluster.rng)
                .map_err(|e| dynamic_cluster_ip_error(&e))?;
            svc.spec.cluster_ip = ip.to_string();
            took_ip = Some(ip);
        } else {
            let ip = svc.spec.cluster_ip.clone();
            cluster
                .cluster_ips
                .allocate_str(&ip)
                .map_err(|e| static_cluster_ip_error(&name, &svc.spec.cluster_ips, &ip, &e))?;
            took_ip = ip.parse().ok();
        }
        svc.spec.cluster_ips = vec![svc.spec.cluster_ip.clone()];
    }
    let release_ip = |cluster: &mut Cluster| {
        if let Some(ip) = took_ip {
            cluster.cluster_ips.release(ip);
        }
    };
    if let Err(e) = allocate_node_ports(cluster, svc, None) {
        release_ip(cluster);
        return Err(e);
    }
    Ok(())
}

/// Node ports for every port that needs one, and the health-check port for LoadBalancer +
/// Local; ports already held by `old` are kept.
fn allocate_node_ports(
    cluster: &mut Cluster,
    svc: &mut Service,
    old: Option<&Service>,
) -> Result<(), StatusError> {
    let held: Vec<i32> = old
        .map(|o| o.spec.ports.iter().filter_map(|p| p.node_port).collect())
        .unwrap_or_default();
    let mut taken = Vec::new();
    let mut errs = Vec::new();
    let wants = needs_node_ports(svc);
    for (i, port) in svc.spec.ports.iter_mut().enumerate() {
        if !wants {
            break;
        }
        match port.node_port {
            Some(n) if held.contains(&n) => {}
            Some(n) => match cluster.node_ports.allocate(n) {
                Ok(()) => taken.push(n),
                Err(e) => errs.push(node_port_field_error(i, n, &e)),
            },
            None => match cluster.node_ports.allocate_next(&mut cluster.rng) {
                Ok(n) => {
                    port.node_port = Some(n);
                    taken.push(n);
                }
                Err(e) => {
                    for n in &taken {
                        cluster.node_ports.release(*n);
                    }
                    return Err(dynamic_node_port_error(&e));
                }
            },
        }
    }
    let needs_health_check = svc.spec.type_ == "LoadBalancer"
        && svc.spec.external_traffic_policy == "Local"
        && svc.spec.health_check_node_port.is_none();
    if errs.is_empty() && needs_health_check {
        match cluster.node_ports.allocate_next(&mut cluster.rng) {
            Ok(n) => {
                svc.spec.health_check_node_port = Some(n);
                taken.push(n);
            }
            Err(e) => {
                for n in &taken {
                    cluster.node_ports.release(*n);
                }
                return Err(dynamic_node_port_error(&e));
            }
        }
    }
    if !errs.is_empty() {
        for n in &taken {
            cluster.node_ports.release(*n);
        }
        return Err(StatusError::invalid(
            "",
            "Service",
            &svc.metadata.name,
            &errs,
        ));
    }
    Ok(())
}

/// On update: node ports the new spec no longer uses are released, new ones allocated.
fn reallocate_if_service<T: Admit>(
    cluster: &mut Cluster,
    object: &mut T,
    live: &T,
) -> Option<StatusError> {
    let (Object::Service(mut svc), Object::Service(old)) =
        (object.clone().into_object(), live.clone().into_object())
    else {
        return None;
    };
    if let Err(e) = allocate_node_ports(cluster, &mut svc, Some(&old)) {
        return Some(e);
    }
    let now: Vec<i32> = svc.spec.ports.iter().filter_map(|p| p.node_port).collect();
    for port in old.spec.ports.iter().filter_map(|p| p.node_port) {
        if !now.contains(&port) {
            cluster.node_ports.release(port);
        }
    }
    // A type that needs no ClusterIP (ExternalName) gave it up (`dropTypeDependentFields`).
    if svc.spec.cluster_ip != old.spec.cluster_ip {
        if let Ok(ip) = old.spec.cluster_ip.parse() {
            cluster.cluster_ips.release(ip);
        }
    }
    replace_with_service(object, &svc);
    None
}

/// Gives a deleted Service's ClusterIP and node ports back.
fn release_service(cluster: &mut Cluster, svc: &Service) {
    if let Ok(ip) = svc.spec.cluster_ip.parse() {
        cluster.cluster_ips.release(ip);
    }
    for port in svc.spec.ports.iter().filter_map(|p| p.node_port) {
        cluster.node_ports.release(port);
    }
    if let Some(port) = svc.spec.health_check_node_port {
        cluster.node_ports.release(port);
    }
}

/// Namespace deletion: the namespace turns Terminating, its contents are deleted, and the
/// namespace controller removes it once empty.
fn delete_namespace(cluster: &mut Cluster, name: &str) {
    let now = crate::cluster::rfc3339(cluster.now_ms());
    cluster.modify::<Namespace>("", name, |ns| {
        ns.status.phase = "Terminating".into();
        ns.metadata.deletion_timestamp = Some(now);
    });
}
