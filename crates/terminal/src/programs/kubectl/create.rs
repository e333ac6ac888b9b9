//! `kubectl create namespace|deployment|service|configmap|secret generic …`, `create -f`, and `expose`.

use svclab_sim::api::{
    ConfigMap, Container, ContainerPort, Deployment, IntOrString, Namespace, Object, ReplicaSet,
    Secret, Service, ServicePort,
};
use svclab_sim::apiserver::errors::kubectl_error_output;
use svclab_sim::apiserver::rest;
use svclab_sim::manifest::{decode_manifests, kubectl_view};

use crate::io::Output;
use crate::programs::args::Args;
use crate::programs::Context;

use super::dry_run::{self, Built, DryRun};
use super::files::read_all;
use super::target::Target;

/// Creates `object` (or, with `--dry-run`, tries to) and prints what kubectl prints: its line,
/// or the object for `-o`. kubectl sets the namespace of an object it builds only when `-n`
/// names one. `failed` is the create command's own wrapping of a server error (`failed to
/// create secret …`), if it has one.
fn submit(
    mut object: Object,
    word: &str,
    args: &Args,
    target: &Target,
    ctx: &mut Context<'_>,
    failed: Option<&str>,
) -> Output {
    let dry_run = DryRun::from_args(args).unwrap_or(DryRun::None);
    if let Some(ns) = args.value("namespace") {
        object.meta_mut().namespace = ns.to_string();
    }
    let mut out = Output::status(0);
    let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
        return Output::status(1);
    };
    match dry_run.write(cluster, object, |c, o| {
        rest::create(c, o, &target.namespace)
    }) {
        Ok(stored) => out.out(dry_run::report(
            dry_run,
            (&stored, Built::ByKubectl),
            word,
            args.value("output"),
        )),
        Err(e) => {
            out.status = 1;
            match failed {
                Some(what) => out.err(format!("error: failed to create {what} {}\n", e.message)),
                None => out.err(kubectl_error_output(&e, None)),
            }
        }
    }
    out
}

/// `kubectl create -f …`.
pub fn from_files(
    paths: &[&str],
    (dry_run, output): (DryRun, Option<&str>),
    target: &Target,
    stdin: &str,
    ctx: &mut Context<'_>,
) -> Output {
    let sources = match read_all(paths, ctx.workspace, stdin) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let mut out = Output::status(0);
    let mut errors = String::new();
    for source in sources {
        for result in kubectl_view(&decode_manifests(&source.name, &source.text)) {
            match result {
                Ok(doc) => {
                    let Some(cluster) = ctx.lab.cluster_mut(&target.cluster) else {
                        continue;
                    };
                    let created = dry_run.write(cluster, doc.object.clone(), |c, o| {
                        rest::create(c, o, &target.namespace)
                    });
                    match created {
                        Ok(stored) => out.out(dry_run::report(
                            dry_run,
                            (&stored, Built::FromFile),
                            "created",
                            output,
                        )),
                        Err(e) => {
                            out.status = 1;
                            errors.push_str(&kubectl_error_output(
                                &e,
                                Some(("creating", &source.name)),
                            ));
                        }
                    }
                }
                Err(e) => {
                    out.status = 1;
                    errors.push_str(&format!("{}\n", e.printed()));
                }
            }
        }
    }
    out.err(errors);
    out
}

fn usage(text: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!("{text}\n"));
    out
}

