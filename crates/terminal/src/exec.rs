//! Running commands somewhere else: `docker exec NODE …`, `kubectl exec POD -- …`,
//! `kubectl run … -- CMD`, and `sh -c '…'` — each a shell in that place, or a request to
//! open an interactive one (`-it … bash`).

use svclab_sim::api::{Container, Object, Pod};
use svclab_sim::apiserver::errors::kubectl_error_output;
use svclab_sim::apiserver::rest;

use crate::io::Output;
use crate::programs::args::parse;
use crate::programs::kubectl::dry_run::{self, Built, DryRun};
use crate::programs::kubectl::pods_for_object::{first_pod, pods_for_operand, NoPod, Preference};
use crate::programs::kubectl::{target, FLAGS};
use crate::programs::place::Place;
use crate::programs::{docker, Context};
use crate::shell::{PromptKind, Shell};
use crate::world::{Enter, World};

/// Quotes a word for a shell command line (single quotes unless it is plain).
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The environment a process starts with in `place`: a node's root shell, or a container's
/// own environment (image variables, Service variables, its `env` with the downward API).
pub fn environment(
    lab: &svclab_sim::lab::Lab,
    place: &Place,
    hostname: &str,
) -> Vec<(String, String)> {
    let node_env = || {
        vec![
            ("HOME".to_string(), "/root".to_string()),
            ("HOSTNAME".to_string(), hostname.to_string()),
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
        ]
    };
    let Place::Pod {
        cluster,
        namespace,
        pod,
        container,
    } = place
    else {
        return node_env();
    };
    let Some(c) = lab.cluster(cluster) else {
        return node_env();
    };
    let Some(p) = c.store.get::<Pod>(namespace, pod) else {
        return node_env();
    };
    let Some(container) = p.spec.containers.iter().find(|c| c.name == *container) else {
        return node_env();
    };
    // The kubelet adds variables for the Services of the pod's namespace, and for
    // default/kubernetes, that exist when the container starts (pkg/kubelet/kubelet_pods.go
    // getServiceEnvVarMap): a Service created later is not in an old pod's environment.
    let started = p.status.start_time.as_str();
    let existed =
        |svc: &&svclab_sim::api::Service| svc.metadata.creation_timestamp.as_str() <= started;
    let mut services: Vec<&svclab_sim::api::Service> = c
        .store
        .list::<svclab_sim::api::Service>(Some(namespace))
        .filter(existed)
        .collect();
    if namespace != "default" {
        services.extend(
            c.store
                .get::<svclab_sim::api::Service>("default", "kubernetes")
                .filter(existed),
        );
    }
    // The order a container's environ has: the image's PATH, HOSTNAME, the image's other
    // variables, the container's env, the Service variables, then HOME from the runtime.
    let image = image_env(&container.image);
    let pick = |name: &str| -> Vec<(String, String)> {
        image.iter().filter(|(k, _)| k == name).cloned().collect()
    };
    let mut env: Vec<(String, String)> = pick("PATH");
    env.push(("HOSTNAME".to_string(), hostname.to_string()));
    env.extend(
        image
            .iter()
            .filter(|(k, _)| k != "PATH" && k != "HOME")
            .cloned(),
    );
    let config = c
        .container_env
        .get(&p.metadata.uid)
        .and_then(|by_container| by_container.get(&container.name));
    let resolved = svclab_sim::api::container_env(p, &container.name, &services, config);
    for (k, v) in resolved.own.into_iter().chain(resolved.services) {
        env.retain(|(name, _)| *name != k);
        env.push((k, v));
    }
    env.extend(pick("HOME"));
    env
}

