//! The Kubernetes API objects the lab serves, with the real field names, in the API's order.
//!
//! These are the lab's own types rather than k8s-openapi's: they carry only the fields the lab
//! simulates (the manifest decoder checks every other field against the real schema and reports
//! it as not simulated). Field names, order and JSON shapes follow k8s.io/api (core/v1, apps/v1,
//! discovery/v1 `types.go`). Two measured reasons:
//! - memory at Kubernetes' scale thresholds: k8s-openapi 0.26 (feature `v1_33`) has
//!   `size_of::<Pod>()` 2,144 bytes and `size_of::<Container>()` 2,120 bytes, against 608 and
//!   168 here (a one-container pod: about 4.3 KB before any string, against 0.8 KB), and the
//!   threshold cluster already uses 986 MiB;
//! - the worker's size: its deserializers add about 143 KB gzip (`../shared/TOOLCHAIN.md`).
//!
//! Strictness does not depend on the types: the decoder checks every field against the schema.

mod affinity;
mod configmap;
mod daemonset;
mod data_source;
mod downward;
mod endpoints;
mod env;
mod intorstr;
mod kind;
mod meta;
mod node;
mod pod;
mod quantity;
mod secret;
mod selector;
mod service;
mod shared;
mod statefulset;
mod storage;
mod volume;
mod workload;

pub use affinity::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
};
pub use configmap::ConfigMap;
pub use daemonset::*;
pub use data_source::DataSource;
pub use downward::{container_env, expand, field_value, service_env, ContainerEnv, ReferencedEnv};
pub use endpoints::*;
pub use env::{
    EnvFromSource, EnvSourceRef, EnvVar, EnvVarSource, KeySelector, ObjectFieldSelector,
    ResourceFieldSelector,
};
pub use intorstr::IntOrString;
pub use kind::{ResourceInfo, ResourceKind};
pub use meta::{ObjectMeta, OwnerReference, StringMap};
pub use node::*;
pub use pod::*;
pub use quantity::{Quantity, QuantityFormat};
pub use secret::{Secret, SECRET_TYPE_OPAQUE};
pub use selector::{
    format_map_selector, map_selector_matches, LabelSelector, LabelSelectorRequirement,
};
pub use service::*;
pub use shared::{Interner, Shared};
pub use statefulset::*;
pub use storage::*;
pub use volume::{
    key_files, ConfigMapVolumeSource, DownwardApiVolumeFile, DownwardApiVolumeSource,
    EmptyDirVolumeSource, KeyProjection, KeyToPath, PersistentVolumeClaimVolumeSource,
    ProjectedVolumeSource, SecretVolumeSource, Volume, VolumeMount, VolumeProjection,
};
pub use workload::*;

/// Any object the lab stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    /// A Namespace.
    Namespace(Namespace),
    /// A Node.
    Node(Node),
    /// A Pod.
    Pod(Pod),
    /// A ReplicaSet.
    ReplicaSet(ReplicaSet),
    /// A Deployment.
    Deployment(Deployment),
    /// A DaemonSet.
    DaemonSet(DaemonSet),
    /// A StatefulSet.
    StatefulSet(StatefulSet),
    /// A ControllerRevision.
    ControllerRevision(ControllerRevision),
    /// A ConfigMap.
    ConfigMap(ConfigMap),
    /// A Secret.
    Secret(Secret),
    /// A PersistentVolumeClaim.
    PersistentVolumeClaim(PersistentVolumeClaim),
    /// A PersistentVolume.
    PersistentVolume(PersistentVolume),
    /// A StorageClass.
    StorageClass(StorageClass),
    /// A Service.
    Service(Service),
    /// An Endpoints object.
    Endpoints(Endpoints),
    /// An EndpointSlice.
    EndpointSlice(EndpointSlice),
}

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> ResourceKind {
        match self {
            Object::Namespace(_) => ResourceKind::Namespace,
            Object::Node(_) => ResourceKind::Node,
            Object::Pod(_) => ResourceKind::Pod,
            Object::ReplicaSet(_) => ResourceKind::ReplicaSet,
            Object::Deployment(_) => ResourceKind::Deployment,
            Object::DaemonSet(_) => ResourceKind::DaemonSet,
            Object::StatefulSet(_) => ResourceKind::StatefulSet,
            Object::ControllerRevision(_) => ResourceKind::ControllerRevision,
            Object::ConfigMap(_) => ResourceKind::ConfigMap,
            Object::Secret(_) => ResourceKind::Secret,
            Object::PersistentVolumeClaim(_) => ResourceKind::PersistentVolumeClaim,
            Object::PersistentVolume(_) => ResourceKind::PersistentVolume,
            Object::StorageClass(_) => ResourceKind::StorageClass,
            Object::Service(_) => ResourceKind::Service,
            Object::Endpoints(_) => ResourceKind::Endpoints,
            Object::EndpointSlice(_) => ResourceKind::EndpointSlice,
        }
    }

    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::ControllerRevision(o) => &o.metadata,
            Object::ConfigMap(o) => &o.metadata,
            Object::Secret(o) => &o.metadata,
            Object::PersistentVolumeClaim(o) => &o.metadata,
            Object::PersistentVolume(o) => &o.metadata,
            Object::StorageClass(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Endpoints(o) => &o.metadata,
            Object::EndpointSlice(o) => &o.metadata,
        }
    }

    /// The object's metadata, to change.
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Namespace(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::Pod(o) => &mut o.metadata,
            Object::ReplicaSet(o) => &mut o.metadata,
            Object::Deployment(o) => &mut o.metadata,
            Object::DaemonSet(o) => &mut o.metadata,
            Object::StatefulSet(o) => &mut o.metadata,
            Object::ControllerRevision(o) => &mut o.metadata,
            Object::ConfigMap(o) => &mut o.metadata,
            Object::Secret(o) => &mut o.metadata,
            Object::PersistentVolumeClaim(o) => &mut o.metadata,
            Object::PersistentVolume(o) => &mut o.metadata,
            Object::StorageClass(o) => &mut o.metadata,
            Object::Service(o) => &mut o.metadata,
            Object::Endpoints(o) => &mut o.metadata,
            Object::EndpointSlice(o) => &mut o.metadata,
        }
    }
}