/// `kubectl create KIND …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    match operands {
        ["namespace" | "ns", name] => {
            let mut ns = Namespace::default();
            ns.metadata.name = name.to_string();
            submit(Object::Namespace(ns), "created", args, target, ctx, None)
        }
        ["deployment" | "deploy", name] => {
            let Some(image) = args.value("image") else {
                return usage("error: required flag(s) \"image\" not set");
            };
            submit(
                Object::Deployment(deployment(name, image, args)),
                "created",
                args,
                target,
                ctx,
                None,
            )
        }
        ["service" | "svc", kind, name] => {
            let type_ = match *kind {
                "clusterip" => "ClusterIP",
                "nodeport" => "NodePort",
                "loadbalancer" => "LoadBalancer",
                "externalname" => "ExternalName",
                other => {
                    return usage(&format!(
                        "error: unknown command \"{other}\" for \"kubectl create service\""
                    ))
                }
            };
            match service(name, type_, args) {
                Ok(svc) => submit(Object::Service(svc), "created", args, target, ctx, None),
                Err(out) => out,
            }
        }
        ["configmap" | "cm", name] => match config_map(name, args, ctx) {
            Ok(cm) => submit(Object::ConfigMap(cm), "created", args, target, ctx, None),
            Err(out) => out,
        },
        ["secret", "generic", name] => match secret(name, args, ctx) {
            Ok(secret) => submit(
                Object::Secret(secret),
                "created",
                args,
                target,
                ctx,
                Some("secret"),
            ),
            Err(out) => out,
        },
        ["secret", "generic"] => usage("error: exactly one NAME is required, got 0\nSee 'kubectl create secret generic -h' for help and examples"),
        ["secret", "tls" | "docker-registry", ..] => usage(
            "error: the lab's kubectl create secret makes generic Secrets only (it does not read certificates or registry logins)",
        ),
        ["secret", ..] => usage("error: unknown command \"secret\" for \"kubectl create\"\nDid you mean this?\n\tsecret generic\nRun 'kubectl create secret --help' for usage."),
        [] => usage("error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl create -h' for help and examples"),
        other => usage(&format!(
            "error: the lab's kubectl create knows namespace, deployment, service, configmap and secret generic (got {})",
            other.join(" ")
        )),
    }
}

/// The keys and values of `--from-literal=K=V…` then `--from-file=[K=]PATH…`, as
/// create_configmap.go and create_secret.go read them (`util.ParseLiteralSource`,
/// `ParseFileSource`): a file's key is its base name unless given, and `--from-file` is a
/// string slice, so commas separate sources.
fn literal_and_file_sources(
    args: &Args,
    ctx: &Context<'_>,
) -> Result<Vec<(String, String)>, Output> {
    let mut sources = Vec::new();
    for literal in args.all("from-literal") {
        let Some((key, value)) = literal.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(usage(&format!(
                "error: invalid literal source {literal}, expected key=value"
            )));
        };
        sources.push((key.to_string(), value.to_string()));
    }
    for source in args.all("from-file").iter().flat_map(|s| s.split(',')) {
        let (key, path) = match source.split_once('=') {
            Some((k, p)) => (k.to_string(), p),
            None => (
                source.rsplit('/').next().unwrap_or(source).to_string(),
                source,
            ),
        };
        let Ok(text) = ctx.workspace.read(path) else {
            return Err(usage(&format!(
                "error: error reading {path}: no such file or directory"
            )));
        };
        sources.push((key, text));
    }
    Ok(sources)
}

/// The ConfigMap `kubectl create configmap NAME --from-literal=K=V… --from-file=[K=]PATH…`
/// makes.
fn config_map(name: &str, args: &Args, ctx: &Context<'_>) -> Result<ConfigMap, Output> {
    let mut cm = ConfigMap::default();
    cm.metadata.name = name.to_string();
    for (key, value) in literal_and_file_sources(args, ctx)? {
        add_key(&mut cm, &key, &value)?;
    }
    Ok(cm)
}

/// `addKeyFromLiteralToConfigMap`: a valid key, given once.
fn add_key(cm: &mut ConfigMap, key: &str, value: &str) -> Result<(), Output> {
    let errs = svclab_sim::apiserver::validation::configmap::config_map_key_errors(key);
    if !errs.is_empty() {
        return Err(usage(&format!(
            "error: {key:?} is not a valid key name for a ConfigMap: {}",
            errs.join(",")
        )));
    }
    if cm.data.contains_key(key) {
        return Err(usage(&format!(
            "error: cannot add key {key}, another key by that name already exists in Data for ConfigMap \"{}\"",
            cm.metadata.name
        )));
    }
    cm.data.insert(key.to_string(), value.to_string());
    Ok(())
}

