//! Pod volumes and mounts (k8s.io/api/core/v1/types.go `Volume`, `VolumeMount`). Every
//! volume keeps its name, so mounts can name it. The simulated sources: `configMap` and
//! `secret` (the kubelet writes the object's keys as files), `downwardAPI` (the pod's own
//! fields as files), `projected` (any of those three in one directory) and `emptyDir` (a
//! writable directory of the pod's own, which is what the lab's container files are). Other
//! sources (`hostPath`, a projected `serviceAccountToken`, …) are not kept, and the manifest
//! decoder reports them as not simulated.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::DataSource;

/// `spec.volumes[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// The volume's name, which mounts refer to.
    pub name: String,
    /// A ConfigMap's keys as files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapVolumeSource>,
    /// A Secret's keys as files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVolumeSource>,
    /// The pod's own fields as files.
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<DownwardApiVolumeSource>,
    /// Several sources in one directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<ProjectedVolumeSource>,
    /// A scratch directory that lives as long as the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
    /// The volume bound to a PersistentVolumeClaim: files that outlive the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource>,
}

/// `volumes[].persistentVolumeClaim`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersistentVolumeClaimVolumeSource {
    /// The claim, in the pod's namespace.
    pub claim_name: String,
    /// Mount it read-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

/// `volumes[].downwardAPI` and a projection's `downwardAPI`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownwardApiVolumeSource {
    /// One file per field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<DownwardApiVolumeFile>,
    /// File mode bits (the API server defaults 0644 for the volume, none for a projection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
}

/// `downwardAPI.items[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownwardApiVolumeFile {
    /// The file's relative path.
    #[serde(default)]
    pub path: String,
    /// The pod field it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<super::ObjectFieldSelector>,
    /// A container's resource: read for validation only (not simulated).
    #[serde(default, skip_serializing)]
    pub resource_field_ref: Option<super::ResourceFieldSelector>,
    /// This file's mode bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
}

/// `volumes[].projected`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectedVolumeSource {
    /// The sources, whose files share the directory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<VolumeProjection>,
    /// File mode bits (the API server defaults 0644).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
}

/// `projected.sources[]`: one of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeProjection {
    /// A ConfigMap's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<KeyProjection>,
    /// A Secret's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<KeyProjection>,
    /// The pod's fields.
    #[serde(
        default,
        rename = "downwardAPI",
        skip_serializing_if = "Option::is_none"
    )]
    pub downward_api: Option<DownwardApiVolumeSource>,
}

impl VolumeProjection {
    /// The ConfigMap or Secret this source projects, if it is one.
    pub fn keyed(&self) -> Option<(DataSource, &KeyProjection)> {
        match (&self.config_map, &self.secret) {
            (Some(p), _) => Some((DataSource::ConfigMap, p)),
            (None, Some(p)) => Some((DataSource::Secret, p)),
            (None, None) => None,
        }
    }
}

/// A projection's `configMap` or `secret`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyProjection {
    /// The object, in the pod's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Which keys, as which paths; all keys under their own names when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    /// Whether the pod may start without the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// `volumes[].emptyDir`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyDirVolumeSource {
    /// `""` (the node's disk) or `Memory`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub medium: String,
    /// The most it may hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<super::quantity::Quantity>,
}

/// `volumes[].configMap`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapVolumeSource {
    /// The ConfigMap, in the pod's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Which keys, as which paths; all keys under their own names when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    /// File mode bits (the API server defaults 0644, printed 420).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    /// Whether the pod may start without the ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// `volumes[].secret`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretVolumeSource {
    /// The Secret, in the pod's namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub secret_name: String,
    /// Which keys, as which paths; all keys under their own names when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    /// File mode bits (the API server defaults 0644, printed 420).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    /// Whether the pod may start without the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// `items[]`: one key as one path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyToPath {
    /// The key.
    pub key: String,
    /// The relative path of its file.
    pub path: String,
    /// This file's mode bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
}

/// `containers[].volumeMounts[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    /// The volume.
    pub name: String,
    /// Where it appears in the container.
    #[serde(default)]
    pub mount_path: String,
    /// Mounted read-only (a ConfigMap volume is read-only either way).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// A path inside the volume to mount instead of its root (one key of a ConfigMap, say).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_path: String,
}

impl Volume {
    /// The ConfigMap or Secret whose keys the kubelet writes into this volume, if any, and
    /// whether the pod may start without it.
    pub fn data_source(&self) -> Option<(DataSource, &str, bool)> {
        if let Some(cm) = &self.config_map {
            return Some((
                DataSource::ConfigMap,
                cm.name.as_str(),
                cm.optional == Some(true),
            ));
        }
        self.secret.as_ref().map(|s| {
            (
                DataSource::Secret,
                s.secret_name.as_str(),
                s.optional == Some(true),
            )
        })
    }

    /// The `items` of a ConfigMap or Secret volume.
    pub fn items(&self) -> &[KeyToPath] {
        match (&self.config_map, &self.secret) {
            (Some(cm), _) => &cm.items,
            (None, Some(s)) => &s.items,
            (None, None) => &[],
        }
    }

    /// Whether the kubelet writes this volume's files (read-only in the container): a
    /// ConfigMap, Secret, downward API or projected volume.
    pub fn is_kubelet_written(&self) -> bool {
        self.data_source().is_some() || self.downward_api.is_some() || self.projected.is_some()
    }

    /// Whether the volume's files come from the ConfigMap or Secret `kind/name`.
    pub fn reads(&self, kind: DataSource, name: &str) -> bool {
        let direct = self
            .data_source()
            .is_some_and(|(k, n, _)| k == kind && n == name);
        let projected = self.projected.as_ref().is_some_and(|p| {
            p.sources
                .iter()
                .filter_map(VolumeProjection::keyed)
                .any(|(k, source)| k == kind && source.name == name)
        });
        direct || projected
    }
}

/// The files the kubelet writes for `items` of an object with `data`: `(relative path,
/// content)`, every key under its own name when `items` is empty; or the first key `items`
/// names that the object lacks.
pub fn key_files<'a>(
    items: &'a [KeyToPath],
    data: &'a BTreeMap<String, String>,
) -> Result<Vec<(&'a str, &'a str)>, &'a str> {
    if items.is_empty() {
        return Ok(data.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect());
    }
    items
        .iter()
        .map(|item| {
            data.get(&item.key)
                .map(|v| (item.path.as_str(), v.as_str()))
                .ok_or(item.key.as_str())
        })
        .collect()
}
