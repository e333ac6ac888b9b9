//! `kubectl get events` in every output format: the wide table's SUBOBJECT and SOURCE, and
//! the Event objects of the two recorders (the kubelet's legacy one, the scheduler's
//! events/v1 one).

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

fn lab() -> Session {
    let mut s = Session::new(2, Workspace::Memory(BTreeMap::new()));
    for line in [
        "kind create cluster",
        "kubectl run web --image=nginx",
        "sleep 5",
    ] {
        assert_eq!(s.type_line(line).status, 0, "{line}");
    }
    s
}

#[test]
fn the_wide_table_names_the_container_and_the_node() {
    let mut s = lab();
    let wide = s.type_line("kubectl get events -o wide").stdout();
    let pulled = wide
        .lines()
        .find(|l| l.contains(" Pulled "))
        .expect("a Pulled event");
    assert!(pulled.contains("spec.containers{web}"), "{pulled}");
    assert!(pulled.contains("kubelet, kind-control-plane"), "{pulled}");
    assert!(
        pulled.contains(
            "Successfully pulled image \"nginx\" in 3s (3s including waiting). Image size: "
        ),
        "{pulled}"
    );
    let scheduled = wide
        .lines()
        .find(|l| l.contains(" Scheduled "))
        .expect("a Scheduled event");
    assert!(
        scheduled.contains("default-scheduler, default-scheduler-kind-control-plane"),
        "{scheduled}"
    );
}

#[test]
fn events_as_objects_from_both_recorders_with_distinct_names() {
    let mut s = lab();
    let names = s.type_line("kubectl get events -o name").stdout();
    let list: Vec<&str> = names.lines().collect();
    let mut unique = list.clone();
    unique.dedup();
    assert_eq!(list, unique, "every event has its own name");
    assert!(list.iter().all(|n| n.starts_with("event/web.")), "{names}");
    let scheduler = s
        .type_line("kubectl get events -o jsonpath='{.items[0].action} {.items[0].reportingInstance} {.items[0].firstTimestamp}'")
        .stdout();
    assert_eq!(
        scheduler,
        "Binding default-scheduler-kind-control-plane null"
    );
    let kubelet = s
        .type_line("kubectl get events -o jsonpath='{.items[1].source.component} {.items[1].source.host} {.items[1].count} {.items[1].involvedObject.fieldPath}'")
        .stdout();
    assert_eq!(kubelet, "kubelet kind-control-plane 1 spec.containers{web}");
    assert!(s
        .type_line("kubectl get events -o yaml")
        .stdout()
        .starts_with("apiVersion: v1\nitems:\n- action: Binding\n"));
}
