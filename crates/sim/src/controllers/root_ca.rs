//! The root CA publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go): every
//! namespace has a `kube-root-ca.crt` ConfigMap holding the cluster's CA certificate, so pods
//! can verify the API server; a deleted or changed one is put back.

use std::collections::BTreeMap;

use crate::api::{ConfigMap, Namespace};
use crate::cluster::Cluster;

/// The ConfigMap's name (`RootCACertConfigMapName`).
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";

/// The annotation the publisher sets (`DescriptionAnnotation`, `Description`).
const DESCRIPTION: (&str, &str) = (
    "kubernetes.io/description",
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
);

pub(super) fn reconcile(cluster: &mut Cluster) {
    let dirty = std::mem::take(&mut cluster.store.tracker_mut().dirty_root_ca);
    for ns in dirty {
        let active = cluster
            .store
            .get::<Namespace>("", &ns)
            .is_some_and(|n| n.status.phase != "Terminating");
        if active {
            publish(cluster, &ns);
        }
    }
}

fn publish(cluster: &mut Cluster, ns: &str) {
    let data: BTreeMap<String, String> = [("ca.crt".to_string(), cluster.ca_certificate())].into();
    let annotations = [(DESCRIPTION.0.to_string(), DESCRIPTION.1.to_string())];
    match cluster.store.get::<ConfigMap>(ns, ROOT_CA_CONFIGMAP) {
        Some(cm) if cm.data == data => {}
        Some(_) => {
            cluster.modify::<ConfigMap>(ns, ROOT_CA_CONFIGMAP, |cm| {
                cm.data = data;
                cm.metadata.annotations = annotations.into();
            });
        }
        None => cluster.create_system_config_map(
            (ns, ROOT_CA_CONFIGMAP),
            Default::default(),
            annotations.into(),
            data,
        ),
    }
}