/// The variables an image's Dockerfile sets (nginx:1.27 and curlimages/curl as of the article).
fn image_env(image: &str) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = if svclab_sim::network::send::is_nginx_image(image) {
        &[
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("NGINX_VERSION", "1.27.0"),
            ("NJS_VERSION", "0.8.4"),
            ("NJS_RELEASE", "2~bookworm"),
            ("PKG_RELEASE", "2~bookworm"),
            ("HOME", "/root"),
        ]
    } else if image.contains("curl") {
        &[
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("CURL_CA_BUNDLE", "/cacert.pem"),
            ("CURL_VERSION", "8_9_1"),
            ("CURL_RELEASE_TAG", "curl-8_9_1"),
            ("CURL_GIT_REPO", "https://github.com/curl/curl.git"),
            ("HOME", "/home/curl_user"),
        ]
    } else {
        &[
            (
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("HOME", "/root"),
        ]
    };
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs `argv` (a program and its arguments, already split) in `place`.
fn run_in(world: &mut World<'_>, place: Place, hostname: &str, argv: &[String]) -> Output {
    let env = environment(world.lab, &place, hostname);
    let mut inner = World {
        lab: &mut *world.lab,
        workspace: &mut *world.workspace,
        place,
        enter: None,
        edit: None,
        jobs: world.jobs.as_deref_mut(),
    };
    let mut shell = Shell::new(env, "/".into(), PromptKind::Root);
    let line: Vec<String> = argv.iter().map(|w| shell_quote(w)).collect();
    shell.run_line(&line.join(" "), &mut inner)
}

/// `sh -c SCRIPT [NAME ARGS…]` or `bash -c …` in the current place; without `-c`, a shell
/// reading its standard input.
pub fn nested_shell(
    world: &mut World<'_>,
    argv: &[String],
    stdin: &str,
    env: &[(String, String)],
) -> Output {
    let mut inner = World {
        lab: &mut *world.lab,
        workspace: &mut *world.workspace,
        place: world.place.clone(),
        enter: None,
        edit: None,
        jobs: world.jobs.as_deref_mut(),
    };
    let mut shell = Shell::new(env.to_vec(), "/".into(), PromptKind::Root);
    let name = argv.first().cloned().unwrap_or_else(|| "sh".into());
    shell.set_name(&name);
    let out = match argv.get(1).map(String::as_str) {
        Some("-c") => {
            let Some(script) = argv.get(2) else {
                let mut out = Output::status(2);
                out.err(format!("{name}: -c: option requires an argument\n"));
                return out;
            };
            let arg0 = argv.get(3).cloned().unwrap_or_else(|| name.clone());
            let args: Vec<String> = argv.iter().skip(4).cloned().collect();
            shell.run_command_string(script, &arg0, &args, &mut inner)
        }
        _ => shell.run_script(stdin, &mut inner),
    };
    // `bash -c 'kubectl edit …'` opens the editor on the same terminal.
    let edit = inner.edit.take();
    world.edit = world.edit.take().or(edit);
    out
}

/// `docker exec [-it] NODE CMD…`.
pub fn docker_exec(world: &mut World<'_>, argv: &[String], _stdin: &str) -> Output {
    let mut interactive = false;
    let mut rest = argv.iter().skip(2).peekable();
    while let Some(flag) = rest.peek() {
        match flag.as_str() {
            "-i" | "-t" | "-it" | "-ti" | "--interactive" | "--tty" => {
                interactive |= flag.contains('t') || flag.contains('i');
                rest.next();
            }
            _ => break,
        }
    }
    let words: Vec<String> = rest.cloned().collect();
    let Some((name, command)) = words.split_first() else {
        let mut out = Output::status(1);
        out.err("docker: 'docker exec' requires at least 2 arguments.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help'.\n");
        return out;
    };
    let ctx = Context {
        lab: &mut *world.lab,
        workspace: &mut *world.workspace,
    };
    let Some((cluster, node, running)) = docker::find(&ctx, name) else {
        let mut out = Output::status(1);
        out.err(format!(
            "Error response from daemon: No such container: {name}\n"
        ));
        return out;
    };
    if !running {
        let mut out = Output::status(1);
        out.err(format!(
            "Error response from daemon: container {} is not running\n",
            name
        ));
        return out;
    }
    let place = Place::Node {
        cluster,
        node: node.clone(),
    };
    let opens_shell = matches!(command, [sh] if sh == "bash" || sh == "sh");
    if opens_shell && interactive {
        world.enter = Some(Enter {
            place,
            hostname: node,
        });
        return Output::status(0);
    }
    if command.is_empty() {
        let mut out = Output::status(1);
        out.err("docker: 'docker exec' requires at least 2 arguments.\n");
        return out;
    }
    run_in(world, place, &node, command)
}

/// `kubectl exec [-it] POD [-n NS] [-c C] -- CMD…`.
pub fn kubectl_exec(world: &mut World<'_>, argv: &[String], _stdin: &str) -> Output {
    let mut args = match parse(argv.get(1..).unwrap_or_default(), &FLAGS) {
        Ok(a) => a,
        Err(e) => {
            let mut out = Output::status(1);
            out.err(format!(
                "error: {e}\nSee 'kubectl exec --help' for usage.\n"
            ));
            return out;
        }
    };
    // The first positional is the verb itself.
    args.positionals.remove(0);
    let target = match target::resolve(world.lab, args.value("context"), args.value("namespace")) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let Some(operand) = args.positionals.first().cloned() else {
        let mut out = Output::status(1);
        out.err("error: pod, type/name or --filename must be specified\n");
        return out;
    };
    if args.rest.is_empty() {
        let mut out = Output::status(1);
        out.err("error: you must specify at least one command for the container\n");
        return out;
    }
    let Some(cluster) = world.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    // A workload or Service stands for its first pod, as `AttachablePodForObject` picks it.
    let pod = match pods_for_operand(cluster, &target.namespace, &operand) {
        Ok(pods) => first_pod(pods, Preference::Attaching).map(|(pod, _)| pod),
        Err(NoPod::NotFound(what)) => {
            let mut out = Output::status(1);
            out.err(format!("Error from server (NotFound): {what} not found\n"));
            return out;
        }
        Err(e) => {
            let mut out = Output::status(1);
            out.err(format!(
                "error: {}\n",
                e.message(&target.namespace, "attach to")
            ));
            return out;
        }
    };
    let Some(pod) = pod else {
        let mut out = Output::status(1);
        out.err("error: timed out waiting for the condition\n");
        return out;
    };
    let pod_name = pod.metadata.name.clone();
    // `-c`, or the default container: the annotated one, else the first, said on stderr when
    // the pod has several (kubectl's `podcmd.FindOrDefaultContainerByName`).
    let mut defaulted = String::new();
    let container = match args.value("container") {
        Some(name) if !pod.spec.containers.iter().any(|c| c.name == name) => {
            let mut out = Output::status(1);
            out.err(format!("error: container {name} not found\n"));
            return out;
        }
        Some(name) => name.to_string(),
        None => {
            let annotated = pod
                .metadata
                .annotations
                .get("kubectl.kubernetes.io/default-container")
                .filter(|n| pod.spec.containers.iter().any(|c| c.name == **n));
            let chosen = annotated
                .cloned()
                .or_else(|| pod.spec.containers.first().map(|c| c.name.clone()))
                .unwrap_or_default();
            if annotated.is_none() && pod.spec.containers.len() > 1 {
                let all: Vec<&str> = pod
                    .spec
                    .containers
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                defaulted = format!(
                    "Defaulted container \"{chosen}\" out of: {}\n",
                    all.join(", ")
                );
            }
            chosen
        }
    };
    // The kubelet execs only into a running container.
    let running = pod
        .status
        .container_statuses
        .iter()
        .any(|cs| cs.name == container && cs.state.running.is_some());
    if !running {
        let mut out = Output::status(1);
        out.err(defaulted);
        out.err(format!(
            "error: unable to upgrade connection: container not found (\"{container}\")\n"
        ));
        return out;
    }
    // The container's HOSTNAME and prompt: the kubelet's hostname for the pod.
    let hostname = svclab_sim::controllers::pod_hosts::hostname(&pod);
    let place = Place::Pod {
        cluster: target.cluster,
        namespace: target.namespace,
        pod: pod_name,
        container,
    };
    let interactive = args.has("stdin") && args.has("tty");
    let opens_shell = matches!(args.rest.as_slice(), [sh] if sh == "bash" || sh == "sh");
    let mut out = Output::status(0);
    out.err(defaulted);
    if opens_shell && interactive {
        world.enter = Some(Enter { place, hostname });
        return out;
    }
    let ran = run_in(world, place, &hostname, &args.rest);
    out.chunks.extend(ran.chunks);
    out.status = ran.status;
    out
}

/// `kubectl run NAME --image=I [--restart=Never] [-it] [--rm] [-- CMD…]`: create the pod,
/// wait for it to run, run the command in it, and with `--rm` delete it again.
pub fn kubectl_run(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut args = match parse(argv.get(1..).unwrap_or_default(), &FLAGS) {
        Ok(a) => a,
        Err(e) => {
            let mut out = Output::status(1);
            out.err(format!("error: {e}\nSee 'kubectl run --help' for usage.\n"));
            return out;
        }
    };
    args.positionals.remove(0);
    let target = match target::resolve(world.lab, args.value("context"), args.value("namespace")) {
        Ok(t) => t,
        Err(out) => return out,
    };
    let Some(name) = args.positionals.first().cloned() else {
        let mut out = Output::status(1);
        out.err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n");
        return out;
    };
    let Some(image) = args.value("image") else {
        let mut out = Output::status(1);
        out.err("error: required flag(s) \"image\" not set\n");
        return out;
    };
    let mut pod = Pod::default();
    pod.metadata.name = name.clone();
    pod.metadata.labels.insert("run".into(), name.clone());
    pod.spec.restart_policy = match args.value("restart") {
        Some("Never") => "Never".into(),
        Some("OnFailure") => "OnFailure".into(),
        _ => "Always".into(),
    };
    pod.spec.containers = svclab_sim::api::Shared::from(vec![Container {
        name: name.clone(),
        image: image.to_string(),
        args: args.rest.clone(),
        ..Default::default()
    }]);
    let attach = args.has("stdin") || args.has("tty");
    let dry_run = match DryRun::from_args(&args) {
        Ok(d) => d,
        Err(out) => return out,
    };
    let Some(cluster) = world.lab.cluster_mut(&target.cluster) else {
        return Output::status(1);
    };
    if dry_run != DryRun::None {
        let mut out = Output::status(1);
        if attach {
            out.err("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n");
            return out;
        }
        if let Some(ns) = args.value("namespace") {
            pod.metadata.namespace = ns.to_string();
        }
        match dry_run.write(cluster, Object::Pod(pod), |c, o| {
            rest::create(c, o, &target.namespace)
        }) {
            Ok(built) => {
                out.status = 0;
                out.out(dry_run::report(
                    dry_run,
                    (&built, Built::ByKubectl),
                    "created",
                    args.value("output"),
                ));
            }
            Err(e) => out.err(kubectl_error_output(&e, None)),
        }
        return out;
    }
    if let Err(e) = rest::create(cluster, Object::Pod(pod), &target.namespace) {
        let mut out = Output::status(1);
        out.err(kubectl_error_output(&e, None));
        return out;
    }
    if !attach {
        let mut out = Output::status(0);
        out.out(format!("pod/{name} created\n"));
        return out;
    }
    // Attaching waits for the container to start.
    for _ in 0..30 {
        let running = world
            .lab
            .cluster(&target.cluster)
            .and_then(|c| c.store.get::<Pod>(&target.namespace, &name))
            .is_some_and(|p| p.status.phase == "Running");
        if running {
            break;
        }
        world.lab.advance_ms(500);
    }
    let place = Place::Pod {
        cluster: target.cluster.clone(),
        namespace: target.namespace.clone(),
        pod: name.clone(),
        container: name.clone(),
    };
    let mut out = if args.rest.is_empty() {
        Output::status(0)
    } else {
        run_in(world, place, &name, &args.rest)
    };
    if args.has("rm") {
        if let Some(cluster) = world.lab.cluster_mut(&target.cluster) {
            let _ = rest::delete(
                cluster,
                svclab_sim::api::ResourceKind::Pod,
                &target.namespace,
                &name,
            );
        }
        let mut ctx = Context {
            lab: &mut *world.lab,
            workspace: &mut *world.workspace,
        };
        crate::programs::kubectl::wait_for_pods_gone(&mut ctx, &target.cluster);
        out.out(format!("pod \"{name}\" deleted\n"));
    }
    out
}
