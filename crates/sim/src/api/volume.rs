//! Pod volumes and mounts (k8s.io/api/core/v1/types.go `Volume`, `VolumeMount`). Every
//! volume keeps its name, so mounts can name it. Three sources are simulated: `configMap` and
//! `secret` (the kubelet writes the object's keys as files) and `emptyDir` (a writable
//! directory of the pod's own, which is what the lab's container files are). Other sources
//! (`hostPath`, `projected`, …) are not kept, and the manifest decoder reports them as not
//! simulated.

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
    /// A scratch directory that lives as long as the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
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
