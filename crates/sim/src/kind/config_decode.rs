//! The v1alpha4 schema as go-yaml sees it: yaml keys and Go type names per struct.
//!
//! Keys and types come from `pkg/apis/config/v1alpha4/types.go` (kind v0.29.0); the Go type names
//! (`v1alpha4.Node`, `[]v1alpha4.PortMapping`, `map[string]string`, …) are what go-yaml prints in
//! its errors (reflect's `Type.String()`).

use super::config::{Cluster, Mount, Networking, Node, PatchJson6902, PortMapping};
use super::yaml_decode::{DResult, Decoder};
use crate::yaml::resolve::NULL_TAG;

/// `kind` and `apiVersion`, read first without strictness (load.go `typeMeta`).
#[derive(Debug, Default)]
pub(crate) struct TypeMeta {
    pub kind: String,
    pub api_version: String,
}

/// load.go's first pass: `yaml.Unmarshal(raw, &typeMeta{})`.
pub(crate) fn decode_type_meta(d: &mut Decoder<'_>, id: usize, out: &mut TypeMeta) -> DResult<()> {
    d.structure(
        id,
        "encoding.typeMeta",
        "",
        &["kind", "apiVersion"],
        &mut |d, name, v, _| {
            match name {
                "kind" => d.string(v, &mut out.kind, "string")?,
                _ => d.string(v, &mut out.api_version, "string")?,
            };
            Ok(())
        },
    )?;
    Ok(())
}

const CLUSTER_FIELDS: &[&str] = &[
    "kind",
    "apiVersion",
    "name",
    "nodes",
    "networking",
    "featureGates",
    "runtimeConfig",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
    "containerdConfigPatches",
    "containerdConfigPatchesJSON6902",
];

/// Decodes a `v1alpha4.Cluster` (TypeMeta is inlined, so `kind`/`apiVersion` are known keys).
pub(crate) fn decode_cluster(d: &mut Decoder<'_>, id: usize, out: &mut Cluster) -> DResult<()> {
    let mut ignored = String::new();
    d.structure(
        id,
        "v1alpha4.Cluster",
        "",
        CLUSTER_FIELDS,
        &mut |d, name, v, path| {
            match name {
                "kind" | "apiVersion" => {
                    d.string(v, &mut ignored, "string")?;
                }
                "name" => {
                    d.string(v, &mut out.name, "string")?;
                }
                "nodes" => {
                    d.seq(
                        v,
                        &mut out.nodes,
                        "[]v1alpha4.Node",
                        path,
                        &mut |d, item, node, p| decode_node(d, item, node, p),
                    )?;
                }
                "networking" => {
                    decode_networking(d, v, &mut out.networking, path)?;
                }
                "featureGates" => {
                    d.map(v, &mut out.feature_gates, "map[string]bool", |d, v, b| {
                        d.boolean(v, b)
                    })?;
                }
                "runtimeConfig" => {
                    d.map(
                        v,
                        &mut out.runtime_config,
                        "map[string]string",
                        |d, v, s| d.string(v, s, "string"),
                    )?;
                }
                "kubeadmConfigPatches" => {
                    string_list(d, v, &mut out.kubeadm_config_patches, path)?;
                }
                "kubeadmConfigPatchesJSON6902" => {
                    patch_list(d, v, &mut out.kubeadm_config_patches_json6902, path)?;
                }
                "containerdConfigPatches" => {
                    string_list(d, v, &mut out.containerd_config_patches, path)?;
                }
                _ => {
                    string_list(d, v, &mut out.containerd_config_patches_json6902, path)?;
                }
            }
            Ok(())
        },
    )?;
    Ok(())
}

fn string_list(d: &mut Decoder<'_>, v: usize, out: &mut Vec<String>, path: &str) -> DResult<bool> {
    d.seq(v, out, "[]string", path, &mut |d, item, s, _| {
        d.string(item, s, "string")
    })
}

fn patch_list(
    d: &mut Decoder<'_>,
    v: usize,
    out: &mut Vec<PatchJson6902>,
    path: &str,
) -> DResult<bool> {
    d.seq(
        v,
        out,
        "[]v1alpha4.PatchJSON6902",
        path,
        &mut |d, item, p, path| {
            d.structure(
                item,
                "v1alpha4.PatchJSON6902",
                path,
                &["group", "version", "kind", "patch"],
                &mut |d, name, v, _| {
                    let target = match name {
                        "group" => &mut p.group,
                        "version" => &mut p.version,
                        "kind" => &mut p.kind,
                        _ => &mut p.patch,
                    };
                    d.string(v, target, "string")?;
                    Ok(())
                },
            )
        },
    )
}

const NODE_FIELDS: &[&str] = &[
    "role",
    "image",
    "labels",
    "extraMounts",
    "extraPortMappings",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
];

