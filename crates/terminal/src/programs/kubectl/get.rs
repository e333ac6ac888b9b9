//! `kubectl get`: collect the objects asked for, then print them as a table, names, YAML,
//! JSON, jsonpath or custom columns, with kubectl's messages for nothing found.

use svclab_sim::api::{
    ConfigMap, ControllerRevision, DaemonSet, Deployment, EndpointSlice, Endpoints, Namespace,
    Node, Object, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, ResourceKind, Secret,
    Service, StatefulSet, StorageClass,
};
use svclab_sim::apiserver::errors::{kubectl_error_output, StatusError};
use svclab_sim::cluster::{Cluster, Resource};

use crate::io::Output;
use crate::kubectl::field_selector::FieldSelector;
use crate::kubectl::{
    self as printers, list_value, no_resources_found, object_name, object_value, parse_selector,
    print_sections, print_table, CustomColumns, PrintOptions, Selector, Table,
};
use crate::programs::args::Args;
use crate::programs::Context;

use super::target::Target;

/// One requested kind with the objects found for it.
struct Found {
    kind: ResourceKind,
    objects: Vec<Object>,
}

fn error(text: &str) -> Output {
    let mut out = Output::status(1);
    out.err(format!("{text}\n"));
    out
}

/// Runs `kubectl get …`.
pub fn run(operands: &[&str], args: &Args, target: &Target, ctx: &mut Context<'_>) -> Output {
    let Some(cluster) = ctx.lab.cluster(&target.cluster) else {
        return Output::status(1);
    };
    let Some((first, names)) = operands.split_first() else {
        return error("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
    };
    let all_namespaces = args.has("all-namespaces");
    let fields = match FieldSelector::from_flag(args.value("field-selector")) {
        Ok(f) => f,
        Err(e) => return error(&format!("error: {e}")),
    };
    if matches!(*first, "events" | "event" | "ev") {
        if let Some(refused) = fields
            .as_ref()
            .and_then(FieldSelector::unsupported_for_events)
        {
            let mut out = Output::status(1);
            out.err(refused);
            return out;
        }
        let ns = (!all_namespaces).then_some(target.namespace.as_str());
        return get_events(
            cluster,
            ns,
            ctx.lab.now_ms(),
            all_namespaces,
            args,
            fields.as_ref(),
        );
    }
    let selector: Option<Selector> = match args.value("selector").map(parse_selector) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return error(&format!("error: {e}")),
    };
    // `TYPE/NAME` operands, or `TYPE[,TYPE] [NAME…]`.
    let mut requests: Vec<(ResourceKind, Vec<String>)> = Vec::new();
    let mut want_all = false;
    if first.contains('/') {
        for op in operands {
            let Some((kind, name)) = op.split_once('/') else {
                return error("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
            };
            let Some(k) = ResourceKind::from_resource_arg(kind) else {
                return error(&format!(
                    "error: {}",
                    super::resource_types::unknown_type(kind)
                ));
            };
            requests.push((k, vec![name.to_string()]));
        }
    } else {
        for kind in first.split(',') {
            if kind == "all" {
                want_all = true;
                continue;
            }
            let Some(k) = ResourceKind::from_resource_arg(kind) else {
                return error(&format!(
                    "error: {}",
                    super::resource_types::unknown_type(kind)
                ));
            };
            requests.push((k, names.iter().map(|n| n.to_string()).collect()));
        }
    }
    let ns = (!all_namespaces).then_some(target.namespace.as_str());
    let now = ctx.lab.now_ms();
    let mut out = Output::status(0);
    if let Some(f) = &fields {
        let labels = args.value("selector").unwrap_or("");
        let kinds: Vec<ResourceKind> = if want_all {
            ALL_KINDS.to_vec()
        } else {
            requests.iter().map(|(k, _)| *k).collect()
        };
        if let Some(refused) = kinds.iter().find_map(|k| f.unsupported(*k, labels)) {
            out.status = 1;
            out.err(refused);
            return out;
        }
    }
    // The field selector (the API server's filter), as the label selector, on every list.
    let passes = |o: &Object| fields.as_ref().is_none_or(|f| f.matches(&object_value(o)));
    if want_all {
        return get_all(
            cluster,
            ns,
            (selector.as_ref(), fields.as_ref()),
            now,
            all_namespaces,
        );
    }
    let mut found: Vec<Found> = Vec::new();
    let mut errors = String::new();
    for (kind, names) in &requests {
        let scope = if kind.info().namespaced { ns } else { None };
        let mut objects = Vec::new();
        if names.is_empty() {
            for key in cluster.store.keys_of(*kind, scope) {
                if let Some(o) = cluster.store.get_object(*kind, &key) {
                    if selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&o.meta().labels))
                        && passes(&o)
                    {
                        objects.push(o);
                    }
                }
            }
        } else {
            for name in names {
                let key = (scope.unwrap_or("").to_string(), name.clone());
                match cluster.store.get_object(*kind, &key) {
                    Some(o) => objects.push(o),
                    None => {
                        out.status = 1;
                        errors.push_str(&kubectl_error_output(
                            &StatusError::not_found(kind.info().group, kind.info().plural, name),
                            None,
                        ));
                    }
                }
            }
        }
        found.push(Found {
            kind: *kind,
            objects,
        });
    }
    if args.has("watch") && found.len() == 1 && errors.is_empty() {
        let kind = found[0].kind;
        let names = requests.first().map(|r| r.1.clone()).unwrap_or_default();
        let scope = if kind.info().namespaced {
            ns.map(str::to_string)
        } else {
            None
        };
        return watch(
            ctx,
            &target.cluster,
            kind,
            scope,
            &names,
            (selector.as_ref(), fields.as_ref()),
            args,
        );
    }
    if found.iter().any(|f| f.kind == ResourceKind::Endpoints) {
        out.err(printers::ENDPOINTS_DEPRECATION_WARNING);
    }
    let single = requests.len() == 1 && requests[0].1.len() == 1;
    let format = args.value("output").unwrap_or("");
    match render(&found, format, args, now, all_namespaces, single) {
        Ok(text) => {
            let total: usize = found.iter().map(|f| f.objects.len()).sum();
            if total == 0 && errors.is_empty() && !matches!(format, "json" | "yaml") {
                let scope_ns = ns.filter(|_| found.iter().any(|f| f.kind.info().namespaced));
                out.err(no_resources_found(scope_ns));
            }
            out.out(text);
        }
        Err(e) => return error(&e),
    }
    out.err(errors);
    out
}

