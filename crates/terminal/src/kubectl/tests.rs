//! Cross-module tests over an article-like cluster built with the lab (`kind create cluster`
//! with one control plane and two workers, then the article's namespace, ReplicaSet and
//! NodePort Service).

use svclab_sim::api::{Deployment, EndpointSlice, Node, Object, Pod, ReplicaSet, Service};
use svclab_sim::lab::{apply_file, Lab};

use super::*;

const KIND: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n";

const MANIFESTS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: nginx-replicaset\n  namespace: dev\nspec:\n  replicas: 6\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:latest\n        env:\n        - name: NODE_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-service\n  namespace: dev\nspec:\n  type: NodePort\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30000\n";

fn lab() -> Lab {
    let mut lab = Lab::new(7);
    lab.create_cluster(Some(KIND), Some("service-demo"), 0)
        .expect("cluster");
    let cluster = lab.cluster_mut("service-demo").expect("exists");
    apply_file(cluster, "article.yaml", MANIFESTS, "default");
    lab.advance_ms(60_000);
    lab
}

#[test]
fn the_articles_cluster_prints_without_surprises() {
    let lab = lab();
    let c = lab.cluster("service-demo").expect("exists");
    let now = c.now_ms();

    let nodes = print_table(
        &nodes_table(c.store.list::<Node>(None), now),
        &PrintOptions::default(),
    );
    let lines: Vec<&str> = nodes.lines().collect();
    assert!(lines[0].starts_with("NAME "), "{nodes}");
    assert!(lines[0].ends_with("VERSION"), "{nodes}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("service-demo-control-plane   Ready    control-plane")),
        "{nodes}"
    );

    let pods: Vec<&Pod> = c.store.list::<Pod>(Some("dev")).collect();
    let wide = PrintOptions {
        wide: true,
        ..Default::default()
    };
    let out = print_table(&pods_table(pods.iter().copied(), now), &wide);
    assert!(out.starts_with("NAME "), "{out}");
    assert!(out.contains("NOMINATED NODE   READINESS GATES"), "{out}");
    assert_eq!(out.lines().count(), pods.len() + 1, "{out}");

    let svcs: Vec<&Service> = c.store.list::<Service>(Some("dev")).collect();
    let out = print_table(
        &services_table(svcs.iter().copied(), now, false),
        &PrintOptions::default(),
    );
    assert!(out.contains("80:30000/TCP"), "{out}");

    let slices: Vec<&EndpointSlice> = c.store.list::<EndpointSlice>(Some("dev")).collect();
    let out = print_table(
        &endpoint_slices_table(slices.iter().copied(), now),
        &PrintOptions::default(),
    );
    assert!(out.starts_with("NAME"), "{out}");
    assert!(out.contains("IPv4"), "{out}");

    let rss: Vec<&ReplicaSet> = c.store.list::<ReplicaSet>(Some("dev")).collect();
    let deps: Vec<&Deployment> = c.store.list::<Deployment>(Some("dev")).collect();
    let all = print_get_all(
        &AllObjects {
            pods: &pods,
            services: &svcs,
            daemon_sets: &[],
            deployments: &deps,
            replica_sets: &rss,
            stateful_sets: &[],
        },
        now,
        &PrintOptions::default(),
    );
    assert!(all.contains("\n\nNAME "), "{all}");
    assert!(all.contains("service/nginx-service"), "{all}");
    assert!(all.contains("replicaset.apps/nginx-replicaset"), "{all}");

    // -o jsonpath as the article's loop uses it.
    let items: Vec<Value> = pods
        .iter()
        .map(|p| object_value(&Object::Pod((*p).clone())))
        .collect();
    let names =
        jsonpath_output("{.items[*].metadata.name}", &list_value(items.clone())).expect("ok");
    assert_eq!(names.split(' ').count(), pods.len());

    // -o yaml and -o json of the whole list parse back.
    let y = to_yaml(&list_value(items.clone()));
    assert!(
        y.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"),
        "{y}"
    );
    assert!(
        y.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
        "{y}"
    );
    let j = to_json_pretty(&list_value(items));
    assert!(
        j.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"),
        "{j}"
    );

    // describe never panics and aligns its first column.
    let events: Vec<_> = c.events.list(Some("dev")).collect();
    let pod = pods[0];
    let d = describe_pod(
        pod,
        &events
            .iter()
            .copied()
            .filter(|e| e.object == format!("pod/{}", pod.metadata.name))
            .collect::<Vec<_>>(),
        now,
    );
    assert!(d.starts_with("Name:             "), "{d}");
    // `IPs:` has no tab, so it ends the column block: real kubectl prints the next lines
    // with their own, narrower alignment.
    assert!(d.contains("IPs:\n  IP:           10.244."), "{d}");
    assert!(
        d.contains("\nControlled By:  ReplicaSet/nginx-replicaset\n"),
        "{d}"
    );
    assert!(d.contains("Events:"), "{d}");
    let d = describe_service(svcs[0], &slices, &[], now);
    assert!(
        d.contains("NodePort:                 <unset>  30000/TCP"),
        "{d}"
    );
    let d = describe_replica_set(rss[0], &pods, &[], now);
    assert!(d.contains("Pods Status:"), "{d}");
    let node = c.store.list::<Node>(None).next().expect("node");
    let _ = describe_node(node, &pods, &[], now);
    let ev = print_table(
        &events_table(events.iter().copied(), now, |e| e.source.clone()),
        &PrintOptions::default(),
    );
    assert!(ev.starts_with("LAST SEEN   TYPE"), "{ev}");
}
