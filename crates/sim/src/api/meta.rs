//! Object metadata (k8s.io/apimachinery/pkg/apis/meta/v1/types.go `ObjectMeta`), the part the lab keeps.

use serde::{Deserialize, Serialize};

pub use super::shared::StringMap;

/// `metadata` of every object, with fields in the API's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// `metadata.name`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `metadata.generateName`: the prefix the API server completes with five random characters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    /// `metadata.namespace`; empty for cluster-scoped objects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `metadata.uid`, set by the API server.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// `metadata.resourceVersion`, set by the API server on every write.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// `metadata.generation`, bumped when the spec changes (workloads and Services).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub generation: i64,
    /// `metadata.creationTimestamp`, RFC 3339, from the lab's virtual clock.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub creation_timestamp: String,
    /// `metadata.deletionTimestamp`, set while an object terminates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<String>,
    /// `metadata.labels`.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub labels: StringMap,
    /// `metadata.annotations`.
    #[serde(default, skip_serializing_if = "StringMap::is_empty")]
    pub annotations: StringMap,
    /// `metadata.ownerReferences`: the controller that owns this object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    /// `metadata.finalizers`: only those the lab's controllers honour (the storage
    /// protection ones set by admission, the load-balancer cleanup one). A manifest's own are
    /// not read, so the decoder reports them as not simulated rather than keeping finalizers
    /// nothing would remove.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
}

/// `metadata.ownerReferences[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// The owner's apiVersion, e.g. `apps/v1`.
    pub api_version: String,
    /// The owner's kind, e.g. `ReplicaSet`.
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// The owner's uid.
    pub uid: String,
    /// Whether the owner is the managing controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// Whether the owner waits for this object on foreground deletion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

impl ObjectMeta {
    /// Adds a finalizer unless the object has it already.
    pub fn add_finalizer(&mut self, finalizer: &str) {
        if !self.finalizers.iter().any(|f| f == finalizer) {
            self.finalizers.push(finalizer.to_string());
        }
    }

    /// The owner that is this object's controller, if any.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|r| r.controller == Some(true))
    }
}

/// serde's `skip_serializing_if` for Go's `omitempty` on an integer: zero is left out.
pub(crate) fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}
