//! Pod fields the API serves that the lab derives when printing instead of keeping them, to
//! keep memory low at Kubernetes' scale thresholds:
//!
//! - the defaults `SetDefaults_PodSpec` and `SetDefaults_Container` fill in
//!   (`pkg/apis/core/v1/defaults.go`), also in workload templates;
//! - what admission adds to a pod: the `default` service account and its projected
//!   `kube-api-access-xxxxx` token volume mounted in every container (plugin
//!   `ServiceAccount`), and priority 0 with `PreemptLowerPriority` (plugin `Priority`);
//! - status the kubelet writes: `hostIPs`/`podIPs` (one entry each, single-stack IPv4),
//!   `qosClass` (from the containers' resources), and per container
//!   `lastState`, the container and image ids containerd reports, and the image's full name.
//!
//! The ids and the volume's suffix are random in a real cluster; here they come from the pod's
//! uid, so a seeded lab prints the same ones every time.

use svclab_sim::names::{stable_hex, stable_suffix};

use super::value::Value;

fn str_value(s: &str) -> Value {
    Value::Str(s.to_owned())
}

/// Sets `key` unless the object already has it.
fn default(v: &mut Value, key: &str, value: Value) {
    if v.get(key).is_none() {
        v.set(key, value);
    }
}

/// `SetDefaults_PodSpec` and `SetDefaults_Container` on a pod spec or a template's.
pub fn add_spec_defaults(spec: &mut Value) {
    default(spec, "dnsPolicy", str_value("ClusterFirst"));
    default(spec, "restartPolicy", str_value("Always"));
    default(spec, "schedulerName", str_value("default-scheduler"));
    default(spec, "securityContext", Value::Object(Vec::new()));
    default(spec, "terminationGracePeriodSeconds", Value::Int(30));
    if let Some(Value::Array(containers)) = spec.get("containers").cloned() {
        let containers = containers
            .into_iter()
            .map(|mut c| {
                default(&mut c, "resources", Value::Object(Vec::new()));
                default(
                    &mut c,
                    "terminationMessagePath",
                    str_value("/dev/termination-log"),
                );
                default(&mut c, "terminationMessagePolicy", str_value("File"));
                c
            })
            .collect();
        spec.set("containers", Value::Array(containers));
    }
}

/// The projected token volume the ServiceAccount admission plugin adds
/// (`plugin/pkg/admission/serviceaccount/admission.go`, `TokenVolumeSource`).
fn token_volume(name: &str) -> Value {
    let item = |key: &str, path: &str| {
        Value::object(vec![("key", str_value(key)), ("path", str_value(path))])
    };
    Value::object(vec![
        ("name", str_value(name)),
        (
            "projected",
            Value::object(vec![
                ("defaultMode", Value::Int(420)),
                (
                    "sources",
                    Value::Array(vec![
                        Value::object(vec![(
                            "serviceAccountToken",
                            Value::object(vec![
                                ("expirationSeconds", Value::Int(3607)),
                                ("path", str_value("token")),
                            ]),
                        )]),
                        Value::object(vec![(
                            "configMap",
                            Value::object(vec![
                                ("items", Value::Array(vec![item("ca.crt", "ca.crt")])),
                                ("name", str_value("kube-root-ca.crt")),
                            ]),
                        )]),
                        Value::object(vec![(
                            "downwardAPI",
                            Value::object(vec![(
                                "items",
                                Value::Array(vec![Value::object(vec![
                                    (
                                        "fieldRef",
                                        Value::object(vec![
                                            ("apiVersion", str_value("v1")),
                                            ("fieldPath", str_value("metadata.namespace")),
                                        ]),
                                    ),
                                    ("path", str_value("namespace")),
                                ])]),
                            )]),
                        )]),
                    ]),
                ),
            ]),
        ),
    ])
}

/// Where the token volume is mounted in each container.
pub const TOKEN_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The token volume's name: `kube-api-access-` and five characters (from the pod's uid here).
pub fn token_volume_name(uid: &str) -> String {
    format!("kube-api-access-{}", stable_suffix(uid, 5))
}

/// The id containerd gives a pod's container (from the pod's uid and the container's name).
pub fn container_id(uid: &str, container: &str) -> String {
    format!("containerd://{}", stable_hex(&format!("{uid}/{container}")))
}

/// The image's id as containerd reports it: `docker.io/library/nginx@sha256:…`.
pub fn image_id(image: &str) -> String {
    let full = full_image(image);
    let repo = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
    format!("{repo}@sha256:{}", stable_hex(&full))
}

fn token_mount(name: &str) -> Value {
    Value::object(vec![
        ("mountPath", str_value(TOKEN_MOUNT)),
        ("name", str_value(name)),
        ("readOnly", Value::Bool(true)),
    ])
}

