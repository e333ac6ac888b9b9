//! The resource kinds the lab serves, with the names kubectl and the API server use for them.

/// A kind of object the lab's API server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    /// core/v1 Namespace.
    Namespace,
    /// core/v1 Node.
    Node,
    /// core/v1 Pod.
    Pod,
    /// apps/v1 ReplicaSet.
    ReplicaSet,
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 DaemonSet.
    DaemonSet,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 ControllerRevision.
    ControllerRevision,
    /// core/v1 ConfigMap.
    ConfigMap,
    /// core/v1 Secret.
    Secret,
    /// core/v1 PersistentVolumeClaim.
    PersistentVolumeClaim,
    /// core/v1 PersistentVolume.
    PersistentVolume,
    /// storage.k8s.io/v1 StorageClass.
    StorageClass,
    /// core/v1 Service.
    Service,
    /// core/v1 Endpoints.
    Endpoints,
    /// discovery.k8s.io/v1 EndpointSlice.
    EndpointSlice,
}

/// How a kind is named: the facts `kubectl api-resources` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    /// The kind, e.g. `ReplicaSet`.
    pub kind: &'static str,
    /// The group and version, e.g. `apps/v1`.
    pub api_version: &'static str,
    /// The resource (lower-case plural), e.g. `replicasets`.
    pub plural: &'static str,
    /// The singular, e.g. `replicaset`.
    pub singular: &'static str,
    /// Short names, e.g. `rs`.
    pub short_names: &'static [&'static str],
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The group, for `kind.group` names (`replicaset.apps`); empty for core.
    pub group: &'static str,
}

impl ResourceKind {
    /// Every kind, in the order `kubectl get all` style listings use.
    pub const ALL: [ResourceKind; 16] = [
        ResourceKind::Namespace,
        ResourceKind::Node,
        ResourceKind::Pod,
        ResourceKind::ReplicaSet,
        ResourceKind::Deployment,
        ResourceKind::DaemonSet,
        ResourceKind::StatefulSet,
        ResourceKind::ControllerRevision,
        ResourceKind::ConfigMap,
        ResourceKind::Secret,
        ResourceKind::PersistentVolumeClaim,
        ResourceKind::PersistentVolume,
        ResourceKind::StorageClass,
        ResourceKind::Service,
        ResourceKind::Endpoints,
        ResourceKind::EndpointSlice,
    ];