fn render(
    found: &[Found],
    format: &str,
    args: &Args,
    now: u64,
    all_namespaces: bool,
    single: bool,
) -> Result<String, String> {
    let values = || -> Vec<printers::Value> {
        found
            .iter()
            .flat_map(|f| f.objects.iter().map(object_value))
            .collect()
    };
    let document = || {
        let mut v = values();
        if single && v.len() == 1 {
            v.remove(0)
        } else {
            list_value(v)
        }
    };
    if let Some(template) = format
        .strip_prefix("jsonpath=")
        .or_else(|| format.strip_prefix("jsonpath-as-json="))
    {
        return printers::jsonpath_output(template, &document()).map_err(|e| format!("error: {e}"));
    }
    if let Some(spec) = format.strip_prefix("custom-columns=") {
        let columns = CustomColumns::parse(spec).map_err(|e| format!("error: {e}"))?;
        return Ok(columns.print(&values(), args.has("no-headers")));
    }
    match format {
        "yaml" => Ok(printers::to_yaml(&document())),
        "json" => Ok(printers::to_json_pretty(&document())),
        "name" => Ok(found
            .iter()
            .flat_map(|f| {
                f.objects
                    .iter()
                    .map(|o| format!("{}\n", object_name(f.kind, &o.meta().name)))
            })
            .collect()),
        "" | "wide" => {
            let several = found.len() > 1;
            let sections: Vec<(Table, PrintOptions)> = found
                .iter()
                .filter(|f| !f.objects.is_empty())
                .map(|f| {
                    let opts = PrintOptions {
                        wide: format == "wide",
                        with_namespace: all_namespaces && f.kind.info().namespaced,
                        label_columns: label_columns(args),
                        show_labels: args.has("show-labels"),
                        no_headers: args.has("no-headers"),
                        with_kind: several.then(|| f.kind.qualified_lower()),
                    };
                    (table_for(f, now, format == "wide"), opts)
                })
                .collect();
            Ok(match sections.as_slice() {
                [(table, opts)] => print_table(table, opts),
                _ => print_sections(&sections),
            })
        }
        other => Err(unknown_format(other)),
    }
}

