//! `docker`: the kind node containers — `ps`, `exec`, `stop`, `start` (Docker 28 CLI wording).

use svclab_sim::cluster::{Cluster, LAB_EPOCH_MS};
use svclab_sim::kind::NodeLayout;

use crate::io::Output;

use super::host_ports::{self, Published};
use super::Context;

/// A node container of some cluster.
struct Container {
    cluster: String,
    node: String,
    running: bool,
    created_ms: u64,
}

/// A node container as kind made it: its cluster's name, the cluster, the node's layout, and
/// whether it runs.
pub(super) type NodeContainer<'c> = (String, &'c Cluster, &'c NodeLayout, bool);

/// Every node container of every cluster, cluster by cluster, node by node.
pub(super) fn node_containers<'c>(ctx: &'c Context<'_>) -> Vec<NodeContainer<'c>> {
    let mut out = Vec::new();
    for name in ctx.lab.cluster_names() {
        let Some(cluster) = ctx.lab.cluster(&name) else {
            continue;
        };
        for node in &cluster.layout.nodes {
            let running = cluster.nodes.get(&node.name).is_some_and(|n| n.running);
            out.push((name.clone(), cluster, node, running));
        }
    }
    out
}

fn containers(ctx: &Context<'_>) -> Vec<Container> {
    node_containers(ctx)
        .into_iter()
        .map(|(cluster, _, node, running)| Container {
            cluster,
            node: node.name.clone(),
            running,
            created_ms: LAB_EPOCH_MS,
        })
        .collect()
}

/// The container a name refers to (`docker exec service-demo-worker …`), as (cluster, node).
pub fn find(ctx: &Context<'_>, name: &str) -> Option<(String, String, bool)> {
    containers(ctx)
        .into_iter()
        .find(|c| c.node == name)
        .map(|c| (c.cluster, c.node, c.running))
}

/// Docker's `PORTS` cell (docker/cli `DisplayablePorts`): ports sorted by container port, host
/// port, protocol and address; those published on the same port number first, then the
/// mappings to another port.
fn ports_cell(published: &[Published], node: &str) -> String {
    let mut ports: Vec<&Published> = published.iter().filter(|p| p.node == node).collect();
    ports.sort_by(|a, b| {
        (a.container_port, a.host_port, &a.protocol, &a.listen).cmp(&(
            b.container_port,
            b.host_port,
            &b.protocol,
            &b.listen,
        ))
    });
    let (same, mapped): (Vec<&Published>, Vec<&Published>) = ports
        .into_iter()
        .partition(|p| p.host_port == p.container_port);
    same.iter()
        .chain(&mapped)
        .map(|p| p.cell())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stable 12-hex-digit container ID for a node name.
fn container_id(node: &str) -> String {
    let a = svclab_sim::names::fnv32a(node.as_bytes());
    let b = svclab_sim::names::fnv32a(format!("{node}/id").as_bytes());
    format!("{a:08x}{:04x}", b & 0xffff)
}

/// Docker's `units.HumanDuration` for CREATED / STATUS ("2 minutes", "About a minute").
pub fn human_duration(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0 => "Less than a second".into(),
        1 => "1 second".into(),
        2..=59 => format!("{s} seconds"),
        60..=119 => "About a minute".into(),
        _ if s < 3600 => format!("{} minutes", s / 60),
        _ if s < 2 * 3600 => "About an hour".into(),
        _ if s < 48 * 3600 => format!("{} hours", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}

/// Runs `docker ps|stop|start …` (`exec` is the session's: it runs commands in a node).
pub fn run(argv: &[String], ctx: &mut Context<'_>) -> Output {
    let words: Vec<&str> = argv.iter().skip(1).map(String::as_str).collect();
    match words.as_slice() {
        ["ps", rest @ ..] => ps(rest.contains(&"-a") || rest.contains(&"--all"), ctx),
        ["stop", names @ ..] | ["start", names @ ..] if !names.is_empty() => {
            let stop = words.first() == Some(&"stop");
            let mut out = Output::status(0);
            for name in names {
                match find(ctx, name) {
                    Some((cluster, node, _)) => {
                        if let Some(c) = ctx.lab.cluster_mut(&cluster) {
                            if stop {
                                svclab_sim::controllers::stop_node(c, &node);
                            } else {
                                svclab_sim::controllers::start_node(c, &node);
                                c.settle();
                            }
                        }
                        out.out(format!("{name}\n"));
                    }
                    None => {
                        out.status = 1;
                        out.err(format!(
                            "Error response from daemon: No such container: {name}\n"
                        ));
                    }
                }
            }
            out
        }
        [] | ["--help"] => {
            let mut out = Output::status(0);
            out.out("Usage:  docker [OPTIONS] COMMAND\n\nThe lab's docker knows: ps, exec, stop, start\n");
            out
        }
        [cmd, ..] => {
            let mut out = Output::status(1);
            out.err(format!("docker: unknown command: docker {cmd}\n\nRun 'docker --help' for more information\n"));
            out
        }
    }
}

fn ps(all: bool, ctx: &Context<'_>) -> Output {
    let now = ctx.lab.now_ms();
    let mut rows = vec![[
        "CONTAINER ID".to_string(),
        "IMAGE".into(),
        "COMMAND".into(),
        "CREATED".into(),
        "STATUS".into(),
        "PORTS".into(),
        "NAMES".into(),
    ]];
    let published = host_ports::published(ctx);
    for c in containers(ctx).into_iter().rev() {
        if !c.running && !all {
            continue;
        }
        let age = human_duration(now.saturating_sub(c.created_ms));
        let image = ctx
            .lab
            .cluster(&c.cluster)
            .and_then(|cl| {
                cl.layout
                    .node(&c.node)
                    .map(|n| n.image.split('@').next().unwrap_or("").to_string())
            })
            .unwrap_or_default();
        rows.push([
            container_id(&c.node),
            image,
            "\"/usr/local/bin/entr…\"".into(),
            format!("{age} ago"),
            if c.running {
                format!("Up {age}")
            } else {
                "Exited (130) Less than a second ago".into()
            },
            ports_cell(&published, &c.node),
            c.node,
        ]);
    }
    // Docker's table: columns padded to their widest cell plus three spaces.
    let widths: Vec<usize> = (0..7)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = Output::status(0);
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        out.out(format!("{line}\n"));
    }
    out
}
