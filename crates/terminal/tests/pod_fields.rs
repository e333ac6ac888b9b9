//! The fields a real API server and kubelet add to a pod show in `kubectl get -o yaml|json|
//! jsonpath`, derived when printing: spec defaults, the service account's token volume, the
//! QoS class, container and image ids. A seeded lab prints the same ids every time.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

fn pod_fields(seed: u64) -> String {
    let mut s = Session::new(seed, Workspace::Memory(BTreeMap::new()));
    for line in [
        "kind create cluster",
        "kubectl run web --image=nginx",
        "sleep 5",
    ] {
        assert_eq!(s.type_line(line).status, 0, "{line}");
    }
    s.type_line(
        "kubectl get pod web -o jsonpath='{.spec.dnsPolicy} {.spec.schedulerName} {.spec.serviceAccountName} {.spec.priority} {.spec.volumes[0].name} {.spec.containers[0].volumeMounts[0].name} {.spec.containers[0].terminationMessagePath} {.status.qosClass} {.status.containerStatuses[0].image} {.status.containerStatuses[0].containerID} {.status.containerStatuses[0].imageID}'",
    )
    .stdout()
}

#[test]
fn a_running_pod_shows_its_defaults_token_volume_and_ids() {
    let printed = pod_fields(3);
    let f: Vec<&str> = printed.split(' ').collect();
    assert_eq!(
        &f[..4],
        ["ClusterFirst", "default-scheduler", "default", "0"],
        "{printed}"
    );
    assert!(
        f[4].starts_with("kube-api-access-") && f[4].len() == 21,
        "{printed}"
    );
    assert_eq!(f[4], f[5], "the container mounts the pod's token volume");
    assert_eq!(
        f[6..9],
        [
            "/dev/termination-log",
            "BestEffort",
            "docker.io/library/nginx:latest"
        ]
    );
    assert!(
        f[9].starts_with("containerd://") && f[9].len() == 13 + 64,
        "{printed}"
    );
    assert!(
        f[10].starts_with("docker.io/library/nginx@sha256:"),
        "{printed}"
    );
    assert_eq!(pod_fields(3), printed, "same seed, same ids");
}

#[test]
fn describe_shows_the_same_ids_mount_and_token_volume() {
    let mut s = Session::new(3, Workspace::Memory(BTreeMap::new()));
    for line in [
        "kind create cluster",
        "kubectl run web --image=nginx",
        "sleep 5",
    ] {
        assert_eq!(s.type_line(line).status, 0, "{line}");
    }
    let ids = s
        .type_line("kubectl get pod web -o jsonpath='{.status.containerStatuses[0].containerID} {.spec.volumes[0].name}'")
        .stdout();
    let (id, volume) = ids.split_once(' ').expect("two fields");
    let d = s.type_line("kubectl describe pod web").stdout();
    assert!(d.contains(&format!("    Container ID:   {id}\n")), "{d}");
    assert!(
        d.contains(&format!(
            "    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from {volume} (ro)\n"
        )),
        "{d}"
    );
    assert!(d.contains(&format!("Volumes:\n  {volume}:\n    Type:                    Projected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:  3607\n    ConfigMapName:           kube-root-ca.crt\n    ConfigMapOptional:       <nil>\n    DownwardAPI:             true\nQoS Class:                   BestEffort\n")), "{d}");
}

/// A container's HOSTNAME (and its shell's prompt) is the kubelet's hostname for the pod:
/// `spec.hostname` when set, else the pod's name.
#[test]
fn a_pod_with_a_hostname_is_that_host_inside() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  hostname: db\n  subdomain: data\n  containers: [{name: c, image: nginx}]\n";
    let files = BTreeMap::from([("pod.yaml".to_string(), pod.to_string())]);
    let mut s = Session::new(4, Workspace::Memory(files));
    for line in [
        "kind create cluster",
        "kubectl apply -f pod.yaml",
        "sleep 5",
    ] {
        assert_eq!(s.type_line(line).status, 0, "{line}");
    }
    assert_eq!(
        s.type_line("kubectl exec app -- printenv HOSTNAME")
            .stdout(),
        "db\n"
    );
    assert_eq!(
        s.type_line("kubectl exec app -- hostname -f").stdout(),
        "db.data.default.svc.cluster.local\n"
    );
}