/// Admission's additions to a pod's spec: service account, token volume, priority.
fn add_admission(spec: &mut Value, volume: &str) {
    default(spec, "enableServiceLinks", Value::Bool(true));
    default(spec, "preemptionPolicy", str_value("PreemptLowerPriority"));
    default(spec, "priority", Value::Int(0));
    let account = match spec.get("serviceAccountName") {
        Some(Value::Str(a)) => a.clone(),
        _ => "default".to_owned(),
    };
    spec.set("serviceAccount", str_value(&account));
    spec.set("serviceAccountName", str_value(&account));
    let mut volumes = match spec.get("volumes") {
        Some(Value::Array(v)) => v.clone(),
        _ => Vec::new(),
    };
    volumes.push(token_volume(volume));
    spec.set("volumes", Value::Array(volumes));
    if let Some(Value::Array(containers)) = spec.get("containers").cloned() {
        let containers = containers
            .into_iter()
            .map(|mut c| {
                let mut mounts = match c.get("volumeMounts") {
                    Some(Value::Array(m)) => m.clone(),
                    _ => Vec::new(),
                };
                mounts.push(token_mount(volume));
                c.set("volumeMounts", Value::Array(mounts));
                c
            })
            .collect();
        spec.set("containers", Value::Array(containers));
    }
}

/// The image's name as containerd reports it: `nginx` → `docker.io/library/nginx:latest`.
pub fn full_image(image: &str) -> String {
    let (path, tagged) = match image.rsplit_once('/') {
        Some((_, last)) => (image.to_owned(), last.contains(':') || last.contains('@')),
        None => (image.to_owned(), image.contains(':') || image.contains('@')),
    };
    let first = path.split('/').next().unwrap_or("");
    let registry = first.contains('.') || first.contains(':') || first == "localhost";
    let path = match (path.contains('/'), registry) {
        (false, _) => format!("docker.io/library/{path}"),
        (true, false) => format!("docker.io/{path}"),
        (true, true) => path,
    };
    if tagged {
        path
    } else {
        format!("{path}:latest")
    }
}

/// The kubelet's status fields for a pod status, `uid` naming its containers' ids.
fn add_status(status: &mut Value, uid: &str, volume: &str, qos: &str) {
    for (single, list) in [("hostIP", "hostIPs"), ("podIP", "podIPs")] {
        if let Some(Value::Str(ip)) = status.get(single).cloned() {
            status.set(
                list,
                Value::Array(vec![Value::object(vec![("ip", Value::Str(ip))])]),
            );
        }
    }
    default(status, "qosClass", str_value(qos));
    if let Some(Value::Array(containers)) = status.get("containerStatuses").cloned() {
        let containers = containers
            .into_iter()
            .map(|mut c| {
                default(&mut c, "lastState", Value::Object(Vec::new()));
                let name = match c.get("name") {
                    Some(Value::Str(n)) => n.clone(),
                    _ => String::new(),
                };
                let started = c
                    .get("state")
                    .is_some_and(|s| s.get("running").is_some() || s.get("terminated").is_some());
                match c.get("image") {
                    Some(Value::Str(image)) if started => {
                        let full = full_image(image);
                        let repo = full.rsplit_once(':').map_or(full.as_str(), |(r, _)| r);
                        c.set(
                            "imageID",
                            str_value(&format!("{repo}@sha256:{}", stable_hex(&full))),
                        );
                        c.set("image", str_value(&full));
                        c.set(
                            "containerID",
                            str_value(&format!(
                                "containerd://{}",
                                stable_hex(&format!("{uid}/{name}"))
                            )),
                        );
                        c.set(
                            "volumeMounts",
                            Value::Array(vec![Value::object(vec![
                                ("mountPath", str_value(TOKEN_MOUNT)),
                                ("name", str_value(volume)),
                                ("readOnly", Value::Bool(true)),
                                ("recursiveReadOnly", str_value("Disabled")),
                            ])]),
                        );
                    }
                    _ => default(&mut c, "imageID", str_value("")),
                }
                c
            })
            .collect();
        status.set("containerStatuses", Value::Array(containers));
    }
}

/// Everything above, on a pod's JSON tree.
pub fn add_pod_fields(pod: &mut Value, qos: &str) {
    let uid = match pod.get("metadata").and_then(|m| m.get("uid")) {
        Some(Value::Str(u)) => u.clone(),
        _ => String::new(),
    };
    let volume = token_volume_name(&uid);
    if let Some(mut spec) = pod.get("spec").cloned() {
        add_spec_defaults(&mut spec);
        add_admission(&mut spec, &volume);
        pod.set("spec", spec);
    }
    if let Some(mut status) = pod.get("status").cloned() {
        add_status(&mut status, &uid, &volume, qos);
        pod.set("status", status);
    }
}

/// The defaults in a workload's pod template (`spec.template.spec`).
pub fn add_template_defaults(workload: &mut Value) {
    let Some(mut spec) = workload.get("spec").cloned() else {
        return;
    };
    let Some(mut template) = spec.get("template").cloned() else {
        return;
    };
    if let Some(mut pod_spec) = template.get("spec").cloned() {
        add_spec_defaults(&mut pod_spec);
        template.set("spec", pod_spec);
    }
    spec.set("template", template);
    workload.set("spec", spec);
}

#[cfg(test)]
mod tests {
    use super::full_image;

    #[test]
    fn images_get_their_registry_and_tag_as_containerd_reports_them() {
        assert_eq!(full_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(full_image("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(
            full_image("curlimages/curl:latest"),
            "docker.io/curlimages/curl:latest"
        );
        assert_eq!(
            full_image("registry.k8s.io/pause:3.10"),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(
            full_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
    }
}
