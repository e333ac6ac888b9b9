//! The part of the kubelet's `generateContainerConfig` that reads ConfigMaps: the variables of
//! `envFrom[].configMapRef` and `env[].valueFrom.configMapKeyRef`
//! (pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`, v1.33), read once as the container
//! starts. A ConfigMap or key that is missing, and not optional, stops the container with
//! `CreateContainerConfigError` until a later sync finds it
//! (pkg/kubelet/kuberuntime/kuberuntime_container.go `startContainer`).

use crate::api::{ConfigMap, ConfigMapEnv, Container, Pod};
use crate::cluster::Store;

/// The container waiting reason (`ErrCreateContainerConfig`).
pub const CREATE_CONTAINER_CONFIG_ERROR: &str = "CreateContainerConfigError";

/// The pod worker's retry after a failed sync: `backOffPeriod` 10 s, jittered by up to half
/// (pkg/kubelet/pod_workers.go, `wait.Jitter(p.backOffPeriod, 0.5)`).
pub const CONFIG_RETRY_MS: u64 = 10_000;

/// The container's ConfigMap variables, or `None` if it has no ConfigMap references; the
/// kubelet's error text when one cannot be read. Secrets are not simulated: their variables
/// stay unset.
pub(super) fn resolve(
    store: &Store,
    pod: &Pod,
    container: &Container,
) -> Result<Option<ConfigMapEnv>, String> {
    let ns = &pod.metadata.namespace;
    let uses_config_maps = container
        .env_from
        .iter()
        .any(|e| e.config_map_ref.is_some())
        || container.env.iter().any(|e| {
            e.value_from
                .as_ref()
                .is_some_and(|f| f.config_map_key_ref.is_some())
        });
    if !uses_config_maps {
        return Ok(None);
    }
    // The kubelet's configmap manager answers from its watch cache; a missing object is its
    // NotFound error for the singular resource: `configmap "NAME" not found`.
    let get = |name: &str| store.get::<ConfigMap>(ns, name);
    let not_found = |name: &str| format!("configmap \"{name}\" not found");
    let mut env = ConfigMapEnv::default();
    for source in &container.env_from {
        let Some(reference) = &source.config_map_ref else {
            continue;
        };
        let Some(cm) = get(&reference.name) else {
            if reference.is_optional() {
                continue;
            }
            return Err(not_found(&reference.name));
        };
        // Only `data`: binaryData keys are not variables. Since v1.30 no key is skipped for
        // its name (kubernetes#123385).
        for (key, value) in &cm.data {
            env.from
                .push((format!("{}{key}", source.prefix), value.clone()));
        }
    }
    for (index, var) in container.env.iter().enumerate() {
        let Some(key_ref) = var
            .value_from
            .as_ref()
            .and_then(|f| f.config_map_key_ref.as_ref())
        else {
            continue;
        };
        let Some(cm) = get(&key_ref.name) else {
            if key_ref.is_optional() {
                continue;
            }
            return Err(not_found(&key_ref.name));
        };
        match cm.data.get(&key_ref.key) {
            Some(value) => {
                env.keys.insert(index, value.clone());
            }
            None if key_ref.is_optional() => {}
            None => {
                return Err(format!(
                    "couldn't find key {} in ConfigMap {ns}/{}",
                    key_ref.key, key_ref.name
                ))
            }
        }
    }
    Ok(Some(env))
}
