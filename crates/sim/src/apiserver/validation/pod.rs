//! Pods and pod templates (`pkg/apis/core/validation/validation.go`: `ValidatePodCreate`,
//! `ValidatePodSpec`, `validateContainers`, `validateContainerPorts`,
//! `ValidateTolerations`, `ValidatePodTemplateSpec`), for the fields the lab's structs carry.

use std::collections::BTreeSet;

use crate::api::{Container, ContainerPort, Pod, PodSpec, PodTemplateSpec, Toleration};
use crate::apiserver::errors::{BadValue, FieldError, FieldPath};
use crate::apiserver::names;

use super::env::{validate_env, validate_env_from};
use super::meta::{
    validate_annotations, validate_label_name, validate_labels, validate_object_meta,
};

/// `supportedPortProtocols`, as `sets.List` sorts it.
pub const PORT_PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];

/// `ValidatePodCreate` for a new pod (after defaulting and admission).
pub fn validate_pod(pod: &Pod) -> Vec<FieldError> {
    let meta = FieldPath::new("metadata");
    let spec = FieldPath::new("spec");
    let mut errs = validate_object_meta(&pod.metadata, true, names::name_is_dns_subdomain, &meta);
    errs.extend(validate_pod_spec(&pod.spec, &spec));
    // validateContainersOnlyForPod: only pods (not templates) reject padded images.
    for (i, c) in pod.spec.containers.iter().enumerate() {
        if c.image.len() != c.image.trim().len() {
            errs.push(FieldError::invalid(
                &spec.child("containers").index(i).child("image"),
                BadValue::str(&c.image),
                "must not have leading or trailing whitespace",
            ));
        }
    }
    errs
}

/// `ValidatePodTemplateSpec`: template labels (at `<path>.labels`, as upstream writes it),
/// annotations and the spec.
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = validate_labels(&t.metadata.labels, &path.child("labels"));
    errs.extend(validate_annotations(
        &t.metadata.annotations,
        &path.child("annotations"),
    ));
    errs.extend(validate_pod_spec(&t.spec, &path.child("spec")));
    errs
}

/// `ValidatePodSpec`, in upstream's order, for the fields the lab simulates.
pub fn validate_pod_spec(spec: &PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            &path.child("terminationGracePeriodSeconds"),
            "",
        ));
    }
    errs.extend(super::volumes::validate_volumes(
        &spec.volumes,
        &path.child("volumes"),
    ));
    errs.extend(validate_containers(
        &spec.containers,
        &path.child("containers"),
    ));
    for (i, c) in spec.containers.iter().enumerate() {
        errs.extend(super::volumes::validate_volume_mounts(
            &c.volume_mounts,
            &spec.volumes,
            &path.child("containers").index(i).child("volumeMounts"),
        ));
    }
    let rp = path.child("restartPolicy");
    match spec.restart_policy.as_str() {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(&rp, "")),
        other => errs.push(FieldError::not_supported(
            &rp,
            BadValue::str(other),
            &["Always", "OnFailure", "Never"],
        )),
    }
    errs.extend(validate_labels(
        &spec.node_selector,
        &path.child("nodeSelector"),
    ));
    if !spec.node_name.is_empty() {
        for m in names::name_is_dns_subdomain(&spec.node_name, false) {
            errs.push(FieldError::invalid(
                &path.child("nodeName"),
                BadValue::str(&spec.node_name),
                &m,
            ));
        }
    }
    if !spec.hostname.is_empty() {
        errs.extend(dns1123_label(&spec.hostname, &path.child("hostname")));
    }
    if !spec.subdomain.is_empty() {
        errs.extend(dns1123_label(&spec.subdomain, &path.child("subdomain")));
    }
    if !spec.tolerations.is_empty() {
        errs.extend(validate_tolerations(
            &spec.tolerations,
            &path.child("tolerations"),
        ));
    }
    errs
}

/// `ValidateDNS1123Label`: one error per message.
pub fn dns1123_label(value: &str, path: &FieldPath) -> Vec<FieldError> {
    names::is_dns1123_label(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, BadValue::str(value), &m))
        .collect()
}

/// `validateContainers`: at least one; each named, with an image; names unique.
pub fn validate_containers(containers: &[Container], path: &FieldPath) -> Vec<FieldError> {
    if containers.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let cp = path.index(i);
        errs.extend(validate_container_common(c, &cp));
        if !seen.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                &cp.child("name"),
                BadValue::str(&c.name),
            ));
        }
    }
    errs
}

/// `validateContainerCommon`.
fn validate_container_common(c: &Container, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if c.name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    } else {
        errs.extend(dns1123_label(&c.name, &path.child("name")));
    }
    if c.image.is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    errs.extend(validate_container_ports(&c.ports, &path.child("ports")));
    errs.extend(validate_env(&c.env, &path.child("env")));
    errs.extend(validate_env_from(&c.env_from, &path.child("envFrom")));
    let pp = path.child("imagePullPolicy");
    match c.image_pull_policy.as_str() {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(&pp, "")),
        other => errs.push(FieldError::not_supported(
            &pp,
            BadValue::str(other),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    errs.extend(super::resources::validate_resources(
        &c.resources,
        &path.child("resources"),
    ));
    errs
}

/// `validateContainerPorts`.
pub fn validate_container_ports(ports: &[ContainerPort], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut names_seen = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let ip = path.index(i);
        if !port.name.is_empty() {
            let msgs = names::is_valid_port_name(&port.name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(
                        &ip.child("name"),
                        BadValue::str(&port.name),
                        &m,
                    ));
                }
            } else if !names_seen.insert(port.name.as_str()) {
                errs.push(FieldError::duplicate(
                    &ip.child("name"),
                    BadValue::str(&port.name),
                ));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&ip.child("containerPort"), ""));
        } else {
            for m in names::is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    &ip.child("containerPort"),
                    BadValue::Int(i64::from(port.container_port)),
                    &m,
                ));
            }
        }
        errs.extend(validate_protocol(&port.protocol, &ip.child("protocol")));
    }
    errs
}

