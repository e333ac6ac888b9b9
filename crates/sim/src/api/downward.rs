//! The environment a container starts with: its `env` list with downward-API `fieldRef`s
//! resolved (pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`, `podFieldSelectorRuntimeValue`)
//! and the Service variables the kubelet adds for every Service in the pod's namespace
//! (pkg/kubelet/envvars/envvars.go `FromServices`), `KUBERNETES_*` included.

use super::{Pod, Service};

/// `fieldRef.fieldPath` resolved against a running pod, or `None` for paths the kubelet does
/// not support here.
pub fn field_value(pod: &Pod, field_path: &str) -> Option<String> {
    let m = &pod.metadata;
    match field_path {
        "metadata.name" => Some(m.name.clone()),
        "metadata.namespace" => Some(m.namespace.clone()),
        "metadata.uid" => Some(m.uid.clone()),
        "spec.nodeName" => Some(pod.spec.node_name.clone()),
        "spec.serviceAccountName" => Some("default".into()),
        "status.hostIP" | "status.hostIPs" => Some(pod.status.host_ip.clone()),
        "status.podIP" | "status.podIPs" => Some(pod.status.pod_ip.clone()),
        path => {
            let (map, key) = if let Some(rest) = path.strip_prefix("metadata.labels['") {
                (&m.labels, rest)
            } else if let Some(rest) = path.strip_prefix("metadata.annotations['") {
                (&m.annotations, rest)
            } else {
                return None;
            };
            let key = key.strip_suffix("']")?;
            Some(map.get(key).cloned().unwrap_or_default())
        }
    }
}

/// A Service's name as an environment prefix: upper case, `-` as `_` (`makeEnvVariableName`).
fn env_name(service: &str) -> String {
    service.to_ascii_uppercase().replace('-', "_")
}

/// The Service variables for `services` (the ones with a ClusterIP): `<NAME>_SERVICE_HOST`,
/// `_SERVICE_PORT`, `_SERVICE_PORT_<PORTNAME>` and the Docker-links `_PORT…` family.
pub fn service_env(services: &[&Service]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for svc in services {
        let ip = &svc.spec.cluster_ip;
        if ip.is_empty() || ip == "None" {
            continue;
        }
        let Some(first) = svc.spec.ports.first() else {
            continue;
        };
        let name = env_name(&svc.metadata.name);
        out.push((format!("{name}_SERVICE_HOST"), ip.clone()));
        out.push((format!("{name}_SERVICE_PORT"), first.port.to_string()));
        for p in &svc.spec.ports {
            if !p.name.is_empty() {
                out.push((
                    format!("{name}_SERVICE_PORT_{}", env_name(&p.name)),
                    p.port.to_string(),
                ));
            }
        }
        let proto = |p: &super::ServicePort| {
            if p.protocol.is_empty() {
                "tcp".to_string()
            } else {
                p.protocol.to_ascii_lowercase()
            }
        };
        out.push((
            format!("{name}_PORT"),
            format!("{}://{ip}:{}", proto(first), first.port),
        ));
        for p in &svc.spec.ports {
            let base = format!("{name}_PORT_{}_{}", p.port, proto(p).to_ascii_uppercase());
            out.push((base.clone(), format!("{}://{ip}:{}", proto(p), p.port)));
            out.push((format!("{base}_PROTO"), proto(p)));
            out.push((format!("{base}_PORT"), p.port.to_string()));
            out.push((format!("{base}_ADDR"), ip.clone()));
        }
    }
    out
}

/// A container's environment: `HOSTNAME`, the Service variables of its namespace (plus
/// `default/kubernetes`), then its own `env` in order, later entries overriding earlier ones.
pub fn container_env(pod: &Pod, container: &str, services: &[&Service]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![("HOSTNAME".into(), pod.metadata.name.clone())];
    env.extend(service_env(services));
    let own = pod
        .spec
        .containers
        .iter()
        .find(|c| c.name == container)
        .map(|c| c.env.as_slice())
        .unwrap_or_default();
    for var in own {
        let value = match (&var.value, &var.value_from) {
            (Some(v), _) => v.clone(),
            (None, Some(src)) => src
                .field_ref
                .as_ref()
                .and_then(|f| field_value(pod, &f.field_path))
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        env.retain(|(k, _)| *k != var.name);
        env.push((var.name.clone(), value));
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Container, EnvVar, EnvVarSource, ObjectFieldSelector, ServicePort};

    fn field(path: &str) -> Option<EnvVarSource> {
        Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                api_version: "v1".into(),
                field_path: path.into(),
            }),
        })
    }

    #[test]
    fn the_articles_env_resolves_node_and_pod_names() {
        let mut pod = Pod::default();
        pod.metadata.name = "nginx-replicaset-abcde".into();
        pod.metadata.namespace = "dev".into();
        pod.spec.node_name = "service-demo-worker".into();
        pod.spec.containers = crate::api::Shared::from(vec![Container {
            name: "nginx".into(),
            env: vec![
                EnvVar {
                    name: "NODE_NAME".into(),
                    value: None,
                    value_from: field("spec.nodeName"),
                },
                EnvVar {
                    name: "POD_NAME".into(),
                    value: None,
                    value_from: field("metadata.name"),
                },
            ],
            ..Default::default()
        }]);
        let mut kubernetes = Service::default();
        kubernetes.metadata.name = "kubernetes".into();
        kubernetes.spec.cluster_ip = "10.96.0.1".into();
        kubernetes.spec.ports = vec![ServicePort {
            name: "https".into(),
            protocol: "TCP".into(),
            port: 443,
            ..Default::default()
        }];
        let env = container_env(&pod, "nginx", &[&kubernetes]);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("NODE_NAME"), Some("service-demo-worker"));
        assert_eq!(get("POD_NAME"), Some("nginx-replicaset-abcde"));
        assert_eq!(get("HOSTNAME"), Some("nginx-replicaset-abcde"));
        assert_eq!(get("KUBERNETES_SERVICE_HOST"), Some("10.96.0.1"));
        assert_eq!(get("KUBERNETES_SERVICE_PORT_HTTPS"), Some("443"));
        assert_eq!(get("KUBERNETES_PORT"), Some("tcp://10.96.0.1:443"));
        assert_eq!(get("KUBERNETES_PORT_443_TCP_ADDR"), Some("10.96.0.1"));
    }

    #[test]
    fn labels_and_unknown_paths() {
        let mut pod = Pod::default();
        pod.metadata.labels.insert("app".into(), "nginx".into());
        assert_eq!(
            field_value(&pod, "metadata.labels['app']").as_deref(),
            Some("nginx")
        );
        assert_eq!(
            field_value(&pod, "metadata.labels['missing']").as_deref(),
            Some("")
        );
        assert_eq!(field_value(&pod, "spec.bogus"), None);
    }
}
