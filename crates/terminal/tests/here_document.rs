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

#[test]
fn the_delimiter_is_the_word_as_written_not_expanded() {
    let mut session = Session::new(7, Workspace::Memory(BTreeMap::new()));
    let out = session.run_script("X=EOF\ncat <<$X\nEOF\n$X\necho after\n", false);
    // `<<$X` waits for a line `$X`; the line `EOF` is body.
    assert_eq!(out.stdout(), "EOF\nafter\n");
    let out = session.run_script("cat <<\"E\"'N'\\D\n$HOME\nEND\n", false);
    assert_eq!(
        out.stdout(),
        "$HOME\n",
        "a quoted delimiter keeps the body literal"
    );
}

#[test]
fn a_quoted_string_may_run_past_the_line_of_the_here_document() {
    let mut session = Session::new(7, Workspace::Memory(BTreeMap::new()));
    for line in ["cat <<EOF; echo \"x", "y\"", "body"] {
        session.type_line(line);
        assert!(session.in_continuation(), "{line}");
    }
    let out = session.type_line("EOF");
    assert_eq!(out.stdout(), "body\nx\ny\n");
}

#[test]
fn input_that_ends_inside_a_body_runs_it_with_bashs_warning() {
    let mut session = Session::new(7, Workspace::Memory(BTreeMap::new()));
    let out = session.run_script("echo one\ncat <<EOF\nunfinished\n", false);
    assert_eq!(out.stdout(), "one\nunfinished\n");
    assert_eq!(
        out.stderr(),
        "bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n"
    );
    assert_eq!(out.status, 0);

    let out = session.run_script("for i in 1 2\n", false);
    assert_eq!(out.stderr(), "bash: syntax error: unexpected end of file\n");
    assert_eq!(out.status, 2);
}
