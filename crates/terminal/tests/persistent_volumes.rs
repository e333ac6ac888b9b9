//! Storage on the lab's kind cluster, as the "StatefulSet Basics" tutorial's storage half and a
//! learner's own claims use it: kind's default `standard` class (local-path,
//! WaitForFirstConsumer), claims made by a StatefulSet and by hand, volumes provisioned on the
//! node the first pod is scheduled to, files that outlive the pods, and the scheduler's and the
//! API server's words when a claim is missing or wrong.

mod common;

use svclab_terminal::session::Session;

const CLAIM: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: notes
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Mi
";

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, infinity]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: notes
";

fn lab(seed: u64) -> Session {
    let web = common::TUTORIAL_WEB.replace("replicas: 3", "replicas: 2");
    common::kind_lab(
        seed,
        &[("web.yaml", &web), ("claim.yaml", CLAIM), ("pod.yaml", POD)],
    )
}

fn ok(s: &mut Session, line: &str) -> String {
    let out = s.type_line(line);
    assert_eq!(out.status, 0, "{line}: {}", out.stderr());
    out.stdout()
}

/// Column `n` (0-based) of each row but the header.
fn column(table: &str, n: usize) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(n).map(String::from))
        .collect()
}

#[test]
fn kind_has_one_default_class_backed_by_local_path() {
    let mut s = lab(3);
    let sc = ok(&mut s, "kubectl get storageclass");
    let mut lines = sc.lines();
    assert_eq!(
        lines.next(),
        Some("NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE")
    );
    let row = lines.next().unwrap_or_default();
    assert!(
        row.starts_with("standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  "),
        "{sc}"
    );
    assert_eq!(lines.next(), None);
    let yaml = ok(&mut s, "kubectl get sc standard -o yaml");
    assert!(
        yaml.contains("    storageclass.kubernetes.io/is-default-class: \"true\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("\nprovisioner: rancher.io/local-path\nreclaimPolicy: Delete\nvolumeBindingMode: WaitForFirstConsumer\n"), "{yaml}");
    assert_eq!(
        ok(&mut s, "kubectl get pvc,pv -A"),
        "",
        "a new cluster has no claims or volumes"
    );
}

#[test]
fn a_statefulset_claims_a_volume_per_pod_on_the_pods_node_and_keeps_its_files() {
    let mut s = lab(11);
    ok(&mut s, "kubectl apply -f web.yaml");
    ok(&mut s, "kubectl rollout status sts/web");
    let pvc = ok(&mut s, "kubectl get pvc");
    assert_eq!(
        pvc.lines().next(),
        Some("NAME        STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE")
    );
    assert_eq!(column(&pvc, 0), ["www-web-0", "www-web-1"]);
    assert_eq!(column(&pvc, 1), ["Bound", "Bound"]);
    assert_eq!(column(&pvc, 3), ["1Gi", "1Gi"]);
    assert_eq!(column(&pvc, 4), ["RWO", "RWO"]);
    assert_eq!(column(&pvc, 5), ["standard", "standard"]);
    assert_eq!(column(&pvc, 6), ["<unset>", "<unset>"]);
    // Each volume is named after its claim's uid, bound to it, and pinned to the node its
    // first pod was scheduled to.
    let uid = ok(
        &mut s,
        "kubectl get pvc www-web-0 -o jsonpath='{.metadata.uid}'",
    );
    let volume = ok(
        &mut s,
        "kubectl get pvc www-web-0 -o jsonpath='{.spec.volumeName}'",
    );
    assert_eq!(volume, format!("pvc-{uid}"));
    let pv = ok(&mut s, "kubectl get pv");
    assert!(pv.starts_with("NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM               STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n"), "{pv}");
    assert!(pv.contains(&format!("{volume}   1Gi        RWO            Delete           Bound    default/www-web-0   standard       <unset>                          ")), "{pv}");
    let node = ok(
        &mut s,
        "kubectl get pod web-0 -o jsonpath='{.spec.nodeName}'",
    );
    let pinned = ok(&mut s, &format!("kubectl get pv {volume} -o jsonpath='{{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}}'"));
    assert_eq!(pinned, node);
    let path = ok(
        &mut s,
        &format!("kubectl get pv {volume} -o jsonpath='{{.spec.hostPath.path}}'"),
    );
    assert_eq!(
        path,
        format!("/var/local-path-provisioner/{volume}_default_www-web-0")
    );
    let selected = ok(&mut s, "kubectl get pvc www-web-0 -o jsonpath='{.metadata.annotations.volume\\.kubernetes\\.io/selected-node}'");
    assert_eq!(selected, node);
    // The claim's events tell the provisioning story, in order.
    let describe = ok(&mut s, "kubectl describe pvc www-web-0");
    let reasons: Vec<&str> = describe
        .lines()
        .skip_while(|l| !l.starts_with("  ----"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        reasons,
        [
            "WaitForFirstConsumer",
            "ExternalProvisioning",
            "Provisioning",
            "ProvisioningSucceeded"
        ]
    );
    assert!(describe.contains("Used By:       web-0\n"), "{describe}");
    assert!(describe.contains("Finalizers:    [kubernetes.io/pvc-protection]\nCapacity:      1Gi\nAccess Modes:  RWO\nVolumeMode:    Filesystem\n"), "{describe}");
    // The mounted volume hides nginx's page until something is written into it.
    ok(
        &mut s,
        "kubectl exec web-0 -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html'",
    );
    // The file lives in the volume's directory on its node, and on no other node.
    assert_eq!(
        ok(&mut s, &format!("docker exec {node} cat {path}/index.html")),
        "web-0\n"
    );
    let elsewhere = s.type_line(&format!(
        "docker exec kind-control-plane cat {path}/index.html"
    ));
    assert_eq!(elsewhere.status, 1, "{}", elsewhere.stdout());
    // A replaced pod lands on the volume's node and finds the file.
    ok(&mut s, "kubectl delete pod web-0");
    ok(&mut s, "kubectl rollout status sts/web");
    assert_eq!(
        ok(
            &mut s,
            "kubectl get pod web-0 -o jsonpath='{.spec.nodeName}'"
        ),
        node
    );
    assert_eq!(
        ok(
            &mut s,
            "kubectl exec web-0 -- cat /usr/share/nginx/html/index.html"
        ),
        "web-0\n"
    );
    let served = ok(&mut s, "kubectl exec web-1 -- curl -s web-0.nginx");
    assert_eq!(served, "web-0\n");
    // Scaling down keeps the claims (the default Retain policy); scaling up reuses them.
    ok(
        &mut s,
        "kubectl exec web-1 -- sh -c 'echo one > /usr/share/nginx/html/index.html'",
    );
    ok(&mut s, "kubectl scale sts web --replicas=1");
    ok(&mut s, "kubectl rollout status sts/web");
    assert_eq!(
        column(&ok(&mut s, "kubectl get pvc"), 0),
        ["www-web-0", "www-web-1"]
    );
    ok(&mut s, "kubectl scale sts web --replicas=2");
    ok(&mut s, "kubectl rollout status sts/web");
    assert_eq!(
        ok(
            &mut s,
            "kubectl exec web-1 -- cat /usr/share/nginx/html/index.html"
        ),
        "one\n"
    );
}

#[test]
fn a_claim_waits_for_its_first_pod_and_its_volume_goes_with_it() {
    let mut s = lab(5);
    assert_eq!(
        ok(&mut s, "kubectl apply -f claim.yaml"),
        "persistentvolumeclaim/notes created\n"
    );
    let pending = ok(&mut s, "kubectl get pvc notes");
    let row = pending.lines().nth(1).unwrap_or_default();
    assert!(
        row.starts_with("notes   Pending                                      standard       <unset>                 "),
        "{pending}"
    );
    let describe = ok(&mut s, "kubectl describe pvc notes");
    assert!(
        describe.contains(
            "Capacity:      \nAccess Modes:  \nVolumeMode:    Filesystem\nUsed By:       <none>\n"
        ),
        "{describe}"
    );
    // The StorageObjectInUseProtection admission plugin's finalizer is a field.
    assert!(
        describe.contains("Finalizers:    [kubernetes.io/pvc-protection]\n"),
        "{describe}"
    );
    assert_eq!(
        ok(
            &mut s,
            "kubectl get pvc notes -o jsonpath='{.metadata.finalizers}'"
        ),
        "[\"kubernetes.io/pvc-protection\"]"
    );
    assert!(
        describe.contains("waiting for first consumer to be created before binding"),
        "{describe}"
    );
    assert_eq!(ok(&mut s, "kubectl get pv"), "");
    // A pod on it that cannot be scheduled: the claim says it waits for that pod.
    let stuck = POD.replace("writer", "stuck").replace(
        "  containers:",
        "  nodeSelector:\n    disk: ssd\n  containers:",
    );
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{stuck}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    let describe = ok(&mut s, "kubectl describe pvc notes");
    assert!(
        describe.contains("  Normal  WaitForPodScheduled   ")
            && describe
                .contains("  persistentvolume-controller  waiting for pod stuck to be scheduled\n"),
        "{describe}"
    );
    assert_eq!(column(&ok(&mut s, "kubectl get pvc notes"), 1), ["Pending"]);
    ok(&mut s, "kubectl delete pod stuck");
    ok(&mut s, "kubectl apply -f pod.yaml");
    ok(&mut s, "kubectl wait --for=condition=Ready pod/writer");
    assert_eq!(column(&ok(&mut s, "kubectl get pvc notes"), 1), ["Bound"]);
    let yaml = ok(&mut s, "kubectl get pv -o yaml");
    assert!(
        yaml.contains("    finalizers:\n    - kubernetes.io/pv-protection\n"),
        "{yaml}"
    );
    ok(
        &mut s,
        "kubectl exec writer -- sh -c 'echo kept > /data/note.txt'",
    );
    // The claim outlives its pod; a new pod on it reads the file.
    ok(&mut s, "kubectl delete pod writer");
    ok(&mut s, "kubectl apply -f pod.yaml");
    ok(&mut s, "kubectl wait --for=condition=Ready pod/writer");
    assert_eq!(
        ok(&mut s, "kubectl exec writer -- cat /data/note.txt"),
        "kept\n"
    );
    // A claim in use is protected: it stays Terminating until its pod is gone.
    assert_eq!(
        ok(&mut s, "kubectl delete pvc notes"),
        "persistentvolumeclaim \"notes\" deleted\n"
    );
    assert_eq!(
        column(&ok(&mut s, "kubectl get pvc notes"), 1),
        ["Terminating"]
    );
    let describe = ok(&mut s, "kubectl describe pvc notes");
    assert!(
        describe.contains("\nStatus:        Terminating (lasts "),
        "{describe}"
    );
    assert_eq!(column(&ok(&mut s, "kubectl get pv"), 4), ["Bound"]);
    // A Bound volume is protected too.
    let volume = ok(
        &mut s,
        "kubectl get pvc notes -o jsonpath='{.spec.volumeName}'",
    );
    ok(&mut s, &format!("kubectl delete pv {volume}"));
    assert_eq!(column(&ok(&mut s, "kubectl get pv"), 4), ["Terminating"]);
    // Then the claim goes, its volume is Released, and the Delete policy removes it.
    ok(&mut s, "kubectl delete pod writer");
    assert_eq!(ok(&mut s, "kubectl get pvc"), "");
    assert_eq!(ok(&mut s, "kubectl get pv"), "");
}

#[test]
fn the_scheduler_and_the_api_server_say_what_is_wrong_with_a_claim() {
    let mut s = lab(5);
    // A pod whose claim does not exist stays Pending with the scheduler's PreFilter message.
    ok(&mut s, "kubectl apply -f pod.yaml");
    let events = ok(&mut s, "kubectl get events --field-selector reason=FailedScheduling -o custom-columns=MESSAGE:.message");
    assert!(
        events.contains("0/3 nodes are available: persistentvolumeclaim \"notes\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"),
        "{events}"
    );
    // A class that does not exist binds at once, and cannot.
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: notes\nspec:\n  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{claim}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    let describe = ok(&mut s, "kubectl describe pvc notes");
    assert!(
        describe.contains("Warning  ProvisioningFailed")
            && describe.contains("storageclass.storage.k8s.io \"fast\" not found"),
        "{describe}"
    );
    let events = ok(&mut s, "kubectl get events --field-selector reason=FailedScheduling -o custom-columns=MESSAGE:.message");
    assert!(
        events.contains("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"),
        "{events}"
    );
    // The API server's validation, in its words.
    let bad = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: empty\nspec:\n  resources: {}\n";
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{bad}EOF"));
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr(),
        "The PersistentVolumeClaim \"empty\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n"
    );
    let changed = claim.replace("1Gi", "2Gi");
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{changed}EOF"));
    assert!(
        out.stderr().contains("The PersistentVolumeClaim \"notes\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"),
        "{}",
        out.stderr()
    );
}

#[test]
fn the_retention_policy_lets_claims_go_with_their_pod_or_their_set() {
    let mut s = lab(9);
    let web = common::TUTORIAL_WEB.replace(
        "  volumeClaimTemplates:",
        "  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n    whenDeleted: Delete\n  volumeClaimTemplates:",
    );
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{web}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    ok(&mut s, "kubectl rollout status sts/web");
    // The set owns the claims of its pods in range.
    let owners = ok(&mut s, "kubectl get pvc -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller}{\"\\n\"}{end}'");
    assert_eq!(
        owners,
        "www-web-0 StatefulSet/web true\nwww-web-1 StatefulSet/web true\nwww-web-2 StatefulSet/web true\n"
    );
    // Scaling down hands web-2's claim to the pod, and it goes with the pod.
    ok(&mut s, "kubectl scale sts web --replicas=2");
    ok(&mut s, "kubectl rollout status sts/web");
    assert_eq!(
        column(&ok(&mut s, "kubectl get pvc"), 0),
        ["www-web-0", "www-web-1"]
    );
    // Volumes list by name (`pvc-<uid>`), so their claims come in any order.
    let mut claims = column(&ok(&mut s, "kubectl get pv"), 5);
    claims.sort();
    assert_eq!(claims, ["default/www-web-0", "default/www-web-1"]);
    // Deleting the set takes the remaining claims and their volumes.
    ok(&mut s, "kubectl delete sts web");
    assert_eq!(ok(&mut s, "kubectl get pvc"), "");
    assert_eq!(ok(&mut s, "kubectl get pv"), "");
}

#[test]
fn a_deleted_namespace_takes_its_claims_and_their_volumes() {
    let mut s = lab(4);
    ok(&mut s, "kubectl create namespace data");
    ok(&mut s, "kubectl apply -n data -f claim.yaml -f pod.yaml");
    ok(
        &mut s,
        "kubectl wait -n data --for=condition=Ready pod/writer",
    );
    assert_eq!(column(&ok(&mut s, "kubectl get pv"), 4), ["Bound"]);
    ok(&mut s, "kubectl delete namespace data");
    assert_eq!(ok(&mut s, "kubectl get pv"), "");
    assert!(s.type_line("kubectl get namespace data").status != 0);
}

/// Local volumes made by hand, the way kind users try them: a `kubernetes.io/no-provisioner`
/// class that waits for the first consumer, a `local` volume pinned to one worker. The
/// scheduler puts the pod where its volume is and reserves the volume for the claim; with no
/// volume left, a second pod finds none on any node.
#[test]
fn a_local_volume_made_by_hand_brings_its_pod_to_its_node() {
    let local = "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-storage
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-pv
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local-storage
  local:
    path: /mnt/disks/vol1
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/hostname
          operator: In
          values: [kind-worker2]
";
    let mut s = lab(6);
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{local}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    let claim = CLAIM.replace("spec:\n", "spec:\n  storageClassName: local-storage\n");
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{claim}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    assert_eq!(column(&ok(&mut s, "kubectl get pvc notes"), 1), ["Pending"]);
    assert_eq!(column(&ok(&mut s, "kubectl get pv"), 4), ["Available"]);
    ok(&mut s, "kubectl apply -f pod.yaml");
    assert_eq!(
        ok(
            &mut s,
            "kubectl get pod writer -o jsonpath='{.spec.nodeName}'"
        ),
        "kind-worker2"
    );
    assert_eq!(
        ok(
            &mut s,
            "kubectl get pvc notes -o jsonpath='{.status.phase} {.spec.volumeName}'"
        ),
        "Bound local-pv"
    );
    assert_eq!(
        ok(
            &mut s,
            "kubectl get pv local-pv -o jsonpath='{.status.phase} {.spec.claimRef.name}'"
        ),
        "Bound notes"
    );
    let yaml = ok(&mut s, "kubectl get pv local-pv -o yaml");
    assert!(
        yaml.contains("    pv.kubernetes.io/bound-by-controller: \"yes\"\n"),
        "{yaml}"
    );
    // No volume is left for a second claim, and nothing makes one.
    let second = claim.replace("name: notes", "name: more");
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{second}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    let pod = POD
        .replace("name: writer", "name: second")
        .replace("claimName: notes", "claimName: more");
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{pod}EOF"));
    assert_eq!(out.status, 0, "{}", out.stderr());
    let events = ok(&mut s, "kubectl get events --field-selector reason=FailedScheduling -o custom-columns=MESSAGE:.message");
    assert!(
        events.contains("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"),
        "{events}"
    );
    assert_eq!(column(&ok(&mut s, "kubectl get pvc more"), 1), ["Pending"]);
}
