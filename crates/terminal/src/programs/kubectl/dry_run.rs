//! `--dry-run=none|client|server` (kubectl/pkg/cmd/util/helpers.go `GetDryRunStrategy`):
//! with `client` kubectl sends nothing and prints the object it built; with `server` the API
//! server validates, defaults and allocates as for a real write but stores nothing (the lab
//! runs the write on a copy of the cluster). The object printed for `client` is the Go struct
//! kubectl built, serialized as kubectl v1.33 does: a zero `metadata.creationTimestamp` as
//! `null` (omitted only from v1.34, kubernetes#130989) and struct fields without `omitempty`
//! as `{}` (`strategy`, `resources`, `status`).

use svclab_sim::api::{Object, ResourceKind};
use svclab_sim::apiserver::errors::StatusError;
use svclab_sim::cluster::Cluster;

use crate::io::Output;
use crate::kubectl::{
    jsonpath_output, object_name, object_value, own_value, to_json_pretty, to_yaml, with_type_meta,
    Value,
};
use crate::programs::args::Args;

/// The verbs whose `--dry-run` the lab simulates; any other refuses it rather than write.
pub const VERBS: [&str; 5] = ["apply", "create", "delete", "expose", "run"];

/// Whether and where a write is only tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    /// A real write.
    None,
    /// Nothing is sent: kubectl prints the object it built.
    Client,
    /// The API server runs the write without storing it.
    Server,
}

impl DryRun {
    /// The flag's strategy, or kubectl's error for another value.
    pub fn from_args(args: &Args) -> Result<DryRun, Output> {
        match args.value("dry-run") {
            None | Some("none") => Ok(DryRun::None),
            Some("client") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => {
                let mut out = Output::status(1);
                out.err(format!(
                    "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"
                ));
                Err(out)
            }
        }
    }

    /// What kubectl adds after the verb's word: ` (dry run)`, ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }

    /// Runs `f` on the cluster for a real write, and on a copy of it for a dry run: a
    /// server dry run writes nowhere, and a client one still reads the live objects (apply
    /// compares with them, delete finds them).
    pub fn against<T>(self, cluster: &mut Cluster, f: impl FnOnce(&mut Cluster) -> T) -> T {
        match self {
            DryRun::None => f(cluster),
            DryRun::Client | DryRun::Server => f(&mut cluster.clone()),
        }
    }

    /// A create: on the cluster (`None`), on a copy of it (`Server`), or not sent at all
    /// (`Client`, which returns `object` as kubectl built it).
    pub fn write(
        self,
        cluster: &mut Cluster,
        object: Object,
        write: impl FnOnce(&mut Cluster, Object) -> Result<Object, StatusError>,
    ) -> Result<Object, StatusError> {
        match self {
            DryRun::None => write(cluster, object),
            DryRun::Client => Ok(object),
            DryRun::Server => write(&mut cluster.clone(), object),
        }
    }
}

/// Each line a write printed (`deployment.apps/web created`), with the dry run's suffix.
pub fn with_suffix(lines: &str, dry_run: DryRun) -> String {
    lines
        .lines()
        .map(|l| format!("{l}{}\n", dry_run.suffix()))
        .collect()
}

/// The refusal for a verb whose `--dry-run` the lab does not simulate (nothing is changed).
pub fn unsupported(verb: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!(
        "error: the lab's kubectl {verb} does not simulate --dry-run (it does for {}); nothing was changed\n",
        VERBS.join(", ")
    ));
    out
}

/// Where the object of a client dry run came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Built {
    /// A generator (`create deployment`, `run`): a typed Go struct.
    ByKubectl,
    /// A file (`create -f`): the unstructured object as written.
    FromFile,
}

/// What a write prints: `-o yaml|json|name` print the object, anything else kubectl's line
/// `kind/name WORD` with the dry run's suffix. A client dry run prints the object kubectl
/// built, the others the one the server answered with.
pub fn report(
    dry_run: DryRun,
    (object, built): (&Object, Built),
    word: &str,
    output: Option<&str>,
) -> String {
    let kind = object.kind();
    let name = &object.meta().name;
    let value = || match (dry_run, built) {
        (DryRun::Client, Built::ByKubectl) => client_value(object),
        (DryRun::Client, Built::FromFile) => with_type_meta(own_value(object), kind),
        _ => object_value(object),
    };
    let jsonpath = output.and_then(|o| o.strip_prefix("jsonpath="));
    match output {
        Some("yaml") => to_yaml(&value()),
        Some("json") => to_json_pretty(&value()),
        Some("name") => format!("{}\n", object_name(kind, name)),
        _ if jsonpath.is_some() => {
            jsonpath_output(jsonpath.unwrap_or_default(), &value()).unwrap_or_else(|e| e)
        }
        _ => format!(
            "{}/{name} {word}{}\n",
            kind.qualified_lower(),
            dry_run.suffix()
        ),
    }
}

/// The object kubectl built, as its Go struct serializes with `sigs.k8s.io/yaml`.
fn client_value(object: &Object) -> Value {
    let mut v = own_value(object);
    let empty = || Value::Object(Vec::new());
    // A zero `metadata.creationTimestamp` (a struct, not a pointer) prints as null.
    let null_created = |v: &mut Value| {
        if let Some(meta) = v.object_field("metadata") {
            meta.set("creationTimestamp", Value::Null);
        }
    };
    // Each container's `resources` (a struct without omitempty) prints as `{}`.
    let empty_resources = |pod_spec: &mut Value| {
        if let Some(Value::Array(containers)) = pod_spec.get_mut("containers") {
            for c in containers
                .iter_mut()
                .filter(|c| c.get("resources").is_none())
            {
                c.set("resources", empty());
            }
        }
    };
    null_created(&mut v);
    match object.kind() {
        ResourceKind::Namespace => v.set("spec", empty()),
        ResourceKind::Pod => {
            if let Some(spec) = v.object_field("spec") {
                empty_resources(spec);
                // `kubectl run` sets the DNS policy of the pod it builds.
                if spec.get("dnsPolicy").is_none() {
                    spec.set("dnsPolicy", Value::Str("ClusterFirst".into()));
                }
            }
        }
        ResourceKind::Deployment => {
            if let Some(spec) = v.object_field("spec") {
                if spec.get("strategy").is_none() {
                    spec.set("strategy", empty());
                }
                if let Some(template) = spec.object_field("template") {
                    null_created(template);
                    if let Some(pod_spec) = template.object_field("spec") {
                        empty_resources(pod_spec);
                    }
                }
            }
        }
        _ => {}
    }
    // `status` (a struct without omitempty) prints as `{}`, a Service's with its load balancer.
    match object.kind() {
        ResourceKind::Namespace | ResourceKind::Pod | ResourceKind::Deployment => {
            v.set("status", empty())
        }
        ResourceKind::Service => v.set("status", Value::object(vec![("loadBalancer", empty())])),
        _ => {}
    }
    with_type_meta(v, object.kind())
}