/// Protocol: required, then one of `SCTP`, `TCP`, `UDP`.
pub fn validate_protocol(protocol: &str, path: &FieldPath) -> Vec<FieldError> {
    if protocol.is_empty() {
        vec![FieldError::required(path, "")]
    } else if !PORT_PROTOCOLS.contains(&protocol) {
        vec![FieldError::not_supported(
            path,
            BadValue::str(protocol),
            &PORT_PROTOCOLS,
        )]
    } else {
        Vec::new()
    }
}

/// `ValidateTolerations`.
pub fn validate_tolerations(tolerations: &[Toleration], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in tolerations.iter().enumerate() {
        let ip = path.index(i);
        if !t.key.is_empty() {
            errs.extend(validate_label_name(&t.key, &ip.child("key")));
        }
        if t.key.is_empty() && t.operator != "Exists" {
            errs.push(FieldError::invalid(
                &ip.child("operator"),
                BadValue::str(&t.operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && t.effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &ip.child("effect"),
                BadValue::str(&t.effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match t.operator.as_str() {
            "Equal" | "" => {
                let msgs = names::is_valid_label_value(&t.value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        &ip.child("operator"),
                        BadValue::str(&t.value),
                        &msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !t.value.is_empty() {
                    errs.push(FieldError::invalid(
                        &ip.child("operator"),
                        BadValue::str(&t.value),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(FieldError::not_supported(
                &ip.child("operator"),
                BadValue::str(other),
                &["Equal", "Exists"],
            )),
        }
        if !t.effect.is_empty()
            && !matches!(
                t.effect.as_str(),
                "NoSchedule" | "PreferNoSchedule" | "NoExecute"
            )
        {
            errs.push(FieldError::not_supported(
                &ip.child("effect"),
                BadValue::str(&t.effect),
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{EnvVar, EnvVarSource, ObjectMeta};

    fn container(name: &str, image: &str) -> Container {
        Container {
            name: name.into(),
            image: image.into(),
            image_pull_policy: "IfNotPresent".into(),
            ..Default::default()
        }
    }

    fn pod(containers: Vec<Container>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            spec: PodSpec {
                containers: containers.into(),
                restart_policy: "Always".into(),
                termination_grace_period_seconds: Some(30),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn msgs(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_good_pod_passes() {
        assert!(validate_pod(&pod(vec![container("nginx", "nginx:1.27")])).is_empty());
    }

    #[test]
    fn containers_are_required_and_named() {
        assert_eq!(
            msgs(&validate_pod(&pod(vec![]))),
            ["spec.containers: Required value"]
        );
        assert_eq!(
            msgs(&validate_pod(&pod(vec![container("", ""), container("a", " x")]))),
            [
                "spec.containers[0].name: Required value",
                "spec.containers[0].image: Required value",
                "spec.containers[1].image: Invalid value: \" x\": must not have leading or trailing whitespace",
            ]
        );
        assert_eq!(
            msgs(&validate_pod(&pod(vec![
                container("a", "x"),
                container("a", "y")
            ]))),
            ["spec.containers[1].name: Duplicate value: \"a\""]
        );
    }

    #[test]
    fn ports_env_and_policies() {
        let mut c = container("web", "nginx");
        c.ports = vec![
            ContainerPort {
                name: "HTTP".into(),
                container_port: 0,
                protocol: "TCP".into(),
            },
            ContainerPort {
                name: String::new(),
                container_port: 70000,
                protocol: "ICMP".into(),
            },
        ];
        c.env = vec![
            EnvVar {
                name: "A=B".into(),
                ..Default::default()
            },
            EnvVar {
                name: "NODE".into(),
                value: None,
                value_from: Some(EnvVarSource::field("status.phase")),
            },
        ];
        c.image_pull_policy = "Sometimes".into();
        let mut p = pod(vec![c]);
        p.spec.restart_policy = "Maybe".into();
        assert_eq!(
            msgs(&validate_pod(&p)),
            [
                "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
                "spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
                "spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
                "spec.restartPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            ]
        );
    }

    #[test]
    fn tolerations() {
        let mut p = pod(vec![container("a", "x")]);
        p.spec.tolerations = crate::api::Shared::from(vec![
            Toleration {
                key: String::new(),
                operator: "Equal".into(),
                ..Default::default()
            },
            Toleration {
                key: "k".into(),
                operator: "Exists".into(),
                value: "v".into(),
                effect: "NoSchedule".into(),
                toleration_seconds: Some(5),
            },
        ]);
        assert_eq!(
            msgs(&validate_pod(&p)),
            [
                "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
                "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
            ]
        );
    }
}
