//! Pod parts many pods hold alike, handed out shared (see [`crate::api::Shared`]): the
//! conditions of pods that changed at the same virtual moment, and the tolerations of pods
//! from the same template.

use crate::api::{Condition, Interner, ResourceList, Toleration};

/// The cluster's interners.
#[derive(Clone, Debug, Default)]
pub struct Interned {
    /// `status.conditions` the kubelet writes.
    pub pod_conditions: Interner<Vec<Condition>>,
    /// `spec.tolerations` after admission's defaults.
    pub tolerations: Interner<Vec<Toleration>>,
    /// Every node's capacity (and allocatable): they all run on one host.
    pub node_resources: Option<ResourceList>,
}