    /// Naming facts for this kind (from `kubectl api-resources` on Kubernetes v1.33).
    pub const fn info(self) -> ResourceInfo {
        const fn info(
            kind: &'static str,
            api_version: &'static str,
            plural: &'static str,
            singular: &'static str,
            short_names: &'static [&'static str],
            namespaced: bool,
            group: &'static str,
        ) -> ResourceInfo {
            ResourceInfo {
                kind,
                api_version,
                plural,
                singular,
                short_names,
                namespaced,
                group,
            }
        }
        match self {
            ResourceKind::Namespace => info(
                "Namespace",
                "v1",
                "namespaces",
                "namespace",
                &["ns"],
                false,
                "",
            ),
            ResourceKind::Node => info("Node", "v1", "nodes", "node", &["no"], false, ""),
            ResourceKind::Pod => info("Pod", "v1", "pods", "pod", &["po"], true, ""),
            ResourceKind::ReplicaSet => info(
                "ReplicaSet",
                "apps/v1",
                "replicasets",
                "replicaset",
                &["rs"],
                true,
                "apps",
            ),
            ResourceKind::Deployment => info(
                "Deployment",
                "apps/v1",
                "deployments",
                "deployment",
                &["deploy"],
                true,
                "apps",
            ),
            ResourceKind::DaemonSet => info(
                "DaemonSet",
                "apps/v1",
                "daemonsets",
                "daemonset",
                &["ds"],
                true,
                "apps",
            ),
            ResourceKind::StatefulSet => info(
                "StatefulSet",
                "apps/v1",
                "statefulsets",
                "statefulset",
                &["sts"],
                true,
                "apps",
            ),
            ResourceKind::ControllerRevision => info(
                "ControllerRevision",
                "apps/v1",
                "controllerrevisions",
                "controllerrevision",
                &[],
                true,
                "apps",
            ),
            ResourceKind::ConfigMap => info(
                "ConfigMap",
                "v1",
                "configmaps",
                "configmap",
                &["cm"],
                true,
                "",
            ),
            ResourceKind::Secret => info("Secret", "v1", "secrets", "secret", &[], true, ""),
            ResourceKind::PersistentVolumeClaim => info(
                "PersistentVolumeClaim",
                "v1",
                "persistentvolumeclaims",
                "persistentvolumeclaim",
                &["pvc"],
                true,
                "",
            ),
            ResourceKind::PersistentVolume => info(
                "PersistentVolume",
                "v1",
                "persistentvolumes",
                "persistentvolume",
                &["pv"],
                false,
                "",
            ),
            ResourceKind::StorageClass => info(
                "StorageClass",
                "storage.k8s.io/v1",
                "storageclasses",
                "storageclass",
                &["sc"],
                false,
                "storage.k8s.io",
            ),
            ResourceKind::Service => {
                info("Service", "v1", "services", "service", &["svc"], true, "")
            }
            ResourceKind::Endpoints => info(
                "Endpoints",
                "v1",
                "endpoints",
                "endpoints",
                &["ep"],
                true,
                "",
            ),
            ResourceKind::EndpointSlice => info(
                "EndpointSlice",
                "discovery.k8s.io/v1",
                "endpointslices",
                "endpointslice",
                &[],
                true,
                "discovery.k8s.io",
            ),
        }
    }

    /// The kind for an `apiVersion` and `kind` pair of a manifest, if the lab serves it.
    pub fn from_type_meta(api_version: &str, kind: &str) -> Option<ResourceKind> {
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.info().kind == kind && k.info().api_version == api_version)
    }

    /// The kind a kubectl resource argument names: plural, singular, short name or kind,
    /// optionally with its group (`replicasets.apps`), case-insensitively as kubectl's RESTMapper.
    pub fn from_resource_arg(arg: &str) -> Option<ResourceKind> {
        let arg = arg.to_ascii_lowercase();
        ResourceKind::ALL.into_iter().find(|k| {
            let i = k.info();
            let names = [i.plural, i.singular];
            let bare = names.contains(&arg.as_str())
                || i.short_names.contains(&arg.as_str())
                || i.kind.eq_ignore_ascii_case(&arg);
            let grouped =
                !i.group.is_empty() && names.iter().any(|n| arg == format!("{n}.{}", i.group));
            bare || grouped
        })
    }

    /// `plural.group` (`replicasets.apps`, or `pods` for the core group), as the API server
    /// and kubectl name a resource in their messages.
    pub fn qualified_plural(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.plural.to_string()
        } else {
            format!("{}.{}", i.plural, i.group)
        }
    }

    /// `kind.group` in lower case, as kubectl prints object references (`replicaset.apps/web`).
    pub fn qualified_lower(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.singular.to_string()
        } else {
            format!("{}.{}", i.kind.to_ascii_lowercase(), i.group)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_arguments_resolve_like_kubectl() {
        for (arg, kind) in [
            ("po", ResourceKind::Pod),
            ("pods", ResourceKind::Pod),
            ("Pod", ResourceKind::Pod),
            ("svc", ResourceKind::Service),
            ("ep", ResourceKind::Endpoints),
            ("endpoints", ResourceKind::Endpoints),
            ("rs", ResourceKind::ReplicaSet),
            ("replicasets.apps", ResourceKind::ReplicaSet),
            ("deploy", ResourceKind::Deployment),
            ("ns", ResourceKind::Namespace),
            ("ds", ResourceKind::DaemonSet),
            ("daemonsets.apps", ResourceKind::DaemonSet),
            ("cm", ResourceKind::ConfigMap),
            ("configmaps", ResourceKind::ConfigMap),
            ("secret", ResourceKind::Secret),
            ("secrets", ResourceKind::Secret),
            ("no", ResourceKind::Node),
            ("endpointslices", ResourceKind::EndpointSlice),
            (
                "endpointslices.discovery.k8s.io",
                ResourceKind::EndpointSlice,
            ),
        ] {
            assert_eq!(ResourceKind::from_resource_arg(arg), Some(kind), "{arg}");
        }
        assert_eq!(ResourceKind::from_resource_arg("ingress"), None);
    }

    #[test]
    fn manifests_name_kinds_by_api_version() {
        assert_eq!(
            ResourceKind::from_type_meta("apps/v1", "ReplicaSet"),
            Some(ResourceKind::ReplicaSet)
        );
        assert_eq!(
            ResourceKind::from_type_meta("apps/v1beta2", "Deployment"),
            None
        );
        assert_eq!(
            ResourceKind::from_type_meta("v1", "Service"),
            Some(ResourceKind::Service)
        );
    }

    #[test]
    fn qualified_names_carry_the_group() {
        assert_eq!(
            ResourceKind::ReplicaSet.qualified_lower(),
            "replicaset.apps"
        );
        assert_eq!(ResourceKind::Service.qualified_lower(), "service");
    }
}
