//! What the lab accepts in a kind config but does not (fully) simulate, told to the user.
//!
//! kind accepts these fields and acts on them; the lab reads and validates them like kind, keeps
//! them in the model, and reports here instead of dropping them silently. Decisions:
//! - node `labels` are simulated (they land on the Node), so they get no note;
//! - `extraPortMappings` are kept on [`super::NodeLayout::port_mappings`]: the host publishes
//!   them (`docker ps`, `curl localhost:PORT` on TCP), but UDP and SCTP mappings carry no
//!   traffic in the lab, so they get a `Partial` note;
//! - `apiServerAddress`/`apiServerPort` only shape the kubeconfig server URL (`Partial`).

use super::config::{Cluster, SourceMap};
use super::defaults::{DEFAULT_KUBE_PROXY_MODE, DEFAULT_NODE_IMAGE};
use super::error::Location;
use super::layout::kubernetes_version_from_image;

/// How much of a field the lab simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Accepted and validated, but it changes nothing in the lab.
    Ignored,
    /// Kept in the model and partly simulated.
    Partial,
}

/// One note about a config field the lab does not fully simulate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigNote {
    /// The field's YAML path (`nodes[1].extraMounts`).
    pub path: String,
    /// How much is simulated.
    pub support: Support,
    /// A short English reason.
    pub reason: String,
    /// Where the field's key is in the YAML, when it came from the YAML.
    pub location: Option<Location>,
}

/// The notes for a defaulted config; `source_map` supplies positions.
pub fn unsupported_notes(c: &Cluster, source_map: &SourceMap) -> Vec<ConfigNote> {
    let mut notes = Vec::new();
    let mut add = |path: String, support: Support, reason: &str| {
        let location = source_map.key(&path);
        notes.push(ConfigNote {
            path,
            support,
            reason: reason.to_owned(),
            location,
        });
    };
    use Support::{Ignored, Partial};

    for (i, n) in c.nodes.iter().enumerate() {
        let p = |f: &str| format!("nodes[{i}].{f}");
        if n.image != DEFAULT_NODE_IMAGE {
            let reason = match kubernetes_version_from_image(&n.image) {
                Some(_) => "no image is pulled; the node reports the version in the image tag",
                None => "no image is pulled; the node reports the default Kubernetes version",
            };
            add(p("image"), Partial, reason);
        }
        if !n.extra_mounts.is_empty() {
            add(
                p("extraMounts"),
                Ignored,
                "the lab has no host filesystem to mount",
            );
        }
        if !n.extra_port_mappings.is_empty() {
            add(
                p("extraPortMappings"),
                Partial,
                "published on the host: curl localhost:hostPort reaches the node's containerPort over TCP (UDP and SCTP are not simulated)",
            );
        }
        if !n.kubeadm_config_patches.is_empty() {
            add(
                p("kubeadmConfigPatches"),
                Ignored,
                "kubeadm is not run; patches are not applied",
            );
        }
        if !n.kubeadm_config_patches_json6902.is_empty() {
            add(
                p("kubeadmConfigPatchesJSON6902"),
                Ignored,
                "kubeadm is not run; patches are not applied",
            );
        }
    }

    let net = &c.networking;
    if net.ip_family != "ipv4" {
        add(
            "networking.ipFamily".to_owned(),
            Partial,
            "node addresses and kube-proxy rules are simulated for IPv4 only",
        );
    }
    if source_map.get("networking.apiServerAddress").is_some() {
        add(
            "networking.apiServerAddress".to_owned(),
            Partial,
            "shown in the kubeconfig server address; nothing listens on the host",
        );
    }
    if net.api_server_port != 0 {
        add(
            "networking.apiServerPort".to_owned(),
            Partial,
            "shown in the kubeconfig server address; nothing listens on the host",
        );
    }
    if net.disable_default_cni {
        add(
            "networking.disableDefaultCNI".to_owned(),
            Ignored,
            "the lab always wires pod networking as kindnetd does; nodes do not stay NotReady",
        );
    }
    if net.kube_proxy_mode != DEFAULT_KUBE_PROXY_MODE {
        add(
            "networking.kubeProxyMode".to_owned(),
            Ignored,
            "the lab simulates kube-proxy in iptables mode only",
        );
    }
    if net.dns_search.is_some() {
        add(
            "networking.dnsSearch".to_owned(),
            Ignored,
            "node DNS settings are not simulated",
        );
    }
    if !c.feature_gates.is_empty() {
        add(
            "featureGates".to_owned(),
            Ignored,
            "components run with their default feature gates",
        );
    }
    if !c.runtime_config.is_empty() {
        add(
            "runtimeConfig".to_owned(),
            Ignored,
            "the API server's --runtime-config is not simulated",
        );
    }
    if !c.kubeadm_config_patches.is_empty() {
        add(
            "kubeadmConfigPatches".to_owned(),
            Ignored,
            "kubeadm is not run; patches are not applied",
        );
    }
    if !c.kubeadm_config_patches_json6902.is_empty() {
        add(
            "kubeadmConfigPatchesJSON6902".to_owned(),
            Ignored,
            "kubeadm is not run; patches are not applied",
        );
    }
    if !c.containerd_config_patches.is_empty() {
        add(
            "containerdConfigPatches".to_owned(),
            Ignored,
            "containerd is not simulated",
        );
    }
    if !c.containerd_config_patches_json6902.is_empty() {
        add(
            "containerdConfigPatchesJSON6902".to_owned(),
            Ignored,
            "containerd is not simulated",
        );
    }
    notes
}
