//! Per-kind admission: what the API server does to one kind on create and update — defaults,
//! validation, and which changes bump `metadata.generation`.

use crate::api::ControllerRevision;
use crate::api::{
    ConfigMap, DaemonSet, Deployment, EndpointSlice, Endpoints, Namespace, Node, PersistentVolume,
    PersistentVolumeClaim, Pod, ReplicaSet, Secret, Service, StatefulSet, StorageClass,
};
use crate::cluster::{Resource, Store};

use super::errors::FieldError;
use super::validation as v;

/// A kind the lab's API server accepts writes for.
pub trait Admit: Resource + PartialEq + 'static {
    /// The API group (`apps`), empty for core.
    const GROUP: &'static str;
    /// Defaulting (core/v1 and apps/v1 `defaults.go`, plus admission plugins).
    fn apply_defaults(&mut self) {}
    /// Create validation.
    fn validate(&self) -> Vec<FieldError>;
    /// Update validation against the stored object.
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        let _ = old;
        self.validate()
    }
    /// Whether the spec differs (a change bumps `metadata.generation` for kinds that track it).
    fn spec_changed(&self, old: &Self) -> bool {
        let _ = old;
        false
    }
    /// Copies what the server owns from the stored object (status; allocated values).
    fn keep_server_fields(&mut self, old: &Self);
    /// Mutating admission plugins that read other objects (DefaultStorageClass), on create.
    fn admit_with(&mut self, store: &Store) {
        let _ = store;
    }
}

impl Admit for Namespace {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_namespace(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_namespace(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_namespace_update(self, old)
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}

impl Admit for Pod {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_pod(self);
        v::add_default_tolerations(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_pod(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        // Pod specs are immutable but for a few fields (ValidatePodUpdate); the lab allows
        // image changes and refuses the rest with the API server's message.
        let mut mutable_old = old.spec.clone();
        for (c, new_c) in mutable_old.containers.iter_mut().zip(&self.spec.containers) {
            c.image = new_c.image.clone();
        }
        mutable_old.node_name = self.spec.node_name.clone();
        if mutable_old != self.spec {
            return vec![FieldError::forbidden(
                &super::errors::FieldPath::new("spec"),
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            )];
        }
        Vec::new()
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
        if self.spec.node_name.is_empty() {
            self.spec.node_name = old.spec.node_name.clone();
        }
    }
}

impl Admit for ReplicaSet {
    const GROUP: &'static str = "apps";
    fn apply_defaults(&mut self) {
        v::default_replica_set(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_replica_set(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_replica_set_update(self, old)
    }
    fn spec_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}

impl Admit for Deployment {
    const GROUP: &'static str = "apps";
    fn apply_defaults(&mut self) {
        v::default_deployment(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_deployment(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_deployment_update(self, old)
    }
    fn spec_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}

impl Admit for DaemonSet {
    const GROUP: &'static str = "apps";
    fn apply_defaults(&mut self) {
        v::default_daemon_set(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_daemon_set(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_daemon_set_update(self, old)
    }
    fn spec_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
        // The registry strategy bumps the template generation only when the template changed.
        let key = v::defaults::TEMPLATE_GENERATION;
        let generation: i64 = old
            .metadata
            .annotations
            .get(key)
            .and_then(|g| g.parse().ok())
            .unwrap_or(1);
        let mut template = self.spec.template.clone();
        v::default_pod_spec(&mut template.spec);
        let next = if template != old.spec.template {
            generation.saturating_add(1)
        } else {
            generation
        };
        self.metadata
            .annotations
            .insert(key.to_string(), next.to_string());
    }
}

impl Admit for StatefulSet {
    const GROUP: &'static str = "apps";
    fn apply_defaults(&mut self) {
        v::default_stateful_set(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_stateful_set(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_stateful_set_update(self, old)
    }
    fn spec_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}

impl Admit for ControllerRevision {
    const GROUP: &'static str = "apps";
    fn validate(&self) -> Vec<FieldError> {
        v::validate_controller_revision(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_controller_revision_update(self, old)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for ConfigMap {
    const GROUP: &'static str = "";
    fn validate(&self) -> Vec<FieldError> {
        v::validate_config_map(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_config_map_update(self, old)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for Secret {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        self.fold_string_data();
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_secret(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_secret_update(self, old)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for PersistentVolumeClaim {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_persistent_volume_claim(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_persistent_volume_claim(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_persistent_volume_claim_update(self, old)
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
        if self.spec.volume_name.is_empty() {
            self.spec.volume_name = old.spec.volume_name.clone();
        }
    }
    /// The DefaultStorageClass plugin (plugin/pkg/admission/storage/storageclass/setdefault):
    /// a claim with no `storageClassName` at all gets the default class (the newest, if
    /// several are marked); `""` asks for none and is left alone.
    fn admit_with(&mut self, store: &Store) {
        // The StorageObjectInUseProtection plugin, as for volumes below.
        self.metadata.add_finalizer(PVC_PROTECTION);
        if self.spec.storage_class_name.is_some() {
            return;
        }
        let default = store
            .list::<StorageClass>(None)
            .filter(|c| c.is_default())
            .max_by(|a, b| {
                (&a.metadata.creation_timestamp, &b.metadata.name)
                    .cmp(&(&b.metadata.creation_timestamp, &a.metadata.name))
            });
        if let Some(class) = default {
            self.spec.storage_class_name = Some(class.metadata.name.clone());
        }
    }
}

impl Admit for PersistentVolume {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_persistent_volume(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_persistent_volume(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_persistent_volume_update(self, old)
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
    /// The StorageObjectInUseProtection plugin
    /// (plugin/pkg/admission/storageobjectinuseprotection): every new claim and volume gets
    /// its protection finalizer, which the pvc- and pv-protection controllers honour.
    fn admit_with(&mut self, _store: &Store) {
        self.metadata.add_finalizer(PV_PROTECTION);
    }
}

/// The finalizer that keeps a claim while a pod uses it.
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
/// The finalizer that keeps a volume while a claim is bound to it.
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

impl Admit for StorageClass {
    const GROUP: &'static str = "storage.k8s.io";
    fn apply_defaults(&mut self) {
        v::default_storage_class(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_storage_class(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_storage_class_update(self, old)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for Service {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_service(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_service(self)
    }
    fn validate_update(&self, old: &Self) -> Vec<FieldError> {
        v::validate_service_update(self, old)
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
        v::patch_allocated_values(self, old);
        v::drop_type_dependent_fields(self, old);
    }
}

impl Admit for Endpoints {
    const GROUP: &'static str = "";
    fn apply_defaults(&mut self) {
        v::default_endpoints(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_endpoints(self)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for EndpointSlice {
    const GROUP: &'static str = "discovery.k8s.io";
    fn apply_defaults(&mut self) {
        v::default_endpoint_slice(self);
    }
    fn validate(&self) -> Vec<FieldError> {
        v::validate_endpoint_slice(self)
    }
    fn keep_server_fields(&mut self, _old: &Self) {}
}

impl Admit for Node {
    const GROUP: &'static str = "";
    fn validate(&self) -> Vec<FieldError> {
        Vec::new()
    }
    fn keep_server_fields(&mut self, old: &Self) {
        self.status = old.status.clone();
    }
}