/// `-L key1,key2 -L key3`: a string slice, comma-separated and repeatable.
fn label_columns(args: &Args) -> Vec<String> {
    args.all("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect()
}

/// How long `kubectl get -w` watches in the lab: a real watch runs until Ctrl-C; the lab's
/// virtual time would never end, so it stops after this much of it.
const WATCH_MS: u64 = 60_000;

/// The objects of one kind a `get` selects, in list order: by name, label selector and field
/// selector.
fn select(
    cluster: &Cluster,
    kind: ResourceKind,
    scope: Option<&str>,
    names: &[String],
    (selector, fields): (Option<&Selector>, Option<&FieldSelector>),
) -> Vec<Object> {
    cluster
        .store
        .keys_of(kind, scope)
        .into_iter()
        .filter(|(_, name)| names.is_empty() || names.contains(name))
        .filter_map(|key| cluster.store.get_object(kind, &key))
        .filter(|o| selector.is_none_or(|s| s.matches(&o.meta().labels)))
        .filter(|o| fields.is_none_or(|f| f.matches(&object_value(o))))
        .collect()
}

/// `kubectl get -w`: the table once, then a row each time an object changes, aligned with
/// the first table (kubectl's watch reuses the printer's column widths).
fn watch(
    ctx: &mut Context<'_>,
    cluster_name: &str,
    kind: ResourceKind,
    scope: Option<String>,
    names: &[String],
    filters: (Option<&Selector>, Option<&FieldSelector>),
    args: &Args,
) -> Output {
    let mut out = Output::status(0);
    let wide = args.value("output") == Some("wide");
    let opts = PrintOptions {
        wide,
        with_namespace: args.has("all-namespaces") && kind.info().namespaced,
        label_columns: label_columns(args),
        show_labels: args.has("show-labels"),
        no_headers: args.has("no-headers"),
        ..Default::default()
    };
    let mut seen: std::collections::BTreeMap<(String, String), String> = Default::default();
    let mut first = true;
    let mut waited = 0;
    while waited <= WATCH_MS {
        let Some(cluster) = ctx.lab.cluster(cluster_name) else {
            return out;
        };
        let now = cluster.now_ms();
        let objects = select(cluster, kind, scope.as_deref(), names, filters);
        let found = Found {
            kind,
            objects: objects.clone(),
        };
        let text = print_table(&table_for(&found, now, wide), &opts);
        let lines: Vec<&str> = text.lines().collect();
        if first {
            if objects.is_empty() {
                out.err(no_resources_found(scope.as_deref()));
            }
            out.out(text.clone());
            first = false;
        } else {
            for (i, o) in objects.iter().enumerate() {
                let key = (o.meta().namespace.clone(), o.meta().name.clone());
                if seen.get(&key) != Some(&o.meta().resource_version) {
                    if let Some(line) = lines.get(i + 1) {
                        out.out(format!("{line}\n"));
                    }
                }
            }
        }
        seen = objects
            .iter()
            .map(|o| {
                let m = o.meta();
                (
                    (m.namespace.clone(), m.name.clone()),
                    m.resource_version.clone(),
                )
            })
            .collect();
        ctx.lab.advance_ms(1_000);
        waited += 1_000;
    }
    out
}

fn typed<T: Resource>(objects: &[Object], pick: impl Fn(&Object) -> Option<&T>) -> Vec<&T> {
    objects.iter().filter_map(pick).collect()
}

fn table_for(found: &Found, now: u64, wide: bool) -> Table {
    let o = &found.objects;
    match found.kind {
        ResourceKind::Pod => printers::pods_table(
            typed::<Pod>(o, |x| match x {
                Object::Pod(p) => Some(p),
                _ => None,
            }),
            now,
        ),
        ResourceKind::Service => printers::services_table(
            typed::<Service>(o, |x| match x {
                Object::Service(s) => Some(s),
                _ => None,
            }),
            now,
            wide,
        ),
        ResourceKind::Endpoints => printers::endpoints_table(
            typed::<Endpoints>(o, |x| match x {
                Object::Endpoints(e) => Some(e),
                _ => None,
            }),
            now,
        ),
        ResourceKind::EndpointSlice => printers::endpoint_slices_table(
            typed::<EndpointSlice>(o, |x| match x {
                Object::EndpointSlice(e) => Some(e),
                _ => None,
            }),
            now,
        ),
        ResourceKind::ReplicaSet => printers::replica_sets_table(
            typed::<ReplicaSet>(o, |x| match x {
                Object::ReplicaSet(r) => Some(r),
                _ => None,
            }),
            now,
        ),
        ResourceKind::Deployment => printers::deployments_table(
            typed::<Deployment>(o, |x| match x {
                Object::Deployment(d) => Some(d),
                _ => None,
            }),
            now,
        ),
        ResourceKind::DaemonSet => printers::daemon_sets_table(
            typed::<DaemonSet>(o, |x| match x {
                Object::DaemonSet(d) => Some(d),
                _ => None,
            }),
            now,
        ),
        ResourceKind::StatefulSet => printers::statefulset::stateful_sets_table(
            typed::<StatefulSet>(o, |x| match x {
                Object::StatefulSet(s) => Some(s),
                _ => None,
            }),
            now,
        ),
        ResourceKind::ControllerRevision => printers::statefulset::controller_revisions_table(
            typed::<ControllerRevision>(o, |x| match x {
                Object::ControllerRevision(r) => Some(r),
                _ => None,
            }),
            now,
        ),
        ResourceKind::ConfigMap => printers::config_maps_table(
            typed::<ConfigMap>(o, |x| match x {
                Object::ConfigMap(c) => Some(c),
                _ => None,
            }),
            now,
        ),
        ResourceKind::Secret => printers::secrets_table(
            typed::<Secret>(o, |x| match x {
                Object::Secret(c) => Some(c),
                _ => None,
            }),
            now,
        ),
        ResourceKind::PersistentVolumeClaim => printers::storage::persistent_volume_claims_table(
            typed::<PersistentVolumeClaim>(o, |x| match x {
                Object::PersistentVolumeClaim(c) => Some(c),
                _ => None,
            }),
            now,
        ),
        ResourceKind::PersistentVolume => printers::storage::persistent_volumes_table(
            typed::<PersistentVolume>(o, |x| match x {
                Object::PersistentVolume(v) => Some(v),
                _ => None,
            }),
            now,
        ),
        ResourceKind::StorageClass => printers::storage::storage_classes_table(
            typed::<StorageClass>(o, |x| match x {
                Object::StorageClass(c) => Some(c),
                _ => None,
            }),
            now,
        ),
        ResourceKind::Node => printers::nodes_table(
            typed::<Node>(o, |x| match x {
                Object::Node(n) => Some(n),
                _ => None,
            }),
            now,
        ),
        ResourceKind::Namespace => printers::namespaces_table(
            typed::<Namespace>(o, |x| match x {
                Object::Namespace(n) => Some(n),
                _ => None,
            }),
            now,
        ),
    }
}

/// `kubectl get events`: events live in the cluster's event log, not in the object store;
/// every output format is offered, from objects built when printing.
fn get_events(
    cluster: &Cluster,
    ns: Option<&str>,
    now: u64,
    all_namespaces: bool,
    args: &Args,
    fields: Option<&FieldSelector>,
) -> Output {
    let mut events = printers::printers::sorted_events(cluster.events.list(ns));
    if let Some(f) = fields {
        events.retain(|e| f.matches(&printers::event_value::event_value(e, cluster)));
    }
    let format = args.value("output").unwrap_or("");
    let mut out = Output::status(0);
    if events.is_empty() && !matches!(format, "json" | "yaml") {
        out.err(no_resources_found(ns));
        return out;
    }
    let values = || -> Vec<printers::Value> {
        events
            .iter()
            .map(|e| printers::event_value::event_value(e, cluster))
            .collect()
    };
    let printed = if let Some(template) = format
        .strip_prefix("jsonpath=")
        .or_else(|| format.strip_prefix("jsonpath-as-json="))
    {
        printers::jsonpath_output(template, &list_value(values()))
            .map_err(|e| format!("error: {e}"))
    } else if let Some(spec) = format.strip_prefix("custom-columns=") {
        CustomColumns::parse(spec)
            .map(|c| c.print(&values(), args.has("no-headers")))
            .map_err(|e| format!("error: {e}"))
    } else {
        match format {
            "yaml" => Ok(printers::to_yaml(&list_value(values()))),
            "json" => Ok(printers::to_json_pretty(&list_value(values()))),
            "name" => Ok(events
                .iter()
                .map(|e| format!("event/{}\n", printers::printers::event_name(e)))
                .collect()),
            "" | "wide" => {
                let opts = PrintOptions {
                    wide: format == "wide",
                    with_namespace: all_namespaces,
                    no_headers: args.has("no-headers"),
                    ..Default::default()
                };
                let source = |e: &svclab_sim::cluster::Event| {
                    printers::event_value::event_source(e, cluster)
                };
                Ok(print_table(
                    &printers::events_table(events, now, source),
                    &opts,
                ))
            }
            other => Err(unknown_format(other)),
        }
    };
    match printed {
        Ok(text) => out.out(text),
        Err(e) => return error(&e),
    }
    out
}

/// kubectl's answer to an output format it has no printer for.
fn unknown_format(format: &str) -> String {
    format!(
        "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
    )
}

/// The kinds `kubectl get all` lists (of those the lab serves).
const ALL_KINDS: [ResourceKind; 6] = [
    ResourceKind::Pod,
    ResourceKind::Service,
    ResourceKind::DaemonSet,
    ResourceKind::Deployment,
    ResourceKind::ReplicaSet,
    ResourceKind::StatefulSet,
];

fn get_all(
    cluster: &Cluster,
    ns: Option<&str>,
    (selector, fields): (Option<&Selector>, Option<&FieldSelector>),
    now: u64,
    all_namespaces: bool,
) -> Output {
    fn listed<'a, T: Resource + serde::Serialize + 'a>(
        cluster: &'a Cluster,
        ns: Option<&'a str>,
        (selector, fields): (Option<&Selector>, Option<&FieldSelector>),
    ) -> Vec<&'a T> {
        cluster
            .store
            .list::<T>(ns)
            .filter(|o| selector.is_none_or(|s| s.matches(&o.meta().labels)))
            .filter(|o| fields.is_none_or(|f| f.matches(&printers::Value::from_serialize(*o))))
            .collect()
    }
    let selector = (selector, fields);
    let pods = listed::<Pod>(cluster, ns, selector);
    let services = listed::<Service>(cluster, ns, selector);
    let daemon_sets = listed::<DaemonSet>(cluster, ns, selector);
    let deployments = listed::<Deployment>(cluster, ns, selector);
    let replica_sets = listed::<ReplicaSet>(cluster, ns, selector);
    let stateful_sets = listed::<StatefulSet>(cluster, ns, selector);
    let text = printers::print_get_all(
        &printers::AllObjects {
            pods: &pods,
            services: &services,
            daemon_sets: &daemon_sets,
            deployments: &deployments,
            replica_sets: &replica_sets,
            stateful_sets: &stateful_sets,
        },
        now,
        &PrintOptions {
            with_namespace: all_namespaces,
            ..Default::default()
        },
    );
    let mut out = Output::status(0);
    if text.is_empty() {
        out.err(no_resources_found(ns));
    }
    out.out(text);
    out
}
