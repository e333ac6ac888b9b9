//! `kind create cluster` up to the point where containers would start: read the config, apply
//! the flags and defaults, check, and lay the cluster out.
//!
//! The order is kind's (`pkg/cmd/kind/create/cluster/createcluster.go`,
//! `pkg/cluster/internal/create/create.go`): the config is loaded first; then `fixupOptions`
//! lets `--name` (or `KIND_CLUSTER_NAME` when `--name` is absent, `pkg/internal/cli/override.go`)
//! replace the config's name and `--image` every node's image, and defaults the name to `kind`;
//! then an existing cluster of that name is refused; then a name over 50 characters is warned
//! about; then the config is validated.

use super::config::{Cluster, SourceMap};
use super::defaults::{set_defaults, DEFAULT_CLUSTER_NAME};
use super::error::{go_quote, CreateError, CreateErrorKind, Problem};
use super::layout::{layout, ClusterLayout};
use super::load::parse_config;
use super::notes::{unsupported_notes, ConfigNote};
use super::status::{create_status_lines, StatusOptions};
use super::validate::validate;

/// create.go `clusterNameMax`: longer names get a warning (hostnames are limited to 64 and
/// `-control-plane` adds 14).
pub const CLUSTER_NAME_MAX: usize = 50;

/// The inputs of one `kind create cluster`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CreateRequest<'a> {
    /// The `--config` file's text; `None` without `--config`.
    pub config_yaml: Option<&'a str>,
    /// `--name`, when given.
    pub name_flag: Option<&'a str>,
    /// `KIND_CLUSTER_NAME`, used when `--name` is not given.
    pub env_cluster_name: Option<&'a str>,
    /// `--image`, when given: replaces every node's image.
    pub image_flag: Option<&'a str>,
    /// Names of clusters that already exist in the lab.
    pub existing_clusters: &'a [String],
}

/// A cluster ready to be built: the final config and its layout.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatePlan {
    /// The config after flags and defaults.
    pub config: Cluster,
    /// Field positions in the config YAML (empty without `--config`).
    pub source_map: SourceMap,
    /// Containers, addresses, CIDRs and taints.
    pub layout: ClusterLayout,
    /// Fields the lab does not fully simulate.
    pub notes: Vec<ConfigNote>,
    /// Warnings kind logs before it starts (`cluster name "…" is probably too long, …`).
    pub warnings: Vec<String>,
}

impl CreatePlan {
    /// The lines kind prints while creating this cluster (see [`super::create_status_lines`]).
    pub fn status_lines(&self, opts: &StatusOptions) -> Vec<String> {
        create_status_lines(&self.config, opts)
    }
}

/// Plans `kind create cluster` for `req`, or fails with kind's message.
pub fn plan_create(req: &CreateRequest<'_>) -> Result<CreatePlan, CreateError> {
    let (mut config, source_map) = match req.config_yaml {
        Some(text) => match parse_config(text) {
            Ok(loaded) => (loaded.cluster, loaded.source_map),
            Err(e) => {
                return Err(CreateError {
                    kind: CreateErrorKind::Parse,
                    message: e.message,
                    problems: e.problems,
                    warnings: Vec::new(),
                })
            }
        },
        None => (Cluster::default(), SourceMap::default()),
    };
    // encoding.V1Alpha4ToInternal defaults everything but the name.
    set_defaults(&mut config);

    let name_override = match req.name_flag {
        Some(n) => n,
        None => req.env_cluster_name.unwrap_or(""),
    };
    let mut name_path = source_map.get("name").map(|_| "name");
    if !name_override.is_empty() {
        config.name = name_override.to_owned();
        name_path = None;
    }
    if let Some(image) = req.image_flag.filter(|i| !i.is_empty()) {
        for n in &mut config.nodes {
            n.image = image.to_owned();
        }
    }
    if config.name.is_empty() {
        config.name = DEFAULT_CLUSTER_NAME.to_owned();
    }

    if req.existing_clusters.contains(&config.name) {
        let message = format!(
            "node(s) already exist for a cluster with the name {}",
            go_quote(&config.name)
        );
        return Err(CreateError {
            kind: CreateErrorKind::AlreadyExists,
            problems: vec![Problem {
                message: message.clone(),
                path: name_path.unwrap_or("").to_owned(),
                location: name_path.and_then(|p| source_map.value(p)),
            }],
            message,
            warnings: Vec::new(),
        });
    }

    let mut warnings = Vec::new();
    if config.name.len() > CLUSTER_NAME_MAX {
        warnings.push(format!(
            "cluster name {} is probably too long, this might not work properly on some systems",
            go_quote(&config.name)
        ));
    }

    if let Err(e) = validate(&config, &source_map, name_path) {
        return Err(CreateError {
            kind: CreateErrorKind::Validation,
            message: e.message,
            problems: e.problems,
            warnings,
        });
    }

    Ok(CreatePlan {
        layout: layout(&config),
        notes: unsupported_notes(&config, &source_map),
        config,
        source_map,
        warnings,
    })
}
