//! `--field-selector`: the API server filters lists by each kind's selectable fields, and
//! refuses the others in its own words.

mod common;

#[test]
fn field_selectors_filter_pods_and_events_and_refuse_unknown_fields() {
    let mut s = common::three_node_lab(3);
    let names = |s: &mut svclab_terminal::session::Session, line: &str| -> Vec<String> {
        s.type_line(line)
            .stdout()
            .lines()
            .map(String::from)
            .collect()
    };
    let on_worker = names(
        &mut s,
        "kubectl get pods -n dev --field-selector spec.nodeName=demo-worker -o name",
    );
    let on_worker2 = names(
        &mut s,
        "kubectl get pods -n dev --field-selector spec.nodeName!=demo-worker -o name",
    );
    let all = names(&mut s, "kubectl get pods -n dev -o name");
    assert!(!on_worker.is_empty() && !on_worker2.is_empty());
    assert_eq!(on_worker.len() + on_worker2.len(), all.len());
    for pod in &on_worker {
        let node = s
            .type_line(&format!(
                "kubectl get {pod} -n dev -o jsonpath='{{.spec.nodeName}}'"
            ))
            .stdout();
        assert_eq!(node, "demo-worker");
    }
    let none = s.type_line("kubectl get pods -n dev --field-selector status.phase=Pending");
    assert_eq!(none.stderr(), "No resources found in dev namespace.\n");
    let scheduled = s
        .type_line("kubectl get events -n dev --field-selector reason=Scheduled -o custom-columns=R:.reason --no-headers")
        .stdout();
    assert_eq!(scheduled.lines().count(), all.len(), "{all:?}");
    assert!(scheduled.lines().all(|l| l == "Scheduled"), "{scheduled}");
    let refused = s.type_line("kubectl get pods -n dev --field-selector spec.image=nginx");
    assert_eq!(
        refused.stderr(),
        "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.image=nginx\": field label not supported: spec.image\n"
    );
    let rs = s.type_line("kubectl get rs -n dev --field-selector status.replicas=3 -o name");
    assert_eq!(rs.stdout(), "replicaset.apps/nginx-replicaset\n");
    // delete takes the same filter: only the pods on demo-worker go.
    let deleted = s
        .type_line("kubectl delete pods -n dev --field-selector spec.nodeName=demo-worker")
        .stdout();
    let expected: String = on_worker
        .iter()
        .map(|p| format!("{} deleted\n", p.replace("pod/", "pod \"") + "\""))
        .collect();
    assert_eq!(deleted, expected);
    let kept = names(
        &mut s,
        "kubectl get pods -n dev --field-selector spec.nodeName!=demo-worker -o name",
    );
    assert!(on_worker2.iter().all(|p| kept.contains(p)), "{kept:?}");
}

/// `get -w` filters every row it prints, the first table and each change after it.
#[test]
fn a_watch_prints_only_the_objects_its_field_selector_selects() {
    let mut s = common::three_node_lab(3);
    s.type_line("kubectl scale rs nginx-replicaset -n dev --replicas=8");
    let watched = s
        .type_line("kubectl get pods -n dev -w -o wide --field-selector spec.nodeName=demo-worker")
        .stdout();
    let rows: Vec<Vec<&str>> = watched
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.len() >= 2, "{watched}");
    assert!(
        rows.iter().all(|r| r.get(6) == Some(&"demo-worker")),
        "{watched}"
    );
    // Without the selector the same watch shows the other worker's pods too.
    s.type_line("kubectl scale rs nginx-replicaset -n dev --replicas=3");
    let unfiltered = s.type_line("kubectl get pods -n dev -w -o wide").stdout();
    assert!(unfiltered.contains("demo-worker2"), "{unfiltered}");
}
