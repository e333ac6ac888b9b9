//! A manifest typed as a here-document goes to `kubectl apply -f -`, as learners copy it
//! from tutorials: line by line at the prompt, with `> ` continuation until the delimiter.

use std::collections::BTreeMap;

use svclab_terminal::session::Session;
use svclab_terminal::workspace::Workspace;

const SERVICE: &[&str] = &[
    "cat <<EOF | kubectl apply -f -",
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    "  name: web",
    "spec:",
    "  selector:",
    "    app: $APP",
    "  ports:",
    "  - port: 80",
    "EOF",
];

fn cluster() -> Session {
    let mut session = Session::new(7, Workspace::Memory(BTreeMap::new()));
    let out = session.type_line("kind create cluster");
    assert_eq!(out.status, 0, "{}", out.combined());
    session
}

#[test]
fn a_here_document_typed_line_by_line_applies_a_service() {
    let mut session = cluster();
    session.type_line("APP=nginx");
    for line in &SERVICE[..SERVICE.len() - 1] {
        let out = session.type_line(line);
        assert!(out.combined().is_empty(), "no output before the delimiter");
        assert!(session.in_continuation(), "still reading after {line:?}");
    }
    let out = session.type_line("EOF");
    assert!(!session.in_continuation());
    assert_eq!(out.combined(), "service/web created\n");
    // `$APP` was expanded in the body, as in bash with an unquoted delimiter.
    let out = session.type_line("kubectl get svc web -o jsonpath='{.spec.selector.app}'");
    assert_eq!(out.stdout(), "nginx");
}

#[test]
fn a_here_document_redirected_into_apply_reports_kubectl_errors_and_changes_nothing() {
    let mut session = cluster();
    let out = session.run_script(
        "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: eighty\nEOF\n",
        false,
    );
    assert_ne!(out.status, 0);
    assert_eq!(
        out.stderr(),
        "Error from server (BadRequest): error when creating \"STDIN\": Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32\n"
    );
    let out = session.type_line("kubectl get svc web");
    assert_eq!(
        out.stderr(),
        "Error from server (NotFound): services \"web\" not found\n"
    );
}
