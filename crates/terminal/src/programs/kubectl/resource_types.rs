//! What kubectl says to a resource type the lab does not serve. A name no Kubernetes v1.33
//! cluster knows gets the real "doesn't have a resource type" error; a built-in type of a real
//! cluster (`kubectl api-resources` on v1.33) that the lab does not simulate is said to be
//! that, in the words `kubectl apply` uses for such a manifest, so that a learner is not told
//! a real cluster lacks Secrets.

/// Built-in resource types the lab does not simulate: plural, short names, kind, group/version.
const UNSIMULATED: [(&str, &[&str], &str, &str); 39] = [
    ("bindings", &[], "Binding", "v1"),
    ("componentstatuses", &["cs"], "ComponentStatus", "v1"),
    ("limitranges", &["limits"], "LimitRange", "v1"),
    (
        "persistentvolumeclaims",
        &["pvc"],
        "PersistentVolumeClaim",
        "v1",
    ),
    ("persistentvolumes", &["pv"], "PersistentVolume", "v1"),
    ("podtemplates", &[], "PodTemplate", "v1"),
    (
        "replicationcontrollers",
        &["rc"],
        "ReplicationController",
        "v1",
    ),
    ("resourcequotas", &["quota"], "ResourceQuota", "v1"),
    ("serviceaccounts", &["sa"], "ServiceAccount", "v1"),
    (
        "mutatingwebhookconfigurations",
        &[],
        "MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1",
    ),
    (
        "validatingadmissionpolicies",
        &[],
        "ValidatingAdmissionPolicy",
        "admissionregistration.k8s.io/v1",
    ),
    (
        "validatingadmissionpolicybindings",
        &[],
        "ValidatingAdmissionPolicyBinding",
        "admissionregistration.k8s.io/v1",
    ),
    (
        "validatingwebhookconfigurations",
        &[],
        "ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1",
    ),
    (
        "customresourcedefinitions",
        &["crd", "crds"],
        "CustomResourceDefinition",
        "apiextensions.k8s.io/v1",
    ),
    (
        "apiservices",
        &[],
        "APIService",
        "apiregistration.k8s.io/v1",
    ),
    (
        "horizontalpodautoscalers",
        &["hpa"],
        "HorizontalPodAutoscaler",
        "autoscaling/v2",
    ),
    ("cronjobs", &["cj"], "CronJob", "batch/v1"),
    ("jobs", &[], "Job", "batch/v1"),
    (
        "certificatesigningrequests",
        &["csr"],
        "CertificateSigningRequest",
        "certificates.k8s.io/v1",
    ),
    ("leases", &[], "Lease", "coordination.k8s.io/v1"),
    (
        "flowschemas",
        &[],
        "FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "prioritylevelconfigurations",
        &[],
        "PriorityLevelConfiguration",
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "ingressclasses",
        &[],
        "IngressClass",
        "networking.k8s.io/v1",
    ),
    ("ingresses", &["ing"], "Ingress", "networking.k8s.io/v1"),
    ("ipaddresses", &["ip"], "IPAddress", "networking.k8s.io/v1"),
    (
        "networkpolicies",
        &["netpol"],
        "NetworkPolicy",
        "networking.k8s.io/v1",
    ),
    ("servicecidrs", &[], "ServiceCIDR", "networking.k8s.io/v1"),
    ("runtimeclasses", &[], "RuntimeClass", "node.k8s.io/v1"),
    (
        "poddisruptionbudgets",
        &["pdb"],
        "PodDisruptionBudget",
        "policy/v1",
    ),
    (
        "clusterrolebindings",
        &[],
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "clusterroles",
        &[],
        "ClusterRole",
        "rbac.authorization.k8s.io/v1",
    ),
    (
        "rolebindings",
        &[],
        "RoleBinding",
        "rbac.authorization.k8s.io/v1",
    ),
    ("roles", &[], "Role", "rbac.authorization.k8s.io/v1"),
    (
        "priorityclasses",
        &["pc"],
        "PriorityClass",
        "scheduling.k8s.io/v1",
    ),
    ("csidrivers", &[], "CSIDriver", "storage.k8s.io/v1"),
    ("csinodes", &[], "CSINode", "storage.k8s.io/v1"),
    (
        "csistoragecapacities",
        &[],
        "CSIStorageCapacity",
        "storage.k8s.io/v1",
    ),
    (
        "storageclasses",
        &["sc"],
        "StorageClass",
        "storage.k8s.io/v1",
    ),
    (
        "volumeattachments",
        &[],
        "VolumeAttachment",
        "storage.k8s.io/v1",
    ),
];

/// The message (without kubectl's `error: `) for a resource argument the lab does not serve.
/// The argument is matched as kubectl's RESTMapper matches it: plural, singular, short name or
/// kind, case-insensitively, optionally followed by its group (`daemonsets.apps`).
pub fn unknown_type(arg: &str) -> String {
    let lower = arg.to_ascii_lowercase();
    let found = UNSIMULATED.iter().find(|(plural, shorts, kind, gv)| {
        let kind = kind.to_ascii_lowercase();
        let singular = kind.as_str();
        let group = gv.rsplit_once('/').map_or("", |(g, _)| g);
        let bare =
            [*plural, singular].contains(&lower.as_str()) || shorts.contains(&lower.as_str());
        let grouped = !group.is_empty()
            && lower
                .strip_suffix(group)
                .and_then(|n| n.strip_suffix('.'))
                .is_some_and(|n| n == *plural || n == singular);
        bare || grouped
    });
    match found {
        Some((_, _, kind, gv)) => svclab_sim::manifest::not_simulated(kind, gv),
        None => format!("the server doesn't have a resource type \"{arg}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_types_are_named_and_unknown_ones_are_not_served() {
        for arg in ["pvc", "persistentvolumeclaims", "PersistentVolumeClaim"] {
            assert!(
                unknown_type(arg)
                    .starts_with("the lab does not simulate PersistentVolumeClaim objects (v1)"),
                "{arg}"
            );
        }
        assert!(unknown_type("cronjobs.batch").contains("CronJob objects (batch/v1)"));
        assert!(unknown_type("ing").contains("Ingress objects (networking.k8s.io/v1)"));
        assert_eq!(
            unknown_type("widgets"),
            "the server doesn't have a resource type \"widgets\""
        );
        // A group that is not the type's own is not that type.
        assert!(unknown_type("cronjobs.apps").starts_with("the server doesn't"));
    }
}
