//! `kubectl apply` on an object that exists sends a patch. When the API server refuses it as
//! Invalid, kubectl prints the same `The Kind "name" is invalid: …` as for a create: its
//! `checkErr` formats Invalid status errors from their causes and drops the "error when
//! applying patch" text that `AddSourceToErr` put in the message
//! (`k8s.io/kubectl/pkg/cmd/util/helpers.go`). The object stays as it was. (A ClusterIP
//! file that keeps the Service's node port is accepted: the API server drops the port,
//! see `crates/terminal/tests/patch.rs`; one that changes it is refused.)

mod common;

use common::SERVICE;

#[test]
fn an_invalid_update_by_apply_reads_as_kubectls_invalid_error_and_changes_nothing() {
    let mut s = common::lab_with_service(
        3,
        &[
            ("bad.yaml", SERVICE.replace("30000", "99999")),
            (
                "clusterip.yaml",
                SERVICE
                    .replace("type: NodePort", "type: ClusterIP")
                    .replace("30000", "30001"),
            ),
        ],
    );

    let out = s.type_line("kubectl apply -f bad.yaml");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr(),
        "The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 99999: provided port is not in the valid range. The range of valid ports is 30000-32767\n"
    );
    let out = s.type_line("kubectl apply -f clusterip.yaml");
    assert_eq!(
        out.stderr(),
        "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n"
    );
    let port = s.type_line("kubectl get svc web -o jsonpath={.spec.ports[0].nodePort}");
    assert_eq!(port.stdout(), "30000");
    assert_eq!(
        s.type_line("kubectl apply -f svc.yaml").stdout(),
        "service/web unchanged\n"
    );
    // Keeping the node port it had, the change of type goes through and drops it.
    let keep = SERVICE.replace("type: NodePort", "type: ClusterIP");
    let out = s.type_line(&format!("cat <<EOF | kubectl apply -f -\n{keep}EOF"));
    assert_eq!(out.stdout(), "service/web configured\n", "{}", out.stderr());
    let port =
        s.type_line("kubectl get svc web -o jsonpath={.spec.type}/{.spec.ports[0].nodePort}");
    assert_eq!(port.stdout(), "ClusterIP/");
}
