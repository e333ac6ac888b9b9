//! Pod volumes and mounts (k8s.io/api/core/v1/types.go `Volume`, `VolumeMount`). Every
//! volume keeps its name, so mounts can name it. Two sources are simulated: `configMap` (the
//! kubelet projects the ConfigMap's keys as files) and `emptyDir` (a writable directory of
//! the pod's own, which is what the lab's container files are). Other sources (`hostPath`,
//! `secret`, …) are not kept, and the manifest decoder reports them as not simulated.

use serde::{Deserialize, Serialize};

/// `spec.volumes[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    /// The volume's name, which mounts refer to.
    pub name: String,
    /// A ConfigMap's keys as files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapVolumeSource>,
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

impl ConfigMapVolumeSource {
    /// The files the kubelet writes for a ConfigMap with `data`: `(relative path, content)`,
    /// or the first missing key (`items` naming a key the ConfigMap lacks).
    pub fn files<'a>(
        &'a self,
        data: &'a std::collections::BTreeMap<String, String>,
    ) -> Result<Vec<(&'a str, &'a str)>, &'a str> {
        if self.items.is_empty() {
            return Ok(data.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect());
        }
        self.items
            .iter()
            .map(|item| {
                data.get(&item.key)
                    .map(|v| (item.path.as_str(), v.as_str()))
                    .ok_or(item.key.as_str())
            })
            .collect()
    }
}
