//! `kubectl rollout`: a Deployment's history is its ReplicaSets' revisions (with the change
//! cause), `undo` puts an earlier template back and that ReplicaSet becomes the newest
//! revision, `restart` stamps the template so every pod is replaced.

mod common;

use svclab_terminal::session::Session;

fn rs_annotations(s: &mut Session) -> String {
    s.type_line("kubectl get rs -l app=web -o jsonpath='{range .items[*]}{.metadata.annotations}{\"\\n\"}{end}'")
        .stdout()
}

#[test]
fn history_undo_and_restart_follow_the_revisions() {
    let mut s = common::lab_with_service(5, &[]);
    for line in [
        "kubectl create deployment web --image=nginx --replicas=2",
        "kubectl rollout status deploy/web",
        "kubectl set image deploy/web nginx=nginx:1.27",
        "kubectl annotate deploy/web kubernetes.io/change-cause='image 1.27'",
        "kubectl rollout status deploy/web",
    ] {
        assert_eq!(s.type_line(line).status, 0, "{line}");
    }
    assert_eq!(
        s.type_line("kubectl rollout history deploy/web").stdout(),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.27\n\n"
    );
    // One revision's template, written without aligning the tabs (as kubectl does).
    let two = s
        .type_line("kubectl rollout history deploy/web --revision=2")
        .stdout();
    assert!(
        two.starts_with("deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n  \tpod-template-hash="),
        "{two}"
    );
    assert!(
        two.contains("  Annotations:\tkubernetes.io/change-cause: image 1.27\n  Containers:\n   nginx:\n    Image:\tnginx:1.27\n"),
        "{two}"
    );
    // The Deployment carries its revision; each ReplicaSet its revision and sizes.
    let deploy_revision = "kubectl get deploy web -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'";
    assert_eq!(s.type_line(deploy_revision).stdout(), "2");
    assert_eq!(
        rs_annotations(&mut s),
        "{\"deployment.kubernetes.io/desired-replicas\":\"2\",\"deployment.kubernetes.io/max-replicas\":\"3\",\"deployment.kubernetes.io/revision\":\"2\",\"kubernetes.io/change-cause\":\"image 1.27\"}\n\
         {\"deployment.kubernetes.io/desired-replicas\":\"2\",\"deployment.kubernetes.io/max-replicas\":\"3\",\"deployment.kubernetes.io/revision\":\"1\"}\n"
    );

    // Undo: revision 1's template comes back as revision 3, which remembers it was 1.
    assert_eq!(
        s.type_line("kubectl rollout undo deploy/web").stdout(),
        "deployment.apps/web rolled back\n"
    );
    s.type_line("kubectl rollout status deploy/web");
    let image = "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'";
    assert_eq!(s.type_line(image).stdout(), "nginx");
    assert_eq!(
        s.type_line("kubectl rollout history deploy/web").stdout(),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image 1.27\n3         <none>\n\n"
    );
    assert!(rs_annotations(&mut s)
        .contains("\"deployment.kubernetes.io/revision\":\"3\",\"deployment.kubernetes.io/revision-history\":\"1\""));
    assert_eq!(s.type_line(deploy_revision).stdout(), "3");
    let missing = s.type_line("kubectl rollout undo deploy/web --to-revision=9");
    assert_eq!(
        missing.stderr(),
        "error: unable to find specified revision 9 in history\n"
    );
    assert_eq!(
        s.type_line("kubectl rollout undo deploy/web --to-revision=2")
            .stdout(),
        "deployment.apps/web rolled back\n"
    );
    s.type_line("kubectl rollout status deploy/web");
    assert_eq!(s.type_line(image).stdout(), "nginx:1.27");
    // describe lists the old ReplicaSets that still have pods: none once rolled out.
    let described = s.type_line("kubectl describe deploy web").stdout();
    let old_line = described
        .lines()
        .find(|l| l.starts_with("OldReplicaSets:"))
        .unwrap_or_default();
    assert_eq!(
        old_line.split_whitespace().nth(1),
        Some("<none>"),
        "{described}"
    );

    // Restart: every pod is replaced by a new ReplicaSet's.
    let pods = "kubectl get pods -l app=web -o jsonpath='{.items[*].metadata.name}'";
    let before = s.type_line(pods).stdout();
    assert_eq!(
        s.type_line("kubectl rollout restart deploy/web").stdout(),
        "deployment.apps/web restarted\n"
    );
    s.type_line("kubectl rollout status deploy/web");
    s.type_line("sleep 40");
    let after = s.type_line(pods).stdout();
    assert!(
        before.split(' ').all(|p| !after.contains(p)),
        "{before} / {after}"
    );
    let stamp = s
        .type_line("kubectl get deploy web -o jsonpath='{.spec.template.metadata.annotations}'")
        .stdout();
    assert!(
        stamp.starts_with("{\"kubectl.kubernetes.io/restartedAt\":\"2024-08-13T22:5"),
        "{stamp}"
    );
    let rs = s.type_line("kubectl get rs -l app=web -o name").stdout();
    let one = rs
        .lines()
        .next()
        .unwrap_or_default()
        .replace("replicaset.apps/", "");
    let not_supported = s.type_line(&format!("kubectl rollout restart rs/{one}"));
    assert_eq!(
        not_supported.stderr(),
        format!("error: replicasets.apps \"{one}\" restarting is not supported\n")
    );
    // A DaemonSet's history is its ControllerRevisions: kind's own have one each.
    let ds = s.type_line("kubectl rollout history ds/kindnet -n kube-system");
    assert_eq!(
        ds.stdout(),
        "daemonset.apps/kindnet \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    );
    let rs_history = s.type_line(&format!("kubectl rollout history rs/{one}"));
    assert_eq!(
        rs_history.stderr(),
        "error: no history viewer has been implemented for \"ReplicaSet.apps\"\n"
    );
}

/// Old ReplicaSets beyond `revisionHistoryLimit` go once a rollout completes, lowest revision
/// first; with a limit of 0 nothing is left to roll back to.
#[test]
fn old_replica_sets_beyond_the_history_limit_are_deleted() {
    let mut s = common::lab_with_service(5, &[]);
    s.type_line("kubectl create deployment web --image=nginx:1.25");
    s.type_line("kubectl patch deploy web -p '{\"spec\":{\"revisionHistoryLimit\":1}}'");
    for image in ["nginx:1.26", "nginx:1.27", "nginx:1.28"] {
        s.type_line(&format!("kubectl set image deploy/web nginx={image}"));
        s.type_line("kubectl rollout status deploy/web");
    }
    s.type_line("sleep 40");
    let images = s
        .type_line("kubectl get rs -l app=web -o jsonpath='{range .items[*]}{.spec.template.spec.containers[0].image} {end}'")
        .stdout();
    let mut images: Vec<&str> = images.split_whitespace().collect();
    images.sort();
    assert_eq!(images, ["nginx:1.27", "nginx:1.28"]);
    assert_eq!(
        s.type_line("kubectl rollout history deploy/web").stdout(),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n\n"
    );
    s.type_line("kubectl patch deploy web -p '{\"spec\":{\"revisionHistoryLimit\":0}}'");
    s.type_line("kubectl set image deploy/web nginx=nginx:1.29");
    s.type_line("kubectl rollout status deploy/web");
    s.type_line("sleep 40");
    assert_eq!(
        s.type_line("kubectl rollout undo deploy/web").stderr(),
        "error: no rollout history found for deployment \"web\"\n"
    );
}