fn decode_node(d: &mut Decoder<'_>, id: usize, out: &mut Node, path: &str) -> DResult<bool> {
    d.structure(
        id,
        "v1alpha4.Node",
        path,
        NODE_FIELDS,
        &mut |d, name, v, path| {
            match name {
                "role" => {
                    d.string(v, &mut out.role, "v1alpha4.NodeRole")?;
                }
                "image" => {
                    d.string(v, &mut out.image, "string")?;
                }
                "labels" => {
                    d.map(v, &mut out.labels, "map[string]string", |d, v, s| {
                        d.string(v, s, "string")
                    })?;
                }
                "extraMounts" => {
                    d.seq(
                        v,
                        &mut out.extra_mounts,
                        "[]v1alpha4.Mount",
                        path,
                        &mut |d, item, m, p| decode_mount(d, item, m, p),
                    )?;
                }
                "extraPortMappings" => {
                    d.seq(
                        v,
                        &mut out.extra_port_mappings,
                        "[]v1alpha4.PortMapping",
                        path,
                        &mut |d, item, m, p| decode_port_mapping(d, item, m, p),
                    )?;
                }
                "kubeadmConfigPatches" => {
                    string_list(d, v, &mut out.kubeadm_config_patches, path)?;
                }
                _ => {
                    patch_list(d, v, &mut out.kubeadm_config_patches_json6902, path)?;
                }
            }
            Ok(())
        },
    )
}

fn decode_mount(d: &mut Decoder<'_>, id: usize, out: &mut Mount, path: &str) -> DResult<bool> {
    d.structure(
        id,
        "v1alpha4.Mount",
        path,
        &[
            "containerPath",
            "hostPath",
            "readOnly",
            "selinuxRelabel",
            "propagation",
        ],
        &mut |d, name, v, _| {
            match name {
                "containerPath" => d.string(v, &mut out.container_path, "string")?,
                "hostPath" => d.string(v, &mut out.host_path, "string")?,
                "readOnly" => d.boolean(v, &mut out.read_only)?,
                "selinuxRelabel" => d.boolean(v, &mut out.selinux_relabel)?,
                _ => d.string(v, &mut out.propagation, "v1alpha4.MountPropagation")?,
            };
            Ok(())
        },
    )
}

fn decode_port_mapping(
    d: &mut Decoder<'_>,
    id: usize,
    out: &mut PortMapping,
    path: &str,
) -> DResult<bool> {
    d.structure(
        id,
        "v1alpha4.PortMapping",
        path,
        &["containerPort", "hostPort", "listenAddress", "protocol"],
        &mut |d, name, v, _| {
            match name {
                "containerPort" => d.int32(v, &mut out.container_port)?,
                "hostPort" => d.int32(v, &mut out.host_port)?,
                "listenAddress" => d.string(v, &mut out.listen_address, "string")?,
                _ => d.string(v, &mut out.protocol, "v1alpha4.PortMappingProtocol")?,
            };
            Ok(())
        },
    )
}

const NETWORKING_FIELDS: &[&str] = &[
    "ipFamily",
    "apiServerPort",
    "apiServerAddress",
    "podSubnet",
    "serviceSubnet",
    "disableDefaultCNI",
    "kubeProxyMode",
    "dnsSearch",
];

fn decode_networking(
    d: &mut Decoder<'_>,
    id: usize,
    out: &mut Networking,
    path: &str,
) -> DResult<bool> {
    d.structure(
        id,
        "v1alpha4.Networking",
        path,
        NETWORKING_FIELDS,
        &mut |d, name, v, path| {
            match name {
                "ipFamily" => {
                    d.string(v, &mut out.ip_family, "v1alpha4.ClusterIPFamily")?;
                }
                "apiServerPort" => {
                    d.int32(v, &mut out.api_server_port)?;
                }
                "apiServerAddress" => {
                    d.string(v, &mut out.api_server_address, "string")?;
                }
                "podSubnet" => {
                    d.string(v, &mut out.pod_subnet, "string")?;
                }
                "serviceSubnet" => {
                    d.string(v, &mut out.service_subnet, "string")?;
                }
                "disableDefaultCNI" => {
                    d.boolean(v, &mut out.disable_default_cni)?;
                }
                "kubeProxyMode" => {
                    d.string(v, &mut out.kube_proxy_mode, "v1alpha4.ProxyMode")?;
                }
                _ => {
                    // *[]string: a null leaves the pointer nil; anything else allocates it first
                    // (goyaml.v3 `prepare`).
                    if d.short_tag_of(v) == NULL_TAG {
                        out.dns_search = None;
                    } else {
                        let mut list = Vec::new();
                        string_list(d, v, &mut list, path)?;
                        out.dns_search = Some(list);
                    }
                }
            }
            Ok(())
        },
    )
}