/// The Secret `kubectl create secret generic NAME [--type=T] --from-literal=K=V…
/// --from-file=[K=]PATH… | --from-env-file=PATH…` makes (kubectl/pkg/cmd/create/
/// create_secret.go: literals, then files, then env files; no `type` unless given, so the
/// server's default `Opaque` applies).
fn secret(name: &str, args: &Args, ctx: &Context<'_>) -> Result<Secret, Output> {
    let mut secret = Secret::default();
    secret.metadata.name = name.to_string();
    secret.type_ = args.value("type").unwrap_or_default().to_string();
    let env_files = args.all("from-env-file");
    let other_sources = !args.all("from-file").is_empty() || !args.all("from-literal").is_empty();
    if !env_files.is_empty() && other_sources {
        return Err(usage(
            "error: from-env-file cannot be combined with from-file or from-literal",
        ));
    }
    for (key, value) in literal_and_file_sources(args, ctx)? {
        add_secret_key(&mut secret, &key, &value)?;
    }
    for path in env_files.iter().flat_map(|s| s.split(',')) {
        let Ok(text) = ctx.workspace.read(path) else {
            return Err(usage(&format!(
                "error: open {path}: no such file or directory"
            )));
        };
        for line in text.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // A line without `=` takes its value from kubectl's own environment, which has
            // none of the learner's variables here.
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            add_secret_key(&mut secret, key, value)?;
        }
    }
    Ok(secret)
}

/// `addKeyFromLiteralToSecret`: a valid key, given once.
fn add_secret_key(secret: &mut Secret, key: &str, value: &str) -> Result<(), Output> {
    let errs = svclab_sim::apiserver::validation::configmap::config_map_key_errors(key);
    if !errs.is_empty() {
        return Err(usage(&format!(
            "error: {key:?} is not valid key name for a Secret {}",
            errs.join(";")
        )));
    }
    if secret.data.contains_key(key) {
        return Err(usage(&format!(
            "error: cannot add key {key}, another key by that name already exists"
        )));
    }
    secret
        .data
        .insert(key.to_string(), value.as_bytes().to_vec());
    Ok(())
}

/// The Deployment `kubectl create deployment NAME --image=I [--replicas=N] [--port=P]` makes:
/// label and selector `app=NAME`, one container named after the image.
fn deployment(name: &str, image: &str, args: &Args) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = name.to_string();
    d.metadata.labels.insert("app".into(), name.to_string());
    d.spec.replicas = Some(
        args.value("replicas")
            .and_then(|r| r.parse().ok())
            .unwrap_or(1),
    );
    d.spec
        .selector
        .match_labels
        .insert("app".into(), name.to_string());
    d.spec
        .template
        .metadata
        .labels
        .insert("app".into(), name.to_string());
    // kubectl names the container after the image's last path element, without tag.
    let base = image.rsplit('/').next().unwrap_or(image);
    let container_name = base.split([':', '@']).next().unwrap_or(base);
    let mut container = Container {
        name: container_name.to_string(),
        image: image.to_string(),
        ..Default::default()
    };
    if let Some(port) = args.value("port").and_then(|p| p.parse().ok()) {
        container.ports.push(ContainerPort {
            container_port: port,
            ..Default::default()
        });
    }
    d.spec.template.spec.containers = svclab_sim::api::Shared::from(vec![container]);
    d
}

/// The Service `kubectl create service TYPE NAME --tcp=PORT[:TARGET]` makes: selector and
/// label `app=NAME`, ports named `PORT-TARGET`.
fn service(name: &str, type_: &str, args: &Args) -> Result<Service, Output> {
    let mut svc = Service::default();
    svc.metadata.name = name.to_string();
    svc.metadata.labels.insert("app".into(), name.to_string());
    svc.spec.type_ = type_.to_string();
    if type_ == "ExternalName" {
        let Some(external) = args.value("external-name") else {
            return Err(usage("error: required flag(s) \"external-name\" not set"));
        };
        svc.spec.external_name = external.to_string();
        return Ok(svc);
    }
    svc.spec.selector.insert("app".into(), name.to_string());
    let tcp = args.all("tcp");
    if tcp.is_empty() && type_ != "ClusterIP" {
        return Err(usage(
            "error: at least one tcp port specifier must be provided",
        ));
    }
    for spec in tcp.iter().flat_map(|t| t.split(',')) {
        let (port, target_port) = spec.split_once(':').unwrap_or((spec, spec));
        let (Ok(port), Ok(target)) = (port.parse::<i32>(), target_port.parse::<i32>()) else {
            return Err(usage(&format!(
                "error: {spec} is not a valid port specifier"
            )));
        };
        svc.spec.ports.push(ServicePort {
            name: format!("{port}-{target}"),
            protocol: "TCP".into(),
            port,
            target_port: Some(IntOrString::Int(target)),
            node_port: args.value("node-port").and_then(|n| n.parse().ok()),
        });
    }
    Ok(svc)
}

