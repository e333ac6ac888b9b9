//! The environment a container starts with: its `envFrom` and `env` lists with downward-API
//! `fieldRef`s and ConfigMap values resolved (pkg/kubelet/kubelet_pods.go `makeEnvironmentVariables`, `podFieldSelectorRuntimeValue`)
//! and the Service variables the kubelet adds for every Service in the pod's namespace
//! (pkg/kubelet/envvars/envvars.go `FromServices`), `KUBERNETES_*` included.

use std::collections::BTreeMap;

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

/// What a container's ConfigMap and Secret references gave when it started: the kubelet reads
/// them once, so a later change to the object reaches the variables only through a new
/// container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferencedEnv {
    /// `envFrom` variables (prefix applied), source by source, each object's keys in order.
    pub from: Vec<(String, String)>,
    /// `configMapKeyRef` and `secretKeyRef` values by index in `env` (absent: optional and
    /// missing).
    pub keys: BTreeMap<usize, String>,
}

/// A container's environment as the kubelet assembles it (`makeEnvironmentVariables`): its
/// own variables (`envFrom` first, then `env` in order overriding them, `$(VAR)` expanded in
/// literal values), and the Service variables of its namespace (plus `default/kubernetes`)
/// whose names the container does not set. `resourceFieldRef` variables are not simulated and
/// stay unset.
pub struct ContainerEnv {
    /// The container's own variables.
    pub own: Vec<(String, String)>,
    /// The Service variables.
    pub services: Vec<(String, String)>,
}

/// See [`ContainerEnv`]; `config` is what its ConfigMaps and Secrets gave at start.
pub fn container_env(
    pod: &Pod,
    container: &str,
    services: &[&Service],
    config: Option<&ReferencedEnv>,
) -> ContainerEnv {
    let service_vars = service_env(services);
    let mut own: Vec<(String, String)> = Vec::new();
    let set = |own: &mut Vec<(String, String)>, name: &str, value: String| match own
        .iter_mut()
        .find(|(k, _)| k == name)
    {
        Some(slot) => slot.1 = value,
        None => own.push((name.to_string(), value)),
    };
    if let Some(config) = config {
        for (name, value) in &config.from {
            set(&mut own, name, value.clone());
        }
    }
    let declared = pod.spec.containers.iter().find(|c| c.name == container);
    for (index, var) in declared
        .map(|c| c.env.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let value = match (&var.value, &var.value_from) {
            (Some(v), _) if !v.is_empty() => expand(v, &own, &service_vars),
            (_, Some(src)) => {
                let resolved = match src.field_ref.as_ref() {
                    Some(f) => field_value(pod, &f.field_path),
                    None if src.key_ref().is_some() => {
                        config.and_then(|c| c.keys.get(&index)).cloned()
                    }
                    None => None,
                };
                // An optional key that is missing, or a source not simulated: unset.
                let Some(value) = resolved else { continue };
                value
            }
            _ => String::new(),
        };
        set(&mut own, &var.name, value);
    }
    let services = service_vars
        .into_iter()
        .filter(|(k, _)| !own.iter().any(|(name, _)| name == k))
        .collect();
    ContainerEnv { own, services }
}

/// `$(VAR)` references in a literal value (third_party/forked/golang/expansion `Expand` with
/// `MappingFuncFor(tmpEnv, serviceEnv)`): the container's variables so far, then the Service
/// variables; an unknown name stays `$(VAR)`, `$$` is `$`, and an unclosed `$(` is kept.
pub fn expand(input: &str, own: &[(String, String)], services: &[(String, String)]) -> String {
    let lookup = |name: &str| {
        own.iter()
            .chain(services)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| format!("$({name})"))
    };
    let mut out = String::new();
    let mut rest = input;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.is_empty() {
            // A trailing `$` is copied as it is.
            out.push('$');
            rest = after;
        } else if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(close) => {
                    out.push_str(&lookup(&inner[..close]));
                    rest = &inner[close + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            // `$` before anything else: the operator and that character are kept.
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Container, EnvVar, EnvVarSource, ServicePort};

    fn field(path: &str) -> Option<EnvVarSource> {
        Some(EnvVarSource::field(path))
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
        let env = container_env(&pod, "nginx", &[&kubernetes], None);
        let all: Vec<_> = env.own.iter().chain(&env.services).collect();
        let get = |k: &str| all.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("NODE_NAME"), Some("service-demo-worker"));
        assert_eq!(get("POD_NAME"), Some("nginx-replicaset-abcde"));
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

    #[test]
    fn config_maps_then_env_in_order_with_references_expanded() {
        let mut pod = Pod::default();
        let key_ref = |name: &str, key: &str, optional: bool| {
            Some(EnvVarSource {
                config_map_key_ref: Some(crate::api::KeySelector {
                    name: name.into(),
                    key: key.into(),
                    optional: optional.then_some(true),
                }),
                ..Default::default()
            })
        };
        let var = |name: &str, value: &str| EnvVar {
            name: name.into(),
            value: Some(value.into()),
            value_from: None,
        };
        pod.spec.containers = crate::api::Shared::from(vec![Container {
            name: "app".into(),
            env: vec![
                var("MODE", "override"),
                EnvVar {
                    name: "LEVEL".into(),
                    value: None,
                    value_from: key_ref("cfg", "level", false),
                },
                EnvVar {
                    name: "GONE".into(),
                    value: None,
                    value_from: key_ref("cfg", "missing", true),
                },
                var(
                    "URL",
                    "http://$(KUBERNETES_SERVICE_HOST):$(PORT)/$(NOPE)$$(LEVEL)",
                ),
                var("LATE", "$(LEVEL)-$("),
            ],
            ..Default::default()
        }]);
        let config = ReferencedEnv {
            from: vec![
                ("MODE".into(), "from-cm".into()),
                ("PORT".into(), "8080".into()),
            ],
            keys: [(1, "debug".to_string())].into(),
        };
        let mut kubernetes = Service::default();
        kubernetes.metadata.name = "kubernetes".into();
        kubernetes.spec.cluster_ip = "10.96.0.1".into();
        kubernetes.spec.ports = vec![ServicePort {
            port: 443,
            ..Default::default()
        }];
        let env = container_env(&pod, "app", &[&kubernetes], Some(&config));
        let own: Vec<(&str, &str)> = env
            .own
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            own,
            [
                ("MODE", "override"),
                ("PORT", "8080"),
                ("LEVEL", "debug"),
                ("URL", "http://10.96.0.1:8080/$(NOPE)$(LEVEL)"),
                ("LATE", "debug-$("),
            ]
        );
        assert!(env
            .services
            .iter()
            .any(|(k, _)| k == "KUBERNETES_SERVICE_HOST"));
    }

    #[test]
    fn expansion_follows_gos_expand() {
        let own = [("A".to_string(), "1".to_string())];
        for (input, out) in [
            ("$(A)", "1"),
            ("$$(A)", "$(A)"),
            ("$$$(A)", "$1"),
            ("x$", "x$"),
            ("$x$(A", "$x$(A"),
            ("$(B)", "$(B)"),
            ("$()", "$()"),
        ] {
            assert_eq!(expand(input, &own, &[]), out, "{input}");
        }
    }
}
