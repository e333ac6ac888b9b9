//! `kubectl patch` in its three types and `kubectl annotate`, with kubectl's words; a patch
//! the API server rejects changes nothing.

mod common;

use svclab_terminal::session::Session;

fn lab() -> Session {
    common::lab_with_service(5, &[])
}

fn jsonpath(s: &mut Session, path: &str) -> String {
    s.type_line(&format!("kubectl get svc web -o jsonpath='{path}'"))
        .stdout()
}

#[test]
fn a_strategic_patch_turns_a_service_into_a_load_balancer_and_keeps_its_node_port() {
    let mut s = lab();
    let out = s.type_line(r#"kubectl patch svc web -p '{"spec":{"type":"LoadBalancer"}}'"#);
    assert_eq!(
        (out.stdout().as_str(), out.status),
        ("service/web patched\n", 0)
    );
    assert_eq!(
        jsonpath(&mut s, "{.spec.type} {.spec.ports[0].nodePort}"),
        "LoadBalancer 30000"
    );
    // cloud-provider-kind gives it an address once it is a LoadBalancer.
    s.type_line("sleep 5");
    assert!(!jsonpath(&mut s, "{.status.loadBalancer.ingress[0].ip}").is_empty());
    let again = s.type_line(r#"kubectl patch svc web -p '{"spec":{"type":"LoadBalancer"}}'"#);
    assert_eq!(again.stdout(), "service/web patched (no change)\n");
    // The service controller holds it with its finalizer while the load balancer exists.
    assert_eq!(
        jsonpath(&mut s, "{.metadata.finalizers}"),
        "[\"service.kubernetes.io/load-balancer-cleanup\"]"
    );
    let events = "kubectl get events --field-selector involvedObject.name=web -o custom-columns=REASON:.reason,FROM:.source.component --no-headers";
    assert_eq!(
        s.type_line(events).stdout(),
        "EnsuringLoadBalancer   service-controller\nEnsuredLoadBalancer    service-controller\n"
    );
    // Back to a NodePort: the load balancer is deleted and the finalizer goes.
    let out = s.type_line(r#"kubectl patch svc web -p '{"spec":{"type":"NodePort"}}'"#);
    assert_eq!(out.stdout(), "service/web patched\n", "{}", out.stderr());
    assert_eq!(
        jsonpath(&mut s, "{.metadata.finalizers} {.status.loadBalancer}"),
        " {}"
    );
    assert_eq!(
        s.type_line(events).stdout(),
        "EnsuringLoadBalancer   service-controller\nEnsuredLoadBalancer    service-controller\nDeletingLoadBalancer   service-controller\nDeletedLoadBalancer    service-controller\n"
    );
}

/// Changing the type away from NodePort drops what only the old type used, as the API
/// server's `dropTypeDependentFields` does: the node port (free for another Service) and the
/// external traffic policy. A node port changed in the same patch is refused.
#[test]
fn a_node_port_service_patched_to_cluster_ip_gives_its_node_port_back() {
    let mut s = lab();
    let changed = s.type_line(
        r#"kubectl patch svc web -p '{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":30001}]}}'"#,
    );
    assert!(
        changed.stderr().contains(
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        ),
        "{}",
        changed.stderr()
    );
    let out = s.type_line(r#"kubectl patch svc web -p '{"spec":{"type":"ClusterIP"}}'"#);
    assert_eq!(out.stdout(), "service/web patched\n", "{}", out.stderr());
    assert_eq!(
        jsonpath(
            &mut s,
            "{.spec.type}/{.spec.ports[0].nodePort}/{.spec.externalTrafficPolicy}"
        ),
        "ClusterIP//"
    );
    let other = "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30000\n";
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{other}EOF"));
    assert_eq!(out.stdout(), "service/other created\n", "{}", out.stderr());
}

#[test]
fn merge_and_json_patches_and_annotate() {
    let mut s = lab();
    let out = s.type_line(
        r#"kubectl patch svc/web --type merge -p '{"metadata":{"labels":{"tier":"front"}}}'"#,
    );
    assert_eq!(out.stdout(), "service/web patched\n");
    let out = s.type_line(r#"kubectl patch svc web --type json -p '[{"op":"replace","path":"/spec/ports/0/port","value":8080}]'"#);
    assert_eq!(out.stdout(), "service/web patched\n");
    assert_eq!(
        s.type_line("kubectl annotate svc web team=blue").stdout(),
        "service/web annotated\n"
    );
    assert_eq!(
        jsonpath(
            &mut s,
            "{.metadata.labels.tier} {.spec.ports[0].port} {.metadata.annotations.team}"
        ),
        "front 8080 blue"
    );
    assert_eq!(
        s.type_line("kubectl annotate svc web team-").stdout(),
        "service/web annotated\n"
    );
}

#[test]
fn rejected_patches_say_why_and_change_nothing() {
    let mut s = lab();
    let cases = [
        (
            r#"kubectl patch svc web --type json -p '[{"op":"replace","path":"/spec/ports/0/nodePort","value":99999}]'"#,
            "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767\n",
        ),
        (
            r#"kubectl patch svc web --type json -p '[{"op":"remove","path":"/spec/nope"}]'"#,
            "The request is invalid: remove operation does not apply: doc is missing path: \"/spec/nope\": missing value\n",
        ),
        ("kubectl patch svc nope -p '{}'", "Error from server (NotFound): services \"nope\" not found\n"),
        (
            "kubectl patch svc web -p x",
            "Error from server (BadRequest): json: cannot unmarshal string into Go value of type map[string]interface {}\n",
        ),
        ("kubectl patch svc web --type foo -p '{}'", "error: --type must be one of [json merge strategic], not \"foo\"\n"),
        ("kubectl patch svc web", "error: must specify --patch or --patch-file containing the contents of the patch\n"),
    ];
    for (line, expected) in cases {
        let out = s.type_line(line);
        assert_eq!(out.status, 1, "{line}");
        assert_eq!(out.stderr(), expected, "{line}");
    }
    assert_eq!(jsonpath(&mut s, "{.spec.ports[0].nodePort}"), "30000");
}
