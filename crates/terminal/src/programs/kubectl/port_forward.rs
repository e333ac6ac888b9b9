//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…` (kubectl/pkg/cmd/portforward/
//! portforward.go, v1.33): the object stands for its first pod (`AttachablePodForObject`), a
//! Service's port is translated to the pod's container port (`translateServicePortToTargetPort`),
//! the pod must be Running, and each port listens on 127.0.0.1 and [::1]. The connection goes
//! to that one pod through the API server and the kubelet, never through the Service's rules.

use svclab_sim::api::{Pod, ResourceKind, Service};

use crate::io::Output;
use crate::jobs::Forward;
use crate::programs::args::parse;
use crate::programs::Context;

use super::pods_for_object::{first_pod, pods_for_operand, NoPod, Preference};
use super::{target, FLAGS};

fn fail(message: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!("{message}\n"));
    out
}

/// Resolves `kubectl port-forward …` (`argv` from `kubectl`): what it forwards, and the
/// `Forwarding from …` lines it prints; or kubectl's error. `taken` says whether a local port
/// is already listened on.
pub fn prepare(
    argv: &[String],
    ctx: &mut Context<'_>,
    taken: impl Fn(u16) -> bool,
) -> Result<(Forward, String), Output> {
    let args = parse(argv.get(2..).unwrap_or_default(), &FLAGS).map_err(|e| {
        fail(&format!(
            "error: {e}\nSee 'kubectl port-forward --help' for usage."
        ))
    })?;
    let target = target::resolve(ctx.lab, args.value("context"), args.value("namespace"))?;
    let [operand, port_specs @ ..] = args.positionals.as_slice() else {
        return Err(usage());
    };
    if port_specs.is_empty() {
        return Err(usage());
    }
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Err(Output::status(1));
    };
    let ns = target.namespace.as_str();
    let pod = match pods_for_operand(cluster, ns, operand) {
        Ok(pods) => first_pod(pods, Preference::Attaching).map(|(pod, _)| pod),
        Err(NoPod::NotFound(what)) => {
            return Err(fail(&format!(
                "Error from server (NotFound): {what} not found"
            )))
        }
        Err(e) => return Err(fail(&format!("error: {}", e.message(ns, "forward to")))),
    };
    let Some(pod) = pod else {
        return Err(fail("error: timed out waiting for the condition"));
    };
    let service = operand
        .split_once('/')
        .filter(|(kind, _)| ResourceKind::from_resource_arg(kind) == Some(ResourceKind::Service))
        .and_then(|(_, name)| cluster.store.get::<Service>(ns, name));
    let mut ports = Vec::new();
    for spec in port_specs {
        let (local, remote) = spec.split_once(':').unwrap_or((spec, spec));
        let remote = match service {
            Some(svc) => service_target_port(svc, &pod, remote)?,
            None => pod_port(&pod, remote)?,
        };
        let local = if local.is_empty() {
            // `:80`: a free port the kernel picks.
            let key = format!("{}/{remote}", pod.metadata.name);
            32768 + (svclab_sim::names::fnv32a(key.as_bytes()) % 28000) as u16
        } else {
            local
                .parse::<u16>()
                .map_err(|_| fail(&format!("error: Error parsing local port '{local}': strconv.ParseUint: parsing {local:?}: invalid syntax")))?
        };
        ports.push((local, remote));
    }
    if pod.status.phase != "Running" {
        return Err(fail(&format!(
            "error: unable to forward port because pod is not running. Current status={}",
            pod.status.phase
        )));
    }
    if let Some((local, remote)) = ports.iter().find(|(local, _)| taken(*local)) {
        return Err(fail(&format!(
            "Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{{{local} {remote}}}]"
        )));
    }
    // `--address` (default `localhost`: both loopbacks); each address listens on each port.
    let addresses: Vec<&str> = args
        .value("address")
        .unwrap_or("localhost")
        .split(',')
        .flat_map(|a| match a {
            "localhost" => vec!["127.0.0.1", "[::1]"],
            other => vec![other],
        })
        .collect();
    let lines = ports
        .iter()
        .flat_map(|(local, remote)| {
            addresses
                .iter()
                .map(move |a| format!("Forwarding from {a}:{local} -> {remote}\n"))
        })
        .collect();
    let forward = Forward {
        cluster: target.cluster.clone(),
        namespace: target.namespace.clone(),
        pod: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        ports,
    };
    Ok((forward, lines))
}

fn usage() -> Output {
    fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples")
}

/// `translateServicePortToTargetPort`: the Service port (by number or name) to the pod's
/// container port its `targetPort` names (as the EndpointSlice controller resolves it).
fn service_target_port(svc: &Service, pod: &Pod, remote: &str) -> Result<u16, Output> {
    let port = match remote.parse::<i32>() {
        Ok(n) => n,
        Err(_) => svc
            .spec
            .ports
            .iter()
            .find(|p| p.name == remote)
            .map(|p| p.port)
            .ok_or_else(|| {
                fail(&format!(
                    "error: Service '{}' does not have a named port '{remote}'",
                    svc.metadata.name
                ))
            })?,
    };
    let missing = || {
        fail(&format!(
            "error: Service {} does not have a service port {port}",
            svc.metadata.name
        ))
    };
    let service_port = svc
        .spec
        .ports
        .iter()
        .find(|p| p.port == port)
        .ok_or_else(missing)?;
    let container_port =
        svclab_sim::controllers::target_port(pod, service_port).ok_or_else(missing)?;
    u16::try_from(container_port).map_err(|_| missing())
}

/// A pod's port: a number, or the name of one of its container ports.
fn pod_port(pod: &Pod, remote: &str) -> Result<u16, Output> {
    if let Ok(n) = remote.parse::<u16>() {
        return Ok(n);
    }
    named_container_port(pod, remote)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| {
            fail(&format!(
                "error: Pod '{}' does not have a named port '{remote}'",
                pod.metadata.name
            ))
        })
}

fn named_container_port(pod: &Pod, name: &str) -> Option<i32> {
    pod.spec
        .containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .find(|p| p.name == name)
        .map(|p| p.container_port)
}