/// `kubectl expose (rs|deploy|pod|svc) NAME --port=P [--target-port=T] [--type=T] [--name=N]`:
/// a Service selecting what the object selects.
pub fn expose(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let (kind, name) = match operands {
        [kind, name] => (*kind, *name),
        [both] if both.contains('/') => both.split_once('/').unwrap_or((both, "")),
        _ => {
            return usage("error: You must provide one or more resources by argument or filename.")
        }
    };
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    let ns = target.namespace.as_str();
    // The Service selects what the object selects and, unless `--labels` says otherwise,
    // carries the object's own labels (expose.go).
    let found = match svclab_sim::api::ResourceKind::from_resource_arg(kind) {
        Some(svclab_sim::api::ResourceKind::ReplicaSet) => {
            cluster.store.get::<ReplicaSet>(ns, name).map(|r| {
                (
                    r.spec.selector.match_labels.clone(),
                    r.metadata.labels.clone(),
                )
            })
        }
        Some(svclab_sim::api::ResourceKind::Deployment) => {
            cluster.store.get::<Deployment>(ns, name).map(|d| {
                (
                    d.spec.selector.match_labels.clone(),
                    d.metadata.labels.clone(),
                )
            })
        }
        Some(svclab_sim::api::ResourceKind::Pod) => cluster
            .store
            .get::<svclab_sim::api::Pod>(ns, name)
            .map(|p| (p.metadata.labels.clone(), p.metadata.labels.clone())),
        Some(svclab_sim::api::ResourceKind::Service) => cluster
            .store
            .get::<Service>(ns, name)
            .map(|s| (s.spec.selector.clone(), s.metadata.labels.clone())),
        // expose.go names the kind as its GroupKind prints (`StatefulSet.apps`).
        Some(other) => {
            let info = other.info();
            let group_kind = if info.group.is_empty() {
                info.kind.to_string()
            } else {
                format!("{}.{}", info.kind, info.group)
            };
            return usage(&format!("error: cannot expose a {group_kind}"));
        }
        None => return usage(&format!("error: cannot expose a {kind}")),
    };
    let Some((selector, labels)) = found else {
        let plural = svclab_sim::api::ResourceKind::from_resource_arg(kind)
            .map(|k| k.info().plural)
            .unwrap_or(kind);
        return usage(&format!(
            "Error from server (NotFound): {plural} \"{name}\" not found"
        ));
    };
    let Some(port) = args.value("port").and_then(|p| p.parse::<i32>().ok()) else {
        return usage("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    };
    let mut svc = Service::default();
    svc.metadata.name = args.value("name").unwrap_or(name).to_string();
    svc.metadata.labels = labels;
    svc.spec.selector = selector;
    // Without `--type` the API server's default (ClusterIP) applies.
    svc.spec.type_ = args.value("type").unwrap_or_default().to_string();
    let target_port = args
        .value("target-port")
        .map(|t| match t.parse::<i32>() {
            Ok(n) => IntOrString::Int(n),
            Err(_) => IntOrString::String(t.to_string()),
        })
        .unwrap_or(IntOrString::Int(port));
    svc.spec.ports = vec![ServicePort {
        name: String::new(),
        protocol: args.value("protocol").unwrap_or("TCP").to_string(),
        port,
        target_port: Some(target_port),
        node_port: None,
    }];
    submit(Object::Service(svc), "exposed", args, target, ctx, None)
}
