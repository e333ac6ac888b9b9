//! Events as `kubectl get events -o yaml|json|jsonpath` shows them (core/v1 `Event`). The lab
//! keeps events in a bounded log rather than in the store, and builds the object when printing.
//!
//! Two recorders write them (k8s 1.33):
//! - the legacy one (`client-go/tools/record/event.go` `makeEvent`) used by the kubelet and the
//!   controller manager: `count`, `firstTimestamp`/`lastTimestamp`, `source` (component, and
//!   the node for the kubelet), `reportingComponent`/`reportingInstance` copied from it;
//! - the events/v1 one the scheduler uses (`client-go/tools/events`): `eventTime` (micro
//!   seconds), an `action`, no timestamps or count, an empty `source`, and
//!   `reportingInstance: default-scheduler-<its node>`.
//!
//! The event's own uid and resourceVersion are not kept; they are made from its name, so a
//! seeded lab prints the same ones.

use svclab_sim::api::ResourceKind;
use svclab_sim::cluster::{rfc3339, Cluster, Event};
use svclab_sim::names::stable_hex;

use super::printers::event_name;
use super::value::Value;

fn s(text: &str) -> Value {
    Value::Str(text.to_owned())
}

/// A uid in the 8-4-4-4-12 form, from a hash of `seed`.
fn uid_from(seed: &str) -> String {
    let h = stable_hex(seed);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `eventTime`'s MicroTime: RFC 3339 with six fractional digits.
fn micro_time(ms: u64, ns: u32) -> String {
    let whole = rfc3339(ms);
    let base = whole.trim_end_matches('Z');
    format!("{base}.{:06}Z", (ms % 1000) * 1000 + u64::from(ns / 1000))
}

/// Whether the scheduler recorded it (events/v1).
fn from_scheduler(e: &Event) -> bool {
    e.source == "default-scheduler"
}

/// `involvedObject`: what the event is about, as the object reference kubectl sees.
fn involved_object(e: &Event, cluster: &Cluster) -> Value {
    let (resource, name) = e.object.split_once('/').unwrap_or(("", e.object.as_str()));
    let kind = ResourceKind::from_resource_arg(resource);
    let mut v = Value::object(vec![("name", s(name))]);
    if let Some(kind) = kind {
        let info = kind.info();
        v.set("apiVersion", s(info.api_version));
        v.set("kind", s(info.kind));
        let ns = if info.namespaced {
            e.namespace.as_str()
        } else {
            ""
        };
        if info.namespaced {
            v.set("namespace", s(ns));
        }
        if let Some(o) = cluster
            .store
            .get_object(kind, &(ns.to_owned(), name.to_owned()))
        {
            v.set("resourceVersion", s(&o.meta().resource_version));
            v.set("uid", s(&o.meta().uid));
        }
    }
    if !e.field_path.is_empty() {
        v.set("fieldPath", s(&e.field_path));
    }
    v
}

/// The control plane's node name: where kind runs the scheduler.
fn control_plane(cluster: &Cluster) -> String {
    format!("{}-control-plane", cluster.layout.name)
}

/// One event as the API serves it.
pub fn event_value(e: &Event, cluster: &Cluster) -> Value {
    let name = event_name(e);
    let mut v = Value::object(vec![
        ("apiVersion", s("v1")),
        ("kind", s("Event")),
        ("involvedObject", involved_object(e, cluster)),
        ("message", s(&e.message)),
        ("reason", s(&e.reason)),
        ("type", s(&e.type_)),
        ("reportingComponent", s(&e.source)),
        (
            "metadata",
            Value::object(vec![
                ("creationTimestamp", s(&rfc3339(e.first_ms))),
                ("name", s(&name)),
                ("namespace", s(&e.namespace)),
                (
                    "resourceVersion",
                    s(
                        &(u64::from(svclab_sim::names::fnv32a(name.as_bytes())) % 90_000 + 10_000)
                            .to_string(),
                    ),
                ),
                ("uid", s(&uid_from(&format!("{}/{name}", e.namespace)))),
            ]),
        ),
    ]);
    if from_scheduler(e) {
        let action = if e.reason == "Scheduled" {
            "Binding"
        } else {
            "Scheduling"
        };
        v.set("action", s(action));
        v.set("eventTime", s(&micro_time(e.first_ms, e.first_ns)));
        v.set("firstTimestamp", Value::Null);
        v.set("lastTimestamp", Value::Null);
        v.set("source", Value::Object(Vec::new()));
        v.set(
            "reportingInstance",
            s(&format!("default-scheduler-{}", control_plane(cluster))),
        );
    } else {
        v.set("count", Value::Int(i64::from(e.count.max(1))));
        v.set("eventTime", Value::Null);
        v.set("firstTimestamp", s(&rfc3339(e.first_ms)));
        v.set("lastTimestamp", s(&rfc3339(e.last_ms)));
        let mut source = Value::object(vec![("component", s(&e.source))]);
        if !e.host.is_empty() {
            source.set("host", s(&e.host));
        }
        v.set("source", source);
        v.set("reportingInstance", s(&e.host));
    }
    v
}

/// The wide table's SOURCE: component, then the instance when there is one
/// (printers.go `formatEventSource`).
pub fn event_source(e: &Event, cluster: &Cluster) -> String {
    if from_scheduler(e) {
        format!("{}, default-scheduler-{}", e.source, control_plane(cluster))
    } else if e.host.is_empty() {
        e.source.clone()
    } else {
        format!("{}, {}", e.source, e.host)
    }
}

#[cfg(test)]
mod tests {
    use super::{micro_time, uid_from};

    #[test]
    fn micro_times_and_uids_have_the_apis_shapes() {
        assert_eq!(
            micro_time(svclab_sim::cluster::LAB_EPOCH_MS + 1_234, 5_000),
            "2024-08-13T22:50:01.234005Z"
        );
        let uid = uid_from("x");
        assert_eq!(uid.len(), 36);
        assert_eq!(uid.matches('-').count(), 4);
    }
}
