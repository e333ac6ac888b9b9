//! `kubectl logs POD`: what the container wrote — for nginx, the image's entrypoint lines,
//! nginx's start-up notices, then one access-log line per request it served.

use svclab_sim::api::Pod;
use svclab_sim::cluster::Civil;

use svclab_sim::cluster::Cluster;

use crate::io::Output;
use crate::kubectl::parse_selector;
use crate::programs::args::Args;
use crate::programs::Context;

use super::fail;
use super::pods_for_object::{first_pod, pods_for_operand, Preference};
use super::target::Target;

/// kubectl's usage line for `logs`, as its errors quote it.
const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/// `--tail` when a selector is given and `--tail` is not (`selectorTail` in logs.go).
const SELECTOR_TAIL: usize = 10;

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

/// What the pod's container wrote, or kubectl's error when it has not started.
fn container_log(cluster: &Cluster, pod: &Pod, container: &str) -> Result<String, String> {
    if pod.status.phase != "Running" {
        return Err(format!(
            "Error from server (BadRequest): container \"{container}\" in pod \"{}\" is waiting to start: ContainerCreating\n",
            pod.metadata.name
        ));
    }
    let image = pod
        .spec
        .containers
        .iter()
        .find(|c| c.name == container)
        .map(|c| c.image.as_str())
        .unwrap_or("");
    let mut text = String::new();
    if svclab_sim::network::send::is_nginx_image(image) {
        let started = pod
            .status
            .container_statuses
            .iter()
            .find(|s| s.name == container)
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
    Ok(text)
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let keep = lines.len().saturating_sub(n);
    lines[keep..].iter().map(|l| format!("{l}\n")).collect()
}

fn usage_error(message: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!(
        "error: {message}\nSee 'kubectl logs -h' for help and examples\n"
    ));
    out
}

/// Runs `kubectl logs (POD | TYPE/NAME | -l SELECTOR) [-c C] [--tail N] [--prefix]
/// [--all-pods]`, as `k8s.io/kubectl/pkg/cmd/logs/logs.go` does: a selector shows every
/// matching pod (10 lines each unless `--tail` says otherwise), a workload shows its first
/// pod by `ByLogging` and says which on stderr when it has several.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let selector = args.value("selector");
    let operand = match (operands, selector) {
        ([], None) | ([_, _, _, ..], _) => return usage_error(USAGE),
        ([], Some(_)) => None,
        ([_, ..], Some(_)) => return usage_error("only a selector (-l) or a POD name is allowed"),
        ([one, ..], None) => Some(*one),
    };
    let container_arg = operands.get(1).copied().or(args.value("container"));
    if operands.len() == 2 && args.value("container").is_some() {
        return fail("error: only one of -c or an inline [CONTAINER] arg is allowed");
    }
    let tail_lines = match args.value("tail").map(str::parse::<i64>) {
        Some(Ok(n)) if n < -1 => return fail("error: --tail must be greater than or equal to -1"),
        Some(Ok(n)) => usize::try_from(n).ok(),
        Some(Err(_)) => {
            let raw = args.value("tail").unwrap_or_default();
            return fail(&format!(
                "error: invalid argument \"{raw}\" for \"--tail\" flag: strconv.ParseInt: parsing \"{raw}\": invalid syntax\nSee 'kubectl logs --help' for usage."
            ));
        }
        None if selector.is_some() => Some(SELECTOR_TAIL),
        None => None,
    };
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    let namespace = target.namespace.as_str();
    let mut out = Output::status(0);
    let prefix = args.has("prefix") || args.has("all-pods");
    let pods: Vec<Pod> = match (operand, selector) {
        (_, Some(raw)) => {
            let selector = match parse_selector(raw) {
                Ok(s) => s,
                Err(e) => return fail(&format!("error: {e}")),
            };
            let pods: Vec<Pod> = cluster
                .store
                .list::<Pod>(Some(namespace))
                .filter(|p| selector.matches(&p.metadata.labels))
                .cloned()
                .collect();
            if pods.is_empty() {
                out.err(format!("No resources found in {namespace} namespace.\n"));
            }
            pods
        }
        (Some(operand), None) => {
            let pods = match pods_for_operand(cluster, namespace, operand) {
                Ok(p) => p,
                Err(e) => {
                    return fail(&format!(
                        "error: {}",
                        e.message(namespace, "get the logs from")
                    ))
                }
            };
            if args.has("all-pods") {
                pods
            } else {
                match first_pod(pods, Preference::Logging) {
                    Some((pod, count)) => {
                        if count > 1 {
                            out.err(format!(
                                "Found {count} pods, using pod/{}\n",
                                pod.metadata.name
                            ));
                        }
                        vec![pod]
                    }
                    None => return fail("error: timed out waiting for the condition"),
                }
            }
        }
        (None, None) => return usage_error(USAGE),
    };
    // Following several streams at once is capped (logs.go `RunLogs`, MaxFollowConcurrency).
    let max_follow = args
        .value("max-log-requests")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(5);
    if args.has("follow") && pods.len() > 1 && pods.len() > max_follow {
        return fail(&format!(
            "error: you are attempting to follow {} log streams, but maximum allowed concurrency is {max_follow}, use --max-log-requests to increase the limit",
            pods.len()
        ));
    }
    for pod in &pods {
        let container = match container_arg {
            Some(c) => {
                if !pod.spec.containers.iter().any(|k| k.name == c) {
                    out.status = 1;
                    out.err(format!(
                        "error: container {c} is not valid for pod {}\n",
                        pod.metadata.name
                    ));
                    return out;
                }
                c.to_string()
            }
            None => pod
                .spec
                .containers
                .first()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
        };
        let text = match container_log(cluster, pod, &container) {
            Ok(t) => t,
            Err(e) => {
                out.status = 1;
                out.err(e);
                return out;
            }
        };
        let text = match tail_lines {
            Some(n) => tail(&text, n),
            None => text,
        };
        if prefix {
            let label = format!("[pod/{}/{container}] ", pod.metadata.name);
            out.out(
                text.lines()
                    .map(|l| format!("{label}{l}\n"))
                    .collect::<String>(),
            );
        } else {
            out.out(text);
        }
    }
    out
}
