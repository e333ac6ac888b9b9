//! ConfigMaps and Secrets as sources of keyed values: a container's variables
//! (`configMapKeyRef`, `secretKeyRef`, `envFrom`) and a volume's files (`configMap`, `secret`,
//! and their projections) read them the same way, and the kubelet words its errors after the
//! kind (pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`, pkg/volume/configmap and
//! pkg/volume/secret `SetUpAt`).

/// Which kind of object holds the values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataSource {
    /// A ConfigMap's `data`.
    ConfigMap,
    /// A Secret's `data`, as text.
    Secret,
}

impl DataSource {
    /// The kind as the kubelet names it in `couldn't find key K in ConfigMap ns/name`.
    pub fn kind(self) -> &'static str {
        match self {
            DataSource::ConfigMap => "ConfigMap",
            DataSource::Secret => "Secret",
        }
    }

    /// The kubelet's NotFound for a missing object: its configmap and secret managers answer
    /// from a watch cache keyed by the singular resource (`secret "db" not found`).
    pub fn not_found(self, name: &str) -> String {
        let resource = match self {
            DataSource::ConfigMap => "configmap",
            DataSource::Secret => "secret",
        };
        format!("{resource} \"{name}\" not found")
    }
}
