//! The part of the kubelet's `generateContainerConfig` that reads ConfigMaps and Secrets: the
//! variables of `envFrom[].configMapRef`/`secretRef` and `env[].valueFrom.configMapKeyRef`/
//! `secretKeyRef` (pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`, v1.33), read once as
//! the container starts. An object or key that is missing, and not optional, stops the
//! container with `CreateContainerConfigError` until a later sync finds it
//! (pkg/kubelet/kuberuntime/kuberuntime_container.go `startContainer`).

use std::collections::BTreeMap;

use crate::api::{ConfigMap, Container, DataSource, Pod, ReferencedEnv, Secret};
use crate::cluster::Store;

/// The container waiting reason (`ErrCreateContainerConfig`).
pub const CREATE_CONTAINER_CONFIG_ERROR: &str = "CreateContainerConfigError";

/// The pod worker's retry after a failed sync: `backOffPeriod` 10 s, jittered by up to half
/// (pkg/kubelet/pod_workers.go, `wait.Jitter(p.backOffPeriod, 0.5)`).
pub const CONFIG_RETRY_MS: u64 = 10_000;

/// The values of the ConfigMap or Secret `ns/name` as a process or file sees them: a
/// ConfigMap's `data` (its `binaryData` is neither a variable nor, here, a file), a Secret's
/// bytes as text.
pub(super) fn source_values(
    store: &Store,
    ns: &str,
    kind: DataSource,
    name: &str,
) -> Option<BTreeMap<String, String>> {
    match kind {
        DataSource::ConfigMap => store.get::<ConfigMap>(ns, name).map(|cm| cm.data.clone()),
        DataSource::Secret => store.get::<Secret>(ns, name).map(Secret::texts),
    }
}

/// The container's ConfigMap and Secret variables, or `None` if it has no such references;
/// the kubelet's error text when one cannot be read.
pub(super) fn resolve(
    store: &Store,
    pod: &Pod,
    container: &Container,
) -> Result<Option<ReferencedEnv>, String> {
    let ns = &pod.metadata.namespace;
    let references = container.env_from.iter().any(|e| e.source().is_some())
        || container
            .env
            .iter()
            .any(|e| e.value_from.as_ref().is_some_and(|f| f.key_ref().is_some()));
    if !references {
        return Ok(None);
    }
    // Each object is read once per start, as the kubelet's `configMaps`/`secrets` maps do.
    let mut read: BTreeMap<(DataSource, String), Option<BTreeMap<String, String>>> =
        BTreeMap::new();
    let mut values = |kind: DataSource, name: &str| -> Option<BTreeMap<String, String>> {
        read.entry((kind, name.to_owned()))
            .or_insert_with(|| source_values(store, ns, kind, name))
            .clone()
    };
    let mut env = ReferencedEnv::default();
    for source in &container.env_from {
        let Some((kind, reference)) = source.source() else {
            continue;
        };
        let Some(data) = values(kind, &reference.name) else {
            if reference.is_optional() {
                continue;
            }
            return Err(kind.not_found(&reference.name));
        };
        // Since v1.30 no key is skipped for its name (kubernetes#123385).
        for (key, value) in data {
            env.from.push((format!("{}{key}", source.prefix), value));
        }
    }
    for (index, var) in container.env.iter().enumerate() {
        let Some((kind, key_ref)) = var.value_from.as_ref().and_then(|f| f.key_ref()) else {
            continue;
        };
        let Some(data) = values(kind, &key_ref.name) else {
            if key_ref.is_optional() {
                continue;
            }
            return Err(kind.not_found(&key_ref.name));
        };
        match data.get(&key_ref.key) {
            Some(value) => {
                env.keys.insert(index, value.clone());
            }
            None if key_ref.is_optional() => {}
            None => {
                return Err(format!(
                    "couldn't find key {} in {} {ns}/{}",
                    key_ref.key,
                    kind.kind(),
                    key_ref.name
                ))
            }
        }
    }
    Ok(Some(env))
}
