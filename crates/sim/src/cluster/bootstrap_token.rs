//! The one Secret a fresh kind cluster has: kubeadm's bootstrap token for kind's well-known
//! token `abcdef.0123456789abcdef` (kind v0.29.0 pkg/cluster/internal/kubeadm/const.go `Token`),
//! written by the bootstrap-token phase (cmd/kubeadm/app/apis/bootstraptoken/v1/utils.go
//! `BootstrapTokenToSecret`, `encodeTokenSecretData`) with kubeadm's defaults: a 24 h TTL, both
//! usages, the default node-token group, no description.

use crate::api::Secret;

use super::Cluster;

/// `bootstrapapi.SecretTypeBootstrapToken`.
const SECRET_TYPE: &str = "bootstrap.kubernetes.io/token";

/// kubeadm's `DefaultTokenDuration`.
const TOKEN_TTL_MS: u64 = 24 * 60 * 60 * 1000;

/// Stores `kube-system/bootstrap-token-abcdef`.
pub(super) fn store(cluster: &mut Cluster) {
    let expiration = super::rfc3339(cluster.now_ms().saturating_add(TOKEN_TTL_MS));
    let data = [
        (
            "auth-extra-groups",
            "system:bootstrappers:kubeadm:default-node-token",
        ),
        ("expiration", expiration.as_str()),
        ("token-id", "abcdef"),
        ("token-secret", "0123456789abcdef"),
        ("usage-bootstrap-authentication", "true"),
        ("usage-bootstrap-signing", "true"),
    ];
    let mut secret = Secret {
        data: data
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect(),
        type_: SECRET_TYPE.to_string(),
        ..Secret::default()
    };
    secret.metadata.namespace = "kube-system".into();
    secret.metadata.name = "bootstrap-token-abcdef".into();
    cluster.stamp_new_keyed("Secret", &mut secret.metadata);
    cluster.store.put(secret);
}
