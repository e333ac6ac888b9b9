//! `kubectl logs POD`: what the container wrote — for nginx, the image's entrypoint lines,
//! nginx's start-up notices, then one access-log line per request it served.

use svclab_sim::api::Pod;
use svclab_sim::cluster::Civil;

use crate::io::Output;
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

/// The nginx:1.27 image's entrypoint and start-up output (docker-entrypoint.sh and
/// nginx's notices), as `kubectl logs` shows it for a fresh pod.
fn nginx_startup(started_ms: u64) -> String {
    let c = Civil::from_unix_ms(started_ms);
    let stamp = format!(
        "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
    let mut out = String::from(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
/docker-entrypoint.sh: Configuration complete; ready for start up\n",
    );
    for line in [
        "[notice] 1#1: using the \"epoll\" event method",
        "[notice] 1#1: nginx/1.27.0",
        "[notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        "[notice] 1#1: OS: Linux 6.10.14-linuxkit",
        "[notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "[notice] 1#1: start worker processes",
        "[notice] 1#1: start worker process 29",
    ] {
        out.push_str(&format!("{stamp} {line}\n"));
    }
    out
}

/// Runs `kubectl logs POD [-n NS] [--tail N]`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let mut out = Output::status(0);
    let Some(name) = operands.first().map(|n| n.trim_start_matches("pod/")) else {
        out.status = 1;
        out.err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n");
        return out;
    };
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    let Some(pod) = cluster.store.get::<Pod>(&target.namespace, name) else {
        out.status = 1;
        out.err(format!(
            "error: error from server (NotFound): pods \"{name}\" not found in namespace \"{}\"\n",
            target.namespace
        ));
        return out;
    };
    if pod.status.phase != "Running" {
        out.status = 1;
        out.err(format!(
            "Error from server (BadRequest): container \"{}\" in pod \"{name}\" is waiting to start: ContainerCreating\n",
            pod.spec.containers.first().map(|c| c.name.as_str()).unwrap_or("")
        ));
        return out;
    }
    let nginx = pod
        .spec
        .containers
        .iter()
        .any(|c| svclab_sim::network::send::is_nginx_image(&c.image));
    let mut text = String::new();
    if nginx {
        let started = pod
            .status
            .container_statuses
            .first()
            .and_then(|s| s.state.running.as_ref())
            .map(|r| r.started_at.clone())
            .unwrap_or_default();
        let started_ms = crate::kubectl::duration::parse_rfc3339_ms(&started)
            .and_then(|ms| u64::try_from(ms).ok())
            .unwrap_or_else(|| cluster.now_ms());
        text.push_str(&nginx_startup(started_ms));
        if let Some(log) = cluster.access_logs.get(&pod.metadata.uid) {
            for line in log.lines() {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    if let Some(n) = args.value("tail").and_then(|t| t.parse::<usize>().ok()) {
        let lines: Vec<&str> = text.lines().collect();
        let keep = lines.len().saturating_sub(n);
        text = lines[keep..].iter().map(|l| format!("{l}\n")).collect();
    }
    out.out(text);
    out
}
