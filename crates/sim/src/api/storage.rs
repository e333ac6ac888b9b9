//! Persistent storage (k8s.io/api v0.33 core/v1 and storage/v1 `types.go`): a claim a pod
//! mounts, the volume bound to it, and the class that says who provisions volumes and when.
//! On kind the class is `standard`: rancher's local-path provisioner makes a directory on the
//! node the first consumer is scheduled to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::affinity::NodeSelector;
use super::meta::{ObjectMeta, StringMap};
use super::pod::ResourceRequirements;
use super::quantity::Quantity;
use super::selector::LabelSelector;

/// A PersistentVolumeClaim: what a pod asks for, and (once bound) which volume it got. Also a
/// StatefulSet's `volumeClaimTemplates` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaim {
    /// `apiVersion` (the API server writes `v1` into templates).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `kind` (`PersistentVolumeClaim`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// `metadata`; a template's name makes each pod's claim `<name>-<pod>`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// What it asks for.
    #[serde(default)]
    pub spec: PersistentVolumeClaimSpec,
    /// Its phase and, once bound, what it got.
    #[serde(default)]
    pub status: PersistentVolumeClaimStatus,
}

/// `spec` of a claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimSpec {
    /// `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// Labels a pre-made volume must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// `requests.storage` (and limits).
    #[serde(default)]
    pub resources: ResourceRequirements,
    /// The volume bound to it (set by the binder, or by hand to ask for one).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub volume_name: String,
    /// The StorageClass (kind's default is `standard`); `""` asks for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// `Filesystem` (default) or `Block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
}

/// `status` of a claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimStatus {
    /// `Pending`, `Bound` or `Lost`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// The bound volume's access modes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// The bound volume's capacity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
}

impl PersistentVolumeClaim {
    /// The requested `storage`, if any.
    pub fn requested_storage(&self) -> Option<&Quantity> {
        self.spec.resources.requests.get("storage")
    }
}

/// A PersistentVolume: a piece of storage, cluster-scoped, bound to at most one claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolume {
    /// `metadata` (`pvc-<claim uid>` when provisioned).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// What it is and who may use it.
    #[serde(default)]
    pub spec: PersistentVolumeSpec,
    /// `Available`, `Bound`, `Released` or `Failed`.
    #[serde(default)]
    pub status: PersistentVolumeStatus,
}

/// `spec` of a volume.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeSpec {
    /// `storage`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    /// A directory on the node (local-path provisions these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathVolumeSource>,
    /// A node's local disk or directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<LocalVolumeSource>,
    /// The ways it can be mounted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// The claim it is bound to (or reserved for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_ref: Option<ClaimReference>,
    /// `Delete`, `Retain` or `Recycle`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub persistent_volume_reclaim_policy: String,
    /// Its class; claims of another class do not bind it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub storage_class_name: String,
    /// `Filesystem` or `Block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    /// The nodes that can reach it; pods using it are scheduled there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<VolumeNodeAffinity>,
}

/// A volume's `claimRef` (core/v1 `ObjectReference` as `ref.GetReference` fills it for a
/// claim). Kept apart from the endpoints' `targetRef`, which never carries the version
/// fields: every endpoint of a large cluster would hold two more empty strings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimReference {
    /// `PersistentVolumeClaim`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The claim's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The claim's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The claim's uid (empty: the volume is reserved for any claim of that name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// `v1`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// The claim's resourceVersion when it was bound.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
}

/// `hostPath`: a path on the node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPathVolumeSource {
    /// The directory.
    pub path: String,
    /// `DirectoryOrCreate`, `Directory`, … (empty: no check).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
}

/// `local`: a node's disk or directory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalVolumeSource {
    /// The path on the node.
    pub path: String,
    /// The file system, for a block device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_type: Option<String>,
}

/// `nodeAffinity` of a volume.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeNodeAffinity {
    /// The nodes allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<NodeSelector>,
}

/// `status` of a volume.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeStatus {
    /// `Pending`, `Available`, `Bound`, `Released` or `Failed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// When the phase last changed (PersistentVolumeLastPhaseTransitionTime, GA in v1.31).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_phase_transition_time: Option<String>,
}

/// A StorageClass (storage.k8s.io/v1): who provisions volumes for claims of this class, and
/// when.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageClass {
    /// `metadata`; the `storageclass.kubernetes.io/is-default-class` annotation marks the
    /// default.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// e.g. `rancher.io/local-path`.
    #[serde(default)]
    pub provisioner: String,
    /// Parameters for the provisioner.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub parameters: StringMap,
    /// The provisioned volumes' reclaim policy (defaults to `Delete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reclaim_policy: Option<String>,
    /// Whether claims may grow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_volume_expansion: Option<bool>,
    /// `Immediate` (default) or `WaitForFirstConsumer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_binding_mode: Option<String>,
}

/// The annotation that marks the default StorageClass.
pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";

impl StorageClass {
    /// Whether this is the default class (`IsDefaultAnnotation`: the value `true`).
    pub fn is_default(&self) -> bool {
        self.metadata
            .annotations
            .get(DEFAULT_CLASS_ANNOTATION)
            .is_some_and(|v| v == "true")
    }

    /// Whether binding waits for the first pod that uses a claim.
    pub fn waits_for_first_consumer(&self) -> bool {
        self.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
    }
}
