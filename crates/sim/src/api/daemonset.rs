//! DaemonSets (k8s.io/api/apps/v1/types.go `DaemonSet`): one pod on every node that may run it.

use serde::{Deserialize, Serialize};

use super::intorstr::IntOrString;
use super::meta::{is_zero, ObjectMeta};
use super::pod::{Condition, PodTemplateSpec};
use super::selector::LabelSelector;

/// A DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSet {
    /// `metadata`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: DaemonSetSpec,
    /// `status`, written by the DaemonSet controller.
    #[serde(default)]
    pub status: DaemonSetStatus,
}

/// `spec` of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    /// Which pods the DaemonSet owns; must match the template's labels.
    #[serde(default)]
    pub selector: LabelSelector,
    /// The pods it creates, one per node.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// How a template change reaches the nodes.
    #[serde(default)]
    pub update_strategy: DaemonSetUpdateStrategy,
    /// Seconds a pod must be ready before it counts as available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// Old revisions kept for rollback; defaults to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
}

/// `spec.updateStrategy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetUpdateStrategy {
    /// `RollingUpdate` (default) or `OnDelete`.
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub type_: String,
    /// Limits of a rolling update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDaemonSet>,
}

/// `spec.updateStrategy.rollingUpdate`: at most one node without its pod, none surging.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDaemonSet {
    /// Nodes whose pod may be unavailable during the update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// Nodes that may run an old and a new pod at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// `status` of a DaemonSet. The four counts without `omitempty` in types.go are always printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    /// Nodes running at least one of its pods that should.
    #[serde(default)]
    pub current_number_scheduled: i32,
    /// Nodes running one of its pods that should not.
    #[serde(default)]
    pub number_misscheduled: i32,
    /// Nodes that should run its pod.
    #[serde(default)]
    pub desired_number_scheduled: i32,
    /// Nodes whose pod is Ready.
    #[serde(default)]
    pub number_ready: i32,
    /// The generation this status describes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    /// Nodes running a pod of the current template.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub updated_number_scheduled: i32,
    /// Nodes whose pod is available.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub number_available: i32,
    /// Nodes that should run its pod and have none available.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub number_unavailable: i32,
    /// Conditions (none are set by today's controller).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
