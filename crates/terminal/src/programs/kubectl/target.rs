//! Which cluster and namespace a kubectl command talks to: `--context`, the current context,
//! `-n`/`--namespace`, the context's namespace, then `default`.

use svclab_sim::lab::Lab;

use crate::io::Output;

/// The cluster and namespace of one kubectl invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The kind cluster's name.
    pub cluster: String,
    /// The namespace for namespaced objects.
    pub namespace: String,
    /// The API server address kubectl connects to (for its error messages).
    pub server: String,
}

/// Resolves the target, or kubectl's connection error when there is nothing to talk to.
pub fn resolve(
    lab: &Lab,
    context: Option<&str>,
    namespace: Option<&str>,
) -> Result<Target, Output> {
    let refused = |server: &str| {
        let mut out = Output::status(1);
        out.err(format!(
            "The connection to the server {server} was refused - did you specify the right host or port?\n"
        ));
        out
    };
    let ctx_name = match context {
        Some(c) => Some(c.to_string()),
        None => lab.kubeconfig.current.clone(),
    };
    let Some(ctx_name) = ctx_name else {
        // No kubeconfig context: kubectl falls back to localhost:8080.
        return Err(refused("localhost:8080"));
    };
    let Some(ctx) = lab.kubeconfig.contexts.get(&ctx_name) else {
        let mut out = Output::status(1);
        out.err(format!("error: context \"{ctx_name}\" does not exist\n"));
        return Err(out);
    };
    let cluster_name = ctx
        .cluster
        .strip_prefix("kind-")
        .unwrap_or(&ctx.cluster)
        .to_string();
    let Some(cluster) = lab.cluster(&cluster_name) else {
        return Err(refused("localhost:8080"));
    };
    let port = crate::programs::kind::api_server_port(cluster);
    let server = format!("127.0.0.1:{port}");
    // A stopped control plane takes the API server (and its published port) with it.
    let api_up = cluster
        .layout
        .nodes
        .iter()
        .filter(|n| n.role == svclab_sim::kind::NodeRole::ControlPlane)
        .any(|n| cluster.nodes.get(&n.name).is_some_and(|r| r.running));
    if !api_up {
        return Err(refused(&server));
    }
    let namespace = namespace
        .map(str::to_string)
        .or_else(|| (!ctx.namespace.is_empty()).then(|| ctx.namespace.clone()))
        .unwrap_or_else(|| "default".to_string());
    Ok(Target {
        cluster: cluster_name,
        namespace,
        server,
    })
}
