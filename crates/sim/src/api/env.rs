//! A container's environment as the pod spec declares it (core/v1 `EnvVar`, `EnvVarSource`,
//! `EnvFromSource`). The lab resolves `fieldRef`, ConfigMaps and Secrets; `resourceFieldRef` is
//! read so that validation sees it, but not written back, so the manifest decoder reports it
//! as not simulated and the kubelet leaves its variable unset.

use serde::{Deserialize, Serialize};

use super::DataSource;

/// `containers[].env[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// A literal value; `$(VAR)` refers to an earlier variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A value taken from the pod itself (the downward API) or a ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvVarSource>,
}

/// `env[].valueFrom`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    /// A field of the pod, e.g. `spec.nodeName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<ObjectFieldSelector>,
    /// A key of a ConfigMap in the pod's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<KeySelector>,
    /// A key of a Secret in the pod's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<KeySelector>,
    /// A container's resource: read for validation only (not simulated).
    #[serde(default, skip_serializing)]
    pub resource_field_ref: Option<ResourceFieldSelector>,
}

impl EnvVarSource {
    /// The ConfigMap or Secret key this variable takes its value from, if any.
    pub fn key_ref(&self) -> Option<(DataSource, &KeySelector)> {
        match (&self.config_map_key_ref, &self.secret_key_ref) {
            (Some(k), _) => Some((DataSource::ConfigMap, k)),
            (None, Some(k)) => Some((DataSource::Secret, k)),
            (None, None) => None,
        }
    }

    /// A downward-API source: `fieldRef` with `apiVersion: v1`.
    pub fn field(field_path: &str) -> Self {
        Self {
            field_ref: Some(ObjectFieldSelector {
                api_version: "v1".into(),
                field_path: field_path.into(),
            }),
            ..Self::default()
        }
    }
}

/// `fieldRef`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectFieldSelector {
    /// Defaults to `v1`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// e.g. `metadata.name`, `spec.nodeName`, `status.podIP`.
    pub field_path: String,
}

/// `resourceFieldRef` (not simulated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceFieldSelector {
    /// The container whose resource is read.
    #[serde(default)]
    pub container_name: String,
    /// e.g. `limits.cpu`.
    #[serde(default)]
    pub resource: String,
    /// The unit the value is given in.
    #[serde(default)]
    pub divisor: Option<super::Quantity>,
}

/// `configMapKeyRef` and `secretKeyRef`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySelector {
    /// The ConfigMap's (or Secret's) name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The key whose value the variable takes.
    pub key: String,
    /// Whether a missing object or key leaves the variable unset instead of failing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

impl KeySelector {
    /// `optional`, false when unset.
    pub fn is_optional(&self) -> bool {
        self.optional == Some(true)
    }
}

/// `containers[].envFrom[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    /// Put in front of every key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Every key of a ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<EnvSourceRef>,
    /// Every key of a Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<EnvSourceRef>,
}

/// `configMapRef` and `secretRef` of `envFrom`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvSourceRef {
    /// The object's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Whether a missing object is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

impl EnvFromSource {
    /// The ConfigMap or Secret whose every key becomes a variable.
    pub fn source(&self) -> Option<(DataSource, &EnvSourceRef)> {
        match (&self.config_map_ref, &self.secret_ref) {
            (Some(r), _) => Some((DataSource::ConfigMap, r)),
            (None, Some(r)) => Some((DataSource::Secret, r)),
            (None, None) => None,
        }
    }
}

impl EnvSourceRef {
    /// `optional`, false when unset.
    pub fn is_optional(&self) -> bool {
        self.optional == Some(true)
    }
}
