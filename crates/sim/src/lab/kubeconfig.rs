//! The learner's kubeconfig: one context per kind cluster (`kind-<name>` for the cluster, the
//! user and the context, as kind's kubeconfig helpers write it), and the current context.

use std::collections::BTreeMap;

/// One kubeconfig context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The cluster entry it uses.
    pub cluster: String,
    /// The user entry it uses.
    pub user: String,
    /// The namespace kubectl defaults to (empty: `default`).
    pub namespace: String,
}

/// The kubeconfig file's contexts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kubeconfig {
    /// Contexts by name, sorted as `kubectl config get-contexts` prints them.
    pub contexts: BTreeMap<String, Context>,
    /// `current-context`, if set.
    pub current: Option<String>,
}

impl Kubeconfig {
    /// Adds (or replaces) kind's context for a cluster and makes it current, as
    /// `kind create cluster` does (kubeconfig.go `KINDClusterKey`).
    pub fn add_kind_cluster(&mut self, cluster_name: &str) -> String {
        let key = crate::kind::kubeconfig_context(cluster_name);
        self.contexts.insert(
            key.clone(),
            Context {
                cluster: key.clone(),
                user: key.clone(),
                namespace: String::new(),
            },
        );
        self.current = Some(key.clone());
        key
    }

    /// Removes kind's context for a cluster, unsetting current-context if it pointed there,
    /// as `kind delete cluster` does.
    pub fn remove_kind_cluster(&mut self, cluster_name: &str) {
        let key = crate::kind::kubeconfig_context(cluster_name);
        self.contexts.remove(&key);
        if self.current.as_deref() == Some(key.as_str()) {
            self.current = None;
        }
    }

    /// The current context and its entry.
    pub fn current_context(&self) -> Option<(&str, &Context)> {
        let name = self.current.as_deref()?;
        self.contexts.get(name).map(|c| (name, c))
    }
}
